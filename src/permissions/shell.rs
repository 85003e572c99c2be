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

use super::plain;
use brush_parser::ast;
use brush_parser::{ParserOptions, SourceSpan, Token};
use std::sync::Arc;

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
const MAX_NESTED_ANALYSIS: usize = 6;

/// Inputs with more potential nesting openers than this are parsed on a big-stack thread
/// (the parser is recursive and a deeply nested line would overflow a normal stack).
const INLINE_OPENER_LIMIT: usize = 24;

/// Stack size of the parser thread used for inputs that may nest deeply. Only the pages that
/// are touched get committed; a 10,000-character worst case needs well under 100 MiB.
const BIG_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Shells whose `-c` option runs a string as shell code.
const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh",
];

/// More unclosed `(` than this and the line is not handed to the parser (see [`analyze`]).
pub const MAX_UNCLOSED_PARENS: usize = 4;

/// Distinct commands remembered by [`analyze`] in each of its two generations (bounds its
/// memory: an analysis with its key takes about 1 KB).
const MEMO_GENERATION: usize = 2_048;

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
fn on_parser_stack<T: Send>(
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

fn analyze_at_depth(command: &str, depth: usize) -> ShellAnalysis {
    match plain::split(command) {
        Some(commands) => plain_analysis(command, commands, depth),
        None => parse_at_depth(command, depth),
    }
}

/// The parts of a line the fast path accepted: each plain simple command goes through the
/// same steps as one the parser found (wrappers, special commands, redirections).
fn plain_analysis(command: &str, commands: Vec<plain::Plain<'_>>, depth: usize) -> ShellAnalysis {
    let mut walker = Walker::bare(command, depth);
    let ctx = Ctx::default();
    for cmd in commands {
        let mut sink = ItemSink::default();
        let mut words = Vec::with_capacity(cmd.items.len());
        for item in cmd.items {
            match item {
                plain::Item::Word(text) => words.push(word_text_info(text, &mut sink)),
                plain::Item::Redirect { fd, op, target } => {
                    plain_redirect(fd, op, target, &mut sink)
                }
                // Its body is data: the fast path takes only bodies that expand nothing.
                plain::Item::HereDoc { .. } => {}
            }
        }
        walker.push_simple(
            Vec::new(),
            words,
            sink,
            &ctx,
            None,
            fold_whitespace(cmd.raw),
        );
    }
    walker.finish()
}

/// Records a redirection the fast path found, as [`Walker::redirect`] records the parser's.
fn plain_redirect(fd: Option<&str>, op: plain::RedirectOp, target: &str, sink: &mut ItemSink) {
    use plain::RedirectOp as Op;
    let writes = match op {
        Op::Read | Op::DuplicateOutput => None,
        Op::Write => Some(format!("{}>", fd.unwrap_or(""))),
        Op::Append => Some(format!("{}>>", fd.unwrap_or(""))),
        Op::OutputAndError => Some("&>".into()),
        Op::OutputAndErrorAppend => Some("&>>".into()),
    };
    file_redirect(sink, writes, target);
}

/// Notes what a redirection's target word hides and, when the redirection writes a file
/// (`writes` is then its operator as written), records it.
fn file_redirect(sink: &mut ItemSink, writes: Option<String>, target: &str) {
    let scan = scan_word(target);
    sink.note_word_scan(&scan, "command substitution in a redirection");
    if let Some(op) = writes {
        sink.redirects.push(Redirect {
            op,
            target: scan.value.unwrap_or_else(|| fold_whitespace(target)),
        });
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
fn parser_crash_risk(tokens: &[Token]) -> Option<String> {
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

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

/// Is `c` a byte that means nothing special to the shell anywhere in a word (letters,
/// digits and `_-./:@%+,=~^`)? Words made only of these are their own value.
pub(crate) fn is_bare_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'_' | b'-' | b'.' | b'/' | b':' | b'@' | b'%' | b'+' | b',' | b'=' | b'~' | b'^'
        )
}

/// Is `c` a character Bash splits words on (space, tab, newline)?
pub fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

/// Folds every run of blanks (spaces, tabs, newlines) to one space and trims both ends. Rule
/// specifiers and command texts are compared in this form. Other characters, including `\r`
/// and Unicode spaces, are kept: Bash does not split words on them.
pub fn fold_whitespace(s: &str) -> String {
    s.split(is_blank)
        .filter(|piece| !piece.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Removes backslash-newline line continuations (for display text only).
fn strip_continuations(s: &str) -> String {
    s.replace("\\\r\n", "").replace("\\\n", "")
}

/// Is `word` a shell assignment word (`NAME=value` or `NAME+=value`)?
pub fn is_assignment_word(word: &str) -> bool {
    let Some(eq) = word.find('=') else {
        return false;
    };
    let name = word[..eq].strip_suffix('+').unwrap_or(&word[..eq]);
    is_name(name)
}

/// Is `s` a valid shell variable name?
fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Splits an assignment word as written into (name, value as written).
fn split_assignment(word: &str) -> (String, String) {
    match word.find('=') {
        Some(eq) => {
            let name = word[..eq].strip_suffix('+').unwrap_or(&word[..eq]);
            let name = name.split('[').next().unwrap_or(name);
            (name.to_string(), word[eq + 1..].to_string())
        }
        None => (word.to_string(), String::new()),
    }
}

/// Splits a part's `text` back into its words as written (quotes kept), honouring quotes,
/// escapes, `$(...)`, `${...}`, backquotes and process substitutions. For parts produced by
/// [`analyze`] the result lines up one-to-one with `argv`.
pub fn split_words(text: &str) -> Vec<String> {
    if text.bytes().all(|c| c == b' ' || is_bare_byte(c)) {
        return text
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
    }
    split_words_stepped(text)
}

/// [`split_words`] by stepping through the text's lexical units.
fn split_words_stepped(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if stack.is_empty() && is_blank(c) {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            i += 1;
            continue;
        }
        let next = step(&chars, i, &mut stack);
        current.extend(&chars[i..next]);
        i = next;
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Lexical context while stepping through shell text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// Inside `$(` ... `)`.
    Subst,
    /// Inside a plain `(` ... `)` (subshell, process substitution, array, extglob).
    Paren,
    /// Inside `${` ... `}`.
    Param,
    /// Inside `$((` ... `))`.
    Arith,
    /// Inside double quotes.
    Dq,
    /// Inside backquotes.
    Tick,
}

/// Advances over one lexical unit starting at `i`, updating the context stack; returns the
/// index after the unit. Used for word splitting, where only boundaries matter.
fn step(chars: &[char], i: usize, stack: &mut Vec<Frame>) -> usize {
    let n = chars.len();
    let c = chars[i];
    let next = chars.get(i + 1).copied();
    let top = stack.last().copied();
    match top {
        Some(Frame::Dq) => match c {
            '\\' => (i + 2).min(n),
            '"' => {
                stack.pop();
                i + 1
            }
            '`' => {
                stack.push(Frame::Tick);
                i + 1
            }
            '$' => open_dollar(chars, i, stack),
            _ => i + 1,
        },
        Some(Frame::Tick) => match c {
            '\\' => (i + 2).min(n),
            '`' => {
                stack.pop();
                i + 1
            }
            _ => i + 1,
        },
        _ => match c {
            '\\' => (i + 2).min(n),
            '\'' => skip_single_quoted(chars, i + 1),
            '"' => {
                stack.push(Frame::Dq);
                i + 1
            }
            '`' => {
                stack.push(Frame::Tick);
                i + 1
            }
            '$' => open_dollar(chars, i, stack),
            '(' => {
                stack.push(Frame::Paren);
                i + 1
            }
            ')' => {
                match top {
                    Some(Frame::Paren) | Some(Frame::Subst) => {
                        stack.pop();
                    }
                    Some(Frame::Arith) if next == Some(')') => {
                        stack.pop();
                        return i + 2;
                    }
                    Some(Frame::Arith) => {
                        stack.pop();
                    }
                    _ => {}
                }
                i + 1
            }
            '}' if top == Some(Frame::Param) => {
                stack.pop();
                i + 1
            }
            _ => i + 1,
        },
    }
}

/// Handles a `$` in [`step`]: opens `$(`, `$((`, `${`, skips `$'...'`, else one character.
fn open_dollar(chars: &[char], i: usize, stack: &mut Vec<Frame>) -> usize {
    match (chars.get(i + 1), chars.get(i + 2)) {
        (Some('('), Some('(')) => {
            stack.push(Frame::Arith);
            i + 3
        }
        (Some('('), _) => {
            stack.push(Frame::Subst);
            i + 2
        }
        (Some('{'), _) => {
            stack.push(Frame::Param);
            i + 2
        }
        (Some('\''), _) if stack.last() != Some(&Frame::Dq) => skip_ansi_c(chars, i + 2).1,
        _ => i + 1,
    }
}

/// Index after the closing quote of a single-quoted string whose body starts at `from`.
fn skip_single_quoted(chars: &[char], from: usize) -> usize {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '\'' {
            return j + 1;
        }
        j += 1;
    }
    chars.len()
}

/// Decodes a `$'...'` body starting at `from`; returns (decoded text, index after the quote).
fn skip_ansi_c(chars: &[char], from: usize) -> (String, usize) {
    let mut out = String::new();
    let mut j = from;
    while j < chars.len() {
        match chars[j] {
            '\'' => return (out, j + 1),
            '\\' if j + 1 < chars.len() => {
                let e = chars[j + 1];
                j += 2;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'e' | 'E' => out.push('\u{1b}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    'x' => {
                        let mut value = 0u32;
                        let mut digits = 0;
                        while digits < 2 && j < chars.len() && chars[j].is_ascii_hexdigit() {
                            value = value * 16 + chars[j].to_digit(16).unwrap_or(0);
                            j += 1;
                            digits += 1;
                        }
                        if digits == 0 {
                            out.push_str("\\x");
                        } else if let Some(ch) = char::from_u32(value) {
                            out.push(ch);
                        }
                    }
                    '0'..='7' => {
                        let mut value = e.to_digit(8).unwrap_or(0);
                        let mut digits = 1;
                        while digits < 3 && j < chars.len() && ('0'..='7').contains(&chars[j]) {
                            value = value * 8 + chars[j].to_digit(8).unwrap_or(0);
                            j += 1;
                            digits += 1;
                        }
                        if let Some(ch) = char::from_u32(value) {
                            out.push(ch);
                        }
                    }
                    other => out.push(other),
                }
            }
            c => {
                out.push(c);
                j += 1;
            }
        }
    }
    (out, chars.len())
}

/// What one shell word contains, as found by [`scan_word`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordScan {
    /// The word with its quoting removed, when it is static text (no expansion of any kind;
    /// a leading `~` is kept literally and counts as static).
    pub value: Option<String>,
    /// Contains a command substitution (`$(...)` or backquotes), possibly nested in quotes or
    /// in a parameter expansion.
    pub has_substitution: bool,
    /// Contains a parameter or arithmetic expansion (`$x`, `${x}`, `$((...))`).
    pub has_expansion: bool,
    /// Contains an unquoted glob (`*`, `?`, `[`, extglob `@(`...) or brace expansion
    /// (`{a,b}`, `{1..3}`).
    pub has_glob: bool,
    /// Bodies of the outermost command substitutions, in order.
    pub substitutions: Vec<String>,
    /// How many outermost command substitutions were opened (more than
    /// `substitutions.len()` when one is unterminated).
    pub substitutions_opened: usize,
}

/// Analyzes one shell word as written: static value, expansions, unquoted globs and command
/// substitution bodies.
pub fn scan_word(word: &str) -> WordScan {
    // Most words are bare text (`status`, `-la`, `src/main.rs`): nothing in them is special.
    if word.bytes().all(is_bare_byte) {
        return WordScan {
            value: Some(word.to_string()),
            ..WordScan::default()
        };
    }
    scan(word, true)
}

/// Like [`scan_word`] for the body of a here-document with an unquoted delimiter, where quotes
/// are literal and only `$` and backquotes expand.
fn scan_heredoc(body: &str) -> WordScan {
    scan(body, false)
}

/// Is no command substitution open in `stack`?
fn outside_substitution(stack: &[(Frame, usize)]) -> bool {
    !stack
        .iter()
        .any(|f| matches!(f.0, Frame::Subst | Frame::Tick))
}

fn scan(word: &str, quotes_active: bool) -> WordScan {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let mut result = WordScan::default();
    let mut out = String::new();
    // (frame, index where its body starts)
    let mut stack: Vec<(Frame, usize)> = Vec::new();
    // Here-documents opened in a substitution whose bodies start at the next newline.
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let top = stack.last().map(|f| f.0);
        match top {
            None => match c {
                '\\' => {
                    let escapable = quotes_active
                        || matches!(next, Some('$') | Some('`') | Some('\\') | Some('\n'));
                    match next {
                        Some('\n') => i += 2,
                        Some(e) if escapable => {
                            out.push(e);
                            i += 2;
                        }
                        _ => {
                            out.push('\\');
                            i += 1;
                        }
                    }
                }
                '\'' if quotes_active => {
                    let end = skip_single_quoted(&chars, i + 1);
                    let body_end = if end > i + 1 && chars.get(end - 1) == Some(&'\'') {
                        end - 1
                    } else {
                        end
                    };
                    out.extend(&chars[i + 1..body_end]);
                    i = end;
                }
                '"' if quotes_active => {
                    stack.push((Frame::Dq, i + 1));
                    i += 1;
                }
                '`' => {
                    result.has_substitution = true;
                    if outside_substitution(&stack) {
                        result.substitutions_opened += 1;
                    }
                    stack.push((Frame::Tick, i + 1));
                    i += 1;
                }
                '$' => i = scan_dollar(&chars, i, &mut stack, &mut result, &mut out, true),
                '*' | '?' | '[' if quotes_active => {
                    result.has_glob = true;
                    out.push(c);
                    i += 1;
                }
                '@' | '+' | '!' if quotes_active && next == Some('(') => {
                    result.has_glob = true;
                    out.push(c);
                    i += 1;
                }
                '{' if quotes_active && brace_expansion_at(&chars, i) => {
                    result.has_glob = true;
                    out.push(c);
                    i += 1;
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            },
            Some(Frame::Dq) => match c {
                '\\' => match next {
                    Some('\n') => i += 2,
                    Some(e @ ('$' | '`' | '"' | '\\')) => {
                        out.push(e);
                        i += 2;
                    }
                    _ => {
                        out.push('\\');
                        i += 1;
                    }
                },
                '"' => {
                    stack.pop();
                    i += 1;
                }
                '`' => {
                    result.has_substitution = true;
                    if outside_substitution(&stack) {
                        result.substitutions_opened += 1;
                    }
                    stack.push((Frame::Tick, i + 1));
                    i += 1;
                }
                '$' => i = scan_dollar(&chars, i, &mut stack, &mut result, &mut out, false),
                _ => {
                    out.push(c);
                    i += 1;
                }
            },
            Some(Frame::Tick) => match c {
                '\\' => i = (i + 2).min(n),
                '`' => {
                    if let Some((_, start)) = stack.pop()
                        && !stack
                            .iter()
                            .any(|f| matches!(f.0, Frame::Subst | Frame::Tick))
                    {
                        result
                            .substitutions
                            .push(unescape_backquoted(&chars[start..i]));
                    }
                    i += 1;
                }
                _ => i += 1,
            },
            Some(frame) => match c {
                // Inside $( ), ( ), ${ } or $(( )).
                '\\' => i = (i + 2).min(n),
                // A here-document in the code of a substitution: its body is read line by
                // line up to its delimiter, whatever quotes or parentheses it holds.
                '<' if matches!(frame, Frame::Subst | Frame::Paren) && next == Some('<') => {
                    match heredoc_operator(&chars, i) {
                        Some((delimiter, dash, after)) => {
                            heredocs.push((delimiter, dash));
                            i = after;
                        }
                        None => i += 2,
                    }
                }
                '\n' if matches!(frame, Frame::Subst | Frame::Paren) && !heredocs.is_empty() => {
                    i = skip_heredoc_bodies(&chars, i + 1, &mut heredocs);
                }
                '\'' if frame != Frame::Arith => i = skip_single_quoted(&chars, i + 1),
                '"' => {
                    stack.push((Frame::Dq, i + 1));
                    i += 1;
                }
                '`' => {
                    result.has_substitution = true;
                    if outside_substitution(&stack) {
                        result.substitutions_opened += 1;
                    }
                    stack.push((Frame::Tick, i + 1));
                    i += 1;
                }
                '$' => i = scan_dollar(&chars, i, &mut stack, &mut result, &mut out, false),
                '(' if frame != Frame::Param => {
                    stack.push((Frame::Paren, i + 1));
                    i += 1;
                }
                ')' if frame == Frame::Arith => {
                    stack.pop();
                    i += if next == Some(')') { 2 } else { 1 };
                }
                ')' if frame != Frame::Param => {
                    if let Some((popped, start)) = stack.pop()
                        && popped == Frame::Subst
                        && !stack
                            .iter()
                            .any(|f| matches!(f.0, Frame::Subst | Frame::Tick))
                    {
                        result.substitutions.push(chars[start..i].iter().collect());
                    }
                    i += 1;
                }
                '}' if frame == Frame::Param => {
                    stack.pop();
                    i += 1;
                }
                _ => i += 1,
            },
        }
    }
    if stack.is_empty() && !result.has_substitution && !result.has_expansion {
        result.value = Some(out);
    } else if !stack.is_empty() {
        // Unterminated construct: treat as an expansion (never static).
        result.has_expansion = true;
    }
    result
}

/// At a `<<` in shell code: the here-document's delimiter (quotes removed), whether it is
/// `<<-` (leading tabs stripped from its lines), and the index after it. `None` for a
/// here-string (`<<<`) or a missing delimiter.
fn heredoc_operator(chars: &[char], i: usize) -> Option<(String, bool, usize)> {
    let mut j = i + 2;
    if chars.get(j) == Some(&'<') {
        return None;
    }
    let dash = chars.get(j) == Some(&'-');
    if dash {
        j += 1;
    }
    while matches!(chars.get(j), Some(' ' | '\t')) {
        j += 1;
    }
    let mut delimiter = String::new();
    while let Some(&c) = chars.get(j) {
        match c {
            '\'' | '"' => {
                let close = j + 1 + chars[j + 1..].iter().position(|&d| d == c)?;
                delimiter.extend(&chars[j + 1..close]);
                j = close + 1;
            }
            '\\' => {
                delimiter.extend(chars.get(j + 1));
                j += 2;
            }
            c if is_blank(c) || ";|&()<>".contains(c) => break,
            c => {
                delimiter.push(c);
                j += 1;
            }
        }
    }
    (!delimiter.is_empty()).then_some((delimiter, dash, j.min(chars.len())))
}

/// The index after the bodies of `heredocs`, the first of which starts at `from`: each runs
/// to the line that is its delimiter.
fn skip_heredoc_bodies(chars: &[char], from: usize, heredocs: &mut Vec<(String, bool)>) -> usize {
    let mut j = from;
    for (delimiter, dash) in heredocs.drain(..) {
        loop {
            if j >= chars.len() {
                return chars.len();
            }
            let end = chars[j..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(chars.len(), |k| j + k);
            let mut line = &chars[j..end];
            if dash {
                while line.first() == Some(&'\t') {
                    line = &line[1..];
                }
            }
            let is = |text: &[char]| text.iter().copied().eq(delimiter.chars());
            if is(line) {
                j = (end + 1).min(chars.len());
                break;
            }
            j = end + 1;
        }
    }
    j
}

/// Handles `$` inside [`scan`]; returns the next index.
fn scan_dollar(
    chars: &[char],
    i: usize,
    stack: &mut Vec<(Frame, usize)>,
    result: &mut WordScan,
    out: &mut String,
    top_level: bool,
) -> usize {
    match (chars.get(i + 1).copied(), chars.get(i + 2).copied()) {
        (Some('('), Some('(')) => {
            result.has_expansion = true;
            stack.push((Frame::Arith, i + 3));
            i + 3
        }
        (Some('('), _) => {
            result.has_substitution = true;
            if outside_substitution(stack) {
                result.substitutions_opened += 1;
            }
            stack.push((Frame::Subst, i + 2));
            i + 2
        }
        (Some('{'), _) => {
            result.has_expansion = true;
            stack.push((Frame::Param, i + 2));
            i + 2
        }
        (Some('\''), _) if top_level => {
            let (decoded, end) = skip_ansi_c(chars, i + 2);
            out.push_str(&decoded);
            end
        }
        (Some('"'), _) if top_level => {
            stack.push((Frame::Dq, i + 2));
            i + 2
        }
        (Some(c), _) if c == '_' || c.is_ascii_alphabetic() => {
            result.has_expansion = true;
            let mut j = i + 1;
            while j < chars.len() && (chars[j] == '_' || chars[j].is_ascii_alphanumeric()) {
                j += 1;
            }
            j
        }
        (Some(c), _) if c.is_ascii_digit() || "@*#?$!-".contains(c) => {
            result.has_expansion = true;
            i + 2
        }
        _ => {
            out.push('$');
            i + 1
        }
    }
}

/// Does an unquoted `{` at `i` start a brace expansion (`{a,b}` or `{1..3}`)?
fn brace_expansion_at(chars: &[char], i: usize) -> bool {
    let mut j = i + 1;
    let mut depth = 0usize;
    let mut comma_or_range = false;
    while j < chars.len() {
        match chars[j] {
            '{' => depth += 1,
            '}' if depth == 0 => return comma_or_range,
            '}' => depth -= 1,
            ',' => comma_or_range = true,
            '.' if chars.get(j + 1) == Some(&'.') => comma_or_range = true,
            '\\' => j += 1,
            c if is_blank(c) || c == '\'' || c == '"' => return false,
            _ => {}
        }
        j += 1;
    }
    false
}

/// Body of a backquoted substitution with its backslash escapes removed.
fn unescape_backquoted(body: &[char]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < body.len() {
        if body[i] == '\\' && matches!(body.get(i + 1), Some('`') | Some('\\') | Some('$')) {
            out.push(body[i + 1]);
            i += 2;
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Wrappers
// ---------------------------------------------------------------------------------------------

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

/// Number of leading words taken by a wrapper Claude Code always strips before matching
/// (`timeout`, `time`, `nice`, `nohup`, `stdbuf`, `command`, `builtin`, `noglob`, and `xargs`
/// without flags), including the wrapper's options; `None` if `argv` does not start with one
/// or no command follows it. `command -v`/`-V` and `nocorrect` are not wrappers.
pub fn wrapper_len(argv: &[String]) -> Option<usize> {
    let name = argv.first()?.as_str();
    match name {
        "timeout" => {
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                match a.as_str() {
                    "--" => {
                        i += 1;
                        break;
                    }
                    "--preserve-status" | "--foreground" | "-v" | "--verbose" => i += 1,
                    "-s" | "--signal" | "-k" | "--kill-after" => i += 2,
                    _ if a.starts_with("--signal=") || a.starts_with("--kill-after=") => i += 1,
                    _ if (a.starts_with("-s") || a.starts_with("-k")) && a.len() > 2 => i += 1,
                    _ if a.starts_with('-') => return None,
                    _ => break,
                }
            }
            if !is_duration(argv.get(i)?) {
                return None;
            }
            command_at(argv, i + 1)
        }
        "time" => match argv.get(1).map(String::as_str) {
            Some("-p") => command_at(argv, 2),
            Some(a) if a.starts_with('-') => None, // -o FILE, -f FMT, -v ...: not stripped
            _ => command_at(argv, 1),
        },
        "nice" => nice_len(argv),
        "nohup" => {
            let i = if argv.get(1).is_some_and(|a| a == "--") {
                2
            } else {
                1
            };
            command_at(argv, i)
        }
        "stdbuf" => {
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                match a.as_str() {
                    "--" => {
                        i += 1;
                        break;
                    }
                    "-i" | "-o" | "-e" | "--input" | "--output" | "--error" => i += 2,
                    _ if a.starts_with("--input=")
                        || a.starts_with("--output=")
                        || a.starts_with("--error=") =>
                    {
                        i += 1
                    }
                    _ if a.len() > 2
                        && (a.starts_with("-i") || a.starts_with("-o") || a.starts_with("-e")) =>
                    {
                        i += 1
                    }
                    _ if a.starts_with('-') => return None,
                    _ => break,
                }
            }
            command_at(argv, i)
        }
        "command" => {
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                match a.as_str() {
                    "-p" => i += 1,
                    "--" => {
                        i += 1;
                        break;
                    }
                    _ if a.starts_with('-') => return None, // -v, -V, ...
                    _ => break,
                }
            }
            command_at(argv, i)
        }
        "builtin" | "noglob" => {
            let i = if argv.get(1).is_some_and(|a| a == "--") {
                2
            } else {
                1
            };
            command_at(argv, i)
        }
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

/// `nice [-n N | -N | --adjustment=N] [--] command`.
fn nice_len(argv: &[String]) -> Option<usize> {
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        match a.as_str() {
            "--" => {
                i += 1;
                break;
            }
            "-n" | "--adjustment" => i += 2,
            _ if a.starts_with("--adjustment=") => i += 1,
            _ if a.starts_with("-n") && a.len() > 2 => i += 1,
            _ if a.starts_with('-')
                && a.len() > 1
                && a[1..]
                    .trim_start_matches(['+', '-'])
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
            {
                i += 1
            }
            _ if a.starts_with('-') => return None,
            _ => break,
        }
    }
    command_at(argv, i)
}

/// Walks a short-option cluster or long option for a wrapper: `takes_arg` lists short options
/// that take a value, `long_with_arg` long ones (without `--`). Returns how many words the
/// option at `argv[i]` occupies, or `None` when `argv[i]` is not an option.
fn option_width(
    argv: &[String],
    i: usize,
    takes_arg: &str,
    long_with_arg: &[&str],
) -> Option<usize> {
    let a = argv.get(i)?;
    if let Some(long) = a.strip_prefix("--") {
        if long.is_empty() || long.contains('=') {
            return Some(1);
        }
        return Some(if long_with_arg.contains(&long) { 2 } else { 1 });
    }
    let cluster = a.strip_prefix('-')?;
    if cluster.is_empty() {
        return None;
    }
    for (pos, c) in cluster.char_indices() {
        if takes_arg.contains(c) {
            let attached = pos + c.len_utf8() < cluster.len();
            return Some(if attached { 1 } else { 2 });
        }
    }
    Some(1)
}

/// Number of leading words taken by an exec wrapper that deny and ask rules see through
/// (`env`, `sudo`, `doas`, `watch`, `ionice`, `setsid`, `nice`, `flock`), with its options and,
/// for `env` and `sudo`, `NAME=value` arguments; `None` if `argv` does not start with one or
/// no command follows it. Allow rules never see through these.
pub fn exec_wrapper_len(argv: &[String]) -> Option<usize> {
    let name = argv.first()?.as_str();
    let skip_assignments = |mut i: usize| {
        while argv.get(i).is_some_and(|a| is_assignment_word(a)) {
            i += 1;
        }
        i
    };
    match name {
        "env" => {
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                if a == "--" {
                    i += 1;
                    break;
                }
                if a == "-" {
                    i += 1;
                    continue;
                }
                if !a.starts_with('-') {
                    break;
                }
                if a == "-S"
                    || a.starts_with("--split-string")
                    || (!a.starts_with("--") && a.contains('S'))
                {
                    return None;
                }
                i += option_width(argv, i, "uC", &["unset", "chdir"])?;
            }
            command_at(argv, skip_assignments(i))
        }
        "sudo" | "doas" => {
            let (takes_arg, long_with_arg): (&str, &[&str]) = if name == "sudo" {
                (
                    "ughprtTCDU",
                    &[
                        "user",
                        "group",
                        "host",
                        "prompt",
                        "role",
                        "type",
                        "command-timeout",
                        "close-from",
                        "chdir",
                        "other-user",
                    ],
                )
            } else {
                ("uC", &[])
            };
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                if a == "--" {
                    i += 1;
                    break;
                }
                if !a.starts_with('-') || a == "-" {
                    break;
                }
                i += option_width(argv, i, takes_arg, long_with_arg)?;
            }
            command_at(argv, skip_assignments(i))
        }
        "watch" => {
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                if a == "--" {
                    i += 1;
                    break;
                }
                if !a.starts_with('-') || a == "-" {
                    break;
                }
                i += option_width(argv, i, "nq", &["interval", "equexit"])?;
            }
            command_at(argv, i)
        }
        "ionice" => {
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                if a == "--" {
                    i += 1;
                    break;
                }
                if !a.starts_with('-') || a == "-" {
                    break;
                }
                if matches!(
                    a.as_str(),
                    "-p" | "-P" | "-u" | "--pid" | "--pgid" | "--uid"
                ) {
                    return None; // acts on existing processes, runs nothing
                }
                i += option_width(argv, i, "cn", &["class", "classdata"])?;
            }
            command_at(argv, i)
        }
        "setsid" => {
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                if a == "--" {
                    i += 1;
                    break;
                }
                if !a.starts_with('-') || a == "-" {
                    break;
                }
                i += 1;
            }
            command_at(argv, i)
        }
        "nice" => nice_len(argv),
        "flock" => {
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                if !a.starts_with('-') || a == "-" {
                    break;
                }
                if a == "-c" || a.starts_with("--command") {
                    return None;
                }
                i += option_width(argv, i, "Ew", &["timeout", "conflict-exit-code"])?;
            }
            // The lock file (or descriptor number), then the command.
            argv.get(i)?;
            if argv
                .get(i + 1)
                .is_some_and(|a| a == "-c" || a.starts_with("--command"))
            {
                return None;
            }
            command_at(argv, i + 1)
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
fn shell_c_string(args: &[String]) -> Option<Option<usize>> {
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
fn dash_c_command(args: &[String]) -> Option<Option<usize>> {
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

// ---------------------------------------------------------------------------------------------
// The AST walk
// ---------------------------------------------------------------------------------------------

/// Context inherited by the simple commands nested in a compound command.
#[derive(Debug, Clone, Default)]
struct Ctx {
    /// Why every part below is opaque (subshell, function body, ...).
    opaque: Option<String>,
    /// Output redirections of enclosing compound commands.
    redirects: Vec<Redirect>,
}

impl Ctx {
    fn with_opaque(&self, reason: &str) -> Ctx {
        let mut ctx = self.clone();
        if ctx.opaque.is_none() {
            ctx.opaque = Some(reason.to_string());
        }
        ctx
    }
}

/// One word of a simple command.
#[derive(Debug, Clone)]
struct WordInfo {
    /// As written, whitespace folded.
    written: String,
    /// Unquoted when static, else as written.
    value: String,
    /// Is the word static text?
    is_static: bool,
}

/// Hidden code found while building one part: (shell source, why it is hidden).
type Hidden = Vec<(String, &'static str)>;

/// Collects what the items of a simple command (or a compound command's redirect list) hold.
#[derive(Default)]
struct ItemSink {
    redirects: Vec<Redirect>,
    reasons: Vec<String>,
    hidden: Hidden,
    process_substitutions: Vec<ast::SubshellCommand>,
    /// (start, end, is_redirect) char spans of the items.
    spans: Vec<(usize, usize, bool)>,
}

impl ItemSink {
    fn note_word_scan(&mut self, scan: &WordScan, reason: &'static str) {
        if scan.has_substitution && !only_literal_heredocs(scan) {
            self.reasons.push(reason.to_string());
            for body in &scan.substitutions {
                self.hidden
                    .push((body.clone(), "inside a command substitution"));
            }
        }
    }
}

struct Walker<'a> {
    src: &'a str,
    /// Byte offset of every char index (plus the end).
    byte_at: Vec<usize>,
    tokens: &'a [Token],
    depth: usize,
    parts: Vec<SimpleCommand>,
    functions: Vec<String>,
}

impl<'a> Walker<'a> {
    fn new(src: &'a str, tokens: &'a [Token], depth: usize) -> Self {
        let mut byte_at: Vec<usize> = src.char_indices().map(|(b, _)| b).collect();
        byte_at.push(src.len());
        Walker {
            src,
            byte_at,
            tokens,
            depth,
            parts: Vec::new(),
            functions: Vec::new(),
        }
    }

    /// A walker for parts the fast path found: no tokens, and no char index (only the
    /// parser's source spans need one).
    fn bare(src: &'a str, depth: usize) -> Self {
        Walker {
            src,
            byte_at: vec![0],
            tokens: &[],
            depth,
            parts: Vec::new(),
            functions: Vec::new(),
        }
    }

    fn finish(mut self) -> ShellAnalysis {
        if !self.functions.is_empty() {
            for part in &mut self.parts {
                if part.opaque.is_none()
                    && part
                        .argv
                        .first()
                        .is_some_and(|name| self.functions.contains(name))
                {
                    part.opaque = Some("calls a shell function defined in this command".into());
                }
            }
        }
        ShellAnalysis {
            parts: self.parts,
            opaque: None,
        }
    }

    /// Source text between two char indices (clamped).
    fn slice(&self, start: usize, end: usize) -> &'a str {
        let last = self.byte_at.len() - 1;
        let s = self.byte_at[start.min(last)];
        let e = self.byte_at[end.min(last)];
        if s <= e { &self.src[s..e] } else { "" }
    }

    fn span_of(loc: &Option<SourceSpan>) -> Option<(usize, usize)> {
        loc.as_ref().map(|l| (l.start.index, l.end.index))
    }

    fn program(&mut self, program: &ast::Program) {
        let ctx = Ctx::default();
        for list in &program.complete_commands {
            self.compound_list(list, &ctx);
        }
    }

    fn compound_list(&mut self, list: &ast::CompoundList, ctx: &Ctx) {
        for item in &list.0 {
            self.and_or(&item.0, ctx);
        }
    }

    fn and_or(&mut self, list: &ast::AndOrList, ctx: &Ctx) {
        self.pipeline(&list.first, ctx);
        for next in &list.additional {
            match next {
                ast::AndOr::And(p) | ast::AndOr::Or(p) => self.pipeline(p, ctx),
            }
        }
    }

    fn pipeline(&mut self, pipeline: &ast::Pipeline, ctx: &Ctx) {
        let timed = pipeline.timed.as_ref().map(|t| match t {
            ast::PipelineTimed::Timed(span) => ("time", span.start.index),
            ast::PipelineTimed::TimedWithPosixOutput(span) => ("time -p", span.start.index),
        });
        for (i, command) in pipeline.seq.iter().enumerate() {
            self.command(command, ctx, if i == 0 { timed } else { None });
        }
    }

    fn command(&mut self, command: &ast::Command, ctx: &Ctx, timed: Option<(&'static str, usize)>) {
        match command {
            ast::Command::Simple(simple) => self.simple(simple, ctx, timed),
            ast::Command::Compound(compound, redirects) => {
                let ctx = self.redirect_list(redirects.as_ref(), ctx);
                self.compound(compound, &ctx);
            }
            ast::Command::Function(def) => {
                self.functions.push(def.fname.value.clone());
                let ctx = ctx.with_opaque("inside a shell function definition");
                let ctx = self.redirect_list(def.body.1.as_ref(), &ctx);
                self.compound(&def.body.0, &ctx);
            }
            ast::Command::ExtendedTest(test, redirects) => {
                let ctx = self.redirect_list(redirects.as_ref(), ctx);
                self.keyword_part(test.loc.start.index, test.loc.end.index, &ctx);
            }
        }
    }

    /// Applies a compound command's redirections to the context of its nested parts.
    fn redirect_list(&mut self, list: Option<&ast::RedirectList>, ctx: &Ctx) -> Ctx {
        let Some(list) = list else {
            return ctx.clone();
        };
        let mut sink = ItemSink::default();
        for redirect in &list.0 {
            self.redirect(redirect, &mut sink);
        }
        let mut ctx = ctx.clone();
        ctx.redirects.extend(sink.redirects);
        if let Some(reason) = sink.reasons.first() {
            ctx = ctx.with_opaque(reason);
        }
        self.hidden_parts(sink.hidden);
        for sub in sink.process_substitutions {
            let inner = ctx.with_opaque("inside a process substitution");
            self.compound_list(&sub.list, &inner);
        }
        ctx
    }

    fn compound(&mut self, compound: &ast::CompoundCommand, ctx: &Ctx) {
        match compound {
            ast::CompoundCommand::Arithmetic(a) => {
                self.keyword_part(a.loc.start.index, a.loc.end.index, ctx);
            }
            ast::CompoundCommand::ArithmeticForClause(f) => {
                for expr in [&f.initializer, &f.condition, &f.updater]
                    .into_iter()
                    .flatten()
                {
                    self.loose_word(&expr.value);
                }
                self.compound_list(&f.body.list, ctx);
            }
            ast::CompoundCommand::BraceGroup(group) => self.compound_list(&group.list, ctx),
            ast::CompoundCommand::Subshell(sub) => {
                self.compound_list(&sub.list, &ctx.with_opaque("inside a subshell"));
            }
            ast::CompoundCommand::ForClause(f) => {
                for word in f.values.iter().flatten() {
                    self.loose_word(&word.value);
                }
                self.compound_list(&f.body.list, ctx);
            }
            ast::CompoundCommand::CaseClause(c) => {
                self.loose_word(&c.value.value);
                for item in &c.cases {
                    for pattern in &item.patterns {
                        self.loose_word(&pattern.value);
                    }
                    if let Some(body) = &item.cmd {
                        self.compound_list(body, ctx);
                    }
                }
            }
            ast::CompoundCommand::IfClause(c) => {
                self.compound_list(&c.condition, ctx);
                self.compound_list(&c.then, ctx);
                for branch in c.elses.iter().flatten() {
                    if let Some(cond) = &branch.condition {
                        self.compound_list(cond, ctx);
                    }
                    self.compound_list(&branch.body, ctx);
                }
            }
            ast::CompoundCommand::WhileClause(w) | ast::CompoundCommand::UntilClause(w) => {
                self.compound_list(&w.0, ctx);
                self.compound_list(&w.1.list, ctx);
            }
            ast::CompoundCommand::Coprocess(c) => {
                self.command(&c.body, &ctx.with_opaque("inside a coprocess"), None);
            }
        }
    }

    /// A word that is not part of a simple command (loop list, case word): only its command
    /// substitutions matter; they become opaque parts.
    fn loose_word(&mut self, word: &str) {
        let scan = scan_word(word);
        if scan.has_substitution {
            let hidden = scan
                .substitutions
                .into_iter()
                .map(|body| (body, "inside a command substitution"))
                .collect();
            self.hidden_parts(hidden);
        }
    }

    /// A `[[ ... ]]` or `(( ... ))` command: one part holding its source text.
    fn keyword_part(&mut self, start: usize, end: usize, ctx: &Ctx) {
        let source = strip_continuations(self.slice(start, end));
        let text = fold_whitespace(&source);
        let words = split_words(&text);
        let argv = words
            .iter()
            .map(|w| scan_word(w).value.unwrap_or_else(|| w.clone()))
            .collect();
        let scan = scan_word(&source);
        let mut opaque = ctx.opaque.clone();
        if scan.has_substitution && opaque.is_none() {
            opaque = Some("command substitution".into());
        }
        self.parts.push(SimpleCommand {
            raw: text.clone(),
            env: Vec::new(),
            wrappers: Vec::new(),
            argv,
            text,
            redirects: ctx.redirects.clone(),
            opaque,
        });
        let hidden = scan
            .substitutions
            .into_iter()
            .map(|body| (body, "inside a command substitution"))
            .collect();
        self.hidden_parts(hidden);
    }

    /// Parses hidden shell code and adds its simple commands as opaque parts.
    fn hidden_parts(&mut self, hidden: Hidden) {
        for (code, reason) in hidden {
            if self.depth + 1 > MAX_NESTED_ANALYSIS || code.trim().is_empty() {
                continue;
            }
            let inner = analyze_at_depth(&code, self.depth + 1);
            for mut part in inner.parts {
                if part.opaque.is_none() {
                    part.opaque = Some(reason.to_string());
                }
                self.parts.push(part);
            }
        }
    }

    /// Records one redirection of a simple or compound command.
    fn redirect(&mut self, redirect: &ast::IoRedirect, sink: &mut ItemSink) {
        match redirect {
            ast::IoRedirect::File(fd, kind, target) => {
                let op = format!("{}{kind}", fd.map(|f| f.to_string()).unwrap_or_default());
                match target {
                    ast::IoFileRedirectTarget::Filename(word) => {
                        if let Some((s, e)) = Self::span_of(&word.loc) {
                            sink.spans.push((s, e, true));
                        }
                        let writes = matches!(
                            kind,
                            ast::IoFileRedirectKind::Write
                                | ast::IoFileRedirectKind::Append
                                | ast::IoFileRedirectKind::Clobber
                                | ast::IoFileRedirectKind::ReadAndWrite
                        );
                        file_redirect(sink, writes.then_some(op), &word.value);
                    }
                    ast::IoFileRedirectTarget::Duplicate(word) => {
                        if let Some((s, e)) = Self::span_of(&word.loc) {
                            sink.spans.push((s, e, true));
                        }
                        let scan = scan_word(&word.value);
                        sink.note_word_scan(&scan, "command substitution in a redirection");
                        let target = scan
                            .value
                            .clone()
                            .unwrap_or_else(|| fold_whitespace(&word.value));
                        let is_fd = {
                            let t = target.strip_suffix('-').unwrap_or(&target);
                            t.chars().all(|c| c.is_ascii_digit())
                        };
                        // `>&file` (no number) writes stdout and stderr to `file`.
                        if matches!(kind, ast::IoFileRedirectKind::DuplicateOutput) && !is_fd {
                            sink.redirects.push(Redirect { op, target });
                        }
                    }
                    ast::IoFileRedirectTarget::Fd(_) => {}
                    ast::IoFileRedirectTarget::ProcessSubstitution(_, sub) => {
                        sink.spans.push((
                            sub.loc.start.index.saturating_sub(1),
                            sub.loc.end.index,
                            true,
                        ));
                        sink.reasons.push("process substitution".into());
                        sink.process_substitutions.push(sub.clone());
                    }
                }
            }
            ast::IoRedirect::OutputAndError(word, append) => {
                if let Some((s, e)) = Self::span_of(&word.loc) {
                    sink.spans.push((s, e, true));
                }
                let op = if *append { "&>>" } else { "&>" };
                file_redirect(sink, Some(op.into()), &word.value);
            }
            ast::IoRedirect::HereDocument(_, doc) => {
                if let Some((s, e)) = Self::span_of(&doc.here_end.loc) {
                    sink.spans.push((s, e, true));
                }
                if doc.requires_expansion {
                    let scan = scan_heredoc(&doc.doc.value);
                    if scan.has_substitution {
                        sink.reasons
                            .push("here-document with command substitution".into());
                        for body in scan.substitutions {
                            sink.hidden.push((body, "inside a command substitution"));
                        }
                    }
                }
            }
            ast::IoRedirect::HereString(_, word) => {
                if let Some((s, e)) = Self::span_of(&word.loc) {
                    sink.spans.push((s, e, true));
                }
                let scan = scan_word(&word.value);
                sink.note_word_scan(&scan, "command substitution in a here-string");
            }
        }
    }

    fn word_info(word: &ast::Word, sink: &mut ItemSink) -> WordInfo {
        if let Some((s, e)) = Self::span_of(&word.loc) {
            sink.spans.push((s, e, false));
        }
        word_text_info(&word.value, sink)
    }

    fn simple(
        &mut self,
        simple: &ast::SimpleCommand,
        ctx: &Ctx,
        timed: Option<(&'static str, usize)>,
    ) {
        let mut sink = ItemSink::default();
        let mut env = Vec::new();
        let mut words: Vec<WordInfo> = Vec::new();

        let prefix = simple.prefix.iter().flat_map(|p| p.0.iter());
        let suffix = simple.suffix.iter().flat_map(|s| s.0.iter());
        for item in prefix {
            match item {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(_, word) => {
                    Self::word_info(word, &mut sink);
                    env.push(split_assignment(&word.value));
                }
                other => self.item(other, &mut sink, &mut words),
            }
        }
        if let Some(name) = &simple.word_or_name {
            words.push(Self::word_info(name, &mut sink));
        }
        for item in suffix {
            self.item(item, &mut sink, &mut words);
        }
        let raw = self.raw_text(&sink.spans, timed.map(|t| t.1));
        self.push_simple(env, words, sink, ctx, timed, raw);
    }

    /// Adds the part made of a simple command's words and redirections (`raw` is its
    /// source text), and the hidden commands it runs.
    fn push_simple(
        &mut self,
        env: Vec<(String, String)>,
        words: Vec<WordInfo>,
        mut sink: ItemSink,
        ctx: &Ctx,
        timed: Option<(&'static str, usize)>,
        raw: String,
    ) {
        // Wrappers.
        let argv_all: Vec<String> = words.iter().map(|w| w.value.clone()).collect();
        let mut wrappers = Vec::new();
        if let Some((name, _)) = timed {
            wrappers.push(name.to_string());
        }
        let mut start = 0;
        while start < argv_all.len() {
            let Some(n) = wrapper_len(&argv_all[start..]) else {
                break;
            };
            wrappers.push(join_written(&words[start..start + n]));
            start += n;
        }
        let words = &words[start..];
        let argv: Vec<String> = argv_all[start..].to_vec();
        let text = join_written(words);

        let mut reasons = Vec::new();
        if let Some(reason) = &ctx.opaque {
            reasons.push(reason.clone());
        }
        reasons.append(&mut sink.reasons);
        let mut hidden = std::mem::take(&mut sink.hidden);
        special_commands(&argv, words, &mut reasons, &mut hidden);

        let mut redirects = ctx.redirects.clone();
        redirects.append(&mut sink.redirects);

        self.parts.push(SimpleCommand {
            raw,
            env,
            wrappers,
            argv,
            text,
            redirects,
            opaque: reasons.into_iter().next(),
        });
        self.hidden_parts(hidden);
        for sub in sink.process_substitutions {
            let inner = ctx.with_opaque("inside a process substitution");
            self.compound_list(&sub.list, &inner);
        }
    }

    fn item(
        &mut self,
        item: &ast::CommandPrefixOrSuffixItem,
        sink: &mut ItemSink,
        words: &mut Vec<WordInfo>,
    ) {
        match item {
            ast::CommandPrefixOrSuffixItem::IoRedirect(redirect) => self.redirect(redirect, sink),
            ast::CommandPrefixOrSuffixItem::Word(word)
            | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, word) => {
                words.push(Self::word_info(word, sink));
            }
            ast::CommandPrefixOrSuffixItem::ProcessSubstitution(kind, sub) => {
                let start = sub.loc.start.index;
                sink.spans
                    .push((start.saturating_sub(1), sub.loc.end.index, false));
                let written = format!(
                    "{kind}{}",
                    fold_whitespace(&strip_continuations(self.slice(start, sub.loc.end.index)))
                );
                words.push(WordInfo {
                    value: written.clone(),
                    written,
                    is_static: false,
                });
                sink.reasons.push("process substitution".into());
                sink.process_substitutions.push(sub.clone());
            }
        }
    }

    /// The part's source text from its item spans, extended backwards over a leading
    /// redirection operator (and `time`), whitespace folded.
    fn raw_text(&self, spans: &[(usize, usize, bool)], timed_start: Option<usize>) -> String {
        let Some(&(mut start, _, first_is_redirect)) = spans.iter().min_by_key(|s| s.0) else {
            return String::new();
        };
        let end = spans.iter().map(|s| s.1).max().unwrap_or(start);
        if first_is_redirect {
            start = self.extend_over_operator(start);
        }
        if let Some(t) = timed_start {
            start = start.min(t);
        }
        fold_whitespace(&strip_continuations(self.slice(start, end)))
    }

    /// Moves a start index back over the redirection operator (and fd number) just before it.
    fn extend_over_operator(&self, start: usize) -> usize {
        let Some(idx) = self
            .tokens
            .iter()
            .position(|t| t.location().start.index == start)
        else {
            return start;
        };
        let mut idx = idx;
        let mut result = start;
        if idx > 0
            && let Token::Operator(op, loc) = &self.tokens[idx - 1]
            && (op.starts_with('<') || op.starts_with('>') || op.starts_with("&>"))
        {
            idx -= 1;
            result = loc.start.index;
            if idx > 0
                && let Token::Word(w, wloc) = &self.tokens[idx - 1]
                && !w.is_empty()
                && w.chars().all(|c| c.is_ascii_digit())
                && wloc.end.index == loc.start.index
            {
                result = wloc.start.index;
            }
        }
        result
    }
}

/// What one word as written holds: its value when static, and any command substitution
/// (noted in `sink`).
fn word_text_info(text: &str, sink: &mut ItemSink) -> WordInfo {
    let scan = scan_word(text);
    sink.note_word_scan(&scan, "command substitution");
    WordInfo {
        written: fold_whitespace(text),
        is_static: scan.value.is_some(),
        value: scan.value.unwrap_or_else(|| text.to_string()),
    }
}

/// Are all command substitutions of a word `$(cat <<'EOF' ... EOF)`, i.e. literal text?
fn only_literal_heredocs(scan: &WordScan) -> bool {
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
fn plain_literal_heredoc(commands: &[plain::Plain<'_>]) -> bool {
    matches!(
        commands,
        [plain::Plain { items, .. }] if matches!(
            items.as_slice(),
            [plain::Item::Word("cat"), plain::Item::HereDoc { quoted: true }]
        )
    )
}

/// [`is_literal_heredoc`] with the full parser.
fn parsed_literal_heredoc(body: &str) -> bool {
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

/// Joins words as written with single spaces.
fn join_written(words: &[WordInfo]) -> String {
    words
        .iter()
        .map(|w| w.written.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Marks commands that run code a rule cannot see (`eval`, `exec`, `source`, `trap`,
/// `sh -c`, `su -c`, `flock -c`, `env -S`, an expanded command name), looking through exec
/// wrappers too; recovers the hidden code where it is static.
fn special_commands(
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
                if args.iter().take_while(|a| a.starts_with('-')).any(|a| {
                    a == "-S"
                        || a.starts_with("--split-string")
                        || (!a.starts_with("--") && a.contains('S'))
                }) =>
            {
                reasons.push("env -S runs a string as a command".into());
            }
            shell if SHELLS.contains(&shell) => {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn argvs(a: &ShellAnalysis) -> Vec<String> {
        a.parts.iter().map(|p| p.argv.join(" ")).collect()
    }

    #[test]
    fn splits_into_parts() {
        let cases: &[(&str, &[&str])] = &[
            (
                "git diff HEAD && rm -rf build",
                &["git diff HEAD", "rm -rf build"],
            ),
            ("a | b |& c; d & e || f", &["a", "b", "c", "d", "e", "f"]),
            ("a\nb\nc\nd\ne\nf", &["a", "b", "c", "d", "e", "f"]),
            ("a |\n b && \n c", &["a", "b", "c"]),
            ("for f in *.rs; do wc -l $f; done", &["wc -l $f"]),
            (
                "if test -f x; then cat x; elif true; then :; else echo no; fi",
                &["test -f x", "cat x", "true", ":", "echo no"],
            ),
            (
                "while read l; do echo \"$l\"; done < in.txt",
                &["read l", "echo \"$l\""],
            ),
            ("until false; do sleep 1; done", &["false", "sleep 1"]),
            ("case $x in a) echo a;; b|c) ls;; esac", &["echo a", "ls"]),
            ("{ ls; pwd; } > out.txt", &["ls", "pwd"]),
            ("ls # a comment; rm -rf /", &["ls"]),
            ("echo 'a;b' \"c && d\"", &["echo a;b c && d"]),
            (
                "! grep -q x f && echo missing",
                &["grep -q x f", "echo missing"],
            ),
            ("", &[]),
            ("   ", &[]),
            ("ls \\\n  -la", &["ls -la"]),
            ("FOO=1", &[""]),
        ];
        for (input, expected) in cases {
            let a = analyze(input);
            assert_eq!(a.opaque, None, "{input:?}");
            assert_eq!(argvs(&a), *expected, "{input:?}");
        }
    }

    #[test]
    fn env_wrappers_text() {
        // (input, env, wrappers, argv, text)
        type Case<'a> = (
            &'a str,
            &'a [(&'a str, &'a str)],
            &'a [&'a str],
            &'a [&'a str],
            &'a str,
        );
        let cases: &[Case] = &[
            (
                "timeout 5 git log",
                &[],
                &["timeout 5"],
                &["git", "log"],
                "git log",
            ),
            (
                "timeout -s KILL 5 x",
                &[],
                &["timeout -s KILL 5"],
                &["x"],
                "x",
            ),
            (
                "timeout --preserve-status 10s x y",
                &[],
                &["timeout --preserve-status 10s"],
                &["x", "y"],
                "x y",
            ),
            (
                "time git status",
                &[],
                &["time"],
                &["git", "status"],
                "git status",
            ),
            ("time -p make", &[], &["time -p"], &["make"], "make"),
            ("nice -n 10 x", &[], &["nice -n 10"], &["x"], "x"),
            ("nice x", &[], &["nice"], &["x"], "x"),
            (
                "nohup npm start",
                &[],
                &["nohup"],
                &["npm", "start"],
                "npm start",
            ),
            (
                "stdbuf -o0 -eL grep x",
                &[],
                &["stdbuf -o0 -eL"],
                &["grep", "x"],
                "grep x",
            ),
            (
                "command ls -la",
                &[],
                &["command"],
                &["ls", "-la"],
                "ls -la",
            ),
            (
                "command -v git",
                &[],
                &[],
                &["command", "-v", "git"],
                "command -v git",
            ),
            (
                "command -V git",
                &[],
                &[],
                &["command", "-V", "git"],
                "command -V git",
            ),
            (
                "builtin cd /tmp",
                &[],
                &["builtin"],
                &["cd", "/tmp"],
                "cd /tmp",
            ),
            ("noglob ls *", &[], &["noglob"], &["ls", "*"], "ls *"),
            (
                "nocorrect ls",
                &[],
                &[],
                &["nocorrect", "ls"],
                "nocorrect ls",
            ),
            (
                "xargs grep foo",
                &[],
                &["xargs"],
                &["grep", "foo"],
                "grep foo",
            ),
            (
                "xargs -n1 grep foo",
                &[],
                &[],
                &["xargs", "-n1", "grep", "foo"],
                "xargs -n1 grep foo",
            ),
            ("xargs", &[], &[], &["xargs"], "xargs"),
            (
                "timeout 5 nice -n 2 nohup x",
                &[],
                &["timeout 5", "nice -n 2", "nohup"],
                &["x"],
                "x",
            ),
            ("timeout", &[], &[], &["timeout"], "timeout"),
            ("nohup", &[], &[], &["nohup"], "nohup"),
            (
                "FOO=1 npm test",
                &[("FOO", "1")],
                &[],
                &["npm", "test"],
                "npm test",
            ),
            (
                "A=1 B='x y' cmd",
                &[("A", "1"), ("B", "'x y'")],
                &[],
                &["cmd"],
                "cmd",
            ),
            (
                "NODE_ENV=test timeout 5 npm test",
                &[("NODE_ENV", "test")],
                &["timeout 5"],
                &["npm", "test"],
                "npm test",
            ),
            (
                "git   commit  -m  \"a  b\"",
                &[],
                &[],
                &["git", "commit", "-m", "a  b"],
                "git commit -m \"a b\"",
            ),
            (
                "echo 'it''s' $'a\\tb' \"$HOME\"",
                &[],
                &[],
                &["echo", "its", "a\tb", "\"$HOME\""],
                "echo 'it''s' $'a\\tb' \"$HOME\"",
            ),
            ("cat x > out 2>&1", &[], &[], &["cat", "x"], "cat x"),
            (
                "sudo rm -rf x",
                &[],
                &[],
                &["sudo", "rm", "-rf", "x"],
                "sudo rm -rf x",
            ),
            ("make CC=gcc", &[], &[], &["make", "CC=gcc"], "make CC=gcc"),
            ("\\rm -f x", &[], &[], &["rm", "-f", "x"], "\\rm -f x"),
        ];
        for (input, env, wrappers, argv, text) in cases {
            let a = analyze(input);
            assert_eq!(a.parts.len(), 1, "{input:?}: {a:?}");
            let p = &a.parts[0];
            let env: Vec<(String, String)> = env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(p.env, env, "{input:?}");
            assert_eq!(p.wrappers, *wrappers, "{input:?}");
            assert_eq!(p.argv, *argv, "{input:?}");
            assert_eq!(p.text, *text, "{input:?}");
            assert_eq!(p.opaque, None, "{input:?}");
        }
    }

    #[test]
    fn raw_text() {
        let cases: &[(&str, &[&str])] = &[
            (
                "git  diff   HEAD && rm -rf build",
                &["git diff HEAD", "rm -rf build"],
            ),
            ("FOO=1 timeout 5 ls > out", &["FOO=1 timeout 5 ls > out"]),
            ("time -p ls", &["time -p ls"]),
            (">out echo hi", &[">out echo hi"]),
            ("2>err ls", &["2>err ls"]),
            ("cat <<EOF | grep x\nhello\nEOF", &["cat <<EOF", "grep x"]),
        ];
        for (input, expected) in cases {
            let a = analyze(input);
            let raws: Vec<&str> = a.parts.iter().map(|p| p.raw.as_str()).collect();
            assert_eq!(raws, *expected, "{input:?}");
        }
    }

    #[test]
    fn redirects() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("cat x > /etc/passwd", &[(">", "/etc/passwd")]),
            ("ls 2>/dev/null", &[("2>", "/dev/null")]),
            ("echo hi 2>&1", &[]),
            ("echo hi >&2", &[]),
            ("echo hi 1>&2 2>&-", &[]),
            ("sort < in.txt", &[]),
            ("cat <<EOF\nx\nEOF", &[]),
            ("grep x <<< \"$y\"", &[]),
            ("echo hi >> log.txt", &[(">>", "log.txt")]),
            ("echo hi &> all.log", &[("&>", "all.log")]),
            ("echo hi &>> all.log", &[("&>>", "all.log")]),
            ("echo hi >| forced", &[(">|", "forced")]),
            ("echo hi >&file.txt", &[(">&", "file.txt")]),
            ("echo hi 3<> rw.txt", &[("3<>", "rw.txt")]),
            ("echo hi > 'my file'", &[(">", "my file")]),
            ("echo hi > \"$OUT\"", &[(">", "\"$OUT\"")]),
            ("echo hi > ~/x", &[(">", "~/x")]),
            ("{ echo a; } > grouped.txt", &[(">", "grouped.txt")]),
            (
                "for i in 1; do echo $i; done >> loop.txt",
                &[(">>", "loop.txt")],
            ),
        ];
        for (input, expected) in cases {
            let a = analyze(input);
            assert!(!a.parts.is_empty(), "{input:?}");
            let got: Vec<(String, String)> = a.parts[0]
                .redirects
                .iter()
                .map(|r| (r.op.clone(), r.target.clone()))
                .collect();
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(o, t)| (o.to_string(), t.to_string()))
                .collect();
            assert_eq!(got, expected, "{input:?}");
        }
    }

    #[test]
    fn opaque_parts() {
        // (input, is some part opaque, inner argv that must be listed as a part)
        let cases: &[(&str, bool, Option<&str>)] = &[
            ("ls $(whoami)", true, Some("whoami")),
            ("ls `whoami`", true, Some("whoami")),
            ("echo \"today: $(date +%F)\"", true, Some("date +%F")),
            ("echo ${x:-$(rm -rf y)}", true, Some("rm -rf y")),
            ("bash -c 'rm -rf /'", true, Some("rm -rf /")),
            ("sh -c \"echo hi\"", true, Some("echo hi")),
            ("bash -lc 'make test'", true, Some("make test")),
            ("sudo bash -c 'rm x'", true, Some("rm x")),
            ("timeout 5 sh -c 'ls'", true, Some("ls")),
            ("xargs sh -c 'rm x'", true, Some("rm x")),
            ("su -c 'rm x' root", true, Some("rm x")),
            ("(cd x && make)", true, Some("make")),
            ("eval \"rm -rf x\"", true, Some("rm -rf x")),
            ("exec rm -rf x", true, Some("rm -rf x")),
            ("source ./env.sh", true, None),
            (". ./env.sh", true, None),
            ("trap 'rm -f x' EXIT", true, Some("rm -f x")),
            ("$CMD args", true, None),
            ("\"$CMD\" args", true, None),
            ("${CMD} args", true, None),
            ("f() { rm -rf x; }; f", true, Some("rm -rf x")),
            ("diff <(ls a) <(ls b)", true, Some("ls a")),
            ("tee >(grep x) < f", true, Some("grep x")),
            ("cat <<EOF\n$(rm -rf /)\nEOF", true, Some("rm -rf /")),
            ("cat <<EOF\n`id`\nEOF", true, Some("id")),
            ("for f in $(ls); do echo $f; done", true, Some("ls")),
            ("X=$(id) ls", true, Some("id")),
            ("env -S 'rm x'", true, None),
            ("flock /tmp/l -c 'make'", true, Some("make")),
            ("coproc cat", true, None),
            (
                "git commit -m \"$(cat <<EOF\nmsg $(id)\nEOF\n)\"",
                true,
                Some("id"),
            ),
            (
                "git commit -m \"$(cat <<'EOF'\nmsg\nEOF\nrm -rf x\n)\"",
                true,
                Some("rm -rf x"),
            ),
            (
                "git commit -m \"$(cat <<'EOF' | sh\nmsg\nEOF\n)\"",
                true,
                Some("sh"),
            ),
            ("git commit -m \"$(cat x <<'EOF'\nmsg\nEOF\n)\"", true, None),
            // Not opaque:
            ("cat <<'EOF'\n$(rm -rf /)\nEOF", false, None),
            ("cat <<\"EOF\"\n`id`\nEOF", false, None),
            ("cat <<EOF\n$HOME and ${USER}\nEOF", false, None),
            ("echo '$(not run)'", false, None),
            ("echo \\$\\(not run\\)", false, None),
            ("echo $((1 + 2))", false, None),
            (
                "git commit -m \"$(cat <<'EOF'\nFix (bug)\n\nCo-Authored-By: x\nEOF\n)\"",
                false,
                None,
            ),
            (
                "MSG=$(cat <<'EOF'\nhi $(id)\nEOF\n) git tag -a v1 -m \"$MSG\"",
                false,
                None,
            ),
            ("bash script.sh", false, None),
            ("trap - EXIT", false, None),
            ("{ ls; }", false, None),
            ("echo $HOME", false, None),
        ];
        for (input, opaque, inner) in cases {
            let a = analyze(input);
            assert_eq!(a.opaque, None, "{input:?}");
            let any = a.parts.iter().any(|p| p.opaque.is_some());
            assert_eq!(any, *opaque, "{input:?}: {a:#?}");
            if let Some(inner) = inner {
                assert!(
                    a.parts
                        .iter()
                        .any(|p| p.argv.join(" ") == *inner && p.opaque.is_some()),
                    "{input:?} should list {inner:?}: {a:#?}"
                );
            }
        }
    }

    #[test]
    fn commit_messages_in_a_literal_heredoc_are_data() {
        // Apostrophes, parentheses and quotes in the body do not end or open anything.
        for body in [
            "I'll fix it",
            "fix (part",
            "say \"hi\" (x",
            "close)",
            "a\n\nb's",
        ] {
            let line = format!("git commit -m \"$(cat <<'EOF'\n{body}\nEOF\n)\" && git log -1");
            let a = analyze(&line);
            assert_eq!(argvs(&a)[1], "git log -1", "{line:?}");
            assert_eq!(a.parts[0].opaque, None, "{line:?}");
            assert_eq!(a.opaque, None, "{line:?}");
        }
        // A body that expands stays opaque, and its hidden command is listed.
        let a = analyze("git commit -m \"$(cat <<EOF\nit's $(rm -rf /)\nEOF\n)\"");
        assert!(a.parts[0].opaque.is_some());
        assert!(
            argvs(&a).contains(&"rm -rf /".to_string()),
            "{:?}",
            argvs(&a)
        );
    }

    #[test]
    fn heredoc_body_is_data() {
        let a = analyze("cat <<'EOF'\n$(rm -rf /)\nEOF");
        assert_eq!(a.parts.len(), 1);
        assert_eq!(a.parts[0].argv, vec!["cat"]);
        assert_eq!(a.parts[0].text, "cat");
        assert_eq!(a.parts[0].opaque, None);
        let a = analyze("cat <<EOF > notes.md\nline one\nline two\nEOF\ngit status");
        assert_eq!(argvs(&a), vec!["cat", "git status"]);
        assert_eq!(a.parts[0].redirects.len(), 1);
    }

    #[test]
    fn whole_line_opaque() {
        let long = format!("echo {}", "a".repeat(9_996));
        assert_eq!(long.chars().count(), 10_001);
        let just_fits = format!("echo {}", "a".repeat(9_995));
        let cases: &[(&str, bool)] = &[
            (&long, true),
            (&just_fits, false),
            ("echo 'unterminated", true),
            ("ls &&", true),
            ("if then fi", true),
            ("99999999999999999999>x", true),
            ("rm -rf x )", true),
        ];
        for (input, opaque) in cases {
            let a = analyze(input);
            assert_eq!(a.opaque.is_some(), *opaque, "{input:.60}");
            if *opaque {
                assert_eq!(a.parts.len(), 1, "{input:.60}");
                assert!(a.parts[0].opaque.is_some());
            }
        }
        let a = analyze("FOO=1 rm -rf x 'unterminated");
        assert_eq!(a.parts[0].env, vec![("FOO".to_string(), "1".to_string())]);
        assert_eq!(a.parts[0].argv[0], "rm");
    }

    #[test]
    fn scan_word_cases() {
        // (word, static value, substitution, expansion, glob)
        let cases: &[(&str, Option<&str>, bool, bool, bool)] = &[
            ("plain", Some("plain"), false, false, false),
            ("'a b'", Some("a b"), false, false, false),
            ("\"a\\\"b\"", Some("a\"b"), false, false, false),
            ("\"a\\qb\"", Some("a\\qb"), false, false, false),
            ("a\\ b", Some("a b"), false, false, false),
            ("\\-delete", Some("-delete"), false, false, false),
            ("$'x\\ny'", Some("x\ny"), false, false, false),
            ("~/x", Some("~/x"), false, false, false),
            ("*.rs", Some("*.rs"), false, false, true),
            ("'*.rs'", Some("*.rs"), false, false, false),
            ("a?", Some("a?"), false, false, true),
            ("[ab]", Some("[ab]"), false, false, true),
            ("{a,b}", Some("{a,b}"), false, false, true),
            ("{}", Some("{}"), false, false, false),
            ("$HOME", None, false, true, false),
            ("\"$HOME\"", None, false, true, false),
            ("'$HOME'", Some("$HOME"), false, false, false),
            ("$((1+2))", None, false, true, false),
            ("$(id)", None, true, false, false),
            ("\"$(id)\"", None, true, false, false),
            ("`id`", None, true, false, false),
            ("${a:-`id`}", None, true, true, false),
            ("$", Some("$"), false, false, false),
            ("a$", Some("a$"), false, false, false),
        ];
        for (word, value, subst, expansion, glob) in cases {
            let s = scan_word(word);
            assert_eq!(s.value.as_deref(), *value, "{word:?}");
            assert_eq!(s.has_substitution, *subst, "{word:?}");
            assert_eq!(s.has_expansion, *expansion, "{word:?}");
            assert_eq!(s.has_glob, *glob, "{word:?}");
        }
        assert_eq!(
            scan_word("x$(a $(b) c)y`d`").substitutions,
            vec!["a $(b) c", "d"]
        );
        // The shortcuts for bare words give what the full scan and split give.
        for text in ["git  status -s", " ls -la ", "a=b c:d e@f", "", "  "] {
            assert_eq!(split_words(text), split_words_stepped(text), "{text:?}");
        }
        let bare = "aZ09_-./:@%+,=~^";
        for a in bare.chars() {
            for b in bare.chars() {
                let word = format!("{a}{b}{a}");
                assert_eq!(scan_word(&word), scan(&word, true), "{word:?}");
            }
        }
    }

    #[test]
    fn split_words_cases() {
        let cases: &[(&str, &[&str])] = &[
            ("a b  c", &["a", "b", "c"]),
            (
                "echo 'a b' \"c d\" e\\ f",
                &["echo", "'a b'", "\"c d\"", "e\\ f"],
            ),
            (
                "ls $(echo a b) ${x:-a b} `c d`",
                &["ls", "$(echo a b)", "${x:-a b}", "`c d`"],
            ),
            ("diff <(ls a) >(cat)", &["diff", "<(ls a)", ">(cat)"]),
            (
                "echo \"$(echo \"a b\")\" x",
                &["echo", "\"$(echo \"a b\")\"", "x"],
            ),
            (
                "echo $((1 + (2 * 3))) x",
                &["echo", "$((1 + (2 * 3)))", "x"],
            ),
            ("a=(1 2) b", &["a=(1 2)", "b"]),
            ("", &[]),
        ];
        for (input, expected) in cases {
            assert_eq!(split_words(input), *expected, "{input:?}");
        }
    }

    #[test]
    fn wrapper_helpers() {
        let v = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let wrapper_cases: &[(&str, Option<usize>)] = &[
            ("timeout 5 x", Some(2)),
            ("timeout -k 5 10 x", Some(4)),
            ("timeout --signal=KILL 1.5m x", Some(3)),
            ("timeout x y", None),
            ("timeout 5", None),
            ("nice -10 x", Some(2)),
            ("nice --adjustment=3 x", Some(2)),
            ("stdbuf --output=L x", Some(2)),
            ("stdbuf -o L x", Some(3)),
            ("command -p ls", Some(2)),
            ("command -v ls", None),
            ("time -p ls", Some(2)),
            ("time -o f ls", None),
            ("xargs -0 rm", None),
        ];
        for (input, expected) in wrapper_cases {
            assert_eq!(wrapper_len(&v(input)), *expected, "{input:?}");
        }
        let exec_cases: &[(&str, Option<usize>)] = &[
            ("env FOO=1 rm -rf y", Some(2)),
            ("env -i -u HOME A=1 B=2 rm", Some(6)),
            ("env -C /tmp rm", Some(3)),
            ("env", None),
            ("env -S x", None),
            ("sudo rm -rf x", Some(1)),
            ("sudo -u root -E rm", Some(4)),
            ("sudo -uroot rm", Some(2)),
            ("sudo --user=root FOO=1 rm", Some(3)),
            ("doas -u root rm", Some(3)),
            ("watch -n 1 ls", Some(3)),
            ("watch -d ls", Some(2)),
            ("ionice -c 3 rm x", Some(3)),
            ("ionice -p 123", None),
            ("setsid -f rm x", Some(2)),
            ("flock /tmp/l rm x", Some(2)),
            ("flock -w 5 /tmp/l rm x", Some(4)),
            ("flock /tmp/l -c x", None),
            ("nice -n 5 rm", Some(3)),
            ("rm x", None),
        ];
        for (input, expected) in exec_cases {
            assert_eq!(exec_wrapper_len(&v(input)), *expected, "{input:?}");
        }
        assert_eq!(
            command_starts(&v("sudo timeout 5 env A=1 rm x")),
            vec![0, 1, 3, 5]
        );
        assert_eq!(command_starts(&v("rm x")), vec![0]);
    }

    /// Deterministic pseudo-random odd inputs: the analysis must never panic, and every
    /// parsed part's text must split back into exactly its argv.
    #[test]
    fn never_panics_on_odd_inputs() {
        let fragments = [
            "ls",
            "-la",
            "'",
            "\"",
            "`",
            "$(",
            ")",
            "(",
            "{",
            "}",
            ";",
            ";;",
            "|",
            "||",
            "&",
            "&&",
            "|&",
            "<",
            ">",
            ">>",
            "<<",
            "<<-",
            "<<<",
            "EOF",
            "\n",
            "\\",
            "$",
            "${",
            "$((",
            "))",
            "#",
            "!",
            "*",
            "?",
            "[",
            "]",
            "[[",
            "]]",
            "if",
            "then",
            "fi",
            "for",
            "in",
            "do",
            "done",
            "case",
            "esac",
            "while",
            "function",
            "f()",
            "x=1",
            "A=(1 2)",
            "2>&1",
            "&>",
            "\0",
            "é",
            "日本",
            "🙂",
            "\t",
            " ",
            "'a b'",
            "\"$x\"",
            "$'\\x41'",
            "~",
            "coproc",
            "time",
            "sudo",
            "bash -c",
            "eval",
            "exec",
            "99999999999999999999>",
            "<(",
            ">(",
            "select",
            "\u{a0}",
            "\r\n",
            "--",
            "-c",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut inputs: Vec<String> = vec![
            "|".into(),
            ";;".into(),
            "&".into(),
            "&&".into(),
            "((".into(),
            ")".into(),
            "}".into(),
            "\0".into(),
            "ls\0-la".into(),
            "echo \"unterminated".into(),
            "cat <<EOF".into(),
            "cat <<EOF\nno end".into(),
            "$(".into(),
            "`".into(),
            "a=(".into(),
            "[[ -f x".into(),
            "case x in".into(),
            "f() {".into(),
            "x".repeat(20_000),
            "(".repeat(3_000) + &")".repeat(3_000),
            "$(".repeat(3_000) + &")".repeat(3_000),
            "{ ".repeat(2_000) + "x" + &"; }".repeat(2_000),
            "echo ".to_string() + &"\"$(".repeat(1_500) + &")\"".repeat(1_500),
            "if x; then ".repeat(900) + "y" + &"; fi".repeat(900),
            "a | ".repeat(2_400) + "b",
            "ls; ".repeat(2_499),
            "日本語 ".repeat(1_000),
            "echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo deep))))))))".into(),
        ];
        for _ in 0..400 {
            let len = (next() % 12) as usize + 1;
            let mut s = String::new();
            for _ in 0..len {
                s.push_str(fragments[(next() % fragments.len() as u64) as usize]);
                if next() % 3 == 0 {
                    s.push(' ');
                }
            }
            inputs.push(s);
        }
        for input in &inputs {
            let a = analyze(input);
            if a.opaque.is_none() {
                for p in &a.parts {
                    assert_eq!(
                        split_words(&p.text).len(),
                        p.argv.len(),
                        "{input:?} part {p:?}"
                    );
                }
            } else {
                assert!(a.parts.len() <= 1);
            }
        }
    }

    #[test]
    fn runs_of_unclosed_parens_do_not_reach_the_parser() {
        // The parser's time doubles with every unclosed `(`: 40 would never finish.
        let a = analyze(&format!("echo {}", "(".repeat(40)));
        assert_eq!(a.opaque.as_deref(), Some("unbalanced parentheses"));
        // A few unbalanced ones still go to the parser (and fail there, as in Bash).
        assert!(analyze("echo ((").opaque.is_some());
    }

    /// Every Bash command of the bundled transcripts, and tool inputs nested in them.
    fn real_commands() -> Vec<String> {
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    if m.get("name").and_then(|n| n.as_str()) == Some("Bash")
                        && let Some(c) = v.pointer("/input/command").and_then(|c| c.as_str())
                    {
                        out.push(c.to_string());
                    }
                    m.values().for_each(|x| walk(x, out));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/real");
        let mut stack = vec![root];
        let mut out = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "jsonl") {
                    for line in std::fs::read_to_string(&path).unwrap().lines() {
                        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                            walk(&v, &mut out);
                        }
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// A fixed sequence of numbers below the bound asked for (xorshift), for generated lines.
    fn pseudo_random(mut state: u64) -> impl FnMut(usize) -> usize {
        move |m| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        }
    }

    /// Lines built from plain pieces and from pieces the fast path must refuse, by a fixed
    /// pseudo-random sequence.
    fn generated_commands(n: usize) -> Vec<String> {
        const WORDS: &[&str] = &[
            "git",
            "status",
            "ls",
            "-la",
            "cargo",
            "test",
            "--",
            "x=1",
            "a=b",
            "2",
            "12",
            "2x",
            "'a b'",
            "'it''s'",
            "\"q  r\"",
            "\"if\"",
            "if",
            "then",
            "time",
            "timeout",
            "5",
            "nice",
            "-n",
            "nohup",
            "xargs",
            "env",
            "sh",
            "bash",
            "-c",
            "'ls && rm x'",
            "eval",
            "exec",
            "source",
            ".",
            "trap",
            "'rm x'",
            "EXIT",
            "command",
            "-v",
            "sudo",
            "rm",
            "-rf",
            "/tmp/x",
            "~/y",
            "*.rs",
            "a?",
            "é",
            "\"é\"",
            "'$HOME'",
            "\"a!\"",
            "-",
            "--format=\"%h %s\"",
            "{a,b}",
            "[x]",
            "#c",
            "a#b",
            "$x",
            "\"$x\"",
            "`d`",
            "a\\ b",
            "@(x)",
            "%",
            "+x",
            ",",
            ":",
            "^",
            "=",
            "a=",
            "stdbuf",
            "-oL",
            "builtin",
            "noglob",
            "find",
            ".",
            "-exec",
            "{}",
            "\\;",
            "-delete",
            "\"\"",
            "''",
        ];
        const JOINS: &[&str] = &[
            " ", " ", " ", "  ", "\t", " && ", "&&", " || ", " | ", "|", "; ", ";", "\n", " & ",
            " |& ", " > ", ">", " >> ", " 2> ", "2>", " 2>&1 ", " >&2 ", " &> ", " &>> ", " < ",
            " <<< ", " >| ", " >&- ", " 1>&2- ", " 3> ", " >&", "( ", " )", " ;; ", "\n\n",
        ];
        let mut next = pseudo_random(0x9e37_79b9_7f4a_7c15);
        (0..n)
            .map(|_| {
                let len = 1 + next(8);
                let mut line = String::new();
                for k in 0..len {
                    if k > 0 {
                        line.push_str(JOINS[next(JOINS.len())]);
                    }
                    line.push_str(WORDS[next(WORDS.len())]);
                }
                if next(6) == 0 {
                    line.push_str([";", "\n", " ", " &&", " |"][next(5)]);
                }
                line
            })
            .collect()
    }

    /// Here-documents (at the top level and in Claude Code's commit idiom) with bodies of
    /// quotes, parentheses, expansions and blank lines.
    fn generated_heredocs(n: usize) -> Vec<String> {
        const BODY: &[&str] = &[
            "plain text",
            "I'll fix it",
            "fix (part",
            "close)",
            "say \"hi\"",
            "`code`",
            "$HOME",
            "$(rm -rf /)",
            "a\\b",
            "",
            "EOF x",
            " EOF",
            "EOFX",
            "déjà vu",
            "'",
            "\"",
            "if x; then",
            "}",
            "{",
            "#!/bin/sh",
            "\t tab",
        ];
        const OPEN: &[&str] = &[
            "cat > /tmp/a.py << 'EOF'",
            "cat <<'EOF'",
            "cat <<EOF",
            "cat << \"EOF\" > out",
            "cat <<EOF >>log && ls",
            "tee x <<'EOF' | wc -l",
            "cat <<'EOF' 2>/dev/null",
        ];
        const AFTER: &[&str] = &["", "\ngit status", "\npython3 /tmp/a.py && rm x", "\n"];
        let mut next = pseudo_random(0x2545_f491_4f6c_dd1d);
        (0..n)
            .map(|_| {
                let mut body = String::new();
                for _ in 0..next(4) {
                    body.push_str(BODY[next(BODY.len())]);
                    body.push('\n');
                }
                if next(2) == 0 {
                    let open = OPEN[next(OPEN.len())];
                    format!("{open}\n{body}EOF{}", AFTER[next(AFTER.len())])
                } else {
                    let quote = ["'EOF'", "\"EOF\"", "EOF"][next(3)];
                    format!(
                        "git add . && git commit -m \"$(cat <<{quote}\n{body}EOF\n)\" && git log -1"
                    )
                }
            })
            .collect()
    }

    #[test]
    fn the_fast_path_agrees_with_the_parser() {
        let real = real_commands();
        let mut generated = generated_commands(20_000);
        generated.extend(generated_heredocs(4_000));
        let mut accepted = [0usize; 2];
        for (n, lines) in [&real, &generated].into_iter().enumerate() {
            for line in lines {
                let Some(commands) = plain::split(line) else {
                    continue;
                };
                accepted[n] += 1;
                let fast = plain_analysis(line, commands, 0);
                let full = std::panic::catch_unwind(|| parse_at_depth(line, 0))
                    .unwrap_or_else(|_| panic!("the parser failed on {line:?}"));
                assert_eq!(fast, full, "{line:?}");
            }
        }
        // The comparison means something only if the fast path takes many lines of both.
        assert!(
            accepted[0] * 2 > real.len(),
            "{accepted:?} of {}",
            real.len()
        );
        assert!(accepted[1] > 4_000, "{accepted:?}");
    }

    #[test]
    fn the_fast_literal_heredoc_check_agrees_with_the_parser() {
        let mut bodies: Vec<String> = generated_heredocs(2_000)
            .iter()
            .flat_map(|line| scan_word(line).substitutions)
            .collect();
        bodies.extend(
            generated_heredocs(2_000)
                .into_iter()
                .filter(|l| !l.starts_with("git")),
        );
        bodies.extend(
            [
                "cat",
                "cat <<'EOF'\nx\nEOF\n",
                "cat <<'EOF' >f\nx\nEOF",
                "ls <<'EOF'\nEOF",
            ]
            .map(String::from),
        );
        let mut checked = 0;
        for body in &bodies {
            if let Some(commands) = plain::split(body) {
                checked += 1;
                assert_eq!(
                    plain_literal_heredoc(&commands),
                    parsed_literal_heredoc(body),
                    "{body:?}"
                );
            }
        }
        assert!(checked > 1_000, "{checked}");
    }
}
