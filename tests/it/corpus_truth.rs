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

/// The real-shaped corpus (`gen_corpus --real`): two copies of the bundled sample with fresh
/// ids and shifted times. No two copies may join, so every count is twice the sample's, as
/// `tests/expected/real_counts.json` (worked out without permstat) gives it for one copy.
#[test]
fn tiled_copies_of_the_real_sample_never_join() {
    let out = tempfile::tempdir().unwrap();
    let corpus = out.path().join("c");
    // The sample is 3.4 MB: 5 MB asks for a second copy and stops there.
    let status = Command::new(generator())
        .arg(&corpus)
        .args(["--real", "data/real", "--mb", "5", "--quiet"])
        .status()
        .unwrap();
    assert!(status.success());
    let want: Value =
        serde_json::from_slice(&std::fs::read("tests/expected/real_counts.json").unwrap()).unwrap();
    let want = &want["_all"];
    let got = json(&permstat_ok(&[
        "scan",
        "--format",
        "json",
        "--quiet",
        "--no-cache",
        corpus.join("projects").to_str().unwrap(),
    ]));
    assert_eq!(got["files"], 20);
    for key in ["lines", "sessions", "tool_calls", "subagent_calls"] {
        assert_eq!(
            got[key].as_u64(),
            want[key].as_u64().map(|n| 2 * n),
            "{key}"
        );
    }
    for group in ["by_tool", "outcomes", "modes"] {
        for (k, v) in want[group].as_object().unwrap() {
            assert_eq!(
                got[group][k].as_u64(),
                v.as_u64().map(|n| 2 * n),
                "{group}.{k}"
            );
        }
    }
    // Claude Code's layout: a folder per working folder, the subagent file under its
    // session's folder.
    let subagents: Vec<_> = walk(&corpus.join("projects"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("/subagents/agent-"))
        .collect();
    assert_eq!(subagents.len(), 2, "{subagents:?}");
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
