//! The evidence on whether Claude Code asked before each call: what the transcript itself
//! shows (timing, the mode over time, grants during a session, when a rule was adopted) and
//! the decisions recorded at the time, put together into one [`Known`] answer per call.
//!
//! [`Evidence::gather`] works over a set of whole sessions (a session, its subagents and
//! the sessions resumed from it), in this order, each step using the ones before:
//! 1. [`pace`]: each call's window and what its timing says;
//! 2. [`modes`]: the mode of threads that record none;
//! 3. each call's answer: the outcome where it settles it, else the replay's gate in the
//!    mode in force, corrected by the timing ([`Ground`] says which rule decided);
//! 4. the run times of Bash commands that ran unasked, and the timing again with them;
//! 5. [`grants`]: "don't ask again" during a session;
//! 6. [`adoption`]: allow rules of today's settings adopted during the window (settled
//!    here, or by the caller over every set of sessions: [`Adopt`]);
//! 7. [`records`]: recorded decisions replace all of it where they exist, and are compared
//!    with it.
//!
//! Consumers read the answers through [`Evidence::answer`], the one entry point.
//! `docs/report.md` defines every rule and threshold.

pub mod adoption;
pub mod grants;
pub mod modes;
pub mod pace;
pub mod records;
#[cfg(test)]
mod tests;

pub use adoption::{Adoption, Seen};
pub use grants::GrantFound;
pub use modes::{InferredMode, ModeSpan};
pub use pace::{DEFAULT_FLOOR_MS, Pace, RUN_TIME};
pub use records::RecordCheck;

use crate::analysis::answer::{recorded, through_gate};
use crate::analysis::{Answer, Gate, Ground, Known, order_key};
use crate::event::{Mode, ToolCall};
use crate::facts::tools::{self, Family};
use crate::permissions::engine::{Decision, Verdict};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::sync::Arc;

/// Thresholds of the rules of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceParams {
    /// A window shorter than this came from no person (`--human-floor-ms`).
    pub floor_ms: i64,
}

impl Default for EvidenceParams {
    fn default() -> Self {
        EvidenceParams {
            floor_ms: DEFAULT_FLOOR_MS,
        }
    }
}

/// What the replay of today's settings said of one call, as the evidence needs it.
#[derive(Debug, Clone, Copy)]
pub struct Replay<'a> {
    /// The gate in the call's recorded mode (or the settings' default mode).
    pub gate: Gate,
    /// The allow rule that decided the call, with its file ([`rule_key`]), if one did.
    pub allow_rule: Option<&'a str>,
    /// The call's command keys, each with whether that part needed a prompt by itself.
    pub keys: &'a [(String, bool)],
}

/// The key an allow rule's adoption is tracked by: its text and its file.
pub fn rule_key(text: &str, file: &std::path::Path) -> String {
    format!("{text} ({})", file.display())
}

/// The allow rule that decided `d` ([`rule_key`]), if an allow rule did.
pub fn allow_rule(d: &Decision) -> Option<String> {
    match (&d.verdict, &d.rule) {
        (Verdict::AllowedByRule, Some(r)) => Some(rule_key(&r.text, &r.file)),
        _ => None,
    }
}

/// Decides a call again in another mode (the mode inference tries several).
pub trait Rejudge {
    /// The gate of call `i` in `mode`.
    fn gate(&self, i: usize, mode: &Mode) -> Gate;
}

impl<F: Fn(usize, &Mode) -> Gate> Rejudge for F {
    fn gate(&self, i: usize, mode: &Mode) -> Gate {
        self(i, mode)
    }
}

/// Where rule adoptions are settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adopt {
    /// Over the calls given (they are every call of the window).
    Here,
    /// By the caller, over every set of sessions: the calls waiting on it are
    /// [`Evidence::pending`], what was seen is in [`Found::seen`]. A call whose answer
    /// came from anything but the replay is settled already and waits on nothing.
    Later,
    /// By the caller, as [`Adopt::Here`] would settle them: the calls waiting on it are
    /// every covered call no record overrides (the suggester streams sets of sessions and
    /// settles each project's adoptions at the end, to the same answers as over the whole).
    Deferred,
}

/// What the evidence found besides the answers, for the report.
#[derive(Debug, Default, Serialize)]
pub struct Found {
    /// Stretches of sessions whose mode was inferred.
    pub modes: Vec<ModeSpan>,
    /// "Don't ask again" grants during sessions.
    pub grants: Vec<GrantFound>,
    /// Allow rules adopted during the window (with [`Adopt::Here`]).
    pub adoptions: Vec<Adoption>,
    /// The timed calls allow rules cover (with [`Adopt::Later`]).
    #[serde(skip)]
    pub seen: Vec<Seen>,
    /// The records against the inference.
    pub records: RecordCheck,
}

