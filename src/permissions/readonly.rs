//! Claude Code's own built-in list of Bash commands that never prompt.
//!
//! This is a copy of the list Claude Code itself applies (its read-only command validation),
//! not a general verdict on which commands are safe: `kubectl get pods` is harmless but not
//! on the list, so Claude Code prompts for it, and this table says `None` for it too. The
//! copy mirrors Claude Code [`MIRRORS_CLAUDE_CODE`], taken from the list the bundled
//! `/fewer-permission-prompts` skill gives the model, the permissions documentation and the
//! CHANGELOG. The list changes between Claude Code versions (commands are added, flag
//! validators tightened), so it is versioned and must be reviewed on upgrades. Claude Code
//! validates flags with per-command allowlists that are not published; the validators here
//! block the flags known to write files or run programs and are written to fail closed.
//!
//! The table is data: one [`Entry`] per command in [`READONLY_COMMANDS`], each with a
//! [`Kind`] that says which arguments it accepts. Rules that apply to every entry:
//! - opaque parts and parts with an output redirection to anything but `/dev/null` are never
//!   read-only, nor are parts with a leading assignment of a variable outside
//!   [`SAFE_ENV_VARS`](crate::facts::env::SAFE_ENV_VARS);
//! - unquoted glob characters (`*`, `?`, `[`, brace expansion) and parameter expansions in the
//!   arguments are only tolerated for [`Kind::AnyArgs`] commands, whose every flag is
//!   read-only; for the others (`find`, `sort`, `sed`, `git`, ...) an expansion could turn into
//!   a dangerous flag, so they prompt.
//!
//! [`compound_readonly_exception`] covers the cases where every part is read-only but Claude
//! Code still prompts for the whole line.

use crate::facts::env::is_safe_env_var;
use crate::facts::git::git_global_option;
use crate::permissions::shell::{ShellAnalysis, SimpleCommand, scan_word, split_words};

/// The Claude Code version whose built-in read-only list the table mirrors.
pub const MIRRORS_CLAUDE_CODE: &str = "2.1.240";

/// Label returned for a part that is only assignments of known-safe variables (`LANG=C`).
pub const SAFE_ASSIGNMENT: &str = "safe environment assignment";

/// Validates the arguments after a command name (or after a subcommand path).
pub type ArgCheck = fn(&[String]) -> bool;

/// Which arguments a read-only command accepts.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Any arguments, unquoted globs included: every flag of the command is read-only.
    AnyArgs,
    /// Only the bare command (`pwd`, `whoami`, `alias`).
    NoArgs,
    /// Exactly this command line, words joined by one space (`node --version`).
    Exact(&'static str),
    /// Arguments accepted by a validator that blocks writing or executing flags.
    Flags(ArgCheck),
    /// Only some subcommands (`git log`, `gh pr view`, `docker ps`).
    Subcommands(&'static SubcommandSet),
}

/// One command of the built-in read-only list.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The command name (`argv[0]`).
    pub command: &'static str,
    /// Which arguments it accepts.
    pub kind: Kind,
}

/// The read-only subcommands of a multi-command tool.
#[derive(Debug)]
pub struct SubcommandSet {
    /// Skips the options allowed before the subcommand; returns the subcommand's index in the
    /// arguments, or `None` when an option there is not allowed.
    pub globals: fn(&[String]) -> Option<usize>,
    /// Options rejected anywhere on the line (`--opt`, `--opt=value`, GNU-style unambiguous
    /// abbreviations of long options, and short options with attached values).
    pub reject_anywhere: &'static [&'static str],
    /// The read-only subcommands.
    pub subs: &'static [Sub],
}

/// One read-only subcommand.
#[derive(Debug)]
pub struct Sub {
    /// What [`builtin_readonly`] returns for it, e.g. "git log".
    pub label: &'static str,
    /// The subcommand words after the global options, e.g. `["stash", "list"]`.
    pub path: &'static [&'static str],
    /// Validates the arguments after the path.
    pub check: ArgCheck,
}

const fn any(command: &'static str) -> Entry {
    Entry {
        command,
        kind: Kind::AnyArgs,
    }
}

const fn no_args(command: &'static str) -> Entry {
    Entry {
        command,
        kind: Kind::NoArgs,
    }
}

const fn exact(command: &'static str, line: &'static str) -> Entry {
    Entry {
        command,
        kind: Kind::Exact(line),
    }
}

const fn flags(command: &'static str, check: ArgCheck) -> Entry {
    Entry {
        command,
        kind: Kind::Flags(check),
    }
}

