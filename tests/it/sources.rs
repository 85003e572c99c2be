//! The exact sources of recorded decisions: `permstat hook` writing the prompt log, the
//! log and OpenTelemetry exports joined to hand-written sessions (through `scan --calls`
//! and the scan summary), the transcript's own hook attachments, and `hook --install` /
//! `--uninstall` on a settings file. Every expected number is worked out in the comments
//! from the hand-written input.

use crate::common::*;
use serde_json::{Value, json};
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `permstat hook` with `stdin` and the environment `env` (nothing else of this
/// machine's): (exit code, stdout, stderr).
fn hook(stdin: &str, env: &[(&str, &OsStr)]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_permstat"))
        .arg("hook")
        .env_clear()
        .env("HOME", home.path())
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A `PermissionRequest` hook input as Claude Code writes it (no `tool_use_id`).
const PERMISSION_REQUEST: &str = r#"{"session_id":"abc123","transcript_path":"/home/u/.claude/projects/-work-app/abc123.jsonl","cwd":"/work/app","permission_mode":"default","hook_event_name":"PermissionRequest","tool_name":"Bash","tool_input":{"command":"rm -rf node_modules","description":"Remove node_modules directory"},"permission_suggestions":[{"type":"addRules","rules":[{"toolName":"Bash","ruleContent":"rm -rf node_modules"}],"behavior":"allow","destination":"localSettings"}]}"#;

#[test]
fn the_hook_appends_one_line_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log").join("prompts.jsonl");
    let before = chrono::Utc::now().timestamp_millis();
    let (code, out, err) = hook(
        PERMISSION_REQUEST,
        &[("PERMSTAT_PROMPT_LOG", log.as_os_str())],
    );
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 1);
    let line: Value = serde_json::from_str(text.trim_end()).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(line["time"].as_str().unwrap())
        .unwrap()
        .timestamp_millis();
    assert!(before <= at && at <= chrono::Utc::now().timestamp_millis());
    let mut rest = line.clone();
    rest.as_object_mut().unwrap().remove("time");
    assert_eq!(
        rest,
        json!({
            "event": "PermissionRequest",
            "session_id": "abc123",
            "cwd": "/work/app",
            "permission_mode": "default",
            "tool_name": "Bash",
            "input": {"command": "rm -rf node_modules"},
            "suggestions": [{"type": "addRules", "rules": [{"toolName": "Bash", "ruleContent": "rm -rf node_modules"}], "behavior": "allow", "destination": "localSettings"}],
            "transcript_path": "/home/u/.claude/projects/-work-app/abc123.jsonl"
        })
    );
    // Without $PERMSTAT_PROMPT_LOG: <config dir>/permstat/prompts.jsonl, a later event
    // keeps its tool_use_id, and lines are appended.
    let config = dir.path().join("claude");
    let post = r#"{"session_id":"abc123","hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"ls"},"tool_response":{"stdout":"a\nb"},"tool_use_id":"toolu_01"}"#;
    for stdin in [PERMISSION_REQUEST, post] {
        let (code, out, _) = hook(stdin, &[("CLAUDE_CONFIG_DIR", config.as_os_str())]);
        assert_eq!((code, out.as_str()), (0, ""));
    }
    let text = std::fs::read_to_string(config.join("permstat/prompts.jsonl")).unwrap();
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["event"], "PostToolUse");
    assert_eq!(events[1]["tool_use_id"], "toolu_01");
    assert!(events[1].get("tool_response").is_none());
}

