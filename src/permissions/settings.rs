//! Settings files: where they are, how they merge, and what each rule in them means.
//!
//! Files are read in precedence order (managed, `--settings` files, local, legacy local,
//! project, user), so when several rules match a call the one reported as deciding is the
//! highest-precedence one. Lists (`allow`, `ask`, `deny`, `additionalDirectories`)
//! concatenate across files; the scalar `defaultMode` is taken from the highest-precedence
//! file that sets it.
//!
//! Where each file is read from (Claude Code 2.1.211+):
//! - managed: `<managed_dir>/managed-settings.json`, then every `*.json` in
//!   `<managed_dir>/managed-settings.d/` in name order;
//! - user: `<config_dir>/settings.json`;
//! - project: `<cwd>/.claude/settings.json` — the folder the session *started* in, not the
//!   git root (Claude Code's settings documentation: "the shared `.claude/settings.json` is
//!   read only from the directory you start in");
//! - local: `<project root>/.claude/settings.local.json` (the git root) and, when the session
//!   started elsewhere, the legacy copy `<cwd>/.claude/settings.local.json`;
//! - each `--settings FILE`.
//!
//! Not modelled: workspace trust (project `allow` and `additionalDirectories` apply only in
//! trusted folders; a replay cannot see the trust dialog, so they are taken as trusted),
//! `--allowedTools`/`--disallowedTools` (add them with [`Policy::add_rule`] and
//! [`Source::Flag`]), inline-JSON `--settings` (use [`Policy::add_json_str`]),
//! MDM/server-managed settings, and tracked-vs-untracked local files.

use super::bash_rule::RuleKind;
use super::rule::{Rule, Specifier, ToolPattern};
use crate::event::Mode;
use crate::facts::tools::{self, Family};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a rule (or setting) came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Source {
    /// Managed (enterprise) settings, including `managed-settings.d/` drop-ins.
    Managed,
    /// `<config_dir>/settings.json`.
    User,
    /// `<cwd>/.claude/settings.json`.
    Project,
    /// `.claude/settings.local.json` at the git root.
    Local,
    /// `.claude/settings.local.json` in the starting folder, when that is not the git root.
    LocalLegacy,
    /// A `--settings FILE`.
    Cli(PathBuf),
    /// A rule given on Claude Code's command line (`--allowedTools`, `--disallowedTools`),
    /// named by its flag.
    Flag(&'static str),
}

impl Source {
    /// A short name: `managed`, `user`, `project`, `local`, `local-legacy`, `cli`.
    pub fn name(&self) -> &'static str {
        match self {
            Source::Managed => "managed",
            Source::User => "user",
            Source::Project => "project",
            Source::Local => "local",
            Source::LocalLegacy => "local-legacy",
            Source::Cli(_) => "cli",
            Source::Flag(_) => "flag",
        }
    }

    /// Precedence for scalar settings, higher wins: managed > cli > local > project > user.
    /// The git-root local file outranks the legacy one.
    pub fn precedence(&self) -> u8 {
        match self {
            Source::Managed => 50,
            Source::Cli(_) | Source::Flag(_) => 40,
            Source::Local => 31,
            Source::LocalLegacy => 30,
            Source::Project => 20,
            Source::User => 10,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The folders a policy is resolved against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Roots {
    /// The folder the session started in (the "original cwd").
    pub cwd: PathBuf,
    /// The git root of `cwd` (or `cwd`): where `.claude/settings.local.json` lives.
    pub project_root: PathBuf,
    /// The home folder (`~/` in rules).
    pub home: PathBuf,
    /// Claude Code's config folder (`~/.claude`): the root of `/x` in user rules.
    pub config_dir: PathBuf,
    /// The managed-settings folder: the root of `/x` in managed rules (undocumented; this
    /// reading follows "relative to the settings source").
    pub managed_dir: PathBuf,
}

impl Roots {
    /// Roots for a session started in `cwd` with no git repository, home `home`, config dir
    /// `<home>/.claude` and managed dir `/etc/claude-code`.
    pub fn new(cwd: &Path, home: &Path) -> Roots {
        Roots {
            cwd: cwd.to_path_buf(),
            project_root: cwd.to_path_buf(),
            home: home.to_path_buf(),
            config_dir: home.join(".claude"),
            managed_dir: PathBuf::from(DEFAULT_MANAGED_DIR),
        }
    }
}

const MANAGED_ONLY_WARNING: &str =
    "permission rules ignored: managed settings set allowManagedPermissionRulesOnly";

/// Where Linux/WSL installs look for managed settings.
pub const DEFAULT_MANAGED_DIR: &str = "/etc/claude-code";

/// What to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Claude Code's config folder (`~/.claude` or `$CLAUDE_CONFIG_DIR`).
    pub config_dir: PathBuf,
    /// Managed-settings folder ([`DEFAULT_MANAGED_DIR`] unless a test or platform says so).
    pub managed_dir: PathBuf,
    /// Overrides the git-root lookup (where `settings.local.json` is read).
    pub project_root: Option<PathBuf>,
    /// The folder the session started in.
    pub cwd: PathBuf,
    /// `--settings FILE` files, in command-line order.
    pub extra: Vec<PathBuf>,
    /// Home folder for `~/` in rules; `None`: `$HOME`, else `/`.
    pub home: Option<PathBuf>,
}

impl LoadOptions {
    /// Options for a session in `cwd` with config dir `config_dir`, everything else default.
    pub fn new(config_dir: &Path, cwd: &Path) -> LoadOptions {
        LoadOptions {
            config_dir: config_dir.to_path_buf(),
            managed_dir: PathBuf::from(DEFAULT_MANAGED_DIR),
            project_root: None,
            cwd: cwd.to_path_buf(),
            extra: Vec::new(),
            home: None,
        }
    }
}

/// One rule as loaded from a settings file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadedRule {
    /// Which list it is in.
    #[serde(serialize_with = "ser_kind")]
    pub kind: RuleKind,
    /// The parsed rule.
    pub rule: Rule,
    /// The rule as written.
    pub text: String,
    /// Which settings level it came from.
    pub source: Source,
    /// The file it came from.
    pub file: PathBuf,
    /// What `/x` in a path pattern of this rule means.
    pub root: PathBuf,
    /// Set when Claude Code accepts the rule but never consults it (the reason).
    pub ignored: Option<String>,
}

fn ser_kind<S: serde::Serializer>(k: &RuleKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind_name(*k))
}

