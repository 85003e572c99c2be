//! The suggest printer: the projected saving, the proposed rules of each project with their
//! kind and evidence, the friction no safe rule removes, what was left out, and the change
//! to each settings file ([`SuggestOutput`]), as text, JSON or a ready settings block.

use super::table::{ColumnKind, Style, TableData};
use super::{print_json, print_text, snake_name};
use crate::analysis::Bounds;
use crate::facts::runners::RuleClass;
use crate::suggest::{Friction, LeftOut, Placement, Suggested, TeamRule};
use crate::text::time::day_of;
use serde::Serialize;
use std::fmt::Write as _;

/// Output formats of `permstat suggest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestFormat {
    /// Tables for a terminal, and the diff to the settings file.
    Table,
    /// The whole proposal as JSON.
    Json,
    /// A ready `{"permissions": {"allow": [...]}}` block.
    Settings,
}

/// The evidence window, and what lies before it.
#[derive(Debug, Clone, Serialize)]
pub struct WindowInfo {
    /// Start (a day or a time), as given or defaulted.
    pub since: Option<String>,
    /// End (exclusive), as given.
    pub until: Option<String>,
    /// Days of the default window, when `--since` was not given.
    pub default_days: Option<i64>,
    /// Calls in the window.
    pub calls: usize,
    /// Calls of the selected projects made before the window.
    pub older_calls: usize,
    /// Day of the oldest of them.
    pub older_first: Option<String>,
    /// Day of the newest of them.
    pub older_last: Option<String>,
    /// The command that takes them in.
    pub widen: Option<String>,
}

/// One proposed rule as shown: its number (for `--pick`) and whether it is to be written.
#[derive(Debug, Serialize)]
pub struct ShownRule<'a> {
    /// 1-based number across projects.
    pub number: usize,
    /// Written by `--write` (not left out by `--pick` or `--exclude`).
    pub chosen: bool,
    /// The rule and its evidence.
    #[serde(flatten)]
    pub rule: &'a Suggested,
}

/// One project's settings file and what its chosen rules change.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectTarget {
    /// The project root (or the user's config folder, for `--scope user`).
    pub project: String,
    /// The settings file written.
    pub target: String,
    /// Prompts over the project's calls in the window.
    pub prompts_before: usize,
    /// Prompts left with the chosen rules added (by replay).
    pub prompts_after: usize,
    /// Prompts people answered over the project's calls, by how sure that is.
    pub answered: Bounds,
    /// Of those, the prompts the chosen rules would have saved.
    pub answered_saved: Bounds,
    /// Chosen rules for this file.
    pub rules: usize,
    /// The diff `--write` applies (or applied).
    pub diff: String,
    /// Chosen rules the file already holds.
    pub already_present: Vec<String>,
    /// True when `--write` changed the file.
    pub written: bool,
    /// The backup of the previous file, when one was written.
    pub backup: Option<String>,
}

/// The `suggest --format json` document.
#[derive(Debug, Serialize)]
pub struct SuggestOutput<'a> {
    /// The evidence window.
    pub window: WindowInfo,
    /// `local`, `project` or `user`.
    pub scope: &'static str,
    /// Calls that prompt by a replay of today's settings, over the calls in the window.
    pub prompts_before: usize,
    /// Of those, the calls that would still prompt with the chosen rules added.
    pub prompts_after: usize,
    /// `prompts_before - prompts_after`.
    pub prompts_saved: usize,
    /// `prompts_saved / prompts_before` (0 when there were none).
    pub saved_share: f64,
    /// Prompts people answered over the calls in the window, by how sure that is (the
    /// report's figure): the sum over the projects.
    pub answered: Bounds,
    /// Of those, the prompts the chosen rules would have saved: the sum over the projects.
    pub answered_saved: Bounds,
    /// Every proposed rule, project by project, best first within a project.
    pub rules: Vec<ShownRule<'a>>,
    /// One entry per project (per settings file).
    pub projects: Vec<ProjectTarget>,
    /// The biggest friction no safe rule removes, and what to do instead.
    pub friction: Vec<Friction>,
    /// Every candidate left out, with why.
    pub left_out: Vec<LeftOut>,
    /// Warnings the rules call for (runner rules).
    pub warnings: Vec<String>,
    /// Team mode: whom each rule saves prompts and where it belongs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub team: Vec<TeamRule>,
}

/// The warning every output gives with rules that run project code.
pub const RUNNER_WARNING: &str = "rules marked 'runs project code' let the agent run code it can edit (tests, build scripts, task files): together with edit permission (acceptEdits mode, Edit rules) they admit arbitrary code";