#[test]
fn the_hook_exits_0_whatever_happens() {
    let dir = tempfile::tempdir().unwrap();
    // A log whose folder cannot be made (its parent is a file): even as root.
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let log = file.join("sub").join("prompts.jsonl");
    let (code, out, err) = hook(
        PERMISSION_REQUEST,
        &[("PERMSTAT_PROMPT_LOG", log.as_os_str())],
    );
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(err.contains("nothing logged"), "{err}");
    // Bad input: nothing logged, still 0.
    let good = dir.path().join("prompts.jsonl");
    for stdin in ["", "not json", "[1,2]", "{\"session_id\": "] {
        let (code, out, _) = hook(stdin, &[("PERMSTAT_PROMPT_LOG", good.as_os_str())]);
        assert_eq!((code, out.as_str()), (0, ""), "{stdin:?}");
    }
    assert!(!good.exists());
    // No home and no log named: nothing to write to, still 0.
    let (code, out, _) = hook(PERMISSION_REQUEST, &[("HOME", OsStr::new(""))]);
    assert_eq!((code, out.as_str()), (0, ""));
    // An argument the hook does not know: still 0 (2 would deny the call), said on stderr.
    let out = Command::new(env!("CARGO_BIN_EXE_permstat"))
        .args(["hook", "--no-such-flag"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-such-flag"));
    // A usage error of --install is still one.
    let out = Command::new(env!("CARGO_BIN_EXE_permstat"))
        .args(["hook", "--install", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

const S: &str = "s-log";
const O: &str = "s-otel";

/// A line of `session` at `ts` from the interactive CLI (entrypoint `cli`), version 2.1.42.
fn cli(mut l: Value) -> Value {
    l["entrypoint"] = json!("cli");
    l["version"] = json!("2.1.42");
    l
}

/// An assistant line with one call `id` of `tool` with `input`.
fn tool_call(session: &str, id: &str, ts: &str, tool: &str, input: Value) -> Value {
    let mut l = line("assistant", session, &format!("u-{id}"), ts);
    l["message"] = json!({"id": format!("m-{id}"), "role": "assistant", "content": [
        {"type": "tool_use", "id": id, "name": tool, "input": input}
    ]});
    cli(l)
}

fn ok(session: &str, id: &str, ts: &str) -> Value {
    cli(tool_result(
        session,
        &format!("r-{id}"),
        id,
        ts,
        "done",
        false,
    ))
}

fn t(hms: &str) -> String {
    format!("2026-11-20T{hms}Z")
}

/// The session the prompt log covers: `ls` before the first log line, then `make test`
/// four times, of which only c1 and c3 waited on a person (9 s and 20 s; c2 and c4 came
/// back in under 100 ms).
fn log_session() -> String {
    let make = || json!({"command": "make test", "description": "run the tests"});
    jsonl(&[
        cli(prompt(S, "p1", &t("10:00:00.000"), "default")),
        tool_call(
            S,
            "c0",
            &t("10:00:01.000"),
            "Bash",
            json!({"command": "ls"}),
        ),
        ok(S, "c0", &t("10:00:01.050")),
        tool_call(S, "c1", &t("10:01:00.000"), "Bash", make()),
        ok(S, "c1", &t("10:01:09.000")),
        tool_call(S, "c2", &t("10:02:00.000"), "Bash", make()),
        ok(S, "c2", &t("10:02:00.080")),
        tool_call(S, "c3", &t("10:03:00.000"), "Bash", make()),
        ok(S, "c3", &t("10:03:20.000")),
        tool_call(S, "c4", &t("10:04:00.000"), "Bash", make()),
        ok(S, "c4", &t("10:04:00.090")),
    ])
}

/// The session OpenTelemetry covers: a build, a read and a push.
fn otel_session() -> String {
    jsonl(&[
        cli(prompt(O, "q1", &t("11:00:00.000"), "default")),
        tool_call(
            O,
            "o1",
            &t("11:00:01.000"),
            "Bash",
            json!({"command": "cargo build"}),
        ),
        ok(O, "o1", &t("11:00:05.000")),
        tool_call(
            O,
            "o2",
            &t("11:00:06.000"),
            "Read",
            json!({"file_path": "/work/app/a.rs"}),
        ),
        ok(O, "o2", &t("11:00:06.020")),
        tool_call(
            O,
            "o3",
            &t("11:00:07.000"),
            "Bash",
            json!({"command": "git push"}),
        ),
        cli(tool_result(
            O,
            "r-o3",
            "o3",
            &t("11:00:15.000"),
            "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.",
            true,
        )),
    ])
}

/// The prompt log: prompts for c1 and c3 (made while they were pending), one for a
/// command no call ran, one of a session not read, a malformed line.
fn log_text() -> String {
    let req = |session: &str, ts: &str, command: &str| {
        json!({"time": t(ts), "event": "PermissionRequest", "session_id": session,
               "cwd": APP, "permission_mode": "default", "tool_name": "Bash",
               "input": {"command": command}})
    };
    let mut text = jsonl(&[
        req(S, "10:01:00.300", "make test"),
        req(S, "10:02:30.000", "rm -rf /tmp/x"),
        req("s-elsewhere", "09:00:00.000", "make test"),
    ]);
    text.push_str("{\"time\": \"2026-11-20T10:03:00.200Z\", \"event\": \n");
    text.push_str(&jsonl(&[req(S, "10:03:00.200", "make test")]));
    text
}

/// An OTLP JSON export line holding `records`, under a resource naming no session.
fn otlp(records: &[Value]) -> String {
    json!({"resourceLogs": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "claude-code"}}]},
        "scopeLogs": [{"scope": {"name": "com.anthropic.claude_code.events"},
                       "logRecords": records}]}]})
    .to_string()
}

