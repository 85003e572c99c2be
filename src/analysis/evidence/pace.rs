//! Timing evidence: how long a dialog for each call could have been open (its window), and
//! what that says about whether one was.
//!
//! The rules (`docs/report.md`, "Rules of evidence"):
//! - a window shorter than the floor (`--human-floor-ms`, 300 ms) means nobody answered a
//!   dialog: [`Pace::Machine`];
//! - a tool whose own run takes no time ([`RUN_TIME`]) that waited longer than the floor
//!   plus its longest run had a dialog open: [`Pace::Waited`];
//! - a Bash command that came back within the floor of the fastest unasked run of the same
//!   command in the session ran unasked ([`Pace::RunTime`]); one that took twice the slowest
//!   of at least three unasked runs, plus the floor, waited;
//! - anything else says nothing ([`Pace::Unclear`]): slowness alone proves nothing, since the
//!   window includes the tool's run.

use crate::event::ToolCall;
use crate::facts::tools::{self, Family};
use rustc_hash::FxHashMap;

/// The floor by default: an answer sooner than this after the call came from no person.
pub const DEFAULT_FLOOR_MS: i64 = 300;

/// Tools whose own run takes almost no time, with the longest run allowed for (ms). A
/// window longer than the floor plus this was spent waiting: on a dialog.
pub const RUN_TIME: &[(&str, i64)] = &[
    ("Edit", 1000),
    ("MultiEdit", 1000),
    ("Write", 1000),
    ("NotebookEdit", 1000),
    ("Read", 1000),
    ("LS", 1000),
    ("Grep", 3000),
    ("Glob", 3000),
];

/// Fewest unasked runs of a command before a slow run of it counts as a wait.
pub const MIN_RUNS_FOR_WAIT: usize = 3;

/// How much longer than the floor an approval must take to count as slow (a person's
/// answer, not a quick run): the grant of "don't ask again" follows a slow approval.
pub const SLOW_EXTRA_MS: i64 = 1000;

/// True when a window is slow: at least the floor plus [`SLOW_EXTRA_MS`].
pub fn slow(window: Option<i64>, floor_ms: i64) -> bool {
    window.is_some_and(|w| w >= floor_ms.saturating_add(SLOW_EXTRA_MS))
}

/// What a call's timing says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Sooner than the floor: nobody answered a dialog.
    Machine,
    /// As fast as the same command ran unasked: nobody answered a dialog (probably).
    RunTime,
    /// Longer than the tool's own run: a dialog was open (probably).
    Waited,
    /// No time, or a time the tool's run could explain.
    Unclear,
}

impl Pace {
    /// True when the timing shows the call ran unasked.
    pub fn fast(self) -> bool {
        matches!(self, Pace::Machine | Pace::RunTime)
    }
}

/// The window of each call: how long a dialog for it could have been open, up to its
/// result. A tool that can change something (an edit, a Bash or PowerShell command) runs
/// only when no other call of its assistant message is running, in order, and the
/// transcripts show its result only after the message's last `tool_use` line; so its
/// window starts at the latest of its own `tool_use` line, the other `tool_use` lines of
/// its message and the results of the calls before it, written before its own result.
/// Other tools run side by side: their window starts at their own line. None when a time
/// is missing or the result is older than the call. See `docs/report.md`, "The window".
pub fn windows(calls: &[ToolCall]) -> Vec<Option<i64>> {
    let mut siblings: FxHashMap<(&str, &str), Vec<usize>> = FxHashMap::default();
    for (i, c) in calls.iter().enumerate() {
        if let Some(m) = c.message_id.as_deref() {
            siblings.entry((&c.session_id, m)).or_default().push(i);
        }
    }
    let mut start: Vec<Option<i64>> = calls.iter().map(|c| c.asked_ms).collect();
    for group in siblings.values().filter(|g| g.len() > 1) {
        for &k in group {
            let (this, Some(answered)) = (&calls[k], calls[k].answered_ms) else {
                continue;
            };
            if !sequential(&this.tool) {
                continue;
            }
            let asked = this.asked_ms.unwrap_or(i64::MIN);
            for &j in group.iter().filter(|&&j| j != k) {
                let other = &calls[j];
                let earlier = (other.asked_ms, j) < (this.asked_ms, k);
                let events = [other.asked_ms, other.answered_ms.filter(|_| earlier)];
                for t in events.into_iter().flatten() {
                    if t <= answered && t > asked {
                        start[k] = Some(start[k].map_or(t, |s| s.max(t)));
                    }
                }
            }
        }
    }
    calls
        .iter()
        .zip(start)
        .map(|(c, s)| c.answered_ms?.checked_sub(s?).filter(|w| *w >= 0))
        .collect()
}

/// True for the tools Claude Code runs one at a time: the ones that change something.
fn sequential(tool: &str) -> bool {
    matches!(
        tools::family(tool),
        Family::Edit | Family::Bash | Family::PowerShell
    )
}

/// The longest run allowed for a tool of [`RUN_TIME`], None for other tools.
pub fn run_ceiling(tool: &str) -> Option<i64> {
    RUN_TIME.iter().find(|(t, _)| *t == tool).map(|(_, ms)| *ms)
}

