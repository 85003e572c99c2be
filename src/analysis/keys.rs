//! Command keys: a short name for what a call did, to group and count calls by
//! (`git diff`, `npm run test`, `gh pr view`, `Read (outside project)`, `WebFetch docs.rs`).
//!
//! For Bash, each simple command of the line gets a key: its program name (a path reduced to
//! its file name) plus as many subcommand words as [`CLIS`] says that program takes. Option
//! words before a subcommand are skipped (`git -C dir diff` → `git diff`), and so are the
//! values of the options that take one. Env assignments and the wrappers Claude Code strips
//! (`timeout 5`, `nice`, ...) are already gone from `argv`; [`command_argv`] also looks
//! through the runners in [`RUNNERS`] (`sudo`, `env`, `xargs`, ...).

use crate::event::ToolCall;
use crate::permissions::paths::is_clean_absolute;
use crate::permissions::shell::{self, SimpleCommand};
use std::path::{Component, Path, PathBuf};

/// How a command-line program's subcommands are named.
#[derive(Debug, Clone, Copy)]
pub struct Cli {
    /// Program name (file name of `argv[0]`).
    pub name: &'static str,
    /// Subcommand words kept after the name (`git diff` → 1, `aws s3 ls` → 2).
    pub levels: usize,
    /// First subcommands that take one more word (`gh pr view`, `npm run test`,
    /// `docker compose up`).
    pub deeper: &'static [&'static str],
    /// Options that take a separate value, skipped together with it (`git -C dir`).
    pub value_opts: &'static [&'static str],
}

/// The one table of subcommand depths. Programs not listed are keyed by name alone.
#[rustfmt::skip]
pub const CLIS: &[Cli] = &[
    Cli { name: "git", levels: 1,
        deeper: &["stash", "remote", "submodule", "worktree", "lfs", "bisect", "notes",
            "sparse-checkout"],
        value_opts: &["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"] },
    Cli { name: "gh", levels: 1,
        deeper: &["pr", "issue", "repo", "release", "run", "workflow", "gist", "auth", "secret",
            "variable", "label", "project", "cache", "codespace", "extension", "ssh-key",
            "gpg-key", "org", "ruleset", "attestation", "config", "alias", "search"],
        value_opts: &["-R", "--repo"] },
    Cli { name: "kubectl", levels: 1,
        deeper: &["get", "describe", "delete", "edit", "rollout", "config", "create", "top",
            "auth", "set", "scale", "patch", "explain"],
        value_opts: &["-n", "--namespace", "--context", "--cluster", "--kubeconfig", "-s",
            "--server", "--user", "-l", "--selector", "-o", "--output", "-f", "--filename", "-c",
            "--container"] },
    Cli { name: "docker", levels: 1,
        deeper: &["compose", "system", "volume", "image", "container", "network", "builder",
            "buildx", "context", "plugin", "swarm", "node", "service", "stack", "secret",
            "config", "trust", "manifest"],
        value_opts: &["-H", "--host", "--context", "-c", "--config", "-l", "--log-level", "-f",
            "--file", "-p", "--project-name", "--env-file", "--profile"] },
    Cli { name: "aws", levels: 2, deeper: &[],
        value_opts: &["--profile", "--region", "--output", "--endpoint-url", "--query", "--color"] },
    Cli { name: "gcloud", levels: 2,
        deeper: &["compute", "container", "sql", "iam", "pubsub", "artifacts", "dns", "kms",
            "redis", "spanner", "dataproc", "scheduler", "tasks", "filestore", "bigtable"],
        value_opts: &["--project", "--account", "--format", "--region", "--zone",
            "--configuration", "--verbosity", "--impersonate-service-account"] },
    Cli { name: "az", levels: 2,
        deeper: &["storage", "network", "ad", "sql", "cosmosdb", "monitor"],
        value_opts: &["--subscription", "-g", "--resource-group", "-o", "--output", "--query",
            "-n", "--name"] },
    Cli { name: "npm", levels: 1, deeper: &["run", "run-script"],
        value_opts: &["--prefix", "-w", "--workspace"] },
    Cli { name: "pnpm", levels: 1, deeper: &["run"],
        value_opts: &["-C", "--dir", "-F", "--filter"] },
    Cli { name: "yarn", levels: 1, deeper: &["run"], value_opts: &["--cwd"] },
    Cli { name: "bun", levels: 1, deeper: &["run", "pm"], value_opts: &["--cwd"] },
    Cli { name: "cargo", levels: 1, deeper: &[],
        value_opts: &["--manifest-path", "--config", "-Z", "-C"] },
    Cli { name: "go", levels: 1, deeper: &["mod", "work", "tool"], value_opts: &["-C"] },
    Cli { name: "pip", levels: 1, deeper: &[], value_opts: &["--python"] },
    Cli { name: "pip3", levels: 1, deeper: &[], value_opts: &["--python"] },
    Cli { name: "uv", levels: 1, deeper: &["pip", "run", "tool", "python", "cache", "self"],
        value_opts: &["--directory", "--project", "-p", "--python", "--with"] },
    Cli { name: "poetry", levels: 1, deeper: &["run", "env", "self", "source", "cache"],
        value_opts: &["-C", "--directory", "-P", "--project"] },
    Cli { name: "brew", levels: 1, deeper: &["services"], value_opts: &[] },
    Cli { name: "apt", levels: 1, deeper: &[], value_opts: &["-o", "-t"] },
    Cli { name: "apt-get", levels: 1, deeper: &[], value_opts: &["-o", "-t"] },
    Cli { name: "helm", levels: 1,
        deeper: &["repo", "plugin", "dependency", "registry", "show", "get"],
        value_opts: &["-n", "--namespace", "--kube-context", "--kubeconfig"] },
    Cli { name: "terraform", levels: 1, deeper: &["state", "workspace", "providers"],
        value_opts: &[] },
    Cli { name: "tofu", levels: 1, deeper: &["state", "workspace", "providers"],
        value_opts: &[] },
    Cli { name: "mise", levels: 1, deeper: &["run", "r", "tasks"],
        value_opts: &["-C", "--cd", "-E", "--env"] },
    Cli { name: "just", levels: 1, deeper: &[],
        value_opts: &["-f", "--justfile", "-d", "--working-directory"] },
    Cli { name: "task", levels: 1, deeper: &[], value_opts: &["-d", "--dir", "-t", "--taskfile"] },
    Cli { name: "make", levels: 1, deeper: &[],
        value_opts: &["-C", "-f", "--file", "--directory", "-I", "-o", "-W"] },
];

