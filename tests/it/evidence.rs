//! The evidence behind each answer on the real transcripts (against
//! `tests/expected/real_evidence.json`, written by `count_evidence.py` from the files
//! alone), and a report over calls whose decisions were recorded.

use crate::common::*;
use permstat::analysis::report::{Part, ReportParams};
use permstat::cmd::SettingsOptions;
use permstat::cmd::folder_settings::PolicyBook;
use permstat::event::{Mode, Outcome, RecordSource, RecordedDecision, ToolCall};
use permstat::text::redact::Redactor;
use polars::prelude::*;
use serde_json::Value;

/// The calls frame of `permstat export data/real`.
fn exported() -> DataFrame {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("calls.parquet");
    permstat_ok(&[
        "export",
        "data/real",
        "-q",
        "--output",
        pq.to_str().unwrap(),
    ]);
    ParquetReader::new(std::fs::File::open(&pq).unwrap())
        .finish()
        .unwrap()
}

fn strs(df: &DataFrame, col: &str) -> Vec<Option<String>> {
    let c = df.column(col).unwrap().str().unwrap().clone();
    (0..c.len()).map(|i| c.get(i).map(String::from)).collect()
}

/// Every call's window and timing evidence, as `count_evidence.py` works them out from the
/// files: the windows are equal call by call; a call the script finds at machine speed
/// (< 300 ms, executed) ran unasked on that ground; an edit it finds waiting (>= 1.3 s) is
/// an evidenced approval. By hand: every such edit of data/real was made in default mode,
/// recorded (00_c9e, 13_db96, 2b_b8c, 10_a74, ec_38b) or inferred (198393f2's edits all
/// waited; b50aaf5c's first edit waited 936 s before its later edits came fast), and no
/// settings are loaded, so each one prompted.
#[test]
fn windows_and_timing_match_the_independent_count() {
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/expected/real_evidence.json").unwrap(),
    )
    .unwrap();
    let df = exported();
    let ids = strs(&df, "id");
    let answer = strs(&df, "answer");
    let evidence = strs(&df, "evidence");
    let basis = strs(&df, "basis");
    let window = df.column("window_ms").unwrap().i64().unwrap().clone();
    let per_call = want["per_call"].as_object().unwrap();
    assert_eq!(per_call.len(), ids.len());
    let (mut machine, mut waited_edits) = (0, 0);
    for (i, id) in ids.iter().enumerate() {
        let id = id.as_deref().unwrap();
        let w = &per_call[id];
        assert_eq!(window.get(i), w[2].as_i64(), "window of {id}");
        let (tool, pace) = (w[0].as_str().unwrap(), w[3].as_str().unwrap());
        let (a, e) = (
            answer[i].as_deref().unwrap(),
            evidence[i].as_deref().unwrap(),
        );
        if pace == "machine" {
            machine += 1;
            assert_eq!(e, "machine_speed", "{id}");
            assert!(
                matches!(a, "auto_allowed" | "classifier_allowed"),
                "{id} {a}"
            );
        }
        if pace == "waited" && matches!(tool, "Edit" | "Write") && w[1] == "ran" {
            waited_edits += 1;
            assert_eq!(
                (a, basis[i].as_deref()),
                ("approved", Some("evidenced")),
                "{id}"
            );
        }
    }
    assert_eq!(machine, want["machine_speed"].as_u64().unwrap() as usize);
    assert_eq!(machine, 131);
    assert_eq!(waited_edits, 38);
}

