//! Time spent waiting on permission prompts, and answer times by a prompt's place in its
//! session (the fatigue curve).
//!
//! A prompt's *wait* is its window ([`crate::analysis::Known::window_ms`]) placed in time: it
//! ends when the result came and lasts the window. Three corrections make the total honest
//! (docs/report.md, "Waiting on prompts"):
//!
//! - **Overlaps are merged.** Subagents and parallel calls can hold several dialogs open at
//!   once, and a person waits on them together: the total is the length of the union of
//!   the waits, not their sum (one session of the issue that asked for this showed 38.9 s
//!   of summed waits within 15 s).
//! - **Walked away.** A wait longer than [`WALKED_AWAY_MS`] is not time spent on a dialog
//!   but time the person was elsewhere (the dialog stayed open over lunch): such waits are
//!   counted apart, as outliers, and left out of the total, the median, the p90 and the
//!   curve.
//! - **Per prompt.** The typical cost of one prompt is the median and the 90th percentile
//!   of the waits, which one long wait cannot move much.
//!
//! Only prompts the fatigue figures count (recorded or evidenced, with a window) have a
//! wait.

use serde::Serialize;

/// A wait longer than this (10 minutes) means the person walked away from an open dialog:
/// it is reported apart and left out of the waiting figures. Ten minutes is far past any
/// reading of a dialog (recorded rejections over 552 real sessions took 49 s at the median)
/// and short enough to catch the lunch breaks and overnight dialogs that made up most of
/// the summed waiting time there (73 waits over 10 minutes held 135 of 174 hours).
pub const WALKED_AWAY_MS: i64 = 10 * 60 * 1000;

/// Positions of a prompt in its session, grouped for the fatigue curve: (first, last), the
/// last bucket open-ended.
pub const CURVE_BUCKETS: &[(usize, Option<usize>)] = &[
    (1, Some(1)),
    (2, Some(2)),
    (3, Some(3)),
    (4, Some(5)),
    (6, Some(10)),
    (11, Some(20)),
    (21, Some(50)),
    (51, Some(100)),
    (101, None),
];

/// What the waiting figures mean, for every output.
pub const WAITING_NOTE: &str = "waiting = answer windows of prompts recorded or evidenced; overlapping waits (parallel prompts) are merged, and waits over 10 minutes (the person walked away) are counted apart and left out of the total, median and p90";

/// The time people spent waiting on prompts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    /// What the figures mean.
    pub note: &'static str,
    /// Waits longer than this are outliers (ms).
    pub walked_away_ms: i64,
    /// Prompts with a wait, outliers included.
    pub prompts: usize,
    /// Median wait per prompt, outliers left out (ms).
    pub median_ms: Option<f64>,
    /// 90th percentile (nearest rank) of the waits, outliers left out (ms).
    pub p90_ms: Option<f64>,
    /// Time during which at least one prompt was waiting, outliers left out (ms).
    pub merged_ms: i64,
    /// The same waits added up, overlaps counted as often as they overlap (ms): what
    /// merging took out is `summed_ms - merged_ms`.
    pub summed_ms: i64,
    /// Waits longer than `walked_away_ms`.
    pub outliers: usize,
    /// Their summed length (ms).
    pub outlier_ms: i64,
    /// The longest wait (ms).
    pub longest_ms: Option<i64>,
}

/// One prompt's wait: when the dialog opened and when it was answered (ms since the epoch;
/// `start` is None when the call has no time to place it by).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    /// When the dialog opened.
    pub start: Option<i64>,
    /// Its length (the window, ms).
    pub ms: i64,
}

impl Wait {
    /// A wait of `ms` that ended at `answered_ms` (or began at `asked_ms`, when the answer
    /// has no time).
    pub fn new(ms: i64, asked_ms: Option<i64>, answered_ms: Option<i64>) -> Wait {
        let start = answered_ms.and_then(|a| a.checked_sub(ms)).or(asked_ms);
        Wait { start, ms }
    }

    /// True when the person walked away (longer than [`WALKED_AWAY_MS`]).
    pub fn walked_away(&self) -> bool {
        self.ms > WALKED_AWAY_MS
    }
}

