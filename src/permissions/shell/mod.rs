//! Splitting a Bash command line into the simple commands that permission rules are checked
//! against, using a real shell parser (`brush-parser`).
//!
//! Claude Code checks every simple command of a compound line on its own: the parts joined by
//! `&&`, `||`, `;`, `|`, `|&`, `&` or newlines, and those nested in `if`/`while`/`for`/`case`
//! bodies and `{ ...; }` groups. [`analyze`] produces one [`SimpleCommand`] per such part, with
//! the text a `Bash(...)` rule is matched against, the leading environment assignments, the
//! wrappers that are stripped before matching, the output redirections (checked separately as
//! file writes) and, where the part hides commands a rule cannot see, the reason it is opaque.
//!
//! Design points:
//! - Anything that runs code not visible as a plain simple command makes the part *opaque*
//!   (no allow rule may cover it): subshells, command and process substitution, `eval`,
//!   `exec`, `source`/`.`, `trap` actions, `sh -c`-style strings, a command name that is itself
//!   an expansion, function definitions and calls of functions defined in the same line.
//!   The hidden commands are still listed as (opaque) parts whenever they can be recovered,
//!   so deny and ask rules can see them.
//! - Lines that cannot be parsed, or that are longer than [`MAX_COMMAND_CHARS`], are opaque as
//!   a whole and come back as a single whitespace-split part.
//! - [`analyze`] never panics: the parser runs under `catch_unwind`, inputs that could nest
//!   deeply are parsed on a thread with a large stack, and inputs known to crash the parser are
//!   rejected beforehand.
//!
//! This module owns the analysis (the memo, the parser's stack, the fallback for lines that
//! do not parse); the rest is split by job: `lexer` (words and what one word holds),
//! `wrappers` (the wrapper grammar, over the wrapper facts of [`crate::facts::wrappers`]),
//! `walker` (the walk over the syntax tree, or over the fast path's plain commands),
//! `hidden` (commands that run code a rule cannot see) and the fast path itself,
//! `permissions::plain`.

mod hidden;
mod lexer;
mod walker;
mod wrappers;

#[cfg(test)]
mod tests;

pub(crate) use lexer::is_bare_byte;
pub use lexer::{WordScan, fold_whitespace, is_assignment_word, is_blank, scan_word, split_words};
pub use wrappers::{command_starts, exec_wrapper_len, wrapper_len};

use super::plain;
use brush_parser::{ParserOptions, Token};
use lexer::split_assignment;
use std::sync::Arc;
use walker::{Walker, plain_analysis};

/// One output redirection of a simple command (`>`, `>>`, `&>`, `>|`, `2>` ... with a file target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The operator as written, e.g. ">", ">>", "2>", "&>".
    pub op: String,
    /// The target word, unquoted when it is static text (e.g. "/etc/passwd", "/dev/null").
    pub target: String,
}

/// One simple command of a (possibly compound) Bash command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// This part's source text with runs of whitespace folded to one space.
    pub raw: String,
    /// Leading `NAME=value` assignments, in order (value as written).
    pub env: Vec<(String, String)>,
    /// Wrappers stripped before matching, in order, e.g. ["timeout 5", "nice"].
    pub wrappers: Vec<String>,
    /// argv after env assignments and wrappers, quotes removed where the word is static text.
    pub argv: Vec<String>,
    /// The text Bash rules are matched against: env assignments, stripped wrappers and
    /// redirections removed, whitespace runs folded, quoting kept as written.
    pub text: String,
    /// Output redirections of this part (checked as file writes by the engine).
    pub redirects: Vec<Redirect>,
    /// Why no allow rule may cover this part (command/process substitution, subshell,
    /// `eval`, `sh -c`/`bash -c`, `exec`, parameter expansion in the command name, ...).
    pub opaque: Option<String>,
}

/// The result of splitting one Bash command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellAnalysis {
    /// Every simple command, joined in the source by `&&`, `||`, `;`, `|`, `|&`, `&` or newlines
    /// (also those nested in `if`/`for`/`while`/`{ }` bodies).
    pub parts: Vec<SimpleCommand>,
    /// Set when the whole line cannot be covered by any allow rule: parse failure, more than
    /// 10,000 characters, ... (per-part reasons live in `SimpleCommand::opaque`).
    pub opaque: Option<String>,
}

/// Command lines longer than this many characters always prompt in Claude Code; [`analyze`]
/// reports them as opaque without parsing them.
pub const MAX_COMMAND_CHARS: usize = 10_000;