/// Programs that run their arguments as a command: `(name, options taking a value, leading
/// positional words of their own)`. [`command_argv`] looks through them (the shell splitter
/// already strips some wrappers; looking again is harmless).
#[rustfmt::skip]
pub const RUNNERS: &[(&str, &[&str], usize)] = &[
    ("sudo", &["-u", "-g", "-h", "-p", "-C", "-D", "-R", "-T", "-U", "--user", "--group"], 0),
    ("doas", &["-u", "-C"], 0),
    ("env", &["-u", "--unset", "-C", "--chdir", "-S"], 0),
    ("xargs", &["-I", "-n", "-P", "-L", "-l", "-d", "-E", "-s", "-a", "--max-args",
        "--max-procs", "--delimiter", "--arg-file"], 0),
    ("nohup", &[], 0),
    ("time", &[], 0),
    ("nice", &["-n", "--adjustment"], 0),
    ("ionice", &["-c", "-n", "-p"], 0),
    ("timeout", &["-s", "--signal", "-k", "--kill-after"], 1),
    ("stdbuf", &["-i", "-o", "-e"], 0),
];

/// Tools whose key says whether their path is inside the project.
pub const FILE_TOOLS: &[&str] = &["Read", "Edit", "Write", "NotebookEdit", "Grep", "Glob"];

/// The keys of one call (see the module doc). A call gets each key at most once, in order
/// of first appearance: `git add a && git add b` is one `git add`. A Bash call with no
/// command, or whose line yields no program name, is keyed `Bash`.
///
/// `project_root` decides "in project" for file tools; when it is None the call's own
/// `project` (its working folder) is used; when both are missing, relative paths are inside
/// and absolute ones outside.
pub fn command_keys(call: &ToolCall, project_root: Option<&Path>) -> Vec<String> {
    let tool = call.tool.as_str();
    if tool == "Bash" {
        let keys = call
            .input
            .command
            .as_deref()
            .map(bash_keys)
            .unwrap_or_default();
        return if keys.is_empty() {
            vec!["Bash".to_string()]
        } else {
            keys
        };
    }
    if tool.starts_with("mcp__") {
        return vec![tool.to_string()];
    }
    if FILE_TOOLS.contains(&tool) {
        let root = project_root.or(call.project.as_deref().map(Path::new));
        let inside = call
            .input
            .path
            .as_deref()
            .is_none_or(|p| is_inside(p, root));
        let place = if inside {
            "in project"
        } else {
            "outside project"
        };
        return vec![format!("{tool} ({place})")];
    }
    if tool == "WebFetch" {
        let domain = call.input.domain.clone().or_else(|| {
            call.input
                .url
                .as_deref()
                .and_then(crate::text::url::domain_of)
        });
        return vec![match domain {
            Some(d) if !d.is_empty() => format!("WebFetch {d}"),
            _ => "WebFetch".to_string(),
        }];
    }
    vec![tool.to_string()]
}

