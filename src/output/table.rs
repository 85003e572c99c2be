//! Tables of text: the one path every command's tables are rendered by. A command fills a
//! [`TableData`] (or titled [`Section`]s), saying what each column holds ([`ColumnKind`]), and
//! the table is written in the [`Style`] asked for: a terminal table or Markdown.

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use std::fmt::Write as _;

/// How tables are laid out as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Tables with UTF-8 borders, wrapped to the terminal's width.
    Terminal,
    /// Markdown tables, for pull requests and wikis.
    Markdown,
}

/// What a column holds, which decides how its cells are aligned and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text, left-aligned.
    Text,
    /// A figure: right-aligned in a terminal (and in Markdown, see [`Separator::Aligned`]).
    Number,
    /// Code (a rule, a command part): a code span in Markdown.
    Code,
    /// Several lines: one per line in a terminal, joined with `; ` in Markdown (a table row
    /// is one line).
    Lines,
}

/// How a Markdown table's separator row is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// `|---|---:|`: figure columns right-aligned.
    Aligned,
    /// `|---|---|`: every column left to the Markdown renderer (the report's tables).
    Plain,
}

/// A header and rows of cells, each column of one [`ColumnKind`].
#[derive(Debug, Clone)]
pub struct TableData {
    columns: Vec<(&'static str, ColumnKind)>,
    rows: Vec<Vec<String>>,
    separator: Separator,
}

impl TableData {
    /// An empty table with these columns (name and kind, in order).
    pub fn new(columns: &[(&'static str, ColumnKind)]) -> Self {
        TableData {
            columns: columns.to_vec(),
            rows: Vec::new(),
            separator: Separator::Aligned,
        }
    }

    /// An empty table whose first column names what a row is about and whose other columns
    /// are figures.
    pub fn figures(header: &[&'static str]) -> Self {
        let columns: Vec<(&'static str, ColumnKind)> = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                (
                    *h,
                    if i == 0 {
                        ColumnKind::Text
                    } else {
                        ColumnKind::Number
                    },
                )
            })
            .collect();
        TableData::new(&columns)
    }

    /// The same table with another Markdown separator row.
    pub fn with_separator(mut self, separator: Separator) -> Self {
        self.separator = separator;
        self
    }

    /// The same table with these rows added.
    pub fn with_rows(mut self, rows: Vec<Vec<String>>) -> Self {
        self.rows.extend(rows);
        self
    }

    /// Adds a row (one cell per column).
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Inserts a column before column `at` (at the end when `at` is past it), one cell per
    /// row (missing cells are empty).
    pub fn insert_column(
        &mut self,
        at: usize,
        name: &'static str,
        kind: ColumnKind,
        cells: impl IntoIterator<Item = String>,
    ) {
        let at = at.min(self.columns.len());
        self.columns.insert(at, (name, kind));
        let mut cells = cells.into_iter();
        for r in &mut self.rows {
            r.insert(at.min(r.len()), cells.next().unwrap_or_default());
        }
    }

    /// True when the table has no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The column names, in order.
    pub fn header(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|(name, _)| *name)
    }

    /// The rows, in order.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    fn kind(&self, column: usize) -> ColumnKind {
        self.columns
            .get(column)
            .map_or(ColumnKind::Text, |(_, k)| *k)
    }

