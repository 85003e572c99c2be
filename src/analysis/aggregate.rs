//! Counts of answers grouped by tool, command key, project, session or day.
//!
//! The report folds them with [`Tally`], one group of sessions at a time, so that it never
//! holds every call at once. [`count_by`] computes the same counts with a polars group-by
//! over the exported frames of [`crate::output::frame`]; the tests check that both agree.

use crate::analysis::Answer;
use polars::prelude::*;
use serde::Serialize;

/// The answers counted in every grouping, as (output field, answer).
pub const COUNTED: &[(&str, Answer)] = &[
    ("approved", Answer::Approved),
    ("rejected", Answer::Rejected),
    ("rule_denied", Answer::RuleDenied),
    ("classifier_blocked", Answer::ClassifierBlocked),
    ("classifier_unavailable", Answer::ClassifierUnavailable),
    ("dontask_denied", Answer::DontAskDenied),
    ("hook_denied", Answer::HookDenied),
    ("auto_allowed", Answer::AutoAllowed),
    ("classifier_allowed", Answer::ClassifierAllowed),
];

/// One group's counts.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct GroupCounts {
    /// The group's value (tool name, command key, project, session id or day).
    pub key: String,
    /// Calls in the group.
    pub calls: u64,
    /// Prompts answered "yes" (on any basis: the high bound).
    pub approved: u64,
    /// Of those, the ones recorded or evidenced (the low bound; see `docs/report.md`).
    pub approved_evidenced: u64,
    /// Prompts answered "no".
    pub rejected: u64,
    /// All denials nobody answered: rule + classifier + classifier unavailable + dontAsk + hook.
    pub denied: u64,
    /// Denied by a deny rule.
    pub rule_denied: u64,
    /// Blocked by the auto-mode classifier.
    pub classifier_blocked: u64,
    /// Denied because the classifier was unavailable.
    pub classifier_unavailable: u64,
    /// Denied by dontAsk mode.
    pub dontask_denied: u64,
    /// Denied by a hook.
    pub hook_denied: u64,
    /// Ran without a prompt (read-only, built-in list, allow rule or mode).
    pub auto_allowed: u64,
    /// Ran after the auto-mode classifier allowed it.
    pub classifier_allowed: u64,
}

impl GroupCounts {
    /// Prompts shown: approved + rejected.
    pub fn prompts(&self) -> u64 {
        self.approved + self.rejected
    }

    /// Counts one call with this answer; `certain` when it is recorded or evidenced.
    pub fn count(&mut self, answer: Answer, certain: bool) {
        self.calls += 1;
        if let Some(n) = self.field(answer) {
            *n += 1;
        }
        if answer == Answer::Approved && certain {
            self.approved_evidenced += 1;
        }
    }

    /// Takes back one call counted with this answer (see [`GroupCounts::count`]).
    pub fn uncount(&mut self, answer: Answer, certain: bool) {
        self.calls = self.calls.saturating_sub(1);
        if let Some(n) = self.field(answer) {
            *n = n.saturating_sub(1);
        }
        if answer == Answer::Approved && certain {
            self.approved_evidenced = self.approved_evidenced.saturating_sub(1);
        }
    }

    /// Adds another group's counts (the key is kept).
    pub fn absorb(&mut self, other: &GroupCounts) {
        self.calls += other.calls;
        self.approved_evidenced += other.approved_evidenced;
        for (_, a) in COUNTED {
            let n = other.get(*a);
            if let Some(f) = self.field(*a) {
                *f += n;
            }
        }
        self.denied = self.denials();
    }

    /// The counter of an answer listed in [`COUNTED`].
    fn field(&mut self, answer: Answer) -> Option<&mut u64> {
        Some(match answer {
            Answer::Approved => &mut self.approved,
            Answer::Rejected => &mut self.rejected,
            Answer::RuleDenied => &mut self.rule_denied,
            Answer::ClassifierBlocked => &mut self.classifier_blocked,
            Answer::ClassifierUnavailable => &mut self.classifier_unavailable,
            Answer::DontAskDenied => &mut self.dontask_denied,
            Answer::HookDenied => &mut self.hook_denied,
            Answer::AutoAllowed => &mut self.auto_allowed,
            Answer::ClassifierAllowed => &mut self.classifier_allowed,
            _ => return None,
        })
    }

