//! `permstat scan` on hand-written sessions, for what the real sample lacks: every
//! denial text, `toolDenialKind`, `permission-mode` lines, subagent files next to their
//! progress copies, and broken input.

use crate::common::*;
use permstat::cmd::{load, scan::summary_of};
use permstat::event::{Mode, Outcome, ToolCall};
use std::path::PathBuf;

fn call<'a>(calls: &'a [ToolCall], id: &str) -> &'a ToolCall {
    calls
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no call {id}"))
}

#[test]
fn every_outcome_text_of_the_hand_written_session() {
    let loaded = load(&input(vec![PathBuf::from("tests/fixtures/outcomes")])).unwrap();
    let calls = &loaded.table.calls;
    // t1..t18 once each: t1's line is logged twice, t17 is in the subagent file and in a
    // progress copy, and the compaction agent's call is not a person's activity.
    assert_eq!(calls.len(), 18);
    assert_eq!(loaded.discovery.compaction_files, 1);
    let expect = [
        ("t1", Outcome::RuleDenied),
        ("t2", Outcome::RuleDenied),
        ("t3", Outcome::HookDenied),
        ("t4", Outcome::DontaskDenied),
        ("t5", Outcome::AutomodeBlocked),
        ("t6", Outcome::AutomodeBlocked),
        ("t7", Outcome::AutomodeUnavailable),
        ("t8", Outcome::UserRejected),
        ("t9", Outcome::UserRejected),
        ("t10", Outcome::HeadlessUnanswered),
        ("t11", Outcome::Unresolved),
        ("t12", Outcome::Interrupted),
        ("t13", Outcome::Interrupted),
        ("t14", Outcome::Interrupted),
        ("t15", Outcome::HookDenied),
        ("t16", Outcome::Ran),
        ("t17", Outcome::SubagentRejected),
        ("t18", Outcome::Ran),
    ];
    for (id, want) in expect {
        assert_eq!(call(calls, id).outcome, want, "{id}");
    }
    // Raw toolDenialKind kept; MCP denial texts without it are unverified.
    assert_eq!(
        call(calls, "t2").denial_kind.as_deref(),
        Some("permission-rule")
    );
    assert!(!call(calls, "t8").verified);
    assert!(call(calls, "t9").verified);
    // Classifier reason and subagent feedback kept.
    assert_eq!(
        call(calls, "t5").reason.as_deref(),
        Some("[Cloud Storage Mass Delete] removes every object in a production bucket")
    );
    assert_eq!(
        call(calls, "t17").reason.as_deref(),
        Some("keep node_modules")
    );
    // Modes: from permission-mode lines, carried forward; the subagent file's own call
    // takes the session's mode at its time.
    assert_eq!(call(calls, "t1").mode, Some(Mode::Default));
    assert_eq!(call(calls, "t4").mode, Some(Mode::DontAsk));
    assert_eq!(call(calls, "t5").mode, Some(Mode::Auto));
    assert_eq!(call(calls, "t18").mode, Some(Mode::Auto));
    // Subagent calls carry the agent id, main calls none.
    assert_eq!(call(calls, "t17").agent_id.as_deref(), Some("a1b2c3"));
    assert_eq!(call(calls, "t18").agent_id.as_deref(), Some("a1b2c3"));
    assert!(call(calls, "t16").agent_id.is_none());
    // Inputs: the WebFetch domain, lower-cased.
    assert_eq!(
        call(calls, "t4").input.domain.as_deref(),
        Some("example.com")
    );
    assert_eq!(call(calls, "t1").project.as_deref(), Some("/work/demo"));
    // MCP server and tool are split in the JSON-lines rows.
    let rows: Vec<serde_json::Value> = permstat_ok(&[
        "scan",
        "--no-cache",
        "--calls",
        "--quiet",
        "tests/fixtures/outcomes",
    ])
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect();
    let t8 = rows.iter().find(|r| r["id"] == "t8").unwrap();
    assert_eq!(
        (t8["mcp_server"].as_str(), t8["mcp_tool"].as_str()),
        (Some("github"), Some("delete_repo"))
    );
    let s = summary_of(&loaded);
    assert_eq!(s.modes.get("default"), Some(&1));
    assert_eq!(s.mode_lines, 3);
    assert_eq!(s.unverified_denials, 1);
    assert_eq!(s.sessions, 1);
}

