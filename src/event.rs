//! The tool-call table: one row per tool call, the shape every later stage reads.
//!
//! The scanner (`crate::transcript`) fills it; the permission replay, the analyses and the
//! reports only read it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// The permission mode in force when a call was made.
///
/// Transcripts write `default`, `acceptEdits`, `plan`, `auto`, `dontAsk` and
/// `bypassPermissions`; `manual` (the 2.1.200+ name of `default`) is read as `Default`.
/// Any other string is kept as written in [`Mode::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum Mode {
    /// Ask for everything that is not read-only or allowed by a rule.
    Default,
    /// File edits (and a few file commands) inside the working folders run unasked.
    AcceptEdits,
    /// Read-only planning mode.
    Plan,
    /// A classifier decides instead of a person.
    Auto,
    /// Whatever would prompt is denied.
    DontAsk,
    /// Everything runs, except what deny or ask rules catch.
    BypassPermissions,
    /// A mode string this build does not know, kept verbatim.
    Other(String),
}

impl Mode {
    /// Parses the value of a `permissionMode` field.
    pub fn parse(s: &str) -> Mode {
        match s {
            "default" | "manual" => Mode::Default,
            "acceptEdits" => Mode::AcceptEdits,
            "plan" => Mode::Plan,
            "auto" => Mode::Auto,
            "dontAsk" => Mode::DontAsk,
            "bypassPermissions" => Mode::BypassPermissions,
            other => Mode::Other(other.to_string()),
        }
    }

    /// The name as Claude Code writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Mode::Default => "default",
            Mode::AcceptEdits => "acceptEdits",
            Mode::Plan => "plan",
            Mode::Auto => "auto",
            Mode::DontAsk => "dontAsk",
            Mode::BypassPermissions => "bypassPermissions",
            Mode::Other(s) => s,
        }
    }
}

impl From<String> for Mode {
    fn from(s: String) -> Mode {
        Mode::parse(&s)
    }
}

impl From<Mode> for String {
    fn from(m: Mode) -> String {
        m.as_str().to_string()
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What became of a tool call, as far as the transcript shows.
///
/// See `docs/outcomes.md` for the texts behind each value and which ones are inferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The tool ran and returned its output.
    Ran,
    /// The tool ran (or tried to) and failed: not a permission decision.
    ToolError,
    /// A person answered "No" on the permission dialog.
    UserRejected,
    /// A person answered "No" and typed what to do instead.
    UserRejectedWithFeedback,
    /// A person rejected a call made by a subagent.
    SubagentRejected,
    /// A sibling call cancelled because another call of the same message was rejected.
    Cancelled,
    /// Esc while tools ran: the rejection text, but no dialog could have been shown.
    Interrupted,
    /// A deny rule in the settings blocked the call.
    RuleDenied,
    /// `dontAsk` mode denied what would have prompted.
    DontaskDenied,
    /// A PreToolUse or PermissionRequest hook blocked the call.
    HookDenied,
    /// The auto-mode classifier blocked the call.
    AutomodeBlocked,
    /// The auto-mode classifier could not be reached, so the call was denied.
    AutomodeUnavailable,
    /// A headless (`-p`) run or background agent needed approval that nobody could give.
    HeadlessUnanswered,
    /// No result was recorded (session ended, crashed, or the dialog was still open).
    Unresolved,
}

impl Outcome {
    /// Every outcome, in the order reports list them.
    pub const ALL: [Outcome; 14] = [
        Outcome::Ran,
        Outcome::ToolError,
        Outcome::UserRejected,
        Outcome::UserRejectedWithFeedback,
        Outcome::SubagentRejected,
        Outcome::Cancelled,
        Outcome::Interrupted,
        Outcome::RuleDenied,
        Outcome::DontaskDenied,
        Outcome::HookDenied,
        Outcome::AutomodeBlocked,
        Outcome::AutomodeUnavailable,
        Outcome::HeadlessUnanswered,
        Outcome::Unresolved,
    ];

    /// The snake_case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ran => "ran",
            Outcome::ToolError => "tool_error",
            Outcome::UserRejected => "user_rejected",
            Outcome::UserRejectedWithFeedback => "user_rejected_with_feedback",
            Outcome::SubagentRejected => "subagent_rejected",
            Outcome::Cancelled => "cancelled",
            Outcome::Interrupted => "interrupted",
            Outcome::RuleDenied => "rule_denied",
            Outcome::DontaskDenied => "dontask_denied",
            Outcome::HookDenied => "hook_denied",
            Outcome::AutomodeBlocked => "automode_blocked",
            Outcome::AutomodeUnavailable => "automode_unavailable",
            Outcome::HeadlessUnanswered => "headless_unanswered",
            Outcome::Unresolved => "unresolved",
        }
    }

    /// True when the tool was executed (successfully or not).
    pub fn executed(self) -> bool {
        matches!(self, Outcome::Ran | Outcome::ToolError)
    }

    /// True when a person said "no" on a dialog.
    pub fn is_user_rejection(self) -> bool {
        matches!(
            self,
            Outcome::UserRejected | Outcome::UserRejectedWithFeedback | Outcome::SubagentRejected
        )
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part of a tool's input that permission rules look at.
///
/// Large fields (file contents, edit strings, prompts) are never kept. Every field is always
/// serialized (the incremental cache uses a positional binary format).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ToolInput {
    /// `command` of Bash, PowerShell and Monitor.
    pub command: Option<String>,
    /// `file_path` (Read, Edit, Write), `notebook_path` (NotebookEdit) or `path` (Grep, Glob, LS).
    pub path: Option<String>,
    /// `url` of WebFetch.
    pub url: Option<String>,
    /// Host name of `url`, lower-cased, trailing dot removed.
    pub domain: Option<String>,
    /// `subagent_type` of Agent / Task.
    pub subagent_type: Option<String>,
    /// `skill` of Skill (its arguments, if any, are in `params` as `args`).
    pub skill: Option<String>,
    /// Other top-level scalar parameters (for `Tool(param:value)` rules), values as text.
    pub params: Vec<(String, String)>,
}