/// The keys of a Bash command line, one per simple command, without repeats.
pub fn bash_keys(command: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for part in shell::analyze(command).parts.iter() {
        if let Some(k) = part_key(part)
            && !keys.contains(&k)
        {
            keys.push(k);
        }
    }
    keys
}

/// The command keys of a call, each with whether that part needed a prompt by itself
/// under `decision` (a part that is read-only or allowed by a rule did not). Parts the
/// decision does not list count as prompting. Non-Bash calls have one key, prompting.
pub fn judged_keys(
    call: &ToolCall,
    project_root: Option<&Path>,
    decision: &crate::permissions::engine::Decision,
) -> Vec<(String, bool)> {
    use crate::permissions::engine::PartVerdict;
    let Some(command) = call
        .input
        .command
        .as_deref()
        .filter(|_| call.tool == "Bash")
    else {
        return command_keys(call, project_root)
            .into_iter()
            .map(|k| (k, true))
            .collect();
    };
    let mut out: Vec<(String, bool)> = Vec::new();
    for part in shell::analyze(command).parts.iter() {
        let Some(key) = part_key(part) else { continue };
        let prompted = decision
            .parts
            .iter()
            .find(|d| d.text == part.text)
            .is_none_or(|d| matches!(d.verdict, PartVerdict::Uncovered(_) | PartVerdict::Asked));
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, p)) => *p |= prompted,
            None => out.push((key, prompted)),
        }
    }
    if out.is_empty() {
        out.push(("Bash".to_string(), true));
    }
    out
}

/// The key of one simple command; None when it has no program name.
pub fn part_key(part: &SimpleCommand) -> Option<String> {
    let argv = command_argv(part);
    let name = program_name(argv.first()?)?;
    let mut words = vec![name];
    words.extend(subcommand_words(argv));
    Some(words.join(" "))
}

/// `argv` after the runners of [`RUNNERS`] (`sudo -u x`, `env A=1`, `xargs -n 1`, ...) and
/// their options. A runner with nothing after it is the command itself (`env`, `sudo -l`).
pub fn command_argv(part: &SimpleCommand) -> &[String] {
    let mut argv: &[String] = &part.argv;
    // Bounded: each round removes at least one word.
    while let Some(first) = argv.first() {
        let name = program_name(first).unwrap_or_default();
        let Some((_, value_opts, positionals)) = RUNNERS.iter().find(|(n, _, _)| *n == name) else {
            break;
        };
        let mut i = 1;
        let mut left = *positionals;
        while let Some(w) = argv.get(i) {
            if w.starts_with('-') && w.len() > 1 {
                i += if value_opts.contains(&w.as_str()) {
                    2
                } else {
                    1
                };
            } else if name == "env" && w.contains('=') {
                i += 1;
            } else if left > 0 {
                left -= 1;
                i += 1;
            } else {
                break;
            }
        }
        if i >= argv.len() {
            break;
        }
        argv = &argv[i..];
    }
    argv
}

/// The file name of a program word (`./node_modules/.bin/jest` → `jest`); None when empty.
pub fn program_name(word: &str) -> Option<String> {
    let name = word.rsplit('/').next().unwrap_or(word);
    if name.is_empty() {
        None
    } else {
        Some(name.to_string())
    }
}

/// The table entry for a program name.
pub fn cli(name: &str) -> Option<&'static Cli> {
    CLIS.iter().find(|c| c.name == name)
}

/// The subcommand words of `argv` (program first) that its [`CLIS`] entry keeps; empty for
/// programs not in the table.
pub fn subcommand_words(argv: &[String]) -> Vec<String> {
    let Some(c) = argv
        .first()
        .and_then(|w| program_name(w))
        .and_then(|n| cli(&n))
    else {
        return Vec::new();
    };
    let mut want = c.levels;
    let mut out: Vec<String> = Vec::new();
    for w in positional_words(argv, c.value_opts) {
        if out.len() >= want {
            break;
        }
        if w.bytes().all(|b| b.is_ascii_digit()) {
            // A stray option value (`make -j 4 test`): not a subcommand, look further.
            continue;
        }
        if !is_command_word(w) {
            break;
        }
        if out.is_empty() && c.deeper.contains(&w) {
            want += 1;
        }
        out.push(w.to_string());
    }
    out
}

