//! permstat's prompt log: one JSON line per hook event `permstat hook` recorded, and the
//! markers `permstat hook --install`/`--uninstall` add. This module owns the line's format
//! (the hook writes it with [`record_line`], the reading commands read it with [`read`]),
//! and where the log lives ([`default_path`]). See `docs/sources.md`.

use crate::event::ToolInput;
use crate::text::json::Cursor;
use crate::text::time::iso;
use crate::transcript::discover::config_root;
use crate::transcript::input::extract;
use crate::transcript::line::Raw;
use crate::transcript::scan::parse_ms;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The environment variable naming the prompt log; it wins over the config folder.
pub const ENV: &str = "PERMSTAT_PROMPT_LOG";

/// The event of a marker line written by `permstat hook --install --write`.
pub const INSTALLED: &str = "permstat_install";
/// The event of a marker line written by `permstat hook --uninstall --write`.
pub const UNINSTALLED: &str = "permstat_uninstall";

/// Longest reason (`PermissionDenied`) kept in the log.
const MAX_REASON: usize = 500;

/// The prompt log: `$PERMSTAT_PROMPT_LOG`, else `<config dir>/permstat/prompts.jsonl`
/// (config dir: `config_dir`, else `$CLAUDE_CONFIG_DIR`, else `~/.claude`).
pub fn default_path(config_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    config_root(config_dir).map(|root| root.join("permstat").join("prompts.jsonl"))
}

/// The part of a tool's input kept in the log: what permissions look at (the same fields
/// the transcript reader keeps, see `crate::transcript::input`), absent fields left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoggedInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subagent_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skill: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    params: BTreeMap<String, String>,
}

impl From<ToolInput> for LoggedInput {
    fn from(i: ToolInput) -> Self {
        LoggedInput {
            command: i.command,
            path: i.path,
            url: i.url,
            subagent_type: i.subagent_type,
            skill: i.skill,
            params: i.params.into_iter().collect(),
        }
    }
}

impl From<LoggedInput> for ToolInput {
    fn from(i: LoggedInput) -> Self {
        let domain = i.url.as_deref().and_then(crate::text::url::domain_of);
        ToolInput {
            command: i.command,
            path: i.path,
            url: i.url,
            domain,
            subagent_type: i.subagent_type,
            skill: i.skill,
            params: i.params.into_iter().collect(),
        }
    }
}

/// One line of the log. Every field but `time` and `event` is optional, so lines of other
/// events and of later versions still read.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LogLine {
    /// When the hook ran (RFC 3339, ms, UTC).
    pub time: String,
    /// `hook_event_name` (`PermissionRequest`, `PostToolUse`, ...) or a marker event.
    pub event: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_name: Option<String>,
    /// Given by the later events (`PostToolUse`, ...), never by `PermissionRequest`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_use_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mcp_server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<LoggedInput>,
    /// `permission_suggestions` as Claude Code sent them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Box<RawValue>>,
    /// `PermissionDenied`: the classifier's reason (cut at 500 bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `PostToolUseFailure`: the failure was an interrupt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_interrupt: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript_path: Option<String>,
    /// Markers: the settings scope installed into (`user`, `project`, `local`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Markers: the project folder a project or local scope covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// Markers: the settings file written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<String>,
}

