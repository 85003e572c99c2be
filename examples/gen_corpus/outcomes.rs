//! Outcome texts (docs/outcomes.md): the texts Claude Code writes when a call is rejected,
//! cancelled, interrupted or denied; what each generated result is ([`Res`]); and the
//! ground truth counted while writing ([`Gt`]).

use crate::json::J;
use std::collections::BTreeMap;

/// The "No" text (`user_rejected`).
pub(crate) const REJECT: &str = "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";
/// The "No" text with feedback, up to the feedback (`user_rejected_with_feedback`).
pub(crate) const REJECT_FEEDBACK_PREFIX: &str = "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). To tell you how to proceed, the user said:\n";
/// A rejection inside a subagent (`subagent_rejected`).
pub(crate) const SUBAGENT_REJECT: &str = "Permission for this tool use was denied. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). Try a different approach or report the limitation to complete your task.";
/// A rejection inside a subagent with feedback, up to the feedback.
pub(crate) const SUBAGENT_REJECT_FEEDBACK_PREFIX: &str = "Permission for this tool use was denied. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). The user said:\n";
/// A sibling of a rejected call, cancelled without a dialog of its own (`cancelled`).
pub(crate) const CANCEL: &str = "The user doesn't want to take this action right now. STOP what you are doing and wait for the user to tell you how to proceed.";
/// What newer versions append to a rejection.
pub(crate) const MEMORY_HINT: &str = "\n\nNote: The user's next message may contain a correction or preference. Pay close attention — if they explain what went wrong or how they'd prefer you to work, consider saving that to memory for future sessions.";
/// The advice inside auto mode's block texts.
pub(crate) const WORKAROUND: &str = "IMPORTANT: You *may* attempt to accomplish this action using other tools that might naturally be used to accomplish this goal, e.g. using head instead of cat. But you *should not* attempt to work around this denial in malicious ways, e.g. do not use your ability to run tests to execute non-test actions. You should only try to work around this restriction in reasonable ways that do not attempt to bypass the intent behind this denial. If you believe this capability is essential to complete the user's request, STOP and explain to the user what you were trying to do and why you need this permission. Let the user decide how to proceed.";
/// The `toolUseResult` string that can come with the "No" text (always with an Esc interrupt).
pub(crate) const SYNTH: &str = "User rejected tool use";
/// The marker written when Esc stops running tools.
pub(crate) const INTERRUPT_TOOL: &str = "[Request interrupted by user for tool use]";
/// The marker written when Esc stops a response.
pub(crate) const INTERRUPT: &str = "[Request interrupted by user]";
/// A call not run because a safety classifier stopped its response (`cancelled`).
pub(crate) const SAFETY_STOP: &str =
    "Not run: the response that made this tool call was stopped by a safety classifier.";

/// Every outcome name, in the order the ground truth lists them.
pub(crate) const OUTCOMES: [&str; 14] = [
    "ran",
    "tool_error",
    "user_rejected",
    "user_rejected_with_feedback",
    "subagent_rejected",
    "cancelled",
    "interrupted",
    "rule_denied",
    "dontask_denied",
    "hook_denied",
    "automode_blocked",
    "automode_unavailable",
    "headless_unanswered",
    "unresolved",
];

/// Feedback given with a "No".
pub(crate) const FEEDBACK: &[&str] = &[
    "no, don't touch the lockfile",
    "use the existing helper instead of adding a new one",
    "wait, first explain why this is needed",
    "run the tests first",
    "that's the wrong file, the logic lives in the parser module",
    "please don't push yet, I want to review the diff",
    "keep node_modules, just clear the cache",
    "no, let's keep the old behaviour behind a flag",
    "make the change smaller, only fix the off-by-one",
    "don't delete it, move it to the archive folder",
    "use rg instead of grep",
    "why would the base commit be empty here?",
];

/// Prompts that redirect the agent after a "No".
pub(crate) const REDIRECTS: &[&str] = &[
    "no, don't do that",
    "stop, let's not delete anything",
    "hold on. just show me the diff first",
    "don't push, I'll do it myself",
    "wait — use the staging config, not prod",
    "no. revert that and explain what you were going to do",
    "let's pause here, I want to look at this myself",
];