/// The report's evidence on data/real, each figure worked out by hand from the script's
/// per-call listing (`count_evidence.py --calls`) and the files.
#[test]
fn report_figures_from_the_evidence() {
    let v = json(&permstat_ok(&[
        "report",
        "data/real",
        "-q",
        "--format",
        "json",
    ]));
    let e = &v["evidence"];
    let ground = |g: &str| {
        e["by_ground"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ground"] == g)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(ground("machine_speed")["calls"], 131);
    // Recorded outcomes are what they were before the evidence: 8 "no" answers (2 rejected,
    // 5 with feedback, 1 subagent), 2 deny-rule denials, 2 Esc interrupts, 1 cancelled
    // sibling (tests/expected/real_counts.json), and no auto mode.
    assert_eq!(v["prompts"]["rejected"], 8);
    assert_eq!(v["denied"]["rule"], 2);
    assert_eq!(v["fatigue"]["interrupts"], 2);
    assert_eq!(v["automode"]["fallbacks"], 0);
    assert_eq!(ground("outcome")["calls"], 13);
    // The low bound: the 38 edits that waited, the 2 Reads outside the project that waited
    // (b50aaf5c 18:22:31, 2.7 s; 163396cf's subagent Read of ~/.REDACTED.txt, 2.3 s), and
    // two Bash approvals that granted "don't ask again" in b50aaf5c: `git ls-tree` (531 s at
    // 18:48:47, then 166 ms at 19:01:13) and `/tmp/entire-test` (72.9 s at 18:59:51, then
    // 166 ms at 19:01:09).
    let p = &v["prompts"];
    assert_eq!(p["estimate"]["low"], 42);
    assert_eq!(p["approved_by_basis"]["evidenced"], 42);
    assert_eq!(p["approved_by_basis"]["recorded"], 0);
    let low = p["estimate"]["low"].as_u64().unwrap();
    let high = p["estimate"]["high"].as_u64().unwrap();
    let best = p["estimate"]["best"].as_u64().unwrap();
    assert!(low <= best && best <= high);
    assert_eq!(high, p["approved"].as_u64().unwrap());
    // Fatigue counts the evidenced prompts: 42 approvals and the 8 rejections.
    assert_eq!(v["fatigue"]["prompts_counted"], 50);
    assert_eq!(
        v["fatigue"]["replay_only_left_out"].as_u64().unwrap(),
        high - low
    );
    // Modes: 198393f2 (2.0.76) waits on its edits (2 ran after 17 s and 2.5 s, 4 were
    // rejected): default, all 44 calls. b50aaf5c (2.1.4): its first edit waited 936 s, the
    // 8 after it came back in 23-41 ms: default for its first 8 calls, acceptEdits from
    // 18:40:15.755 for the other 54 (its fast Bash calls in /tmp are outweighed by the slow
    // ones, so not bypass). 491e126e's calls before its first prompt line: one fast Write
    // only, nothing to infer but plan mode at its ExitPlanMode call.
    let m = &e["modes_inferred"];
    assert_eq!(m["sessions"], 3);
    assert_eq!(m["calls"], 44 + 8 + 54 + 1);
    let spans: Vec<(String, String, u64)> = m["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["session_id"].as_str().unwrap()[..8].to_string(),
                s["mode"].as_str().unwrap().to_string(),
                s["calls"].as_u64().unwrap(),
            )
        })
        .collect();
    let span = |s: &str, m: &str, n: u64| (s.to_string(), m.to_string(), n);
    assert_eq!(
        spans,
        [
            span("198393f2", "default", 44),
            span("491e126e", "plan", 1),
            span("b50aaf5c", "default", 8),
            span("b50aaf5c", "acceptEdits", 54),
        ]
    );
    let accept = &m["spans"][3];
    assert_eq!(accept["from"], "2026-01-11T18:40:15.755Z");
    assert_eq!(accept["fast_edits"], 8);
}

/// The input options for `paths` with no settings at all: an empty folder (returned, to
/// keep it) as the config and managed folders.
fn no_settings(
    paths: Vec<std::path::PathBuf>,
) -> (
    tempfile::TempDir,
    permstat::cmd::InputOptions,
    SettingsOptions,
) {
    let empty = tempfile::tempdir().unwrap();
    let mut input = input(paths);
    input.config_dir = Some(empty.path().to_path_buf());
    let settings = SettingsOptions {
        settings: Vec::new(),
        project_root: None,
        managed_dir: empty.path().to_path_buf(),
    };
    (empty, input, settings)
}

