//! The command line a headless run was started with: Claude Code's flags (one table,
//! [`CLAUDE_FLAGS`]), their list forms, and what they declare about permissions
//! ([`Declared`]).
//!
//! How Claude Code reads them (docs/verify.md, "Reading the command line"):
//! - the list flags (`--allowedTools`, `--disallowedTools`, `--tools`, `--add-dir`, ...) are
//!   variadic: each takes every following argument up to the next one that starts with `-`,
//!   so a prompt written after one of them becomes part of its list;
//! - each argument of a rule list is split on commas and spaces outside parentheses, so
//!   `"Bash(git log *)"` stays one rule and `"Read,Edit Write"` is three. Builds differ on
//!   nested parentheses (`Bash(f(x) y)`): some end the group at the first `)`, some count
//!   depth. Both are computed; where they differ the depth-counting reading is used and a
//!   note names the other;
//! - `--dangerously-skip-permissions` wins over `--permission-mode`, which wins over the
//!   settings' `defaultMode`;
//! - a flag this table does not know is an error, not a guess.

use crate::event::Mode;
use crate::facts::tools;
use crate::permissions::rule::{Rule, ToolPattern};
use crate::permissions::shell;
use std::fmt;

/// How many arguments a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// None: a switch.
    Switch,
    /// Exactly one (`--flag value` or `--flag=value`), whatever it starts with.
    One,
    /// One when the next argument does not start with `-` (`--resume [id]`).
    Optional,
    /// Every following argument up to the next one that starts with `-`.
    Many,
}

/// What a flag means for the permission boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `-p`: headless, nobody answers a prompt.
    Print,
    /// `--permission-mode MODE`.
    PermissionMode,
    /// `--dangerously-skip-permissions`: bypassPermissions.
    SkipPermissions,
    /// `--allowedTools`: allow rules.
    Allowed,
    /// `--disallowedTools`: deny rules.
    Disallowed,
    /// `--tools`: the built-in tools that exist.
    Tools,
    /// `--settings FILE-OR-JSON`.
    Settings,
    /// `--setting-sources user,project,local`: which settings files load.
    SettingSources,
    /// `--add-dir DIR...`: more working folders.
    AddDir,
    /// `--permission-prompt-tool TOOL`: who answers prompts.
    PromptTool,
    /// `--mcp-config`: MCP servers (their tools are not restricted by `--tools`).
    McpConfig,
    /// Anything that does not change permissions.
    Other,
}

/// One flag of Claude Code's command line.
#[derive(Debug)]
pub struct FlagSpec {
    /// Its spellings.
    pub names: &'static [&'static str],
    /// How many arguments it takes.
    pub arity: Arity,
    /// What it means for permissions.
    pub role: Role,
}

const fn flag(names: &'static [&'static str], arity: Arity, role: Role) -> FlagSpec {
    FlagSpec { names, arity, role }
}

