//! The suggest printer: the proposed rules, their evidence and the change to the settings
//! file ([`SuggestOutput`]) as text, JSON or a ready settings block.

use super::table::{ColumnKind, Style, TableData};
use super::{print_json, print_text, snake_name};
use crate::suggest::Proposal;
use crate::text::time::iso;
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

/// The rules as a ready `{"permissions": {"allow": [...]}}` block.
pub fn settings_block(p: &Proposal) -> serde_json::Value {
    let rules: Vec<&str> = p.rules.iter().map(|r| r.rule.as_str()).collect();
    serde_json::json!({"permissions": {"allow": rules}})
}

/// Prints the proposal in `format` to stdout; `write` says whether `--write` was given.
pub fn print(o: &SuggestOutput<'_>, format: SuggestFormat, write: bool) -> anyhow::Result<()> {
    match format {
        SuggestFormat::Table => print_text(&render(o, write)),
        SuggestFormat::Json => print_json(o),
        SuggestFormat::Settings => print_json(&settings_block(o.proposal)),
    }
}

/// The proposal as text: the rules with their evidence, the prompts they save, what was
/// left out and why, and the change to the settings file (made, or that `--write` would
/// make).
pub fn render(o: &SuggestOutput<'_>, write: bool) -> String {
    let p = o.proposal;
    let mut s = String::new();
    if p.rules.is_empty() {
        let _ = writeln!(s, "No rule to propose (evidence since {}).", o.since);
    } else {
        let mut t = TableData::new(&[
            ("rule", ColumnKind::Code),
            ("approvals", ColumnKind::Number),
            ("sessions", ColumnKind::Number),
            ("projects", ColumnKind::Number),
            ("saved", ColumnKind::Number),
            ("last seen", ColumnKind::Text),
            ("examples", ColumnKind::Lines),
        ]);
        for r in &p.rules {
            t.push(vec![
                r.rule.clone(),
                r.approvals.to_string(),
                r.sessions.to_string(),
                r.projects.to_string(),
                r.prompts_saved.to_string(),
                r.last_seen_ms.map(iso).unwrap_or_default(),
                r.examples.join("\n"),
            ]);
        }
        let _ = writeln!(s, "Proposed allow rules (evidence since {}):", o.since);
        t.write(&mut s, Style::Terminal);
    }
    let _ = writeln!(
        s,
        "Prompts over these calls: {} now, {} with every rule above.",
        p.prompts_before, p.prompts_after
    );
    if !p.left_out.is_empty() {
        let mut t = TableData::new(&[
            ("left out", ColumnKind::Text),
            ("tool", ColumnKind::Text),
            ("why", ColumnKind::Text),
            ("calls", ColumnKind::Number),
        ]);
        for l in p.left_out.iter().take(20) {
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
        let more = p.left_out.len().saturating_sub(20);
        s.push('\n');
        t.write(&mut s, Style::Terminal);
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
