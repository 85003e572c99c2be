//! Permission decisions recorded when they were made, as far as the transcript layer deals
//! with them: the `hook_permission_decision` attachments a transcript itself holds, which
//! record wins when several cover one call ([`offer`]), what each source covered in a
//! table ([`RecordCounts`]), and permission-mode switches recorded outside the transcript
//! ([`ModeChange`]). The sources outside the transcripts (the prompt log, OpenTelemetry)
//! are read and joined by `crate::sources`; `docs/sources.md` maps every source to
//! [`RecordedDecision`].

use crate::event::{Mode, RecordSource, RecordedDecision, ToolCall};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A `hook_permission_decision` attachment as found in one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttachRec {
    /// The call it decided (`toolUseID`).
    pub tool_use_id: String,
    /// The hook's decision as written (`allow`, `deny`, ...).
    pub decision: Option<String>,
    /// The hook event (`PermissionRequest`).
    pub hook_event: Option<String>,
}

/// Which record a call keeps when several cover it: records keyed by the call's own
/// `tool_use` id and telling who decided (OpenTelemetry, stream-json) first, then the
/// transcript's hook attachments, then the prompt log (joined by time order).
pub fn rank(source: RecordSource) -> u8 {
    match source {
        RecordSource::Otel | RecordSource::StreamJson => 3,
        RecordSource::HookAttachment => 2,
        RecordSource::PromptLog => 1,
    }
}

/// Gives `call` the decision `d` unless it already holds one from a source that ranks
/// higher (or the same).
pub fn offer(call: &mut ToolCall, d: RecordedDecision) {
    let keep = call
        .recorded
        .as_ref()
        .is_some_and(|old| rank(old.source) >= rank(d.source));
    if !keep {
        call.recorded = Some(d);
    }
}

/// What one record source covered in a table (or, summed, in a run).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCounts {
    /// Records read. For the transcript's own attachments, those of the table; for files
    /// outside the transcripts, filled in once for the whole run (see
    /// `ScanSummary::set_record_totals`).
    pub records: u64,
    /// Records joined to a call.
    pub matched: u64,
    /// Records of a session that was read, joined to no call.
    pub unmatched: u64,
    /// Records of sessions that were not read (set for a whole run only).
    pub other_sessions: u64,
    /// Calls the source gave a decision (whichever source's decision the call keeps).
    pub calls: u64,
    /// Of those, decisions that show a person was asked.
    pub prompted: u64,
    /// Decisions that show nobody was asked.
    pub not_prompted: u64,
    /// Decisions that do not say.
    pub unknown: u64,
}

impl RecordCounts {
    /// Counts one call covered by the decision `d`.
    pub fn count(&mut self, d: &RecordedDecision) {
        self.calls += 1;
        match d.prompted {
            Some(true) => self.prompted += 1,
            Some(false) => self.not_prompted += 1,
            None => self.unknown += 1,
        }
    }

    /// Adds the counts of another table.
    pub fn add(&mut self, o: &RecordCounts) {
        self.records += o.records;
        self.matched += o.matched;
        self.unmatched += o.unmatched;
        self.other_sessions += o.other_sessions;
        self.calls += o.calls;
        self.prompted += o.prompted;
        self.not_prompted += o.not_prompted;
        self.unknown += o.unknown;
    }
}

/// A permission-mode switch recorded outside the transcript (OpenTelemetry
/// `claude_code.permission_mode_changed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeChange {
    /// The session.
    pub session_id: Arc<str>,
    /// When, ms since the Unix epoch.
    pub at_ms: i64,
    /// The mode before, when recorded.
    pub from: Option<Mode>,
    /// The mode after.
    pub to: Mode,
    /// What switched it (`shift_tab`, `exit_plan_mode`, ...), when recorded.
    pub trigger: Option<String>,
}

/// The decision a `hook_permission_decision` attachment records: a hook answered the
/// permission request, so no dialog was shown, when its decision is `allow` or `deny`.
pub fn hook_decision(a: &AttachRec) -> RecordedDecision {
    let decided = matches!(a.decision.as_deref(), Some("allow" | "deny"));
    RecordedDecision {
        source: RecordSource::HookAttachment,
        prompted: decided.then_some(false),
        decision: a.decision.clone(),
        detail: Some(format!(
            "{} hook",
            a.hook_event.as_deref().unwrap_or("PermissionRequest")
        )),
    }
}

/// Gives each call of a joined set the decision of its hook attachment (the first one
/// read, when a resumed session logged it again) and counts them under
/// [`RecordSource::HookAttachment`].
pub fn attach_hook_decisions(
    calls: &mut [ToolCall],
    attachments: &[AttachRec],
    counts: &mut BTreeMap<RecordSource, RecordCounts>,
) {
    if attachments.is_empty() {
        return;
    }
    let mut by_id: FxHashMap<&str, &AttachRec> = FxHashMap::default();
    for a in attachments {
        by_id.entry(a.tool_use_id.as_str()).or_insert(a);
    }
    let mut tally = RecordCounts {
        records: by_id.len() as u64,
        ..RecordCounts::default()
    };
    for c in calls.iter_mut() {
        if let Some(a) = by_id.get(c.id.as_str()) {
            let d = hook_decision(a);
            tally.matched += 1;
            tally.count(&d);
            offer(c, d);
        }
    }
    tally.unmatched = tally.records - tally.matched;
    counts
        .entry(RecordSource::HookAttachment)
        .or_default()
        .add(&tally);
}