/// How many levels of hidden code (`$(...)` inside `$(...)`, `bash -c` strings, ...) are
/// re-parsed to list their inner commands; deeper levels are opaque without inner parts.
pub(super) const MAX_NESTED_ANALYSIS: usize = 6;

/// Inputs with more potential nesting openers than this are parsed on a big-stack thread
/// (the parser is recursive and a deeply nested line would overflow a normal stack).
const INLINE_OPENER_LIMIT: usize = 24;

/// Stack size of the parser thread used for inputs that may nest deeply. Only the pages that
/// are touched get committed; a 10,000-character worst case needs well under 100 MiB.
const BIG_STACK_BYTES: usize = 256 * 1024 * 1024;

/// More unclosed `(` than this and the line is not handed to the parser (see [`analyze`]).
pub const MAX_UNCLOSED_PARENS: usize = 4;

/// Distinct commands remembered by [`analyze`] in each of its two generations (bounds its
/// memory: an analysis with its key takes about 1 KB). 1024 instead of 2048 took the
/// terminal report on 1 GB from 50-52 to 47-49 MB at the same time (hyperfine, 10 runs, on
/// the real-shaped and generated corpora); 512 saved 2 MB more but was up to 4% slower on
/// the generated corpus, whose commands repeat less than the real sample's copies.
const MEMO_GENERATION: usize = 1_024;

/// The commands seen recently, in two generations: a hit in the older one is moved to the
/// newer one, and when the newer one is full the older one is dropped. Commands used again
/// and again stay; one-offs age out.
#[derive(Default)]
struct Memo {
    new: rustc_hash::FxHashMap<Box<str>, Arc<ShellAnalysis>>,
    old: rustc_hash::FxHashMap<Box<str>, Arc<ShellAnalysis>>,
}

impl Memo {
    fn get(&mut self, command: &str) -> Option<Arc<ShellAnalysis>> {
        if let Some(hit) = self.new.get(command) {
            return Some(hit.clone());
        }
        let (k, v) = self.old.remove_entry(command)?;
        self.insert(k, v.clone());
        Some(v)
    }

    fn insert(&mut self, command: Box<str>, analysis: Arc<ShellAnalysis>) {
        if self.new.len() >= MEMO_GENERATION {
            self.old = std::mem::take(&mut self.new);
        }
        self.new.insert(command, analysis);
    }
}

/// The same command is analysed by the replay, the command keys, the risk tables and the
/// suggester, and agents repeat commands: each distinct line is parsed once while it is
/// in use, and shared by every thread.
static MEMO: std::sync::LazyLock<std::sync::Mutex<Memo>> =
    std::sync::LazyLock::new(Default::default);

thread_local! {
    /// The line this thread analysed last: the replay, the command keys and the risk table
    /// ask for the same line one after the other.
    static LAST: std::cell::RefCell<Option<(Box<str>, Arc<ShellAnalysis>)>> =
        const { std::cell::RefCell::new(None) };
}

/// Splits a Bash command with a real shell parser (brush-parser). Never panics.
pub fn analyze(command: &str) -> Arc<ShellAnalysis> {
    let last = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(line, _)| **line == *command)
            .map(|(_, a)| a.clone())
    });
    if let Some(hit) = last {
        return hit;
    }
    let memo = || {
        MEMO.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    // The guard must be dropped before the line is parsed and inserted.
    let hit = memo().get(command);
    let result = match hit {
        Some(hit) => hit,
        None => {
            // Parsed outside the lock: another thread may parse the same line meanwhile,
            // which only costs time.
            let result = Arc::new(analyze_uncached(command));
            memo().insert(Box::from(command), result.clone());
            result
        }
    };
    LAST.set(Some((Box::from(command), result.clone())));
    result
}

/// [`analyze`] without the memo: parses every time (for benchmarks of the parser).
pub fn analyze_uncached(command: &str) -> ShellAnalysis {
    if command.chars().count() > MAX_COMMAND_CHARS {
        return fallback(
            command,
            format!("longer than {MAX_COMMAND_CHARS} characters"),
        );
    }
    std::panic::catch_unwind(|| analyze_at_depth(command, 0))
        .unwrap_or_else(|_| fallback(command, "the shell parser failed".into()))
}

