//! The scan printer: the summary of what transcripts hold ([`ScanSummary`]) as terminal
//! tables, Markdown or JSON, and every tool call as JSON lines (`scan --calls`).

use super::table::{Section, Style, TableData, write_sections};
use super::{Format, html_is_report_only, print_json, print_json_lines, print_text};
use crate::event::{Outcome, RecordedDecision, ToolCall};
use crate::text::redact::Redactor;
use crate::text::time::iso;
use crate::transcript::summary::ScanSummary;
use serde::Serialize;

/// Prints the summary in `format` to stdout.
pub fn print(s: &ScanSummary, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(s),
        Format::Table => print_text(&render(s, Style::Terminal)),
        Format::Md => print_text(&render(s, Style::Markdown)),
        Format::Html => html_is_report_only(),
    }
}

/// One JSON object per call, secrets redacted in the input fields and the reason.
pub fn write_calls(calls: &[ToolCall], redactor: Redactor) -> anyhow::Result<()> {
    print_json_lines(calls.iter().map(|c| CallRow::of(c, redactor)))
}

/// The input fields of a call that are present (absent ones are left out of the JSON).
#[derive(Serialize)]
struct InputRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subagent_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skill: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    params: Vec<(String, String)>,
}

/// The JSON-lines form of a call: the table row with times as RFC 3339 and the gap.
#[derive(Serialize)]
struct CallRow<'a> {
    id: &'a str,
    session_id: &'a str,
    project: Option<&'a str>,
    file: &'a str,
    agent_id: Option<&'a str>,
    tool: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mcp_server: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mcp_tool: Option<&'a str>,
    input: InputRow,
    asked_at: Option<String>,
    answered_at: Option<String>,
    gap_ms: Option<i64>,
    mode: Option<&'a str>,
    version: Option<&'a str>,
    entrypoint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    git_branch: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    developer: Option<&'a str>,
    outcome: Outcome,
    denial_kind: Option<&'a str>,
    verified: bool,
    reason: Option<String>,
    recorded: Option<&'a RecordedDecision>,
}

impl<'a> CallRow<'a> {
    fn of(c: &'a ToolCall, r: Redactor) -> Self {
        let red = |s: &Option<String>| s.as_deref().map(|v| r.redact(v).into_owned());
        // `mcp__<server>__<tool>`: the server name has no `__` of its own.
        let mcp = c
            .tool
            .strip_prefix("mcp__")
            .and_then(|rest| rest.split_once("__"));
        let i = &c.input;
        let input = InputRow {
            command: red(&i.command),
            path: red(&i.path),
            url: red(&i.url),
            domain: i.domain.clone(),
            subagent_type: i.subagent_type.clone(),
            skill: i.skill.clone(),
            params: i
                .params
                .iter()
                .map(|(k, v)| (k.clone(), r.redact(v).into_owned()))
                .collect(),
        };
        CallRow {
            id: &c.id,
            session_id: &c.session_id,
            project: c.project.as_deref(),
            file: &c.file,
            agent_id: c.agent_id.as_deref(),
            tool: &c.tool,
            mcp_server: mcp.map(|(s, _)| s),
            mcp_tool: mcp.map(|(_, t)| t),
            input,
            asked_at: c.asked_ms.map(iso),
            answered_at: c.answered_ms.map(iso),
            gap_ms: c.gap_ms(),
            mode: c.mode.as_ref().map(|m| m.as_str()),
            version: c.version.as_deref(),
            entrypoint: c.entrypoint.as_deref(),
            git_branch: c.git_branch.as_deref(),
            developer: c.developer.as_deref(),
            outcome: c.outcome,
            denial_kind: c.denial_kind.as_deref(),
            verified: c.verified,
            reason: red(&c.reason),
            recorded: c.recorded.as_ref(),
        }
    }
}

