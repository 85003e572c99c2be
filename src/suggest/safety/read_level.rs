//! The per-invocation read-only check, delegated to the `safe-chains` crate: only `Inert`
//! and `SafeRead` count as read-only.

use serde::Serialize;

/// The per-invocation read-only level `safe-chains` gives one simple command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadLevel {
    /// Touches nothing (`Inert`).
    Inert,
    /// Reads files (`SafeRead`).
    SafeRead,
    /// Writes inside the project (`SafeWrite`): not read-only.
    SafeWrite,
    /// Not vouched for (`Denied`), or the check failed.
    Denied,
}

impl ReadLevel {
    /// True for `Inert` and `SafeRead`.
    pub fn read_only(self) -> bool {
        matches!(self, ReadLevel::Inert | ReadLevel::SafeRead)
    }

    /// `inert`, `safe-read`, `safe-write` or `denied`.
    pub fn name(self) -> &'static str {
        match self {
            ReadLevel::Inert => "inert",
            ReadLevel::SafeRead => "safe-read",
            ReadLevel::SafeWrite => "safe-write",
            ReadLevel::Denied => "denied",
        }
    }
}

/// `safe_chains::command_verdict` on one simple command's text; a panic inside it counts as
/// `Denied`. Note: safe-chains also honours the user's own `~/.config/safe-chains.toml`,
/// and a project's `.safe-chains.toml` that file pins (docs/suggest.md).
pub fn invocation_level(text: &str) -> ReadLevel {
    use safe_chains::{SafetyLevel, Verdict};
    let owned = text.to_string();
    let verdict = std::panic::catch_unwind(move || safe_chains::command_verdict(&owned));
    match verdict {
        Ok(Verdict::Allowed(SafetyLevel::Inert)) => ReadLevel::Inert,
        Ok(Verdict::Allowed(SafetyLevel::SafeRead)) => ReadLevel::SafeRead,
        Ok(Verdict::Allowed(SafetyLevel::SafeWrite)) => ReadLevel::SafeWrite,
        Ok(Verdict::Denied) | Err(_) => ReadLevel::Denied,
    }
}

/// The command [`warm_up`] asks about: a pipeline of two known commands with a file
/// operand. An unknown name would build the command tables only, and leave 2-3 ms of other
/// tables, built on a first real verdict, to the suggester's serial end (docs/speed-log.md).
/// It touches no file (safe-chains reads only its own settings files).
const WARM_UP: &str = "cat notes.txt | head -5";

/// Builds `safe-chains`' command tables on a thread of rayon's pool. The crate parses its
/// built-in command definitions (over a thousand TOML files) on first use, which costs a
/// fixed 0.07 to 0.1 s of one core (by the machine) and 26 MB whatever the history's size
/// (README, "Speed": the fixed-cost table); a command that will ask for read levels calls
/// this before other work (`report`: the reading; `suggest`: the replay after it), so that
/// the tables are built meanwhile.
/// Changes no answer: the first real call waits for the tables if they are not ready yet.
pub fn warm_up() {
    // On a pool thread rather than a thread of its own: the allocator then builds the
    // tables in pages the reading freed on that thread, where a new thread takes fresh
    // ones (`suggest` on the 1 GB corpora peaked 6-7 MB lower; see docs/speed-log.md).
    rayon::spawn(|| {
        let _ = invocation_level(WARM_UP);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_chains_levels() {
        #[rustfmt::skip]
        let cases: &[(&str, bool)] = &[
            ("pip list --outdated", true),
            ("npm view react", true),
            ("rm -rf build", false),
            ("sed -i s/a/b/ f", false),
            ("find . -delete", false),
            ("git push --force", false),
            ("python -c 'print(1)'", false),
        ];
        for (text, want) in cases {
            assert_eq!(invocation_level(text).read_only(), *want, "{text}");
        }
    }

    #[test]
    fn the_warm_up_asks_about_commands_safe_chains_knows() {
        // An unknown command would be Denied, and build only the command tables.
        assert_eq!(invocation_level(WARM_UP), ReadLevel::SafeRead);
    }
}