/// The flags of `claude` that `permstat verify` understands (Claude Code's CLI reference).
pub const CLAUDE_FLAGS: &[FlagSpec] = &[
    flag(&["-p", "--print"], Arity::Switch, Role::Print),
    flag(&["--permission-mode"], Arity::One, Role::PermissionMode),
    flag(
        &["--dangerously-skip-permissions"],
        Arity::Switch,
        Role::SkipPermissions,
    ),
    flag(
        &["--allowedTools", "--allowed-tools"],
        Arity::Many,
        Role::Allowed,
    ),
    flag(
        &["--disallowedTools", "--disallowed-tools"],
        Arity::Many,
        Role::Disallowed,
    ),
    flag(&["--tools"], Arity::Many, Role::Tools),
    flag(&["--settings"], Arity::One, Role::Settings),
    flag(&["--setting-sources"], Arity::One, Role::SettingSources),
    flag(&["--add-dir"], Arity::Many, Role::AddDir),
    flag(&["--permission-prompt-tool"], Arity::One, Role::PromptTool),
    flag(&["--mcp-config"], Arity::Many, Role::McpConfig),
    // Flags that do not change what the run may do without a person.
    flag(
        &["--allow-dangerously-skip-permissions"],
        Arity::Switch,
        Role::Other,
    ),
    flag(&["--output-format"], Arity::One, Role::Other),
    flag(&["--input-format"], Arity::One, Role::Other),
    flag(&["--verbose"], Arity::Switch, Role::Other),
    flag(&["--model"], Arity::One, Role::Other),
    flag(&["--fallback-model"], Arity::One, Role::Other),
    flag(&["--effort"], Arity::One, Role::Other),
    flag(&["--max-turns"], Arity::One, Role::Other),
    flag(&["--max-budget-usd"], Arity::One, Role::Other),
    flag(&["--system-prompt"], Arity::One, Role::Other),
    flag(&["--system-prompt-file"], Arity::One, Role::Other),
    flag(&["--append-system-prompt"], Arity::One, Role::Other),
    flag(&["--append-system-prompt-file"], Arity::One, Role::Other),
    flag(&["--strict-mcp-config"], Arity::Switch, Role::Other),
    flag(&["-c", "--continue"], Arity::Switch, Role::Other),
    flag(&["-r", "--resume"], Arity::Optional, Role::Other),
    flag(&["--session-id"], Arity::One, Role::Other),
    flag(&["--fork-session"], Arity::Switch, Role::Other),
    flag(&["--no-session-persistence"], Arity::Switch, Role::Other),
    flag(&["--include-partial-messages"], Arity::Switch, Role::Other),
    flag(&["--replay-user-messages"], Arity::Switch, Role::Other),
    flag(&["--json-schema"], Arity::One, Role::Other),
    flag(&["--agents"], Arity::One, Role::Other),
    flag(&["--agent"], Arity::One, Role::Other),
    flag(&["--plugin-dir"], Arity::Many, Role::Other),
    flag(&["--betas"], Arity::Many, Role::Other),
    flag(&["-d", "--debug"], Arity::Optional, Role::Other),
    flag(&["--mcp-debug"], Arity::Switch, Role::Other),
    flag(&["-n", "--name"], Arity::One, Role::Other),
    flag(&["--disable-slash-commands"], Arity::Switch, Role::Other),
    flag(&["--ide"], Arity::Switch, Role::Other),
]; // Unknown flags are refused (FlagError::Unknown), never skipped.

/// The modes `--permission-mode` accepts (`manual` is the 2.1.200+ name of `default`).
pub const MODE_NAMES: &[&str] = &[
    "default",
    "manual",
    "acceptEdits",
    "plan",
    "auto",
    "dontAsk",
    "bypassPermissions",
];

/// Why a command line could not be read: a usage error (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagError {
    /// A flag Claude Code does not have (as far as this table knows).
    Unknown(String),
    /// A flag that needs a value got none.
    MissingValue(String),
    /// A switch was given a value (`--print=x`).
    UnexpectedValue(String),
    /// `--permission-mode` with a mode Claude Code does not accept.
    BadMode(String),
    /// A permission flag's value is a shell expansion (`$ALLOWED`): its value is unknown.
    NotStatic {
        /// The flag.
        flag: String,
        /// The word as written.
        word: String,
    },
    /// No command line at all.
    Empty,
}

impl fmt::Display for FlagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagError::Unknown(n) => write!(
                f,
                "unknown flag '{n}' in the claude command line (permstat knows the flags of \
                 Claude Code's CLI reference; check the spelling)"
            ),
            FlagError::MissingValue(n) => write!(f, "'{n}' needs a value"),
            FlagError::UnexpectedValue(n) => write!(f, "'{n}' takes no value"),
            FlagError::BadMode(m) => write!(
                f,
                "--permission-mode '{m}' is not a mode Claude Code accepts ({})",
                MODE_NAMES.join(", ")
            ),
            FlagError::NotStatic { flag, word } => write!(
                f,
                "the value of {flag} is a shell expansion ({word}): pass the command line \
                 with the value written out"
            ),
            FlagError::Empty => f.write_str("no claude command line given"),
        }
    }
}

impl std::error::Error for FlagError {}

/// One argument of a command line: its value, or `None` for a shell expansion whose value
/// is unknown (with the word as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The value, quotes removed; `None` when the shell would expand it.
    pub value: Option<String>,
    /// The word as written.
    pub written: String,
}

impl Arg {
    /// A plain argument (already split by a shell).
    pub fn plain(s: &str) -> Arg {
        Arg {
            value: Some(s.to_string()),
            written: s.to_string(),
        }
    }

    fn text(&self) -> &str {
        self.value.as_deref().unwrap_or(&self.written)
    }
}