    fn get(&self, answer: Answer) -> u64 {
        match answer {
            Answer::Approved => self.approved,
            Answer::Rejected => self.rejected,
            Answer::RuleDenied => self.rule_denied,
            Answer::ClassifierBlocked => self.classifier_blocked,
            Answer::ClassifierUnavailable => self.classifier_unavailable,
            Answer::DontAskDenied => self.dontask_denied,
            Answer::HookDenied => self.hook_denied,
            Answer::AutoAllowed => self.auto_allowed,
            Answer::ClassifierAllowed => self.classifier_allowed,
            _ => 0,
        }
    }

    /// All denials nobody answered.
    fn denials(&self) -> u64 {
        self.rule_denied
            + self.classifier_blocked
            + self.classifier_unavailable
            + self.dontask_denied
            + self.hook_denied
    }
}

/// Counts per key, folded call by call and merged across groups of sessions. The counts
/// are stored without their key (the map holds it) until [`Tally::ranked`].
#[derive(Debug, Default)]
pub struct Tally(rustc_hash::FxHashMap<Box<str>, GroupCounts>);

impl Tally {
    /// Counts one call under `key`; `certain` when its answer is recorded or evidenced.
    pub fn add(&mut self, key: &str, answer: Answer, certain: bool) {
        match self.0.get_mut(key) {
            Some(g) => g.count(answer, certain),
            None => {
                let mut g = GroupCounts::default();
                g.count(answer, certain);
                self.0.insert(key.into(), g);
            }
        }
    }

    /// Adds the counts of a run of calls under `key` (see [`Run`]).
    pub fn add_run(&mut self, key: &str, counts: &GroupCounts) {
        match self.0.get_mut(key) {
            Some(g) => g.absorb(counts),
            None => {
                self.0.insert(key.into(), counts.clone());
            }
        }
    }

    /// Counts a call under `key` again: taken back as `from`, counted as `to` (answer, and
    /// whether it is certain).
    pub fn recount(&mut self, key: &str, from: (Answer, bool), to: (Answer, bool)) {
        if let Some(g) = self.0.get_mut(key) {
            g.uncount(from.0, from.1);
            g.count(to.0, to.1);
        }
    }

    /// Adds the counts of another tally.
    pub fn merge(&mut self, mut other: Tally) {
        // Counts add up in any order: walk the smaller map.
        if other.0.len() > self.0.len() {
            std::mem::swap(self, &mut other);
        }
        for (k, g) in other.0 {
            match self.0.get_mut(&k) {
                Some(mine) => mine.absorb(&g),
                None => {
                    self.0.insert(k, g);
                }
            }
        }
    }

    /// The groups with `denied` filled in, sorted like [`count_by`]: by prompts, then calls,
    /// descending, then by key.
    pub fn ranked(self) -> Vec<GroupCounts> {
        let mut rows: Vec<GroupCounts> = self
            .0
            .into_iter()
            .map(|(key, mut g)| {
                g.key = key.into();
                g.denied = g.denials();
                g
            })
            .collect();
        rows.sort_by(rank);
        rows
    }
}

/// The counts of consecutive calls under one key, for adding to a [`Tally`] once per run
/// instead of once per call: a report's calls come session by session, so the session,
/// folder and day repeat from one call to the next.
#[derive(Debug)]
pub struct Run<K> {
    key: Option<K>,
    counts: GroupCounts,
}

impl<K> Default for Run<K> {
    fn default() -> Self {
        Run {
            key: None,
            counts: GroupCounts::default(),
        }
    }
}

impl<K: PartialEq> Run<K> {
    /// Counts a call under `key`; returns the run this call ends (its key and counts),
    /// if its key is another.
    pub fn count(&mut self, key: K, answer: Answer, certain: bool) -> Option<(K, GroupCounts)> {
        let ended = if self.key.as_ref() == Some(&key) {
            None
        } else {
            let ended = self.take();
            self.key = Some(key);
            ended
        };
        self.counts.count(answer, certain);
        ended
    }

    /// The run so far (its key and counts), ending it.
    pub fn take(&mut self) -> Option<(K, GroupCounts)> {
        let key = self.key.take()?;
        Some((key, std::mem::take(&mut self.counts)))
    }
}

fn rank(a: &GroupCounts, b: &GroupCounts) -> std::cmp::Ordering {
    b.prompts()
        .cmp(&a.prompts())
        .then(b.calls.cmp(&a.calls))
        .then(a.key.cmp(&b.key))
}

