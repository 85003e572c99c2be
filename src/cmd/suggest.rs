//! `permstat suggest`: narrow allow rules from the calls a person kept approving, written
//! (on request) into a settings file without touching anything else in it.

use super::folder_settings::{
    SettingsOptions, evidence_of, load_and_replay, load_options, replay_keys,
};
use super::{InputOptions, WindowOptions};
use crate::analysis::evidence::EvidenceParams;
use crate::output::{
    self,
    suggest::{SuggestFormat, SuggestOutput, settings_block},
};
use crate::permissions::settings::{Policy, find_project_root};
use crate::suggest::{SuggestOptions, apply, plan_write, suggest_with};
use crate::text::redact::Redactor;
use crate::transcript::discover;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Evidence window when `--since` is not given.
const DEFAULT_WINDOW_DAYS: i64 = 30;

/// Which settings file `suggest --write` merges into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteScope {
    /// `<project root>/.claude/settings.local.json` (not committed).
    Local,
    /// `<project root>/.claude/settings.json` (shared with the team).
    Project,
    /// `<config dir>/settings.json` (every project of this user).
    User,
}

/// What `permstat suggest` was asked for.
#[derive(Debug, Clone)]
pub struct SuggestRunOptions {
    /// Transcripts to read, and shared options.
    pub input: InputOptions,
    /// Settings to replay.
    pub settings: SettingsOptions,
    /// Calls to cover (no `since`: the last 30 days).
    pub window: WindowOptions,
    /// How much evidence a rule needs, and how many rules at most.
    pub thresholds: SuggestOptions,
    /// Output format.
    pub format: SuggestFormat,
    /// Merge the rules into the settings file (false: dry run, print the diff).
    pub write: bool,
    /// Which settings file to write.
    pub scope: WriteScope,
    /// A result sooner than this many milliseconds after its call came from no person.
    pub human_floor_ms: i64,
}

/// The settings file a scope names and the project root: `project_root`, else the project
/// at the current folder (`permstat hook --install` writes the same files).
pub fn settings_file(
    scope: WriteScope,
    project_root: Option<&Path>,
    config_dir: Option<&Path>,
) -> anyhow::Result<(PathBuf, PathBuf)> {
    let cwd = std::env::current_dir().context("no current folder")?;
    let home = discover::home_dir().unwrap_or_else(|| PathBuf::from("/"));
    let root = project_root
        .map(Path::to_path_buf)
        .unwrap_or_else(|| find_project_root(&cwd, &home));
    let file = match scope {
        WriteScope::Local => root.join(".claude").join("settings.local.json"),
        WriteScope::Project => root.join(".claude").join("settings.json"),
        WriteScope::User => discover::config_root(config_dir)
            .context("no home folder: pass --config-dir")?
            .join("settings.json"),
    };
    Ok((file, root))
}

/// Runs `permstat suggest`.
pub fn run(args: &SuggestRunOptions) -> anyhow::Result<ExitCode> {
    let mut window = args.window.clone();
    if window.since.is_none() {
        let since = chrono::Utc::now() - chrono::Duration::days(DEFAULT_WINDOW_DAYS);
        window.since = Some(since.to_rfc3339());
    }
    let since = window.since.clone().unwrap_or_default();
    let (calls, replayed) = load_and_replay(&args.input, &args.settings, &window)?;
    let redactor = Redactor::new(!args.input.no_redact);
    let params = EvidenceParams {
        floor_ms: args.human_floor_ms,
    };
    let keys = replay_keys(&calls, &replayed);
    let evidence = evidence_of(&calls, &replayed, &args.settings, &keys, &params);
    drop(keys);
    let proposal = suggest_with(
        &calls,
        &replayed.decisions,
        |c| replayed.policy_for(c, &args.settings),
        &evidence,
        &args.thresholds,
        redactor,
    );
    // A settings block needs no target file: nothing below applies.
    if let SuggestFormat::Settings = args.format {
        output::print_json(&settings_block(&proposal))?;
        return Ok(ExitCode::SUCCESS);
    }
    let rules: Vec<String> = proposal.rules.iter().map(|r| r.rule.clone()).collect();

    let (target, root) = settings_file(
        args.scope,
        args.settings.project_root.as_deref(),
        args.input.config_dir.as_deref(),
    )?;
    // The policy of the project being written decides whether rules may be written at all.
    let (policy, _) = Policy::load(&load_options(&args.input, &args.settings, &root));
    let plan = plan_write(&target, &rules, policy.managed_rules_only)?;
    let mut written = false;
    let mut backup = None;
    if args.write && plan.changed() {
        let applied = apply(&plan)?;
        written = applied.written;
        backup = applied.backup.map(|b| b.display().to_string());
    }
    let out = SuggestOutput {
        proposal: &proposal,
        target: target.display().to_string(),
        diff: plan.diff.clone(),
        already_present: plan.already_present.clone(),
        written,
        backup,
        since,
    };
    output::suggest::print(&out, args.format, args.write)?;
    Ok(ExitCode::SUCCESS)
}
