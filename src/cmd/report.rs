//! `permstat report`: where permission prompts cost people time.
//!
//! Pipeline: read one set of linked sessions at a time ([`crate::cmd::stream`]) → keep
//! the window → replay today's settings on each call → pair it with what it meant for the
//! person ([`crate::analysis::answer()`]) → count into a [`Part`] (tallies, fatigue and
//! auto mode per session, risky approvals, the replay summary) → merge the parts →
//! [`Part::finish`] → render.

use super::policies::{PolicyBook, gate_of};
use super::{Fold, apply_window, stream};
use crate::analysis::Gate;
use crate::analysis::aggregate::{GroupCounts, Tally};
use crate::analysis::automode::{AutoModeReport, AutoSession, auto_sessions, summarize};
use crate::analysis::fatigue::{
    FatigueParams, FatigueReport, SessionWork, merge_sessions, session_works,
};
use crate::analysis::keys::judged_keys;
use crate::analysis::risk::{
    Risk, RiskSummary, RiskyCall, approved_risks_with, risk_summary, risks,
};
use crate::analysis::{Answer, answer};
use crate::cli::ReportArgs;
use crate::event::ToolCall;
use crate::event::{Mode, ToolInput};
use crate::output::{self, Format, html, new_table, num};
use crate::permissions::engine::{CallCtx, Verdict, decide};
use crate::permissions::replay::Summary as ReplaySummary;
use crate::permissions::settings::Policy;
use crate::text::redact::Redactor;
use crate::text::time::day_of;
use crate::text::time::iso;
use crate::transcript::Table;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

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
    pub fatigue: crate::analysis::fatigue::SessionFatigue,
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

/// What one group of whole sessions contributes to a report. Parts are computed one group
/// at a time (so that no more than a group's calls are held at once) and put together by
/// [`Part::finish`]; a single part over every call gives the same report.
#[derive(Default)]
pub struct Part {
    calls: u64,
    all: GroupCounts,
    by_tool: Tally,
    by_command: Tally,
    by_project: Tally,
    by_day: Tally,
    by_session: Tally,
    fatigue: Vec<SessionWork>,
    auto: Vec<AutoSession>,
    risky: Vec<RiskyCall>,
    replay: ReplaySummary,
    /// The time each call was asked (untimed: `i64::MAX`, last), its sort key in the
    /// whole table: places the disagreements in that order.
    times: Vec<i64>,
    /// For each disagreement (same order): its call's sort key, its rank among the part's
    /// calls with that key, and how many calls of the part have that key.
    placing: Vec<(i64, usize, usize)>,
    /// The working folder of each session (as its last call says).
    projects: BTreeMap<String, Option<String>>,
    headless: u64,
    first: Option<i64>,
    last: Option<i64>,
    files: BTreeSet<PathBuf>,
}

impl Part {
    /// Analyses a group of calls (ordered like the table: by time asked, then id) that holds
    /// every call of its sessions, replaying them against `book`.
    pub fn of(
        calls: &[ToolCall],
        book: &PolicyBook<'_>,
        params: &FatigueParams,
        redactor: Redactor,
    ) -> Part {
        let mut p = Part::default();
        p.add(calls, book, params, redactor);
        p
    }