/// A `claude_code.tool_decision` log record (`id`: its tool_use_id, if any).
fn decision(
    session: &str,
    ts: &str,
    id: Option<&str>,
    tool: &str,
    source: &str,
    accept: bool,
) -> Value {
    let attr = |k: &str, v: &str| json!({"key": k, "value": {"stringValue": v}});
    let mut attrs = vec![
        attr("session.id", session),
        attr("event.name", "tool_decision"),
        attr("event.timestamp", &t(ts)),
        attr("tool_name", tool),
        attr("decision", if accept { "accept" } else { "reject" }),
        attr("source", source),
    ];
    if let Some(id) = id {
        attrs.push(attr("tool_use_id", id));
    }
    json!({"timeUnixNano": "1795000000000000000", "severityText": "INFO",
           "body": {"stringValue": "claude_code.tool_decision"}, "attributes": attrs})
}

/// The export: o1 answered "Yes", o2 allowed by the settings, o3's rejection without a
/// tool_use_id (older builds), a decision for a call no transcript holds, c3's "don't ask
/// again", a mode switch; and, on a second line, a broken document.
fn otel_text() -> String {
    let attr = |k: &str, v: &str| json!({"key": k, "value": {"stringValue": v}});
    let mode = json!({"timeUnixNano": "1795000000000000000",
        "body": {"stringValue": "claude_code.permission_mode_changed"},
        "attributes": [attr("session.id", O), attr("event.timestamp", &t("11:00:05.500")),
                       attr("from_mode", "default"), attr("to_mode", "acceptEdits"),
                       attr("trigger", "shift_tab")]});
    format!(
        "{}\n{{\"resourceLogs\": [oops\n{}\n",
        otlp(&[
            decision(
                O,
                "11:00:04.000",
                Some("o1"),
                "Bash",
                "user_temporary",
                true
            ),
            decision(O, "11:00:06.001", Some("o2"), "Read", "config", true),
            decision(O, "11:00:14.900", None, "Bash", "user_reject", false),
            decision(
                O,
                "11:00:20.000",
                Some("toolu_gone"),
                "Bash",
                "config",
                true
            ),
            mode,
        ]),
        otlp(&[decision(
            S,
            "10:03:19.000",
            Some("c3"),
            "Bash",
            "user_permanent",
            true
        )]),
    )
}

