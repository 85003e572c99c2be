//! The run check: every selected call against the declared boundary ([`check`]).
//!
//! Each call is one of (docs/verify.md, "The run check"):
//! - a violation: it ran, but the boundary should have stopped it (a deny rule, a tool left
//!   out of `--tools`, dontAsk, or a prompt nobody could answer in a headless run);
//! - enforcement seen: the boundary should stop it and it was stopped;
//! - outside the claim: it ran, the boundary does allow it, but the flags read alone say it
//!   should not (not in `--allowedTools`, an MCP tool `--tools` does not reach, a declared
//!   deny rule that is not applied);
//! - within: it ran and the flags say it may;
//! - stopped otherwise: the boundary lets it run, but something else stopped it (a person, a
//!   hook, the classifier, a tool error is not counted here: it ran);
//! - unresolved: no result was recorded.
//!
//! A call counts as stopped when its outcome is not an execution, when the capture's
//! `permission_denials` lists it, or when its recorded decision refused it (a denial whose
//! text an SDK host wrote itself reads as a tool error).

use super::boundary::{Boundary, Expect, is_flag};
use super::explain::Gap;
use super::flags::Declared;
use crate::event::{Mode, Outcome, ToolCall};
use crate::permissions::bash_rule::RuleKind;
use crate::permissions::engine::Verdict;
use crate::transcript::stream_json::Capture;
use serde::Serialize;

/// What became of a call, measured against the boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// It ran, but the boundary should have stopped it.
    Violation,
    /// It was stopped, as the boundary says.
    Enforced,
    /// It ran and the boundary allows it, though the flags read alone say it should not.
    OutsideClaim,
    /// It ran, and the flags say it may.
    Within,
    /// The boundary lets it run, but something else stopped it.
    StoppedOtherwise,
    /// No result was recorded.
    Unresolved,
}

impl Finding {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::Violation => "violation",
            Finding::Enforced => "enforced",
            Finding::OutsideClaim => "outside_claim",
            Finding::Within => "within",
            Finding::StoppedOtherwise => "stopped_otherwise",
            Finding::Unresolved => "unresolved",
        }
    }
}

/// One call to check, with what is known about its run.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The call.
    pub call: &'a ToolCall,
    /// The boundary of its session's folder.
    pub boundary: &'a Boundary,
    /// Nobody could answer a prompt in its session.
    pub headless: bool,
    /// The stream-json capture it was read from, if any.
    pub capture: Option<&'a Capture>,
}

/// The check of one call.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedCall {
    /// Index of the call in the subjects checked.
    #[serde(skip)]
    pub index: usize,
    /// What became of it.
    pub finding: Finding,
    /// What the boundary does with it.
    pub expected: String,
    /// Why it is a violation, or outside the claim, or how it was stopped.
    pub why: String,
    /// The declared rules (or `--tools`) it falls under.
    pub rules: Vec<String>,
    /// The mode it was decided in.
    pub mode: String,
}

/// Calls and findings under one declared rule.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleRow {
    /// `deny`, `allow`, `tools` or `none` (calls no declared rule covers).
    pub kind: &'static str,
    /// The rule as declared (`--tools` for the tool list).
    pub rule: String,
    /// Calls it covers.
    pub calls: usize,
    /// Violations among them.
    pub violations: usize,
    /// Enforcements seen.
    pub enforced: usize,
    /// Calls outside the claim.
    pub outside_claim: usize,
}

/// Counts of findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Calls checked.
    pub calls: usize,
    /// Violations.
    pub violations: usize,
    /// Enforcements seen.
    pub enforced: usize,
    /// Calls outside the claim.
    pub outside_claim: usize,
    /// Calls within the claim.
    pub within: usize,
    /// Calls stopped by something else.
    pub stopped_otherwise: usize,
    /// Calls with no result.
    pub unresolved: usize,
}

impl Totals {
    fn add(&mut self, f: Finding) {
        self.calls += 1;
        *match f {
            Finding::Violation => &mut self.violations,
            Finding::Enforced => &mut self.enforced,
            Finding::OutsideClaim => &mut self.outside_claim,
            Finding::Within => &mut self.within,
            Finding::StoppedOtherwise => &mut self.stopped_otherwise,
            Finding::Unresolved => &mut self.unresolved,
        } += 1;
    }
}

