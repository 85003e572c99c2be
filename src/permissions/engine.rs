//! The permission decision for one tool call.
//!
//! Order (reference §2.1): deny rules, then ask rules and the checks no mode auto-approves
//! (critical-path `rm`), then protected-path writes, then `bypassPermissions`, then allow
//! rules, then what runs unasked (read-only tools inside the working folders, the built-in
//! read-only Bash set, tools that never prompt), then the mode's default. A deny rule at any
//! level beats an allow rule at any level; within a step the first rule (highest-precedence
//! file first) is reported.
//!
//! Readings chosen where the reference is silent (the safe reading: a call counts as
//! covered by an allow rule only when it certainly is):
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
//!   `dontAsk` mode (denied, reference §2.1 step 3).
//! - `Monitor` gets no built-in read-only set and no acceptEdits file commands (only Bash
//!   is documented to have them); in auto mode all its allow rules are set aside.
//! - The critical-`rm` check looks through exec wrappers (`sudo rm -rf /`) and inside
//!   `$(...)`, backticks and `<(...)`.
//! - Unknown tools prompt.

use super::bash_rule::{self, RuleKind};
use super::glob;
use super::guards;
use super::paths::{self, Anchors};
use super::readonly;
use super::rule::{self, Specifier};
use super::settings::{LoadedRule, Policy, Source, kind_name};
use super::shell::{self, ShellAnalysis, SimpleCommand};
use crate::event::{Mode, ToolInput};
use crate::facts::env::DOCUMENTED_SAFE_ENV;
use crate::facts::tools::{self, Family};
use crate::facts::wrappers::looked_through_by_rules;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One tool call to decide.
#[derive(Debug, Clone, Copy)]
pub struct CallCtx<'a> {
    /// Tool name as recorded (`Task` allowed).
    pub tool: &'a str,
    /// What permissions look at.
    pub input: &'a ToolInput,
    /// The session's working folder at the call (`None`: the policy's starting folder).
    pub cwd: Option<&'a Path>,
    /// The recorded permission mode (`None`: the policy's `defaultMode`, else `default`).
    pub mode: Option<&'a Mode>,
}

/// A rule that decided (or helped decide) a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    /// `allow`, `ask` or `deny`.
    pub kind: &'static str,
    /// The rule as written.
    pub text: String,
    /// Its settings level.
    pub source: Source,
    /// Its file.
    pub file: PathBuf,
}

impl RuleRef {
    fn of(r: &LoadedRule) -> RuleRef {
        RuleRef {
            kind: kind_name(r.kind),
            text: r.text.clone(),
            source: r.source.clone(),
            file: r.file.clone(),
        }
    }
}

/// Why a call runs without a prompt although no allow rule matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AutoWhy {
    /// A read-only tool (Read, Grep, Glob, LSP) on a path inside the working folders.
    ReadOnlyTool,
    /// A tool that never prompts (TodoWrite, Agent, Task*, ...).
    NeverPrompts,
    /// The built-in read-only Bash entry that covers every part (the first part's entry).
    BuiltinReadOnly(&'static str),
    /// The mode runs it (`acceptEdits` edits and file commands, `bypassPermissions`).
    Mode(Mode),
    /// The tool is itself a question to the user (`AskUserQuestion`).
    InteractionTool,
    /// A file Claude Code writes for itself (plan files).
    InternalFile,
}

/// Why a call would show a permission prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PromptWhy {
    /// Nothing allows it.
    NoRule,
    /// A read or write outside the working folders.
    OutsideWorkingDirs(PathBuf),
    /// A write to a protected folder or file (allow rules never cover it).
    Protected(String),
    /// A Bash/PowerShell part no allow rule or read-only entry covers (its text).
    Uncovered(String),
    /// A part no allow rule may cover (substitution, subshell, parse failure, ...).
    Opaque(String),
    /// Read-only parts whose combination still prompts (`cd` + `git`, ...).
    CompoundReadOnly(&'static str),
    /// An output redirect target that needs approval.
    Redirect(String),
    /// `rm`/`rmdir` of a critical path (prompts even in `bypassPermissions`).
    CriticalRm(String),
    /// The input lacks the field the decision needs.
    MissingInput(&'static str),
}

impl std::fmt::Display for PromptWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PromptWhy::NoRule => f.write_str("no rule allows it"),
            PromptWhy::OutsideWorkingDirs(p) => {
                write!(f, "outside the working folders: {}", p.display())
            }
            PromptWhy::Protected(w) => write!(f, "{w}"),
            PromptWhy::Uncovered(t) => write!(f, "not covered: {t}"),
            PromptWhy::Opaque(w) => write!(f, "no allow rule may cover it: {w}"),
            PromptWhy::CompoundReadOnly(w) => write!(f, "read-only parts, but {w}"),
            PromptWhy::Redirect(t) => write!(f, "output redirection to '{t}' needs approval"),
            PromptWhy::CriticalRm(w) => write!(f, "removal of a critical path: {w}"),
            PromptWhy::MissingInput(w) => write!(f, "no {w} recorded"),
        }
    }
}

