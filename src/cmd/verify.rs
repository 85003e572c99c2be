//! `permstat verify`: explain a headless run's boundary (`--explain`), check the calls of
//! the selected sessions against it, or write and check a canary (`verify canary`).
//!
//! Exit status: 0 when no call violated the boundary (or the canary passed), 1 when one did
//! (or it failed), 2 for a usage error (an unknown flag in the claude command line, two
//! boundaries given at once, nothing to explain).

use super::folder_settings::{SettingsOptions, load_options, session_cwd};
use super::window::{WindowOptions, parse_when, project_matches};
use super::{InputOptions, load};
use crate::event::{Mode, ToolCall};
use crate::output::Format;
use crate::output::verify::{
    self as printer, BoundaryInfo, CanaryWritten, junit_canary, junit_run,
};
use crate::permissions::settings::Policy;
use crate::text::redact::Redactor;
use crate::transcript::stream_json::Capture;
use crate::verify::boundary::{Boundary, settings_file};
use crate::verify::canary::{self, CanaryPlan, shell_line, shell_quote};
use crate::verify::explain::{explain, gaps};
use crate::verify::flags::{Arg, Declared, MODE_NAMES, parse_command, split_command_line};
use crate::verify::run::{Subject, check};
use crate::verify::{NON_INTERACTIVE_ENTRYPOINTS, is_non_interactive};
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The boundary, as a claude command line or as permstat's own flags.
#[derive(Debug, Clone, Default)]
pub struct BoundaryOptions {
    /// `--allowed`: allow rules, each value split like Claude Code's lists.
    pub allowed: Vec<String>,
    /// `--disallowed`: deny rules.
    pub disallowed: Vec<String>,
    /// `--mode`.
    pub mode: Option<String>,
    /// `--tools`: the built-in tools that exist.
    pub tools: Option<String>,
    /// `--add-dir`.
    pub add_dirs: Vec<String>,
    /// `--prompt-tool`: the run's `--permission-prompt-tool`.
    pub prompt_tool: Option<String>,
    /// `--from-command`: the claude command line as one string.
    pub from_command: Option<String>,
    /// The claude command line after `--`.
    pub command: Vec<String>,
}

/// What `permstat verify` was asked for.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Transcripts to read, and shared options.
    pub input: InputOptions,
    /// Settings to load besides the declared ones.
    pub settings: SettingsOptions,
    /// `--since`, `--until`, `--project`.
    pub window: WindowOptions,
    /// The declared boundary.
    pub boundary: BoundaryOptions,
    /// Explain the boundary instead of checking transcripts.
    pub explain: bool,
    /// Sessions to check (id prefixes); none: by entrypoint.
    pub sessions: Vec<String>,
    /// Entrypoints to check (`any` for all); none: the non-interactive ones.
    pub entrypoints: Vec<String>,
    /// The folder the run starts in, for `--explain` (default: the current folder).
    pub cwd: Option<PathBuf>,
    /// Output format.
    pub format: Format,
    /// Where to write a JUnit XML report.
    pub junit: Option<PathBuf>,
}

/// What `permstat verify canary` was asked for.
#[derive(Debug, Clone)]
pub struct CanaryOptions {
    /// The declared boundary.
    pub boundary: BoundaryOptions,
    /// Settings to load besides the declared ones.
    pub settings: SettingsOptions,
    /// Claude Code's configuration folder.
    pub config_dir: Option<PathBuf>,
    /// The folder the canary's files are written to (and read from by `--check`).
    pub out: PathBuf,
    /// The temporary folder the canary's commands write to.
    pub tmp: String,
    /// The nonce of the canary's file names (default: from the time and process id).
    pub nonce: Option<String>,
    /// The transcript or stream-json capture of the canary's run, to check.
    pub check: Option<PathBuf>,
    /// The folder the run starts in (default: the current folder).
    pub cwd: Option<PathBuf>,
    /// Output format.
    pub format: Format,
    /// Where to write a JUnit XML report of the check.
    pub junit: Option<PathBuf>,
}