const fn sub(label: &'static str, path: &'static [&'static str], check: ArgCheck) -> Sub {
    Sub { label, path, check }
}

/// Claude Code's built-in read-only commands (see the module documentation).
pub const READONLY_COMMANDS: &[Entry] = &[
    // Any arguments.
    any("cal"),
    any("uptime"),
    any("cat"),
    any("head"),
    any("tail"),
    any("wc"),
    any("stat"),
    any("strings"),
    any("hexdump"),
    any("od"),
    any("nl"),
    any("id"),
    any("uname"),
    any("free"),
    any("df"),
    any("du"),
    any("locale"),
    any("groups"),
    any("nproc"),
    any("basename"),
    any("dirname"),
    any("realpath"),
    any("cut"),
    any("paste"),
    any("tr"),
    any("column"),
    any("tac"),
    any("rev"),
    any("fold"),
    any("expand"),
    any("unexpand"),
    any("fmt"),
    any("comm"),
    any("cmp"),
    any("numfmt"),
    any("readlink"),
    any("diff"),
    any("true"),
    any("false"),
    any("sleep"),
    any("which"),
    any("type"),
    any("expr"),
    any("seq"),
    any("tsort"),
    any("pr"),
    any("echo"),
    any("ls"),
    any("cd"),
    // No arguments.
    no_args("pwd"),
    no_args("whoami"),
    no_args("alias"),
    // Exact command lines.
    exact("claude", "claude -h"),
    exact("claude", "claude --help"),
    exact("node", "node -v"),
    exact("node", "node --version"),
    exact("python", "python --version"),
    exact("python3", "python3 --version"),
    exact("ip", "ip addr"),
    // Flag-validated.
    flags("find", find_ok),
    flags("sed", sed_ok),
    flags("sort", sort_ok),
    flags("grep", accept),
    flags("egrep", accept),
    flags("fgrep", accept),
    flags("rg", rg_ok),
    flags("printf", printf_ok),
    flags("test", test_ok),
    flags("xargs", xargs_ok),
    flags("file", file_ok),
    flags("base64", base64_ok),
    flags("jq", jq_ok),
    flags("uniq", uniq_ok),
    flags("tree", tree_ok),
    flags("date", date_ok),
    flags("hostname", hostname_ok),
    flags("ps", accept),
    flags("pgrep", accept),
    flags("lsof", accept),
    flags("netstat", accept),
    flags("ss", ss_ok),
    flags("tput", accept),
    flags("man", man_ok),
    flags("help", man_ok),
    flags("sha256sum", accept),
    flags("sha1sum", accept),
    flags("md5sum", accept),
    flags("history", history_ok),
    flags("arch", no_arguments),
    flags("ifconfig", ifconfig_ok),
    flags("fd", fd_ok),
    flags("fdfind", fd_ok),
    flags("pyright", pyright_ok),
    // Subcommands.
    Entry {
        command: "git",
        kind: Kind::Subcommands(&GIT),
    },
    Entry {
        command: "gh",
        kind: Kind::Subcommands(&GH),
    },
    Entry {
        command: "docker",
        kind: Kind::Subcommands(&DOCKER),
    },
];

/// The read-only `git` subcommands.
pub const GIT: SubcommandSet = SubcommandSet {
    globals: git_globals,
    reject_anywhere: &[
        "--output",
        "--ext-diff",
        "--textconv",
        "--exec",
        "--exec-path",
        "--upload-pack",
        "--receive-pack",
        "--config-env",
        "--filters",
        "--open-files-in-pager",
    ],
    subs: &[
        sub("git status", &["status"], accept),
        sub("git log", &["log"], accept),
        sub("git diff", &["diff"], accept),
        sub("git show", &["show"], accept),
        sub("git blame", &["blame"], accept),
        sub("git branch", &["branch"], git_branch_ok),
        sub("git tag", &["tag"], git_tag_ok),
        sub("git remote", &["remote"], git_remote_ok),
        sub("git ls-files", &["ls-files"], accept),
        sub("git ls-remote", &["ls-remote"], git_ls_remote_ok),
        sub("git rev-parse", &["rev-parse"], accept),
        sub("git describe", &["describe"], accept),
        sub("git shortlog", &["shortlog"], accept),
        sub("git cat-file", &["cat-file"], accept),
        sub("git for-each-ref", &["for-each-ref"], accept),
        sub("git reflog", &["reflog"], git_reflog_ok),
        sub("git config", &["config"], git_config_ok),
        sub("git stash list", &["stash", "list"], accept),
        sub("git stash show", &["stash", "show"], accept),
        sub("git worktree list", &["worktree", "list"], accept),
        sub("git grep", &["grep"], git_grep_ok),
        sub("git merge-base", &["merge-base"], accept),
        sub("git rev-list", &["rev-list"], accept),
        sub("git show-ref", &["show-ref"], accept),
        sub("git name-rev", &["name-rev"], accept),
    ],
};

/// The read-only `gh` subcommands.
pub const GH: SubcommandSet = SubcommandSet {
    globals: gh_globals,
    reject_anywhere: &[],
    subs: &[
        sub("gh pr view", &["pr", "view"], accept),
        sub("gh pr list", &["pr", "list"], accept),
        sub("gh pr diff", &["pr", "diff"], accept),
        sub("gh pr checks", &["pr", "checks"], accept),
        sub("gh pr status", &["pr", "status"], accept),
        sub("gh issue view", &["issue", "view"], accept),
        sub("gh issue list", &["issue", "list"], accept),
        sub("gh issue status", &["issue", "status"], accept),
        sub("gh run view", &["run", "view"], accept),
        sub("gh run list", &["run", "list"], accept),
        sub("gh workflow list", &["workflow", "list"], accept),
        sub("gh workflow view", &["workflow", "view"], accept),
        sub("gh repo view", &["repo", "view"], accept),
        sub("gh release view", &["release", "view"], accept),
        sub("gh release list", &["release", "list"], accept),
        sub("gh auth status", &["auth", "status"], gh_auth_status_ok),
        sub("gh api", &["api"], gh_api_ok),
    ],
};

/// The read-only `docker` subcommands.
pub const DOCKER: SubcommandSet = SubcommandSet {
    globals: docker_globals,
    reject_anywhere: &["-H", "--host", "--context", "-c", "--url", "--connection"],
    subs: &[
        sub("docker ps", &["ps"], accept),
        sub("docker images", &["images"], accept),
        sub("docker logs", &["logs"], accept),
        sub("docker inspect", &["inspect"], accept),
    ],
};

/// If Claude Code itself runs this simple command without asking (its built-in read-only
/// set, with its flag validators), the table entry that allows it (e.g. "git log", "ls");
/// None otherwise. Opaque parts and parts with a non-/dev/null output redirect are never
/// read-only.
pub fn builtin_readonly(part: &SimpleCommand) -> Option<&'static str> {
    if part.opaque.is_some() {
        return None;
    }
    if part.redirects.iter().any(|r| r.target != "/dev/null") {
        return None;
    }
    if !part.env.iter().all(|(name, _)| is_safe_env_var(name)) {
        return None;
    }
    if part.argv.is_empty() {
        return (!part.env.is_empty()).then_some(SAFE_ASSIGNMENT);
    }
    // The table first: most commands are not on it, and the checks below re-read the text.
    let label = readonly_argv(&part.argv)?;
    let words = split_words(&part.text);
    if words.len() != part.argv.len() {
        return None;
    }
    let expands = words[1..].iter().any(|w| {
        let scan = scan_word(w);
        scan.has_glob || scan.has_expansion || scan.has_substitution
    });
    if expands && !takes_any_args(&part.argv[0]) {
        return None;
    }
    Some(label)
}

/// Is `command` a [`Kind::AnyArgs`] entry?
fn takes_any_args(command: &str) -> bool {
    READONLY_COMMANDS
        .iter()
        .any(|e| e.command == command && matches!(e.kind, Kind::AnyArgs))
}