    /// Adds a group of calls (ordered like the table) that holds every call of its
    /// sessions, counting straight into this part's tallies.
    pub fn add(
        &mut self,
        calls: &[ToolCall],
        book: &PolicyBook<'_>,
        params: &FatigueParams,
        redactor: Redactor,
    ) {
        const CHUNK: usize = 256;
        let policies = book.policies_for(calls);
        let before = self.replay.disagreements.len();
        let judged: Vec<Answered> = if calls.len() <= CHUNK {
            judge_calls(
                calls,
                book,
                &policies,
                &mut self.by_command,
                &mut self.replay,
            )
        } else {
            let chunks: Vec<(Vec<Answered>, Tally, ReplaySummary)> = calls
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let (mut t, mut s) = (Tally::default(), ReplaySummary::default());
                    let a = judge_calls(chunk, book, &policies, &mut t, &mut s);
                    (a, t, s)
                })
                .collect();
            let mut judged = Vec::with_capacity(calls.len());
            for (n, (a, t, mut s)) in chunks.into_iter().enumerate() {
                for d in &mut s.disagreements {
                    d.index += n * CHUNK;
                }
                judged.extend(a);
                self.by_command.merge(t);
                self.replay.absorb(s);
            }
            judged
        };
        let answers: Vec<Answer> = judged.iter().map(|(a, _)| *a).collect();
        self.files
            .extend(policies.values().flat_map(|p| p.files.iter().cloned()));
        let times: Vec<i64> = calls
            .iter()
            .map(|c| c.asked_ms.unwrap_or(i64::MAX))
            .collect();
        // Disagreements carry their index among `calls`; where that falls among every
        // call is settled in `finish`.
        for d in &self.replay.disagreements[before..] {
            let key = times[d.index];
            let lo = times.partition_point(|k| *k < key);
            let hi = times.partition_point(|k| *k <= key);
            self.placing.push((key, d.index - lo, hi - lo));
        }
        self.times.extend(times);
        self.calls += calls.len() as u64;
        self.auto.extend(auto_sessions(calls));
        let mut days: FxHashMap<i64, Option<String>> = FxHashMap::default();
        for (c, &a) in calls.iter().zip(&answers) {
            self.all.count(a);
            self.by_tool.add(&c.tool, a);
            self.by_session.add(&c.session_id, a);
            if let Some(proj) = c.project.as_deref() {
                self.by_project.add(proj, a);
            }
            if let Some(ms) = c.asked_ms {
                let day = days
                    .entry(ms.div_euclid(86_400_000))
                    .or_insert_with(|| day_of(ms));
                if let Some(d) = day {
                    self.by_day.add(d, a);
                }
                self.first = Some(self.first.map_or(ms, |f| f.min(ms)));
                self.last = Some(self.last.map_or(ms, |l| l.max(ms)));
            }
            if a == Answer::Headless {
                self.headless += 1;
            }
            // The last call of a session names its folder, as in the whole table.
            match self.projects.get_mut(&*c.session_id) {
                Some(p) => {
                    if p.as_deref() != c.project.as_deref() {
                        *p = c.project.as_deref().map(String::from);
                    }
                }
                None => {
                    self.projects.insert(
                        c.session_id.to_string(),
                        c.project.as_deref().map(String::from),
                    );
                }
            }
        }
        let pairs: Vec<(&ToolCall, Answer)> = calls.iter().zip(answers).collect();
        self.fatigue.extend(session_works(&pairs, params));
        // Risks are worked out once per distinct call, for the approved ones only.
        let mut risky = approved_risks_with(&pairs, |i| {
            judged[i].1.risks.get_or_init(|| risks(&calls[i])).clone()
        });
        for r in &mut risky {
            r.detail = r.detail.as_deref().map(|d| redactor.redact(d).into_owned());
        }
        self.risky.extend(risky);
    }
}

/// Replays `calls` (each with its index among them), counting command keys and verdicts;
/// returns what each call meant for the person.
fn judge_calls(
    calls: &[ToolCall],
    book: &PolicyBook<'_>,
    policies: &std::collections::HashMap<PathBuf, Arc<Policy>>,
    by_command: &mut Tally,
    summary: &mut ReplaySummary,
) -> Vec<Answered> {
    // The policy depends on the call's folder only; calls come session by session.
    let mut last: Option<(Option<&str>, &Arc<Policy>)> = None;
    calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let policy = match last {
                Some((folder, p)) if folder == c.project.as_deref() => p,
                _ => {
                    let p = book.policy_of(policies, c);
                    last = Some((c.project.as_deref(), p));
                    p
                }
            };
            let j = judge(policy, c);
            summary.count(i, c, &j.verdict);
            let a = answer(c.outcome, j.gate);
            // A part that needed no prompt by itself (`tail` in `cargo test | tail`) is not
            // charged with the call's approval or rejection.
            for (k, prompted) in &j.keys {
                let ka = if !prompted && a.is_prompt() {
                    Answer::AutoAllowed
                } else {
                    a
                };
                by_command.add(k, ka);
            }
            (a, j)
        })
        .collect()
}

/// What a call meant for the person, with the replay's judgement of it.
type Answered = (Answer, Arc<Judgement>);

/// What the replay concluded about a call: the same for every call with the same
/// policy, tool, input, folder and mode.
struct Judgement {
    verdict: Verdict,
    gate: Gate,
    /// The call's command keys, each with whether that part needed a prompt by itself.
    keys: Vec<(String, bool)>,
    /// The call's risks, worked out the first time an approved call needs them.
    risks: std::sync::OnceLock<Vec<Risk>>,
}

