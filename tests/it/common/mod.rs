//! Helpers the integration tests share, one job per file: `run` runs permstat (the binary,
//! isolated from this machine, or the loader in process), `transcript` writes hand-made
//! transcripts, `engine` decides calls with the permission engine and runs case tables.

mod engine;
mod run;
mod transcript;

pub use engine::*;
pub use run::*;
pub use transcript::*;
