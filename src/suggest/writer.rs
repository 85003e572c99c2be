//! Merging allow rules into a settings file without ever corrupting it.
//!
//! [`plan_write`] reads the file (a missing or blank file is `{}`), refuses anything that is
//! not a JSON object, and splices the new rules into the text: after the last entry of
//! `permissions.allow`, or as a new `allow` list after the last key of `permissions`, or as a
//! new `permissions` object after the last top-level key. Every existing byte is kept as it
//! was; new lines copy the indentation of their neighbours (two spaces for a new file). The
//! result is parsed again and compared with the expected document (old document plus the new
//! entries, key order included) before the plan is returned. Rules already present anywhere
//! in that file's `permissions.allow` are not added again, so a second run changes nothing.
//!
//! [`apply`] refuses a file whose bytes changed since the plan read it, writes a backup
//! (`<file>.bak`, or `.bak.N` when taken), writes the new text to a temporary file in the same
//! folder and renames it over the original (creating `.claude/` if needed), keeps the file's
//! permissions, and reads the result back to check it. A symlinked settings file is written
//! through: the link stays and its target is replaced.

use crate::text::json::{self, Cursor, unescape};
use serde_json::{Map, Value};
use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What writing would do, computed without touching the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WritePlan {
    /// The settings file as given.
    pub path: PathBuf,
    /// The file actually written (the symlink target when `path` is a symlink).
    pub target: PathBuf,
    /// The bytes read (`None`: the file did not exist).
    pub original: Option<Vec<u8>>,
    /// The full new text.
    pub new_text: String,
    /// Rules that will be added, in order.
    pub added: Vec<String>,
    /// Rules skipped because the file's allow list already holds them.
    pub already_present: Vec<String>,
    /// A unified diff from the old text to the new one (empty when nothing changes).
    pub diff: String,
}

impl WritePlan {
    /// True when applying the plan changes the file.
    pub fn changed(&self) -> bool {
        !self.added.is_empty()
    }
}

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// False when the plan had nothing to add (the file was not touched).
    pub written: bool,
    /// The backup of the previous content, when there was a previous file.
    pub backup: Option<PathBuf>,
}

