//! The verify printers: the `--explain` document, the run check (terminal, Markdown, JSON and
//! JUnit XML), and the canary's plan and check. Text read from transcripts (inputs, and the
//! engine's reasons, which quote them) is redacted here.

use super::table::{ColumnKind, Section, Style, TableData, write_sections};
use super::{Format, html_is_report_only, input_text, print_json, print_text};
use crate::event::ToolCall;
use crate::text::redact::Redactor;
use crate::text::time::iso;
use crate::verify::canary::{CanaryPlan, CanaryResult, shell_line};
use crate::verify::explain::{Explanation, Gap};
use crate::verify::run::{Finding, RunCheck};
use serde::Serialize;
use std::fmt::Write as _;

/// Rows listed per table in text output (JSON lists everything).
const LISTED: usize = 20;

/// `n` and the word, in the plural unless `n` is 1 (`word` + "s", or `plural` when given).
fn count(n: usize, word: &str) -> String {
    match (n, word) {
        (1, w) => format!("1 {w}"),
        (n, "enforcement seen") => format!("{n} enforcements seen"),
        (n, w) => format!("{n} {w}s"),
    }
}

/// Prints the `--explain` document.
pub fn print_explain(e: &Explanation, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(e),
        Format::Table => print_text(&render_explain(e, Style::Terminal)),
        Format::Md => print_text(&render_explain(e, Style::Markdown)),
        Format::Html => html_is_report_only(),
    }
}

fn render_explain(e: &Explanation, style: Style) -> String {
    let mut s = String::new();
    if !e.command.is_empty() {
        let _ = writeln!(s, "Boundary of: {}", shell_line(&e.command));
    }
    let who = match (&e.prompt_tool, e.headless, e.headless_assumed) {
        (Some(t), _, _) => format!("prompts go to --permission-prompt-tool {t}"),
        (None, true, false) => "headless (-p): a prompt nobody answers is a denial".into(),
        (None, true, true) => "headless (-p assumed): a prompt nobody answers is a denial".into(),
        (None, false, _) => "interactive: a person answers prompts".into(),
    };
    let _ = writeln!(s, "Mode: {} (from {}); {who}.", e.mode, e.mode_from);
    let tools = match &e.tools.only {
        None => "every built-in tool, and the MCP servers' tools".to_string(),
        Some(t) if t.is_empty() => "none (--tools \"\")".into(),
        Some(t) => format!("only {} (--tools)", t.join(", ")),
    };
    let _ = write!(s, "Tools: {tools}");
    if !e.tools.removed.is_empty() {
        let _ = write!(s, "; removed by deny rules: {}", e.tools.removed.join(", "));
    }
    s.push_str(".\nRuns without a person:\n");
    for r in &e.runs_unasked {
        let _ = writeln!(s, "  - {r}");
    }
    let _ = writeln!(s, "The rest: {}.", e.prompts);
    let rules = |title: &str, list: &[crate::verify::explain::RuleView]| {
        let mut t = TableData::new(&[
            ("rule", ColumnKind::Code),
            ("from", ColumnKind::Text),
            ("applies", ColumnKind::Text),
            ("note", ColumnKind::Text),
        ]);
        for r in list {
            t.push(vec![
                r.rule.clone(),
                r.from.clone(),
                if r.effective { "yes" } else { "no" }.into(),
                r.note.clone().unwrap_or_default(),
            ]);
        }
        Section::new(title, t)
    };
    let mut sections: Vec<Section> = [
        rules("Deny rules", &e.deny),
        rules("Ask rules", &e.ask),
        rules("Allow rules", &e.allow),
    ]
    .into_iter()
    .filter(|sec| !sec.table.is_empty())
    .collect();
    let mut probes = TableData::new(&[
        ("call", ColumnKind::Code),
        ("what", ColumnKind::Text),
        ("outcome", ColumnKind::Text),
    ]);
    for p in &e.probes {
        probes.push(vec![
            format!("{} {}", p.tool, p.input),
            p.what.into(),
            p.outcome.clone(),
        ]);
    }
    sections.push(Section::new("Sample calls", probes));
    write_sections(&mut s, &sections, style);
    write_gaps(&mut s, &e.gaps);
    write_list(&mut s, "Notes", &e.notes);
    write_list(&mut s, "Warnings", &e.warnings);
    s
}

fn write_gaps(s: &mut String, gaps: &[Gap]) {
    if gaps.is_empty() {
        s.push_str("\nNo gaps found between the flags and what they are believed to do.\n");
        return;
    }
    s.push_str("\nGaps between the flags and what they are believed to do:\n");
    for (i, g) in gaps.iter().enumerate() {
        let _ = writeln!(s, "{}. {}.", i + 1, g.message);
        let _ = writeln!(s, "   Why: {}.", g.reason);
        let _ = writeln!(s, "   Fix: {}.", g.fix);
    }
}

