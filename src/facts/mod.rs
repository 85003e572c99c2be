//! Facts about commands and about Claude Code's own tools, as data: one table per fact.
//!
//! This is the bottom layer: it imports nothing from the rest of the crate, and holds no
//! logic beyond small lookups. The permission replay, the command keys, the risk tables and
//! the suggester read these tables instead of keeping lists of their own. Where two readers
//! deliberately ask different questions of the same list, the table says so: a field per
//! entry, or a named list with the reason.
//!
//! - [`commands`]: command categories (interpreters, shells, network clients, remote shells,
//!   package and task runners, container exec, destructive commands, ...);
//! - [`wrappers`]: exec wrappers (`sudo`, `env`, `timeout`, ...) with their options;
//! - [`git`]: git's global options;
//! - [`cli_shapes`]: how programs name their subcommands, for the command keys;
//! - [`env`](mod@env): environment variables a command may be prefixed with;
//! - [`tools`]: Claude Code's tools: names, rule families, parameters, which never prompt,
//!   protected paths, what `acceptEdits` and auto mode treat specially.
//!
//! Tests here check the tables against each other; tests that need a reader (the shell
//! splitter, the suggester) live with that reader.

pub mod cli_shapes;
pub mod commands;
pub mod env;
pub mod git;
pub mod tools;
pub mod wrappers;

#[cfg(test)]
mod tests;
