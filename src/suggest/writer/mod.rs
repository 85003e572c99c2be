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
//! [`plan_add_hooks`] and [`plan_remove_hooks`] (in `hooks.rs`) plan adding hook handlers
//! to `hooks` and taking them out again, with the same guarantees.
//!
//! [`apply`] refuses a file whose bytes changed since the plan read it, writes a backup
//! (`<file>.bak`, or `.bak.N` when taken), writes the new text to a temporary file in the same
//! folder and renames it over the original (creating `.claude/` if needed), keeps the file's
//! permissions, and reads the result back to check it. A symlinked settings file is written
//! through: the link stays and its target is replaced.

mod apply;
mod diff;
mod hooks;
mod splice;

pub use apply::apply;
pub use diff::unified_diff;
pub use hooks::{HookHandler, HookPlan, plan_add_hooks, plan_remove_hooks};

use serde_json::{Map, Value};
use splice::{SpliceError, crlf_like, splice};
use std::fmt;
use std::fs;
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
        match &self.original {
            Some(bytes) => bytes.as_slice() != self.new_text.as_bytes(),
            None => !self.new_text.is_empty(),
        }
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

/// Maps an I/O error on `path` while doing `action` to a [`WriteError`].
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

/// A settings file as read: a missing or blank file is `{}`.
struct Settings {
    /// The file written (the symlink target when the path is a symlink).
    target: PathBuf,
    /// The bytes read (`None`: the file did not exist).
    original: Option<Vec<u8>>,
    /// The text (empty when blank).
    text: String,
    /// The document.
    doc: Map<String, Value>,
    /// True when the file is missing or holds only whitespace.
    blank: bool,
}

/// Reads a settings file, refusing anything that is not a JSON object in UTF-8.
fn read_settings(path: &Path) -> Result<Settings, WriteError> {
    let target = resolve_target(path)?;
    let original = read_bytes(&target)?;
    let bytes = original.as_deref().unwrap_or(b"");
    let blank = bytes.iter().all(u8::is_ascii_whitespace);
    let (text, doc) = if blank {
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
    Ok(Settings {
        target,
        original,
        text,
        doc,
        blank,
    })
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
    let Settings {
        target,
        original,
        text,
        doc,
        blank,
    } = read_settings(path)?;

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
        diff_of(path, original.is_some(), &text, &new_text)
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

/// The unified diff from `old` to `new` of the file at `path` (`/dev/null` when it did
/// not exist).
fn diff_of(path: &Path, existed: bool, old: &str, new: &str) -> String {
    let old_label = if existed {
        path.display().to_string()
    } else {
        "/dev/null".to_string()
    };
    unified_diff(&old_label, &path.display().to_string(), old, new)
}

/// A [`WriteError::Shape`] of `path`.
fn shape(path: &Path, message: &str) -> WriteError {
    WriteError::Shape {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// `{"allow": [rules...]}`.
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

#[cfg(test)]
mod tests;