/// A session whose calls carry recorded decisions: the report's prompts are the records',
/// exactly, and the inference is compared with them.
#[test]
fn a_report_over_recorded_decisions_counts_the_records() {
    let (_empty, input, settings) = no_settings(Vec::new());
    let book = PolicyBook::new(&input, &settings);
    let call = |i: i64, prompted: Option<bool>| {
        let mut c = tool_call(
            &format!("c{i}"),
            "Bash",
            bash("npm run build"),
            Some(Mode::Default),
            Outcome::Ran,
        );
        c.asked_ms = Some(1_772_359_200_000 + i * 60_000);
        c.answered_ms = c.asked_ms.map(|t| t + 9_000);
        c.recorded = prompted.map(|p| RecordedDecision {
            source: RecordSource::PromptLog,
            prompted: Some(p),
            decision: Some("accept".into()),
            detail: None,
        });
        c
    };
    // Six identical calls; the prompt log has lines for two of them.
    let calls: Vec<ToolCall> = (0..6)
        .map(|i| call(i, [1, 4].contains(&i).then_some(true)))
        .collect();
    let params = ReportParams::default();
    let r = Part::of(&calls, &book, &params, Redactor::new(true))
        .finish(&params)
        .unwrap();
    assert_eq!(r.prompts.approved, 2);
    assert_eq!(r.prompts.approved_by_basis.recorded, 2);
    assert_eq!((r.prompts.estimate.low, r.prompts.estimate.high), (2, 2));
    assert!(!r.prompts.approved_is_inferred);
    assert_eq!(r.evidence.exact_share, Some(1.0));
    assert_eq!(r.fatigue.prompts_counted, 2);
    let c = &r.evidence.records;
    assert_eq!((c.calls, c.recorded_prompts, c.replayed_prompts), (6, 2, 6));
    assert_eq!((c.both, c.inferred_only, c.recorded_only), (2, 4, 0));
}

/// The real sample, one part per session absorbed in reverse order with only the first
/// five risky calls kept, against one part over every call keeping all: the same first
/// five, the same counts of them all, and the same report otherwise.
#[test]
fn a_bounded_report_keeps_the_first_risky_calls_of_the_whole() {
    let (_empty, input, settings) = no_settings(vec!["data/real".into()]);
    let book = PolicyBook::new(&input, &settings);
    let calls = permstat::cmd::load(&input).unwrap().table.calls;
    let red = Redactor::new(true);
    let all = ReportParams::default();
    let whole = Part::of(&calls, &book, &all, red).finish(&all).unwrap();
    let bounded = ReportParams {
        risky_rows: Some(5),
        ..ReportParams::default()
    };
    let mut sessions: Vec<&str> = calls.iter().map(|c| &*c.session_id).collect();
    sessions.sort_unstable();
    sessions.dedup();
    let mut merged = Part::default();
    for s in sessions.iter().rev() {
        let mine: Vec<ToolCall> = calls
            .iter()
            .filter(|c| &*c.session_id == *s)
            .cloned()
            .collect();
        merged.absorb(Part::of(&mine, &book, &bounded, red));
    }
    let parts = merged.finish(&bounded).unwrap();
    // The sample has more risky approved calls than are kept, in more than one session.
    let n = whole.risky_approved.len();
    assert!(n > 5, "{n} risky calls");
    assert_eq!(parts.risky_summary, whole.risky_summary);
    assert_eq!(parts.risky_summary.calls, n);
    let json = |r: &[permstat::analysis::risk::RiskyCall]| serde_json::to_value(r).unwrap();
    assert_eq!(
        json(&parts.risky_approved),
        json(&whole.risky_approved[..5])
    );
    let mut a = serde_json::to_value(&parts).unwrap();
    let mut b = serde_json::to_value(&whole).unwrap();
    for v in [&mut a, &mut b] {
        v.as_object_mut().unwrap().remove("risky_approved");
    }
    assert_eq!(a, b);
}
