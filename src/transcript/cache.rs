//! The incremental cache: per-file scan results reused while a transcript is unchanged.
//!
//! One file, `<cache dir>/scan-v<N>.bin` (postcard, a compact binary serde format), maps each transcript path to its size, its
//! modification time and the [`FileScan`] read from it. A transcript whose size or time
//! changed is read again (Claude Code only appends, but a rewrite must not be missed); one
//! that is gone drops out at the next save. A cache that cannot be read, does not parse or
//! was written by another format version is ignored and rebuilt, never trusted.

use super::scan::FileScan;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Bumped whenever `FileScan` or what it holds changes meaning.
pub const FORMAT: u32 = 2;

/// What identifies an unchanged file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, ns since the epoch.
    pub mtime_ns: i128,
}

impl Stamp {
    /// The stamp of a file now, or None when it cannot be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
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
    /// Loads the cache in `dir`; a missing, unreadable or foreign one gives an empty cache.
    pub fn load(dir: &Path) -> Cache {
        let path = dir.join(format!("scan-v{FORMAT}.bin"));
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