/// The table lookup alone, on an argv whose words are already unquoted: the entry label if
/// the command and its arguments are on the built-in list. Does not check env assignments,
/// redirections, opacity or globs; [`builtin_readonly`] does.
pub fn readonly_argv(argv: &[String]) -> Option<&'static str> {
    let name = argv.first()?;
    let args = &argv[1..];
    for entry in READONLY_COMMANDS.iter().filter(|e| e.command == name) {
        let found = match entry.kind {
            Kind::AnyArgs => Some(entry.command),
            Kind::NoArgs => args.is_empty().then_some(entry.command),
            Kind::Exact(line) => (argv.join(" ") == line).then_some(line),
            Kind::Flags(check) => check(args).then_some(entry.command),
            Kind::Subcommands(set) => subcommand_label(set, args),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn subcommand_label(set: &SubcommandSet, args: &[String]) -> Option<&'static str> {
    if args
        .iter()
        .any(|a| set.reject_anywhere.iter().any(|r| rejected_option(a, r)))
    {
        return None;
    }
    let rest = &args[(set.globals)(args)?..];
    let sub = set
        .subs
        .iter()
        .find(|s| rest.len() >= s.path.len() && rest.iter().zip(s.path).all(|(a, p)| a == p))?;
    (sub.check)(&rest[sub.path.len()..]).then_some(sub.label)
}

/// Long option names that are real options although they abbreviate a rejected one.
const EXACT_SAFE_LONG: &[&str] = &["text", "filter"];

/// Does argument `arg` use the rejected option `option` (`--opt`, `--opt=v`, an unambiguous
/// GNU-style abbreviation `--op`, or `-X` with an attached value)?
fn rejected_option(arg: &str, option: &str) -> bool {
    if let Some(name) = option.strip_prefix("--") {
        let Some(given) = arg.strip_prefix("--") else {
            return false;
        };
        let given = given.split('=').next().unwrap_or(given);
        given == name
            || (given.len() >= 2 && name.starts_with(given) && !EXACT_SAFE_LONG.contains(&given))
    } else {
        arg == option || (arg.starts_with(option) && !arg.starts_with("--"))
    }
}

/// Is `given` (a long option name without `--`) `full` or a GNU abbreviation of it?
fn long_is(given: &str, full: &str) -> bool {
    !given.is_empty() && full.starts_with(given)
}

/// One parsed argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arg<'a> {
    Short(char, Option<&'a str>),
    Long(&'a str, Option<&'a str>),
    Pos(&'a str),
}

/// GNU-style argument parsing. `short_val`: short options taking a value (attached or next
/// word); `short_opt`: short options with an optional attached value; `long_val`: long
/// options taking a value (`--name=v` or `--name v`, abbreviations included).
fn parse_args<'a>(
    args: &'a [String],
    short_val: &str,
    short_opt: &str,
    long_val: &[&str],
) -> Vec<Arg<'a>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut only_positional = false;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        if only_positional || a == "-" || !a.starts_with('-') {
            out.push(Arg::Pos(a));
            continue;
        }
        if a == "--" {
            only_positional = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            if let Some((name, value)) = long.split_once('=') {
                out.push(Arg::Long(name, Some(value)));
            } else if long_val.iter().any(|l| long_is(long, l)) {
                out.push(Arg::Long(long, args.get(i).map(String::as_str)));
                i += 1;
            } else {
                out.push(Arg::Long(long, None));
            }
            continue;
        }
        let cluster = &a[1..];
        for (pos, c) in cluster.char_indices() {
            let rest = &cluster[pos + c.len_utf8()..];
            if short_val.contains(c) {
                if rest.is_empty() {
                    out.push(Arg::Short(c, args.get(i).map(String::as_str)));
                    i += 1;
                } else {
                    out.push(Arg::Short(c, Some(rest)));
                }
                break;
            }
            if short_opt.contains(c) {
                out.push(Arg::Short(c, (!rest.is_empty()).then_some(rest)));
                break;
            }
            out.push(Arg::Short(c, None));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Validators
// ---------------------------------------------------------------------------------------------

/// Every argument is fine.
fn accept(_: &[String]) -> bool {
    true
}

/// No argument at all.
fn no_arguments(args: &[String]) -> bool {
    args.is_empty()
}

/// `find` without actions that delete, execute or write files.
fn find_ok(args: &[String]) -> bool {
    const BLOCKED: &[&str] = &[
        "-delete",
        "-exec",
        "-execdir",
        "-ok",
        "-okdir",
        "-fls",
        "-files0-from",
    ];
    !args
        .iter()
        .any(|a| BLOCKED.contains(&a.as_str()) || a.starts_with("-fprint"))
}

/// `sed` without in-place editing, script files, or script commands that write files or run
/// commands (`w`, `W`, `e`, and the `w`/`e` flags of `s`).
fn sed_ok(args: &[String]) -> bool {
    let mut scripts: Vec<String> = Vec::new();
    let mut first_positional: Option<&str> = None;
    let mut only_positional = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        if only_positional || a == "-" || !a.starts_with('-') {
            first_positional.get_or_insert(a);
            continue;
        }
        if a == "--" {
            only_positional = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            if long_is(name, "in-place") || long_is(name, "file") {
                return false;
            }
            if long_is(name, "expression") || long_is(name, "line-length") {
                let value = match value {
                    Some(v) => v.to_string(),
                    None => {
                        let Some(v) = args.get(i) else {
                            return false;
                        };
                        i += 1;
                        v.clone()
                    }
                };
                if long_is(name, "expression") {
                    scripts.push(value);
                }
                continue;
            }
            const HARMLESS: &[&str] = &[
                "quiet",
                "silent",
                "regexp-extended",
                "separate",
                "unbuffered",
                "null-data",
                "zero-terminated",
                "posix",
                "debug",
                "sandbox",
                "binary",
                "follow-symlinks",
                "help",
                "version",
            ];
            if HARMLESS.iter().any(|o| long_is(name, o)) {
                continue;
            }
            return false;
        }
        let cluster: Vec<char> = a[1..].chars().collect();
        for (j, &c) in cluster.iter().enumerate() {
            match c {
                'n' | 'E' | 'r' | 's' | 'u' | 'z' | 'b' => {}
                'e' | 'l' => {
                    let rest: String = cluster[j + 1..].iter().collect();
                    let value = if rest.is_empty() {
                        let Some(v) = args.get(i) else {
                            return false;
                        };
                        i += 1;
                        v.clone()
                    } else {
                        rest
                    };
                    if c == 'e' {
                        scripts.push(value);
                    }
                    break;
                }
                _ => return false, // -i (in place), -f (script file), unknown
            }
        }
    }
    if scripts.is_empty() {
        match first_positional {
            Some(script) => scripts.push(script.to_string()),
            None => return false,
        }
    }
    scripts.iter().all(|s| sed_script_ok(s))
}

/// Parses a sed script and accepts it only if no command writes a file or runs a command.
/// Anything it does not understand is rejected.
pub fn sed_script_ok(script: &str) -> bool {
    let c: Vec<char> = script.chars().collect();
    let n = c.len();
    let skip_blanks = |i: &mut usize| {
        while *i < n && (c[*i] == ' ' || c[*i] == '\t') {
            *i += 1;
        }
    };
    let mut i = 0;
    loop {
        while i < n && (c[i].is_whitespace() || c[i] == ';') {
            i += 1;
        }
        if i >= n {
            return true;
        }
        let Some(j) = sed_address(&c, i, false) else {
            return false;
        };
        i = j;
        skip_blanks(&mut i);
        if i < n && c[i] == ',' {
            i += 1;
            skip_blanks(&mut i);
            match sed_address(&c, i, true) {
                Some(j) if j > i => i = j,
                _ => return false,
            }
            skip_blanks(&mut i);
        }
        while i < n && c[i] == '!' {
            i += 1;
            skip_blanks(&mut i);
        }
        let Some(&command) = c.get(i) else {
            return false;
        };
        i += 1;
        match command {
            '{' | '}' | '=' | 'd' | 'D' | 'g' | 'G' | 'h' | 'H' | 'n' | 'N' | 'p' | 'P' | 'x'
            | 'z' | 'F' => {}
            'l' | 'L' | 'q' | 'Q' => {
                skip_blanks(&mut i);
                while i < n && c[i].is_ascii_digit() {
                    i += 1;
                }
            }
            'b' | 't' | 'T' | ':' | 'v' => {
                while i < n && c[i] != ';' && c[i] != '\n' {
                    i += 1;
                }
            }
            '#' => {
                while i < n && c[i] != '\n' {
                    i += 1;
                }
            }
            // Text to print, or a file to read: runs to the end of the line.
            'a' | 'i' | 'c' | 'r' | 'R' => {
                while i < n && c[i] != '\n' {
                    i += if c[i] == '\\' { 2 } else { 1 };
                }
            }
            's' | 'y' => {
                let Some(&delim) = c.get(i) else {
                    return false;
                };
                if delim == '\\' || delim == '\n' {
                    return false;
                }
                let Some(j) = sed_delimited(&c, i + 1, delim) else {
                    return false;
                };
                let Some(j) = sed_delimited(&c, j, delim) else {
                    return false;
                };
                i = j;
                if command == 's' {
                    while i < n && !matches!(c[i], ';' | '\n' | '}' | ' ' | '\t' | '#') {
                        if !matches!(c[i], 'g' | 'p' | 'i' | 'I' | 'm' | 'M' | '0'..='9') {
                            return false; // `w FILE`, `e` and unknown flags
                        }
                        i += 1;
                    }
                }
            }
            _ => return false, // `w`, `W`, `e` and unknown commands
        }
        skip_blanks(&mut i);
        if i < n && !matches!(c[i], ';' | '\n' | '}' | '#') {
            return false;
        }
    }
}

