//! The safety policy shared by the suggester and the auditor, kept as data.
//!
//! Every "never" list is one [`RiskTable`]; [`RISK_TABLES`] holds them all. A table says which
//! command word sequences it covers (`["npm", "run"]`, `["python"]`) and how far the ban goes
//! ([`Scope`]): some commands must never be allowed by any rule (interpreters, shells, network
//! clients), some only never by a wildcard (task runners: an exact `Bash(npm run lint)` names
//! one script, `Bash(npm run *)` runs any). The suggester refuses to propose a rule a table
//! catches; the auditor calls an allow rule a table catches dangerous. Both go through
//! [`risk_of`], so the two can never disagree.
//!
//! The other tables: [`READONLY_SUBCOMMANDS`] (the only places a `Bash(cmd sub *)` prefix rule
//! may be proposed), [`RISKY_FLAGS`] (options that change configuration or run a program),
//! the volatile-value patterns behind [`volatile_value`] (temp paths, UUIDs, PIDs, hashes,
//! timestamps: a rule holding one will never match again), and the MCP tool-name words
//! ([`MCP_READ_WORDS`], [`MCP_WRITE_WORDS`]).
//!
//! Per-invocation read-only checks are delegated to the `safe-chains` crate
//! ([`invocation_level`]); only `Inert` and `SafeRead` count as read-only.

use crate::permissions::rule::{Rule, Specifier, ToolPattern};
use crate::permissions::shell::{fold_whitespace, split_words};
use crate::permissions::tools::{self, Family};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// How far a [`RiskTable`] ban reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// No rule at all, exact or wildcard, for a command starting with an entry.
    Always,
    /// No wildcard rule anywhere on a command starting with an entry (`find`, `sed`: a later
    /// `*` still admits `-exec` / `-i`); exact rules are fine.
    AnyWildcard,
    /// No wildcard right at (or before) the entry: `Bash(npm run *)` is banned,
    /// `Bash(npm run test *)` (one named script) and exact rules are fine.
    WildcardAtEntry,
}

