//! From files on disk to the tool-call table: discovery, streaming reads, line types,
//! outcome texts, the join of calls to results, and stream-json captures read into the same
//! table.

pub mod cache;
pub mod discover;
pub mod input;
pub mod lazy;
pub mod line;
pub mod outcome;
pub mod reader;
pub mod records;
pub mod scan;
pub mod stream_json;
pub mod summary;

pub use discover::{Discovery, discover};
pub use scan::{Table, scan_files};