/// What a tool call's result will be. Each maps to exactly one outcome.
#[derive(Clone, Debug)]
pub(crate) enum Res {
    Ran,
    Err,
    /// [`REJECT`]; `synth` writes `toolUseResult: "User rejected tool use"`.
    Reject {
        synth: bool,
    },
    /// [`REJECT_FEEDBACK_PREFIX`] with the feedback.
    RejectFb(String),
    /// [`CANCEL`], a sibling of a rejected call.
    Cancel,
    /// [`REJECT`] with [`SYNTH`] where no dialog could be open (Esc); `kind_ur` tags it
    /// `user-rejected` in era C (refined by the text to `interrupted`).
    Interrupt {
        kind_ur: bool,
    },
    Rule(String),
    DontAsk,
    /// A background agent that cannot prompt (`headless_unanswered`).
    BgDeny,
    /// A headless run's text (`headless_unanswered`).
    Headless(String),
    /// A hook denial text, and whether era C tags it `permission-rule`.
    Hook(String, bool),
    AutoBlock(String),
    AutoUnavail(String),
    /// [`SAFETY_STOP`] with `toolDenialKind: cancelled`.
    SafetyCancel,
    /// [`SUBAGENT_REJECT`] (with feedback when Some).
    SubReject(Option<String>),
    /// An MCP server's own error text that reads like a rule denial.
    McpServerDeny(String),
    Unresolved,
}

impl Res {
    pub(crate) fn outcome(&self) -> &'static str {
        match self {
            Res::Ran => "ran",
            Res::Err => "tool_error",
            Res::Reject { .. } => "user_rejected",
            Res::RejectFb(_) => "user_rejected_with_feedback",
            Res::Cancel | Res::SafetyCancel => "cancelled",
            Res::Interrupt { .. } => "interrupted",
            Res::Rule(_) | Res::McpServerDeny(_) => "rule_denied",
            Res::DontAsk => "dontask_denied",
            Res::BgDeny | Res::Headless(_) => "headless_unanswered",
            Res::Hook(..) => "hook_denied",
            Res::AutoBlock(_) => "automode_blocked",
            Res::AutoUnavail(_) => "automode_unavailable",
            Res::SubReject(_) => "subagent_rejected",
            Res::Unresolved => "unresolved",
        }
    }
    pub(crate) fn is_denial(&self) -> bool {
        !matches!(self, Res::Ran | Res::Err | Res::Unresolved)
    }
    pub(crate) fn ends_turn(&self) -> bool {
        matches!(
            self,
            Res::Reject { .. } | Res::Interrupt { .. } | Res::Cancel
        )
    }
}

#[derive(Default)]
pub(crate) struct Gt {
    pub(crate) files: u64,
    pub(crate) compaction_files: u64,
    pub(crate) sessions: u64,
    pub(crate) lines: u64,
    pub(crate) bytes: u64,
    pub(crate) compaction_bytes: u64,
    pub(crate) tool_calls: u64,
    pub(crate) subagent_calls: u64,
    pub(crate) by_tool: BTreeMap<String, u64>,
    pub(crate) outcomes: BTreeMap<String, u64>,
    pub(crate) modes: BTreeMap<String, u64>,
    pub(crate) mode_lines: u64,
    pub(crate) unverified: u64,
}

impl Gt {
    pub(crate) fn merge(&mut self, o: &Gt) {
        self.files += o.files;
        self.compaction_files += o.compaction_files;
        self.sessions += o.sessions;
        self.lines += o.lines;
        self.bytes += o.bytes;
        self.compaction_bytes += o.compaction_bytes;
        self.tool_calls += o.tool_calls;
        self.subagent_calls += o.subagent_calls;
        for (k, v) in &o.by_tool {
            *self.by_tool.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.outcomes {
            *self.outcomes.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.modes {
            *self.modes.entry(k.clone()).or_default() += v;
        }
        self.mode_lines += o.mode_lines;
        self.unverified += o.unverified;
    }
    pub(crate) fn to_json(&self) -> J {
        let mut outcomes = J::Obj(vec![]);
        for k in OUTCOMES {
            outcomes.push(k, *self.outcomes.get(k).unwrap_or(&0));
        }
        let map = |m: &BTreeMap<String, u64>| {
            J::Obj(m.iter().map(|(k, v)| (k.clone(), J::from(*v))).collect())
        };
        obj! {
            "files" => self.files,
            "compaction_files" => self.compaction_files,
            "sessions" => self.sessions,
            "lines" => self.lines,
            "bytes" => self.bytes,
            "tool_calls" => self.tool_calls,
            "subagent_calls" => self.subagent_calls,
            "by_tool" => map(&self.by_tool),
            "outcomes" => outcomes,
            "modes" => map(&self.modes),
            "mode_lines" => self.mode_lines,
            "unverified_denials" => self.unverified,
        }
    }
}