/// One "never" list.
#[derive(Debug)]
pub struct RiskTable {
    /// Short snake_case name shown in reports (`interpreters`, `task_runners`, ...).
    pub name: &'static str,
    /// How far the ban reaches.
    pub scope: Scope,
    /// Why, in one line.
    pub why: &'static str,
    /// Command word sequences the table covers (the first word is compared by basename,
    /// with a trailing version number ignored: `/usr/bin/python3.12` is `python`).
    pub entries: &'static [&'static [&'static str]],
}

/// Language interpreters: any invocation runs code the rule text cannot show.
pub const INTERPRETERS: RiskTable = RiskTable {
    name: "interpreters",
    scope: Scope::Always,
    why: "an interpreter runs whatever script or -c/-e code it is given",
    entries: &[
        &["python"],
        &["python2"],
        &["python3"],
        &["pypy"],
        &["pypy3"],
        &["node"],
        &["nodejs"],
        &["ruby"],
        &["irb"],
        &["perl"],
        &["php"],
        &["lua"],
        &["luajit"],
        &["bun"],
        &["deno"],
        &["Rscript"],
        &["R"],
        &["julia"],
        &["java"],
        &["jshell"],
        &["groovy"],
        &["osascript"],
        &["tclsh"],
        &["expect"],
        &["elixir"],
        &["erl"],
        &["escript"],
        &["ghci"],
        &["runghc"],
    ],
};

/// Shells: `bash x.sh` or `sh -c ...` run arbitrary commands.
pub const SHELLS: RiskTable = RiskTable {
    name: "shells",
    scope: Scope::Always,
    why: "a shell runs whatever script or -c string it is given",
    entries: &[
        &["sh"],
        &["bash"],
        &["zsh"],
        &["fish"],
        &["dash"],
        &["ksh"],
        &["mksh"],
        &["ash"],
        &["csh"],
        &["tcsh"],
        &["pwsh"],
        &["powershell"],
        &["nu"],
    ],
};

/// Builtins that run text as code.
pub const CODE_EVAL: RiskTable = RiskTable {
    name: "code_eval",
    scope: Scope::Always,
    why: "eval, exec and source run text or files as shell code",
    entries: &[&["eval"], &["exec"], &["source"], &["."]],
};

/// Remote shells and copies.
pub const REMOTE: RiskTable = RiskTable {
    name: "remote_shells",
    scope: Scope::Always,
    why: "runs commands on, or copies files to and from, another machine",
    entries: &[
        &["ssh"],
        &["scp"],
        &["sftp"],
        &["rsync"],
        &["mosh"],
        &["telnet"],
    ],
};

/// Download-and-run package runners and environment runners.
pub const PACKAGE_RUNNERS: RiskTable = RiskTable {
    name: "package_runners",
    scope: Scope::Always,
    why: "downloads and/or runs a package's or environment's program, whatever it is",
    entries: &[
        &["npx"],
        &["bunx"],
        &["pnpx"],
        &["uvx"],
        &["uv", "run"],
        &["uv", "tool", "run"],
        &["pipx", "run"],
        &["yarn", "dlx"],
        &["yarn", "exec"],
        &["pnpm", "dlx"],
        &["pnpm", "exec"],
        &["npm", "exec"],
        &["npm", "x"],
        &["bun", "x"],
        &["poetry", "run"],
        &["pipenv", "run"],
        &["conda", "run"],
        &["bundle", "exec"],
        &["devbox", "run"],
        &["direnv", "exec"],
        &["mise", "exec"],
        &["mise", "x"],
        &["nix", "run"],
        &["nix-shell"],
        &["dotnet", "exec"],
    ],
};

/// Project task runners: each named task is fine exactly, a wildcard runs any task.
pub const TASK_RUNNERS: RiskTable = RiskTable {
    name: "task_runners",
    scope: Scope::WildcardAtEntry,
    why: "runs repository-defined tasks or code; a wildcard here admits any task",
    entries: &[
        &["npm", "run"],
        &["npm", "run-script"],
        &["npm", "test"],
        &["npm", "start"],
        &["pnpm", "run"],
        &["pnpm"],
        &["yarn", "run"],
        &["yarn"],
        &["bun", "run"],
        &["bun", "test"],
        &["make"],
        &["gmake"],
        &["just"],
        &["task"],
        &["mise", "run"],
        &["cargo", "run"],
        &["cargo", "test"],
        &["cargo", "build"],
        &["cargo", "check"],
        &["cargo", "clippy"],
        &["cargo", "bench"],
        &["go", "run"],
        &["go", "test"],
        &["go", "build"],
        &["go", "generate"],
        &["go", "vet"],
        &["deno", "task"],
        &["rake"],
        &["gradle"],
        &["./gradlew"],
        &["mvn"],
        &["./mvnw"],
        &["pytest"],
        &["tox"],
        &["nox"],
        &["dotnet", "run"],
        &["dotnet", "test"],
        &["swift", "run"],
        &["bazel"],
        &["ninja"],
    ],
};

/// `gh api` reaches any endpoint with any method.
pub const GH_API: RiskTable = RiskTable {
    name: "gh_api",
    scope: Scope::Always,
    why: "gh api sends any request (-X POST/DELETE, -f fields, GraphQL mutations)",
    entries: &[&["gh", "api"]],
};

/// git commands that talk to remotes and can run helper programs.
pub const GIT_NETWORK: RiskTable = RiskTable {
    name: "git_network",
    scope: Scope::Always,
    why: "git fetch/pull/clone can run commands (--upload-pack, ext:: URLs) and change the tree",
    entries: &[
        &["git", "fetch"],
        &["git", "pull"],
        &["git", "clone"],
        &["git", "submodule"],
        &["git", "remote", "update"],
    ],
};

/// Network clients that can send data anywhere.
pub const NETWORK_CLIENTS: RiskTable = RiskTable {
    name: "network_clients",
    scope: Scope::Always,
    why: "can post local data anywhere or write downloaded files; use WebFetch(domain:...)",
    entries: &[
        &["curl"],
        &["wget"],
        &["http"],
        &["https"],
        &["xh"],
        &["aria2c"],
        &["nc"],
        &["ncat"],
        &["netcat"],
        &["socat"],
    ],
};

/// Wrappers that run their argument as a command.
pub const EXEC_WRAPPERS: RiskTable = RiskTable {
    name: "exec_wrappers",
    scope: Scope::Always,
    why: "runs its argument as a command, so the rule would cover any command",
    entries: &[
        &["env"],
        &["sudo"],
        &["doas"],
        &["su"],
        &["xargs"],
        &["watch"],
        &["timeout"],
        &["nohup"],
        &["setsid"],
        &["nice"],
        &["ionice"],
        &["flock"],
        &["stdbuf"],
        &["chroot"],
        &["unshare"],
        &["nsenter"],
        &["strace"],
        &["ltrace"],
        &["time"],
        &["command"],
        &["builtin"],
        &["parallel"],
    ],
};

/// Running code in containers and clusters.
pub const CONTAINER_EXEC: RiskTable = RiskTable {
    name: "container_exec",
    scope: Scope::Always,
    why: "runs a program inside a container or pod",
    entries: &[
        &["docker", "run"],
        &["docker", "exec"],
        &["docker", "compose", "run"],
        &["docker", "compose", "exec"],
        &["docker-compose", "run"],
        &["docker-compose", "exec"],
        &["podman", "run"],
        &["podman", "exec"],
        &["kubectl", "exec"],
        &["kubectl", "run"],
        &["kubectl", "debug"],
        &["kubectl", "attach"],
        &["oc", "exec"],
        &["oc", "rsh"],
    ],
};

/// File tools whose flags or scripts can run programs or write files.
pub const FILE_TOOLS: RiskTable = RiskTable {
    name: "file_tools",
    scope: Scope::AnyWildcard,
    why: "some flags or script commands run programs or write files (find -exec/-delete, sed -i/w/e, awk system())",
    entries: &[
        &["find"],
        &["fd"],
        &["fdfind"],
        &["sed"],
        &["gsed"],
        &["awk"],
        &["gawk"],
        &["mawk"],
        &["nawk"],
        &["rg"],
        &["sort"],
        &["tar"],
        &["git", "grep"],
    ],
};

/// Destructive commands: a wildcard admits any target.
pub const DESTRUCTIVE: RiskTable = RiskTable {
    name: "destructive",
    scope: Scope::AnyWildcard,
    why: "deletes, overwrites or publishes; a wildcard admits any target or flag",
    entries: &[
        &["rm"],
        &["rmdir"],
        &["shred"],
        &["dd"],
        &["mkfs"],
        &["truncate"],
        &["chmod"],
        &["chown"],
        &["kill"],
        &["pkill"],
        &["killall"],
        &["git", "push"],
        &["git", "reset"],
        &["git", "clean"],
        &["git", "checkout"],
        &["git", "restore"],
        &["npm", "publish"],
        &["cargo", "publish"],
    ],
};

/// Every "never" table, in the order a hit is reported.
pub const RISK_TABLES: &[&RiskTable] = &[
    &SHELLS,
    &INTERPRETERS,
    &CODE_EVAL,
    &REMOTE,
    &PACKAGE_RUNNERS,
    &GH_API,
    &GIT_NETWORK,
    &NETWORK_CLIENTS,
    &EXEC_WRAPPERS,
    &CONTAINER_EXEC,
    &TASK_RUNNERS,
    &FILE_TOOLS,
    &DESTRUCTIVE,
];

/// `(command, subcommand)` pairs where a `Bash(cmd sub *)` prefix rule may be proposed: every
/// form of the subcommand, whatever its arguments, only reads.
///
/// Judged and left out, with the reason: `pip list/show` (`--python <exe>` re-runs pip
/// under any program), `go list` (`-export -toolexec <prog>` runs a program), `go env`
/// (`-w` writes), `kubectl get/describe` and `helm list` (`--kubeconfig <file>` can name an
/// exec credential plugin), `cargo tree/metadata` (`--config build.rustc=<prog>` runs a
/// program; they may also write `Cargo.lock`), `terraform show` (loads provider plugins),
/// `brew info` (`--eval-all` evaluates formula code). Their exact invocations are still
/// proposed when they pass the per-invocation check.
pub const READONLY_SUBCOMMANDS: &[(&str, &str)] = &[
    ("npm", "ls"),
    ("npm", "list"),
    ("npm", "view"),
    ("npm", "info"),
    ("npm", "show"),
    ("npm", "outdated"),
    ("npm", "explain"),
    ("npm", "why"),
];

/// Is `(cmd, sub)` in [`READONLY_SUBCOMMANDS`]?
pub fn readonly_subcommand(cmd: &str, sub: &str) -> bool {
    READONLY_SUBCOMMANDS
        .iter()
        .any(|(c, s)| *c == cmd && *s == sub)
}

/// Options that change a program's configuration or make it run another program.
/// Each entry: the option, and whether it is only risky when followed by `key=value`
/// (`-c`, which means something harmless for `wc`/`grep`).
pub const RISKY_FLAGS: &[(&str, bool)] = &[
    ("-c", true),
    ("--config", false),
    ("--config-env", false),
    ("--exec-path", false),
    ("--upload-pack", false),
    ("--receive-pack", false),
    ("--output", false),
    ("--ext-diff", false),
    ("--textconv", false),
    ("--exec", false),
    ("--pre", false),
    ("-toolexec", false),
    ("--toolexec", false),
    ("--python", false),
    ("--kubeconfig", false),
];

/// The risky option among `words` (unquoted argv), if any.
pub fn risky_flag(words: &[String]) -> Option<String> {
    for (i, w) in words.iter().enumerate().skip(1) {
        for (flag, needs_kv) in RISKY_FLAGS {
            if *needs_kv {
                let attached = w
                    .strip_prefix(flag)
                    .is_some_and(|rest| !rest.is_empty() && rest.contains('='));
                let next_kv = w == flag && words.get(i + 1).is_some_and(|n| n.contains('='));
                if attached || next_kv {
                    return Some(format!("{flag} key=value"));
                }
            } else if w == flag || w.strip_prefix(flag).is_some_and(|r| r.starts_with('=')) {
                return Some((*flag).to_string());
            }
        }
    }
    None
}

/// Where a wildcard sits in a Bash rule specifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wildcard {
    /// No `*`: an exact rule.
    None,
    /// The first `*` follows a space (`git log *`, `git * main`): commands start with the
    /// literal words, then anything.
    AfterWord,
    /// The first `*` is glued to the last literal word (`python*`): that word may continue.
    Glued,
}

