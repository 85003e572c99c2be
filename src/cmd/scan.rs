//! `permstat scan`: what the transcripts hold, and every tool call's outcome.

use super::{
    Fold, InputOptions, Loaded, Width, cache_dir, file_list, find_input, load, stream_found,
    warn_all,
};
use crate::output::{self, Format, scan};
use crate::text::redact::Redactor;
use crate::transcript::Table;
use crate::transcript::cache::{self, Stamp};
use crate::transcript::summary::ScanSummary;
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;
use std::process::ExitCode;

/// What `permstat scan` was asked for.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Transcripts to read, and shared options.
    pub input: InputOptions,
    /// Output format of the summary.
    pub format: Format,
    /// Print every tool call as one JSON object per line instead of the summary.
    pub calls: bool,
}

/// A finished summary as cached, with the warnings its run printed.
#[derive(Serialize, Deserialize)]
struct CachedSummary {
    summary: ScanSummary,
    warnings: Vec<String>,
}

/// The summary of a loaded set of transcripts.
pub fn summary_of(loaded: &Loaded) -> ScanSummary {
    let mut s = ScanSummary::of_table(&loaded.table);
    s.finish(&loaded.discovery, loaded.cached_files);
    s.set_record_totals(&loaded.record_totals);
    s
}

/// Runs `permstat scan`. The summary is folded one set of sessions at a time (see
/// [`crate::cmd::stream`]); `--calls` lists every call in the order of the whole table, so it reads
/// the whole table.
pub fn run(args: &ScanOptions) -> anyhow::Result<ExitCode> {
    let no_files = |roots: &[std::path::PathBuf]| {
        if !args.input.quiet {
            let roots: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
            eprintln!(
                "permstat: no transcripts (*.jsonl) found in {}",
                roots.join(", ")
            );
        }
    };
    if args.calls {
        let loaded = load(&args.input)?;
        if loaded.table.files.is_empty() {
            no_files(&loaded.roots);
        }
        scan::write_calls(&loaded.table.calls, Redactor::new(!args.input.no_redact))?;
        // The process ends next: freeing a large table piece by piece would only cost time.
        std::mem::forget(loaded);
        return Ok(ExitCode::SUCCESS);
    }
    // Refused before anything is read.
    match args.format {
        Format::Html => output::html_is_report_only()?,
        Format::Table | Format::Json | Format::Md => {}
    }
    let (roots, discovery) = find_input(&args.input)?;
    if discovery.files.is_empty() {
        no_files(&roots);
    }
    // The finished summary is cached with the exact file list it came from: on an
    // unchanged history no transcript is opened.
    let cache_dir = cache_dir(&args.input);
    let names = file_list(&discovery);
    let list: Vec<(&str, Option<Stamp>)> = names.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    // The record files (prompt log, OpenTelemetry exports) count as input too.
    let records = crate::sources::files(&args.input.sources, args.input.config_dir.as_deref());
    // The team's names decide whose calls are whose (`by_developer`).
    let team = super::team::resolve(&args.input)?;
    let salt = format!(
        "compaction files {}; records {records:?}; team {team:?}",
        discovery.compaction_files
    );
    let hit = cache_dir
        .as_deref()
        .and_then(|d| cache::load_result::<CachedSummary>(d, "summary", &list, &salt));
    let summary = match hit {
        Some(CachedSummary {
            mut summary,
            warnings,
        }) => {
            warn_all(&args.input, &warnings);
            summary.cached_files = discovery.files.len() as u64;
            summary
        }
        None => {
            let streamed = stream_found(
                &args.input,
                &roots,
                discovery,
                &Fold {
                    new: || ScanSummary::of_table(&Table::default()),
                    add: |s: &mut ScanSummary, t: Table| s.absorb(ScanSummary::of_table(&t)),
                    merge: ScanSummary::absorb,
                    width: Width::Wide,
                    result: PhantomData,
                },
            )?;
            let mut summary = streamed.merged;
            summary.finish(&streamed.discovery, streamed.cached_files);
            summary.set_record_totals(&streamed.record_totals);
            if let Some(d) = cache_dir.as_deref() {
                let cached = CachedSummary {
                    summary,
                    warnings: streamed.warnings,
                };
                if let Err(e) = cache::save_result(d, "summary", &list, &salt, &cached)
                    && !args.input.quiet
                {
                    eprintln!("permstat: warning: could not write the cache: {e}");
                }
                summary = cached.summary;
            }
            summary
        }
    };
    scan::print(&summary, args.format)?;
    Ok(ExitCode::SUCCESS)
}
