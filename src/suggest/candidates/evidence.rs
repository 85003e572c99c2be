//! Evidence: sorting each call into approvals of an exact candidate, rejections against
//! one, or the left-out list; and the examples shown for a rule.

use super::left_out::LeftOuts;
use super::{Answers, Kind, Reason, shown};
use crate::analysis::Answer;
use crate::event::ToolCall;
use crate::facts::env::is_safe_env_var;
use crate::facts::tools::{self, Family};
use crate::permissions::engine::{Decision, PartVerdict, PromptWhy, Verdict};
use crate::permissions::shell::{self, SimpleCommand};
use crate::text::redact::Redactor;
use crate::text::url::domain_of;
use std::collections::{BTreeMap, BTreeSet};

/// Approvals of one exact candidate.
pub(super) struct Ev {
    /// The approving calls.
    pub(super) approvals: BTreeSet<usize>,
    /// The Bash part (None for hosts and MCP tools).
    pub(super) part: Option<SimpleCommand>,
}

/// What the calls say for and against each exact candidate.
#[derive(Default)]
pub(super) struct Gathered {
    /// Approvals per candidate.
    pub(super) approvals: BTreeMap<(Kind, String), Ev>,
    /// Each simple command of a rejected Bash call, with the call's index.
    pub(super) rejected_parts: Vec<(usize, SimpleCommand)>,
    /// Rejected calls per candidate.
    pub(super) rejected_keys: BTreeMap<(Kind, String), BTreeSet<usize>>,
}