/// The waiting figures of `waits` (of one session or of many: overlaps across sessions are
/// merged too, since one person answers them).
pub fn waiting(waits: &[Wait]) -> Waiting {
    let (outliers, kept): (Vec<&Wait>, Vec<&Wait>) = waits.iter().partition(|w| w.walked_away());
    let ms: Vec<i64> = kept.iter().map(|w| w.ms).collect();
    let sum = |ws: &[&Wait]| ws.iter().fold(0i64, |a, w| a.saturating_add(w.ms));
    let mut spans: Vec<(i64, i64)> = kept
        .iter()
        .filter_map(|w| w.start.map(|s| (s, s.saturating_add(w.ms))))
        .collect();
    spans.sort_unstable();
    // Waits without a time cannot be placed against the others: they count whole.
    let unplaced: Vec<&Wait> = kept.iter().copied().filter(|w| w.start.is_none()).collect();
    Waiting {
        note: WAITING_NOTE,
        walked_away_ms: WALKED_AWAY_MS,
        prompts: waits.len(),
        median_ms: crate::analysis::median(&ms),
        p90_ms: percentile(&ms, 0.9),
        merged_ms: union_ms(&spans).saturating_add(sum(&unplaced)),
        summed_ms: sum(&kept),
        outliers: outliers.len(),
        outlier_ms: sum(&outliers),
        longest_ms: waits.iter().map(|w| w.ms).max(),
    }
}