/// `allow`, `ask` or `deny`.
pub fn kind_name(k: RuleKind) -> &'static str {
    match k {
        RuleKind::Allow => "allow",
        RuleKind::Ask => "ask",
        RuleKind::Deny => "deny",
    }
}

/// The `defaultMode` in force and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefaultMode {
    /// The mode.
    pub mode: Mode,
    /// The level that set it.
    pub source: Source,
    /// The file that set it.
    pub file: PathBuf,
}

/// Everything the permission engine needs from the settings of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Every rule, in precedence order (ignored ones included, marked).
    pub rules: Vec<LoadedRule>,
    /// `permissions.defaultMode`, highest precedence first.
    pub default_mode: Option<DefaultMode>,
    /// `permissions.additionalDirectories`, resolved (`~/` → home, relative → `roots.cwd`).
    pub additional_dirs: Vec<PathBuf>,
    /// `allowManagedPermissionRulesOnly` was set in managed settings.
    pub managed_rules_only: bool,
    /// The file that set `permissions.disableBypassPermissionsMode: "disable"`, if one did:
    /// `bypassPermissions` (and `--dangerously-skip-permissions`) cannot be entered.
    pub bypass_disabled: Option<PathBuf>,
    /// The folders rules are resolved against.
    pub roots: Roots,
    /// Settings files that were read and used.
    pub files: Vec<PathBuf>,
}