/// Groups `frame` (which has `answer` and `basis` columns) by `by` and counts each answer;
/// sorted by prompts, then calls, descending, then by key.
pub fn count_by(frame: &DataFrame, by: &str) -> PolarsResult<Vec<GroupCounts>> {
    let mut aggs: Vec<Expr> = vec![
        len().alias("calls"),
        (col("answer").eq(lit("approved")))
            .and(col("basis").neq(lit("replayed")))
            .cast(DataType::UInt64)
            .sum()
            .alias("approved_evidenced"),
    ];
    for (name, answer) in COUNTED {
        aggs.push(
            col("answer")
                .eq(lit(answer.as_str()))
                .cast(DataType::UInt64)
                .sum()
                .alias(*name),
        );
    }
    let out = frame
        .clone()
        .lazy()
        .filter(col(by).is_not_null())
        .group_by([col(by)])
        .agg(aggs)
        .collect()?;
    let keys = out.column(by)?.str()?.clone();
    let num = |name: &str| -> PolarsResult<Vec<u64>> {
        let c = out.column(name)?.cast(&DataType::UInt64)?;
        let ca = c.u64()?;
        Ok((0..ca.len()).map(|i| ca.get(i).unwrap_or(0)).collect())
    };
    let calls = num("calls")?;
    let evidenced = num("approved_evidenced")?;
    let cols: Vec<Vec<u64>> = COUNTED
        .iter()
        .map(|(n, _)| num(n))
        .collect::<PolarsResult<_>>()?;
    let mut rows: Vec<GroupCounts> = (0..out.height())
        .map(|i| {
            let v = |j: usize| cols[j][i];
            let mut g = GroupCounts {
                key: keys.get(i).unwrap_or_default().to_string(),
                calls: calls[i],
                approved: v(0),
                approved_evidenced: evidenced[i],
                rejected: v(1),
                rule_denied: v(2),
                classifier_blocked: v(3),
                classifier_unavailable: v(4),
                dontask_denied: v(5),
                hook_denied: v(6),
                auto_allowed: v(7),
                classifier_allowed: v(8),
                denied: 0,
            };
            g.denied = g.denials();
            g
        })
        .collect();
    rows.sort_by(rank);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_count_as_calls_one_by_one() {
        use Answer::*;
        #[rustfmt::skip]
        let calls: &[(&str, Answer, bool)] = &[
            ("a", Approved, true), ("a", Approved, false), ("b", Rejected, true),
            ("a", AutoAllowed, true), ("a", RuleDenied, true), ("c", Approved, false),
            ("c", Headless, true), ("b", ClassifierBlocked, true), ("b", Approved, true),
        ];
        for n in 0..=calls.len() {
            let (mut one, mut runs, mut run) = (Tally::default(), Tally::default(), Run::default());
            for &(k, a, sure) in &calls[..n] {
                one.add(k, a, sure);
                if let Some((k, g)) = run.count(k, a, sure) {
                    runs.add_run(k, &g);
                }
            }
            if let Some((k, g)) = run.take() {
                runs.add_run(k, &g);
            }
            assert_eq!(runs.ranked(), one.ranked(), "first {n} calls");
        }
    }

    #[test]
    fn counts_each_answer_per_group() {
        let df = DataFrame::new(
            5,
            vec![
                Column::new("tool".into(), ["Bash", "Bash", "Read", "Bash", "Edit"]),
                Column::new(
                    "answer".into(),
                    [
                        "approved",
                        "rejected",
                        "auto_allowed",
                        "approved",
                        "rule_denied",
                    ],
                ),
                Column::new(
                    "basis".into(),
                    ["evidenced", "recorded", "replayed", "replayed", "recorded"],
                ),
            ],
        )
        .unwrap();
        let rows = count_by(&df, "tool").unwrap();
        assert_eq!(rows[0].key, "Bash");
        assert_eq!(
            (rows[0].calls, rows[0].approved, rows[0].rejected),
            (3, 2, 1)
        );
        assert_eq!(
            rows[0].approved_evidenced, 1,
            "one approval is only replayed"
        );
        let edit = rows.iter().find(|r| r.key == "Edit").unwrap();
        assert_eq!((edit.rule_denied, edit.denied), (1, 1));
        let read = rows.iter().find(|r| r.key == "Read").unwrap();
        assert_eq!(read.auto_allowed, 1);
    }
}