/// Skips a sed address at `i` (none is fine); `None` if it is malformed.
fn sed_address(c: &[char], i: usize, second: bool) -> Option<usize> {
    let n = c.len();
    let digits = |mut j: usize| {
        while j < n && c[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let flags = |mut j: usize| {
        while j < n && matches!(c[j], 'I' | 'M') {
            j += 1;
        }
        j
    };
    match c.get(i) {
        Some(d) if d.is_ascii_digit() => {
            let j = digits(i);
            if c.get(j) == Some(&'~') {
                Some(digits(j + 1))
            } else {
                Some(j)
            }
        }
        Some('+') | Some('~') if second => Some(digits(i + 1)),
        Some('$') => Some(i + 1),
        Some('/') => sed_delimited(c, i + 1, '/').map(flags),
        Some('\\') => {
            let delim = *c.get(i + 1)?;
            sed_delimited(c, i + 2, delim).map(flags)
        }
        _ => Some(i),
    }
}

/// Index after the next unescaped `delim` from `i`.
fn sed_delimited(c: &[char], mut i: usize, delim: char) -> Option<usize> {
    while i < c.len() {
        if c[i] == '\\' {
            i += 2;
            continue;
        }
        if c[i] == delim {
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// `sort` without `-o`/`--output` or `--compress-program`.
fn sort_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "ktSTo",
        "",
        &[
            "key",
            "field-separator",
            "buffer-size",
            "temporary-directory",
            "output",
            "compress-program",
            "random-source",
            "files0-from",
            "parallel",
            "batch-size",
        ],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('o', _) => false,
        Arg::Long(name, _) => !long_is(name, "output") && !long_is(name, "compress-program"),
        _ => true,
    })
}

/// `rg` without `--pre`, `--hostname-bin` or `-z`/`--search-zip` (they run programs).
fn rg_ok(args: &[String]) -> bool {
    parse_args(args, "ABCdEefgjMmrTt", "", &["pre", "hostname-bin"])
        .iter()
        .all(|a| match a {
            Arg::Short('z', _) => false,
            Arg::Long(name, _) => !matches!(*name, "pre" | "hostname-bin" | "search-zip"),
            _ => true,
        })
}

/// `printf` with no option (`-v` assigns a variable).
fn printf_ok(args: &[String]) -> bool {
    args.first().is_none_or(|a| !a.starts_with('-'))
}

/// `test` without `-v`, `-R`, `-a` or `-o`.
fn test_ok(args: &[String]) -> bool {
    !args
        .iter()
        .any(|a| matches!(a.as_str(), "-v" | "-R" | "-a" | "-o"))
}

/// `xargs` with known options, running a command that is itself read-only (or `echo` by
/// default).
fn xargs_ok(args: &[String]) -> bool {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        if let Some(long) = a.strip_prefix("--") {
            let (name, has_value) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            match name {
                "null" | "no-run-if-empty" | "verbose" | "interactive" | "exit" | "open-tty"
                | "show-limits" | "replace" | "eof" | "max-lines" => {}
                "max-args" | "max-procs" | "max-chars" | "delimiter" | "arg-file"
                | "process-slot-var" => {
                    if !has_value {
                        i += 1;
                    }
                }
                _ => return false,
            }
            continue;
        }
        let cluster = &a[1..];
        for (pos, c) in cluster.char_indices() {
            let attached = pos + c.len_utf8() < cluster.len();
            match c {
                '0' | 'r' | 't' | 'p' | 'x' | 'o' => {}
                'n' | 'L' | 'P' | 's' | 'd' | 'E' | 'I' | 'a' => {
                    if !attached {
                        i += 1;
                    }
                    break;
                }
                'i' | 'l' | 'e' => break,
                _ => return false,
            }
        }
    }
    let inner = args.get(i..).unwrap_or(&[]);
    inner.is_empty() || readonly_argv(inner).is_some()
}

/// `file` without `-m`/`--magic-file`, `-f`/`--files-from` or `-C`/`--compile`.
fn file_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "eFfmP",
        "",
        &[
            "exclude",
            "exclude-quiet",
            "separator",
            "files-from",
            "magic-file",
            "parameter",
        ],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('m' | 'f' | 'C', _) => false,
        Arg::Long(name, _) => {
            !long_is(name, "magic-file")
                && !long_is(name, "files-from")
                && !long_is(name, "compile")
        }
        _ => true,
    })
}

/// `base64` without `-o`/`--output`.
fn base64_ok(args: &[String]) -> bool {
    parse_args(args, "wbio", "", &["wrap", "input", "output"])
        .iter()
        .all(|a| match a {
            Arg::Short('o', _) => false,
            Arg::Long(name, _) => !long_is(name, "output"),
            _ => true,
        })
}

/// `jq` without options that read a filter or data from other files (`-f`/`--from-file`,
/// `--rawfile`, `--slurpfile`, `-L`/`--library-path`).
fn jq_ok(args: &[String]) -> bool {
    parse_args(args, "fL", "", &["from-file", "library-path", "indent"])
        .iter()
        .all(|a| match a {
            Arg::Short('f' | 'L', _) => false,
            Arg::Long(name, _) => !matches!(
                *name,
                "from-file" | "rawfile" | "slurpfile" | "library-path"
            ),
            _ => true,
        })
}

/// `uniq` with at most one file (a second one is the output file).
fn uniq_ok(args: &[String]) -> bool {
    let parsed = parse_args(
        args,
        "fsw",
        "",
        &["skip-fields", "skip-chars", "check-chars"],
    );
    let files = parsed
        .iter()
        .filter(|a| match a {
            Arg::Pos(p) => {
                !(p.starts_with('+') && p.len() > 1 && p[1..].chars().all(|c| c.is_ascii_digit()))
            }
            _ => false,
        })
        .count();
    files <= 1
}

/// `tree` without `-o FILE` (and without `-R`, which writes HTML files together with `-H`).
fn tree_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "LPIHTo",
        "",
        &[
            "charset",
            "filelimit",
            "timefmt",
            "sort",
            "hintro",
            "houtro",
        ],
    )
    .iter()
    .all(|a| !matches!(a, Arg::Short('o' | 'R', _) | Arg::Long("output", _)))
}

/// `date` without `-s`/`--set` or a positional date to set.
fn date_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "dfrs",
        "I",
        &["date", "file", "reference", "set", "rfc-3339"],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('s', _) => false,
        Arg::Long(name, _) => !long_is(name, "set"),
        Arg::Pos(p) => p.starts_with('+'),
        _ => true,
    })
}

/// `hostname` displaying names only (no name to set, no `-F`/`-b`).
fn hostname_ok(args: &[String]) -> bool {
    const DISPLAY: &[&str] = &[
        "-a",
        "-A",
        "-d",
        "-f",
        "-i",
        "-I",
        "-s",
        "-y",
        "--alias",
        "--all-fqdns",
        "--domain",
        "--fqdn",
        "--long",
        "--ip-address",
        "--all-ip-addresses",
        "--short",
        "--yp",
        "--nis",
    ];
    args.iter().all(|a| DISPLAY.contains(&a.as_str()))
}

/// `ss` without `-K`/`--kill` (closes sockets) or `-D`/`--diag` (writes a file).
fn ss_ok(args: &[String]) -> bool {
    parse_args(args, "fAFD", "", &["family", "query", "filter", "diag"])
        .iter()
        .all(|a| match a {
            Arg::Short('K' | 'D', _) => false,
            Arg::Long(name, _) => !long_is(name, "kill") && !long_is(name, "diag"),
            _ => true,
        })
}

/// `man`/`help` without a pager or viewer option (`-P`/`--pager`, `-H`/`--html`,
/// `-X`/`--gxditview`) or another configuration file (`-C`).
fn man_ok(args: &[String]) -> bool {
    parse_args(
        args,
        "LmMpeERSsTrCP",
        "HX",
        &[
            "pager",
            "config-file",
            "locale",
            "systems",
            "manpath",
            "sections",
            "encoding",
        ],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('P' | 'H' | 'X' | 'C', _) => false,
        Arg::Long(name, _) => !["pager", "html", "gxditview", "config-file"]
            .iter()
            .any(|o| long_is(name, o)),
        _ => true,
    })
}