/// What the timing says without any history: machine speed for every tool, a wait for the
/// tools of [`RUN_TIME`].
pub fn base(call: &ToolCall, window: Option<i64>, floor_ms: i64) -> Pace {
    let Some(w) = window else {
        return Pace::Unclear;
    };
    if w < floor_ms {
        return Pace::Machine;
    }
    match run_ceiling(&call.tool) {
        Some(ceiling) if w >= floor_ms.saturating_add(ceiling) => Pace::Waited,
        _ => Pace::Unclear,
    }
}

/// Run times of Bash commands that ran unasked, per session and exact command.
#[derive(Debug, Default)]
pub struct RunTimes<'a> {
    runs: FxHashMap<(&'a str, &'a str), (i64, i64, usize)>,
}

impl<'a> RunTimes<'a> {
    /// Adds an unasked run of `call` that took `window` ms.
    pub fn add(&mut self, call: &'a ToolCall, window: i64) {
        let Some(cmd) = bash_command(call) else {
            return;
        };
        let e = self
            .runs
            .entry((&call.session_id, cmd))
            .or_insert((i64::MAX, i64::MIN, 0));
        e.0 = e.0.min(window);
        e.1 = e.1.max(window);
        e.2 += 1;
    }

    /// The timing of a Bash call against the unasked runs of the same command in its
    /// session; `base` for other calls and commands never seen unasked.
    pub fn pace(&self, call: &ToolCall, window: Option<i64>, base: Pace, floor_ms: i64) -> Pace {
        if base == Pace::Machine {
            return base;
        }
        let (Some(w), Some(cmd)) = (window, bash_command(call)) else {
            return base;
        };
        let Some(&(min, max, n)) = self.runs.get(&(&*call.session_id, cmd)) else {
            return base;
        };
        if w < floor_ms.saturating_add(min) {
            Pace::RunTime
        } else if n >= MIN_RUNS_FOR_WAIT && w >= floor_ms.saturating_add(max.saturating_mul(2)) {
            Pace::Waited
        } else {
            base
        }
    }
}

/// The command of a Bash call, trimmed.
fn bash_command(call: &ToolCall) -> Option<&str> {
    (call.tool == "Bash")
        .then_some(call.input.command.as_deref()?.trim())
        .filter(|c| !c.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::{With, bash, call};

    #[test]
    fn a_call_waits_for_the_rest_of_its_message() {
        // Seven edits streamed one second apart, all answered in the 400 ms after the last.
        let mut calls: Vec<ToolCall> = (0..7)
            .map(|i| {
                let mut c = call(&format!("e{i}"), "Edit").at(i * 1000, 6080 + 70 * i);
                c.message_id = Some("m".into());
                c
            })
            .collect();
        let w = windows(&calls);
        assert_eq!(w[0], Some(80), "from the last tool_use line of the message");
        assert_eq!(w[1], Some(70), "from the result before it");
        assert_eq!(w[6], Some(70));
        // Another message: no sibling.
        calls[3].message_id = Some("other".into());
        let w = windows(&calls);
        assert_eq!(w[3], Some(6290 - 3000));
        // Reads run side by side: from their own line.
        let mut reads: Vec<ToolCall> = (0..2)
            .map(|i| {
                let mut c = call(&format!("r{i}"), "Read").at(i * 1000, 1500 + i);
                c.message_id = Some("m".into());
                c
            })
            .collect();
        reads[1].asked_ms = Some(1400);
        assert_eq!(windows(&reads), vec![Some(1500), Some(101)]);
    }

    #[test]
    fn machine_speed_and_waits() {
        let edit = call("e", "Edit");
        assert_eq!(base(&edit, Some(40), 300), Pace::Machine);
        assert_eq!(base(&edit, Some(800), 300), Pace::Unclear);
        assert_eq!(base(&edit, Some(1300), 300), Pace::Waited);
        assert_eq!(base(&edit, None, 300), Pace::Unclear);
        let b = bash("b", "npm test");
        assert_eq!(base(&b, Some(299), 300), Pace::Machine);
        assert_eq!(
            base(&b, Some(60_000), 300),
            Pace::Unclear,
            "run time unknown"
        );
    }

    #[test]
    fn bash_against_its_own_unasked_runs() {
        let runs = [
            bash("r1", "npm test"),
            bash("r2", "npm test"),
            bash("r3", "npm test "),
        ];
        let mut rt = RunTimes::default();
        for (c, w) in runs.iter().zip([4000, 5000, 4500]) {
            rt.add(c, w);
        }
        let c = bash("c", "npm test").session("s1");
        let p = |w| rt.pace(&c, Some(w), Pace::Unclear, 300);
        assert_eq!(p(4200), Pace::RunTime);
        assert_eq!(p(6000), Pace::Unclear);
        assert_eq!(p(10_300), Pace::Waited);
        let other = bash("o", "npm test").session("s2");
        assert_eq!(
            rt.pace(&other, Some(4200), Pace::Unclear, 300),
            Pace::Unclear
        );
    }
}