fn write_list(s: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n{title}:");
    for n in items {
        let _ = writeln!(s, "  - {n}");
    }
}

/// The boundary a run check was made against, as printed with it.
#[derive(Debug, Clone, Serialize)]
pub struct BoundaryInfo {
    /// The claude command line read (empty for permstat's own flags).
    pub command: Vec<String>,
    /// The mode.
    pub mode: String,
    /// Where it comes from.
    pub mode_from: String,
    /// Declared allow rules.
    pub allowed: Vec<String>,
    /// Declared deny rules.
    pub disallowed: Vec<String>,
    /// Declared `--tools`.
    pub tools: Option<Vec<String>>,
    /// Sessions checked.
    pub sessions: usize,
    /// How sessions were selected.
    pub selection: String,
}

/// One checked call as printed.
#[derive(Debug, Serialize)]
struct CallView<'a> {
    session: &'a str,
    id: &'a str,
    file: &'a str,
    time: Option<String>,
    tool: &'a str,
    input: Option<String>,
    outcome: &'static str,
    recorded: Option<String>,
    finding: Finding,
    mode: &'a str,
    expected: String,
    why: String,
    rules: &'a [String],
}

/// The run check's JSON document.
#[derive(Debug, Serialize)]
struct RunDoc<'a> {
    passed: bool,
    boundary: &'a BoundaryInfo,
    totals: &'a crate::verify::run::Totals,
    rules: &'a [crate::verify::run::RuleRow],
    calls: Vec<CallView<'a>>,
    gaps: &'a [Gap],
    notes: &'a [String],
}

fn views<'a>(r: &'a RunCheck, calls: &[&'a ToolCall], red: Redactor) -> Vec<CallView<'a>> {
    r.calls
        .iter()
        .map(|c| {
            let call = calls[c.index];
            CallView {
                session: &call.session_id,
                id: &call.id,
                file: &call.file,
                time: call.asked_ms.or(call.answered_ms).map(iso),
                tool: &call.tool,
                input: input_text(&call.input).map(|t| red.redact(t).into_owned()),
                outcome: call.outcome.as_str(),
                recorded: call.recorded.as_ref().map(|d| {
                    let decision = d.decision.as_deref().unwrap_or("?");
                    match &d.detail {
                        Some(x) => format!("{decision} ({x})"),
                        None => decision.to_string(),
                    }
                }),
                finding: c.finding,
                mode: &c.mode,
                expected: red.redact(&c.expected).into_owned(),
                why: red.redact(&c.why).into_owned(),
                rules: &c.rules,
            }
        })
        .collect()
}

/// Prints the run check. `calls` are the calls checked, in the check's order.
pub fn print_run(
    r: &RunCheck,
    b: &BoundaryInfo,
    calls: &[&ToolCall],
    format: Format,
    red: Redactor,
) -> anyhow::Result<()> {
    let doc = RunDoc {
        passed: !r.failed(),
        boundary: b,
        totals: &r.totals,
        rules: &r.rules,
        calls: views(r, calls, red),
        gaps: &r.gaps,
        notes: &r.notes,
    };
    match format {
        Format::Json => print_json(&doc),
        Format::Table => print_text(&render_run(&doc, Style::Terminal)),
        Format::Md => print_text(&render_run(&doc, Style::Markdown)),
        Format::Html => html_is_report_only(),
    }
}

fn render_run(d: &RunDoc<'_>, style: Style) -> String {
    let t = d.totals;
    let b = d.boundary;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} in {} ({}): {}, {}, {} outside the claim, {} within it, {} stopped \
         otherwise, {} unresolved.",
        if d.passed { "PASSED" } else { "FAILED" },
        count(t.calls, "call"),
        count(b.sessions, "session"),
        b.selection,
        count(t.violations, "violation"),
        count(t.enforced, "enforcement seen"),
        t.outside_claim,
        t.within,
        t.stopped_otherwise,
        t.unresolved
    );
    if !b.command.is_empty() {
        let _ = writeln!(s, "Boundary of: {}", shell_line(&b.command));
    }
    let _ = writeln!(s, "Mode: {} (from {}).", b.mode, b.mode_from);
    let mut rules = TableData::new(&[
        ("kind", ColumnKind::Text),
        ("rule", ColumnKind::Code),
        ("calls", ColumnKind::Number),
        ("violations", ColumnKind::Number),
        ("enforced", ColumnKind::Number),
        ("outside claim", ColumnKind::Number),
    ]);
    for r in d.rules {
        rules.push(vec![
            r.kind.into(),
            r.rule.clone(),
            r.calls.to_string(),
            r.violations.to_string(),
            r.enforced.to_string(),
            r.outside_claim.to_string(),
        ]);
    }
    let mut sections = vec![Section::new("Per rule", rules)];
    for (finding, title, what) in [
        (Finding::Violation, "Violations", "violations"),
        (Finding::Enforced, "Enforcement seen", "enforcements"),
        (
            Finding::OutsideClaim,
            "Outside the claim",
            "calls outside the claim",
        ),
    ] {
        let mut table = TableData::new(&[
            ("session", ColumnKind::Text),
            ("time", ColumnKind::Text),
            ("tool", ColumnKind::Text),
            ("input", ColumnKind::Code),
            ("why", ColumnKind::Text),
        ]);
        let of: Vec<&CallView<'_>> = d.calls.iter().filter(|c| c.finding == finding).collect();
        for c in &of {
            table.push(vec![
                c.session.chars().take(8).collect(),
                c.time.clone().unwrap_or_default(),
                c.tool.into(),
                c.input.clone().unwrap_or_default(),
                c.why.clone(),
            ]);
        }
        if !table.is_empty() {
            sections.push(Section::new(title, table.cut(LISTED, what)));
        }
    }
    write_sections(&mut s, &sections, style);
    if !d.gaps.is_empty() {
        s.push_str("\nGaps (see --explain):\n");
        for g in d.gaps {
            let _ = writeln!(s, "  - {}. {}.", g.message, g.fix);
        }
    }
    write_list(&mut s, "Notes", d.notes);
    s
}

