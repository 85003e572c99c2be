//! Claude Code's permission logic: rule grammar, settings files, path patterns, the shell
//! splitter, the built-in read-only commands, the checks no mode skips, the decision for one
//! tool call, and the replay over a whole tool-call table. The facts it replays (tool
//! families, protected paths, command categories, wrappers) are in [`crate::facts`].

pub mod bash_rule;
pub mod engine;
pub mod glob;
pub mod guards;
pub mod paths;
mod plain;
pub mod readonly;
pub mod replay;
pub mod rule;
pub mod settings;
pub mod shell;