/// Every source of evidence on whether Claude Code asked before each call of a set of
/// whole sessions (see the module doc), and what it found.
#[derive(Debug, Default)]
pub struct Evidence {
    known: Vec<Known>,
    modes: Vec<Option<InferredMode>>,
    gates: Vec<Gate>,
    pending: Vec<(usize, Arc<str>)>,
    /// What was found besides the answers.
    pub found: Found,
}

impl Evidence {
    /// No evidence but the replay: each call's answer from its outcome and gate.
    pub fn replay_only() -> Self {
        Evidence::default()
    }

    /// Evidence already worked out: call `i`'s answer is `known[i]` and its gate in the mode
    /// in force `gates[i]` (the report keeps them for the calls the suggester reads, and
    /// hands them over this way).
    pub fn of_answers(known: Vec<Known>, gates: Vec<Gate>) -> Self {
        Evidence {
            known,
            gates,
            ..Evidence::default()
        }
    }

    /// What call `i` (`call`) meant for the person and how that is known; `replayed` is its
    /// gate in today's settings, the answer when the evidence holds nothing for it.
    pub fn answer(&self, i: usize, call: &ToolCall, replayed: Gate) -> Known {
        self.known
            .get(i)
            .copied()
            .unwrap_or_else(|| Known::replayed(call, replayed))
    }

    /// The mode inferred for call `i`, if its mode was not recorded and one was inferred.
    pub fn mode(&self, i: usize) -> Option<InferredMode> {
        self.modes.get(i).copied().flatten()
    }

    /// Call `i`'s gate in the mode in force: the replay's, or its decision in the mode
    /// inferred for it; None when no evidence was gathered.
    pub fn gate(&self, i: usize) -> Option<Gate> {
        self.gates.get(i).copied()
    }

    /// Calls an allow rule covers whose answer waits on the rule's adoption date
    /// ([`Adopt::Later`]): each with the rule.
    pub fn pending(&self) -> &[(usize, Arc<str>)] {
        &self.pending
    }

