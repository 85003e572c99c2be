//! Screening: the exact rule for each candidate (Bash part, host, MCP tool) or why there is
//! none, and the read-only `Bash(cmd sub *)` prefixes.

use super::safety::{self, ReadLevel, Wildcard};
use super::{Reason, shown};
use crate::event::ToolCall;
use crate::facts::env::is_safe_env_var;
use crate::facts::runners::{RuleClass, project_runner};
use crate::facts::tools::{self, Family};
use crate::permissions::bash_rule::{self, RuleKind};
use crate::permissions::readonly;
use crate::permissions::rule::{Rule, Specifier, ToolPattern};
use crate::permissions::shell::{self, SimpleCommand, split_words};
use crate::text::redact::Redactor;

/// A rule, why it fits and its kind, or why there is none: (reason, table, detail).
pub(super) type Screened = Result<(String, String, RuleClass), (Reason, Option<String>, String)>;

/// A [`Reason::Risky`] refusal caught by `table`.
fn risky(table: &str, detail: impl Into<String>) -> (Reason, Option<String>, String) {
    (Reason::Risky, Some(table.to_string()), detail.into())
}

/// The exact rule for one uncovered Bash part, or why there is none. A project runner
/// (`go test ./...`, `npm run lint`) gets a rule only when `include_runners`, labelled as
/// running project code, whatever `safe-chains` says of it: the command line reads, but the
/// files it runs are the agent's to edit.
pub(super) fn screen_bash(
    p: &SimpleCommand,
    include_runners: bool,
    level: &mut impl FnMut(&str) -> ReadLevel,
) -> Screened {
    if let Some(entry) = readonly::builtin_readonly(p) {
        return Err((
            Reason::BuiltinReadOnly,
            None,
            format!("Claude Code runs it unasked ({entry})"),
        ));
    }
    if let Some(o) = &p.opaque {
        return Err((Reason::Uncoverable, None, o.clone()));
    }
    if let Some((name, _)) = p.env.iter().find(|(n, _)| !is_safe_env_var(n)) {
        return Err(risky(
            "env_assignment",
            format!("leading assignment of {name}: allow rules never match past it"),
        ));
    }
    if p.argv.is_empty() || p.text.trim().is_empty() {
        return Err((Reason::Uncoverable, None, "no command word".into()));
    }
    if let Some(hit) = safety::risk_of(&p.argv, Wildcard::None) {
        return Err(risky(hit.table, format!("{}: {}", hit.entry, hit.why)));
    }
    if let Some((table, detail)) = safety::text_hazard(&p.text) {
        return Err(risky(table, detail));
    }
    if let Some(flag) = safety::risky_flag(&p.argv) {
        return Err(risky(
            "risky_flags",
            format!("{flag} changes configuration or runs a program"),
        ));
    }
    if Redactor::has_secret(&p.text) {
        return Err(risky("secret", "holds a secret-looking string"));
    }
    if let Some(what) = safety::volatile_value(&p.text) {
        return Err(risky(
            "never_recurs",
            format!("holds {what}, so the rule would never match again"),
        ));
    }
    let rule = format!("Bash({})", p.text);
    let round_trip = Rule::parse(&rule).is_ok_and(|r| {
        r.tool == ToolPattern::Name("Bash".into()) && r.spec == Specifier::Content(p.text.clone())
    });
    if !round_trip || !bash_rule::spec_matches(&p.text, p, RuleKind::Allow) {
        return Err(risky(
            "unrepresentable",
            "the command cannot be written as a rule that matches it",
        ));
    }
    if let Some(runner) = project_runner(&p.argv) {
        let what = format!(
            "'{}' is a {}: it runs {}, which the agent can edit",
            runner.words.join(" "),
            runner.job.label(),
            runner.runs
        );
        if !include_runners {
            return Err((Reason::RunsProjectCode, None, what));
        }
        return Ok((
            rule,
            format!("exact command; {what}"),
            RuleClass::RunsProjectCode,
        ));
    }
    let lv = level(&p.text);
    if !lv.read_only() {
        return Err((
            Reason::WritesOrDestructive,
            None,
            format!("safe-chains rates it {}, not read-only", lv.name()),
        ));
    }
    Ok((
        rule,
        format!("exact command, read-only per safe-chains ({})", lv.name()),
        RuleClass::ReadOnly,
    ))
}

/// The WebFetch rule for a host, or why there is none.
pub(super) fn screen_domain(host: &str) -> Screened {
    if Redactor::has_secret(host) {
        return Err(risky("secret", "host holds a secret-looking string"));
    }
    if let Some(what) = safety::volatile_value(host) {
        return Err(risky(
            "never_recurs",
            format!("host holds {what}, so the rule would never match again"),
        ));
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
    {
        return Err(risky("unrepresentable", "host holds unexpected characters"));
    }
    let rule = format!("WebFetch(domain:{host})");
    let ok = Rule::parse(&rule).is_ok_and(|r| {
        r.tool == ToolPattern::Name("WebFetch".into())
            && r.spec == Specifier::Content(format!("domain:{host}"))
    });
    if !ok {
        return Err(risky("unrepresentable", "host cannot be written as a rule"));
    }
    Ok((
        rule,
        "fetches from this host were approved".into(),
        RuleClass::ReadOnly,
    ))
}

/// The rule for an MCP tool, or why there is none.
pub(super) fn screen_mcp(tool: &str) -> Screened {
    if let Err(why) = safety::mcp_read_only(tool) {
        return Err((Reason::NotReadOnly, None, why));
    }
    let ok = Rule::parse(tool)
        .is_ok_and(|r| r.tool == ToolPattern::Name(tool.to_string()) && r.spec == Specifier::Any);
    if !ok || !tool.starts_with("mcp__") {
        return Err(risky("unrepresentable", "not a plain MCP tool name"));
    }
    Ok((
        tool.to_string(),
        "the tool name looks read-only".into(),
        RuleClass::ReadOnly,
    ))
}

/// The `(cmd, sub)` read-only pair a part's text starts with, literally.
pub(super) fn prefix_pair(p: &SimpleCommand) -> Option<(String, String)> {
    let words = split_words(&p.text);
    let (cmd, sub) = (words.first()?, words.get(1)?);
    let (acmd, asub) = (p.argv.first()?, p.argv.get(1)?);
    (cmd == acmd && sub == asub && safety::readonly_subcommand(cmd, sub))
        .then(|| (cmd.clone(), sub.clone()))
}

/// The first invocation in the calls that `Bash(spec)` would cover and that is not
/// read-only (or hits a "never" table or risky option), if any.
pub(super) fn prefix_blocker(
    calls: &[ToolCall],
    spec: &str,
    cmd: &str,
    sub: &str,
    level: &mut impl FnMut(&str) -> ReadLevel,
) -> Option<String> {
    let shape = safety::spec_shape(spec);
    if safety::risk_of(&shape.words, shape.wildcard).is_some() {
        return Some(spec.to_string());
    }
    for c in calls {
        if tools::family(&c.tool) != Family::Bash {
            continue;
        }
        let Some(command) = c.input.command.as_deref() else {
            continue;
        };
        if !(command.contains(cmd) && command.contains(sub)) {
            continue;
        }
        for p in shell::analyze(command).parts.iter() {
            if !bash_rule::spec_matches(spec, p, RuleKind::Allow) {
                continue;
            }
            let bad = safety::risk_of(&p.argv, Wildcard::None).is_some()
                || project_runner(&p.argv).is_some()
                || safety::risky_flag(&p.argv).is_some()
                || !level(&p.text).read_only();
            if bad {
                return Some(shown(&p.text));
            }
        }
    }
    None
}
