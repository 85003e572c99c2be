//! A run's boundary: the declared flags laid over the settings that load, the mode the run
//! is really in, and what the boundary does with one call ([`Expect`]).
//!
//! Two policies are kept: the real one (settings files, `--settings`, and the flag rules
//! right after the managed rules, where command-line arguments rank) and the claim (the flag
//! rules alone), which is what a person reading the command line believes.

use super::flags::{Declared, Role, spelling};
use crate::event::{Mode, ToolInput};
use crate::facts::tools;
use crate::permissions::bash_rule::RuleKind;
use crate::permissions::engine::{AutoWhy, CallCtx, Decision, RuleRef, Verdict, decide};
use crate::permissions::paths;
use crate::permissions::rule::Rule;
use crate::permissions::settings::{Policy, Source, Warning};
use std::path::{Path, PathBuf};

/// The label of a `--settings` value given as inline JSON.
pub const INLINE_SETTINGS: &str = "--settings (inline JSON)";

/// What the boundary does with a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// The tool does not exist in the run (left out of `--tools`).
    Absent(String),
    /// A deny rule stops it (the rule, when the engine names it).
    Denied(Option<RuleRef>),
    /// `dontAsk` denies it (nothing allows it).
    DontAsk,
    /// It would ask; in a headless run with no prompt tool nobody answers, so it is denied.
    Unanswered(String),
    /// It runs without anyone asked (why).
    Runs(String),
    /// Auto mode: the classifier decides.
    Classifier,
    /// It would ask `--permission-prompt-tool` (named), which decides.
    PromptTool(String),
    /// It would ask a person (an interactive run).
    Person(String),
}

impl Expect {
    /// True when the boundary stops the call.
    pub fn stops(&self) -> bool {
        matches!(
            self,
            Expect::Absent(_) | Expect::Denied(_) | Expect::DontAsk | Expect::Unanswered(_)
        )
    }

    /// One line on what happens.
    pub fn describe(&self) -> String {
        match self {
            Expect::Absent(why) => format!("absent: {why}"),
            Expect::Denied(Some(r)) => {
                format!("denied by {} ({})", r.text, source_label(&r.source))
            }
            Expect::Denied(None) => "denied by a deny rule".into(),
            Expect::DontAsk => "denied: dontAsk mode denies what no rule allows".into(),
            Expect::Unanswered(why) => {
                format!("denied: it would ask ({why}) and nobody answers in -p")
            }
            Expect::Runs(why) => format!("runs: {why}"),
            Expect::Classifier => "the auto-mode classifier decides".into(),
            Expect::PromptTool(t) => format!("asks --permission-prompt-tool {t}, which decides"),
            Expect::Person(why) => format!("asks a person ({why})"),
        }
    }
}

/// True for a rule given on the command line (a flag), not in a settings file.
pub fn is_flag(source: &Source) -> bool {
    matches!(source, Source::Flag(_))
}

/// Where a rule comes from, for people: the flag, or the settings file.
pub fn source_label(s: &Source) -> String {
    match s {
        Source::Flag(f) => (*f).to_string(),
        Source::Cli(p) => format!("--settings {}", p.display()),
        other => format!("{} settings", other.name()),
    }
}

/// A run's boundary, ready to decide calls.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// What was declared.
    pub declared: Declared,
    /// The settings that load, with the flag rules.
    pub policy: Policy,
    /// The flag rules alone: what the command line claims.
    pub claim: Policy,
    /// The mode the run is in.
    pub mode: Mode,
    /// Where the mode comes from.
    pub mode_from: String,
    /// Settings and rule problems (broken files, rules Claude Code ignores, ...).
    pub warnings: Vec<Warning>,
    /// What building the boundary noticed (the bypass switch turned off, sources left out).
    pub notes: Vec<String>,
}

/// The settings file a declared `--settings` names (relative to `cwd`), if it names a file.
pub fn settings_file(declared: &Declared, cwd: &Path) -> Option<PathBuf> {
    let s = declared.settings.as_deref()?;
    (!s.trim_start().starts_with('{')).then(|| paths::resolve(s, cwd, &home()))
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/"), PathBuf::from)
}

