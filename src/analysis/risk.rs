//! Risky calls: what a person approved that destroyed data, reached the network, touched
//! secrets or ran project code.
//!
//! Each category is one table of [`Entry`]s ([`RISK_DESTRUCTIVE`], [`RISK_NETWORK`],
//! [`RISK_SECRETS`], [`RISK_PROJECT_CODE`]); one matcher reads them all. "Runs project code"
//! is the runner table of [`crate::facts::runners`], the one the suggester and the auditor
//! read: a test, build, lint or task runner executes files the agent can edit. For Bash, command patterns are tried on
//! every simple command of the line (after the exec wrappers `sudo`, `env`, `xargs`, ... and
//! the wrappers the shell splitter strips), also inside `sh -c '...'`, `bash -c '...'` and
//! `eval '...'` scripts (the shells marked `risk_opens_script` in
//! [`SHELLS`](crate::facts::commands::SHELLS));
//! path patterns on every argument (also the part after `=` and after a leading `@`) and
//! every redirection target; text patterns on the whole command line. File tools are
//! matched by their path, WebFetch by its name. MCP tools are never flagged:
//! what they do is not known.
//!
//! The tables flag what *can* do damage, not what did: `rm -rf build` is destructive even
//! when `build` is a scratch folder. The command categories the tables name (HTTP clients,
//! remote shells, package runners, ...) are in [`crate::facts::commands`].

use crate::analysis::keys::{command_argv, positional_words, program_name};
use crate::analysis::{Answer, Judged, order_key};
use crate::event::ToolCall;
use crate::facts::cli_shapes::cli_shape;
use crate::facts::commands::{
    HTTP_CLIENTS, MAYBE_REMOTE_COPIES, PACKAGE_RUNNERS, REMOTE_SHELLS, SOCKET_CLIENTS, shell,
};
use crate::facts::runners::project_runner;
use crate::facts::tools::PATH_TOOLS;
use crate::permissions::shell::{self, SimpleCommand};
use serde::Serialize;

/// What kind of harm a call could do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskCategory {
    /// Deletes or overwrites data, or publishes something that cannot be taken back.
    Destructive,
    /// Talks to another machine.
    Network,
    /// Reads, prints or passes credentials.
    Secrets,
    /// Runs a test, build, lint or task runner: code the agent can edit.
    ProjectCode,
}

/// One reason a call is risky.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Risk {
    /// The category.
    pub category: RiskCategory,
    /// The table entry that matched, e.g. "rm -r/-f".
    pub why: &'static str,
}

/// A condition on the arguments of a simple command (`argv[1..]`).
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// Any arguments.
    Always,
    /// Has one of these flags. A two-character flag `-x` also matches inside a cluster
    /// (`-rf` has `-r` and `-f`; `-i.bak` has `-i`); longer ones match exactly or as
    /// `--flag=value`.
    Flag(&'static [&'static str]),
    /// Has none of these flags.
    NoFlag(&'static [&'static str]),
    /// Has no arguments at all.
    NoArgs,
    /// An argument equal to one of these.
    ArgIs(&'static [&'static str]),
    /// An argument starting with one of these.
    ArgPrefix(&'static [&'static str]),
    /// An argument containing one of these, ignoring ASCII case.
    ArgContains(&'static [&'static str]),
    /// An argument of the first list directly followed by a word of the second (compared by
    /// file name, ignoring ASCII case): `-exec rm`, `-X DELETE`.
    FollowedBy(&'static [&'static str], &'static [&'static str]),
    /// An argument naming a remote place: `host:path`, `user@host:path` or `scheme://...`.
    RemoteArg,
}

