//! The audit printer: every loaded rule, its use and its findings ([`Audit`]) as a terminal
//! table, Markdown or JSON.

use super::table::{ColumnKind, Style, TableData};
use super::{Format, html_is_report_only, print_json, print_text, snake_name};
use crate::suggest::{Audit, Problem, RuleAudit};
use std::fmt::Write as _;

/// Prints the audit in `format` to stdout.
pub fn print(a: &Audit, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(a),
        Format::Table => print_text(&render(a, Style::Terminal)),
        Format::Md => print_text(&render(a, Style::Markdown)),
        Format::Html => html_is_report_only(),
    }
}

/// `file:line` (or the file alone).
fn place(p: &Problem) -> String {
    match p.line {
        Some(n) => format!("{}:{n}", p.file.display()),
        None => p.file.display().to_string(),
    }
}

/// The settings that could not be read, one row each.
fn problems(s: &mut String, a: &Audit, style: Style) {
    if a.problems.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "Settings that could not be read ({}): their rules were not audited.",
        a.problems.len()
    );
    let mut t = TableData::new(&[
        ("file", ColumnKind::Text),
        ("problem", ColumnKind::Text),
        ("rule", ColumnKind::Code),
        ("detail", ColumnKind::Text),
    ]);
    for p in &a.problems {
        t.push(vec![
            place(p),
            p.kind.to_string(),
            p.rule.clone().unwrap_or_default(),
            p.detail.clone(),
        ]);
    }
    t.write(s, style);
    s.push('\n');
}

/// The audit as text: the settings that could not be read, one row per rule, then the
/// totals.
pub fn render(a: &Audit, style: Style) -> String {
    let mut s = String::new();
    problems(&mut s, a, style);
    if a.rules.is_empty() {
        s.push_str("No permission rules found in the loaded settings.\n");
        return s;
    }
    let mut t = TableData::new(&[
        ("rule", ColumnKind::Code),
        ("list", ColumnKind::Text),
        ("kind", ColumnKind::Text),
        ("level", ColumnKind::Text),
        ("allowed", ColumnKind::Number),
        ("denied", ColumnKind::Number),
        ("asked", ColumnKind::Number),
        ("findings", ColumnKind::Lines),
    ]);
    for r in &a.rules {
        t.push(vec![
            r.text.clone(),
            r.kind.to_string(),
            r.class.map_or("-", |c| c.label()).to_string(),
            r.source.to_string(),
            r.allowed.to_string(),
            r.denied.to_string(),
            r.asked.to_string(),
            findings(r),
        ]);
    }
    t.write(&mut s, style);
    let m = &a.summary;
    let _ = writeln!(
        s,
        "\n{} rules over {} calls: {} with findings ({} dangerous, {} run project code, {} stale, {} subsumed, {} never match, {} shadowed, {} carry a secret); {} settings problem(s).",
        m.rules,
        m.calls,
        m.with_findings,
        m.dangerous,
        m.runs_project_code,
        m.stale,
        m.subsumed,
        m.never_matches,
        m.shadowed,
        m.secret,
        m.problems
    );
    s
}

/// A rule's findings, one line each: `kind: detail`.
fn findings(r: &RuleAudit) -> String {
    r.findings
        .iter()
        .map(|f| format!("{}: {}", snake_name(&f.kind), f.detail))
        .collect::<Vec<_>>()
        .join("\n")
}
