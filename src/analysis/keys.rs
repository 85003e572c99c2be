//! Command keys: a short name for what a call did, to group and count calls by
//! (`git diff`, `npm run test`, `gh pr view`, `Read (outside project)`, `WebFetch docs.rs`).
//!
//! For Bash, each simple command of the line gets a key: its program name (a path reduced to
//! its file name) plus as many subcommand words as the program's entry in
//! [`CLI_SHAPES`](crate::facts::cli_shapes::CLI_SHAPES) says it takes. Option words before a
//! subcommand are skipped (`git -C dir diff` → `git diff`), and so are the values of the
//! options that take one. Env assignments and the wrappers Claude Code strips (`timeout 5`,
//! `nice`, ...) are already gone from `argv`; [`command_argv`] also looks through the exec
//! wrappers the keys know (`sudo`, `env`, `xargs`, ...: those of
//! [`EXEC_WRAPPERS`](crate::facts::wrappers::EXEC_WRAPPERS) marked `keyed`).

use crate::event::ToolCall;
use crate::facts::cli_shapes::cli_shape;
use crate::facts::tools::PATH_TOOLS;
use crate::facts::wrappers::{Reader, exec_wrapper};
use crate::permissions::paths::is_clean_absolute;
use crate::permissions::shell::{self, SimpleCommand};
use std::path::{Component, Path, PathBuf};

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
    if PATH_TOOLS.contains(&tool) {
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

/// `argv` after the exec wrappers the keys look through (`sudo -u x`, `env A=1`,
/// `xargs -n 1`, ...: those marked `keyed`) and their options. A wrapper with nothing
/// after it is the command itself (`env`, `sudo -l`).
pub fn command_argv(part: &SimpleCommand) -> &[String] {
    let mut argv: &[String] = &part.argv;
    // Bounded: each round removes at least one word.
    while let Some(first) = argv.first() {
        let name = program_name(first).unwrap_or_default();
        let Some(wrapper) = exec_wrapper(&name).filter(|w| w.keyed) else {
            break;
        };
        let mut i = 1;
        let mut left = wrapper.operands;
        while let Some(w) = argv.get(i) {
            if w.starts_with('-') && w.len() > 1 {
                i += if wrapper.takes_value(w, Reader::Keys) {
                    2
                } else {
                    1
                };
            } else if wrapper.takes_assignments(Reader::Keys) && w.contains('=') {
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

/// The subcommand words of `argv` (program first) that its
/// [`CLI_SHAPES`](crate::facts::cli_shapes::CLI_SHAPES) entry keeps; empty for programs not
/// in the table.
pub fn subcommand_words(argv: &[String]) -> Vec<String> {
    let Some(c) = argv
        .first()
        .and_then(|w| program_name(w))
        .and_then(|n| cli_shape(&n))
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
    fn bash_keys_first_cases() {
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

    /// The keys look through every wrapper the facts mark `keyed` (with its operands), and
    /// through no other.
    #[test]
    fn keys_look_through_the_keyed_wrappers_of_the_facts() {
        use crate::facts::wrappers::EXEC_WRAPPERS;
        for w in EXEC_WRAPPERS {
            let operands = vec!["5"; w.operands].join(" ");
            let argv: Vec<String> = format!("{} {operands} gh pr view 3", w.name)
                .split_whitespace()
                .map(String::from)
                .collect();
            let part = SimpleCommand {
                raw: argv.join(" "),
                env: Vec::new(),
                wrappers: Vec::new(),
                text: argv.join(" "),
                argv,
                redirects: Vec::new(),
                opaque: None,
            };
            let want = if w.keyed { "gh pr view" } else { w.name };
            assert_eq!(part_key(&part).as_deref(), Some(want), "{}", w.name);
        }
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
