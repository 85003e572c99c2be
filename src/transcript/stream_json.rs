//! Reading captures of `claude -p --output-format stream-json --verbose` into the same
//! tool-call table as transcripts.
//!
//! A capture is told from a transcript by its content, not its name: its first line is the
//! run's `{"type":"system","subtype":"init",...}` message. [`is_capture_start`] looks at the
//! first line of every file (one substring search, and a parse only when it holds `"init"`);
//! the scanner then hands every line of a capture to [`StreamJson`] instead of its own
//! reader.
//!
//! What a capture holds, and what becomes of it (docs/verify.md, "Stream-json captures"):
//! - the `init` line: the session id, the working folder, the Claude Code version, the tool
//!   list and the permission mode. Every later call is made in that mode, until a `system`
//!   line (`status`) carries another `permissionMode`;
//! - `assistant` and `user` lines: the message as in a transcript, with snake_case envelope
//!   fields (`session_id`, `tool_use_result`, `parent_tool_use_id`). They go through the
//!   scanner's own line handling, so calls, results and outcomes are read exactly as in a
//!   transcript. A message with a `parent_tool_use_id` was written by a subagent; that id
//!   stands for the agent. Only user lines carry a `timestamp`, so a call's time asked is
//!   usually unknown and its time answered known;
//! - `tool_result_meta[].permission_decision` on user lines (Claude Code 2.1.293 and later):
//!   the decision recorded for a call, kept as [`crate::event::RecordedDecision`]. An entry
//!   names its call by `tool_use_id`; one that does not is taken to describe the tool result
//!   at the same position in the message (the documentation does not say which holds);
//! - the final `result` line: how the run ended and `permission_denials`, every call the
//!   permission check did not allow. Kept in [`Capture`] for `permstat verify`.
//!
//! A line that is not JSON is counted as skipped, like a transcript's, and the rest is read.
//! Fields whose shape is not the expected one (a `tool_result_meta` that is not a list, a
//! denial without a name) are ignored rather than costing the line.

use super::input;
use super::line::{Line, Message, Raw, Str};
use super::scan::{self, BadKind, FileScan, FileState, take_line};
use crate::event::{Mode, RecordSource, RecordedDecision, ToolInput};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// What a capture says about its run, besides its calls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// The capture file.
    pub file: Arc<str>,
    /// `session_id` of the `init` line.
    pub session_id: Option<String>,
    /// The working folder of the run.
    pub cwd: Option<String>,
    /// `claude_code_version` of the `init` line.
    pub version: Option<String>,
    /// The tools the run had (`tools` of the `init` line), as listed.
    pub tools: Vec<String>,
    /// The permission mode the run started in, as written.
    pub mode: Option<String>,
    /// Later modes carried by `system` lines, in order.
    pub later_modes: Vec<String>,
    /// The final `result` line; `None` when the run did not finish writing one.
    pub result: Option<RunResult>,
}

/// The final `result` line of a capture.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunResult {
    /// `success`, `error_during_execution`, `error_max_turns`, ...
    pub subtype: Option<String>,
    /// `is_error` of the line.
    pub is_error: Option<bool>,
    /// `permission_denials`: every call the permission check did not allow.
    pub denials: Vec<Denial>,
}

/// One entry of `permission_denials`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denial {
    /// `tool_name`.
    pub tool: String,
    /// `tool_use_id`, when written.
    pub tool_use_id: Option<String>,
    /// The part of `tool_input` permissions look at.
    pub input: ToolInput,
}

impl Capture {
    /// True when `permission_denials` lists the call with this `tool_use` id.
    pub fn denied(&self, tool_use_id: &str) -> bool {
        self.result.as_ref().is_some_and(|r| {
            r.denials
                .iter()
                .any(|d| d.tool_use_id.as_deref() == Some(tool_use_id))
        })
    }
}

/// The first line of a stream-json capture: a `system` line of subtype `init`.
pub fn is_capture_start(first_line: &[u8]) -> bool {
    let t = first_line.trim_ascii();
    if !t.starts_with(b"{") || memchr::memmem::find(t, b"\"init\"").is_none() {
        return false;
    }
    #[derive(Deserialize)]
    struct Head<'a> {
        #[serde(rename = "type", borrow)]
        kind: Option<Str<'a>>,
        #[serde(borrow)]
        subtype: Option<Str<'a>>,
    }
    std::str::from_utf8(t)
        .ok()
        .and_then(|s| serde_json::from_str::<Head<'_>>(s).ok())
        .is_some_and(|h| {
            h.kind.as_deref() == Some("system") && h.subtype.as_deref() == Some("init")
        })
}

