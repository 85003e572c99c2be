//! Claude Code's OpenTelemetry log events, read from an OTLP JSON export (what the
//! OpenTelemetry Collector's `file` exporter writes: one `{"resourceLogs": [...]}` document
//! per line, or one document per file). Only two events are kept:
//! `claude_code.tool_decision` (who decided each call) and
//! `claude_code.permission_mode_changed`. See `docs/sources.md` for the fields and their
//! meaning.

use crate::event::Mode;
use crate::transcript::scan::parse_ms;
use serde::Deserialize;
use std::path::Path;

/// How each `source` of a `tool_decision` reads: (source, prompted in the interactive CLI,
/// prompted elsewhere). Outside the interactive CLI (Agent SDK, `-p`), Claude Code emits
/// the `user_*` sources for later calls a saved answer covers too, so they do not show a
/// prompt there; `user_abort` is a dismissed (or interrupted) pending request everywhere.
const SOURCES: &[(&str, Option<bool>, Option<bool>)] = &[
    ("config", Some(false), Some(false)),
    ("hook", Some(false), Some(false)),
    ("user_temporary", Some(true), None),
    ("user_permanent", Some(true), None),
    ("user_reject", Some(true), None),
    ("user_abort", Some(true), Some(true)),
];

/// Whether a `tool_decision` with `source` shows a prompt, for a call made in the
/// interactive CLI (`interactive`: `Some(true)`), elsewhere (`Some(false)`) or where that
/// is not known (`None`: only what holds in both).
pub fn prompted(source: Option<&str>, interactive: Option<bool>) -> Option<bool> {
    let (_, cli, other) = SOURCES.iter().find(|(s, _, _)| Some(*s) == source)?;
    match interactive {
        Some(true) => *cli,
        Some(false) => *other,
        None => (cli == other).then_some(*cli).flatten(),
    }
}

/// One `claude_code.tool_decision` event.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    /// `event.timestamp`, else the record's time.
    pub at_ms: Option<i64>,
    /// `session.id` (of the record, else of its resource).
    pub session_id: Option<String>,
    /// `tool_use_id` (the transcript's `tool_use` id).
    pub tool_use_id: Option<String>,
    /// `tool_name` (`mcp_tool` for MCP tools in newer builds).
    pub tool: Option<String>,
    /// `accept` or `reject`.
    pub decision: Option<String>,
    /// `config`, `hook`, `user_temporary`, `user_permanent`, `user_abort`, `user_reject`.
    pub source: Option<String>,
}

/// One `claude_code.permission_mode_changed` event.
#[derive(Debug, Clone)]
pub struct ModeSwitch {
    /// When.
    pub at_ms: i64,
    /// The session.
    pub session_id: String,
    /// `from_mode`.
    pub from: Option<Mode>,
    /// `to_mode`.
    pub to: Mode,
    /// `trigger`.
    pub trigger: Option<String>,
}

/// What one export file gave.
#[derive(Debug, Default)]
pub struct ReadOtel {
    /// Tool decisions, in file order.
    pub decisions: Vec<Decision>,
    /// Mode switches, in file order.
    pub mode_switches: Vec<ModeSwitch>,
    /// Problems, each naming the file (and line where known).
    pub warnings: Vec<String>,
}

#[derive(Deserialize)]
struct Export {
    #[serde(default, rename = "resourceLogs", alias = "resource_logs")]
    resource_logs: Vec<ResourceLogs>,
}

#[derive(Deserialize)]
struct ResourceLogs {
    #[serde(default)]
    resource: Option<Resource>,
    #[serde(default, rename = "scopeLogs", alias = "scope_logs")]
    scope_logs: Vec<ScopeLogs>,
}

#[derive(Deserialize, Default)]
struct Resource {
    #[serde(default)]
    attributes: Vec<KeyValue>,
}

#[derive(Deserialize)]
struct ScopeLogs {
    #[serde(default, rename = "logRecords", alias = "log_records")]
    log_records: Vec<LogRecord>,
}

#[derive(Deserialize)]
struct LogRecord {
    #[serde(default, rename = "timeUnixNano", alias = "time_unix_nano")]
    time: Option<Scalar>,
    #[serde(
        default,
        rename = "observedTimeUnixNano",
        alias = "observed_time_unix_nano"
    )]
    observed: Option<Scalar>,
    #[serde(default)]
    body: Option<AnyValue>,
    #[serde(default)]
    attributes: Vec<KeyValue>,
}

#[derive(Deserialize)]
struct KeyValue {
    key: String,
    #[serde(default)]
    value: Option<AnyValue>,
}

/// An OTLP `AnyValue`; only scalars are read (64-bit integers come as strings in OTLP
/// JSON, but numbers are accepted too).
#[derive(Deserialize, Default)]
struct AnyValue {
    #[serde(default, rename = "stringValue", alias = "string_value")]
    string: Option<String>,
    #[serde(default, rename = "intValue", alias = "int_value")]
    int: Option<Scalar>,
    #[serde(default, rename = "boolValue", alias = "bool_value")]
    boolean: Option<bool>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
}

impl Scalar {
    fn as_i64(&self) -> Option<i64> {
        match self {
            Scalar::Text(s) => s.parse().ok(),
            Scalar::Int(i) => Some(*i),
            Scalar::Float(f) => Some(*f as i64),
        }
    }
}

impl AnyValue {
    fn text(&self) -> Option<String> {
        if let Some(s) = &self.string {
            return Some(s.clone());
        }
        if let Some(i) = &self.int {
            return i.as_i64().map(|i| i.to_string());
        }
        self.boolean.map(|b| b.to_string())
    }
}

