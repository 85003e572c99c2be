//! Facts about Claude Code's tools, one table per fact.
//!
//! Every list the engine consults lives here so it can be checked against the reference in
//! one place: legacy tool names, which rule family governs which tool, the tools that never
//! prompt, the known input parameters (to tell `Tool(param:value)` from a specifier), the
//! protected directories and files, the critical `rm` targets, the commands `acceptEdits`
//! runs unasked, the rules auto mode sets aside, and PowerShell aliases.

use std::path::{Component, Path};

/// Old tool names still found in transcripts and settings, with the current name.
///
/// `Task` was renamed `Agent` in 2.1.63; a rule on either name matches a call recorded under
/// either. The background-shell tools were folded into the `Task*` family.
pub const LEGACY_NAMES: &[(&str, &str)] = &[
    ("Task", "Agent"),
    ("KillShell", "TaskStop"),
    ("BashOutput", "TaskOutput"),
    ("BashOutputTool", "TaskOutput"),
    ("AgentOutputTool", "TaskOutput"),
];

/// The current name of a tool (legacy names mapped, everything else unchanged).
pub fn canonical_tool(name: &str) -> &str {
    LEGACY_NAMES
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, new)| new)
}

/// Which kind of rule specifier governs a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `Bash(command pattern)`: Bash and Monitor.
    Bash,
    /// `PowerShell(command pattern)`, case-insensitive.
    PowerShell,
    /// `Read(path)`: Read, Grep, Glob, LSP and the old LS / NotebookRead.
    Read,
    /// `Edit(path)`: Edit, Write, NotebookEdit and the old MultiEdit.
    Edit,
    /// `WebFetch(domain:host)`.
    WebFetch,
    /// `WebSearch`, no specifier.
    WebSearch,
    /// `Agent(subagent type)` (also `Task(...)`).
    Agent,
    /// `Skill(name)` / `Skill(name *)`.
    Skill,
    /// `mcp__server__tool`: names only (plus parameter rules).
    Mcp,
    /// Every other tool: bare name only (plus parameter rules).
    NameOnly,
}

/// Tool name → rule family. Tools not listed are [`Family::NameOnly`] (or [`Family::Mcp`]).
pub const FAMILIES: &[(&str, Family)] = &[
    ("Bash", Family::Bash),
    ("Monitor", Family::Bash),
    ("PowerShell", Family::PowerShell),
    ("Read", Family::Read),
    ("Grep", Family::Read),
    ("Glob", Family::Read),
    ("LSP", Family::Read),
    ("LS", Family::Read),
    ("NotebookRead", Family::Read),
    ("Edit", Family::Edit),
    ("Write", Family::Edit),
    ("NotebookEdit", Family::Edit),
    ("MultiEdit", Family::Edit),
    ("WebFetch", Family::WebFetch),
    ("WebSearch", Family::WebSearch),
    ("Agent", Family::Agent),
    ("Skill", Family::Skill),
];

/// The rule family of a tool (after legacy-name mapping).
pub fn family(tool: &str) -> Family {
    let tool = canonical_tool(tool);
    if tool.starts_with("mcp__") {
        return Family::Mcp;
    }
    FAMILIES
        .iter()
        .find(|(name, _)| *name == tool)
        .map_or(Family::NameOnly, |(_, f)| *f)
}

/// The tool name whose content rules a family consults (`Edit(...)` rules for Write, ...).
pub fn family_rule_name(f: Family) -> Option<&'static str> {
    match f {
        Family::Bash => Some("Bash"),
        Family::PowerShell => Some("PowerShell"),
        Family::Read => Some("Read"),
        Family::Edit => Some("Edit"),
        Family::WebFetch => Some("WebFetch"),
        Family::WebSearch => Some("WebSearch"),
        Family::Agent => Some("Agent"),
        Family::Skill => Some("Skill"),
        Family::Mcp | Family::NameOnly => None,
    }
}

