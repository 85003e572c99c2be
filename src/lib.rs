//! permstat: reads Claude Code session transcripts, replays Claude Code's permission
//! logic over every tool call, and measures where permission prompts cost people time.
//!
//! Data flows one way: [`transcript`] finds and reads files into the tool-call table
//! ([`event`]); [`permissions`] replays Claude Code's rules over it; [`analysis`] and
//! [`suggest`] draw conclusions; [`cmd`] runs one subcommand; [`output`] renders results.

pub mod analysis;
pub mod cli;
pub mod cmd;
pub mod event;
pub mod facts;
pub mod output;
pub mod partition;
pub mod permissions;
pub mod suggest;
pub mod timing;
pub mod transcript;
