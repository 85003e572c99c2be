//! Every exit code of the table in `permstat --help` and the README, through the binary:
//! 0 done, 1 only for what `audit --fail-on` was asked to fail on, 2 when the command could
//! not run (a usage error or unusable input), with a message that says what to do. And the
//! CI audit: settings that cannot be read are findings, named with file and line.

use crate::common::*;
use std::path::Path;

/// Runs permstat and checks its exit code and that stderr (or stdout, for code 1) holds
/// `says`.
fn expect(args: &[&str], code: i32, says: &str) {
    let (got, out, err) = permstat(args);
    assert_eq!(got, code, "permstat {args:?}\nstdout: {out}\nstderr: {err}");
    let text = if code == 2 { &err } else { &out };
    assert!(
        text.contains(says),
        "permstat {args:?}: {says:?} not in {text}"
    );
}

#[test]
fn zero_when_done() {
    expect(&["scan", "data/real"], 0, "");
    // Any decision is an answer: a deny is not a failure.
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.json");
    std::fs::write(
        &s,
        r#"{"permissions":{"deny":["Bash(rm *)"],"allow":["Bash(python *)"]}}"#,
    )
    .unwrap();
    let s = s.to_str().unwrap();
    expect(
        &["check", "--settings", s, "Bash", "rm -rf build"],
        0,
        "deny",
    );
    // Findings not asked to fail on.
    expect(
        &["audit", "data/real", "-q", "--settings", s],
        0,
        "dangerous",
    );
}

#[test]
fn two_when_the_input_is_unusable() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let empty = empty.to_str().unwrap();
    let missing = dir.path().join("nope");
    let missing = missing.to_str().unwrap();
    #[rustfmt::skip]
    let cases: &[(&[&str], &str)] = &[
        (&["scan", "--bogus"], "unexpected argument"),
        (&["report", missing], "does not exist"),
        (&["scan", missing], "does not exist"),
        (&["suggest", missing], "does not exist"),
        (&["report", empty], "no transcripts (*.jsonl) in"),
        (&["scan", empty], "no transcripts (*.jsonl) in"),
        (&["export", empty, "--output", "x.csv"], "no transcripts (*.jsonl) in"),
        (&["report", "data/real", "--project", "nomatch"], "--project 'nomatch' matches"),
        (&["replay", "data/real", "--project", "nomatch"], "--project 'nomatch' matches"),
        (&["suggest", "data/real", "--project", "nomatch"], "--project 'nomatch' matches"),
        (&["audit", "data/real", "--project", "nomatch"], "--project 'nomatch' matches"),
        (&["report", "data/real", "--since", "yesterday"], "neither a day"),
        (&["suggest", "data/real", "--until", "yesterday"], "neither a day"),
        (&["report", "data/real", "--since", "2026-02-10", "--until", "2026-02-01"],
            "is not before --until"),
        (&["suggest", "data/real", "--since", "2026-02-10", "--until", "2026-02-10"],
            "is not before --until"),
        (&["check", "--mode", "acceptedits", "Bash", "ls"], "acceptEdits"),
        (&["check", "--param", "novalue", "Agent", "x"], "NAME=VALUE"),
        (&["suggest", "data/real", "--since", "2020-01-01", "--pick", "999"], "--pick 999"),
        (&["audit", "--format", "html"], "report"),
    ];
    for (args, says) in cases {
        expect(args, 2, says);
    }
    // The unknown mode lists the valid ones.
    let (_, _, err) = permstat(&["check", "--mode", "acceptedits", "Bash", "ls"]);
    assert!(
        err.contains("default, acceptEdits, plan, auto, dontAsk, bypassPermissions"),
        "{err}"
    );
    // A configuration folder that does not exist is not read as an empty one.
    for args in [
        &["report"][..],
        &["audit"],
        &["suggest"],
        &["check", "Bash", "ls"],
    ] {
        let (code, _, err) = permstat_in_config(args, Path::new(missing));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("--config-dir") && err.contains("is not a folder"),
            "{err}"
        );
    }
    let (code, _, err) = permstat(&["scan", "--config-dir", missing]);
    assert_eq!(code, 2, "{err}");
}

