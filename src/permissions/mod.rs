//! Claude Code's permission logic, replayed: shell splitting, rule matching, the built-in
//! read-only commands, settings, modes and the decision for one call.

pub mod bash_rule;
pub mod readonly;
pub mod shell;
