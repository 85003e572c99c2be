//! The streaming pass (one project folder, then one set of sessions, at a time) gives the
//! results of joining every file as one table, including in the layouts where it cannot
//! stream: a session copied into another folder, and calls made at the same millisecond.

use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// A transcript line: a `tool_use` of `command` by `session` at `ts`.
fn call(session: &str, uuid: &str, id: &str, ts: &str, command: &str) -> String {
    json!({
        "type": "assistant", "sessionId": session, "cwd": "/work/app", "uuid": uuid,
        "timestamp": ts, "permissionMode": "default",
        "message": {"id": format!("m-{id}"), "role": "assistant", "content": [
            {"type": "tool_use", "id": id, "name": "Bash", "input": {"command": command}}
        ]}
    })
    .to_string()
}

/// The `tool_result` of `id`: its output, or a denial text when `denied`.
fn result(session: &str, uuid: &str, id: &str, ts: &str, denied: bool) -> String {
    let (text, err) = if denied {
        (
            "Permission to use Bash with command rm -rf build has been denied.",
            true,
        )
    } else {
        ("ok", false)
    };
    json!({
        "type": "user", "sessionId": session, "cwd": "/work/app", "uuid": uuid,
        "timestamp": ts,
        "message": {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": id, "content": text, "is_error": err}
        ]}
    })
    .to_string()
}

fn write(path: &Path, lines: &[String]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn run(args: &[&str], dir: &Path, empty: &Path) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_permstat"));
    cmd.args(args)
        .args(["--quiet", "--no-cache"])
        .arg(dir)
        .env("HOME", empty);
    if args[0] == "report" {
        cmd.arg("--config-dir")
            .arg(empty)
            .arg("--managed-dir")
            .arg(empty);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_of(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

const S1: &str = "aaaaaaaa-0000-4000-8000-000000000001";
const S2: &str = "aaaaaaaa-0000-4000-8000-000000000002";

/// Session 1 and a resumed copy of it (session 2 starts by repeating session 1's lines,
/// then makes one call of its own).
fn resumed() -> (Vec<String>, Vec<String>) {
    let first = vec![
        call(
            S1,
            "u1",
            "toolu_a",
            "2026-03-01T10:00:00.000Z",
            "git status",
        ),
        result(S1, "u2", "toolu_a", "2026-03-01T10:00:05.000Z", false),
        call(
            S1,
            "u3",
            "toolu_b",
            "2026-03-01T10:01:00.000Z",
            "cargo test",
        ),
        result(S1, "u4", "toolu_b", "2026-03-01T10:01:09.000Z", false),
    ];
    let mut second = first.clone();
    second.push(call(
        S2,
        "u5",
        "toolu_c",
        "2026-03-02T09:00:00.000Z",
        "cargo build",
    ));
    second.push(result(
        S2,
        "u6",
        "toolu_c",
        "2026-03-02T09:00:30.000Z",
        false,
    ));
    (first, second)
}

/// A session of its own in a folder of its own.
fn unrelated() -> Vec<String> {
    const S3: &str = "aaaaaaaa-0000-4000-8000-000000000003";
    vec![
        call(S3, "u7", "toolu_d", "2026-03-01T10:00:30.000Z", "npm test"),
        result(S3, "u8", "toolu_d", "2026-03-01T10:00:40.000Z", false),
    ]
}

#[test]
fn a_session_copied_into_another_folder_is_counted_once() {
    let empty = tempfile::tempdir().unwrap();
    let (first, second) = resumed();
    // Both copies in one project folder: joined as one set.
    let together = tempfile::tempdir().unwrap();
    write(&together.path().join("-work-app/s1.jsonl"), &first);
    write(&together.path().join("-work-app/s2.jsonl"), &second);
    write(&together.path().join("-other/s3.jsonl"), &unrelated());
    // The copy in another folder (with a folder between them): the two folders share
    // calls, so they are read again as one group; the third stays on its own.
    let apart = tempfile::tempdir().unwrap();
    write(&apart.path().join("-work-app/s1.jsonl"), &first);
    write(&apart.path().join("-elsewhere/s2.jsonl"), &second);
    write(&apart.path().join("-next/s3.jsonl"), &unrelated());
    // Nothing shared: each folder stands alone.
    let alone = tempfile::tempdir().unwrap();
    write(&alone.path().join("-work-app/s1.jsonl"), &first);

    for dir in [together.path(), apart.path()] {
        let s = json_of(&run(&["scan", "--format", "json"], dir, empty.path()));
        // toolu_a, toolu_b once each, plus toolu_c and toolu_d: 4 calls, not 6.
        assert_eq!(s["tool_calls"], 4, "{dir:?}");
        assert_eq!(s["outcomes"]["ran"], 4);
        assert_eq!(s["files"], 3);
        assert_eq!(s["sessions"], 3);
    }
    let report = |d: &Path| run(&["report", "--format", "json"], d, empty.path());
    let a = report(together.path());
    assert_eq!(a, report(apart.path()));
    assert_eq!(json_of(&a)["calls"], 4);
    // Every call, once, with the same fields (but the file it was first read from).
    let calls = |d: &Path| -> Vec<Value> {
        run(&["scan", "--calls"], d, empty.path())
            .lines()
            .map(|l| {
                let mut v = json_of(l);
                v.as_object_mut().unwrap().remove("file");
                v
            })
            .collect()
    };
    assert_eq!(calls(together.path()).len(), 4);
    assert_eq!(calls(together.path()), calls(apart.path()));
    let one = json_of(&run(
        &["report", "--format", "json"],
        alone.path(),
        empty.path(),
    ));
    assert_eq!(one["calls"], 2);
}

#[test]
fn a_disagreement_is_placed_in_the_order_of_every_call() {
    let empty = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    const T: &str = "2026-03-01T10:00:00.000Z";
    // Three folders, one session each; every call at the same millisecond. The middle
    // one was denied by a rule that no settings file holds: a disagreement.
    for (folder, session, id, denied) in [
        (
            "-a",
            "aaaaaaaa-0000-4000-8000-00000000000a",
            "toolu_1",
            false,
        ),
        (
            "-b",
            "aaaaaaaa-0000-4000-8000-00000000000b",
            "toolu_2",
            true,
        ),
        (
            "-c",
            "aaaaaaaa-0000-4000-8000-00000000000c",
            "toolu_3",
            false,
        ),
    ] {
        let cmd = if denied { "rm -rf build" } else { "git status" };
        write(
            &dir.path().join(folder).join("s.jsonl"),
            &[
                call(session, &format!("{id}u"), id, T, cmd),
                result(
                    session,
                    &format!("{id}r"),
                    id,
                    "2026-03-01T10:00:02.000Z",
                    denied,
                ),
            ],
        );
    }
    let calls: Vec<String> = run(&["scan", "--calls"], dir.path(), empty.path())
        .lines()
        .map(|l| json_of(l)["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(calls, ["toolu_1", "toolu_2", "toolu_3"]);
    let r = json_of(&run(
        &["report", "--format", "json"],
        dir.path(),
        empty.path(),
    ));
    let d = &r["replay"]["disagreements"];
    assert_eq!(d.as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d[0]["id"], "toolu_2");
    assert_eq!(d[0]["kind"], "deny_rule_missing");
    // The index is the call's place among every call (as `scan --calls` lists them).
    assert_eq!(d[0]["index"], 1);
}