    /// Works out the evidence of `calls` (whole sessions; `replay` holds the replay of each,
    /// `rejudge` decides a call in another mode).
    pub fn gather(
        calls: &[ToolCall],
        replay: &[Replay<'_>],
        rejudge: &impl Rejudge,
        params: &EvidenceParams,
        adopt: Adopt,
    ) -> Evidence {
        let n = calls.len().min(replay.len());
        let (calls, replay) = (&calls[..n], &replay[..n]);
        let floor = params.floor_ms;
        let windows = pace::windows(calls);
        let base: Vec<Pace> = calls
            .iter()
            .zip(&windows)
            .map(|(c, w)| pace::base(c, *w, floor))
            .collect();
        let sessions = sessions(calls);
        let inferred = modes::infer(calls, &sessions, replay, rejudge, &base);
        let gates = &inferred.gates;
        let decide = |i: usize, p: Pace| {
            let (c, w) = (&calls[i], windows[i]);
            infer_one(
                c,
                replay[i].gate,
                gates[i],
                inferred.modes[i].is_some(),
                p,
                w,
            )
        };
        // The run times of Bash commands that ran unasked, then the timing again.
        // A call that is itself a run-time sample is already known to have run unasked.
        let mut runs = pace::RunTimes::default();
        let mut sample = vec![false; n];
        for i in 0..n {
            if let Some(w) = windows[i]
                && unasked_run(&calls[i], decide(i, base[i]), gates[i])
            {
                runs.add(&calls[i], w);
                sample[i] = true;
            }
        }
        let pace: Vec<Pace> = (0..n)
            .map(|i| match sample[i] {
                true => base[i],
                false => runs.pace(&calls[i], windows[i], base[i], floor),
            })
            .collect();
        let mut known: Vec<Known> = (0..n).map(|i| decide(i, pace[i])).collect();
        let grants = grants::find(calls, &sessions, replay, gates, &pace, floor, &mut known);

        let mut seen = Vec::new();
        let mut pending = Vec::new();
        for i in 0..n {
            let c = &calls[i];
            let (Some(rule), Some(at_ms)) = (replay[i].allow_rule, c.asked_ms) else {
                continue;
            };
            if gates[i] != Gate::AllowedByRule
                || known[i].answer != Answer::AutoAllowed
                || !adoptable(c, inferred.modes[i])
            {
                continue;
            }
            let rule: Arc<str> = Arc::from(rule);
            match pace[i] {
                p if p.fast() => seen.push(Seen {
                    rule,
                    at_ms,
                    fast: true,
                }),
                p => {
                    if p == Pace::Waited {
                        seen.push(Seen {
                            rule: rule.clone(),
                            at_ms,
                            fast: false,
                        });
                    }
                    pending.push((i, rule));
                }
            }
        }
        let mut adoptions = Vec::new();
        if adopt == Adopt::Here {
            adoptions = adoption::dates(std::mem::take(&mut seen));
            for (i, rule) in std::mem::take(&mut pending) {
                before_adoption(&mut known[i], calls[i].asked_ms, &mut adoptions, &rule);
            }
        }

        let replayed: Vec<Known> = (0..n)
            .map(|i| Known {
                window_ms: windows[i],
                ..Known::replayed(&calls[i], replay[i].gate)
            })
            .collect();
        let before: Vec<Known> = pending.iter().map(|(i, _)| known[*i]).collect();
        let records = records::overlay(calls, &sessions, gates, &replayed, &mut known);
        let mut waiting = before.into_iter();
        pending.retain(|(i, _)| {
            let was = waiting.next();
            match adopt {
                Adopt::Deferred => was == Some(known[*i]),
                _ => known[*i].ground == Ground::Replay,
            }
        });
        // In a session the prompt log covers, the log gives every answer: a grant read from
        // the timing would contradict it.
        let mut grants = grants;
        if !grants.is_empty() {
            let logged = records::logged_sessions(calls);
            grants.retain(|g| !logged.contains(g.session_id.as_str()));
        }
        Evidence {
            known,
            modes: inferred.modes,
            gates: inferred.gates,
            pending,
            found: Found {
                modes: inferred.spans,
                grants,
                adoptions,
                seen,
                records,
            },
        }
    }
}

/// Counts call `known` (an allow rule's, made at `at_ms`) as a prompt when it came before
/// the rule's adoption among `adoptions`; returns whether it did.
pub fn before_adoption(
    known: &mut Known,
    at_ms: Option<i64>,
    adoptions: &mut [Adoption],
    rule: &str,
) -> bool {
    let Ok(k) = adoptions.binary_search_by(|a| a.rule.as_str().cmp(rule)) else {
        return false;
    };
    if at_ms.is_none_or(|t| t >= adoptions[k].adopted_ms) {
        return false;
    }
    adoptions[k].prompts_before += 1;
    *known = Known::new(Answer::Approved, Ground::BeforeAdoption, known.window_ms);
    true
}

/// The answer of one call from its outcome, the gate in the mode in force and its timing.
fn infer_one(
    c: &ToolCall,
    replayed: Gate,
    gate: Gate,
    mode_inferred: bool,
    pace: Pace,
    window: Option<i64>,
) -> Known {
    if let Some(a) = recorded(c.outcome) {
        return Known::new(a, Ground::Outcome, window);
    }
    let a = through_gate(c.outcome, gate);
    let ran = matches!(
        a,
        Answer::Approved | Answer::AutoAllowed | Answer::ClassifierAllowed
    );
    match pace {
        Pace::Machine | Pace::RunTime if ran => {
            let a = if a == Answer::Approved {
                Answer::AutoAllowed
            } else {
                a
            };
            let g = if pace == Pace::Machine {
                Ground::MachineSpeed
            } else {
                Ground::RunTime
            };
            Known::new(a, g, window)
        }
        _ if mode_inferred && a != through_gate(c.outcome, replayed) => {
            Known::new(a, Ground::InferredMode, window)
        }
        Pace::Waited if a == Answer::Approved => Known::new(a, Ground::Waited, window),
        _ => Known::new(a, Ground::Replay, window),
    }
}

/// True when an executed Bash call ran unasked on evidence (not only by the replay): a
/// sample of its command's run time.
fn unasked_run(c: &ToolCall, k: Known, gate: Gate) -> bool {
    if c.tool != "Bash" || !c.outcome.executed() {
        return false;
    }
    let recorded_unasked = c
        .recorded
        .as_ref()
        .is_some_and(|r| r.prompted == Some(false));
    let bypass = c.mode == Some(Mode::BypassPermissions) && !gate.prompts();
    let evidenced =
        !k.answer.is_prompt() && matches!(k.ground, Ground::MachineSpeed | Ground::InferredMode);
    recorded_unasked || bypass || evidenced
}

/// True when the call would have prompted in its mode had the rule not been there: not in
/// bypass, auto or dontAsk mode, and not an edit in acceptEdits.
fn adoptable(c: &ToolCall, inferred: Option<InferredMode>) -> bool {
    let mode = c.mode.clone().or_else(|| inferred.map(InferredMode::mode));
    match mode {
        Some(Mode::BypassPermissions | Mode::Auto | Mode::DontAsk) => false,
        Some(Mode::AcceptEdits) => tools::family(&c.tool) != Family::Edit,
        _ => true,
    }
}

/// The indices of each session's calls, in time order; sessions in order of their first
/// call in `calls`.
pub fn sessions(calls: &[ToolCall]) -> Vec<Vec<usize>> {
    let mut at: FxHashMap<&str, usize> = FxHashMap::default();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, c) in calls.iter().enumerate() {
        let k = *at.entry(&c.session_id).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[k].push(i);
    }
    for s in &mut out {
        s.sort_by_key(|&i| (order_key(&calls[i]), i));
    }
    out
}
