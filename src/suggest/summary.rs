//! A compact summary of the calls the suggester reads: calls alike in everything it looks
//! at (tool, input, working folder, developer, mode, outcome, whether the outcome is
//! verified, the answer and the gate) are kept once, as a row that says how many calls it
//! stands for and in which sessions they were made. Memory then grows with the distinct
//! commands of a history, not with its calls or bytes.
//!
//! A [`Summary`] is built one set of whole sessions at a time and merged with others
//! ([`Summary::absorb`]); merging the summaries of parts gives the summary of the whole.
//! [`Summary::finish`] puts the rows in the order of their first call in the table (by
//! time asked, then id), so the suggester meets them as it would meet the calls.
//!
//! Each row's call is a copy of its first call, stripped of what the suggester does not
//! read, with the time and id of its newest call (the "last seen" time and the order of
//! the examples). See `docs/suggest.md`.

use crate::analysis::evidence::{Seen, adoption, before_adoption};
use crate::analysis::{Confirmed, Gate, Known};
use crate::event::ToolCall;
use crate::permissions::rule::Specifier;
use crate::permissions::settings::Policy;
use rustc_hash::{FxHashMap, FxHasher};
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// How many calls a row stands for, and the sessions they were made in (sorted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Weight {
    /// Calls.
    pub calls: u64,
    /// Their distinct sessions, sorted.
    pub sessions: Vec<Arc<str>>,
}

/// How many calls each entry of a list of calls stands for. Empty: each entry is one call
/// (the suggester run over the calls themselves).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Weights(Vec<Weight>);

impl Weights {
    /// The weights of rows, in their order.
    pub fn of_rows(rows: Vec<Weight>) -> Weights {
        Weights(rows)
    }

    /// The calls entry `i` stands for.
    pub fn calls(&self, i: usize) -> u64 {
        self.0.get(i).map_or(1, |w| w.calls)
    }

    /// The calls the entries at `idx` stand for.
    pub fn sum(&self, idx: impl IntoIterator<Item = usize>) -> usize {
        idx.into_iter().map(|i| self.calls(i) as usize).sum()
    }

    /// Distinct sessions among the entries at `idx` of `calls`.
    pub fn sessions(&self, calls: &[ToolCall], idx: impl IntoIterator<Item = usize>) -> usize {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for i in idx {
            match self.0.get(i) {
                Some(w) => seen.extend(w.sessions.iter().map(|s| &**s)),
                None => {
                    if let Some(c) = calls.get(i) {
                        seen.insert(&c.session_id);
                    }
                }
            }
        }
        seen.len()
    }

    /// The weights of the entries at `range` alone.
    pub fn part(&self, range: std::ops::Range<usize>) -> Weights {
        Weights(self.0.get(range).unwrap_or_default().to_vec())
    }
}

/// The rows of a finished [`Summary`], in table order: the calls (one per row), what each
/// meant for the person and its gate in the mode in force, and the weights.
#[derive(Debug, Default)]
pub struct Rows {
    /// One call per row (see the module doc).
    pub calls: Vec<ToolCall>,
    /// Each row's answer.
    pub known: Vec<Known>,
    /// Each row's gate in the mode in force.
    pub gates: Vec<Gate>,
    /// Each row's weight.
    pub weights: Weights,
    /// The share of prompts confirmed, over every call summarized (rows or not).
    pub confirmed: Confirmed,
}

/// Rows of calls being summarized (see the module doc).
#[derive(Debug, Default)]
pub struct Summary {
    calls: Vec<ToolCall>,
    known: Vec<Known>,
    gates: Vec<Gate>,
    weights: Vec<Weight>,
    /// The table's order key of each row's first call: time asked (untimed last), id.
    first: Vec<(i64, Box<str>)>,
    /// Rows by the hash of what makes calls alike.
    index: FxHashMap<u64, Vec<usize>>,
    confirmed: Confirmed,
    /// Calls an allow rule covers whose answer waits on the rule's adoption
    /// ([`crate::analysis::evidence::Adopt::Deferred`]), with the rule.
    pending: Vec<(ToolCall, Known, Gate, Arc<str>, bool)>,
    /// The timed calls allow rules cover, for their adoption dates.
    seen: Vec<Seen>,
}

