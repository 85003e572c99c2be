//! A fast path for plain command lines: words, quotes, `&&`/`||`/`|`/`;`, simple
//! redirections and here-documents that expand nothing; nothing that expands or nests.
//!
//! Most Bash calls an agent makes are like `cd /repo && cargo test 2>&1 | tail -20`. For
//! those, a hand-written splitter finds the same simple commands as the full parser in a
//! fraction of the time. [`split`] accepts only a small, safe subset of the shell grammar and
//! gives up (`None`) on anything else: a `$` (outside Claude Code's literal commit-message
//! idiom), a backquote, a backslash, parentheses, braces, brackets, `!`, `#`, a background
//! `&`, a here-string, `<<-`, a here-document whose body could expand, a reserved word or an
//! assignment in command position, a character outside ASCII outside quotes. The caller
//! then uses the real parser. What the two paths give for an accepted line is checked to be
//! identical, on every command of the bundled transcripts and on generated lines.

/// One redirection operator the fast path accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RedirectOp {
    /// `<`
    Read,
    /// `>`
    Write,
    /// `>>`
    Append,
    /// `>&N` or `>&-` (a copy of a descriptor: writes no file).
    DuplicateOutput,
    /// `&>`
    OutputAndError,
    /// `&>>`
    OutputAndErrorAppend,
}

/// One item of a plain simple command, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item<'a> {
    /// A word, quotes included.
    Word(&'a str),
    /// A redirection: descriptor number (if written), operator, target word.
    Redirect {
        fd: Option<&'a str>,
        op: RedirectOp,
        target: &'a str,
    },
    /// A here-document (`<<EOF`, `<< 'EOF'`) whose body expands nothing: its delimiter was
    /// quoted, or the body holds no `$`, backquote or backslash.
    HereDoc {
        /// Was the delimiter quoted (so that the body is literal whatever it holds)?
        quoted: bool,
    },
}

/// One simple command of a plain line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plain<'a> {
    /// Its source text, from its first item to its last.
    pub raw: &'a str,
    /// Its words and redirections, in order.
    pub items: Vec<Item<'a>>,
}

/// Words that the shell reads as syntax in command position (and `time`, which times a
/// pipeline): a line with one of them there is left to the full parser.
const RESERVED: &[&str] = &[
    "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then",
    "until", "while", "[[", "]]", "function", "select", "coproc", "time",
];

/// Longest descriptor number accepted (the parser stores it in a `u32`).
const MAX_FD_DIGITS: usize = 9;

/// Bytes that may appear unquoted in a plain word.
fn is_word_byte(c: u8) -> bool {
    super::shell::is_bare_byte(c) || matches!(c, b'*' | b'?')
}

/// Splits a plain command line into its simple commands, or `None` when the line uses
/// anything beyond the plain subset (see the module docs).
pub(crate) fn split(line: &str) -> Option<Vec<Plain<'_>>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut start = 0;
    let mut end = 0;
    // Whether the last separator may end the line (`;` or a newline may, `&&` may not).
    let mut may_end = false;
    // Here-documents opened on this line (delimiter, quoted): their bodies follow it.
    let mut pending: Vec<(&str, bool)> = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let next = b.get(i + 1).copied();
        let separator = match (b[i], next) {
            (b'&', Some(b'&')) | (b'|', Some(b'|')) => Some((2, false)),
            (b'|', Some(b'&')) | (b';', Some(b';')) => return None,
            (b'|', _) => Some((1, false)),
            (b';' | b'\n', _) => Some((1, true)),
            _ => None,
        };
        if let Some((width, ends)) = separator {
            out.push(finish(line, &mut items, start, end)?);
            may_end = ends;
            i += width;
            if b[i - 1] == b'\n' && !pending.is_empty() {
                i = bodies(line, i, &mut pending)?;
            }
            continue;
        }
        let item_start = i;
        let item = match b[i] {
            b'&' if next == Some(b'>') => {
                let (op, width) = if b.get(i + 2) == Some(&b'>') {
                    (RedirectOp::OutputAndErrorAppend, 3)
                } else {
                    (RedirectOp::OutputAndError, 2)
                };
                i += width;
                redirect(line, &mut i, None, op)?
            }
            b'<' if next == Some(b'<') => {
                i += 2;
                let (delimiter, quoted) = heredoc_delimiter(line, &mut i)?;
                pending.push((delimiter, quoted));
                Item::HereDoc { quoted }
            }
            b'<' | b'>' => redirect_at(line, &mut i, None)?,
            b'0'..=b'9' => {
                let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                if matches!(b.get(i + digits), Some(b'<' | b'>')) {
                    if digits > MAX_FD_DIGITS {
                        return None;
                    }
                    let fd = &line[i..i + digits];
                    i += digits;
                    redirect_at(line, &mut i, Some(fd))?
                } else {
                    Item::Word(word(line, &mut i)?)
                }
            }
            _ => Item::Word(word(line, &mut i)?),
        };
        if items.is_empty() {
            start = item_start;
        }
        end = i;
        items.push(item);
    }
    if !pending.is_empty() {
        // A here-document without its body.
        return None;
    }
    if items.is_empty() {
        // Nothing at all, or a line ending in `&&`, `||` or `|`.
        if out.is_empty() || !may_end {
            return None;
        }
    } else {
        out.push(finish(line, &mut items, start, end)?);
    }
    Some(out)
}

