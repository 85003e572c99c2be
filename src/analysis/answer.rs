//! What a tool call meant for the person at the keyboard.
//!
//! The transcript records how a call ended ([`Outcome`]) but never whether a permission
//! dialog was shown: an approval leaves only the tool's normal output behind. The replay of
//! Claude Code's permission logic supplies the missing half as a [`Gate`], and [`answer`]
//! combines the two.
//!
//! The two halves differ in how sure they are:
//! - [`Answer::Rejected`] rests on a text Claude Code writes only when someone said "No", so
//!   it needs no inference (the gate is ignored).
//! - [`Answer::Approved`] is inferred: the call ran, and the replay says that, under the
//!   settings it knows, Claude Code would have asked first. If the settings changed since, or
//!   the person had clicked "don't ask again" earlier in the session, a call counted as
//!   approved may have run unasked.

use crate::event::Outcome;
use serde::Serialize;
use std::fmt;

/// The replay's verdict for a call, reduced to what the analyses need (the replay engine maps
/// onto this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Runs without asking: read-only built-ins, the mode, or a tool that never asks.
    AutoAllowed,
    /// An allow rule in the settings covers the call.
    AllowedByRule,
    /// Nothing allows the call, so Claude Code shows a dialog.
    WouldPrompt,
    /// An ask rule forces a dialog.
    AskRule,
    /// A deny rule blocks the call before any dialog.
    DeniedByRule,
    /// `dontAsk` mode turns what would prompt into a denial.
    #[serde(rename = "dontask_denied")]
    DontAskDenied,
    /// Auto mode: the classifier decides instead of a person.
    Classifier,
    /// The replay could not decide (unknown mode, unknown tool, missing input, ...).
    Unknown,
}

impl Gate {
    /// Every gate, in declaration order.
    pub const ALL: [Gate; 8] = [
        Gate::AutoAllowed,
        Gate::AllowedByRule,
        Gate::WouldPrompt,
        Gate::AskRule,
        Gate::DeniedByRule,
        Gate::DontAskDenied,
        Gate::Classifier,
        Gate::Unknown,
    ];

    /// True when Claude Code would show a dialog for the call.
    /// The snake_case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Gate::AutoAllowed => "auto_allowed",
            Gate::AllowedByRule => "allowed_by_rule",
            Gate::WouldPrompt => "would_prompt",
            Gate::AskRule => "ask_rule",
            Gate::DeniedByRule => "denied_by_rule",
            Gate::DontAskDenied => "dontask_denied",
            Gate::Classifier => "classifier",
            Gate::Unknown => "unknown",
        }
    }

    pub fn prompts(self) -> bool {
        matches!(self, Gate::WouldPrompt | Gate::AskRule)
    }
}

/// What a call means for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// A dialog was answered "Yes" (inferred: the call ran and the replay says it prompts).
    Approved,
    /// A dialog was answered "No" (certain: the rejection text is only written then).
    Rejected,
    /// A deny rule blocked the call; nobody was asked.
    RuleDenied,
    /// The auto-mode classifier blocked the call; nobody was asked.
    ClassifierBlocked,
    /// The classifier could not be reached, so the call was denied; nobody was asked.
    ClassifierUnavailable,
    /// `dontAsk` mode denied the call; nobody was asked.
    #[serde(rename = "dontask_denied")]
    DontAskDenied,
    /// A hook denied the call; nobody was asked.
    HookDenied,
    /// A headless run or background agent needed an answer nobody could give.
    Headless,
    /// The call ran without a dialog (mode, built-in read-only set, or an allow rule).
    AutoAllowed,
    /// The call ran because the auto-mode classifier allowed it.
    ClassifierAllowed,
    /// A sibling of a rejected call, cancelled without a dialog of its own.
    Cancelled,
    /// Esc while tools ran: no dialog was involved.
    Interrupted,
    /// Nothing can be said: no result was written, or the call ran although the replay says
    /// it would have been denied or cannot decide.
    Unresolved,
    /// The tool failed although the replay says Claude Code would have denied it: the failure
    /// came first (Claude Code validates a tool's input before it checks permissions), so
    /// no dialog and no denial happened.
    ToolFailedUnprompted,
}

impl Answer {
    /// Every answer, in declaration order.
    pub const ALL: [Answer; 14] = [
        Answer::Approved,
        Answer::Rejected,
        Answer::RuleDenied,
        Answer::ClassifierBlocked,
        Answer::ClassifierUnavailable,
        Answer::DontAskDenied,
        Answer::HookDenied,
        Answer::Headless,
        Answer::AutoAllowed,
        Answer::ClassifierAllowed,
        Answer::Cancelled,
        Answer::Interrupted,
        Answer::Unresolved,
        Answer::ToolFailedUnprompted,
    ];