/// Tools that never prompt in any mode (reference §4.1), by exact name.
///
/// `Read`, `Grep`, `Glob` and `LSP` are not here: they run unasked only inside the working
/// folders (the engine checks that). `Agent` is here, but in auto mode its calls go to the
/// classifier (auto mode sets Agent allow rules aside, which only makes sense if Agent calls
/// are reviewed there).
pub const NEVER_PROMPT: &[&str] = &[
    "Agent",
    "EndConversation",
    "EnterPlanMode",
    "ExitWorktree",
    "ListAgents",
    "ListMcpResourcesTool",
    "ReadMcpResourceTool",
    "PushNotification",
    "RemoteTrigger",
    "ReportFindings",
    "ScheduleWakeup",
    "SendMessage",
    "SendUserFile",
    "TodoWrite",
    "ToolSearch",
    "WaitForMcpServers",
    // Background-shell tools of older builds: reading or stopping a shell the agent started.
    "BashOutput",
    "KillShell",
];

/// Name prefixes of tool families that never prompt (`Cron*`, `Task*`: TaskCreate,
/// TaskOutput, TaskStop, ...). `Task` itself is the old name of `Agent`.
pub const NEVER_PROMPT_PREFIXES: &[&str] = &["Cron", "Task"];

/// Tools that are themselves a question to the user. They show a dialog, but not a
/// permission prompt: the engine reports them as auto-allowed, except in `dontAsk` mode,
/// where (reference §2.1 step 3) they are denied.
pub const INTERACTION_TOOLS: &[&str] = &["AskUserQuestion"];

/// Does this tool run without a prompt in every mode (after legacy-name mapping)?
pub fn never_prompts(tool: &str) -> bool {
    let tool = canonical_tool(tool);
    NEVER_PROMPT.contains(&tool)
        || NEVER_PROMPT_PREFIXES
            .iter()
            .any(|p| tool.starts_with(p) && tool.len() > p.len())
}

/// Tools documented to prompt in `default` mode (reference §4.1). Used only to tell a known
/// tool from an unknown one in load warnings; the engine prompts for unknown tools too.
pub const PROMPTING_TOOLS: &[&str] = &[
    "Bash",
    "PowerShell",
    "Monitor",
    "Edit",
    "Write",
    "NotebookEdit",
    "MultiEdit",
    "WebFetch",
    "WebSearch",
    "Skill",
    "Workflow",
    "Artifact",
    "EnterWorktree",
    "ExitPlanMode",
    "ShareOnboardingGuide",
];

/// Is this a tool name Claude Code knows (built-in tables above, or an MCP name)?
pub fn is_known_tool(name: &str) -> bool {
    let name = canonical_tool(name);
    name.starts_with("mcp__")
        || never_prompts(name)
        || INTERACTION_TOOLS.contains(&name)
        || PROMPTING_TOOLS.contains(&name)
        || FAMILIES.iter().any(|(n, _)| *n == name)
}

/// Top-level input parameters of the built-in tools. A rule `Tool(name:value)` is a
/// parameter rule when `name` is listed for the tool; otherwise the text is the tool's
/// ordinary specifier (so `Bash(ls:*)` stays the legacy prefix form). For tools not listed
/// (MCP tools, other tools) any `identifier:value` is read as a parameter rule.
pub const TOOL_PARAMS: &[(&str, &[&str])] = &[
    (
        "Bash",
        &[
            "command",
            "description",
            "timeout",
            "run_in_background",
            "dangerouslyDisableSandbox",
        ],
    ),
    ("Monitor", &["command", "description", "timeout"]),
    (
        "PowerShell",
        &["command", "description", "timeout", "run_in_background"],
    ),
    ("Read", &["file_path", "offset", "limit", "pages"]),
    (
        "Edit",
        &["file_path", "old_string", "new_string", "replace_all"],
    ),
    ("Write", &["file_path", "content"]),
    (
        "NotebookEdit",
        &[
            "notebook_path",
            "new_source",
            "cell_id",
            "cell_type",
            "edit_mode",
        ],
    ),
    (
        "Grep",
        &[
            "pattern",
            "path",
            "glob",
            "type",
            "output_mode",
            "multiline",
            "head_limit",
        ],
    ),
    ("Glob", &["pattern", "path"]),
    ("WebFetch", &["url", "prompt"]),
    (
        "WebSearch",
        &["query", "allowed_domains", "blocked_domains"],
    ),
    (
        "Agent",
        &[
            "description",
            "prompt",
            "subagent_type",
            "model",
            "isolation",
            "run_in_background",
            "name",
            "team_name",
            "mode",
        ],
    ),
    ("Skill", &["skill", "args"]),
];