/// The hash of what makes two calls alike for the suggester.
fn likeness(c: &ToolCall, known: &Known, gate: Gate) -> u64 {
    let mut h = FxHasher::default();
    c.tool.hash(&mut h);
    c.input.hash(&mut h);
    c.project.hash(&mut h);
    c.developer.hash(&mut h);
    c.mode.hash(&mut h);
    c.outcome.hash(&mut h);
    c.verified.hash(&mut h);
    known.hash(&mut h);
    gate.hash(&mut h);
    h.finish()
}

/// True when `a` and `b` are alike for the suggester (with the same answer and gate).
fn alike(a: &ToolCall, b: &ToolCall) -> bool {
    a.tool == b.tool
        && a.input == b.input
        && a.project == b.project
        && a.developer == b.developer
        && a.mode == b.mode
        && a.outcome == b.outcome
        && a.verified == b.verified
}

/// A copy of `c` with only what the suggester reads: of the parameters that are not
/// named fields, only those a `Tool(param:value)` rule of its settings (`policy`) names,
/// and a skill's `args` (the other parameters, such as a Bash call's description or an
/// edit's text, decide nothing).
fn stripped(c: &ToolCall, policy: &Policy) -> ToolCall {
    let mut input = c.input.clone();
    input
        .params
        .retain(|(name, _)| name == "args" || names_param(policy, name));
    ToolCall {
        id: c.id.clone(),
        session_id: c.session_id.clone(),
        project: c.project.clone(),
        file: Arc::from(""),
        agent_id: None,
        tool: c.tool.clone(),
        input,
        message_id: None,
        asked_ms: c.asked_ms,
        answered_ms: None,
        mode: c.mode.clone(),
        version: None,
        entrypoint: None,
        git_branch: None,
        developer: c.developer.clone(),
        outcome: c.outcome,
        denial_kind: None,
        verified: c.verified,
        reason: None,
        recorded: None,
    }
}

/// True when a rule of `policy` looks at parameter `name` (`Tool(name:value)`).
fn names_param(policy: &Policy, name: &str) -> bool {
    policy
        .rules
        .iter()
        .any(|r| matches!(&r.rule.spec, Specifier::Param { name: n, .. } if n == name))
}

/// The table's order key of a call.
fn order(asked_ms: Option<i64>, id: &str) -> (i64, &str) {
    (asked_ms.unwrap_or(i64::MAX), id)
}

/// True when a call made at `a` with id `a_id` is newer than one at `b` (`b_id`): the
/// later time, and at one time the smaller id (the first of them in the table).
fn newer(a: Option<i64>, a_id: &str, b: Option<i64>, b_id: &str) -> bool {
    a > b || (a == b && a_id < b_id)
}

impl Summary {
    /// Counts a call in the share confirmed only (a call the suggester reads nothing else
    /// of).
    pub fn count(&mut self, c: &ToolCall, known: &Known, gate: Gate) {
        self.confirmed.count(c, gate, known);
    }

    /// Adds a call whose answer is `known` and gate in the mode in force `gate`, decided
    /// under `policy` (and counts it in the share confirmed).
    pub fn add(&mut self, c: &ToolCall, policy: &Policy, known: Known, gate: Gate) {
        self.count(c, &known, gate);
        self.add_row(stripped(c, policy), known, gate);
    }

    /// Adds a call already stripped (and counted in nothing).
    fn add_row(&mut self, c: ToolCall, known: Known, gate: Gate) {
        let known = Known {
            window_ms: None,
            ..known
        };
        let weight = Weight {
            calls: 1,
            sessions: vec![c.session_id.clone()],
        };
        let first = order(c.asked_ms, &c.id);
        let first = (first.0, Box::from(first.1));
        self.put(c, known, gate, weight, first);
    }

