//! Deciding calls with the engine in process: policies written as `+allow`, `-deny` and
//! `?ask` rules, tool inputs, recorded tool calls, and the table runner `check`.

use permstat::event::{Mode, Outcome, ToolCall, ToolInput};
use permstat::permissions::bash_rule::RuleKind;
use permstat::permissions::engine::{CallCtx, Decision, Verdict, decide};
use permstat::permissions::settings::{Policy, Roots, Source};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The working folder (and project root) of every engine test call.
pub const CWD: &str = "/proj";
/// The home folder of the engine tests.
pub const HOME: &str = "/home/u";

/// Expected verdict class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum E {
    /// AutoAllowed.
    Auto,
    /// AllowedByRule.
    Rule,
    /// AskRule.
    Ask,
    /// WouldPrompt.
    Prompt,
    /// DeniedByRule.
    Deny,
    /// DontAskDenied.
    DontAsk,
    /// Classifier.
    Classifier,
    /// Anything but AllowedByRule (the rule must not match).
    NotRule,
}

impl E {
    /// Whether verdict `v` is of this class.
    pub fn check(self, v: &Verdict) -> bool {
        match self {
            E::Auto => matches!(v, Verdict::AutoAllowed(_)),
            E::Rule => *v == Verdict::AllowedByRule,
            E::Ask => *v == Verdict::AskRule,
            E::Prompt => matches!(v, Verdict::WouldPrompt(_)),
            E::Deny => *v == Verdict::DeniedByRule,
            E::DontAsk => *v == Verdict::DontAskDenied,
            E::Classifier => *v == Verdict::Classifier,
            E::NotRule => *v != Verdict::AllowedByRule,
        }
    }
}

/// The roots of the engine tests: [`CWD`] and [`HOME`].
pub fn roots() -> Roots {
    Roots::new(Path::new(CWD), Path::new(HOME))
}

/// Rules as `+allow`, `-deny`, `?ask`, from the project settings file.
pub fn policy(rules: &[&str]) -> Policy {
    policy_from(
        rules,
        Source::Project,
        Path::new("/proj/.claude/settings.json"),
    )
}

/// Rules as `+allow`, `-deny`, `?ask`, from `file` of kind `source`.
pub fn policy_from(rules: &[&str], source: Source, file: &Path) -> Policy {
    let mut p = Policy::new(roots());
    for r in rules {
        let (kind, text) = split(r);
        p.add_rule(kind, text, source.clone(), file);
    }
    p
}

/// A rule's kind from its `+`/`-`/`?` prefix, and its text.
pub fn split(r: &str) -> (RuleKind, &str) {
    match r.split_at(1) {
        ("+", t) => (RuleKind::Allow, t),
        ("-", t) => (RuleKind::Deny, t),
        ("?", t) => (RuleKind::Ask, t),
        _ => panic!("rule needs a +/-/? prefix: {r}"),
    }
}

/// A Bash (or PowerShell, Monitor) input running `cmd`.
pub fn bash(cmd: &str) -> ToolInput {
    ToolInput {
        command: Some(cmd.to_string()),
        ..Default::default()
    }
}

/// A file tool's input on path `p`.
pub fn path(p: &str) -> ToolInput {
    ToolInput {
        path: Some(p.to_string()),
        ..Default::default()
    }
}

/// A WebFetch input of URL `u`.
pub fn url(u: &str) -> ToolInput {
    ToolInput {
        url: Some(u.to_string()),
        ..Default::default()
    }
}

/// An Agent input of subagent type `t`.
pub fn agent(t: &str) -> ToolInput {
    ToolInput {
        subagent_type: Some(t.to_string()),
        ..Default::default()
    }
}

/// A Skill input: skill `name` with `args` (none when empty).
pub fn skill(name: &str, args: &str) -> ToolInput {
    let mut i = ToolInput {
        skill: Some(name.to_string()),
        ..Default::default()
    };
    if !args.is_empty() {
        i.params.push(("args".into(), args.into()));
    }
    i
}

/// Input `i` with one more parameter `k` = `v`.
pub fn with(mut i: ToolInput, k: &str, v: &str) -> ToolInput {
    i.params.push((k.to_string(), v.to_string()));
    i
}

/// An input with nothing in it.
pub fn none() -> ToolInput {
    ToolInput::default()
}

/// The mode named `s` as transcripts write it.
pub fn mode(s: &str) -> Mode {
    Mode::parse(s)
}

/// One case: rules, tool, input, mode, expected.
pub type Case = (
    &'static [&'static str],
    &'static str,
    ToolInput,
    &'static str,
    E,
);

/// Decides one call of `tool` with `input` in mode `m` and working folder `cwd` under `p`.
pub fn run_with(p: &Policy, tool: &str, input: &ToolInput, m: &str, cwd: &str) -> Decision {
    let m = mode(m);
    let cwd = PathBuf::from(cwd);
    decide(
        p,
        &CallCtx {
            tool,
            input,
            cwd: Some(&cwd),
            mode: Some(&m),
        },
    )
}

/// Runs every case and reports all failures at once.
pub fn check(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for (rules, tool, input, m, want) in &cases {
        let p = policy(rules);
        let d = run_with(&p, tool, input, m, CWD);
        if !want.check(&d.verdict) {
            let shown: String = [
                &input.command,
                &input.path,
                &input.url,
                &input.subagent_type,
                &input.skill,
            ]
            .iter()
            .find_map(|f| f.as_deref())
            .unwrap_or("")
            .chars()
            .take(80)
            .collect();
            failures.push(format!(
                "{rules:?} {tool} {shown:?} [{m}]: want {want:?}, got {:?} ({})",
                d.verdict, d.why
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A recorded call `id` of `tool` in session "s" of project [`CWD`], with its mode and
/// outcome.
pub fn tool_call(
    id: &str,
    tool: &str,
    input: ToolInput,
    mode: Option<Mode>,
    outcome: Outcome,
) -> ToolCall {
    ToolCall {
        id: id.into(),
        session_id: Arc::from("s"),
        project: Some(Arc::from(CWD)),
        file: Arc::from("/t.jsonl"),
        agent_id: None,
        tool: tool.into(),
        input,
        message_id: None,
        asked_ms: None,
        answered_ms: None,
        mode,
        version: None,
        entrypoint: None,
        git_branch: None,
        developer: None,
        outcome,
        denial_kind: None,
        verified: true,
        reason: None,
        recorded: None,
    }
}