/// Writes both sessions and both record files; returns (transcripts, config dir, OTLP
/// file).
fn setup(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let transcripts = dir.join("projects").join("-work-app");
    write(&transcripts.join("s-log.jsonl"), &log_session());
    write(&transcripts.join("s-otel.jsonl"), &otel_session());
    let config = dir.join("config");
    write(&config.join("permstat/prompts.jsonl"), &log_text());
    let otel = dir.join("otel.jsonl");
    write(&otel, &otel_text());
    (transcripts, config, otel)
}

fn by_id(calls_jsonl: &str) -> std::collections::BTreeMap<String, Value> {
    calls_jsonl
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|c| (c["id"].as_str().unwrap().to_string(), c["recorded"].clone()))
        .collect()
}

#[test]
fn calls_get_exactly_the_records_made_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let (transcripts, config, otel) = setup(dir.path());
    let (t, c, o) = (
        transcripts.to_str().unwrap(),
        config.to_str().unwrap(),
        otel.to_str().unwrap(),
    );
    // The log is found on its own, in the config folder.
    let (code, out, err) = permstat(&["scan", "--calls", t, "--config-dir", c, "--otel", o]);
    assert_eq!(code, 0, "{err}");
    let rec = by_id(&out);
    let log = |prompted: bool, detail: &str| json!({"source": "prompt_log", "prompted": prompted, "decision": null, "detail": detail});
    // c0 ran before the session's first log line: nothing says whether the hook was set up.
    assert_eq!(rec["c0"], Value::Null);
    // c1: the 10:01:00.300 prompt (c1 pending 10:01:00-10:01:09).
    assert_eq!(rec["c1"], log(true, "PermissionRequest"));
    // c2 and c4 came back while no prompt was logged, the hook being installed.
    assert_eq!(rec["c2"], log(false, "no PermissionRequest logged"));
    assert_eq!(rec["c4"], log(false, "no PermissionRequest logged"));
    // c3: the 10:03:00.200 prompt, but OpenTelemetry names c3 by id and wins.
    assert_eq!(
        rec["c3"],
        json!({"source": "otel", "prompted": true, "decision": "accept", "detail": "user_permanent"})
    );
    let otel = |prompted: Value, decision: &str, source: &str| json!({"source": "otel", "prompted": prompted, "decision": decision, "detail": source});
    assert_eq!(rec["o1"], otel(json!(true), "accept", "user_temporary"));
    assert_eq!(rec["o2"], otel(json!(false), "accept", "config"));
    // o3: the decision without a tool_use_id, joined by session, tool and time.
    assert_eq!(rec["o3"], otel(json!(true), "reject", "user_reject"));
    // Malformed lines are named by file and line, and the rest is read.
    assert!(
        err.contains("prompts.jsonl:4: skipped prompt-log line: not JSON"),
        "{err}"
    );
    assert!(err.contains("otel.jsonl:2: skipped OTLP line"), "{err}");

    // The summary (read one set of sessions at a time) counts the same.
    let s = json(&permstat_ok(&[
        "scan",
        "--format",
        "json",
        t,
        "--config-dir",
        c,
        "--otel",
        o,
    ]));
    // Calls: c1..c4 and o1..o3; prompted c1, c3, o1, o3; not prompted c2, c4, o2.
    assert_eq!(
        (
            &s["recorded"]["calls"],
            &s["recorded"]["prompted"],
            &s["recorded"]["not_prompted"],
            &s["recorded"]["unknown"]
        ),
        (&json!(7), &json!(4), &json!(3), &json!(0))
    );
    // Log: 4 good lines; c1 and c3 matched, the rm prompt unmatched, s-elsewhere not
    // read. Calls c1..c4 (c3 counted here too), 2 prompted, 2 not.
    assert_eq!(
        s["recorded"]["by_source"]["prompt_log"],
        json!({"records": 4, "matched": 2, "unmatched": 1, "other_sessions": 1,
               "calls": 4, "prompted": 2, "not_prompted": 2, "unknown": 0})
    );
    // OpenTelemetry: 5 decisions; o1, o2, o3, c3 matched, toolu_gone not.
    assert_eq!(
        s["recorded"]["by_source"]["otel"],
        json!({"records": 5, "matched": 4, "unmatched": 1, "other_sessions": 0,
               "calls": 4, "prompted": 3, "not_prompted": 1, "unknown": 0})
    );
    // The terminal table lists both sources.
    let table = permstat_ok(&["scan", t, "--config-dir", c, "--otel", o]);
    assert!(table.contains("Recorded decisions"), "{table}");

    // --prompt-log names the log; --no-prompt-log reads none.
    let log_file = config.join("permstat/prompts.jsonl");
    let named = by_id(&permstat_ok(&[
        "scan",
        "--calls",
        t,
        "--prompt-log",
        log_file.to_str().unwrap(),
    ]));
    assert_eq!(named["c1"], log(true, "PermissionRequest"));
    let none = json(&permstat_ok(&[
        "scan",
        "--format",
        "json",
        t,
        "--config-dir",
        c,
        "--no-prompt-log",
    ]));
    assert_eq!(none["recorded"]["calls"], 0);
    assert!(
        none["recorded"]["by_source"]
            .as_object()
            .unwrap()
            .is_empty()
    );
    // A named file that does not exist is unusable input (exit 2).
    let (code, _, err) = permstat(&["scan", t, "--otel", "/nonexistent/otel.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/otel.json"), "{err}");
}

