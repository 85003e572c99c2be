//! The checks no allow rule and no mode skips: writes to protected paths, and `rm`/`rmdir`
//! of critical paths. The tables they read are in [`crate::facts::tools`].

use super::glob::simple_glob;
use crate::facts::tools::{
    CRITICAL_RM_PATHS, PROTECTED_DIR_EXCEPTIONS, PROTECTED_DIRS, PROTECTED_FILES,
};
use std::path::{Component, Path};

/// Why a write to `path` is protected (the matching table entry), if it is.
pub fn protected_reason(path: &Path) -> Option<String> {
    let comps: Vec<&str> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    for i in 0..comps.len() {
        for dir in PROTECTED_DIRS {
            let end = i + dir.len();
            // The run may end the path: writing a file named `.git` (a worktree's pointer)
            // is as protected as writing inside the folder.
            if end > comps.len() || comps.get(i..end) != Some(*dir) {
                continue;
            }
            let excepted = PROTECTED_DIR_EXCEPTIONS.iter().any(|ex| {
                ex.starts_with(dir)
                    && comps.get(i..i + ex.len()) == Some(*ex)
                    && i + ex.len() < comps.len()
            });
            if !excepted {
                return Some(format!("protected folder {}", dir.join("/")));
            }
        }
    }
    let name = comps.last()?;
    PROTECTED_FILES
        .iter()
        .find(|p| simple_glob(p, name))
        .map(|p| format!("protected file {p}"))
}

/// If an `rm`/`rmdir` argument is a critical path, which entry of [`CRITICAL_RM_PATHS`] it
/// hits.
///
/// `raw` is the argument as written (for the shell-variable check), `resolved` the absolute
/// normalised path with any trailing glob segment removed, `had_glob` whether one was.
/// A glob right under the working folder itself (`rm *`) is not listed as critical by
/// Claude Code and is not flagged; a glob under a parent of it is (the parent is).
pub fn critical_rm_target(
    raw: &str,
    resolved: &Path,
    had_glob: bool,
    home: &Path,
    cwd: &Path,
    additional: &[std::path::PathBuf],
) -> Option<&'static str> {
    if let Some(pos) = raw.rfind('$') {
        let after = raw.get(pos + 1..).unwrap_or("");
        let rest = after
            .trim_start_matches('{')
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
            .trim_start_matches(['}', '"', '\'']);
        let tail = rest.trim_start_matches('/');
        if (rest.starts_with('/') || rest.starts_with('*'))
            && (tail.is_empty() || tail.starts_with('*'))
        {
            return CRITICAL_RM_PATHS.get(5).copied();
        }
    }
    let depth = resolved
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    let entry = if depth == 0 {
        0
    } else if depth == 1 {
        1
    } else if resolved == home {
        2
    } else if cwd.starts_with(resolved) && (resolved != cwd || !had_glob) {
        3
    } else if had_glob && additional.iter().any(|a| a == resolved) {
        4
    } else {
        return None;
    };
    CRITICAL_RM_PATHS.get(entry).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protected() {
        for p in [
            "/p/.git",
            "/p/.git/config",
            "/p/.claude/settings.json",
            "/p/x/.bashrc",
            "/h/.config/git/x",
        ] {
            assert!(protected_reason(Path::new(p)).is_some(), "{p}");
        }
        for p in [
            "/p/.claude/worktrees/w/a.rs",
            "/p/.gitignore",
            "/p/src/a.rs",
        ] {
            assert!(protected_reason(Path::new(p)).is_none(), "{p}");
        }
    }
}
