//! What a tool call meant for the person at the keyboard: the one definition of every
//! answer (approved, rejected, denied, auto-allowed, ...) and of how each answer is known.
//!
//! The transcript records how a call ended ([`Outcome`]) but never whether a permission
//! dialog was shown: an approval leaves only the tool's normal output behind. So an answer
//! rests on one of two kinds of evidence ([`Basis`]):
//! - [`Basis::Recorded`]: the outcome alone settles it ([`recorded`]). [`Answer::Rejected`]
//!   rests on a text Claude Code writes only when someone said "No"; a denial nobody
//!   answered, a cancelled, interrupted or unresolved call likewise.
//! - [`Basis::Replayed`]: the call executed, and whether Claude Code asked first comes from
//!   replaying today's settings, reduced to a [`Gate`] ([`gate_of`]). [`Answer::Approved`]
//!   is such an inference: if the settings changed since, or the person had clicked "don't
//!   ask again" earlier in the session, a call counted as approved may have run unasked.
//!
//! **Where a source of evidence plugs in.** A consumer takes each call's answer from
//! [`Evidence::answer`], giving it the call and the replay's gate, the fallback every call
//! has. A further source (a prompt log, OpenTelemetry decisions, timing) becomes a field of
//! [`Evidence`], consulted in [`Evidence::answer`] before the gate and answering with its
//! own [`Basis`]; consumers stay as they are.

use crate::event::{Outcome, ToolCall};
use crate::permissions::engine::Verdict;
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

    /// True when Claude Code would show a dialog for the call.
    pub fn prompts(self) -> bool {
        matches!(self, Gate::WouldPrompt | Gate::AskRule)
    }
}

/// The gate of a replayed verdict: the replay's evidence on whether Claude Code asked.
pub fn gate_of(v: &Verdict) -> Gate {
    match v {
        Verdict::AutoAllowed(_) => Gate::AutoAllowed,
        Verdict::AllowedByRule => Gate::AllowedByRule,
        Verdict::AskRule => Gate::AskRule,
        Verdict::WouldPrompt(_) => Gate::WouldPrompt,
        Verdict::DeniedByRule => Gate::DeniedByRule,
        Verdict::DontAskDenied => Gate::DontAskDenied,
        Verdict::Classifier => Gate::Classifier,
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

/// How an answer is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The transcript records it: a text or field Claude Code writes only in that case.
    Recorded,
    /// Only the replay of today's settings says whether Claude Code asked.
    Replayed,
}

/// An answer and how it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Known {
    /// What the call meant for the person.
    pub answer: Answer,
    /// The evidence it rests on.
    pub basis: Basis,
}

/// Every source of evidence on whether Claude Code asked before a call, besides the call's
/// recorded outcome: the one place such a source plugs in (see the module doc).
///
/// The replay is the only source today. It is given per call (the gate passed to
/// [`Evidence::answer`]) because the caller runs and memoizes the replay itself; a source
/// read from elsewhere (a prompt log, OpenTelemetry events) would be held here.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence {
    /// No source but the replay yet; also keeps the struct from being built literally.
    _replay_only: (),
}

impl Evidence {
    /// Evidence from the replay alone.
    pub fn replay_only() -> Self {
        Evidence::default()
    }

    /// What `call` meant for the person, and how that is known, given the gate the replay
    /// of today's settings puts it through.
    pub fn answer(&self, call: &ToolCall, replayed: Gate) -> Known {
        match recorded(call.outcome) {
            Some(answer) => Known {
                answer,
                basis: Basis::Recorded,
            },
            None => Known {
                answer: through_gate(call.outcome, replayed),
                basis: Basis::Replayed,
            },
        }
    }
}

/// The answer a call's outcome settles alone, whatever any source says about the
/// permission check; None for an executed call (`ran` or `tool_error`), whose answer
/// depends on whether Claude Code asked.
///
/// - Rejections (`user_rejected`, `user_rejected_with_feedback`, `subagent_rejected`) are
///   [`Answer::Rejected`]: a person said no.
/// - Denials nobody answered (rule, classifier, classifier unavailable, dontAsk, hook,
///   headless) and `cancelled`, `interrupted`, `unresolved` keep their own answer.
pub fn recorded(outcome: Outcome) -> Option<Answer> {
    Some(match outcome {
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
        Outcome::Ran | Outcome::ToolError => return None,
    })
}

/// The answer of an executed call (`ran` or `tool_error`) that went through `gate`; the
/// rules are listed at [`answer`].
fn through_gate(outcome: Outcome, gate: Gate) -> Answer {
    match gate {
        Gate::WouldPrompt | Gate::AskRule => Answer::Approved,
        Gate::AutoAllowed | Gate::AllowedByRule => Answer::AutoAllowed,
        Gate::Classifier => Answer::ClassifierAllowed,
        Gate::DeniedByRule | Gate::DontAskDenied if outcome == Outcome::ToolError => {
            Answer::ToolFailedUnprompted
        }
        Gate::DeniedByRule | Gate::DontAskDenied | Gate::Unknown => Answer::Unresolved,
    }
}

/// Combines how a call ended with the replay's gate: the answer alone, where
/// [`Evidence::answer`] also says how it is known.
///
/// - An outcome that settles the answer gives [`recorded`]'s answer, whatever the gate.
/// - An executed call (`ran` or `tool_error`; a failing command is still a "yes") is
///   [`Answer::Approved`] when the gate prompts (`WouldPrompt`, `AskRule`),
///   [`Answer::AutoAllowed`] under `AutoAllowed`/`AllowedByRule`, and
///   [`Answer::ClassifierAllowed`] under `Classifier`.
/// - An executed call the replay would have denied (`DeniedByRule`, `DontAskDenied`) is
///   [`Answer::ToolFailedUnprompted`] when it failed (the failure came before the
///   permission check) and [`Answer::Unresolved`] when it ran (the replay disagrees with
///   the transcript); under `Unknown` it is [`Answer::Unresolved`].
pub fn answer(outcome: Outcome, gate: Gate) -> Answer {
    recorded(outcome).unwrap_or_else(|| through_gate(outcome, gate))
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
    fn evidence_gives_the_table_and_says_how_it_knows() {
        for o in Outcome::ALL {
            for g in Gate::ALL {
                let mut c = crate::analysis::testkit::call("a", "Bash");
                c.outcome = o;
                let k = Evidence::replay_only().answer(&c, g);
                assert_eq!(k.answer, answer(o, g), "{o:?} {g:?}");
                let basis = if o.executed() {
                    Basis::Replayed
                } else {
                    Basis::Recorded
                };
                assert_eq!(k.basis, basis, "{o:?} {g:?}");
            }
        }
    }

    #[test]
    fn gate_of_keeps_each_verdicts_name_and_prompting() {
        use crate::permissions::engine::{AutoWhy, PromptWhy};
        let verdicts = [
            Verdict::AutoAllowed(AutoWhy::NeverPrompts),
            Verdict::AllowedByRule,
            Verdict::AskRule,
            Verdict::WouldPrompt(PromptWhy::NoRule),
            Verdict::DeniedByRule,
            Verdict::DontAskDenied,
            Verdict::Classifier,
        ];
        for v in &verdicts {
            assert_eq!(gate_of(v).as_str(), v.name(), "{v:?}");
            assert_eq!(gate_of(v).prompts(), v.prompts(), "{v:?}");
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
