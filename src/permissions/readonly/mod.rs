//! Claude Code's own built-in list of Bash commands that never prompt.
//!
//! This is a copy of the list Claude Code itself applies (its read-only command validation),
//! not a general verdict on which commands are safe: `kubectl get pods` is harmless but not
//! on the list, so Claude Code prompts for it, and this table says `None` for it too. The
//! copy mirrors Claude Code [`MIRRORS_CLAUDE_CODE`], taken from the list the bundled
//! `/fewer-permission-prompts` skill gives the model, the permissions documentation and the
//! CHANGELOG. The list changes between Claude Code versions (commands are added, flag
//! validators tightened), so it is versioned and must be reviewed on upgrades. Claude Code
//! validates flags with per-command allowlists that are not published; the validators here
//! block the flags known to write files or run programs and are written to fail closed.
//!
//! The table is data (`table.rs`): one [`Entry`] per command in [`READONLY_COMMANDS`], each
//! with a [`Kind`] that says which arguments it accepts. The validators it names are in
//! `validators.rs` (general commands), `sed.rs` and `subcommands.rs` (git, gh, docker), on
//! the argument parser of `args.rs`. Rules that apply to every entry:
//! - opaque parts and parts with an output redirection to anything but `/dev/null` are never
//!   read-only, nor are parts with a leading assignment of a variable outside
//!   [`SAFE_ENV_VARS`](crate::facts::env::SAFE_ENV_VARS);
//! - unquoted glob characters (`*`, `?`, `[`, brace expansion) and parameter expansions in the
//!   arguments are only tolerated for [`Kind::AnyArgs`] commands, whose every flag is
//!   read-only; for the others (`find`, `sort`, `sed`, `git`, ...) an expansion could turn into
//!   a dangerous flag, so they prompt.
//!
//! [`compound_readonly_exception`] covers the cases where every part is read-only but Claude
//! Code still prompts for the whole line.

mod args;
mod sed;
mod subcommands;
mod table;
mod validators;

#[cfg(test)]
mod tests;

pub use sed::sed_script_ok;
pub use table::{DOCKER, GH, GIT, READONLY_COMMANDS};

use crate::facts::env::is_safe_env_var;
use crate::permissions::shell::{ShellAnalysis, SimpleCommand, scan_word, split_words};
use args::rejected_option;

/// The Claude Code version whose built-in read-only list the table mirrors.
pub const MIRRORS_CLAUDE_CODE: &str = "2.1.240";

/// Label returned for a part that is only assignments of known-safe variables (`LANG=C`).
pub const SAFE_ASSIGNMENT: &str = "safe environment assignment";

/// Validates the arguments after a command name (or after a subcommand path).
pub type ArgCheck = fn(&[String]) -> bool;

/// Which arguments a read-only command accepts.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Any arguments, unquoted globs included: every flag of the command is read-only.
    AnyArgs,
    /// Only the bare command (`pwd`, `whoami`, `alias`).
    NoArgs,
    /// Exactly this command line, words joined by one space (`node --version`).
    Exact(&'static str),
    /// Arguments accepted by a validator that blocks writing or executing flags.
    Flags(ArgCheck),
    /// Only some subcommands (`git log`, `gh pr view`, `docker ps`).
    Subcommands(&'static SubcommandSet),
}

/// One command of the built-in read-only list.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The command name (`argv[0]`).
    pub command: &'static str,
    /// Which arguments it accepts.
    pub kind: Kind,
}

/// The read-only subcommands of a multi-command tool.
#[derive(Debug)]
pub struct SubcommandSet {
    /// Skips the options allowed before the subcommand; returns the subcommand's index in the
    /// arguments, or `None` when an option there is not allowed.
    pub globals: fn(&[String]) -> Option<usize>,
    /// Options rejected anywhere on the line (`--opt`, `--opt=value`, GNU-style unambiguous
    /// abbreviations of long options, and short options with attached values).
    pub reject_anywhere: &'static [&'static str],
    /// The read-only subcommands.
    pub subs: &'static [Sub],
}

/// One read-only subcommand.
#[derive(Debug)]
pub struct Sub {
    /// What [`builtin_readonly`] returns for it, e.g. "git log".
    pub label: &'static str,
    /// The subcommand words after the global options, e.g. `["stash", "list"]`.
    pub path: &'static [&'static str],
    /// Validates the arguments after the path.
    pub check: ArgCheck,
}

