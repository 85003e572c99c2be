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
//! - [`runners`]: test, build, lint, format and task runners that execute project files,
//!   and the three kinds of rule (read-only, runs project code, never);
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
pub mod runners;
pub mod tools;
pub mod wrappers;

#[cfg(test)]
mod tests;

/// Every category of single program names in [`commands`] and [`wrappers`], by name, for
/// the tests that check the readers against the facts.
#[cfg(test)]
pub(crate) fn single_word_categories() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("interpreters", commands::INTERPRETERS.to_vec()),
        ("shells", commands::SHELLS.iter().map(|s| s.name).collect()),
        (
            "shell eval builtins",
            commands::SHELL_EVAL_BUILTINS.to_vec(),
        ),
        ("http clients", commands::HTTP_CLIENTS.to_vec()),
        ("socket clients", commands::SOCKET_CLIENTS.to_vec()),
        ("remote shells", commands::REMOTE_SHELLS.to_vec()),
        (
            "maybe remote copies",
            commands::MAYBE_REMOTE_COPIES.to_vec(),
        ),
        ("package runners", commands::PACKAGE_RUNNERS.to_vec()),
        (
            "exec wrappers",
            wrappers::EXEC_WRAPPERS.iter().map(|w| w.name).collect(),
        ),
    ]
}
