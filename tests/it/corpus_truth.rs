//! The generated benchmark corpus (`examples/gen_corpus/`) against `permstat scan`: the
//! scanner must reproduce exactly what the generator says it wrote.

use crate::common::*;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// The example binary `cargo test` builds next to the test binaries (built here when the
/// test runs alone, e.g. `cargo test --test it corpus_truth`, which builds no examples).
fn generator() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let bin = dir
        .join("examples")
        .join(format!("gen_corpus{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let ok = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "gen_corpus"])
            .status()
            .unwrap()
            .success();
        assert!(ok, "could not build the gen_corpus example");
    }
    bin
}

#[test]
fn scan_reproduces_the_ground_truth() {
    let out = tempfile::tempdir().unwrap();
    let corpus = out.path().join("c");
    let status = Command::new(generator())
        .arg(&corpus)
        .args(["--mb", "6", "--seed", "7", "--quiet"])
        .status()
        .unwrap();
    assert!(status.success());
    let truth: Value =
        serde_json::from_slice(&std::fs::read(corpus.join("ground_truth.json")).unwrap()).unwrap();
    let got = json(&permstat_ok(&[
        "scan",
        "--format",
        "json",
        "--quiet",
        "--no-cache",
        corpus.join("projects").to_str().unwrap(),
    ]));
    for key in [
        "files",
        "sessions",
        "lines",
        "bytes",
        "tool_calls",
        "subagent_calls",
        "mode_lines",
        "unverified_denials",
    ] {
        assert_eq!(got[key], truth[key], "{key}");
    }
    assert_eq!(
        got["skipped"]["compaction_files"],
        truth["compaction_files"]
    );
    assert_eq!(got["by_tool"], truth["by_tool"]);
    assert_eq!(got["modes"], truth["modes"]);
    // Every outcome, zeros included, as the generator counted them.
    for (k, v) in truth["outcomes"].as_object().unwrap() {
        assert_eq!(&got["outcomes"][k], v, "outcome {k}");
    }
    assert_eq!(got["bad_lines"], 0);
}
