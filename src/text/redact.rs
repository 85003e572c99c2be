//! Hiding secrets in commands, paths and URLs before anything is printed or written.
//!
//! Transcripts are plain text and hold whatever the agent ran, tokens included. Every
//! output passes command text through [`Redactor::redact`] unless the user asked for
//! `--no-redact`. The patterns are one table, [`SECRET_PATTERNS`].

use regex::{Regex, RegexSet};
use std::borrow::Cow;
use std::sync::LazyLock;

/// What replaces a secret.
pub const MASK: &str = "[REDACTED]";

/// Secret shapes, each a regex and the replacement (`$name` groups keep the harmless part).
///
/// Word boundaries are ASCII (`(?-u:\b)`): tokens are ASCII, and a Unicode `\b` makes the
/// regex engine fall back to its slowest matcher on any text with a non-ASCII character
/// (it took most of the report's time on real transcripts). Against a Unicode letter the
/// ASCII boundary matches where the Unicode one would not, so it can only mask more.
pub const SECRET_PATTERNS: &[(&str, &str)] = &[
    // Credentials in URLs: scheme://user:password@host
    (
        r"(?P<pre>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:)[^/\s@]+@",
        "${pre}[REDACTED]@",
    ),
    // A bare token as the user part of a URL: https://<token>@host
    (
        r"(?P<pre>[A-Za-z][A-Za-z0-9+.-]*://)[A-Za-z0-9_-]{20,}@",
        "${pre}[REDACTED]@",
    ),
    // HTTP auth headers.
    (
        r#"(?i)(?P<pre>(?-u:\b)(?:authorization|proxy-authorization|x-api-key|api-key|private-token|x-auth-token|cookie)\s*:\s*(?:bearer\s+|basic\s+|token\s+)?)[^\s'"]+"#,
        "${pre}[REDACTED]",
    ),
    // NAME=value where the name says secret (env assignments, query strings, config).
    (
        r#"(?i)(?P<pre>(?-u:\b)[A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|DATABASE_URL|AUTH)[A-Z0-9_]*=)[^\s&'"]+"#,
        "${pre}[REDACTED]",
    ),
    // Secret-bearing flags: --password x, --token=x, -p is too ambiguous to touch.
    (
        r#"(?i)(?P<pre>(?:^|\s)--?(?:password|passwd|pass|token|secret|api-key|apikey|auth-token|access-token|client-secret|private-key)(?:=|\s+))[^\s'"]+"#,
        "${pre}[REDACTED]",
    ),
    // curl/wget basic auth: -u user:password, --user user:password
    (
        r#"(?P<pre>(?:^|\s)(?:-u\s*|--user[=\s]+|--http-password[=\s]+)['"]?[^\s:'"]+:)[^\s'"]+"#,
        "${pre}[REDACTED]",
    ),
    // Token formats that are secrets wherever they appear.
    (r"(?-u:\b)gh[pousr]_[A-Za-z0-9]{20,}", "[REDACTED]"),
    (r"(?-u:\b)github_pat_[A-Za-z0-9_]{20,}", "[REDACTED]"),
    (r"(?-u:\b)glpat-[A-Za-z0-9_-]{20,}", "[REDACTED]"),
    (r"(?-u:\b)xox[abprs]-[A-Za-z0-9-]{10,}", "[REDACTED]"),
    (r"(?-u:\b)sk-[A-Za-z0-9_-]{20,}", "[REDACTED]"),
    (r"(?-u:\b)(?:AKIA|ASIA)[0-9A-Z]{16}(?-u:\b)", "[REDACTED]"),
    (r"(?-u:\b)AIza[0-9A-Za-z_-]{35}", "[REDACTED]"),
    (r"(?-u:\b)npm_[A-Za-z0-9]{36}", "[REDACTED]"),
    (
        r"(?-u:\b)eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
        "[REDACTED]",
    ),
    (
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
        "[REDACTED]",
    ),
];