/// The outcome of the permission logic for one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Runs without a prompt and without a rule.
    AutoAllowed(AutoWhy),
    /// An allow rule covers it.
    AllowedByRule,
    /// An ask rule matched: a prompt in every mode but `dontAsk`.
    AskRule,
    /// A permission prompt would be shown.
    WouldPrompt(PromptWhy),
    /// A deny rule blocks it.
    DeniedByRule,
    /// `dontAsk` mode denies what would have prompted.
    DontAskDenied,
    /// Auto mode: the classifier decides.
    Classifier,
}

impl Verdict {
    /// snake_case name used in summaries.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::AutoAllowed(_) => "auto_allowed",
            Verdict::AllowedByRule => "allowed_by_rule",
            Verdict::AskRule => "ask_rule",
            Verdict::WouldPrompt(_) => "would_prompt",
            Verdict::DeniedByRule => "denied_by_rule",
            Verdict::DontAskDenied => "dontask_denied",
            Verdict::Classifier => "classifier",
        }
    }

    /// True when a person would have to answer a permission prompt.
    pub fn prompts(&self) -> bool {
        matches!(self, Verdict::AskRule | Verdict::WouldPrompt(_))
    }

    /// True when the call runs without anyone or anything asked.
    pub fn runs_unasked(&self) -> bool {
        matches!(self, Verdict::AutoAllowed(_) | Verdict::AllowedByRule)
    }
}

/// How one part of a compound Bash (or PowerShell) command fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PartVerdict {
    /// A deny rule matched this part.
    Denied,
    /// An ask rule matched this part.
    Asked,
    /// An allow rule covers it.
    AllowedByRule,
    /// A built-in read-only entry covers it.
    ReadOnly(&'static str),
    /// `acceptEdits` covers it (file command inside the working folders).
    AcceptEdits,
    /// Nothing covers it.
    Uncovered(PromptWhy),
}

/// One part of a compound command and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartDecision {
    /// The part's text (as matched).
    pub text: String,
    /// Its verdict.
    pub verdict: PartVerdict,
    /// The rule involved, if any.
    pub rule: Option<RuleRef>,
}

/// The decision for one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// What happens.
    pub verdict: Verdict,
    /// The deciding rule, if a rule decided.
    pub rule: Option<RuleRef>,
    /// One line on why.
    pub why: String,
    /// Bash/PowerShell: each part's verdict (empty for other tools).
    pub parts: Vec<PartDecision>,
    /// The mode the decision was made in.
    pub mode: Mode,
    /// Assumptions made (unknown mode, missing cwd, ...).
    pub notes: Vec<String>,
}

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

