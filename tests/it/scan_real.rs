//! `permstat scan` on the real transcripts in `data/real`, against counts worked out
//! independently with a script that does not use permstat (`tests/expected/count_real.py`,
//! method and per-call listing in `tests/expected/README.md`).

use crate::common::*;
use permstat::cmd::{load, scan::summary_of};
use permstat::transcript::summary::ScanSummary;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn expected() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string("tests/expected/real_counts.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

fn nonzero(map: &BTreeMap<impl ToString, u64>) -> BTreeMap<String, u64> {
    map.iter()
        .filter(|(_, v)| **v > 0)
        .map(|(k, v)| (k.to_string(), *v))
        .collect()
}

fn as_counts(v: &Value) -> BTreeMap<String, u64> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .filter(|(_, v)| *v > 0)
        .collect()
}

fn check(name: &str, s: &ScanSummary, want: &Value) {
    assert_eq!(
        s.tool_calls,
        want["tool_calls"].as_u64().unwrap(),
        "{name}: tool_calls"
    );
    assert_eq!(s.lines, want["lines"].as_u64().unwrap(), "{name}: lines");
    assert_eq!(
        s.sessions,
        want["sessions"].as_u64().unwrap(),
        "{name}: sessions"
    );
    assert_eq!(
        s.subagent_calls,
        want["subagent_calls"].as_u64().unwrap(),
        "{name}: subagent_calls"
    );
    assert_eq!(
        nonzero(&s.by_tool),
        as_counts(&want["by_tool"]),
        "{name}: by_tool"
    );
    assert_eq!(
        nonzero(&s.outcomes),
        as_counts(&want["outcomes"]),
        "{name}: outcomes"
    );
    assert_eq!(
        nonzero(&s.modes),
        as_counts(&want["modes"]),
        "{name}: modes"
    );
    let versions: Vec<&str> = want["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for v in s.versions.keys() {
        assert!(
            versions.contains(&v.as_str()),
            "{name}: unexpected version {v}"
        );
    }
    assert_eq!(s.bad_lines, 0, "{name}: real files have no bad lines");
}

#[test]
fn every_real_file_matches_its_independent_counts() {
    for (name, want) in expected() {
        if name.starts_with('_') {
            continue;
        }
        let loaded = load(&input(vec![Path::new("data/real").join(&name)])).unwrap();
        assert_eq!(loaded.table.files.len(), 1, "{name}");
        check(&name, &summary_of(&loaded), &want);
    }
}

#[test]
fn the_whole_sample_matches_the_totals() {
    let want = &expected()["_all"];
    let loaded = load(&input(vec![PathBuf::from("data/real")])).unwrap();
    let s = summary_of(&loaded);
    assert_eq!(s.files, 10);
    check("_all", &s, want);
}

#[test]
fn the_binary_prints_the_documented_json() {
    let v = json(&permstat_ok(&[
        "scan",
        "--no-cache",
        "data/real",
        "--format",
        "json",
        "--quiet",
    ]));
    let want = &expected()["_all"];
    for key in ["files", "sessions", "lines", "bad_lines", "tool_calls"] {
        assert!(v[key].is_u64(), "missing {key}");
    }
    assert_eq!(v["tool_calls"], want["tool_calls"]);
    assert_eq!(v["lines"], want["lines"]);
    // Every outcome is listed, zeros included, as the documented shape promises.
    assert_eq!(v["outcomes"].as_object().unwrap().len(), 14);
    assert_eq!(v["outcomes"]["user_rejected_with_feedback"], 5);
    assert_eq!(v["outcomes"]["rule_denied"], 2);
    assert_eq!(v["by_tool"]["Bash"], want["by_tool"]["Bash"]);
    assert_eq!(v["modes"]["default"], want["modes"]["default"]);
}

#[test]
fn calls_are_printed_as_json_lines_one_per_call() {
    let text = permstat_ok(&["scan", "--no-cache", "data/real", "--calls", "--quiet"]);
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        rows.len() as u64,
        expected()["_all"]["tool_calls"].as_u64().unwrap()
    );
    // The two deny-rule denials of d8 (README lists their ids), with their commands.
    let denied: Vec<&Value> = rows
        .iter()
        .filter(|r| r["outcome"] == "rule_denied")
        .collect();
    assert_eq!(denied.len(), 2);
    assert!(
        denied
            .iter()
            .all(|r| r["tool"] == "Bash" && r["input"]["command"].is_string())
    );
    // Every executed call that got an answer has both times and a non-negative gap.
    for r in rows.iter().filter(|r| r["outcome"] == "ran") {
        assert!(r["asked_at"].is_string() && r["answered_at"].is_string());
    }
}
