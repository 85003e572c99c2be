//! The permission mode where the transcript does not record it (Claude Code before 2.1.15,
//! calls before a session's first prompt line, some subagents), inferred from the calls'
//! timing.
//!
//! Each call without a recorded mode that executed is decided again in `default`,
//! `acceptEdits` and `bypassPermissions`. A call that prompts in `default` but not in
//! `acceptEdits` is an *edit*; one that prompts in `acceptEdits` but not in
//! `bypassPermissions` is *other*. Their timing ([`Pace`]) is an observation: an edit at
//! machine speed fits acceptEdits or bypass, an edit that waited fits default; another call
//! at machine speed fits only bypass, one that waited fits anything but bypass. The mode
//! over time is the sequence of modes that contradicts the fewest observations, a change
//! of mode counting as two contradictions (so one odd call does not flip it, and three fast
//! edits do). A thread starts in `default`; a subagent starts in the mode its session's
//! main thread was in when the subagent made its first call (recorded or inferred). An
//! `ExitPlanMode` call marks the calls before it, back to the thread's start or the last
//! plan-mode call, as plan mode. `docs/report.md` gives the rules and why.

use super::pace::Pace;
use super::{Rejudge, Replay};
use crate::analysis::Gate;
use crate::event::{Mode, ToolCall};
use crate::text::time::iso;
use rustc_hash::FxHashSet;
use serde::Serialize;

/// Contradictions a change of mode costs.
const SWITCH: f64 = 2.0;

/// Weight of a machine-speed call of a key already seen in the thread (a "don't ask again"
/// grant repeats one key; bypass shows in many).
const REPEAT_WEIGHT: f64 = 0.25;

/// Weight of a call acceptEdits asks for that took longer than machine speed, against
/// bypass: in bypass mode everything that changes something comes back at machine speed
/// unless its own run is long, which a single call cannot tell.
const SLOW_OTHER_WEIGHT: f64 = 0.5;

/// A mode the timing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum InferredMode {
    /// Edits waited: Claude Code asked for them.
    Default,
    /// Edits came back at machine speed: acceptEdits, or edits allowed.
    AcceptEdits,
    /// Everything came back at machine speed.
    #[serde(rename = "bypassPermissions")]
    Bypass,
    /// Before an `ExitPlanMode` call.
    Plan,
}

impl InferredMode {
    /// The mode Claude Code's replay decides in.
    pub fn mode(self) -> Mode {
        match self {
            InferredMode::Default => Mode::Default,
            InferredMode::AcceptEdits => Mode::AcceptEdits,
            InferredMode::Bypass => Mode::BypassPermissions,
            InferredMode::Plan => Mode::Plan,
        }
    }

    /// The mode's name as Claude Code writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            InferredMode::Default => "default",
            InferredMode::AcceptEdits => "acceptEdits",
            InferredMode::Bypass => "bypassPermissions",
            InferredMode::Plan => "plan",
        }
    }

    /// The states of the inference, in order of preference on a tie.
    const STATES: [InferredMode; 3] = [
        InferredMode::Default,
        InferredMode::AcceptEdits,
        InferredMode::Bypass,
    ];

    /// The state a recorded mode stands for, if any.
    fn of_recorded(m: &Mode) -> Option<InferredMode> {
        match m {
            Mode::Default | Mode::Plan => Some(InferredMode::Default),
            Mode::AcceptEdits => Some(InferredMode::AcceptEdits),
            Mode::BypassPermissions => Some(InferredMode::Bypass),
            _ => None,
        }
    }

    fn state(self) -> usize {
        match self {
            InferredMode::Default | InferredMode::Plan => 0,
            InferredMode::AcceptEdits => 1,
            InferredMode::Bypass => 2,
        }
    }
}