type Out = (Verdict, Option<RuleRef>, String, Vec<PartDecision>);

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

    /// Auto mode sets broad allow rules aside (reference §4.2).
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

    fn generic(&self) -> Out {
        let call = self.call;
        let fam = tools::family(call.tool);
        let content =
            |r: &LoadedRule| -> bool {
                let Specifier::Content(c) = &r.rule.spec else {
                    return false;
                };
                if r.rule.tool.name() != tools::family_rule_name(fam) {
                    return false;
                }
                match fam {
                    Family::WebFetch => self.domain().is_some_and(|d| domain_matches(c, &d)),
                    Family::Agent => {
                        c.trim()
                            == call
                                .input
                                .subagent_type
                                .as_deref()
                                .unwrap_or("general-purpose")
                    }
                    Family::Skill => call.input.skill.as_deref().is_some_and(|s| {
                        skill_matches(c, s, call.input.param("args").unwrap_or(""))
                    }),
                    _ => false,
                }
            };
        let matches = |r: &LoadedRule| self.tool_level(r) || content(r);
        if let Some(r) = self.first(RuleKind::Deny, matches) {
            return out(Verdict::DeniedByRule, Some(r), "deny rule");
        }
        if let Some(r) = self.first(RuleKind::Ask, matches) {
            return out(self.ask(), Some(r), "ask rule");
        }
        let canon = tools::canonical_tool(call.tool);
        if tools::INTERACTION_TOOLS.contains(&canon) {
            return match self.mode {
                Mode::DontAsk => out(
                    Verdict::DontAskDenied,
                    None,
                    "interaction tool in dontAsk mode",
                ),
                _ => out(
                    Verdict::AutoAllowed(AutoWhy::InteractionTool),
                    None,
                    "asks the user a question",
                ),
            };
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        if let Some(r) = self.first(RuleKind::Allow, matches) {
            return out(Verdict::AllowedByRule, Some(r), "allow rule");
        }
        if tools::never_prompts(call.tool) {
            if self.mode == Mode::Auto && canon == "Agent" {
                return out(Verdict::Classifier, None, "auto mode reviews Agent calls");
            }
            return out(
                Verdict::AutoAllowed(AutoWhy::NeverPrompts),
                None,
                "tool never prompts",
            );
        }
        if fam == Family::WebFetch
            && let Some(d) = self.domain()
            && tools::PREAPPROVED_WEBFETCH_DOMAINS
                .iter()
                .any(|p| domain_matches(p, &d))
        {
            return out(
                Verdict::AutoAllowed(AutoWhy::NeverPrompts),
                None,
                "preapproved domain",
            );
        }
        out(self.need(PromptWhy::NoRule), None, "no rule allows it")
    }

    fn domain(&self) -> Option<String> {
        let input = self.call.input;
        input
            .domain
            .clone()
            .or_else(|| {
                input
                    .url
                    .as_deref()
                    .and_then(crate::transcript::input::domain_of)
            })
            .map(|d| d.to_ascii_lowercase().trim_end_matches('.').to_string())
    }

    fn call_path(&self) -> Option<PathBuf> {
        self.call
            .input
            .path
            .as_deref()
            .map(|p| paths::resolve(p, &self.cwd, self.home()))
    }

    fn read(&self) -> Out {
        let path = self.call_path().unwrap_or_else(|| self.cwd.clone());
        let shown = path.display().to_string();
        if let Some(r) = self.first(RuleKind::Deny, |r| {
            self.tool_level(r) || self.path_rule(r, "Read", &path)
        }) {
            return out(
                Verdict::DeniedByRule,
                Some(r),
                format!("deny rule on {shown}"),
            );
        }
        if let Some(r) = self.first(RuleKind::Ask, |r| {
            self.tool_level(r) || self.path_rule(r, "Read", &path)
        }) {
            return out(self.ask(), Some(r), format!("ask rule on {shown}"));
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        if let Some(r) = self.first(RuleKind::Allow, |r| {
            self.tool_level(r)
                || self.path_rule(r, "Read", &path)
                || self.path_rule(r, "Edit", &path)
        }) {
            return out(
                Verdict::AllowedByRule,
                Some(r),
                format!("allow rule on {shown}"),
            );
        }
        if self.inside_working(&path) {
            return out(
                Verdict::AutoAllowed(AutoWhy::ReadOnlyTool),
                None,
                "read inside the working folders",
            );
        }
        out(
            self.need(PromptWhy::OutsideWorkingDirs(path)),
            None,
            format!("read outside the working folders: {shown}"),
        )
    }

    fn edit(&self) -> Out {
        let Some(path) = self.call_path() else {
            return out(
                self.need(PromptWhy::MissingInput("path")),
                None,
                "no file path recorded",
            );
        };
        let shown = path.display().to_string();
        if let Some(r) = self.first(RuleKind::Deny, |r| {
            self.tool_level(r)
                || self.path_rule(r, "Edit", &path)
                || self.path_rule(r, "Read", &path)
        }) {
            return out(
                Verdict::DeniedByRule,
                Some(r),
                format!("deny rule on {shown}"),
            );
        }
        if let Some(r) = self.first(RuleKind::Ask, |r| {
            self.tool_level(r) || self.path_rule(r, "Edit", &path)
        }) {
            return out(self.ask(), Some(r), format!("ask rule on {shown}"));
        }
        if self.internal_file(&path) {
            return out(
                Verdict::AutoAllowed(AutoWhy::InternalFile),
                None,
                "Claude Code's own plan file",
            );
        }
        if let Some(p) = guards::protected_reason(&path) {
            return (
                self.protected(p.clone()),
                None,
                format!("{p}: {shown}"),
                Vec::new(),
            );
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        if let Some(r) = self.first(RuleKind::Allow, |r| {
            self.tool_level(r) || self.path_rule(r, "Edit", &path)
        }) {
            return out(
                Verdict::AllowedByRule,
                Some(r),
                format!("allow rule on {shown}"),
            );
        }
        let inside = self.inside_working(&path);
        if inside && self.mode == Mode::AcceptEdits {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(Mode::AcceptEdits)),
                None,
                "acceptEdits: edit inside the working folders",
            );
        }
        let why = if inside {
            PromptWhy::NoRule
        } else {
            PromptWhy::OutsideWorkingDirs(path)
        };
        out(self.need(why), None, format!("edit of {shown}"))
    }

    /// Protected-path writes: prompt in default/acceptEdits/plan, classifier in auto,
    /// denied in dontAsk, allowed in bypassPermissions.
    fn protected(&self, why: String) -> Verdict {
        match self.mode {
            Mode::BypassPermissions => Verdict::AutoAllowed(AutoWhy::Mode(Mode::BypassPermissions)),
            _ => self.need(PromptWhy::Protected(why)),
        }
    }

    fn internal_file(&self, path: &Path) -> bool {
        tools::INTERNAL_WRITABLE.iter().any(|d| {
            paths::is_within(path, &self.policy.roots.config_dir.join(d))
                && path.extension().is_some_and(|e| e == "md")
        })
    }

    fn bash_rule_applies<'r>(&self, r: &'r LoadedRule) -> Option<&'r str> {
        let Specifier::Content(c) = &r.rule.spec else {
            return None;
        };
        let name = r.rule.tool.name()?;
        (name == "Bash" || name == tools::canonical_tool(self.call.tool)).then_some(c.as_str())
    }

    /// Deny/ask check of a Bash command: the first rule of `kind` matching the whole call or
    /// any part, and the index of the part it matched.
    fn bash_match(
        &self,
        kind: RuleKind,
        parts: &[SimpleCommand],
    ) -> Option<(&LoadedRule, Option<usize>, String)> {
        for r in self.rules(kind) {
            if self.tool_level(r) {
                return Some((r, None, "rule on the whole tool".into()));
            }
            if let Some(spec) = self.bash_rule_applies(r)
                && let Some(i) = parts
                    .iter()
                    .position(|p| bash_rule::spec_matches(spec, p, kind))
            {
                return Some((r, Some(i), "matches a part".into()));
            }
            for (i, p) in parts.iter().enumerate() {
                for target in p
                    .redirects
                    .iter()
                    .map(|x| x.target.as_str())
                    .filter(|t| *t != "/dev/null")
                {
                    let abs = paths::resolve(target, &self.cwd, self.home());
                    let hit = self.path_rule(r, "Edit", &abs)
                        || (kind == RuleKind::Deny && self.path_rule(r, "Read", &abs));
                    if hit {
                        return Some((r, Some(i), format!("output redirection to '{target}'")));
                    }
                }
                for (path, write) in file_args(p) {
                    let abs = paths::resolve(&path, &self.cwd, self.home());
                    if self.path_rule(r, "Read", &abs) || (write && self.path_rule(r, "Edit", &abs))
                    {
                        return Some((r, Some(i), format!("file argument '{path}'")));
                    }
                }
            }
        }
        None
    }

    fn bash(&self) -> Out {
        let Some(command) = self.call.input.command.as_deref() else {
            return out(
                self.need(PromptWhy::MissingInput("command")),
                None,
                "no command recorded",
            );
        };
        let analysis = shell::analyze(command);
        let synthetic;
        let parts: &[SimpleCommand] = if analysis.parts.is_empty() && analysis.opaque.is_some() {
            synthetic = [whole_line_part(command)];
            &synthetic
        } else {
            &analysis.parts
        };
        let part_list = |mark: Option<(usize, PartVerdict, &LoadedRule)>| -> Vec<PartDecision> {
            parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let (j, v, r) = mark.as_ref()?;
                    (i == *j).then(|| PartDecision {
                        text: p.text.clone(),
                        verdict: v.clone(),
                        rule: Some(RuleRef::of(r)),
                    })
                })
                .collect()
        };
        if let Some((r, i, why)) = self.bash_match(RuleKind::Deny, parts) {
            let ps = i
                .map(|i| part_list(Some((i, PartVerdict::Denied, r))))
                .unwrap_or_default();
            return (
                Verdict::DeniedByRule,
                Some(RuleRef::of(r)),
                format!("deny rule: {why}"),
                ps,
            );
        }
        if let Some((r, i, why)) = self.bash_match(RuleKind::Ask, parts) {
            let ps = i
                .map(|i| part_list(Some((i, PartVerdict::Asked, r))))
                .unwrap_or_default();
            return (
                self.ask(),
                Some(RuleRef::of(r)),
                format!("ask rule: {why}"),
                ps,
            );
        }
        let nested: Vec<SimpleCommand> = nested_commands(command)
            .iter()
            .flat_map(|t| shell::analyze(t).parts.clone())
            .collect();
        for p in parts.iter().chain(&nested) {
            if let Some(what) = self.critical_rm(p) {
                let why = format!("{}: {what}", p.text);
                return (
                    self.hard_prompt(PromptWhy::CriticalRm(why.clone())),
                    None,
                    why,
                    Vec::new(),
                );
            }
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        let mut decisions = Vec::new();
        let mut protected: Option<String> = None;
        for p in parts {
            decisions.push(self.cover_part(p, &analysis, &mut protected));
        }
        if let Some(pr) = protected {
            return (self.protected(pr.clone()), None, pr, decisions);
        }
        let first_uncovered = decisions.iter().find_map(|d| match &d.verdict {
            PartVerdict::Uncovered(w) => Some(w.clone()),
            _ => None,
        });
        if let Some(why) = first_uncovered {
            let text = why.to_string();
            return (self.need(why), None, text, decisions);
        }
        if decisions.is_empty() {
            return (
                self.need(PromptWhy::NoRule),
                None,
                "no command found".into(),
                decisions,
            );
        }
        if let Some(ex) = readonly::compound_readonly_exception(&analysis) {
            return (
                self.need(PromptWhy::CompoundReadOnly(ex)),
                None,
                ex.into(),
                decisions,
            );
        }
        if let Some(d) = decisions
            .iter()
            .find(|d| d.verdict == PartVerdict::AllowedByRule)
        {
            let rule = d.rule.clone();
            return (
                Verdict::AllowedByRule,
                rule,
                "every part covered".into(),
                decisions,
            );
        }
        if decisions
            .iter()
            .any(|d| d.verdict == PartVerdict::AcceptEdits)
        {
            return (
                Verdict::AutoAllowed(AutoWhy::Mode(Mode::AcceptEdits)),
                None,
                "acceptEdits file commands inside the working folders".into(),
                decisions,
            );
        }
        let entry = decisions
            .iter()
            .find_map(|d| match d.verdict {
                PartVerdict::ReadOnly(e) => Some(e),
                _ => None,
            })
            .unwrap_or("");
        (
            Verdict::AutoAllowed(AutoWhy::BuiltinReadOnly(entry)),
            None,
            "built-in read-only commands".into(),
            decisions,
        )
    }

    /// Coverage of one non-denied part.
    fn cover_part(
        &self,
        p: &SimpleCommand,
        analysis: &ShellAnalysis,
        protected: &mut Option<String>,
    ) -> PartDecision {
        let decision = |verdict, rule: Option<&LoadedRule>| PartDecision {
            text: p.text.clone(),
            verdict,
            rule: rule.map(RuleRef::of),
        };
        if let Some(o) = analysis.opaque.as_ref().or(p.opaque.as_ref()) {
            return decision(PartVerdict::Uncovered(PromptWhy::Opaque(o.clone())), None);
        }
        let mut redirect_rule = None;
        for t in p
            .redirects
            .iter()
            .map(|r| r.target.as_str())
            .filter(|t| *t != "/dev/null")
        {
            if t.starts_with('~') || t.contains(['*', '?', '[', '$', '`']) {
                return decision(
                    PartVerdict::Uncovered(PromptWhy::Redirect(t.to_string())),
                    None,
                );
            }
            let abs = paths::resolve(t, &self.cwd, self.home());
            if let Some(pr) = guards::protected_reason(&abs) {
                protected.get_or_insert(format!("output redirection to {}: {pr}", abs.display()));
                return decision(PartVerdict::Uncovered(PromptWhy::Protected(pr)), None);
            }
            if let Some(r) = self.first(RuleKind::Allow, |r| self.path_rule(r, "Edit", &abs)) {
                redirect_rule = Some(r);
                continue;
            }
            if !(self.inside_working(&abs) && self.mode == Mode::AcceptEdits) {
                return decision(
                    PartVerdict::Uncovered(PromptWhy::Redirect(t.to_string())),
                    None,
                );
            }
        }
        let allow = self.first(RuleKind::Allow, |r| {
            self.tool_level(r)
                || self
                    .bash_rule_applies(r)
                    .is_some_and(|spec| bash_rule::spec_matches(spec, p, RuleKind::Allow))
        });
        if let Some(r) = allow {
            return decision(PartVerdict::AllowedByRule, Some(r));
        }
        let is_bash = tools::canonical_tool(self.call.tool) == "Bash";
        if is_bash && let Some(entry) = readonly::builtin_readonly(p) {
            return decision(PartVerdict::ReadOnly(entry), None);
        }
        if is_bash && self.mode == Mode::AcceptEdits && self.accept_edits_covers(p) {
            return decision(PartVerdict::AcceptEdits, redirect_rule);
        }
        decision(
            PartVerdict::Uncovered(PromptWhy::Uncovered(p.text.clone())),
            None,
        )
    }

    fn accept_edits_covers(&self, p: &SimpleCommand) -> bool {
        let Some(cmd) = p.argv.first() else {
            return false;
        };
        if !tools::ACCEPT_EDITS_COMMANDS.contains(&cmd.as_str())
            || p.env
                .iter()
                .any(|(k, _)| !DOCUMENTED_SAFE_ENV.contains(&k.as_str()))
        {
            return false;
        }
        let args = path_operands(p);
        !args.is_empty()
            && args.iter().all(|a| {
                if a.starts_with('~') || a.contains(['$', '`', '*', '?', '[']) {
                    return false;
                }
                let abs = paths::resolve(a, &self.cwd, self.home());
                self.inside_working(&abs) && guards::protected_reason(&abs).is_none()
            })
    }

    fn critical_rm(&self, p: &SimpleCommand) -> Option<&'static str> {
        let argv = rm_argv(&p.argv)?;
        operands(argv).iter().find_map(|raw| {
            let trimmed = raw.trim_end_matches('/');
            let (dir, had_glob) = match trimmed.rsplit_once('/') {
                Some((head, last)) if last.contains('*') => {
                    (if head.is_empty() { "/" } else { head }, true)
                }
                None if trimmed.contains('*') => (".", true),
                _ => (if trimmed.is_empty() { "/" } else { trimmed }, false),
            };
            let resolved = paths::resolve(dir, &self.cwd, self.home());
            guards::critical_rm_target(
                raw,
                &resolved,
                had_glob,
                self.home(),
                &self.cwd,
                self.additional,
            )
        })
    }

    fn powershell(&self) -> Out {
        let Some(command) = self.call.input.command.as_deref() else {
            return out(
                self.need(PromptWhy::MissingInput("command")),
                None,
                "no command recorded",
            );
        };
        let (parts, opaque) = pwsh_split(command);
        let applies = |r: &LoadedRule| -> Option<String> {
            match (&r.rule.spec, r.rule.tool.name()) {
                (Specifier::Content(c), Some("PowerShell")) => Some(c.clone()),
                _ => None,
            }
        };
        for (kind, verdict, pv) in [
            (RuleKind::Deny, Verdict::DeniedByRule, PartVerdict::Denied),
            (RuleKind::Ask, self.ask(), PartVerdict::Asked),
        ] {
            for r in self.rules(kind) {
                if self.tool_level(r) {
                    return out(verdict, Some(r), "rule on the whole tool");
                }
                if let Some(spec) = applies(r)
                    && let Some(p) = parts.iter().find(|p| pwsh_matches(&spec, p))
                {
                    let pd = PartDecision {
                        text: p.clone(),
                        verdict: pv.clone(),
                        rule: Some(RuleRef::of(r)),
                    };
                    return (
                        verdict,
                        Some(RuleRef::of(r)),
                        "matches a part".into(),
                        vec![pd],
                    );
                }
            }
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        let decisions: Vec<PartDecision> = parts
            .iter()
            .map(|p| {
                let rule = if opaque.is_some() {
                    None
                } else {
                    self.first(RuleKind::Allow, |r| {
                        self.tool_level(r) || applies(r).is_some_and(|s| pwsh_matches(&s, p))
                    })
                };
                PartDecision {
                    text: p.clone(),
                    verdict: match (rule, &opaque) {
                        (Some(_), _) => PartVerdict::AllowedByRule,
                        (None, Some(o)) => PartVerdict::Uncovered(PromptWhy::Opaque(o.to_string())),
                        (None, None) => PartVerdict::Uncovered(PromptWhy::Uncovered(p.clone())),
                    },
                    rule: rule.map(RuleRef::of),
                }
            })
            .collect();
        let uncovered = decisions.iter().find_map(|d| match &d.verdict {
            PartVerdict::Uncovered(w) => Some(w.clone()),
            _ => None,
        });
        match (uncovered, decisions.first()) {
            (None, Some(d)) => {
                let rule = d.rule.clone();
                (
                    Verdict::AllowedByRule,
                    rule,
                    "every part covered".into(),
                    decisions,
                )
            }
            (Some(why), _) => (
                self.need(why),
                None,
                "a part is not covered".into(),
                decisions,
            ),
            (None, None) => (
                self.need(PromptWhy::NoRule),
                None,
                "no command found".into(),
                decisions,
            ),
        }
    }
}

