//! Savings: how many prompts the proposed rules would have saved, found by deciding the
//! prompting calls again with the rules added.

use super::safety;
use super::{Cand, Kind};
use crate::event::ToolCall;
use crate::facts::tools::{self, Family};
use crate::permissions::bash_rule::RuleKind;
use crate::permissions::engine::{CallCtx, decide};
use crate::permissions::settings::Policy;
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

/// How many of the calls at `idx` still prompt with `rules` added to their policies.
pub(super) fn prompts_with<'p>(
    calls: &[ToolCall],
    idx: &[usize],
    policy_for: &impl Fn(&ToolCall) -> &'p Policy,
    rules: &[String],
) -> usize {
    let mut patched: HashMap<usize, Policy> = HashMap::new();
    idx.iter()
        .filter(|&&i| {
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
            decide(p, &ctx).verdict.prompts()
        })
        .count()
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
