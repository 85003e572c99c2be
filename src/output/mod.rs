//! Rendering results for people and programs: terminal tables, JSON, redaction.

pub mod frame;
pub mod html;

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use std::io::{self, Write};

/// Output formats a command may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

/// A new terminal table with the house style: UTF-8 borders, wrapped to the terminal.
pub fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(Cell::new));
    t
}

/// A right-aligned cell, for numbers.
pub fn num<T: ToString>(v: T) -> Cell {
    Cell::new(v.to_string()).set_alignment(CellAlignment::Right)
}

/// Writes pretty JSON and a newline to stdout; a closed pipe is not an error.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    // Buffered: stdout alone flushes at every newline, a system call per line of JSON.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    ignore_broken_pipe(writeln!(out).and_then(|()| out.flush()))
}

/// Writes text to stdout; a closed pipe (`| head`) is not an error.
pub fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    ignore_broken_pipe(out.write_all(text.as_bytes()))
}

/// Treats a broken pipe as success: the reader stopped listening.
pub fn ignore_broken_pipe(r: io::Result<()>) -> anyhow::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