/// Text safe inside XML 1.0: the five special characters escaped, control characters
/// (other than tab and newlines) dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A JUnit XML document: one test suite of (name, failure text if it failed, output).
fn junit(suite: &str, cases: &[(String, Option<String>, String)]) -> String {
    let failures = cases.iter().filter(|c| c.1.is_some()).count();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"{0}\" tests=\"{1}\" failures=\"{failures}\">\n  <testsuite name=\"{0}\" tests=\"{1}\" failures=\"{failures}\">",
        xml(suite),
        cases.len()
    );
    for (name, failure, out) in cases {
        let _ = writeln!(
            s,
            "    <testcase classname=\"{}\" name=\"{}\">",
            xml(suite),
            xml(name)
        );
        if let Some(f) = failure {
            let first = f.lines().next().unwrap_or_default();
            let _ = writeln!(
                s,
                "      <failure message=\"{}\" type=\"violation\">{}</failure>",
                xml(first),
                xml(f)
            );
        }
        if !out.is_empty() {
            let _ = writeln!(s, "      <system-out>{}</system-out>", xml(out));
        }
        s.push_str("    </testcase>\n");
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}

/// The run check as JUnit XML: one test case per declared rule (and `--tools`, and the
/// calls no declared rule covers); a case fails when any of its calls is a violation.
pub fn junit_run(r: &RunCheck, calls: &[&ToolCall], red: Redactor) -> String {
    let views = views(r, calls, red);
    let line = |c: &CallView<'_>| {
        format!(
            "{} {} {} {}: {}",
            c.session,
            c.time.as_deref().unwrap_or("-"),
            c.tool,
            c.input.as_deref().unwrap_or(""),
            c.why
        )
    };
    let cases: Vec<(String, Option<String>, String)> = r
        .rules
        .iter()
        .map(|row| {
            let mine = |f: Finding| {
                views
                    .iter()
                    .filter(move |c| {
                        c.finding == f
                            && (c.rules.contains(&row.rule)
                                || (row.kind == "none" && c.rules.is_empty()))
                    })
                    .map(line)
                    .collect::<Vec<_>>()
            };
            let violations = mine(Finding::Violation);
            let failure = (!violations.is_empty()).then(|| {
                format!(
                    "{}\n{}",
                    count(violations.len(), "violation"),
                    violations.join("\n")
                )
            });
            let outside = mine(Finding::OutsideClaim);
            let out = format!(
                "{}, {}, {} outside the claim{}{}",
                count(row.calls, "call"),
                count(row.enforced, "enforcement seen"),
                row.outside_claim,
                if outside.is_empty() { "" } else { "\n" },
                outside.join("\n")
            );
            (format!("{} {}", row.kind, row.rule), failure, out)
        })
        .collect();
    junit("permstat verify", &cases)
}

/// The written canary, for people and programs.
#[derive(Debug, Serialize)]
pub struct CanaryWritten<'a> {
    /// The plan (also in `canary.json`).
    pub plan: &'a CanaryPlan,
    /// The files written.
    pub files: Vec<String>,
    /// The command line to run, quoted for a POSIX shell, its output sent to the capture.
    pub command_line: String,
    /// The command that checks the capture.
    pub check_command: String,
}