/// A part standing for a whole line the shell module could not split (deny/ask matching
/// only; it is never covered).
fn whole_line_part(command: &str) -> SimpleCommand {
    let folded = command.split_whitespace().collect::<Vec<_>>().join(" ");
    SimpleCommand {
        raw: folded.clone(),
        env: Vec::new(),
        wrappers: Vec::new(),
        argv: command.split_whitespace().map(str::to_string).collect(),
        text: folded,
        redirects: Vec::new(),
        opaque: Some("the line could not be parsed".into()),
    }
}

/// Command texts inside `$(...)`, backticks, `<(...)` and `>(...)` at any depth (best
/// effort, quotes not tracked): the critical-`rm` check looks inside substitutions.
fn nested_commands(text: &str) -> Vec<String> {
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if matches!(c, '$' | '<' | '>') && b.get(i + 1) == Some(&'(') {
            let mut depth = 0usize;
            let mut j = i + 1;
            while let Some(&d) = b.get(j) {
                if d == '(' {
                    depth += 1;
                } else if d == ')' {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                j += 1;
            }
            out.push(
                b.get(i + 2..j)
                    .map(|s| s.iter().collect())
                    .unwrap_or_default(),
            );
            i += 2;
            continue;
        }
        if c == '`' {
            let end = (i + 1..b.len())
                .find(|&j| b.get(j) == Some(&'`'))
                .unwrap_or(b.len());
            out.push(
                b.get(i + 1..end)
                    .map(|s| s.iter().collect())
                    .unwrap_or_default(),
            );
            i = end + 1;
            continue;
        }
        i += 1;
    }
    out
}

