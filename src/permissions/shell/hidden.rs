//! What a part hides from rules: commands that run code a rule cannot see (`eval`, `exec`,
//! `source`, `trap`, `sh -c`, `su -c`, `flock -c`, `env -S`, an expanded command name), and
//! the one command substitution that hides nothing, Claude Code's literal-heredoc commit
//! idiom.

use super::lexer::WordScan;
use super::on_parser_stack;
use super::parser_crash_risk;
use super::plain;
use super::walker::{Hidden, WordInfo, join_written};
use super::wrappers::{command_starts, dash_c_command, env_splits_string, shell_c_string};
use crate::facts::commands;
use brush_parser::{ParserOptions, ast};

/// Are all command substitutions of a word `$(cat <<'EOF' ... EOF)`, i.e. literal text?
pub(super) fn only_literal_heredocs(scan: &WordScan) -> bool {
    !scan.substitutions.is_empty()
        && scan.substitutions_opened == scan.substitutions.len()
        && scan
            .substitutions
            .iter()
            .all(|body| is_literal_heredoc(body))
}

/// Is `body` exactly `cat <<'DELIM'` with a here-document whose delimiter is quoted (so
/// nothing in it expands), and nothing else? Claude Code's own commit idiom,
/// `git commit -m "$(cat <<'EOF' ... EOF)"`, is such a substitution: it runs no hidden code
/// and only yields the literal text, so it does not make its word opaque.
fn is_literal_heredoc(body: &str) -> bool {
    match plain::split(body) {
        Some(commands) => plain_literal_heredoc(&commands),
        None => on_parser_stack(body, || parsed_literal_heredoc(body)).unwrap_or(false),
    }
}

/// [`is_literal_heredoc`] for a body the fast path split: one command, `cat` and one
/// here-document with a quoted delimiter.
pub(super) fn plain_literal_heredoc(commands: &[plain::Plain<'_>]) -> bool {
    matches!(
        commands,
        [plain::Plain { items, .. }] if matches!(
            items.as_slice(),
            [plain::Item::Word("cat"), plain::Item::HereDoc { quoted: true }]
        )
    )
}

/// [`is_literal_heredoc`] with the full parser.
pub(super) fn parsed_literal_heredoc(body: &str) -> bool {
    let options = ParserOptions::default();
    let Ok(tokens) = brush_parser::uncached_tokenize_str(body, &options.tokenizer_options()) else {
        return false;
    };
    if parser_crash_risk(&tokens).is_some() {
        return false;
    }
    let Ok(program) = brush_parser::parse_tokens(&tokens, &options) else {
        return false;
    };
    let [list] = program.complete_commands.as_slice() else {
        return false;
    };
    let [ast::CompoundListItem(and_or, _)] = list.0.as_slice() else {
        return false;
    };
    if !and_or.additional.is_empty() || and_or.first.timed.is_some() || and_or.first.bang {
        return false;
    }
    let [ast::Command::Simple(simple)] = and_or.first.seq.as_slice() else {
        return false;
    };
    simple.prefix.is_none()
        && simple
            .word_or_name
            .as_ref()
            .is_some_and(|w| w.value == "cat")
        && matches!(
            simple.suffix.as_ref().map(|s| s.0.as_slice()),
            Some([ast::CommandPrefixOrSuffixItem::IoRedirect(ast::IoRedirect::HereDocument(None, doc))])
                if !doc.requires_expansion
        )
}

/// Marks commands that run code a rule cannot see (`eval`, `exec`, `source`, `trap`,
/// `sh -c`, `su -c`, `flock -c`, `env -S`, an expanded command name), looking through exec
/// wrappers too; recovers the hidden code where it is static.
pub(super) fn special_commands(
    argv: &[String],
    words: &[WordInfo],
    reasons: &mut Vec<String>,
    hidden: &mut Hidden,
) {
    for start in command_starts(argv) {
        let Some(name) = argv.get(start) else {
            break;
        };
        let args = &argv[start + 1..];
        let static_arg = |i: usize| {
            words
                .get(start + 1 + i)
                .filter(|w| w.is_static)
                .map(|w| w.value.clone())
        };
        if words.get(start).is_some_and(|w| !w.is_static) {
            reasons.push("the command name is an expansion".into());
            continue;
        }
        match name.as_str() {
            "eval" => {
                reasons.push("eval runs a string as shell code".into());
                if !args.is_empty() && (0..args.len()).all(|i| static_arg(i).is_some()) {
                    hidden.push((args.join(" "), "inside eval"));
                }
            }
            "exec" => {
                reasons.push("exec replaces the shell".into());
                let mut i = 0;
                while let Some(a) = args.get(i) {
                    match a.as_str() {
                        "-c" | "-l" | "-cl" | "-lc" => i += 1,
                        "-a" => i += 2,
                        "--" => {
                            i += 1;
                            break;
                        }
                        _ => break,
                    }
                }
                if i < args.len() {
                    let rest = &words[(start + 1 + i).min(words.len())..];
                    hidden.push((join_written(rest), "run by exec"));
                }
            }
            "source" | "." => reasons.push("runs a script in the current shell".into()),
            "trap" => {
                let first = args.iter().position(|a| !a.starts_with('-') || a == "-");
                if let Some(i) = first
                    && args[i] != "-"
                    && args.len() > i + 1
                {
                    reasons.push("trap runs a string as shell code".into());
                    if let Some(code) = static_arg(i) {
                        hidden.push((code, "inside a trap action"));
                    }
                }
            }
            "su" | "runuser" | "flock" => {
                if let Some(found) = dash_c_command(args) {
                    reasons.push(format!("{name} -c runs a string as shell code"));
                    if let Some(code) = found.and_then(static_arg) {
                        hidden.push((code, "inside a -c string"));
                    }
                }
            }
            "env"
                if args
                    .iter()
                    .take_while(|a| a.starts_with('-'))
                    .any(|a| env_splits_string(a)) =>
            {
                reasons.push("env -S runs a string as a command".into());
            }
            shell if commands::shell(shell).is_some_and(|s| s.sh_options) => {
                if let Some(found) = shell_c_string(args) {
                    reasons.push(format!("{shell} -c runs a string as shell code"));
                    if let Some(code) = found.and_then(static_arg) {
                        hidden.push((code, "inside a shell -c string"));
                    }
                }
            }
            _ => {}
        }
    }
}