    /// Adds a row (or merges it into the row alike).
    fn put(&mut self, c: ToolCall, known: Known, gate: Gate, w: Weight, first: (i64, Box<str>)) {
        let h = likeness(&c, &known, gate);
        let slot = self.index.entry(h).or_default();
        let found = slot.iter().copied().find(|&r| {
            self.known[r] == known && self.gates[r] == gate && alike(&self.calls[r], &c)
        });
        let Some(r) = found else {
            slot.push(self.calls.len());
            self.calls.push(c);
            self.known.push(known);
            self.gates.push(gate);
            self.weights.push(w);
            self.first.push(first);
            return;
        };
        let row = &mut self.calls[r];
        if newer(c.asked_ms, &c.id, row.asked_ms, &row.id) {
            row.asked_ms = c.asked_ms;
            row.id = c.id;
        }
        if (first.0, &*first.1) < (self.first[r].0, &*self.first[r].1) {
            self.first[r] = first;
            self.calls[r].session_id = c.session_id;
        }
        let mine = &mut self.weights[r];
        mine.calls += w.calls;
        for s in w.sessions {
            if let Err(at) = mine.sessions.binary_search(&s) {
                mine.sessions.insert(at, s);
            }
        }
    }

    /// Keeps a call whose answer waits on the adoption date of allow rule `rule`, settled
    /// over every call summarized ([`Summary::settle`]); `row`: the call is added as a row
    /// whatever its answer (else only when it turns out to be a prompt).
    pub fn wait(
        &mut self,
        c: &ToolCall,
        policy: &Policy,
        (known, gate): (Known, Gate),
        rule: Arc<str>,
        row: bool,
    ) {
        self.pending
            .push((stripped(c, policy), known, gate, rule, row));
    }

    /// Notes the timed calls allow rules cover (what the evidence saw).
    pub fn see(&mut self, seen: Vec<Seen>) {
        self.seen.extend(seen);
    }

    /// Settles the adoption dates of allow rules over every call summarized, and adds
    /// the calls that waited on them: those before a rule's adoption count as prompts.
    pub fn settle(&mut self) {
        let mut adoptions = adoption::dates(std::mem::take(&mut self.seen));
        for (c, mut known, gate, rule, row) in std::mem::take(&mut self.pending) {
            let prompted = before_adoption(&mut known, c.asked_ms, &mut adoptions, &rule);
            self.count(&c, &known, gate);
            if prompted || row {
                self.add_row(c, known, gate);
            }
        }
    }

    /// Adds the rows of another summary (of other calls).
    pub fn absorb(&mut self, other: Summary) {
        self.confirmed.add(other.confirmed);
        self.pending.extend(other.pending);
        self.seen.extend(other.seen);
        let rows = other
            .calls
            .into_iter()
            .zip(other.known)
            .zip(other.gates)
            .zip(other.weights)
            .zip(other.first);
        for ((((c, k), g), w), first) in rows {
            self.put(c, k, g, w, first);
        }
    }

    /// Rows so far.
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    /// True when no call was added.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The rows, in the order of their first call in the table (after [`Summary::settle`]).
    pub fn finish(mut self) -> Rows {
        self.settle();
        let mut order: Vec<usize> = (0..self.calls.len()).collect();
        order.sort_by(|&a, &b| {
            (self.first[a].0, &self.first[a].1).cmp(&(self.first[b].0, &self.first[b].1))
        });
        let mut calls: Vec<Option<ToolCall>> = self.calls.into_iter().map(Some).collect();
        let mut weights: Vec<Option<Weight>> = self.weights.into_iter().map(Some).collect();
        let mut rows = Rows {
            confirmed: self.confirmed,
            ..Rows::default()
        };
        let mut ws = Vec::with_capacity(order.len());
        for i in order {
            rows.calls.extend(calls[i].take());
            ws.extend(weights[i].take());
            rows.known.push(self.known[i]);
            rows.gates.push(self.gates[i]);
        }
        rows.weights = Weights::of_rows(ws);
        rows
    }
}

#[cfg(test)]
mod tests;