    /// Appends the table to `out` in `style`, ending with a newline. Under `--anonymize`
    /// the cells are anonymized before the columns are sized.
    pub fn write(&self, out: &mut String, style: Style) {
        let anonymized: Vec<Vec<String>>;
        let rows = match crate::text::anon::current() {
            Some(a) => {
                anonymized = self
                    .rows
                    .iter()
                    .map(|r| r.iter().map(|c| a.text(c).into_owned()).collect())
                    .collect();
                &anonymized
            }
            None => &self.rows,
        };
        match style {
            Style::Terminal => {
                let header: Vec<&str> = self.header().collect();
                let mut t = new_table(&header);
                for r in rows {
                    t.add_row(r.iter().enumerate().map(|(i, c)| match self.kind(i) {
                        ColumnKind::Number => num(c),
                        ColumnKind::Text | ColumnKind::Code | ColumnKind::Lines => Cell::new(c),
                    }));
                }
                let _ = writeln!(out, "{t}");
            }
            Style::Markdown => {
                let header: Vec<&str> = self.header().collect();
                let _ = write!(out, "| {} |\n|", header.join(" | "));
                for (_, kind) in &self.columns {
                    out.push_str(match (self.separator, kind) {
                        (Separator::Aligned, ColumnKind::Number) => "---:|",
                        (
                            Separator::Aligned,
                            ColumnKind::Text | ColumnKind::Code | ColumnKind::Lines,
                        )
                        | (Separator::Plain, _) => "---|",
                    });
                }
                out.push('\n');
                for r in rows {
                    let cells: Vec<String> = r
                        .iter()
                        .enumerate()
                        .map(|(i, c)| markdown_cell(c, self.kind(i)))
                        .collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
            }
        }
    }
}

/// One cell as Markdown: `|` escaped (it would end the cell), code in a code span, lines
/// joined.
fn markdown_cell(c: &str, kind: ColumnKind) -> String {
    match kind {
        ColumnKind::Text | ColumnKind::Number => c.replace('|', "\\|"),
        ColumnKind::Code => format!("`{}`", c.replace('|', "\\|")),
        ColumnKind::Lines => c.replace('\n', "; ").replace('|', "\\|"),
    }
}

/// A titled table: one part of a longer document (the report, the scan summary).
#[derive(Debug, Clone)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// The table under it.
    pub table: TableData,
}

impl Section {
    /// A section of `table` under `title`.
    pub fn new(title: &str, table: TableData) -> Self {
        Section {
            title: title.to_string(),
            table,
        }
    }
}

/// Appends each section to `out`: its title (a `##` heading in Markdown) and its table,
/// after a blank line.
pub fn write_sections(out: &mut String, sections: &[Section], style: Style) {
    for s in sections {
        match style {
            Style::Terminal => {
                let _ = write!(out, "\n{}\n", s.title);
            }
            Style::Markdown => {
                let _ = write!(out, "\n## {}\n\n", s.title);
            }
        }
        s.table.write(out, style);
    }
}

/// A new terminal table with the house style: UTF-8 borders, wrapped to the terminal.
fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(Cell::new));
    t
}

/// A right-aligned cell, for numbers.
fn num(v: &str) -> Cell {
    Cell::new(v).set_alignment(CellAlignment::Right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_tables_are_tables() {
        let mut t = TableData::new(&[
            ("rule", ColumnKind::Code),
            ("calls", ColumnKind::Number),
            ("why", ColumnKind::Lines),
        ]);
        t.push(vec!["Bash(a|b)".into(), "3".into(), "one\ntwo".into()]);
        let mut md = String::new();
        t.write(&mut md, Style::Markdown);
        assert_eq!(
            md,
            "| rule | calls | why |\n|---|---:|---|\n| `Bash(a\\|b)` | 3 | one; two |\n"
        );
        let plain = TableData::figures(&["key", "n"])
            .with_separator(Separator::Plain)
            .with_rows(vec![vec!["x".into(), "1".into()]]);
        let mut md = String::new();
        write_sections(&mut md, &[Section::new("T", plain)], Style::Markdown);
        assert_eq!(md, "\n## T\n\n| key | n |\n|---|---|\n| x | 1 |\n");
    }

    #[test]
    fn terminal_tables_right_align_figures() {
        let t = TableData::figures(&["key", "calls"]).with_rows(vec![
            vec!["a".into(), "1".into()],
            vec!["b".into(), "100".into()],
        ]);
        let mut out = String::new();
        t.write(&mut out, Style::Terminal);
        assert!(out.contains("│ a   ┆     1 │"), "{out}");
        assert!(out.ends_with("┘\n"), "{out}");
    }
}