/// The `rm`/`rmdir` invocation inside `argv`, looking through exec wrappers
/// ([`looked_through_by_rules`]) and their options, so `sudo rm -rf /` is checked too.
fn rm_argv(argv: &[String]) -> Option<&[String]> {
    let mut i = 0;
    loop {
        let w = argv.get(i)?.as_str();
        if tools::RM_COMMANDS.contains(&w) {
            return argv.get(i..);
        }
        if !looked_through_by_rules(w) {
            return None;
        }
        i += 1;
        while let Some(a) = argv.get(i) {
            let option_like = a.starts_with('-')
                || a.contains('=')
                || a.chars().next().is_some_and(|c| c.is_ascii_digit());
            if !option_like {
                break;
            }
            i += 1;
        }
        if w == "flock" {
            i += 1;
        }
    }
}

/// Non-flag arguments of a command (everything after `--` counts).
fn path_operands(p: &SimpleCommand) -> Vec<String> {
    operands(&p.argv)
}

/// Non-flag arguments after `argv[0]` (everything after `--` counts).
fn operands(argv: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut after_dashes = false;
    for a in argv.iter().skip(1) {
        if !after_dashes && a == "--" {
            after_dashes = true;
            continue;
        }
        if after_dashes || !a.starts_with('-') || a == "-" {
            out.push(a.clone());
        }
    }
    out
}

