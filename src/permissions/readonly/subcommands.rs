//! The validators of the multi-command tools: the global options allowed before a
//! read-only `git`, `gh` or `docker` subcommand, and the arguments of the subcommands that
//! need more than a name (`git branch` listing forms, `git config` reading, `gh api` GETs).

use super::args::{Arg, parse_args};
use crate::facts::git::git_global_option;

/// Skips `git` options allowed before a read-only subcommand (`-C`, `--git-dir`,
/// `--no-pager`, ...: those of [`GIT_GLOBAL_OPTIONS`](crate::facts::git::GIT_GLOBAL_OPTIONS)
/// marked `readonly_check`).
/// Configuration overrides (`-c`, `--config-env`, `--exec-path`) and a forced pager
/// (`-p`/`--paginate`) are refused: they can run programs.
pub(super) fn git_globals(args: &[String]) -> Option<usize> {
    let mut i = 0;
    loop {
        let a = args.get(i)?;
        if !a.starts_with('-') {
            return Some(i);
        }
        let (option, width) = git_global_option(a)?;
        if !option.readonly_check {
            return None;
        }
        if width == 2 {
            args.get(i + 1)?;
        }
        i += width;
    }
}

/// `git branch` listing forms only: no branch name to create (unless `--list` makes the
/// names patterns) and no delete, move, copy, force or upstream options.
pub(super) fn git_branch_ok(args: &[String]) -> bool {
    let mut listing = false;
    let mut positional = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "--" => {
                positional |= i < args.len();
                break;
            }
            "--list" => listing = true,
            "--all" | "--remotes" | "--verbose" | "--show-current" | "--no-color" | "--color"
            | "--no-column" | "--column" | "--ignore-case" | "--no-abbrev" | "--quiet"
            | "--omit-empty" => {}
            "--contains" | "--no-contains" | "--merged" | "--no-merged" => {
                if args.get(i).is_some_and(|v| !v.starts_with('-')) {
                    i += 1;
                }
            }
            "--points-at" | "--format" | "--sort" => i += 1,
            _ if [
                "--format=",
                "--sort=",
                "--contains=",
                "--no-contains=",
                "--merged=",
                "--no-merged=",
                "--points-at=",
                "--color=",
                "--column=",
                "--abbrev=",
            ]
            .iter()
            .any(|p| a.starts_with(p)) => {}
            _ if a.starts_with("--") => return false,
            _ if a.starts_with('-') && a.len() > 1 => {
                if !a[1..].chars().all(|c| "arvlqi".contains(c)) {
                    return false;
                }
                listing |= a.contains('l');
            }
            _ => positional = true,
        }
    }
    !positional || listing
}

/// `git tag` listing forms only: bare, `-l`/`--list` (names are then patterns), `-n`.
pub(super) fn git_tag_ok(args: &[String]) -> bool {
    let mut listing = false;
    let mut positional = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "--" => {
                positional |= i < args.len();
                break;
            }
            "-l" | "--list" => listing = true,
            "-i" | "--ignore-case" | "--no-column" | "--column" | "--color" | "--omit-empty" => {}
            "--contains" | "--no-contains" | "--merged" | "--no-merged" => {
                if args.get(i).is_some_and(|v| !v.starts_with('-')) {
                    i += 1;
                }
            }
            "--points-at" | "--format" | "--sort" => i += 1,
            _ if a.starts_with("-n") && a[2..].chars().all(|c| c.is_ascii_digit()) => {
                listing = true
            }
            _ if [
                "--format=",
                "--sort=",
                "--contains=",
                "--no-contains=",
                "--merged=",
                "--no-merged=",
                "--points-at=",
                "--color=",
                "--column=",
            ]
            .iter()
            .any(|p| a.starts_with(p)) => {}
            _ if a.starts_with('-') && a.len() > 1 => return false,
            _ => positional = true,
        }
    }
    !positional || listing
}

/// `git remote` listing: bare, `-v`, `show [-n] [name...]`, `get-url [--push|--all] name`.
pub(super) fn git_remote_ok(args: &[String]) -> bool {
    let mut i = 0;
    while args.get(i).is_some_and(|a| a == "-v" || a == "--verbose") {
        i += 1;
    }
    let rest = args.get(i + 1..).unwrap_or(&[]);
    match args.get(i).map(String::as_str) {
        None => true,
        Some("show") => rest.iter().all(|a| !a.starts_with('-') || a == "-n"),
        Some("get-url") => {
            rest.iter()
                .all(|a| !a.starts_with('-') || a == "--push" || a == "--all")
                && rest.iter().filter(|a| !a.starts_with('-')).count() <= 1
        }
        Some(_) => false,
    }
}

