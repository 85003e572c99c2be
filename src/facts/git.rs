//! git's global options: the ones that may come before the subcommand (`git -C dir log`).
//!
//! Three readers skip them to find the subcommand, each for its own question:
//! - Bash rule matching (`permissions::bash_rule`): `git -C /p log` matches `Bash(git log *)`,
//!   except that an allow rule must match a configuring option as written;
//! - Claude Code's built-in read-only check (`permissions::readonly`): accepts only the
//!   options marked [`GitGlobalOption::readonly_check`];
//! - the command keys (`analysis::keys`): skip the values of the options marked
//!   [`GitGlobalOption::keyed`].

/// How a global option takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitValue {
    /// No value (`--no-pager`).
    None,
    /// A value in the next word (`-C dir`); a long option also as `--git-dir=dir`.
    Separate,
    /// An optional value glued on with `=` (`--exec-path`, `--exec-path=dir`); any word
    /// starting with the name is this option.
    Glued,
}

/// What a global option can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitEffect {
    /// Chooses the repository or how paths are read: harmless.
    Harmless,
    /// Forces output through the pager, a program the configuration names.
    ForcesPager,
    /// Changes the configuration or the helper programs git runs: can run any program.
    Configures,
}

/// One global option.
#[derive(Debug, Clone, Copy)]
pub struct GitGlobalOption {
    /// As written: `-C`, `--git-dir`.
    pub name: &'static str,
    /// How it takes a value.
    pub value: GitValue,
    /// What it can do.
    pub effect: GitEffect,
    /// Claude Code's read-only check accepts it before a read-only subcommand. Configuring
    /// options and a forced pager make the check fail, and so does `--super-prefix` (not on
    /// the list as mirrored).
    pub readonly_check: bool,
    /// The command keys skip its value. Only the options they have always known: they do
    /// not skip the values of `--super-prefix` and `--attr-source`, and skipping them would
    /// change the keys of lines that use them.
    pub keyed: bool,
}

use GitEffect::{Configures, ForcesPager, Harmless};
use GitValue::{Glued, Separate};

/// git's global options.
#[rustfmt::skip]
pub const GIT_GLOBAL_OPTIONS: &[GitGlobalOption] = &[
    GitGlobalOption { name: "-C", value: Separate, effect: Harmless, readonly_check: true, keyed: true },
    GitGlobalOption { name: "--git-dir", value: Separate, effect: Harmless, readonly_check: true, keyed: true },
    GitGlobalOption { name: "--work-tree", value: Separate, effect: Harmless, readonly_check: true, keyed: true },
    GitGlobalOption { name: "--namespace", value: Separate, effect: Harmless, readonly_check: true, keyed: true },
    GitGlobalOption { name: "--super-prefix", value: Separate, effect: Harmless, readonly_check: false, keyed: false },
    GitGlobalOption { name: "--attr-source", value: Separate, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "-c", value: Separate, effect: Configures, readonly_check: false, keyed: true },
    GitGlobalOption { name: "--config-env", value: Separate, effect: Configures, readonly_check: false, keyed: true },
    GitGlobalOption { name: "--exec-path", value: Glued, effect: Configures, readonly_check: false, keyed: false },
    GitGlobalOption { name: "-p", value: GitValue::None, effect: ForcesPager, readonly_check: false, keyed: false },
    GitGlobalOption { name: "--paginate", value: GitValue::None, effect: ForcesPager, readonly_check: false, keyed: false },
    GitGlobalOption { name: "--no-pager", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "-P", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "--bare", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "--no-replace-objects", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "--literal-pathspecs", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "--glob-pathspecs", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "--noglob-pathspecs", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "--icase-pathspecs", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "--no-optional-locks", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "--no-lazy-fetch", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
    GitGlobalOption { name: "--no-advice", value: GitValue::None, effect: Harmless, readonly_check: true, keyed: false },
];

/// The global option `word` is, and how many words it takes there (`-C dir`: 2,
/// `--git-dir=dir`: 1, `--exec-path=dir`: 1); `None` when `word` is not a global option.
pub fn git_global_option(word: &str) -> Option<(&'static GitGlobalOption, usize)> {
    GIT_GLOBAL_OPTIONS.iter().find_map(|o| {
        let width = match o.value {
            _ if word == o.name => match o.value {
                GitValue::Separate => 2,
                GitValue::None | Glued => 1,
            },
            Separate => {
                let glued = o.name.starts_with("--")
                    && word
                        .strip_prefix(o.name)
                        .is_some_and(|rest| rest.starts_with('='));
                if !glued {
                    return None;
                }
                1
            }
            Glued if word.starts_with(o.name) => 1,
            _ => return None,
        };
        Some((o, width))
    })
}

/// The number of elements of [`GIT_GLOBAL_OPTIONS`] the command keys skip a value for.
const KEYED_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < GIT_GLOBAL_OPTIONS.len() {
        if GIT_GLOBAL_OPTIONS[i].keyed {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The options whose value the command keys skip ([`GitGlobalOption::keyed`]), as a list for
/// the command-shape table.
pub const GIT_KEYED_VALUE_OPTIONS: [&str; KEYED_COUNT] = {
    let mut out = [""; KEYED_COUNT];
    let mut n = 0;
    let mut i = 0;
    while i < GIT_GLOBAL_OPTIONS.len() {
        if GIT_GLOBAL_OPTIONS[i].keyed {
            out[n] = GIT_GLOBAL_OPTIONS[i].name;
            n += 1;
        }
        i += 1;
    }
    out
};
