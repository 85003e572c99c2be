//! Splicing new allow rules into a settings file's text: every original byte kept, new
//! lines laid out like their neighbours.

use crate::text::json::{self, Cursor, unescape};

/// Why the rules could not be spliced in.
pub(super) enum SpliceError {
    /// A key the splice must go through appears twice in its object.
    Duplicate(String),
    /// The text offers no place for the rules (the message says why).
    Layout(String),
}

/// One member of a JSON object in the text: key, where the key starts, where its value
/// starts and ends (exclusive).
pub(super) struct Member {
    pub(super) key: String,
    pub(super) key_start: usize,
    pub(super) value_start: usize,
    pub(super) value_end: usize,
}

/// Where `part` (a slice of `text`) starts in `text`.
fn offset(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// `open` at `{`: its members and the index of the closing `}`.
pub(super) fn members(text: &str, open: usize) -> Option<(Vec<Member>, usize)> {
    let mut out = Vec::new();
    let mut c = Cursor::at(text, open);
    let is_object = c
        .object(|c, raw_key| {
            // The raw key is the slice between its quotes.
            let key_start = offset(text, raw_key) - 1;
            let quoted = &text[key_start..key_start + raw_key.len() + 2];
            let key = unescape(quoted).ok_or(json::Error {
                what: "invalid key",
                at: key_start,
                eof: false,
            })?;
            let value = c.value()?;
            let value_start = offset(text, value);
            out.push(Member {
                key,
                key_start,
                value_start,
                value_end: value_start + value.len(),
            });
            Ok(())
        })
        .ok()?;
    is_object.then(|| (out, c.pos() - 1))
}

/// `open` at `[`: element spans and the index of the closing `]`.
pub(super) fn elements(text: &str, open: usize) -> Option<(Vec<(usize, usize)>, usize)> {
    let mut out = Vec::new();
    let mut c = Cursor::at(text, open);
    let is_array = c
        .array(|c| {
            let value = c.value()?;
            let start = offset(text, value);
            out.push((start, start + value.len()));
            Ok(())
        })
        .ok()?;
    is_array.then(|| (out, c.pos() - 1))
}

/// Leading blanks of the line holding byte `pos`.
pub(super) fn line_indent(text: &str, pos: usize) -> String {
    let start = text
        .get(..pos)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    text.get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// The indentation unit of the file: the first top-level key's indent, else two spaces.
pub(super) fn indent_unit(text: &str, top: &[Member]) -> String {
    top.first()
        .map(|m| line_indent(text, m.key_start))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "  ".into())
}

fn quoted(rule: &str) -> String {
    serde_json::to_string(rule).unwrap_or_else(|_| "\"\"".into())
}

/// The `"allow": [...]` member text, laid out at `indent` (multi-line) or inline.
fn allow_member(rules: &[String], indent: &str, unit: &str, multiline: bool) -> String {
    if multiline {
        let items: Vec<String> = rules
            .iter()
            .map(|r| format!("{indent}{unit}{}", quoted(r)))
            .collect();
        format!("\"allow\": [\n{}\n{indent}]", items.join(",\n"))
    } else {
        let items: Vec<String> = rules.iter().map(|r| quoted(r)).collect();
        format!("\"allow\": [{}]", items.join(", "))
    }
}

pub(super) fn find_unique<'m>(
    ms: &'m [Member],
    key: &str,
) -> Result<Option<&'m Member>, SpliceError> {
    let mut found = ms.iter().filter(|m| m.key == key);
    let first = found.next();
    if found.next().is_some() {
        return Err(SpliceError::Duplicate(key.to_string()));
    }
    Ok(first)
}