/// The words of `argv[1..]` that are not options, option values (`value_opts`), `+toolchain`
/// words or `NAME=value` assignments.
pub fn positional_words<'a>(argv: &'a [String], value_opts: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut i = 1;
    while let Some(w) = argv.get(i) {
        i += 1;
        if w.starts_with('-') && w.len() > 1 {
            if value_opts.contains(&w.as_str()) {
                i += 1;
            }
        } else if !(w.starts_with('+') || w.contains('=')) {
            out.push(w.as_str());
        }
    }
    out
}

/// Looks like a subcommand (not a path or expansion): starts with a letter and has no `/`.
fn is_command_word(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_alphabetic()) && !w.contains('/')
}

/// Is `path` inside `root`? Judged on the text alone (`.` and `..` resolved, no file-system
/// access, symlinks not followed). Relative paths are taken from `root`; `~` paths are
/// outside. Without a root, relative paths that do not climb out with `..` are inside.
pub fn is_inside(path: &str, root: Option<&Path>) -> bool {
    if path.starts_with('~') {
        return false;
    }
    // Most paths are absolute and clean: a prefix test on the text gives the same answer
    // as comparing resolved components, without building paths.
    if let Some(root) = root.and_then(Path::to_str)
        && clean_absolute(path)
        && clean_absolute(root)
    {
        let root = root.trim_end_matches('/');
        return path
            .strip_prefix(root)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    }
    is_inside_resolved(path, root)
}

/// Is `p` absolute and clean (see [`is_clean_absolute`]), trailing `/` allowed?
fn clean_absolute(p: &str) -> bool {
    match p.trim_end_matches('/') {
        "" => p.starts_with('/'),
        t => is_clean_absolute(t),
    }
}

/// [`is_inside`] by resolving both paths' components.
fn is_inside_resolved(path: &str, root: Option<&Path>) -> bool {
    let p = Path::new(path);
    match root {
        Some(r) => {
            let full = if p.is_absolute() { p.into() } else { r.join(p) };
            normalize(&full).starts_with(normalize(r))
        }
        None => {
            let climbs = normalize(p)
                .components()
                .next()
                .is_some_and(|c| c == Component::ParentDir);
            !(p.is_absolute() || climbs)
        }
    }
}

