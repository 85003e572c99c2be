//! `permstat export`: the frames as Parquet and CSV, readable back with the same figures.

use crate::common::*;
use permstat::analysis::aggregate::{GroupCounts, count_by};
use permstat::output::frame::CALL_COLUMNS;
use polars::prelude::*;

#[test]
fn parquet_and_csv_hold_every_call_and_the_report_figures() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("calls.parquet");
    let (code, _, err) = permstat(&[
        "export",
        "data/real",
        "-q",
        "--output",
        pq.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let df = ParquetReader::new(std::fs::File::open(&pq).unwrap())
        .finish()
        .unwrap();
    assert_eq!(df.height(), 330);
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(names, CALL_COLUMNS);
    // The same approved count as the report on the same data.
    let (_, out, _) = permstat(&["report", "data/real", "-q", "--format", "json"]);
    let approved = json(&out)["prompts"]["approved"].as_u64().unwrap();
    let answers = df.column("answer").unwrap().str().unwrap().clone();
    let n = (0..answers.len())
        .filter(|i| answers.get(*i) == Some("approved"))
        .count();
    assert_eq!(n as u64, approved);
    // The evidence columns give the report's low bound and its modes inferred.
    let report = json(&out);
    let basis = df.column("basis").unwrap().str().unwrap().clone();
    let low = (0..answers.len())
        .filter(|i| answers.get(*i) == Some("approved") && basis.get(*i) != Some("replayed"))
        .count();
    assert_eq!(
        low as u64,
        report["prompts"]["estimate"]["low"].as_u64().unwrap()
    );
    let inferred = df.column("mode_inferred").unwrap().bool().unwrap().clone();
    let n = (0..inferred.len())
        .filter(|i| inferred.get(*i) == Some(true))
        .count();
    assert_eq!(
        n as u64,
        report["evidence"]["modes_inferred"]["calls"]
            .as_u64()
            .unwrap()
    );
    assert!(n > 0);

    let csv = dir.path().join("keys.csv");
    let (code, _, err) = permstat(&[
        "export",
        "data/real",
        "-q",
        "--keys",
        "--output",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("key,id,session_id,project,answer,basis,developer\n"),
        "{}",
        &text[..80]
    );
    // Every call has at least one key.
    assert!(text.lines().count() > 330);

    let (code, _, err) = permstat(&[
        "export",
        "data/real",
        "--output",
        dir.path().join("x.txt").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains(".parquet or .csv"), "{err}");
}

/// The report's counts are folded one set of sessions at a time; polars group-bys over the
/// exported frames (every call, every command key) must give the same groups and numbers.
#[test]
fn the_report_counts_equal_polars_group_bys_over_the_exports() {
    let dir = tempfile::tempdir().unwrap();
    let read = |keys: bool| -> DataFrame {
        let path = dir.path().join(if keys {
            "keys.parquet"
        } else {
            "calls.parquet"
        });
        let mut args = vec![
            "export",
            "data/real",
            "-q",
            "--output",
            path.to_str().unwrap(),
        ];
        if keys {
            args.push("--keys");
        }
        let (code, _, err) = permstat(&args);
        assert_eq!(code, 0, "{err}");
        ParquetReader::new(std::fs::File::open(&path).unwrap())
            .finish()
            .unwrap()
    };
    let (calls, keys) = (read(false), read(true));
    let (_, out, _) = permstat(&["report", "data/real", "-q", "--format", "json"]);
    let report = json(&out);
    let groups = |v: &serde_json::Value| -> Vec<GroupCounts> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| GroupCounts {
                key: g["key"].as_str().unwrap().to_string(),
                calls: g["calls"].as_u64().unwrap(),
                approved: g["approved"].as_u64().unwrap(),
                approved_evidenced: g["approved_evidenced"].as_u64().unwrap(),
                rejected: g["rejected"].as_u64().unwrap(),
                denied: g["denied"].as_u64().unwrap(),
                rule_denied: g["rule_denied"].as_u64().unwrap(),
                classifier_blocked: g["classifier_blocked"].as_u64().unwrap(),
                classifier_unavailable: g["classifier_unavailable"].as_u64().unwrap(),
                dontask_denied: g["dontask_denied"].as_u64().unwrap(),
                hook_denied: g["hook_denied"].as_u64().unwrap(),
                auto_allowed: g["auto_allowed"].as_u64().unwrap(),
                classifier_allowed: g["classifier_allowed"].as_u64().unwrap(),
            })
            .collect()
    };
    assert_eq!(
        groups(&report["by_tool"]),
        count_by(&calls, "tool").unwrap()
    );
    assert_eq!(
        groups(&report["by_project"]),
        count_by(&calls, "project").unwrap()
    );
    assert_eq!(
        groups(&report["by_command"]),
        count_by(&keys, "key").unwrap()
    );
    let mut by_day = count_by(&calls, "day").unwrap();
    by_day.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(groups(&report["by_day"]), by_day);
    // Sessions: each session row's counts are its group of the calls frame.
    let by_session = count_by(&calls, "session_id").unwrap();
    let sessions = report["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), by_session.len());
    for s in sessions {
        let id = s["session_id"].as_str().unwrap();
        let want = by_session.iter().find(|g| g.key == id).unwrap();
        let mut got = groups(&serde_json::Value::Array(vec![s["counts"].clone()]));
        got[0].key = id.to_string();
        assert_eq!(&got[0], want, "{id}");
    }
    assert!(report["by_command"].as_array().unwrap().len() > 10);
}
