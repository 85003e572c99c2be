//! Approval fatigue: how often a person was asked, how fast and how uniformly they said yes.
//!
//! Everything here is computed per session (calls grouped by `session_id`, subagent calls
//! included, ordered by the time the call was made) from the sequence of answers, then merged
//! into [`OverallFatigue`].
//!
//! A *prompt* is a call a person answered ([`Answer::Approved`] or [`Answer::Rejected`])
//! **with evidence that the dialog was shown**: recorded, or evidenced by the transcript
//! ([`Known::is_certain_prompt`]). Approvals only the replay of today's settings shows are
//! left out of every figure here (they are counted in `replay_only_left_out`), because the
//! calls that ran unasked hide among them and would make streaks, rubber stamps and waiting
//! time out of calls nobody was asked about.
//!
//! The *answer time* of a prompt is its window ([`Known::window_ms`]): from its `tool_use`
//! line (or the result of the call before it in the same message) to its `tool_result`
//! line. For an approval it includes the tool's own run time, so it is an upper bound of
//! the person's think time; for a rejection it is close to the think time itself. Prompts
//! without a window are left out of every timing figure.

use crate::analysis::waiting::{CurveBucket, Wait, Waiting, curve, waiting};
use crate::analysis::{Answer, Weighed, median, order_key};
use serde::Serialize;
use std::collections::BTreeMap;

/// A run of approvals longer than this is a "streak over 10"; a rejection ending a run at
/// least this long counts in `rejections_after_long_streak`.
pub const LONG_STREAK: usize = 10;

/// Fewest timed prompts a session needs before its first and last quarters are compared.
pub const MIN_PROMPTS_FOR_QUARTERS: usize = 8;

/// Prompts per active hour at which the rate term of the score saturates.
pub const SCORE_RATE_CAP: f64 = 60.0;

/// Longest streak at which the streak term of the score saturates.
pub const SCORE_STREAK_CAP: f64 = 30.0;

/// Weights of the score's terms: rate, rubber-stamp share, streak, speed-up (sum 1).
pub const SCORE_WEIGHTS: [f64; 4] = [0.35, 0.25, 0.25, 0.15];

/// Thresholds of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FatigueParams {
    /// A pause between two events longer than this is not active time (default 30 minutes).
    pub idle_gap_ms: i64,
    /// An answer faster than this counts as a rubber stamp (default 2,000 ms).
    pub rubber_stamp_ms: i64,
}

impl Default for FatigueParams {
    fn default() -> Self {
        FatigueParams {
            idle_gap_ms: 30 * 60 * 1000,
            rubber_stamp_ms: 2000,
        }
    }
}

/// Approval fatigue of one session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionFatigue {
    /// The session's UUID.
    pub session_id: String,
    /// Earliest event time of the session (ms since the epoch), if any call has a time.
    pub first_ms: Option<i64>,
    /// Latest event time of the session.
    pub last_ms: Option<i64>,
    /// Calls in the session, whatever their answer.
    pub calls: usize,
    /// Calls a person answered, on evidence: `approved + rejected`.
    pub prompts: usize,
    /// Approved prompts only the replay shows, left out of every figure here.
    pub replay_only_left_out: usize,
    /// Prompts answered "yes" (inferred).
    pub approved: usize,
    /// Prompts answered "no".
    pub rejected: usize,
    /// `prompts / active_hours`; None when the session has no active time.
    pub prompts_per_active_hour: Option<f64>,
    /// Time between the session's first and last event, pauses over the idle gap left out.
    pub active_hours: f64,
    /// Longest run of approvals not broken by a rejection (other answers do not break it).
    pub longest_streak: usize,
    /// Runs of more than [`LONG_STREAK`] approvals.
    pub streaks_over_10: usize,
    /// Median answer time of the prompts (ms).
    pub median_answer_ms: Option<f64>,
    /// Share of timed prompts answered faster than `rubber_stamp_ms`.
    pub rubber_stamp_share: Option<f64>,
    /// Median answer time of the first quarter of the timed prompts (at least
    /// [`MIN_PROMPTS_FOR_QUARTERS`] timed prompts, else None).
    pub first_quarter_median_ms: Option<f64>,
    /// Median answer time of the last quarter of the timed prompts.
    pub last_quarter_median_ms: Option<f64>,
    /// True when the last quarter's median is below the first quarter's.
    pub got_faster: Option<bool>,
    /// Rejections that end a run of at least [`LONG_STREAK`] approvals.
    pub rejections_after_long_streak: usize,
    /// Calls interrupted with Esc while tools ran.
    pub interrupts: usize,
    /// Sum of the prompts' answer times (ms): time spent waiting on dialogs, at most.
    pub waiting_ms: i64,
    /// Fatigue score 0–100, see [`fatigue_score`].
    pub score: u8,
}