/// What is wrong with a file or rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum WarningKind {
    /// The file could not be read or parsed; it was skipped.
    Broken,
    /// A `--settings` file that does not exist (the files Claude Code looks for itself may
    /// be missing; one named on the command line must not).
    Missing,
    /// The rule could not be parsed; it was skipped.
    Unparseable,
    /// Claude Code accepts the rule or setting but never uses it.
    Ignored,
    /// Loaded and used, but it cannot do what it seems to (e.g. `:*` in the middle).
    Suspicious,
}

impl WarningKind {
    /// True for the problems that leave rules unread (a file not read or parsed, a rule
    /// that does not parse): nothing can be said about what those rules would allow.
    pub fn loses_rules(self) -> bool {
        matches!(
            self,
            WarningKind::Broken | WarningKind::Missing | WarningKind::Unparseable
        )
    }
}

/// A problem found while loading settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The settings file.
    pub file: PathBuf,
    /// 1-based line in the file, when known (a parse error, the rule's place).
    pub line: Option<usize>,
    /// The rule text, when the warning is about one rule.
    pub rule: Option<String>,
    /// What kind of problem.
    pub kind: WarningKind,
    /// Human-readable detail.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(n) => write!(f, "{}:{n}: ", self.file.display())?,
            None => write!(f, "{}: ", self.file.display())?,
        }
        if let Some(r) = &self.rule {
            write!(f, "{r}: ")?;
        }
        f.write_str(&self.message)
    }
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    permissions: Option<RawPermissions>,
    #[serde(default, rename = "allowManagedPermissionRulesOnly")]
    managed_only: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPermissions {
    #[serde(default)]
    allow: Option<Vec<String>>,
    #[serde(default)]
    ask: Option<Vec<String>>,
    #[serde(default)]
    deny: Option<Vec<String>>,
    #[serde(default)]
    default_mode: Option<String>,
    #[serde(default)]
    additional_directories: Option<Vec<String>>,
    #[serde(default)]
    disable_bypass_permissions_mode: Option<String>,
}

