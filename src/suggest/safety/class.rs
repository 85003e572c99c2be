//! The kind of an allow rule already written ([`RuleClass`]), as the auditor shows it: the
//! same "never" lists and the same runner table the suggester screens with, so a rule the
//! suggester would call "runs project code" is called so in an audit too.

use super::allow::dangerous_allow;
use super::bans::readonly_subcommand;
use super::mcp::mcp_read_only;
use super::read_level::invocation_level;
use super::shape::{Wildcard, spec_shape};
use crate::facts::runners::{RuleClass, project_runner};
use crate::facts::tools::{self, Family};
use crate::permissions::rule::{Rule, Specifier, ToolPattern};

/// The project runner a Bash rule specifier starts with, words joined (`go test`).
pub fn runner_of_spec(spec: &str) -> Option<&'static crate::facts::runners::ProjectRunner> {
    project_runner(&spec_shape(spec).words)
}

/// The kind of an allow rule: `never` when a "never" list or another danger catches it,
/// `runs project code` when it starts with a project runner, `read-only` when it can only
/// read (an exact command `safe-chains` rates read-only, a read-only subcommand prefix, a
/// Read-family rule, a WebFetch domain, an MCP tool whose name reads); None otherwise (it
/// writes, or nothing says).
pub fn rule_class(rule: &Rule) -> Option<RuleClass> {
    if dangerous_allow(rule).is_some() {
        return Some(RuleClass::Never);
    }
    let ToolPattern::Name(name) = &rule.tool else {
        return None;
    };
    match (tools::family(name), &rule.spec) {
        (Family::Bash, Specifier::Content(spec)) => {
            if runner_of_spec(spec).is_some() {
                return Some(RuleClass::RunsProjectCode);
            }
            let shape = spec_shape(spec);
            let read_only = match (shape.wildcard, shape.words.as_slice()) {
                (Wildcard::None, _) => invocation_level(spec).read_only(),
                (Wildcard::AfterWord, [cmd, sub]) => readonly_subcommand(cmd, sub),
                _ => false,
            };
            read_only.then_some(RuleClass::ReadOnly)
        }
        (Family::Read, _) | (Family::WebFetch, Specifier::Content(_)) => Some(RuleClass::ReadOnly),
        (Family::Mcp, Specifier::Any) => mcp_read_only(name).is_ok().then_some(RuleClass::ReadOnly),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_into_kinds() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<RuleClass>)] = &[
            ("Bash(go test ./...)", Some(RuleClass::RunsProjectCode)),
            ("Bash(go test ./cmd/entire/cli/...)", Some(RuleClass::RunsProjectCode)),
            ("Bash(npm run test *)", Some(RuleClass::RunsProjectCode)),
            ("Bash(mise run lint)", Some(RuleClass::RunsProjectCode)),
            ("Bash(cargo +nightly clippy)", Some(RuleClass::RunsProjectCode)),
            ("Bash(npm run *)", Some(RuleClass::Never)),
            ("Bash(make *)", Some(RuleClass::Never)),
            ("Bash(python *)", Some(RuleClass::Never)),
            ("Bash(bun test)", Some(RuleClass::Never)),
            ("Bash(git log *)", None),
            ("Bash(npm view *)", Some(RuleClass::ReadOnly)),
            ("Bash(git status)", Some(RuleClass::ReadOnly)),
            ("Bash(pip list --outdated)", Some(RuleClass::ReadOnly)),
            ("Bash(rm -rf build)", None),
            ("Read(//etc/**)", Some(RuleClass::ReadOnly)),
            ("WebFetch(domain:docs.rs)", Some(RuleClass::ReadOnly)),
            ("mcp__github__get_issue", Some(RuleClass::ReadOnly)),
            ("mcp__github__create_issue", None),
            ("Edit(/src/**)", None),
        ];
        for (text, want) in cases {
            let rule = Rule::parse(text).expect("parses");
            assert_eq!(rule_class(&rule), *want, "{text}");
        }
    }
}