/// Is `param` a known top-level parameter of `tool`? `None` when the tool's schema is not
/// in [`TOOL_PARAMS`].
pub fn has_param(tool: &str, param: &str) -> Option<bool> {
    let tool = canonical_tool(tool);
    TOOL_PARAMS
        .iter()
        .find(|(t, _)| *t == tool)
        .map(|(_, ps)| ps.contains(&param))
}

/// Primary content fields: parameter rules on these are ignored by Claude Code (the
/// tool's own specifier is the way to match them).
pub const PRIMARY_FIELDS: &[&str] = &["command", "file_path", "path", "notebook_path", "url"];

/// Protected directories: writes inside them always prompt (reference §4.3). Each entry is
/// a run of path components that may appear at any depth.
pub const PROTECTED_DIRS: &[&[&str]] = &[
    &[".git"],
    &[".config", "git"],
    &[".vscode"],
    &[".idea"],
    &[".husky"],
    &[".cargo"],
    &[".devcontainer"],
    &[".yarn"],
    &[".mvn"],
    &[".claude"],
];

/// Sub-folders of a protected directory that are not protected (`.claude/worktrees`).
pub const PROTECTED_DIR_EXCEPTIONS: &[&[&str]] = &[&[".claude", "worktrees"]];

/// Protected file names (any folder). `*` matches any run of characters.
///
/// The reference lists the shell rc files with "…"; the rc and login files of bash, zsh,
/// sh, ksh, csh/tcsh and fish's `config.fish` are taken as that set.
pub const PROTECTED_FILES: &[&str] = &[
    ".bashrc",
    ".bash_profile",
    ".bash_login",
    ".bash_logout",
    ".zshrc",
    ".zprofile",
    ".zshenv",
    ".zlogin",
    ".zlogout",
    ".profile",
    ".kshrc",
    ".cshrc",
    ".tcshrc",
    ".login",
    "config.fish",
    ".envrc",
    ".gitconfig",
    ".gitmodules",
    ".npmrc",
    ".yarnrc*",
    "bunfig.toml",
    ".bazelrc",
    ".pre-commit-config.yaml",
    "lefthook.y*ml",
    "gradle-wrapper.properties",
    "maven-wrapper.properties",
    ".devcontainer.json",
    ".ripgreprc",
    "pyrightconfig.json",
    ".mcp.json",
    ".claude.json",
];

/// Files Claude Code writes for itself without a prompt although they sit under a protected
/// `.claude` folder: plan files (`<config dir>/plans/*.md`), relative to the config dir.
///
/// Not in the reference; without it every plan-mode session would prompt for its own plan
/// file, which it does not.
pub const INTERNAL_WRITABLE: &[&str] = &["plans"];

/// Why a write to `path` is protected (the matching table entry), if it is.
pub fn protected_reason(path: &Path) -> Option<String> {
    let comps: Vec<&str> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    for i in 0..comps.len() {
        for dir in PROTECTED_DIRS {
            let end = i + dir.len();
            // The run may end the path: writing a file named `.git` (a worktree's pointer)
            // is as protected as writing inside the folder.
            if end > comps.len() || comps.get(i..end) != Some(*dir) {
                continue;
            }
            let excepted = PROTECTED_DIR_EXCEPTIONS.iter().any(|ex| {
                ex.starts_with(dir)
                    && comps.get(i..i + ex.len()) == Some(*ex)
                    && i + ex.len() < comps.len()
            });
            if !excepted {
                return Some(format!("protected folder {}", dir.join("/")));
            }
        }
    }
    let name = comps.last()?;
    PROTECTED_FILES
        .iter()
        .find(|p| simple_glob(p, name))
        .map(|p| format!("protected file {p}"))
}

