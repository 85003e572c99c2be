//! Auto mode: classifier blocks, and the moments auto mode gave up and went back to asking.
//!
//! Claude Code counts the classifier's blocks in memory and never writes the counters down:
//! after 3 blocks in a row or 20 in a session, the next block becomes an ordinary permission
//! dialog ("3 consecutive actions were blocked ..." / "20 actions were blocked this
//! session ..."). This module replays that bookkeeping over the recorded outcomes to estimate
//! when it happened. The rules, as this module applies them:
//!
//! - Each thread has its own counters: the main thread, and each subagent (`agent_id`).
//! - Only calls made in auto mode take part. A call counts as made in auto mode when its
//!   mode is `auto`, or when its outcome is a classifier block or a "classifier unavailable"
//!   denial whatever the recorded mode says (only the classifier writes those; the mode is
//!   carried forward from prompt lines and can lag a mode switch).
//! - A block (`automode_blocked`) adds one to both counters.
//! - An executed call (`ran` or `tool_error`) resets the consecutive counter; the total
//!   stays.
//! - A "classifier unavailable" denial counts toward nothing (Claude Code does not count
//!   them; repeated ones are known never to trigger the fallback). Nor do rejections, rule
//!   denials, cancellations or any other outcome.
//! - When a block brings the total to [`MAX_TOTAL`], that is a fallback ([`Limit::Total`]),
//!   and both counters go back to 0.
//! - Otherwise, when a block brings the consecutive counter to [`MAX_CONSECUTIVE`], that is a
//!   fallback ([`Limit::Consecutive`]). Claude Code resets nothing here: the consecutive
//!   counter stays until an executed call, so further blocks in the same unbroken run do not
//!   count as new fallbacks (they would have been dialogs themselves; seeing them recorded
//!   as blocks means the real counters differed from the replay, e.g. after a restart).
//!
//! A fallback is recorded at the block that reaches the limit: the dialog it causes is the
//! next action the classifier would have blocked, which shows up as an approval or a
//! rejection and cannot be told apart from other calls. Claude Code's own counting differs by
//! one here (the block that reaches the limit is itself shown as a dialog), and older builds
//! may have had other rules: treat the result as an estimate.

use crate::analysis::order_key;
use crate::event::{Mode, Outcome, ToolCall};
use serde::Serialize;
use std::collections::BTreeMap;

/// Blocks in a row after which auto mode falls back to prompting.
pub const MAX_CONSECUTIVE: u32 = 3;

/// Blocks in a session (thread) after which auto mode falls back to prompting.
pub const MAX_TOTAL: u32 = 20;

/// Which limit a fallback reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// [`MAX_CONSECUTIVE`] blocks in a row.
    Consecutive,
    /// [`MAX_TOTAL`] blocks in all (takes precedence when both are reached at once, as in
    /// Claude Code's warning text).
    Total,
}

/// One reconstructed fallback to prompting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fallback {
    /// The block that reached the limit.
    pub call_id: String,
    /// When that block was made (ms since the epoch).
    pub at_ms: Option<i64>,
    /// The subagent whose counters reached the limit; None for the main thread.
    pub agent_id: Option<String>,
    /// Which limit was reached.
    pub limit: Limit,
    /// The consecutive counter when the limit was reached (before any reset).
    pub consecutive: u32,
    /// The total counter when the limit was reached (before any reset).
    pub total: u32,
}

/// Blocks of one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    /// The bracketed category of the block's reason, or "other".
    pub category: String,
    /// Blocks with it.
    pub blocks: usize,
}

/// Auto mode in one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionAutoMode {
    /// The session's UUID.
    pub session_id: String,
    /// Calls made in auto mode (see the module doc), subagents included.
    pub auto_calls: usize,
    /// Classifier blocks.
    pub blocks: usize,
    /// Blocks by category, most frequent first (ties by name).
    pub blocks_by_category: Vec<CategoryCount>,
    /// Denials because the classifier was unavailable.
    pub unavailable: usize,
    /// Reconstructed fallbacks, in time order.
    pub fallbacks: Vec<Fallback>,
}

