//! Which allow rules are dangerous: the auditor's question, answered from the same "never"
//! lists the suggester uses.

use super::bans::risk_of;
use super::hazards::risky_flag;
use super::shape::{Wildcard, spec_shape};
use crate::facts::tools::{self, Family};
use crate::permissions::rule::{Rule, Specifier, ToolPattern};

/// Edit path patterns that cover every file under their anchor.
pub const EDIT_EVERYWHERE: &[&str] = &["**", "/**", "//**", "~/**", "./**", "*", "/*", "//*"];

/// Why an allow rule is dangerous, if it is: a bare or `*` shell rule, a wildcard reaching a
/// "never" list, an exact rule in a [`BanReach::Always`](super::BanReach::Always) list, a risky option, a leading
/// wildcard, a bare `WebFetch`/`domain:*`, an MCP server- or glob-wide allow, or an edit
/// rule over everything.
pub fn dangerous_allow(rule: &Rule) -> Option<String> {
    match (&rule.tool, &rule.spec) {
        (ToolPattern::McpServer(s), _) => {
            return Some(format!(
                "allows every tool of MCP server '{s}', including any that write"
            ));
        }
        (ToolPattern::Glob(g), _) => {
            return Some(format!(
                "tool-name glob '{g}' allows every matching tool, including any that write"
            ));
        }
        (ToolPattern::Name(_), _) => {}
    }
    let name = rule.tool.name().unwrap_or("");
    let family = tools::family(name);
    match (&rule.spec, family) {
        (Specifier::Any, Family::Bash | Family::PowerShell) => {
            Some(format!("{name} with no specifier allows every command"))
        }
        (Specifier::Any, Family::Edit) => {
            Some(format!("{name} with no path allows editing any file"))
        }
        (Specifier::Any, Family::WebFetch) => {
            Some("WebFetch with no domain allows fetching any URL".into())
        }
        (Specifier::Content(c), Family::WebFetch) => {
            let d = c.trim().strip_prefix("domain:").unwrap_or(c).trim();
            (d == "*").then(|| "WebFetch(domain:*) allows fetching any URL".into())
        }
        (Specifier::Content(c), Family::Edit) => EDIT_EVERYWHERE.contains(&c.trim()).then(|| {
            format!(
                "Edit({}) allows editing every file under its anchor",
                c.trim()
            )
        }),
        (Specifier::Content(c), Family::Bash) => dangerous_bash_spec(c),
        _ => None,
    }
}

/// [`dangerous_allow`] for the text inside `Bash(...)`.
pub fn dangerous_bash_spec(spec: &str) -> Option<String> {
    let shape = spec_shape(spec);
    if let Some(hit) = risk_of(&shape.words, shape.wildcard) {
        return Some(match shape.wildcard {
            Wildcard::None => format!("{} ({}): {}", hit.entry, hit.table, hit.why),
            _ => format!(
                "wildcard reaches '{}' ({}): {}",
                hit.entry, hit.table, hit.why
            ),
        });
    }
    risky_flag(&shape.words)
        .map(|f| format!("holds {f}, which changes configuration or runs a program"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_allows() {
        #[rustfmt::skip]
        let cases: &[(&str, bool)] = &[
            ("Bash", true),
            ("Bash(*)", true),
            ("Bash(python *)", true),
            ("Bash(python:*)", true),
            ("Bash(python3*)", true),
            ("Bash(bash *)", true),
            ("Bash(env *)", true),
            ("Bash(sudo *)", true),
            ("Bash(git *)", true),
            ("Bash(npm run *)", true),
            ("Bash(npm *)", true),
            ("Bash(curl *)", true),
            ("Bash(gh api *)", true),
            ("Bash(find *)", true),
            ("Bash(sed *)", true),
            ("Bash(xargs *)", true),
            ("Bash(* --version)", true),
            ("WebFetch", true),
            ("WebFetch(domain:*)", true),
            ("mcp__github", true),
            ("mcp__github__*", true),
            ("Edit(/**)", true),
            ("Edit(//**)", true),
            ("Edit", true),
            ("Bash(git log *)", false),
            ("Bash(npm run test)", false),
            ("Bash(npm run test *)", false),
            ("Bash(pip list --outdated)", false),
            ("Bash(npm view *)", false),
            ("WebFetch(domain:docs.rs)", false),
            ("mcp__github__get_issue", false),
            ("Edit(/src/**)", false),
            ("Read(//**)", false),
        ];
        for (text, want) in cases {
            let rule = Rule::parse(text).expect("parses");
            assert_eq!(
                dangerous_allow(&rule).is_some(),
                *want,
                "{text}: {:?}",
                dangerous_allow(&rule)
            );
        }
    }
}