impl Boundary {
    /// The boundary of `declared` over the settings already loaded (with a declared
    /// `--settings` file among them: see [`settings_file`]).
    pub fn new(declared: Declared, loaded: (Policy, Vec<Warning>)) -> Boundary {
        let (mut policy, mut warnings) = loaded;
        let mut notes = Vec::new();
        if let Some(json) = declared
            .settings
            .as_deref()
            .filter(|s| s.trim_start().starts_with('{'))
        {
            let label = PathBuf::from(INLINE_SETTINGS);
            let source = Source::Cli(label.clone());
            warnings.extend(policy.add_json_str(source, &label, json));
        }
        if let Some(keep) = &declared.setting_sources {
            leave_out_sources(&mut policy, keep, &mut notes);
        }
        for d in &declared.add_dirs {
            let dir = paths::resolve(d, &policy.roots.cwd, &policy.roots.home);
            if !policy.additional_dirs.contains(&dir) {
                policy.additional_dirs.push(dir);
            }
        }
        let mut claim = Policy::new(policy.roots.clone());
        let managed = policy
            .rules
            .iter()
            .take_while(|r| r.source == Source::Managed)
            .count();
        let before = policy.rules.len();
        for (kind, role, list) in [
            (RuleKind::Deny, Role::Disallowed, &declared.disallowed),
            (RuleKind::Allow, Role::Allowed, &declared.allowed),
        ] {
            let flag = spelling(role);
            for text in list {
                let source = Source::Flag(flag);
                warnings.extend(policy.add_rule(kind, text, source.clone(), Path::new(flag)));
                claim.add_rule(kind, text, source, Path::new(flag));
            }
        }
        // Command-line rules rank right after the managed ones.
        let added = policy.rules.len() - before;
        policy.rules[managed..].rotate_right(added);
        let (mode, mode_from) = resolve_mode(&declared, &policy, &mut notes);
        Boundary {
            declared,
            policy,
            claim,
            mode,
            mode_from,
            warnings,
            notes,
        }
    }

    /// True when nobody answers a prompt: `-p` (given or assumed) and no prompt tool.
    pub fn headless(&self) -> bool {
        self.declared.print && self.declared.prompt_tool.is_none()
    }

    /// Why the tool does not exist in the run, if it does not: left out of `--tools`. MCP
    /// tools are not restricted by `--tools` (it is documented for built-in tools).
    pub fn absent(&self, tool: &str) -> Option<String> {
        let list = self.declared.tools.as_ref()?;
        if tool.starts_with("mcp__") {
            return None;
        }
        let canon = tools::canonical_tool(tool);
        let listed = list.iter().any(|t| {
            Rule::parse(t)
                .ok()
                .is_some_and(|r| r.tool.name() == Some(canon))
        });
        (!listed).then(|| format!("{tool} is not in --tools"))
    }

    /// What the boundary does with a call of `tool` with `input`, made in `cwd` (None: the
    /// folder the boundary was built for), in `mode` (None: the run's mode), in a run that
    /// is headless or not. Returns the engine's decision too.
    pub fn expect(
        &self,
        tool: &str,
        input: &ToolInput,
        cwd: Option<&Path>,
        mode: Option<&Mode>,
        headless: bool,
    ) -> (Expect, Decision) {
        let mode = mode.unwrap_or(&self.mode);
        let d = decide(
            &self.policy,
            &CallCtx {
                tool,
                input,
                cwd,
                mode: Some(mode),
            },
        );
        if let Some(why) = self.absent(tool) {
            return (Expect::Absent(why), d);
        }
        let e = match &d.verdict {
            Verdict::DeniedByRule => Expect::Denied(d.rule.clone().or_else(|| {
                // A compound command: the rule of its first denied part.
                d.parts
                    .iter()
                    .find_map(|p| p.rule.clone().filter(|r| r.kind == "deny"))
            })),
            Verdict::DontAskDenied => Expect::DontAsk,
            Verdict::Classifier => Expect::Classifier,
            Verdict::AskRule | Verdict::WouldPrompt(_) => {
                let why = d.why.clone();
                match (&self.declared.prompt_tool, headless) {
                    (Some(t), _) => Expect::PromptTool(t.clone()),
                    (None, true) => Expect::Unanswered(why),
                    (None, false) => Expect::Person(why),
                }
            }
            Verdict::AutoAllowed(w) => Expect::Runs(auto_reason(w)),
            Verdict::AllowedByRule => Expect::Runs(match &d.rule {
                Some(r) => format!("allowed by {} ({})", r.text, source_label(&r.source)),
                None => "allowed by rules".into(),
            }),
        };
        (e, d)
    }

