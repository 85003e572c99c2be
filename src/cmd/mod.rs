//! One module per subcommand, plus the loading step they share.

pub mod audit;
pub mod check;
pub mod export;
pub mod policies;
pub mod replay;
pub mod report;
pub mod scan;
pub mod suggest;

use crate::cli::InputArgs;
use crate::transcript::Table;
use crate::transcript::cache::{self, Cache, Stamp};
use crate::transcript::discover::{self, Discovery};
use crate::transcript::scan::{FileScan, build_table, scan_file};
use anyhow::bail;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::path::PathBuf;

/// Transcripts read for a command: the table plus what discovery saw.
pub struct Loaded {
    /// The tool-call table.
    pub table: Table,
    /// Files found, compaction agents skipped, listing errors.
    pub discovery: Discovery,
    /// The folders or files that were searched.
    pub roots: Vec<PathBuf>,
    /// Files whose results came from the incremental cache.
    pub cached_files: usize,
}

/// Finds and reads the transcripts named by `input` (or the default folder).
///
/// Fails only when the default folder does not exist; unreadable files and bad lines are
/// reported on stderr (unless `--quiet`) and counted in the table.
pub fn load(input: &InputArgs) -> anyhow::Result<Loaded> {
    let roots = if input.paths.is_empty() {
        let Some(dir) = discover::default_projects_dir(input.config_dir.as_deref()) else {
            bail!("no home folder: pass transcript paths, or set CLAUDE_CONFIG_DIR");
        };
        if !dir.is_dir() {
            bail!(
                "no Claude Code transcripts at {} (set CLAUDE_CONFIG_DIR, pass --config-dir, \
                 or name files or folders; the bundled sample is in data/real)",
                dir.display()
            );
        }
        vec![dir]
    } else {
        input.paths.clone()
    };
    let t = crate::timing::phase("discover");
    let discovery = discover::discover(&roots);
    drop(t);
    for (path, err) in &discovery.errors {
        eprintln!("permstat: warning: {}: {err}", path.display());
    }
    let cache_dir = if input.no_cache {
        None
    } else {
        input.cache_dir.clone().or_else(cache::default_dir)
    };
    // Stamps were taken while listing, before reading: a file that grows meanwhile is read
    // again next time.
    let names: Vec<std::borrow::Cow<'_, str>> = discovery
        .files
        .iter()
        .map(|f| f.path.to_string_lossy())
        .collect();
    let file_list: Vec<(&str, Option<Stamp>)> = names
        .iter()
        .zip(&discovery.files)
        .map(|(n, f)| (n.as_ref(), f.stamp))
        .collect();
    let joined = cache_dir.as_deref().and_then(|d| {
        let _t = crate::timing::phase("cached table");
        cache::load_table(d, &file_list)
    });
    let (table, cached_files) = match joined {
        Some(table) => (table, discovery.files.len()),
        None => {
            let (table, hits) = read_and_join(input, &discovery, cache_dir.as_deref());
            if let Some(d) = cache_dir.as_deref()
                && let Err(e) = cache::save_table(d, &file_list, &table)
                && !input.quiet
            {
                eprintln!("permstat: warning: could not write the cache: {e}");
            }
            (table, hits)
        }
    };
    drop(file_list);
    drop(names);
    if !input.quiet {
        for f in &table.files {
            if let Some(e) = &f.error {
                eprintln!("permstat: warning: {}: skipped: {e}", f.path);
            }
        }
        for b in &table.bad_lines {
            eprintln!(
                "permstat: warning: {}:{}: skipped {} line: {}",
                b.file,
                b.line,
                b.kind.as_str(),
                b.detail
            );
        }
    }
    Ok(Loaded {
        table,
        discovery,
        roots,
        cached_files,
    })
}