/// One line of a capture: the fields of every message type that matter here.
#[derive(Deserialize)]
struct StreamLine<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Str<'a>>,
    #[serde(borrow)]
    subtype: Option<Str<'a>>,
    #[serde(borrow)]
    session_id: Option<Str<'a>>,
    #[serde(borrow)]
    cwd: Option<Str<'a>>,
    #[serde(borrow)]
    claude_code_version: Option<Str<'a>>,
    #[serde(rename = "permissionMode", borrow)]
    permission_mode: Option<Str<'a>>,
    #[serde(borrow)]
    tools: Option<Raw<'a>>,
    #[serde(borrow)]
    message: Option<Message<'a>>,
    #[serde(borrow)]
    parent_tool_use_id: Option<Str<'a>>,
    #[serde(borrow)]
    timestamp: Option<Str<'a>>,
    #[serde(borrow)]
    tool_use_result: Option<Raw<'a>>,
    #[serde(borrow)]
    tool_result_meta: Option<Raw<'a>>,
    #[serde(borrow)]
    permission_denials: Option<Raw<'a>>,
    is_error: Option<bool>,
}

/// One entry of `tool_result_meta`.
#[derive(Deserialize)]
struct ResultMeta {
    tool_use_id: Option<String>,
    permission_decision: Option<PermissionDecision>,
}

/// `tool_result_meta[].permission_decision`.
#[derive(Deserialize)]
struct PermissionDecision {
    decision: Option<String>,
    source: Option<String>,
    reason_type: Option<String>,
}

/// One entry of `permission_denials`.
#[derive(Deserialize)]
struct DenialLine<'a> {
    tool_name: Option<String>,
    tool_use_id: Option<String>,
    #[serde(borrow)]
    tool_input: Option<Raw<'a>>,
}

/// `permission_decision.source` values that mean a person or the SDK host answered (a rule
/// decision carries a `reason_type` as well, which is checked first).
const ANSWERED_SOURCES: &[&str] = &["user_temporary", "user_permanent", "user_reject"];

/// The reader of one capture: what it has learnt so far about the run.
#[derive(Debug, Default)]
pub struct StreamJson {
    capture: Capture,
}

impl StreamJson {
    /// Reads one line of the capture into `scan`.
    pub(super) fn line(
        &mut self,
        scan: &mut FileScan,
        st: &mut FileState,
        number: u64,
        bytes: &[u8],
        unterminated: bool,
    ) {
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() {
            return;
        }
        let text = match std::str::from_utf8(trimmed) {
            Ok(t) => t,
            Err(e) => {
                scan::bad(scan, number, BadKind::InvalidUtf8, e.to_string());
                return;
            }
        };
        let line: StreamLine<'_> = match serde_json::from_str(text) {
            Ok(l) => l,
            Err(e) => {
                let kind = if unterminated && e.is_eof() {
                    BadKind::Truncated
                } else {
                    BadKind::Malformed
                };
                scan::bad(scan, number, kind, e.to_string());
                return;
            }
        };
        scan.parsed_lines += 1;
        let kind = line.kind.as_deref().unwrap_or("");
        let subtype = line.subtype.as_deref().unwrap_or("");
        match (kind, subtype) {
            ("system", "init") => self.init(scan, st, line),
            ("system", _) => {
                if let Some(m) = line.permission_mode.as_deref() {
                    st.mode = Some(Mode::parse(m));
                    self.capture.later_modes.push(m.to_string());
                }
            }
            ("assistant" | "user", _) => self.message(scan, st, line),
            ("result", _) => self.result(line),
            _ => {}
        }
    }

    fn init(&mut self, scan: &mut FileScan, st: &mut FileState, line: StreamLine<'_>) {
        let c = &mut self.capture;
        let owned = |s: &Option<Str<'_>>| s.as_deref().map(str::to_string);
        c.session_id = owned(&line.session_id);
        c.cwd = owned(&line.cwd);
        c.version = owned(&line.claude_code_version);
        c.mode = owned(&line.permission_mode);
        c.tools = line
            .tools
            .and_then(|t| serde_json::from_str::<Vec<String>>(t.get()).ok())
            .unwrap_or_default();
        if let Some(m) = line.permission_mode.as_deref() {
            st.mode = Some(Mode::parse(m));
        }
        take_line(
            scan,
            st,
            Line {
                kind: Some(Cow::Borrowed("system")),
                session_id: line.session_id,
                cwd: line.cwd,
                version: line.claude_code_version,
                timestamp: line.timestamp,
                ..Line::default()
            },
        );
    }

    fn message(&mut self, scan: &mut FileScan, st: &mut FileState, line: StreamLine<'_>) {
        if let (Some(meta), Some(msg)) = (line.tool_result_meta, &line.message) {
            let result_ids: Vec<&str> = msg
                .blocks()
                .iter()
                .filter(|b| b.kind.as_deref() == Some("tool_result"))
                .filter_map(|b| b.tool_use_id.as_deref())
                .collect();
            record_decisions(scan, meta, &result_ids);
        }
        take_line(
            scan,
            st,
            Line {
                kind: line.kind,
                session_id: line.session_id,
                timestamp: line.timestamp,
                agent_id: line.parent_tool_use_id,
                tool_use_result: line.tool_use_result,
                message: line.message,
                ..Line::default()
            },
        );
    }

    fn result(&mut self, line: StreamLine<'_>) {
        let denials = line
            .permission_denials
            .and_then(|raw| serde_json::from_str::<Vec<DenialLine<'_>>>(raw.get()).ok())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| {
                Some(Denial {
                    tool: d.tool_name?,
                    tool_use_id: d.tool_use_id,
                    input: input::extract(d.tool_input),
                })
            })
            .collect();
        self.capture.result = Some(RunResult {
            subtype: line.subtype.as_deref().map(str::to_string),
            is_error: line.is_error,
            denials,
        });
    }

    /// The capture's run facts, once every line is read.
    pub(super) fn finish(self, file: &Arc<str>) -> Capture {
        Capture {
            file: file.clone(),
            ..self.capture
        }
    }
}

