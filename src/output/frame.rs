//! The tool-call table as polars DataFrames (one row per call, and one row per command key),
//! and the file formats they are written in.
//!
//! `permstat export` writes them as they are, so a reader can re-derive any report figure
//! with their own tools: the report counts the same rows as it reads them, and a test
//! checks that polars group-bys over these frames give its numbers.

use super::input_text;
use crate::analysis::evidence::InferredMode;
use crate::analysis::{Gate, Known};
use crate::event::ToolCall;
use crate::text::redact::Redactor;
use crate::text::time::day_of;
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
    "basis",
    "evidence",
    "window_ms",
    "mode_used",
    "mode_inferred",
];

/// One call with what the replay and the analyses concluded about it.
pub struct Row<'a> {
    /// The call.
    pub call: &'a ToolCall,
    /// The replay's verdict.
    pub gate: Gate,
    /// What it meant for the person, and how that is known.
    pub known: Known,
    /// The mode inferred for it, where none was recorded.
    pub inferred_mode: Option<InferredMode>,
    /// Its command keys (`git diff`, `Read (in project)`, ...), each with whether that part
    /// needed a prompt by itself.
    pub keys: Vec<(String, bool)>,
}

/// The UTC day of each call, formatted once per distinct day.
fn days(rows: &[Row<'_>]) -> Vec<Option<std::rc::Rc<str>>> {
    let mut seen: rustc_hash::FxHashMap<i64, std::rc::Rc<str>> = Default::default();
    rows.iter()
        .map(|r| {
            let ms = r.call.asked_ms?;
            let d = ms.div_euclid(86_400_000);
            if let Some(s) = seen.get(&d) {
                return Some(s.clone());
            }
            let s: std::rc::Rc<str> = day_of(ms)?.into();
            seen.insert(d, s.clone());
            Some(s)
        })
        .collect()
}

/// One row per call. Command text is redacted by `redactor`.
pub fn calls_frame(rows: &[Row<'_>], redactor: Redactor) -> PolarsResult<DataFrame> {
    // Columns borrow from the calls: polars copies the bytes once into its own buffers.
    fn strs<'a>(rows: &'a [Row<'a>], f: impl Fn(&'a Row<'a>) -> Option<&'a str>) -> Column {
        Column::new("".into(), rows.iter().map(f).collect::<Vec<Option<&str>>>())
    }
    fn ints<'a>(rows: &'a [Row<'a>], f: impl Fn(&'a Row<'a>) -> Option<i64>) -> Column {
        Column::new("".into(), rows.iter().map(f).collect::<Vec<Option<i64>>>())
    }
    let commands: Vec<Option<std::borrow::Cow<'_, str>>> = rows
        .iter()
        .map(|r| Some(redactor.redact(input_text(&r.call.input)?)))
        .collect();
    let days = days(rows);
    let columns = vec![
        strs(rows, |r| Some(&r.call.id)),
        strs(rows, |r| Some(&r.call.session_id)),
        strs(rows, |r| r.call.project.as_deref()),
        strs(rows, |r| r.call.agent_id.as_deref()),
        strs(rows, |r| Some(&r.call.tool)),
        Column::new(
            "".into(),
            commands.iter().map(|c| c.as_deref()).collect::<Vec<_>>(),
        ),
        strs(rows, |r| Some(r.call.outcome.as_str())),
        strs(rows, |r| Some(r.gate.as_str())),
        strs(rows, |r| Some(r.known.answer.as_str())),
        ints(rows, |r| r.call.asked_ms),
        ints(rows, |r| r.call.answered_ms),
        ints(rows, |r| r.call.gap_ms()),
        Column::new(
            "".into(),
            days.iter().map(|d| d.as_deref()).collect::<Vec<_>>(),
        ),
        strs(rows, |r| r.call.mode.as_ref().map(|m| m.as_str())),
        strs(rows, |r| r.call.version.as_deref()),
        strs(rows, |r| Some(r.known.basis.as_str())),
        strs(rows, |r| Some(r.known.ground.as_str())),
        ints(rows, |r| r.known.window_ms),
        strs(rows, |r| match r.inferred_mode {
            Some(m) => Some(m.as_str()),
            None => r.call.mode.as_ref().map(|m| m.as_str()),
        }),
        Column::new(
            "".into(),
            rows.iter()
                .map(|r| r.inferred_mode.is_some())
                .collect::<Vec<bool>>(),
        ),
    ];
    let columns = columns
        .into_iter()
        .zip(CALL_COLUMNS)
        .map(|(c, name)| c.with_name((*name).into()))
        .collect();
    DataFrame::new(rows.len(), columns)
}

/// One row per command key of each call (a compound command has several), with the
/// call's session, project, answer and basis. A part that needed no prompt by itself
/// (`tail` in `cargo test | tail`) is not charged with the call's approval or rejection:
/// its row says `auto_allowed` ([`Known::key_answer`]).
pub fn keys_frame(rows: &[Row<'_>]) -> PolarsResult<DataFrame> {
    let mut key: Vec<&str> = Vec::new();
    let mut id: Vec<&str> = Vec::new();
    let mut session: Vec<&str> = Vec::new();
    let mut project: Vec<Option<&str>> = Vec::new();
    let mut answer: Vec<&str> = Vec::new();
    let mut basis: Vec<&str> = Vec::new();
    for r in rows {
        for (k, prompted) in &r.keys {
            key.push(k);
            id.push(&r.call.id);
            session.push(&r.call.session_id);
            project.push(r.call.project.as_deref());
            answer.push(r.known.key_answer(*prompted).as_str());
            basis.push(r.known.basis.as_str());
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
            Column::new("basis".into(), basis),
        ],
    )
}

/// File formats of `permstat export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Apache Parquet.
    Parquet,
    /// Comma-separated values with a header row.
    Csv,
}

impl ExportFormat {
    /// The format a file name's extension says (`.parquet`, `.pq`, `.csv`), if any.
    pub fn of_path(path: &std::path::Path) -> Option<ExportFormat> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("parquet") | Some("pq") => Some(ExportFormat::Parquet),
            Some("csv") => Some(ExportFormat::Csv),
            _ => None,
        }
    }
}

/// Writes a frame to `file` in `format`.
pub fn write_frame(
    df: &mut DataFrame,
    format: ExportFormat,
    file: &mut std::fs::File,
) -> PolarsResult<()> {
    match format {
        ExportFormat::Parquet => {
            ParquetWriter::new(file).finish(df)?;
        }
        ExportFormat::Csv => {
            CsvWriter::new(file).finish(df)?;
        }
    }
    Ok(())
}