/// The figures over all sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverallFatigue {
    /// Sessions analysed.
    pub sessions: usize,
    /// Sessions with at least one prompt.
    pub sessions_with_prompts: usize,
    /// Sum over sessions.
    pub prompts: usize,
    /// Sum over sessions.
    pub replay_only_left_out: usize,
    /// Sum over sessions.
    pub approved: usize,
    /// Sum over sessions.
    pub rejected: usize,
    /// All prompts divided by all active hours (not a mean of the sessions' rates).
    pub prompts_per_active_hour: Option<f64>,
    /// Sum over sessions.
    pub active_hours: f64,
    /// Longest streak of any session (streaks never cross sessions).
    pub longest_streak: usize,
    /// Sum over sessions.
    pub streaks_over_10: usize,
    /// Median of all timed prompts pooled.
    pub median_answer_ms: Option<f64>,
    /// Share of all timed prompts pooled that were rubber stamps.
    pub rubber_stamp_share: Option<f64>,
    /// Median of the pooled first quarters of the sessions that have quarters.
    pub first_quarter_median_ms: Option<f64>,
    /// Median of the pooled last quarters of the same sessions.
    pub last_quarter_median_ms: Option<f64>,
    /// True when the pooled last-quarter median is below the pooled first-quarter median.
    pub got_faster: Option<bool>,
    /// Sessions with enough prompts to compare quarters.
    pub sessions_compared: usize,
    /// Of those, the sessions whose answers got faster.
    pub sessions_got_faster: usize,
    /// Sum over sessions.
    pub rejections_after_long_streak: usize,
    /// Sum over sessions.
    pub interrupts: usize,
    /// Sum over sessions: every answer time added up, overlaps and walked-away waits
    /// included (an upper bound; [`OverallFatigue::waiting`] is the honest figure).
    pub waiting_ms: i64,
    /// Time spent waiting on prompts: overlaps merged across sessions, walked-away waits
    /// apart ([`crate::analysis::waiting`]).
    pub waiting: Waiting,
    /// Answer time by a prompt's position in its session.
    pub curve: Vec<CurveBucket>,
    /// Mean of the session scores weighted by their prompts (0 without prompts), rounded.
    pub score: u8,
}

/// Per-session figures and their merge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FatigueReport {
    /// One entry per session, by first event time (sessions without times last), then id.
    pub sessions: Vec<SessionFatigue>,
    /// Figures over all sessions.
    pub overall: OverallFatigue,
}

/// Computes the fatigue figures of every session in `judged` and their merge.
pub fn fatigue(judged: &[Weighed], params: &FatigueParams) -> FatigueReport {
    merge_sessions(session_works(judged, params), params)
}

/// Measures every session in `judged` (unordered). Sessions must not be split between two
/// calls of this function: the streaming report measures one group of whole sessions at a
/// time and pools the results with [`merge_sessions`].
pub fn session_works(judged: &[Weighed], params: &FatigueParams) -> Vec<SessionWork> {
    let mut by_session: BTreeMap<&str, Vec<Weighed>> = BTreeMap::new();
    for j in judged {
        by_session.entry(&j.0.session_id).or_default().push(*j);
    }
    by_session
        .into_iter()
        .map(|(id, calls)| measure(id, calls, params))
        .collect()
}

/// Orders measured sessions (by first event time, sessions without times last, then id)
/// and pools them into the overall figures.
pub fn merge_sessions(mut works: Vec<SessionWork>, params: &FatigueParams) -> FatigueReport {
    works.sort_by(|a, b| {
        let ka = (a.fatigue.first_ms.is_none(), a.fatigue.first_ms);
        let kb = (b.fatigue.first_ms.is_none(), b.fatigue.first_ms);
        ka.cmp(&kb)
            .then_with(|| a.fatigue.session_id.cmp(&b.fatigue.session_id))
    });
    let overall = merge(&works, params);
    FatigueReport {
        sessions: works.into_iter().map(|w| w.fatigue).collect(),
        overall,
    }
}