/// The git root above `cwd` (nearest folder holding `.git`, file or folder), or `cwd`.
/// A repository rooted at `home` does not count (Claude Code then uses the start folder).
pub fn find_project_root(cwd: &Path, home: &Path) -> PathBuf {
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        if d.join(".git").exists() {
            if d == home {
                break;
            }
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    cwd.to_path_buf()
}

impl Policy {
    /// An empty policy over `roots`.
    pub fn new(roots: Roots) -> Policy {
        Policy {
            rules: Vec::new(),
            default_mode: None,
            additional_dirs: Vec::new(),
            managed_rules_only: false,
            bypass_disabled: None,
            roots,
            files: Vec::new(),
        }
    }

    /// Loads and merges every settings file of a session. A missing file is skipped
    /// silently; a broken one is skipped with a warning.
    pub fn load(opts: &LoadOptions) -> (Policy, Vec<Warning>) {
        let home = opts
            .home
            .clone()
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("/"));
        let cwd = super::paths::normalize(&opts.cwd);
        let project_root = opts
            .project_root
            .clone()
            .unwrap_or_else(|| find_project_root(&cwd, &home));
        let roots = Roots {
            cwd: cwd.clone(),
            project_root: project_root.clone(),
            home,
            config_dir: opts.config_dir.clone(),
            managed_dir: opts.managed_dir.clone(),
        };
        let mut policy = Policy::new(roots);
        let mut warnings = Vec::new();

        let mut files: Vec<(Source, PathBuf)> = vec![(
            Source::Managed,
            opts.managed_dir.join("managed-settings.json"),
        )];
        let dropins = opts.managed_dir.join("managed-settings.d");
        if let Ok(rd) = std::fs::read_dir(&dropins) {
            let mut names: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
                .collect();
            names.sort();
            files.extend(names.into_iter().map(|p| (Source::Managed, p)));
        }
        files.extend(
            opts.extra
                .iter()
                .map(|f| (Source::Cli(f.clone()), f.clone())),
        );
        let local = project_root.join(".claude").join("settings.local.json");
        let legacy = cwd.join(".claude").join("settings.local.json");
        files.push((Source::Local, local.clone()));
        if legacy != local {
            files.push((Source::LocalLegacy, legacy));
        }
        files.push((Source::Project, cwd.join(".claude").join("settings.json")));
        files.push((Source::User, opts.config_dir.join("settings.json")));

        for (source, path) in files {
            match std::fs::read_to_string(&path) {
                Ok(text) => warnings.extend(policy.add_json_str(source, &path, &text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if let Source::Cli(_) = source {
                        warnings.push(Warning {
                            file: path.clone(),
                            line: None,
                            rule: None,
                            kind: WarningKind::Missing,
                            message: "no such file (named by --settings); its rules were not read"
                                .into(),
                        });
                    }
                }
                Err(e) => warnings.push(Warning {
                    file: path.clone(),
                    line: None,
                    rule: None,
                    kind: WarningKind::Broken,
                    message: format!("cannot read: {e}; file skipped"),
                }),
            }
        }
        (policy, warnings)
    }

    /// A policy made of one settings text (for tests and tools that already hold the JSON).
    pub fn from_json_str(
        roots: Roots,
        source: Source,
        path: &Path,
        text: &str,
    ) -> (Policy, Vec<Warning>) {
        let mut p = Policy::new(roots);
        let w = p.add_json_str(source, path, text);
        (p, w)
    }

    /// Merges one settings file's text into this policy. Call in precedence order
    /// (highest first) for the deciding rule to be the highest-precedence one.
    pub fn add_json_str(&mut self, source: Source, path: &Path, text: &str) -> Vec<Warning> {
        let mut warnings = Vec::new();
        if text.trim().is_empty() {
            self.files.push(path.to_path_buf());
            return warnings;
        }
        let raw: RawFile = match serde_json::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                warnings.push(Warning {
                    file: path.to_path_buf(),
                    line: Some(e.line()).filter(|&n| n > 0),
                    rule: None,
                    kind: WarningKind::Broken,
                    message: format!("{e}; file skipped, none of its rules were read"),
                });
                return warnings;
            }
        };
        self.files.push(path.to_path_buf());
        match (raw.managed_only, &source) {
            (Some(true), Source::Managed) => {
                if !self.managed_rules_only {
                    self.managed_rules_only = true;
                    warnings.extend(self.mark_unmanaged());
                }
            }
            (Some(_), Source::Managed) | (None, _) => {}
            (Some(_), _) => warnings.push(Warning {
                file: path.to_path_buf(),
                line: None,
                rule: None,
                kind: WarningKind::Ignored,
                message: "allowManagedPermissionRulesOnly is honoured only in managed settings"
                    .into(),
            }),
        }
        let Some(perms) = raw.permissions else {
            return warnings;
        };
        let start = self.rules.len();
        for (kind, list) in [
            (RuleKind::Deny, &perms.deny),
            (RuleKind::Ask, &perms.ask),
            (RuleKind::Allow, &perms.allow),
        ] {
            for rule in list.iter().flatten() {
                if let Some(mut w) = self.add_rule(kind, rule, source.clone(), path) {
                    w.line = line_of(text, rule);
                    warnings.push(w);
                }
            }
        }
        if self.managed_rules_only && source != Source::Managed && self.rules.len() > start {
            warnings.push(Warning {
                file: path.to_path_buf(),
                line: None,
                rule: None,
                kind: WarningKind::Ignored,
                message: MANAGED_ONLY_WARNING.into(),
            });
        }
        if let Some(m) = perms.default_mode {
            warnings.extend(self.set_default_mode(&m, source.clone(), path));
        }
        if perms.disable_bypass_permissions_mode.as_deref() == Some("disable")
            && self.bypass_disabled.is_none()
        {
            self.bypass_disabled = Some(path.to_path_buf());
        }
        for d in perms.additional_directories.iter().flatten() {
            let dir = super::paths::resolve(d, &self.roots.cwd, &self.roots.home);
            if !self.additional_dirs.contains(&dir) {
                self.additional_dirs.push(dir);
            }
        }
        warnings
    }

    fn set_default_mode(&mut self, text: &str, source: Source, path: &Path) -> Vec<Warning> {
        let mode = Mode::parse(text);
        let warn = |kind, message: String| Warning {
            file: path.to_path_buf(),
            line: None,
            rule: None,
            kind,
            message,
        };
        if let Mode::Other(s) = &mode {
            return vec![warn(
                WarningKind::Ignored,
                format!("unknown defaultMode '{s}'"),
            )];
        }
        if mode == Mode::Auto
            && matches!(
                source,
                Source::Project | Source::Local | Source::LocalLegacy
            )
        {
            return vec![warn(
                WarningKind::Ignored,
                "defaultMode 'auto' is not honoured from project or local settings".into(),
            )];
        }
        let better = self
            .default_mode
            .as_ref()
            .is_none_or(|d| source.precedence() >= d.source.precedence());
        if better {
            self.default_mode = Some(DefaultMode {
                mode,
                source,
                file: path.to_path_buf(),
            });
        }
        Vec::new()
    }

    /// Marks every non-managed rule ignored (`allowManagedPermissionRulesOnly`); one
    /// warning per file newly affected.
    fn mark_unmanaged(&mut self) -> Vec<Warning> {
        let mut files: Vec<PathBuf> = Vec::new();
        for r in self
            .rules
            .iter_mut()
            .filter(|r| r.source != Source::Managed)
        {
            if r.ignored.is_none() {
                r.ignored =
                    Some("allowManagedPermissionRulesOnly is set in managed settings".into());
                if !files.contains(&r.file) {
                    files.push(r.file.clone());
                }
            }
        }
        files
            .into_iter()
            .map(|file| Warning {
                file,
                line: None,
                rule: None,
                kind: WarningKind::Ignored,
                message: MANAGED_ONLY_WARNING.into(),
            })
            .collect()
    }

    /// Adds one rule from `file` at level `source`. Returns a warning when the rule cannot
    /// be parsed (it is then not added), is accepted but never consulted (added, marked
    /// ignored), or looks like it cannot match what it seems to (added, active).
    pub fn add_rule(
        &mut self,
        kind: RuleKind,
        text: &str,
        source: Source,
        file: &Path,
    ) -> Option<Warning> {
        let warn = |kind, message: String| Warning {
            file: file.to_path_buf(),
            line: None,
            rule: Some(text.to_string()),
            kind,
            message,
        };
        let rule = match Rule::parse(text) {
            Ok(r) => r,
            Err(e) => {
                return Some(warn(WarningKind::Unparseable, format!("{e}; rule skipped")));
            }
        };
        let (ignored, suspicious) = assess(kind, &rule);
        let root = self.source_root(&source, file);
        let warning = match (&ignored, suspicious) {
            (Some(why), _) => Some(warn(WarningKind::Ignored, format!("ignored: {why}"))),
            (None, Some(why)) => Some(warn(WarningKind::Suspicious, why)),
            (None, None) => None,
        };
        let ignored = ignored.or_else(|| {
            (self.managed_rules_only && source != Source::Managed)
                .then(|| "allowManagedPermissionRulesOnly is set in managed settings".to_string())
        });
        self.rules.push(LoadedRule {
            kind,
            rule,
            text: text.to_string(),
            source,
            file: file.to_path_buf(),
            root,
            ignored,
        });
        warning
    }

    /// What `/x` means in a path rule from this source and file.
    fn source_root(&self, source: &Source, file: &Path) -> PathBuf {
        match source {
            Source::Managed => self.roots.managed_dir.clone(),
            Source::User => self.roots.config_dir.clone(),
            Source::Project => file
                .parent()
                .filter(|p| p.file_name().is_some_and(|n| n == ".claude"))
                .and_then(Path::parent)
                .map_or_else(|| self.roots.cwd.clone(), Path::to_path_buf),
            Source::Local | Source::LocalLegacy => self.roots.cwd.clone(),
            Source::Cli(f) => f
                .parent()
                .map_or_else(|| self.roots.cwd.clone(), Path::to_path_buf),
            // Rules on the command line are relative to the folder the session started in.
            Source::Flag(_) => self.roots.cwd.clone(),
        }
    }

    /// The rules of `kind` the engine consults (ignored ones left out), in precedence order.
    pub fn active(&self, kind: RuleKind) -> impl Iterator<Item = &LoadedRule> {
        self.rules
            .iter()
            .filter(move |r| r.kind == kind && r.ignored.is_none())
    }
}