impl<'a> SuggestOutput<'a> {
    /// The document: totals are the sums over the projects.
    pub fn new(
        window: WindowInfo,
        scope: &'static str,
        rules: Vec<ShownRule<'a>>,
        projects: Vec<ProjectTarget>,
        friction: Vec<Friction>,
        left_out: Vec<LeftOut>,
    ) -> Self {
        let before: usize = projects.iter().map(|p| p.prompts_before).sum();
        let after: usize = projects.iter().map(|p| p.prompts_after).sum();
        let saved = before.saturating_sub(after);
        let (mut answered, mut answered_saved) = (Bounds::default(), Bounds::default());
        for p in &projects {
            answered.add(p.answered);
            answered_saved.add(p.answered_saved);
        }
        let warnings = rules
            .iter()
            .any(|r| r.rule.class == RuleClass::RunsProjectCode)
            .then(|| RUNNER_WARNING.to_string())
            .into_iter()
            .collect();
        SuggestOutput {
            window,
            scope,
            prompts_before: before,
            prompts_after: after,
            prompts_saved: saved,
            saved_share: if before == 0 {
                0.0
            } else {
                saved as f64 / before as f64
            },
            answered,
            answered_saved,
            rules,
            projects,
            friction,
            left_out,
            warnings,
            team: Vec::new(),
        }
    }

    /// The same document with the team placements of its rules.
    pub fn with_team(mut self, team: Vec<TeamRule>) -> Self {
        self.team = team;
        self
    }
}

/// The chosen rules as a ready `{"permissions": {"allow": [...]}}` block.
pub fn settings_block(rules: &[&str]) -> serde_json::Value {
    serde_json::json!({"permissions": {"allow": rules}})
}

/// Prints the proposal in `format` to stdout; `write` says whether `--write` was given.
pub fn print(o: &SuggestOutput<'_>, format: SuggestFormat, write: bool) -> anyhow::Result<()> {
    match format {
        SuggestFormat::Table => print_text(&render(o, write)),
        SuggestFormat::Json => print_json(o),
        SuggestFormat::Settings => {
            let chosen: Vec<&str> = o
                .rules
                .iter()
                .filter(|r| r.chosen)
                .map(|r| r.rule.rule.as_str())
                .collect();
            print_json(&settings_block(&chosen))
        }
    }
}

/// "since 2026-10-23 (the last 30 days)".
fn window_words(w: &WindowInfo) -> String {
    let mut s = match &w.since {
        Some(since) => format!("since {since}"),
        None => "over the whole history".to_string(),
    };
    if let Some(d) = w.default_days {
        let _ = write!(s, " (the last {d} days)");
    }
    if let Some(u) = &w.until {
        let _ = write!(s, ", before {u}");
    }
    s
}

/// The proposal as text: the saving, the rules of each project, why prompts remain, what
/// was left out, and the change to each settings file (made, or that `--write` would make).
pub fn render(o: &SuggestOutput<'_>, write: bool) -> String {
    let mut s = String::new();
    let w = &o.window;
    let chosen = o.rules.iter().filter(|r| r.chosen).count();
    match (o.rules.is_empty(), w.calls) {
        (true, 0) => {
            let _ = writeln!(s, "No call {}: no rule to propose.", window_words(w));
        }
        (true, calls) => {
            let _ = writeln!(
                s,
                "No rule to propose from the {calls} calls {} ({} answered prompts, estimated; {} calls that would prompt by replay).",
                window_words(w),
                o.answered,
                o.prompts_before
            );
        }
        (false, calls) => {
            let _ = writeln!(
                s,
                "{chosen} rule(s) would have saved {} of the {} prompts people answered over the {calls} calls {} (estimates, low-high: see docs/report.md).",
                o.answered_saved,
                o.answered,
                window_words(w)
            );
            let _ = writeln!(
                s,
                "By a replay of today's settings, {} of the {} calls that would prompt no longer would ({:.1}%).",
                o.prompts_saved,
                o.prompts_before,
                o.saved_share * 100.0,
            );
        }
    }
    if let (true, Some(first), Some(last), Some(cmd)) =
        (o.rules.is_empty(), &w.older_first, &w.older_last, &w.widen)
    {
        let _ = writeln!(
            s,
            "{} older calls, from {first} to {last}, lie outside this window. To take them in:\n  {cmd}",
            w.older_calls
        );
    }
    for p in &o.projects {
        let rules: Vec<&ShownRule<'_>> = o
            .rules
            .iter()
            .filter(|r| r.rule.project.as_deref() == Some(p.project.as_str()))
            .collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "\nProject {} (saves {} of {} answered prompts; by replay {} -> {}), for {}:",
            p.project, p.answered_saved, p.answered, p.prompts_before, p.prompts_after, p.target
        );
        rule_table(&mut s, &rules);
    }
    for warning in &o.warnings {
        let _ = writeln!(s, "\nWarning: {warning}.");
    }
    if !o.friction.is_empty() {
        s.push_str("\nWhy you still get prompts: the biggest friction no safe rule removes\n");
        let mut t = TableData::new(&[
            ("prompts", ColumnKind::Number),
            ("what", ColumnKind::Code),
            ("why", ColumnKind::Text),
            ("instead", ColumnKind::Text),
        ]);
        for f in &o.friction {
            t.push(vec![
                f.count.to_string(),
                f.key.clone(),
                f.why.clone(),
                f.advice.to_string(),
            ]);
        }
        t.write(&mut s, Style::Terminal);
    }
    left_out_table(&mut s, &o.left_out);
    if o.team.is_empty() {
        for p in &o.projects {
            targets(&mut s, p, write);
        }
    } else {
        team_table(&mut s, &o.team);
    }
    if o.rules.len() > 1 && !write {
        let _ = writeln!(
            s,
            "\nTo write only some rules: --pick 1,3 (their numbers) or --exclude 'RULE'."
        );
    }
    s
}

