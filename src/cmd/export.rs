//! `permstat export`: the rows every report figure counts, as Parquet or CSV frames, each
//! call with its answer and the evidence it rests on: one file, or a folder of Parquet
//! files partitioned by developer and month (`docs/export.md`).

use super::folder_settings::{SettingsOptions, judged_rows, load_and_replay};
use super::{InputOptions, WindowOptions};
use crate::analysis::evidence::EvidenceParams;
use crate::output::frame::{
    ExportFormat, HIVE_NULL, calls_frame, keys_frame, partition_value, write_frame,
    write_partitions,
};
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
    /// File to write, or folder (an existing one, or a Parquet output named without an
    /// extension) to write partitioned.
    pub output: PathBuf,
    /// Format (None: from the file's extension).
    pub format: Option<ExportFormat>,
    /// One row per command key of each call instead of one row per call.
    pub keys: bool,
    /// A result sooner than this many milliseconds after its call came from no person.
    pub human_floor_ms: i64,
}

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// One file in this format.
    File(ExportFormat),
    /// A folder of Parquet files, partitioned by developer and month.
    Folder,
}

/// A folder when `--output` is one (or ends with a slash), or names no file extension with
/// `--format parquet`; else a file, in the format asked for or the one its name says.
fn target_of(args: &ExportOptions) -> anyhow::Result<Target> {
    let out = &args.output;
    let folder = out.is_dir()
        || out.as_os_str().to_string_lossy().ends_with(['/', '\\'])
        || (args.format == Some(ExportFormat::Parquet) && out.extension().is_none());
    let target = match (folder, args.format, ExportFormat::of_path(out)) {
        (true, Some(ExportFormat::Csv), _) => bail!(
            "{} is a folder: a partitioned export is Parquet (name a .csv file for CSV)",
            out.display()
        ),
        (true, _, _) => Target::Folder,
        (false, Some(f), _) | (false, None, Some(f)) => Target::File(f),
        (false, None, None) => bail!(
            "cannot tell the format of {}: name it .parquet or .csv, pass --format, or name a \
             folder for a partitioned Parquet export",
            out.display()
        ),
    };
    if target == Target::Folder && args.keys {
        bail!(
            "--keys writes one file: name a .parquet or .csv file (a folder export holds the \
             calls)"
        );
    }
    Ok(target)
}

/// The developer of calls that carry none, in a folder export: the login name.
fn login_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| HIVE_NULL.to_string())
}

/// Runs `permstat export`.
pub fn run(args: &ExportOptions) -> anyhow::Result<ExitCode> {
    let format = match target_of(args)? {
        Target::File(f) => f,
        Target::Folder => return run_folder(args),
    };
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

/// Writes the calls as a folder of Parquet files, partitioned by developer and month.
fn run_folder(args: &ExportOptions) -> anyhow::Result<ExitCode> {
    let (calls, replayed) = load_and_replay(&args.input, &args.settings, &args.window)?;
    let params = EvidenceParams {
        floor_ms: args.human_floor_ms,
    };
    let mut rows = judged_rows(&calls, &replayed, &args.settings, &params);
    let default = login_name();
    let written = write_partitions(
        &mut rows,
        &args.output,
        &default,
        Redactor::new(!args.input.no_redact),
    )?;
    if !args.input.quiet {
        eprintln!(
            "permstat: wrote {} rows in {} files under {} (calls with no developer under \
             developer={})",
            written.rows,
            written.files.len(),
            args.output.display(),
            partition_value(&crate::text::anon::apply(&default))
        );
    }
    Ok(ExitCode::SUCCESS)
}
