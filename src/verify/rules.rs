//! What a single rule of a boundary promises less than it seems to: an allow rule that admits
//! arbitrary code (the audit's dangerous-rule table, used here and nowhere else in
//! `verify`), and a deny rule that is easy to get past ([`EVASIONS`]).

use crate::facts::tools::{self, Family};
use crate::permissions::rule::{Rule, Specifier};
use crate::permissions::shell::split_words;
use crate::suggest::safety;

/// Why an allow rule admits arbitrary code, from the audit's dangerous-rule table.
pub fn dangerous_allow(rule_text: &str) -> Option<String> {
    let rule = Rule::parse(rule_text).ok()?;
    safety::dangerous_allow(&rule)
}

/// A way past a deny rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evasion {
    /// A Bash pattern that pins a URL.
    Url,
    /// A Bash pattern that pins options.
    Options,
    /// An exact Bash rule with arguments.
    Exact,
    /// A Read or Edit rule, which other programs run from Bash do not consult.
    FileRuleViaShell,
    /// A WebFetch rule, which `curl` and `wget` in Bash do not consult.
    FetchViaShell,
}

/// Each way past a deny rule, with why (after Claude Code's permission documentation, which
/// calls argument-constraining patterns fragile).
pub const EVASIONS: &[(Evasion, &str)] = &[
    (
        Evasion::Url,
        "a URL in a command pattern misses other spellings of the same request: https for \
         http, options before the URL, a redirect, a URL held in a variable",
    ),
    (
        Evasion::Options,
        "options can be reordered, combined or spelled long (-rf, -fr, -r -f, \
         --recursive --force), so a pattern that pins them misses the other spellings",
    ),
    (
        Evasion::Exact,
        "an exact rule matches only that text: another argument or another spelling of the \
         same path (./build, build/) gets past it",
    ),
    (
        Evasion::FileRuleViaShell,
        "Read and Edit rules also stop cat, head, tail and sed in Bash, but not other \
         programs (cp, python, a script) that open the same file",
    ),
    (
        Evasion::FetchViaShell,
        "WebFetch rules do not stop curl or wget in Bash",
    ),
];

/// The text of an evasion.
pub fn evasion_text(e: Evasion) -> &'static str {
    EVASIONS
        .iter()
        .find(|(k, _)| *k == e)
        .map(|(_, t)| *t)
        .unwrap_or("")
}

/// How a deny rule can be got past, if it can: the first that applies. `bash_available` says
/// whether the run has the Bash tool (the file and fetch evasions go through it).
pub fn evasion(rule_text: &str, bash_available: bool) -> Option<Evasion> {
    let rule = Rule::parse(rule_text).ok()?;
    let family = rule.tool.name().map(tools::family);
    match (&rule.spec, family) {
        (Specifier::Content(spec), Some(Family::Bash)) => bash_evasion(spec),
        (Specifier::Content(_), Some(Family::Read | Family::Edit)) if bash_available => {
            Some(Evasion::FileRuleViaShell)
        }
        (_, Some(Family::WebFetch)) if bash_available => Some(Evasion::FetchViaShell),
        _ => None,
    }
}

fn bash_evasion(spec: &str) -> Option<Evasion> {
    let words: Vec<String> = split_words(spec)
        .into_iter()
        .map(|w| safety::unquote(&w))
        .filter(|w| w != "*" && !w.is_empty())
        .collect();
    let leading_wildcard = spec.trim_start().starts_with('*');
    let args = if leading_wildcard {
        &words[..]
    } else {
        words.get(1..).unwrap_or(&[])
    };
    if words.iter().any(|w| w.contains("://")) {
        return Some(Evasion::Url);
    }
    if args.iter().any(|w| w.starts_with('-') && w.len() > 1) {
        return Some(Evasion::Options);
    }
    let exact = !spec.contains('*') && !spec.trim_end().ends_with(":*");
    (exact && !args.is_empty()).then_some(Evasion::Exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_rules_that_are_easy_to_get_past() {
        #[rustfmt::skip]
        let cases: &[(&str, bool, Option<Evasion>)] = &[
            ("Bash(curl http://x/ *)", true, Some(Evasion::Url)),
            ("Bash(rm -rf *)", true, Some(Evasion::Options)),
            ("Bash(git push --force *)", true, Some(Evasion::Options)),
            ("Bash(* --force)", true, Some(Evasion::Options)),
            ("Bash(rm -rf build)", true, Some(Evasion::Options)),
            ("Bash(rm build)", true, Some(Evasion::Exact)),
            ("Bash(rm *)", true, None),
            ("Bash(curl:*)", true, None),
            ("Bash", true, None),
            ("Read(./.env)", true, Some(Evasion::FileRuleViaShell)),
            ("Read(./.env)", false, None),
            ("WebFetch(domain:evil.com)", true, Some(Evasion::FetchViaShell)),
            ("Write", true, None),
        ];
        for (rule, bash, want) in cases {
            assert_eq!(evasion(rule, *bash), *want, "{rule}");
        }
        assert!(evasion_text(Evasion::Url).contains("https"));
    }

    #[test]
    fn dangerous_allow_rules_come_from_the_audit_table() {
        assert!(dangerous_allow("Bash").is_some());
        assert!(dangerous_allow("Bash(python *)").is_some());
        assert!(dangerous_allow("Bash(git log *)").is_none());
        assert!(dangerous_allow("not a rule (").is_none());
    }
}
