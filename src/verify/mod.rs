//! `permstat verify`: what a headless run's flags really allow, whether a run kept to them,
//! and a canary for checking a Claude Code build (docs/verify.md).
//!
//! - [`flags`]: Claude Code's command line as data (the flag table, list splitting,
//!   a command line read like a shell would, without running it) into [`flags::Declared`];
//! - [`boundary`]: the declared flags laid over the settings that load, the mode the run is
//!   really in, and what happens to one call ([`boundary::Expect`]);
//! - [`explain`]: what the run may do without a person, and the gaps between the flags and
//!   what they are believed to do;
//! - [`run`]: every call of the selected sessions checked against the boundary;
//! - [`canary`]: the canary's prompt and command line, and the check of its run;
//! - [`rules`]: what one rule promises less than it seems to (the audit's dangerous-rule
//!   table is used there and only there).
//!
//! This module decides; `crate::output::verify` prints and `crate::cmd::verify` reads the
//! transcripts and settings.

pub mod boundary;
pub mod canary;
pub mod explain;
pub mod flags;
pub mod rules;
pub mod run;

/// The `entrypoint` values of sessions nobody sat at: `claude -p` (`sdk-cli`), the Agent SDKs
/// and the GitHub action. `cli` is an interactive session; `local-agent` and `mcp` are left
/// out because whether a person answers there is not documented.
pub const NON_INTERACTIVE_ENTRYPOINTS: &[&str] =
    &["sdk-cli", "sdk-ts", "sdk-py", "claude-code-github-action"];

/// True for an entrypoint in [`NON_INTERACTIVE_ENTRYPOINTS`].
pub fn is_non_interactive(entrypoint: &str) -> bool {
    NON_INTERACTIVE_ENTRYPOINTS.contains(&entrypoint)
}
