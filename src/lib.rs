//! permstat: reads Claude Code session transcripts, replays Claude Code's permission
//! logic over every tool call, and measures where permission prompts cost people time.
//!
//! The modules form layers, and a module imports only from its own layer or lower ones:
//! 1. [`facts`]: facts about Claude Code's tools and about commands, as data; [`text`]:
//!    neutral utilities (the skimming JSON reader, redaction, times, URLs);
//! 2. [`transcript`] finds and reads files into the tool-call table ([`event`],
//!    [`partition`]); [`sources`] joins the records made outside the transcripts (the
//!    prompt log of `permstat hook`, OpenTelemetry exports) to its calls;
//! 3. [`permissions`] replays Claude Code's rules over it;
//! 4. [`analysis`], [`suggest`] and [`verify`] draw conclusions (suggest may use analysis,
//!    verify uses suggest's safety tables);
//! 5. [`output`] renders them: one printer per command, one path for tables;
//! 6. [`cmd`] runs one subcommand from a plain options struct;
//! 7. [`cli`] maps the command line to those options and dispatches; `main.rs` calls it.
//!
//! [`timing`] prints phase timings on request, from any layer.

pub mod analysis;
pub mod cli;
pub mod cmd;
pub mod event;
pub mod facts;
pub mod output;
pub mod partition;
pub mod permissions;
pub mod sources;
pub mod suggest;
pub mod text;
pub mod timing;
pub mod transcript;
pub mod verify;