#[test]
fn broken_input_is_counted_and_never_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"type":"assistant","sessionId":"S","timestamp":"2026-01-01T00:00:00.000Z","message":{"id":"m1","content":[{"type":"tool_use","id":"a","name":"Bash","input":{"command":"ls"}}]}}"#;
    let result = r#"{"type":"user","sessionId":"S","timestamp":"2026-01-01T00:00:01.000Z","message":{"content":[{"type":"tool_result","tool_use_id":"a","content":"x"}]}}"#;
    let mut broken = format!(
        "{good}\nthis is not json\n{{\"type\":\"assistant\",\"message\":{{\"content\":[{{\"type\":\"tool_use\"\n"
    );
    broken.push_str(&format!("{result}\n"));
    broken.push_str(r#"{"type":"assistant","sessionId":"S","message":{"content":[{"type":"tool_use","id":"b","na"#);
    std::fs::write(dir.path().join("a.jsonl"), broken).unwrap();
    let mut bad_utf8 = br#"{"type":"assistant","sessionId":"S2","message":{"content":[{"type":"tool_use","id":"c","name":"Bash","input":{"command":"echo "#.to_vec();
    bad_utf8.extend_from_slice(&[0xff, 0xfe]);
    bad_utf8.extend_from_slice(b"\"}}]}}\n");
    std::fs::write(dir.path().join("b.jsonl"), bad_utf8).unwrap();
    std::fs::write(dir.path().join("empty.jsonl"), "").unwrap();
    // Unreadable even for root: a link to nowhere.
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling.jsonl")).unwrap();

    let loaded = load(&input(vec![dir.path().to_path_buf()])).unwrap();
    let s = summary_of(&loaded);
    assert_eq!(s.files, 4);
    assert_eq!(s.tool_calls, 1, "only the intact call counts");
    assert_eq!(s.outcomes["ran"], 1);
    assert_eq!(s.skipped.malformed, 2);
    assert_eq!(s.skipped.truncated, 1);
    assert_eq!(s.skipped.invalid_utf8, 1);
    assert_eq!(s.skipped.unreadable_files, 1);
    assert_eq!(s.bad_lines, 4);
    // Each bad line is named by file and line number.
    let places: Vec<(String, u64)> = loaded
        .table
        .bad_lines
        .iter()
        .map(|b| (b.file.rsplit('/').next().unwrap().to_string(), b.line))
        .collect();
    assert!(places.contains(&("a.jsonl".into(), 2)));
    assert!(places.contains(&("a.jsonl".into(), 5)));
    assert!(places.contains(&("b.jsonl".into(), 1)));

    // The binary finishes with exit 0 and says where the problems are.
    let (code, out, err) = permstat(&[
        "scan",
        "--no-cache",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("a.jsonl:2: skipped malformed line"), "{err}");
    assert!(err.contains("dangling.jsonl: skipped"), "{err}");
    // The binary folds the files one at a time: the same counts as the whole table.
    let v = json(&out);
    assert_eq!(v["files"], 4);
    assert_eq!(v["tool_calls"], 1);
    assert_eq!(v["bad_lines"], 4);
    let skipped = &v["skipped"];
    assert_eq!(
        [
            &skipped["malformed"],
            &skipped["truncated"],
            &skipped["invalid_utf8"],
            &skipped["unreadable_files"]
        ],
        [2, 1, 1, 1]
    );
}

#[test]
fn a_missing_default_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let nope = dir.path().join("nope");
    let (code, _, err) = permstat_with(
        &["scan", "--no-cache"],
        &[("CLAUDE_CONFIG_DIR", nope.as_os_str())],
    );
    assert_eq!(code, 2);
    assert!(err.contains("no Claude Code transcripts at"), "{err}");
}

#[test]
fn secrets_in_commands_are_redacted_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let line = r#"{"type":"assistant","sessionId":"S","message":{"content":[{"type":"tool_use","id":"a","name":"Bash","input":{"command":"curl -H 'Authorization: Bearer abc123' -u bob:hunter2 https://x"}}]}}"#;
    std::fs::write(dir.path().join("s.jsonl"), format!("{line}\n")).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["scan", "--no-cache", "--calls", "--quiet"];
        args.extend(extra);
        args.push(dir.path().to_str().unwrap());
        permstat_ok(&args)
    };
    let red = run(&[]);
    assert!(!red.contains("hunter2") && !red.contains("abc123"), "{red}");
    assert!(red.contains("[REDACTED]"));
    assert!(run(&["--no-redact"]).contains("hunter2"));
}