#[test]
fn a_changed_log_is_read_again_past_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let (transcripts, config, _) = setup(dir.path());
    let cache = dir.path().join("cache");
    let args = |extra: &[&str]| -> Value {
        let mut a = vec![
            "scan",
            "--format",
            "json",
            transcripts.to_str().unwrap(),
            "--config-dir",
            config.to_str().unwrap(),
            "--cache-dir",
            cache.to_str().unwrap(),
        ];
        a.extend(extra);
        json(&permstat_ok(&a))
    };
    let first = args(&[]);
    assert_eq!(first["recorded"]["by_source"]["prompt_log"]["matched"], 2);
    let warm = args(&[]);
    assert_eq!(warm["cached_files"], 2);
    assert_eq!(warm["recorded"], first["recorded"]);
    // A prompt for c4 appended: c4 turns prompted.
    let log = config.join("permstat/prompts.jsonl");
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str(&format!(
        "{}\n",
        json!({"time": t("10:04:00.050"), "event": "PermissionRequest", "session_id": S,
               "tool_name": "Bash", "input": {"command": "make test"}})
    ));
    std::fs::write(&log, text).unwrap();
    let after = args(&[]);
    assert_eq!(after["recorded"]["by_source"]["prompt_log"]["matched"], 3);
    assert_eq!(after["recorded"]["by_source"]["prompt_log"]["prompted"], 3);
}

#[test]
fn every_reading_command_reads_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let (transcripts, config, otel) = setup(dir.path());
    let t = transcripts.to_str().unwrap();
    let log = config.join("permstat/prompts.jsonl");
    let common = [
        "--prompt-log",
        log.to_str().unwrap(),
        "--otel",
        otel.to_str().unwrap(),
    ];
    let out = dir.path().join("calls.csv");
    for cmd in [
        vec!["report", "--format", "json", t],
        vec!["replay", "--format", "json", t],
        vec!["suggest", "--format", "json", "--since", "2026-01-01", t],
        vec!["audit", "--format", "json", t],
        vec!["export", "--output", out.to_str().unwrap(), t],
    ] {
        let mut args = cmd.clone();
        args.extend(common);
        let (code, _, err) = permstat(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        // The bad lines of both files are reported by every command.
        assert!(err.contains("prompts.jsonl:4:"), "{args:?}: {err}");
        assert!(err.contains("otel.jsonl:2:"), "{args:?}: {err}");
    }
}