/// What a run's command line (or permstat's own flags) declares about permissions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    /// The command line as written (empty for permstat's own flags).
    pub argv: Vec<String>,
    /// `-p` was given (or assumed: see `print_stated`).
    pub print: bool,
    /// `-p` was stated on a command line, not assumed.
    pub print_stated: bool,
    /// `--dangerously-skip-permissions`.
    pub skip_permissions: bool,
    /// `--permission-mode`.
    pub permission_mode: Option<Mode>,
    /// `--allowedTools`, split into rules.
    pub allowed: Vec<String>,
    /// `--disallowedTools`, split into rules.
    pub disallowed: Vec<String>,
    /// `--tools`, split into names (`Some(vec![])`: no tools; `None`: not given or
    /// `default`).
    pub tools: Option<Vec<String>>,
    /// `--settings`: a file or inline JSON.
    pub settings: Option<String>,
    /// `--setting-sources`.
    pub setting_sources: Option<Vec<String>>,
    /// `--add-dir`.
    pub add_dirs: Vec<String>,
    /// `--permission-prompt-tool`.
    pub prompt_tool: Option<String>,
    /// `--mcp-config` was given.
    pub mcp_config: bool,
    /// The prompt (first positional argument), when given.
    pub prompt: Option<String>,
    /// What reading the command line noticed (list-splitting variants, swallowed prompts).
    pub notes: Vec<String>,
}

/// The spec of a flag spelling, if Claude Code has it.
pub fn lookup(name: &str) -> Option<&'static FlagSpec> {
    CLAUDE_FLAGS.iter().find(|f| f.names.contains(&name))
}

impl FlagSpec {
    /// Its first long spelling (`--allowedTools`), for messages and generated command lines.
    pub fn long_name(&self) -> &'static str {
        self.names
            .iter()
            .find(|n| n.starts_with("--"))
            .copied()
            .unwrap_or_default()
    }
}

/// The long spelling of the flag playing `role`.
pub fn spelling(role: Role) -> &'static str {
    CLAUDE_FLAGS
        .iter()
        .find(|f| f.role == role)
        .map_or("", FlagSpec::long_name)
}

/// Is this word the `claude` program (a path or a package name ending in it)?
fn is_program(word: &str) -> bool {
    let base = word.rsplit('/').next().unwrap_or(word);
    base == "claude" || base == "claude-code" || base.ends_with("claude-code")
}

