//! Specifier matching outside Bash and paths: auto mode's broad shell rules, WebFetch
//! domains, Skill names, and the plain-text command patterns Skill and PowerShell share.

use crate::facts::tools;

/// Auto mode's broad shell allow rules (docs/permissions.md, "What runs without a prompt"): an empty fixed text, an
/// interpreter or shell with any wildcard (`python*`, `node *`), or a package-manager /
/// task-runner run prefix with a wildcard in the script position (`npm run *`, `npm *`).
pub fn is_broad_shell_spec(spec: &str) -> bool {
    let s = spec.trim();
    if !s.contains('*') {
        return false;
    }
    let lit = s
        .split('*')
        .next()
        .unwrap_or("")
        .trim_end()
        .trim_end_matches(':')
        .trim_end();
    if lit.is_empty() {
        return true;
    }
    let first = lit.split_whitespace().next().unwrap_or("");
    let single_word = !lit.contains(char::is_whitespace);
    let interp = tools::AUTO_BROAD_INTERPRETERS.iter().any(|i| {
        first == *i
            || first
                .strip_prefix(i)
                .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
            || (single_word && i.starts_with(first))
    });
    interp || tools::AUTO_BROAD_RUNNERS.iter().any(|r| r.starts_with(lit))
}

/// Does a `WebFetch(domain:...)` specifier match `host`? Case-insensitive, trailing dot
/// ignored; `*` alone is every host; `*.x.com` any subdomain at any depth but not `x.com`;
/// any other `*` stays within one dot-separated label.
pub fn domain_matches(spec: &str, host: &str) -> bool {
    let pat = spec.trim();
    let pat = pat.strip_prefix("domain:").unwrap_or(pat).trim();
    let pat = pat.trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if pat == "*" {
        return true;
    }
    let hl: Vec<&str> = host.split('.').collect();
    let labels_match = |p: &[&str], h: &[&str]| {
        p.len() == h.len()
            && p.iter()
                .zip(h)
                .all(|(a, b)| crate::permissions::glob::simple_glob(a, b))
    };
    if let Some(rest) = pat.strip_prefix("*.") {
        let pl: Vec<&str> = rest.split('.').collect();
        return hl.len() > pl.len()
            && hl
                .get(hl.len() - pl.len()..)
                .is_some_and(|tail| labels_match(&pl, tail));
    }
    let pl: Vec<&str> = pat.split('.').collect();
    labels_match(&pl, &hl)
}

/// Does a `Skill(...)` specifier match a skill call? The text is `name` or `name args`;
/// `x *` (or `x:*`) is `x` alone or `x ` followed by anything; other `*` match anything.
pub fn skill_matches(spec: &str, skill: &str, args: &str) -> bool {
    let name = skill.trim().trim_start_matches('/');
    let args = args.trim();
    let text = if args.is_empty() {
        name.to_string()
    } else {
        format!("{name} {args}")
    };
    command_pattern_matches(spec.trim(), &text)
}

/// Bash-style specifier matching over plain text: trailing ` *` / `:*` is a word-boundary
/// prefix, any other `*` matches any run of characters.
pub(super) fn command_pattern_matches(spec: &str, text: &str) -> bool {
    let spec = match spec.strip_suffix(":*") {
        Some(head) => format!("{head} *"),
        None => spec.to_string(),
    };
    if let Some(prefix) = spec.strip_suffix(" *")
        && !prefix.contains('*')
    {
        return text == prefix
            || text
                .strip_prefix(prefix)
                .is_some_and(|r| r.starts_with(' '));
    }
    crate::permissions::glob::simple_glob(&spec, text)
}
