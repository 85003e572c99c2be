//! `permstat scan`: what the transcripts hold, and every tool call's outcome.

use super::{Loaded, load};
use crate::cli::ScanArgs;
use crate::event::{Outcome, ToolCall};
use crate::output::redact::Redactor;
use crate::output::{self, Format, iso, new_table, num};
use crate::transcript::scan::BadKind;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

/// Lines skipped and files left out, by reason.
#[derive(Debug, Default, Serialize)]
pub struct Skipped {
    /// Lines that are not a JSON object or do not parse.
    pub malformed: u64,
    /// Cut-off last lines.
    pub truncated: u64,
    /// Lines that are not UTF-8.
    pub invalid_utf8: u64,
    /// Files that could not be opened or read to the end.
    pub unreadable_files: u64,
    /// Compaction-agent transcripts, which are not a person's tool activity.
    pub compaction_files: u64,
}

/// The `scan --format json` document. Field names are stable; new fields may be added.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Transcript files read.
    pub files: u64,
    /// Distinct session ids.
    pub sessions: u64,
    /// Lines read.
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Files whose results were reused from the incremental cache (unchanged since).
    pub cached_files: u64,
    /// Lines skipped (malformed + truncated + invalid UTF-8).
    pub bad_lines: u64,
    /// Skipped lines and files, by reason.
    pub skipped: Skipped,
    /// Distinct tool calls.
    pub tool_calls: u64,
    /// Tool calls made inside subagents.
    pub subagent_calls: u64,
    /// Denials whose only evidence is a text an MCP server could have written.
    pub unverified_denials: u64,
    /// Every tool call, by tool name.
    pub by_tool: BTreeMap<String, u64>,
    /// Every tool call, by outcome (all outcomes listed, zeros included).
    pub outcomes: BTreeMap<&'static str, u64>,
    /// User prompt lines, by the permission mode they carry.
    pub modes: BTreeMap<String, u64>,
    /// `permission-mode` state lines (newer Claude Code builds).
    pub mode_lines: u64,
    /// Tool calls, by the permission mode in force (`unknown` before any is recorded).
    pub calls_by_mode: BTreeMap<String, u64>,
    /// Tool calls, by Claude Code version.
    pub versions: BTreeMap<String, u64>,
    /// Tool calls, by entrypoint (`cli`, `sdk-cli`, ...).
    pub entrypoints: BTreeMap<String, u64>,
    /// Earliest tool call (RFC 3339, UTC).
    pub first: Option<String>,
    /// Latest tool call.
    pub last: Option<String>,
}

impl Summary {
    /// Computes the summary of a loaded set of transcripts.
    pub fn of(loaded: &Loaded) -> Summary {
        let t = &loaded.table;
        let mut skipped = Skipped {
            compaction_files: loaded.discovery.compaction_files as u64,
            ..Skipped::default()
        };
        for f in &t.files {
            if f.error.is_some() {
                skipped.unreadable_files += 1;
            }
            for (k, n) in &f.bad_lines {
                match k {
                    BadKind::Malformed => skipped.malformed += n,
                    BadKind::Truncated => skipped.truncated += n,
                    BadKind::InvalidUtf8 => skipped.invalid_utf8 += n,
                }
            }
        }
        let mut outcomes: BTreeMap<&'static str, u64> =
            Outcome::ALL.iter().map(|o| (o.as_str(), 0)).collect();
        let mut by_tool = BTreeMap::new();
        let mut calls_by_mode = BTreeMap::new();
        let mut versions = BTreeMap::new();
        let mut entrypoints = BTreeMap::new();
        let (mut first, mut last) = (None::<i64>, None::<i64>);
        for c in &t.calls {
            *outcomes.entry(c.outcome.as_str()).or_default() += 1;
            *by_tool.entry(c.tool.clone()).or_default() += 1;
            let mode = c.mode.as_ref().map_or("unknown", |m| m.as_str());
            *calls_by_mode.entry(mode.to_string()).or_default() += 1;
            let v = c.version.as_deref().unwrap_or("unknown");
            *versions.entry(v.to_string()).or_default() += 1;
            let e = c.entrypoint.as_deref().unwrap_or("unknown");
            *entrypoints.entry(e.to_string()).or_default() += 1;
            if let Some(ms) = c.asked_ms {
                first = Some(first.map_or(ms, |f| f.min(ms)));
                last = Some(last.map_or(ms, |l| l.max(ms)));
            }
        }
        Summary {
            files: t.files.len() as u64,
            sessions: t.sessions.len() as u64,
            lines: t.files.iter().map(|f| f.lines).sum(),
            bytes: t.files.iter().map(|f| f.bytes).sum(),
            cached_files: loaded.cached_files as u64,
            bad_lines: skipped.malformed + skipped.truncated + skipped.invalid_utf8,
            skipped,
            tool_calls: t.calls.len() as u64,
            subagent_calls: t.calls.iter().filter(|c| c.is_subagent()).count() as u64,
            unverified_denials: t.calls.iter().filter(|c| !c.verified).count() as u64,
            by_tool,
            outcomes,
            modes: t.prompt_modes.clone(),
            mode_lines: t.mode_lines,
            calls_by_mode,
            versions,
            entrypoints,
            first: first.map(iso),
            last: last.map(iso),
        }
    }
}

