//! The safety judgements the suggester and the auditor share, kept as data.
//!
//! Every "never" list is one [`BanList`]; [`BAN_LISTS`] holds them all. The lists are the
//! command categories of [`crate::facts`] (shells, interpreters, package runners, exec
//! wrappers, ...); each says how far its ban goes ([`BanReach`]): some commands must never
//! be allowed by any rule (interpreters, shells, network clients), some only never by a
//! wildcard (task runners: an exact `Bash(npm run lint)` names one script, `Bash(npm run *)`
//! runs any). The suggester refuses to propose a rule a list catches; the auditor calls an
//! allow rule a list catches dangerous ([`dangerous_allow`]). Both go through [`risk_of`], so
//! the two can never disagree.
//!
//! The rest: [`READONLY_SUBCOMMANDS`] (the only places a `Bash(cmd sub *)` prefix rule may
//! be proposed), [`RISKY_FLAGS`] (options that change configuration or run a program), the
//! volatile values behind [`volatile_value`] (temp paths, UUIDs, PIDs, hashes, timestamps:
//! a rule holding one will never match again), shell syntax a rule text must not hold
//! ([`text_hazard`]), and the MCP tool-name words ([`MCP_READ_WORDS`], [`MCP_WRITE_WORDS`]).
//!
//! Per-invocation read-only checks are delegated to the `safe-chains` crate
//! ([`invocation_level`]); only `Inert` and `SafeRead` count as read-only. `safe-chains`
//! rates many test and build runners read-only (`go test`, `npm test`, `cargo clippy`):
//! the project runners of [`crate::facts::runners`] are checked first, so none passes as
//! read-only. [`rule_class`] names the kind of a rule already written, from the same
//! tables.

mod allow;
mod bans;
mod class;
mod hazards;
mod mcp;
mod read_level;
mod shape;

pub use allow::{EDIT_EVERYWHERE, dangerous_allow, dangerous_bash_spec};
pub use bans::{
    BAN_LISTS, BanList, BanReach, READONLY_SUBCOMMANDS, RiskHit, readonly_subcommand, risk_of,
};
pub use class::{rule_class, runner_of_spec};
pub use hazards::{RISKY_FLAGS, SHELL_SYNTAX, TEMP_PATHS, risky_flag, text_hazard, volatile_value};
pub use mcp::{MCP_READ_WORDS, MCP_WRITE_WORDS, mcp_read_only, mcp_tool_words};
pub use read_level::{ReadLevel, invocation_level, warm_up};
pub use shape::{SpecShape, Wildcard, spec_shape, unquote};

/// A test's command text split on whitespace.
#[cfg(test)]
fn test_words(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}