/// A usage error: printed, and exit 2.
fn usage(msg: impl std::fmt::Display) -> anyhow::Result<ExitCode> {
    eprintln!("permstat: error: {msg}");
    Ok(ExitCode::from(2))
}

/// The declared boundary of the options, or the usage error.
fn declared(b: &BoundaryOptions) -> Result<Declared, String> {
    let own_flags = !b.allowed.is_empty()
        || !b.disallowed.is_empty()
        || b.mode.is_some()
        || b.tools.is_some()
        || !b.add_dirs.is_empty()
        || b.prompt_tool.is_some();
    let line = !b.command.is_empty() || b.from_command.is_some();
    if line && own_flags {
        return Err(
            "give the boundary either as a claude command line (after -- or with \
                    --from-command) or as --allowed/--disallowed/--mode/--tools, not both"
                .into(),
        );
    }
    if !b.command.is_empty() && b.from_command.is_some() {
        return Err("give the claude command line once: after -- or with --from-command".into());
    }
    if let Some(l) = &b.from_command {
        let args = split_command_line(l).map_err(|e| e.to_string())?;
        return parse_command(&args).map_err(|e| e.to_string());
    }
    if !b.command.is_empty() {
        let args: Vec<Arg> = b.command.iter().map(|s| Arg::plain(s)).collect();
        return parse_command(&args).map_err(|e| e.to_string());
    }
    let mode = match b.mode.as_deref() {
        None => None,
        Some(m) if MODE_NAMES.contains(&m) => Some(Mode::parse(m)),
        Some(m) => {
            return Err(format!(
                "--mode '{m}' is not a mode Claude Code accepts ({})",
                MODE_NAMES.join(", ")
            ));
        }
    };
    let tools = b.tools.clone().map(|t| vec![t]);
    let mut d = Declared::from_lists(&b.allowed, &b.disallowed, mode, tools.as_deref());
    d.add_dirs = b.add_dirs.clone();
    d.prompt_tool = b.prompt_tool.clone();
    Ok(d)
}

/// The boundary of `d` for a run that starts in `cwd`, with the settings that load there.
fn boundary_at(
    d: &Declared,
    input: &InputOptions,
    settings: &SettingsOptions,
    cwd: &Path,
) -> Boundary {
    let mut opts = load_options(input, settings, cwd);
    opts.extra.extend(settings_file(d, cwd));
    Boundary::new(d.clone(), Policy::load(&opts))
}

