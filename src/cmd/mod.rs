//! One module per subcommand, each run with a plain options struct (`crate::cli` builds it
//! from the command line), and the steps they share:
//!
//! - [`mod@load`]: finding transcripts and reading them into tables (whole, or one set of
//!   linked sessions at a time), with the incremental cache;
//! - [`window`]: the `--since`/`--until`/`--project` window;
//! - [`team`]: team mode, several developers' histories read at once;
//! - [`folder_settings`]: loading the settings that apply to each session folder, and
//!   replaying every call against them.
//!
//! Commands compute with the lower layers and hand their documents to the printers of
//! [`crate::output`].

pub mod audit;
pub mod check;
pub mod export;
pub mod folder_settings;
pub mod hook;
pub mod load;
pub mod replay;
pub mod report;
pub mod scan;
pub mod suggest;
pub mod team;
pub mod verify;
pub mod window;

pub use folder_settings::SettingsOptions;
pub use load::{
    Fold, InputOptions, Loaded, Streamed, Width, cache_dir, file_list, find_input, load, stream,
    stream_found, warn_all,
};
pub use window::{WindowOptions, apply_window, apply_window_checked};
