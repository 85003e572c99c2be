//! PowerShell: the line split on `;`, `|`, `&&`, `||` and newlines outside quotes, aliases
//! mapped, and rules matched part by part.

use super::matchers::command_pattern_matches;
use super::{AutoWhy, Ctx, Out, PartDecision, PartVerdict, PromptWhy, RuleRef, Verdict, out};
use crate::event::Mode;
use crate::facts::tools;
use crate::permissions::bash_rule::RuleKind;
use crate::permissions::rule::Specifier;
use crate::permissions::settings::LoadedRule;

impl Ctx<'_> {
    /// The decision for a PowerShell call.
    pub(super) fn powershell(&self) -> Out {
        let Some(command) = self.call.input.command.as_deref() else {
            return out(
                self.need(PromptWhy::MissingInput("command")),
                None,
                "no command recorded",
            );
        };
        let (parts, opaque) = pwsh_split(command);
        let applies = |r: &LoadedRule| -> Option<String> {
            match (&r.rule.spec, r.rule.tool.name()) {
                (Specifier::Content(c), Some("PowerShell")) => Some(c.clone()),
                _ => None,
            }
        };
        for (kind, verdict, pv) in [
            (RuleKind::Deny, Verdict::DeniedByRule, PartVerdict::Denied),
            (RuleKind::Ask, self.ask(), PartVerdict::Asked),
        ] {
            for r in self.rules(kind) {
                if self.tool_level(r) {
                    return out(verdict, Some(r), "rule on the whole tool");
                }
                if let Some(spec) = applies(r)
                    && let Some(p) = parts.iter().find(|p| pwsh_matches(&spec, p))
                {
                    let pd = PartDecision {
                        text: p.clone(),
                        verdict: pv.clone(),
                        rule: Some(RuleRef::of(r)),
                    };
                    return (
                        verdict,
                        Some(RuleRef::of(r)),
                        "matches a part".into(),
                        vec![pd],
                    );
                }
            }
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        let decisions: Vec<PartDecision> = parts
            .iter()
            .map(|p| {
                let rule = if opaque.is_some() {
                    None
                } else {
                    self.first(RuleKind::Allow, |r| {
                        self.tool_level(r) || applies(r).is_some_and(|s| pwsh_matches(&s, p))
                    })
                };
                PartDecision {
                    text: p.clone(),
                    verdict: match (rule, &opaque) {
                        (Some(_), _) => PartVerdict::AllowedByRule,
                        (None, Some(o)) => PartVerdict::Uncovered(PromptWhy::Opaque(o.to_string())),
                        (None, None) => PartVerdict::Uncovered(PromptWhy::Uncovered(p.clone())),
                    },
                    rule: rule.map(RuleRef::of),
                }
            })
            .collect();
        let uncovered = decisions.iter().find_map(|d| match &d.verdict {
            PartVerdict::Uncovered(w) => Some(w.clone()),
            _ => None,
        });
        match (uncovered, decisions.first()) {
            (None, Some(d)) => {
                let rule = d.rule.clone();
                (
                    Verdict::AllowedByRule,
                    rule,
                    "every part covered".into(),
                    decisions,
                )
            }
            (Some(why), _) => (
                self.need(why),
                None,
                "a part is not covered".into(),
                decisions,
            ),
            (None, None) => (
                self.need(PromptWhy::NoRule),
                None,
                "no command found".into(),
                decisions,
            ),
        }
    }
}

/// Splits a PowerShell line into parts (lower case, whitespace folded, aliases mapped), and
/// a reason when no allow rule may cover it.
fn pwsh_split(command: &str) -> (Vec<String>, Option<&'static str>) {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut opaque = None;
    let chars: Vec<char> = command.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                if q == '"' && c == '$' && next == Some('(') {
                    opaque = Some("subexpression");
                }
                cur.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    cur.push(c);
                }
                ';' | '\n' | '|' => {
                    if c == '|' && next == Some('|') {
                        i += 1;
                    }
                    parts.push(std::mem::take(&mut cur));
                }
                '&' if next == Some('&') => {
                    i += 1;
                    parts.push(std::mem::take(&mut cur));
                }
                '$' | '@' if next == Some('(') => {
                    opaque = Some("subexpression");
                    cur.push(c);
                }
                '{' | '`' => {
                    opaque = Some("script block or escape");
                    cur.push(c);
                }
                _ => cur.push(c),
            },
        }
        i += 1;
    }
    parts.push(cur);
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|p| pwsh_canonical(&p))
        .collect();
    if parts
        .iter()
        .any(|p| p.starts_with("& ") || p.starts_with(". ") || p.starts_with("invoke-expression"))
    {
        opaque = Some("call operator or Invoke-Expression");
    }
    (parts, opaque)
}

/// Lower-cases a PowerShell part and maps an alias in command position.
fn pwsh_canonical(part: &str) -> String {
    let lower = part.to_lowercase();
    let (first, rest) = lower.split_once(' ').unwrap_or((lower.as_str(), ""));
    let first = tools::POWERSHELL_ALIASES
        .iter()
        .find(|(a, _)| *a == first)
        .map_or(first, |(_, full)| full);
    if rest.is_empty() {
        first.to_string()
    } else {
        format!("{first} {rest}")
    }
}

/// Does a `PowerShell(...)` specifier match a part (both canonical)?
fn pwsh_matches(spec: &str, part: &str) -> bool {
    let spec = pwsh_canonical(&spec.split_whitespace().collect::<Vec<_>>().join(" "));
    command_pattern_matches(&spec, part)
}