/// Runs `permstat scan`.
pub fn run(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let loaded = load(&args.input)?;
    if loaded.table.files.is_empty() && !args.input.quiet {
        let roots: Vec<String> = loaded
            .roots
            .iter()
            .map(|r| r.display().to_string())
            .collect();
        eprintln!(
            "permstat: no transcripts (*.jsonl) found in {}",
            roots.join(", ")
        );
    }
    let redactor = Redactor::new(!args.input.no_redact);
    if args.calls {
        write_calls(&loaded.table.calls, redactor)?;
        return Ok(ExitCode::SUCCESS);
    }
    let summary = Summary::of(&loaded);
    match args.format {
        Format::Json => output::print_json(&summary)?,
        Format::Table | Format::Md => output::print_text(&render(&summary, args.format))?,
        Format::Html => anyhow::bail!("--format html is offered by `permstat report`"),
    }
    // The process ends next: freeing a large table piece by piece would only cost time.
    std::mem::forget(loaded);
    Ok(ExitCode::SUCCESS)
}

/// One JSON object per call, secrets redacted in the input fields and the reason.
fn write_calls(calls: &[ToolCall], redactor: Redactor) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for c in calls {
        let row = CallRow::of(c, redactor);
        let r = serde_json::to_writer(&mut out, &row)
            .map_err(std::io::Error::from)
            .and_then(|_| out.write_all(b"\n"));
        output::ignore_broken_pipe(r)?;
    }
    output::ignore_broken_pipe(out.flush())
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
    outcome: Outcome,
    denial_kind: Option<&'a str>,
    verified: bool,
    reason: Option<String>,
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
            outcome: c.outcome,
            denial_kind: c.denial_kind.as_deref(),
            verified: c.verified,
            reason: red(&c.reason),
        }
    }
}

fn render(s: &Summary, format: Format) -> String {
    let mut out = String::new();
    let mut push_table = |title: &str, header: &[&str], rows: Vec<Vec<String>>| {
        if format == Format::Md {
            out.push_str(&format!(
                "\n### {title}\n\n| {} |\n|{}|\n",
                header.join(" | "),
                "---|".repeat(header.len())
            ));
            for r in rows {
                out.push_str(&format!("| {} |\n", r.join(" | ")));
            }
        } else {
            let mut t = new_table(header);
            for r in rows {
                let mut cells = vec![comfy_table::Cell::new(&r[0])];
                cells.extend(r[1..].iter().map(num));
                t.add_row(cells);
            }
            out.push_str(&format!("\n{title}\n{t}\n"));
        }
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
    push_table(
        "Claude Code versions",
        &["version", "tool calls"],
        s.versions
            .iter()
            .map(|(k, v)| vec![k.clone(), v.to_string()])
            .collect(),
    );
    if s.unverified_denials > 0 {
        out.push_str(&format!(
            "\n{} denial(s) of MCP tools rest on a text the MCP server could have written itself (unverified).\n",
            s.unverified_denials
        ));
    }
    out
}

fn mode_rows(s: &Summary) -> Vec<Vec<String>> {
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