/// `history`, `history N` or `history -p ...` (never clearing, deleting, reading or
/// writing the history file).
fn history_ok(args: &[String]) -> bool {
    match args {
        [] => true,
        [n] => n.chars().all(|c| c.is_ascii_digit()),
        [first, ..] => first == "-p",
    }
}

/// `ifconfig` listing, with at most an interface name.
fn ifconfig_ok(args: &[String]) -> bool {
    const LISTING: &[&str] = &["-a", "-s", "-l", "-v", "-L", "-u", "-d", "-m"];
    let positionals = args.iter().filter(|a| !a.starts_with('-')).count();
    positionals <= 1
        && args
            .iter()
            .all(|a| !a.starts_with('-') || LISTING.contains(&a.as_str()))
}

/// `fd`/`fdfind` without `-x`/`--exec` or `-X`/`--exec-batch`.
fn fd_ok(args: &[String]) -> bool {
    parse_args(args, "deEtcjSoxX", "", &["exec", "exec-batch"])
        .iter()
        .all(|a| {
            !matches!(
                a,
                Arg::Short('x' | 'X', _) | Arg::Long("exec" | "exec-batch", _)
            )
        })
}

/// `pyright --version` or `pyright --help` only.
fn pyright_ok(args: &[String]) -> bool {
    matches!(args, [a] if a == "--version" || a == "--help")
}

// ---- git ----

/// Skips `git` options allowed before a read-only subcommand (`-C`, `--git-dir`,
/// `--no-pager`, ...: those of [`GIT_GLOBAL_OPTIONS`](crate::facts::git::GIT_GLOBAL_OPTIONS)
/// marked `readonly_check`).
/// Configuration overrides (`-c`, `--config-env`, `--exec-path`) and a forced pager
/// (`-p`/`--paginate`) are refused: they can run programs.
fn git_globals(args: &[String]) -> Option<usize> {
    let mut i = 0;
    loop {
        let a = args.get(i)?;
        if !a.starts_with('-') {
            return Some(i);
        }
        let (option, width) = git_global_option(a)?;
        if !option.readonly_check {
            return None;
        }
        if width == 2 {
            args.get(i + 1)?;
        }
        i += width;
    }
}

/// `git branch` listing forms only: no branch name to create (unless `--list` makes the
/// names patterns) and no delete, move, copy, force or upstream options.
fn git_branch_ok(args: &[String]) -> bool {
    let mut listing = false;
    let mut positional = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "--" => {
                positional |= i < args.len();
                break;
            }
            "--list" => listing = true,
            "--all" | "--remotes" | "--verbose" | "--show-current" | "--no-color" | "--color"
            | "--no-column" | "--column" | "--ignore-case" | "--no-abbrev" | "--quiet"
            | "--omit-empty" => {}
            "--contains" | "--no-contains" | "--merged" | "--no-merged" => {
                if args.get(i).is_some_and(|v| !v.starts_with('-')) {
                    i += 1;
                }
            }
            "--points-at" | "--format" | "--sort" => i += 1,
            _ if [
                "--format=",
                "--sort=",
                "--contains=",
                "--no-contains=",
                "--merged=",
                "--no-merged=",
                "--points-at=",
                "--color=",
                "--column=",
                "--abbrev=",
            ]
            .iter()
            .any(|p| a.starts_with(p)) => {}
            _ if a.starts_with("--") => return false,
            _ if a.starts_with('-') && a.len() > 1 => {
                if !a[1..].chars().all(|c| "arvlqi".contains(c)) {
                    return false;
                }
                listing |= a.contains('l');
            }
            _ => positional = true,
        }
    }
    !positional || listing
}

/// `git tag` listing forms only: bare, `-l`/`--list` (names are then patterns), `-n`.
fn git_tag_ok(args: &[String]) -> bool {
    let mut listing = false;
    let mut positional = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "--" => {
                positional |= i < args.len();
                break;
            }
            "-l" | "--list" => listing = true,
            "-i" | "--ignore-case" | "--no-column" | "--column" | "--color" | "--omit-empty" => {}
            "--contains" | "--no-contains" | "--merged" | "--no-merged" => {
                if args.get(i).is_some_and(|v| !v.starts_with('-')) {
                    i += 1;
                }
            }
            "--points-at" | "--format" | "--sort" => i += 1,
            _ if a.starts_with("-n") && a[2..].chars().all(|c| c.is_ascii_digit()) => {
                listing = true
            }
            _ if [
                "--format=",
                "--sort=",
                "--contains=",
                "--no-contains=",
                "--merged=",
                "--no-merged=",
                "--points-at=",
                "--color=",
                "--column=",
            ]
            .iter()
            .any(|p| a.starts_with(p)) => {}
            _ if a.starts_with('-') && a.len() > 1 => return false,
            _ => positional = true,
        }
    }
    !positional || listing
}

/// `git remote` listing: bare, `-v`, `show [-n] [name...]`, `get-url [--push|--all] name`.
fn git_remote_ok(args: &[String]) -> bool {
    let mut i = 0;
    while args.get(i).is_some_and(|a| a == "-v" || a == "--verbose") {
        i += 1;
    }
    let rest = args.get(i + 1..).unwrap_or(&[]);
    match args.get(i).map(String::as_str) {
        None => true,
        Some("show") => rest.iter().all(|a| !a.starts_with('-') || a == "-n"),
        Some("get-url") => {
            rest.iter()
                .all(|a| !a.starts_with('-') || a == "--push" || a == "--all")
                && rest.iter().filter(|a| !a.starts_with('-')).count() <= 1
        }
        Some(_) => false,
    }
}

/// `git ls-remote` without an `ext::` transport (which runs a command).
fn git_ls_remote_ok(args: &[String]) -> bool {
    !args.iter().any(|a| a.starts_with("ext::"))
}

/// `git reflog` without `expire`, `delete` or `drop`.
fn git_reflog_ok(args: &[String]) -> bool {
    !matches!(
        args.iter()
            .find(|a| !a.starts_with('-'))
            .map(String::as_str),
        Some("expire" | "delete" | "drop")
    )
}

/// `git config` reading only: `--get`, `--get-all`, `--get-regexp`, `--list`/`-l` (and the
/// newer `git config get`/`git config list`), with scope and format options.
fn git_config_ok(args: &[String]) -> bool {
    const ACTIONS: &[&str] = &[
        "--get",
        "--get-all",
        "--get-regexp",
        "--get-urlmatch",
        "--get-color",
        "--get-colorbool",
        "--list",
        "-l",
    ];
    const MODIFIERS: &[&str] = &[
        "--global",
        "--system",
        "--local",
        "--worktree",
        "--show-origin",
        "--show-scope",
        "--null",
        "-z",
        "--name-only",
        "--bool",
        "--int",
        "--bool-or-int",
        "--path",
        "--expiry-date",
        "--includes",
        "--no-includes",
        "--fixed-value",
        "--all",
        "--regexp",
    ];
    const WITH_VALUE: &[&str] = &[
        "--file",
        "-f",
        "--blob",
        "--type",
        "--default",
        "--url",
        "--value",
    ];
    let (mut has_action, rest) = match args.first().map(String::as_str) {
        Some("get" | "list") => (true, &args[1..]),
        _ => (false, args),
    };
    let mut i = 0;
    while let Some(a) = rest.get(i) {
        i += 1;
        if !a.starts_with('-') {
            continue;
        }
        let name = a.split('=').next().unwrap_or(a);
        if ACTIONS.contains(&name) {
            has_action = true;
        } else if WITH_VALUE.contains(&name) {
            if !a.contains('=') {
                i += 1;
            }
        } else if !MODIFIERS.contains(&name) {
            return false;
        }
    }
    has_action
}