/// What an [`Entry`] matches.
#[derive(Debug, Clone, Copy)]
pub enum Pattern {
    /// A simple command: program names (file name of `argv[0]`; a trailing `*` matches a
    /// prefix, `"*"` alone any program), then subcommand words level by level (each level a
    /// set of alternatives, an empty set any word, a trailing `*` a prefix), then a condition
    /// on the arguments.
    Command {
        /// Program names.
        names: &'static [&'static str],
        /// Subcommand words, level by level.
        sub: &'static [&'static [&'static str]],
        /// Condition on the arguments.
        when: When,
    },
    /// A tool, by name.
    Tool(&'static str),
    /// A path whose file name is exactly this.
    FileName(&'static str),
    /// A path whose file name starts with this, unless it ends like an example file
    /// (`.example`, `.sample`, `.template`, `.dist`).
    FileNamePrefix(&'static str),
    /// A path whose file name, up to its first dot, is this (ignoring ASCII case).
    FileStem(&'static str),
    /// A path whose file name ends with this (ignoring ASCII case).
    FileSuffix(&'static str),
    /// A path with a folder (or last component) of this name.
    Folder(&'static str),
    /// Text in the command line.
    Text(&'static str),
    /// A secret value in the command line, by the redaction table's patterns.
    Secret,
    /// A simple command that starts with a project runner (`facts::runners`).
    ProjectRunner,
}

/// One row of a category table.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// What to match.
    pub pattern: Pattern,
    /// Why it is risky, as shown in reports.
    pub why: &'static str,
}

/// Shorthand for a command entry.
const fn cmd(
    names: &'static [&'static str],
    sub: &'static [&'static [&'static str]],
    when: When,
    why: &'static str,
) -> Entry {
    Entry {
        pattern: Pattern::Command { names, sub, when },
        why,
    }
}

/// Shorthand for any other entry.
const fn pat(pattern: Pattern, why: &'static str) -> Entry {
    Entry { pattern, why }
}

use Pattern as P;
use When as W;

/// SQL that drops or empties tables, for database clients.
const SQL_DESTRUCTIVE: &[&str] = &[
    "drop table",
    "drop database",
    "drop schema",
    "truncate ",
    "delete from",
];

/// Database command-line clients.
const SQL_CLIENTS: &[&str] = &[
    "psql",
    "mysql",
    "mariadb",
    "sqlite3",
    "clickhouse-client",
    "cockroach",
];

/// Verbs of `gh <group> <verb>` that change something on GitHub or download from it.
const GH_WRITE_VERBS: &[&str] = &[
    "create",
    "edit",
    "merge",
    "close",
    "reopen",
    "comment",
    "review",
    "delete",
    "ready",
    "upload",
    "fork",
    "clone",
    "rename",
    "archive",
    "unarchive",
    "sync",
    "set",
    "enable",
    "disable",
    "cancel",
    "rerun",
    "lock",
    "unlock",
    "transfer",
    "pin",
    "unpin",
    "develop",
    "checkout",
    "add",
    "remove",
    "run",
    "login",
    "logout",
];

/// Destructive commands and flags.
#[rustfmt::skip]
pub const RISK_DESTRUCTIVE: &[Entry] = &[
    cmd(&["rm"], &[], W::Flag(&["-r", "-R", "-f", "--recursive", "--force"]), "rm -r/-f"),
    cmd(&["rmdir"], &[], W::Always, "rmdir"),
    cmd(&["git"], &[&["push"]],
        W::Flag(&["--force", "-f", "--force-with-lease", "--force-if-includes", "--mirror"]),
        "git push --force"),
    cmd(&["git"], &[&["push"]], W::ArgPrefix(&["+"]), "git push +refspec (force)"),
    cmd(&["git"], &[&["push"]], W::Flag(&["--delete", "-d"]), "git push --delete"),
    cmd(&["git"], &[&["push"]], W::ArgPrefix(&[":"]), "git push :branch (delete)"),
    cmd(&["git"], &[&["reset"]], W::Flag(&["--hard"]), "git reset --hard"),
    cmd(&["git"], &[&["clean"]], W::Flag(&["-f", "--force"]), "git clean -f"),
    cmd(&["git"], &[&["branch"]], W::Flag(&["-D"]), "git branch -D"),
    cmd(&["git"], &[&["checkout"]], W::ArgIs(&["--", "."]), "git checkout -- (discards changes)"),
    cmd(&["git"], &[&["checkout"]], W::Flag(&["-f", "--force"]), "git checkout -f"),
    cmd(&["git"], &[&["restore"]], W::NoFlag(&["--staged", "-S"]), "git restore (discards changes)"),
    cmd(&["git"], &[&["stash"], &["drop", "clear"]], W::Always, "git stash drop/clear"),
    cmd(&["dd"], &[], W::ArgPrefix(&["of="]), "dd of="),
    cmd(&["mkfs*", "wipefs"], &[], W::Always, "mkfs"),
    cmd(&["chmod"], &[], W::Flag(&["-R", "--recursive"]), "chmod -R"),
    cmd(&["chown", "chgrp"], &[], W::Flag(&["-R", "--recursive"]), "chown -R"),
    cmd(&["truncate"], &[], W::Always, "truncate"),
    cmd(&["shred"], &[], W::Always, "shred"),
    cmd(&["find"], &[], W::Flag(&["-delete"]), "find -delete"),
    cmd(&["find"], &[],
        W::FollowedBy(&["-exec", "-execdir", "-ok", "-okdir"], &["rm", "shred", "unlink", "rmdir"]),
        "find -exec rm"),
    cmd(&["sed"], &[], W::Flag(&["-i", "--in-place"]), "sed -i (edits in place)"),
    cmd(&["perl"], &[], W::Flag(&["-i"]), "perl -i (edits in place)"),
    cmd(SQL_CLIENTS, &[], W::ArgContains(SQL_DESTRUCTIVE), "SQL DROP/TRUNCATE/DELETE"),
    cmd(&["redis-cli"], &[], W::ArgContains(&["flushall", "flushdb"]), "redis FLUSHALL"),
    cmd(&["docker"], &[&["system", "volume", "image", "container", "network", "builder"], &["prune"]],
        W::Always, "docker prune"),
    cmd(&["docker"], &[&["volume"], &["rm"]], W::Always, "docker volume rm"),
    cmd(&["docker"], &[&["compose"], &["down"]], W::Flag(&["-v", "--volumes"]), "docker compose down -v"),
    cmd(&["kubectl"], &[&["delete"]], W::Always, "kubectl delete"),
    cmd(&["helm"], &[&["uninstall", "delete"]], W::Always, "helm uninstall"),
    cmd(&["terraform", "tofu"], &[&["destroy", "apply"]], W::Always, "terraform destroy/apply"),
    cmd(&["npm", "pnpm", "yarn", "bun"], &[&["publish", "unpublish"]], W::Always, "npm publish"),
    cmd(&["cargo"], &[&["publish", "yank"]], W::Always, "cargo publish"),
    cmd(&["gh"], &[&["release"], &["create", "delete"]], W::Always, "gh release create/delete"),
    cmd(&["gh"], &[&["repo"], &["delete", "archive"]], W::Always, "gh repo delete"),
    cmd(&["gh"], &[&["api"]], W::FollowedBy(&["-X", "--method"], &["DELETE"]), "gh api -X DELETE"),
    cmd(&["gh"], &[&["api"]], W::ArgIs(&["-XDELETE", "--method=DELETE"]), "gh api -X DELETE"),
    cmd(&["aws"], &[&["s3"], &["rm", "rb"]], W::Always, "aws s3 rm/rb"),
    cmd(&["aws"], &[&[], &["delete-*", "terminate-*"]], W::Always, "aws delete-*/terminate-*"),
    cmd(&["gcloud", "az"], &[], W::ArgIs(&["delete"]), "gcloud/az delete"),
    cmd(&["gsutil"], &[&["rm"]], W::Always, "gsutil rm"),
];

/// Commands and tools that reach the network.
#[rustfmt::skip]
pub const RISK_NETWORK: &[Entry] = &[
    cmd(HTTP_CLIENTS, &[], W::Always, "HTTP client"),
    cmd(REMOTE_SHELLS, &[], W::Always, "remote shell / copy"),
    cmd(SOCKET_CLIENTS, &[], W::Always, "raw socket (nc)"),
    cmd(&["ping", "dig", "nslookup", "host", "traceroute"], &[], W::Always, "network probe"),
    cmd(MAYBE_REMOTE_COPIES, &[], W::RemoteArg, "rsync to a host"),
    cmd(&["git"], &[&["push", "fetch", "pull", "clone", "ls-remote"]], W::Always,
        "git push/fetch/pull/clone"),
    cmd(&["git"], &[&["submodule", "remote"], &["update"]], W::Always, "git submodule/remote update"),
    cmd(&["npm"], &[&["install", "i", "ci", "add", "publish", "unpublish", "update", "upgrade"]],
        W::Always, "npm install/publish"),
    cmd(&["pnpm"], &[&["install", "i", "add", "publish", "update", "up", "dlx"]], W::Always,
        "pnpm install/add/publish"),
    cmd(&["yarn"], &[&["install", "add", "publish", "upgrade", "up", "dlx"]], W::Always,
        "yarn install/add/publish"),
    cmd(&["yarn"], &[], W::NoArgs, "yarn install/add/publish"),
    cmd(&["bun"], &[&["install", "i", "add", "update", "publish", "x"]], W::Always,
        "bun install/add/publish"),
    cmd(PACKAGE_RUNNERS, &[], W::Always, "npx (fetches packages)"),
    cmd(&["pip", "pip3"], &[&["install", "download"]], W::Always, "pip install"),
    cmd(&["uv"], &[&["pip"], &["install"]], W::Always, "pip install"),
    cmd(&["uv"], &[&["add", "sync", "lock"]], W::Always, "uv add/sync"),
    cmd(&["uv"], &[&["tool"], &["install", "run"]], W::Always, "uv tool install"),
    cmd(&["poetry"], &[&["add", "install", "update", "lock", "publish"]], W::Always,
        "poetry add/install/publish"),
    cmd(&["cargo"], &[&["install", "publish", "yank", "update", "fetch", "search", "login"]],
        W::Always, "cargo install/publish"),
    cmd(&["go"], &[&["get", "install"]], W::Always, "go get/install"),
    cmd(&["go"], &[&["mod"], &["download"]], W::Always, "go mod download"),
    cmd(&["gem"], &[&["install", "update", "push"]], W::Always, "gem install"),
    cmd(&["brew"], &[&["install", "reinstall", "upgrade", "update", "fetch", "tap"]], W::Always,
        "brew install/update"),
    cmd(&["apt", "apt-get"], &[&["install", "update", "upgrade", "dist-upgrade", "full-upgrade"]],
        W::Always, "apt install/update"),
    cmd(&["docker"], &[&["pull", "push", "login", "search"]], W::Always, "docker pull/push"),
    cmd(&["helm"], &[&["install", "upgrade", "pull", "push"]], W::Always, "helm install/upgrade"),
    cmd(&["helm"], &[&["repo"], &["add", "update"]], W::Always, "helm repo add/update"),
    cmd(&["terraform", "tofu"], &[&["init", "plan", "apply", "destroy", "import", "refresh"]],
        W::Always, "terraform init/plan/apply"),
    cmd(&["gh"], &[&["api"]], W::Always, "gh api"),
    cmd(&["gh"], &[&[], GH_WRITE_VERBS], W::Always, "gh write command"),
    cmd(&["aws", "gcloud", "az", "gsutil"], &[], W::Always, "cloud CLI"),
    // WebSearch is left out: the search runs on Anthropic's side, not from this machine.
    pat(P::Tool("WebFetch"), "WebFetch"),
];

/// Paths, commands and text that name credentials.
#[rustfmt::skip]
pub const RISK_SECRETS: &[Entry] = &[
    pat(P::FileName(".env"), ".env file"),
    pat(P::FileNamePrefix(".env."), ".env file"),
    pat(P::FileName(".envrc"), ".env file"),
    pat(P::FileName("id_rsa"), "SSH private key"),
    pat(P::FileName("id_ed25519"), "SSH private key"),
    pat(P::FileName("id_ecdsa"), "SSH private key"),
    pat(P::FileName("id_dsa"), "SSH private key"),
    pat(P::FileSuffix(".pem"), "key or certificate file (*.pem, *.key)"),
    pat(P::FileSuffix(".key"), "key or certificate file (*.pem, *.key)"),
    pat(P::FileSuffix(".p12"), "key or certificate file (*.pem, *.key)"),
    pat(P::FileSuffix(".pfx"), "key or certificate file (*.pem, *.key)"),
    pat(P::FileName(".npmrc"), "package registry token file"),
    pat(P::FileName(".pypirc"), "package registry token file"),
    pat(P::FileName(".netrc"), "password file (.netrc, .pgpass)"),
    pat(P::FileName(".pgpass"), "password file (.netrc, .pgpass)"),
    pat(P::FileName(".htpasswd"), "password file (.netrc, .pgpass)"),
    pat(P::FileName(".git-credentials"), "credentials file"),
    pat(P::FileStem("credentials"), "credentials file"),
    pat(P::FileStem("secrets"), "secrets file"),
    pat(P::FileStem("secret"), "secrets file"),
    pat(P::FileStem("client_secret"), "secrets file"),
    pat(P::Folder("secrets"), "secrets file"),
    pat(P::Folder(".aws"), "~/.aws"),
    pat(P::Folder(".ssh"), "~/.ssh"),
    pat(P::Folder(".gnupg"), "~/.gnupg"),
    cmd(&["printenv"], &[], W::Always, "prints the environment"),
    cmd(&["env", "export", "set"], &[], W::NoArgs, "prints the environment"),
    pat(P::Text("DATABASE_URL"), "DATABASE_URL"),
    pat(P::Text("AWS_SECRET_ACCESS_KEY"), "AWS_SECRET_ACCESS_KEY"),
    // Secret values (tokens, passwords, keys, auth headers, credentials in URLs): the shapes
    // live in one table, `text::redact::SECRET_PATTERNS`.
    pat(P::Secret, "secret in the command"),
];

/// Commands that run project code.
pub const RISK_PROJECT_CODE: &[Entry] = &[pat(
    P::ProjectRunner,
    "test, build, lint or task runner (runs files the agent can edit)",
)];

/// The four tables with their categories, in report order.
pub const CATEGORY_TABLES: [(RiskCategory, &[Entry]); 4] = [
    (RiskCategory::Destructive, RISK_DESTRUCTIVE),
    (RiskCategory::Network, RISK_NETWORK),
    (RiskCategory::Secrets, RISK_SECRETS),
    (RiskCategory::ProjectCode, RISK_PROJECT_CODE),
];

/// File names ending like these are templates, not secrets (`.env.example`).
const EXAMPLE_SUFFIXES: &[&str] = &[".example", ".sample", ".template", ".dist"];

/// How deep `sh -c` / `eval` scripts are opened.
const MAX_NESTING: usize = 3;

/// Why a call is risky: every matching table entry, once per (category, why), in table
/// order.
pub fn risks(call: &ToolCall) -> Vec<Risk> {
    let facts = Facts::of(call);
    let mut out: Vec<Risk> = Vec::new();
    for (category, table) in CATEGORY_TABLES {
        for e in table {
            let r = Risk {
                category,
                why: e.why,
            };
            if !out.contains(&r) && facts.matches(&e.pattern) {
                out.push(r);
            }
        }
    }
    out
}

/// One approved call that is risky.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskyCall {
    /// The session's UUID.
    pub session_id: String,
    /// The call's `tool_use` id.
    pub call_id: String,
    /// The subagent that made the call; None for the main thread.
    pub agent_id: Option<String>,
    /// When the call was made (ms since the epoch).
    pub at_ms: Option<i64>,
    /// Tool name.
    pub tool: String,
    /// The command, path or URL as recorded (redact before showing, if needed).
    pub detail: Option<String>,
    /// Why it is risky.
    pub risks: Vec<Risk>,
}

/// The risky calls among those a person approved ([`Answer::Approved`]), by session, then
/// time, then id.
pub fn approved_risks(judged: &[Judged]) -> Vec<RiskyCall> {
    approved_risks_with(judged, |i| risks(judged[i].0))
}

/// [`approved_risks`] with the risks of the `i`-th call given by `risks_of` (the report
/// remembers them per distinct call).
pub fn approved_risks_with(
    judged: &[Judged],
    risks_of: impl Fn(usize) -> Vec<Risk>,
) -> Vec<RiskyCall> {
    let mut out: Vec<(&ToolCall, RiskyCall)> = judged
        .iter()
        .enumerate()
        .filter(|(_, (_, a))| *a == Answer::Approved)
        .filter_map(|(i, (c, _))| {
            let risks = risks_of(i);
            (!risks.is_empty()).then(|| {
                let detail = c
                    .input
                    .command
                    .clone()
                    .or_else(|| c.input.path.clone())
                    .or_else(|| c.input.url.clone());
                (
                    *c,
                    RiskyCall {
                        session_id: c.session_id.to_string(),
                        call_id: c.id.clone(),
                        agent_id: c.agent_id.as_deref().map(str::to_string),
                        at_ms: c.asked_ms,
                        tool: c.tool.clone(),
                        detail,
                        risks,
                    },
                )
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.1.session_id
            .cmp(&b.1.session_id)
            .then_with(|| order_key(a.0).cmp(&order_key(b.0)))
            .then_with(|| a.1.call_id.cmp(&b.1.call_id))
    });
    out.into_iter().map(|(_, r)| r).collect()
}

/// Counts of risky approved calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RiskSummary {
    /// Risky calls.
    pub calls: usize,
    /// Calls with at least one destructive risk.
    pub destructive: usize,
    /// Calls with at least one network risk.
    pub network: usize,
    /// Calls with at least one secrets risk.
    pub secrets: usize,
    /// Calls that ran project code.
    pub project_code: usize,
}

impl RiskSummary {
    /// Adds the counts of other calls.
    pub fn add(&mut self, o: &RiskSummary) {
        self.calls += o.calls;
        self.destructive += o.destructive;
        self.network += o.network;
        self.secrets += o.secrets;
        self.project_code += o.project_code;
    }
}

/// Counts the calls of [`approved_risks`] per category (a call counts once per category).
pub fn risk_summary(calls: &[RiskyCall]) -> RiskSummary {
    let has = |c: &RiskyCall, cat| c.risks.iter().any(|r| r.category == cat);
    RiskSummary {
        calls: calls.len(),
        destructive: calls
            .iter()
            .filter(|c| has(c, RiskCategory::Destructive))
            .count(),
        network: calls
            .iter()
            .filter(|c| has(c, RiskCategory::Network))
            .count(),
        secrets: calls
            .iter()
            .filter(|c| has(c, RiskCategory::Secrets))
            .count(),
        project_code: calls
            .iter()
            .filter(|c| has(c, RiskCategory::ProjectCode))
            .count(),
    }
}

/// One simple command, ready for matching.
struct Part {
    /// Program file name.
    name: String,
    /// Arguments after the program.
    args: Vec<String>,
    /// Positional words (subcommands first), options skipped as in the key table.
    positional: Vec<String>,
}

/// What the tables are matched against.
#[derive(Default)]
struct Facts<'a> {
    tool: &'a str,
    parts: Vec<Part>,
    paths: Vec<String>,
    /// The last component of every path word (worked out once: most patterns look at it).
    names: Vec<String>,
    text: &'a str,
}

impl<'a> Facts<'a> {
    fn of(call: &'a ToolCall) -> Facts<'a> {
        let mut f = Facts {
            tool: &call.tool,
            ..Facts::default()
        };
        if call.tool == "Bash" {
            if let Some(cmd) = call.input.command.as_deref() {
                f.text = cmd;
                f.add_command(cmd, 0);
            }
        } else if PATH_TOOLS.contains(&call.tool.as_str()) || call.tool == "LS" {
            f.paths.extend(call.input.path.clone());
        }
        f.names = f
            .paths
            .iter()
            .filter_map(|p| p.rsplit('/').find(|c| !c.is_empty()))
            .map(str::to_string)
            .collect();
        f
    }

    /// Adds the parts of a command line, opening `sh -c` and `eval` scripts.
    fn add_command(&mut self, command: &str, depth: usize) {
        for sc in shell::analyze(command).parts.iter() {
            self.add_part(sc, depth);
        }
    }

    fn add_part(&mut self, sc: &SimpleCommand, depth: usize) {
        self.paths
            .extend(sc.redirects.iter().map(|r| r.target.clone()));
        let argv = command_argv(sc);
        for a in argv.iter().skip(1) {
            push_path_words(&mut self.paths, a);
        }
        if sc.opaque.is_some() {
            // Words the splitter could not take apart: look at them as text too.
            for w in sc
                .raw
                .split(|c: char| c.is_whitespace() || "\"'`()$;<>|&".contains(c))
            {
                push_path_words(&mut self.paths, w);
            }
        }
        let Some(name) = argv.first().and_then(|w| program_name(w)) else {
            return;
        };
        if depth < MAX_NESTING {
            let script = match name.as_str() {
                s if shell(s).is_some_and(|s| s.risk_opens_script) => argv
                    .iter()
                    .position(|a| a == "-c")
                    .and_then(|i| argv.get(i + 1))
                    .cloned(),
                "eval" => Some(argv[1..].join(" ")),
                _ => None,
            };
            if let Some(s) = script {
                self.add_command(&s, depth + 1);
            }
        }
        let value_opts = cli_shape(&name).map_or(&[][..], |c| c.value_opts);
        let positional = positional_words(argv, value_opts)
            .into_iter()
            .map(str::to_string)
            .collect();
        self.parts.push(Part {
            name,
            args: argv[1..].to_vec(),
            positional,
        });
    }

    fn matches(&self, p: &Pattern) -> bool {
        match *p {
            P::Command { names, sub, when } => self
                .parts
                .iter()
                .any(|part| part_matches(part, names, sub, when)),
            P::Tool(t) => self.tool == t,
            P::FileName(n) => self.file_names().any(|f| f == n),
            P::FileNamePrefix(n) => self
                .file_names()
                .any(|f| f.starts_with(n) && !EXAMPLE_SUFFIXES.iter().any(|s| f.ends_with(s))),
            P::FileStem(n) => self.file_names().any(|f| {
                f.split('.')
                    .next()
                    .is_some_and(|s| s.eq_ignore_ascii_case(n))
            }),
            P::FileSuffix(s) => self
                .file_names()
                .any(|f| f.len() > s.len() && ends_with_ci(f, s)),
            P::Folder(n) => self.paths.iter().any(|p| p.split('/').any(|c| c == n)),
            P::Text(t) => self.text.contains(t),
            P::Secret => crate::text::redact::Redactor::has_secret(self.text),
            P::ProjectRunner => self.parts.iter().any(|part| {
                let argv: Vec<&str> = std::iter::once(part.name.as_str())
                    .chain(part.args.iter().map(String::as_str))
                    .collect();
                project_runner(&argv).is_some()
            }),
        }
    }

    /// The last component of every path word.
    fn file_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }
}

/// Adds the path-like readings of one argument: itself, the part after `=`, without a
/// leading `@` or `<`.
fn push_path_words(paths: &mut Vec<String>, word: &str) {
    if word.is_empty() {
        return;
    }
    let mut push = |w: &str| {
        let w = w.trim_start_matches(['@', '<']);
        if !w.is_empty() && !paths.iter().any(|p| p == w) {
            paths.push(w.to_string());
        }
    };
    push(word);
    if let Some((_, v)) = word.split_once('=') {
        push(v);
    }
}

/// `s` ends with `suffix`, ignoring ASCII case, without slicing inside a character.
fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// A name pattern (`*` alone: anything; trailing `*`: a prefix) against a word.
fn name_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => pattern == word,
    }
}

fn part_matches(part: &Part, names: &[&str], sub: &[&[&str]], when: When) -> bool {
    if !names.iter().any(|n| name_matches(n, &part.name)) {
        return false;
    }
    for (level, alternatives) in sub.iter().enumerate() {
        let Some(word) = part.positional.get(level) else {
            return false;
        };
        if !alternatives.is_empty() && !alternatives.iter().any(|a| name_matches(a, word)) {
            return false;
        }
    }
    let args = &part.args;
    match when {
        W::Always => true,
        W::Flag(flags) => flags.iter().any(|f| has_flag(args, f)),
        W::NoFlag(flags) => !flags.iter().any(|f| has_flag(args, f)),
        W::NoArgs => args.is_empty(),
        W::ArgIs(v) => args.iter().any(|a| v.contains(&a.as_str())),
        W::ArgPrefix(v) => args.iter().any(|a| v.iter().any(|p| a.starts_with(p))),
        W::ArgContains(v) => args.iter().any(|a| {
            let a = a.to_ascii_lowercase();
            v.iter().any(|p| a.contains(p))
        }),
        W::FollowedBy(first, then) => args.windows(2).any(|w| {
            first.contains(&w[0].as_str())
                && program_name(&w[1])
                    .is_some_and(|n| then.iter().any(|t| t.eq_ignore_ascii_case(&n)))
        }),
        W::RemoteArg => args.iter().any(|a| is_remote(a)),
    }
}

/// Does `args` hold `flag` (see [`When::Flag`])?
fn has_flag(args: &[String], flag: &str) -> bool {
    let short = flag
        .strip_prefix('-')
        .filter(|r| r.len() == 1 && !r.starts_with('-'))
        .and_then(|r| r.chars().next());
    args.iter().any(|a| match short {
        Some(c) => {
            a.starts_with('-')
                && !a.starts_with("--")
                && a[1..]
                    .chars()
                    .take_while(|x| x.is_ascii_alphanumeric())
                    .any(|x| x == c)
        }
        None => a == flag || a.strip_prefix(flag).is_some_and(|r| r.starts_with('=')),
    })
}

/// `host:path`, `user@host:path` or `scheme://...` (not an option, not a local path).
fn is_remote(arg: &str) -> bool {
    if arg.starts_with('-') {
        return false;
    }
    if arg.contains("://") {
        return true;
    }
    match arg.split_once(':') {
        Some((host, _)) => !host.is_empty() && !host.contains('/'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::{With, bash, call};

    fn whys(cmd: &str) -> Vec<(RiskCategory, &'static str)> {
        risks(&bash("b", cmd))
            .into_iter()
            .map(|r| (r.category, r.why))
            .collect()
    }

    fn cats(cmd: &str) -> Vec<RiskCategory> {
        let mut v: Vec<_> = whys(cmd).into_iter().map(|(c, _)| c).collect();
        v.dedup();
        v
    }

    use RiskCategory::{Destructive as D, Network as N, Secrets as S};

    #[test]
    fn first_cases() {
        assert_eq!(whys("rm -rf build"), [(D, "rm -r/-f")]);
        assert_eq!(
            whys("git push --force"),
            [(D, "git push --force"), (N, "git push/fetch/pull/clone")]
        );
        assert_eq!(whys("cat .env"), [(S, ".env file")]);
        assert_eq!(whys("curl -d @- x"), [(N, "HTTP client")]);
        let wf = call("w", "WebFetch");
        assert_eq!(
            risks(&wf),
            [Risk {
                category: N,
                why: "WebFetch"
            }]
        );
        assert!(whys("ls").is_empty());
        assert!(whys("git status").is_empty());
    }

    /// The runner table of the facts, the one suggest and audit read.
    #[test]
    fn runners_run_project_code() {
        const P: RiskCategory = RiskCategory::ProjectCode;
        for cmd in [
            "go test ./...",
            "cat >> x_test.go << 'EOF'\npackage x\nEOF\ngo test ./...",
            "timeout 60 npm test",
            "cargo +nightly clippy",
            "mise run lint 2>&1 | tail -5",
            "bash -c 'make check'",
        ] {
            assert_eq!(cats(cmd), [P], "{cmd}");
        }
        for cmd in ["go list ./...", "npm view react", "git log"] {
            assert!(cats(cmd).is_empty(), "{cmd}");
        }
    }

    #[test]
    fn destructive() {
        for cmd in [
            "rm -r x",
            "rm -fr x",
            "sudo rm --recursive x",
            "find . -name '*.o' | xargs rm -f",
            "rmdir x",
            "git push -f origin main",
            "git push --force-with-lease",
            "git push origin +main",
            "git -C repo reset --hard HEAD~1",
            "git clean -fdx",
            "git branch -D feature",
            "git checkout -- src/x.rs",
            "git restore src/x.rs",
            "git stash drop",
            "dd if=/dev/zero of=/dev/sda",
            "mkfs.ext4 /dev/sdb1",
            "chmod -R 777 .",
            "chown -R me .",
            "truncate -s 0 log",
            "shred secret.txt",
            "find . -delete",
            "find . -name x -exec rm {} ;",
            "find . -execdir /bin/rm {} +",
            "sed -i 's/a/b/' f",
            "sed -i.bak 's/a/b/' f",
            "perl -pi -e 's/a/b/' f",
            "psql -c 'DROP TABLE users'",
            "mysql -e \"truncate orders\"",
            "docker system prune -af",
            "docker volume rm data",
            "kubectl -n prod delete pod x",
            "terraform destroy",
            "terraform apply -auto-approve",
            "npm publish",
            "cargo publish",
            "gh release create v1",
            "gh api -X DELETE repos/o/r",
            "gh api --method=DELETE repos/o/r",
            "aws s3 rm s3://b/x --recursive",
            "aws ec2 terminate-instances --instance-ids i-1",
            "gcloud compute instances delete vm1",
            "bash -c 'rm -rf /tmp/x'",
            "eval rm -rf x",
        ] {
            assert!(cats(cmd).contains(&D), "{cmd}: {:?}", whys(cmd));
        }
        for cmd in [
            "rm file",
            "git push",
            "git reset HEAD",
            "git clean -n",
            "git branch -d merged",
            "git checkout main",
            "git restore --staged x",
            "sed -n 1,5p f",
            "find . -name x",
            "find . -exec cat {} ;",
            "chmod 644 f",
            "psql -c 'select 1'",
            "docker ps",
            "kubectl get pods",
            "terraform plan",
            "gh api repos/o/r",
            "dd if=a",
            "echo rm -rf",
        ] {
            assert!(!cats(cmd).contains(&D), "{cmd}: {:?}", whys(cmd));
        }
    }

    #[test]
    fn network() {
        for cmd in [
            "wget x",
            "ssh host ls",
            "scp a host:b",
            "rsync -av a user@host:/b",
            "rsync a rsync://host/m",
            "nc -l 80",
            "git fetch",
            "git -C x pull --rebase",
            "git clone u",
            "npm install",
            "npm i left-pad",
            "pnpm add x",
            "yarn",
            "yarn add x",
            "pip install requests",
            "uv pip install x",
            "cargo install ripgrep",
            "gh pr create --fill",
            "gh issue comment 3 -b hi",
            "gh api repos/o/r",
            "aws s3 ls",
            "gcloud config list",
            "az account show",
            "npx create-react-app x",
            "docker pull nginx",
        ] {
            assert!(cats(cmd).contains(&N), "{cmd}: {:?}", whys(cmd));
        }
        for cmd in [
            "rsync -a a/ b/",
            "git log",
            "npm test",
            "npm run build",
            "yarn test",
            "cargo build",
            "gh pr view 3",
            "gh pr list",
            "pip list",
        ] {
            assert!(!cats(cmd).contains(&N), "{cmd}: {:?}", whys(cmd));
        }
        assert!(risks(&call("s", "WebSearch")).is_empty());
    }

    /// The network categories of the facts are flagged: always, or (copies that also work
    /// locally) with a remote argument.
    #[test]
    fn network_categories_of_the_facts() {
        let always = HTTP_CLIENTS
            .iter()
            .chain(SOCKET_CLIENTS)
            .chain(REMOTE_SHELLS)
            .chain(PACKAGE_RUNNERS);
        for name in always {
            assert!(cats(&format!("{name} x")).contains(&N), "{name}");
        }
        for name in MAYBE_REMOTE_COPIES {
            assert!(cats(&format!("{name} a host:b")).contains(&N), "{name}");
            assert!(!cats(&format!("{name} a b")).contains(&N), "{name}");
        }
    }

    #[test]
    fn secrets() {
        for cmd in [
            "cat .env.local",
            "source ./config/.env",
            "cat ~/.ssh/id_rsa",
            "ls ~/.ssh",
            "cat ~/.aws/credentials",
            "openssl x509 -in cert.pem",
            "cp server.key /tmp",
            "cat .npmrc",
            "cat ~/.netrc",
            "cat .pgpass",
            "kubectl get secret x -o yaml > secrets.yaml",
            "echo $DATABASE_URL",
            "printenv",
            "env",
            "curl -H 'Authorization: Bearer x' u",
            "git remote add o https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/o/r",
            "git clone https://x-access-token:s3cr3t@github.com/o/r",
            "GITHUB_TOKEN=abc gh pr list",
            "docker run --env-file=.env app",
            "curl -d @.env u",
            "mysql --password=hunter2",
            "sh -c 'cat .env'",
            "cat $(ls .env)",
        ] {
            assert!(cats(cmd).contains(&S), "{cmd}: {:?}", whys(cmd));
        }
        for cmd in [
            "cat .env.example",
            "cat id_rsa.pub",
            "env FOO=1 make",
            "printf x",
            "cat README.md",
            "cat keyboard.rs",
            "cat monkey",
        ] {
            assert!(!cats(cmd).contains(&S), "{cmd}: {:?}", whys(cmd));
        }
        let read = call("r", "Read").path("/home/u/.aws/credentials");
        let w: Vec<_> = risks(&read).into_iter().map(|r| r.why).collect();
        assert_eq!(w, ["credentials file", "~/.aws"]);
        let edit = call("e", "Edit").path("src/main.rs");
        assert!(risks(&edit).is_empty());
        let grep = call("g", "Grep").path(".env");
        assert_eq!(risks(&grep).len(), 1);
        let mcp = call("m", "mcp__fs__read_file").path(".env");
        assert!(risks(&mcp).is_empty());
    }

    #[test]
    fn approved_list_and_summary() {
        let owned = [
            (
                bash("c2", "rm -rf x").session("b").at(20, 30),
                Answer::Approved,
            ),
            (
                bash("c1", "curl u > .env").session("b").at(10, 11),
                Answer::Approved,
            ),
            (
                bash("c3", "rm -rf y").session("a").at(50, 60).agent("sub"),
                Answer::Approved,
            ),
            (
                bash("c4", "rm -rf z").session("a").at(1, 2),
                Answer::Rejected,
            ),
            (bash("c5", "ls").session("a").at(1, 2), Answer::Approved),
            (
                bash("c6", "rm -rf w").session("a").at(1, 2),
                Answer::AutoAllowed,
            ),
        ];
        let judged: Vec<Judged> = owned.iter().map(|(c, a)| (c, *a)).collect();
        let list = approved_risks(&judged);
        let ids: Vec<_> = list.iter().map(|r| r.call_id.as_str()).collect();
        assert_eq!(ids, ["c3", "c1", "c2"]);
        assert_eq!(list[0].agent_id.as_deref(), Some("sub"));
        assert_eq!(list[1].detail.as_deref(), Some("curl u > .env"));
        assert_eq!(list[1].at_ms, Some(10));
        assert_eq!(
            risk_summary(&list),
            RiskSummary {
                calls: 3,
                destructive: 2,
                network: 1,
                secrets: 1,
                project_code: 0,
            }
        );
        let json = serde_json::to_value(&list[1]).unwrap();
        assert_eq!(json["risks"][0]["category"], "network");
    }

    #[test]
    fn odd_input_does_not_panic() {
        for cmd in [
            "",
            "'",
            "rm",
            "-",
            "=",
            "@",
            "dd of=",
            "find -exec",
            "gh api -X",
            "é:ü",
            "bash -c",
            "sh -c 'sh -c \"sh -c \\\"sh -c rm -rf x\\\"\"'",
            "eval",
            "x=1",
            "a:b",
            "ü.KEY",
        ] {
            let _ = whys(cmd);
        }
        assert!(risks(&call("b", "Bash")).is_empty());
        assert!(!has_flag(&["-é".to_string()], "-r"));
    }
}
