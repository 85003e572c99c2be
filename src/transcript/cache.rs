//! The incremental cache: per-file scan results reused while a transcript is unchanged.
//!
//! Two files, both postcard (a compact binary serde format):
//! - `<cache dir>/scan-v<N>/<group>.bin`, one per group of transcripts (a project folder),
//!   maps each transcript path to its size, its modification time and the [`FileScan`]
//!   read from it. One file per group lets a run hold only the groups it is working on;
//! - `<cache dir>/table-v<N>.bin` holds the joined [`Table`] of the last run, headed by the
//!   exact list of files (paths and stamps) it was built from. When nothing was added,
//!   removed or changed since, the table is used as it is and no transcript is opened; the
//!   per-file entries are only read when something changed.
//!
//! A transcript whose size or time changed is read again (Claude Code only appends, but a
//! rewrite must not be missed); one that is gone drops out at the next save. A cache that
//! cannot be read, does not parse, fails its checksum or was written by another format
//! version is ignored and rebuilt, never trusted.

use super::records::RecordCounts;
use super::scan::{BadLine, FileScan, FileSummary, Table};
use super::stream_json::Capture;
use crate::event::{Mode, Outcome, RecordSource, RecordedDecision, ToolCall, ToolInput};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

/// Bumped whenever `FileScan`, `Table` or what they hold changes meaning.
pub const FORMAT: u32 = 7;

/// What identifies an unchanged file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, ns since the epoch.
    pub mtime_ns: i128,
}

impl Stamp {
    /// The stamp in metadata already read.
    pub fn from_metadata(m: &std::fs::Metadata) -> Option<Stamp> {
        let mtime = m.modified().ok()?;
        let mtime_ns = match mtime.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Some(Stamp {
            size: m.len(),
            mtime_ns,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    stamp: Stamp,
    scan: FileScan,
}

#[derive(Serialize, Deserialize, Default)]
struct Stored {
    format: u32,
    version: String,
    files: HashMap<String, Entry>,
}

/// The cache as loaded.
pub struct Cache {
    path: PathBuf,
    stored: Stored,
}

/// The cache folder: `$PERMSTAT_CACHE_DIR`, else `$XDG_CACHE_HOME/permstat`, else
/// `~/.cache/permstat`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("PERMSTAT_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("permstat"));
    }
    super::discover::home_dir().map(|h| h.join(".cache").join("permstat"))
}

impl Cache {
    /// Loads the cache of one group of transcripts (named by its folder, or its file) in
    /// `dir`; a missing, unreadable or foreign one gives an empty cache.
    pub fn load(dir: &Path, group: &str) -> Cache {
        let path = dir
            .join(format!("scan-v{FORMAT}"))
            .join(format!("{:016x}.bin", checksum(group.as_bytes())));
        let stored = std::fs::read(&path)
            .ok()
            .and_then(|b| postcard::from_bytes::<Stored>(&b).ok())
            .filter(|s| s.format == FORMAT && s.version == env!("CARGO_PKG_VERSION"))
            .unwrap_or_default();
        Cache { path, stored }
    }

    /// The cached scan of `path`, if its stamp still matches.
    pub fn take(&mut self, path: &Path, stamp: Stamp) -> Option<FileScan> {
        let key = path.to_string_lossy();
        match self.stored.files.get(key.as_ref()) {
            Some(e) if e.stamp == stamp => self.stored.files.remove(key.as_ref()).map(|e| e.scan),
            _ => None,
        }
    }

    /// True when saving would write what is already stored: every file came from the cache
    /// (`hits == files`) and no stored entry was left over (nothing was deleted or changed).
    pub fn unchanged(&self, hits: usize, files: usize) -> bool {
        hits == files && self.stored.files.is_empty()
    }

    /// Writes the scans of this run (and only those: files not seen drop out), atomically.
    /// Failure to write is reported to the caller, never fatal to the scan.
    pub fn save(&self, scans: &[(Stamp, &FileScan)]) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct EntryRef<'a> {
            stamp: Stamp,
            scan: &'a FileScan,
        }
        #[derive(Serialize)]
        struct StoredRef<'a> {
            format: u32,
            version: &'a str,
            files: HashMap<&'a str, EntryRef<'a>>,
        }
        let files = scans
            .iter()
            .filter(|(_, s)| s.error.is_none())
            .map(|(stamp, scan)| {
                (
                    &*scan.path,
                    EntryRef {
                        stamp: *stamp,
                        scan,
                    },
                )
            })
            .collect();
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let bytes = postcard::to_stdvec(&StoredRef {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION"),
            files,
        })
        .map_err(std::io::Error::other)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.as_file_mut().write_all(&bytes)?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The identity of one run's input: every file listed, in order, with its stamp.