/// Totals over all sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoModeSummary {
    /// Sessions with at least one call made in auto mode.
    pub sessions_in_auto_mode: usize,
    /// Classifier blocks.
    pub blocks: usize,
    /// "Classifier unavailable" denials.
    pub unavailable: usize,
    /// Reconstructed fallbacks.
    pub fallbacks: usize,
    /// Of those, fallbacks after [`MAX_CONSECUTIVE`] blocks in a row.
    pub fallbacks_consecutive: usize,
    /// Of those, fallbacks after [`MAX_TOTAL`] blocks.
    pub fallbacks_total: usize,
    /// Blocks by category over all sessions, most frequent first.
    pub blocks_by_category: Vec<CategoryCount>,
}

/// Per-session results and their totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoModeReport {
    /// Sessions with calls made in auto mode, by first call time, then id.
    pub sessions: Vec<SessionAutoMode>,
    /// Totals.
    pub summary: AutoModeSummary,
}

/// Claude Code's denial counters for one thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DenialTracker {
    /// Blocks since the last executed call.
    pub consecutive: u32,
    /// Blocks since the start or the last total-limit fallback.
    pub total: u32,
}

impl DenialTracker {
    /// Counts a block; returns the limit it reached, if any (see the module doc).
    pub fn block(&mut self) -> Option<Limit> {
        self.consecutive = self.consecutive.saturating_add(1);
        self.total = self.total.saturating_add(1);
        if self.total >= MAX_TOTAL {
            *self = DenialTracker::default();
            Some(Limit::Total)
        } else if self.consecutive == MAX_CONSECUTIVE {
            Some(Limit::Consecutive)
        } else {
            None
        }
    }

    /// Counts an executed call.
    pub fn allowed(&mut self) {
        self.consecutive = 0;
    }
}

/// True when the call takes part in the auto-mode bookkeeping (see the module doc).
pub fn in_auto_mode(call: &ToolCall) -> bool {
    call.mode == Some(Mode::Auto)
        || matches!(
            call.outcome,
            Outcome::AutomodeBlocked | Outcome::AutomodeUnavailable
        )
}

/// The category of a block: the text inside the first `[...]` of its reason
/// (`[Code from External]` → "Code from External"), else "other".
pub fn block_category(reason: Option<&str>) -> String {
    reason
        .and_then(|r| {
            let start = r.find('[')? + 1;
            let len = r[start..].find(']')?;
            let inner = r[start..start + len].trim();
            (!inner.is_empty() && !inner.contains('[')).then(|| inner.to_string())
        })
        .unwrap_or_else(|| "other".to_string())
}

/// Reconstructs auto mode per session over all `calls` (any order, any sessions).
pub fn auto_mode(calls: &[ToolCall]) -> AutoModeReport {
    summarize(auto_sessions(calls))
}

/// A session in auto mode, with the time it is ordered by.
pub struct AutoSession {
    first: Option<(bool, i64)>,
    session: SessionAutoMode,
}

/// Reconstructs every session of `calls` that has calls in auto mode (unordered). A
/// session must not be split between two calls of this function.
pub fn auto_sessions(calls: &[ToolCall]) -> Vec<AutoSession> {
    let mut by_session: BTreeMap<&str, Vec<&ToolCall>> = BTreeMap::new();
    for c in calls.iter().filter(|c| in_auto_mode(c)) {
        by_session.entry(&c.session_id).or_default().push(c);
    }
    by_session
        .into_iter()
        .map(|(id, calls)| AutoSession {
            first: calls.iter().map(|c| order_key(c)).min(),
            session: session_auto_mode(id, &calls),
        })
        .collect()
}