/// When the original text uses CRLF line ends, the inserted line ends become CRLF too.
pub(super) fn crlf_like(original: &str, spliced: String) -> String {
    if !original.contains("\r\n") {
        return spliced;
    }
    let mut out = String::with_capacity(spliced.len() + 16);
    let mut prev = '\0';
    for c in spliced.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// The text with `rules` inserted; every original byte kept.
pub(super) fn splice(text: &str, rules: &[String]) -> Result<String, SpliceError> {
    let layout = || SpliceError::Layout("cannot locate the settings structure".into());
    let top_open = text.len() - text.trim_start_matches([' ', '\t', '\n', '\r']).len();
    let (top, top_close) = members(text, top_open).ok_or_else(layout)?;
    let unit = indent_unit(text, &top);
    let multiline_doc = text
        .get(top_open..=top_close)
        .is_some_and(|t| t.contains('\n'));
    let insert = |at: usize, what: &str| -> String {
        let mut s = String::with_capacity(text.len() + what.len());
        s.push_str(text.get(..at).unwrap_or(""));
        s.push_str(what);
        s.push_str(text.get(at..).unwrap_or(""));
        s
    };
    let replace = |from: usize, to: usize, what: &str| -> String {
        let mut s = String::with_capacity(text.len() + what.len());
        s.push_str(text.get(..from).unwrap_or(""));
        s.push_str(what);
        s.push_str(text.get(to..).unwrap_or(""));
        s
    };

    let Some(perms) = find_unique(&top, "permissions")? else {
        // New `permissions` object after the last top-level key.
        return Ok(match top.last() {
            Some(last) => {
                let indent = line_indent(text, last.key_start);
                let member = if multiline_doc {
                    format!(
                        ",\n{indent}\"permissions\": {{\n{indent}{unit}{}\n{indent}}}",
                        allow_member(rules, &format!("{indent}{unit}"), &unit, true)
                    )
                } else {
                    format!(
                        ", \"permissions\": {{{}}}",
                        allow_member(rules, "", &unit, false)
                    )
                };
                insert(last.value_end, &member)
            }
            None => {
                // `{}`: laid out like a new file.
                let base = line_indent(text, top_open);
                let body = format!(
                    "{{\n{base}{unit}\"permissions\": {{\n{base}{unit}{unit}{}\n{base}{unit}}}\n{base}}}",
                    allow_member(rules, &format!("{base}{unit}{unit}"), &unit, true)
                );
                replace(top_open, top_close + 1, &body)
            }
        });
    };
    let (pm, p_close) = members(text, perms.value_start)
        .ok_or_else(|| SpliceError::Layout("\"permissions\" is not an object".into()))?;
    let Some(allow) = find_unique(&pm, "allow")? else {
        // New `allow` list after the last key of `permissions`.
        return Ok(match pm.last() {
            Some(last) => {
                let multiline = text
                    .get(perms.value_start..=p_close)
                    .is_some_and(|t| t.contains('\n'));
                let indent = line_indent(text, last.key_start);
                let member = if multiline {
                    format!(",\n{indent}{}", allow_member(rules, &indent, &unit, true))
                } else {
                    format!(", {}", allow_member(rules, "", &unit, false))
                };
                insert(last.value_end, &member)
            }
            None => {
                let pi = line_indent(text, perms.key_start);
                let body = if multiline_doc {
                    format!(
                        "{{\n{pi}{unit}{}\n{pi}}}",
                        allow_member(rules, &format!("{pi}{unit}"), &unit, true)
                    )
                } else {
                    format!("{{{}}}", allow_member(rules, "", &unit, false))
                };
                replace(perms.value_start, p_close + 1, &body)
            }
        });
    };
    let (items, a_close) = elements(text, allow.value_start)
        .ok_or_else(|| SpliceError::Layout("\"permissions.allow\" is not a list".into()))?;
    Ok(match items.last() {
        Some(&(last_start, last_end)) => {
            let multiline = text
                .get(allow.value_start..=a_close)
                .is_some_and(|t| t.contains('\n'));
            let what: String = if multiline {
                let indent = line_indent(text, last_start);
                rules
                    .iter()
                    .map(|r| format!(",\n{indent}{}", quoted(r)))
                    .collect()
            } else {
                rules.iter().map(|r| format!(", {}", quoted(r))).collect()
            };
            insert(last_end, &what)
        }
        None => {
            let ai = line_indent(text, allow.key_start);
            let body = if multiline_doc {
                let items: Vec<String> = rules
                    .iter()
                    .map(|r| format!("{ai}{unit}{}", quoted(r)))
                    .collect();
                format!("[\n{}\n{ai}]", items.join(",\n"))
            } else {
                let items: Vec<String> = rules.iter().map(|r| quoted(r)).collect();
                format!("[{}]", items.join(", "))
            };
            replace(allow.value_start, a_close + 1, &body)
        }
    })
}
