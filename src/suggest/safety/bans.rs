//! The "never" lists: which rules the suggester must not propose and the auditor calls
//! dangerous, and how far each ban reaches.

use super::shape::Wildcard;
use crate::facts::commands::{
    API_CLIENTS, CONTAINER_EXEC, DESTRUCTIVE_COMMANDS, GIT_REMOTE_COMMANDS, HTTP_CLIENTS,
    INTERPRETERS, MAYBE_REMOTE_COPIES, PACKAGE_RUNNERS, REMOTE_SHELLS, RUNNER_SUBCOMMANDS,
    SCRIPTABLE_FILE_TOOLS, SHELL_EVAL_BUILTINS, SHELLS, SOCKET_CLIENTS,
};
use crate::facts::runners::PROJECT_RUNNERS;
use crate::facts::runners::{is_program, program_forms as command_forms};
use crate::facts::wrappers::EXEC_WRAPPERS;
use serde::Serialize;
use std::sync::LazyLock;

/// How far a [`BanList`] ban reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BanReach {
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
pub struct BanList {
    /// Short snake_case name shown in reports (`interpreters`, `task_runners`, ...).
    pub name: &'static str,
    /// How far the ban reaches.
    pub reach: BanReach,
    /// Why, in one line.
    pub why: &'static str,
    /// Command word sequences the list covers (the first word is compared by basename,
    /// with a trailing version number ignored: `/usr/bin/python3.12` is `python`).
    pub entries: Vec<&'static [&'static str]>,
}

/// Entries of one word each, from a list of program names, leaving out `except`.
fn programs(
    names: impl IntoIterator<Item = &'static &'static str>,
    except: &[&str],
) -> Vec<&'static [&'static str]> {
    names
        .into_iter()
        .filter(|n| !except.contains(n))
        .map(std::slice::from_ref)
        .collect()
}

/// Every "never" list, in the order a hit is reported. The entries are the command
/// categories of [`crate::facts`]; the reach and the reason are the suggester's.
pub static BAN_LISTS: LazyLock<Vec<BanList>> = LazyLock::new(|| {
    let list = |name, reach, why, entries| BanList {
        name,
        reach,
        why,
        entries,
    };
    vec![
        list(
            "shells",
            BanReach::Always,
            "a shell runs whatever script or -c string it is given",
            programs(SHELLS.iter().map(|s| &s.name), &[]),
        ),
        list(
            "interpreters",
            BanReach::Always,
            "an interpreter runs whatever script or -c/-e code it is given",
            programs(INTERPRETERS, &[]),
        ),
        list(
            "code_eval",
            BanReach::Always,
            "eval, exec and source run text or files as shell code",
            programs(SHELL_EVAL_BUILTINS, &[]),
        ),
        list(
            "remote_shells",
            BanReach::Always,
            "runs commands on, or copies files to and from, another machine",
            // `ftp` has never been on this list: an exact `Bash(ftp host)` may be proposed.
            programs(REMOTE_SHELLS.iter().chain(MAYBE_REMOTE_COPIES), &["ftp"]),
        ),
        list(
            "package_runners",
            BanReach::Always,
            "downloads and/or runs a package's or environment's program, whatever it is",
            programs(PACKAGE_RUNNERS, &[])
                .into_iter()
                .chain(RUNNER_SUBCOMMANDS.iter().copied())
                .collect(),
        ),
        list(
            "gh_api",
            BanReach::Always,
            "gh api sends any request (-X POST/DELETE, -f fields, GraphQL mutations)",
            API_CLIENTS.to_vec(),
        ),
        list(
            "git_network",
            BanReach::Always,
            "git fetch/pull/clone can run commands (--upload-pack, ext:: URLs) and change the tree",
            GIT_REMOTE_COMMANDS.to_vec(),
        ),
        list(
            "network_clients",
            BanReach::Always,
            "can post local data anywhere or write downloaded files; use WebFetch(domain:...)",
            programs(HTTP_CLIENTS.iter().chain(SOCKET_CLIENTS), &[]),
        ),
        list(
            "exec_wrappers",
            BanReach::Always,
            "runs its argument as a command, so the rule would cover any command",
            // zsh's `noglob` has never been on this list: `Bash(noglob x)` may be proposed.
            programs(EXEC_WRAPPERS.iter().map(|w| &w.name), &["noglob"]),
        ),
        list(
            "container_exec",
            BanReach::Always,
            "runs a program inside a container or pod",
            CONTAINER_EXEC.to_vec(),
        ),
        list(
            "task_runners",
            BanReach::WildcardAtEntry,
            "runs repository-defined tasks or code; a wildcard here admits any task",
            PROJECT_RUNNERS.iter().map(|r| r.words).collect(),
        ),
        list(
            "file_tools",
            BanReach::AnyWildcard,
            "some flags or script commands run programs or write files (find -exec/-delete, sed -i/w/e, awk system())",
            SCRIPTABLE_FILE_TOOLS.to_vec(),
        ),
        list(
            "destructive",
            BanReach::AnyWildcard,
            "deletes, overwrites or publishes; a wildcard admits any target or flag",
            DESTRUCTIVE_COMMANDS.to_vec(),
        ),
    ]
});

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

