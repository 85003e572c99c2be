//! `permstat check`: what Claude Code would do with one tool call.

use super::InputOptions;
use super::folder_settings::{SettingsOptions, load_options};
use crate::event::{Mode, ToolInput};
use crate::output::Format;
use crate::output::check::{self, CheckOutput};
use crate::permissions::engine::{CallCtx, Decision, decide};
use crate::permissions::settings::Policy;
use crate::text::redact::Redactor;
use crate::text::url::domain_of;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `permstat check` was asked for.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Tool name as Claude Code records it: Bash, Read, Edit, Write, WebFetch, mcp__srv__tool, ...
    pub tool: String,
    /// The input permissions look at: a Bash command, a file path, a URL, a subagent type
    /// or a skill name (None for tools that take none).
    pub input: Option<String>,
    /// Settings to load.
    pub settings: SettingsOptions,
    /// Claude Code configuration folder (None: $CLAUDE_CONFIG_DIR, else ~/.claude).
    pub config_dir: Option<PathBuf>,
    /// Permission mode to decide in (None: the settings' defaultMode, else default).
    pub mode: Option<String>,
    /// Working folder of the session (None: the current folder).
    pub cwd: Option<PathBuf>,
    /// Extra tool parameters as NAME=VALUE, for parameter rules such as Agent(model:opus).
    pub params: Vec<String>,
    /// Output format.
    pub format: Format,
    /// Print the input and rules as written, secrets included.
    pub no_redact: bool,
}

/// The modes `--mode` takes (as Claude Code writes them; `manual` is read as `default`).
pub const MODES: &[Mode] = &[
    Mode::Default,
    Mode::AcceptEdits,
    Mode::Plan,
    Mode::Auto,
    Mode::DontAsk,
    Mode::BypassPermissions,
];

/// Parses `--mode`: one of [`MODES`], else an error listing them.
pub fn parse_mode(s: &str) -> anyhow::Result<Mode> {
    match Mode::parse(s) {
        Mode::Other(_) => {
            let names: Vec<&str> = MODES.iter().map(Mode::as_str).collect();
            anyhow::bail!(
                "unknown --mode '{s}': use one of {} (names are case-sensitive)",
                names.join(", ")
            )
        }
        m => Ok(m),
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
pub fn run(args: &CheckOptions) -> anyhow::Result<ExitCode> {
    let cwd = match &args.cwd {
        Some(c) => c.clone(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
    };
    let input_args = InputOptions {
        paths: Vec::new(),
        config_dir: args.config_dir.clone(),
        no_redact: args.no_redact,
        quiet: true,
        no_cache: true,
        cache_dir: None,
        ..InputOptions::default()
    };
    super::load::check_config_dir(&input_args)?;
    let mode = args.mode.as_deref().map(parse_mode).transpose()?;
    let (policy, warnings) = Policy::load(&load_options(&input_args, &args.settings, &cwd));
    let input = tool_input(&args.tool, args.input.as_deref(), &args.params)?;
    let ctx = CallCtx {
        tool: &args.tool,
        input: &input,
        cwd: Some(&cwd),
        mode: mode.as_ref(),
    };
    let d: Decision = decide(&policy, &ctx);
    let redactor = Redactor::new(!args.no_redact);
    let out = CheckOutput::new(
        &d,
        warnings.iter().map(|w| w.to_string()).collect(),
        redactor,
    );
    // JSON carries the warnings in the document; text shows them on stderr.
    match args.format {
        Format::Table | Format::Md => {
            for w in &out.warnings {
                eprintln!("permstat: warning: {w}");
            }
        }
        Format::Json | Format::Html => {}
    }
    check::print(&out, args.format)?;
    Ok(ExitCode::SUCCESS)
}