/// Writes `text` as a settings file named `name` in `dir`.
fn settings(dir: &Path, name: &str, text: &str) -> String {
    let f = dir.join(name);
    std::fs::write(&f, text).unwrap();
    f.to_str().unwrap().to_string()
}

#[test]
fn one_only_for_what_fail_on_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let dangerous = settings(
        d,
        "dangerous.json",
        r#"{"permissions":{"allow":["Bash(python *)"]}}"#,
    );
    let stale = settings(
        d,
        "stale.json",
        r#"{"permissions":{"allow":["Bash(git status)"]}}"#,
    );
    // `Bash(python *)` followed by a trailing comma: the file does not parse.
    let broken = settings(
        d,
        "bad.json",
        "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(python *)\",\n    ]\n  }\n}\n",
    );
    let unparsable = settings(
        d,
        "rule.json",
        "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(git status)\",\n      \"Bash(unbalanced\"\n    ]\n  }\n}\n",
    );
    let missing = d.join("missing.json");
    let missing = missing.to_str().unwrap();
    let audit = |file: &str, fail_on: &str| {
        permstat(&[
            "audit",
            "data/real",
            "-q",
            "--settings",
            file,
            "--fail-on",
            fail_on,
        ])
    };
    // A dangerous rule: 1 for dangerous and findings, 0 for never.
    assert_eq!(audit(&dangerous, "dangerous").0, 1);
    assert_eq!(audit(&dangerous, "findings").0, 1);
    assert_eq!(audit(&dangerous, "never").0, 0);
    // A stale rule is a finding, not a danger.
    assert_eq!(audit(&stale, "dangerous").0, 0);
    assert_eq!(audit(&stale, "findings").0, 1);
    // What could not be read cannot be proved harmless: 1, named with file and line, even
    // with -q.
    for (file, place, kind) in [
        (broken.clone(), format!("{broken}:5"), "broken"),
        (unparsable.clone(), format!("{unparsable}:5"), "unparseable"),
        (missing.to_string(), missing.to_string(), "missing"),
    ] {
        let (code, out, err) = audit(&file, "dangerous");
        assert_eq!(code, 1, "{file}: {out} {err}");
        assert!(out.contains(&place) && out.contains(kind), "{place}: {out}");
        assert_eq!(audit(&file, "findings").0, 1);
        assert_eq!(audit(&file, "never").0, 0);
        let (_, out, _) = permstat(&[
            "audit",
            "data/real",
            "-q",
            "--settings",
            &file,
            "--format",
            "json",
        ]);
        let v = json(&out);
        assert_eq!(v["problems"][0]["kind"], kind, "{v}");
        assert_eq!(v["problems"][0]["file"], file.as_str());
        assert_eq!(v["summary"]["problems"], 1);
    }
    // Without -q the missing file is a warning on stderr as well.
    let (_, _, err) = permstat(&["audit", "data/real", "--settings", missing]);
    assert!(err.contains("missing.json: no such file"), "{err}");
    // The unparsable rule's neighbour was still read and audited.
    let (_, out, _) = permstat(&[
        "audit",
        "data/real",
        "-q",
        "--settings",
        &unparsable,
        "--format",
        "json",
    ]);
    let v = json(&out);
    assert!(
        v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["text"] == "Bash(git status)")
    );
}

#[test]
fn the_help_documents_the_codes() {
    let out = permstat_ok(&["--help"]);
    for line in [
        "Exit status:",
        "0  done",
        "1  audit --fail-on found",
        "2  the command could not run",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    let out = permstat_ok(&["audit", "--help"]);
    assert!(out.contains("Exit status: 0 done; 1 --fail-on"), "{out}");
    let out = permstat_ok(&["check", "--help"]);
    assert!(
        out.contains("default, acceptEdits, plan, auto, dontAsk, bypassPermissions"),
        "{out}"
    );
}