    /// The snake_case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Approved => "approved",
            Answer::Rejected => "rejected",
            Answer::RuleDenied => "rule_denied",
            Answer::ClassifierBlocked => "classifier_blocked",
            Answer::ClassifierUnavailable => "classifier_unavailable",
            Answer::DontAskDenied => "dontask_denied",
            Answer::HookDenied => "hook_denied",
            Answer::Headless => "headless",
            Answer::AutoAllowed => "auto_allowed",
            Answer::ClassifierAllowed => "classifier_allowed",
            Answer::Cancelled => "cancelled",
            Answer::Interrupted => "interrupted",
            Answer::Unresolved => "unresolved",
            Answer::ToolFailedUnprompted => "tool_failed_unprompted",
        }
    }

    /// True when a person answered a dialog (approved or rejected): what "prompts" counts.
    pub fn is_prompt(self) -> bool {
        matches!(self, Answer::Approved | Answer::Rejected)
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Combines how a call ended with the replay's verdict.
///
/// - Rejections (`user_rejected`, `user_rejected_with_feedback`, `subagent_rejected`) are
///   [`Answer::Rejected`] whatever the gate: a person said no.
/// - Denials nobody answered (rule, classifier, classifier unavailable, dontAsk, hook,
///   headless) and `cancelled`, `interrupted`, `unresolved` keep their own answer.
/// - An executed call (`ran` or `tool_error`; a failing command is still a "yes") is
///   [`Answer::Approved`] when the gate prompts (`WouldPrompt`, `AskRule`),
///   [`Answer::AutoAllowed`] under `AutoAllowed`/`AllowedByRule`, and
///   [`Answer::ClassifierAllowed`] under `Classifier`.
/// - An executed call the replay would have denied (`DeniedByRule`, `DontAskDenied`) is
///   [`Answer::ToolFailedUnprompted`] when it failed (the failure came before the permission
///   check) and [`Answer::Unresolved`] when it ran (the replay disagrees with the
///   transcript); under `Unknown` it is [`Answer::Unresolved`].
pub fn answer(outcome: Outcome, gate: Gate) -> Answer {
    match outcome {
        Outcome::UserRejected | Outcome::UserRejectedWithFeedback | Outcome::SubagentRejected => {
            Answer::Rejected
        }
        Outcome::RuleDenied => Answer::RuleDenied,
        Outcome::AutomodeBlocked => Answer::ClassifierBlocked,
        Outcome::AutomodeUnavailable => Answer::ClassifierUnavailable,
        Outcome::DontaskDenied => Answer::DontAskDenied,
        Outcome::HookDenied => Answer::HookDenied,
        Outcome::HeadlessUnanswered => Answer::Headless,
        Outcome::Cancelled => Answer::Cancelled,
        Outcome::Interrupted => Answer::Interrupted,
        Outcome::Unresolved => Answer::Unresolved,
        Outcome::Ran | Outcome::ToolError => match gate {
            Gate::WouldPrompt | Gate::AskRule => Answer::Approved,
            Gate::AutoAllowed | Gate::AllowedByRule => Answer::AutoAllowed,
            Gate::Classifier => Answer::ClassifierAllowed,
            Gate::DeniedByRule | Gate::DontAskDenied if outcome == Outcome::ToolError => {
                Answer::ToolFailedUnprompted
            }
            Gate::DeniedByRule | Gate::DontAskDenied | Gate::Unknown => Answer::Unresolved,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Answer as A;
    use Gate as G;
    use Outcome as O;

    /// Outcomes whose answer does not depend on the gate.
    const FIXED: [(Outcome, Answer); 12] = [
        (O::UserRejected, A::Rejected),
        (O::UserRejectedWithFeedback, A::Rejected),
        (O::SubagentRejected, A::Rejected),
        (O::Cancelled, A::Cancelled),
        (O::Interrupted, A::Interrupted),
        (O::RuleDenied, A::RuleDenied),
        (O::DontaskDenied, A::DontAskDenied),
        (O::HookDenied, A::HookDenied),
        (O::AutomodeBlocked, A::ClassifierBlocked),
        (O::AutomodeUnavailable, A::ClassifierUnavailable),
        (O::HeadlessUnanswered, A::Headless),
        (O::Unresolved, A::Unresolved),
    ];

    /// Executed calls: gate → (answer when ran, answer when tool_error).
    const EXECUTED: [(Gate, Answer, Answer); 8] = [
        (G::AutoAllowed, A::AutoAllowed, A::AutoAllowed),
        (G::AllowedByRule, A::AutoAllowed, A::AutoAllowed),
        (G::WouldPrompt, A::Approved, A::Approved),
        (G::AskRule, A::Approved, A::Approved),
        (G::DeniedByRule, A::Unresolved, A::ToolFailedUnprompted),
        (G::DontAskDenied, A::Unresolved, A::ToolFailedUnprompted),
        (G::Classifier, A::ClassifierAllowed, A::ClassifierAllowed),
        (G::Unknown, A::Unresolved, A::Unresolved),
    ];

    #[test]
    fn table_covers_every_outcome_and_gate() {
        for (o, want) in FIXED {
            for g in Gate::ALL {
                assert_eq!(answer(o, g), want, "{o:?} {g:?}");
            }
        }
        for (g, ran, err) in EXECUTED {
            assert_eq!(answer(O::Ran, g), ran, "ran {g:?}");
            assert_eq!(answer(O::ToolError, g), err, "tool_error {g:?}");
        }
        let covered: Vec<Outcome> = FIXED
            .iter()
            .map(|(o, _)| *o)
            .chain([O::Ran, O::ToolError])
            .collect();
        for o in Outcome::ALL {
            assert!(covered.contains(&o), "{o:?} not in the table");
        }
    }

    #[test]
    fn prompts_are_approved_or_rejected() {
        for a in Answer::ALL {
            assert_eq!(a.is_prompt(), matches!(a, A::Approved | A::Rejected));
        }
        assert_eq!(
            serde_json::to_string(&A::ToolFailedUnprompted).unwrap(),
            "\"tool_failed_unprompted\""
        );
        for a in Answer::ALL {
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.as_str())
            );
        }
    }
}