    /// The claim's reading of a call: the declared flag rules alone, in default mode.
    pub fn claim_decision(&self, tool: &str, input: &ToolInput, cwd: Option<&Path>) -> Decision {
        decide(
            &self.claim,
            &CallCtx {
                tool,
                input,
                cwd,
                mode: Some(&Mode::Default),
            },
        )
    }
}

/// Why a call runs without a rule.
fn auto_reason(w: &AutoWhy) -> String {
    match w {
        AutoWhy::Mode(Mode::BypassPermissions) => {
            "bypassPermissions runs what no deny or ask rule catches".into()
        }
        AutoWhy::Mode(Mode::AcceptEdits) => {
            "acceptEdits runs edits and file commands inside the working folders".into()
        }
        AutoWhy::Mode(m) => format!("mode {m} runs it"),
        AutoWhy::ReadOnlyTool => "a read inside the working folders needs no rule".into(),
        AutoWhy::NeverPrompts => "the tool never asks".into(),
        AutoWhy::BuiltinReadOnly(e) => {
            format!("Claude Code's own read-only commands need no rule ({e})")
        }
        AutoWhy::InteractionTool => "a question to the user, not a permission prompt".into(),
        AutoWhy::InternalFile => "a file Claude Code writes for itself".into(),
    }
}

/// `--setting-sources`: leaves out the rules (and `defaultMode`) of the user, project and
/// local files not listed. Managed settings and `--settings` always load.
fn leave_out_sources(policy: &mut Policy, keep: &[String], notes: &mut Vec<String>) {
    let kept = |s: &Source| {
        let name = match s {
            Source::User => "user",
            Source::Project => "project",
            Source::Local | Source::LocalLegacy => "local",
            Source::Managed | Source::Cli(_) | Source::Flag(_) => return true,
        };
        keep.iter().any(|k| k == name)
    };
    let before = policy.rules.len();
    policy.rules.retain(|r| kept(&r.source));
    if policy
        .default_mode
        .as_ref()
        .is_some_and(|d| !kept(&d.source))
    {
        policy.default_mode = None;
    }
    if policy.rules.len() < before {
        notes.push(format!(
            "--setting-sources {}: {} rules of the other settings files left out",
            keep.join(","),
            before - policy.rules.len()
        ));
    }
}

