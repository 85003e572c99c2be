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
//!   given set was caught first by a deny or ask rule.
//!
//! Readings: pattern coverage is judged on the rule text (Bash `*` and ` *`/`:*` prefixes,
//! MCP server and tool-name globs, WebFetch domain patterns, bare tools); path rules are only
//! compared for equality. When several policies are given, the call-based shadow check only
//! looks at calls whose project lies under a policy that holds the rule.

use super::safety;
use crate::event::ToolCall;
use crate::facts::tools::{self, Family};
use crate::facts::wrappers::EXACT_ALLOW_ONLY;
use crate::permissions::bash_rule::{self, RuleKind};
use crate::permissions::engine::{CallCtx, Decision, PartVerdict, Verdict, decide, domain_matches};
use crate::permissions::glob;
use crate::permissions::paths;
use crate::permissions::rule::{self, Rule, Specifier, ToolPattern};
use crate::permissions::settings::{LoadedRule, Policy, kind_name};
use crate::permissions::shell::fold_whitespace;
use crate::text::redact::Redactor;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
}

/// The audit of every loaded rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// One entry per distinct rule, in precedence order of first appearance.
    pub rules: Vec<RuleAudit>,
    /// Totals.
    pub summary: AuditSummary,
}

/// True when any rule has a `dangerous` finding (for a CI exit code).
pub fn has_dangerous(audit: &Audit) -> bool {
    audit
        .rules
        .iter()
        .any(|r| r.findings.iter().any(|f| f.kind == FindingKind::Dangerous))
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

fn redact(text: &str) -> String {
    Redactor::default().redact(text).into_owned()
}

/// Audits every rule of `policies` against `calls` and their replayed `decisions` (same
/// order). Never panics.
pub fn audit(policies: &[&Policy], calls: &[ToolCall], decisions: &[Decision]) -> Audit {
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
        out.push(RuleAudit {
            text: redact(&r.text),
            kind: kind_name(r.kind),
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
    };
    Audit {
        rules: out,
        summary,
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

/// Does a Bash specifier hold `;`, `&`, `|` or a newline outside quotes? (A plain scan: the
/// shell parser is not run over settings text.)
fn has_unquoted_operator(spec: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('"') | None, '\\') => {
                chars.next();
            }
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, ';' | '&' | '|' | '\n') => return true,
            (None, _) => {}
        }
    }
    false
}

/// Normalised Bash specifier: folded whitespace, trailing `:*` as ` *`.
fn norm_bash(spec: &str) -> String {
    let f = fold_whitespace(spec);
    match f.strip_suffix(":*") {
        Some(head) if !head.contains(":*") => format!("{head} *"),
        _ => f,
    }
}

/// Does Bash specifier `b` match everything `a` matches?
fn bash_spec_covers(b: &str, a: &str) -> bool {
    let (b, a) = (norm_bash(b), norm_bash(a));
    if b.contains(":*") {
        return false;
    }
    if b == a {
        return true;
    }
    if !b.contains('*') {
        return false;
    }
    if !a.contains('*') {
        return bash_rule::pattern_matches(&b, &a);
    }
    match b.strip_suffix(" *") {
        Some(p) if !p.contains('*') => {
            let lit = a.split('*').next().unwrap_or("");
            lit.starts_with(&format!("{p} "))
        }
        _ => false,
    }
}

/// `g` is `Q*` with a star-free `Q`: `Some(Q)`.
fn glob_literal_prefix(g: &str) -> Option<&str> {
    g.strip_suffix('*').filter(|q| !q.contains('*'))
}

/// Does tool glob `g` match every tool name starting with `prefix`?
fn glob_covers_prefix(g: &str, prefix: &str) -> bool {
    glob_literal_prefix(g).is_some_and(|q| prefix.starts_with(q))
}

/// Does rule `b` match every call rule `a` matches?
fn covers(b: &Rule, a: &Rule) -> bool {
    match (&b.tool, &a.tool) {
        (ToolPattern::Glob(g), ToolPattern::Name(n)) => {
            glob::simple_glob(g, n) || glob::simple_glob(g, tools::canonical_tool(n))
        }
        (ToolPattern::Glob(g), ToolPattern::McpServer(s)) => {
            glob_covers_prefix(g, &format!("mcp__{s}__"))
        }
        (ToolPattern::Glob(g), ToolPattern::Glob(h)) => {
            g == h || glob_literal_prefix(h).is_some_and(|q| glob_covers_prefix(g, q))
        }
        (ToolPattern::McpServer(s), ToolPattern::McpServer(t)) => s == t,
        (ToolPattern::McpServer(s), ToolPattern::Name(n)) => n.starts_with(&format!("mcp__{s}__")),
        (ToolPattern::McpServer(s), ToolPattern::Glob(g)) => g.starts_with(&format!("mcp__{s}__")),
        (ToolPattern::Name(bn), ToolPattern::Name(an)) => {
            tools::canonical_tool(bn) == tools::canonical_tool(an)
                && spec_covers(tools::family(bn), &b.spec, &a.spec)
        }
        _ => false,
    }
}