/// The figures of one session; `judged` should hold that session's calls only (any order).
pub fn session_fatigue(
    session_id: &str,
    judged: &[Weighed],
    params: &FatigueParams,
) -> SessionFatigue {
    measure(session_id, judged.to_vec(), params).fatigue
}

/// The fatigue score, 0–100:
///
/// `round(100 × (0.35·R + 0.25·S + 0.25·L + 0.15·F))`, where each term is in 0..=1:
/// - `R = min(prompts_per_active_hour / 60, 1)`: how often the person was interrupted;
/// - `S = rubber_stamp_share`: how many answers came too fast to have been read;
/// - `L = min(longest_streak / 30, 1)`: how long they kept saying yes without a no;
/// - `F = max(0, 1 − last_quarter_median / first_quarter_median)`: how much faster answers
///   got from the first to the last quarter of the session (0 when not compared).
///
/// A missing figure counts as 0. The score is 0 when `prompts` is 0, and never decreases
/// when one term grows and the others stay.
pub fn fatigue_score(
    prompts: usize,
    prompts_per_active_hour: Option<f64>,
    rubber_stamp_share: Option<f64>,
    longest_streak: usize,
    first_quarter_median_ms: Option<f64>,
    last_quarter_median_ms: Option<f64>,
) -> u8 {
    if prompts == 0 {
        return 0;
    }
    let rate = unit(prompts_per_active_hour.unwrap_or(0.0) / SCORE_RATE_CAP);
    let stamp = unit(rubber_stamp_share.unwrap_or(0.0));
    let streak = unit(longest_streak as f64 / SCORE_STREAK_CAP);
    let faster = match (first_quarter_median_ms, last_quarter_median_ms) {
        (Some(first), Some(last)) if first > 0.0 => unit(1.0 - last / first),
        _ => 0.0,
    };
    let [wr, ws, wl, wf] = SCORE_WEIGHTS;
    let total = wr * rate + ws * stamp + wl * streak + wf * faster;
    (100.0 * total).round().clamp(0.0, 100.0) as u8
}