/// The mode the run is in and where it comes from: `--dangerously-skip-permissions` (unless
/// settings disable bypassPermissions), then `--permission-mode`, then `defaultMode`.
fn resolve_mode(declared: &Declared, policy: &Policy, notes: &mut Vec<String>) -> (Mode, String) {
    let flag_mode = declared.permission_mode.clone();
    if declared.skip_permissions {
        match &policy.bypass_disabled {
            None => {
                if let Some(m) = &flag_mode
                    && *m != Mode::BypassPermissions
                {
                    notes.push(format!(
                        "--dangerously-skip-permissions wins over --permission-mode {m}"
                    ));
                }
                return (
                    Mode::BypassPermissions,
                    spelling(Role::SkipPermissions).to_string(),
                );
            }
            Some(f) => notes.push(format!(
                "{} sets disableBypassPermissionsMode: --dangerously-skip-permissions is \
                 refused and the next mode applies",
                f.display()
            )),
        }
    }
    if let Some(m) = flag_mode {
        if m == Mode::BypassPermissions && policy.bypass_disabled.is_some() {
            notes.push("bypassPermissions is disabled by settings: default mode applies".into());
            return (Mode::Default, "default (bypassPermissions disabled)".into());
        }
        return (m, spelling(Role::PermissionMode).to_string());
    }
    match &policy.default_mode {
        Some(d) => (
            d.mode.clone(),
            format!("defaultMode in {}", d.file.display()),
        ),
        None => (Mode::Default, "no flag and no defaultMode".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::settings::Roots;

    fn boundary(declared: Declared, settings: &str) -> Boundary {
        let roots = Roots::new(Path::new("/work/app"), Path::new("/home/u"));
        let loaded = Policy::from_json_str(
            roots,
            Source::User,
            Path::new("/home/u/.claude/settings.json"),
            settings,
        );
        Boundary::new(declared, loaded)
    }

    fn bash(c: &str) -> ToolInput {
        ToolInput {
            command: Some(c.into()),
            ..ToolInput::default()
        }
    }

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flag_rules_rank_after_managed_and_before_files() {
        let b = boundary(
            Declared::from_lists(
                &strs(&["Bash(git log *)"]),
                &strs(&["Bash(rm *)"]),
                None,
                None,
            ),
            r#"{"permissions":{"deny":["Bash(rm -rf *)"],"allow":["Bash(npm test)"]}}"#,
        );
        let texts: Vec<&str> = b.policy.rules.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Bash(rm *)",
                "Bash(git log *)",
                "Bash(rm -rf *)",
                "Bash(npm test)"
            ]
        );
        assert_eq!(b.claim.rules.len(), 2);
        let (e, _) = b.expect("Bash", &bash("rm -rf build"), None, None, true);
        assert_eq!(
            e,
            Expect::Denied(Some(RuleRef {
                kind: "deny",
                text: "Bash(rm *)".into(),
                source: Source::Flag("--disallowedTools"),
                file: PathBuf::from("--disallowedTools"),
            }))
        );
    }

    #[test]
    fn bypass_ignores_allow_rules_and_dont_ask_honours_them() {
        let allow = strs(&["Bash(git log *)"]);
        let bypass = boundary(
            Declared::from_lists(&allow, &[], Some(Mode::BypassPermissions), None),
            "{}",
        );
        assert_eq!(bypass.mode_from, "--dangerously-skip-permissions");
        let (e, _) = bypass.expect("Bash", &bash("rm -rf build"), None, None, true);
        assert!(matches!(&e, Expect::Runs(w) if w.contains("bypassPermissions runs")));
        let dont_ask = boundary(
            Declared::from_lists(&allow, &[], Some(Mode::DontAsk), None),
            "{}",
        );
        assert_eq!(
            dont_ask
                .expect("Bash", &bash("rm -rf build"), None, None, true)
                .0,
            Expect::DontAsk
        );
        let default = boundary(Declared::from_lists(&allow, &[], None, None), "{}");
        assert!(matches!(
            default
                .expect("Bash", &bash("rm -rf build"), None, None, true)
                .0,
            Expect::Unanswered(_)
        ));
        assert!(matches!(
            default
                .expect("Bash", &bash("git log -1"), None, None, true)
                .0,
            Expect::Runs(_)
        ));
    }

    #[test]
    fn tools_setting_sources_and_the_bypass_switch() {
        let mut d = Declared::from_lists(&[], &[], None, Some(&strs(&["Read,Bash"])));
        d.setting_sources = Some(strs(&["project"]));
        let b = boundary(
            d,
            r#"{"permissions":{"deny":["Bash(rm *)"],"defaultMode":"acceptEdits"}}"#,
        );
        assert_eq!(
            b.absent("Write").as_deref(),
            Some("Write is not in --tools")
        );
        assert_eq!(b.absent("Task"), Some("Task is not in --tools".into()));
        assert_eq!(b.absent("mcp__gh__get_issue"), None);
        assert_eq!(b.absent("Read"), None);
        // The user file is not among --setting-sources: its rule and defaultMode go.
        assert!(b.policy.rules.is_empty());
        assert_eq!(
            (b.mode.clone(), b.mode_from.as_str()),
            (Mode::Default, "no flag and no defaultMode")
        );
        let b = boundary(
            Declared::from_lists(&[], &[], Some(Mode::BypassPermissions), None),
            r#"{"permissions":{"disableBypassPermissionsMode":"disable","defaultMode":"acceptEdits"}}"#,
        );
        assert_eq!(b.mode, Mode::AcceptEdits);
        assert!(
            b.notes
                .iter()
                .any(|n| n.contains("disableBypassPermissionsMode"))
        );
    }
}
