//! Facts about Claude Code's own tools, one table per fact.
//!
//! Legacy tool names, which rule family governs which tool, the tools that never prompt,
//! the known input parameters (to tell `Tool(param:value)` from a specifier), the tools
//! whose input names a path, the protected folders and files, the critical `rm` targets (as
//! descriptions; the check itself is `permissions::guards`), the commands `acceptEdits` runs
//! unasked, the rules auto mode sets aside, PowerShell aliases and preapproved WebFetch
//! domains. Facts about commands are in the sibling modules ([`super::commands`],
//! [`super::wrappers`], ...); the environment variables a command may be prefixed with are
//! in [`super::env`].
//!
//! The behaviour these tables mirror is described in `docs/permissions.md`.

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

/// Tools that never prompt in any mode, by exact name.
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
/// where they are denied.
pub const INTERACTION_TOOLS: &[&str] = &["AskUserQuestion"];

/// Does this tool run without a prompt in every mode (after legacy-name mapping)?
pub fn never_prompts(tool: &str) -> bool {
    let tool = canonical_tool(tool);
    NEVER_PROMPT.contains(&tool)
        || NEVER_PROMPT_PREFIXES
            .iter()
            .any(|p| tool.starts_with(p) && tool.len() > p.len())
}

/// Tools documented to prompt in `default` mode. Used only to tell a known
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

/// Tools whose input names one file or folder (`file_path`, `notebook_path` or `path`).
/// The command keys say whether that path is inside the project; the risk tables match it.
pub const PATH_TOOLS: &[&str] = &["Read", "Edit", "Write", "NotebookEdit", "Grep", "Glob"];

/// Protected directories: writes inside them always prompt. Each entry is
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
/// Claude Code's documentation lists the shell rc files with "…"; the rc and login files of
/// bash, zsh, sh, ksh, csh/tcsh and fish's `config.fish` are taken as that set.
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
/// Not documented by Claude Code; without it every plan-mode session would prompt for its
/// own plan file, which it does not.
pub const INTERNAL_WRITABLE: &[&str] = &["plans"];

/// Commands `acceptEdits` mode runs unasked when every path argument is inside the working
/// folders.
pub const ACCEPT_EDITS_COMMANDS: &[&str] = &["mkdir", "touch", "rm", "rmdir", "mv", "cp", "sed"];

/// Commands whose targets are checked against the critical paths.
pub const RM_COMMANDS: &[&str] = &["rm", "rmdir"];

/// Critical `rm`/`rmdir` targets, as a description of each check; the check is
/// `permissions::guards::critical_rm_target`, which returns one of these entries.
pub const CRITICAL_RM_PATHS: &[&str] = &[
    "/ (the filesystem root)",
    "a top-level folder (/usr, /etc, ...)",
    "the home folder",
    "the working folder or one of its parents",
    "a glob right under the working folder or an additional folder",
    "a glob or trailing slash right after a shell variable (\"$DIR\"/*)",
];

/// Interpreters and shells: in auto mode, a wildcard allow rule whose fixed text starts with
/// one of these (`Bash(python*)`, `Bash(node *)`) is set aside.
///
/// This is Claude Code's own list, not this crate's categories: it mixes interpreters,
/// shells, package runners, `eval`/`exec`, exec wrappers and `ssh`. A test checks that each
/// entry belongs to one of the command categories in [`super::commands`] or
/// [`super::wrappers`].
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
///
/// Claude Code's own list; a test checks that each entry is a task runner or a package
/// runner of [`super::commands`].
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

/// PowerShell aliases canonicalised before matching (lower case).
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

/// WebFetch domains Claude Code preapproves. Claude Code documents that a built-in
/// documentation set exists but does not list it; the safe reading keeps this empty, so such fetches count as
/// prompts unless a rule allows them.
pub const PREAPPROVED_WEBFETCH_DOMAINS: &[&str] = &[];
