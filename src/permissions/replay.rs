//! Replays the permission logic over a tool-call table and compares each decision with the
//! outcome the transcript recorded.
//!
//! Transcripts record denials, not approvals, so the replay is the only way to tell which
//! calls that ran had to be approved by a person. Where the recorded outcome contradicts the
//! replay, the call is counted under a [`DisagreementKind`]: usually the settings changed
//! between the session and the replay, sometimes the transcript's outcome is ambiguous (an
//! Esc interrupt is written like a rejection; a hook denial can be tagged like a rule).

use super::engine::{CallCtx, Decision, Verdict, decide};
use super::settings::Policy;
use crate::event::{Outcome, ToolCall};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Decides every call. `policy_for` returns the policy of the call's session (the caller
/// loads one per project and start folder). The call's `project` is its working folder.
pub fn replay<'p, F>(policy_for: F, calls: &[ToolCall]) -> Vec<Decision>
where
    F: Fn(&ToolCall) -> &'p Policy,
{
    calls
        .iter()
        .map(|c| {
            let ctx = CallCtx {
                tool: &c.tool,
                input: &c.input,
                cwd: c.project.as_deref().map(Path::new),
                mode: c.mode.as_ref(),
            };
            decide(policy_for(c), &ctx)
        })
        .collect()
}

/// How a recorded outcome contradicts the replayed decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisagreementKind {
    /// Recorded `rule_denied`, but no current deny rule matches (settings changed, a
    /// `--disallowedTools` flag, or a hook denial tagged as a rule).
    DenyRuleMissing,
    /// A person rejected the call, but the replay says it runs unasked (settings changed
    /// since, or an Esc interrupt written as a rejection).
    RejectedWithoutPrompt,
    /// A person rejected the call, but the replay says a deny rule blocks it (a deny rule
    /// was added since).
    RejectedButDenied,
    /// The call ran, but the replay says a deny rule blocks it (rule added since).
    DeniedButRan,
    /// The call ran, but the replay says `dontAsk` mode denies it (an allow rule was removed
    /// since, or the mode is misrecorded).
    DontAskDeniedButRan,
    /// Recorded `dontask_denied`, but the replay disagrees (rules or mode changed).
    DontAskMismatch,
    /// Recorded as a classifier decision, but the replay does not send it to the classifier.
    ClassifierMismatch,
    /// A headless run needed an approval the replay says was not needed.
    UnansweredButAllowed,
}

impl DisagreementKind {
    /// snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            DisagreementKind::DenyRuleMissing => "deny_rule_missing",
            DisagreementKind::RejectedWithoutPrompt => "rejected_without_prompt",
            DisagreementKind::RejectedButDenied => "rejected_but_denied",
            DisagreementKind::DeniedButRan => "denied_but_ran",
            DisagreementKind::DontAskDeniedButRan => "dontask_denied_but_ran",
            DisagreementKind::DontAskMismatch => "dontask_mismatch",
            DisagreementKind::ClassifierMismatch => "classifier_mismatch",
            DisagreementKind::UnansweredButAllowed => "unanswered_but_allowed",
        }
    }
}

/// The disagreement (if any) between a recorded outcome and a replayed verdict.
pub fn classify(outcome: Outcome, verdict: &Verdict) -> Option<DisagreementKind> {
    use DisagreementKind as K;
    match outcome {
        Outcome::RuleDenied => (*verdict != Verdict::DeniedByRule).then_some(K::DenyRuleMissing),
        o if o.is_user_rejection() => match verdict {
            v if v.runs_unasked() => Some(K::RejectedWithoutPrompt),
            Verdict::DeniedByRule => Some(K::RejectedButDenied),
            _ => None,
        },
        o if o.executed() => match verdict {
            Verdict::DeniedByRule => Some(K::DeniedButRan),
            Verdict::DontAskDenied => Some(K::DontAskDeniedButRan),
            _ => None,
        },
        Outcome::DontaskDenied => {
            (*verdict != Verdict::DontAskDenied).then_some(K::DontAskMismatch)
        }
        Outcome::AutomodeBlocked | Outcome::AutomodeUnavailable => {
            (*verdict != Verdict::Classifier).then_some(K::ClassifierMismatch)
        }
        Outcome::HeadlessUnanswered => verdict.runs_unasked().then_some(K::UnansweredButAllowed),
        _ => None,
    }
}

/// One call whose outcome contradicts the replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// Index of the call in the table.
    pub index: usize,
    /// `tool_use.id`.
    pub id: String,
    /// What kind of contradiction.
    pub kind: DisagreementKind,
    /// The recorded outcome.
    pub outcome: Outcome,
    /// The replayed verdict's name.
    pub verdict: &'static str,
}

/// Counts over a replay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Calls replayed.
    pub calls: usize,
    /// Calls the replay says made a person answer a permission prompt (ask rule or would
    /// prompt), whatever the recorded outcome.
    pub prompts: usize,
    /// Of those, calls that ran (so a person approved them).
    pub prompts_approved: usize,
    /// Calls per verdict name.
    pub per_verdict: BTreeMap<&'static str, usize>,
    /// Calls per recorded outcome, then per verdict name.
    pub per_outcome: BTreeMap<&'static str, BTreeMap<&'static str, usize>>,
    /// Disagreements per kind.
    pub per_disagreement: BTreeMap<DisagreementKind, usize>,
    /// Every disagreeing call.
    pub disagreements: Vec<Disagreement>,
}

impl Summary {
    /// Adds the counts and disagreements of another part of the calls. The caller puts the
    /// disagreements' indices in the whole table's order first.
    pub fn absorb(&mut self, other: Summary) {
        self.calls += other.calls;
        self.prompts += other.prompts;
        self.prompts_approved += other.prompts_approved;
        for (k, n) in other.per_verdict {
            *self.per_verdict.entry(k).or_default() += n;
        }
        for (o, per) in other.per_outcome {
            let mine = self.per_outcome.entry(o).or_default();
            for (k, n) in per {
                *mine.entry(k).or_default() += n;
            }
        }
        for (k, n) in other.per_disagreement {
            *self.per_disagreement.entry(k).or_default() += n;
        }
        self.disagreements.extend(other.disagreements);
    }
}

/// Compares decisions (from [`replay`], same order) with the recorded outcomes.
pub fn compare(calls: &[ToolCall], decisions: &[Decision]) -> Summary {
    let mut s = Summary::default();
    for (index, (call, d)) in calls.iter().zip(decisions).enumerate() {
        s.count(index, call, &d.verdict);
    }
    s
}

impl Summary {
    /// Counts one call (the `index`-th of the table) and its replayed verdict.
    pub fn count(&mut self, index: usize, call: &ToolCall, verdict: &Verdict) {
        self.calls += 1;
        let v = verdict.name();
        *self.per_verdict.entry(v).or_default() += 1;
        *self
            .per_outcome
            .entry(call.outcome.as_str())
            .or_default()
            .entry(v)
            .or_default() += 1;
        if verdict.prompts() {
            self.prompts += 1;
            if call.outcome.executed() {
                self.prompts_approved += 1;
            }
        }
        if let Some(kind) = classify(call.outcome, verdict) {
            *self.per_disagreement.entry(kind).or_default() += 1;
            self.disagreements.push(Disagreement {
                index,
                id: call.id.clone(),
                kind,
                outcome: call.outcome,
                verdict: v,
            });
        }
    }
}
