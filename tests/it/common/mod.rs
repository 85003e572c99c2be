//! Shared helpers for the table-driven engine tests.
#![allow(dead_code)]

use permstat::event::{Mode, ToolInput};
use permstat::permissions::bash_rule::RuleKind;
use permstat::permissions::engine::{CallCtx, Decision, Verdict, decide};
use permstat::permissions::settings::{Policy, Roots, Source};
use std::path::{Path, PathBuf};

pub const CWD: &str = "/proj";
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

pub fn policy_from(rules: &[&str], source: Source, file: &Path) -> Policy {
    let mut p = Policy::new(roots());
    for r in rules {
        let (kind, text) = split(r);
        p.add_rule(kind, text, source.clone(), file);
    }
    p
}

pub fn split(r: &str) -> (RuleKind, &str) {
    match r.split_at(1) {
        ("+", t) => (RuleKind::Allow, t),
        ("-", t) => (RuleKind::Deny, t),
        ("?", t) => (RuleKind::Ask, t),
        _ => panic!("rule needs a +/-/? prefix: {r}"),
    }
}

pub fn bash(cmd: &str) -> ToolInput {
    ToolInput {
        command: Some(cmd.to_string()),
        ..Default::default()
    }
}
pub fn path(p: &str) -> ToolInput {
    ToolInput {
        path: Some(p.to_string()),
        ..Default::default()
    }
}
pub fn url(u: &str) -> ToolInput {
    ToolInput {
        url: Some(u.to_string()),
        ..Default::default()
    }
}
pub fn agent(t: &str) -> ToolInput {
    ToolInput {
        subagent_type: Some(t.to_string()),
        ..Default::default()
    }
}
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
pub fn with(mut i: ToolInput, k: &str, v: &str) -> ToolInput {
    i.params.push((k.to_string(), v.to_string()));
    i
}
pub fn none() -> ToolInput {
    ToolInput::default()
}

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

/// Runs the permstat binary with settings isolated from this machine's: an empty config
/// folder and an empty managed folder (so `~/.claude/settings.json` and
/// `/etc/claude-code` never leak into a test). Returns (exit code, stdout, stderr).
pub fn permstat(args: &[&str]) -> (i32, String, String) {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_str().unwrap();
    let mut all: Vec<&str> = args.to_vec();
    let isolate = ["--config-dir", dir, "--managed-dir", dir];
    if !matches!(args.first(), Some(&"scan")) {
        all.extend(isolate);
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_permstat"))
        .args(&all)
        .env("PERMSTAT_CACHE_DIR", empty.path().join("cache"))
        // safe-chains reads ~/.config/safe-chains.toml: keep this machine's out of the tests.
        .env("HOME", empty.path())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Parses stdout as JSON, with the output in the panic message when it is not.
pub fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}