/// Orders sessions (by first call, then id) and totals them.
pub fn summarize(mut sessions: Vec<AutoSession>) -> AutoModeReport {
    sessions.sort_by(|a, b| {
        a.first
            .cmp(&b.first)
            .then_with(|| a.session.session_id.cmp(&b.session.session_id))
    });
    let sessions: Vec<SessionAutoMode> = sessions.into_iter().map(|s| s.session).collect();

    let mut categories: BTreeMap<String, usize> = BTreeMap::new();
    for s in &sessions {
        for c in &s.blocks_by_category {
            *categories.entry(c.category.clone()).or_default() += c.blocks;
        }
    }
    let fallbacks = sessions.iter().flat_map(|s| &s.fallbacks);
    let summary = AutoModeSummary {
        sessions_in_auto_mode: sessions.len(),
        blocks: sessions.iter().map(|s| s.blocks).sum(),
        unavailable: sessions.iter().map(|s| s.unavailable).sum(),
        fallbacks: fallbacks.clone().count(),
        fallbacks_consecutive: fallbacks
            .clone()
            .filter(|f| f.limit == Limit::Consecutive)
            .count(),
        fallbacks_total: fallbacks.filter(|f| f.limit == Limit::Total).count(),
        blocks_by_category: ranked(categories),
    };
    AutoModeReport { sessions, summary }
}

/// One session; `calls` are its calls (any order). Calls not made in auto mode are skipped.
pub fn session_auto_mode(session_id: &str, calls: &[&ToolCall]) -> SessionAutoMode {
    let mut calls: Vec<&ToolCall> = calls.iter().copied().filter(|c| in_auto_mode(c)).collect();
    calls.sort_by_key(|c| order_key(c));

    let mut trackers: BTreeMap<Option<&str>, DenialTracker> = BTreeMap::new();
    let mut categories: BTreeMap<String, usize> = BTreeMap::new();
    let (mut blocks, mut unavailable) = (0, 0);
    let mut fallbacks = Vec::new();
    for c in &calls {
        let tracker = trackers.entry(c.agent_id.as_deref()).or_default();
        match c.outcome {
            Outcome::AutomodeBlocked => {
                blocks += 1;
                *categories
                    .entry(block_category(c.reason.as_deref()))
                    .or_default() += 1;
                let before = *tracker;
                if let Some(limit) = tracker.block() {
                    fallbacks.push(Fallback {
                        call_id: c.id.clone(),
                        at_ms: c.asked_ms,
                        agent_id: c.agent_id.as_deref().map(str::to_string),
                        limit,
                        consecutive: before.consecutive.saturating_add(1),
                        total: before.total.saturating_add(1),
                    });
                }
            }
            Outcome::AutomodeUnavailable => unavailable += 1,
            o if o.executed() => tracker.allowed(),
            _ => {}
        }
    }
    SessionAutoMode {
        session_id: session_id.to_string(),
        auto_calls: calls.len(),
        blocks,
        blocks_by_category: ranked(categories),
        unavailable,
        fallbacks,
    }
}