/// A stretch of one thread of a session whose mode was inferred.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeSpan {
    /// The session.
    pub session_id: String,
    /// The subagent (None: the main thread).
    pub agent_id: Option<String>,
    /// The mode inferred.
    pub mode: InferredMode,
    /// First and last call of the stretch (RFC 3339).
    pub from: Option<String>,
    /// Last call of the stretch.
    pub to: Option<String>,
    /// Calls in the stretch.
    pub calls: usize,
    /// Edits that came back at machine speed.
    pub fast_edits: usize,
    /// Edits that waited.
    pub waited_edits: usize,
    /// Other calls (ones acceptEdits asks for) that came back at machine speed.
    pub fast_other: usize,
    /// Other calls that waited.
    pub waited_other: usize,
    /// A subagent's first stretch, in the mode its session's main thread was in when it
    /// started.
    pub inherited: bool,
    /// Set by an `ExitPlanMode` call.
    pub plan_marker: bool,
}

/// The inference over a set of whole sessions.
#[derive(Debug, Default)]
pub struct Inferred {
    /// Per call, the mode inferred (None: recorded, or nothing to infer from).
    pub modes: Vec<Option<InferredMode>>,
    /// Per call, the gate in the mode in force (the replay's where nothing was inferred).
    pub gates: Vec<Gate>,
    /// The stretches inferred.
    pub spans: Vec<ModeSpan>,
}

/// What an executed call without a recorded mode shows.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Obs {
    /// Prompts in acceptEdits too (an "other" call), not only in default (an edit).
    other: bool,
    /// It waited (else it came at machine speed).
    asked: bool,
    weight: f64,
}

impl Obs {
    /// Contradictions of this observation with a state.
    fn cost(&self, state: usize) -> f64 {
        let fits = match (self.other, self.asked) {
            (false, false) => state >= 1,
            (false, true) => state == 0,
            (true, false) => state == 2,
            (true, true) => state <= 1,
        };
        if fits { 0.0 } else { self.weight }
    }
}

/// Gates of one call in the modes tried, decided once each.
struct Gates<'r, R: Rejudge> {
    rejudge: &'r R,
    cache: Vec<[Option<Gate>; 4]>,
}

impl<R: Rejudge> Gates<'_, R> {
    fn get(&mut self, i: usize, m: InferredMode) -> Gate {
        let slot = &mut self.cache[i][m as usize];
        *slot.get_or_insert_with(|| self.rejudge.gate(i, &m.mode()))
    }
}