pub type FileList<'a> = [(&'a str, Option<Stamp>)];

/// The head of a file holding a result computed from one run's input.
#[derive(Serialize, Deserialize)]
struct Header<'a> {
    format: u32,
    version: &'a str,
    #[serde(borrow)]
    files: Vec<(&'a str, Option<Stamp>)>,
    /// Whatever else the result depends on, as text (empty when nothing).
    salt: &'a str,
    /// Of the body's bytes: a damaged file is rebuilt, never trusted.
    checksum: u64,
}

fn checksum(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

fn table_path(dir: &Path) -> PathBuf {
    dir.join(format!("table-v{FORMAT}.bin"))
}

/// The bytes of `path` and where its body starts, if its header names exactly `files` and
/// `salt` and the body passes its checksum.
fn read_keyed(path: &Path, files: &FileList<'_>, salt: &str) -> Option<(Vec<u8>, usize)> {
    let bytes = std::fs::read(path).ok()?;
    let (header, rest) = postcard::take_from_bytes::<Header<'_>>(&bytes).ok()?;
    let same = header.format == FORMAT
        && header.version == env!("CARGO_PKG_VERSION")
        && header.files.as_slice() == files
        && header.salt == salt
        && header.checksum == checksum(rest);
    let start = bytes.len() - rest.len();
    same.then_some((bytes, start))
}

/// Writes `body` headed by `files` and `salt` to `path`, atomically.
fn write_keyed(path: &Path, files: &FileList<'_>, salt: &str, body: &[u8]) -> std::io::Result<()> {
    let header = Header {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION"),
        files: files.to_vec(),
        salt,
        checksum: checksum(body),
    };
    let mut bytes = postcard::to_stdvec(&header).map_err(std::io::Error::other)?;
    bytes.extend_from_slice(body);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.as_file_mut().write_all(&bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The joined table stored in `dir`, if it was built from exactly `files`. Anything else
/// (missing, unreadable, corrupt, another version, another file list) gives None.
pub fn load_table(dir: &Path, files: &FileList<'_>) -> Option<Table> {
    let (bytes, start) = read_keyed(&table_path(dir), files, "")?;
    let stored = postcard::from_bytes::<StoredTable<'_>>(&bytes[start..]).ok()?;
    stored.into_table()
}

/// Stores the joined table built from `files`, atomically.
pub fn save_table(dir: &Path, files: &FileList<'_>, table: &Table) -> std::io::Result<()> {
    let body = postcard::to_stdvec(&StoredTable::of(table)?).map_err(std::io::Error::other)?;
    write_keyed(&table_path(dir), files, "", &body)
}

fn result_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}-v{FORMAT}.bin"))
}

/// A finished result (e.g. the `scan` summary) stored under `name`, if it was computed
/// from exactly `files` and `salt`: a warm run on an unchanged history opens no
/// transcript and folds nothing.
pub fn load_result<T: serde::de::DeserializeOwned>(
    dir: &Path,
    name: &str,
    files: &FileList<'_>,
    salt: &str,
) -> Option<T> {
    let (bytes, start) = read_keyed(&result_path(dir, name), files, salt)?;
    postcard::from_bytes(&bytes[start..]).ok()
}

/// Stores a finished result computed from `files` and `salt`, atomically.
pub fn save_result<T: Serialize>(
    dir: &Path,
    name: &str,
    files: &FileList<'_>,
    salt: &str,
    value: &T,
) -> std::io::Result<()> {
    let body = postcard::to_stdvec(value).map_err(std::io::Error::other)?;
    write_keyed(&result_path(dir, name), files, salt, &body)
}

/// Calls per independently decoded chunk of the stored table.
const CHUNK_CALLS: usize = 2048;

/// A call as stored: the strings many calls share (session, folder, file, agent, tool,
/// version, entrypoint, branch, mode) are indices into one pool, so a warm run decodes each once.
#[derive(Serialize, Deserialize)]
struct PooledCall {
    id: String,
    session_id: u32,
    project: Option<u32>,
    file: u32,
    agent_id: Option<u32>,
    tool: u32,
    input: ToolInput,
    message_id: Option<String>,
    asked_ms: Option<i64>,
    answered_ms: Option<i64>,
    mode: Option<u32>,
    version: Option<u32>,
    entrypoint: Option<u32>,
    git_branch: Option<u32>,
    outcome: Outcome,
    denial_kind: Option<String>,
    verified: bool,
    reason: Option<String>,
    recorded: Option<RecordedDecision>,
}

/// The table as stored: a string pool, the calls in chunks (decoded in parallel), and
/// the rest of the table as it is.
/// A chunk of encoded calls, written as one byte string (serde would otherwise write, and
/// read back, a `Vec<u8>` one element at a time).
struct Blob<'a>(Cow<'a, [u8]>);

