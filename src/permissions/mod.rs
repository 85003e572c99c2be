//! Claude Code's permission logic: rule grammar, settings files, path patterns, the decision
//! for one tool call, and the replay over a whole tool-call table.

pub mod bash_rule;
pub mod engine;
pub mod paths;
mod plain;
pub mod readonly;
pub mod replay;
pub mod rule;
pub mod settings;
pub mod shell;
pub mod tools;
