//! Times the report's analysis alone, apart from the reading.
//!
//! ```sh
//! cargo build --profile profiling --example analysis_time
//! RAYON_NUM_THREADS=1 target/profiling/examples/analysis_time PROJECTS EMPTY_CONFIG [RUNS]
//! ```
//!
//! Reads every table of the transcripts under PROJECTS once, as `permstat report` streams
//! them (the settings are those of EMPTY_CONFIG, also used as the managed folder), keeps
//! them in memory, then adds them to one report part RUNS times (3 unless set), printing
//! the time per call each time, and the time of finishing the report. With one thread the
//! figure is CPU time; on this project's 2-core VM it moves by 2-3% between runs, where an
//! end-to-end run of `report` moves by 10%, most of it in the reading. Each run starts
//! with a fresh policy book; the per-thread memos of judgements and shell analyses carry
//! over, as they do from one group to the next in a real run. Run it under `perf record
//! --call-graph dwarf` to see where the analysis spends its time.

use permstat::analysis::report::{Part, ReportParams};
use permstat::cmd::folder_settings::PolicyBook;
use permstat::cmd::{Fold, InputOptions, SettingsOptions, Width, stream};
use permstat::event::ToolCall;
use permstat::text::redact::Redactor;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

/// The allocator of the `permstat` binary, so that the figures are its.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(projects), Some(empty)) = (args.first(), args.get(1)) else {
        eprintln!("usage: analysis_time PROJECTS EMPTY_CONFIG [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = match args.get(2).map(|s| s.parse()) {
        None => 3,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("analysis_time: RUNS: {e}");
            return ExitCode::from(2);
        }
    };
    let empty = PathBuf::from(empty);
    let input = InputOptions {
        paths: vec![PathBuf::from(projects)],
        config_dir: Some(empty.clone()),
        quiet: true,
        no_cache: true,
        ..InputOptions::default()
    };
    let settings = SettingsOptions {
        settings: Vec::new(),
        project_root: None,
        managed_dir: empty,
    };
    let tables: Mutex<Vec<Vec<ToolCall>>> = Mutex::new(Vec::new());
    let read = stream(
        &input,
        &Fold {
            new: || (),
            add: |_: &mut (), t: permstat::transcript::Table| {
                tables
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(t.calls)
            },
            merge: |_: &mut (), _: ()| {},
            width: Width::Wide,
            result: PhantomData,
        },
    );
    if let Err(e) = read {
        eprintln!("analysis_time: {e:#}");
        return ExitCode::FAILURE;
    }
    let tables = tables
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let calls: usize = tables.iter().map(Vec::len).sum();
    // As the terminal report: the first 10 risky calls kept, no rows for the suggester.
    let params = ReportParams {
        risky_rows: Some(10),
        ..ReportParams::default()
    };
    for _ in 0..runs {
        let book = PolicyBook::new(&input, &settings);
        let start = Instant::now();
        let mut part = Part::default();
        for t in &tables {
            part.add(t, &book, &params, Redactor::new(true));
        }
        let added = start.elapsed();
        let report = part.finish(&params);
        let finished = start.elapsed() - added;
        println!(
            "{} tables, {calls} calls: analysis {:.1} ms ({:.2} µs per call), finish {:.1} ms{}",
            tables.len(),
            added.as_secs_f64() * 1e3,
            added.as_secs_f64() * 1e6 / calls.max(1) as f64,
            finished.as_secs_f64() * 1e3,
            if report.is_some() {
                ""
            } else {
                " (needs the whole table)"
            },
        );
    }
    ExitCode::SUCCESS
}
