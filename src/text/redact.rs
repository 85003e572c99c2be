//! Hiding secrets in commands, paths and URLs before anything is printed or written.
//!
//! Transcripts are plain text and hold whatever the agent ran, tokens included. Every
//! output passes command text through [`Redactor::redact`] unless the user asked for
//! `--no-redact`. The patterns are one table, [`SECRET_PATTERNS`]. Two corpora in the
//! integration tests (`tests/it/redaction.rs`) measure them both ways: real-shaped secrets
//! that must be masked, and look-alikes (command substitutions, git object ids, UUIDs,
//! base64 test data, variable references) that must be left alone.

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
    // Credentials in URLs: scheme://user:password@host (the user may be empty, as in
    // redis://:password@host). A `$` value is a shell variable, not a secret.
    (
        r"(?P<pre>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)[^/\s@$][^/\s@]*@",
        "${pre}[REDACTED]@",
    ),
    // A bare token as the user part of a URL: https://<token>@host
    (
        r"(?P<pre>[A-Za-z][A-Za-z0-9+.-]*://)[A-Za-z0-9_-]{20,}@",
        "${pre}[REDACTED]@",
    ),
    // HTTP auth headers. (A `val` that is only the scheme word, as in `Bearer $TOKEN`, is
    // kept: see [`AUTH_SCHEMES`].)
    (
        r#"(?i)(?P<pre>(?-u:\b)(?:authorization|proxy-authorization|x-api-key|api-key|private-token|x-auth-token|cookie)\s*:\s*(?:bearer\s+|basic\s+|token\s+)?)(?P<val>[^\s'"$`][^\s'"]*)"#,
        "${pre}[REDACTED]",
    ),
    // NAME=value where the name says secret (env assignments, query strings, config). The
    // word must end the name or be followed by `_` (PR_AUTHOR and TOKENIZERS are no
    // secrets), and a value that starts a substitution or names a variable is no secret.
    (
        r#"(?i)(?P<pre>(?-u:\b)[A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|ACCOUNT_?KEY|PRIVATE_?KEY|CREDENTIAL|DATABASE_URL|AUTH)S?(?:_[A-Z0-9_]*)?=['"]?)[^\s&'"$`(<][^\s&'"]*"#,
        "${pre}[REDACTED]",
    ),
    // AWS secrets set by name: aws configure set aws_secret_access_key <value>.
    (
        r#"(?i)(?P<pre>(?-u:\b)aws_(?:secret_access_key|session_token)\s+)[^\s'"$`][^\s'"]*"#,
        "${pre}[REDACTED]",
    ),
    // Secret-bearing flags: --password x, --token=x, -p is too ambiguous to touch.
    (
        r#"(?i)(?P<pre>(?:^|\s)--?(?:password|passwd|pass|token|secret|api-key|apikey|auth-token|access-token|client-secret|private-key)(?:=|\s+)['"]?)[^\s'"$`(<][^\s'"]*"#,
        "${pre}[REDACTED]",
    ),
    // curl/wget basic auth: -u user:password, --user user:password (not a URL: -u redis://)
    (
        r#"(?P<pre>(?:^|\s)(?:-u\s*|--user[=\s]+)['"]?[^\s:'"]+:)[^\s'"$`/][^\s'"]*"#,
        "${pre}[REDACTED]",
    ),
    // wget's own password flag takes the password alone.
    (
        r#"(?P<pre>(?:^|\s)--(?:http-|ftp-|proxy-)?password[=\s]+['"]?)[^\s'"$`][^\s'"]*"#,
        "${pre}[REDACTED]",
    ),
    // Token formats that are secrets wherever they appear.
    (r"(?-u:\b)gh[pousr]_[A-Za-z0-9]{20,}", "[REDACTED]"),
    (r"(?-u:\b)github_pat_[A-Za-z0-9_]{20,}", "[REDACTED]"),
    (r"(?-u:\b)glpat-[A-Za-z0-9_-]{20,}", "[REDACTED]"),
    (r"(?-u:\b)xox[abprs]-[A-Za-z0-9-]{10,}", "[REDACTED]"),
    // OpenAI and Anthropic keys: a known prefix, or 32+ characters without a hyphen (so a
    // branch named sk-learn-upgrade-... is left alone).
    (
        r"(?-u:\b)sk-(?:proj|ant|svcacct|admin)-[A-Za-z0-9_-]{20,}",
        "[REDACTED]",
    ),
    (r"(?-u:\b)sk-[A-Za-z0-9]{32,}", "[REDACTED]"),
    (
        r"(?-u:\b)(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}",
        "[REDACTED]",
    ),
    (
        r"(?-u:\b)SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}",
        "[REDACTED]",
    ),
    (r"(?-u:\b)hf_[A-Za-z0-9]{30,}", "[REDACTED]"),
    (
        r"(?P<pre>https://hooks\.slack\.com/services/)[A-Za-z0-9/_-]+",
        "${pre}[REDACTED]",
    ),
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

/// Words a `val` group may hold that are no secret: the scheme of an auth header whose
/// value is a variable (`Authorization: Bearer $TOKEN`).
const AUTH_SCHEMES: &[&str] = &["bearer", "basic", "token"];

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
            let replaced = re.replace_all(&out, |caps: &regex::Captures<'_>| {
                let scheme_only = caps.name("val").is_some_and(|v| {
                    AUTH_SCHEMES.contains(&v.as_str().to_ascii_lowercase().as_str())
                });
                if scheme_only {
                    return caps[0].to_string();
                }
                let mut dst = String::new();
                caps.expand(rep, &mut dst);
                dst
            });
            if let Cow::Owned(s) = replaced {
                out = Cow::Owned(s);
            }
        }
        out
    }

    /// True when the text holds something the patterns call a secret (and would mask).
    pub fn has_secret(text: &str) -> bool {
        ANY.is_match(text) && Redactor::new(true).redact(text) != text
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
            (
                "pr_author=$(gh pr view --json author -q .author.login)",
                "pr_author=$(gh pr view --json author -q .author.login)",
            ),
            (
                "PASSWORD=\"hunter2\" ./run",
                "PASSWORD=\"[REDACTED]\" ./run",
            ),
            (
                "redis-cli -u redis://:p4ss@h:6379",
                "redis-cli -u redis://:[REDACTED]@h:6379",
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
