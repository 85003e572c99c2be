//! Scope and choice: evidence and rules per project, the proposals of several projects
//! merged for one display, and the rules a person picks or excludes.
//!
//! Rules belong to the project whose sessions approved them: a rule learnt in one
//! repository says nothing about another. The caller says which project a call belongs to
//! (its git root, or the `--project-root` given); [`group_by`] puts each project's calls
//! side by side so that [`super::suggest`] can run on each slice.
//!
//! In team mode a project's calls come from several developers; [`place`] says where each
//! rule belongs: the project's shared `.claude/settings.json` when it saves prompts for
//! every developer of the project, else the local file of each developer it saves prompts
//! for.

use super::{LeftOut, Proposal, Suggested};
use crate::analysis::Bounds;
use crate::event::ToolCall;
use crate::permissions::engine::Decision;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// What a rule saves one developer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeveloperSaving {
    /// The developer.
    pub developer: String,
    /// Calls of theirs the rule alone would stop prompting for (by replay, under their
    /// settings): what placement goes by, since it looks forward.
    pub prompts_saved: usize,
    /// Of those, the prompts they answered (best estimate and bounds).
    pub saved: Bounds,
}

/// Where a rule proposed from a team's calls belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// The project's shared `.claude/settings.json`: it saves every developer prompts.
    SharedProject,
    /// The `.claude/settings.local.json` of each developer it saves prompts for.
    EachLocal,
}

/// A rule proposed from a team's calls: whom it saves prompts, and where it belongs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamRule {
    /// Its number in the list shown.
    pub number: usize,
    /// The rule.
    pub rule: String,
    /// The project (as the team's projects are matched: see `docs/suggest.md`).
    pub project: String,
    /// The project's developers, and how many developers the rule saves prompts.
    pub developers_in_project: usize,
    /// The developers it saves prompts, most first.
    pub saves: Vec<DeveloperSaving>,
    /// Where it belongs.
    pub placement: Placement,
}

/// Places a rule of a project with `developers` (all of them) that saves each developer
/// of `saves` the prompts given: shared when it saves every one of two or more developers
/// prompts, else in each of their local files. Developers it saves none are left out.
pub fn place(
    number: usize,
    rule: &str,
    project: &str,
    developers: usize,
    saves: Vec<DeveloperSaving>,
) -> TeamRule {
    let mut saves: Vec<DeveloperSaving> =
        saves.into_iter().filter(|s| s.prompts_saved > 0).collect();
    saves.sort_by(|a, b| {
        b.prompts_saved
            .cmp(&a.prompts_saved)
            .then(a.developer.cmp(&b.developer))
    });
    let placement = if developers > 1 && saves.len() == developers {
        Placement::SharedProject
    } else {
        Placement::EachLocal
    };
    TeamRule {
        number,
        rule: rule.to_string(),
        project: project.to_string(),
        developers_in_project: developers,
        saves,
        placement,
    }
}

/// Reorders `calls` and `decisions` (same order, same length) together so that the calls of
/// each key are contiguous, keys in order and calls in their original order within a key.
/// Returns each key with its range.
pub fn group_by<K: Ord + Clone>(
    calls: &mut Vec<ToolCall>,
    decisions: &mut Vec<Decision>,
    key_of: impl Fn(&ToolCall) -> K,
) -> Vec<(K, Range<usize>)> {
    let n = calls.len().min(decisions.len());
    calls.truncate(n);
    decisions.truncate(n);
    let keys: Vec<K> = calls.iter().map(&key_of).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
    let mut old_calls: Vec<Option<ToolCall>> =
        std::mem::take(calls).into_iter().map(Some).collect();
    let mut old_decisions: Vec<Option<Decision>> =
        std::mem::take(decisions).into_iter().map(Some).collect();
    let mut ranges: Vec<(K, Range<usize>)> = Vec::new();
    for (at, &i) in order.iter().enumerate() {
        calls.extend(old_calls[i].take());
        decisions.extend(old_decisions[i].take());
        match ranges.last_mut() {
            Some((k, r)) if *k == keys[i] => r.end = at + 1,
            _ => ranges.push((keys[i].clone(), at..at + 1)),
        }
    }
    ranges
}

/// Left-out lists of several proposals as one: the same (reason, tool, key) adds up, most
/// calls first.
pub fn merge_left_out(lists: impl IntoIterator<Item = Vec<LeftOut>>) -> Vec<LeftOut> {
    let mut merged: BTreeMap<(super::Reason, String, String), LeftOut> = BTreeMap::new();
    for l in lists.into_iter().flatten() {
        let k = (l.reason, l.tool.clone(), l.key.clone());
        match merged.get_mut(&k) {
            Some(m) => m.count += l.count,
            None => {
                merged.insert(k, l);
            }
        }
    }
    let mut out: Vec<LeftOut> = merged.into_values().collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.reason.cmp(&b.reason))
            .then(a.tool.cmp(&b.tool))
            .then(a.key.cmp(&b.key))
    });
    out
}

/// A proposed rule's place in the list shown, and whether it is to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// 1-based number, in display order across projects.
    pub number: usize,
    /// Written by `--write` (all rules, unless `--pick` or `--exclude` say otherwise).
    pub chosen: bool,
}

/// Whether the rule numbered `number` (1-based, across projects) with text `rule` is to be
/// written: `pick` names it (or is empty) and `exclude` does not. [`choose`] and the
/// per-project savings of `permstat suggest` both decide by this.
pub fn is_chosen(number: usize, rule: &str, pick: &[usize], exclude: &[String]) -> bool {
    (pick.is_empty() || pick.contains(&number)) && !exclude.iter().any(|e| e == rule)
}

