//! Coverage between rules, judged on their text: does one rule match everything another
//! matches (Bash `*` and ` *`/`:*` prefixes, MCP server and tool-name globs, WebFetch domain
//! patterns, bare tools; path rules only compared for equality)? And does a Bash pattern hold
//! several commands?

use crate::facts::tools::{self, Family};
use crate::permissions::bash_rule;
use crate::permissions::engine::domain_matches;
use crate::permissions::glob;
use crate::permissions::rule::{self, Rule, Specifier, ToolPattern};
use crate::permissions::shell::fold_whitespace;

/// Does a Bash specifier hold `;`, `&`, `|` or a newline outside quotes? (A plain scan: the
/// shell parser is not run over settings text.)
pub(super) fn has_unquoted_operator(spec: &str) -> bool {
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
pub(super) fn covers(b: &Rule, a: &Rule) -> bool {
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
