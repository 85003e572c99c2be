//! Auditing the rules already in the settings files.
//!
//! For every loaded rule (deduplicated by file, list and text across the given policies):
//! how many of the given calls it decided (the decision's deciding rule, or the rule that
//! matched a Bash part), and what is wrong with it:
//! - `stale`: it decided no call (only reported when no other finding already explains that:
//!   never matches, subsumed, shadowed);
//! - `subsumed`: another rule of the same list covers everything it covers (`Bash(git log)`
//!   under `Bash(git log *)`, `mcp__x__y` under `mcp__x`, the same text in two files, or the
//!   same entry twice in one file). Of two equivalent rules, the later one is reported;
//! - `never_matches`: Claude Code ignores it (`LoadedRule::ignored`), `:*` is not at the end,
//!   the Bash pattern holds several commands (rules match one part at a time), or it holds a
//!   value that never recurs (temp path, UUID, hash, timestamp, PID);
//! - `dangerous`: an allow rule [`safety::dangerous_allow`] flags (the same "never" tables the
//!   suggester uses);
//! - `secret`: the text holds a secret-looking string (the text is reported redacted);
//! - `shadowed`: an allow rule a deny or ask rule covers entirely, or whose every call in the
//!   given set was caught first by a deny or ask rule;
//! - `runs_project_code`: an allow rule for a test, build, lint or task runner
//!   (`facts::runners`): it runs files the agent can edit. When the same settings let the
//!   agent edit without asking (`defaultMode` `acceptEdits` or `bypassPermissions`, or an
//!   allow rule on Edit or Write), it is `dangerous` too: together they admit any code.
//!
//! Every rule is labelled with its kind ([`RuleClass`]: read-only, runs project code, never),
//! from the same tables the suggester uses ([`safety::rule_class`]).
//!
//! Settings that could not be read are findings too ([`Problem`]): a file that cannot be
//! read or parsed, a `--settings` file that does not exist, a rule that does not parse. Their
//! rules were never audited, so nothing can be said about what they allow:
//! [`fails_on_dangerous`] counts them.
//!
//! Readings: pattern coverage is judged on the rule text (Bash `*` and ` *`/`:*` prefixes,
//! MCP server and tool-name globs, WebFetch domain patterns, bare tools); path rules are only
//! compared for equality. When several policies are given, the call-based shadow check only
//! looks at calls whose project lies under a policy that holds the rule.

mod calls;
mod covers;

use super::safety;
use crate::event::{Mode, ToolCall};
use crate::facts::runners::RuleClass;
use crate::facts::tools::Family;
use crate::facts::wrappers::EXACT_ALLOW_ONLY;
use crate::permissions::bash_rule::RuleKind;
use crate::permissions::engine::Decision;
use crate::permissions::rule::Specifier;
use crate::permissions::settings::{LoadedRule, Policy, Warning, WarningKind, kind_name};
use crate::text::redact::Redactor;
use calls::caught_first;
use covers::{covers, has_unquoted_operator};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;

/// What is wrong with a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Decided no call in the given set.
    Stale,
    /// Another rule of the same list covers it.
    Subsumed,
    /// It can never match a call.
    NeverMatches,
    /// An allow rule that admits arbitrary code, network, writes or every tool.
    Dangerous,
    /// The text holds a secret-looking string.
    Secret,
    /// An allow rule that deny or ask rules always catch first.
    Shadowed,
    /// An allow rule for a test, build, lint or task runner: it runs code the agent can edit.
    RunsProjectCode,
}

/// One finding about a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// Detail (rule texts in it are redacted).
    pub detail: String,
}

/// One rule and what the audit found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleAudit {
    /// The rule as written (secrets redacted).
    pub text: String,
    /// `allow`, `ask` or `deny`.
    pub kind: &'static str,
    /// Its kind (allow rules only): read-only, runs project code or never; None when it
    /// writes or nothing says.
    pub class: Option<RuleClass>,
    /// Its settings level (`managed`, `user`, `project`, `local`, `local-legacy`, `cli`).
    pub source: &'static str,
    /// Its file.
    pub file: PathBuf,
    /// Calls it allowed (deciding rule, or covering a Bash part).
    pub allowed: usize,
    /// Calls it denied.
    pub denied: usize,
    /// Calls it asked about.
    pub asked: usize,
    /// What is wrong with it (empty: nothing).
    pub findings: Vec<Finding>,
}