/// A Bash specifier seen as "literal words, then a wildcard".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecShape {
    /// Unquoted words before the first `*` (the last one partial when [`Wildcard::Glued`]).
    pub words: Vec<String>,
    /// Where the first `*` is.
    pub wildcard: Wildcard,
}

/// The shape of a `Bash(...)` specifier: legacy `:*` at the very end counts as ` *`.
pub fn spec_shape(spec: &str) -> SpecShape {
    let folded = fold_whitespace(spec);
    let spec = match folded.strip_suffix(":*") {
        Some(head) if !head.contains(":*") => format!("{head} *"),
        _ => folded,
    };
    let (literal, wildcard) = match find_star(&spec) {
        None => (spec.as_str(), Wildcard::None),
        Some(i) => {
            let lit = &spec[..i];
            let w = if lit.is_empty() || lit.ends_with(' ') {
                Wildcard::AfterWord
            } else {
                Wildcard::Glued
            };
            (lit, w)
        }
    };
    SpecShape {
        words: split_words(literal).iter().map(|w| unquote(w)).collect(),
        wildcard,
    }
}

/// Index of the first unescaped `*`.
fn find_star(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b'*' && (i == 0 || b[i - 1] != b'\\'))
}

/// A word with one level of surrounding quotes removed (display/table lookups only).
pub fn unquote(w: &str) -> String {
    let t = w.trim();
    for q in ['\'', '"'] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    t.replace(['\'', '"'], "")
}