impl Serialize for Blob<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Blob<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b: &'de [u8] = Deserialize::deserialize(d)?;
        Ok(Blob(Cow::Borrowed(b)))
    }
}

#[derive(Serialize, Deserialize)]
struct StoredTable<'a> {
    pool: Vec<String>,
    #[serde(borrow)]
    chunks: Vec<Blob<'a>>,
    files: Vec<FileSummary>,
    bad_lines: Vec<BadLine>,
    sessions: Vec<Arc<str>>,
    prompt_modes: BTreeMap<String, u64>,
    mode_lines: u64,
    parsed_lines: u64,
    captures: Vec<Capture>,
    record_counts: BTreeMap<RecordSource, RecordCounts>,
}

impl StoredTable<'_> {
    fn of(t: &Table) -> std::io::Result<StoredTable<'static>> {
        let mut pool: Vec<String> = Vec::new();
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        let mut at = |s| -> u32 {
            *index.entry(s).or_insert_with(|| {
                pool.push(s.to_string());
                pool.len() as u32 - 1
            })
        };
        let mut chunks = Vec::new();
        for part in t.calls.chunks(CHUNK_CALLS) {
            let pooled: Vec<PooledCall> = part
                .iter()
                .map(|c| PooledCall {
                    id: c.id.clone(),
                    session_id: at(&c.session_id),
                    project: c.project.as_deref().map(&mut at),
                    file: at(&c.file),
                    agent_id: c.agent_id.as_deref().map(&mut at),
                    tool: at(&c.tool),
                    input: c.input.clone(),
                    message_id: c.message_id.clone(),
                    asked_ms: c.asked_ms,
                    answered_ms: c.answered_ms,
                    mode: c.mode.as_ref().map(|m| at(m.as_str())),
                    version: c.version.as_deref().map(&mut at),
                    entrypoint: c.entrypoint.as_deref().map(&mut at),
                    git_branch: c.git_branch.as_deref().map(&mut at),
                    outcome: c.outcome,
                    denial_kind: c.denial_kind.clone(),
                    verified: c.verified,
                    reason: c.reason.clone(),
                    recorded: c.recorded.clone(),
                })
                .collect();
            chunks.push(Blob(Cow::Owned(
                postcard::to_stdvec(&pooled).map_err(std::io::Error::other)?,
            )));
        }
        Ok(StoredTable {
            pool,
            chunks,
            files: t.files.clone(),
            bad_lines: t.bad_lines.clone(),
            sessions: t.sessions.clone(),
            prompt_modes: t.prompt_modes.clone(),
            mode_lines: t.mode_lines,
            parsed_lines: t.parsed_lines,
            captures: t.captures.clone(),
            record_counts: t.record_counts.clone(),
        })
    }

    fn into_table(self) -> Option<Table> {
        let pool: Vec<Arc<str>> = self.pool.iter().map(|s| Arc::from(s.as_str())).collect();
        let get = |i: u32| pool.get(i as usize).cloned();
        let parts: Vec<Option<Vec<ToolCall>>> = self
            .chunks
            .par_iter()
            .map(|bytes| {
                let pooled: Vec<PooledCall> = postcard::from_bytes(&bytes.0).ok()?;
                pooled
                    .into_iter()
                    .map(|p| {
                        Some(ToolCall {
                            id: p.id,
                            session_id: get(p.session_id)?,
                            project: p.project.and_then(get),
                            file: get(p.file)?,
                            agent_id: p.agent_id.and_then(get),
                            tool: get(p.tool)?.to_string(),
                            input: p.input,
                            message_id: p.message_id,
                            asked_ms: p.asked_ms,
                            answered_ms: p.answered_ms,
                            mode: match p.mode {
                                Some(i) => Some(Mode::parse(&get(i)?)),
                                None => None,
                            },
                            version: p.version.and_then(get),
                            entrypoint: p.entrypoint.and_then(get),
                            git_branch: p.git_branch.and_then(get),
                            developer: None,
                            outcome: p.outcome,
                            denial_kind: p.denial_kind,
                            verified: p.verified,
                            reason: p.reason,
                            recorded: p.recorded,
                        })
                    })
                    .collect()
            })
            .collect();
        let mut calls = Vec::with_capacity(parts.iter().flatten().map(Vec::len).sum());
        for p in parts {
            calls.extend(p?);
        }
        Some(Table {
            calls,
            files: self.files,
            bad_lines: self.bad_lines,
            sessions: self.sessions,
            prompt_modes: self.prompt_modes,
            mode_lines: self.mode_lines,
            parsed_lines: self.parsed_lines,
            captures: self.captures,
            record_counts: self.record_counts,
            mode_changes: Vec::new(),
        })
    }
}