/// Length of the union of sorted spans (start, end).
fn union_ms(sorted: &[(i64, i64)]) -> i64 {
    let mut total: i64 = 0;
    let mut open: Option<(i64, i64)> = None;
    for &(s, e) in sorted {
        open = match open {
            Some((os, oe)) if s <= oe => Some((os, oe.max(e))),
            Some((os, oe)) => {
                total = total.saturating_add(oe.saturating_sub(os));
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    if let Some((os, oe)) = open {
        total = total.saturating_add(oe.saturating_sub(os));
    }
    total
}

/// The `q` quantile (0..=1) of `values` by nearest rank: the smallest value with at least
/// `q` of the values at or below it. None when empty.
pub fn percentile(values: &[i64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let rank = (q.clamp(0.0, 1.0) * v.len() as f64).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1] as f64)
}

/// Answer times of the prompts at one range of positions in their sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurveBucket {
    /// First position (1: a session's first timed prompt).
    pub from: usize,
    /// Last position (None: and every later one).
    pub to: Option<usize>,
    /// Prompts at these positions (outliers left out).
    pub prompts: usize,
    /// Their median answer time (ms).
    pub median_ms: Option<f64>,
    /// Their 90th percentile (ms).
    pub p90_ms: Option<f64>,
}

impl CurveBucket {
    /// "1", "4-5", "101+".
    pub fn label(&self) -> String {
        match self.to {
            Some(t) if t == self.from => t.to_string(),
            Some(t) => format!("{}-{t}", self.from),
            None => format!("{}+", self.from),
        }
    }
}

/// The fatigue curve: for each range of [`CURVE_BUCKETS`], the answer times of the prompts
/// at those positions in their session (`sessions` gives each session's waits in order);
/// outliers are left out, but keep their place in the count of positions. Ranges without a
/// prompt are left out.
pub fn curve<'a>(sessions: impl Iterator<Item = &'a [Wait]>) -> Vec<CurveBucket> {
    let mut by_bucket: Vec<Vec<i64>> = vec![Vec::new(); CURVE_BUCKETS.len()];
    for waits in sessions {
        for (i, w) in waits.iter().enumerate() {
            if w.walked_away() {
                continue;
            }
            let pos = i + 1;
            if let Some(b) = CURVE_BUCKETS
                .iter()
                .position(|(from, to)| pos >= *from && to.is_none_or(|t| pos <= t))
            {
                by_bucket[b].push(w.ms);
            }
        }
    }
    CURVE_BUCKETS
        .iter()
        .zip(by_bucket)
        .filter(|(_, ms)| !ms.is_empty())
        .map(|((from, to), ms)| CurveBucket {
            from: *from,
            to: *to,
            prompts: ms.len(),
            median_ms: crate::analysis::median(&ms),
            p90_ms: percentile(&ms, 0.9),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: i64, ms: i64) -> Wait {
        Wait {
            start: Some(start),
            ms,
        }
    }

    #[test]
    fn overlapping_waits_are_merged() {
        // Three parallel dialogs over 0-15 s (10 + 14 + 14.9 = 38.9 s summed), and one alone.
        let waits = [
            at(0, 10_000),
            at(1_000, 14_000),
            at(100, 14_900),
            at(60_000, 2_000),
        ];
        let w = waiting(&waits);
        assert_eq!(w.summed_ms, 38_900 + 2_000);
        assert_eq!(w.merged_ms, 15_000 + 2_000);
        assert_eq!(w.prompts, 4);
        assert_eq!(w.outliers, 0);
        // Sorted: 2000, 10000, 14000, 14900: median 12000, p90 the 4th.
        assert_eq!(w.median_ms, Some(12_000.0));
        assert_eq!(w.p90_ms, Some(14_900.0));
    }

    #[test]
    fn walked_away_waits_are_apart() {
        let waits = [
            at(0, 5_000),
            at(10_000, WALKED_AWAY_MS),
            at(0, WALKED_AWAY_MS + 1),
            at(5_000_000, 78_420_000),
        ];
        let w = waiting(&waits);
        // Exactly 10 minutes is still waiting; over it is an outlier.
        assert_eq!(w.outliers, 2);
        assert_eq!(w.outlier_ms, WALKED_AWAY_MS + 1 + 78_420_000);
        assert_eq!(w.merged_ms, 5_000 + WALKED_AWAY_MS);
        assert_eq!(w.longest_ms, Some(78_420_000));
        assert_eq!(w.median_ms, Some((5_000.0 + WALKED_AWAY_MS as f64) / 2.0));
        assert_eq!(w.prompts, 4);
    }

    #[test]
    fn waits_without_a_time_count_whole() {
        let waits = [Wait::new(3_000, None, None), at(0, 1_000), at(500, 1_000)];
        assert_eq!(waiting(&waits).merged_ms, 3_000 + 1_500);
        assert_eq!(Wait::new(3_000, Some(1), Some(10_000)).start, Some(7_000));
        assert_eq!(Wait::new(3_000, Some(1), None).start, Some(1));
        assert_eq!(waiting(&[]).median_ms, None);
        assert_eq!(
            waiting(&[at(i64::MAX - 1, 5), at(i64::MIN, 5)]).merged_ms,
            6
        );
    }

    #[test]
    fn percentile_by_nearest_rank() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&v, 0.9), Some(9.0));
        assert_eq!(percentile(&v, 0.5), Some(5.0));
        assert_eq!(percentile(&v, 0.0), Some(1.0));
        assert_eq!(percentile(&v, 1.0), Some(10.0));
        assert_eq!(percentile(&[7], 0.9), Some(7.0));
        assert_eq!(percentile(&[], 0.9), None);
    }

    #[test]
    fn curve_by_position() {
        let a: Vec<Wait> = [9_000, 8_000, 7_000, 6_000, 5_000, 4_000]
            .iter()
            .map(|ms| at(0, *ms))
            .collect();
        let b = vec![at(0, 3_000), at(0, WALKED_AWAY_MS * 2), at(0, 1_000)];
        let c = curve([a.as_slice(), b.as_slice()].into_iter());
        let got: Vec<(String, usize, Option<f64>)> = c
            .iter()
            .map(|x| (x.label(), x.prompts, x.median_ms))
            .collect();
        assert_eq!(
            got,
            vec![
                ("1".to_string(), 2, Some(6_000.0)),
                ("2".to_string(), 1, Some(8_000.0)),
                ("3".to_string(), 2, Some(4_000.0)),
                ("4-5".to_string(), 2, Some(5_500.0)),
                ("6-10".to_string(), 1, Some(4_000.0)),
            ]
        );
    }
}
