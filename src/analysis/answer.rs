//! What a tool call meant for the person at the keyboard: the one definition of every
//! answer (approved, rejected, denied, auto-allowed, ...) and of how each answer is known.
//!
//! The transcript records how a call ended ([`Outcome`]) but never whether a permission
//! dialog was shown: an approval leaves only the tool's normal output behind. So an answer
//! rests on one of three kinds of evidence ([`Basis`]), and on one rule of evidence within
//! it ([`Ground`]); `docs/report.md` defines each rule with its thresholds:
//! - [`Basis::Recorded`]: something written at the time settles it: the outcome alone
//!   ([`recorded`]: a "No" text, a denial nobody answered, a cancelled, interrupted or
//!   unresolved call), or a permission decision recorded for the call
//!   ([`crate::event::RecordedDecision`]: a prompt log, OpenTelemetry, a hook attachment,
//!   stream-json).
//! - [`Basis::Evidenced`]: the transcript's own evidence makes it probable: the result came
//!   faster than a person can answer (so nobody was asked), a tool that takes no time
//!   waited (so somebody was), a mode inferred from such calls, a "don't ask again" grant
//!   earlier in the session, or a rule of today's settings that was adopted later.
//! - [`Basis::Replayed`]: only the replay of today's settings, reduced to a [`Gate`]
//!   ([`gate_of`]), says whether Claude Code asked.
//!
//! **The one entry point.** A consumer takes each call's answer from
//! [`Evidence::answer`], giving it the call's index, the call and the replay's gate (the
//! fallback every call has). [`Evidence::gather`] works out the evidence of a set of whole
//! sessions beforehand (`crate::analysis::evidence`); [`Evidence::replay_only`] has none.

pub use super::evidence::Evidence;
use crate::event::{Outcome, RecordSource, ToolCall};
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

/// How an answer is known: how sure it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Written at the time: an outcome text or field Claude Code writes only in that case,
    /// or a recorded permission decision. Exact.
    Recorded,
    /// Probable: the transcript's own evidence (timing, an inferred mode, a grant, a rule's
    /// adoption) shows whether a dialog was shown.
    Evidenced,
    /// Possible: only the replay of today's settings says whether Claude Code asked.
    Replayed,
}

impl Basis {
    /// Every basis, surest first.
    pub const ALL: [Basis; 3] = [Basis::Recorded, Basis::Evidenced, Basis::Replayed];

    /// The snake_case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Recorded => "recorded",
            Basis::Evidenced => "evidenced",
            Basis::Replayed => "replayed",
        }
    }
}

/// The rule of evidence an answer rests on (`docs/report.md` defines each one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// The outcome's own text or field ([`recorded`]).
    Outcome,
    /// A decision in permstat's prompt log.
    PromptLog,
    /// A session the prompt log covers has no line for the call: no dialog was shown.
    NotLogged,
    /// An OpenTelemetry `tool_decision` event.
    Otel,
    /// A `hook_permission_decision` attachment.
    HookAttachment,
    /// A stream-json `permission_decision`.
    StreamJson,
    /// The result came sooner after the call than any person answers a dialog.
    MachineSpeed,
    /// A Bash command came back as fast as the same command ran unasked in the session.
    RunTime,
    /// A tool whose own run takes no time (or a command whose run time is known) waited
    /// longer than it runs: a dialog was open.
    Waited,
    /// The mode inferred for the session at the call (acceptEdits, bypassPermissions) runs
    /// it unasked, or the mode inferred asks for it.
    InferredMode,
    /// A "don't ask again" grant earlier in the session covers it.
    Granted,
    /// The slow approval after which the same rule's calls came back at machine speed: the
    /// prompt that granted them.
    GrantPrompt,
    /// An allow rule of today's settings covers it, but the call came before the rule's
    /// likely adoption.
    BeforeAdoption,
    /// Only the replay of today's settings.
    Replay,
}

