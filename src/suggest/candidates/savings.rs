//! Savings: how many prompts the proposed rules would have saved, found by deciding the
//! prompting calls again with the rules added, and what the evidence says of those prompts
//! (which of them a person really answered).

use super::safety;
use super::{Cand, Kind};
use crate::analysis::{Basis, Bounds, Confirmed, Evidence, Known, gate_of};
use crate::event::ToolCall;
use crate::facts::tools::{self, Family};
use crate::permissions::bash_rule::RuleKind;
use crate::permissions::engine::{CallCtx, Decision, decide};
use crate::permissions::settings::Policy;
use crate::suggest::summary::Weights;
use crate::suggest::{proposed_path, proposed_source};
use std::collections::HashMap;
use std::path::Path;

/// Could a rule of this candidate's kind change the decision for this call?
pub(super) fn rule_may_apply(c: &Cand, call: &ToolCall) -> bool {
    match c.kind {
        Kind::Bash => {
            // A Bash rule only matches a part whose text starts with its first literal word.
            let spec = c
                .rule
                .strip_prefix("Bash(")
                .and_then(|r| r.strip_suffix(')'));
            let first = spec
                .map(safety::spec_shape)
                .and_then(|s| s.words.into_iter().next());
            tools::family(&call.tool) == Family::Bash
                && match (first, call.input.command.as_deref()) {
                    (Some(w), Some(cmd)) => cmd.contains(&w),
                    _ => true,
                }
        }
        Kind::WebFetch => tools::family(&call.tool) == Family::WebFetch,
        Kind::Mcp => call.tool == c.rule,
    }
}

/// The calls at `idx` that no longer prompt with `rules` added to their policies.
pub(super) fn saved_by<'p>(
    calls: &[ToolCall],
    idx: &[usize],
    policy_for: &impl Fn(&ToolCall) -> &'p Policy,
    rules: &[String],
) -> Vec<usize> {
    let mut patched: HashMap<usize, Policy> = HashMap::new();
    idx.iter()
        .copied()
        .filter(|&i| {
            let c = &calls[i];
            let base = policy_for(c);
            let key = std::ptr::from_ref(base) as usize;
            let p = patched
                .entry(key)
                .or_insert_with(|| with_rules(base, rules));
            let ctx = CallCtx {
                tool: &c.tool,
                input: &c.input,
                cwd: c.project.as_deref().map(Path::new),
                mode: c.mode.as_ref(),
            };
            !decide(p, &ctx).verdict.prompts()
        })
        .collect()
}

/// What the evidence says of each call of a proposal (the answer [`Evidence::answer`]
/// gives), and the share of the replay's prompts it confirmed: enough to say how many
/// answered prompts any set of rules would have saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    known: Vec<Known>,
    /// How many calls each entry stands for (rows of a [`crate::suggest::Summary`]).
    weights: Weights,
    /// The share of the replay's prompts the evidence confirmed, over these calls.
    confirmed: Confirmed,
}

impl Answers {
    /// The answers of `calls` (replayed as `decisions`, same order) from `evidence`.
    pub(super) fn new(calls: &[ToolCall], decisions: &[Decision], evidence: &Evidence) -> Answers {
        let known: Vec<Known> = calls
            .iter()
            .zip(decisions)
            .enumerate()
            .map(|(i, (c, d))| evidence.answer(i, c, gate_of(&d.verdict)))
            .collect();
        let mut confirmed = Confirmed::default();
        for (i, ((c, d), k)) in calls.iter().zip(decisions).zip(&known).enumerate() {
            // The gate in the mode in force (inferred where none was recorded), as the
            // report counts it.
            confirmed.count(
                c,
                evidence.gate(i).unwrap_or_else(|| gate_of(&d.verdict)),
                k,
            );
        }
        Answers {
            known,
            weights: Weights::default(),
            confirmed,
        }
    }

    /// The answers of rows: each row's answer, its weight, and the share confirmed over
    /// every call the rows were made from.
    pub fn of_rows(known: Vec<Known>, weights: Weights, confirmed: Confirmed) -> Answers {
        Answers {
            known,
            weights,
            confirmed,
        }
    }

    /// How many calls each entry stands for.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The answers of the calls at `range` alone (one developer's calls of a project), with
    /// the share confirmed over all the calls.
    pub fn part(&self, range: std::ops::Range<usize>) -> Answers {
        Answers {
            known: self.known.get(range.clone()).unwrap_or_default().to_vec(),
            weights: self.weights.part(range),
            confirmed: self.confirmed,
        }
    }

    /// Call `i`'s answer.
    pub(super) fn get(&self, i: usize) -> &Known {
        &self.known[i]
    }

    /// The prompts people answered among the calls at `idx` (approved or rejected), by how
    /// they are known.
    pub fn estimate(&self, idx: impl IntoIterator<Item = usize>) -> Bounds {
        let (mut low, mut replay_only) = (0, 0);
        for i in idx {
            let Some(k) = self.known.get(i) else { continue };
            if !k.answer.is_prompt() {
                continue;
            }
            let w = self.weights.calls(i) as usize;
            match k.basis {
                Basis::Replayed => replay_only += w,
                Basis::Recorded | Basis::Evidenced => low += w,
            }
        }
        let high = low + replay_only;
        Bounds {
            low,
            best: self.confirmed.best(low as u64, high as u64) as usize,
            high,
        }
    }

    /// The prompts people answered over all the calls.
    pub fn answered(&self) -> Bounds {
        self.estimate(0..self.known.len())
    }

    /// What adding `rules` to the policies of `calls` (replayed as `decisions`; the calls
    /// these answers are of) changes: the calls that would still prompt by replay, and the
    /// answered prompts saved.
    pub fn saved_with<'p>(
        &self,
        calls: &[ToolCall],
        decisions: &[Decision],
        policy_for: impl Fn(&ToolCall) -> &'p Policy,
        rules: &[String],
    ) -> (usize, Bounds) {
        let prompting: Vec<usize> = decisions
            .iter()
            .take(calls.len())
            .enumerate()
            .filter(|(_, d)| d.verdict.prompts())
            .map(|(i, _)| i)
            .collect();
        let saved = saved_by(calls, &prompting, &policy_for, rules);
        let still = self.weights.sum(prompting) - self.weights.sum(saved.iter().copied());
        (still, self.estimate(saved))
    }
}

/// A copy of `base` with `rules` added as allow rules from the synthetic proposed source.
pub fn with_rules(base: &Policy, rules: &[String]) -> Policy {
    let mut p = base.clone();
    for r in rules {
        // A rule that does not parse is skipped by add_rule (and never proposed).
        let _ = p.add_rule(RuleKind::Allow, r, proposed_source(), proposed_path());
    }
    p
}
