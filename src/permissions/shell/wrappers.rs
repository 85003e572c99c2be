//! The wrapper grammar: how many leading words of a command are a wrapper Claude Code
//! strips (`timeout 5`, `nice`) or an exec wrapper deny and ask rules see through (`sudo -u
//! x`, `env A=1`), and where a shell's or `su`'s `-c` string is. The wrappers and their
//! option names are data in [`crate::facts::wrappers`]; the grammar of each is here.

use super::lexer::is_assignment_word;
use crate::facts::wrappers::{ExecWrapper, Reader, RuleView, exec_wrapper};

/// Is `s` a `timeout` duration (`5`, `0.5`, `10s`, `2m`, `1h`, `1d`)?
fn is_duration(s: &str) -> bool {
    let body = s.strip_suffix(['s', 'm', 'h', 'd']).unwrap_or(s);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    !body.is_empty()
        && digits(int)
        && frac.is_none_or(digits)
        && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()))
}

/// Returns `Some(i)` when a command word is present at index `i`.
fn command_at(argv: &[String], i: usize) -> Option<usize> {
    (i < argv.len()).then_some(i)
}

/// The [`EXEC_WRAPPERS`](crate::facts::wrappers::EXEC_WRAPPERS) entry named by `argv[0]`,
/// when Claude Code's rule matching treats it as `view`.
fn wrapper_of(argv: &[String], view: RuleView) -> Option<&'static ExecWrapper> {
    exec_wrapper(argv.first()?).filter(|w| w.rules == view)
}

/// Number of leading words taken by a wrapper Claude Code always strips before matching
/// (those marked [`RuleView::Stripped`]: `timeout`, `time`, `nice`, `nohup`, `stdbuf`,
/// `command`, `builtin`, `noglob`, and `xargs` without options), including the wrapper's
/// options; `None` if `argv` does not start with one or no command follows it.
/// `command -v`/`-V` and `nocorrect` are not wrappers.
pub fn wrapper_len(argv: &[String]) -> Option<usize> {
    let wrapper = wrapper_of(argv, RuleView::Stripped)?;
    match wrapper.name {
        "timeout" => {
            let i = strict_options_end(wrapper, argv, false)?;
            // Its operand, the duration.
            if !is_duration(argv.get(i)?) {
                return None;
            }
            command_at(argv, i + wrapper.operands)
        }
        "time" => match argv.get(1).map(String::as_str) {
            Some(a) if wrapper.flags.contains(&a) => command_at(argv, 2),
            Some(a) if a.starts_with('-') => None, // -o FILE, -f FMT, -v ...: not stripped
            _ => command_at(argv, 1),
        },
        "nice" => nice_len(wrapper, argv),
        "nohup" | "builtin" | "noglob" => {
            let i = if argv.get(1).is_some_and(|a| a == "--") {
                2
            } else {
                1
            };
            command_at(argv, i)
        }
        // `command -v`, `-V`: not stripped.
        "stdbuf" | "command" => command_at(argv, strict_options_end(wrapper, argv, false)?),
        "xargs" => {
            let first = argv.get(1)?;
            if first.starts_with('-') {
                None
            } else {
                Some(1)
            }
        }
        _ => None,
    }
}

/// How many words the option `a` of a strictly parsed wrapper takes: one of its flags (1),
/// one of its value options as `-s VALUE` / `--signal VALUE` (2), `--signal=VALUE` or
/// `-sVALUE` (1); `None` for any other option, which means the line is not a wrapper call.
fn strict_option_width(wrapper: &ExecWrapper, a: &str) -> Option<usize> {
    if wrapper.flags.contains(&a) {
        return Some(1);
    }
    if wrapper.takes_value(a, Reader::Splitter) {
        return Some(2);
    }
    let attached = wrapper
        .value_options
        .iter()
        .filter(|o| o.readers.include(Reader::Splitter))
        .any(|o| match o.name.strip_prefix("--") {
            Some(_) => a.strip_prefix(o.name).is_some_and(|v| v.starts_with('=')),
            None => a.len() > o.name.len() && a.starts_with(o.name),
        });
    attached.then_some(1)
}

/// `nice [-n N | -N | --adjustment=N] [--] command`.
fn nice_len(wrapper: &ExecWrapper, argv: &[String]) -> Option<usize> {
    command_at(argv, strict_options_end(wrapper, argv, true)?)
}

/// Where the options of a strictly parsed wrapper end (after a `--`, if any): the index
/// of its first operand or its command. `None` when an option is not one of its own
/// ([`strict_option_width`]); `numeric` also accepts `nice`'s `-N` (`nice -5`, `nice --10`).
fn strict_options_end(wrapper: &ExecWrapper, argv: &[String], numeric: bool) -> Option<usize> {
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a == "--" {
            return Some(i + 1);
        }
        if !a.starts_with('-') {
            break;
        }
        let is_number = numeric
            && a.len() > 1
            && a[1..]
                .trim_start_matches(['+', '-'])
                .chars()
                .all(|c| c.is_ascii_digit());
        i += match strict_option_width(wrapper, a) {
            Some(n) => n,
            None if is_number => 1,
            None => return None,
        };
    }
    Some(i)
}