impl Ground {
    /// Every ground, in declaration order.
    pub const ALL: [Ground; 14] = [
        Ground::Outcome,
        Ground::PromptLog,
        Ground::NotLogged,
        Ground::Otel,
        Ground::HookAttachment,
        Ground::StreamJson,
        Ground::MachineSpeed,
        Ground::RunTime,
        Ground::Waited,
        Ground::InferredMode,
        Ground::Granted,
        Ground::GrantPrompt,
        Ground::BeforeAdoption,
        Ground::Replay,
    ];

    /// The snake_case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Ground::Outcome => "outcome",
            Ground::PromptLog => "prompt_log",
            Ground::NotLogged => "not_logged",
            Ground::Otel => "otel",
            Ground::HookAttachment => "hook_attachment",
            Ground::StreamJson => "stream_json",
            Ground::MachineSpeed => "machine_speed",
            Ground::RunTime => "run_time",
            Ground::Waited => "waited",
            Ground::InferredMode => "inferred_mode",
            Ground::Granted => "granted",
            Ground::GrantPrompt => "grant_prompt",
            Ground::BeforeAdoption => "before_adoption",
            Ground::Replay => "replay",
        }
    }

    /// How sure an answer on this ground is.
    pub fn basis(self) -> Basis {
        match self {
            Ground::Outcome
            | Ground::PromptLog
            | Ground::NotLogged
            | Ground::Otel
            | Ground::HookAttachment
            | Ground::StreamJson => Basis::Recorded,
            Ground::MachineSpeed
            | Ground::RunTime
            | Ground::Waited
            | Ground::InferredMode
            | Ground::Granted
            | Ground::GrantPrompt
            | Ground::BeforeAdoption => Basis::Evidenced,
            Ground::Replay => Basis::Replayed,
        }
    }

    /// The ground of a decision recorded by `source`.
    pub fn of_record(source: RecordSource) -> Ground {
        match source {
            RecordSource::PromptLog => Ground::PromptLog,
            RecordSource::Otel => Ground::Otel,
            RecordSource::HookAttachment => Ground::HookAttachment,
            RecordSource::StreamJson => Ground::StreamJson,
        }
    }
}

impl fmt::Display for Ground {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A count of prompts people answered, by how sure each is: certain or probable (`low`), a
/// best estimate, and every possible one (`high`). What a rule would save, in `suggest`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Bounds {
    /// Prompts recorded or shown by the transcript's own evidence (timing, mode, grants).
    pub low: usize,
    /// `low` plus the prompts only the replay gives, at the share of the replay's prompts
    /// that the evidence confirmed (all of them when nothing was confirmed either way).
    pub best: usize,
    /// `low` plus every prompt only the replay gives.
    pub high: usize,
}

/// "84 (42-128)": the best estimate and its bounds, or "12" when the bounds agree.
impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.low == self.high {
            true => write!(f, "{}", self.best),
            false => write!(f, "{} ({}-{})", self.best, self.low, self.high),
        }
    }
}

impl Bounds {
    /// Adds another count (the sum over several projects).
    pub fn add(&mut self, o: Bounds) {
        self.low += o.low;
        self.best += o.best;
        self.high += o.high;
    }
}

/// Of the calls the replay says prompted that ran and whose answer a record or the
/// evidence settles, how many a person approved and how many ran unasked: the share that
/// turns the prompts only the replay shows into a best estimate (the report's
/// `confirmed_share`, the suggester's savings).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confirmed {
    approved: u64,
    unasked: u64,
}

impl Confirmed {
    /// Counts `call`, whose gate in the mode in force is `gate` and whose answer is `k`.
    pub fn count(&mut self, call: &ToolCall, gate: Gate, k: &Known) {
        if !call.outcome.executed() || k.basis == Basis::Replayed || !gate.prompts() {
            return;
        }
        match k.answer {
            Answer::Approved => self.approved += 1,
            Answer::AutoAllowed | Answer::ClassifierAllowed => self.unasked += 1,
            _ => {}
        }
    }

    /// Adds the counts of another set of calls.
    pub fn add(&mut self, o: Confirmed) {
        self.approved += o.approved;
        self.unasked += o.unasked;
    }

