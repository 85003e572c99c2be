//! `permstat replay`: today's settings over every recorded call, compared with what the
//! transcripts say happened.

use super::folder_settings::{SettingsOptions, load_and_replay, warning_text};
use super::{InputOptions, WindowOptions};
use crate::output::Format;
use crate::output::replay::{self, ReplayReport};
use crate::permissions::replay::compare;
use crate::text::redact::Redactor;
use std::process::ExitCode;

/// What `permstat replay` was asked for.
#[derive(Debug, Clone)]
pub struct ReplayOptions {
    /// Transcripts to read, and shared options.
    pub input: InputOptions,
    /// Settings to replay.
    pub settings: SettingsOptions,
    /// Calls to cover.
    pub window: WindowOptions,
    /// Output format of the summary.
    pub format: Format,
    /// Print each call's decision as one JSON object per line instead of the summary.
    pub calls: bool,
}

/// Runs `permstat replay`.
pub fn run(args: &ReplayOptions) -> anyhow::Result<ExitCode> {
    let (calls, replayed) = load_and_replay(&args.input, &args.settings, &args.window)?;
    if args.calls {
        let redactor = Redactor::new(!args.input.no_redact);
        replay::write_decisions(&calls, &replayed.decisions, redactor)?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = ReplayReport {
        summary: compare(&calls, &replayed.decisions),
        settings_files: replayed
            .files
            .iter()
            .map(|f| f.display().to_string())
            .collect(),
        warnings: replayed
            .warnings
            .iter()
            .map(|w| warning_text(&args.input, w))
            .collect(),
    };
    replay::print(&report, args.format)?;
    Ok(ExitCode::SUCCESS)
}
