//! `permstat report`: where permission prompts cost people time.
//!
//! The command reads one set of linked sessions at a time ([`stream`]), keeps the window,
//! and folds each into a [`Part`] of the report ([`crate::analysis::report`]), replaying the
//! settings of each session's folder ([`PolicyBook`]); [`crate::output::report`] prints the
//! finished [`crate::analysis::report::Report`].
//!
//! For the formats that show suggested rules (HTML, JSON), the fold keeps a summary of the
//! calls the suggester reads (calls alike once, with their count: [`crate::suggest::Summary`]),
//! and [`suggested`] runs it over them per working folder once every set is in: no second
//! reading of the transcripts, and memory for the distinct commands only.

use super::folder_settings::{PolicyBook, SettingsOptions};
use super::window::{in_project, no_project_match};
use super::{Fold, InputOptions, Width, WindowOptions, apply_window, stream};
use crate::analysis::evidence::EvidenceParams;
use crate::analysis::fatigue::FatigueParams;
use crate::analysis::report::period::Period;
use crate::analysis::report::{
    Part, ReportParams, RuleSaving, SUGGESTED_NOTE, SuggestRows, Suggested,
};
use crate::event::ToolCall;
use crate::output::{self, Format};
use crate::suggest::{Answers, SuggestOptions, suggest_answered};
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
    /// Rows per table in terminal, Markdown and HTML output (JSON lists everything).
    pub top: usize,
    /// How the tables and charts over time group the calls.
    pub by: Period,
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
        keep_suggest_calls: shows_suggestions(args.format),
        // JSON lists every risky call; the tables show the first `--top`.
        risky_rows: (args.format != Format::Json).then_some(args.top),
    };
    if params.keep_suggest_calls {
        crate::suggest::safety::warm_up();
    }
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
            width: Width::Wide,
            result: PhantomData,
        },
    )?;
    if args.window.project.is_some() && !matched.load(Ordering::Relaxed) {
        return Err(no_project_match(&args.window));
    }
    let files = streamed.discovery.files.len() as u64;
    let mut merged = streamed.merged;
    let kept = merged.take_suggest_rows();
    let finished = {
        let _t = crate::timing::phase("finish");
        merged.finish(&params)
    };
    let mut report = match finished {
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
    report.context.files = files;
    if params.keep_suggest_calls {
        let _t = crate::timing::phase("suggest");
        report.suggested = Some(suggested(kept, &book, redactor));
    }
    super::folder_settings::warn_settings(&args.input, &book.warnings());
    let _t = crate::timing::phase("render");
    let view = output::report::View {
        top: args.top,
        by: args.by,
    };
    output::report::print(&report, args.format, view)?;
    Ok(ExitCode::SUCCESS)
}

/// True for the formats that show the suggested rules.
fn shows_suggestions(format: Format) -> bool {
    match format {
        Format::Html | Format::Json => true,
        Format::Table | Format::Md => false,
    }
}

/// The suggester's rules over the calls the report kept (those that prompted or were
/// answered: see [`SuggestRows`]), one working folder at a time, with `permstat suggest`'s
/// default thresholds; the savings are replayed over the same calls.
fn suggested(kept: SuggestRows, book: &PolicyBook<'_>, redactor: Redactor) -> Suggested {
    let opts = SuggestOptions::default();
    let mut out = Suggested {
        note: SUGGESTED_NOTE,
        prompts_before: 0,
        prompts_after: 0,
        answered: Default::default(),
        answered_saved: Default::default(),
        rules: Vec::new(),
    };
    for (folder, summary) in kept {
        let rows = summary.finish();
        let replayed = book.replay(&rows.calls);
        let policy_of = |c: &ToolCall| -> &crate::permissions::settings::Policy {
            crate::analysis::report::PolicyLookup::policy_of(book, &replayed.policies, c)
        };
        let answers = Answers::of_rows(rows.known, rows.weights, rows.confirmed);
        let p = suggest_answered(
            &rows.calls,
            &replayed.decisions,
            policy_of,
            answers,
            &opts,
            redactor,
        );
        out.prompts_before += p.prompts_before;
        out.prompts_after += p.prompts_after;
        out.answered.add(p.answered);
        out.answered_saved.add(p.answered_saved);
        out.rules.extend(p.rules.into_iter().map(|r| RuleSaving {
            rule: r.rule,
            kind: r.class.label().to_string(),
            project: folder.clone(),
            approvals: r.approvals,
            sessions: r.sessions,
            prompts_saved: r.prompts_saved,
            saved: r.saved,
        }));
    }
    out.rules.sort_by(|a, b| {
        (b.saved.best, b.prompts_saved)
            .cmp(&(a.saved.best, a.prompts_saved))
            .then(b.approvals.cmp(&a.approvals))
            .then(a.rule.cmp(&b.rule))
    });
    out
}
