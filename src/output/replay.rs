//! The replay printer: how today's settings compare with what the transcripts recorded
//! ([`ReplayReport`]) as terminal tables, Markdown or JSON, and each call's decision as JSON
//! lines (`replay --calls`).

use super::table::{Style, TableData};
use super::{Format, html_is_report_only, input_text, print_json, print_json_lines, print_text};
use crate::event::ToolCall;
use crate::permissions::engine::Decision;
use crate::permissions::replay::Summary as ReplaySummary;
use crate::text::redact::Redactor;
use serde::Serialize;
use std::fmt::Write as _;

/// The `replay --format json` document.
#[derive(Debug, Serialize)]
pub struct ReplayReport {
    /// Counts per verdict and per disagreement, and each disagreeing call.
    #[serde(flatten)]
    pub summary: ReplaySummary,
    /// Settings files read.
    pub settings_files: Vec<String>,
    /// Settings problems found while loading.
    pub warnings: Vec<String>,
}

/// Prints the report in `format` to stdout.
pub fn print(r: &ReplayReport, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(r),
        Format::Table => print_text(&render(r, Style::Terminal)),
        Format::Md => print_text(&render(r, Style::Markdown)),
        Format::Html => html_is_report_only(),
    }
}

/// Writes one JSON object per call with its decision (same order), secrets redacted.
pub fn write_decisions(
    calls: &[ToolCall],
    decisions: &[Decision],
    redactor: Redactor,
) -> anyhow::Result<()> {
    print_json_lines(
        calls
            .iter()
            .zip(decisions)
            .map(|(c, d)| CallDecision::of(c, d, redactor)),
    )
}

/// One call's decision, for `--calls`.
#[derive(Serialize)]
struct CallDecision<'a> {
    id: &'a str,
    session_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    developer: Option<&'a str>,
    tool: &'a str,
    input: Option<String>,
    mode: &'a str,
    outcome: &'static str,
    verdict: &'static str,
    why: String,
    rule: Option<String>,
    source: Option<String>,
    parts: Vec<String>,
}

impl<'a> CallDecision<'a> {
    fn of(c: &'a ToolCall, d: &'a Decision, r: Redactor) -> Self {
        let input = input_text(&c.input).map(|t| r.redact(t).into_owned());
        CallDecision {
            id: &c.id,
            session_id: &c.session_id,
            developer: c.developer.as_deref(),
            tool: &c.tool,
            input,
            mode: d.mode.as_str(),
            outcome: c.outcome.as_str(),
            verdict: d.verdict.name(),
            why: r.redact(&d.why).into_owned(),
            rule: d.rule.as_ref().map(|x| r.redact(&x.text).into_owned()),
            source: d.rule.as_ref().map(|x| x.file.display().to_string()),
            parts: d
                .parts
                .iter()
                // The verdict can quote the part (`Uncovered("...")`): redact the whole line.
                .map(|p| {
                    r.redact(&format!("{} => {:?}", p.text, p.verdict))
                        .into_owned()
                })
                .collect(),
        }
    }
}

/// The report as text: the headline, the verdicts, the disagreements (if any) and the
/// settings files.
pub fn render(r: &ReplayReport, style: Style) -> String {
    let s = &r.summary;
    let mut out = String::new();
    let headline = format!(
        "Replay of {} calls: {} would prompt, {} of them ran (approved by a person)",
        s.calls, s.prompts, s.prompts_approved
    );
    // Which settings the verdicts rest on comes first: without any, every figure below is
    // Claude Code's defaults.
    let settings = if r.settings_files.is_empty() {
        "WARNING: no settings file was found: Claude Code's defaults only.".to_string()
    } else {
        format!("Settings replayed: {}", r.settings_files.join(", "))
    };
    match style {
        Style::Terminal => {
            let _ = writeln!(out, "{headline}\n{settings}\n");
        }
        Style::Markdown => {
            let _ = writeln!(out, "# Replay\n\n{headline}.\n\n{settings}\n");
        }
    }
    let mut verdicts = TableData::figures(&["verdict", "calls"]);
    for (v, n) in &s.per_verdict {
        verdicts.push(vec![v.to_string(), n.to_string()]);
    }
    verdicts.write(&mut out, style);
    if !s.per_disagreement.is_empty() {
        let mut t = TableData::figures(&["recorded outcome the replay does not explain", "calls"]);
        for (k, n) in &s.per_disagreement {
            t.push(vec![k.name().to_string(), n.to_string()]);
        }
        out.push('\n');
        t.write(&mut out, style);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_markdown() {
        let r = ReplayReport {
            summary: ReplaySummary::default(),
            settings_files: vec!["/p/s.json".into()],
            warnings: Vec::new(),
        };
        let md = render(&r, Style::Markdown);
        assert!(
            md.starts_with(
                "# Replay\n\nReplay of 0 calls: 0 would prompt, 0 of them ran (approved by a person).\n\n\
                 Settings replayed: /p/s.json\n\n| verdict | calls |\n|---|---:|\n"
            ),
            "{md}"
        );
        assert!(!md.contains('┌'), "{md}");
        assert!(render(&r, Style::Terminal).contains('┌'));
    }
}