#[test]
fn hook_attachments_in_the_transcript_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let attachment = |id: &str, decision: &str| {
        json!({"type": "attachment", "sessionId": "s-att", "uuid": format!("att-{id}"),
               "timestamp": t("12:00:00.500"), "cwd": APP, "version": "2.1.290",
               "attachment": {"type": "hook_permission_decision", "decision": decision,
                              "toolUseID": id, "hookEvent": "PermissionRequest"}})
    };
    let text = jsonl(&[
        cli(prompt("s-att", "a0", &t("12:00:00.000"), "default")),
        bash_call("s-att", "a1", "h1", &t("12:00:00.100"), "npm test"),
        attachment("h1", "allow"),
        ok("s-att", "h1", &t("12:00:01.000")),
        bash_call("s-att", "a2", "h2", &t("12:00:02.000"), "ls"),
        ok("s-att", "h2", &t("12:00:02.050")),
        // A decision for a call no line holds.
        attachment("h9", "deny"),
    ]);
    let file = dir.path().join("s-att.jsonl");
    write(&file, &text);
    let f = file.to_str().unwrap();
    let rec = by_id(&permstat_ok(&["scan", "--calls", f]));
    assert_eq!(
        rec["h1"],
        json!({"source": "hook_attachment", "prompted": false, "decision": "allow",
               "detail": "PermissionRequest hook"})
    );
    assert_eq!(rec["h2"], Value::Null);
    let s = json(&permstat_ok(&["scan", "--format", "json", f]));
    assert_eq!(
        s["recorded"]["by_source"]["hook_attachment"],
        json!({"records": 2, "matched": 1, "unmatched": 1, "other_sessions": 0,
               "calls": 1, "prompted": 0, "not_prompted": 1, "unknown": 0})
    );
}

/// The bundled real transcripts hold no record of a decision: `grep -rc
/// hook_permission_decision data/real` counts 0 lines, and no log or export is read.
#[test]
fn the_real_sample_records_no_decision() {
    let s = json(&permstat_ok(&["scan", "--format", "json", "data/real"]));
    assert_eq!(
        s["recorded"],
        json!({"calls": 0, "prompted": 0, "not_prompted": 0, "unknown": 0, "by_source": {}})
    );
}

const SETTINGS: &str = r#"{
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
    "permissions": {
        "allow": ["Bash(git status)"],
        "defaultMode": "default"
    },
    "hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/.claude/guard.sh"}]}
        ],
        "PermissionRequest": [
            {
                "matcher": "Bash",
                "hooks": [{"type": "command", "command": "notify-send 'Claude asks'"}]
            }
        ]
    },
    "env": {"FOO": "1"}
}
"#;