/// Closes the simple command made of `items`; `None` when it has no word or its first word
/// is syntax (a reserved word) or an assignment.
fn finish<'a>(
    line: &'a str,
    items: &mut Vec<Item<'a>>,
    start: usize,
    end: usize,
) -> Option<Plain<'a>> {
    let first = items.iter().find_map(|item| match item {
        Item::Word(w) => Some(*w),
        Item::Redirect { .. } | Item::HereDoc { .. } => None,
    })?;
    if RESERVED.contains(&first) || first.contains('=') {
        return None;
    }
    Some(Plain {
        raw: &line[start..end],
        items: std::mem::take(items),
    })
}

/// Reads the operator at `i` (`<`, `>`, `>>`, `>&`) and its target.
fn redirect_at<'a>(line: &'a str, i: &mut usize, fd: Option<&'a str>) -> Option<Item<'a>> {
    let b = line.as_bytes();
    let (op, width) = match (b[*i], b.get(*i + 1)) {
        (b'>', Some(b'>')) => (RedirectOp::Append, 2),
        (b'>', Some(b'&')) => (RedirectOp::DuplicateOutput, 2),
        (b'>', Some(b'|')) => return None,
        (b'>', _) => (RedirectOp::Write, 1),
        // Here-documents after a descriptor number, `<&` and `<>` are left to the parser.
        (b'<', Some(b'<' | b'&' | b'>')) => return None,
        (b'<', _) => (RedirectOp::Read, 1),
        _ => return None,
    };
    *i += width;
    redirect(line, i, fd, op)
}

/// Reads a redirection's target word after its operator.
fn redirect<'a>(
    line: &'a str,
    i: &mut usize,
    fd: Option<&'a str>,
    op: RedirectOp,
) -> Option<Item<'a>> {
    let b = line.as_bytes();
    while *i < b.len() && matches!(b[*i], b' ' | b'\t') {
        *i += 1;
    }
    let target = word(line, i)?;
    if op == RedirectOp::DuplicateOutput {
        // Only a descriptor copy (`2>&1`, `>&2`, `>&-`); `>&file` is left to the parser.
        let number = target.strip_suffix('-').unwrap_or(target);
        if !number.bytes().all(|c| c.is_ascii_digit()) || number.len() > MAX_FD_DIGITS {
            return None;
        }
    }
    Some(Item::Redirect { fd, op, target })
}

