//! The fold that builds a [`Report`]: one [`Part`] per group of whole sessions, merged,
//! then finished.

use super::judge::{Answered, PolicyLookup, judge_calls};
use super::model::{
    AutoHeadline, Denied, FatigueHeadline, INFERENCE_NOTE, Prompts, Report, SessionRow,
};
use crate::analysis::Answer;
use crate::analysis::aggregate::{GroupCounts, Tally};
use crate::analysis::automode::{AutoSession, auto_sessions, summarize};
use crate::analysis::fatigue::{
    FatigueParams, FatigueReport, SessionWork, merge_sessions, session_works,
};
use crate::analysis::risk::{RiskyCall, approved_risks_with, risk_summary, risks};
use crate::event::ToolCall;
use crate::permissions::replay::Summary as ReplaySummary;
use crate::text::redact::Redactor;
use crate::text::time::{day_of, iso};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

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
        book: &impl PolicyLookup,
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
        book: &impl PolicyLookup,
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
