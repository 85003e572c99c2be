//! One module per subcommand, plus the loading step they share.

pub mod scan;

use crate::cli::InputArgs;
use crate::transcript::Table;
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
    let discovery = discover::discover(&roots);
    for (path, err) in &discovery.errors {
        eprintln!("permstat: warning: {}: {err}", path.display());
    }
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
    let scans: Vec<FileScan> = discovery
        .files
        .par_iter()
        .map(|f| {
            let s = scan_file(&f.path);
            bar.inc(f.size);
            s
        })
        .collect();
    bar.finish_and_clear();
    let table = build_table(scans);
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
    })
}
