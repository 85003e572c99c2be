//! The document `permstat report` produces: every figure, before any rendering.

use crate::analysis::aggregate::GroupCounts;
use crate::analysis::automode::AutoModeReport;
use crate::analysis::evidence::{Adoption, GrantFound, ModeSpan, RecordCheck};
use crate::analysis::fatigue::SessionFatigue;
use crate::analysis::risk::{RiskSummary, RiskyCall};
use crate::analysis::waiting::{CurveBucket, Waiting};
use crate::analysis::{Basis, Bounds, Ground};
use crate::permissions::replay::Summary as ReplaySummary;
use serde::Serialize;

/// What every output says about how sure the numbers are.
pub const INFERENCE_NOTE: &str = "approved = calls that ran after a dialog; a transcript records no approvals, so each answer rests on a recorded decision, on the transcript's own evidence (timing, the mode over time, grants, when a rule was adopted) or only on replaying today's settings: the low bound counts the first two, the high bound all three (docs/report.md); rejected and denied counts come straight from the transcripts";

/// What the fatigue figures count.
pub const FATIGUE_NOTE: &str = "fatigue figures (streaks, rubber stamps, answer times, waiting time) count only prompts recorded or evidenced; approvals only the replay shows are left out";

/// Prompts shown to a person.
#[derive(Debug, Serialize)]
pub struct Prompts {
    /// Answered "yes", on any basis (the high bound).
    pub approved: u64,
    /// Answered "no" (recorded).
    pub rejected: u64,
    /// approved + rejected.
    pub total: u64,
    /// True when some approvals rest on evidence or on the replay rather than a record.
    pub approved_is_inferred: bool,
    /// The approved prompts as a best estimate between a low and a high bound.
    pub estimate: Estimate,
    /// The approved prompts by how they are known.
    pub approved_by_basis: ByBasis,
}

/// Approved prompts: what is certain or probable, what is possible, and a best estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Recorded and evidenced approvals.
    pub low: u64,
    /// `low` plus the replay-only approvals times `confirmed_share`, rounded.
    pub best: u64,
    /// `low` plus every replay-only approval.
    pub high: u64,
    /// Of the calls the replay says prompted whose answer a record or evidence settles, the
    /// share that did prompt (None without such calls: the replay-only ones then all count).
    pub confirmed_share: Option<f64>,
}

/// A count per basis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByBasis {
    /// Recorded.
    pub recorded: u64,
    /// Evidenced.
    pub evidenced: u64,
    /// Replayed only.
    pub replayed: u64,
}

impl ByBasis {
    /// Adds `n` under `basis`.
    pub fn add(&mut self, basis: Basis, n: u64) {
        match basis {
            Basis::Recorded => self.recorded += n,
            Basis::Evidenced => self.evidenced += n,
            Basis::Replayed => self.replayed += n,
        }
    }

    /// The sum.
    pub fn total(&self) -> u64 {
        self.recorded + self.evidenced + self.replayed
    }
}

/// The calls one rule of evidence decided, by answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroundRow {
    /// The rule of evidence.
    pub ground: Ground,
    /// How sure answers on it are.
    pub basis: Basis,
    /// Calls it decided.
    pub calls: u64,
    /// Of those, approved prompts.
    pub approved: u64,
    /// Rejected prompts.
    pub rejected: u64,
    /// Calls that ran without a dialog (auto-allowed or classifier-allowed).
    pub unasked: u64,
}

/// Modes inferred where the transcript recorded none.
#[derive(Debug, Default, Serialize)]
pub struct ModesInferred {
    /// Sessions with at least one stretch inferred.
    pub sessions: usize,
    /// Calls whose mode was inferred.
    pub calls: usize,
    /// Sessions per mode inferred (a session can have several).
    pub sessions_by_mode: std::collections::BTreeMap<String, usize>,
    /// Every stretch.
    pub spans: Vec<ModeSpan>,
}

/// How the answers are known, and what the evidence found.
#[derive(Debug, Serialize)]
pub struct EvidenceReport {
    /// The floor: a window shorter than this came from no person (ms).
    pub floor_ms: i64,
    /// Share of calls whose answer is exact (recorded).
    pub exact_share: Option<f64>,
    /// Calls per basis.
    pub calls_by_basis: ByBasis,
    /// Calls per rule of evidence.
    pub by_ground: Vec<GroundRow>,
    /// Modes inferred.
    pub modes_inferred: ModesInferred,
    /// "Don't ask again" grants found during sessions.
    pub grants: Vec<GrantFound>,
    /// Allow rules of today's settings adopted during the window.
    pub adoptions: Vec<Adoption>,
    /// Recorded decisions against the inference, where both exist.
    pub records: RecordCheck,
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

/// The headline fatigue figures (all sessions together), over prompts recorded or
/// evidenced only ([`FATIGUE_NOTE`]).
#[derive(Debug, Serialize)]
pub struct FatigueHeadline {
    /// What the figures count.
    pub note: &'static str,
    /// Prompts the figures count.
    pub prompts_counted: usize,
    /// Approved prompts only the replay shows, left out.
    pub replay_only_left_out: usize,
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
    /// Every answer time added up, overlaps and walked-away waits included (an upper
    /// bound, kept for compatibility: `waiting` is the figure to read).
    pub waiting_ms: i64,
    /// Time spent waiting on prompts: median and p90 per prompt, overlaps merged,
    /// walked-away waits apart.
    pub waiting: Waiting,
    /// Answer time by a prompt's position in its session (the fatigue curve).
    pub curve: Vec<CurveBucket>,
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
    /// Whose session it is (team mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub developer: Option<String>,
    /// Working folder.
    pub project: Option<String>,
    /// Counts of each answer.
    pub counts: GroupCounts,
    /// Fatigue figures.
    pub fatigue: SessionFatigue,
}

/// One command's prompts across a team.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TeamCommand {
    /// The command key (as in `by_command`).
    pub key: String,
    /// Prompts (approved + rejected), every developer together.
    pub prompts: u64,
    /// Approved prompts (the high bound).
    pub approved: u64,
    /// Of those, recorded or evidenced (the low bound).
    pub approved_evidenced: u64,
    /// Rejected prompts.
    pub rejected: u64,
    /// Developers it prompted at least once.
    pub developers: usize,
    /// Each of those developers' counts for it, most prompts first.
    pub by_developer: Vec<GroupCounts>,
}