/// The summary as text: (in Markdown, a title,) one table per section, then a note on
/// unverified denials if any.
pub fn render(s: &ScanSummary, style: Style) -> String {
    let mut out = String::new();
    match style {
        Style::Markdown => out.push_str("# Transcript summary\n"),
        Style::Terminal => {}
    }
    let mut sections = Vec::new();
    let mut push_table = |title: &str, header: &[&'static str], rows: Vec<Vec<String>>| {
        sections.push(Section::new(
            title,
            TableData::figures(header).with_rows(rows),
        ));
    };
    push_table(
        "Transcripts",
        &["", "count"],
        vec![
            vec!["files".into(), s.files.to_string()],
            vec!["sessions".into(), s.sessions.to_string()],
            vec!["lines".into(), s.lines.to_string()],
            vec!["bytes".into(), s.bytes.to_string()],
            vec![
                "skipped: malformed lines".into(),
                s.skipped.malformed.to_string(),
            ],
            vec![
                "skipped: truncated lines".into(),
                s.skipped.truncated.to_string(),
            ],
            vec![
                "skipped: invalid UTF-8 lines".into(),
                s.skipped.invalid_utf8.to_string(),
            ],
            vec![
                "skipped: unreadable files".into(),
                s.skipped.unreadable_files.to_string(),
            ],
            vec![
                "skipped: compaction agents".into(),
                s.skipped.compaction_files.to_string(),
            ],
            vec!["tool calls".into(), s.tool_calls.to_string()],
            vec!["  in subagents".into(), s.subagent_calls.to_string()],
            vec![
                "first call".into(),
                s.first.clone().unwrap_or_else(|| "-".into()),
            ],
            vec![
                "last call".into(),
                s.last.clone().unwrap_or_else(|| "-".into()),
            ],
        ],
    );
    let mut tools: Vec<_> = s.by_tool.iter().collect();
    tools.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    push_table(
        "Tool calls by tool",
        &["tool", "calls"],
        tools
            .iter()
            .map(|(k, v)| vec![k.to_string(), v.to_string()])
            .collect(),
    );
    let outcome_rows = Outcome::ALL
        .iter()
        .map(|o| vec![o.as_str().to_string(), s.outcomes[o.as_str()].to_string()])
        .collect();
    push_table("Outcomes", &["outcome", "calls"], outcome_rows);
    push_table(
        "Permission modes",
        &["mode", "prompt lines", "tool calls"],
        mode_rows(s),
    );
    if !s.recorded.by_source.is_empty() {
        push_table(
            "Recorded decisions",
            &[
                "source",
                "records",
                "matched",
                "unmatched",
                "other sessions",
                "calls",
                "prompted",
                "not prompted",
                "unknown",
            ],
            s.recorded
                .by_source
                .iter()
                .map(|(k, n)| {
                    let mut row = vec![k.clone()];
                    row.extend(
                        [
                            n.records,
                            n.matched,
                            n.unmatched,
                            n.other_sessions,
                            n.calls,
                            n.prompted,
                            n.not_prompted,
                            n.unknown,
                        ]
                        .map(|v| v.to_string()),
                    );
                    row
                })
                .collect(),
        );
    }
    if s.by_developer.len() > 1 {
        push_table(
            "Tool calls by developer",
            &["developer", "calls"],
            s.by_developer
                .iter()
                .map(|(k, v)| vec![k.clone(), v.to_string()])
                .collect(),
        );
    }
    push_table(
        "Claude Code versions",
        &["version", "tool calls"],
        s.versions
            .iter()
            .map(|(k, v)| vec![k.clone(), v.to_string()])
            .collect(),
    );
    write_sections(&mut out, &sections, style);
    if s.unverified_denials > 0 {
        out.push_str(&format!(
            "\n{} denial(s) of MCP tools rest on a text the MCP server could have written itself (unverified).\n",
            s.unverified_denials
        ));
    }
    out
}

fn mode_rows(s: &ScanSummary) -> Vec<Vec<String>> {
    let mut names: Vec<&String> = s.modes.keys().chain(s.calls_by_mode.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|m| {
            vec![
                m.clone(),
                s.modes.get(m).copied().unwrap_or(0).to_string(),
                s.calls_by_mode.get(m).copied().unwrap_or(0).to_string(),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Discovery, Table};

    #[test]
    fn markdown_tables_have_a_valid_separator_row() {
        let mut s = ScanSummary::of_table(&Table::default());
        s.finish(&Discovery::default(), 0);
        let md = render(&s, Style::Markdown);
        assert!(
            md.starts_with("# Transcript summary\n\n## Transcripts\n\n"),
            "{md}"
        );
        assert!(
            md.contains("\n|  | count |\n|---|---:|\n| files | 0 |\n"),
            "{md}"
        );
        assert!(
            md.contains("| mode | prompt lines | tool calls |\n|---|---:|---:|\n"),
            "{md}"
        );
        assert!(!md.contains("||"), "{md}");
    }
}
