//! Rules against calls: could a rule apply to a call at all, is the call in the rule's
//! projects, and was every call an unused allow rule would cover caught first by a deny or
//! ask rule?

use super::Entry;
use crate::event::ToolCall;
use crate::facts::tools::{self, Family};
use crate::permissions::bash_rule::RuleKind;
use crate::permissions::engine::{CallCtx, Decision, PartVerdict, Verdict, decide};
use crate::permissions::paths;
use crate::permissions::rule::{Specifier, ToolPattern};
use crate::permissions::settings::{LoadedRule, Policy};
use crate::suggest::safety;
use std::path::Path;

/// Could the rule's tool pattern apply to this call at all (a cheap filter)?
fn may_apply(r: &LoadedRule, c: &ToolCall) -> bool {
    match &r.rule.tool {
        ToolPattern::Name(n) => {
            let fam = tools::family(n);
            if !(r.rule.tool.matches(&c.tool)
                || (r.rule.spec != Specifier::Any && fam == tools::family(&c.tool))
                || (fam == Family::Bash && tools::family(&c.tool) == Family::Bash))
            {
                return false;
            }
            match (&r.rule.spec, fam) {
                (Specifier::Content(spec), Family::Bash) => {
                    let shape = safety::spec_shape(spec);
                    match (shape.words.first(), c.input.command.as_deref()) {
                        (Some(w), Some(cmd)) => cmd.contains(w.as_str()),
                        (None, _) => true,
                        (Some(_), None) => false,
                    }
                }
                _ => true,
            }
        }
        _ => r.rule.tool.matches(&c.tool),
    }
}

/// Is the call's project under one of the policies that hold the rule?
fn in_scope(c: &ToolCall, holders: &[&Policy], policies: usize) -> bool {
    if policies <= 1 {
        return true;
    }
    let Some(project) = c.project.as_deref() else {
        return true;
    };
    let project = paths::normalize(Path::new(project));
    holders
        .iter()
        .any(|p| project == p.roots.cwd || paths::is_within(&project, &p.roots.project_root))
}

/// For an allow rule that allowed nothing: when it would have covered some calls and every
/// one of them was denied or asked about by a rule, how many.
pub(super) fn caught_first(
    e: &Entry<'_>,
    calls: &[ToolCall],
    decisions: &[Decision],
    policies: usize,
) -> Option<usize> {
    let holder = e.holders.first()?;
    let mut single = Policy::new(holder.roots.clone());
    single.additional_dirs = holder.additional_dirs.clone();
    single.default_mode = holder.default_mode.clone();
    single.add_rule(
        RuleKind::Allow,
        &e.rule.text,
        e.rule.source.clone(),
        &e.rule.file,
    );
    let mut covered = 0;
    for (c, d) in calls.iter().zip(decisions) {
        if !may_apply(e.rule, c) || !in_scope(c, &e.holders, policies) {
            continue;
        }
        let ctx = CallCtx {
            tool: &c.tool,
            input: &c.input,
            cwd: c.project.as_deref().map(Path::new),
            mode: c.mode.as_ref(),
        };
        let alone = decide(&single, &ctx);
        let hit = alone.verdict == Verdict::AllowedByRule
            || alone
                .parts
                .iter()
                .any(|p| p.verdict == PartVerdict::AllowedByRule);
        if !hit {
            continue;
        }
        let by_rule = match &d.verdict {
            Verdict::DeniedByRule | Verdict::AskRule => true,
            Verdict::DontAskDenied => d.rule.as_ref().is_some_and(|r| r.kind != "allow"),
            _ => false,
        };
        if !by_rule {
            return None;
        }
        covered += 1;
    }
    (covered > 0).then_some(covered)
}