thread_local! {
    /// Is this thread one of the big-stack threads [`on_parser_stack`] starts?
    static ON_BIG_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `parse` (a use of the recursive parser on `text`) where the stack is deep enough:
/// here, or on a big-stack thread when `text` could nest deeply. A panic in `parse` or a
/// thread that cannot start gives the reason as an error.
pub(super) fn on_parser_stack<T: Send>(
    text: &str,
    parse: impl FnOnce() -> T + Send,
) -> Result<T, &'static str> {
    if ON_BIG_STACK.get() || count_openers(text) <= INLINE_OPENER_LIMIT {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse))
            .map_err(|_| "the shell parser failed");
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("shellperm-parse".into())
            .stack_size(BIG_STACK_BYTES)
            .spawn_scoped(scope, || {
                ON_BIG_STACK.set(true);
                parse()
            });
        match spawned {
            Ok(handle) => handle.join().map_err(|_| "the shell parser failed"),
            Err(_) => Err("could not start the shell parser"),
        }
    })
}

/// An over-estimate of how deeply `command` can nest: every bracket, backquote and
/// compound-command keyword counts as one level.
fn count_openers(command: &str) -> usize {
    let brackets = command
        .chars()
        .filter(|c| matches!(c, '(' | '{' | '[' | '`'))
        .count();
    let keywords = command
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            matches!(
                *w,
                "if" | "then" | "while" | "until" | "for" | "case" | "do" | "select" | "coproc"
            )
        })
        .count();
    brackets + keywords
}

pub(super) fn analyze_at_depth(command: &str, depth: usize) -> ShellAnalysis {
    match plain::split(command) {
        Some(commands) => plain_analysis(command, commands, depth),
        None => parse_at_depth(command, depth),
    }
}

/// [`analyze_at_depth`] with the full parser, whatever the line.
fn parse_at_depth(command: &str, depth: usize) -> ShellAnalysis {
    // brush-parser backtracks exponentially on runs of unclosed `(`; Bash could not parse
    // such a line either, so it is opaque without asking the parser.
    let unclosed = command
        .matches('(')
        .count()
        .saturating_sub(command.matches(')').count());
    if unclosed > MAX_UNCLOSED_PARENS {
        return fallback(command, "unbalanced parentheses".into());
    }
    on_parser_stack(command, || parse_here(command, depth))
        .unwrap_or_else(|reason| fallback(command, reason.into()))
}

/// [`parse_at_depth`] on this thread's stack.
fn parse_here(command: &str, depth: usize) -> ShellAnalysis {
    let options = ParserOptions::default();
    let tokens = match brush_parser::uncached_tokenize_str(command, &options.tokenizer_options()) {
        Ok(tokens) => tokens,
        Err(err) => return fallback(command, format!("cannot tokenize: {}", short(&err))),
    };
    if let Some(reason) = parser_crash_risk(&tokens) {
        return fallback(command, reason);
    }
    let program = match brush_parser::parse_tokens(&tokens, &options) {
        Ok(program) => program,
        Err(err) => return fallback(command, format!("cannot parse: {}", short(&err))),
    };
    let mut walker = Walker::new(command, &tokens, depth);
    walker.program(&program);
    walker.finish()
}

/// A parser error message, cut to a readable length.
fn short(err: &dyn std::fmt::Display) -> String {
    let text = err.to_string();
    let text = fold_whitespace(&text);
    if text.chars().count() > 160 {
        let cut: String = text.chars().take(160).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// brush-parser 0.4 panics on a file-descriptor number that does not fit in `u32`
/// (`99999999999>x`); such lines are rejected before parsing.
pub(super) fn parser_crash_risk(tokens: &[Token]) -> Option<String> {
    for pair in tokens.windows(2) {
        if let (Token::Word(word, word_loc), Token::Operator(op, op_loc)) = (&pair[0], &pair[1])
            && !word.is_empty()
            && word.chars().all(|c| c.is_ascii_digit())
            && op.starts_with(['<', '>'])
            && word_loc.end.index == op_loc.start.index
            && word.parse::<u32>().is_err()
        {
            return Some("file descriptor number out of range".into());
        }
    }
    None
}

/// The best-effort result for a line that cannot be parsed: one opaque part holding the whole
/// line split on whitespace (leading `NAME=value` words go to `env`), so deny rules can still
/// match its text.
fn fallback(command: &str, reason: String) -> ShellAnalysis {
    let folded = fold_whitespace(command);
    let mut words: Vec<String> = folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let mut env = Vec::new();
    while words.len() > 1 && is_assignment_word(&words[0]) {
        let word = words.remove(0);
        env.push(split_assignment(&word));
    }
    let parts = if folded.is_empty() {
        Vec::new()
    } else {
        vec![SimpleCommand {
            raw: folded,
            env,
            wrappers: Vec::new(),
            text: words.join(" "),
            argv: words,
            redirects: Vec::new(),
            opaque: Some(reason.clone()),
        }]
    };
    ShellAnalysis {
        parts,
        opaque: Some(reason),
    }
}
