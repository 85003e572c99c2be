//! GNU-style argument parsing for the validators: short clusters, long options and their
//! unambiguous abbreviations, values attached or in the next word.

/// Long option names that are real options although they abbreviate a rejected one.
const EXACT_SAFE_LONG: &[&str] = &["text", "filter"];

/// Does argument `arg` use the rejected option `option` (`--opt`, `--opt=v`, an unambiguous
/// GNU-style abbreviation `--op`, or `-X` with an attached value)?
pub(super) fn rejected_option(arg: &str, option: &str) -> bool {
    if let Some(name) = option.strip_prefix("--") {
        let Some(given) = arg.strip_prefix("--") else {
            return false;
        };
        let given = given.split('=').next().unwrap_or(given);
        given == name
            || (given.len() >= 2 && name.starts_with(given) && !EXACT_SAFE_LONG.contains(&given))
    } else {
        arg == option || (arg.starts_with(option) && !arg.starts_with("--"))
    }
}

/// Is `given` (a long option name without `--`) `full` or a GNU abbreviation of it?
pub(super) fn long_is(given: &str, full: &str) -> bool {
    !given.is_empty() && full.starts_with(given)
}

/// One parsed argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arg<'a> {
    Short(char, Option<&'a str>),
    Long(&'a str, Option<&'a str>),
    Pos(&'a str),
}

/// GNU-style argument parsing. `short_val`: short options taking a value (attached or next
/// word); `short_opt`: short options with an optional attached value; `long_val`: long
/// options taking a value (`--name=v` or `--name v`, abbreviations included).
pub(super) fn parse_args<'a>(
    args: &'a [String],
    short_val: &str,
    short_opt: &str,
    long_val: &[&str],
) -> Vec<Arg<'a>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut only_positional = false;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        if only_positional || a == "-" || !a.starts_with('-') {
            out.push(Arg::Pos(a));
            continue;
        }
        if a == "--" {
            only_positional = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            if let Some((name, value)) = long.split_once('=') {
                out.push(Arg::Long(name, Some(value)));
            } else if long_val.iter().any(|l| long_is(long, l)) {
                out.push(Arg::Long(long, args.get(i).map(String::as_str)));
                i += 1;
            } else {
                out.push(Arg::Long(long, None));
            }
            continue;
        }
        let cluster = &a[1..];
        for (pos, c) in cluster.char_indices() {
            let rest = &cluster[pos + c.len_utf8()..];
            if short_val.contains(c) {
                if rest.is_empty() {
                    out.push(Arg::Short(c, args.get(i).map(String::as_str)));
                    i += 1;
                } else {
                    out.push(Arg::Short(c, Some(rest)));
                }
                break;
            }
            if short_opt.contains(c) {
                out.push(Arg::Short(c, (!rest.is_empty()).then_some(rest)));
                break;
            }
            out.push(Arg::Short(c, None));
        }
    }
    out
}