/// File arguments of the file commands whose arguments Read/Edit deny rules also cover:
/// (path, is_write).
fn file_args(p: &SimpleCommand) -> Vec<(String, bool)> {
    let Some(cmd) = p.argv.first() else {
        return Vec::new();
    };
    match cmd.as_str() {
        "cat" | "head" | "tail" => path_operands(p).into_iter().map(|a| (a, false)).collect(),
        "sed" => {
            let in_place = p
                .argv
                .iter()
                .skip(1)
                .any(|a| a.starts_with("-i") || a == "--in-place");
            let has_e = p.argv.iter().skip(1).any(|a| a == "-e" || a == "-f");
            let ops = path_operands(p);
            let skip = usize::from(!has_e);
            ops.into_iter().skip(skip).map(|a| (a, in_place)).collect()
        }
        _ => Vec::new(),
    }
}

/// Auto mode's broad shell allow rules (reference §4.2): an empty fixed text, an
/// interpreter or shell with any wildcard (`python*`, `node *`), or a package-manager /
/// task-runner run prefix with a wildcard in the script position (`npm run *`, `npm *`).
pub fn is_broad_shell_spec(spec: &str) -> bool {
    let s = spec.trim();
    if !s.contains('*') {
        return false;
    }
    let lit = s
        .split('*')
        .next()
        .unwrap_or("")
        .trim_end()
        .trim_end_matches(':')
        .trim_end();
    if lit.is_empty() {
        return true;
    }
    let first = lit.split_whitespace().next().unwrap_or("");
    let single_word = !lit.contains(char::is_whitespace);
    let interp = tools::AUTO_BROAD_INTERPRETERS.iter().any(|i| {
        first == *i
            || first
                .strip_prefix(i)
                .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
            || (single_word && i.starts_with(first))
    });
    interp || tools::AUTO_BROAD_RUNNERS.iter().any(|r| r.starts_with(lit))
}

