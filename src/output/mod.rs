//! Rendering results for people and programs: one printer per command's document, all
//! tables drawn by one path ([`table`]), and the formats a command may offer ([`Format`]).
//!
//! - [`table`]: tables of text (terminal or Markdown), what every printer builds on;
//! - [`html`]: a self-contained HTML page (cards, charts, sortable tables), and [`svg`]:
//!   the charts as inline SVG;
//! - [`report`], [`scan`], [`replay`], [`check`], [`audit`], [`suggest`], [`verify`], [`hook`]:
//!   each command's printer ([`report_page`]: the report's HTML page) (and, where the document is nothing but a view of other results, its
//!   document);
//! - [`frame`]: the tool-call table as polars frames, written as Parquet or CSV by export.
//!
//! A printer matches every [`Format`] exhaustively: a new format must be placed in each
//! one (or refused there) before the code compiles.

pub mod audit;
pub mod check;
pub mod frame;
pub mod hook;
pub mod html;
pub mod replay;
pub mod report;
pub mod report_page;
mod report_team;
pub mod scan;
pub mod suggest;
pub mod svg;
pub mod table;
pub mod verify;

use crate::text::anon;
use std::io::{self, Write};

/// Output formats a command may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables for a terminal.
    Table,
    /// One JSON document (stable field names).
    Json,
    /// Markdown, for pull requests and wikis.
    Md,
    /// A self-contained HTML page (report only).
    Html,
}

/// The error of a command other than `permstat report` asked for `--format html`.
pub fn html_is_report_only() -> anyhow::Result<()> {
    anyhow::bail!("--format html is offered by `permstat report`")
}

/// The snake_case name a value serializes to (finding kinds, reasons).
pub fn snake_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// Writes pretty JSON and a newline to stdout; a closed pipe is not an error. Under
/// `--anonymize` every string and key is anonymized first ([`crate::text::anon`]).
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    // Buffered: stdout alone flushes at every newline, a system call per line of JSON.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match anon::current() {
        Some(a) => {
            let mut v = serde_json::to_value(value)?;
            a.json(&mut v);
            serde_json::to_writer_pretty(&mut out, &v)?;
        }
        None => serde_json::to_writer_pretty(&mut out, value)?,
    }
    ignore_broken_pipe(writeln!(out).and_then(|()| out.flush()))
}

/// Writes each value as one line of JSON to stdout (buffered); a closed pipe is not an
/// error. Anonymized like [`print_json`].
pub fn print_json_lines<T: serde::Serialize>(
    values: impl IntoIterator<Item = T>,
) -> anyhow::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let anon = anon::current();
    for v in values {
        let r = match &anon {
            Some(a) => serde_json::to_value(&v).and_then(|mut v| {
                a.json(&mut v);
                serde_json::to_writer(&mut out, &v)
            }),
            None => serde_json::to_writer(&mut out, &v),
        }
        .map_err(io::Error::from)
        .and_then(|_| out.write_all(b"\n"));
        ignore_broken_pipe(r)?;
    }
    ignore_broken_pipe(out.flush())
}

/// The text of a call's input that its rules look at: the command, else the path, the URL,
/// the subagent type or the skill.
pub fn input_text(i: &crate::event::ToolInput) -> Option<&str> {
    i.command
        .as_deref()
        .or(i.path.as_deref())
        .or(i.url.as_deref())
        .or(i.subagent_type.as_deref())
        .or(i.skill.as_deref())
}

/// Writes text to stdout; a closed pipe (`| head`) is not an error. Under `--anonymize`
/// the text is anonymized (table cells already are, before their columns are sized).
pub fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    ignore_broken_pipe(out.write_all(anon::apply(text).as_bytes()))
}

/// Treats a broken pipe as success: the reader stopped listening.
pub fn ignore_broken_pipe(r: io::Result<()>) -> anyhow::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