/// The command name as tables see it: basename, trailing version (`3.12`, `3`) removed.
fn command_forms(word: &str) -> [String; 2] {
    let base = word.rsplit('/').next().unwrap_or(word);
    let stripped = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let stripped = if stripped.is_empty() { base } else { stripped };
    [base.to_string(), stripped.to_string()]
}

fn first_word_eq(entry: &str, word: &str) -> bool {
    entry == word || command_forms(word).iter().any(|f| f == entry)
}

/// `words` starts with `entry` (first word by basename/version, the rest exactly).
fn starts_with_entry(words: &[String], entry: &[&str]) -> bool {
    words.len() >= entry.len()
        && entry.iter().enumerate().all(|(i, e)| {
            let w = &words[i];
            if i == 0 { first_word_eq(e, w) } else { e == w }
        })
}

/// Can a command starting with `words` (the last one possibly partial) begin with `entry`?
fn reaches_entry(words: &[String], entry: &[&str], glued: bool) -> bool {
    let n = words.len();
    if n == 0 {
        return true;
    }
    if n > entry.len() {
        return false;
    }
    words.iter().enumerate().all(|(i, w)| {
        let e = entry[i];
        let last = i + 1 == n;
        match (i, last && glued) {
            (0, true) => {
                e.starts_with(w.as_str())
                    || command_forms(w).iter().any(|f| e.starts_with(f.as_str()))
            }
            (0, false) => first_word_eq(e, w),
            (_, true) => e.starts_with(w.as_str()),
            (_, false) => e == w,
        }
    })
}

/// A hit in a [`RiskTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskHit {
    /// The table.
    pub table: &'static str,
    /// The entry, words joined (`npm run`).
    pub entry: String,
    /// One-line explanation.
    pub why: &'static str,
}

/// The first "never" table that bans a rule made of `words` with this wildcard position.
/// `words` are the unquoted literal words of the rule (or a command's argv for an exact
/// rule). An empty literal with a wildcard reaches every command (`Bash(* --version)`).
pub fn risk_of(words: &[String], wildcard: Wildcard) -> Option<RiskHit> {
    let hit = |t: &RiskTable, e: &[&str]| RiskHit {
        table: t.name,
        entry: e.join(" "),
        why: t.why,
    };
    if words.is_empty() && wildcard != Wildcard::None {
        return Some(RiskHit {
            table: "any_command",
            entry: "*".into(),
            why: "the wildcard comes before the command name, so it matches any command",
        });
    }
    for t in RISK_TABLES {
        for e in t.entries {
            let covered = starts_with_entry(words, e);
            let banned = match wildcard {
                Wildcard::None => covered && t.scope == Scope::Always,
                Wildcard::AfterWord | Wildcard::Glued => {
                    let glued = wildcard == Wildcard::Glued;
                    // The wildcard sits at or before the entry's last word.
                    let reaches = reaches_entry(words, e, glued);
                    // The wildcard sits after the entry (the rule is inside its territory).
                    let inside = covered && words.len() > e.len();
                    // A glued wildcard in the word right after a task-runner entry
                    // (`npm run t*`) still admits any task.
                    let at_entry = glued && covered && words.len() == e.len() + 1;
                    reaches
                        || (inside && matches!(t.scope, Scope::Always | Scope::AnyWildcard))
                        || (at_entry && t.scope == Scope::WildcardAtEntry)
                }
            };
            if banned {
                return Some(hit(t, e));
            }
        }
    }
    None
}