impl Gathered {
    /// Sorts call `i` into approvals, rejections or the left-out list, by its answer in
    /// `answers` and its replayed decision `d`.
    pub(super) fn collect(
        &mut self,
        answers: &Answers,
        i: usize,
        c: &ToolCall,
        d: &Decision,
        left: &mut LeftOuts,
    ) {
        let answer = answers.get(i).answer;
        let approved = answer == Answer::Approved;
        let rejected = answer == Answer::Rejected;
        let rule_text = d.rule.as_ref().map(|r| r.text.as_str()).unwrap_or("");
        let family = tools::family(&c.tool);
        let canon = tools::canonical_tool(&c.tool);
        let kind = match family {
            Family::Bash if canon == "Bash" => Some(Kind::Bash),
            Family::WebFetch => Some(Kind::WebFetch),
            Family::Mcp => Some(Kind::Mcp),
            _ => None,
        };
        if !approved && !rejected {
            if c.outcome.executed() && d.verdict == Verdict::DeniedByRule {
                let key = c.input.command.clone().unwrap_or_else(|| c.tool.clone());
                left.add(
                    Reason::DeniedByRule,
                    &c.tool,
                    &key,
                    None,
                    &format!("deny rule {rule_text}"),
                    [i],
                );
            }
            return;
        }
        if !c.verified {
            left.add(
                Reason::UnverifiedMcp,
                &c.tool,
                &c.tool,
                None,
                "the outcome rests on text the tool's server could have written",
                [i],
            );
            return;
        }
        let Some(kind) = kind else {
            if approved {
                left.add(
                    Reason::UnsupportedTool,
                    &c.tool,
                    &c.tool,
                    None,
                    "no allow rules are proposed for this tool",
                    [i],
                );
            }
            return;
        };
        if rejected {
            match kind {
                Kind::Bash => {
                    if let Some(cmd) = c.input.command.as_deref() {
                        for p in shell::analyze(cmd).parts.iter().cloned() {
                            self.rejected_keys
                                .entry((Kind::Bash, p.text.clone()))
                                .or_default()
                                .insert(i);
                            self.rejected_parts.push((i, p));
                        }
                    }
                }
                Kind::WebFetch => {
                    if let Some(h) = host(c) {
                        self.rejected_keys.entry((kind, h)).or_default().insert(i);
                    }
                }
                Kind::Mcp => {
                    self.rejected_keys
                        .entry((kind, c.tool.clone()))
                        .or_default()
                        .insert(i);
                }
            }
            return;
        }
        // An approval of a prompt.
        let whole = c.input.command.clone().unwrap_or_else(|| c.tool.clone());
        if d.verdict == Verdict::AskRule {
            let key = match kind {
                Kind::Bash => d.parts.first().map_or(whole, |p| p.text.clone()),
                Kind::WebFetch => host(c).unwrap_or_else(|| c.tool.clone()),
                Kind::Mcp => c.tool.clone(),
            };
            left.add(
                Reason::AskedByRule,
                &c.tool,
                &key,
                None,
                &format!("ask rule {rule_text}: the prompt is wanted"),
                [i],
            );
            return;
        }
        let Verdict::WouldPrompt(why) = &d.verdict else {
            return;
        };
        match kind {
            Kind::WebFetch => match host(c) {
                Some(h) => {
                    self.approvals
                        .entry((kind, h))
                        .or_insert_with(|| Ev {
                            approvals: BTreeSet::new(),
                            part: None,
                        })
                        .approvals
                        .insert(i);
                }
                None => left.add(
                    Reason::Uncoverable,
                    &c.tool,
                    &c.tool,
                    None,
                    "no URL recorded",
                    [i],
                ),
            },
            Kind::Mcp => {
                self.approvals
                    .entry((kind, c.tool.clone()))
                    .or_insert_with(|| Ev {
                        approvals: BTreeSet::new(),
                        part: None,
                    })
                    .approvals
                    .insert(i);
            }
            Kind::Bash => {
                let Some(cmd) = c.input.command.as_deref() else {
                    left.add(
                        Reason::Uncoverable,
                        "Bash",
                        &whole,
                        None,
                        &why.to_string(),
                        [i],
                    );
                    return;
                };
                if d.parts.is_empty() {
                    left.add(
                        Reason::Uncoverable,
                        "Bash",
                        &whole,
                        None,
                        &why.to_string(),
                        [i],
                    );
                    return;
                }
                let analysis = shell::analyze(cmd);
                let mut uncovered = false;
                for (j, pd) in d.parts.iter().enumerate() {
                    let rule = pd.rule.as_ref().map(|r| r.text.as_str()).unwrap_or("");
                    match &pd.verdict {
                        PartVerdict::ReadOnly(entry) => left.add(
                            Reason::BuiltinReadOnly,
                            "Bash",
                            &pd.text,
                            None,
                            &format!("Claude Code runs it unasked ({entry})"),
                            [i],
                        ),
                        PartVerdict::AllowedByRule => left.add(
                            Reason::AlreadyCovered,
                            "Bash",
                            &pd.text,
                            None,
                            &format!("allow rule {rule}"),
                            [i],
                        ),
                        PartVerdict::AcceptEdits => left.add(
                            Reason::AlreadyCovered,
                            "Bash",
                            &pd.text,
                            None,
                            "acceptEdits mode runs it",
                            [i],
                        ),
                        PartVerdict::Denied => left.add(
                            Reason::DeniedByRule,
                            "Bash",
                            &pd.text,
                            None,
                            &format!("deny rule {rule}"),
                            [i],
                        ),
                        PartVerdict::Asked => left.add(
                            Reason::AskedByRule,
                            "Bash",
                            &pd.text,
                            None,
                            &format!("ask rule {rule}"),
                            [i],
                        ),
                        PartVerdict::Uncovered(PromptWhy::Uncovered(_)) => {
                            uncovered = true;
                            let part = analysis
                                .parts
                                .get(j)
                                .filter(|p| p.text == pd.text)
                                .or_else(|| analysis.parts.iter().find(|p| p.text == pd.text));
                            match part {
                                Some(p) if !p.env.iter().all(|(n, _)| is_safe_env_var(n)) => left.add(
                                    Reason::Risky,
                                    "Bash",
                                    &pd.text,
                                    Some("env_assignment"),
                                    "a leading assignment of a variable outside the safe list: allow rules never match past it",
                                    [i],
                                ),
                                Some(p) => {
                                    self.approvals
                                        .entry((Kind::Bash, pd.text.clone()))
                                        .or_insert_with(|| Ev {
                                            approvals: BTreeSet::new(),
                                            part: Some(p.clone()),
                                        })
                                        .approvals
                                        .insert(i);
                                }
                                None => left.add(
                                    Reason::Uncoverable,
                                    "Bash",
                                    &pd.text,
                                    None,
                                    "the part could not be located again",
                                    [i],
                                ),
                            }
                        }
                        PartVerdict::Uncovered(other) => {
                            uncovered = true;
                            left.add(
                                Reason::Uncoverable,
                                "Bash",
                                &pd.text,
                                None,
                                &other.to_string(),
                                [i],
                            );
                        }
                    }
                }
                if !uncovered {
                    left.add(
                        Reason::Uncoverable,
                        "Bash",
                        &whole,
                        None,
                        &why.to_string(),
                        [i],
                    );
                }
            }
        }
    }
}

/// The host a WebFetch call fetched, lower-cased.
pub(super) fn host(c: &ToolCall) -> Option<String> {
    c.input
        .domain
        .clone()
        .or_else(|| c.input.url.as_deref().and_then(domain_of))
        .map(|d| d.to_ascii_lowercase().trim_end_matches('.').to_string())
        .filter(|d| !d.is_empty())
}

/// Up to three distinct approved inputs, newest first, redacted.
pub(super) fn examples(
    calls: &[ToolCall],
    idx: &BTreeSet<usize>,
    kind: Kind,
    redactor: &Redactor,
) -> Vec<String> {
    // Newest first; at one time, in table order (by id). A row's call carries the time and
    // id of its newest call.
    let mut order: Vec<usize> = idx.iter().copied().collect();
    order.sort_by(|&a, &b| {
        (calls[b].asked_ms, &calls[a].id).cmp(&(calls[a].asked_ms, &calls[b].id))
    });
    let mut out: Vec<String> = Vec::new();
    for i in order {
        let c = &calls[i];
        let text = match kind {
            Kind::Bash => c.input.command.as_deref(),
            Kind::WebFetch => c.input.url.as_deref(),
            Kind::Mcp => Some(c.tool.as_str()),
        };
        let Some(text) = text else { continue };
        // Redact before cutting: a cut token could slip under the patterns.
        let text = shown(&redactor.redact(text));
        if !out.contains(&text) {
            out.push(text);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}
