//! Environment variables a command may be prefixed with (`LANG=C sort x`), for the two
//! questions that ask about them.
//!
//! The questions deliberately differ:
//! - **Matching allow rules and the built-in read-only check** ([`SAFE_ENV_VARS`]): may an
//!   allow rule (or Claude Code's read-only list) look past `NAME=value`? This crate keeps
//!   a conservative list of its own, since Claude Code names only four variables. The
//!   suggester asks the same question (a rule it proposes must match the way the replay
//!   matches), so it reads the same list.
//! - **`acceptEdits` file commands** ([`DOCUMENTED_SAFE_ENV`]): the four variables Claude
//!   Code documents by name; `acceptEdits` covers `mkdir`, `rm`, ... past these only.
//!
//! A test checks that every documented variable is also on the wider list.

/// Environment variables whose leading assignment an allow rule may skip
/// (`NODE_ENV=test npm test` matches `Bash(npm test *)`). Entries ending in `*` are name
/// prefixes. Kept to variables that cannot change which program runs or make it load code:
/// `PATH`, `LD_PRELOAD`, `LD_LIBRARY_PATH`, `PYTHONPATH`, `NODE_OPTIONS`, `GIT_*`, `BASH_ENV`,
/// `ENV`, `PAGER`, `EDITOR` and the like are deliberately absent. Claude Code documents only
/// [`DOCUMENTED_SAFE_ENV`] by name; the rest is this crate's conservative choice. The same
/// table is used for the built-in read-only check and by the suggester.
pub const SAFE_ENV_VARS: &[&str] = &[
    "LANG",
    "LANGUAGE",
    "LC_*",
    "TZ",
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLORTERM",
    "TERM",
    "COLUMNS",
    "LINES",
    "CI",
    "NODE_ENV",
    "RUST_BACKTRACE",
    "RUST_LOG",
    "CARGO_TERM_COLOR",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONIOENCODING",
    "PYTHONHASHSEED",
];

/// Is `name` in [`SAFE_ENV_VARS`]?
pub fn is_safe_env_var(name: &str) -> bool {
    SAFE_ENV_VARS
        .iter()
        .any(|entry| match entry.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix) && name.len() > prefix.len(),
            None => *entry == name,
        })
}

/// Environment variables Claude Code documents as safe to prefix a command with; the full
/// list is not published. `acceptEdits` file commands are covered past these only.
pub const DOCUMENTED_SAFE_ENV: &[&str] = &["LANG", "TZ", "NO_COLOR", "NODE_ENV"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_env_table() {
        #[rustfmt::skip]
        let cases: &[(&str, bool)] = &[
            ("LANG", true),
            ("LC_ALL", true),
            ("LC_CTYPE", true),
            ("LC_", false),
            ("TZ", true),
            ("NO_COLOR", true),
            ("NODE_ENV", true),
            ("PATH", false),
            ("LD_PRELOAD", false),
            ("LD_LIBRARY_PATH", false),
            ("PYTHONPATH", false),
            ("NODE_OPTIONS", false),
            ("GIT_PAGER", false),
            ("GIT_SSH_COMMAND", false),
            ("BASH_ENV", false),
            ("ENV", false),
            ("PAGER", false),
            ("EDITOR", false),
            ("lang", false),
        ];
        for (name, safe) in cases {
            assert_eq!(is_safe_env_var(name), *safe, "{name}");
        }
    }
}