/// Shell syntax a rule text must not hold, with the hazard's name.
pub const SHELL_SYNTAX: &[(&str, &str)] = &[
    ("$(", "command substitution"),
    ("`", "command substitution"),
    ("<(", "process substitution"),
    (">(", "process substitution"),
    ("&&", "shell operator &&"),
    ("||", "shell operator ||"),
    (";", "shell operator ;"),
    ("|", "pipe"),
    ("&", "background operator &"),
    (">", "redirection"),
    ("<", "redirection"),
    ("\n", "newline"),
];

/// Why a rule text is unusable as written, if it is: shell syntax (even quoted, since
/// a reader cannot tell), a `*` (it would act as a wildcard), or parentheses (the rule
/// grammar uses them).
pub fn text_hazard(text: &str) -> Option<(&'static str, String)> {
    if let Some((_, what)) = SHELL_SYNTAX.iter().find(|(s, _)| text.contains(s)) {
        return Some(("shell_syntax", format!("contains {what}")));
    }
    if text.contains('*') {
        return Some((
            "wildcard_character",
            "contains '*', which a rule would read as a wildcard".into(),
        ));
    }
    if text.contains(['(', ')']) {
        return Some((
            "parenthesis",
            "contains a parenthesis, which the rule grammar uses".into(),
        ));
    }
    None
}

/// Volatile tokens. Boundaries are ASCII: the tokens are, and a Unicode `\b` sends the
/// regex engine to its slowest matcher on text with any non-ASCII character.
static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?-u:\b)")
        .expect("valid regex")
});
static HEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)[0-9a-f]{12,}(?-u:\b)").expect("valid regex"));
static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:\d{4}-\d{2}-\d{2}(?:[T _]\d{2}[:\-]?\d{2})?|\d{8}[T_-]?\d{6}|1[5-9]\d{8}(?:\d{3})?)(?-u:\b)")
        .expect("valid regex")
});

/// Temp-folder markers: a path under one of these will not exist next time.
pub const TEMP_PATHS: &[&str] = &[
    "/tmp/",
    "/private/tmp/",
    "/var/tmp/",
    "/var/folders/",
    "/private/var/folders/",
    "$TMPDIR",
    "${TMPDIR",
    "/dev/shm/",
];

/// Commands whose numeric arguments are process ids.
pub const PID_COMMANDS: &[&str] = &["kill", "wait", "renice", "disown", "lsof", "strace"];

/// Why `text` holds a value that will never recur (so a rule holding it never matches
/// again), if it does: a temp path (not followed by a wildcard), a UUID, a hex hash of 12+
/// characters, a timestamp, or a PID after `kill` and friends.
pub fn volatile_value(text: &str) -> Option<&'static str> {
    for t in TEMP_PATHS {
        let mut rest = text;
        while let Some(i) = rest.find(t) {
            let after = &rest[i + t.len()..];
            if !after.starts_with('*') && !after.is_empty() {
                return Some("a temporary path");
            }
            rest = after;
        }
    }
    if UUID.is_match(text) {
        return Some("a UUID");
    }
    if HEX
        .find_iter(text)
        .any(|m| m.as_str().chars().any(|c| c.is_ascii_digit()))
    {
        return Some("a long hex hash");
    }
    if TIMESTAMP.is_match(text) {
        return Some("a timestamp");
    }
    let words: Vec<String> = split_words(text).iter().map(|w| unquote(w)).collect();
    if let Some(first) = words.first() {
        let name = command_forms(first)[0].clone();
        if PID_COMMANDS.contains(&name.as_str())
            && words[1..]
                .iter()
                .any(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_digit()))
        {
            return Some("a process id");
        }
    }
    None
}

/// Words that make an MCP tool name look read-only.
pub const MCP_READ_WORDS: &[&str] = &[
    "get", "list", "search", "read", "view", "find", "describe", "show", "status",
];