/// Reads a here-document's delimiter after `<<`: a name (letters, digits, `_`), bare or in
/// single or double quotes. `<<-`, `<<<` and other delimiters are left to the parser.
fn heredoc_delimiter<'a>(line: &'a str, i: &mut usize) -> Option<(&'a str, bool)> {
    let b = line.as_bytes();
    let is_name =
        |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
    while *i < b.len() && matches!(b[*i], b' ' | b'\t') {
        *i += 1;
    }
    let (text, quoted) = match b.get(*i)? {
        &q @ (b'\'' | b'"') => {
            let close = *i + 1 + memchr::memchr(q, &b[*i + 1..])?;
            let text = &line[*i + 1..close];
            *i = close + 1;
            (text, true)
        }
        _ => {
            let len = b[*i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            let text = &line[*i..*i + len];
            *i += len;
            (text, false)
        }
    };
    let boundary = matches!(
        b.get(*i),
        None | Some(b' ' | b'\t' | b'\n' | b'&' | b'|' | b';' | b'<' | b'>')
    );
    (is_name(text) && boundary).then_some((text, quoted))
}

/// Skips the bodies of the here-documents opened on the line that ended at `from`, each up
/// to the line that is its delimiter; returns where the next line starts. `None` when a
/// body has no end, or when a body with a bare delimiter could expand something.
fn bodies(line: &str, from: usize, pending: &mut Vec<(&str, bool)>) -> Option<usize> {
    let b = line.as_bytes();
    let mut j = from;
    for (delimiter, quoted) in pending.drain(..) {
        loop {
            if j >= b.len() {
                return None;
            }
            let end = memchr::memchr(b'\n', &b[j..]).map_or(b.len(), |k| j + k);
            let text = &line[j..end];
            j = (end + 1).min(b.len());
            if text == delimiter {
                break;
            }
            if !quoted && memchr::memchr3(b'$', b'`', b'\\', text.as_bytes()).is_some() {
                return None;
            }
        }
    }
    Some(j)
}

/// The length of `$(cat <<'EOF'` ... `EOF` newline `)` at the start of `s`: Claude Code's
/// idiom for a multi-line commit message inside double quotes, which yields only literal
/// text. `None` for anything else.
fn literal_cat_heredoc(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("$(cat <<")?;
    let mut i = s.len() - rest.len();
    let (delimiter, quoted) = heredoc_delimiter(s, &mut i)?;
    if !quoted || s.as_bytes().get(i) != Some(&b'\n') {
        return None;
    }
    let after = bodies(s, i + 1, &mut vec![(delimiter, quoted)])?;
    (s.as_bytes().get(after) == Some(&b')')).then_some(after + 1)
}

/// Reads one word at `i`: plain bytes, single-quoted text, and double-quoted text without
/// `$`, backquotes or backslashes (except Claude Code's literal commit-message idiom,
/// [`literal_cat_heredoc`]). `None` on anything else, or on an empty word.
fn word<'a>(line: &'a str, i: &mut usize) -> Option<&'a str> {
    let b = line.as_bytes();
    let start = *i;
    while *i < b.len() {
        match b[*i] {
            c if is_word_byte(c) => *i += 1,
            b'\'' => {
                let close = memchr::memchr(b'\'', &b[*i + 1..])?;
                *i += close + 2;
            }
            b'"' => {
                let mut j = *i + 1;
                loop {
                    let stop = j + memchr::memchr3(b'"', b'$', b'`', &b[j..])?;
                    if memchr::memchr(b'\\', &b[j..stop]).is_some() {
                        return None;
                    }
                    match b[stop] {
                        b'"' => break *i = stop + 1,
                        b'$' => j = stop + literal_cat_heredoc(&line[stop..])?,
                        _ => return None,
                    }
                }
            }
            b' ' | b'\t' | b'\n' | b'&' | b'|' | b';' | b'<' | b'>' => break,
            _ => return None,
        }
    }
    (*i > start).then(|| &line[start..*i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Option<Vec<Vec<String>>> {
        split(line).map(|cmds| {
            cmds.iter()
                .map(|c| {
                    c.items
                        .iter()
                        .map(|item| match item {
                            Item::Word(w) => w.to_string(),
                            Item::Redirect { fd, op, target } => {
                                format!("{}{op:?} {target}", fd.unwrap_or(""))
                            }
                            Item::HereDoc { quoted } => format!("HereDoc {quoted}"),
                        })
                        .collect()
                })
                .collect()
        })
    }

    #[test]
    fn accepts_plain_lines() {
        let cases: &[(&str, &[&[&str]])] = &[
            ("git status", &[&["git", "status"]]),
            (
                "cd /repo && cargo test 2>&1 | tail -20",
                &[
                    &["cd", "/repo"],
                    &["cargo", "test", "2DuplicateOutput 1"],
                    &["tail", "-20"],
                ],
            ),
            (
                "grep -rn \"fn main\" src|head -5;ls",
                &[
                    &["grep", "-rn", "\"fn main\"", "src"],
                    &["head", "-5"],
                    &["ls"],
                ],
            ),
            (
                "awk '{print $1}' f.txt >out 2>>err <in",
                &[&[
                    "awk",
                    "'{print $1}'",
                    "f.txt",
                    "Write out",
                    "2Append err",
                    "Read in",
                ]],
            ),
            ("ls &> all", &[&["ls", "OutputAndError all"]]),
            ("a2>x", &[&["a2", "Write x"]]),
            ("2x", &[&["2x"]]),
            ("ls;", &[&["ls"]]),
            ("ls\npwd\n", &[&["ls"], &["pwd"]]),
            ("echo a=b 'it''s'\"x\"", &[&["echo", "a=b", "'it''s'\"x\""]]),
            ("\"if\" x", &[&["\"if\"", "x"]]),
            (
                "cat > /tmp/a.py << 'EOF'\nprint(\"$x\")\nEOF\npython3 /tmp/a.py",
                &[
                    &["cat", "Write /tmp/a.py", "HereDoc true"],
                    &["python3", "/tmp/a.py"],
                ],
            ),
            (
                "cat <<EOF >x && ls\nplain text\nEOF",
                &[&["cat", "HereDoc false", "Write x"], &["ls"]],
            ),
            (
                "git commit -m \"$(cat <<'EOF'\nfix: it's (done)\n\nEOF\n)\"",
                &[&[
                    "git",
                    "commit",
                    "-m",
                    "\"$(cat <<'EOF'\nfix: it's (done)\n\nEOF\n)\"",
                ]],
            ),
        ];
        for (line, want) in cases {
            let want: Vec<Vec<String>> = want
                .iter()
                .map(|c| c.iter().map(|w| w.to_string()).collect())
                .collect();
            assert_eq!(words(line), Some(want), "{line:?}");
        }
    }

    #[test]
    fn leaves_everything_else_to_the_parser() {
        let cases = [
            "",
            "   ",
            "echo $HOME",
            "echo \"$x\"",
            "echo `date`",
            "echo a\\ b",
            "(ls)",
            "{ ls; }",
            "ls &",
            "a |& b",
            "a && ",
            "a ||",
            "a |",
            "; ls",
            "ls && && pwd",
            "cat <<EOF\n$x\nEOF",
            "cat <<'EOF'\nno end",
            "cat <<'EOF'",
            "cat <<-EOF\nx\nEOF",
            "cat 0<<EOF\nx\nEOF",
            "cat <<'E F'\nx\nE F",
            "git commit -m \"$(cat <<EOF\nx\nEOF\n)\"",
            "git commit -m \"$(cat <<'EOF'\nx\nEOF)\"",
            "git commit -m \"$(date)\"",
            "cat <<< x",
            "echo x >| f",
            "echo x >&file",
            "exec 3<&0",
            "if true",
            "time ls",
            "FOO=1 ls",
            "! ls",
            "ls # note",
            "ls [ab]",
            "echo 'open",
            "echo \"open",
            "echo é",
            "echo >",
            "echo 1234567890>x",
            "case x",
            "echo {a,b}",
        ];
        for line in cases {
            assert_eq!(split(line), None, "{line:?}");
        }
    }

    #[test]
    fn raw_spans_run_from_the_first_item_to_the_last() {
        let cmds = split("  >out  echo  hi   &&  2>/dev/null ls  ").unwrap();
        let raws: Vec<&str> = cmds.iter().map(|c| c.raw).collect();
        assert_eq!(raws, [">out  echo  hi", "2>/dev/null ls"]);
    }
}