/// `*`-only glob over a whole string (for the small tables here, tool names, parameter
/// values and domain labels). Linear backtracking, so long inputs cannot blow up. Works on
/// bytes: `*` is ASCII and a UTF-8 literal only matches at character boundaries, so the
/// result is the same as over characters, without allocating.
pub fn simple_glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&b'*') {
        pi += 1;
    }
    pi == p.len()
}

/// Commands `acceptEdits` mode runs unasked when every path argument is inside the working
/// folders (reference §4.2).
pub const ACCEPT_EDITS_COMMANDS: &[&str] = &["mkdir", "touch", "rm", "rmdir", "mv", "cp", "sed"];

/// Environment variables documented as safe to prefix a command with (reference §3.2); the
/// full list is not published. `acceptEdits` file commands are covered past these only.
pub const DOCUMENTED_SAFE_ENV: &[&str] = &["LANG", "TZ", "NO_COLOR", "NODE_ENV"];

/// Commands whose targets are checked against the critical paths (reference §4.3).
pub const RM_COMMANDS: &[&str] = &["rm", "rmdir"];

/// Wrappers the critical-`rm` check looks through (`sudo rm -rf /` is as critical as
/// `rm -rf /`): the stripped wrappers of reference §3.2 and the exec wrappers deny rules see
/// through.
pub const RM_LOOK_THROUGH: &[&str] = &[
    "sudo", "doas", "env", "watch", "ionice", "setsid", "nice", "nohup", "timeout", "stdbuf",
    "time", "command", "builtin", "noglob", "xargs", "flock",
];

/// Critical `rm`/`rmdir` targets (reference §4.3), as a description of each check; the
/// logic is [`critical_rm_target`].
pub const CRITICAL_RM_PATHS: &[&str] = &[
    "/ (the filesystem root)",
    "a top-level folder (/usr, /etc, ...)",
    "the home folder",
    "the working folder or one of its parents",
    "a glob right under the working folder or an additional folder",
    "a glob or trailing slash right after a shell variable (\"$DIR\"/*)",
];

/// If an `rm`/`rmdir` argument is a critical path, which entry of [`CRITICAL_RM_PATHS`] it
/// hits.
///
/// `raw` is the argument as written (for the shell-variable check), `resolved` the absolute
/// normalised path with any trailing glob segment removed, `had_glob` whether one was.
/// A glob right under the working folder itself (`rm *`) is not listed as critical by the
/// reference and is not flagged; a glob under a parent of it is (the parent is).
pub fn critical_rm_target(
    raw: &str,
    resolved: &Path,
    had_glob: bool,
    home: &Path,
    cwd: &Path,
    additional: &[std::path::PathBuf],
) -> Option<&'static str> {
    if let Some(pos) = raw.rfind('$') {
        let after = raw.get(pos + 1..).unwrap_or("");
        let rest = after
            .trim_start_matches('{')
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
            .trim_start_matches(['}', '"', '\'']);
        let tail = rest.trim_start_matches('/');
        if (rest.starts_with('/') || rest.starts_with('*'))
            && (tail.is_empty() || tail.starts_with('*'))
        {
            return CRITICAL_RM_PATHS.get(5).copied();
        }
    }
    let depth = resolved
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    let entry = if depth == 0 {
        0
    } else if depth == 1 {
        1
    } else if resolved == home {
        2
    } else if cwd.starts_with(resolved) && (resolved != cwd || !had_glob) {
        3
    } else if had_glob && additional.iter().any(|a| a == resolved) {
        4
    } else {
        return None;
    };
    CRITICAL_RM_PATHS.get(entry).copied()
}

