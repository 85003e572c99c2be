//! What makes a rule text a bad proposal even when the command is harmless: options that
//! change configuration or run a program, shell syntax, and values that will never recur
//! (temp paths, UUIDs, PIDs, hashes, timestamps: a rule holding one never matches again).

use super::shape::unquote;
use crate::facts::commands::PID_COMMANDS;
use crate::facts::runners::program_forms as command_forms;
use crate::permissions::shell::split_words;
use regex::Regex;
use std::sync::LazyLock;

/// Options that change a program's configuration or make it run another program.
/// Each entry: the option, and whether it is only risky when followed by `key=value`
/// (`-c`, which means something harmless for `wc`/`grep`).
pub const RISKY_FLAGS: &[(&str, bool)] = &[
    ("-c", true),
    ("--config", false),
    ("--config-env", false),
    ("--exec-path", false),
    ("--upload-pack", false),
    ("--receive-pack", false),
    ("--output", false),
    ("--ext-diff", false),
    ("--textconv", false),
    ("--exec", false),
    ("--pre", false),
    ("-toolexec", false),
    ("--toolexec", false),
    ("--python", false),
    ("--kubeconfig", false),
];

/// The risky option among `words` (unquoted argv), if any.
pub fn risky_flag(words: &[String]) -> Option<String> {
    for (i, w) in words.iter().enumerate().skip(1) {
        for (flag, needs_kv) in RISKY_FLAGS {
            if *needs_kv {
                let attached = w
                    .strip_prefix(flag)
                    .is_some_and(|rest| !rest.is_empty() && rest.contains('='));
                let next_kv = w == flag && words.get(i + 1).is_some_and(|n| n.contains('='));
                if attached || next_kv {
                    return Some(format!("{flag} key=value"));
                }
            } else if w == flag || w.strip_prefix(flag).is_some_and(|r| r.starts_with('=')) {
                return Some((*flag).to_string());
            }
        }
    }
    None
}

/// Shell syntax a rule text must not hold, with the hazard's name.
pub const SHELL_SYNTAX: &[(&str, &str)] = &[
    ("$(", "command substitution"),
    ("`", "command substitution"),
    ("<(", "process substitution"),
    (">(", "process substitution"),
    ("&&", "shell operator &&"),
    ("||", "shell operator ||"),
    (";", "shell operator ;"),
    ("|", "pipe"),
    ("&", "background operator &"),
    (">", "redirection"),
    ("<", "redirection"),
    ("\n", "newline"),
];

/// Why a rule text is unusable as written, if it is: shell syntax (even quoted, since
/// a reader cannot tell), a `*` (it would act as a wildcard), or parentheses (the rule
/// grammar uses them).
pub fn text_hazard(text: &str) -> Option<(&'static str, String)> {
    if let Some((_, what)) = SHELL_SYNTAX.iter().find(|(s, _)| text.contains(s)) {
        return Some(("shell_syntax", format!("contains {what}")));
    }
    if text.contains('*') {
        return Some((
            "wildcard_character",
            "contains '*', which a rule would read as a wildcard".into(),
        ));
    }
    if text.contains(['(', ')']) {
        return Some((
            "parenthesis",
            "contains a parenthesis, which the rule grammar uses".into(),
        ));
    }
    None
}

/// Volatile tokens. Boundaries are ASCII: the tokens are, and a Unicode `\b` sends the
/// regex engine to its slowest matcher on text with any non-ASCII character.
static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?-u:\b)")
        .expect("valid regex")
});
static HEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)[0-9a-f]{12,}(?-u:\b)").expect("valid regex"));
static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:\d{4}-\d{2}-\d{2}(?:[T _]\d{2}[:\-]?\d{2})?|\d{8}[T_-]?\d{6}|1[5-9]\d{8}(?:\d{3})?)(?-u:\b)")
        .expect("valid regex")
});

/// Temp-folder markers: a path under one of these will not exist next time.
pub const TEMP_PATHS: &[&str] = &[
    "/tmp/",
    "/private/tmp/",
    "/var/tmp/",
    "/var/folders/",
    "/private/var/folders/",
    "$TMPDIR",
    "${TMPDIR",
    "/dev/shm/",
];

/// Why `text` holds a value that will never recur (so a rule holding it never matches
/// again), if it does: a temp path (not followed by a wildcard), a UUID, a hex hash of 12+
/// characters, a timestamp, or a PID after `kill` and friends.
pub fn volatile_value(text: &str) -> Option<&'static str> {
    for t in TEMP_PATHS {
        let mut rest = text;
        while let Some(i) = rest.find(t) {
            let after = &rest[i + t.len()..];
            if !after.starts_with('*') && !after.is_empty() {
                return Some("a temporary path");
            }
            rest = after;
        }
    }
    if UUID.is_match(text) {
        return Some("a UUID");
    }
    if HEX
        .find_iter(text)
        .any(|m| m.as_str().chars().any(|c| c.is_ascii_digit()))
    {
        return Some("a long hex hash");
    }
    if TIMESTAMP.is_match(text) {
        return Some("a timestamp");
    }
    let words: Vec<String> = split_words(text).iter().map(|w| unquote(w)).collect();
    if let Some(first) = words.first() {
        let name = command_forms(first)[0];
        if PID_COMMANDS.contains(&name)
            && words[1..]
                .iter()
                .any(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_digit()))
        {
            return Some("a process id");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::test_words as w;
    use super::*;

    #[test]
    fn volatile_values() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<&str>)] = &[
            ("cat /tmp/tmp.X1/out.txt", Some("a temporary path")),
            ("rm -rf /tmp/*", None),
            ("ls $TMPDIR/x", Some("a temporary path")),
            ("ls /var/folders/ab/x", Some("a temporary path")),
            ("kill 12345", Some("a process id")),
            ("kill -9 4242", Some("a process id")),
            ("kill -l", None),
            ("git show 3f1ef7c0a9b2d", Some("a long hex hash")),
            ("git show 3f1ef7c", None),
            ("cat 123e4567-e89b-12d3-a456-426614174000.json", Some("a UUID")),
            ("ls logs/2024-01-15T10:30", Some("a timestamp")),
            ("grep x app-20240115-103000.log", Some("a timestamp")),
            ("echo 1700000000", Some("a timestamp")),
            ("pip list --outdated", None),
            ("go list -m all", None),
            ("helm list -A", None),
        ];
        for (text, want) in cases {
            assert_eq!(volatile_value(text), *want, "{text}");
        }
    }

    /// Every git global option that changes the configuration is a risky flag.
    #[test]
    fn configuring_git_options_are_risky_flags() {
        use crate::facts::git::{GIT_GLOBAL_OPTIONS, GitEffect};
        for o in GIT_GLOBAL_OPTIONS {
            if o.effect == GitEffect::Configures {
                let words = w(&format!("git {} a=b log", o.name));
                assert!(risky_flag(&words).is_some(), "{}", o.name);
            }
        }
    }

    #[test]
    fn risky_flags() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<&str>)] = &[
            ("git -c core.pager=x log", Some("-c key=value")),
            ("git -ccore.pager=x log", Some("-c key=value")),
            ("wc -c file", None),
            ("git --exec-path=/x log", Some("--exec-path")),
            ("git fetch --upload-pack=x", Some("--upload-pack")),
            ("git log --output=x", Some("--output")),
            ("pip list --python ./evil", Some("--python")),
            ("pip list --outdated", None),
        ];
        for (text, want) in cases {
            assert_eq!(risky_flag(&w(text)).as_deref(), *want, "{text}");
        }
    }
}