/// Reads one export file's text.
pub fn read(path: &Path, text: &str) -> ReadOtel {
    let mut out = ReadOtel::default();
    let mut docs: Vec<Export> = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Export>();
    let mut failed = None;
    for d in stream.by_ref() {
        match d {
            Ok(d) => docs.push(d),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    if let Some(e) = failed {
        // One document per line: read each line on its own, so one bad line costs only
        // itself. Otherwise keep what parsed before the error.
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        if serde_json::from_str::<Export>(first).is_ok() {
            docs.clear();
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<Export>(line) {
                    Ok(d) => docs.push(d),
                    Err(e) => out.warnings.push(format!(
                        "{}:{}: skipped OTLP line: {}",
                        path.display(),
                        n + 1,
                        without_position(&e)
                    )),
                }
            }
        } else {
            out.warnings.push(format!(
                "{}:{}:{}: not OTLP JSON, the rest of the file is skipped: {}",
                path.display(),
                e.line(),
                e.column(),
                without_position(&e)
            ));
        }
    }
    for d in docs {
        take_export(d, &mut out);
    }
    out
}

/// A parser error's message without the position serde appends (the warning names it).
fn without_position(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rsplit_once(" at line ") {
        Some((head, _)) => head.to_string(),
        None => m,
    }
}

fn take_export(d: Export, out: &mut ReadOtel) {
    for rl in d.resource_logs {
        let resource_session = rl
            .resource
            .unwrap_or_default()
            .attributes
            .iter()
            .find(|kv| kv.key == "session.id")
            .and_then(|kv| kv.value.as_ref()?.text());
        for sl in rl.scope_logs {
            for r in sl.log_records {
                take_record(r, resource_session.as_deref(), out);
            }
        }
    }
}

fn take_record(r: LogRecord, resource_session: Option<&str>, out: &mut ReadOtel) {
    let attr = |k: &str| {
        r.attributes
            .iter()
            .find(|kv| kv.key == k)
            .and_then(|kv| kv.value.as_ref()?.text())
    };
    let name = r
        .body
        .as_ref()
        .and_then(AnyValue::text)
        .filter(|b| b.starts_with("claude_code."))
        .or_else(|| attr("event.name"));
    let Some(name) = name else { return };
    let at_ms = attr("event.timestamp")
        .as_deref()
        .and_then(parse_ms)
        .or_else(|| {
            let ns = r.time.as_ref().or(r.observed.as_ref())?.as_i64()?;
            (ns > 0).then_some(ns / 1_000_000)
        });
    let session_id = attr("session.id").or_else(|| resource_session.map(str::to_string));
    match name.strip_prefix("claude_code.").unwrap_or(&name) {
        "tool_decision" => out.decisions.push(Decision {
            at_ms,
            session_id,
            tool_use_id: attr("tool_use_id"),
            tool: attr("tool_name"),
            decision: attr("decision"),
            source: attr("source"),
        }),
        "permission_mode_changed" => {
            if let (Some(at_ms), Some(session_id), Some(to)) = (at_ms, session_id, attr("to_mode"))
            {
                out.mode_switches.push(ModeSwitch {
                    at_ms,
                    session_id,
                    from: attr("from_mode").map(|m| Mode::parse(&m)),
                    to: Mode::parse(&to),
                    trigger: attr("trigger"),
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_read_by_where_the_call_was_made() {
        assert_eq!(prompted(Some("config"), None), Some(false));
        assert_eq!(prompted(Some("user_temporary"), Some(true)), Some(true));
        assert_eq!(prompted(Some("user_temporary"), Some(false)), None);
        assert_eq!(prompted(Some("user_temporary"), None), None);
        assert_eq!(prompted(Some("user_abort"), None), Some(true));
        assert_eq!(prompted(Some("something_new"), Some(true)), None);
        assert_eq!(prompted(None, Some(true)), None);
    }

    #[test]
    fn one_document_or_one_per_line() {
        let rec = |id: &str| {
            format!(
                r#"{{"resourceLogs":[{{"resource":{{"attributes":[{{"key":"session.id","value":{{"stringValue":"s1"}}}}]}},"scopeLogs":[{{"logRecords":[{{"timeUnixNano":"1780000000123000000","body":{{"stringValue":"claude_code.tool_decision"}},"attributes":[{{"key":"event.name","value":{{"stringValue":"tool_decision"}}}},{{"key":"tool_use_id","value":{{"stringValue":"{id}"}}}},{{"key":"decision","value":{{"stringValue":"accept"}}}},{{"key":"source","value":{{"stringValue":"config"}}}}]}}]}}]}}]}}"#
            )
        };
        let p = Path::new("/o/export.json");
        let lines = format!("{}\n{{broken\n{}\n", rec("a"), rec("b"));
        let r = read(p, &lines);
        let ids: Vec<_> = r.decisions.iter().map(|d| d.tool_use_id.clone()).collect();
        assert_eq!(ids, [Some("a".into()), Some("b".into())]);
        assert_eq!(r.decisions[0].session_id.as_deref(), Some("s1"));
        assert_eq!(r.decisions[0].at_ms, Some(1_780_000_000_123));
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].starts_with("/o/export.json:2: skipped OTLP line"));
        // A pretty-printed document.
        let v: serde_json::Value = serde_json::from_str(&rec("c")).unwrap();
        let r = read(p, &serde_json::to_string_pretty(&v).unwrap());
        assert_eq!(r.decisions.len(), 1);
        assert!(r.warnings.is_empty());
        // Not OTLP at all.
        let r = read(p, "{\"resourceLogs\":\n[1]}");
        assert!(r.decisions.is_empty());
        assert_eq!(
            r.warnings,
            [
                "/o/export.json:2:2: not OTLP JSON, the rest of the file is skipped: invalid type: integer `1`, expected struct ResourceLogs"
            ]
        );
    }
}
