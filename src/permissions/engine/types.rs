//! The call to decide and the decision: verdicts, why a call prompts or runs unasked, part
//! verdicts of compound commands, and the rule that decided.

use crate::event::{Mode, ToolInput};
use crate::permissions::settings::{LoadedRule, Source, kind_name};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One tool call to decide.
#[derive(Debug, Clone, Copy)]
pub struct CallCtx<'a> {
    /// Tool name as recorded (`Task` allowed).
    pub tool: &'a str,
    /// What permissions look at.
    pub input: &'a ToolInput,
    /// The session's working folder at the call (`None`: the policy's starting folder).
    pub cwd: Option<&'a Path>,
    /// The recorded permission mode (`None`: the policy's `defaultMode`, else `default`).
    pub mode: Option<&'a Mode>,
}

/// A rule that decided (or helped decide) a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    /// `allow`, `ask` or `deny`.
    pub kind: &'static str,
    /// The rule as written.
    pub text: String,
    /// Its settings level.
    pub source: Source,
    /// Its file.
    pub file: PathBuf,
}

impl RuleRef {
    /// The reference to a loaded rule.
    pub(super) fn of(r: &LoadedRule) -> RuleRef {
        RuleRef {
            kind: kind_name(r.kind),
            text: r.text.clone(),
            source: r.source.clone(),
            file: r.file.clone(),
        }
    }
}

/// Why a call runs without a prompt although no allow rule matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AutoWhy {
    /// A read-only tool (Read, Grep, Glob, LSP) on a path inside the working folders.
    ReadOnlyTool,
    /// A tool that never prompts (TodoWrite, Agent, Task*, ...).
    NeverPrompts,
    /// The built-in read-only Bash entry that covers every part (the first part's entry).
    BuiltinReadOnly(&'static str),
    /// The mode runs it (`acceptEdits` edits and file commands, `bypassPermissions`).
    Mode(Mode),
    /// The tool is itself a question to the user (`AskUserQuestion`).
    InteractionTool,
    /// A file Claude Code writes for itself (plan files).
    InternalFile,
}

/// Why a call would show a permission prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PromptWhy {
    /// Nothing allows it.
    NoRule,
    /// A read or write outside the working folders.
    OutsideWorkingDirs(PathBuf),
    /// A write to a protected folder or file (allow rules never cover it).
    Protected(String),
    /// A Bash/PowerShell part no allow rule or read-only entry covers (its text).
    Uncovered(String),
    /// A part no allow rule may cover (substitution, subshell, parse failure, ...).
    Opaque(String),
    /// Read-only parts whose combination still prompts (`cd` + `git`, ...).
    CompoundReadOnly(&'static str),
    /// An output redirect target that needs approval.
    Redirect(String),
    /// `rm`/`rmdir` of a critical path (prompts even in `bypassPermissions`).
    CriticalRm(String),
    /// The input lacks the field the decision needs.
    MissingInput(&'static str),
}

impl std::fmt::Display for PromptWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PromptWhy::NoRule => f.write_str("no rule allows it"),
            PromptWhy::OutsideWorkingDirs(p) => {
                write!(f, "outside the working folders: {}", p.display())
            }
            PromptWhy::Protected(w) => write!(f, "{w}"),
            PromptWhy::Uncovered(t) => write!(f, "not covered: {t}"),
            PromptWhy::Opaque(w) => write!(f, "no allow rule may cover it: {w}"),
            PromptWhy::CompoundReadOnly(w) => write!(f, "read-only parts, but {w}"),
            PromptWhy::Redirect(t) => write!(f, "output redirection to '{t}' needs approval"),
            PromptWhy::CriticalRm(w) => write!(f, "removal of a critical path: {w}"),
            PromptWhy::MissingInput(w) => write!(f, "no {w} recorded"),
        }
    }
}

/// The outcome of the permission logic for one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Runs without a prompt and without a rule.
    AutoAllowed(AutoWhy),
    /// An allow rule covers it.
    AllowedByRule,
    /// An ask rule matched: a prompt in every mode but `dontAsk`.
    AskRule,
    /// A permission prompt would be shown.
    WouldPrompt(PromptWhy),
    /// A deny rule blocks it.
    DeniedByRule,
    /// `dontAsk` mode denies what would have prompted.
    DontAskDenied,
    /// Auto mode: the classifier decides.
    Classifier,
}

impl Verdict {
    /// snake_case name used in summaries.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::AutoAllowed(_) => "auto_allowed",
            Verdict::AllowedByRule => "allowed_by_rule",
            Verdict::AskRule => "ask_rule",
            Verdict::WouldPrompt(_) => "would_prompt",
            Verdict::DeniedByRule => "denied_by_rule",
            Verdict::DontAskDenied => "dontask_denied",
            Verdict::Classifier => "classifier",
        }
    }

    /// True when a person would have to answer a permission prompt.
    pub fn prompts(&self) -> bool {
        matches!(self, Verdict::AskRule | Verdict::WouldPrompt(_))
    }

    /// True when the call runs without anyone or anything asked.
    pub fn runs_unasked(&self) -> bool {
        matches!(self, Verdict::AutoAllowed(_) | Verdict::AllowedByRule)
    }
}

/// How one part of a compound Bash (or PowerShell) command fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PartVerdict {
    /// A deny rule matched this part.
    Denied,
    /// An ask rule matched this part.
    Asked,
    /// An allow rule covers it.
    AllowedByRule,
    /// A built-in read-only entry covers it.
    ReadOnly(&'static str),
    /// `acceptEdits` covers it (file command inside the working folders).
    AcceptEdits,
    /// Nothing covers it.
    Uncovered(PromptWhy),
}

/// One part of a compound command and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartDecision {
    /// The part's text (as matched).
    pub text: String,
    /// Its verdict.
    pub verdict: PartVerdict,
    /// The rule involved, if any.
    pub rule: Option<RuleRef>,
}

/// The decision for one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// What happens.
    pub verdict: Verdict,
    /// The deciding rule, if a rule decided.
    pub rule: Option<RuleRef>,
    /// One line on why.
    pub why: String,
    /// Bash/PowerShell: each part's verdict (empty for other tools).
    pub parts: Vec<PartDecision>,
    /// The mode the decision was made in.
    pub mode: Mode,
    /// Assumptions made (unknown mode, missing cwd, ...).
    pub notes: Vec<String>,
}