#[test]
fn install_then_uninstall_gives_back_the_settings_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("app");
    let file = project.join(".claude").join("settings.json");
    write(&file, SETTINGS);
    let root = project.to_str().unwrap();
    let log = dir.path().join("prompts.jsonl");
    let base = ["hook", "--scope", "project", "--project-root", root];
    let run = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend(extra);
        let (code, out, err) = permstat_with(&a, &[("PERMSTAT_PROMPT_LOG", log.as_os_str())]);
        assert_eq!(code, 0, "{a:?}: {err}");
        out
    };
    // Dry run: the diff, the file untouched.
    let dry = run(&["--install", "--outcomes"]);
    assert!(dry.starts_with("Dry run."), "{dry}");
    assert!(
        dry.contains("+                \"matcher\": \"*\",\n"),
        "{dry}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), SETTINGS);
    let installed = json(&run(&[
        "--install",
        "--outcomes",
        "--write",
        "--format",
        "json",
    ]));
    assert_eq!(installed["written"], true);
    // No transcript shows a version: every event is added, with a warning for each.
    assert_eq!(
        installed["changed"],
        json!([
            "PermissionRequest",
            "PostToolUse",
            "PostToolUseFailure",
            "PermissionDenied"
        ])
    );
    let with: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let groups = with["hooks"]["PermissionRequest"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(
        groups[0]["hooks"][0]["command"],
        "notify-send 'Claude asks'"
    );
    let ours = groups[1]["hooks"][0]["command"].as_str().unwrap();
    assert!(ours.ends_with("permstat hook"), "{ours}");
    assert_eq!(with["hooks"]["PostToolUse"][0]["hooks"][0]["async"], true);
    assert_eq!(with["env"]["FOO"], "1");
    assert!(file.with_file_name("settings.json.bak").exists());
    // Installing again changes nothing.
    let again = json(&run(&["--install", "--write", "--format", "json"]));
    assert_eq!(
        (&again["written"], &again["changed"]),
        (&json!(false), &json!([]))
    );
    let removed = json(&run(&["--uninstall", "--write", "--format", "json"]));
    assert_eq!(removed["written"], true);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), SETTINGS);
    // Each change left a marker in the log: from when, and for which folder, it covers
    // every call.
    let markers: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let events: Vec<&str> = markers
        .iter()
        .map(|m| m["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["permstat_install", "permstat_uninstall"]);
    assert_eq!(markers[0]["root"], root);
    assert_eq!(markers[0]["scope"], "project");
}

#[test]
fn the_report_counts_exactly_the_logged_prompts() {
    // Four identical `make test` calls of which the log shows c1 and c3 prompted (c2 and c4
    // came back in under 100 ms): the report counts those two, all from the log, and reads
    // no "don't ask again" grant into the session's timing, which the log contradicts.
    let dir = tempfile::tempdir().unwrap();
    let (transcripts, config, _) = setup(dir.path());
    let log = config.join("permstat/prompts.jsonl");
    let v = json(&permstat_ok(&[
        "report",
        "--format",
        "json",
        "-q",
        transcripts.join("s-log.jsonl").to_str().unwrap(),
        "--prompt-log",
        log.to_str().unwrap(),
    ]));
    assert_eq!(v["prompts"]["approved"], 2);
    assert_eq!(v["prompts"]["approved_by_basis"]["recorded"], 2);
    assert_eq!(v["prompts"]["estimate"]["low"], 2);
    assert_eq!(v["prompts"]["estimate"]["high"], 2);
    let make = v["by_command"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "make test")
        .unwrap()
        .clone();
    assert_eq!(make["approved"], 2, "{make}");
    let grants = v["evidence"]["grants"].as_array().unwrap();
    assert!(grants.iter().all(|g| g["session_id"] != S), "{grants:?}");
}

/// OpenTelemetry's mode switches set the mode of the calls made after them: the transcript
/// writes the mode only on prompt lines, so the switch to acceptEdits at 11:00:05.500 in
/// the middle of a turn shows only in the export. o1 (11:00:01) stays in default; o2
/// (11:00:06) and o3 (11:00:07) were made in acceptEdits. Without the export all three
/// carry the prompt line's default.
#[test]
fn mode_switches_from_opentelemetry_set_the_mode_of_later_calls() {
    let dir = tempfile::tempdir().unwrap();
    let (transcripts, config, otel) = setup(dir.path());
    let (t, c, o) = (
        transcripts.to_str().unwrap(),
        config.to_str().unwrap(),
        otel.to_str().unwrap(),
    );
    let modes = |extra: &[&str]| {
        let mut args = vec!["scan", "--calls", t, "--config-dir", c, "-q"];
        args.extend(extra);
        permstat_ok(&args)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|c| c["session_id"] == O)
            .map(|c| (c["id"].as_str().unwrap().to_string(), c["mode"].clone()))
            .collect::<Vec<_>>()
    };
    let expect = |o2: &str| {
        vec![
            ("o1".to_string(), json!("default")),
            ("o2".to_string(), json!(o2)),
            ("o3".to_string(), json!(o2)),
        ]
    };
    assert_eq!(modes(&["--otel", o]), expect("acceptEdits"));
    assert_eq!(modes(&[]), expect("default"));
}