/// The 1-based line of a rule's text in a settings file (its first occurrence as a JSON
/// string written the plain way; None when it is written with other escapes).
fn line_of(text: &str, rule: &str) -> Option<usize> {
    let quoted = serde_json::to_string(rule).ok()?;
    let at = text.find(&quoted)?;
    Some(text[..at].matches('\n').count() + 1)
}

/// Decides whether Claude Code consults a parsed rule: `(ignored reason, suspicious note)`.
pub fn assess(kind: RuleKind, rule: &Rule) -> (Option<String>, Option<String>) {
    if let ToolPattern::Glob(g) = &rule.tool {
        if rule.spec != Specifier::Any {
            return (Some("a tool-name glob takes no specifier".into()), None);
        }
        if kind == RuleKind::Allow && !literal_mcp_server_prefix(g) {
            return (
                Some(
                    "allow rules may glob a tool name only after a literal mcp__<server>__".into(),
                ),
                None,
            );
        }
    }
    let tool_name = match &rule.tool {
        ToolPattern::Name(n) => n.as_str(),
        _ => "",
    };
    match &rule.spec {
        Specifier::Any => {}
        Specifier::Param { name, .. } => {
            if tools::PRIMARY_FIELDS.contains(&name.as_str()) {
                return (
                    Some(format!(
                        "a parameter rule cannot match the primary field '{name}'; use the tool's own specifier"
                    )),
                    None,
                );
            }
            if kind == RuleKind::Allow {
                return (
                    Some("parameter rules work in deny and ask only".into()),
                    None,
                );
            }
        }
        Specifier::Content(c) => match rule.family() {
            Some(Family::Bash | Family::PowerShell) => {
                if let Some(i) = c.find(":*")
                    && i + 2 != c.len()
                {
                    return (
                            None,
                            Some(
                                "':*' is a prefix marker only at the very end; here it is literal, so the rule never matches a command"
                                    .into(),
                            ),
                        );
                }
            }
            Some(Family::Read | Family::Edit) => {
                let canon = tools::canonical_tool(tool_name);
                if canon != "Read" && canon != "Edit" {
                    return (
                        Some(format!(
                            "path rules are consulted only as Read(...) or Edit(...); {tool_name}(...) never is"
                        )),
                        None,
                    );
                }
            }
            Some(Family::WebFetch) => {
                if !c.trim_start().starts_with("domain:") {
                    return (
                        Some("WebFetch rules take the form WebFetch(domain:host)".into()),
                        None,
                    );
                }
            }
            Some(Family::Agent | Family::Skill) => {}
            Some(Family::WebSearch | Family::Mcp | Family::NameOnly) | None => {
                return (
                    Some(format!(
                        "{} takes no specifier other than param:value",
                        display_tool(&rule.tool)
                    )),
                    None,
                );
            }
        },
    }
    if kind != RuleKind::Allow
        && !tool_name.is_empty()
        && !tool_name.contains('_')
        && !tools::is_known_tool(tool_name)
    {
        return (None, Some(format!("unknown tool name '{tool_name}'")));
    }
    (None, None)
}

fn display_tool(t: &ToolPattern) -> String {
    match t {
        ToolPattern::Name(n) | ToolPattern::Glob(n) => n.clone(),
        ToolPattern::McpServer(s) => format!("mcp__{s}"),
    }
}

/// `mcp__<server>__<glob>` with a glob-free, non-empty server.
fn literal_mcp_server_prefix(g: &str) -> bool {
    g.strip_prefix("mcp__")
        .and_then(|rest| rest.find("__").map(|i| rest.get(..i).unwrap_or("")))
        .is_some_and(|server| !server.is_empty() && !server.contains('*'))
}