impl ToolInput {
    /// The value of a top-level scalar parameter, including the named fields above.
    pub fn param(&self, name: &str) -> Option<&str> {
        let named = match name {
            "command" => self.command.as_deref(),
            "file_path" | "notebook_path" | "path" => self.path.as_deref(),
            "url" => self.url.as_deref(),
            "subagent_type" => self.subagent_type.as_deref(),
            "skill" => self.skill.as_deref(),
            _ => None,
        };
        named.or_else(|| {
            self.params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        })
    }
}

/// One tool call, joined with its result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ToolCall {
    /// `tool_use.id`: unique per call, the key calls are deduplicated by.
    pub id: String,
    /// Session UUID (for subagents, the parent session).
    pub session_id: Arc<str>,
    /// The session's working folder (`cwd` of the line), never decoded from a folder name.
    pub project: Option<Arc<str>>,
    /// The transcript file the call was read from.
    pub file: Arc<str>,
    /// `None` for the main thread; the subagent's id otherwise.
    pub agent_id: Option<Arc<str>>,
    /// Tool name as recorded (`Task` is kept as `Task`).
    pub tool: String,
    /// What permissions look at.
    pub input: ToolInput,
    /// `message.id` of the assistant message that holds the call (siblings share it).
    pub message_id: Option<String>,
    /// When the call was made (the `tool_use` line), ms since the Unix epoch.
    pub asked_ms: Option<i64>,
    /// When the result was written (the `tool_result` line), ms since the Unix epoch.
    pub answered_ms: Option<i64>,
    /// The permission mode in force when the call was made (`None`: not known).
    pub mode: Option<Mode>,
    /// Claude Code version of the line.
    pub version: Option<Arc<str>>,
    /// `entrypoint` of the line (`cli`, `sdk-cli`, ...).
    pub entrypoint: Option<Arc<str>>,
    /// `gitBranch` of the line: the branch checked out in the session's folder.
    pub git_branch: Option<Arc<str>>,
    /// The developer whose history the call comes from, in team mode (`--team`, `--label`);
    /// `None` otherwise. Set when the table is loaded, from the folder the file was found
    /// in: never stored in the incremental cache, so renaming a developer cannot go stale.
    #[serde(skip)]
    pub developer: Option<Arc<str>>,
    /// What happened.
    pub outcome: Outcome,
    /// `toolDenialKind` as written, when present.
    pub denial_kind: Option<String>,
    /// False when the outcome rests on a text an MCP server could have written itself.
    pub verified: bool,
    /// Classifier reason, or the feedback a person typed with a rejection.
    pub reason: Option<String>,
    /// A permission decision that a record made at the time shows for this call (a logged
    /// prompt, an OpenTelemetry `tool_decision` event, a hook decision attachment, a
    /// stream-json `permission_decision`); `None` when no record covers it.
    pub recorded: Option<RecordedDecision>,
}

/// Where a recorded permission decision comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordSource {
    /// permstat's own `PermissionRequest` hook log (`permstat hook`).
    PromptLog,
    /// Claude Code's OpenTelemetry `claude_code.tool_decision` log events.
    Otel,
    /// A `hook_permission_decision` attachment line in the transcript.
    HookAttachment,
    /// `tool_result_meta[].permission_decision` in a `--output-format stream-json` capture.
    StreamJson,
}

impl RecordSource {
    /// The snake_case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordSource::PromptLog => "prompt_log",
            RecordSource::Otel => "otel",
            RecordSource::HookAttachment => "hook_attachment",
            RecordSource::StreamJson => "stream_json",
        }
    }
}

/// A permission decision recorded for one call when it happened, as opposed to one inferred
/// by replaying settings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecordedDecision {
    /// The record it comes from.
    pub source: RecordSource,
    /// True when the record shows a person was shown a dialog for the call, false when it
    /// shows the call was decided without one (by a rule, the mode, a grant or a hook);
    /// `None` when the record does not say.
    pub prompted: Option<bool>,
    /// The decision as recorded (`accept`, `reject`, `allow`, `deny`, ...), if any.
    pub decision: Option<String>,
    /// The record's own reason or source words (OpenTelemetry `source`, stream-json
    /// `source`/`reason_type`), kept verbatim.
    pub detail: Option<String>,
}

impl ToolCall {
    /// Milliseconds between the call and its result, when both are known.
    pub fn gap_ms(&self) -> Option<i64> {
        Some(self.answered_ms? - self.asked_ms?)
    }

    /// True for calls made inside a subagent.
    pub fn is_subagent(&self) -> bool {
        self.agent_id.is_some()
    }
}
