//! The tool-call table as polars DataFrames (one row per call, and one row per command key),
//! and the file formats they are written in.
//!
//! `permstat export` writes them as they are, so a reader can re-derive any report figure
//! with their own tools: the report counts the same rows as it reads them, and a test
//! checks that polars group-bys over these frames give its numbers. `docs/export.md`
//! documents every column; the names and types are a stable interface.
//!
//! A folder export ([`write_partitions`]) splits the calls hive-style by developer and
//! month, one Parquet file per partition named after a hash of its bytes, so that folders
//! exported on several machines or days merge by copying.

use super::input_text;
use crate::analysis::evidence::InferredMode;
use crate::analysis::{Gate, Known};
use crate::event::ToolCall;
use crate::text::anon;
use crate::text::redact::Redactor;
use crate::text::time::day_of;
use polars::prelude::*;
use std::borrow::Cow;

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
    "developer",
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
pub fn calls_frame<'a>(rows: &'a [Row<'a>], redactor: Redactor) -> PolarsResult<DataFrame> {
    // Columns borrow from the calls: polars copies the bytes once into its own buffers.
    fn strs<'a>(rows: &'a [Row<'a>], f: impl Fn(&'a Row<'a>) -> Option<&'a str>) -> Column {
        Column::new("".into(), rows.iter().map(f).collect::<Vec<Option<&str>>>())
    }
    fn ints<'a>(rows: &'a [Row<'a>], f: impl Fn(&'a Row<'a>) -> Option<i64>) -> Column {
        Column::new("".into(), rows.iter().map(f).collect::<Vec<Option<i64>>>())
    }
    // Under --anonymize the columns that can hold names and paths are anonymized.
    let anon = anon::current();
    let hide = |s: Option<&'a str>| -> Option<Cow<'a, str>> {
        let s = s?;
        Some(match &anon {
            Some(a) => Cow::Owned(a.text(s).into_owned()),
            None => Cow::Borrowed(s),
        })
    };
    let commands: Vec<Option<Cow<'_, str>>> = rows
        .iter()
        .map(|r| {
            let text = redactor.redact(input_text(&r.call.input)?);
            match &anon {
                Some(a) => Some(Cow::Owned(a.text(&text).into_owned())),
                None => Some(text),
            }
        })
        .collect();
    let projects: Vec<Option<Cow<'_, str>>> = rows
        .iter()
        .map(|r| hide(r.call.project.as_deref()))
        .collect();
    let developers: Vec<Option<Cow<'_, str>>> = rows
        .iter()
        .map(|r| hide(r.call.developer.as_deref()))
        .collect();
    let cows = |v: &[Option<Cow<'_, str>>]| {
        Column::new(
            "".into(),
            v.iter().map(|c| c.as_deref()).collect::<Vec<_>>(),
        )
    };
    let days = days(rows);
    let columns = vec![
        strs(rows, |r| Some(&r.call.id)),
        strs(rows, |r| Some(&r.call.session_id)),
        cows(&projects),
        strs(rows, |r| r.call.agent_id.as_deref()),
        strs(rows, |r| Some(&r.call.tool)),
        cows(&commands),
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
        cows(&developers),
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
    let anon = anon::current();
    let hide = |s: &str| -> String {
        match &anon {
            Some(a) => a.text(s).into_owned(),
            None => s.to_string(),
        }
    };
    let mut key: Vec<String> = Vec::new();
    let mut id: Vec<&str> = Vec::new();
    let mut session: Vec<&str> = Vec::new();
    let mut project: Vec<Option<String>> = Vec::new();
    let mut answer: Vec<&str> = Vec::new();
    let mut basis: Vec<&str> = Vec::new();
    let mut developer: Vec<Option<String>> = Vec::new();
    for r in rows {
        for (k, prompted) in &r.keys {
            key.push(hide(k));
            id.push(&r.call.id);
            session.push(&r.call.session_id);
            project.push(r.call.project.as_deref().map(hide));
            answer.push(r.known.key_answer(*prompted).as_str());
            basis.push(r.known.basis.as_str());
            developer.push(r.call.developer.as_deref().map(hide));
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
            Column::new("developer".into(), developer),
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

/// The partition value Hive and Spark write for a missing value (a call with no time).
pub const HIVE_NULL: &str = "__HIVE_DEFAULT_PARTITION__";

/// A value as a hive partition folder name holds it: characters other than ASCII letters,
/// digits, `.`, `_` and `-` percent-encoded (as Hive writes them), so a name cannot make
/// another folder level.
pub fn partition_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() || out.chars().all(|c| c == '.') {
        return HIVE_NULL.to_string();
    }
    out
}

/// The UTC month (`YYYY-MM`) of a time in ms since the epoch.
fn month_of(ms: Option<i64>) -> Option<String> {
    day_of(ms?).map(|d| d[..7].to_string())
}

/// What [`write_partitions`] wrote.
#[derive(Debug, Default)]
pub struct Partitioned {
    /// The files written (or found already there with the same bytes).
    pub files: Vec<std::path::PathBuf>,
    /// Rows written.
    pub rows: usize,
}

/// Writes the calls frame of `rows` under `dir`, partitioned hive-style:
/// `developer=<name>/month=<YYYY-MM>/part-<hash>.parquet`, one file per partition, named
/// after the SHA-256 of its bytes (so the same rows exported twice give the same file, and
/// folders from several machines or days merge by copying). The partition columns are in
/// the folder names only, as Hive and Spark expect. Calls with no developer go under
/// `default_developer`; calls with no time under [`HIVE_NULL`]. Each file is written
/// beside its final name and renamed, so a failed export leaves no half file.
pub fn write_partitions(
    rows: &mut [Row<'_>],
    dir: &std::path::Path,
    default_developer: &str,
    redactor: Redactor,
) -> anyhow::Result<Partitioned> {
    use anyhow::Context;
    use sha2::Digest;
    use std::io::Write;
    let anon = anon::current();
    let developer_of = |r: &Row<'_>| -> String {
        let name = r.call.developer.as_deref().unwrap_or(default_developer);
        match &anon {
            Some(a) => partition_value(&a.text(name)),
            None => partition_value(name),
        }
    };
    rows.sort_by_cached_key(|r| (developer_of(r), month_of(r.call.asked_ms)));
    let mut out = Partitioned::default();
    let mut start = 0;
    while start < rows.len() {
        let key = (
            developer_of(&rows[start]),
            month_of(rows[start].call.asked_ms),
        );
        let end = start
            + rows[start..]
                .iter()
                .take_while(|r| (developer_of(r), month_of(r.call.asked_ms)) == key)
                .count();
        let part = &rows[start..end];
        let mut df = calls_frame(part, redactor)?.drop("developer")?;
        let mut bytes: Vec<u8> = Vec::new();
        ParquetWriter::new(&mut bytes).finish(&mut df)?;
        let hash = sha2::Sha256::digest(&bytes);
        let name: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
        let folder = dir
            .join(format!("developer={}", key.0))
            .join(format!("month={}", key.1.as_deref().unwrap_or(HIVE_NULL)));
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let file = folder.join(format!("part-{name}.parquet"));
        let mut tmp = tempfile::NamedTempFile::new_in(&folder)
            .with_context(|| format!("cannot write in {}", folder.display()))?;
        tmp.as_file_mut().write_all(&bytes)?;
        tmp.persist(&file)
            .with_context(|| format!("cannot write {}", file.display()))?;
        out.files.push(file);
        out.rows += part.len();
        start = end;
    }
    Ok(out)
}
