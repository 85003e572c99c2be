//! `permstat export`: the frames as Parquet and CSV, readable back with the same figures.

mod common;
use common::*;
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
    assert_eq!(names, permstat::output::frame::CALL_COLUMNS);
    // The same approved count as the report on the same data.
    let (_, out, _) = permstat(&["report", "data/real", "-q", "--format", "json"]);
    let approved = json(&out)["prompts"]["approved"].as_u64().unwrap();
    let answers = df.column("answer").unwrap().str().unwrap().clone();
    let n = (0..answers.len())
        .filter(|i| answers.get(*i) == Some("approved"))
        .count();
    assert_eq!(n as u64, approved);

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
        text.starts_with("key,id,session_id,project,answer\n"),
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
    assert_eq!(code, 1);
    assert!(err.contains(".parquet or .csv"), "{err}");
}
