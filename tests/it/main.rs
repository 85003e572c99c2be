//! The integration tests, as one binary (so polars and the library are linked once, not once
//! per file). Each module holds the tests of one former `tests/*.rs` file; `common` holds the
//! helpers they share. Tests read data by paths relative to the package root (`data/real`,
//! `tests/fixtures`, `tests/expected`), where cargo runs them.
//!
//! Run one module with `cargo test --test it perm_engine`.

mod common;

mod cache;
mod check_cli;
mod corpus_truth;
mod evidence;
mod exit_codes;
mod export;
mod html_report;
mod markdown;
mod perm_engine;
mod perm_real_shell;
mod perm_replay;
mod perm_settings;
mod redaction;
mod replay_real;
mod report;
mod report_context;
mod scan_fixtures;
mod scan_real;
mod sources;
mod stream;
mod suggest_cli;
mod suggest_evidence;
mod suggest_safe;
mod team;
mod verify;
