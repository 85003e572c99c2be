//! The fold that builds a [`Report`]: one [`Part`] per group of whole sessions, merged,
//! then finished.

use super::judge::{Judgement, PolicyLookup, again, judge_calls, policies_of};
use super::model::{
    AutoHeadline, ByBasis, Context, Denied, Estimate, EvidenceReport, FATIGUE_NOTE,
    FatigueHeadline, GroundRow, INFERENCE_NOTE, ModesInferred, Prompts, Report, SessionRow,
};
use super::period::{Period, regroup};
use super::team::TeamPart;
use crate::analysis::aggregate::{GroupCounts, Run, Tally};
use crate::analysis::automode::{AutoSession, auto_sessions, summarize};
use crate::analysis::evidence::{
    self, Adopt, EvidenceParams, GrantFound, ModeSpan, RecordCheck, Replay, Seen,
};
use crate::analysis::fatigue::{
    FatigueParams, FatigueReport, SessionWork, merge_sessions, session_works,
};
use crate::analysis::risk::{RiskSummary, RiskyCall, approved_risks_with, risk_summary, risks};
use crate::analysis::{Answer, Basis, Confirmed, Evidence, Ground, Known};
use crate::event::{Mode, ToolCall};
use crate::facts::tools::{Family, family};
use crate::permissions::replay::Summary as ReplaySummary;
use crate::suggest::Summary;
use crate::text::redact::Redactor;
use crate::text::time::{day_of, iso};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// The thresholds of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportParams {
    /// Of the fatigue figures.
    pub fatigue: FatigueParams,
    /// Of the rules of evidence.
    pub evidence: EvidenceParams,
    /// Keep a summary of the calls the suggester needs ([`Part::take_suggest_rows`]).
    pub keep_suggest_calls: bool,
    /// How many of the approved risky calls to keep, in the report's order (by session,
    /// then time); None keeps them all. Their counts cover them all either way. The tables
    /// show only the first `--top`: keeping every one cost the 1 GB terminal report about
    /// 8 MB of peak memory, growing with the history.
    pub risky_rows: Option<usize>,
}

/// The calls the suggester may draw a rule from, or whose prompt a rule may save (Bash,
/// WebFetch and MCP calls that prompted or were answered), with their answers, summarized
/// per working folder (calls alike kept once: see [`Summary`]).
pub type SuggestRows = BTreeMap<Option<String>, Summary>;

/// A call an allow rule covers whose answer waits on the rule's adoption date, settled
/// when every set of sessions is in ([`Part::finish`]); with what it was counted under.
struct Deferred {
    rule: Arc<str>,
    at_ms: Option<i64>,
    known: Known,
    tool: String,
    session: Arc<str>,
    project: Option<Arc<str>>,
    developer: Option<Arc<str>>,
    day: Option<String>,
    keys: Vec<String>,
}

/// Counts per rule of evidence.
#[derive(Debug, Clone, Copy, Default)]
struct GroundCount {
    calls: u64,
    approved: u64,
    rejected: u64,
    unasked: u64,
}

impl GroundCount {
    fn count(&mut self, a: Answer, n: i64) {
        let add = |x: &mut u64| *x = x.saturating_add_signed(n);
        add(&mut self.calls);
        match a {
            Answer::Approved => add(&mut self.approved),
            Answer::Rejected => add(&mut self.rejected),
            Answer::AutoAllowed | Answer::ClassifierAllowed => add(&mut self.unasked),
            _ => {}
        }
    }
}

/// True when the answer is recorded or evidenced.
fn certain(k: &Known) -> bool {
    k.basis != Basis::Replayed
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
    /// The risky approved calls kept (see [`ReportParams::risky_rows`]), in the report's
    /// order.
    risky: Vec<RiskyCall>,
    /// Counts over every risky approved call, kept or not.
    risky_counts: RiskSummary,
    /// How many risky calls to keep; None: all.
    risky_rows: Option<usize>,
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
    grounds: BTreeMap<Ground, GroundCount>,
    /// Calls the replay says prompted whose answer is recorded or evidenced.
    confirmed: Confirmed,
    spans: Vec<ModeSpan>,
    grants: Vec<GrantFound>,
    seen: Vec<Seen>,
    records: RecordCheck,
    deferred: Vec<Deferred>,
    /// Per developer, in team mode.
    team: TeamPart,
    /// Calls whose transcript records no mode.
    mode_unrecorded: u64,
    /// Calls kept for the suggester (with [`ReportParams::keep_suggest_calls`]).
    suggest_rows: SuggestRows,
}

