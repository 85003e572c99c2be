//! The document `permstat report` produces: every figure, before any rendering.

use crate::analysis::aggregate::GroupCounts;
use crate::analysis::automode::AutoModeReport;
use crate::analysis::fatigue::SessionFatigue;
use crate::analysis::risk::{RiskSummary, RiskyCall};
use crate::permissions::replay::Summary as ReplaySummary;
use serde::Serialize;

/// What every output says about how sure the numbers are.
pub const INFERENCE_NOTE: &str = "approved = calls that ran and that today's settings would have prompted for (inferred by replaying Claude Code's permission rules; transcripts record no approvals); rejected and denied counts come straight from the transcripts";

/// Prompts shown to a person.
#[derive(Debug, Serialize)]
pub struct Prompts {
    /// Answered "yes" (inferred).
    pub approved: u64,
    /// Answered "no" (recorded).
    pub rejected: u64,
    /// approved + rejected.
    pub total: u64,
    /// Always true: `approved` rests on the replay.
    pub approved_is_inferred: bool,
}

/// Calls denied with nobody asked.
#[derive(Debug, Serialize)]
pub struct Denied {
    /// By a deny rule.
    pub rule: u64,
    /// By the auto-mode classifier.
    pub classifier: u64,
    /// Because the classifier was unavailable.
    pub classifier_unavailable: u64,
    /// By dontAsk mode.
    pub dontask: u64,
    /// By a hook.
    pub hook: u64,
    /// Headless runs and background agents that needed an approval nobody could give.
    pub headless: u64,
}

/// The headline fatigue figures (all sessions together).
#[derive(Debug, Serialize)]
pub struct FatigueHeadline {
    /// 0-100, see docs/report.md.
    pub score: u8,
    /// Prompts per active hour.
    pub prompts_per_active_hour: Option<f64>,
    /// Longest run of approvals with no rejection.
    pub longest_streak: usize,
    /// Share of answers faster than `--rubber-stamp-ms`.
    pub rubber_stamp_share: Option<f64>,
    /// Median answer time (an upper bound of think time).
    pub median_answer_ms: Option<f64>,
    /// Total time spent waiting on prompts (upper bound).
    pub waiting_ms: i64,
    /// Streaks longer than 10 approvals, summed over sessions.
    pub streaks_over_10: usize,
    /// Rejections that ended a streak of 10 or more approvals.
    pub rejections_after_long_streak: usize,
    /// Esc interrupts.
    pub interrupts: usize,
}

/// Auto-mode figures.
#[derive(Debug, Serialize)]
pub struct AutoHeadline {
    /// Sessions with calls in auto mode.
    pub sessions: usize,
    /// Classifier blocks.
    pub blocks: usize,
    /// Denials because the classifier was unavailable (not counted toward fallbacks).
    pub unavailable: usize,
    /// Reconstructed fallbacks to prompting.
    pub fallbacks: usize,
    /// Per-session detail (only sessions in auto mode).
    pub detail: AutoModeReport,
}

/// A session's row.
#[derive(Debug, Serialize)]
pub struct SessionRow {
    /// Session id.
    pub session_id: String,
    /// Working folder.
    pub project: Option<String>,
    /// Counts of each answer.
    pub counts: GroupCounts,
    /// Fatigue figures.
    pub fatigue: SessionFatigue,
}

/// The `report --format json` document. Field names are stable; new fields may be added.
#[derive(Debug, Serialize)]
pub struct Report {
    /// How sure the numbers are.
    pub note: &'static str,
    /// Calls covered.
    pub calls: u64,
    /// Sessions covered.
    pub sessions_count: u64,
    /// First and last call covered.
    pub first: Option<String>,
    /// Last call covered.
    pub last: Option<String>,
    /// Prompts answered.
    pub prompts: Prompts,
    /// Denials nobody answered.
    pub denied: Denied,
    /// Calls that ran without a prompt (read-only, built-in list, allow rule, mode).
    pub auto_allowed: u64,
    /// Calls the auto-mode classifier let through.
    pub classifier_allowed: u64,
    /// Approval fatigue, all sessions.
    pub fatigue: FatigueHeadline,
    /// Auto mode.
    pub automode: AutoHeadline,
    /// Counts by tool.
    pub by_tool: Vec<GroupCounts>,
    /// Counts by command key (each part of a compound command counted).
    pub by_command: Vec<GroupCounts>,
    /// Counts by project.
    pub by_project: Vec<GroupCounts>,
    /// Counts by UTC day.
    pub by_day: Vec<GroupCounts>,
    /// Sessions, ranked by fatigue score.
    pub sessions: Vec<SessionRow>,
    /// Approved calls that were destructive, reached the network or touched secrets.
    pub risky_approved: Vec<RiskyCall>,
    /// Their counts by category.
    pub risky_summary: RiskSummary,
    /// How the replay compares with what the transcripts recorded.
    pub replay: ReplaySummary,
    /// Settings files the replay read.
    pub settings_files: Vec<String>,
}