fn current_dir(cwd: Option<&PathBuf>) -> PathBuf {
    cwd.cloned()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// Writes `text` to `path` atomically (a temporary file in the same folder, renamed).
fn write_atomic(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Runs `permstat verify`.
pub fn run(o: &VerifyOptions) -> anyhow::Result<ExitCode> {
    let d = match declared(&o.boundary) {
        Ok(d) => d,
        Err(e) => return usage(e),
    };
    // A command line, even one with no permission flag, is a boundary (the settings' own).
    let nothing = d.argv.is_empty() && !d.declares_anything();
    if nothing && o.explain {
        return usage(
            "nothing to explain: give a claude command line after -- (or with --from-command), \
             or --allowed/--disallowed/--mode/--tools",
        );
    }
    if o.explain {
        let cwd = current_dir(o.cwd.as_ref());
        let b = boundary_at(&d, &o.input, &o.settings, &cwd);
        printer::print_explain(&explain(&b), o.format)?;
        return Ok(ExitCode::SUCCESS);
    }
    if nothing {
        return usage(
            "nothing to check against: give the run's claude command line after -- (or with \
             --from-command), or --allowed/--disallowed/--mode/--tools",
        );
    }
    check_run(o, d)
}

/// Which sessions were selected, in words.
fn selection(o: &VerifyOptions) -> String {
    if !o.sessions.is_empty() {
        format!("sessions {}", o.sessions.join(", "))
    } else if !o.entrypoints.is_empty() {
        format!("entrypoint {}", o.entrypoints.join(", "))
    } else {
        format!(
            "entrypoints {} and stream-json captures",
            NON_INTERACTIVE_ENTRYPOINTS.join(", ")
        )
    }
}

fn check_run(o: &VerifyOptions, d: Declared) -> anyhow::Result<ExitCode> {
    let loaded = load(&o.input)?;
    let since = o.window.since.as_deref().map(parse_when).transpose()?;
    let until = o.window.until.as_deref().map(parse_when).transpose()?;
    let captures = &loaded.table.captures;
    let capture_of = |c: &ToolCall| -> Option<&Capture> {
        captures
            .iter()
            .find(|cap| cap.session_id.as_deref() == Some(&*c.session_id))
            .or_else(|| captures.iter().find(|cap| cap.file == c.file))
    };
    let selected: Vec<&ToolCall> = loaded
        .table
        .calls
        .iter()
        .filter(|c| {
            if !o.sessions.is_empty() {
                return o
                    .sessions
                    .iter()
                    .any(|s| c.session_id.starts_with(s.as_str()));
            }
            if o.entrypoints.iter().any(|e| e == "any") {
                return true;
            }
            let ep = c.entrypoint.as_deref();
            if !o.entrypoints.is_empty() {
                return ep.is_some_and(|e| o.entrypoints.iter().any(|x| x == e));
            }
            ep.is_some_and(is_non_interactive) || capture_of(c).is_some()
        })
        .filter(|c| {
            let t = c.asked_ms.or(c.answered_ms);
            match (since, until, t) {
                (None, None, _) => true,
                (_, _, None) => false,
                (s, u, Some(t)) => s.is_none_or(|s| t >= s) && u.is_none_or(|u| t < u),
            }
        })
        .filter(|c| {
            o.window.project.as_deref().is_none_or(|p| {
                c.project
                    .as_deref()
                    .is_some_and(|proj| project_matches(p, proj))
            })
        })
        .collect();
    let mut boundaries: HashMap<PathBuf, Boundary> = HashMap::new();
    for c in &selected {
        let cwd = session_cwd(c, &o.settings);
        boundaries
            .entry(cwd.clone())
            .or_insert_with(|| boundary_at(&d, &o.input, &o.settings, &cwd));
    }
    let here = current_dir(o.cwd.as_ref());
    let fallback = boundary_at(&d, &o.input, &o.settings, &here);
    if !o.input.quiet {
        let mut seen = std::collections::BTreeSet::new();
        for w in boundaries
            .values()
            .chain([&fallback])
            .flat_map(|b| &b.warnings)
        {
            if seen.insert(w.to_string()) {
                eprintln!("permstat: warning: {w}");
            }
        }
    }
    let subjects: Vec<Subject<'_>> = selected
        .iter()
        .map(|c| {
            let capture = capture_of(c);
            let headless = capture.is_some()
                || match c.entrypoint.as_deref() {
                    Some(e) => is_non_interactive(e),
                    None => d.print_stated,
                };
            Subject {
                call: c,
                boundary: boundaries
                    .get(&session_cwd(c, &o.settings))
                    .unwrap_or(&fallback),
                headless,
                capture,
            }
        })
        .collect();
    let first = subjects.first().map_or(&fallback, |s| s.boundary);
    let mut result = check(&d, &subjects, gaps(first));
    if selected.is_empty() {
        let mut eps: Vec<&str> = loaded
            .table
            .calls
            .iter()
            .map(|c| c.entrypoint.as_deref().unwrap_or("(none recorded)"))
            .collect();
        eps.sort_unstable();
        eps.dedup();
        result.notes.push(format!(
            "no call selected: {} sessions read, entrypoints {}; choose sessions with \
             --entrypoint NAME (or any) or --session ID",
            loaded.table.sessions.len(),
            if eps.is_empty() {
                "-".to_string()
            } else {
                eps.join(", ")
            }
        ));
    }
    let mut sessions: Vec<&str> = selected.iter().map(|c| &*c.session_id).collect();
    sessions.sort_unstable();
    sessions.dedup();
    let info = BoundaryInfo {
        command: d.argv.clone(),
        mode: first.mode.to_string(),
        mode_from: first.mode_from.clone(),
        allowed: d.allowed.clone(),
        disallowed: d.disallowed.clone(),
        tools: d.tools.clone(),
        sessions: sessions.len(),
        selection: selection(o),
    };
    let red = Redactor::new(!o.input.no_redact);
    printer::print_run(&result, &info, &selected, o.format, red)?;
    if let Some(path) = &o.junit {
        write_atomic(path, &junit_run(&result, &selected, red))?;
    }
    Ok(if result.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The plan file of a canary folder.
fn plan_path(out: &Path) -> PathBuf {
    out.join("canary.json")
}

/// Runs `permstat verify canary`: writes the canary, or checks its run (`--check`).
pub fn run_canary(o: &CanaryOptions) -> anyhow::Result<ExitCode> {
    match &o.check {
        Some(file) => check_canary(o, file),
        None => write_canary(o),
    }
}

fn write_canary(o: &CanaryOptions) -> anyhow::Result<ExitCode> {
    let d = match declared(&o.boundary) {
        Ok(d) => d,
        Err(e) => return usage(e),
    };
    let input = InputOptions {
        config_dir: o.config_dir.clone(),
        quiet: true,
        no_cache: true,
        ..InputOptions::default()
    };
    let cwd = current_dir(o.cwd.as_ref());
    let mut load_opts = load_options(&input, &o.settings, &cwd);
    load_opts.extra.extend(settings_file(&d, &cwd));
    let loaded = Policy::load(&load_opts);
    let nonce = o.nonce.clone().unwrap_or_else(canary::nonce);
    if nonce.is_empty()
        || !nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return usage("--nonce takes letters, digits and '-' only");
    }
    let plan = match canary::plan(
        &d,
        |d2| Boundary::new(d2.clone(), loaded.clone()),
        &nonce,
        &o.tmp,
    ) {
        Ok(p) => p,
        Err(e) => return usage(format!("cannot write a canary: {e}")),
    };
    let out = &o.out;
    let q = |p: &Path| shell_quote(&p.display().to_string());
    let capture = out.join("capture.jsonl");
    let command_line = format!("{} > {}", shell_line(&plan.argv), q(&capture));
    let check_command = shell_line(&[
        "permstat".into(),
        "verify".into(),
        "canary".into(),
        "--check".into(),
        capture.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ]);
    let script = format!(
        "#!/bin/sh\n# The permstat canary {nonce}: one allowed and one denied write to a temporary \
         file,\n# under the boundary being tested. Written by `permstat verify canary`.\n# Check \
         the run with:\n#   {check_command}\n{command_line}\n"
    );
    let files = [
        (out.join("prompt.txt"), plan.prompt.clone()),
        (out.join("run.sh"), script),
        (plan_path(out), serde_json::to_string_pretty(&plan)? + "\n"),
    ];
    for (path, text) in &files {
        write_atomic(path, text)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(out.join("run.sh"), std::fs::Permissions::from_mode(0o755))?;
    }
    let written = CanaryWritten {
        plan: &plan,
        files: files.iter().map(|(p, _)| p.display().to_string()).collect(),
        command_line,
        check_command,
    };
    printer::print_canary_plan(&written, o.format)?;
    Ok(ExitCode::SUCCESS)
}

fn check_canary(o: &CanaryOptions, file: &Path) -> anyhow::Result<ExitCode> {
    let path = plan_path(&o.out);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            return usage(format!(
                "{}: {e}; write the canary first (permstat verify canary --out {})",
                path.display(),
                o.out.display()
            ));
        }
    };
    let plan: CanaryPlan = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a canary plan: {e}", path.display()))?;
    let input = InputOptions {
        paths: vec![file.to_path_buf()],
        config_dir: o.config_dir.clone(),
        quiet: false,
        no_cache: true,
        ..InputOptions::default()
    };
    let loaded = load(&input)?;
    if loaded.table.files.is_empty() {
        anyhow::bail!("{}: no such transcript or capture", file.display());
    }
    let result = canary::check(&plan, &loaded.table.calls, &loaded.table.captures);
    printer::print_canary_check(&result, o.format)?;
    if let Some(j) = &o.junit {
        write_atomic(j, &junit_canary(&result))?;
    }
    Ok(if result.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
