//! `permstat export`: the rows every report figure counts, as Parquet or CSV frames.

use super::policies::{judged_rows, load_and_replay};
use crate::cli::{ExportArgs, ExportFormat};
use crate::output::frame::{calls_frame, keys_frame};
use crate::text::redact::Redactor;
use anyhow::{Context, bail};
use polars::prelude::*;
use std::path::Path;
use std::process::ExitCode;

/// The format asked for, else the one the file name says.
fn format_of(args: &ExportArgs) -> anyhow::Result<ExportFormat> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    match args.output.extension().and_then(|e| e.to_str()) {
        Some("parquet") | Some("pq") => Ok(ExportFormat::Parquet),
        Some("csv") => Ok(ExportFormat::Csv),
        _ => bail!(
            "cannot tell the format of {}: name it .parquet or .csv, or pass --format",
            args.output.display()
        ),
    }
}

/// Runs `permstat export`.
pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let format = format_of(args)?;
    let (calls, replayed) = load_and_replay(&args.input, &args.settings, &args.window)?;
    let rows = judged_rows(&calls, &replayed);
    let mut df = if args.keys {
        keys_frame(&rows)?
    } else {
        calls_frame(&rows, Redactor::new(!args.input.no_redact))?
    };
    // Written beside the target, then renamed: a failed export leaves no half file.
    let dir = args
        .output
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    match format {
        ExportFormat::Parquet => {
            ParquetWriter::new(tmp.as_file_mut()).finish(&mut df)?;
        }
        ExportFormat::Csv => {
            CsvWriter::new(tmp.as_file_mut()).finish(&mut df)?;
        }
    }
    tmp.persist(&args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if !args.input.quiet {
        eprintln!(
            "permstat: wrote {} rows to {}",
            df.height(),
            args.output.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