/// Words that make an MCP tool name look like it changes something (these win). `fetch`
/// and `query` are here: a fetch can post and a query can be any SQL.
pub const MCP_WRITE_WORDS: &[&str] = &[
    "create", "update", "delete", "remove", "write", "set", "put", "post", "send", "add", "edit",
    "modify", "insert", "upsert", "merge", "push", "run", "exec", "execute", "apply", "deploy",
    "cancel", "close", "kill", "start", "stop", "move", "rename", "upload", "publish", "approve",
    "comment", "assign", "fork", "trigger", "invoke", "call", "fetch", "query", "save", "submit",
    "reply", "archive", "install", "drop", "reset", "clear", "revoke", "grant", "transfer", "pay",
    "book", "order", "navigate", "click", "type", "fill", "press", "evaluate", "eval", "do",
    "make", "generate",
];

/// The words of an MCP tool's own name (`mcp__srv__getIssue` → `get`, `issue`), lower case.
pub fn mcp_tool_words(tool: &str) -> Vec<String> {
    let own = tool
        .strip_prefix("mcp__")
        .and_then(|rest| rest.split_once("__").map(|(_, t)| t))
        .unwrap_or(tool);
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in own.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// `Ok` when an MCP tool name looks read-only, else why not.
pub fn mcp_read_only(tool: &str) -> Result<(), String> {
    let words = mcp_tool_words(tool);
    if let Some(w) = words.iter().find(|w| MCP_WRITE_WORDS.contains(&w.as_str())) {
        return Err(format!("the name holds '{w}', which may change something"));
    }
    if words.iter().any(|w| MCP_READ_WORDS.contains(&w.as_str())) {
        Ok(())
    } else {
        Err("the name holds no read-only word (get, list, search, read, view, ...)".into())
    }
}

/// The per-invocation read-only level `safe-chains` gives one simple command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadLevel {
    /// Touches nothing (`Inert`).
    Inert,
    /// Reads files (`SafeRead`).
    SafeRead,
    /// Writes inside the project (`SafeWrite`): not read-only.
    SafeWrite,
    /// Not vouched for (`Denied`), or the check failed.
    Denied,
}

impl ReadLevel {
    /// True for `Inert` and `SafeRead`.
    pub fn read_only(self) -> bool {
        matches!(self, ReadLevel::Inert | ReadLevel::SafeRead)
    }

    /// `inert`, `safe-read`, `safe-write` or `denied`.
    pub fn name(self) -> &'static str {
        match self {
            ReadLevel::Inert => "inert",
            ReadLevel::SafeRead => "safe-read",
            ReadLevel::SafeWrite => "safe-write",
            ReadLevel::Denied => "denied",
        }
    }
}

/// `safe_chains::command_verdict` on one simple command's text; a panic inside it counts as
/// `Denied`. Note: safe-chains also honours the user's own `~/.config/safe-chains.toml`.
pub fn invocation_level(text: &str) -> ReadLevel {
    use safe_chains::{SafetyLevel, Verdict};
    let owned = text.to_string();
    let verdict = std::panic::catch_unwind(move || safe_chains::command_verdict(&owned));
    match verdict {
        Ok(Verdict::Allowed(SafetyLevel::Inert)) => ReadLevel::Inert,
        Ok(Verdict::Allowed(SafetyLevel::SafeRead)) => ReadLevel::SafeRead,
        Ok(Verdict::Allowed(SafetyLevel::SafeWrite)) => ReadLevel::SafeWrite,
        Ok(Verdict::Denied) | Err(_) => ReadLevel::Denied,
    }
}

/// Edit path patterns that cover every file under their anchor.
pub const EDIT_EVERYWHERE: &[&str] = &["**", "/**", "//**", "~/**", "./**", "*", "/*", "//*"];

/// Why an allow rule is dangerous, if it is: a bare or `*` shell rule, a wildcard reaching a
/// "never" table, an exact rule in an [`Scope::Always`] table, a risky option, a leading
/// wildcard, a bare `WebFetch`/`domain:*`, an MCP server- or glob-wide allow, or an edit
/// rule over everything.
pub fn dangerous_allow(rule: &Rule) -> Option<String> {
    match (&rule.tool, &rule.spec) {
        (ToolPattern::McpServer(s), _) => {
            return Some(format!(
                "allows every tool of MCP server '{s}', including any that write"
            ));
        }
        (ToolPattern::Glob(g), _) => {
            return Some(format!(
                "tool-name glob '{g}' allows every matching tool, including any that write"
            ));
        }
        (ToolPattern::Name(_), _) => {}
    }
    let name = rule.tool.name().unwrap_or("");
    let family = tools::family(name);
    match (&rule.spec, family) {
        (Specifier::Any, Family::Bash | Family::PowerShell) => {
            Some(format!("{name} with no specifier allows every command"))
        }
        (Specifier::Any, Family::Edit) => {
            Some(format!("{name} with no path allows editing any file"))
        }
        (Specifier::Any, Family::WebFetch) => {
            Some("WebFetch with no domain allows fetching any URL".into())
        }
        (Specifier::Content(c), Family::WebFetch) => {
            let d = c.trim().strip_prefix("domain:").unwrap_or(c).trim();
            (d == "*").then(|| "WebFetch(domain:*) allows fetching any URL".into())
        }
        (Specifier::Content(c), Family::Edit) => EDIT_EVERYWHERE.contains(&c.trim()).then(|| {
            format!(
                "Edit({}) allows editing every file under its anchor",
                c.trim()
            )
        }),
        (Specifier::Content(c), Family::Bash) => dangerous_bash_spec(c),
        _ => None,
    }
}