/// Infers the mode of every thread of every session in `sessions` (call indices, each
/// session in time order).
pub fn infer<R: Rejudge>(
    calls: &[ToolCall],
    sessions: &[Vec<usize>],
    replay: &[Replay<'_>],
    rejudge: &R,
    pace: &[Pace],
) -> Inferred {
    let mut out = Inferred {
        modes: vec![None; calls.len()],
        gates: replay.iter().map(|r| r.gate).collect(),
        spans: Vec::new(),
    };
    let mut gates = Gates {
        rejudge,
        cache: vec![[None; 4]; calls.len()],
    };
    for session in sessions {
        if session.iter().all(|&i| calls[i].mode.is_some()) {
            continue;
        }
        let mut threads: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
        for &i in session {
            let agent = calls[i].agent_id.as_deref();
            match threads.iter_mut().find(|(a, _)| *a == agent) {
                Some((_, v)) => v.push(i),
                None => threads.push((agent, vec![i])),
            }
        }
        // The main thread first: subagents start from its mode.
        threads.sort_by_key(|(a, _)| a.is_some());
        let mut timeline: Vec<(i64, Option<InferredMode>)> = Vec::new();
        for (agent, idx) in &threads {
            let start = match agent {
                None => None,
                Some(_) => {
                    let t = idx.iter().find_map(|&i| calls[i].asked_ms);
                    t.and_then(|t| {
                        let k = timeline.partition_point(|(at, _)| *at <= t);
                        k.checked_sub(1).and_then(|k| timeline[k].1)
                    })
                }
            };
            thread(calls, idx, replay, &mut gates, pace, start, &mut out);
            if agent.is_none() {
                timeline = idx
                    .iter()
                    .filter_map(|&i| {
                        let m = match &calls[i].mode {
                            Some(m) => InferredMode::of_recorded(m),
                            None => out.modes[i],
                        };
                        Some((calls[i].asked_ms?, m))
                    })
                    .collect();
            }
        }
    }
    for (i, m) in out.modes.iter().enumerate() {
        if let Some(m) = m {
            out.gates[i] = gates.get(i, *m);
        }
    }
    out
}

/// Infers one thread (`idx`, in time order), starting from `start` (a subagent's
/// inheritance; the main thread starts in default).
fn thread<R: Rejudge>(
    calls: &[ToolCall],
    idx: &[usize],
    replay: &[Replay<'_>],
    gates: &mut Gates<'_, R>,
    pace: &[Pace],
    start: Option<InferredMode>,
    out: &mut Inferred,
) {
    let open: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| calls[i].mode.is_none())
        .collect();
    if open.is_empty() {
        return;
    }
    // Observations, each with its position in `open`.
    let mut seen_keys: FxHashSet<String> = FxHashSet::default();
    let mut obs: Vec<(usize, Obs)> = Vec::new();
    for (pos, &i) in open.iter().enumerate() {
        let c = &calls[i];
        if !c.outcome.executed() || !gates.get(i, InferredMode::Default).prompts() {
            continue;
        }
        let other = gates.get(i, InferredMode::AcceptEdits).prompts();
        if other && gates.get(i, InferredMode::Bypass).prompts() {
            continue;
        }
        let (asked, weight) = match pace[i] {
            p if p.fast() => (false, 1.0),
            Pace::Waited => (true, 1.0),
            Pace::Unclear if other && c.answered_ms.is_some() => (true, SLOW_OTHER_WEIGHT),
            _ => continue,
        };
        let key: String = replay[i]
            .keys
            .iter()
            .filter(|(_, p)| *p)
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let first = seen_keys.insert(if key.is_empty() { c.tool.clone() } else { key });
        let weight = if other && !asked && !first {
            REPEAT_WEIGHT
        } else {
            weight
        };
        obs.push((
            pos,
            Obs {
                other,
                asked,
                weight,
            },
        ));
    }
    let mut assigned: Vec<Option<InferredMode>> = vec![None; open.len()];
    if obs.is_empty() {
        assigned.fill(start);
    } else {
        let states = viterbi(
            &obs.iter().map(|(_, o)| *o).collect::<Vec<_>>(),
            start.unwrap_or(InferredMode::Default).state(),
        );
        // A stretch in default is an inference only where an edit waited or the subagent
        // started in it (calls that only rule out bypass leave the replay's own assumption
        // in place).
        let mut supported = vec![false; states.len()];
        let mut run_start = 0;
        for t in 1..=states.len() {
            if t == states.len() || states[t] != states[run_start] {
                let waited_edit = obs[run_start..t].iter().any(|(_, o)| o.asked && !o.other);
                let inherited = run_start == 0 && start.is_some_and(|m| m.state() == 0);
                supported[run_start..t].fill(states[run_start] != 0 || waited_edit || inherited);
                run_start = t;
            }
        }
        let mut k = 0;
        for (pos, slot) in assigned.iter_mut().enumerate() {
            while k + 1 < obs.len() && obs[k + 1].0 <= pos {
                k += 1;
            }
            *slot = supported[k].then_some(InferredMode::STATES[states[k]]);
        }
    }
    let planned = mark_plan(calls, &open, &obs, &mut assigned);
    for (&i, m) in open.iter().zip(&assigned) {
        out.modes[i] = *m;
    }
    spans(calls, &open, &obs, &assigned, start, &planned, out);
}

/// The least contradicted sequence of states for `obs`, starting from `start`.
fn viterbi(obs: &[Obs], start: usize) -> Vec<usize> {
    let n = InferredMode::STATES.len();
    let mut cost: Vec<f64> = (0..n)
        .map(|s| if s == start { 0.0 } else { SWITCH } + obs[0].cost(s))
        .collect();
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(obs.len());
    for o in &obs[1..] {
        let mut next = vec![0.0; n];
        let mut from = vec![0; n];
        for s in 0..n {
            // Staying wins a tie, then the state preferred first.
            let mut best = (cost[s], s);
            for (p, c) in cost.iter().enumerate() {
                if p != s && c + SWITCH < best.0 {
                    best = (c + SWITCH, p);
                }
            }
            next[s] = best.0 + o.cost(s);
            from[s] = best.1;
        }
        back.push(from);
        cost = next;
    }
    let mut last = start;
    for (s, c) in cost.iter().enumerate() {
        if *c < cost[last] {
            last = s;
        }
    }
    let mut states = vec![last; obs.len()];
    for t in (1..obs.len()).rev() {
        states[t - 1] = back[t - 1][states[t]];
    }
    states
}

/// Marks the calls before each `ExitPlanMode` call (back to the thread's start, an
/// `EnterPlanMode` call, the previous `ExitPlanMode`, or a call that ran unasked where plan
/// mode would ask) as plan mode. Returns the positions marked.
fn mark_plan(
    calls: &[ToolCall],
    open: &[usize],
    obs: &[(usize, Obs)],
    assigned: &mut [Option<InferredMode>],
) -> Vec<bool> {
    let mut planned = vec![false; open.len()];
    let unasked: FxHashSet<usize> = obs
        .iter()
        .filter(|(_, o)| !o.asked)
        .map(|(p, _)| *p)
        .collect();
    for end in 0..open.len() {
        if calls[open[end]].tool != "ExitPlanMode" {
            continue;
        }
        let mut p = end;
        loop {
            let tool = calls[open[p]].tool.as_str();
            if p != end && matches!(tool, "EnterPlanMode" | "ExitPlanMode") {
                break;
            }
            if unasked.contains(&p) || !matches!(assigned[p], None | Some(InferredMode::Default)) {
                break;
            }
            assigned[p] = Some(InferredMode::Plan);
            planned[p] = true;
            if p == 0 {
                break;
            }
            p -= 1;
        }
    }
    planned
}

/// Groups the thread's assigned modes into stretches.
fn spans(
    calls: &[ToolCall],
    open: &[usize],
    obs: &[(usize, Obs)],
    assigned: &[Option<InferredMode>],
    start: Option<InferredMode>,
    planned: &[bool],
    out: &mut Inferred,
) {
    let mut pos = 0;
    while pos < open.len() {
        let Some(mode) = assigned[pos] else {
            pos += 1;
            continue;
        };
        let mut end = pos;
        while end + 1 < open.len() && assigned[end + 1] == Some(mode) {
            end += 1;
        }
        let first = &calls[open[pos]];
        let in_span = obs.iter().filter(|(p, _)| (pos..=end).contains(p));
        let count = |other: bool, asked: bool| {
            in_span
                .clone()
                .filter(|(_, o)| o.other == other && o.asked == asked)
                .count()
        };
        out.spans.push(ModeSpan {
            session_id: first.session_id.to_string(),
            agent_id: first.agent_id.as_deref().map(String::from),
            mode,
            from: open[pos..=end]
                .iter()
                .find_map(|&i| calls[i].asked_ms)
                .map(iso),
            to: open[pos..=end]
                .iter()
                .rev()
                .find_map(|&i| calls[i].asked_ms)
                .map(iso),
            calls: end - pos + 1,
            fast_edits: count(false, false),
            waited_edits: count(false, true),
            fast_other: count(true, false),
            waited_other: count(true, true),
            inherited: pos == 0 && start == Some(mode),
            plan_marker: planned[pos],
        });
        pos = end + 1;
    }
}