/// Keeps each `permission_decision` of a user line's `tool_result_meta` (a list, or a single
/// object) as the recorded decision of its call: the entry's `tool_use_id`, else the tool
/// result at the same position in the message.
fn record_decisions(scan: &mut FileScan, meta: Raw<'_>, result_ids: &[&str]) {
    let entries: Vec<ResultMeta> = serde_json::from_str::<Vec<ResultMeta>>(meta.get())
        .or_else(|_| serde_json::from_str::<ResultMeta>(meta.get()).map(|m| vec![m]))
        .unwrap_or_default();
    for (i, entry) in entries.into_iter().enumerate() {
        let Some(d) = entry.permission_decision else {
            continue;
        };
        let Some(id) = entry
            .tool_use_id
            .or_else(|| result_ids.get(i).map(|s| s.to_string()))
        else {
            continue;
        };
        let prompted = match (&d.reason_type, d.source.as_deref()) {
            // The check decided by itself (a rule, the mode, a hook, the classifier, ...).
            (Some(_), _) => Some(false),
            (None, Some(s)) if ANSWERED_SOURCES.contains(&s) => Some(true),
            _ => None,
        };
        let detail = match (&d.source, &d.reason_type) {
            (Some(s), Some(r)) => Some(format!("{s}/{r}")),
            (Some(s), None) => Some(s.clone()),
            (None, r) => r.clone(),
        };
        scan.recorded.push((
            id,
            RecordedDecision {
                source: RecordSource::StreamJson,
                prompted,
                decision: d.decision,
                detail,
            },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Outcome;
    use crate::transcript::scan::{build_table, scan_file};

    const INIT: &str = r#"{"type":"system","subtype":"init","cwd":"/work/app","session_id":"s-1","tools":["Bash","Read","Write"],"permissionMode":"bypassPermissions","claude_code_version":"2.1.300","model":"m"}"#;

    fn capture(lines: &[&str]) -> crate::transcript::Table {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("run.out");
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        build_table(vec![scan_file(&p)])
    }

    #[test]
    fn the_first_line_tells_a_capture() {
        assert!(is_capture_start(INIT.as_bytes()));
        assert!(is_capture_start(
            br#" {"subtype":"init","type":"system","session_id":"x"}"#
        ));
        assert!(!is_capture_start(
            br#"{"type":"user","message":{"content":"run \"init\""}}"#
        ));
        assert!(!is_capture_start(br#"{"type":"system","subtype":"init""#));
        assert!(!is_capture_start(b"not json \"init\""));
    }

    #[test]
    fn calls_results_modes_decisions_and_denials_are_read() {
        let t = capture(&[
            INIT,
            r#"{"type":"assistant","session_id":"s-1","parent_tool_use_id":null,"message":{"id":"m1","role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"git log -1"}},{"type":"tool_use","id":"t2","name":"Bash","input":{"command":"rm -rf build"}}]}}"#,
            r#"{"type":"user","session_id":"s-1","timestamp":"2026-11-02T10:00:01.000Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"abc"}]},"tool_use_result":{"stdout":"abc"},"tool_result_meta":[{"tool_use_id":"t1","permission_decision":{"decision":"accept","source":"config","reason_type":"mode"}}]}"#,
            r#"{"type":"user","session_id":"s-1","timestamp":"2026-11-02T10:00:02.000Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t2","content":"Permission to use Bash with command rm -rf build has been denied.","is_error":true}]},"tool_use_result":"Error: Permission to use Bash with command rm -rf build has been denied.","tool_result_meta":[{"permission_decision":{"decision":"reject","source":"config","reason_type":"rule"}}]}"#,
            r#"{"type":"system","subtype":"status","session_id":"s-1","permissionMode":"default"}"#,
            r#"{"type":"assistant","session_id":"s-1","parent_tool_use_id":"t9","message":{"id":"m2","content":[{"type":"tool_use","id":"t3","name":"Write","input":{"file_path":"/tmp/x","content":"y"}}]}}"#,
            r#"{"type":"result","subtype":"success","is_error":false,"session_id":"s-1","permission_denials":[{"tool_name":"Bash","tool_use_id":"t2","tool_input":{"command":"rm -rf build"}}]}"#,
        ]);
        assert_eq!(t.calls.len(), 3);
        let by_id = |id: &str| t.calls.iter().find(|c| c.id == id).unwrap();
        let (t1, t2, t3) = (by_id("t1"), by_id("t2"), by_id("t3"));
        assert_eq!(&*t1.session_id, "s-1");
        assert_eq!(t1.project.as_deref(), Some("/work/app"));
        assert_eq!(t1.version.as_deref(), Some("2.1.300"));
        assert_eq!(t1.mode, Some(Mode::BypassPermissions));
        assert_eq!(t1.outcome, Outcome::Ran);
        assert_eq!(t1.asked_ms, None);
        assert!(t1.answered_ms.is_some());
        let r1 = t1.recorded.as_ref().unwrap();
        assert_eq!(r1.source, RecordSource::StreamJson);
        assert_eq!(r1.decision.as_deref(), Some("accept"));
        assert_eq!(r1.prompted, Some(false));
        assert_eq!(r1.detail.as_deref(), Some("config/mode"));
        assert_eq!(t2.outcome, Outcome::RuleDenied);
        // Named by position: the only tool result of its message.
        assert_eq!(
            t2.recorded.as_ref().unwrap().decision.as_deref(),
            Some("reject")
        );
        assert_eq!(t3.mode, Some(Mode::Default));
        assert_eq!(t3.agent_id.as_deref(), Some("t9"));
        assert_eq!(t3.outcome, Outcome::Unresolved);
        assert_eq!(t.captures.len(), 1);
        let c = &t.captures[0];
        assert_eq!(c.tools, ["Bash", "Read", "Write"]);
        assert_eq!(c.mode.as_deref(), Some("bypassPermissions"));
        assert_eq!(c.later_modes, ["default"]);
        assert!(c.denied("t2") && !c.denied("t1"));
        let r = c.result.as_ref().unwrap();
        assert_eq!(r.subtype.as_deref(), Some("success"));
        assert_eq!(r.denials[0].input.command.as_deref(), Some("rm -rf build"));
        assert_eq!(t.sessions.len(), 1);
    }

    #[test]
    fn bad_lines_are_counted_and_odd_fields_ignored() {
        let t = capture(&[
            INIT,
            "not json",
            r#"{"type":"user","session_id":"s-1","message":{"content":[{"type":"tool_result","tool_use_id":"t1","content":"x"}]},"tool_result_meta":"odd"}"#,
            r#"{"type":"result","subtype":"error_max_turns","permission_denials":{"odd":1}}"#,
            r#"{"type":"assistant","session_id":"s-1","message":{"content":[{"type":"tool_use","id":"t1","name":"Read","input":{"file_path":"a"}}]}"#,
        ]);
        assert_eq!(t.bad_lines.len(), 2, "{:?}", t.bad_lines);
        assert_eq!(t.bad_lines[0].line, 2);
        assert_eq!(t.captures[0].result.as_ref().unwrap().denials.len(), 0);
    }

    #[test]
    fn a_transcript_is_not_a_capture() {
        let t = capture(&[
            r#"{"type":"assistant","sessionId":"s","message":{"content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"ls"}}]}}"#,
        ]);
        assert!(t.captures.is_empty());
        assert_eq!(t.calls.len(), 1);
        assert!(t.calls[0].recorded.is_none());
    }
}