/// Interpreters and shells: in auto mode, a wildcard allow rule whose fixed text starts with
/// one of these (`Bash(python*)`, `Bash(node *)`) is set aside.
pub const AUTO_BROAD_INTERPRETERS: &[&str] = &[
    "python",
    "python3",
    "python2",
    "node",
    "deno",
    "bun",
    "ruby",
    "perl",
    "php",
    "lua",
    "bash",
    "sh",
    "zsh",
    "fish",
    "dash",
    "ksh",
    "pwsh",
    "osascript",
    "npx",
    "bunx",
    "uvx",
    "pnpx",
    "eval",
    "exec",
    "env",
    "sudo",
    "xargs",
    "ssh",
];

/// Package-manager "run" prefixes: in auto mode a wildcard allow rule whose fixed text is
/// one of these or a prefix of one (`Bash(npm run *)`, `Bash(npm *)`, `Bash(yarn *)`) is set
/// aside. A rule naming a script (`Bash(npm run test *)`) stays.
pub const AUTO_BROAD_RUNNERS: &[&str] = &[
    "npm run",
    "npm exec",
    "yarn run",
    "yarn exec",
    "yarn",
    "pnpm run",
    "pnpm exec",
    "pnpm",
    "bun run",
    "uv run",
    "poetry run",
    "pipenv run",
    "cargo run",
    "go run",
    "make",
    "just",
];

/// Tools whose allow rules auto mode sets aside entirely (bare or scoped).
pub const AUTO_DROPPED_ALLOW_TOOLS: &[&str] = &["Agent", "Monitor"];

/// PowerShell aliases canonicalised before matching (lower case), reference §1.3.
pub const POWERSHELL_ALIASES: &[(&str, &str)] = &[
    ("gci", "get-childitem"),
    ("ls", "get-childitem"),
    ("dir", "get-childitem"),
    ("gc", "get-content"),
    ("cat", "get-content"),
    ("type", "get-content"),
    ("sl", "set-location"),
    ("cd", "set-location"),
    ("chdir", "set-location"),
    ("gl", "get-location"),
    ("pwd", "get-location"),
    ("echo", "write-output"),
    ("write", "write-output"),
    ("rm", "remove-item"),
    ("del", "remove-item"),
    ("erase", "remove-item"),
    ("ri", "remove-item"),
    ("rd", "remove-item"),
    ("rmdir", "remove-item"),
    ("cp", "copy-item"),
    ("copy", "copy-item"),
    ("cpi", "copy-item"),
    ("mv", "move-item"),
    ("move", "move-item"),
    ("mi", "move-item"),
    ("ni", "new-item"),
    ("sls", "select-string"),
    ("iwr", "invoke-webrequest"),
    ("irm", "invoke-restmethod"),
    ("iex", "invoke-expression"),
];

/// WebFetch domains Claude Code preapproves. The reference says a built-in documentation set
/// exists but does not list it; the safe reading keeps this empty, so such fetches count as
/// prompts unless a rule allows them.
pub const PREAPPROVED_WEBFETCH_DOMAINS: &[&str] = &[];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "", true),
            ("a*", "abc", true),
            ("*c", "abc", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXbY", false),
            (".yarnrc*", ".yarnrc.yml", true),
            ("lefthook.y*ml", "lefthook.yaml", true),
            ("x", "xx", false),
            ("é*", "éa", true),
            ("*ü", "aü", true),
            ("*ü", "a\u{fc}x", false),
            ("a*é", "ae\u{301}", false),
        ];
        for (p, t, want) in cases {
            assert_eq!(simple_glob(p, t), *want, "{p} vs {t}");
        }
        let long = "a".repeat(5000);
        assert!(!simple_glob("*a*a*a*a*a*a*a*b", &long));
    }

    #[test]
    fn protected() {
        for p in [
            "/p/.git",
            "/p/.git/config",
            "/p/.claude/settings.json",
            "/p/x/.bashrc",
            "/h/.config/git/x",
        ] {
            assert!(protected_reason(Path::new(p)).is_some(), "{p}");
        }
        for p in [
            "/p/.claude/worktrees/w/a.rs",
            "/p/.gitignore",
            "/p/src/a.rs",
        ] {
            assert!(protected_reason(Path::new(p)).is_none(), "{p}");
        }
    }
}