/// What the report covers and how much of it is inferred: the first line of every format.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Context {
    /// First call covered (RFC 3339).
    pub first: Option<String>,
    /// Last call covered.
    pub last: Option<String>,
    /// Calendar days from the first call's to the last call's, both counted.
    pub days: Option<i64>,
    /// Transcript files read (set by the command, which found them).
    pub files: u64,
    /// Sessions covered.
    pub sessions: u64,
    /// Calls covered.
    pub calls: u64,
    /// Settings files the replay read (0: Claude Code's defaults only).
    pub settings_files: usize,
    /// Calls whose transcript records no permission mode.
    pub mode_unrecorded: u64,
    /// Of those, calls whose mode the evidence inferred.
    pub mode_inferred: u64,
    /// Calls whose answer is not recorded (evidenced or replayed).
    pub answer_inferred: u64,
    /// `mode_unrecorded / calls`.
    pub mode_unrecorded_share: Option<f64>,
    /// `answer_inferred / calls`.
    pub answer_inferred_share: Option<f64>,
}

/// What the saving of a suggested rule rests on, for every output that shows one.
pub const SUGGESTED_NOTE: &str = "rules `permstat suggest` would propose from the approved prompts of this window, per working folder; each saving counts the prompts a person answered among the calls the rule would no longer prompt for (found by replaying today's settings with the rule added), as a best estimate between a low and a high bound like the report's prompts; `permstat suggest` checks every call and writes the rules";

/// One rule the suggester proposes, with what it would save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSaving {
    /// The rule text.
    pub rule: String,
    /// Its kind (`read-only`, `runs project code`).
    pub kind: String,
    /// The working folder it is for.
    pub project: Option<String>,
    /// Approved calls it covers.
    pub approvals: usize,
    /// Distinct sessions among those.
    pub sessions: usize,
    /// Calls it alone would no longer prompt for, by replay.
    pub prompts_saved: usize,
    /// Of those, the prompts a person answered (the figure rules are ranked by).
    pub saved: Bounds,
}

/// The suggester's rules for the report's window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggested {
    /// How the savings are known.
    pub note: &'static str,
    /// Prompts over the calls considered.
    pub prompts_before: usize,
    /// Prompts left with every rule added, by replay.
    pub prompts_after: usize,
    /// Prompts people answered over the calls considered, by how sure that is.
    pub answered: Bounds,
    /// Of those, the prompts every rule together would have saved.
    pub answered_saved: Bounds,
    /// The rules, most prompts saved first (best estimate).
    pub rules: Vec<RuleSaving>,
}

/// The `report --format json` document. Field names are stable; new fields may be added.
#[derive(Debug, Serialize)]
pub struct Report {
    /// How sure the numbers are.
    pub note: &'static str,
    /// What the report covers and how much of it is inferred.
    pub context: Context,
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
    /// How the answers are known, and what the evidence found.
    pub evidence: EvidenceReport,
    /// Auto mode.
    pub automode: AutoHeadline,
    /// Counts by tool.
    pub by_tool: Vec<GroupCounts>,
    /// Counts by command key (each part of a compound command counted).
    pub by_command: Vec<GroupCounts>,
    /// Counts by project.
    pub by_project: Vec<GroupCounts>,
    /// Counts by developer, as `by_project` (team mode; empty otherwise).
    pub by_developer: Vec<GroupCounts>,
    /// Team mode: the developers whose sessions ran in each project folder.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub project_developers: std::collections::BTreeMap<String, Vec<String>>,
    /// Team mode: the commands that cost the team most prompts, with each developer's
    /// share (empty otherwise).
    pub team_commands: Vec<TeamCommand>,
    /// Team mode: each developer's counts by UTC day, as `by_day` (weeks and months are
    /// regrouped from them; empty otherwise).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub developer_days: std::collections::BTreeMap<String, Vec<GroupCounts>>,
    /// Counts by UTC day.
    pub by_day: Vec<GroupCounts>,
    /// Counts by ISO week (`2026-W02`).
    pub by_week: Vec<GroupCounts>,
    /// Counts by calendar month (`2026-01`).
    pub by_month: Vec<GroupCounts>,
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
    /// The rules the suggester would propose, with their replayed savings (HTML and JSON
    /// only: the command computes them when the format shows them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested: Option<Suggested>,
}
