//! `permstat report`: where permission prompts cost people time.
//!
//! The command reads one set of linked sessions at a time ([`stream`]), keeps the window,
//! and folds each into a [`Part`] of the report ([`crate::analysis::report`]), replaying the
//! settings of each session's folder ([`PolicyBook`]); [`crate::output::report`] prints the
//! finished [`crate::analysis::report::Report`].

use super::folder_settings::{PolicyBook, SettingsOptions};
use super::window::{in_project, no_project_match};
use super::{Fold, InputOptions, WindowOptions, apply_window, stream};
use crate::analysis::evidence::EvidenceParams;
use crate::analysis::fatigue::FatigueParams;
use crate::analysis::report::{Part, ReportParams};
use crate::event::ToolCall;
use crate::output::{self, Format};
use crate::text::redact::Redactor;
use crate::transcript::Table;
use std::marker::PhantomData;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// What `permstat report` was asked for.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Transcripts to read, and shared options.
    pub input: InputOptions,
    /// Settings to replay.
    pub settings: SettingsOptions,
    /// Calls to cover.
    pub window: WindowOptions,
    /// Output format.
    pub format: Format,
    /// Answers faster than this many milliseconds count as rubber stamps.
    pub rubber_stamp_ms: i64,
    /// A result sooner than this many milliseconds after its call came from no person.
    pub human_floor_ms: i64,
    /// Rows per table in terminal and Markdown output (JSON lists everything).
    pub top: usize,
}

/// Runs `permstat report`: one group of transcripts at a time (see [`stream`]), each
/// windowed, replayed and analysed into a [`Part`], then the parts assembled and printed.
pub fn run(args: &ReportOptions) -> anyhow::Result<ExitCode> {
    // Checked once up front, so that a bad --since fails before any file is read.
    apply_window(Vec::new(), &args.window)?;
    let book = PolicyBook::new(&args.input, &args.settings);
    let redactor = Redactor::new(!args.input.no_redact);
    let params = ReportParams {
        fatigue: FatigueParams {
            rubber_stamp_ms: args.rubber_stamp_ms,
            ..FatigueParams::default()
        },
        evidence: EvidenceParams {
            floor_ms: args.human_floor_ms,
        },
    };
    let part = |calls: Vec<ToolCall>| Part::of(&calls, &book, &params, redactor);
    // Whether --project matched any session, whatever the time window.
    let matched = AtomicBool::new(false);
    let streamed = stream(
        &args.input,
        &Fold {
            new: Part::default,
            add: |p: &mut Part, table: Table| {
                if table.calls.iter().any(|c| in_project(c, &args.window)) {
                    matched.store(true, Ordering::Relaxed);
                }
                let calls = apply_window(table.calls, &args.window).unwrap_or_default();
                p.add(&calls, &book, &params, redactor);
            },
            merge: Part::absorb,
            result: PhantomData,
        },
    )?;
    if args.window.project.is_some() && !matched.load(Ordering::Relaxed) {
        return Err(no_project_match(&args.window));
    }
    let report = match streamed.merged.finish(&params) {
        Some(r) => r,
        None => {
            // Two sets of sessions hold calls made at the same millisecond, one of which the
            // replay disagrees with: place it by reading everything as one table.
            let loaded = super::load(&args.input)?;
            let calls = apply_window(loaded.table.calls, &args.window)?;
            part(calls).finish(&params).ok_or_else(|| {
                anyhow::anyhow!("internal error: a single part always places its calls")
            })?
        }
    };
    super::folder_settings::warn_settings(&args.input, &book.warnings());
    let _t = crate::timing::phase("render");
    output::report::print(&report, args.format, args.top)?;
    Ok(ExitCode::SUCCESS)
}
