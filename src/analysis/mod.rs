//! The analyses behind `permstat report`: no I/O, plain functions over slices of
//! [`crate::event::ToolCall`]s.
//!
//! - [`mod@answer`]: what each call meant for the person (approved, rejected, denied, ...)
//!   and how that is known ([`Basis`], [`Ground`], [`Known`]); [`Evidence::answer`] is the
//!   one entry point every consumer reads answers through.
//! - [`evidence`]: the evidence behind the answers: timing, the mode where it was not
//!   recorded, grants during a session, rules adopted during the window, recorded
//!   decisions.
//! - [`keys`]: a short key per command (`git diff`, `npm run test`) to group calls by.
//! - [`fatigue`]: approval fatigue per session and overall.
//! - [`waiting`]: time spent waiting on prompts (overlaps merged, walked-away waits apart)
//!   and the answer time by a prompt's place in its session.
//! - [`automode`]: auto-mode classifier blocks and the reconstructed fallbacks to prompting.
//! - [`risk`]: approved calls that were destructive, reached the network or touched secrets.
//! - [`aggregate`]: counts of each answer per command key, tool, project and day.
//! - [`report`]: the report's model, the fold that counts one set of sessions at a time
//!   into it, and the per-thread memo of each distinct call's decision.
//!
//! The analyses that need the person's side take `&[(&ToolCall, Answer)]` ([`Judged`]), or
//! `&[(&ToolCall, Known)]` ([`Weighed`]) when how sure the answer is matters (fatigue); the
//! caller pairs each call with its answer from [`Evidence::answer`].

pub mod aggregate;
pub mod answer;
pub mod automode;
pub mod evidence;
pub mod fatigue;
pub mod keys;
pub mod report;
pub mod risk;
pub mod waiting;

pub use answer::{
    Answer, Basis, Bounds, Confirmed, Evidence, Gate, Ground, Known, answer, gate_of, recorded,
};

use crate::event::ToolCall;

/// A call paired with what it meant for the person: the input of [`fatigue`] and [`risk`].
pub type Judged<'a> = (&'a ToolCall, Answer);

/// A call paired with its answer and how that is known: the input of [`fatigue`].
pub type Weighed<'a> = (&'a ToolCall, Known);

/// The time a call is ordered by: when it was made, else when its result came, else last.
pub(crate) fn order_key(call: &ToolCall) -> (bool, i64) {
    match call.asked_ms.or(call.answered_ms) {
        Some(t) => (false, t),
        None => (true, 0),
    }
}

/// Median of integer samples (mean of the two middle ones for an even count); None when empty.
pub(crate) fn median(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] as f64 + v[n / 2] as f64) / 2.0
    })
}