impl Part {
    /// Analyses a group of calls (ordered like the table: by time asked, then id) that holds
    /// every call of its sessions, replaying them against `book`.
    pub fn of(
        calls: &[ToolCall],
        book: &impl PolicyLookup,
        params: &ReportParams,
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
        book: &impl PolicyLookup,
        params: &ReportParams,
        redactor: Redactor,
    ) {
        const CHUNK: usize = 256;
        let policies = book.policies_for(calls);
        let policy = policies_of(calls, book, &policies);
        let before = self.replay.disagreements.len();
        let judged: Vec<Arc<Judgement>> = if calls.len() <= CHUNK {
            judge_calls(calls, &policy, &mut self.replay)
        } else {
            let chunks: Vec<(Vec<Arc<Judgement>>, ReplaySummary)> = calls
                .par_chunks(CHUNK)
                .zip(policy.par_chunks(CHUNK))
                .map(|(chunk, policy)| {
                    let mut s = ReplaySummary::default();
                    (judge_calls(chunk, policy, &mut s), s)
                })
                .collect();
            let mut judged = Vec::with_capacity(calls.len());
            for (n, (j, mut s)) in chunks.into_iter().enumerate() {
                for d in &mut s.disagreements {
                    d.index += n * CHUNK;
                }
                judged.extend(j);
                self.replay.absorb(s);
            }
            judged
        };
        let facts: Vec<Replay> = judged.iter().map(|j| j.replay()).collect();
        let rejudge = |i: usize, m: &Mode| again(&judged[i], policy[i], &calls[i], m).gate;
        let ev = Evidence::gather(calls, &facts, &rejudge, &params.evidence, Adopt::Later);
        let known: Vec<Known> = calls
            .iter()
            .zip(&facts)
            .enumerate()
            .map(|(i, (c, f))| ev.answer(i, c, f.gate))
            .collect();
        drop(facts);
        // A call whose mode was inferred is keyed as decided in that mode.
        let judged: Vec<Arc<Judgement>> = judged
            .into_iter()
            .enumerate()
            .map(|(i, j)| match ev.mode(i) {
                Some(m) => again(&j, policy[i], &calls[i], &m.mode()),
                None => j,
            })
            .collect();
        for (i, (c, (k, j))) in calls.iter().zip(known.iter().zip(&judged)).enumerate() {
            let sure = certain(k);
            for (key, prompted) in &j.keys {
                self.by_command.add(key, k.key_answer(*prompted), sure);
                self.team
                    .key(c.developer.as_ref(), key, k.key_answer(*prompted), sure);
            }
            self.grounds.entry(k.ground).or_default().count(k.answer, 1);
            if params.keep_suggest_calls
                && (j.gate.prompts() || k.answer.is_prompt())
                && matches!(
                    family(&c.tool),
                    Family::Bash | Family::WebFetch | Family::Mcp
                )
            {
                self.suggest_rows
                    .entry(c.project.as_deref().map(String::from))
                    .or_default()
                    .add(c, policy[i], *k, j.gate);
            }
            if c.mode.is_none() {
                self.mode_unrecorded += 1;
            }
            self.confirmed.count(c, j.gate, k);
        }
        for (i, rule) in ev.pending() {
            let c = &calls[*i];
            self.deferred.push(Deferred {
                rule: rule.clone(),
                at_ms: c.asked_ms,
                known: known[*i],
                tool: c.tool.clone(),
                session: c.session_id.clone(),
                project: c.project.clone(),
                developer: c.developer.clone(),
                day: c.asked_ms.and_then(day_of),
                keys: judged[*i].keys.iter().map(|(k, _)| k.clone()).collect(),
            });
        }
        let evidence::Found {
            modes,
            grants,
            seen,
            records,
            ..
        } = ev.found;
        self.spans.extend(modes);
        self.grants.extend(grants);
        self.seen.extend(seen);
        self.records.absorb(&records);
        let answers: Vec<Answer> = known.iter().map(|k| k.answer).collect();
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
        // Calls come session by session: the session, folder and day are counted per run.
        let (mut session_run, mut project_run) = (Run::<&str>::default(), Run::<&str>::default());
        let mut day_run = Run::<i64>::default();
        // The session of the calls so far, and the folder of its latest call.
        let mut place: Option<(&str, Option<&str>)> = None;
        for (c, k) in calls.iter().zip(&known) {
            let (a, sure) = (k.answer, certain(k));
            self.all.count(a, sure);
            self.by_tool.add(&c.tool, a, sure);
            if let Some((s, g)) = session_run.count(&c.session_id, a, sure) {
                self.by_session.add_run(s, &g);
            }
            if let Some(proj) = c.project.as_deref()
                && let Some((p, g)) = project_run.count(proj, a, sure)
            {
                self.by_project.add_run(p, &g);
            }
            self.team.call(c, a, sure);
            if let Some(ms) = c.asked_ms {
                let n = ms.div_euclid(86_400_000);
                let day = days.entry(n).or_insert_with(|| day_of(ms));
                if let Some(d) = day {
                    self.team.day(c.developer.as_ref(), d, a, sure);
                    if let Some((m, g)) = day_run.count(n, a, sure)
                        && let Some(Some(d)) = days.get(&m)
                    {
                        self.by_day.add_run(d, &g);
                    }
                }
                self.first = Some(self.first.map_or(ms, |f| f.min(ms)));
                self.last = Some(self.last.map_or(ms, |l| l.max(ms)));
            }
            if a == Answer::Headless {
                self.headless += 1;
            }
            // The last call of a session names its folder, as in the whole table.
            match &mut place {
                Some((s, p)) if *s == &*c.session_id => *p = c.project.as_deref(),
                _ => {
                    if let Some((s, p)) = place.replace((&c.session_id, c.project.as_deref())) {
                        self.name_folder(s, p);
                    }
                }
            }
        }
        if let Some((s, g)) = session_run.take() {
            self.by_session.add_run(s, &g);
        }
        if let Some((p, g)) = project_run.take() {
            self.by_project.add_run(p, &g);
        }
        if let Some((m, g)) = day_run.take()
            && let Some(Some(d)) = days.get(&m)
        {
            self.by_day.add_run(d, &g);
        }
        if let Some((s, p)) = place {
            self.name_folder(s, p);
        }
        let weighed: Vec<(&ToolCall, Known)> = calls.iter().zip(known.iter().copied()).collect();
        self.fatigue
            .extend(session_works(&weighed, &params.fatigue));
        let pairs: Vec<(&ToolCall, Answer)> = calls.iter().zip(answers).collect();
        // Risks are worked out once per distinct call, for the approved ones only.
        let mut risky = approved_risks_with(&pairs, |i| {
            judged[i].risks.get_or_init(|| risks(&calls[i])).clone()
        });
        self.risky_counts.add(&risk_summary(&risky));
        self.risky_rows = params.risky_rows;
        if let Some(n) = self.risky_rows {
            // In report order already (by session, then time), and sessions are whole: only
            // this group's first `n` can be among the first `n` of all.
            risky.truncate(n);
        }
        for r in &mut risky {
            r.detail = r.detail.as_deref().map(|d| redactor.redact(d).into_owned());
        }
        self.keep_risky(risky);
    }