/// Walks a short-option cluster or long option for a leniently parsed wrapper, with the
/// value options of `wrapper` the splitter knows. Returns how many words the option at
/// `argv[i]` occupies, or `None` when `argv[i]` is not an option.
fn option_width(argv: &[String], i: usize, wrapper: &ExecWrapper) -> Option<usize> {
    let a = argv.get(i)?;
    if let Some(long) = a.strip_prefix("--") {
        if long.is_empty() || long.contains('=') {
            return Some(1);
        }
        return Some(if wrapper.takes_value(a, Reader::Splitter) {
            2
        } else {
            1
        });
    }
    let cluster = a.strip_prefix('-')?;
    if cluster.is_empty() {
        return None;
    }
    for (pos, c) in cluster.char_indices() {
        let mut short = [0u8; 8];
        short[0] = b'-';
        let len = 1 + c.encode_utf8(&mut short[1..]).len();
        let short = std::str::from_utf8(&short[..len]).unwrap_or("");
        if wrapper.takes_value(short, Reader::Splitter) {
            let attached = pos + c.len_utf8() < cluster.len();
            return Some(if attached { 1 } else { 2 });
        }
    }
    Some(1)
}

/// Does the `env` option `a` make it split a string into a command (`-S`, a cluster holding
/// `S`, `--split-string`)? The line is then hidden code, not a wrapper call.
pub(super) fn env_splits_string(a: &str) -> bool {
    a == "-S" || a.starts_with("--split-string") || (!a.starts_with("--") && a.contains('S'))
}

/// Number of leading words taken by an exec wrapper that deny and ask rules see through
/// (those marked [`RuleView::SeenThroughByDenyAsk`]: `env`, `sudo`, `doas`, `watch`,
/// `ionice`, `setsid`, `flock`), with its options and, for `env`, `sudo` and `doas`,
/// `NAME=value` arguments; `None` if `argv` does not start with one or no command follows it. Allow rules
/// never see through these. (`nice` is stripped before any rule: see [`wrapper_len`].)
pub fn exec_wrapper_len(argv: &[String]) -> Option<usize> {
    let wrapper = match wrapper_of(argv, RuleView::SeenThroughByDenyAsk) {
        Some(w) => w,
        // A stripped wrapper met again behind an exec wrapper (`sudo nice rm x`).
        None => {
            return wrapper_of(argv, RuleView::Stripped)
                .filter(|w| w.name == "nice")
                .and_then(|w| nice_len(w, argv));
        }
    };
    let skip_assignments = |mut i: usize| {
        if wrapper.takes_assignments(Reader::Splitter) {
            while argv.get(i).is_some_and(|a| is_assignment_word(a)) {
                i += 1;
            }
        }
        i
    };
    let mut i = 1;
    match wrapper.name {
        "env" | "sudo" | "doas" | "watch" | "ionice" | "setsid" => {
            // Options after which the line is hidden code (`env -S`), or runs nothing
            // (`ionice -p` acts on running processes).
            let refused = |a: &str| match wrapper.name {
                "env" => env_splits_string(a),
                "ionice" => matches!(a, "-p" | "-P" | "-u" | "--pid" | "--pgid" | "--uid"),
                _ => false,
            };
            while let Some(a) = argv.get(i) {
                if a == "--" {
                    i += 1;
                    break;
                }
                // `env -`: start from an empty environment.
                if a == "-" && wrapper.name == "env" {
                    i += 1;
                    continue;
                }
                if !a.starts_with('-') || a == "-" {
                    break;
                }
                if refused(a) {
                    return None;
                }
                i += option_width(argv, i, wrapper)?;
            }
            command_at(argv, skip_assignments(i))
        }
        "flock" => {
            let runs_string = |a: &String| a == "-c" || a.starts_with("--command");
            while let Some(a) = argv.get(i) {
                if !a.starts_with('-') || a == "-" {
                    break;
                }
                if runs_string(a) {
                    return None;
                }
                i += option_width(argv, i, wrapper)?;
            }
            // Its operand, the lock file (or descriptor number), then the command.
            argv.get(i)?;
            if argv.get(i + wrapper.operands).is_some_and(runs_string) {
                return None;
            }
            command_at(argv, i + wrapper.operands)
        }
        _ => None,
    }
}

/// Start indices, within `argv`, of the command and of every command reached by repeatedly
/// stripping wrappers and exec wrappers (`sudo timeout 5 rm x` gives 0, 1, 3). The view deny
/// and ask rules use.
pub fn command_starts(argv: &[String]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut i = 0;
    while i < argv.len() && starts.len() < 64 {
        let Some(n) = exec_wrapper_len(&argv[i..]).or_else(|| wrapper_len(&argv[i..])) else {
            break;
        };
        i += n;
        starts.push(i);
    }
    starts
}

/// For a shell invocation's arguments (after the shell name): `Some(Some(i))` when `-c` is
/// given and the command string is `args[i]`, `Some(None)` when `-c` is given without a
/// string, `None` without `-c`.
pub(super) fn shell_c_string(args: &[String]) -> Option<Option<usize>> {
    let mut has_c = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "--" || a == "-" {
            i += 1;
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            i += if matches!(long, "rcfile" | "init-file") {
                2
            } else {
                1
            };
            continue;
        }
        let Some(cluster) = a.strip_prefix('-').or_else(|| a.strip_prefix('+')) else {
            break;
        };
        if cluster.contains('c') {
            has_c = true;
        }
        i += if cluster.contains('o') || cluster.contains('O') {
            2
        } else {
            1
        };
    }
    has_c.then(|| (i < args.len()).then_some(i))
}

/// `su`/`runuser`/`flock` style `-c CMD` / `--command=CMD`: the command string's index.
pub(super) fn dash_c_command(args: &[String]) -> Option<Option<usize>> {
    for (i, a) in args.iter().enumerate() {
        if a == "--command" || a == "-c" {
            return Some((i + 1 < args.len()).then_some(i + 1));
        }
        if a.starts_with("--command=") {
            return Some(None);
        }
        if !a.starts_with("--") && a.starts_with('-') && a.len() > 2 && a.ends_with('c') {
            return Some((i + 1 < args.len()).then_some(i + 1));
        }
    }
    None
}