/// The run check's document.
#[derive(Debug, Clone, Serialize)]
pub struct RunCheck {
    /// Counts of findings.
    pub totals: Totals,
    /// One row per declared rule, then `--tools`, then calls no declared rule covers.
    pub rules: Vec<RuleRow>,
    /// Every call checked, in the subjects' order.
    pub calls: Vec<CheckedCall>,
    /// The boundary's gaps (as `--explain` names them).
    pub gaps: Vec<Gap>,
    /// What the check noticed about sessions (recorded modes and tools that differ from
    /// the flags).
    pub notes: Vec<String>,
}

impl RunCheck {
    /// True when any call violated the boundary.
    pub fn failed(&self) -> bool {
        self.totals.violations > 0
    }
}

/// The mode a call is decided in: the declared one when the flags state one, else the
/// recorded one, else the settings' default.
fn mode_of<'a>(s: &'a Subject<'_>) -> Option<&'a Mode> {
    let d = &s.boundary.declared;
    if d.skip_permissions || d.permission_mode.is_some() {
        return None;
    }
    s.call
        .mode
        .as_ref()
        .filter(|m| !matches!(m, Mode::Other(_)))
}

/// Checks every subject against its boundary (each made from `declared`). `gaps` are the
/// boundary's gaps, reported with the result.
pub fn check(declared: &Declared, subjects: &[Subject<'_>], gaps: Vec<Gap>) -> RunCheck {
    let mut rows: Vec<RuleRow> = Vec::new();
    for (kind, list) in [("deny", &declared.disallowed), ("allow", &declared.allowed)] {
        rows.extend(list.iter().map(|r| RuleRow {
            kind,
            rule: r.clone(),
            ..RuleRow::default()
        }));
    }
    if declared.tools.is_some() {
        rows.push(RuleRow {
            kind: "tools",
            rule: "--tools".into(),
            ..RuleRow::default()
        });
    }
    rows.push(RuleRow {
        kind: "none",
        rule: "(no declared rule)".into(),
        ..RuleRow::default()
    });
    let mut totals = Totals::default();
    let mut calls = Vec::with_capacity(subjects.len());
    for (index, s) in subjects.iter().enumerate() {
        let c = check_one(index, s);
        totals.add(c.finding);
        let mut credited = false;
        for r in &c.rules {
            if let Some(row) = rows.iter_mut().find(|row| row.rule == *r) {
                count(row, c.finding);
                credited = true;
            }
        }
        if !credited && let Some(row) = rows.last_mut() {
            count(row, c.finding);
        }
        calls.push(c);
    }
    RunCheck {
        totals,
        rules: rows,
        calls,
        gaps,
        notes: session_notes(subjects),
    }
}

fn count(row: &mut RuleRow, f: Finding) {
    row.calls += 1;
    match f {
        Finding::Violation => row.violations += 1,
        Finding::Enforced => row.enforced += 1,
        Finding::OutsideClaim => row.outside_claim += 1,
        _ => {}
    }
}

fn check_one(index: usize, s: &Subject<'_>) -> CheckedCall {
    let c = s.call;
    let b = s.boundary;
    let cwd = c.project.as_deref().map(std::path::Path::new);
    let mode = mode_of(s);
    let (expect, decision) = b.expect(&c.tool, &c.input, cwd, mode, s.headless);
    let claim = b.claim_decision(&c.tool, &c.input, cwd);
    let mut rules: Vec<String> = claim
        .rule
        .iter()
        .chain(claim.parts.iter().filter_map(|p| p.rule.as_ref()))
        .filter(|r| is_flag(&r.source))
        .map(|r| r.text.clone())
        .collect();
    rules.dedup();
    let tools_gap = b
        .declared
        .tools
        .as_ref()
        .is_some_and(|list| c.tool.starts_with("mcp__") && !list.iter().any(|t| t == &c.tool));
    if matches!(expect, Expect::Absent(_)) || tools_gap {
        rules.push("--tools".into());
    }
    let denied_by_capture = s.capture.is_some_and(|cap| cap.denied(&c.id));
    let refused_on_record = refused_on_record(c);
    let stopped = denied_by_capture
        || refused_on_record
        || !(c.outcome.executed() || c.outcome == Outcome::Unresolved);
    let ran = !stopped && c.outcome.executed();
    let how = match (denied_by_capture, refused_on_record) {
        (true, _) => format!(
            "listed in permission_denials; the result reads {}",
            c.outcome
        ),
        (false, true) => format!(
            "recorded decision refused it; the result reads {}",
            c.outcome
        ),
        (false, false) => c.outcome.to_string(),
    };
    let (finding, why) = if !stopped && !ran {
        (Finding::Unresolved, "no result was recorded".to_string())
    } else if expect.stops() {
        if ran {
            (
                Finding::Violation,
                format!("it ran, but {}", expect.describe()),
            )
        } else {
            (Finding::Enforced, format!("stopped ({how})"))
        }
    } else if !ran {
        (
            Finding::StoppedOtherwise,
            format!("stopped ({how}) though the boundary lets it run"),
        )
    } else {
        match outside_claim(b, &claim.verdict, &claim.rule, &expect, tools_gap) {
            Some(why) => (Finding::OutsideClaim, why),
            None => (Finding::Within, String::new()),
        }
    };
    CheckedCall {
        index,
        finding,
        expected: expect.describe(),
        why,
        rules,
        mode: decision.mode.to_string(),
    }
}

/// Recorded decisions that mean the call did not run.
const REFUSED_DECISIONS: &[&str] = &["reject", "cancelled"];

/// True when a record made at the time shows the call was refused (the result text of a
/// refusal an SDK host wrote itself reads as a tool error).
fn refused_on_record(c: &ToolCall) -> bool {
    c.recorded
        .as_ref()
        .and_then(|r| r.decision.as_deref())
        .is_some_and(|d| REFUSED_DECISIONS.contains(&d))
}

/// Why a call that ran, and that the boundary allows, is outside what the flags claim.
fn outside_claim(
    b: &Boundary,
    claim: &Verdict,
    claim_rule: &Option<crate::permissions::engine::RuleRef>,
    expect: &Expect,
    tools_gap: bool,
) -> Option<String> {
    let how = match expect {
        Expect::Runs(w) => w.clone(),
        other => other.describe(),
    };
    if *claim == Verdict::DeniedByRule {
        let rule = claim_rule
            .as_ref()
            .map_or("a declared deny rule", |r| r.text.as_str());
        let ignored = b
            .policy
            .rules
            .iter()
            .find(|r| r.kind == RuleKind::Deny && r.text == rule && is_flag(&r.source))
            .and_then(|r| r.ignored.clone())
            .unwrap_or_else(|| "it is not applied".into());
        return Some(format!("{rule} is declared, but {ignored}; {how}"));
    }
    if tools_gap {
        return Some(format!(
            "an MCP tool --tools does not name; --tools restricts built-in tools; {how}"
        ));
    }
    if !b.declared.allowed.is_empty() && *claim != Verdict::AllowedByRule {
        return Some(format!("not in --allowedTools, but {how}"));
    }
    None
}

/// What differs between a session's record and its flags: the recorded mode, and (for a
/// capture) tools the run had that `--tools` leaves out.
fn session_notes(subjects: &[Subject<'_>]) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    let mut seen: Vec<(&str, Option<&Mode>)> = Vec::new();
    for s in subjects {
        let d = &s.boundary.declared;
        let key = (&*s.call.session_id, s.call.mode.as_ref());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let stated = d.skip_permissions || d.permission_mode.is_some();
        if let Some(m) = &s.call.mode
            && stated
            && *m != s.boundary.mode
        {
            notes.push(format!(
                "session {} recorded mode {m}; the flags say {} ({})",
                s.call.session_id, s.boundary.mode, s.boundary.mode_from
            ));
        }
    }
    let mut captures: Vec<&Capture> = subjects.iter().filter_map(|s| s.capture).collect();
    captures.dedup_by(|a, b| a.file == b.file);
    for cap in captures {
        let Some(b) = subjects.first().map(|s| s.boundary) else {
            break;
        };
        let extra: Vec<&str> = cap
            .tools
            .iter()
            .filter(|t| b.absent(t).is_some())
            .map(String::as_str)
            .collect();
        if !extra.is_empty() {
            notes.push(format!(
                "{}: the run had {} although --tools leaves {} out",
                cap.file,
                extra.join(", "),
                if extra.len() == 1 { "it" } else { "them" }
            ));
        }
        if cap.result.is_none() {
            notes.push(format!(
                "{}: no result line: the run did not finish, permission_denials unknown",
                cap.file
            ));
        }
    }
    notes.extend(subjects.iter().filter_map(|s| {
        let r = s.call.recorded.as_ref()?;
        let refused = r
            .decision
            .as_deref()
            .is_some_and(|d| REFUSED_DECISIONS.contains(&d));
        let contradicts = refused && s.call.outcome == Outcome::Ran;
        contradicts.then(|| {
            format!(
                "{}: call {} has a tool's output although its recorded decision refused it",
                s.call.file, s.call.id
            )
        })
    }));
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{RecordSource, RecordedDecision, ToolInput};
    use crate::permissions::settings::{Policy, Roots, Source};
    use std::path::Path;
    use std::sync::Arc;

    fn call(id: &str, command: &str, outcome: Outcome) -> ToolCall {
        ToolCall {
            id: id.into(),
            session_id: Arc::from("s"),
            project: Some(Arc::from("/work/app")),
            file: Arc::from("f.jsonl"),
            agent_id: None,
            tool: "Bash".into(),
            input: ToolInput {
                command: Some(command.into()),
                ..ToolInput::default()
            },
            message_id: None,
            asked_ms: None,
            answered_ms: None,
            mode: None,
            version: None,
            entrypoint: Some(Arc::from("sdk-cli")),
            git_branch: None,
            developer: None,
            outcome,
            denial_kind: None,
            verified: true,
            reason: None,
            recorded: None,
        }
    }

    fn boundary(declared: &Declared, managed: &str) -> Boundary {
        let roots = Roots::new(Path::new("/work/app"), Path::new("/home/u"));
        let loaded = Policy::from_json_str(
            roots,
            Source::Managed,
            Path::new("/etc/claude-code/managed-settings.json"),
            managed,
        );
        Boundary::new(declared.clone(), loaded)
    }

    #[test]
    fn an_ignored_deny_rule_is_outside_the_claim_and_a_recorded_refusal_stops() {
        let d = Declared::from_lists(&[], &["Bash(rm *)".into()], None, None);
        let b = boundary(&d, r#"{"allowManagedPermissionRulesOnly": true}"#);
        let rm = call("t1", "rm -rf build", Outcome::Ran);
        let mut push = call("t2", "git push", Outcome::ToolError);
        push.recorded = Some(RecordedDecision {
            source: RecordSource::StreamJson,
            prompted: Some(true),
            decision: Some("reject".into()),
            detail: Some("user_reject".into()),
        });
        let subjects: Vec<Subject<'_>> = [&rm, &push]
            .into_iter()
            .map(|c| Subject {
                call: c,
                boundary: &b,
                headless: false,
                capture: None,
            })
            .collect();
        let r = check(&d, &subjects, Vec::new());
        assert_eq!(r.calls[0].finding, Finding::OutsideClaim);
        assert!(
            r.calls[0]
                .why
                .starts_with("Bash(rm *) is declared, but allowManagedPermissionRulesOnly is set"),
            "{}",
            r.calls[0].why
        );
        assert_eq!(r.calls[1].finding, Finding::StoppedOtherwise);
        assert!(r.calls[1].why.contains("recorded decision refused it"));
        assert_eq!(r.rules[0].rule, "Bash(rm *)");
        assert_eq!((r.rules[0].calls, r.rules[0].outside_claim), (1, 1));
        assert!(!r.failed());
    }
}
