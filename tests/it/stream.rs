//! The streaming pass (one project folder, then one set of sessions, at a time) gives the
//! results of joining every file as one table, including in the layouts where it cannot
//! stream: a session copied into another folder, and calls made at the same millisecond.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;

/// A `tool_use` of `command` by `session` at `ts`, on a line that names the mode.
fn call(session: &str, uuid: &str, id: &str, ts: &str, command: &str) -> Value {
    let mut l = bash_call(session, uuid, id, ts, command);
    l["permissionMode"] = json!("default");
    l
}

/// The `tool_result` of `id`: its output, or a denial text when `denied`.
fn result(session: &str, uuid: &str, id: &str, ts: &str, denied: bool) -> Value {
    if denied {
        let text = "Permission to use Bash with command rm -rf build has been denied.";
        tool_result(session, uuid, id, ts, text, true)
    } else {
        tool_result(session, uuid, id, ts, "ok", false)
    }
}

/// Runs `args` on `dir` without the cache; returns stdout.
fn run(args: &[&str], dir: &Path) -> String {
    let mut all = args.to_vec();
    all.extend(["--quiet", "--no-cache", dir.to_str().unwrap()]);
    permstat_ok(&all)
}

const S1: &str = "aaaaaaaa-0000-4000-8000-000000000001";
const S2: &str = "aaaaaaaa-0000-4000-8000-000000000002";

/// Session 1 and a resumed copy of it (session 2 starts by repeating session 1's lines,
/// then makes one call of its own).
#[rustfmt::skip]
fn resumed() -> (Vec<Value>, Vec<Value>) {
    let first = vec![
        call(S1, "u1", "toolu_a", "2026-03-01T10:00:00.000Z", "git status"),
        result(S1, "u2", "toolu_a", "2026-03-01T10:00:05.000Z", false),
        call(S1, "u3", "toolu_b", "2026-03-01T10:01:00.000Z", "cargo test"),
        result(S1, "u4", "toolu_b", "2026-03-01T10:01:09.000Z", false),
    ];
    let mut second = first.clone();
    second.push(call(S2, "u5", "toolu_c", "2026-03-02T09:00:00.000Z", "cargo build"));
    second.push(result(S2, "u6", "toolu_c", "2026-03-02T09:00:30.000Z", false));
    (first, second)
}

/// A session of its own in a folder of its own.
fn unrelated() -> Vec<Value> {
    const S3: &str = "aaaaaaaa-0000-4000-8000-000000000003";
    vec![
        call(S3, "u7", "toolu_d", "2026-03-01T10:00:30.000Z", "npm test"),
        result(S3, "u8", "toolu_d", "2026-03-01T10:00:40.000Z", false),
    ]
}

#[test]
fn a_session_copied_into_another_folder_is_counted_once() {
    let (first, second) = resumed();
    let (first, second, third) = (jsonl(&first), jsonl(&second), jsonl(&unrelated()));
    // Both copies in one project folder: joined as one set.
    let together = tempfile::tempdir().unwrap();
    write(&together.path().join("-work-app/s1.jsonl"), &first);
    write(&together.path().join("-work-app/s2.jsonl"), &second);
    write(&together.path().join("-other/s3.jsonl"), &third);
    // The copy in another folder (with a folder between them): the two folders share
    // calls, so they are read again as one group; the third stays on its own.
    let apart = tempfile::tempdir().unwrap();
    write(&apart.path().join("-work-app/s1.jsonl"), &first);
    write(&apart.path().join("-elsewhere/s2.jsonl"), &second);
    write(&apart.path().join("-next/s3.jsonl"), &third);
    // Nothing shared: each folder stands alone.
    let alone = tempfile::tempdir().unwrap();
    write(&alone.path().join("-work-app/s1.jsonl"), &first);

    for dir in [together.path(), apart.path()] {
        let s = json(&run(&["scan", "--format", "json"], dir));
        // toolu_a, toolu_b once each, plus toolu_c and toolu_d: 4 calls, not 6.
        assert_eq!(s["tool_calls"], 4, "{dir:?}");
        assert_eq!(s["outcomes"]["ran"], 4);
        assert_eq!(s["files"], 3);
        assert_eq!(s["sessions"], 3);
    }
    let report = |d: &Path| run(&["report", "--format", "json"], d);
    let a = report(together.path());
    assert_eq!(a, report(apart.path()));
    assert_eq!(json(&a)["calls"], 4);
    // Every call, once, with the same fields (but the file it was first read from).
    let calls = |d: &Path| -> Vec<Value> {
        run(&["scan", "--calls"], d)
            .lines()
            .map(|l| {
                let mut v = json(l);
                v.as_object_mut().unwrap().remove("file");
                v
            })
            .collect()
    };
    assert_eq!(calls(together.path()).len(), 4);
    assert_eq!(calls(together.path()), calls(apart.path()));
    let one = json(&run(&["report", "--format", "json"], alone.path()));
    assert_eq!(one["calls"], 2);
}

#[test]
fn a_disagreement_is_placed_in_the_order_of_every_call() {
    let dir = tempfile::tempdir().unwrap();
    const T: &str = "2026-03-01T10:00:00.000Z";
    // Three folders, one session each; every call at the same millisecond. The middle
    // one was denied by a rule that no settings file holds: a disagreement.
    #[rustfmt::skip]
    let folders = [
        ("-a", "aaaaaaaa-0000-4000-8000-00000000000a", "toolu_1", false),
        ("-b", "aaaaaaaa-0000-4000-8000-00000000000b", "toolu_2", true),
        ("-c", "aaaaaaaa-0000-4000-8000-00000000000c", "toolu_3", false),
    ];
    for (folder, session, id, denied) in folders {
        let cmd = if denied { "rm -rf build" } else { "git status" };
        let lines = [
            call(session, &format!("{id}u"), id, T, cmd),
            result(
                session,
                &format!("{id}r"),
                id,
                "2026-03-01T10:00:02.000Z",
                denied,
            ),
        ];
        write(&dir.path().join(folder).join("s.jsonl"), &jsonl(&lines));
    }
    let calls: Vec<String> = run(&["scan", "--calls"], dir.path())
        .lines()
        .map(|l| json(l)["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(calls, ["toolu_1", "toolu_2", "toolu_3"]);
    let r = json(&run(&["report", "--format", "json"], dir.path()));
    let d = &r["replay"]["disagreements"];
    assert_eq!(d.as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d[0]["id"], "toolu_2");
    assert_eq!(d[0]["kind"], "deny_rule_missing");
    // The index is the call's place among every call (as `scan --calls` lists them).
    assert_eq!(d[0]["index"], 1);
}