/// `git grep` without `-O`/`--open-files-in-pager` (runs a pager program).
fn git_grep_ok(args: &[String]) -> bool {
    !args
        .iter()
        .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('O'))
}

// ---- gh ----

/// `gh` takes its subcommand first.
fn gh_globals(args: &[String]) -> Option<usize> {
    (!args.first()?.starts_with('-')).then_some(0)
}

/// `gh auth status` without `-t`/`--show-token` (would print the token).
fn gh_auth_status_ok(args: &[String]) -> bool {
    !args.iter().any(|a| {
        a == "--show-token" || (a.starts_with('-') && !a.starts_with("--") && a.contains('t'))
    })
}

/// `gh api` as a plain GET: no `-X`/`--method` other than GET, no fields or input body
/// (`-f`, `-F`, `--field`, `--raw-field`, `--input`), no method-override header.
fn gh_api_ok(args: &[String]) -> bool {
    let method_ok = |v: Option<&str>| v.is_some_and(|m| m.eq_ignore_ascii_case("GET"));
    let header_ok =
        |v: Option<&str>| v.is_some_and(|h| !h.to_ascii_lowercase().contains("override"));
    parse_args(
        args,
        "XfFHpqt",
        "",
        &[
            "method",
            "field",
            "raw-field",
            "input",
            "header",
            "hostname",
            "jq",
            "template",
            "cache",
            "preview",
        ],
    )
    .iter()
    .all(|a| match a {
        Arg::Short('X', v) | Arg::Long("method", v) => method_ok(*v),
        Arg::Short('f' | 'F', _) | Arg::Long("field" | "raw-field" | "input", _) => false,
        Arg::Short('H', v) | Arg::Long("header", v) => header_ok(*v),
        _ => true,
    })
}

// ---- docker ----

/// Skips the `docker` options allowed before a read-only subcommand (`-D`, `--debug`,
/// `-l`/`--log-level`); anything else there (`-H`, `--context`, `--config`, ...) refuses.
fn docker_globals(args: &[String]) -> Option<usize> {
    let mut i = 0;
    loop {
        let a = args.get(i)?;
        if !a.starts_with('-') {
            return Some(i);
        }
        match a.as_str() {
            "-D" | "--debug" => i += 1,
            "-l" | "--log-level" => i += 2,
            _ if a.starts_with("--log-level=") => i += 1,
            _ => return None,
        }
    }
}

