//! The permission decision for one tool call: [`decide`].
//!
//! Order (docs/permissions.md, "Order and matching"): deny rules, then ask rules and the
//! checks no mode auto-approves (critical-path `rm`), then protected-path writes, then
//! `bypassPermissions`, then allow rules, then what runs unasked (read-only tools inside
//! the working folders, the built-in read-only Bash set, tools that never prompt), then the
//! mode's default. A deny rule at any
//! level beats an allow rule at any level; within a step the first rule (highest-precedence
//! file first) is reported.
//!
//! Readings chosen where Claude Code's documentation is silent (the safe reading: a call
//! counts as covered by an allow rule only when it certainly is):
//! - A bare rule matches its tool by name only: bare `Edit` does not cover `Write`, bare
//!   `Read` does not cover `Grep` (`Edit(**)` would). Bare `Bash` also covers `Monitor`.
//! - Ask rules prompt in every mode except `dontAsk` (denied); in auto mode they prompt
//!   rather than go to the classifier. Critical-path `rm` likewise prompts in auto mode
//!   (a safety check no classifier may approve); protected-path writes go to the classifier.
//! - Allow rules apply in plan mode as in default mode.
//! - Auto mode: file edits inside the working folders go to the classifier (no acceptEdits
//!   fast path is documented); `Agent` calls go to the classifier (their allow rules are set
//!   aside on entry); reads outside the working folders go to the classifier.
//! - An output redirect inside the working folders is a write: covered only in
//!   `acceptEdits` mode or by an `Edit(...)` allow rule; a target starting with `~` or
//!   holding a glob or variable always needs approval.
//! - A Bash file command (`rm`, `mv`, ...) on a protected path is not covered by
//!   `acceptEdits`; an allow rule matching it still covers it (only redirect targets are
//!   checked as protected writes).
//! - `readonly::compound_readonly_exception` is consulted whenever every part is covered,
//!   whether by read-only entries or allow rules.
//! - Read/Edit deny and ask rules are applied to the file arguments of `cat`, `head`,
//!   `tail` and `sed` (every non-flag argument; for `sed` all but the script).
//! - PowerShell: split on `;`, `|`, `&&`, `||` and newlines, outside quotes; any `$(`,
//!   `@(`, `{`, backtick or call operator makes the command uncoverable. No built-in
//!   read-only set and no acceptEdits commands are assumed.
//! - Agent rules compare the subagent type exactly; a call without one is
//!   `general-purpose`. Skill rules match `name` or `name args` (`Skill(x *)`: prefix).
//! - Skills prompt unless allowed (2.1.19 lets skills "without additional permissions or
//!   hooks" run, which a transcript cannot show). No WebFetch domain is preapproved.
//! - `AskUserQuestion` is a question, not a permission prompt: auto-allowed, except in
//!   `dontAsk` mode (denied).
//! - `Monitor` gets no built-in read-only set and no acceptEdits file commands (only Bash
//!   is documented to have them); in auto mode all its allow rules are set aside.
//! - The critical-`rm` check looks through exec wrappers (`sudo rm -rf /`) and inside
//!   `$(...)`, backticks and `<(...)`.
//! - Unknown tools prompt.
//!
//! The files: `types.rs` (the call and the decision), this file (the order every tool
//! shares and the rule lookups), `files.rs` (Read and Edit families), `bash.rs` (Bash and
//! Monitor, part by part), `powershell.rs`, `generic.rs` (every other tool: WebFetch,
//! Agent, Skill, MCP, ...) and `matchers.rs` (specifier matching that is not Bash's or
//! a path's).

mod bash;
mod files;
mod generic;
mod matchers;
mod powershell;
mod types;

pub use matchers::{domain_matches, is_broad_shell_spec, skill_matches};
pub use types::{
    AutoWhy, CallCtx, Decision, PartDecision, PartVerdict, PromptWhy, RuleRef, Verdict,
};

use super::bash_rule::RuleKind;
use super::paths::{self, Anchors};
use super::rule::{self, Specifier};
use super::settings::{LoadedRule, Policy};
use crate::event::Mode;
use crate::facts::tools::{self, Family};
use std::path::{Path, PathBuf};

/// One call being decided: the policy, the call, and the mode and folder it is decided in.
struct Ctx<'a> {
    policy: &'a Policy,
    call: &'a CallCtx<'a>,
    mode: Mode,
    cwd: PathBuf,
    additional: &'a [PathBuf],
}

