//! The flag validators of the general commands (`find`, `sort`, `rg`, `xargs`, `jq`, ...):
//! each accepts the arguments of one command when none of them writes a file or runs a
//! program, and fails closed on anything it does not know.

use super::args::{Arg, long_is, parse_args};
use super::readonly_argv;

/// Every argument is fine.
pub(super) fn accept(_: &[String]) -> bool {
    true
}

/// No argument at all.
pub(super) fn no_arguments(args: &[String]) -> bool {
    args.is_empty()
}

/// `find` without actions that delete, execute or write files.
pub(super) fn find_ok(args: &[String]) -> bool {
    const BLOCKED: &[&str] = &[
        "-delete",
        "-exec",
        "-execdir",
        "-ok",
        "-okdir",
        "-fls",
        "-files0-from",
    ];
    !args
        .iter()
        .any(|a| BLOCKED.contains(&a.as_str()) || a.starts_with("-fprint"))
}

/// `sort` without `-o`/`--output` or `--compress-program`.
pub(super) fn sort_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "ktSTo",
        "",
        &[
            "key",
            "field-separator",
            "buffer-size",
            "temporary-directory",
            "output",
            "compress-program",
            "random-source",
            "files0-from",
            "parallel",
            "batch-size",
        ],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('o', _) => false,
        Arg::Long(name, _) => !long_is(name, "output") && !long_is(name, "compress-program"),
        _ => true,
    })
}

/// `rg` without `--pre`, `--hostname-bin` or `-z`/`--search-zip` (they run programs).
pub(super) fn rg_ok(args: &[String]) -> bool {
    parse_args(args, "ABCdEefgjMmrTt", "", &["pre", "hostname-bin"])
        .iter()
        .all(|a| match a {
            Arg::Short('z', _) => false,
            Arg::Long(name, _) => !matches!(*name, "pre" | "hostname-bin" | "search-zip"),
            _ => true,
        })
}

/// `printf` with no option (`-v` assigns a variable).
pub(super) fn printf_ok(args: &[String]) -> bool {
    args.first().is_none_or(|a| !a.starts_with('-'))
}

/// `test` without `-v`, `-R`, `-a` or `-o`.
pub(super) fn test_ok(args: &[String]) -> bool {
    !args
        .iter()
        .any(|a| matches!(a.as_str(), "-v" | "-R" | "-a" | "-o"))
}

/// `xargs` with known options, running a command that is itself read-only (or `echo` by
/// default).
pub(super) fn xargs_ok(args: &[String]) -> bool {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        if let Some(long) = a.strip_prefix("--") {
            let (name, has_value) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            match name {
                "null" | "no-run-if-empty" | "verbose" | "interactive" | "exit" | "open-tty"
                | "show-limits" | "replace" | "eof" | "max-lines" => {}
                "max-args" | "max-procs" | "max-chars" | "delimiter" | "arg-file"
                | "process-slot-var" => {
                    if !has_value {
                        i += 1;
                    }
                }
                _ => return false,
            }
            continue;
        }
        let cluster = &a[1..];
        for (pos, c) in cluster.char_indices() {
            let attached = pos + c.len_utf8() < cluster.len();
            match c {
                '0' | 'r' | 't' | 'p' | 'x' | 'o' => {}
                'n' | 'L' | 'P' | 's' | 'd' | 'E' | 'I' | 'a' => {
                    if !attached {
                        i += 1;
                    }
                    break;
                }
                'i' | 'l' | 'e' => break,
                _ => return false,
            }
        }
    }
    let inner = args.get(i..).unwrap_or(&[]);
    inner.is_empty() || readonly_argv(inner).is_some()
}

/// `file` without `-m`/`--magic-file`, `-f`/`--files-from` or `-C`/`--compile`.
pub(super) fn file_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "eFfmP",
        "",
        &[
            "exclude",
            "exclude-quiet",
            "separator",
            "files-from",
            "magic-file",
            "parameter",
        ],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('m' | 'f' | 'C', _) => false,
        Arg::Long(name, _) => {
            !long_is(name, "magic-file")
                && !long_is(name, "files-from")
                && !long_is(name, "compile")
        }
        _ => true,
    })
}

/// `base64` without `-o`/`--output`.
pub(super) fn base64_ok(args: &[String]) -> bool {
    parse_args(args, "wbio", "", &["wrap", "input", "output"])
        .iter()
        .all(|a| match a {
            Arg::Short('o', _) => false,
            Arg::Long(name, _) => !long_is(name, "output"),
            _ => true,
        })
}