impl LogLine {
    /// The line as one compact JSON text (no newline).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The log line for one hook input (the JSON Claude Code wrote on the hook's stdin), at
/// `now_ms`; `None` when the input is not a JSON object. Only the fields the join needs
/// are kept: the tool input is cut down to what permissions look at, and bulky fields
/// (`tool_response`, file contents) are skipped unread.
pub fn record_line(stdin: &str, now_ms: i64) -> Option<LogLine> {
    let mut l = LogLine {
        time: iso(now_ms),
        ..LogLine::default()
    };
    let mut event = None;
    let mut c = Cursor::new(stdin.trim());
    let own = |v: Option<std::borrow::Cow<'_, str>>| v.map(|s| s.into_owned());
    let is_object = c
        .object(|c, key| {
            match key {
                "hook_event_name" => event = own(c.string()?),
                "session_id" => l.session_id = own(c.string()?),
                "agent_id" => l.agent_id = own(c.string()?),
                "agent_type" => l.agent_type = own(c.string()?),
                "cwd" => l.cwd = own(c.string()?),
                "permission_mode" => l.permission_mode = own(c.string()?),
                "tool_name" => l.tool_name = own(c.string()?),
                "tool_use_id" => l.tool_use_id = own(c.string()?),
                "mcp_server" => l.mcp_server = own(c.string()?),
                "transcript_path" => l.transcript_path = own(c.string()?),
                "tool_input" => l.input = Some(extract(Some(Raw(c.value()?))).into()),
                "permission_suggestions" => {
                    // Kept as written, once checked to be JSON (the skimming reader is
                    // lenient inside values it skips).
                    l.suggestions = serde_json::from_str::<Box<RawValue>>(c.value()?).ok();
                }
                "reason" => l.reason = own(c.string()?).map(|r| cut(r, MAX_REASON)),
                "is_interrupt" => l.is_interrupt = c.boolean()?,
                _ => {
                    c.value()?;
                }
            }
            Ok(())
        })
        .ok()?;
    if !is_object {
        return None;
    }
    l.event = event.unwrap_or_else(|| "unknown".into());
    Some(l)
}

/// `s` cut to at most `max` bytes, on a character boundary.
fn cut(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut at = max;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
    }
    s
}

/// What a log line says, as the join uses it.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A permission dialog was about to be shown (`PermissionRequest`).
    Prompt(Prompt),
    /// A later event of one call, named by its `tool_use_id`.
    After(After),
    /// `permstat hook --install` (true) or `--uninstall` (false) wrote the hook.
    Marker(Marker),
}

/// A `PermissionRequest` line.
#[derive(Debug, Clone)]
pub struct Prompt {
    /// When the hook ran.
    pub at_ms: i64,
    /// The session.
    pub session_id: String,
    /// The tool as Claude Code named it.
    pub tool: String,
    /// What permissions look at.
    pub input: ToolInput,
    /// The mode Claude Code reported.
    pub mode: Option<String>,
}

/// Which later event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterKind {
    /// `PostToolUse`: the tool ran.
    Ran,
    /// `PostToolUseFailure`: the tool ran and failed (or was interrupted).
    Failed,
    /// `PermissionDenied`: the auto-mode classifier denied the call.
    Denied,
}

/// A `PostToolUse`, `PostToolUseFailure` or `PermissionDenied` line.
#[derive(Debug, Clone)]
pub struct After {
    /// When the hook ran.
    pub at_ms: i64,
    /// The session.
    pub session_id: String,
    /// The call.
    pub tool_use_id: String,
    /// Which event.
    pub kind: AfterKind,
}

/// An install or uninstall marker.
#[derive(Debug, Clone)]
pub struct Marker {
    /// When it was written.
    pub at_ms: i64,
    /// True for an install.
    pub installed: bool,
    /// The project folder a project or local install covers; `None`: every project.
    pub root: Option<String>,
}

/// What reading a log gave.
#[derive(Debug, Default)]
pub struct ReadLog {
    /// The entries, in file order.
    pub entries: Vec<Entry>,
    /// Lines of events the join does not use (other hook events, unknown markers).
    pub ignored: u64,
    /// Lines that could not be read, with a message naming the file and line (the first
    /// [`MAX_WARNINGS`] of them; the rest are counted in `bad_lines`).
    pub warnings: Vec<String>,
    /// Lines that could not be read.
    pub bad_lines: u64,
}

/// Bad lines listed by file and number per file; the rest are only counted.
pub const MAX_WARNINGS: usize = 20;

