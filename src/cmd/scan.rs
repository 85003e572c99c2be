//! `permstat scan`: what the transcripts hold, and every tool call's outcome.

use super::{Fold, Loaded, cache_dir, file_list, find_input, load, stream_found, warn_all};
use crate::cli::ScanArgs;
use crate::event::{Outcome, ToolCall};
use crate::output::{self, Format, new_table, num};
use crate::text::redact::Redactor;
use crate::text::time::iso;
use crate::transcript::cache::{self, Stamp};
use crate::transcript::scan::BadKind;
use crate::transcript::{Discovery, Table};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::marker::PhantomData;
use std::process::ExitCode;

/// A finished summary as cached, with the warnings its run printed.
#[derive(Serialize, Deserialize)]
struct CachedSummary {
    summary: Summary,
    warnings: Vec<String>,
}

/// Lines skipped and files left out, by reason.
#[derive(Debug, Default, Serialize, Deserialize)]
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
#[derive(Debug, Serialize, Deserialize)]
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
    pub outcomes: BTreeMap<String, u64>,
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
    #[serde(skip)]
    first_ms: Option<i64>,
    #[serde(skip)]
    last_ms: Option<i64>,
}

impl Summary {
    /// Computes the summary of a loaded set of transcripts.
    pub fn of(loaded: &Loaded) -> Summary {
        let mut s = Summary::of_table(&loaded.table);
        s.finish(&loaded.discovery, loaded.cached_files);
        s
    }

    /// The figures of one table (a whole history, or one set of sessions of it); parts
    /// add up with [`Summary::absorb`] because they share no call, session or prompt.
    pub fn of_table(t: &Table) -> Summary {
        let mut skipped = Skipped::default();
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
        let mut outcomes: BTreeMap<String, u64> = Outcome::ALL
            .iter()
            .map(|o| (o.as_str().to_string(), 0))
            .collect();
        let mut by_tool = BTreeMap::new();
        let mut calls_by_mode = BTreeMap::new();
        let mut versions = BTreeMap::new();
        let mut entrypoints = BTreeMap::new();
        let (mut first, mut last) = (None::<i64>, None::<i64>);
        for c in &t.calls {
            count(&mut outcomes, c.outcome.as_str());
            count(&mut by_tool, &c.tool);
            count(
                &mut calls_by_mode,
                c.mode.as_ref().map_or("unknown", |m| m.as_str()),
            );
            count(&mut versions, c.version.as_deref().unwrap_or("unknown"));
            count(
                &mut entrypoints,
                c.entrypoint.as_deref().unwrap_or("unknown"),
            );
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
            cached_files: 0,
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
            first: None,
            last: None,
            first_ms: first,
            last_ms: last,
        }
    }

    /// Adds the figures of another part.
    pub fn absorb(&mut self, o: Summary) {
        fn add<K: Ord>(a: &mut BTreeMap<K, u64>, b: BTreeMap<K, u64>) {
            for (k, n) in b {
                *a.entry(k).or_default() += n;
            }
        }
        self.files += o.files;
        self.sessions += o.sessions;
        self.lines += o.lines;
        self.bytes += o.bytes;
        self.bad_lines += o.bad_lines;
        self.skipped.malformed += o.skipped.malformed;
        self.skipped.truncated += o.skipped.truncated;
        self.skipped.invalid_utf8 += o.skipped.invalid_utf8;
        self.skipped.unreadable_files += o.skipped.unreadable_files;
        self.tool_calls += o.tool_calls;
        self.subagent_calls += o.subagent_calls;
        self.unverified_denials += o.unverified_denials;
        add(&mut self.by_tool, o.by_tool);
        add(&mut self.outcomes, o.outcomes);
        add(&mut self.modes, o.modes);
        self.mode_lines += o.mode_lines;
        add(&mut self.calls_by_mode, o.calls_by_mode);
        add(&mut self.versions, o.versions);
        add(&mut self.entrypoints, o.entrypoints);
        self.first_ms = match (self.first_ms, o.first_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last_ms = self.last_ms.max(o.last_ms);
    }

    /// Fills in what only the whole run knows: files skipped by discovery, cache hits, and
    /// the times as text.
    fn finish(&mut self, discovery: &Discovery, cached_files: usize) {
        self.skipped.compaction_files = discovery.compaction_files as u64;
        self.cached_files = cached_files as u64;
        self.first = self.first_ms.map(iso);
        self.last = self.last_ms.map(iso);
    }
}

fn count(map: &mut BTreeMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

/// Runs `permstat scan`. The summary is folded one set of sessions at a time (see
/// [`crate::cmd::stream`]); `--calls` lists every call in the order of the whole table, so it reads
/// the whole table.
pub fn run(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let no_files = |roots: &[std::path::PathBuf]| {
        if !args.input.quiet {
            let roots: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
            eprintln!(
                "permstat: no transcripts (*.jsonl) found in {}",
                roots.join(", ")
            );
        }
    };
    if args.calls {
        let loaded = load(&args.input)?;
        if loaded.table.files.is_empty() {
            no_files(&loaded.roots);
        }
        write_calls(&loaded.table.calls, Redactor::new(!args.input.no_redact))?;
        // The process ends next: freeing a large table piece by piece would only cost time.
        std::mem::forget(loaded);
        return Ok(ExitCode::SUCCESS);
    }
    if args.format == Format::Html {
        anyhow::bail!("--format html is offered by `permstat report`");
    }
    let (roots, discovery) = find_input(&args.input)?;
    if discovery.files.is_empty() {
        no_files(&roots);
    }
    // The finished summary is cached with the exact file list it came from: on an
    // unchanged history no transcript is opened.
    let cache_dir = cache_dir(&args.input);
    let names = file_list(&discovery);
    let list: Vec<(&str, Option<Stamp>)> = names.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    let salt = format!("compaction files {}", discovery.compaction_files);
    let hit = cache_dir
        .as_deref()
        .and_then(|d| cache::load_result::<CachedSummary>(d, "summary", &list, &salt));
    let summary = match hit {
        Some(CachedSummary {
            mut summary,
            warnings,
        }) => {
            warn_all(&args.input, &warnings);
            summary.cached_files = discovery.files.len() as u64;
            summary
        }
        None => {
            let streamed = stream_found(
                &args.input,
                &roots,
                discovery,
                &Fold {
                    new: || Summary::of_table(&Table::default()),
                    add: |s: &mut Summary, t: Table| s.absorb(Summary::of_table(&t)),
                    merge: Summary::absorb,
                    result: PhantomData,
                },
            )?;
            let mut summary = streamed.merged;
            summary.finish(&streamed.discovery, streamed.cached_files);
            if let Some(d) = cache_dir.as_deref() {
                let cached = CachedSummary {
                    summary,
                    warnings: streamed.warnings,
                };
                if let Err(e) = cache::save_result(d, "summary", &list, &salt, &cached)
                    && !args.input.quiet
                {
                    eprintln!("permstat: warning: could not write the cache: {e}");
                }
                summary = cached.summary;
            }
            summary
        }
    };
    match args.format {
        Format::Json => output::print_json(&summary)?,
        _ => output::print_text(&render(&summary, args.format))?,
    }
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
