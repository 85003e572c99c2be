//! Tables of text: the one path every command's tables are rendered by. A command fills a
//! [`TableData`] (or titled [`Section`]s), saying what each column holds ([`ColumnKind`]), and
//! the table is written in the [`Style`] asked for: a terminal table or Markdown.
//!
//! A table cut to its first rows says so under it ("15 of 219 commands shown"), and may end
//! with a totals row. Terminal tables are as wide as `COLUMNS`, else the terminal, else
//! [`DEFAULT_WIDTH`] (a file, a pipe, or a terminal that reports no size).

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use std::fmt::Write as _;
use std::sync::OnceLock;

/// Width of terminal tables when neither `COLUMNS` nor the terminal tells one (output to a
/// file or a pipe, or a terminal of size 0x0 as under `script -qc`).
pub const DEFAULT_WIDTH: u16 = 120;

/// Narrowest width a table is drawn at: below it a `COLUMNS` or a terminal size is taken
/// for a mistake (a width of 0 would leave one character per column).
pub const MIN_WIDTH: u16 = 40;

/// The width terminal tables are drawn at: `COLUMNS` when it holds a number of at least
/// [`MIN_WIDTH`], else the terminal's width when stdout is a terminal that reports one of at
/// least that, else [`DEFAULT_WIDTH`].
pub fn pick_width(columns: Option<&str>, terminal: Option<u16>) -> u16 {
    let usable = |w: u16| (w >= MIN_WIDTH).then_some(w);
    columns
        .and_then(|c| c.trim().parse::<u16>().ok())
        .and_then(usable)
        .or_else(|| terminal.and_then(usable))
        .unwrap_or(DEFAULT_WIDTH)
}

/// The width of this run's terminal tables ([`pick_width`]), looked up once.
fn text_width() -> u16 {
    static WIDTH: OnceLock<u16> = OnceLock::new();
    *WIDTH.get_or_init(|| {
        let probe = Table::new();
        // `width()` of a table with none set is the terminal's, when stdout is one.
        let terminal = probe.is_tty().then(|| probe.width()).flatten();
        pick_width(std::env::var("COLUMNS").ok().as_deref(), terminal)
    })
}

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
    /// Rows before [`TableData::cut`], and what a row is ("commands"), when it cut some.
    cut: Option<(usize, &'static str)>,
    /// A last row of totals, set apart from the others.
    total: Option<Vec<String>>,
}