/// Why a settings file was not planned or written. Every variant names the file.
#[derive(Debug)]
pub enum WriteError {
    /// Reading or writing failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not valid JSON (it was left untouched).
    InvalidJson {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// Valid JSON, but not the shape a settings file has (top level or `permissions` not an
    /// object, `allow` not a list).
    Shape {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A key that must be unique appears twice (`permissions`, `allow`): which copy Claude
    /// Code reads is not something to guess.
    DuplicateKey {
        /// The file.
        path: PathBuf,
        /// The key.
        key: String,
    },
    /// Managed settings set `allowManagedPermissionRulesOnly`: rules in this file would be
    /// ignored, so none are written.
    ManagedOnly {
        /// The file.
        path: PathBuf,
    },
    /// The file changed since the plan read it.
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// The written file did not read back as expected (the backup holds the old content).
    Verify {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io {
                path,
                action,
                source,
            } => write!(f, "{}: cannot {action}: {source}", path.display()),
            WriteError::InvalidJson {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "{}: not valid JSON at line {line}, column {column}: {message}; file left untouched",
                path.display()
            ),
            WriteError::Shape { path, message } => {
                write!(f, "{}: {message}; file left untouched", path.display())
            }
            WriteError::DuplicateKey { path, key } => write!(
                f,
                "{}: key \"{key}\" appears more than once; file left untouched",
                path.display()
            ),
            WriteError::ManagedOnly { path } => write!(
                f,
                "{}: managed settings set allowManagedPermissionRulesOnly, so rules written here would be ignored; nothing written",
                path.display()
            ),
            WriteError::Changed { path } => write!(
                f,
                "{}: the file changed since it was read; nothing written, plan again",
                path.display()
            ),
            WriteError::Verify { path, message } => {
                write!(
                    f,
                    "{}: written file failed the check: {message}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(std::io::Error) -> WriteError + 'a {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// The file to write: the target of a symlink, else `path` itself.
fn resolve_target(path: &Path) -> Result<PathBuf, WriteError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(io(path, "resolve the symlink"))
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// Reads a file's bytes; `None` when it does not exist.
fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, WriteError> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path, "read")(e)),
    }
}

/// Plans adding `rules` to `permissions.allow` of the settings file at `path`.
/// `managed_only` is the loaded policy's `managed_rules_only` flag: when set, nothing may be
/// written ([`WriteError::ManagedOnly`]). Touches nothing on disk.
pub fn plan_write(
    path: &Path,
    rules: &[String],
    managed_only: bool,
) -> Result<WritePlan, WriteError> {
    if managed_only {
        return Err(WriteError::ManagedOnly {
            path: path.to_path_buf(),
        });
    }
    let target = resolve_target(path)?;
    let original = read_bytes(&target)?;
    let bytes = original.as_deref().unwrap_or(b"");
    let blank = bytes.iter().all(u8::is_ascii_whitespace);
    let (text, doc): (String, Map<String, Value>) = if blank {
        (String::new(), Map::new())
    } else {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| WriteError::InvalidJson {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let Value::Object(map) = value else {
            return Err(shape(path, "the top level is not a JSON object"));
        };
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| shape(path, "the file is not UTF-8 text"))?;
        (text, map)
    };

    let existing: Vec<String> = match doc.get("permissions") {
        None => Vec::new(),
        Some(Value::Object(p)) => match p.get("allow") {
            None => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(_) => return Err(shape(path, "\"permissions.allow\" is not a list")),
        },
        Some(_) => return Err(shape(path, "\"permissions\" is not an object")),
    };
    let mut added: Vec<String> = Vec::new();
    let mut already_present: Vec<String> = Vec::new();
    for r in rules {
        if existing.contains(r) {
            if !already_present.contains(r) {
                already_present.push(r.clone());
            }
        } else if !added.contains(r) {
            added.push(r.clone());
        }
    }

    let new_text = if added.is_empty() {
        text.clone()
    } else if blank {
        let mut fresh = Map::new();
        fresh.insert("permissions".into(), allow_object(&added));
        let pretty = serde_json::to_string_pretty(&Value::Object(fresh))
            .map_err(|e| shape(path, &format!("cannot render JSON: {e}")))?;
        format!("{pretty}\n")
    } else {
        let expected = expected_doc(&doc, &added);
        let spliced = splice(&text, &added)
            .map(|t| crlf_like(&text, t))
            .map_err(|e| match e {
                SpliceError::Duplicate(key) => WriteError::DuplicateKey {
                    path: path.to_path_buf(),
                    key,
                },
                SpliceError::Layout(m) => shape(path, &m),
            })?;
        let same = serde_json::from_str::<Value>(&spliced)
            .ok()
            .is_some_and(|v| same_doc(&v, &expected));
        if same {
            spliced
        } else {
            // Never expected; a re-rendered document beats a corrupted one.
            let pretty = serde_json::to_string_pretty(&expected)
                .map_err(|e| shape(path, &format!("cannot render JSON: {e}")))?;
            format!("{pretty}\n")
        }
    };
    let diff = if added.is_empty() {
        String::new()
    } else {
        let old_label = if original.is_some() {
            path.display().to_string()
        } else {
            "/dev/null".to_string()
        };
        unified_diff(&old_label, &path.display().to_string(), &text, &new_text)
    };
    Ok(WritePlan {
        path: path.to_path_buf(),
        target,
        original,
        new_text,
        added,
        already_present,
        diff,
    })
}

fn shape(path: &Path, message: &str) -> WriteError {
    WriteError::Shape {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

fn allow_object(rules: &[String]) -> Value {
    let mut p = Map::new();
    p.insert(
        "allow".into(),
        Value::Array(rules.iter().cloned().map(Value::String).collect()),
    );
    Value::Object(p)
}

/// The old document with `added` appended to `permissions.allow` (created at the end).
fn expected_doc(doc: &Map<String, Value>, added: &[String]) -> Value {
    let mut doc = doc.clone();
    let perms = doc
        .entry("permissions")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(p) = perms {
        let allow = p.entry("allow").or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = allow {
            a.extend(added.iter().cloned().map(Value::String));
        }
    }
    Value::Object(doc)
}

/// Equal values with equal key order everywhere.
fn same_doc(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && same_doc(va, vb))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_doc(p, q))
        }
        _ => a == b,
    }
}

