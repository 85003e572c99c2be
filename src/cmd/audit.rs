//! `permstat audit`: every loaded rule, how often it decided a call, and what is wrong with it.

use super::folder_settings::{SettingsOptions, load_options, replay_calls, warn_settings};
use super::load::check_config_dir;
use super::{InputOptions, WindowOptions, apply_window_checked, load, window};
use crate::output::{self, Format};
use crate::permissions::settings::{Policy, Warning};
use crate::suggest::audit;
use crate::suggest::audit::{fails_on_dangerous, has_findings};
use crate::text::redact::Redactor;
use std::process::ExitCode;

/// When `permstat audit` exits non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Never (exit 0 after reporting).
    Never,
    /// When an allow rule is dangerous, or settings could not be read (nothing can then be
    /// proved about what they allow).
    Dangerous,
    /// When any rule has any finding.
    Findings,
}

/// What `permstat audit` was asked for.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Transcripts to read, and shared options.
    pub input: InputOptions,
    /// Settings to audit (besides those found as Claude Code finds them).
    pub settings: SettingsOptions,
    /// Calls to count rule use over.
    pub window: WindowOptions,
    /// Output format.
    pub format: Format,
    /// Exit 1 when the audit finds this (for CI).
    pub fail_on: FailOn,
}

/// Runs `permstat audit`. Without transcripts the rules are still audited (usage counts 0).
/// Settings that could not be read are findings in the output (even with `--quiet`, which
/// only silences stderr) and count for `--fail-on`.
pub fn run(args: &AuditOptions) -> anyhow::Result<ExitCode> {
    check_config_dir(&args.input)?;
    window::bounds(&args.window)?;
    let calls = match load(&args.input) {
        Ok(loaded) => apply_window_checked(loaded.table.calls, &args.window)?,
        // No transcript folder: audit the settings alone.
        Err(e) if args.input.paths.is_empty() => {
            if !args.input.quiet {
                eprintln!("permstat: note: {e:#}; auditing the settings without usage counts");
            }
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let replayed = replay_calls(&calls, &args.input, &args.settings);
    // The settings of the folder audit runs in, too: the ones a user is most likely asking about.
    let cwd = std::env::current_dir().unwrap_or_else(|_| "/".into());
    let (here, here_warnings) = Policy::load(&load_options(&args.input, &args.settings, &cwd));
    let mut warnings: Vec<Warning> = replayed.warnings.clone();
    for w in here_warnings {
        if !warnings.iter().any(|old| old.to_string() == w.to_string()) {
            warnings.push(w);
        }
    }
    warn_settings(&args.input, &warnings);
    let redactor = Redactor::new(!args.input.no_redact);
    let mut policies: Vec<&Policy> = vec![&here];
    policies.extend(replayed.policies.values().map(|p| &**p));
    let result = audit(&policies, &calls, &replayed.decisions, &warnings, redactor);
    output::audit::print(&result, args.format)?;
    let fail = match args.fail_on {
        FailOn::Never => false,
        FailOn::Dangerous => fails_on_dangerous(&result),
        FailOn::Findings => has_findings(&result),
    };
    Ok(if fail {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