/// Totals over an audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuditSummary {
    /// Distinct rules audited.
    pub rules: usize,
    /// Calls looked at.
    pub calls: usize,
    /// Rules with at least one finding.
    pub with_findings: usize,
    /// Rules with a `stale` finding.
    pub stale: usize,
    /// Rules with a `subsumed` finding.
    pub subsumed: usize,
    /// Rules with a `never_matches` finding.
    pub never_matches: usize,
    /// Rules with a `dangerous` finding.
    pub dangerous: usize,
    /// Rules with a `secret` finding.
    pub secret: usize,
    /// Rules with a `shadowed` finding.
    pub shadowed: usize,
    /// Rules with a `runs_project_code` finding.
    pub runs_project_code: usize,
    /// Settings files or rules that could not be read ([`Audit::problems`]).
    pub problems: usize,
}

/// A settings file or rule the audit could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `broken` (cannot be read or parsed), `missing` (a `--settings` file that does not
    /// exist) or `unparseable` (a rule that does not parse).
    pub kind: &'static str,
    /// The file.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The rule, when the problem is one rule (redacted).
    pub rule: Option<String>,
    /// What is wrong (redacted).
    pub detail: String,
}

/// The audit of every loaded rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// Settings files and rules that could not be read: their rules were not audited.
    pub problems: Vec<Problem>,
    /// One entry per distinct rule, in precedence order of first appearance.
    pub rules: Vec<RuleAudit>,
    /// Totals.
    pub summary: AuditSummary,
}

/// True when any rule has a `dangerous` finding.
pub fn has_dangerous(audit: &Audit) -> bool {
    audit
        .rules
        .iter()
        .any(|r| r.findings.iter().any(|f| f.kind == FindingKind::Dangerous))
}

/// True unless the audit proves there is nothing dangerous: a dangerous rule, or settings
/// that could not be read (whose rules may be anything), fail.
pub fn fails_on_dangerous(audit: &Audit) -> bool {
    has_dangerous(audit) || !audit.problems.is_empty()
}

/// True when the audit found anything: a rule with a finding, or a problem.
pub fn has_findings(audit: &Audit) -> bool {
    audit.summary.with_findings > 0 || !audit.problems.is_empty()
}