/// What a [`Judgement`] depends on.
struct JudgeKey {
    policy: Arc<Policy>,
    tool: String,
    input: ToolInput,
    project: Option<Arc<str>>,
    mode: Option<Mode>,
}

impl JudgeKey {
    fn hash(policy: &Arc<Policy>, c: &ToolCall) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        Arc::as_ptr(policy).hash(&mut h);
        c.tool.hash(&mut h);
        c.input.hash(&mut h);
        c.project.hash(&mut h);
        c.mode.hash(&mut h);
        h.finish()
    }

    fn is(&self, policy: &Arc<Policy>, c: &ToolCall) -> bool {
        Arc::ptr_eq(&self.policy, policy)
            && self.tool == c.tool
            && self.input == c.input
            && self.project == c.project
            && self.mode == c.mode
    }
}

/// Judgements remembered per thread before the memo starts over (bounds its memory).
const JUDGE_MEMO_ENTRIES: usize = 2048;

type JudgeMemo = FxHashMap<u64, Vec<(JudgeKey, Arc<Judgement>)>>;

thread_local! {
    /// Agents repeat calls (the same file read, the same `git status`): each distinct one
    /// is decided once per thread. The key holds its policy, so the policy outlives it.
    static JUDGE_MEMO: std::cell::RefCell<(JudgeMemo, usize)> = Default::default();
}

/// Decides `c` under `policy` and derives its gate and command keys, once per distinct
/// call and thread.
fn judge(policy: &Arc<Policy>, c: &ToolCall) -> Arc<Judgement> {
    let hash = JudgeKey::hash(policy, c);
    let hit = JUDGE_MEMO.with_borrow(|(m, _)| {
        m.get(&hash)?
            .iter()
            .find(|(k, _)| k.is(policy, c))
            .map(|(_, j)| j.clone())
    });
    if let Some(j) = hit {
        return j;
    }
    let ctx = CallCtx {
        tool: &c.tool,
        input: &c.input,
        cwd: c.project.as_deref().map(Path::new),
        mode: c.mode.as_ref(),
    };
    let d = decide(policy, &ctx);
    let j = Arc::new(Judgement {
        gate: gate_of(&d.verdict),
        keys: judged_keys(c, c.project.as_deref().map(Path::new), &d),
        verdict: d.verdict,
        risks: std::sync::OnceLock::new(),
    });
    JUDGE_MEMO.with_borrow_mut(|(m, n)| {
        if *n >= JUDGE_MEMO_ENTRIES {
            m.clear();
            *n = 0;
        }
        *n += 1;
        m.entry(hash).or_default().push((
            JudgeKey {
                policy: policy.clone(),
                tool: c.tool.clone(),
                input: c.input.clone(),
                project: c.project.clone(),
                mode: c.mode.clone(),
            },
            j.clone(),
        ));
    });
    j
}

