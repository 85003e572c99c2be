//! The check printer: what Claude Code would do with one tool call ([`CheckOutput`]) as
//! text, Markdown or JSON.

use super::table::{ColumnKind, Style, TableData};
use super::{Format, html_is_report_only, print_json, print_text};
use crate::permissions::engine::{Decision, PartDecision, PartVerdict, Verdict};
use crate::text::redact::Redactor;
use serde::Serialize;
use std::fmt::Write as _;

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

fn part_output(p: &PartDecision, r: Redactor) -> PartOutput {
    let (verdict, detail) = match &p.verdict {
        PartVerdict::Denied => ("denied", None),
        PartVerdict::Asked => ("asked", None),
        PartVerdict::AllowedByRule => ("allowed_by_rule", None),
        PartVerdict::ReadOnly(e) => ("read_only", Some(e.to_string())),
        PartVerdict::AcceptEdits => ("accept_edits", None),
        PartVerdict::Uncovered(why) => ("uncovered", Some(why.to_string())),
    };
    PartOutput {
        text: r.redact(&p.text).into_owned(),
        verdict,
        detail: detail.map(|d| r.redact(&d).into_owned()),
        rule: p.rule.as_ref().map(|x| r.redact(&x.text).into_owned()),
    }
}

impl CheckOutput {
    /// The document of a decision, with the settings problems found while loading; every
    /// text that may hold the input or a rule goes through `r`.
    pub fn new(d: &Decision, warnings: Vec<String>, r: Redactor) -> Self {
        let red = |t: &str| r.redact(t).into_owned();
        CheckOutput {
            decision: decision_word(&d.verdict),
            verdict: d.verdict.name(),
            rule: d.rule.as_ref().map(|x| red(&x.text)),
            source: d.rule.as_ref().map(|x| x.file.display().to_string()),
            level: d.rule.as_ref().map(|x| x.source.name().to_string()),
            why: red(&d.why),
            mode: d.mode.to_string(),
            parts: d.parts.iter().map(|p| part_output(p, r)).collect(),
            notes: d.notes.iter().map(|n| red(n)).collect(),
            warnings: warnings.iter().map(|w| red(w)).collect(),
        }
    }
}

/// Prints the decision in `format` to stdout.
pub fn print(o: &CheckOutput, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(o),
        Format::Table => print_text(&render(o, Style::Terminal)),
        Format::Md => print_text(&render(o, Style::Markdown)),
        Format::Html => html_is_report_only(),
    }
}

/// The decision as text: one line saying what and why, the deciding rule, each part of a
/// compound command, and the notes.
pub fn render(o: &CheckOutput, style: Style) -> String {
    let mut s = String::new();
    let _ = match style {
        Style::Terminal => writeln!(
            s,
            "{} ({}, mode {}): {}",
            o.decision, o.verdict, o.mode, o.why
        ),
        Style::Markdown => writeln!(
            s,
            "**{}** ({}, mode {}): {}",
            o.decision, o.verdict, o.mode, o.why
        ),
    };
    if let (Some(rule), Some(src)) = (&o.rule, &o.source) {
        let level = o.level.as_deref().unwrap_or("?");
        let _ = match style {
            Style::Terminal => writeln!(s, "rule: {rule}  from {src} ({level})"),
            Style::Markdown => writeln!(s, "\nRule `{rule}` from `{src}` ({level})"),
        };
    }
    if !o.parts.is_empty() {
        let mut t = TableData::new(&[
            ("part", ColumnKind::Code),
            ("verdict", ColumnKind::Text),
            ("detail", ColumnKind::Text),
        ]);
        for p in &o.parts {
            let detail = match (&p.rule, &p.detail) {
                (Some(r), _) => r.clone(),
                (None, Some(d)) => d.clone(),
                _ => String::new(),
            };
            t.push(vec![p.text.clone(), p.verdict.to_string(), detail]);
        }
        match style {
            Style::Terminal => {}
            Style::Markdown => s.push('\n'),
        }
        t.write(&mut s, style);
    }
    match style {
        Style::Terminal => {
            for n in &o.notes {
                let _ = writeln!(s, "note: {n}");
            }
        }
        Style::Markdown => {
            if !o.notes.is_empty() {
                s.push('\n');
            }
            for n in &o.notes {
                let _ = writeln!(s, "- note: {n}");
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_markdown() {
        let o = CheckOutput {
            decision: "prompt",
            verdict: "would_prompt",
            rule: Some("Bash(rm *)".into()),
            source: Some("/p/.claude/settings.json".into()),
            level: Some("project".into()),
            why: "not covered: rm -rf build".into(),
            mode: "default".into(),
            parts: vec![PartOutput {
                text: "echo 'a|b'".into(),
                verdict: "read_only",
                detail: Some("echo".into()),
                rule: None,
            }],
            notes: vec!["mode not recorded".into()],
            warnings: Vec::new(),
        };
        let md = render(&o, Style::Markdown);
        assert_eq!(
            md,
            "**prompt** (would_prompt, mode default): not covered: rm -rf build\n\n\
             Rule `Bash(rm *)` from `/p/.claude/settings.json` (project)\n\n\
             | part | verdict | detail |\n|---|---|---|\n| `echo 'a\\|b'` | read_only | echo |\n\n\
             - note: mode not recorded\n"
        );
        let text = render(&o, Style::Terminal);
        assert!(
            text.starts_with("prompt (would_prompt, mode default)"),
            "{text}"
        );
        assert!(text.contains('┌'), "{text}");
    }
}
