//! Finding transcript files: the default projects folder, or the paths a user names.

use super::cache::Stamp;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A transcript file found on disk, with how discovery classified it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Path of the `.jsonl` file.
    pub path: PathBuf,
    /// Size in bytes when it was listed (0 when it could not be read).
    pub size: u64,
    /// Size and modification time when it was listed, for the incremental cache (None when
    /// the file could not be read).
    pub stamp: Option<Stamp>,
}

/// What discovery saw, besides the files to read.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Transcript files to read, sorted by path so results never depend on directory order.
    pub files: Vec<Found>,
    /// Compaction-agent transcripts (`agent-acompact-*`): internal, not a person's tool activity.
    pub compaction_files: usize,
    /// Folders or files that could not be listed, with the reason.
    pub errors: Vec<(PathBuf, String)>,
}

/// The folder Claude Code writes transcripts to: `$CLAUDE_CONFIG_DIR/projects`, else
/// `~/.claude/projects`. `config_dir` (from `--config-dir`) wins over both.
pub fn default_projects_dir(config_dir: Option<&Path>) -> Option<PathBuf> {
    config_root(config_dir).map(|root| root.join("projects"))
}

/// The Claude Code configuration folder: `config_dir`, else `$CLAUDE_CONFIG_DIR`, else `~/.claude`.
pub fn config_root(config_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = config_dir {
        return Some(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os("CLAUDE_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    home_dir().map(|h| h.join(".claude"))
}

/// The user's home folder, from `$HOME` (or `%USERPROFILE%` on Windows).
pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// True for compaction-agent transcripts, which hold no tool activity of a person's session.
pub fn is_compaction_agent(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("agent-acompact"))
}

/// Lists the transcripts under each path: a file is taken as it is, a folder is walked
/// for `*.jsonl` at any depth (this covers both subagent layouts,
/// `<project>/agent-*.jsonl` and `<project>/<session>/subagents/**/agent-*.jsonl`).
/// Symbolic links to folders are not followed, so a link cycle cannot loop.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut d = Discovery::default();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut d),
            Ok(m) => push_file(p.clone(), m.len(), Stamp::from_metadata(&m), &mut d),
            Err(e) => d.errors.push((p.clone(), e.to_string())),
        }
    }
    d.files.sort_by_cached_key(|f| order_key(&f.path));
    d.files.dedup_by(|a, b| a.path == b.path);
    d
}

/// A byte string that sorts as `Path`'s own order does (component by component): built
/// once per file, where comparing the paths' components over and over took a tenth of a
/// `scan` that found everything in its cache.
fn order_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 16);
    for c in path.components() {
        // Components of different kinds order as the kinds do; a 0 ends each one, so that
        // a component sorts before any longer one it begins.
        let kind = match c {
            Component::Prefix(_) => 1,
            Component::RootDir => 2,
            Component::CurDir => 3,
            Component::ParentDir => 4,
            Component::Normal(_) => 5,
        };
        key.push(kind);
        key.extend_from_slice(c.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key
}

fn push_file(path: PathBuf, size: u64, stamp: Option<Stamp>, d: &mut Discovery) {
    if is_compaction_agent(&path) {
        d.compaction_files += 1;
    } else {
        d.files.push(Found { path, size, stamp });
    }
}

/// Lists `dir`: its own files, and each sub-folder (one per project) walked in parallel.
fn walk(dir: &Path, d: &mut Discovery) {
    let mut subdirs = Vec::new();
    list(dir.to_path_buf(), d, &mut subdirs);
    let parts: Vec<Discovery> = subdirs
        .into_par_iter()
        .map(|sub| {
            let mut part = Discovery::default();
            let mut stack = vec![sub];
            while let Some(dir) = stack.pop() {
                list(dir, &mut part, &mut stack);
            }
            part
        })
        .collect();
    for p in parts {
        d.files.extend(p.files);
        d.compaction_files += p.compaction_files;
        d.errors.extend(p.errors);
    }
}

/// Adds the `.jsonl` files of one folder to `d` and its sub-folders to `subdirs`.
fn list(dir: PathBuf, d: &mut Discovery, subdirs: &mut Vec<PathBuf>) {
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            d.errors.push((dir, e.to_string()));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            subdirs.push(path);
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            // A symlinked file is fine to read: its metadata follows the link. Otherwise the
            // entry's own, looked up in the open folder rather than along the whole path.
            let m = if ft.is_symlink() {
                std::fs::metadata(&path)
            } else {
                entry.metadata()
            }
            .ok();
            let size = m.as_ref().map_or(0, |m| m.len());
            let stamp = m.as_ref().and_then(Stamp::from_metadata);
            push_file(path, size, stamp, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_both_subagent_layouts_and_skips_compaction() {
        let t = tempfile::tempdir().unwrap();
        let proj = t.path().join("-home-a-proj");
        let sub = proj
            .join("s1")
            .join("subagents")
            .join("workflows")
            .join("r1");
        std::fs::create_dir_all(&sub).unwrap();
        for f in [
            proj.join("s1.jsonl"),
            proj.join("agent-abc.jsonl"),
            proj.join("agent-acompact-1.jsonl"),
            proj.join("s1").join("subagents").join("agent-def.jsonl"),
            sub.join("agent-ghi.jsonl"),
            proj.join("notes.txt"),
            proj.join("s1")
                .join("subagents")
                .join("agent-def.meta.json"),
        ] {
            std::fs::write(&f, "{}\n").unwrap();
        }
        let d = discover(&[t.path().to_path_buf()]);
        let names: Vec<_> = d
            .files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_str().unwrap().to_string())
            .collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(names.contains(&"agent-ghi.jsonl".to_string()));
        assert_eq!(d.compaction_files, 1);
    }

    #[test]
    fn the_order_key_sorts_as_paths_do() {
        let paths = [
            "/p/a/b.jsonl",
            "/p/a-b/c.jsonl",
            "/p/a.jsonl",
            "/p/a/b/c.jsonl",
            "/p/ab",
            "/p/a",
            "p/a",
            "./p/a",
            "../p",
            "-p/a",
            "/p//a/./b",
            "/p/a/b/",
            "/",
            "",
            "/p/\u{e9}t\u{e9}.jsonl",
            "/p/Z",
        ];
        for a in paths {
            for b in paths {
                let (a, b) = (Path::new(a), Path::new(b));
                assert_eq!(order_key(a).cmp(&order_key(b)), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn missing_path_is_an_error_not_a_panic() {
        let d = discover(&[PathBuf::from("/nonexistent/permstat/x")]);
        assert!(d.files.is_empty());
        assert_eq!(d.errors.len(), 1);
    }
}
