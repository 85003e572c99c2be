//! `permstat suggest`: narrow allow rules from the calls a person kept approving, written
//! (on request) into a settings file without touching anything else in it.

use super::policies::{load_and_replay, load_options};
use crate::cli::{Scope, SuggestArgs, SuggestFormat};
use crate::output::{self, new_table, num};
use crate::permissions::settings::{Policy, find_project_root};
use crate::suggest::{Proposal, SuggestOptions, apply, plan_write, suggest};
use crate::text::redact::Redactor;
use crate::text::time::iso;
use crate::transcript::discover;
use anyhow::Context;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Evidence window when `--since` is not given.
const DEFAULT_WINDOW_DAYS: i64 = 30;

/// The `suggest --format json` document.
#[derive(Debug, Serialize)]
pub struct SuggestOutput<'a> {
    /// Rules, left-out candidates, prompts before and after.
    #[serde(flatten)]
    pub proposal: &'a Proposal,
    /// The settings file the rules are for.
    pub target: String,
    /// The diff `--write` applies (or applied).
    pub diff: String,
    /// Rules the target already holds.
    pub already_present: Vec<String>,
    /// True when `--write` changed the file.
    pub written: bool,
    /// The backup of the previous file, when one was written.
    pub backup: Option<String>,
    /// The evidence window's start.
    pub since: String,
}

/// The settings file a scope names, for the project at the current folder.
fn target_file(args: &SuggestArgs) -> anyhow::Result<(PathBuf, PathBuf)> {
    let cwd = std::env::current_dir().context("no current folder")?;
    let home = discover::home_dir().unwrap_or_else(|| PathBuf::from("/"));
    let root = args
        .settings
        .project_root
        .clone()
        .unwrap_or_else(|| find_project_root(&cwd, &home));
    let file = match args.scope {
        Scope::Local => root.join(".claude").join("settings.local.json"),
        Scope::Project => root.join(".claude").join("settings.json"),
        Scope::User => discover::config_root(args.input.config_dir.as_deref())
            .context("no home folder: pass --config-dir")?
            .join("settings.json"),
    };
    Ok((file, root))
}

/// Runs `permstat suggest`.
pub fn run(args: &SuggestArgs) -> anyhow::Result<ExitCode> {
    let mut window = args.window.clone();
    if window.since.is_none() {
        let since = chrono::Utc::now() - chrono::Duration::days(DEFAULT_WINDOW_DAYS);
        window.since = Some(since.to_rfc3339());
    }
    let since = window.since.clone().unwrap_or_default();
    let (calls, replayed) = load_and_replay(&args.input, &args.settings, &window)?;
    let redactor = Redactor::new(!args.input.no_redact);
    let opts = SuggestOptions {
        min_count: args.min_count,
        min_sessions: args.min_sessions,
        limit: args.limit,
    };
    let proposal = suggest(
        &calls,
        &replayed.decisions,
        |c| replayed.policy_for(c, &args.settings),
        &opts,
        redactor,
    );
    let rules: Vec<String> = proposal.rules.iter().map(|r| r.rule.clone()).collect();

    if args.format == SuggestFormat::Settings {
        let block = serde_json::json!({"permissions": {"allow": rules}});
        output::print_json(&block)?;
        return Ok(ExitCode::SUCCESS);
    }

    let (target, root) = target_file(args)?;
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
    match args.format {
        SuggestFormat::Json => output::print_json(&out)?,
        _ => output::print_text(&render(&out, args.write))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn render(o: &SuggestOutput<'_>, write: bool) -> String {
    let p = o.proposal;
    let mut s = String::new();
    if p.rules.is_empty() {
        let _ = writeln!(s, "No rule to propose (evidence since {}).", o.since);
    } else {
        let mut t = new_table(&[
            "rule",
            "approvals",
            "sessions",
            "projects",
            "saved",
            "last seen",
            "examples",
        ]);
        for r in &p.rules {
            t.add_row(vec![
                comfy_table::Cell::new(&r.rule),
                num(r.approvals),
                num(r.sessions),
                num(r.projects),
                num(r.prompts_saved),
                comfy_table::Cell::new(r.last_seen_ms.map(iso).unwrap_or_default()),
                comfy_table::Cell::new(r.examples.join("\n")),
            ]);
        }
        let _ = writeln!(s, "Proposed allow rules (evidence since {}):\n{t}", o.since);
    }
    let _ = writeln!(
        s,
        "Prompts over these calls: {} now, {} with every rule above.",
        p.prompts_before, p.prompts_after
    );
    if !p.left_out.is_empty() {
        let mut t = new_table(&["left out", "tool", "why", "calls"]);
        for l in p.left_out.iter().take(20) {
            let reason = serde_json::to_value(l.reason)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            let why = match &l.table {
                Some(table) => format!("{reason}: {table}"),
                None => reason,
            };
            t.add_row(vec![
                comfy_table::Cell::new(&l.key),
                comfy_table::Cell::new(&l.tool),
                comfy_table::Cell::new(why),
                num(l.count),
            ]);
        }
        let more = p.left_out.len().saturating_sub(20);
        let _ = writeln!(s, "\n{t}");
        if more > 0 {
            let _ = writeln!(s, "(+{more} more left out; --format json lists all)");
        }
    }
    if !o.already_present.is_empty() {
        let _ = writeln!(
            s,
            "\nAlready in {}: {}",
            o.target,
            o.already_present.join(", ")
        );
    }
    if o.diff.is_empty() {
        let _ = writeln!(s, "\n{} needs no change.", o.target);
    } else if o.written {
        let _ = writeln!(s, "\nWrote {}:\n{}", o.target, o.diff);
        if let Some(b) = &o.backup {
            let _ = writeln!(s, "Backup: {b}");
        }
    } else if !write {
        let _ = writeln!(
            s,
            "\nDry run. `permstat suggest --write` would change {}:\n{}",
            o.target, o.diff
        );
    }
    s
}
