//! `permstat export`: the rows every report figure counts, as Parquet or CSV frames, each
//! call with its answer and the evidence it rests on.

use super::folder_settings::{SettingsOptions, judged_rows, load_and_replay};
use super::{InputOptions, WindowOptions};
use crate::analysis::evidence::EvidenceParams;
use crate::output::frame::{ExportFormat, calls_frame, keys_frame, write_frame};
use crate::text::redact::Redactor;
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `permstat export` was asked for.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Transcripts to read, and shared options.
    pub input: InputOptions,
    /// Settings to replay.
    pub settings: SettingsOptions,
    /// Calls to cover.
    pub window: WindowOptions,
    /// File to write.
    pub output: PathBuf,
    /// Format (None: from the file's extension).
    pub format: Option<ExportFormat>,
    /// One row per command key of each call instead of one row per call.
    pub keys: bool,
    /// A result sooner than this many milliseconds after its call came from no person.
    pub human_floor_ms: i64,
}

/// The format asked for, else the one the file name says.
fn format_of(args: &ExportOptions) -> anyhow::Result<ExportFormat> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    match ExportFormat::of_path(&args.output) {
        Some(f) => Ok(f),
        None => bail!(
            "cannot tell the format of {}: name it .parquet or .csv, or pass --format",
            args.output.display()
        ),
    }
}

/// Runs `permstat export`.
pub fn run(args: &ExportOptions) -> anyhow::Result<ExitCode> {
    let format = format_of(args)?;
    let (calls, replayed) = load_and_replay(&args.input, &args.settings, &args.window)?;
    let params = EvidenceParams {
        floor_ms: args.human_floor_ms,
    };
    let rows = judged_rows(&calls, &replayed, &args.settings, &params);
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
    write_frame(&mut df, format, tmp.as_file_mut())?;
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