/// Does a `WebFetch(domain:...)` specifier match `host`? Case-insensitive, trailing dot
/// ignored; `*` alone is every host; `*.x.com` any subdomain at any depth but not `x.com`;
/// any other `*` stays within one dot-separated label.
pub fn domain_matches(spec: &str, host: &str) -> bool {
    let pat = spec.trim();
    let pat = pat.strip_prefix("domain:").unwrap_or(pat).trim();
    let pat = pat.trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if pat == "*" {
        return true;
    }
    let hl: Vec<&str> = host.split('.').collect();
    let labels_match = |p: &[&str], h: &[&str]| {
        p.len() == h.len() && p.iter().zip(h).all(|(a, b)| glob::simple_glob(a, b))
    };
    if let Some(rest) = pat.strip_prefix("*.") {
        let pl: Vec<&str> = rest.split('.').collect();
        return hl.len() > pl.len()
            && hl
                .get(hl.len() - pl.len()..)
                .is_some_and(|tail| labels_match(&pl, tail));
    }
    let pl: Vec<&str> = pat.split('.').collect();
    labels_match(&pl, &hl)
}

/// Does a `Skill(...)` specifier match a skill call? The text is `name` or `name args`;
/// `x *` (or `x:*`) is `x` alone or `x ` followed by anything; other `*` match anything.
pub fn skill_matches(spec: &str, skill: &str, args: &str) -> bool {
    let name = skill.trim().trim_start_matches('/');
    let args = args.trim();
    let text = if args.is_empty() {
        name.to_string()
    } else {
        format!("{name} {args}")
    };
    command_pattern_matches(spec.trim(), &text)
}