/// Resolves `.` and `..` lexically (a `..` above the root stays at the root; above a relative
/// start it is kept).
fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::{With, bash, call};

    fn keys(cmd: &str) -> Vec<String> {
        command_keys(&bash("b", cmd), None)
    }

    #[test]
    fn the_text_test_of_clean_paths_agrees_with_resolving() {
        let paths = [
            "/a/b",
            "/a/b/",
            "/a/bc",
            "/a",
            "/",
            "/a/b/c/d.rs",
            "/a/./b",
            "/a/b/../c",
            "//a/b",
            "/a//b/x",
            "a/b",
            "../a",
            "/x/a/b",
            "/a/b/..",
            "/a/b/.",
            "/a/b//",
        ];
        let roots = [
            "/a/b", "/a/b/", "/", "/a", "/a/./b", "/a//b", "/a/b/..", "a/b",
        ];
        let mut fast = 0;
        for path in paths {
            for root in roots {
                let root = Path::new(root);
                if clean_absolute(path) && clean_absolute(root.to_str().unwrap()) {
                    fast += 1;
                }
                assert_eq!(
                    is_inside(path, Some(root)),
                    is_inside_resolved(path, Some(root)),
                    "{path} in {root:?}"
                );
            }
        }
        assert!(fast >= 30, "{fast}");
    }

    #[test]
    fn bash_keys_from_the_brief() {
        assert_eq!(
            keys("git -C x diff HEAD && npm run test:unit | tee out"),
            ["git diff", "npm run test:unit", "tee"]
        );
        assert_eq!(keys("timeout 5 cargo build --release"), ["cargo build"]);
        assert_eq!(keys("FOO=1 gh pr view 3"), ["gh pr view"]);
    }

    #[test]
    fn bash_keys_more() {
        assert_eq!(keys("./node_modules/.bin/jest --watch"), ["jest"]);
        assert_eq!(keys("git -c core.pager=cat log -5"), ["git log"]);
        assert_eq!(keys("git --git-dir=.git status"), ["git status"]);
        assert_eq!(keys("git stash pop"), ["git stash pop"]);
        assert_eq!(keys("aws s3 ls s3://bucket"), ["aws s3 ls"]);
        assert_eq!(keys("aws --profile p s3 cp a b"), ["aws s3 cp"]);
        assert_eq!(
            keys("gcloud compute instances list --project x"),
            ["gcloud compute instances list"]
        );
        assert_eq!(keys("gcloud config set project x"), ["gcloud config set"]);
        assert_eq!(keys("kubectl -n prod get pods"), ["kubectl get pods"]);
        assert_eq!(keys("kubectl logs web-1"), ["kubectl logs"]);
        assert_eq!(keys("kubectl delete -f x.yaml"), ["kubectl delete"]);
        assert_eq!(keys("docker compose up -d"), ["docker compose up"]);
        assert_eq!(keys("docker run -p 80:80 nginx"), ["docker run"]);
        assert_eq!(keys("npm test"), ["npm test"]);
        assert_eq!(keys("npm run --silent lint"), ["npm run lint"]);
        assert_eq!(keys("pnpm --filter web run build"), ["pnpm run build"]);
        assert_eq!(keys("yarn"), ["yarn"]);
        assert_eq!(keys("cargo +nightly fmt"), ["cargo fmt"]);
        assert_eq!(keys("make -C sub -j 4 test"), ["make test"]);
        assert_eq!(keys("make CC=clang"), ["make"]);
        assert_eq!(keys("go run ./cmd/x"), ["go run"]);
        assert_eq!(keys("uv pip install x"), ["uv pip install"]);
        assert_eq!(
            keys("sudo -u root apt-get install -y curl"),
            ["apt-get install"]
        );
        assert_eq!(keys("env A=1 B=2 python x.py"), ["python"]);
        assert_eq!(keys("env"), ["env"]);
        assert_eq!(
            keys("find . -name '*.rs' | xargs -n 1 wc -l"),
            ["find", "wc"]
        );
        assert_eq!(keys("git add a && git add b; ls"), ["git add", "ls"]);
        assert_eq!(keys("ls -la"), ["ls"]);
        assert_eq!(keys(""), ["Bash"]);
        assert_eq!(keys("FOO=1"), ["Bash"]);
        assert_eq!(command_keys(&call("b", "Bash"), None), ["Bash"]);
    }

    #[test]
    fn other_tools() {
        let mcp = call("m", "mcp__github__get_issue");
        assert_eq!(command_keys(&mcp, None), ["mcp__github__get_issue"]);
        let root = Path::new("/home/u/proj");
        let read_in = call("r", "Read").path("/home/u/proj/src/main.rs");
        assert_eq!(command_keys(&read_in, Some(root)), ["Read (in project)"]);
        let read_out = call("r", "Read").path("/etc/hosts");
        assert_eq!(
            command_keys(&read_out, Some(root)),
            ["Read (outside project)"]
        );
        let sneaky = call("e", "Edit").path("/home/u/proj/../other/x");
        assert_eq!(
            command_keys(&sneaky, Some(root)),
            ["Edit (outside project)"]
        );
        let sibling = call("w", "Write").path("/home/u/project2/x");
        assert_eq!(
            command_keys(&sibling, Some(root)),
            ["Write (outside project)"]
        );
        let rel = call("w", "Write").path("src/x.rs");
        assert_eq!(command_keys(&rel, Some(root)), ["Write (in project)"]);
        let rel_up = call("g", "Grep").path("../x");
        assert_eq!(
            command_keys(&rel_up, Some(root)),
            ["Grep (outside project)"]
        );
        let no_path = call("g", "Glob");
        assert_eq!(command_keys(&no_path, Some(root)), ["Glob (in project)"]);
        let home = call("n", "NotebookEdit").path("~/nb.ipynb");
        assert_eq!(
            command_keys(&home, Some(root)),
            ["NotebookEdit (outside project)"]
        );
        // Falls back to the call's own working folder.
        let own = call("r", "Read").path("/home/u/proj/a");
        assert_eq!(command_keys(&own, None), ["Read (in project)"]);
        let mut bare = call("r", "Read").path("/abs");
        bare.project = None;
        assert_eq!(command_keys(&bare, None), ["Read (outside project)"]);
        bare.input.path = Some("rel".into());
        assert_eq!(command_keys(&bare, None), ["Read (in project)"]);

        let mut wf = call("w", "WebFetch");
        wf.input.url = Some("https://User@Docs.RS.:443/x?y".into());
        assert_eq!(command_keys(&wf, None), ["WebFetch docs.rs"]);
        wf.input.domain = Some("example.com".into());
        assert_eq!(command_keys(&wf, None), ["WebFetch example.com"]);
        assert_eq!(command_keys(&call("w", "WebFetch"), None), ["WebFetch"]);
        assert_eq!(command_keys(&call("t", "Task"), None), ["Task"]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "/",
            "git -C",
            "aws --profile",
            "sudo",
            "xargs -n",
            "é ü",
            "'unclosed",
        ] {
            let _ = keys(s);
        }
    }
}