/// Reads the log text of `path`: each line to an [`Entry`], bad lines skipped with a
/// warning naming the file and line.
pub fn read(path: &Path, text: &str) -> ReadLog {
    let mut out = ReadLog::default();
    for (n, raw) in text.lines().enumerate() {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        match entry(raw) {
            Ok(Some(e)) => out.entries.push(e),
            Ok(None) => out.ignored += 1,
            Err(why) => {
                out.bad_lines += 1;
                if out.warnings.len() < MAX_WARNINGS {
                    out.warnings.push(format!(
                        "{}:{}: skipped prompt-log line: {why}",
                        path.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    if out.bad_lines > out.warnings.len() as u64 {
        out.warnings.push(format!(
            "{}: {} more prompt-log lines skipped",
            path.display(),
            out.bad_lines - out.warnings.len() as u64
        ));
    }
    out
}

/// One line; `Ok(None)` for an event the join does not use.
fn entry(raw: &str) -> Result<Option<Entry>, String> {
    let l: LogLine = serde_json::from_str(raw).map_err(|e| format!("not JSON: {e}"))?;
    let at_ms = parse_ms(&l.time).ok_or_else(|| format!("bad time {:?}", l.time))?;
    let need =
        |v: Option<String>, what: &str| v.ok_or_else(|| format!("{} has no {what}", l.event));
    let after = |kind| -> Result<Option<Entry>, String> {
        Ok(Some(Entry::After(After {
            at_ms,
            session_id: l.session_id.clone().unwrap_or_default(),
            tool_use_id: need(l.tool_use_id.clone(), "tool_use_id")?,
            kind,
        })))
    };
    match l.event.as_str() {
        "PermissionRequest" => Ok(Some(Entry::Prompt(Prompt {
            at_ms,
            session_id: need(l.session_id, "session_id")?,
            tool: need(l.tool_name, "tool_name")?,
            input: l.input.unwrap_or_default().into(),
            mode: l.permission_mode,
        }))),
        "PostToolUse" => after(AfterKind::Ran),
        "PostToolUseFailure" => after(AfterKind::Failed),
        "PermissionDenied" => after(AfterKind::Denied),
        INSTALLED | UNINSTALLED => Ok(Some(Entry::Marker(Marker {
            at_ms,
            installed: l.event == INSTALLED,
            root: l.root,
        }))),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permission_request_becomes_one_compact_line() {
        let stdin = r#"{"session_id":"s1","transcript_path":"/t/s1.jsonl","cwd":"/w","permission_mode":"default","hook_event_name":"PermissionRequest","tool_name":"Bash","tool_input":{"command":"rm -rf node_modules","description":"Remove"},"permission_suggestions":[{"type":"addRules","rules":[{"toolName":"Bash","ruleContent":"rm -rf node_modules"}],"behavior":"allow","destination":"localSettings"}]}"#;
        let line = record_line(stdin, 1_780_000_000_123).unwrap().to_json();
        assert_eq!(
            line,
            r#"{"time":"2026-05-28T20:26:40.123Z","event":"PermissionRequest","session_id":"s1","cwd":"/w","permission_mode":"default","tool_name":"Bash","input":{"command":"rm -rf node_modules"},"suggestions":[{"type":"addRules","rules":[{"toolName":"Bash","ruleContent":"rm -rf node_modules"}],"behavior":"allow","destination":"localSettings"}],"transcript_path":"/t/s1.jsonl"}"#
        );
        let Some(Entry::Prompt(p)) = entry(&line).unwrap() else {
            panic!("{line}")
        };
        assert_eq!((p.at_ms, p.tool.as_str()), (1_780_000_000_123, "Bash"));
        assert_eq!(p.input.command.as_deref(), Some("rm -rf node_modules"));
        assert!(record_line("[1]", 0).is_none());
        assert!(record_line("not json", 0).is_none());
    }

    #[test]
    fn bad_lines_are_named_and_the_rest_is_read() {
        let text = "{\"time\":\"2026-01-01T00:00:00Z\",\"event\":\"PostToolUse\",\"session_id\":\"s\",\"tool_use_id\":\"t1\"}\n\
                    {oops\n\
                    {\"time\":\"yesterday\",\"event\":\"PermissionRequest\"}\n\
                    {\"time\":\"2026-01-01T00:00:01Z\",\"event\":\"Stop\"}\n";
        let r = read(Path::new("/l/prompts.jsonl"), text);
        assert_eq!((r.entries.len(), r.ignored, r.bad_lines), (1, 1, 2));
        assert!(r.warnings[0].starts_with("/l/prompts.jsonl:2: skipped prompt-log line: not JSON"));
        assert!(r.warnings[1].starts_with("/l/prompts.jsonl:3: skipped prompt-log line: bad time"));
    }
}