/// [`dangerous_allow`] for the text inside `Bash(...)`.
pub fn dangerous_bash_spec(spec: &str) -> Option<String> {
    let shape = spec_shape(spec);
    if let Some(hit) = risk_of(&shape.words, shape.wildcard) {
        return Some(match shape.wildcard {
            Wildcard::None => format!("{} ({}): {}", hit.entry, hit.table, hit.why),
            _ => format!(
                "wildcard reaches '{}' ({}): {}",
                hit.entry, hit.table, hit.why
            ),
        });
    }
    risky_flag(&shape.words)
        .map(|f| format!("holds {f}, which changes configuration or runs a program"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn risk_table_scopes() {
        let cases: &[(&str, Wildcard, Option<&str>)] = &[
            ("python script.py", Wildcard::None, Some("interpreters")),
            (
                "/usr/bin/python3.12 x",
                Wildcard::None,
                Some("interpreters"),
            ),
            ("python", Wildcard::AfterWord, Some("interpreters")),
            ("pyth", Wildcard::Glued, Some("interpreters")),
            ("npm run lint", Wildcard::None, None),
            ("npm run", Wildcard::AfterWord, Some("task_runners")),
            ("npm run test", Wildcard::AfterWord, None),
            ("npm run t", Wildcard::Glued, Some("task_runners")),
            ("npm", Wildcard::AfterWord, Some("package_runners")),
            ("npm view", Wildcard::AfterWord, None),
            ("npm ls", Wildcard::AfterWord, None),
            ("git", Wildcard::AfterWord, Some("git_network")),
            ("git log", Wildcard::AfterWord, None),
            ("git fetch", Wildcard::None, Some("git_network")),
            ("gh api repos/a/b", Wildcard::None, Some("gh_api")),
            ("gh", Wildcard::AfterWord, Some("gh_api")),
            ("find . -name x", Wildcard::None, None),
            ("find . -name", Wildcard::AfterWord, Some("file_tools")),
            ("sed -n", Wildcard::AfterWord, Some("file_tools")),
            ("env", Wildcard::AfterWord, Some("exec_wrappers")),
            ("env", Wildcard::None, Some("exec_wrappers")),
            ("sudo", Wildcard::AfterWord, Some("exec_wrappers")),
            ("xargs", Wildcard::AfterWord, Some("exec_wrappers")),
            ("curl", Wildcard::AfterWord, Some("network_clients")),
            ("curl https://x", Wildcard::None, Some("network_clients")),
            ("", Wildcard::AfterWord, Some("any_command")),
            ("docker run x", Wildcard::None, Some("container_exec")),
            ("docker ps", Wildcard::AfterWord, None),
            ("kubectl exec", Wildcard::AfterWord, Some("container_exec")),
            ("ls", Wildcard::AfterWord, None),
            ("rm -rf build", Wildcard::None, None),
            ("rm -rf build/", Wildcard::Glued, Some("destructive")),
            ("make", Wildcard::AfterWord, Some("task_runners")),
            ("make test", Wildcard::None, None),
        ];
        for (words, wc, want) in cases {
            let got = risk_of(&w(words), *wc).map(|h| h.table);
            assert_eq!(got, *want, "{words:?} {wc:?}");
        }
    }

    #[test]
    fn readonly_subcommands_are_not_risky() {
        for (c, s) in READONLY_SUBCOMMANDS {
            let words = vec![c.to_string(), s.to_string()];
            assert_eq!(risk_of(&words, Wildcard::AfterWord), None, "{c} {s}");
        }
    }

    #[test]
    fn spec_shapes() {
        let cases: &[(&str, &[&str], Wildcard)] = &[
            ("git log *", &["git", "log"], Wildcard::AfterWord),
            ("git log:*", &["git", "log"], Wildcard::AfterWord),
            ("python*", &["python"], Wildcard::Glued),
            ("* --version", &[], Wildcard::AfterWord),
            ("git status", &["git", "status"], Wildcard::None),
            ("git * main", &["git"], Wildcard::AfterWord),
            ("git:* push", &["git:"], Wildcard::Glued),
        ];
        for (spec, words, wc) in cases {
            let s = spec_shape(spec);
            assert_eq!(
                s.words,
                words.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
                "{spec}"
            );
            assert_eq!(s.wildcard, *wc, "{spec}");
        }
    }

    #[test]
    fn volatile_values() {
        let cases: &[(&str, Option<&str>)] = &[
            ("cat /tmp/tmp.X1/out.txt", Some("a temporary path")),
            ("rm -rf /tmp/*", None),
            ("ls $TMPDIR/x", Some("a temporary path")),
            ("ls /var/folders/ab/x", Some("a temporary path")),
            ("kill 12345", Some("a process id")),
            ("kill -9 4242", Some("a process id")),
            ("kill -l", None),
            ("git show 3f1ef7c0a9b2d", Some("a long hex hash")),
            ("git show 3f1ef7c", None),
            (
                "cat 123e4567-e89b-12d3-a456-426614174000.json",
                Some("a UUID"),
            ),
            ("ls logs/2024-01-15T10:30", Some("a timestamp")),
            ("grep x app-20240115-103000.log", Some("a timestamp")),
            ("echo 1700000000", Some("a timestamp")),
            ("pip list --outdated", None),
            ("go list -m all", None),
            ("helm list -A", None),
        ];
        for (text, want) in cases {
            assert_eq!(volatile_value(text), *want, "{text}");
        }
    }

    #[test]
    fn risky_flags() {
        let cases: &[(&str, Option<&str>)] = &[
            ("git -c core.pager=x log", Some("-c key=value")),
            ("git -ccore.pager=x log", Some("-c key=value")),
            ("wc -c file", None),
            ("git --exec-path=/x log", Some("--exec-path")),
            ("git fetch --upload-pack=x", Some("--upload-pack")),
            ("git log --output=x", Some("--output")),
            ("pip list --python ./evil", Some("--python")),
            ("pip list --outdated", None),
        ];
        for (text, want) in cases {
            assert_eq!(risky_flag(&w(text)).as_deref(), *want, "{text}");
        }
    }

    #[test]
    fn mcp_names() {
        let cases: &[(&str, bool)] = &[
            ("mcp__github__get_issue", true),
            ("mcp__github__list_pull_requests", true),
            ("mcp__github__searchCode", true),
            ("mcp__github__create_issue", false),
            ("mcp__db__query", false),
            ("mcp__web__fetch", false),
            ("mcp__x__get_or_create_user", false),
            ("mcp__x__forget_memory", false),
            ("mcp__linear__getIssue", true),
            ("mcp__x__describe_table", true),
        ];
        for (tool, want) in cases {
            assert_eq!(mcp_read_only(tool).is_ok(), *want, "{tool}");
        }
    }

    #[test]
    fn dangerous_allows() {
        let cases: &[(&str, bool)] = &[
            ("Bash", true),
            ("Bash(*)", true),
            ("Bash(python *)", true),
            ("Bash(python:*)", true),
            ("Bash(python3*)", true),
            ("Bash(bash *)", true),
            ("Bash(env *)", true),
            ("Bash(sudo *)", true),
            ("Bash(git *)", true),
            ("Bash(npm run *)", true),
            ("Bash(npm *)", true),
            ("Bash(curl *)", true),
            ("Bash(gh api *)", true),
            ("Bash(find *)", true),
            ("Bash(sed *)", true),
            ("Bash(xargs *)", true),
            ("Bash(* --version)", true),
            ("WebFetch", true),
            ("WebFetch(domain:*)", true),
            ("mcp__github", true),
            ("mcp__github__*", true),
            ("Edit(/**)", true),
            ("Edit(//**)", true),
            ("Edit", true),
            ("Bash(git log *)", false),
            ("Bash(npm run test)", false),
            ("Bash(npm run test *)", false),
            ("Bash(pip list --outdated)", false),
            ("Bash(npm view *)", false),
            ("WebFetch(domain:docs.rs)", false),
            ("mcp__github__get_issue", false),
            ("Edit(/src/**)", false),
            ("Read(//**)", false),
        ];
        for (text, want) in cases {
            let rule = Rule::parse(text).expect("parses");
            assert_eq!(
                dangerous_allow(&rule).is_some(),
                *want,
                "{text}: {:?}",
                dangerous_allow(&rule)
            );
        }
    }

    #[test]
    fn safe_chains_levels() {
        let cases: &[(&str, bool)] = &[
            ("pip list --outdated", true),
            ("npm view react", true),
            ("rm -rf build", false),
            ("sed -i s/a/b/ f", false),
            ("find . -delete", false),
            ("git push --force", false),
            ("python -c 'print(1)'", false),
        ];
        for (text, want) in cases {
            assert_eq!(invocation_level(text).read_only(), *want, "{text}");
        }
    }
}