/// Numbers the rules of `proposals` 1, 2, ... in order and says which are chosen: those
/// `pick` numbers (all when `pick` is empty), less those whose text `exclude` names. Returns
/// one [`Choice`] per rule in the same order, and the `exclude` texts that named no rule.
/// A `pick` number outside the list is an error.
pub fn choose(
    proposals: &[&Proposal],
    pick: &[usize],
    exclude: &[String],
) -> Result<(Vec<Choice>, Vec<String>), String> {
    let rules: Vec<&Suggested> = proposals.iter().flat_map(|p| &p.rules).collect();
    if let Some(bad) = pick.iter().find(|&&n| n == 0 || n > rules.len()) {
        return Err(format!(
            "--pick {bad}: the proposal numbers its rules 1 to {}",
            rules.len()
        ));
    }
    let choices = rules
        .iter()
        .enumerate()
        .map(|(i, r)| Choice {
            number: i + 1,
            chosen: is_chosen(i + 1, &r.rule, pick, exclude),
        })
        .collect();
    let unknown = exclude
        .iter()
        .filter(|e| !rules.iter().any(|r| r.rule == **e))
        .cloned()
        .collect();
    Ok((choices, unknown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Outcome::Ran;
    use crate::suggest::testutil::bash;
    use crate::suggest::{Reason, RuleForm};

    #[test]
    fn grouping_keeps_pairs_together() {
        let mut calls = vec![
            bash(0, "a", "x", Ran),
            bash(1, "b", "y", Ran),
            bash(2, "a", "z", Ran),
        ];
        let mut decisions: Vec<Decision> = calls
            .iter()
            .map(|c| Decision {
                verdict: crate::permissions::engine::Verdict::AllowedByRule,
                rule: None,
                why: c.input.command.clone().unwrap_or_default(),
                parts: Vec::new(),
                mode: crate::event::Mode::Default,
                notes: Vec::new(),
            })
            .collect();
        let ranges = group_by(&mut calls, &mut decisions, |c| c.session_id.to_string());
        assert_eq!(
            ranges,
            vec![("a".to_string(), 0..2), ("b".to_string(), 2..3)]
        );
        let cmds: Vec<&str> = calls
            .iter()
            .map(|c| c.input.command.as_deref().unwrap())
            .collect();
        assert_eq!(cmds, ["x", "z", "y"]);
        let whys: Vec<&str> = decisions.iter().map(|d| d.why.as_str()).collect();
        assert_eq!(whys, cmds);
    }

    fn rule(text: &str) -> Suggested {
        Suggested {
            rule: text.into(),
            form: RuleForm::Exact,
            class: crate::facts::runners::RuleClass::ReadOnly,
            project: None,
            approvals: 3,
            invocations: 1,
            sessions: 2,
            projects: 1,
            last_seen_ms: None,
            examples: Vec::new(),
            rejections: 0,
            prompts_saved: 3,
            saved: Default::default(),
            why: String::new(),
        }
    }

    #[test]
    fn a_rule_every_developer_needs_is_shared() {
        let s = |d: &str, n: usize| DeveloperSaving {
            developer: d.into(),
            prompts_saved: n,
            saved: Bounds::default(),
        };
        let r = place(1, "Bash(ls)", "app", 2, vec![s("ann", 2), s("bob", 5)]);
        assert_eq!(r.placement, Placement::SharedProject);
        assert_eq!(r.saves[0].developer, "bob");
        let r = place(
            2,
            "Bash(ls)",
            "app",
            3,
            vec![s("ann", 2), s("bob", 5), s("cy", 0)],
        );
        assert_eq!(r.placement, Placement::EachLocal);
        assert_eq!(r.saves.len(), 2);
        // One developer alone: their own file.
        let r = place(3, "Bash(ls)", "app", 1, vec![s("ann", 4)]);
        assert_eq!(r.placement, Placement::EachLocal);
    }

    #[test]
    fn picks_and_exclusions() {
        let a = Proposal {
            rules: vec![rule("Bash(a)"), rule("Bash(b)")],
            ..Proposal::default()
        };
        let b = Proposal {
            rules: vec![rule("Bash(c)")],
            ..Proposal::default()
        };
        let chosen = |pick: &[usize], ex: &[&str]| {
            let ex: Vec<String> = ex.iter().map(|s| s.to_string()).collect();
            choose(&[&a, &b], pick, &ex).map(|(c, unknown)| {
                (
                    c.iter()
                        .filter(|c| c.chosen)
                        .map(|c| c.number)
                        .collect::<Vec<_>>(),
                    unknown,
                )
            })
        };
        assert_eq!(chosen(&[], &[]), Ok((vec![1, 2, 3], vec![])));
        assert_eq!(chosen(&[1, 3], &[]), Ok((vec![1, 3], vec![])));
        assert_eq!(chosen(&[], &["Bash(b)"]), Ok((vec![1, 3], vec![])));
        assert_eq!(
            chosen(&[3], &["Bash(c)", "Bash(z)"]),
            Ok((vec![], vec!["Bash(z)".to_string()]))
        );
        assert!(chosen(&[4], &[]).is_err());
        assert!(chosen(&[0], &[]).is_err());
        let merged = merge_left_out([
            vec![LeftOut {
                tool: "Bash".into(),
                key: "k".into(),
                reason: Reason::TooRare,
                table: None,
                detail: "d".into(),
                count: 2,
            }],
            vec![LeftOut {
                tool: "Bash".into(),
                key: "k".into(),
                reason: Reason::TooRare,
                table: None,
                detail: "e".into(),
                count: 1,
            }],
        ]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].count, 3);
    }
}