/// Decides one call against a policy.
pub fn decide(policy: &Policy, call: &CallCtx<'_>) -> Decision {
    let mut notes = Vec::new();
    let mode = match call.mode {
        Some(Mode::Other(s)) => {
            notes.push(format!("unknown mode '{s}' treated as default"));
            Mode::Default
        }
        Some(m) => m.clone(),
        None => match &policy.default_mode {
            Some(d) => {
                notes.push(format!(
                    "mode not recorded: defaultMode {} from {}",
                    d.mode, d.source
                ));
                d.mode.clone()
            }
            None => {
                notes.push("mode not recorded: default assumed".into());
                Mode::Default
            }
        },
    };
    let cwd = match call.cwd {
        Some(c) => paths::normalize(c),
        None => {
            notes.push("cwd not recorded: the policy's starting folder assumed".into());
            policy.roots.cwd.clone()
        }
    };
    let ctx = Ctx {
        policy,
        call,
        mode: mode.clone(),
        cwd,
        additional: &policy.additional_dirs,
    };
    let (verdict, rule, why, parts) = match tools::family(call.tool) {
        Family::Bash => ctx.bash(),
        Family::PowerShell => ctx.powershell(),
        Family::Read => ctx.read(),
        Family::Edit => ctx.edit(),
        _ => ctx.generic(),
    };
    Decision {
        verdict,
        rule,
        why,
        parts,
        mode,
        notes,
    }
}

/// A decision's verdict, deciding rule, one line on why, and part verdicts.
type Out = (Verdict, Option<RuleRef>, String, Vec<PartDecision>);

/// An [`Out`] with no part verdicts.
fn out(v: Verdict, r: Option<&LoadedRule>, why: impl Into<String>) -> Out {
    (v, r.map(RuleRef::of), why.into(), Vec::new())
}

impl Ctx<'_> {
    fn home(&self) -> &Path {
        &self.policy.roots.home
    }

    fn anchors<'b>(&'b self, r: &'b LoadedRule) -> Anchors<'b> {
        Anchors {
            source_root: &r.root,
            cwd: &self.cwd,
            home: &self.policy.roots.home,
        }
    }

    fn inside_working(&self, p: &Path) -> bool {
        paths::is_within(p, &self.cwd) || self.additional.iter().any(|d| paths::is_within(p, d))
    }

    /// Active rules of `kind`, with auto mode's set-aside allow rules left out.
    fn rules(&self, kind: RuleKind) -> impl Iterator<Item = &LoadedRule> {
        self.policy
            .active(kind)
            .filter(move |r| kind != RuleKind::Allow || self.allow_usable(r))
    }

    fn first(&self, kind: RuleKind, pred: impl Fn(&LoadedRule) -> bool) -> Option<&LoadedRule> {
        self.rules(kind).find(|r| pred(r))
    }

    /// Auto mode sets broad allow rules aside (docs/permissions.md, "What runs without a
    /// prompt").
    fn allow_usable(&self, r: &LoadedRule) -> bool {
        if self.mode != Mode::Auto {
            return true;
        }
        let call = tools::canonical_tool(self.call.tool);
        if tools::AUTO_DROPPED_ALLOW_TOOLS.contains(&call) {
            return false;
        }
        match r.rule.tool.name() {
            Some(n) if tools::AUTO_DROPPED_ALLOW_TOOLS.contains(&n) => false,
            Some("Bash" | "PowerShell") => match &r.rule.spec {
                Specifier::Any => false,
                Specifier::Content(c) => !is_broad_shell_spec(c),
                Specifier::Param { .. } => true,
            },
            _ => true,
        }
    }

    /// A bare or parameter rule naming this call's tool.
    fn tool_level(&self, r: &LoadedRule) -> bool {
        let tool = self.call.tool;
        let named = r.rule.tool.matches(tool)
            || (tools::canonical_tool(tool) == "Monitor" && r.rule.tool.name() == Some("Bash"));
        named
            && match &r.rule.spec {
                Specifier::Any => true,
                Specifier::Param { name, value } => self
                    .call
                    .input
                    .param(name)
                    .is_some_and(|v| rule::value_matches(value, v)),
                Specifier::Content(_) => false,
            }
    }

    /// A path content rule named `family_name` (`Read` / `Edit`) matching `path`.
    fn path_rule(&self, r: &LoadedRule, family_name: &str, path: &Path) -> bool {
        match &r.rule.spec {
            Specifier::Content(c) if r.rule.tool.name() == Some(family_name) => {
                paths::pattern_matches(c, r.kind, &self.anchors(r), path)
            }
            _ => false,
        }
    }

    /// The verdict when the call would otherwise prompt, by mode.
    fn need(&self, why: PromptWhy) -> Verdict {
        match self.mode {
            Mode::DontAsk => Verdict::DontAskDenied,
            Mode::Auto => Verdict::Classifier,
            _ => Verdict::WouldPrompt(why),
        }
    }

    /// The verdict for a matching ask rule, by mode.
    fn ask(&self) -> Verdict {
        match self.mode {
            Mode::DontAsk => Verdict::DontAskDenied,
            _ => Verdict::AskRule,
        }
    }

    /// The verdict for a prompt no mode may skip except by denying it (critical `rm`).
    fn hard_prompt(&self, why: PromptWhy) -> Verdict {
        match self.mode {
            Mode::DontAsk => Verdict::DontAskDenied,
            _ => Verdict::WouldPrompt(why),
        }
    }
}
