//! Claude Code's built-in read-only commands, as data: one entry per command, with the
//! arguments it accepts. The validators named here are in the sibling modules.

use super::sed::sed_ok;
use super::subcommands::{
    docker_globals, gh_api_ok, gh_auth_status_ok, gh_globals, git_branch_ok, git_config_ok,
    git_globals, git_grep_ok, git_ls_remote_ok, git_reflog_ok, git_remote_ok, git_tag_ok,
};
use super::validators::*;
use super::{ArgCheck, Entry, Kind, Sub, SubcommandSet};

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