/// Bash-style specifier matching over plain text: trailing ` *` / `:*` is a word-boundary
/// prefix, any other `*` matches any run of characters.
fn command_pattern_matches(spec: &str, text: &str) -> bool {
    let spec = match spec.strip_suffix(":*") {
        Some(head) => format!("{head} *"),
        None => spec.to_string(),
    };
    if let Some(prefix) = spec.strip_suffix(" *")
        && !prefix.contains('*')
    {
        return text == prefix
            || text
                .strip_prefix(prefix)
                .is_some_and(|r| r.starts_with(' '));
    }
    glob::simple_glob(&spec, text)
}

/// Splits a PowerShell line into parts (lower case, whitespace folded, aliases mapped), and
/// a reason when no allow rule may cover it.
fn pwsh_split(command: &str) -> (Vec<String>, Option<&'static str>) {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut opaque = None;
    let chars: Vec<char> = command.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                if q == '"' && c == '$' && next == Some('(') {
                    opaque = Some("subexpression");
                }
                cur.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    cur.push(c);
                }
                ';' | '\n' | '|' => {
                    if c == '|' && next == Some('|') {
                        i += 1;
                    }
                    parts.push(std::mem::take(&mut cur));
                }
                '&' if next == Some('&') => {
                    i += 1;
                    parts.push(std::mem::take(&mut cur));
                }
                '$' | '@' if next == Some('(') => {
                    opaque = Some("subexpression");
                    cur.push(c);
                }
                '{' | '`' => {
                    opaque = Some("script block or escape");
                    cur.push(c);
                }
                _ => cur.push(c),
            },
        }
        i += 1;
    }
    parts.push(cur);
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|p| pwsh_canonical(&p))
        .collect();
    if parts
        .iter()
        .any(|p| p.starts_with("& ") || p.starts_with(". ") || p.starts_with("invoke-expression"))
    {
        opaque = Some("call operator or Invoke-Expression");
    }
    (parts, opaque)
}

/// Lower-cases a PowerShell part and maps an alias in command position.
fn pwsh_canonical(part: &str) -> String {
    let lower = part.to_lowercase();
    let (first, rest) = lower.split_once(' ').unwrap_or((lower.as_str(), ""));
    let first = tools::POWERSHELL_ALIASES
        .iter()
        .find(|(a, _)| *a == first)
        .map_or(first, |(_, full)| full);
    if rest.is_empty() {
        first.to_string()
    } else {
        format!("{first} {rest}")
    }
}

fn pwsh_matches(spec: &str, part: &str) -> bool {
    let spec = pwsh_canonical(&spec.split_whitespace().collect::<Vec<_>>().join(" "));
    command_pattern_matches(&spec, part)
}