fn first_word_eq(entry: &str, word: &str) -> bool {
    is_program(word, entry)
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
                e.starts_with(w.as_str()) || command_forms(w).iter().any(|f| e.starts_with(f))
            }
            (0, false) => first_word_eq(e, w),
            (_, true) => e.starts_with(w.as_str()),
            (_, false) => e == w,
        }
    })
}

/// A hit in a [`BanList`].
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
    let hit = |t: &BanList, e: &[&str]| RiskHit {
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
    for t in BAN_LISTS.iter() {
        for &e in &t.entries {
            let covered = starts_with_entry(words, e);
            let banned = match wildcard {
                Wildcard::None => covered && t.reach == BanReach::Always,
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
                        || (inside && matches!(t.reach, BanReach::Always | BanReach::AnyWildcard))
                        || (at_entry && t.reach == BanReach::WildcardAtEntry)
                }
            };
            if banned {
                return Some(hit(t, e));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::test_words as w;
    use super::*;

    #[test]
    fn risk_table_scopes() {
        #[rustfmt::skip]
        let cases: &[(&str, Wildcard, Option<&str>)] = &[
            ("python script.py", Wildcard::None, Some("interpreters")),
            ("/usr/bin/python3.12 x", Wildcard::None, Some("interpreters")),
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

    /// Every command category of the facts is banned: exactly for those that run anything,
    /// with a wildcard for task runners, scriptable file tools and destructive commands.
    /// `ftp` and `noglob` are the two documented exceptions.
    #[test]
    fn every_category_of_the_facts_is_banned() {
        let words = |e: &[&str]| e.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let programs: Vec<&str> = crate::facts::single_word_categories()
            .into_iter()
            .flat_map(|(_, names)| names)
            .collect();
        let always = programs
            .iter()
            .map(std::slice::from_ref)
            .chain(RUNNER_SUBCOMMANDS.iter().copied())
            .chain(API_CLIENTS.iter().copied())
            .chain(GIT_REMOTE_COMMANDS.iter().copied())
            .chain(CONTAINER_EXEC.iter().copied());
        for e in always {
            let hit = risk_of(&words(e), Wildcard::None);
            let exception = matches!(e, ["ftp"] | ["noglob"]);
            assert_eq!(hit.is_none(), exception, "{e:?}: {hit:?}");
        }
        let with_wildcard = PROJECT_RUNNERS
            .iter()
            .map(|r| r.words)
            .chain(SCRIPTABLE_FILE_TOOLS.iter().copied())
            .chain(DESTRUCTIVE_COMMANDS.iter().copied());
        for e in with_wildcard {
            assert!(risk_of(&words(e), Wildcard::AfterWord).is_some(), "{e:?}");
        }
    }

    #[test]
    fn readonly_subcommands_are_not_risky() {
        for (c, s) in READONLY_SUBCOMMANDS {
            let words = vec![c.to_string(), s.to_string()];
            assert_eq!(risk_of(&words, Wildcard::AfterWord), None, "{c} {s}");
            // Nor a project runner: a prefix rule is read-only by construction.
            assert!(
                crate::facts::runners::project_runner(&words).is_none(),
                "{c} {s}"
            );
        }
    }
}