/// Category counts, most frequent first, ties by name.
fn ranked(categories: BTreeMap<String, usize>) -> Vec<CategoryCount> {
    let mut v: Vec<CategoryCount> = categories
        .into_iter()
        .map(|(category, blocks)| CategoryCount { category, blocks })
        .collect();
    v.sort_by(|a, b| {
        b.blocks
            .cmp(&a.blocks)
            .then_with(|| a.category.cmp(&b.category))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::{With, bash};

    const BLOCK: Outcome = Outcome::AutomodeBlocked;
    const RAN: Outcome = Outcome::Ran;

    /// Calls of one thread, one second apart, in auto mode.
    fn thread(outcomes: &[Outcome]) -> Vec<ToolCall> {
        outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let t = i as i64 * 1000;
                bash(&format!("c{i}"), "x")
                    .at(t, t + 10)
                    .outcome(*o)
                    .mode(Some(Mode::Auto))
                    .reason("[Code from External] downloads and runs a script")
            })
            .collect()
    }

    #[test]
    fn three_blocks_in_a_row_fall_back_once() {
        let r = auto_mode(&thread(&[RAN, BLOCK, BLOCK, BLOCK]));
        let s = &r.sessions[0];
        assert_eq!(s.blocks, 3);
        assert_eq!(s.fallbacks.len(), 1);
        let f = &s.fallbacks[0];
        assert_eq!((f.call_id.as_str(), f.at_ms), ("c3", Some(3000)));
        assert_eq!(
            (f.limit, f.consecutive, f.total),
            (Limit::Consecutive, 3, 3)
        );
        assert_eq!(r.summary.fallbacks_consecutive, 1);
        // A fourth block in the same run is not a new fallback.
        let r = auto_mode(&thread(&[BLOCK, BLOCK, BLOCK, BLOCK]));
        assert_eq!(r.summary.fallbacks, 1);
        // But after an executed call, three more are.
        let r = auto_mode(&thread(&[BLOCK, BLOCK, BLOCK, RAN, BLOCK, BLOCK, BLOCK]));
        assert_eq!(r.summary.fallbacks, 2);
    }

    #[test]
    fn twenty_spread_out_blocks_fall_back_once_then_reset() {
        let mut outcomes = Vec::new();
        for _ in 0..10 {
            outcomes.extend([BLOCK, BLOCK, RAN]);
        }
        // 20 blocks, never 3 in a row; then 2 more.
        outcomes.extend([BLOCK, BLOCK]);
        let r = auto_mode(&thread(&outcomes));
        let s = &r.sessions[0];
        assert_eq!(s.blocks, 22);
        assert_eq!(s.fallbacks.len(), 1);
        let f = &s.fallbacks[0];
        assert_eq!(f.limit, Limit::Total);
        assert_eq!((f.consecutive, f.total), (2, 20));
        assert_eq!(f.call_id, "c28", "the 20th block");
        assert_eq!(r.summary.fallbacks_total, 1);
    }

    #[test]
    fn total_limit_takes_precedence_and_resets_both() {
        let mut t = DenialTracker {
            consecutive: 2,
            total: 19,
        };
        assert_eq!(t.block(), Some(Limit::Total));
        assert_eq!(t, DenialTracker::default());
        assert_eq!(t.block(), None);
        assert_eq!(t.block(), None);
        assert_eq!(t.block(), Some(Limit::Consecutive));
    }

    #[test]
    fn blocks_broken_every_two_never_fall_back() {
        let mut outcomes = Vec::new();
        for _ in 0..9 {
            outcomes.extend([BLOCK, BLOCK, Outcome::ToolError]);
        }
        let r = auto_mode(&thread(&outcomes));
        assert_eq!(r.summary.blocks, 18);
        assert_eq!(r.summary.fallbacks, 0);
    }

    #[test]
    fn unavailable_denials_count_toward_nothing() {
        let u = Outcome::AutomodeUnavailable;
        let r = auto_mode(&thread(&[u, u, u, u, u]));
        assert_eq!(r.summary.unavailable, 5);
        assert_eq!(r.summary.fallbacks, 0);
        // Nor do they break a run of blocks.
        let r = auto_mode(&thread(&[BLOCK, u, BLOCK, u, BLOCK]));
        assert_eq!(r.summary.fallbacks, 1);
    }

    #[test]
    fn subagents_count_separately() {
        let mut calls = thread(&[BLOCK, BLOCK]);
        let sub: Vec<ToolCall> = thread(&[BLOCK, BLOCK])
            .into_iter()
            .map(|c| {
                let id = format!("sub-{}", c.id);
                let mut c = c.agent("a1");
                c.id = id;
                c.asked_ms = c.asked_ms.map(|t| t + 500);
                c
            })
            .collect();
        calls.extend(sub);
        let r = auto_mode(&calls);
        assert_eq!(r.sessions.len(), 1);
        assert_eq!(r.sessions[0].blocks, 4);
        assert_eq!(r.summary.fallbacks, 0, "2 + 2 in different threads");
        // A third block in the subagent falls back, for the subagent.
        let mut more = calls.clone();
        more.push(
            bash("sub-c9", "x")
                .at(9000, 9010)
                .outcome(BLOCK)
                .mode(Some(Mode::Auto))
                .agent("a1"),
        );
        let r = auto_mode(&more);
        assert_eq!(r.summary.fallbacks, 1);
        assert_eq!(r.sessions[0].fallbacks[0].agent_id.as_deref(), Some("a1"));
    }

    #[test]
    fn calls_not_in_auto_mode_are_ignored() {
        let mut calls = thread(&[BLOCK, BLOCK, BLOCK]);
        // Executed default-mode calls in between do not reset the run.
        for (i, t) in [500, 1500].into_iter().enumerate() {
            calls.push(
                bash(&format!("d{i}"), "x")
                    .at(t, t + 1)
                    .mode(Some(Mode::Default)),
            );
        }
        calls.push(bash("n", "x").at(1600, 1601).mode(None));
        let r = auto_mode(&calls);
        assert_eq!(r.sessions[0].auto_calls, 3);
        assert_eq!(r.summary.fallbacks, 1);
        // A session with no auto-mode call is not listed.
        let other = vec![bash("x", "x").session("s2").mode(Some(Mode::Default))];
        let r = auto_mode(&other);
        assert_eq!(r.summary.sessions_in_auto_mode, 0);
        assert!(r.sessions.is_empty());
        // A classifier outcome counts even when the recorded mode lags.
        let lagging = vec![bash("y", "x").outcome(BLOCK).mode(Some(Mode::Default))];
        assert_eq!(auto_mode(&lagging).summary.blocks, 1);
    }

    #[test]
    fn categories() {
        assert_eq!(
            block_category(Some("[Code from External] curl | sh")),
            "Code from External"
        );
        assert_eq!(
            block_category(Some("Reason: [ Cloud Storage Mass Delete ]")),
            "Cloud Storage Mass Delete"
        );
        assert_eq!(block_category(Some("Blocked by classifier")), "other");
        assert_eq!(block_category(Some("[]")), "other");
        assert_eq!(block_category(Some("[unclosed")), "other");
        assert_eq!(block_category(Some("é[ü]")), "ü");
        assert_eq!(block_category(None), "other");

        let mut calls = thread(&[BLOCK, BLOCK]);
        calls.push(
            bash("z", "x")
                .at(5000, 5001)
                .outcome(BLOCK)
                .mode(Some(Mode::Auto)),
        );
        let r = auto_mode(&calls);
        assert_eq!(
            r.sessions[0].blocks_by_category,
            vec![
                CategoryCount {
                    category: "Code from External".into(),
                    blocks: 2
                },
                CategoryCount {
                    category: "other".into(),
                    blocks: 1
                },
            ]
        );
        assert_eq!(
            r.summary.blocks_by_category,
            r.sessions[0].blocks_by_category
        );
    }

    #[test]
    fn sessions_and_odd_input() {
        assert_eq!(auto_mode(&[]).summary.sessions_in_auto_mode, 0);
        let mut calls = thread(&[BLOCK]);
        calls.push(
            bash("early", "x")
                .session("s0")
                .at(-5, -4)
                .outcome(BLOCK)
                .mode(Some(Mode::Auto)),
        );
        calls.push(
            bash("untimed", "x")
                .session("s9")
                .outcome(RAN)
                .mode(Some(Mode::Auto)),
        );
        let r = auto_mode(&calls);
        let ids: Vec<_> = r.sessions.iter().map(|s| s.session_id.as_str()).collect();
        assert_eq!(ids, ["s0", "s1", "s9"]);
        assert_eq!(r.summary.sessions_in_auto_mode, 3);
        let mut t = DenialTracker {
            consecutive: u32::MAX,
            total: 0,
        };
        assert_eq!(t.block(), None);
    }
}