/// `jq` without options that read a filter or data from other files (`-f`/`--from-file`,
/// `--rawfile`, `--slurpfile`, `-L`/`--library-path`).
pub(super) fn jq_ok(args: &[String]) -> bool {
    parse_args(args, "fL", "", &["from-file", "library-path", "indent"])
        .iter()
        .all(|a| match a {
            Arg::Short('f' | 'L', _) => false,
            Arg::Long(name, _) => !matches!(
                *name,
                "from-file" | "rawfile" | "slurpfile" | "library-path"
            ),
            _ => true,
        })
}

/// `uniq` with at most one file (a second one is the output file).
pub(super) fn uniq_ok(args: &[String]) -> bool {
    let parsed = parse_args(
        args,
        "fsw",
        "",
        &["skip-fields", "skip-chars", "check-chars"],
    );
    let files = parsed
        .iter()
        .filter(|a| match a {
            Arg::Pos(p) => {
                !(p.starts_with('+') && p.len() > 1 && p[1..].chars().all(|c| c.is_ascii_digit()))
            }
            _ => false,
        })
        .count();
    files <= 1
}

/// `tree` without `-o FILE` (and without `-R`, which writes HTML files together with `-H`).
pub(super) fn tree_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "LPIHTo",
        "",
        &[
            "charset",
            "filelimit",
            "timefmt",
            "sort",
            "hintro",
            "houtro",
        ],
    )
    .iter()
    .all(|a| !matches!(a, Arg::Short('o' | 'R', _) | Arg::Long("output", _)))
}

/// `date` without `-s`/`--set` or a positional date to set.
pub(super) fn date_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "dfrs",
        "I",
        &["date", "file", "reference", "set", "rfc-3339"],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('s', _) => false,
        Arg::Long(name, _) => !long_is(name, "set"),
        Arg::Pos(p) => p.starts_with('+'),
        _ => true,
    })
}

/// `hostname` displaying names only (no name to set, no `-F`/`-b`).
pub(super) fn hostname_ok(args: &[String]) -> bool {
    const DISPLAY: &[&str] = &[
        "-a",
        "-A",
        "-d",
        "-f",
        "-i",
        "-I",
        "-s",
        "-y",
        "--alias",
        "--all-fqdns",
        "--domain",
        "--fqdn",
        "--long",
        "--ip-address",
        "--all-ip-addresses",
        "--short",
        "--yp",
        "--nis",
    ];
    args.iter().all(|a| DISPLAY.contains(&a.as_str()))
}

/// `ss` without `-K`/`--kill` (closes sockets) or `-D`/`--diag` (writes a file).
pub(super) fn ss_ok(args: &[String]) -> bool {
    parse_args(args, "fAFD", "", &["family", "query", "filter", "diag"])
        .iter()
        .all(|a| match a {
            Arg::Short('K' | 'D', _) => false,
            Arg::Long(name, _) => !long_is(name, "kill") && !long_is(name, "diag"),
            _ => true,
        })
}

/// `man`/`help` without a pager or viewer option (`-P`/`--pager`, `-H`/`--html`,
/// `-X`/`--gxditview`) or another configuration file (`-C`).
pub(super) fn man_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "LmMpeERSsTrCP",
        "HX",
        &[
            "pager",
            "config-file",
            "locale",
            "systems",
            "manpath",
            "sections",
            "encoding",
        ],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('P' | 'H' | 'X' | 'C', _) => false,
        Arg::Long(name, _) => !["pager", "html", "gxditview", "config-file"]
            .iter()
            .any(|o| long_is(name, o)),
        _ => true,
    })
}

/// `history`, `history N` or `history -p ...` (never clearing, deleting, reading or
/// writing the history file).
pub(super) fn history_ok(args: &[String]) -> bool {
    match args {
        [] => true,
        [n] => n.chars().all(|c| c.is_ascii_digit()),
        [first, ..] => first == "-p",
    }
}

/// `ifconfig` listing, with at most an interface name.
pub(super) fn ifconfig_ok(args: &[String]) -> bool {
    const LISTING: &[&str] = &["-a", "-s", "-l", "-v", "-L", "-u", "-d", "-m"];
    let positionals = args.iter().filter(|a| !a.starts_with('-')).count();
    positionals <= 1
        && args
            .iter()
            .all(|a| !a.starts_with('-') || LISTING.contains(&a.as_str()))
}

/// `fd`/`fdfind` without `-x`/`--exec` or `-X`/`--exec-batch`.
pub(super) fn fd_ok(args: &[String]) -> bool {
    parse_args(args, "deEtcjSoxX", "", &["exec", "exec-batch"])
        .iter()
        .all(|a| {
            !matches!(
                a,
                Arg::Short('x' | 'X', _) | Arg::Long("exec" | "exec-batch", _)
            )
        })
}

/// `pyright --version` or `pyright --help` only.
pub(super) fn pyright_ok(args: &[String]) -> bool {
    matches!(args, [a] if a == "--version" || a == "--help")
}