// ---------------------------------------------------------------------------------------------
// Splicing
// ---------------------------------------------------------------------------------------------

enum SpliceError {
    Duplicate(String),
    Layout(String),
}

/// One member of a JSON object in the text: key, where the key starts, where its value
/// starts and ends (exclusive).
struct Member {
    key: String,
    key_start: usize,
    value_start: usize,
    value_end: usize,
}

/// Where `part` (a slice of `text`) starts in `text`.
fn offset(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// `open` at `{`: its members and the index of the closing `}`.
fn members(text: &str, open: usize) -> Option<(Vec<Member>, usize)> {
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
fn elements(text: &str, open: usize) -> Option<(Vec<(usize, usize)>, usize)> {
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
fn line_indent(text: &str, pos: usize) -> String {
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
fn indent_unit(text: &str, top: &[Member]) -> String {
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

fn find_unique<'m>(ms: &'m [Member], key: &str) -> Result<Option<&'m Member>, SpliceError> {
    let mut found = ms.iter().filter(|m| m.key == key);
    let first = found.next();
    if found.next().is_some() {
        return Err(SpliceError::Duplicate(key.to_string()));
    }
    Ok(first)
}

/// When the original text uses CRLF line ends, the inserted line ends become CRLF too.
fn crlf_like(original: &str, spliced: String) -> String {
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
fn splice(text: &str, rules: &[String]) -> Result<String, SpliceError> {
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

// ---------------------------------------------------------------------------------------------
// Diff
// ---------------------------------------------------------------------------------------------

/// Lines of a text, each with its newline (the last may lack one).
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// A unified diff with one hunk: the common leading and trailing lines are trimmed and the
/// rest shown as removed then added, with three lines of context. Exact for the single
/// insertion point a plan has.
pub fn unified_diff(old_label: &str, new_label: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a = lines(old);
    let b = lines(new);
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && a[pre] == b[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < a.len() - pre && suf < b.len() - pre && a[a.len() - 1 - suf] == b[b.len() - 1 - suf]
    {
        suf += 1;
    }
    const CONTEXT: usize = 3;
    let ctx_before = pre.min(CONTEXT);
    let ctx_after = suf.min(CONTEXT);
    let a_start = pre - ctx_before;
    let a_end = a.len() - suf + ctx_after;
    let b_start = pre - ctx_before;
    let b_end = b.len() - suf + ctx_after;
    let range = |start: usize, end: usize| {
        let len = end - start;
        let first = if len == 0 { start } else { start + 1 };
        format!("{first},{len}")
    };
    let mut out = format!(
        "--- {old_label}\n+++ {new_label}\n@@ -{} +{} @@\n",
        range(a_start, a_end),
        range(b_start, b_end)
    );
    let mut push = |sign: char, line: &str| {
        out.push(sign);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for l in &a[a_start..pre] {
        push(' ', l);
    }
    for l in &a[pre..a.len() - suf] {
        push('-', l);
    }
    for l in &b[pre..b.len() - suf] {
        push('+', l);
    }
    for l in &a[a.len() - suf..a_end] {
        push(' ', l);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Applying
// ---------------------------------------------------------------------------------------------

/// Writes a plan: refuses if the file changed since [`plan_write`] read it, backs up the
/// old content, writes atomically, keeps the permissions, and checks the result. A plan with
/// nothing to add touches nothing.
pub fn apply(plan: &WritePlan) -> Result<Applied, WriteError> {
    let target = &plan.target;
    let changed = |now: &Option<Vec<u8>>| now != &plan.original;
    if changed(&read_bytes(target)?) {
        return Err(WriteError::Changed {
            path: plan.path.clone(),
        });
    }
    if !plan.changed() {
        return Ok(Applied {
            written: false,
            backup: None,
        });
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(io(&dir, "create the folder"))?;
    let perms = if plan.original.is_some() {
        Some(
            fs::metadata(target)
                .map_err(io(target, "read the permissions of"))?
                .permissions(),
        )
    } else {
        None
    };
    let backup = match (&plan.original, &perms) {
        (Some(bytes), Some(p)) => Some(write_backup(target, bytes, p)?),
        _ => None,
    };
    let result = write_atomic(plan, &dir, perms.as_ref());
    if result.is_err()
        && let Some(b) = &backup
    {
        // Nothing replaced the file: the backup is redundant.
        let _ = fs::remove_file(b);
    }
    result?;
    verify(plan)?;
    Ok(Applied {
        written: true,
        backup,
    })
}

/// Writes `bytes` to the first free `<file>.bak`, `<file>.bak.1`, ... (never overwriting).
fn write_backup(
    target: &Path,
    bytes: &[u8],
    perms: &fs::Permissions,
) -> Result<PathBuf, WriteError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "settings.json".into());
    for n in 0..10_000u32 {
        let candidate = if n == 0 {
            target.with_file_name(format!("{name}.bak"))
        } else {
            target.with_file_name(format!("{name}.bak.{n}"))
        };
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            opts.mode(perms.mode() & 0o777);
        }
        match opts.open(&candidate) {
            Ok(mut f) => {
                f.write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(io(&candidate, "write the backup"))?;
                fs::set_permissions(&candidate, perms.clone())
                    .map_err(io(&candidate, "set the permissions of the backup"))?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(&candidate, "create the backup")(e)),
        }
    }
    Err(WriteError::Io {
        path: target.to_path_buf(),
        action: "find a free backup name",
        source: std::io::Error::other("too many backups"),
    })
}

/// Temp file in the same folder, then rename over the target.
fn write_atomic(
    plan: &WritePlan,
    dir: &Path,
    perms: Option<&fs::Permissions>,
) -> Result<(), WriteError> {
    let target = &plan.target;
    let mut tmp = tempfile::Builder::new()
        .prefix(".permstat-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io(dir, "create a temporary file in"))?;
    tmp.write_all(plan.new_text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(io(tmp.path(), "write the temporary file"))?;
    if let Some(p) = perms {
        fs::set_permissions(tmp.path(), p.clone())
            .map_err(io(target, "copy the permissions of"))?;
    }
    if read_bytes(target)? != plan.original {
        return Err(WriteError::Changed {
            path: plan.path.clone(),
        });
    }
    tmp.persist(target)
        .map_err(|e| io(target, "replace")(e.error))?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Reads the written file back: it must parse and hold every added rule.
fn verify(plan: &WritePlan) -> Result<(), WriteError> {
    let fail = |message: String| WriteError::Verify {
        path: plan.path.clone(),
        message,
    };
    let bytes = fs::read(&plan.target).map_err(io(&plan.target, "read back"))?;
    if bytes != plan.new_text.as_bytes() {
        return Err(fail("the content differs from what was written".into()));
    }
    let v: Value =
        serde_json::from_slice(&bytes).map_err(|e| fail(format!("not valid JSON: {e}")))?;
    let allow: Vec<&str> = v
        .get("permissions")
        .and_then(|p| p.get("allow"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    match plan.added.iter().find(|r| !allow.contains(&r.as_str())) {
        Some(r) => Err(fail(format!("rule {r} is missing"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: &str = r#"{
  "model": "opus",
  "env": {
    "FOO": "1",
    "UNICODE": "caf\u00e9 ✓"
  },
  "hooks": {
    "PreToolUse": [
      { "matcher": "Bash", "hooks": [{ "type": "command", "command": "check.sh" }] }
    ]
  },
  "permissions": {
    "allow": [
      "Bash(git log *)",
      "Read(~/notes/**)"
    ],
    "deny": [
      "Bash(rm -rf *)"
    ],
    "defaultMode": "default"
  },
  "numbers": [1.0, 1e3, -0]
}
"#;

    fn rules(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// The new text is the old text with one block inserted: returns that block.
    fn insertion(old: &str, new: &str) -> String {
        let pre = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let suf = old.len() - pre;
        assert!(new.len() >= old.len());
        assert_eq!(
            &new[new.len() - suf..],
            &old[pre..],
            "bytes after the insertion changed"
        );
        new[pre..new.len() - suf].to_string()
    }

    #[test]
    fn merge_keeps_every_existing_byte() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        fs::write(&path, SETTINGS).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        let add = rules(&[
            "Bash(pip list --outdated)",
            "Bash(git log *)",
            "WebFetch(domain:docs.rs)",
        ]);
        let plan = plan_write(&path, &add, false).expect("plan");
        assert_eq!(
            plan.added,
            rules(&["Bash(pip list --outdated)", "WebFetch(domain:docs.rs)"])
        );
        assert_eq!(plan.already_present, rules(&["Bash(git log *)"]));
        assert_eq!(
            insertion(SETTINGS, &plan.new_text),
            ",\n      \"Bash(pip list --outdated)\",\n      \"WebFetch(domain:docs.rs)\""
        );
        assert!(
            plan.diff.starts_with(&format!(
                "--- {}\n+++ {}\n@@ -12,7 +12,9 @@\n",
                path.display(),
                path.display()
            )),
            "{}",
            plan.diff
        );
        assert!(plan.diff.contains("-      \"Read(~/notes/**)\"\n+      \"Read(~/notes/**)\",\n+      \"Bash(pip list --outdated)\",\n+      \"WebFetch(domain:docs.rs)\"\n"), "{}", plan.diff);
        assert_eq!(
            fs::read_to_string(&path).expect("read"),
            SETTINGS,
            "planning touched the file"
        );

        let applied = apply(&plan).expect("apply");
        assert!(applied.written);
        let backup = applied.backup.expect("backup");
        assert_eq!(backup, dir.path().join("settings.json.bak"));
        assert_eq!(fs::read_to_string(&backup).expect("backup"), SETTINGS);
        assert_eq!(fs::read_to_string(&path).expect("read"), plan.new_text);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o640);
            assert_eq!(mode(&backup), 0o640);
        }
        // Key order and every other value survive.
        let v: Value = serde_json::from_str(&plan.new_text).expect("json");
        let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["model", "env", "hooks", "permissions", "numbers"]);
        let pkeys: Vec<&String> = v["permissions"].as_object().expect("p").keys().collect();
        assert_eq!(pkeys, ["allow", "deny", "defaultMode"]);

        // A second run adds nothing and writes nothing.
        let again = plan_write(&path, &add, false).expect("plan again");
        assert!(!again.changed());
        assert!(again.diff.is_empty());
        assert_eq!(again.new_text, plan.new_text);
        let applied = apply(&again).expect("apply again");
        assert_eq!(
            applied,
            Applied {
                written: false,
                backup: None
            }
        );
        assert!(!dir.path().join("settings.json.bak.1").exists());

        // A third run with a new rule backs up to .bak.1.
        let third = plan_write(&path, &rules(&["Bash(helm list -A)"]), false).expect("plan 3");
        let applied = apply(&third).expect("apply 3");
        assert_eq!(applied.backup, Some(dir.path().join("settings.json.bak.1")));
        assert_eq!(
            fs::read_to_string(dir.path().join("settings.json.bak")).expect("bak"),
            SETTINGS
        );
    }

    #[test]
    fn layouts() {
        let cases: &[(&str, &str)] = &[
            // Missing allow list: appended after the existing keys of permissions.
            (
                "{\n  \"permissions\": {\n    \"deny\": [\"Bash(rm *)\"]\n  }\n}\n",
                "{\n  \"permissions\": {\n    \"deny\": [\"Bash(rm *)\"],\n    \"allow\": [\n      \"A\",\n      \"B\"\n    ]\n  }\n}\n",
            ),
            // Missing permissions: after the last top-level key.
            (
                "{\n    \"model\": \"x\"\n}",
                "{\n    \"model\": \"x\",\n    \"permissions\": {\n        \"allow\": [\n            \"A\",\n            \"B\"\n        ]\n    }\n}",
            ),
            // Empty allow list.
            (
                "{\n  \"permissions\": {\n    \"allow\": []\n  }\n}\n",
                "{\n  \"permissions\": {\n    \"allow\": [\n      \"A\",\n      \"B\"\n    ]\n  }\n}\n",
            ),
            // Empty permissions object.
            (
                "{\n  \"permissions\": {}\n}\n",
                "{\n  \"permissions\": {\n    \"allow\": [\n      \"A\",\n      \"B\"\n    ]\n  }\n}\n",
            ),
            // Empty document.
            (
                "{}\n",
                "{\n  \"permissions\": {\n    \"allow\": [\n      \"A\",\n      \"B\"\n    ]\n  }\n}\n",
            ),
            // Compact, one line.
            (
                r#"{"permissions":{"allow":["X"]}}"#,
                r#"{"permissions":{"allow":["X", "A", "B"]}}"#,
            ),
            (
                r#"{"a":1}"#,
                r#"{"a":1, "permissions": {"allow": ["A", "B"]}}"#,
            ),
            (
                r#"{"permissions":{"deny":[]}}"#,
                r#"{"permissions":{"deny":[], "allow": ["A", "B"]}}"#,
            ),
            // Tabs.
            (
                "{\n\t\"permissions\": {\n\t\t\"allow\": [\n\t\t\t\"X\"\n\t\t]\n\t}\n}\n",
                "{\n\t\"permissions\": {\n\t\t\"allow\": [\n\t\t\t\"X\",\n\t\t\t\"A\",\n\t\t\t\"B\"\n\t\t]\n\t}\n}\n",
            ),
            // CRLF line ends stay CRLF.
            (
                "{\r\n  \"permissions\": {\r\n    \"allow\": [\r\n      \"X\"\r\n    ]\r\n  }\r\n}\r\n",
                "{\r\n  \"permissions\": {\r\n    \"allow\": [\r\n      \"X\",\r\n      \"A\",\r\n      \"B\"\r\n    ]\r\n  }\r\n}\r\n",
            ),
            // A key written with an escape, and numbers, nulls and nesting before it.
            (
                r#"{"n": -1.5e3, "o": {"a": [1, {"b": null}], "t": true}, "per\u006dissions": {"allow": ["X"]}}"#,
                r#"{"n": -1.5e3, "o": {"a": [1, {"b": null}], "t": true}, "per\u006dissions": {"allow": ["X", "A", "B"]}}"#,
            ),
            // Strings holding brackets, braces and escaped quotes.
            (
                "{\n  \"x\": \"}]\\\"{[\",\n  \"permissions\": {\n    \"allow\": [\"Bash(echo \\\"]\\\")\"]\n  }\n}\n",
                "{\n  \"x\": \"}]\\\"{[\",\n  \"permissions\": {\n    \"allow\": [\"Bash(echo \\\"]\\\")\", \"A\", \"B\"]\n  }\n}\n",
            ),
        ];
        let dir = tempfile::tempdir().expect("tempdir");
        for (k, (old, want)) in cases.iter().enumerate() {
            let path = dir.path().join(format!("s{k}.json"));
            fs::write(&path, old).expect("write");
            let plan = plan_write(&path, &rules(&["A", "B"]), false).expect("plan");
            assert_eq!(plan.new_text, *want, "case {k}");
            insertion(old, &plan.new_text);
        }
    }

    #[test]
    fn new_file_in_a_new_claude_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".claude").join("settings.local.json");
        let plan = plan_write(
            &path,
            &rules(&["Bash(pip list --outdated)", "Bash(pip list --outdated)"]),
            false,
        )
        .expect("plan");
        assert_eq!(
            plan.new_text,
            "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(pip list --outdated)\"\n    ]\n  }\n}\n"
        );
        assert!(plan.diff.starts_with("--- /dev/null\n"), "{}", plan.diff);
        assert!(plan.diff.contains("@@ -0,0 +1,7 @@"), "{}", plan.diff);
        let applied = apply(&plan).expect("apply");
        assert_eq!(applied.backup, None);
        assert_eq!(fs::read_to_string(&path).expect("read"), plan.new_text);
        assert!(
            !plan_write(&path, &plan.added, false)
                .expect("again")
                .changed()
        );
    }

    #[test]
    fn refusals_leave_the_file_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cases: &[(&str, &str)] = &[
            (
                "{\n  \"permissions\": {\n    \"allow\": [\"a\",]\n  }\n}\n",
                "line 3",
            ),
            ("[1, 2]", "top level"),
            ("{\"permissions\": []}", "\"permissions\" is not an object"),
            ("{\"permissions\": {\"allow\": \"Bash\"}}", "not a list"),
            (
                "{\"permissions\": {\"allow\": []}, \"permissions\": {}}",
                "appears more than once",
            ),
            (
                "{\"permissions\": {\"allow\": [], \"allow\": []}}",
                "appears more than once",
            ),
            ("\u{feff}{}", "not valid JSON"),
        ];
        for (k, (text, needle)) in cases.iter().enumerate() {
            let path = dir.path().join(format!("bad{k}.json"));
            fs::write(&path, text).expect("write");
            let err = plan_write(&path, &rules(&["A"]), false).expect_err(text);
            let msg = err.to_string();
            assert!(
                msg.contains(needle) && msg.contains(&path.display().to_string()),
                "{text}: {msg}"
            );
            assert_eq!(fs::read_to_string(&path).expect("read"), *text);
        }
        let path = dir.path().join("bad0.json");
        let err = plan_write(&path, &rules(&["A"]), false).expect_err("invalid");
        assert!(
            matches!(err, WriteError::InvalidJson { line: 3, .. }),
            "{err:?}"
        );

        let managed =
            plan_write(&dir.path().join("m.json"), &rules(&["A"]), true).expect_err("managed");
        assert!(matches!(managed, WriteError::ManagedOnly { .. }));
        assert!(!dir.path().join("m.json").exists());
    }

    #[test]
    fn changed_since_read_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        fs::write(&path, "{}\n").expect("write");
        let plan = plan_write(&path, &rules(&["A"]), false).expect("plan");
        fs::write(&path, "{\"model\": \"x\"}\n").expect("edit");
        let err = apply(&plan).expect_err("changed");
        assert!(matches!(err, WriteError::Changed { .. }), "{err}");
        assert_eq!(
            fs::read_to_string(&path).expect("read"),
            "{\"model\": \"x\"}\n"
        );
        assert!(!dir.path().join("settings.json.bak").exists());

        // A file that appeared after planning a new one is refused too.
        let fresh = dir.path().join("new.json");
        let plan = plan_write(&fresh, &rules(&["A"]), false).expect("plan");
        fs::write(&fresh, "{}").expect("write");
        assert!(matches!(apply(&plan), Err(WriteError::Changed { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_written_through() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        fs::write(&real, "{}\n").expect("write");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let plan = plan_write(&link, &rules(&["A"]), false).expect("plan");
        apply(&plan).expect("apply");
        assert!(
            fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).expect("read"), plan.new_text);
    }

    #[test]
    fn diff_without_trailing_newline() {
        let d = unified_diff("a", "b", "x\ny", "x\ny\nz");
        assert_eq!(
            d,
            "--- a\n+++ b\n@@ -1,2 +1,3 @@\n x\n-y\n\\ No newline at end of file\n+y\n+z\n\\ No newline at end of file\n"
        );
        assert_eq!(unified_diff("a", "b", "same", "same"), "");
    }
}
