//! `permstat audit`: every loaded rule, how often it decided a call, and what is wrong with it.

use super::folder_settings::{SettingsOptions, load_options, replay_calls};
use super::{InputOptions, WindowOptions, apply_window, load};
use crate::output::{self, Format};
use crate::permissions::settings::Policy;
use crate::suggest::{audit, has_dangerous};
use std::process::ExitCode;

/// When `permstat audit` exits non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Never (exit 0 after reporting).
    Never,
    /// When an allow rule is dangerous.
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
pub fn run(args: &AuditOptions) -> anyhow::Result<ExitCode> {
    let calls = match load(&args.input) {
        Ok(loaded) => apply_window(loaded.table.calls, &args.window)?,
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
    if !args.input.quiet {
        let mut seen: Vec<String> = replayed.warnings.iter().map(|w| w.to_string()).collect();
        for w in &here_warnings {
            let t = w.to_string();
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
        for w in seen {
            eprintln!("permstat: warning: {w}");
        }
    }
    let mut policies: Vec<&Policy> = vec![&here];
    policies.extend(replayed.policies.values().map(|p| &**p));
    let result = audit(&policies, &calls, &replayed.decisions);
    output::audit::print(&result, args.format)?;
    let fail = match args.fail_on {
        FailOn::Never => false,
        FailOn::Dangerous => has_dangerous(&result),
        FailOn::Findings => result.summary.with_findings > 0,
    };
    Ok(if fail {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
