//! Hand-written transcripts: lines in Claude Code's shape (as JSON values a test can add
//! fields to), and writing them as JSON-lines files.

use serde_json::{Value, json};
use std::fmt::Display;
use std::fs;
use std::path::Path;

/// The folder every hand-written session started in (its `cwd`).
pub const APP: &str = "/work/app";

/// A line of `kind` (`user` or `assistant`) in `session`, with its `uuid` and timestamp
/// `ts`, in [`APP`]; the caller adds the message and any other field.
pub fn line(kind: &str, session: &str, uuid: &str, ts: &str) -> Value {
    json!({"type": kind, "sessionId": session, "cwd": APP, "uuid": uuid, "timestamp": ts})
}

/// A person's prompt ("go") carrying the permission `mode` in force.
pub fn prompt(session: &str, uuid: &str, ts: &str, mode: &str) -> Value {
    let mut l = line("user", session, uuid, ts);
    l["permissionMode"] = json!(mode);
    l["message"] = json!({"role": "user", "content": "go"});
    l
}

/// An assistant line whose message (id `m-<id>`) makes one Bash call `id` of `command`.
pub fn bash_call(session: &str, uuid: &str, id: &str, ts: &str, command: &str) -> Value {
    let mut l = line("assistant", session, uuid, ts);
    l["message"] = json!({"id": format!("m-{id}"), "role": "assistant", "content": [
        {"type": "tool_use", "id": id, "name": "Bash", "input": {"command": command}}
    ]});
    l
}

/// An assistant line whose message (id `m-<id>`) makes one call `id` of a file tool
/// (`Edit`, `Write`, `Read`) on `path`.
pub fn file_call(session: &str, uuid: &str, id: &str, ts: &str, tool: &str, path: &str) -> Value {
    let mut l = line("assistant", session, uuid, ts);
    l["message"] = json!({"id": format!("m-{id}"), "role": "assistant", "content": [
        {"type": "tool_use", "id": id, "name": tool, "input": {"file_path": path}}
    ]});
    l
}

/// A user line holding the `tool_result` of call `id`: `text`, flagged as an error when
/// `is_error`.
pub fn tool_result(
    session: &str,
    uuid: &str,
    id: &str,
    ts: &str,
    text: &str,
    is_error: bool,
) -> Value {
    let mut l = line("user", session, uuid, ts);
    l["message"] = json!({"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": id, "content": text, "is_error": is_error}
    ]});
    l
}

/// Writes one transcript per session into `dir`: each session starts in `cwd` on `day`
/// (`YYYY-MM-DD`) in permission `mode`, and runs each command the given number of times,
/// every call answered with a plain "ok" result (so, with no settings, every call that is
/// not read-only counts as an approved prompt).
pub fn approved_sessions(
    dir: &Path,
    cwd: &str,
    day: &str,
    mode: &str,
    sessions: &[(&str, &[(&str, usize)])],
) {
    for (sid, cmds) in sessions {
        let mut lines = vec![prompt(
            sid,
            &format!("{sid}-p"),
            &format!("{day}T10:00:00.000Z"),
            mode,
        )];
        // Calls 10 s apart, each answered 4 s later: a person's pace, not machine speed (a
        // result at machine speed is evidence that nobody was asked).
        let at = |s: usize| {
            let (h, m, sec) = (10 + s / 3600, s / 60 % 60, s % 60);
            format!("{day}T{h:02}:{m:02}:{sec:02}.000Z")
        };
        let mut t = 1;
        for (cmd, n) in cmds.iter() {
            for i in 0..*n {
                let id = format!("{sid}-{t}-{i}");
                lines.push(bash_call(sid, &format!("{id}-a"), &id, &at(t * 10), cmd));
                lines.push(tool_result(
                    sid,
                    &format!("{id}-r"),
                    &id,
                    &at(t * 10 + 4),
                    "ok",
                    false,
                ));
                t += 1;
            }
        }
        for l in &mut lines {
            l["cwd"] = json!(cwd);
        }
        write(&dir.join(format!("{sid}.jsonl")), &jsonl(&lines));
    }
}

/// Lines as JSON-lines text: each line followed by a newline.
pub fn jsonl(lines: &[impl Display]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Writes `text` to `path`, creating its folder first.
pub fn write(path: &Path, text: &str) {
    if let Some(d) = path.parent() {
        fs::create_dir_all(d).expect("mkdir");
    }
    fs::write(path, text).expect("write");
}

/// Copies the folder `from` (files and sub-folders) into `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).expect("copy");
        }
    }
}