static COMPILED: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    SECRET_PATTERNS
        .iter()
        .map(|(re, rep)| (Regex::new(re).expect("secret patterns are valid"), *rep))
        .collect()
});

/// All patterns in one automaton: most text holds no secret, and one pass over it says so.
static ANY: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(SECRET_PATTERNS.iter().map(|(re, _)| *re)).expect("secret patterns are valid")
});

/// Applies (or, with `--no-redact`, skips) the secret patterns.
#[derive(Debug, Clone, Copy)]
pub struct Redactor {
    enabled: bool,
}

impl Redactor {
    /// A redactor; `enabled = false` passes text through untouched.
    pub fn new(enabled: bool) -> Self {
        Redactor { enabled }
    }

    /// The text with every secret replaced by [`MASK`].
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.enabled || !ANY.is_match(text) {
            return Cow::Borrowed(text);
        }
        let mut out = Cow::Borrowed(text);
        for (re, rep) in COMPILED.iter() {
            if let Cow::Owned(s) = re.replace_all(&out, *rep) {
                out = Cow::Owned(s);
            }
        }
        out
    }

    /// True when the text holds something the patterns call a secret.
    pub fn has_secret(text: &str) -> bool {
        ANY.is_match(text)
    }
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_and_the_rest_kept() {
        let r = Redactor::default();
        let cases = [
            (
                "curl -H 'Authorization: Bearer abc.def' https://api.x.com",
                "curl -H 'Authorization: Bearer [REDACTED]' https://api.x.com",
            ),
            (
                "curl -u alice:s3cret https://x",
                "curl -u alice:[REDACTED] https://x",
            ),
            (
                "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123 gh pr list",
                "GITHUB_TOKEN=[REDACTED] gh pr list",
            ),
            (
                "git clone https://bob:hunter2@github.com/x/y",
                "git clone https://bob:[REDACTED]@github.com/x/y",
            ),
            (
                "psql postgres://app:pw123@db:5432/x",
                "psql postgres://app:[REDACTED]@db:5432/x",
            ),
            (
                "mytool --password=abc --verbose",
                "mytool --password=[REDACTED] --verbose",
            ),
            ("mytool --token abc", "mytool --token [REDACTED]"),
            (
                "export OPENAI_API_KEY=sk-proj-aaaaaaaaaaaaaaaaaaaaaaaa",
                "export OPENAI_API_KEY=[REDACTED]",
            ),
            ("echo AKIAABCDEFGHIJKLMNOP", "echo [REDACTED]"),
            (
                "DATABASE_URL=sqlite://x.db cargo test",
                "DATABASE_URL=[REDACTED] cargo test",
            ),
            ("git log --oneline -20", "git log --oneline -20"),
            ("ls -la ~/.ssh", "ls -la ~/.ssh"),
            (
                "git push https://0123456789abcdefABCDEF@github.com/o/r",
                "git push https://[REDACTED]@github.com/o/r",
            ),
            (
                "git clone ssh://git@github.com/o/r",
                "git clone ssh://git@github.com/o/r",
            ),
            // Non-ASCII text around a token: the boundary is ASCII, so a token glued to
            // a Unicode letter is masked too.
            (
                "echo «ghp_0123456789abcdefghijABCD» — über",
                "echo «[REDACTED]» — über",
            ),
            (
                "export XéTOKEN=s3cr3t; écho ghp_0123456789abcdefghijABCD",
                "export XéTOKEN=[REDACTED] écho [REDACTED]",
            ),
            ("résumé-ghp_0123456789abcdefghijABCD", "résumé-[REDACTED]"),
            ("éghp_0123456789abcdefghijABCD", "é[REDACTED]"),
        ];
        for (input, want) in cases {
            assert_eq!(r.redact(input), want, "{input}");
        }
    }

    #[test]
    fn disabled_passes_through() {
        let t = "curl -u a:b x";
        assert_eq!(Redactor::new(false).redact(t), t);
        assert!(Redactor::has_secret(t));
        assert!(!Redactor::has_secret("git status"));
    }
}
