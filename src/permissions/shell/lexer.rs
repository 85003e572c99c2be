//! The shell lexer: folding whitespace, splitting a part's text back into words, and
//! scanning one word for its static value, expansions, globs and command substitutions.

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
pub(super) fn strip_continuations(s: &str) -> String {
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
pub(super) fn split_assignment(word: &str) -> (String, String) {
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
/// [`analyze`](super::analyze) the result lines up one-to-one with `argv`.
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
pub(super) fn split_words_stepped(text: &str) -> Vec<String> {
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
pub(super) fn scan_heredoc(body: &str) -> WordScan {
    scan(body, false)
}

/// Is no command substitution open in `stack`?
fn outside_substitution(stack: &[(Frame, usize)]) -> bool {
    !stack
        .iter()
        .any(|f| matches!(f.0, Frame::Subst | Frame::Tick))
}

pub(super) fn scan(word: &str, quotes_active: bool) -> WordScan {
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
