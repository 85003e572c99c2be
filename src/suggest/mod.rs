//! Proposing narrow allow rules, writing them safely, and auditing the rules already there.
//!
//! One safety policy, several jobs:
//! - [`candidates::suggest`] reads the calls a person approved (their answer, from
//!   [`crate::analysis::Evidence`]: the replay says they prompted, they ran, and no evidence
//!   says they ran unasked) and
//!   proposes `permissions.allow` rules for the read-only ones: exact rules by default, a
//!   `Bash(cmd sub *)` prefix only for subcommands whose every form reads, exact MCP tool
//!   names, `WebFetch(domain:host)`; exact runner rules only when asked. It judges commands
//!   by what their approved uses did, and keeps a rule only when a replay with it added
//!   saves enough prompts.
//! - [`scope`] groups calls by project (one proposal each), merges the proposals for one
//!   display, and numbers the rules for `--pick` / `--exclude`.
//! - [`summary`] keeps the calls the suggester reads compactly (calls alike kept once, with
//!   their count and sessions), one set of sessions at a time, so that `permstat suggest`
//!   and the report's suggested rules need memory for the distinct commands only.
//! - [`mod@friction`] reads the left-out candidates for what no safe rule removes, with advice.
//! - [`writer::plan_write`] / [`writer::apply`] merge rules into a settings file: the original
//!   bytes are kept (the new entries are spliced in), a backup is written, the write is atomic,
//!   and a file changed since it was read is refused.
//! - [`audit::audit`] reports, for every loaded rule, its kind, how many calls it decided and
//!   what is wrong with it (stale, subsumed, never matches, dangerous, runs project code,
//!   carries a secret, shadowed), and the settings that could not be read.
//!
//! [`safety`] holds the shared tables ("never" lists, read-only subcommands, risky options,
//! volatile values, MCP name words) and the kind of a rule ([`safety::rule_class`]); the
//! runner table itself is a fact ([`crate::facts::runners`]). Transcript text is only ever
//! data here: nothing is run through a shell.

pub mod audit;
pub mod candidates;
pub mod friction;
pub mod safety;
pub mod scope;
pub mod summary;
pub mod writer;

pub use audit::{
    Audit, AuditSummary, Finding, FindingKind, Problem, RuleAudit, audit, fails_on_dangerous,
    has_dangerous, has_findings,
};
pub use candidates::{
    Answers, LeftOut, Proposal, Reason, RuleForm, SuggestOptions, Suggested, suggest,
    suggest_answered, suggest_with,
};
pub use friction::{Friction, friction};
pub use scope::{
    Choice, DeveloperSaving, Placement, TeamRule, choose, group_by, is_chosen, merge_left_out,
    place,
};
pub use summary::{Rows, Summary, Weight, Weights};
pub use writer::{WriteError, WritePlan, apply, plan_write};

use crate::permissions::settings::Source;
use std::path::{Path, PathBuf};

/// The file name proposed rules are attributed to when they are replayed.
pub const PROPOSED_FILE: &str = "<proposed>";

/// The settings source proposed rules are replayed under.
pub fn proposed_source() -> Source {
    Source::Cli(PathBuf::from(PROPOSED_FILE))
}

/// The file path proposed rules are replayed under.
pub fn proposed_path() -> &'static Path {
    Path::new(PROPOSED_FILE)
}

/// Builders shared by the tests of this module.
#[cfg(test)]
pub(crate) mod testutil {
    use crate::event::{Mode, Outcome, ToolCall, ToolInput};
    use crate::permissions::settings::{Policy, Roots, Source};
    use crate::text::url::domain_of;
    use std::path::Path;
    use std::sync::Arc;

    /// The working folder of every test call.
    pub const CWD: &str = "/work/proj";

    /// A call of `tool` in `session`; `arg` is the command (Bash), URL (WebFetch) or unused.
    pub fn call(n: usize, session: &str, tool: &str, arg: &str, outcome: Outcome) -> ToolCall {
        let mut input = ToolInput::default();
        match tool {
            "Bash" | "Monitor" => input.command = Some(arg.to_string()),
            "WebFetch" => {
                input.url = Some(arg.to_string());
                input.domain = domain_of(arg);
            }
            "Edit" | "Write" | "Read" => input.path = Some(arg.to_string()),
            _ => {}
        }
        ToolCall {
            id: format!("toolu_{n}"),
            session_id: Arc::from(session),
            project: Some(Arc::from(CWD)),
            file: Arc::from(format!("/t/{session}.jsonl").as_str()),
            agent_id: None,
            tool: tool.to_string(),
            input,
            message_id: None,
            asked_ms: Some(1_700_000_000_000 + n as i64),
            answered_ms: Some(1_700_000_000_500 + n as i64),
            mode: Some(Mode::Default),
            version: None,
            entrypoint: None,
            git_branch: None,
            developer: None,
            outcome,
            denial_kind: None,
            verified: true,
            reason: None,
            recorded: None,
        }
    }

    /// A Bash call.
    pub fn bash(n: usize, session: &str, command: &str, outcome: Outcome) -> ToolCall {
        call(n, session, "Bash", command, outcome)
    }

    /// A policy made of one project settings text.
    pub fn policy(json: &str) -> Policy {
        let roots = Roots::new(Path::new(CWD), Path::new("/home/u"));
        let path = Path::new(CWD).join(".claude/settings.json");
        let (p, w) = Policy::from_json_str(roots, Source::Project, &path, json);
        assert!(
            w.iter()
                .all(|w| w.kind != crate::permissions::settings::WarningKind::Broken),
            "{w:?}"
        );
        p
    }
}
