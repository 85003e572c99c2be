//! The report's context line and its waiting figures: overlapping prompts merged,
//! walked-away waits apart, median and p90 per prompt; on hand-written sessions with known
//! waits and on the real transcripts (figures worked out from the exported calls).

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;

fn report(path: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["report", path.to_str().unwrap(), "--format", "json", "-q"];
    args.extend(extra);
    json(&permstat_ok(&args))
}

/// One session of Edits in the project: each (asked, answered) as times of 2026-03-01.
fn edits(dir: &Path, sid: &str, calls: &[(&str, &str)]) {
    let ts = |t: &str| format!("2026-03-01T{t}.000Z");
    let mut lines = vec![prompt(sid, &format!("{sid}-p"), &ts("09:59:00"), "default")];
    for (i, (asked, answered)) in calls.iter().enumerate() {
        let id = format!("{sid}-{i}");
        let path = format!("{APP}/src/f{i}.rs");
        lines.push(file_call(
            sid,
            &format!("{id}-a"),
            &id,
            &ts(asked),
            "Edit",
            &path,
        ));
        lines.push(tool_result(
            sid,
            &format!("{id}-r"),
            &id,
            &ts(answered),
            "ok",
            false,
        ));
    }
    write(&dir.join(format!("{sid}.jsonl")), &jsonl(&lines));
}

#[test]
fn parallel_prompts_are_merged_and_walked_away_waits_apart() {
    // Two sessions at once. Every edit waited longer than an edit runs: an evidenced prompt
    // (docs/report.md, "waited"). Waits: p1 10 s (10:00:01-11) and 5 s (10:01:00-05); p2
    // 15 s (10:00:05-20), overlapping p1's first, and 20 minutes (11:00-11:20): walked away.
    let dir = tempfile::tempdir().unwrap();
    edits(
        dir.path(),
        "p1",
        &[("10:00:01", "10:00:11"), ("10:01:00", "10:01:05")],
    );
    edits(
        dir.path(),
        "p2",
        &[("10:00:05", "10:00:20"), ("11:00:00", "11:20:00")],
    );
    let v = report(dir.path(), &[]);
    let w = &v["fatigue"]["waiting"];
    assert_eq!(w["prompts"], 4);
    // Union of 10:00:01-10:00:20 (19 s) and 10:01:00-10:01:05 (5 s).
    assert_eq!(w["merged_ms"], 24_000);
    assert_eq!(w["summed_ms"], 30_000);
    assert_eq!(
        (w["outliers"].as_u64(), w["outlier_ms"].as_u64()),
        (Some(1), Some(1_200_000))
    );
    assert_eq!(w["longest_ms"], 1_200_000);
    // 5, 10 and 15 s: median 10 s; the 90th percentile by nearest rank is the 3rd of 3.
    assert_eq!(
        (w["median_ms"].as_f64(), w["p90_ms"].as_f64()),
        (Some(10_000.0), Some(15_000.0))
    );
    assert_eq!(w["walked_away_ms"], 600_000);
    // The old figure stays what it was: every wait added up.
    assert_eq!(v["fatigue"]["waiting_ms"], 1_230_000);
    let c = &v["context"];
    assert_eq!(
        (
            c["files"].as_u64(),
            c["sessions"].as_u64(),
            c["calls"].as_u64(),
            c["days"].as_u64()
        ),
        (Some(2), Some(2), Some(4), Some(1))
    );
    assert_eq!(c["mode_unrecorded"], 0);
    let text = permstat_ok(&["report", dir.path().to_str().unwrap(), "-q"]);
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "Period 2026-03-01 to 2026-03-01 (1 day) · 2 files · 2 sessions · 4 calls · WARNING: no settings file found, the replay used Claude Code's defaults only · mode not recorded for 0% of calls (inferred for 0%) · answer inferred for 100% of calls"
    );
    assert!(text.contains("10.0s / 15.0s"), "{text}");
    assert!(text.contains("0m24s"), "{text}");
    assert!(text.contains("1 (20m00s)"), "{text}");
}

#[test]
fn real_waiting_and_context() {
    // From `permstat export data/real --output calls.csv` (the tool-call table, another
    // path than the report's fold), with Python: rows whose answer is approved or rejected,
    // basis not `replayed` and a window: 50; 3 windows over 600,000 ms (2,462,075 ms in all,
    // the longest 935,956); the other 47: median 9,037, p90 (nearest rank, the 43rd)
    // 68,895, summed 1,551,885, and their [answered - window, answered] spans do not
    // overlap, so merging keeps 1,551,885.
    let v = report(Path::new("data/real"), &[]);
    let w = &v["fatigue"]["waiting"];
    assert_eq!(w["prompts"], 50);
    assert_eq!(
        (w["outliers"].as_u64(), w["outlier_ms"].as_u64()),
        (Some(3), Some(2_462_075))
    );
    assert_eq!(w["longest_ms"], 935_956);
    assert_eq!(
        (w["median_ms"].as_f64(), w["p90_ms"].as_f64()),
        (Some(9_037.0), Some(68_895.0))
    );
    assert_eq!(
        (w["merged_ms"].as_u64(), w["summed_ms"].as_u64()),
        (Some(1_551_885), Some(1_551_885))
    );
    // The same CSV: 330 rows; 139 with an empty `mode`, of which 107 have `mode_inferred`
    // true; 317 whose basis is not `recorded`. 10 transcript files (ls data/real/*/*.jsonl).
    let c = &v["context"];
    assert_eq!(
        c,
        &json!({
            "first": "2026-01-07T09:30:35.356Z", "last": "2026-02-12T14:12:49.188Z", "days": 37,
            "files": 10, "sessions": 10, "calls": 330, "settings_files": 0,
            "mode_unrecorded": 139, "mode_inferred": 107, "answer_inferred": 317,
            "mode_unrecorded_share": 139.0 / 330.0, "answer_inferred_share": 317.0 / 330.0
        })
    );
    // Weeks and months add up to the days (2026-01-07 .. 2026-02-12: ISO weeks 2, 5, 6, 7).
    let keys = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|g| g["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        keys("by_week"),
        ["2026-W02", "2026-W05", "2026-W06", "2026-W07"]
    );
    assert_eq!(keys("by_month"), ["2026-01", "2026-02"]);
    let sum = |k: &str| -> u64 {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|g| g["calls"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        (sum("by_day"), sum("by_week"), sum("by_month")),
        (330, 330, 330)
    );
}