    /// Names `project` as the folder of `session`, as its latest call so far.
    fn name_folder(&mut self, session: &str, project: Option<&str>) {
        match self.projects.get_mut(session) {
            Some(p) => {
                if p.as_deref() != project {
                    *p = project.map(String::from);
                }
            }
            None => {
                self.projects
                    .insert(session.to_string(), project.map(String::from));
            }
        }
    }

    /// Adds risky calls of other sessions (each session's in order), keeping the first
    /// [`ReportParams::risky_rows`] by session when bounded.
    fn keep_risky(&mut self, risky: Vec<RiskyCall>) {
        self.risky.extend(risky);
        if let Some(n) = self.risky_rows {
            // Stable: a session's calls keep their order.
            self.risky.sort_by(|a, b| a.session_id.cmp(&b.session_id));
            self.risky.truncate(n);
        }
    }
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
        self.risky_counts.add(&p.risky_counts);
        self.risky_rows = self.risky_rows.or(p.risky_rows);
        self.keep_risky(p.risky);
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
        for (g, n) in p.grounds {
            let mine = self.grounds.entry(g).or_default();
            mine.calls += n.calls;
            mine.approved += n.approved;
            mine.rejected += n.rejected;
            mine.unasked += n.unasked;
        }
        self.confirmed.add(p.confirmed);
        self.spans.extend(p.spans);
        self.grants.extend(p.grants);
        self.seen.extend(p.seen);
        self.records.absorb(&p.records);
        self.deferred.extend(p.deferred);
        self.team.absorb(p.team);
        self.mode_unrecorded += p.mode_unrecorded;
        for (folder, rows) in p.suggest_rows {
            match self.suggest_rows.get_mut(&folder) {
                Some(mine) => mine.absorb(rows),
                None => {
                    self.suggest_rows.insert(folder, rows);
                }
            }
        }
    }

    /// The calls kept for the suggester (see [`SuggestRows`]), leaving none.
    pub fn take_suggest_rows(&mut self) -> SuggestRows {
        std::mem::take(&mut self.suggest_rows)
    }

    /// Settles the adoption of allow rules over every call: the covered calls before a
    /// rule's adoption count as prompts, in every tally.
    fn settle_adoptions(&mut self) -> Vec<evidence::Adoption> {
        let mut adoptions = evidence::adoption::dates(std::mem::take(&mut self.seen));
        for d in std::mem::take(&mut self.deferred) {
            let mut k = d.known;
            if !evidence::before_adoption(&mut k, d.at_ms, &mut adoptions, &d.rule) {
                continue;
            }
            let from = (d.known.answer, certain(&d.known));
            let to = (k.answer, certain(&k));
            self.all.uncount(from.0, from.1);
            self.all.count(to.0, to.1);
            self.by_tool.recount(&d.tool, from, to);
            self.by_session.recount(&d.session, from, to);
            if let Some(p) = d.project.as_deref() {
                self.by_project.recount(p, from, to);
            }
            if let Some(day) = d.day.as_deref() {
                self.by_day.recount(day, from, to);
            }
            for key in &d.keys {
                self.by_command.recount(key, from, to);
            }
            self.team
                .recount(d.developer.as_ref(), d.day.as_deref(), &d.keys, from, to);
            self.grounds
                .entry(d.known.ground)
                .or_default()
                .count(from.0, -1);
            self.grounds.entry(k.ground).or_default().count(to.0, 1);
        }
        adoptions
    }

    /// The report of every call absorbed. Returns None when the whole table's order of a
    /// disagreeing call cannot be told without the calls themselves (two parts with a call
    /// at the same millisecond): the caller then builds one part over every call.
    pub fn finish(mut self, params: &ReportParams) -> Option<Report> {
        self.times.sort_unstable();
        for (d, (key, rank, count)) in self.replay.disagreements.iter_mut().zip(&self.placing) {
            let lo = self.times.partition_point(|k| k < key);
            let hi = self.times.partition_point(|k| k <= key);
            if hi - lo != *count {
                return None;
            }
            d.index = lo + rank;
        }
        let adoptions = self.settle_adoptions();
        let evidence = evidence_report(
            &self.grounds,
            std::mem::take(&mut self.spans),
            std::mem::take(&mut self.grants),
            adoptions,
            std::mem::take(&mut self.records),
            params,
        );
        let mut replay = self.replay;
        replay.disagreements.sort_by_key(|d| d.index);
        let all = self.all;
        let by_basis = {
            let mut b = ByBasis::default();
            for (g, n) in &self.grounds {
                b.add(g.basis(), n.approved);
            }
            b
        };
        let (low, high) = (all.approved_evidenced, all.approved);
        let best = self.confirmed.best(low, high);
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
        } = merge_sessions(self.fatigue, &params.fatigue);
        let auto = summarize(self.auto);
        let projects = self.projects;
        let team = self.team.finish();
        let mut sessions: Vec<SessionRow> = fatigue_sessions
            .into_iter()
            .map(|f| SessionRow {
                session_id: f.session_id.clone(),
                developer: team.sessions.get(&f.session_id).map(|d| d.to_string()),
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
        let of_calls = |n: u64| (self.calls > 0).then(|| n as f64 / self.calls as f64);
        let answer_inferred = evidence.calls_by_basis.evidenced + evidence.calls_by_basis.replayed;
        let context = Context {
            first: self.first.map(iso),
            last: self.last.map(iso),
            days: self
                .first
                .zip(self.last)
                .map(|(f, l)| l.div_euclid(86_400_000) - f.div_euclid(86_400_000) + 1),
            files: 0,
            sessions: projects.len() as u64,
            calls: self.calls,
            settings_files: self.files.len(),
            mode_unrecorded: self.mode_unrecorded,
            mode_inferred: evidence.modes_inferred.calls as u64,
            answer_inferred,
            mode_unrecorded_share: of_calls(self.mode_unrecorded),
            answer_inferred_share: of_calls(answer_inferred),
        };
        Some(Report {
            note: INFERENCE_NOTE,
            context,
            calls: self.calls,
            sessions_count: projects.len() as u64,
            first: self.first.map(iso),
            last: self.last.map(iso),
            prompts: Prompts {
                approved: all.approved,
                rejected: all.rejected,
                total: all.prompts(),
                approved_is_inferred: by_basis.recorded < all.approved,
                estimate: Estimate {
                    low,
                    best,
                    high,
                    confirmed_share: self.confirmed.share(),
                },
                approved_by_basis: by_basis,
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
                note: FATIGUE_NOTE,
                prompts_counted: overall.prompts,
                replay_only_left_out: overall.replay_only_left_out,
                score: overall.score,
                prompts_per_active_hour: overall.prompts_per_active_hour,
                longest_streak: overall.longest_streak,
                rubber_stamp_share: overall.rubber_stamp_share,
                median_answer_ms: overall.median_answer_ms,
                waiting_ms: overall.waiting_ms,
                waiting: overall.waiting,
                curve: overall.curve,
                streaks_over_10: sessions.iter().map(|s| s.fatigue.streaks_over_10).sum(),
                rejections_after_long_streak: overall.rejections_after_long_streak,
                interrupts: overall.interrupts,
            },
            evidence,
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
            by_developer: team.by_developer,
            project_developers: team.project_developers,
            team_commands: team.commands,
            developer_days: team.days,
            by_week: regroup(&by_day, Period::Week),
            by_month: regroup(&by_day, Period::Month),
            by_day,
            sessions,
            risky_summary: self.risky_counts,
            risky_approved: risky,
            replay,
            settings_files: self.files.iter().map(|f| f.display().to_string()).collect(),
            suggested: None,
        })
    }
}