impl Part {
    /// Adds another part (of other sessions).
    pub fn absorb(&mut self, p: Part) {
        self.calls += p.calls;
        self.all.absorb(&p.all);
        self.by_tool.merge(p.by_tool);
        self.by_command.merge(p.by_command);
        self.by_project.merge(p.by_project);
        self.by_day.merge(p.by_day);
        self.by_session.merge(p.by_session);
        self.fatigue.extend(p.fatigue);
        self.auto.extend(p.auto);
        self.risky.extend(p.risky);
        self.replay.absorb(p.replay);
        self.times.extend(p.times);
        self.placing.extend(p.placing);
        self.projects.extend(p.projects);
        self.headless += p.headless;
        self.first = match (self.first, p.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(p.last);
        self.files.extend(p.files);
    }

    /// The report of every call absorbed. Returns None when the whole table's order of a
    /// disagreeing call cannot be told without the calls themselves (two parts with a call
    /// at the same millisecond): the caller then builds one part over every call.
    pub fn finish(mut self, params: &FatigueParams) -> Option<Report> {
        self.times.sort_unstable();
        for (d, (key, rank, count)) in self.replay.disagreements.iter_mut().zip(&self.placing) {
            let lo = self.times.partition_point(|k| k < key);
            let hi = self.times.partition_point(|k| k <= key);
            if hi - lo != *count {
                return None;
            }
            d.index = lo + rank;
        }
        let mut replay = self.replay;
        replay.disagreements.sort_by_key(|d| d.index);
        let all = self.all;
        // Parts keep whole sessions: ordering by session keeps each session's own order.
        let mut risky = self.risky;
        risky.sort_by(|a, b| a.session_id.cmp(&b.session_id));
        let mut by_day = self.by_day.ranked();
        by_day.sort_by(|a, b| a.key.cmp(&b.key));
        let by_session: BTreeMap<String, GroupCounts> = self
            .by_session
            .ranked()
            .into_iter()
            .map(|g| (g.key.clone(), g))
            .collect();
        let FatigueReport {
            sessions: fatigue_sessions,
            overall,
        } = merge_sessions(self.fatigue, params);
        let auto = summarize(self.auto);
        let projects = self.projects;
        let mut sessions: Vec<SessionRow> = fatigue_sessions
            .into_iter()
            .map(|f| SessionRow {
                session_id: f.session_id.clone(),
                project: projects.get(f.session_id.as_str()).cloned().flatten(),
                counts: by_session.get(&f.session_id).cloned().unwrap_or_default(),
                fatigue: f,
            })
            .collect();
        sessions.sort_by(|a, b| {
            b.fatigue
                .score
                .cmp(&a.fatigue.score)
                .then(b.counts.prompts().cmp(&a.counts.prompts()))
                .then(a.session_id.cmp(&b.session_id))
        });
        Some(Report {
            note: INFERENCE_NOTE,
            calls: self.calls,
            sessions_count: projects.len() as u64,
            first: self.first.map(iso),
            last: self.last.map(iso),
            prompts: Prompts {
                approved: all.approved,
                rejected: all.rejected,
                total: all.prompts(),
                approved_is_inferred: true,
            },
            denied: Denied {
                rule: all.rule_denied,
                classifier: all.classifier_blocked,
                classifier_unavailable: all.classifier_unavailable,
                dontask: all.dontask_denied,
                hook: all.hook_denied,
                headless: self.headless,
            },
            auto_allowed: all.auto_allowed,
            classifier_allowed: all.classifier_allowed,
            fatigue: FatigueHeadline {
                score: overall.score,
                prompts_per_active_hour: overall.prompts_per_active_hour,
                longest_streak: overall.longest_streak,
                rubber_stamp_share: overall.rubber_stamp_share,
                median_answer_ms: overall.median_answer_ms,
                waiting_ms: overall.waiting_ms,
                streaks_over_10: sessions.iter().map(|s| s.fatigue.streaks_over_10).sum(),
                rejections_after_long_streak: overall.rejections_after_long_streak,
                interrupts: overall.interrupts,
            },
            automode: AutoHeadline {
                sessions: auto.summary.sessions_in_auto_mode,
                blocks: auto.summary.blocks,
                unavailable: auto.summary.unavailable,
                fallbacks: auto.summary.fallbacks,
                detail: auto,
            },
            by_tool: self.by_tool.ranked(),
            by_command: self.by_command.ranked(),
            by_project: self.by_project.ranked(),
            by_day,
            sessions,
            risky_summary: risk_summary(&risky),
            risky_approved: risky,
            replay,
            settings_files: self.files.iter().map(|f| f.display().to_string()).collect(),
        })
    }
}

/// Runs `permstat report`: one group of transcripts at a time (see [`stream`]), each
/// windowed, replayed and analysed into a [`Part`], then the parts assembled.
pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    // Checked once up front, so that a bad --since fails before any file is read.
    apply_window(Vec::new(), &args.window)?;
    let book = PolicyBook::new(&args.input, &args.settings);
    let redactor = Redactor::new(!args.input.no_redact);
    let params = FatigueParams {
        rubber_stamp_ms: args.rubber_stamp_ms,
        ..FatigueParams::default()
    };
    let part = |calls: Vec<ToolCall>| Part::of(&calls, &book, &params, redactor);
    let streamed = stream(
        &args.input,
        &Fold {
            new: Part::default,
            add: |p: &mut Part, table: Table| {
                let calls = apply_window(table.calls, &args.window).unwrap_or_default();
                p.add(&calls, &book, &params, redactor);
            },
            merge: Part::absorb,
            result: PhantomData,
        },
    )?;
    let report = match streamed.merged.finish(&params) {
        Some(r) => r,
        None => {
            // Two sets of sessions hold calls made at the same millisecond, one of which the
            // replay disagrees with: place it by reading everything as one table.
            let loaded = super::load(&args.input)?;
            let calls = apply_window(loaded.table.calls, &args.window)?;
            part(calls).finish(&params).ok_or_else(|| {
                anyhow::anyhow!("internal error: a single part always places its calls")
            })?
        }
    };
    if !args.input.quiet {
        for w in book.warnings() {
            eprintln!("permstat: warning: {w}");
        }
    }
    let _t = crate::timing::phase("render");
    match args.format {
        Format::Json => output::print_json(&report)?,
        f => output::print_text(&render(&report, f, args.top))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{:.0}%", v * 100.0))
}

fn secs(ms: Option<f64>) -> String {
    ms.map_or("-".into(), |v| format!("{:.1}s", v / 1000.0))
}

fn dur(ms: i64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

/// A section: a title and rows of cells (first column text, the rest numbers).
pub struct Section<'a> {
    /// Heading.
    pub title: &'a str,
    /// Column names.
    pub header: Vec<&'a str>,
    /// Cells, first column text, the rest numbers.
    pub rows: Vec<Vec<String>>,
}

fn render_section(out: &mut String, s: &Section<'_>, format: Format) {
    if s.rows.is_empty() {
        return;
    }
    if format == Format::Md {
        let _ = write!(
            out,
            "\n## {}\n\n| {} |\n|{}\n",
            s.title,
            s.header.join(" | "),
            "---|".repeat(s.header.len())
        );
        for r in &s.rows {
            let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    } else {
        let mut t = new_table(&s.header);
        for r in &s.rows {
            let mut cells = vec![comfy_table::Cell::new(&r[0])];
            cells.extend(r[1..].iter().map(num));
            t.add_row(cells);
        }
        let _ = write!(out, "\n{}\n{t}\n", s.title);
    }
}

fn count_rows(groups: &[GroupCounts], top: usize) -> Vec<Vec<String>> {
    groups
        .iter()
        .take(top)
        .map(|g| {
            vec![
                g.key.clone(),
                g.approved.to_string(),
                g.rejected.to_string(),
                g.denied.to_string(),
                g.auto_allowed.to_string(),
                g.calls.to_string(),
            ]
        })
        .collect()
}

const COUNT_HEADER: [&str; 5] = ["approved*", "rejected", "denied", "auto-allowed", "calls"];

/// The report's sections, headline numbers first, as rows of text.
fn sections(r: &Report, top: usize) -> Vec<Section<'static>> {
    let mut out = Vec::new();
    let f = &r.fatigue;
    let headline = Section {
        title: "Headline",
        header: vec!["", "value"],
        rows: vec![
            vec!["calls".into(), r.calls.to_string()],
            vec!["sessions".into(), r.sessions_count.to_string()],
            vec!["prompts approved*".into(), r.prompts.approved.to_string()],
            vec!["prompts rejected".into(), r.prompts.rejected.to_string()],
            vec!["denied by rule".into(), r.denied.rule.to_string()],
            vec![
                "blocked by classifier".into(),
                r.denied.classifier.to_string(),
            ],
            vec![
                "denied: dontAsk / hook / headless".into(),
                format!(
                    "{} / {} / {}",
                    r.denied.dontask, r.denied.hook, r.denied.headless
                ),
            ],
            vec!["ran without a prompt".into(), r.auto_allowed.to_string()],
            vec!["fatigue score (0-100)".into(), f.score.to_string()],
            vec![
                "prompts per active hour".into(),
                f.prompts_per_active_hour
                    .map_or("-".into(), |v| format!("{v:.1}")),
            ],
            vec![
                "longest approval streak".into(),
                f.longest_streak.to_string(),
            ],
            vec!["rubber-stamp answers".into(), pct(f.rubber_stamp_share)],
            vec!["median answer time".into(), secs(f.median_answer_ms)],
            vec!["time waiting on prompts".into(), dur(f.waiting_ms)],
            vec![
                "auto mode: sessions / blocks / fallbacks".into(),
                format!(
                    "{} / {} / {}",
                    r.automode.sessions, r.automode.blocks, r.automode.fallbacks
                ),
            ],
        ],
    };
    out.push(headline);
    let mut header = vec!["command"];
    header.extend(COUNT_HEADER);
    out.push(Section {
        title: "Prompts by command",
        header: header.clone(),
        rows: count_rows(&r.by_command, top),
    });
    header[0] = "tool";
    out.push(Section {
        title: "By tool",
        header: header.clone(),
        rows: count_rows(&r.by_tool, top),
    });
    header[0] = "project";
    out.push(Section {
        title: "By project",
        header: header.clone(),
        rows: count_rows(&r.by_project, top),
    });
    out.push(Section {
        title: "Sessions by fatigue",
        header: vec![
            "session",
            "score",
            "prompts",
            "per hour",
            "streak",
            "rubber stamp",
            "median answer",
        ],
        rows: r
            .sessions
            .iter()
            .filter(|s| s.fatigue.prompts > 0)
            .take(top)
            .map(|s| {
                vec![
                    short_session(s),
                    s.fatigue.score.to_string(),
                    s.fatigue.prompts.to_string(),
                    s.fatigue
                        .prompts_per_active_hour
                        .map_or("-".into(), |v| format!("{v:.1}")),
                    s.fatigue.longest_streak.to_string(),
                    pct(s.fatigue.rubber_stamp_share),
                    secs(s.fatigue.median_answer_ms),
                ]
            })
            .collect(),
    });
    header[0] = "day";
    out.push(Section {
        title: "By day",
        header,
        rows: count_rows(&r.by_day, usize::MAX),
    });
    let fallbacks: Vec<Vec<String>> = r
        .automode
        .detail
        .sessions
        .iter()
        .flat_map(|s| {
            s.fallbacks.iter().map(move |f| {
                vec![
                    s.session_id.clone(),
                    f.at_ms.map(iso).unwrap_or_default(),
                    format!("{:?}", f.limit),
                    f.agent_id.clone().unwrap_or_else(|| "main".into()),
                ]
            })
        })
        .collect();
    out.push(Section {
        title: "Auto-mode fallbacks to prompting",
        header: vec!["session", "at", "limit", "thread"],
        rows: fallbacks,
    });
    out.push(Section {
        title: "Classifier blocks by category",
        header: vec!["category", "blocks"],
        rows: r
            .automode
            .detail
            .summary
            .blocks_by_category
            .iter()
            .map(|c| vec![c.category.clone(), c.blocks.to_string()])
            .collect(),
    });
    out.push(Section {
        title: "Approved risky actions (belong behind deny rules)",
        header: vec!["call", "risks", "session", "at"],
        rows: r
            .risky_approved
            .iter()
            .take(top)
            .map(|c| {
                let risks: Vec<String> = c
                    .risks
                    .iter()
                    .map(|x| format!("{:?}: {}", x.category, x.why))
                    .collect();
                vec![
                    c.detail.clone().unwrap_or_else(|| c.tool.clone()),
                    risks.join("; "),
                    c.session_id.chars().take(8).collect(),
                    c.at_ms.map(iso).unwrap_or_default(),
                ]
            })
            .collect(),
    });
    let dis: Vec<Vec<String>> = r
        .replay
        .per_disagreement
        .iter()
        .map(|(k, n)| vec![k.name().to_string(), n.to_string()])
        .collect();
    out.push(Section {
        title: "Recorded outcomes the replay does not explain",
        header: vec!["kind", "calls"],
        rows: dis,
    });
    out
}

/// The closing notes: how sure the numbers are, which settings were replayed.
fn notes(r: &Report) -> Vec<String> {
    let mut n = vec![format!("* {}.", r.note)];
    if r.settings_files.is_empty() {
        n.push("No settings file was found: the replay used Claude Code's defaults only.".into());
    } else {
        n.push(format!(
            "Settings replayed: {}",
            r.settings_files.join(", ")
        ));
    }
    n
}

/// Renders the report as terminal tables, Markdown or a self-contained HTML page.
pub fn render(r: &Report, format: Format, top: usize) -> String {
    let mut out = String::new();
    let secs = sections(r, top);
    match format {
        Format::Html => return html::page(&secs, &notes(r)),
        Format::Md => out.push_str("# Permission friction report\n"),
        _ => {}
    }
    for s in &secs {
        render_section(&mut out, s, format);
    }
    out.push('\n');
    for n in notes(r) {
        let _ = writeln!(out, "{n}");
    }
    out
}

fn short_session(s: &SessionRow) -> String {
    let id: String = s.session_id.chars().take(8).collect();
    match &s.project {
        Some(p) => format!("{id} {}", p.rsplit('/').next().unwrap_or(p)),
        None => id,
    }
}