fn spec_covers(family: Family, b: &Specifier, a: &Specifier) -> bool {
    match (b, a) {
        // A bare Edit/Read rule names one tool; a path rule covers the whole family.
        (Specifier::Any, _) => {
            !matches!(family, Family::Read | Family::Edit) || *a == Specifier::Any
        }
        (Specifier::Content(x), Specifier::Content(y)) => match family {
            Family::Bash => bash_spec_covers(x, y),
            Family::PowerShell => fold_whitespace(x).eq_ignore_ascii_case(&fold_whitespace(y)),
            Family::WebFetch => {
                let host = y.trim().strip_prefix("domain:").unwrap_or(y).trim();
                x.trim() == y.trim() || (!host.contains('*') && domain_matches(x, host))
            }
            _ => x.trim() == y.trim(),
        },
        (
            Specifier::Param {
                name: n1,
                value: v1,
            },
            Specifier::Param {
                name: n2,
                value: v2,
            },
        ) => n1 == n2 && (v1 == v2 || (!v2.contains('*') && rule::value_matches(v1, v2))),
        _ => false,
    }
}

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
fn caught_first(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Outcome::Ran;
    use crate::permissions::replay::replay;
    use crate::permissions::settings::{Roots, Source};
    use crate::suggest::testutil::{CWD, bash, call, policy};
    use FindingKind::*;

    fn kinds(a: &Audit, text: &str, kind: &str) -> Vec<FindingKind> {
        let r = a
            .rules
            .iter()
            .find(|r| r.text == text && r.kind == kind)
            .unwrap_or_else(|| panic!("no rule {kind} {text}"));
        r.findings.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn each_finding_where_expected() {
        let p = policy(
            r#"{"permissions": {
              "allow": [
                "Bash(npm view *)",
                "Bash(npm view react)",
                "Bash(terraform fmt -check)",
                "Bash(git:* push)",
                "Bash(python *)",
                "Bash(deploy --token ghp_abcdefghijklmnopqrstuvwxyz0123)",
                "Bash(rm -rf build)",
                "Bash(cat secrets.txt)",
                "mcp__github",
                "mcp__github__get_issue",
                "Bash(ls:*)",
                "Bash(ls *)",
                "Bash(kill 12345)",
                "Bash(npm test && npm run lint)",
                "Bash(command:rm *)",
                "mcp__*"
              ],
              "deny": ["Bash(rm *)", "Read(./secrets.txt)"],
              "ask": ["Bash(git push *)"]
            }}"#,
        );
        let calls = vec![
            bash(0, "s1", "npm view react", Ran),
            bash(1, "s1", "python x.py", Ran),
            bash(2, "s1", "rm -rf build", Ran),
            bash(3, "s2", "git push origin main", Ran),
            bash(4, "s2", "cat secrets.txt", Ran),
            call(5, "s2", "mcp__github__get_issue", "", Ran),
            bash(6, "s2", "ls -la", Ran),
        ];
        let decisions = replay(|_| &p, &calls);
        let a = audit(&[&p], &calls, &decisions);
        let table: &[(&str, &str, &[FindingKind])] = &[
            ("Bash(npm view *)", "allow", &[]),
            ("Bash(npm view react)", "allow", &[Subsumed]),
            ("Bash(terraform fmt -check)", "allow", &[Stale]),
            ("Bash(git:* push)", "allow", &[NeverMatches]),
            ("Bash(python *)", "allow", &[Dangerous]),
            ("Bash(rm -rf build)", "allow", &[Shadowed]),
            ("Bash(cat secrets.txt)", "allow", &[Shadowed]),
            ("mcp__github", "allow", &[Dangerous]),
            ("mcp__github__get_issue", "allow", &[Subsumed]),
            ("Bash(ls:*)", "allow", &[]),
            ("Bash(ls *)", "allow", &[Subsumed]),
            ("Bash(kill 12345)", "allow", &[NeverMatches]),
            ("Bash(npm test && npm run lint)", "allow", &[NeverMatches]),
            ("Bash(command:rm *)", "allow", &[NeverMatches]),
            ("mcp__*", "allow", &[NeverMatches]),
            ("Bash(rm *)", "deny", &[]),
            ("Read(./secrets.txt)", "deny", &[]),
            ("Bash(git push *)", "ask", &[]),
        ];
        for (text, kind, want) in table {
            assert_eq!(
                kinds(&a, text, kind),
                *want,
                "{kind} {text}: {:?}",
                a.rules.iter().find(|r| r.text == *text)
            );
        }
        // The secret rule is reported redacted.
        let secret = a
            .rules
            .iter()
            .find(|r| r.text.starts_with("Bash(deploy"))
            .expect("secret rule");
        assert!(!secret.text.contains("ghp_"), "{}", secret.text);
        assert_eq!(
            secret.findings.iter().map(|f| f.kind).collect::<Vec<_>>(),
            [Stale, Secret]
        );
        assert_eq!(a.rules.len(), table.len() + 1);

        let counts = |text: &str| {
            let r = a.rules.iter().find(|r| r.text == text).expect(text);
            (r.allowed, r.denied, r.asked)
        };
        assert_eq!(counts("Bash(npm view *)"), (1, 0, 0));
        assert_eq!(counts("Bash(rm *)"), (0, 1, 0));
        assert_eq!(counts("Read(./secrets.txt)"), (0, 1, 0));
        assert_eq!(counts("Bash(git push *)"), (0, 0, 1));
        assert_eq!(counts("mcp__github"), (1, 0, 0));
        assert_eq!(a.summary.dangerous, 2);
        assert_eq!(a.summary.secret, 1);
        assert_eq!(a.summary.calls, calls.len());
        assert!(has_dangerous(&a));
    }

    #[test]
    fn duplicates_across_files_and_policies() {
        let roots = Roots::new(Path::new(CWD), Path::new("/home/u"));
        let local = Path::new(CWD).join(".claude/settings.local.json");
        let project = Path::new(CWD).join(".claude/settings.json");
        let user = Path::new("/home/u/.claude/settings.json");
        let mut p1 = Policy::new(roots.clone());
        p1.add_json_str(
            Source::Local,
            &local,
            r#"{"permissions":{"allow":["Bash(make lint)","Bash(make lint)","WebFetch(domain:*.rs)"]}}"#,
        );
        p1.add_json_str(
            Source::Project,
            &project,
            r#"{"permissions":{"allow":["Bash(make lint)","WebFetch(domain:docs.rs)"]}}"#,
        );
        p1.add_json_str(
            Source::User,
            user,
            r#"{"permissions":{"allow":["Bash(pwd)"]}}"#,
        );
        let mut p2 = Policy::new(Roots::new(Path::new("/work/other"), Path::new("/home/u")));
        p2.add_json_str(
            Source::User,
            user,
            r#"{"permissions":{"allow":["Bash(pwd)"]}}"#,
        );
        let a = audit(&[&p1, &p2], &[], &[]);
        let find = |text: &str, file: &Path| {
            a.rules
                .iter()
                .find(|r| r.text == text && r.file == file)
                .unwrap_or_else(|| panic!("{text} in {}", file.display()))
                .findings
                .iter()
                .map(|f| (f.kind, f.detail.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            find("Bash(make lint)", &local)[0].1,
            "listed 2 times in this file"
        );
        let dup = find("Bash(make lint)", &project);
        assert_eq!(dup[0].0, Subsumed);
        assert!(dup[0].1.contains("settings.local.json"), "{dup:?}");
        assert_eq!(find("WebFetch(domain:docs.rs)", &project)[0].0, Subsumed);
        assert_eq!(
            find("WebFetch(domain:*.rs)", &local),
            [(Stale, "decided none of the 0 calls".into())]
        );
        assert_eq!(a.rules.iter().filter(|r| r.text == "Bash(pwd)").count(), 1);
        assert!(!has_dangerous(&a));
    }

    #[test]
    fn operators_outside_quotes() {
        let cases: &[(&str, bool)] = &[
            ("npm test && npm run lint", true),
            ("git diff; rm x", true),
            ("cat x | head", true),
            ("grep 'a|b' f", false),
            ("grep \"a;b\" f", false),
            ("echo a\\;b", false),
            ("git log *", false),
            (&"(".repeat(200), false),
        ];
        for (spec, want) in cases {
            assert_eq!(has_unquoted_operator(spec), *want, "{spec}");
        }
    }

    #[test]
    fn allow_rules_covered_by_ask_rules_are_shadowed() {
        let p = policy(
            r#"{"permissions":{"allow":["Bash(git push origin main)","mcp__x__get"],"ask":["mcp__x","Bash"]}}"#,
        );
        let a = audit(&[&p], &[], &[]);
        assert_eq!(kinds(&a, "Bash(git push origin main)", "allow"), [Shadowed]);
        assert_eq!(kinds(&a, "mcp__x__get", "allow"), [Shadowed]);
    }
}