/// The evidence section of the report.
fn evidence_report(
    grounds: &BTreeMap<Ground, GroundCount>,
    spans: Vec<ModeSpan>,
    mut grants: Vec<GrantFound>,
    adoptions: Vec<evidence::Adoption>,
    records: RecordCheck,
    params: &ReportParams,
) -> EvidenceReport {
    let mut calls_by_basis = ByBasis::default();
    let by_ground: Vec<GroundRow> = grounds
        .iter()
        .filter(|(_, n)| n.calls > 0)
        .map(|(g, n)| {
            calls_by_basis.add(g.basis(), n.calls);
            GroundRow {
                ground: *g,
                basis: g.basis(),
                calls: n.calls,
                approved: n.approved,
                rejected: n.rejected,
                unasked: n.unasked,
            }
        })
        .collect();
    let total = calls_by_basis.total();
    let mut spans = spans;
    spans.sort_by(|a, b| (&a.session_id, &a.from).cmp(&(&b.session_id, &b.from)));
    let mut sessions: BTreeSet<&str> = BTreeSet::new();
    let mut by_mode: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for s in &spans {
        sessions.insert(&s.session_id);
        by_mode
            .entry(s.mode.as_str().to_string())
            .or_default()
            .insert(&s.session_id);
    }
    let modes_inferred = ModesInferred {
        sessions: sessions.len(),
        calls: spans.iter().map(|s| s.calls).sum(),
        sessions_by_mode: by_mode.into_iter().map(|(m, s)| (m, s.len())).collect(),
        spans: Vec::new(),
    };
    let modes_inferred = ModesInferred {
        spans,
        ..modes_inferred
    };
    grants.sort_by(|a, b| (&a.session_id, &a.granted_at).cmp(&(&b.session_id, &b.granted_at)));
    EvidenceReport {
        floor_ms: params.evidence.floor_ms,
        exact_share: (total > 0).then(|| calls_by_basis.recorded as f64 / total as f64),
        calls_by_basis,
        by_ground,
        modes_inferred,
        grants,
        adoptions,
        records,
    }
}