/// Clamps to 0..=1; NaN counts as 0.
fn unit(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

/// One session's figures plus the answer times the overall merge pools.
pub struct SessionWork {
    fatigue: SessionFatigue,
    gaps: Vec<i64>,
    /// The same prompts' waits, placed in time, in order.
    waits: Vec<Wait>,
    first_quarter: Vec<i64>,
    last_quarter: Vec<i64>,
    active_ms: i64,
}

/// Computes one session.
fn measure(session_id: &str, mut calls: Vec<Weighed>, params: &FatigueParams) -> SessionWork {
    calls.sort_by_key(|(c, _)| order_key(c));

    let mut times: Vec<i64> = calls
        .iter()
        .flat_map(|(c, _)| [c.asked_ms, c.answered_ms])
        .flatten()
        .collect();
    times.sort_unstable();
    let active_ms = active_ms(&times, params.idle_gap_ms);

    let (mut approved, mut rejected, mut interrupts, mut left_out) = (0, 0, 0, 0);
    let (mut run, mut longest, mut over, mut after_long) = (0usize, 0usize, 0, 0);
    let mut gaps = Vec::new();
    let mut waits = Vec::new();
    for (call, known) in &calls {
        if known.answer.is_prompt() && !known.is_certain_prompt() {
            left_out += 1;
            continue;
        }
        match known.answer {
            Answer::Approved => {
                approved += 1;
                run += 1;
                longest = longest.max(run);
            }
            Answer::Rejected => {
                rejected += 1;
                if run >= LONG_STREAK {
                    after_long += 1;
                }
                if run > LONG_STREAK {
                    over += 1;
                }
                run = 0;
            }
            Answer::Interrupted => interrupts += 1,
            _ => {}
        }
        if known.answer.is_prompt()
            && let Some(g) = known.window_ms.filter(|g| *g >= 0)
        {
            gaps.push(g);
            waits.push(Wait::new(g, call.asked_ms, call.answered_ms));
        }
    }
    if run > LONG_STREAK {
        over += 1;
    }

    let prompts = approved + rejected;
    let active_hours = active_ms as f64 / 3_600_000.0;
    let rate = (active_ms > 0).then(|| prompts as f64 / active_hours);
    let stamps = gaps.iter().filter(|g| **g < params.rubber_stamp_ms).count();
    let stamp_share = (!gaps.is_empty()).then(|| stamps as f64 / gaps.len() as f64);
    let (first_quarter, last_quarter) = quarters(&gaps);
    let first_med = median(&first_quarter);
    let last_med = median(&last_quarter);
    let got_faster = match (first_med, last_med) {
        (Some(f), Some(l)) => Some(l < f),
        _ => None,
    };
    let waiting_ms = gaps.iter().fold(0i64, |a, g| a.saturating_add(*g));
    let score = fatigue_score(prompts, rate, stamp_share, longest, first_med, last_med);

    SessionWork {
        fatigue: SessionFatigue {
            session_id: session_id.to_string(),
            first_ms: times.first().copied(),
            last_ms: times.last().copied(),
            calls: calls.len(),
            prompts,
            replay_only_left_out: left_out,
            approved,
            rejected,
            prompts_per_active_hour: rate,
            active_hours,
            longest_streak: longest,
            streaks_over_10: over,
            median_answer_ms: median(&gaps),
            rubber_stamp_share: stamp_share,
            first_quarter_median_ms: first_med,
            last_quarter_median_ms: last_med,
            got_faster,
            rejections_after_long_streak: after_long,
            interrupts,
            waiting_ms,
            score,
        },
        gaps,
        waits,
        first_quarter,
        last_quarter,
        active_ms,
    }
}

/// Sum of the differences between consecutive sorted times, those over `idle_gap_ms` left
/// out. Saturates instead of overflowing.
fn active_ms(sorted: &[i64], idle_gap_ms: i64) -> i64 {
    let total: i128 = sorted
        .windows(2)
        .map(|w| i128::from(w[1]) - i128::from(w[0]))
        .filter(|d| *d <= i128::from(idle_gap_ms))
        .sum();
    i64::try_from(total).unwrap_or(i64::MAX)
}

/// The first and last quarter (`n / 4` prompts each) of the timed prompts, when there are at
/// least [`MIN_PROMPTS_FOR_QUARTERS`]; both empty otherwise.
fn quarters(gaps: &[i64]) -> (Vec<i64>, Vec<i64>) {
    let n = gaps.len();
    if n < MIN_PROMPTS_FOR_QUARTERS {
        return (Vec::new(), Vec::new());
    }
    let q = n / 4;
    (gaps[..q].to_vec(), gaps[n - q..].to_vec())
}

/// Merges the sessions (see the field docs of [`OverallFatigue`] for how each is merged).
fn merge(works: &[SessionWork], params: &FatigueParams) -> OverallFatigue {
    let sum = |f: fn(&SessionFatigue) -> usize| works.iter().map(|w| f(&w.fatigue)).sum::<usize>();
    let prompts = sum(|s| s.prompts);
    let active_ms = works
        .iter()
        .fold(0i64, |a, w| a.saturating_add(w.active_ms));
    let active_hours = active_ms as f64 / 3_600_000.0;
    let gaps: Vec<i64> = works.iter().flat_map(|w| w.gaps.iter().copied()).collect();
    let stamps = gaps.iter().filter(|g| **g < params.rubber_stamp_ms).count();
    let first: Vec<i64> = works
        .iter()
        .flat_map(|w| w.first_quarter.iter().copied())
        .collect();
    let last: Vec<i64> = works
        .iter()
        .flat_map(|w| w.last_quarter.iter().copied())
        .collect();
    let (first_med, last_med) = (median(&first), median(&last));
    let weighted: f64 = works
        .iter()
        .map(|w| f64::from(w.fatigue.score) * w.fatigue.prompts as f64)
        .sum();
    let score = if prompts == 0 {
        0
    } else {
        (weighted / prompts as f64).round().clamp(0.0, 100.0) as u8
    };
    OverallFatigue {
        sessions: works.len(),
        sessions_with_prompts: works.iter().filter(|w| w.fatigue.prompts > 0).count(),
        prompts,
        replay_only_left_out: sum(|s| s.replay_only_left_out),
        approved: sum(|s| s.approved),
        rejected: sum(|s| s.rejected),
        prompts_per_active_hour: (active_ms > 0).then(|| prompts as f64 / active_hours),
        active_hours,
        longest_streak: works
            .iter()
            .map(|w| w.fatigue.longest_streak)
            .max()
            .unwrap_or(0),
        streaks_over_10: sum(|s| s.streaks_over_10),
        median_answer_ms: median(&gaps),
        rubber_stamp_share: (!gaps.is_empty()).then(|| stamps as f64 / gaps.len() as f64),
        first_quarter_median_ms: first_med,
        last_quarter_median_ms: last_med,
        got_faster: match (first_med, last_med) {
            (Some(f), Some(l)) => Some(l < f),
            _ => None,
        },
        sessions_compared: works
            .iter()
            .filter(|w| w.fatigue.got_faster.is_some())
            .count(),
        sessions_got_faster: works
            .iter()
            .filter(|w| w.fatigue.got_faster == Some(true))
            .count(),
        rejections_after_long_streak: sum(|s| s.rejections_after_long_streak),
        interrupts: sum(|s| s.interrupts),
        waiting_ms: works
            .iter()
            .fold(0i64, |a, w| a.saturating_add(w.fatigue.waiting_ms)),
        waiting: waiting(
            &works
                .iter()
                .flat_map(|w| w.waits.iter().copied())
                .collect::<Vec<Wait>>(),
        ),
        curve: curve(works.iter().map(|w| w.waits.as_slice())),
        score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::{With, bash};
    use crate::analysis::{Ground, Known};
    use crate::event::ToolCall;

    const MIN: i64 = 60_000;

    /// Calls one minute apart, each answered after `gap` ms, with the given answers.
    fn session(id: &str, answers: &[(Answer, i64)]) -> Vec<(ToolCall, Answer)> {
        answers
            .iter()
            .enumerate()
            .map(|(i, (a, g))| {
                let t = 1_000_000 + i as i64 * MIN;
                (
                    bash(&format!("{id}-{i}"), "make").session(id).at(t, t + g),
                    *a,
                )
            })
            .collect()
    }

    /// Each call with its answer, evidenced (a "No" is recorded), its window its gap.
    fn judged(owned: &[(ToolCall, Answer)]) -> Vec<Weighed<'_>> {
        owned
            .iter()
            .map(|(c, a)| {
                let ground = match a {
                    Answer::Rejected | Answer::Interrupted => Ground::Outcome,
                    Answer::Approved => Ground::Waited,
                    _ => Ground::Replay,
                };
                let window = c
                    .answered_ms
                    .zip(c.asked_ms)
                    .and_then(|(b, a)| b.checked_sub(a));
                (c, Known::new(*a, ground, window.filter(|w| *w >= 0)))
            })
            .collect()
    }

    fn run(owned: &[(ToolCall, Answer)]) -> FatigueReport {
        fatigue(&judged(owned), &FatigueParams::default())
    }

    #[test]
    fn twelve_approvals_then_a_rejection() {
        let mut answers = vec![(Answer::Approved, 5000); 12];
        answers.push((Answer::Rejected, 5000));
        let r = run(&session("s", &answers));
        let s = &r.sessions[0];
        assert_eq!((s.prompts, s.approved, s.rejected), (13, 12, 1));
        assert_eq!(s.longest_streak, 12);
        assert_eq!(s.streaks_over_10, 1);
        assert_eq!(s.rejections_after_long_streak, 1);
    }

    #[test]
    fn approvals_only_the_replay_shows_are_left_out() {
        let owned = session("s", &[(Answer::Approved, 5000); 4]);
        let mut weighed = judged(&owned);
        // The middle two rest on the replay alone.
        for w in &mut weighed[1..3] {
            w.1 = Known::new(Answer::Approved, Ground::Replay, w.1.window_ms);
        }
        let s = fatigue(&weighed, &FatigueParams::default())
            .sessions
            .remove(0);
        assert_eq!((s.prompts, s.approved, s.replay_only_left_out), (2, 2, 2));
        assert_eq!((s.longest_streak, s.waiting_ms), (2, 10_000));
        assert_eq!(s.calls, 4);
    }

    #[test]
    fn other_answers_do_not_break_a_streak() {
        let mut answers = Vec::new();
        for _ in 0..10 {
            answers.push((Answer::Approved, 100));
            answers.push((Answer::AutoAllowed, 5));
        }
        answers.push((Answer::Interrupted, 5));
        answers.push((Answer::Rejected, 100));
        answers.push((Answer::Approved, 100));
        let s = run(&session("s", &answers)).sessions.remove(0);
        assert_eq!(s.longest_streak, 10);
        assert_eq!(s.streaks_over_10, 0, "a run of exactly 10 is not over 10");
        assert_eq!(s.rejections_after_long_streak, 1, "but it is long");
        assert_eq!(s.interrupts, 1);
        assert_eq!(s.calls, 23);
    }

    #[test]
    fn a_streak_open_at_the_end_counts() {
        let s = run(&session("s", &[(Answer::Approved, 1); 11]))
            .sessions
            .remove(0);
        assert_eq!((s.longest_streak, s.streaks_over_10), (11, 1));
        assert_eq!(s.rejections_after_long_streak, 0);
    }

    #[test]
    fn answers_getting_faster() {
        let gaps = [9000, 8000, 7000, 6000, 5000, 4000, 3000, 2000, 1000, 500];
        let answers: Vec<_> = gaps.iter().map(|g| (Answer::Approved, *g)).collect();
        let s = run(&session("s", &answers)).sessions.remove(0);
        // 10 prompts: quarters of 2.
        assert_eq!(s.first_quarter_median_ms, Some(8500.0));
        assert_eq!(s.last_quarter_median_ms, Some(750.0));
        assert_eq!(s.got_faster, Some(true));
        assert_eq!(s.median_answer_ms, Some(4500.0));
        // Under 2000 ms: 1000 and 500 (2000 itself is not under).
        assert_eq!(s.rubber_stamp_share, Some(0.2));
        assert_eq!(s.waiting_ms, 45_500);
    }

    #[test]
    fn quarters_need_eight_timed_prompts() {
        let answers = vec![(Answer::Approved, 1000); 7];
        let s = run(&session("s", &answers)).sessions.remove(0);
        assert_eq!(s.first_quarter_median_ms, None);
        assert_eq!(s.got_faster, None);
        let answers = vec![(Answer::Approved, 1000); 8];
        let s = run(&session("s", &answers)).sessions.remove(0);
        assert_eq!(s.got_faster, Some(false));
    }

    #[test]
    fn active_hours_leave_out_a_two_hour_gap() {
        let h = 60 * MIN;
        let owned = vec![
            (bash("a", "x").at(0, 15 * MIN), Answer::Approved),
            (bash("b", "x").at(30 * MIN, 45 * MIN), Answer::Approved),
            // 2 hours later: left out.
            (
                bash("c", "x").at(45 * MIN + 2 * h, 75 * MIN + 2 * h),
                Answer::Rejected,
            ),
        ];
        let s = run(&owned).sessions.remove(0);
        // 15 + 15 + 15 + 30 (exactly the threshold: kept) minutes.
        assert_eq!(s.active_hours, 1.25);
        assert_eq!(s.prompts_per_active_hour, Some(3.0 / 1.25));
        assert_eq!(s.first_ms, Some(0));
        assert_eq!(s.last_ms, Some(75 * MIN + 2 * h));
        let tight = FatigueParams {
            idle_gap_ms: 20 * MIN,
            ..FatigueParams::default()
        };
        let s = fatigue(&judged(&owned), &tight).sessions.remove(0);
        assert_eq!(s.active_hours, 0.75);
    }

    #[test]
    fn score_formula() {
        assert_eq!(
            fatigue_score(0, Some(100.0), Some(1.0), 50, Some(10.0), Some(1.0)),
            0
        );
        assert_eq!(fatigue_score(5, None, None, 0, None, None), 0);
        assert_eq!(
            fatigue_score(5, Some(120.0), Some(1.0), 40, Some(10.0), Some(0.0)),
            100
        );
        // 0.35·0.5 + 0.25·0.2 + 0.25·0.4 + 0.15·0.5 = 0.4
        assert_eq!(
            fatigue_score(5, Some(30.0), Some(0.2), 12, Some(8.0), Some(4.0)),
            40
        );
        // Slower answers at the end do not lower the score below "no change".
        assert_eq!(
            fatigue_score(5, Some(30.0), Some(0.2), 12, Some(4.0), Some(8.0)),
            fatigue_score(5, Some(30.0), Some(0.2), 12, None, None)
        );
        assert_eq!(
            fatigue_score(
                5,
                Some(f64::NAN),
                Some(f64::INFINITY),
                0,
                Some(0.0),
                Some(1.0)
            ),
            25
        );
        assert!((SCORE_WEIGHTS.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn score_is_monotone_in_each_term() {
        let base = (5, Some(20.0), Some(0.3), 8, Some(6000.0), Some(4000.0));
        let s = |b: (
            usize,
            Option<f64>,
            Option<f64>,
            usize,
            Option<f64>,
            Option<f64>,
        )| { fatigue_score(b.0, b.1, b.2, b.3, b.4, b.5) };
        let mut prev = 0;
        for rate in [0.0, 10.0, 30.0, 59.0, 60.0, 500.0] {
            let v = s((base.0, Some(rate), base.2, base.3, base.4, base.5));
            assert!(v >= prev);
            prev = v;
        }
        prev = 0;
        for streak in [0, 5, 15, 30, 100] {
            let v = s((base.0, base.1, base.2, streak, base.4, base.5));
            assert!(v >= prev);
            prev = v;
        }
        prev = 0;
        for last in [9000.0, 6000.0, 3000.0, 0.0] {
            let v = s((base.0, base.1, base.2, base.3, base.4, Some(last)));
            assert!(v >= prev);
            prev = v;
        }
    }

    #[test]
    fn sessions_are_separate_and_overall_merges() {
        let mut owned = session("b", &[(Answer::Approved, 1000), (Answer::Rejected, 3000)]);
        let mut a = session("a", &[(Answer::Approved, 500); 11]);
        for (c, _) in &mut a {
            // Session "a" starts later than "b".
            c.asked_ms = c.asked_ms.map(|t| t + 10 * MIN);
            c.answered_ms = c.answered_ms.map(|t| t + 10 * MIN);
        }
        owned.extend(a);
        owned.push((bash("q", "x").session("c"), Answer::AutoAllowed));
        let r = run(&owned);
        let ids: Vec<_> = r.sessions.iter().map(|s| s.session_id.as_str()).collect();
        assert_eq!(ids, ["b", "a", "c"]);
        let o = &r.overall;
        assert_eq!(o.sessions, 3);
        assert_eq!(o.sessions_with_prompts, 2);
        assert_eq!((o.prompts, o.approved, o.rejected), (13, 12, 1));
        assert_eq!(o.longest_streak, 11);
        assert_eq!(o.streaks_over_10, 1);
        assert_eq!(o.median_answer_ms, Some(500.0));
        assert_eq!(o.rubber_stamp_share, Some(12.0 / 13.0));
        assert_eq!(o.waiting_ms, 4000 + 11 * 500);
        assert_eq!(
            o.active_hours,
            r.sessions.iter().map(|s| s.active_hours).sum::<f64>()
        );
        assert_eq!(o.sessions_compared, 1);
        assert_eq!(o.got_faster, Some(false));
        let weighted =
            (r.sessions[0].score as f64 * 2.0 + r.sessions[1].score as f64 * 11.0) / 13.0;
        assert_eq!(o.score, weighted.round() as u8);
        assert_eq!(r.sessions[2].score, 0);
        assert_eq!(r.sessions[2].prompts_per_active_hour, None);
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert_eq!(run(&[]).overall.sessions, 0);
        assert_eq!(run(&[]).overall.score, 0);
        let owned = vec![
            (bash("a", "x"), Answer::Approved),
            (bash("b", "x").at(5000, 1000), Answer::Approved),
            (bash("c", "x").at(i64::MIN, i64::MAX), Answer::Rejected),
            (bash("d", "x").at(i64::MAX, i64::MAX), Answer::Approved),
        ];
        let s = run(&owned).sessions.remove(0);
        assert_eq!(s.prompts, 4);
        assert_eq!(s.median_answer_ms, Some(0.0), "only d has a usable gap");
        assert!(s.score <= 100);
        let json = serde_json::to_value(run(&owned)).unwrap();
        for field in [
            "prompts",
            "approved",
            "rejected",
            "prompts_per_active_hour",
            "active_hours",
            "longest_streak",
            "streaks_over_10",
            "median_answer_ms",
            "rubber_stamp_share",
            "first_quarter_median_ms",
            "last_quarter_median_ms",
            "got_faster",
            "rejections_after_long_streak",
            "interrupts",
            "waiting_ms",
            "score",
        ] {
            assert!(json["sessions"][0].get(field).is_some(), "{field}");
            assert!(json["overall"].get(field).is_some(), "{field}");
        }
    }
}