/// `git ls-remote` without an `ext::` transport (which runs a command).
pub(super) fn git_ls_remote_ok(args: &[String]) -> bool {
    !args.iter().any(|a| a.starts_with("ext::"))
}

/// `git reflog` without `expire`, `delete` or `drop`.
pub(super) fn git_reflog_ok(args: &[String]) -> bool {
    !matches!(
        args.iter()
            .find(|a| !a.starts_with('-'))
            .map(String::as_str),
        Some("expire" | "delete" | "drop")
    )
}

/// `git config` reading only: `--get`, `--get-all`, `--get-regexp`, `--list`/`-l` (and the
/// newer `git config get`/`git config list`), with scope and format options.
pub(super) fn git_config_ok(args: &[String]) -> bool {
    const ACTIONS: &[&str] = &[
        "--get",
        "--get-all",
        "--get-regexp",
        "--get-urlmatch",
        "--get-color",
        "--get-colorbool",
        "--list",
        "-l",
    ];
    const MODIFIERS: &[&str] = &[
        "--global",
        "--system",
        "--local",
        "--worktree",
        "--show-origin",
        "--show-scope",
        "--null",
        "-z",
        "--name-only",
        "--bool",
        "--int",
        "--bool-or-int",
        "--path",
        "--expiry-date",
        "--includes",
        "--no-includes",
        "--fixed-value",
        "--all",
        "--regexp",
    ];
    const WITH_VALUE: &[&str] = &[
        "--file",
        "-f",
        "--blob",
        "--type",
        "--default",
        "--url",
        "--value",
    ];
    let (mut has_action, rest) = match args.first().map(String::as_str) {
        Some("get" | "list") => (true, &args[1..]),
        _ => (false, args),
    };
    let mut i = 0;
    while let Some(a) = rest.get(i) {
        i += 1;
        if !a.starts_with('-') {
            continue;
        }
        let name = a.split('=').next().unwrap_or(a);
        if ACTIONS.contains(&name) {
            has_action = true;
        } else if WITH_VALUE.contains(&name) {
            if !a.contains('=') {
                i += 1;
            }
        } else if !MODIFIERS.contains(&name) {
            return false;
        }
    }
    has_action
}

/// `git grep` without `-O`/`--open-files-in-pager` (runs a pager program).
pub(super) fn git_grep_ok(args: &[String]) -> bool {
    !args
        .iter()
        .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('O'))
}

/// `gh` takes its subcommand first.
pub(super) fn gh_globals(args: &[String]) -> Option<usize> {
    (!args.first()?.starts_with('-')).then_some(0)
}

/// `gh auth status` without `-t`/`--show-token` (would print the token).
pub(super) fn gh_auth_status_ok(args: &[String]) -> bool {
    !args.iter().any(|a| {
        a == "--show-token" || (a.starts_with('-') && !a.starts_with("--") && a.contains('t'))
    })
}

/// `gh api` as a plain GET: no `-X`/`--method` other than GET, no fields or input body
/// (`-f`, `-F`, `--field`, `--raw-field`, `--input`), no method-override header.
pub(super) fn gh_api_ok(args: &[String]) -> bool {
    let method_ok = |v: Option<&str>| v.is_some_and(|m| m.eq_ignore_ascii_case("GET"));
    let header_ok =
        |v: Option<&str>| v.is_some_and(|h| !h.to_ascii_lowercase().contains("override"));
    parse_args(
        args,
        "XfFHpqt",
        "",
        &[
            "method",
            "field",
            "raw-field",
            "input",
            "header",
            "hostname",
            "jq",
            "template",
            "cache",
            "preview",
        ],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('X', v) | Arg::Long("method", v) => method_ok(*v),
        Arg::Short('f' | 'F', _) | Arg::Long("field" | "raw-field" | "input", _) => false,
        Arg::Short('H', v) | Arg::Long("header", v) => header_ok(*v),
        _ => true,
    })
}

/// Skips the `docker` options allowed before a read-only subcommand (`-D`, `--debug`,
/// `-l`/`--log-level`); anything else there (`-H`, `--context`, `--config`, ...) refuses.
pub(super) fn docker_globals(args: &[String]) -> Option<usize> {
    let mut i = 0;
    loop {
        let a = args.get(i)?;
        if !a.starts_with('-') {
            return Some(i);
        }
        match a.as_str() {
            "-D" | "--debug" => i += 1,
            "-l" | "--log-level" => i += 2,
            _ if a.starts_with("--log-level=") => i += 1,
            _ => return None,
        }
    }
}