    /// The share approved; None when no such call was counted.
    pub fn share(self) -> Option<f64> {
        let decided = self.approved + self.unasked;
        (decided > 0).then(|| self.approved as f64 / decided as f64)
    }

    /// The best estimate between `low` (certain or probable prompts) and `high` (plus the
    /// replay-only ones): `low` plus the replay-only prompts at the share confirmed, all
    /// of them when nothing was confirmed either way.
    pub fn best(self, low: u64, high: u64) -> u64 {
        let replay_only = high.saturating_sub(low) as f64;
        (low + (replay_only * self.share().unwrap_or(1.0)).round() as u64).min(high)
    }
}

/// An answer and how it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Known {
    /// What the call meant for the person.
    pub answer: Answer,
    /// How sure that is.
    pub basis: Basis,
    /// The rule of evidence it rests on.
    pub ground: Ground,
    /// The time a dialog for the call could have been open: from the later of its own
    /// `tool_use` line and the result of the call before it in the same message, to its
    /// result (see `docs/report.md`); None when a time is missing.
    pub window_ms: Option<i64>,
}

impl Known {
    /// An answer on `ground`, its basis the ground's.
    pub fn new(answer: Answer, ground: Ground, window_ms: Option<i64>) -> Known {
        Known {
            answer,
            basis: ground.basis(),
            ground,
            window_ms,
        }
    }

    /// What the replay alone says of `call` under `gate`: the outcome where it settles the
    /// answer, else the gate.
    pub fn replayed(call: &ToolCall, gate: Gate) -> Known {
        let window = crate::analysis::gap(call).filter(|g| *g >= 0);
        match recorded(call.outcome) {
            Some(a) => Known::new(a, Ground::Outcome, window),
            None => Known::new(through_gate(call.outcome, gate), Ground::Replay, window),
        }
    }

    /// The answer one command key of the call is counted with: a part that needed no
    /// prompt by itself (`tail` in `cargo test | tail`, or `part_prompted` false) is not
    /// charged with the call's approval or rejection, except when the prompt came before
    /// the adoption of the rule that allows those parts today.
    pub fn key_answer(&self, part_prompted: bool) -> Answer {
        if !part_prompted && self.answer.is_prompt() && self.ground != Ground::BeforeAdoption {
            Answer::AutoAllowed
        } else {
            self.answer
        }
    }

    /// True for a prompt (approved or rejected) that is recorded or evidenced: what the
    /// fatigue figures and the low bound of approved prompts count.
    pub fn is_certain_prompt(&self) -> bool {
        self.answer.is_prompt() && self.basis != Basis::Replayed
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
pub(crate) fn through_gate(outcome: Outcome, gate: Gate) -> Answer {
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
                let k = Evidence::replay_only().answer(0, &c, g);
                assert_eq!(k.answer, answer(o, g), "{o:?} {g:?}");
                let (basis, ground) = if o.executed() {
                    (Basis::Replayed, Ground::Replay)
                } else {
                    (Basis::Recorded, Ground::Outcome)
                };
                assert_eq!((k.basis, k.ground), (basis, ground), "{o:?} {g:?}");
            }
        }
    }

    #[test]
    fn every_ground_has_a_name_and_a_basis() {
        for g in Ground::ALL {
            assert_eq!(
                serde_json::to_string(&g).unwrap(),
                format!("\"{}\"", g.as_str())
            );
            let k = Known::new(Answer::Approved, g, None);
            assert_eq!(k.basis, g.basis());
            assert_eq!(k.is_certain_prompt(), g.basis() != Basis::Replayed);
        }
        for b in Basis::ALL {
            assert_eq!(
                serde_json::to_string(&b).unwrap(),
                format!("\"{}\"", b.as_str())
            );
        }
        assert_eq!(Ground::of_record(RecordSource::Otel), Ground::Otel);
        assert_eq!(Ground::NotLogged.basis(), Basis::Recorded);
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