impl TableData {
    /// An empty table with these columns (name and kind, in order).
    pub fn new(columns: &[(&'static str, ColumnKind)]) -> Self {
        TableData {
            columns: columns.to_vec(),
            rows: Vec::new(),
            separator: Separator::Aligned,
            cut: None,
            total: None,
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

    /// Keeps the first `top` rows; when that leaves some out, the table says under it how
    /// many of how many `what` ("commands") it shows.
    pub fn cut(self, top: usize, what: &'static str) -> Self {
        let n = self.rows.len();
        self.cut_of(top, n, what)
    }

    /// Keeps at most `top` rows of a table whose rows are the first of `total`, saying so
    /// like [`TableData::cut`] when it shows fewer than `total`.
    pub fn cut_of(mut self, top: usize, total: usize, what: &'static str) -> Self {
        self.rows.truncate(top);
        if total > self.rows.len() {
            self.cut = Some((total, what));
        }
        self
    }

    /// Keeps the last `top` rows (the most recent, in a table over time), saying so like
    /// [`TableData::cut`].
    pub fn cut_last(mut self, top: usize, what: &'static str) -> Self {
        let n = self.rows.len();
        if n > top {
            self.rows.drain(..n - top);
            self.cut = Some((n, what));
        }
        self
    }

    /// The same table ending with a row of totals (one cell per column; over every row,
    /// also those a cut left out).
    pub fn with_total(mut self, row: Vec<String>) -> Self {
        self.total = Some(row);
        self
    }

    /// The totals row, if any.
    pub fn total(&self) -> Option<&[String]> {
        self.total.as_deref()
    }

    /// "15 of 219 commands shown (--format json lists all)" when rows were cut.
    pub fn cut_note(&self) -> Option<String> {
        self.cut.map(|(n, what)| {
            format!(
                "{} of {n} {what} shown (--format json lists all)",
                self.rows.len()
            )
        })
    }

    /// Adds a row (one cell per column).
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Inserts a column before column `at` (at the end when `at` is past it), one cell per
    /// row (missing cells are empty; the totals row's is empty too).
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
        if let Some(t) = &mut self.total {
            t.insert(at.min(t.len()), String::new());
        }
    }

    /// Sets the cell of column `at` (the last one when `at` is past it) of the totals row,
    /// when there is one.
    pub fn set_total_cell(&mut self, at: usize, cell: String) {
        if let Some(t) = &mut self.total
            && let Some(c) = t.get_mut(at.min(self.columns.len().saturating_sub(1)))
        {
            *c = cell;
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
                for r in rows.iter().chain(&self.total) {
                    t.add_row(r.iter().enumerate().map(|(i, c)| match self.kind(i) {
                        ColumnKind::Number => num(c),
                        ColumnKind::Text | ColumnKind::Code | ColumnKind::Lines => Cell::new(c),
                    }));
                }
                let _ = writeln!(out, "{t}");
                if let Some(note) = self.cut_note() {
                    let _ = writeln!(out, "{note}");
                }
            }
            Style::Markdown => {
                // A table needs a blank line before it, or it would continue a paragraph.
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
                }
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
                if let Some(r) = &self.total {
                    let cells: Vec<String> = r
                        .iter()
                        .map(|c| match c.is_empty() {
                            true => String::new(),
                            false => format!("**{}**", markdown_cell(c, ColumnKind::Text)),
                        })
                        .collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                if let Some(note) = self.cut_note() {
                    let _ = writeln!(out, "\n_{note}_");
                }
            }
        }
    }
}

/// One cell as Markdown: `|` escaped (it would end the cell), code in a code span, lines
/// joined (a table row is one line: a line break in a command is shown as `⏎`).
fn markdown_cell(c: &str, kind: ColumnKind) -> String {
    let one_line = |s: &str, sep: &str| {
        s.replace("\r\n", "\n")
            .replace(['\r', '\n'], sep)
            .replace('|', "\\|")
    };
    match kind {
        ColumnKind::Text | ColumnKind::Number => one_line(c, " "),
        ColumnKind::Code => {
            let code = one_line(c, " ⏎ ");
            // A code span holding backticks is opened and closed with more of them.
            let mut ticks = 1;
            while code.contains(&"`".repeat(ticks)) {
                ticks += 1;
            }
            let fence = "`".repeat(ticks);
            match ticks {
                1 if !code.is_empty() => format!("`{code}`"),
                1 => String::new(),
                _ => format!("{fence} {code} {fence}"),
            }
        }
        ColumnKind::Lines => one_line(c, "; "),
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

/// A new terminal table with the house style: UTF-8 borders, wrapped to [`text_width`].
fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(text_width())
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
    fn markdown_cells_stay_on_one_line() {
        assert_eq!(
            markdown_cell("for f in *; do\n  rm $f\ndone | x", ColumnKind::Code),
            "`for f in *; do ⏎   rm $f ⏎ done \\| x`"
        );
        assert_eq!(
            markdown_cell("echo `date`", ColumnKind::Code),
            "`` echo `date` ``"
        );
        assert_eq!(markdown_cell("", ColumnKind::Code), "");
        assert_eq!(markdown_cell("a\r\nb", ColumnKind::Text), "a b");
        let mut md = String::from("A paragraph.\n");
        TableData::figures(&["k"]).write(&mut md, Style::Markdown);
        assert!(md.starts_with("A paragraph.\n\n| k |"), "{md}");
    }

    #[test]
    fn width_from_columns_else_terminal_else_default() {
        assert_eq!(pick_width(Some("90"), Some(200)), 90);
        assert_eq!(pick_width(None, Some(200)), 200);
        assert_eq!(pick_width(Some("junk"), Some(70)), 70);
        // A 0x0 terminal (`script -qc`) and a pipe get the default, not one character per
        // column.
        assert_eq!(pick_width(None, Some(0)), DEFAULT_WIDTH);
        assert_eq!(pick_width(Some("0"), None), DEFAULT_WIDTH);
        assert_eq!(pick_width(None, None), DEFAULT_WIDTH);
    }

    #[test]
    fn long_cells_wrap_to_the_width() {
        let long = "x ".repeat(400);
        let t = TableData::figures(&["command", "calls"])
            .with_rows(vec![vec![long.clone(), "1".into()]]);
        let mut out = String::new();
        t.write(&mut out, Style::Terminal);
        let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= usize::from(text_width()), "{widest}");
        assert!(widest >= usize::from(MIN_WIDTH), "{widest}");
    }

    #[test]
    fn a_cut_table_says_so_and_totals_come_last() {
        let rows: Vec<Vec<String>> = (0..5).map(|i| vec![format!("k{i}"), "1".into()]).collect();
        let t = TableData::figures(&["key", "n"])
            .with_rows(rows)
            .cut(2, "keys")
            .with_total(vec!["total".into(), "5".into()]);
        let mut md = String::new();
        t.write(&mut md, Style::Markdown);
        assert_eq!(
            md,
            "| key | n |\n|---|---:|\n| k0 | 1 |\n| k1 | 1 |\n| **total** | **5** |\n\n\
             _2 of 5 keys shown (--format json lists all)_\n"
        );
        let mut text = String::new();
        t.write(&mut text, Style::Terminal);
        assert!(text.ends_with("2 of 5 keys shown (--format json lists all)\n"));
        let uncut = TableData::figures(&["key"]).cut(2, "keys");
        assert_eq!(uncut.cut_note(), None);
        let rows: Vec<Vec<String>> = (0..5).map(|i| vec![format!("d{i}")]).collect();
        let last = TableData::figures(&["day"])
            .with_rows(rows)
            .cut_last(2, "days");
        assert_eq!(
            last.rows(),
            [vec!["d3".to_string()], vec!["d4".to_string()]]
        );
        assert_eq!(
            last.cut_note().as_deref(),
            Some("2 of 5 days shown (--format json lists all)")
        );
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
