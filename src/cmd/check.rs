//! `permstat check`: what Claude Code would do with one tool call.

use super::policies::load_options;
use crate::cli::{CheckArgs, InputArgs};
use crate::event::{Mode, ToolInput};
use crate::output::{self, Format, new_table};
use crate::permissions::engine::{CallCtx, Decision, PartVerdict, Verdict, decide};
use crate::permissions::settings::Policy;
use crate::text::url::domain_of;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// The `check --format json` document.
#[derive(Debug, Serialize)]
pub struct CheckOutput {
    /// `allow`, `ask`, `deny`, `prompt` (no rule decided and the mode would ask) or
    /// `classifier` (auto mode: the classifier decides).
    pub decision: &'static str,
    /// The verdict in the replay's terms (`auto_allowed`, `allowed_by_rule`, ...).
    pub verdict: &'static str,
    /// The deciding rule, if a rule decided.
    pub rule: Option<String>,
    /// Its settings file.
    pub source: Option<String>,
    /// Its settings level (user, project, local, managed, cli).
    pub level: Option<String>,
    /// Why, in one line.
    pub why: String,
    /// The mode decided in.
    pub mode: String,
    /// Bash: each part of the command with its own verdict.
    pub parts: Vec<PartOutput>,
    /// Assumptions made.
    pub notes: Vec<String>,
    /// Settings problems found while loading.
    pub warnings: Vec<String>,
}

/// One part of a compound command.
#[derive(Debug, Serialize)]
pub struct PartOutput {
    /// The part as matched.
    pub text: String,
    /// `denied`, `asked`, `allowed_by_rule`, `read_only`, `accept_edits` or `uncovered`.
    pub verdict: &'static str,
    /// Detail: the read-only entry or why it is uncovered.
    pub detail: Option<String>,
    /// The rule involved, if any.
    pub rule: Option<String>,
}

/// The four-way decision of the `check` contract.
pub fn decision_word(v: &Verdict) -> &'static str {
    match v {
        Verdict::AutoAllowed(_) | Verdict::AllowedByRule => "allow",
        Verdict::AskRule => "ask",
        Verdict::DeniedByRule | Verdict::DontAskDenied => "deny",
        Verdict::WouldPrompt(_) => "prompt",
        Verdict::Classifier => "classifier",
    }
}

fn part_output(p: &crate::permissions::engine::PartDecision) -> PartOutput {
    let (verdict, detail) = match &p.verdict {
        PartVerdict::Denied => ("denied", None),
        PartVerdict::Asked => ("asked", None),
        PartVerdict::AllowedByRule => ("allowed_by_rule", None),
        PartVerdict::ReadOnly(e) => ("read_only", Some(e.to_string())),
        PartVerdict::AcceptEdits => ("accept_edits", None),
        PartVerdict::Uncovered(why) => ("uncovered", Some(why.to_string())),
    };
    PartOutput {
        text: p.text.clone(),
        verdict,
        detail,
        rule: p.rule.as_ref().map(|r| r.text.clone()),
    }
}

/// Builds the tool input from the command line: the one positional input goes to the
/// field the tool's rules look at.
pub fn tool_input(tool: &str, input: Option<&str>, params: &[String]) -> anyhow::Result<ToolInput> {
    let mut t = ToolInput::default();
    if let Some(v) = input {
        let v = v.to_string();
        match tool {
            "Bash" | "PowerShell" | "Monitor" => t.command = Some(v),
            "WebFetch" => {
                t.domain = domain_of(&v);
                t.url = Some(v);
            }
            "Agent" | "Task" => t.subagent_type = Some(v),
            "Skill" => match v.split_once(' ') {
                Some((name, args)) => {
                    t.skill = Some(name.to_string());
                    t.params.push(("args".into(), args.to_string()));
                }
                None => t.skill = Some(v),
            },
            "WebSearch" => t.params.push(("query".into(), v)),
            _ => t.path = Some(v),
        }
    }
    for p in params {
        let Some((k, v)) = p.split_once('=') else {
            anyhow::bail!("--param takes NAME=VALUE, got '{p}'");
        };
        t.params.push((k.to_string(), v.to_string()));
    }
    Ok(t)
}

/// Runs `permstat check`.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let cwd = match &args.cwd {
        Some(c) => c.clone(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
    };
    let input_args = InputArgs {
        paths: Vec::new(),
        config_dir: args.config_dir.clone(),
        no_redact: true,
        quiet: true,
        no_cache: true,
        cache_dir: None,
    };
    let (policy, warnings) = Policy::load(&load_options(&input_args, &args.settings, &cwd));
    let input = tool_input(&args.tool, args.input.as_deref(), &args.params)?;
    let mode = args.mode.as_deref().map(Mode::parse);
    let ctx = CallCtx {
        tool: &args.tool,
        input: &input,
        cwd: Some(&cwd),
        mode: mode.as_ref(),
    };
    let d: Decision = decide(&policy, &ctx);
    let out = CheckOutput {
        decision: decision_word(&d.verdict),
        verdict: d.verdict.name(),
        rule: d.rule.as_ref().map(|r| r.text.clone()),
        source: d.rule.as_ref().map(|r| r.file.display().to_string()),
        level: d.rule.as_ref().map(|r| r.source.name().to_string()),
        why: d.why.clone(),
        mode: d.mode.to_string(),
        parts: d.parts.iter().map(part_output).collect(),
        notes: d.notes.clone(),
        warnings: warnings.iter().map(|w| w.to_string()).collect(),
    };
    match args.format {
        Format::Html => anyhow::bail!("--format html is offered by `permstat report`"),
        Format::Json => output::print_json(&out)?,
        _ => {
            for w in &out.warnings {
                eprintln!("permstat: warning: {w}");
            }
            output::print_text(&render(&out))?
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn render(o: &CheckOutput) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({}, mode {}): {}",
        o.decision, o.verdict, o.mode, o.why
    );
    if let (Some(rule), Some(src)) = (&o.rule, &o.source) {
        let _ = writeln!(
            s,
            "rule: {rule}  from {src} ({})",
            o.level.as_deref().unwrap_or("?")
        );
    }
    if !o.parts.is_empty() {
        let mut t = new_table(&["part", "verdict", "detail"]);
        for p in &o.parts {
            let detail = match (&p.rule, &p.detail) {
                (Some(r), _) => r.clone(),
                (None, Some(d)) => d.clone(),
                _ => String::new(),
            };
            t.add_row(vec![p.text.clone(), p.verdict.to_string(), detail]);
        }
        let _ = writeln!(s, "{t}");
    }
    for n in &o.notes {
        let _ = writeln!(s, "note: {n}");
    }
    s
}