/// The settings problems among load warnings that leave rules unread, each once.
fn problems(warnings: &[Warning], redactor: Redactor) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    for w in warnings.iter().filter(|w| w.kind.loses_rules()) {
        let p = Problem {
            kind: match w.kind {
                WarningKind::Missing => "missing",
                WarningKind::Unparseable => "unparseable",
                _ => "broken",
            },
            file: w.file.clone(),
            line: w.line,
            rule: w.rule.as_deref().map(|r| redactor.redact(r).into_owned()),
            detail: redactor.redact(&w.message).into_owned(),
        };
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Does a policy let the agent edit files without asking (so that a runner rule runs
/// whatever the agent writes)? Says which setting does, if one does.
fn edits_unasked(p: &Policy) -> Option<String> {
    if let Some(d) = &p.default_mode
        && matches!(d.mode, Mode::AcceptEdits | Mode::BypassPermissions)
    {
        return Some(format!("defaultMode {} ({})", d.mode, d.file.display()));
    }
    p.active(RuleKind::Allow)
        .find(|r| r.rule.family() == Some(Family::Edit))
        .map(|r| format!("allow rule {} ({})", r.text, r.file.display()))
}

type Key = (PathBuf, &'static str, String);

struct Entry<'a> {
    rule: &'a LoadedRule,
    /// Policies that hold it.
    holders: Vec<&'a Policy>,
    /// Most times it appears in one policy (the same file listing it twice).
    copies: usize,
    allowed: usize,
    denied: usize,
    asked: usize,
}

fn key_of(r: &LoadedRule) -> Key {
    (r.file.clone(), kind_name(r.kind), r.text.clone())
}

/// Audits every rule of `policies` against `calls` and their replayed `decisions` (same
/// order); `warnings` are the load warnings of those policies (the unreadable files and
/// rules become [`Audit::problems`]). Rule texts are shown through `redactor`. Never panics.
pub fn audit(
    policies: &[&Policy],
    calls: &[ToolCall],
    decisions: &[Decision],
    warnings: &[Warning],
    redactor: Redactor,
) -> Audit {
    let redact = |text: &str| redactor.redact(text).into_owned();
    let n = calls.len().min(decisions.len());
    let (calls, decisions) = (&calls[..n], &decisions[..n]);

    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for p in policies {
        let mut seen: HashMap<Key, usize> = HashMap::new();
        for r in &p.rules {
            let k = key_of(r);
            *seen.entry(k.clone()).or_default() += 1;
            let i = *index.entry(k).or_insert_with(|| {
                entries.push(Entry {
                    rule: r,
                    holders: Vec::new(),
                    copies: 0,
                    allowed: 0,
                    denied: 0,
                    asked: 0,
                });
                entries.len() - 1
            });
            if !entries[i].holders.iter().any(|h| std::ptr::eq(*h, *p)) {
                entries[i].holders.push(p);
            }
        }
        for (k, count) in seen {
            if let Some(&i) = index.get(&k) {
                entries[i].copies = entries[i].copies.max(count);
            }
        }
    }

    // Counts: each rule once per call.
    for d in decisions {
        let mut hit: Vec<usize> = Vec::new();
        let refs = d
            .rule
            .iter()
            .chain(d.parts.iter().filter_map(|p| p.rule.as_ref()));
        for r in refs {
            let k: Key = (r.file.clone(), r.kind, r.text.clone());
            if let Some(&i) = index.get(&k)
                && !hit.contains(&i)
            {
                hit.push(i);
            }
        }
        for i in hit {
            let e = &mut entries[i];
            match e.rule.kind {
                RuleKind::Allow => e.allowed += 1,
                RuleKind::Deny => e.denied += 1,
                RuleKind::Ask => e.asked += 1,
            }
        }
    }

    let never: Vec<Option<String>> = entries.iter().map(|e| never_matches(e.rule)).collect();
    let usable = |j: usize| entries[j].rule.ignored.is_none() && never[j].is_none();

    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let r = e.rule;
        let mut findings = Vec::new();
        if let Some(why) = &never[i] {
            findings.push(Finding {
                kind: FindingKind::NeverMatches,
                detail: why.clone(),
            });
        }
        if e.copies > 1 {
            findings.push(Finding {
                kind: FindingKind::Subsumed,
                detail: format!("listed {} times in this file", e.copies),
            });
        } else if let Some(j) = (0..entries.len()).find(|&j| {
            j != i
                && usable(j)
                && entries[j].rule.kind == r.kind
                && covers(&entries[j].rule.rule, &r.rule)
                && (j < i || !covers(&r.rule, &entries[j].rule.rule))
        }) {
            let other = entries[j].rule;
            let detail = if other.text == r.text {
                format!("the same rule is also in {}", other.file.display())
            } else {
                format!(
                    "covered by {} rule {} ({})",
                    kind_name(other.kind),
                    redact(&other.text),
                    other.file.display()
                )
            };
            findings.push(Finding {
                kind: FindingKind::Subsumed,
                detail,
            });
        }
        let active = r.ignored.is_none();
        if r.kind == RuleKind::Allow
            && active
            && let Some(why) = safety::dangerous_allow(&r.rule)
        {
            findings.push(Finding {
                kind: FindingKind::Dangerous,
                detail: why,
            });
        }
        if let (RuleKind::Allow, true, Specifier::Content(spec)) = (r.kind, active, &r.rule.spec)
            && never[i].is_none()
            && r.rule.family() == Some(Family::Bash)
            && safety::dangerous_allow(&r.rule).is_none()
            && let Some(runner) = safety::runner_of_spec(spec)
        {
            let what = format!(
                "'{}' is a {}: it runs {}, which the agent can edit",
                runner.words.join(" "),
                runner.job.label(),
                runner.runs
            );
            findings.push(Finding {
                kind: FindingKind::RunsProjectCode,
                detail: format!("{what}; with edit permission it admits arbitrary code"),
            });
            if let Some(edits) = e.holders.iter().find_map(|p| edits_unasked(p)) {
                findings.push(Finding {
                    kind: FindingKind::Dangerous,
                    detail: format!(
                        "{what}, and {} lets it edit them without asking: together they admit arbitrary code",
                        redact(&edits)
                    ),
                });
            }
        }
        if Redactor::has_secret(&r.text) {
            findings.push(Finding {
                kind: FindingKind::Secret,
                detail: "holds a secret-looking string; remove it and rotate the secret".into(),
            });
        }
        if r.kind == RuleKind::Allow && active && never[i].is_none() {
            let by_rule = (0..entries.len()).find(|&j| {
                usable(j)
                    && entries[j].rule.kind != RuleKind::Allow
                    && covers(&entries[j].rule.rule, &r.rule)
            });
            if let Some(j) = by_rule {
                let other = entries[j].rule;
                findings.push(Finding {
                    kind: FindingKind::Shadowed,
                    detail: format!(
                        "{} rule {} ({}) catches everything it allows first",
                        kind_name(other.kind),
                        redact(&other.text),
                        other.file.display()
                    ),
                });
            } else if e.allowed == 0
                && let Some(count) = caught_first(e, calls, decisions, policies.len())
            {
                findings.push(Finding {
                    kind: FindingKind::Shadowed,
                    detail: format!(
                        "each of the {count} calls it would allow was caught first by a deny or ask rule"
                    ),
                });
            }
        }
        let explained = findings.iter().any(|f| {
            matches!(
                f.kind,
                FindingKind::NeverMatches | FindingKind::Subsumed | FindingKind::Shadowed
            )
        });
        if e.allowed + e.denied + e.asked == 0 && !explained {
            findings.push(Finding {
                kind: FindingKind::Stale,
                detail: format!("decided none of the {} calls", calls.len()),
            });
        }
        findings.sort_by_key(|f| f.kind);
        for f in &mut findings {
            f.detail = redact(&f.detail);
        }
        out.push(RuleAudit {
            text: redact(&r.text),
            kind: kind_name(r.kind),
            class: (r.kind == RuleKind::Allow)
                .then(|| safety::rule_class(&r.rule))
                .flatten(),
            source: r.source.name(),
            file: r.file.clone(),
            allowed: e.allowed,
            denied: e.denied,
            asked: e.asked,
            findings,
        });
    }

    let count = |k: FindingKind| {
        out.iter()
            .filter(|r| r.findings.iter().any(|f| f.kind == k))
            .count()
    };
    let summary = AuditSummary {
        rules: out.len(),
        calls: calls.len(),
        with_findings: out.iter().filter(|r| !r.findings.is_empty()).count(),
        stale: count(FindingKind::Stale),
        subsumed: count(FindingKind::Subsumed),
        never_matches: count(FindingKind::NeverMatches),
        dangerous: count(FindingKind::Dangerous),
        secret: count(FindingKind::Secret),
        shadowed: count(FindingKind::Shadowed),
        runs_project_code: count(FindingKind::RunsProjectCode),
        problems: 0,
    };
    let problems = problems(warnings, redactor);
    Audit {
        summary: AuditSummary {
            problems: problems.len(),
            ..summary
        },
        problems,
        rules: out,
    }
}

/// Why a rule can never match a call, if so.
fn never_matches(r: &LoadedRule) -> Option<String> {
    if let Some(why) = &r.ignored {
        return Some(format!("Claude Code ignores it: {why}"));
    }
    let Specifier::Content(c) = &r.rule.spec else {
        return None;
    };
    let family = r.rule.family();
    if matches!(family, Some(Family::Bash | Family::PowerShell))
        && let Some(i) = c.find(":*")
        && i + 2 != c.len()
    {
        return Some(
            "':*' is a prefix marker only at the very end; here it is literal text".into(),
        );
    }
    if family == Some(Family::Bash) {
        if has_unquoted_operator(c) {
            return Some(
                "holds several commands; rules are matched against one command at a time".into(),
            );
        }
        let shape = safety::spec_shape(c);
        if r.kind == RuleKind::Allow
            && shape.wildcard != safety::Wildcard::None
            && shape
                .words
                .first()
                .is_some_and(|w| EXACT_ALLOW_ONLY.contains(&w.as_str()))
        {
            return Some("Claude Code accepts only exact allow rules for this exec wrapper".into());
        }
    }
    safety::volatile_value(c).map(|what| format!("holds {what}, which will not recur"))
}

#[cfg(test)]
mod tests;