/// The rules of one project: number, kind, evidence and saving.
fn rule_table(s: &mut String, rules: &[&ShownRule<'_>]) {
    let mut t = TableData::new(&[
        ("#", ColumnKind::Text),
        ("rule", ColumnKind::Code),
        ("kind", ColumnKind::Text),
        ("approvals", ColumnKind::Number),
        ("sessions", ColumnKind::Number),
        ("saved (est.)", ColumnKind::Number),
        ("by replay", ColumnKind::Number),
        ("last seen", ColumnKind::Text),
        ("examples", ColumnKind::Lines),
    ]);
    for r in rules {
        let number = match r.chosen {
            true => r.number.to_string(),
            false => format!("{} (skip)", r.number),
        };
        t.push(vec![
            number,
            r.rule.rule.clone(),
            r.rule.class.label().to_string(),
            r.rule.approvals.to_string(),
            r.rule.sessions.to_string(),
            r.rule.saved.to_string(),
            r.rule.prompts_saved.to_string(),
            r.rule.last_seen_ms.and_then(day_of).unwrap_or_default(),
            r.rule.examples.join("\n"),
        ]);
    }
    t.write(s, Style::Terminal);
}

/// Team mode: whom each rule saves prompts, and where it belongs.
fn team_table(s: &mut String, team: &[TeamRule]) {
    s.push_str(
        "\nWhere each rule belongs (shared: it saves every developer of the project prompts)\n",
    );
    let mut t = TableData::new(&[
        ("#", ColumnKind::Text),
        ("rule", ColumnKind::Code),
        ("project", ColumnKind::Text),
        ("developers", ColumnKind::Number),
        ("saves", ColumnKind::Lines),
        ("belongs in", ColumnKind::Text),
    ]);
    for r in team {
        let saves: Vec<String> = r
            .saves
            .iter()
            .map(|d| {
                format!(
                    "{} {} ({} by replay)",
                    d.developer, d.saved, d.prompts_saved
                )
            })
            .collect();
        t.push(vec![
            r.number.to_string(),
            r.rule.clone(),
            r.project.clone(),
            format!("{} of {}", r.saves.len(), r.developers_in_project),
            saves.join("\n"),
            match r.placement {
                Placement::SharedProject => ".claude/settings.json (shared)".to_string(),
                Placement::EachLocal => "each one's .claude/settings.local.json".to_string(),
            },
        ]);
    }
    t.write(s, Style::Terminal);
}

/// Rows of the left-out table in text.
const LEFT_OUT_ROWS: usize = 15;

/// The candidates left out, most calls first.
fn left_out_table(s: &mut String, left_out: &[LeftOut]) {
    if left_out.is_empty() {
        return;
    }
    let mut t = TableData::new(&[
        ("left out", ColumnKind::Text),
        ("tool", ColumnKind::Text),
        ("why", ColumnKind::Text),
        ("calls", ColumnKind::Number),
    ]);
    for l in left_out {
        let reason = snake_name(&l.reason);
        let why = match &l.table {
            Some(table) => format!("{reason}: {table}"),
            None => reason,
        };
        t.push(vec![
            l.key.clone(),
            l.tool.clone(),
            why,
            l.count.to_string(),
        ]);
    }
    s.push('\n');
    t.cut(LEFT_OUT_ROWS, "candidates left out")
        .write(s, Style::Terminal);
}

/// What happens to one settings file.
fn targets(s: &mut String, p: &ProjectTarget, write: bool) {
    if p.rules == 0 {
        return;
    }
    if !p.already_present.is_empty() {
        let _ = writeln!(
            s,
            "\nAlready in {}: {}",
            p.target,
            p.already_present.join(", ")
        );
    }
    if p.diff.is_empty() {
        let _ = writeln!(s, "\n{} needs no change.", p.target);
    } else if p.written {
        let _ = writeln!(s, "\nWrote {}:\n{}", p.target, p.diff);
        if let Some(b) = &p.backup {
            let _ = writeln!(s, "Backup: {b}");
        }
    } else if !write {
        let _ = writeln!(
            s,
            "\nDry run. `permstat suggest --write` would change {}:\n{}",
            p.target, p.diff
        );
    }
}