/// `answered - asked` without overflow; None when a time is missing or the difference does
/// not fit.
pub(crate) fn gap(call: &ToolCall) -> Option<i64> {
    call.answered_ms?.checked_sub(call.asked_ms?)
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Builds hand-written tool calls for the tests.

    use crate::event::{Mode, Outcome, ToolCall, ToolInput};
    use std::sync::Arc;

    /// A call of `tool` in session "s1" that ran in default mode, with no times.
    pub fn call(id: &str, tool: &str) -> ToolCall {
        ToolCall {
            id: id.to_string(),
            session_id: Arc::from("s1"),
            project: Some(Arc::from("/home/u/proj")),
            file: Arc::from("s1.jsonl"),
            agent_id: None,
            tool: tool.to_string(),
            input: ToolInput::default(),
            message_id: None,
            asked_ms: None,
            answered_ms: None,
            mode: Some(Mode::Default),
            version: None,
            entrypoint: None,
            git_branch: None,
            developer: None,
            outcome: Outcome::Ran,
            denial_kind: None,
            verified: true,
            reason: None,
            recorded: None,
        }
    }

    /// A Bash call.
    pub fn bash(id: &str, command: &str) -> ToolCall {
        let mut c = call(id, "Bash");
        c.input.command = Some(command.to_string());
        c
    }

    /// Builder methods on a test call.
    pub trait With: Sized {
        /// Sets the session.
        fn session(self, s: &str) -> Self;
        /// Sets the asked and answered times.
        fn at(self, asked: i64, answered: i64) -> Self;
        /// Sets the outcome.
        fn outcome(self, o: Outcome) -> Self;
        /// Sets the mode.
        fn mode(self, m: Option<Mode>) -> Self;
        /// Sets the subagent.
        fn agent(self, a: &str) -> Self;
        /// Sets the reason.
        fn reason(self, r: &str) -> Self;
        /// Sets the path input.
        fn path(self, p: &str) -> Self;
    }

    impl With for ToolCall {
        fn session(mut self, s: &str) -> Self {
            self.session_id = Arc::from(s);
            self
        }
        fn at(mut self, asked: i64, answered: i64) -> Self {
            self.asked_ms = Some(asked);
            self.answered_ms = Some(answered);
            self
        }
        fn outcome(mut self, o: Outcome) -> Self {
            self.outcome = o;
            self
        }
        fn mode(mut self, m: Option<Mode>) -> Self {
            self.mode = m;
            self
        }
        fn agent(mut self, a: &str) -> Self {
            self.agent_id = Some(Arc::from(a));
            self
        }
        fn reason(mut self, r: &str) -> Self {
            self.reason = Some(r.to_string());
            self
        }
        fn path(mut self, p: &str) -> Self {
            self.input.path = Some(p.to_string());
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_odd_even_empty() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3, 1, 2]), Some(2.0));
        assert_eq!(median(&[4, 1, 3, 2]), Some(2.5));
    }

    #[test]
    fn gap_never_overflows() {
        let mut c = testkit::call("a", "Bash");
        c.asked_ms = Some(i64::MIN);
        c.answered_ms = Some(i64::MAX);
        assert_eq!(gap(&c), None);
        c.asked_ms = None;
        assert_eq!(gap(&c), None);
    }

    #[test]
    fn random_lines_never_panic() {
        use crate::analysis::testkit::{With, bash, call};
        use crate::event::Outcome;
        const PIECES: &[&str] = &[
            "git", "-C", "x", "push", "--force", "rm", "-rf", "&&", "||", "|", ";", "'", "\"",
            "\\", "$(", ")", "`", ">", "2>&1", "<", "=", "FOO=1", "sudo", "env", "xargs",
            "timeout", "5", "bash", "-c", "eval", "find", "-exec", "é", "ü.KEY", "@", ".env",
            "~/.ssh", "gh", "api", "-X", "aws", "s3", " ", "\n", "[", "]", "+", ":", "-",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut calls = Vec::new();
        for i in 0..3000 {
            let n = (next() % 12) as usize;
            let line: Vec<&str> = (0..n)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let sep = if next() % 2 == 0 { " " } else { "" };
            let c = bash(&format!("c{i}"), &line.join(sep))
                .at(next() as i64, next() as i64)
                .outcome(Outcome::ALL[(next() % 14) as usize])
                .reason(&line.join(""))
                .agent(if next() % 3 == 0 { "a" } else { "b" });
            let _ = keys::command_keys(&c, None);
            let _ = risk::risks(&c);
            let _ = keys::command_keys(&call("p", "Read").path(&line.join("/")), None);
            calls.push(c);
        }
        let judged: Vec<Judged> = calls
            .iter()
            .enumerate()
            .map(|(i, c)| (c, Answer::ALL[i % Answer::ALL.len()]))
            .collect();
        let weighed: Vec<Weighed> = judged
            .iter()
            .map(|(c, a)| (*c, Known::new(*a, Ground::Waited, gap(c))))
            .collect();
        let f = fatigue::fatigue(&weighed, &fatigue::FatigueParams::default());
        assert!(f.overall.score <= 100);
        let _ = automode::auto_mode(&calls);
        let _ = risk::approved_risks(&judged);
        // The evidence over the same calls, every gate in turn.
        let keys: Vec<Vec<(String, bool)>> = (0..calls.len())
            .map(|i| vec![(format!("k{}", i % 7), i % 2 == 0)])
            .collect();
        let facts: Vec<evidence::Replay> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| evidence::Replay {
                gate: Gate::ALL[i % Gate::ALL.len()],
                allow_rule: (i % 3 == 0).then_some("r"),
                keys: k,
            })
            .collect();
        let rejudge = |i: usize, _: &crate::event::Mode| Gate::ALL[(i * 7) % Gate::ALL.len()];
        for adopt in [
            evidence::Adopt::Here,
            evidence::Adopt::Later,
            evidence::Adopt::Deferred,
        ] {
            let ev = Evidence::gather(&calls, &facts, &rejudge, &Default::default(), adopt);
            for (i, c) in calls.iter().enumerate() {
                let _ = ev.answer(i, c, Gate::Unknown);
            }
        }
    }
}
