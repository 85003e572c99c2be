//! `permstat replay`: today's settings over every recorded call, compared with what the
//! transcripts say happened.

use super::policies::load_and_replay;
use crate::cli::ReplayArgs;
use crate::output::{self, Format, new_table, num};
use crate::permissions::engine::Decision;
use crate::permissions::replay::{Summary, compare};
use crate::text::redact::Redactor;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

/// The `replay --format json` document.
#[derive(Debug, Serialize)]
pub struct ReplayReport {
    /// Counts per verdict and per disagreement, and each disagreeing call.
    #[serde(flatten)]
    pub summary: Summary,
    /// Settings files read.
    pub settings_files: Vec<String>,
    /// Settings problems found while loading.
    pub warnings: Vec<String>,
}

/// Runs `permstat replay`.
pub fn run(args: &ReplayArgs) -> anyhow::Result<ExitCode> {
    let (calls, replayed) = load_and_replay(&args.input, &args.settings, &args.window)?;
    let redactor = Redactor::new(!args.input.no_redact);
    if args.calls {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for (c, d) in calls.iter().zip(&replayed.decisions) {
            let row = CallDecision::of(c, d, redactor);
            let r = serde_json::to_writer(&mut out, &row)
                .map_err(std::io::Error::from)
                .and_then(|_| out.write_all(b"\n"));
            output::ignore_broken_pipe(r)?;
        }
        output::ignore_broken_pipe(out.flush())?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = ReplayReport {
        summary: compare(&calls, &replayed.decisions),
        settings_files: replayed
            .files
            .iter()
            .map(|f| f.display().to_string())
            .collect(),
        warnings: replayed.warnings.iter().map(|w| w.to_string()).collect(),
    };
    match args.format {
        Format::Html => anyhow::bail!("--format html is offered by `permstat report`"),
        Format::Json => output::print_json(&report)?,
        _ => output::print_text(&render(&report))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// One call's decision, for `--calls`.
#[derive(Serialize)]
struct CallDecision<'a> {
    id: &'a str,
    session_id: &'a str,
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
    fn of(c: &'a crate::event::ToolCall, d: &'a Decision, r: Redactor) -> Self {
        let i = &c.input;
        let input = i
            .command
            .as_deref()
            .or(i.path.as_deref())
            .or(i.url.as_deref())
            .or(i.subagent_type.as_deref())
            .or(i.skill.as_deref())
            .map(|t| r.redact(t).into_owned());
        CallDecision {
            id: &c.id,
            session_id: &c.session_id,
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
                .map(|p| format!("{} => {:?}", r.redact(&p.text), p.verdict))
                .collect(),
        }
    }
}

fn render(r: &ReplayReport) -> String {
    let s = &r.summary;
    let mut out = String::new();
    let mut t = new_table(&["verdict", "calls"]);
    for (v, n) in &s.per_verdict {
        t.add_row(vec![comfy_table::Cell::new(v), num(n)]);
    }
    let _ = write!(
        out,
        "\nReplay of {} calls: {} would prompt, {} of them ran (approved by a person)\n{t}\n",
        s.calls, s.prompts, s.prompts_approved
    );
    if !s.per_disagreement.is_empty() {
        let mut t = new_table(&["recorded outcome the replay does not explain", "calls"]);
        for (k, n) in &s.per_disagreement {
            t.add_row(vec![comfy_table::Cell::new(k.name()), num(n)]);
        }
        let _ = write!(out, "\n{t}\n");
    }
    if r.settings_files.is_empty() {
        out.push_str("\nNo settings file was found: Claude Code's defaults only.\n");
    } else {
        let _ = writeln!(out, "\nSettings replayed: {}", r.settings_files.join(", "));
    }
    out
}
