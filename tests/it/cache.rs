//! The incremental cache: same results with and without it; changed, grown and deleted
//! transcripts; a corrupt cache is rebuilt.

use crate::common::*;
use permstat::transcript::cache::FORMAT;
use serde_json::Value;
use std::path::Path;

/// `scan --format json` of `dir` with the cache in `cache`.
fn scan(dir: &Path, cache: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["scan", "--format", "json", "--quiet", "--cache-dir"];
    args.push(cache.to_str().unwrap());
    args.extend(extra);
    args.push(dir.to_str().unwrap());
    json(&permstat_ok(&args))
}

/// The summary without the field that says where results came from.
fn figures(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("cached_files");
    v
}

#[test]
fn cached_results_equal_fresh_ones_and_follow_changes() {
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    copy_dir(Path::new("data/real"), data.path());

    let first = scan(data.path(), cache.path(), &[]);
    assert_eq!(first["cached_files"], 0);
    let second = scan(data.path(), cache.path(), &[]);
    assert_eq!(second["cached_files"], 10);
    let fresh = scan(data.path(), cache.path(), &["--no-cache"]);
    assert_eq!(fresh["cached_files"], 0);
    assert_eq!(figures(first.clone()), figures(second));
    assert_eq!(figures(first.clone()), figures(fresh));

    // A transcript that grew is read again: one more call, one more line.
    let grown = data.path().join("marot__spotter/short.jsonl");
    let mut text = std::fs::read_to_string(&grown).unwrap();
    text.push_str(r#"{"type":"assistant","sessionId":"55604662-cf2a-4331-851a-ec234028f8ca","timestamp":"2026-02-10T22:00:00.000Z","message":{"id":"m-new","content":[{"type":"tool_use","id":"toolu_new","name":"Bash","input":{"command":"git status"}}]}}"#);
    text.push('\n');
    std::fs::write(&grown, text).unwrap();
    let after = scan(data.path(), cache.path(), &[]);
    assert_eq!(after["cached_files"], 9);
    assert_eq!(
        after["tool_calls"],
        first["tool_calls"].as_u64().unwrap() + 1
    );
    assert_eq!(after["outcomes"]["unresolved"], 1);
    assert_eq!(after["lines"], first["lines"].as_u64().unwrap() + 1);

    // A deleted one drops out, and out of the cache.
    std::fs::remove_file(data.path().join("entireio__cli/d8_7ee3bab4de_0_full.jsonl")).unwrap();
    let gone = scan(data.path(), cache.path(), &[]);
    assert_eq!(gone["files"], 9);
    assert_eq!(gone["outcomes"]["rule_denied"], 0);
    // The next run finds all nine in the cache: the deleted one is gone from it.
    assert_eq!(scan(data.path(), cache.path(), &[])["cached_files"], 9);
}

/// Every file of the cache: the summary, the joined table and the per-group scans.
fn cache_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(cache_files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn a_corrupt_cache_is_rebuilt_not_trusted() {
    let cache = tempfile::tempdir().unwrap();
    let summary = cache.path().join(format!("summary-v{FORMAT}.bin"));
    let groups = cache.path().join(format!("scan-v{FORMAT}"));
    let v = scan(Path::new("data/real"), cache.path(), &[]);
    assert_eq!(v["tool_calls"], 330);
    assert!(summary.exists());
    // One cache file per project folder: the sample has two (entireio__cli, marot__spotter).
    let per_group = cache_files(&groups);
    assert_eq!(per_group.len(), 2, "{per_group:?}");

    // Garbage in every file: nothing is trusted, everything is rebuilt.
    for f in cache_files(cache.path()) {
        std::fs::write(&f, "{ this is not the cache").unwrap();
    }
    let v = scan(Path::new("data/real"), cache.path(), &[]);
    assert_eq!(v["cached_files"], 0);
    assert_eq!(v["tool_calls"], 330);
    // Rebuilt: valid again, and used by the next run.
    let again = scan(Path::new("data/real"), cache.path(), &[]);
    assert_eq!(again["cached_files"], 10);
    assert_eq!(figures(again.clone()), figures(v.clone()));

    // One flipped byte in the summary: its checksum fails, the per-group entries are used
    // instead, with the same figures.
    let mut bytes = std::fs::read(&summary).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x5a;
    std::fs::write(&summary, &bytes).unwrap();
    let flipped = scan(Path::new("data/real"), cache.path(), &[]);
    assert_eq!(flipped["cached_files"], 10);
    assert_eq!(figures(flipped), figures(v.clone()));

    // All cut short (a crash while writing elsewhere, a full disk): not trusted either.
    for f in cache_files(cache.path()) {
        let bytes = std::fs::read(&f).unwrap();
        std::fs::write(&f, &bytes[..bytes.len() / 2]).unwrap();
    }
    let v = scan(Path::new("data/real"), cache.path(), &[]);
    assert_eq!(v["cached_files"], 0);
    assert_eq!(v["tool_calls"], 330);
}

/// The whole table (every call and field) and the report are the same from the joined
/// cache, from the per-file cache and from a fresh read.
#[test]
fn every_call_and_the_report_are_the_same_from_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| -> String {
        let mut all = args.to_vec();
        all.extend([
            "--cache-dir",
            cache.path().to_str().unwrap(),
            "--quiet",
            "data/real",
        ]);
        permstat_ok(&all)
    };
    let calls_fresh = run(&["scan", "--calls", "--no-cache"]);
    let report_fresh = run(&["report", "--format", "json", "--no-cache"]);
    assert_eq!(calls_fresh.lines().count(), 330);
    // The report reads one project folder at a time: from the per-group entries.
    let _fill = run(&["report", "--format", "json"]);
    assert_eq!(run(&["report", "--format", "json"]), report_fresh);
    let _fill = run(&["scan", "--calls"]);
    assert!(cache.path().join(format!("table-v{FORMAT}.bin")).exists());
    assert_eq!(run(&["scan", "--calls"]), calls_fresh);
    assert_eq!(run(&["report", "--format", "json"]), report_fresh);
    // Without the joined table, from the per-file entries alone.
    std::fs::remove_file(cache.path().join(format!("table-v{FORMAT}.bin"))).unwrap();
    assert_eq!(run(&["scan", "--calls"]), calls_fresh);
}

/// A warm run that opens no transcript still names the lines it skipped.
#[test]
fn a_cached_summary_repeats_the_warnings() {
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("a.jsonl"),
        "{\"type\":\"user\",\"sessionId\":\"S\"}\nnot json\n",
    )
    .unwrap();
    let run = || {
        let (code, out, err) = permstat(&[
            "scan",
            "--format",
            "json",
            "--cache-dir",
            cache.path().to_str().unwrap(),
            data.path().to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        (json(&out), err)
    };
    let (cold, cold_err) = run();
    let (warm, warm_err) = run();
    assert_eq!(cold["cached_files"], 0);
    assert_eq!(warm["cached_files"], 1);
    assert_eq!(warm["skipped"]["malformed"], 1);
    assert!(
        cold_err.contains("a.jsonl:2: skipped malformed line"),
        "{cold_err}"
    );
    assert_eq!(cold_err, warm_err);
}
