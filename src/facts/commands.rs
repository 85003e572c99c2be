//! Command categories: which programs run code, reach other machines, run tasks or destroy
//! data. One list per category, each written once.
//!
//! A list holds program names (`&[&str]`) when the category is a whole program, and command
//! word sequences (`&[&[&str]]`, `["npm", "run"]`) when only some subcommands belong to it.
//! The first word of a sequence is a program name as typed (`./gradlew` too).
//!
//! Readers: the shell splitter (shells whose `-c` string it recovers), the risk tables
//! (network clients, remote shells, package runners, shells whose scripts they open) and the
//! suggester, whose "never" lists are these categories (`suggest::safety`). Exec wrappers
//! are in [`super::wrappers`], git's global options in [`super::git`], the test, build and
//! task runners that execute project files in [`super::runners`].

/// Language interpreters: any invocation runs code the command line does not show.
pub const INTERPRETERS: &[&str] = &[
    "python",
    "python2",
    "python3",
    "pypy",
    "pypy3",
    "node",
    "nodejs",
    "ruby",
    "irb",
    "perl",
    "php",
    "lua",
    "luajit",
    "bun",
    "deno",
    "Rscript",
    "R",
    "julia",
    "java",
    "jshell",
    "groovy",
    "osascript",
    "tclsh",
    "expect",
    "elixir",
    "erl",
    "escript",
    "ghci",
    "runghc",
];

/// One shell: it runs whatever script or `-c` string it is given.
#[derive(Debug, Clone, Copy)]
pub struct Shell {
    /// Program name.
    pub name: &'static str,
    /// Takes sh-style options, so `-c STRING` (also in a cluster, `bash -lc 'x'`) can be
    /// found and the string recovered by the shell splitter. PowerShell and nushell parse
    /// their options another way; their strings are not recovered (the line still cannot be
    /// covered by an allow rule for the shell itself, which the suggester bans).
    pub sh_options: bool,
    /// The risk tables open its `-c` script and match the commands inside. Only the four
    /// common POSIX shells, as the risk tables have always done; opening the others' scripts
    /// too would change which calls a report flags.
    pub risk_opens_script: bool,
}

/// Shells.
#[rustfmt::skip]
pub const SHELLS: &[Shell] = &[
    Shell { name: "sh", sh_options: true, risk_opens_script: true },
    Shell { name: "bash", sh_options: true, risk_opens_script: true },
    Shell { name: "zsh", sh_options: true, risk_opens_script: true },
    Shell { name: "fish", sh_options: true, risk_opens_script: false },
    Shell { name: "dash", sh_options: true, risk_opens_script: true },
    Shell { name: "ksh", sh_options: true, risk_opens_script: false },
    Shell { name: "mksh", sh_options: true, risk_opens_script: false },
    Shell { name: "ash", sh_options: true, risk_opens_script: false },
    Shell { name: "csh", sh_options: true, risk_opens_script: false },
    Shell { name: "tcsh", sh_options: true, risk_opens_script: false },
    Shell { name: "pwsh", sh_options: false, risk_opens_script: false },
    Shell { name: "powershell", sh_options: false, risk_opens_script: false },
    Shell { name: "nu", sh_options: false, risk_opens_script: false },
];

/// The [`SHELLS`] entry for a program name.
pub fn shell(name: &str) -> Option<&'static Shell> {
    SHELLS.iter().find(|s| s.name == name)
}

/// Shell builtins that run text or a file as shell code. The shell splitter marks each of
/// them opaque (with its own reading of each one's arguments).
pub const SHELL_EVAL_BUILTINS: &[&str] = &["eval", "exec", "source", "."];

/// HTTP clients: each can post local data anywhere or write what it downloads.
pub const HTTP_CLIENTS: &[&str] = &["curl", "wget", "http", "https", "xh", "aria2c"];

/// Raw socket tools: each can send anything to any host and port.
pub const SOCKET_CLIENTS: &[&str] = &["nc", "ncat", "netcat", "socat"];

/// Remote shells and copies that always talk to another machine.
pub const REMOTE_SHELLS: &[&str] = &["ssh", "scp", "sftp", "ftp", "telnet", "mosh"];

/// Copy tools that talk to another machine only when an argument names one (`host:path`,
/// `rsync://...`); they also copy between local folders.
pub const MAYBE_REMOTE_COPIES: &[&str] = &["rsync"];

/// Programs that download a package (if needed) and run its program: whatever the package
/// is, it runs.
pub const PACKAGE_RUNNERS: &[&str] = &["npx", "bunx", "pnpx", "uvx"];

/// Subcommands that run a package's or an environment's program, whatever it is.
pub const RUNNER_SUBCOMMANDS: &[&[&str]] = &[
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
];

/// Subcommands that send any request to a service's API (any method, any body).
pub const API_CLIENTS: &[&[&str]] = &[&["gh", "api"]];

/// git commands that talk to a remote and can run helper programs (`--upload-pack`,
/// `ext::` URLs) and change the tree.
pub const GIT_REMOTE_COMMANDS: &[&[&str]] = &[
    &["git", "fetch"],
    &["git", "pull"],
    &["git", "clone"],
    &["git", "submodule"],
    &["git", "remote", "update"],
];

/// Subcommands that run a program inside a container or a pod.
pub const CONTAINER_EXEC: &[&[&str]] = &[
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
];

/// File tools that read by default but have flags or script commands that run programs or
/// write files (`find -exec`/`-delete`, `sed -i`/`w`/`e`, `awk` `system()`, `sort -o`,
/// `rg --pre`, `tar` extraction).
pub const SCRIPTABLE_FILE_TOOLS: &[&[&str]] = &[
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
];

/// Commands that delete, overwrite, stop or publish something; with a wildcard any target
/// or flag.
pub const DESTRUCTIVE_COMMANDS: &[&[&str]] = &[
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
];

/// Commands whose numeric arguments are process ids.
pub const PID_COMMANDS: &[&str] = &["kill", "wait", "renice", "disown", "lsof", "strace"];
