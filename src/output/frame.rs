//! The tool-call table as polars DataFrames: one row per call, and one row per command key.
//!
//! Every figure of the report is derived from these two frames, and the exports write them
//! as they are, so a reader can re-derive any number with their own tools.

use crate::analysis::{Answer, Gate};
use crate::event::ToolCall;
use crate::output::redact::Redactor;
use polars::prelude::*;

/// Column names of the calls frame, in order.
pub const CALL_COLUMNS: &[&str] = &[
    "id",
    "session_id",
    "project",
    "agent_id",
    "tool",
    "command",
    "outcome",
    "gate",
    "answer",
    "asked_ms",
    "answered_ms",
    "gap_ms",
    "day",
    "mode",
    "version",
];

/// One call with what the replay and the analyses concluded about it.
pub struct Row<'a> {
    /// The call.
    pub call: &'a ToolCall,
    /// The replay's verdict.
    pub gate: Gate,
    /// What it meant for the person.
    pub answer: Answer,
    /// Its command keys (`git diff`, `Read (in project)`, ...), each with whether that part
    /// needed a prompt by itself.
    pub keys: Vec<(String, bool)>,
}

/// The UTC day (`YYYY-MM-DD`) of a time in ms.
pub fn day_of(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d").to_string())
}

/// One row per call. Command text is redacted by `redactor`.
pub fn calls_frame(rows: &[Row<'_>], redactor: Redactor) -> PolarsResult<DataFrame> {
    let s = |f: &dyn Fn(&Row<'_>) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(f).collect()
    };
    let i =
        |f: &dyn Fn(&Row<'_>) -> Option<i64>| -> Vec<Option<i64>> { rows.iter().map(f).collect() };
    let columns = vec![
        Column::new("id".into(), s(&|r| Some(r.call.id.clone()))),
        Column::new(
            "session_id".into(),
            s(&|r| Some(r.call.session_id.to_string())),
        ),
        Column::new(
            "project".into(),
            s(&|r| r.call.project.as_deref().map(String::from)),
        ),
        Column::new(
            "agent_id".into(),
            s(&|r| r.call.agent_id.as_deref().map(String::from)),
        ),
        Column::new("tool".into(), s(&|r| Some(r.call.tool.clone()))),
        Column::new(
            "command".into(),
            s(&|r| {
                let c = &r.call.input;
                let text = c
                    .command
                    .as_deref()
                    .or(c.path.as_deref())
                    .or(c.url.as_deref())
                    .or(c.subagent_type.as_deref())
                    .or(c.skill.as_deref())?;
                Some(redactor.redact(text).into_owned())
            }),
        ),
        Column::new(
            "outcome".into(),
            s(&|r| Some(r.call.outcome.as_str().to_string())),
        ),
        Column::new("gate".into(), s(&|r| Some(r.gate.as_str().to_string()))),
        Column::new("answer".into(), s(&|r| Some(r.answer.as_str().to_string()))),
        Column::new("asked_ms".into(), i(&|r| r.call.asked_ms)),
        Column::new("answered_ms".into(), i(&|r| r.call.answered_ms)),
        Column::new("gap_ms".into(), i(&|r| r.call.gap_ms())),
        Column::new("day".into(), s(&|r| r.call.asked_ms.and_then(day_of))),
        Column::new(
            "mode".into(),
            s(&|r| r.call.mode.as_ref().map(|m| m.as_str().to_string())),
        ),
        Column::new(
            "version".into(),
            s(&|r| r.call.version.as_deref().map(String::from)),
        ),
    ];
    DataFrame::new(rows.len(), columns)
}

/// One row per command key of each call (a compound command has several), with the
/// call's session, project and answer. A part that needed no prompt by itself (`tail` in
/// `cargo test | tail`) is not charged with the call's approval or rejection: its row says
/// `auto_allowed`.
pub fn keys_frame(rows: &[Row<'_>]) -> PolarsResult<DataFrame> {
    let mut key = Vec::new();
    let mut id = Vec::new();
    let mut session = Vec::new();
    let mut project = Vec::new();
    let mut answer = Vec::new();
    for r in rows {
        for (k, prompted) in &r.keys {
            key.push(k.clone());
            id.push(r.call.id.clone());
            session.push(r.call.session_id.to_string());
            project.push(r.call.project.as_deref().map(String::from));
            let a = if !prompted && r.answer.is_prompt() {
                Answer::AutoAllowed
            } else {
                r.answer
            };
            answer.push(a.as_str().to_string());
        }
    }
    let n = key.len();
    DataFrame::new(
        n,
        vec![
            Column::new("key".into(), key),
            Column::new("id".into(), id),
            Column::new("session_id".into(), session),
            Column::new("project".into(), project),
            Column::new("answer".into(), answer),
        ],
    )
}