/// Reads every file (or takes its scan from the per-file cache) and joins the scans.
/// Returns the table and how many files came from the cache.
fn read_and_join(
    input: &InputArgs,
    discovery: &Discovery,
    cache_dir: Option<&std::path::Path>,
) -> (Table, usize) {
    let bar = if input.quiet {
        ProgressBar::hidden()
    } else {
        let total: u64 = discovery.files.iter().map(|f| f.size).sum();
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} reading {pos}/{len} bytes ({binary_bytes_per_sec}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    };
    let mut cache = cache_dir.map(Cache::load);
    let mut cached: Vec<Option<FileScan>> = discovery
        .files
        .iter()
        .map(|f| match (&mut cache, f.stamp) {
            (Some(c), Some(st)) => c.take(&f.path, st),
            _ => None,
        })
        .collect();
    let cached_files = cached.iter().filter(|c| c.is_some()).count();
    let t = crate::timing::phase("read files");
    let scans: Vec<FileScan> = discovery
        .files
        .par_iter()
        .zip(cached.par_iter_mut())
        .map(|(f, hit)| {
            let s = hit.take().unwrap_or_else(|| scan_file(&f.path));
            bar.inc(f.size);
            s
        })
        .collect();
    bar.finish_and_clear();
    drop(t);
    if let Some(c) = cache
        .as_ref()
        .filter(|c| !c.unchanged(cached_files, discovery.files.len()))
    {
        let entries: Vec<(Stamp, &FileScan)> = discovery
            .files
            .iter()
            .zip(&scans)
            .filter_map(|(f, s)| f.stamp.map(|st| (st, s)))
            .collect();
        if let Err(e) = c.save(&entries)
            && !input.quiet
        {
            eprintln!("permstat: warning: could not write the cache: {e}");
        }
    }
    let _t = crate::timing::phase("join");
    (build_table(scans), cached_files)
}

/// Parses `--since`/`--until`: a day (`YYYY-MM-DD`, midnight UTC) or an RFC 3339 time.
pub fn parse_when(s: &str) -> anyhow::Result<i64> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis())
            .unwrap_or(0));
    }
    crate::transcript::scan::parse_ms(s)
        .ok_or_else(|| anyhow::anyhow!("'{s}' is neither a day (YYYY-MM-DD) nor an RFC 3339 time"))
}

/// A `--project` pattern: `*` matches any run of characters; without `*` the pattern
/// matches anywhere in the path.
pub fn project_matches(pattern: &str, project: &str) -> bool {
    if !pattern.contains('*') {
        return project.contains(pattern);
    }
    let pieces: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !project.starts_with(first) || project.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &project[first.len()..];
    for p in &pieces[1..pieces.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Keeps the calls inside the `--since`/`--until`/`--project` window. Calls with no time
/// are kept only when no time bound is given.
pub fn apply_window(
    calls: Vec<crate::event::ToolCall>,
    w: &crate::cli::WindowArgs,
) -> anyhow::Result<Vec<crate::event::ToolCall>> {
    let since = w.since.as_deref().map(parse_when).transpose()?;
    let until = w.until.as_deref().map(parse_when).transpose()?;
    Ok(calls
        .into_iter()
        .filter(|c| match (since, until, c.asked_ms) {
            (None, None, _) => true,
            (_, _, None) => false,
            (s, u, Some(t)) => s.is_none_or(|s| t >= s) && u.is_none_or(|u| t < u),
        })
        .filter(|c| match &w.project {
            None => true,
            Some(p) => c
                .project
                .as_deref()
                .is_some_and(|proj| project_matches(p, proj)),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_project_patterns() {
        assert_eq!(parse_when("2026-01-02").unwrap(), 1_767_312_000_000);
        assert!(parse_when("yesterday").is_err());
        assert!(project_matches("my-app", "/home/a/my-app/sub"));
        assert!(project_matches("*/my-app", "/home/a/my-app"));
        assert!(!project_matches("*/my-app", "/home/a/my-app/sub"));
        assert!(project_matches("/home/*/x*", "/home/b/xyz"));
        assert!(!project_matches("/srv/*", "/home/b"));
    }
}