/// Splits one list argument on commas and spaces outside parentheses. `nested` counts
/// parenthesis depth; without it, the first `)` ends the group (as some builds do).
fn split_one(value: &str, nested: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for c in value.chars() {
        match c {
            '(' => {
                depth = if nested { depth + 1 } else { 1 };
                current.push(c);
            }
            ')' => {
                depth = depth.saturating_sub(1);
                if !nested {
                    depth = 0;
                }
                current.push(c);
            }
            ',' | ' ' if depth == 0 => {
                if !current.trim().is_empty() {
                    out.push(current.trim().to_string());
                }
                current.clear();
            }
            _ => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// Splits the arguments of a list flag into its items, as Claude Code does, with a note when
/// builds that read nested parentheses differently would get another list.
pub fn split_list(values: &[String]) -> (Vec<String>, Option<String>) {
    let mut items = Vec::new();
    let mut note = None;
    for v in values {
        let nested = split_one(v, true);
        let flat = split_one(v, false);
        if nested != flat {
            note = Some(format!(
                "'{v}' holds nested parentheses: read as {nested:?}; some Claude Code builds \
                 split it as {flat:?}"
            ));
        }
        items.extend(nested);
    }
    (items, note)
}

/// Could `item` be a rule or tool name (a known tool, an MCP name, or a rule with a
/// specifier)? Words of a prompt swallowed by a list flag usually are not.
pub fn plausible_item(item: &str) -> bool {
    match Rule::parse(item) {
        Err(_) => false,
        Ok(r) => match &r.tool {
            ToolPattern::Name(n) => {
                tools::is_known_tool(n) || n.contains('_') || item.contains('(')
            }
            ToolPattern::McpServer(_) | ToolPattern::Glob(_) => true,
        },
    }
}

/// Splits a command line written as one string (`claude -p --allowedTools "Bash(git log *)"`)
/// into arguments the way a shell would, without running anything: the part of a pipeline
/// that runs `claude` is taken, redirections and leading environment assignments and
/// wrappers (`timeout 600`) are left out, and each word's quotes are removed. A word the
/// shell would expand (`"$ALLOWED"`) keeps no value.
pub fn split_command_line(line: &str) -> Result<Vec<Arg>, FlagError> {
    let analysis = shell::analyze(line);
    let part = analysis
        .parts
        .iter()
        .find(|p| p.argv.first().is_some_and(|w| is_program(w)))
        .or_else(|| analysis.parts.first())
        .ok_or(FlagError::Empty)?;
    let args: Vec<Arg> = shell::split_words(&part.text)
        .into_iter()
        .map(|w| Arg {
            value: shell::scan_word(&w).value,
            written: w,
        })
        .collect();
    if args.is_empty() {
        return Err(FlagError::Empty);
    }
    Ok(args)
}

/// Reads a claude command line (with or without the program name in front).
pub fn parse_command(args: &[Arg]) -> Result<Declared, FlagError> {
    if args.is_empty() {
        return Err(FlagError::Empty);
    }
    let mut d = Declared {
        argv: args.iter().map(|a| a.text().to_string()).collect(),
        ..Declared::default()
    };
    // The program name, and anything before it (`npx`, a package name).
    let start = args
        .iter()
        .take_while(|a| !a.text().starts_with('-'))
        .position(|a| is_program(a.text()))
        .map_or(0, |i| i + 1);
    let mut lists: Vec<(Role, &'static str, Vec<String>)> = Vec::new();
    let mut positionals: Vec<&Arg> = Vec::new();
    let mut only_positionals = false;
    let mut i = start;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let text = a.text();
        if only_positionals || !text.starts_with('-') || text == "-" {
            positionals.push(a);
            continue;
        }
        if text == "--" {
            only_positionals = true;
            continue;
        }
        let (name, inline) = match text.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (text, None),
        };
        let spec = lookup(name).ok_or_else(|| FlagError::Unknown(name.to_string()))?;
        let flag_name = spec.long_name();
        let static_value = |arg: &Arg| -> Result<String, FlagError> {
            match (&arg.value, spec.role) {
                (Some(v), _) => Ok(v.clone()),
                (None, Role::Other) => Ok(arg.written.clone()),
                (None, _) => Err(FlagError::NotStatic {
                    flag: name.to_string(),
                    word: arg.written.clone(),
                }),
            }
        };
        let mut values: Vec<String> = Vec::new();
        match spec.arity {
            Arity::Switch => {
                if inline.is_some() {
                    return Err(FlagError::UnexpectedValue(name.to_string()));
                }
            }
            Arity::One => match inline {
                Some(v) => values.push(v),
                None => {
                    let next = args
                        .get(i)
                        .ok_or_else(|| FlagError::MissingValue(name.to_string()))?;
                    i += 1;
                    values.push(static_value(next)?);
                }
            },
            Arity::Optional => {
                if let Some(v) = inline {
                    values.push(v);
                } else if let Some(next) = args.get(i).filter(|n| !n.text().starts_with('-')) {
                    i += 1;
                    values.push(static_value(next)?);
                }
            }
            Arity::Many => {
                values.extend(inline);
                while let Some(next) = args.get(i).filter(|n| !n.text().starts_with('-')) {
                    i += 1;
                    values.push(static_value(next)?);
                }
                if values.is_empty() {
                    return Err(FlagError::MissingValue(name.to_string()));
                }
            }
        }
        apply(&mut d, spec.role, flag_name, values, &mut lists)?;
    }
    let mut prompt_args = positionals.into_iter();
    d.prompt = prompt_args.next().map(|a| a.written.clone());
    if prompt_args.next().is_some() {
        d.notes
            .push("more than one argument outside the flags: Claude Code takes one prompt".into());
    }
    finish_lists(&mut d, lists);
    Ok(d)
}

/// Records one flag's values in `d` (list flags are split once all are read).
fn apply(
    d: &mut Declared,
    role: Role,
    flag_name: &'static str,
    values: Vec<String>,
    lists: &mut Vec<(Role, &'static str, Vec<String>)>,
) -> Result<(), FlagError> {
    let last = values.last().cloned().unwrap_or_default();
    match role {
        Role::Print => {
            d.print = true;
            d.print_stated = true;
        }
        Role::SkipPermissions => d.skip_permissions = true,
        Role::PermissionMode => {
            let m = last;
            if !MODE_NAMES.contains(&m.as_str()) {
                return Err(FlagError::BadMode(m));
            }
            d.permission_mode = Some(Mode::parse(&m));
        }
        Role::Allowed | Role::Disallowed | Role::Tools => lists.push((role, flag_name, values)),
        Role::Settings => {
            if d.settings.is_some() {
                d.notes
                    .push("--settings given more than once: the last one is used".into());
            }
            d.settings = Some(last);
        }
        Role::SettingSources => {
            d.setting_sources = Some(
                last.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            );
        }
        Role::AddDir => d.add_dirs.extend(values),
        Role::PromptTool => d.prompt_tool = Some(last),
        Role::McpConfig => d.mcp_config = true,
        Role::Other => {}
    }
    Ok(())
}

/// Splits the list flags into rules and notes what looks wrong in them.
fn finish_lists(d: &mut Declared, lists: Vec<(Role, &'static str, Vec<String>)>) {
    for (role, flag_name, values) in lists {
        let (items, note) = split_list(&values);
        d.notes.extend(note);
        // Only the first argument is surely meant for the list; a later one that is not a
        // rule is most likely a prompt the variadic flag took.
        for (k, v) in values.iter().enumerate() {
            let (parts, _) = split_list(std::slice::from_ref(v));
            let odd: Vec<&String> = parts.iter().filter(|p| !plausible_item(p)).collect();
            if odd.is_empty() || (role == Role::Tools && v == "default") {
                continue;
            }
            let shown: Vec<&str> = odd.iter().map(|s| s.as_str()).collect();
            d.notes.push(if k > 0 {
                format!(
                    "{flag_name} took '{v}' as part of its list ({} not a tool or rule): a list \
                     flag takes every argument up to the next flag, so a prompt written after \
                     it becomes rules; put the prompt before the flags or after --",
                    shown.join(", ")
                )
            } else {
                format!(
                    "{flag_name}: {} is not a tool Claude Code knows; a rule for an unknown \
                     tool matches nothing",
                    shown.join(", ")
                )
            });
        }
        match role {
            Role::Allowed => d.allowed.extend(items),
            Role::Disallowed => d.disallowed.extend(items),
            Role::Tools => {
                // `--tools default` is every built-in tool, `--tools ""` none.
                d.tools = if values.iter().any(|v| v.trim() == "default") {
                    None
                } else {
                    Some(
                        d.tools
                            .take()
                            .unwrap_or_default()
                            .into_iter()
                            .chain(items)
                            .collect(),
                    )
                };
            }
            _ => {}
        }
    }
}

impl Declared {
    /// A boundary given as permstat's own flags (`--allowed`, `--disallowed`, `--mode`,
    /// `--tools`): each value split like Claude Code's lists. A headless run is assumed.
    pub fn from_lists(
        allowed: &[String],
        disallowed: &[String],
        mode: Option<Mode>,
        tools: Option<&[String]>,
    ) -> Declared {
        let mut d = Declared {
            print: true,
            ..Declared::default()
        };
        match mode {
            Some(Mode::BypassPermissions) => d.skip_permissions = true,
            m => d.permission_mode = m,
        }
        let mut lists = Vec::new();
        if !allowed.is_empty() {
            lists.push((Role::Allowed, "--allowed", allowed.to_vec()));
        }
        if !disallowed.is_empty() {
            lists.push((Role::Disallowed, "--disallowed", disallowed.to_vec()));
        }
        if let Some(t) = tools {
            lists.push((Role::Tools, "--tools", t.to_vec()));
        }
        finish_lists(&mut d, lists);
        d
    }

    /// True when any permission flag was declared.
    pub fn declares_anything(&self) -> bool {
        self.skip_permissions
            || self.permission_mode.is_some()
            || !self.allowed.is_empty()
            || !self.disallowed.is_empty()
            || self.tools.is_some()
            || self.settings.is_some()
            || self.prompt_tool.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<Arg> {
        v.iter().map(|s| Arg::plain(s)).collect()
    }

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lists_split_on_commas_and_spaces_outside_parentheses() {
        #[rustfmt::skip]
        let cases: &[(&[&str], &[&str])] = &[
            (&["Read,Edit Write"], &["Read", "Edit", "Write"]),
            (&["Bash(git log *)"], &["Bash(git log *)"]),
            (&["Bash(git log *),Read"], &["Bash(git log *)", "Read"]),
            (&["Bash(a, b)", "Read"], &["Bash(a, b)", "Read"]),
            (&["  Read ,, Edit  "], &["Read", "Edit"]),
            (&["Bash(f(x) y)"], &["Bash(f(x) y)"]),
            (&[""], &[]),
        ];
        for (input, want) in cases {
            let (items, _) = split_list(&strs(input));
            assert_eq!(items, strs(want), "{input:?}");
        }
        // The builds that end a group at the first `)` read nested parentheses otherwise.
        let (_, note) = split_list(&strs(&["Bash(f(x) y)"]));
        assert!(note.unwrap().contains(r#"["Bash(f(x)", "y)"]"#));
        assert!(split_list(&strs(&["Bash(git log *)"])).1.is_none());
    }

    #[test]
    fn a_command_line_declares_its_boundary() {
        let d = parse_command(&args(&[
            "claude",
            "-p",
            "fix the build",
            "--dangerously-skip-permissions",
            "--allowedTools",
            "Bash(git log *)",
            "Read,Edit",
            "--disallowed-tools=Bash(rm *)",
            "--tools",
            "Bash Read Edit",
            "--permission-mode",
            "plan",
            "--output-format",
            "stream-json",
            "--verbose",
            "--add-dir",
            "../lib",
            "--settings",
            "ci.json",
        ]))
        .unwrap();
        assert!(d.print && d.print_stated && d.skip_permissions);
        assert_eq!(d.prompt.as_deref(), Some("fix the build"));
        assert_eq!(d.allowed, strs(&["Bash(git log *)", "Read", "Edit"]));
        assert_eq!(d.disallowed, strs(&["Bash(rm *)"]));
        assert_eq!(d.tools, Some(strs(&["Bash", "Read", "Edit"])));
        assert_eq!(d.permission_mode, Some(Mode::Plan));
        assert_eq!(d.add_dirs, strs(&["../lib"]));
        assert_eq!(d.settings.as_deref(), Some("ci.json"));
        assert!(d.notes.is_empty(), "{:?}", d.notes);
    }

    #[test]
    fn a_prompt_after_a_list_flag_is_swallowed_and_named() {
        let d = parse_command(&args(&["-p", "--allowedTools", "Read", "fix the bug"])).unwrap();
        assert_eq!(d.prompt, None);
        assert_eq!(d.allowed, strs(&["Read", "fix", "the", "bug"]));
        assert!(d.notes[0].contains("took 'fix the bug'"), "{:?}", d.notes);
    }

    #[test]
    fn usage_errors_name_the_flag() {
        #[rustfmt::skip]
        let cases: &[(&[&str], FlagError)] = &[
            (&["claude", "-p", "--allowed-tool", "Read"], FlagError::Unknown("--allowed-tool".into())),
            (&["-p", "--permission-mode"], FlagError::MissingValue("--permission-mode".into())),
            (&["--permission-mode", "yolo"], FlagError::BadMode("yolo".into())),
            (&["--allowedTools"], FlagError::MissingValue("--allowedTools".into())),
            (&["--print=yes"], FlagError::UnexpectedValue("--print".into())),
            (&[], FlagError::Empty),
        ];
        for (input, want) in cases {
            assert_eq!(parse_command(&args(input)).unwrap_err(), *want, "{input:?}");
        }
        assert!(
            FlagError::Unknown("--yolo".into())
                .to_string()
                .contains("'--yolo'")
        );
    }

    #[test]
    fn a_command_line_string_is_split_like_a_shell_would() {
        let a = split_command_line(
            r#"ANTHROPIC_LOG=x timeout 600 claude -p "$(cat prompt.txt)" --allowedTools 'Bash(git log *)' "Read" > out.jsonl 2>&1"#,
        )
        .unwrap();
        let d = parse_command(&a).unwrap();
        assert_eq!(d.allowed, strs(&["Bash(git log *)", "Read"]));
        assert!(d.print);
        let err =
            parse_command(&split_command_line(r#"claude -p --allowedTools "$ALLOWED""#).unwrap())
                .unwrap_err();
        assert!(matches!(err, FlagError::NotStatic { .. }), "{err}");
    }

    #[test]
    fn permstat_flags_make_the_same_lists() {
        let d = Declared::from_lists(
            &strs(&["Bash(git log *),Read"]),
            &strs(&["Bash(rm *)"]),
            Some(Mode::BypassPermissions),
            Some(&strs(&[""])),
        );
        assert!(d.skip_permissions && d.print && !d.print_stated);
        assert_eq!(d.allowed, strs(&["Bash(git log *)", "Read"]));
        assert_eq!(d.tools, Some(vec![]));
    }
}