/// Prints what the canary wrote and how to run and check it.
pub fn print_canary_plan(w: &CanaryWritten<'_>, format: Format) -> anyhow::Result<()> {
    let p = w.plan;
    let text = |style: Style| {
        let mut s = String::new();
        // Commands as shown: indented in a terminal, in a fenced block in Markdown (the
        // prompt spans several lines).
        let block = |s: &mut String, cmd: &str| match style {
            Style::Terminal => {
                let _ = writeln!(s, "  {cmd}\n");
            }
            Style::Markdown => {
                let _ = writeln!(s, "```sh\n{cmd}\n```\n");
            }
        };
        let _ = writeln!(s, "Canary written: {}", w.files.join(", "));
        s.push_str("\n1. Run it:\n\n");
        block(&mut s, &w.command_line);
        s.push_str("2. Check it:\n\n");
        block(&mut s, &w.check_command);
        let (item, code) = match style {
            Style::Terminal => ("  ", ""),
            Style::Markdown => ("- ", "`"),
        };
        let _ = writeln!(
            s,
            "Expected:\n\n{item}{code}{}{code}: {}\n{item}{code}{}{code}: {}\n",
            p.allowed_command, p.expect_allowed, p.denied_command, p.expect_denied
        );
        if let Some(r) = &p.added_allow {
            let _ = writeln!(s, "The canary added the allow rule {code}{r}{code}.");
        }
        if let Some(r) = &p.added_deny {
            let _ = writeln!(s, "The canary added the deny rule {code}{r}{code}.");
        }
        if !p.expected_to_pass {
            s.push_str(
                "Warning: with these flags Claude Code is documented to run the denied command: \
                 the canary will fail (see permstat verify --explain).\n",
            );
        }
        s
    };
    match format {
        Format::Json => print_json(w),
        Format::Table => print_text(&text(Style::Terminal)),
        Format::Md => print_text(&text(Style::Markdown)),
        Format::Html => html_is_report_only(),
    }
}

/// Prints the canary check.
pub fn print_canary_check(r: &CanaryResult, format: Format) -> anyhow::Result<()> {
    let text = |style: Style| {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Canary {}: the denied command was {}, the allowed one {}.",
            if r.passed { "PASSED" } else { "FAILED" },
            if r.denied.ok {
                "refused"
            } else {
                "not refused"
            },
            if r.allowed.ok { "ran" } else { "did not run" }
        );
        let mut t = TableData::new(&[
            ("half", ColumnKind::Text),
            ("command", ColumnKind::Code),
            ("calls", ColumnKind::Number),
            ("outcomes", ColumnKind::Lines),
            ("holds", ColumnKind::Text),
            ("detail", ColumnKind::Text),
        ]);
        for (half, p) in [("allowed", &r.allowed), ("denied", &r.denied)] {
            t.push(vec![
                half.into(),
                p.command.clone(),
                p.calls.to_string(),
                p.outcomes.join("\n"),
                if p.ok { "yes" } else { "no" }.into(),
                p.detail.clone(),
            ]);
        }
        t.write(&mut s, style);
        write_list(&mut s, "Notes", &r.notes);
        s
    };
    match format {
        Format::Json => print_json(r),
        Format::Table => print_text(&text(Style::Terminal)),
        Format::Md => print_text(&text(Style::Markdown)),
        Format::Html => html_is_report_only(),
    }
}

/// The canary check as JUnit XML: one case for each half.
pub fn junit_canary(r: &CanaryResult) -> String {
    let case = |name: &str, p: &crate::verify::canary::ProbeResult| {
        let failure = (!p.ok).then(|| format!("{}: {}", p.command, p.detail));
        (name.to_string(), failure, p.outcomes.join("\n"))
    };
    junit(
        "permstat verify canary",
        &[
            case("the allowed command ran", &r.allowed),
            case("the denied command was refused", &r.denied),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_cleaned() {
        assert_eq!(
            xml("a<b>&\"c\" 'd'\u{1}\u{7}\n"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;\n"
        );
        let doc = junit(
            "s",
            &[
                ("ok".into(), None, String::new()),
                (
                    "bad <x>".into(),
                    Some("1 violation\nrm -rf /".into()),
                    "out".into(),
                ),
            ],
        );
        assert!(doc.contains("tests=\"2\" failures=\"1\""), "{doc}");
        assert!(doc.contains("<testcase classname=\"s\" name=\"bad &lt;x&gt;\">"));
        assert!(doc.contains(
            "<failure message=\"1 violation\" type=\"violation\">1 violation\nrm -rf /</failure>"
        ));
    }
}