/// For a command whose parts are each read-only, a reason the whole still prompts in
/// Claude Code (`cd <other dir>` combined with `git`; `cd` combined with an output redirect
/// whose target depends on the new folder, `/dev/null` excepted), else None.
///
/// A `cd .` (or `cd ./`) is a no-op and triggers neither case. Any `git` part counts,
/// before or after the `cd`, and any redirect target other than `/dev/null` counts, even an
/// absolute one (the conservative reading).
pub fn compound_readonly_exception(analysis: &ShellAnalysis) -> Option<&'static str> {
    let changes_dir = |p: &SimpleCommand| {
        p.argv.first().is_some_and(|c| c == "cd")
            && !matches!(&p.argv[1..], [d] if d == "." || d == "./")
    };
    if !analysis.parts.iter().any(changes_dir) {
        return None;
    }
    if analysis
        .parts
        .iter()
        .any(|p| p.argv.first().is_some_and(|c| c == "git"))
    {
        return Some(
            "cd into another folder combined with git: that folder's git hooks or config could run",
        );
    }
    if analysis
        .parts
        .iter()
        .any(|p| p.redirects.iter().any(|r| r.target != "/dev/null"))
    {
        return Some(
            "cd combined with an output redirection: the target depends on the new folder",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::shell::analyze;

    /// The read-only label of a one-part command.
    fn label(command: &str) -> Option<&'static str> {
        let analysis = analyze(command);
        assert_eq!(
            analysis.parts.len(),
            1,
            "{command:?} should be one part: {analysis:#?}"
        );
        builtin_readonly(&analysis.parts[0])
    }

    #[test]
    fn required_cases() {
        let cases: &[(&str, Option<&str>)] = &[
            ("git status", Some("git status")),
            ("git log --oneline -20", Some("git log")),
            ("gh pr view 12", Some("gh pr view")),
            ("ls -la", Some("ls")),
            ("cat README.md", Some("cat")),
            ("find . -name '*.rs'", Some("find")),
            ("sed -n 1,5p f", Some("sed")),
            ("rg foo", Some("rg")),
            ("grep -r x .", Some("grep")),
            ("wc -l a b", Some("wc")),
            ("git -C /x status", Some("git status")),
            ("docker ps", Some("docker ps")),
            ("kubectl get pods", None),
            ("find . -delete", None),
            ("find . -exec rm {} \\;", None),
            ("sed -i s/a/b/ f", None),
            ("git log --output=x", None),
            ("git branch newbranch", None),
            ("git branch -D x", None),
            ("git push", None),
            ("git fetch", None),
            ("gh api -X POST repos/x", None),
            ("rg --pre cat x", None),
            ("sort -o out in", None),
            ("echo hi > file", None),
            ("FOO=1 ls", None),
            ("PATH=/tmp ls", None),
            ("npm test", None),
            ("python -c 'x'", None),
            ("curl example.com", None),
            ("rm -rf build", None),
            ("docker -H tcp://x ps", None),
        ];
        for (command, expected) in cases {
            assert_eq!(label(command), *expected, "{command:?}");
        }
        let a = analyze("ls $(whoami)");
        assert!(a.parts.iter().all(|p| builtin_readonly(p).is_none()));
        let a = analyze("bash -c 'ls'");
        assert!(a.parts.iter().all(|p| builtin_readonly(p).is_none()));
        let a = analyze("find . -exec rm {} ;");
        assert_eq!(builtin_readonly(&a.parts[0]), None);
    }

    #[test]
    fn kinds_and_part_rules() {
        let cases: &[(&str, Option<&str>)] = &[
            ("ls *.ts", Some("ls")),
            ("cat $FILE", Some("cat")),
            ("wc -l src/*.rs", Some("wc")),
            ("echo hi 2>/dev/null", Some("echo")),
            ("echo hi > /dev/null 2>&1", Some("echo")),
            ("echo hi >> log", None),
            ("LANG=C ls", Some("ls")),
            ("LC_ALL=C TZ=UTC date", Some("date")),
            ("NODE_OPTIONS=x ls", None),
            ("LANG=C", Some(SAFE_ASSIGNMENT)),
            ("PATH=/x", None),
            ("timeout 5 git log", Some("git log")),
            ("nice -n 5 cat x", Some("cat")),
            ("xargs grep foo", Some("grep")),
            ("xargs rm", None),
            ("sudo ls", None),
            ("pwd", Some("pwd")),
            ("pwd -P", None),
            ("whoami", Some("whoami")),
            ("alias", Some("alias")),
            ("alias ls='rm -rf'", None),
            ("claude --help", Some("claude --help")),
            ("claude -h", Some("claude -h")),
            ("claude -p hi", None),
            ("node --version", Some("node --version")),
            ("node -v", Some("node -v")),
            ("node script.js", None),
            ("python --version", Some("python --version")),
            ("python3 --version", Some("python3 --version")),
            ("python3 -V", None),
            ("ip addr", Some("ip addr")),
            ("ip link set eth0 down", None),
            ("cd src", Some("cd")),
            ("(ls)", None),
            ("lsof -i :8080", Some("lsof")),
            ("ps aux", Some("ps")),
            ("pgrep -f node", Some("pgrep")),
            ("netstat -an", Some("netstat")),
            ("tput cols", Some("tput")),
            ("sha256sum -c sums.txt", Some("sha256sum")),
            ("md5sum f", Some("md5sum")),
            ("arch", Some("arch")),
            ("arch -x86_64 make", None),
            ("pyright --version", Some("pyright")),
            ("pyright src", None),
            ("getconf PAGE_SIZE", None),
            ("awk '{print}' f", None),
            ("/bin/ls", None),
        ];
        for (command, expected) in cases {
            assert_eq!(label(command), *expected, "{command:?}");
        }
    }

    #[test]
    fn flag_validators() {
        let cases: &[(&str, bool)] = &[
            // find
            ("find . -type f -name x", true),
            ("find . -name *.rs", false),
            ("find . -execdir ls ;", false),
            ("find . -ok rm {} \\;", false),
            ("find . -fprint out", false),
            ("find . -fprintf out %p", false),
            ("find . -fls out", false),
            ("find . -files0-from list", false),
            ("find . \\-delete", false),
            ("find . '-delete'", false),
            ("find . $ACTION", false),
            ("find . -name '-delete'", false),
            // sed
            ("sed 's/a/b/g' f", true),
            ("sed -n '/start/,/end/p' f", true),
            ("sed -E 's/(a|b)+/X/2g;s/x/y/' f", true),
            ("sed -e 's/a/b/' -e '1d' f", true),
            ("sed --expression='$!N;P;D' f", true),
            ("sed 10q f", true),
            ("sed -n '1~2p' f", true),
            ("sed '$a done; w /etc/x' f", true),
            ("sed 'y/abc/xyz/' f", true),
            ("sed '1!G;h;$!d' f", true),
            ("sed -i.bak s/a/b/ f", false),
            ("sed -ni p f", false),
            ("sed --in-place s/a/b/ f", false),
            ("sed --in-pl s/a/b/ f", false),
            ("sed -f script.sed f", false),
            ("sed 's/a/b/w out' f", false),
            ("sed 's/a/b/e' f", false),
            ("sed '1e id' f", false),
            ("sed 'w out' f", false),
            ("sed '/x/W out' f", false),
            ("sed -e p -e 'w x' f", false),
            ("sed -n p *.txt", false),
            ("sed", false),
            // sort
            ("sort -n f", true),
            ("sort -k 2 -t , f", true),
            ("sort -o out in", false),
            ("sort -no out in", false),
            ("sort --output=out in", false),
            ("sort --out=out in", false),
            ("sort --compress-program=gzip f", false),
            ("sort -k o f", true),
            // grep / rg
            ("grep -rn 'fn main' src", true),
            ("egrep 'a|b' f", true),
            ("fgrep x f", true),
            ("grep x *.rs", false),
            ("rg -n foo src", true),
            ("rg -g '*.rs' foo", true),
            ("rg --pre-glob '*.pdf' foo", true),
            ("rg --pre=cat foo", false),
            ("rg --hostname-bin=x foo", false),
            ("rg -z foo", false),
            ("rg -iz foo", false),
            ("rg --search-zip foo", false),
            ("rg -e z foo", true),
            // printf / test
            ("printf '%s\\n' a", true),
            ("printf -v x '%s' a", false),
            ("test -f x", true),
            ("test -v x", false),
            ("test -R x", false),
            ("test a -a b", false),
            ("test a -o b", false),
            // xargs
            ("xargs -n1 grep foo", true),
            ("xargs -0 -I{} cat {}", true),
            ("xargs -n 1 wc -l", true),
            ("xargs --null ls", true),
            ("xargs -0", true),
            ("xargs -n1 rm", false),
            ("xargs -0 sed -i s/a/b/", false),
            ("xargs -n1 sh -c 'ls'", false),
            ("xargs --frob ls", false),
            // file / base64 / jq
            ("file x.bin", true),
            ("file -b --mime-type x", true),
            ("file -m magic x", false),
            ("file --magic-file=m x", false),
            ("file -f list", false),
            ("file --files-from list", false),
            ("file -C -m m", false),
            ("base64 -d x", true),
            ("base64 -o out x", false),
            ("base64 --output=out x", false),
            ("jq '.a' f.json", true),
            ("jq -r '.[] | .name' f", true),
            ("jq --arg x 1 '.a' f", true),
            ("jq -f prog.jq f", false),
            ("jq --from-file prog.jq f", false),
            ("jq --rawfile a b . f", false),
            ("jq --slurpfile a b . f", false),
            // uniq / tree / date / hostname
            ("uniq f", true),
            ("uniq -c f", true),
            ("uniq -f 2 f", true),
            ("uniq f out", false),
            ("uniq -c f out", false),
            ("tree -L 2 src", true),
            ("tree -I node_modules", true),
            ("tree -o out.txt", false),
            ("tree -aRH . -o x", false),
            ("date +%F", true),
            ("date -u -d yesterday +%s", true),
            ("date -Iseconds", true),
            ("date -s '2020-01-01'", false),
            ("date --set=x", false),
            ("date 010112002020", false),
            ("hostname", true),
            ("hostname -f", true),
            ("hostname newname", false),
            ("hostname -F file", false),
            // ss / man / help / history / ifconfig / fd
            ("ss -tlnp", true),
            ("ss -K dst 1.2.3.4", false),
            ("ss -D out", false),
            ("man ls", true),
            ("man 5 crontab", true),
            ("man -P cat ls", false),
            ("man --pager=cat ls", false),
            ("man -Hfirefox ls", false),
            ("man --html ls", false),
            ("help cd", true),
            ("history", true),
            ("history 20", true),
            ("history -c", false),
            ("history -d 5", false),
            ("history -w f", false),
            ("history -a", false),
            ("ifconfig", true),
            ("ifconfig -a", true),
            ("ifconfig eth0", true),
            ("ifconfig eth0 down", false),
            ("ifconfig eth0 10.0.0.1", false),
            ("fd -e rs", true),
            ("fdfind foo src", true),
            ("fd -x rm", false),
            ("fd -X rm", false),
            ("fd --exec rm", false),
            ("fd --exec-batch rm", false),
        ];
        for (command, expected) in cases {
            assert_eq!(label(command).is_some(), *expected, "{command:?}");
        }
    }

    #[test]
    fn git_gh_docker() {
        let cases: &[(&str, Option<&str>)] = &[
            ("git diff HEAD~1 -- src", Some("git diff")),
            ("git show --stat HEAD", Some("git show")),
            ("git --no-pager log -p", Some("git log")),
            ("git --git-dir=/x/.git log", Some("git log")),
            ("git -c core.pager=evil log", None),
            ("git --config-env=core.pager=X log", None),
            ("git -p log", None),
            ("git --paginate log", None),
            ("git --exec-path=/tmp status", None),
            ("git log --ext-diff", None),
            ("git diff --ext", None),
            ("git log --textconv", None),
            ("git diff --text", Some("git diff")),
            ("git log --output-indicator-new=+", Some("git log")),
            ("git diff --out=x", None),
            ("git log -- '*.rs'", Some("git log")),
            ("git log -- *.rs", None),
            ("git log $REV", None),
            ("git blame -L 1,5 f", Some("git blame")),
            ("git branch", Some("git branch")),
            ("git branch -a -v", Some("git branch")),
            ("git branch -vv", Some("git branch")),
            ("git branch --show-current", Some("git branch")),
            ("git branch --contains abc123", Some("git branch")),
            ("git branch --list 'feat/*'", Some("git branch")),
            ("git branch -d x", None),
            ("git branch -m a b", None),
            ("git branch -M a b", None),
            ("git branch -c a b", None),
            ("git branch -C a b", None),
            ("git branch --delete x", None),
            ("git branch --move a b", None),
            ("git branch --copy a b", None),
            ("git branch --force x", None),
            ("git branch --set-upstream-to=o/m", None),
            ("git branch --unset-upstream", None),
            ("git branch --edit-description", None),
            ("git tag", Some("git tag")),
            ("git tag -l", Some("git tag")),
            ("git tag --list 'v1.*'", Some("git tag")),
            ("git tag -n5", Some("git tag")),
            ("git tag v1.0", None),
            ("git tag -a v1 -m x", None),
            ("git tag -d v1", None),
            ("git remote", Some("git remote")),
            ("git remote -v", Some("git remote")),
            ("git remote show origin", Some("git remote")),
            ("git remote get-url origin", Some("git remote")),
            ("git remote add x y", None),
            ("git remote remove x", None),
            ("git remote set-url origin x", None),
            ("git ls-files -m", Some("git ls-files")),
            ("git ls-remote origin", Some("git ls-remote")),
            ("git ls-remote --upload-pack=evil origin", None),
            ("git ls-remote 'ext::sh -c id'", None),
            ("git rev-parse --show-toplevel", Some("git rev-parse")),
            ("git describe --tags", Some("git describe")),
            ("git shortlog -sn", Some("git shortlog")),
            ("git cat-file -p HEAD", Some("git cat-file")),
            ("git cat-file --filters HEAD:f", None),
            ("git for-each-ref refs/heads", Some("git for-each-ref")),
            ("git reflog", Some("git reflog")),
            ("git reflog show main", Some("git reflog")),
            ("git reflog expire --all", None),
            ("git reflog delete HEAD@{1}", None),
            ("git config --get user.name", Some("git config")),
            (
                "git config --get-all remote.origin.fetch",
                Some("git config"),
            ),
            ("git config --get-regexp '^alias'", Some("git config")),
            ("git config --list", Some("git config")),
            ("git config -l --show-origin", Some("git config")),
            ("git config --global --get user.email", Some("git config")),
            ("git config get user.name", Some("git config")),
            ("git config user.name", None),
            ("git config user.name x", None),
            ("git config --unset user.name", None),
            ("git config --add a.b c", None),
            ("git config -e", None),
            ("git stash list", Some("git stash list")),
            ("git stash show -p", Some("git stash show")),
            ("git stash", None),
            ("git stash pop", None),
            ("git stash drop", None),
            ("git worktree list", Some("git worktree list")),
            ("git worktree add x", None),
            ("git grep -n foo", Some("git grep")),
            ("git grep -O foo", None),
            ("git grep -Ovim foo", None),
            ("git grep --open-files-in-pager foo", None),
            ("git merge-base main HEAD", Some("git merge-base")),
            ("git rev-list --count HEAD", Some("git rev-list")),
            ("git show-ref --heads", Some("git show-ref")),
            ("git name-rev HEAD", Some("git name-rev")),
            ("git commit -m x", None),
            ("git checkout main", None),
            ("git pull", None),
            ("git", None),
            ("gh pr list --state open", Some("gh pr list")),
            ("gh pr diff 3", Some("gh pr diff")),
            ("gh pr checks 3", Some("gh pr checks")),
            ("gh pr status", Some("gh pr status")),
            ("gh issue view 5 --comments", Some("gh issue view")),
            ("gh issue list", Some("gh issue list")),
            ("gh issue status", Some("gh issue status")),
            ("gh run view 123 --log", Some("gh run view")),
            ("gh run list", Some("gh run list")),
            ("gh workflow list", Some("gh workflow list")),
            ("gh workflow view ci.yml", Some("gh workflow view")),
            ("gh repo view", Some("gh repo view")),
            ("gh release view v1", Some("gh release view")),
            ("gh release list", Some("gh release list")),
            ("gh auth status", Some("gh auth status")),
            ("gh auth status --show-token", None),
            ("gh auth status -t", None),
            ("gh pr merge 3", None),
            ("gh pr create", None),
            ("gh issue close 3", None),
            ("gh repo clone x", None),
            ("gh run rerun 1", None),
            ("gh api repos/o/r/pulls", Some("gh api")),
            ("gh api -X GET repos/o/r", Some("gh api")),
            ("gh api --method=get repos/o/r", Some("gh api")),
            ("gh api repos/o/r --jq '.name'", Some("gh api")),
            ("gh api --paginate repos/o/r/issues", Some("gh api")),
            ("gh api -XPOST repos/x", None),
            ("gh api --method DELETE repos/x", None),
            ("gh api repos/x -f title=t", None),
            ("gh api repos/x -F n=1", None),
            ("gh api repos/x --field a=b", None),
            ("gh api repos/x --raw-field a=b", None),
            ("gh api repos/x --input body.json", None),
            ("gh api graphql -f query='mutation{}'", None),
            ("gh api -H 'X-HTTP-Method-Override: DELETE' repos/x", None),
            ("gh --repo x pr list", None),
            ("docker ps -a", Some("docker ps")),
            ("docker images", Some("docker images")),
            ("docker logs -f web", Some("docker logs")),
            ("docker inspect web", Some("docker inspect")),
            ("docker --debug ps", Some("docker ps")),
            ("docker -H tcp://x ps", None),
            ("docker -Htcp://x ps", None),
            ("docker --host=tcp://x ps", None),
            ("docker --context prod ps", None),
            ("docker -c prod ps", None),
            ("docker ps --url x", None),
            ("docker ps --connection x", None),
            ("docker --config /x ps", None),
            ("docker run ubuntu", None),
            ("docker exec web ls", None),
            ("docker rm web", None),
        ];
        for (command, expected) in cases {
            assert_eq!(label(command), *expected, "{command:?}");
        }
    }

    #[test]
    fn compound_exceptions() {
        let cases: &[(&str, bool)] = &[
            ("cd sub && git status", true),
            ("git status; cd sub", true),
            ("cd /other/repo && git log", true),
            ("cd . && git status", false),
            ("cd && git status", true),
            ("cd sub && ls", false),
            ("cd sub && echo hi > out.txt", true),
            ("cd sub && ls > /dev/null", false),
            ("cd . && echo hi > out.txt", false),
            ("git status && ls > out.txt", false),
            ("ls && git log", false),
        ];
        for (command, expected) in cases {
            let a = analyze(command);
            assert_eq!(
                compound_readonly_exception(&a).is_some(),
                *expected,
                "{command:?}"
            );
        }
    }

    #[test]
    fn table_shape() {
        // Every entry has a non-empty command name; exact entries start with their command.
        for entry in READONLY_COMMANDS {
            assert!(!entry.command.is_empty());
            if let Kind::Exact(line) = entry.kind {
                assert!(line.starts_with(entry.command), "{line}");
            }
        }
        assert_eq!(MIRRORS_CLAUDE_CODE, "2.1.240");
        assert!(sed_script_ok("p"));
        assert!(!sed_script_ok("s/a/b"));
    }
}
