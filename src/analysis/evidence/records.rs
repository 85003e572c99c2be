//! Decisions recorded at the time ([`crate::event::RecordedDecision`]): where a call has
//! one, it is the answer. A session with any line in permstat's prompt log had the hook
//! from its start (Claude Code reads hooks when a session starts), and the hook sees every
//! dialog: a call of such a session with no line was not asked about
//! ([`Ground::NotLogged`]). The other sources say nothing of calls they have no record
//! of.
//!
//! Where records exist, [`RecordCheck`] compares them with what the inference (timing,
//! modes, grants and the replay, without the records) said of the same calls.

use crate::analysis::{Answer, Gate, Ground, Known};
use crate::event::{RecordSource, ToolCall};
use rustc_hash::FxHashSet;
use serde::Serialize;

/// How far the inference was off, on the calls whose answer a record settles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordCheck {
    /// Sessions with at least one recorded decision.
    pub sessions: usize,
    /// Executed calls whose answer a record settles.
    pub calls: u64,
    /// Of those, the approved prompts the records show.
    pub recorded_prompts: u64,
    /// The approved prompts the inference gave the same calls (any basis).
    pub inferred_prompts: u64,
    /// Of those, the ones it had evidence for (the low bound).
    pub inferred_evidenced_prompts: u64,
    /// The approved prompts the replay of today's settings alone gave them.
    pub replayed_prompts: u64,
    /// Calls both the records and the inference count as prompts.
    pub both: u64,
    /// Calls the inference counts as prompts and the records do not.
    pub inferred_only: u64,
    /// Calls the records count as prompts and the inference missed.
    pub recorded_only: u64,
}

impl RecordCheck {
    /// Adds another set of sessions' check.
    pub fn absorb(&mut self, o: &RecordCheck) {
        self.sessions += o.sessions;
        self.calls += o.calls;
        self.recorded_prompts += o.recorded_prompts;
        self.inferred_prompts += o.inferred_prompts;
        self.inferred_evidenced_prompts += o.inferred_evidenced_prompts;
        self.replayed_prompts += o.replayed_prompts;
        self.both += o.both;
        self.inferred_only += o.inferred_only;
        self.recorded_only += o.recorded_only;
    }
}

/// The sessions permstat's prompt log covers (a call of each has a logged record): the log,
/// not the timing, says which of their calls prompted.
pub fn logged_sessions(calls: &[ToolCall]) -> FxHashSet<&str> {
    calls
        .iter()
        .filter(|c| {
            c.recorded
                .as_ref()
                .is_some_and(|r| r.source == RecordSource::PromptLog)
        })
        .map(|c| &*c.session_id)
        .collect()
}

/// The answer a record gives an executed call, if it has one that says whether a dialog
/// was shown.
fn from_record(call: &ToolCall, gate: Gate, window: Option<i64>) -> Option<Known> {
    let r = call.recorded.as_ref()?;
    let prompted = r.prompted?;
    let ground = Ground::of_record(r.source);
    Some(if prompted {
        Known::new(Answer::Approved, ground, window)
    } else {
        Known::new(unasked(gate), ground, window)
    })
}

/// The answer of a call that ran without a dialog.
fn unasked(gate: Gate) -> Answer {
    if gate == Gate::Classifier {
        Answer::ClassifierAllowed
    } else {
        Answer::AutoAllowed
    }
}

/// Puts the records' answers over the inferred ones (`known`), for every session in
/// `sessions`; `replayed` holds the replay's own answers. Returns the comparison.
pub fn overlay(
    calls: &[ToolCall],
    sessions: &[Vec<usize>],
    gates: &[Gate],
    replayed: &[Known],
    known: &mut [Known],
) -> RecordCheck {
    let mut check = RecordCheck::default();
    for session in sessions {
        let has = |src: Option<RecordSource>| {
            session.iter().any(|&i| {
                calls[i]
                    .recorded
                    .as_ref()
                    .is_some_and(|r| src.is_none_or(|s| r.source == s))
            })
        };
        if !has(None) {
            continue;
        }
        check.sessions += 1;
        let logged = has(Some(RecordSource::PromptLog));
        for &i in session {
            let c = &calls[i];
            if !c.outcome.executed() {
                continue;
            }
            let w = known[i].window_ms;
            let rec = from_record(c, gates[i], w)
                .or_else(|| logged.then(|| Known::new(unasked(gates[i]), Ground::NotLogged, w)));
            let Some(rec) = rec else { continue };
            let inferred = known[i];
            let (r, f) = (rec.answer.is_prompt(), inferred.answer.is_prompt());
            check.calls += 1;
            check.recorded_prompts += u64::from(r);
            check.inferred_prompts += u64::from(f);
            check.inferred_evidenced_prompts += u64::from(inferred.is_certain_prompt());
            check.replayed_prompts += u64::from(replayed[i].answer.is_prompt());
            check.both += u64::from(r && f);
            check.inferred_only += u64::from(f && !r);
            check.recorded_only += u64::from(r && !f);
            known[i] = rec;
        }
    }
    check
}