/// If Claude Code itself runs this simple command without asking (its built-in read-only
/// set, with its flag validators), the table entry that allows it (e.g. "git log", "ls");
/// None otherwise. Opaque parts and parts with a non-/dev/null output redirect are never
/// read-only.
pub fn builtin_readonly(part: &SimpleCommand) -> Option<&'static str> {
    if part.opaque.is_some() {
        return None;
    }
    if part.redirects.iter().any(|r| r.target != "/dev/null") {
        return None;
    }
    if !part.env.iter().all(|(name, _)| is_safe_env_var(name)) {
        return None;
    }
    if part.argv.is_empty() {
        return (!part.env.is_empty()).then_some(SAFE_ASSIGNMENT);
    }
    // The table first: most commands are not on it, and the checks below re-read the text.
    let label = readonly_argv(&part.argv)?;
    let words = split_words(&part.text);
    if words.len() != part.argv.len() {
        return None;
    }
    let expands = words[1..].iter().any(|w| {
        let scan = scan_word(w);
        scan.has_glob || scan.has_expansion || scan.has_substitution
    });
    if expands && !takes_any_args(&part.argv[0]) {
        return None;
    }
    Some(label)
}

/// Is `command` a [`Kind::AnyArgs`] entry?
fn takes_any_args(command: &str) -> bool {
    READONLY_COMMANDS
        .iter()
        .any(|e| e.command == command && matches!(e.kind, Kind::AnyArgs))
}

/// The table lookup alone, on an argv whose words are already unquoted: the entry label if
/// the command and its arguments are on the built-in list. Does not check env assignments,
/// redirections, opacity or globs; [`builtin_readonly`] does.
pub fn readonly_argv(argv: &[String]) -> Option<&'static str> {
    let name = argv.first()?;
    let args = &argv[1..];
    for entry in READONLY_COMMANDS.iter().filter(|e| e.command == name) {
        let found = match entry.kind {
            Kind::AnyArgs => Some(entry.command),
            Kind::NoArgs => args.is_empty().then_some(entry.command),
            Kind::Exact(line) => (argv.join(" ") == line).then_some(line),
            Kind::Flags(check) => check(args).then_some(entry.command),
            Kind::Subcommands(set) => subcommand_label(set, args),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn subcommand_label(set: &SubcommandSet, args: &[String]) -> Option<&'static str> {
    if args
        .iter()
        .any(|a| set.reject_anywhere.iter().any(|r| rejected_option(a, r)))
    {
        return None;
    }
    let rest = &args[(set.globals)(args)?..];
    let sub = set
        .subs
        .iter()
        .find(|s| rest.len() >= s.path.len() && rest.iter().zip(s.path).all(|(a, p)| a == p))?;
    (sub.check)(&rest[sub.path.len()..]).then_some(sub.label)
}

/// For a command whose parts are each read-only, a reason the whole still prompts in
/// Claude Code (`cd <other dir>` combined with `git`; `cd` combined with an output redirect
/// whose target depends on the new folder, `/dev/null` excepted), else None.
///
/// A `cd .` (or `cd ./`) is a no-op and triggers neither case. Any `git` part counts,
/// before or after the `cd`, and any redirect target other than `/dev/null` counts, even an
/// absolute one (the conservative reading).
pub fn compound_readonly_exception(analysis: &ShellAnalysis) -> Option<&'static str> {
    let changes_dir = |p: &SimpleCommand| {
        p.argv.first().is_some_and(|c| c == "cd")
            && !matches!(&p.argv[1..], [d] if d == "." || d == "./")
    };
    if !analysis.parts.iter().any(changes_dir) {
        return None;
    }
    if analysis
        .parts
        .iter()
        .any(|p| p.argv.first().is_some_and(|c| c == "git"))
    {
        return Some(
            "cd into another folder combined with git: that folder's git hooks or config could run",
        );
    }
    if analysis
        .parts
        .iter()
        .any(|p| p.redirects.iter().any(|r| r.target != "/dev/null"))
    {
        return Some(
            "cd combined with an output redirection: the target depends on the new folder",
        );
    }
    None
}
