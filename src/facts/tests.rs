//! The fact tables checked against each other.

use super::commands::*;
use super::env::{DOCUMENTED_SAFE_ENV, is_safe_env_var};
use super::git::{
    GIT_GLOBAL_OPTIONS, GIT_KEYED_VALUE_OPTIONS, GitEffect, GitValue, git_global_option,
};
use super::runners::{PROJECT_RUNNERS, is_program, project_runner};
use super::single_word_categories;
use super::tools::{AUTO_BROAD_INTERPRETERS, AUTO_BROAD_RUNNERS, RM_COMMANDS};
use super::wrappers::{EXACT_ALLOW_ONLY, EXEC_WRAPPERS, RuleView, exec_wrapper};

#[test]
fn no_program_is_in_two_single_word_categories() {
    let all = single_word_categories();
    for (i, (a, names)) in all.iter().enumerate() {
        let mut seen = std::collections::HashSet::new();
        for n in names {
            assert!(seen.insert(n), "{n} twice in {a}");
        }
        for (b, other) in &all[i + 1..] {
            for n in names {
                assert!(!other.contains(n), "{n} is in {a} and {b}");
            }
        }
    }
}

#[test]
fn auto_mode_broad_interpreters_are_all_code_runners() {
    let code_runners: Vec<&str> = single_word_categories()
        .into_iter()
        .filter(|(name, _)| {
            matches!(
                *name,
                "interpreters"
                    | "shells"
                    | "shell eval builtins"
                    | "package runners"
                    | "exec wrappers"
                    | "remote shells"
            )
        })
        .flat_map(|(_, names)| names)
        .collect();
    for i in AUTO_BROAD_INTERPRETERS {
        assert!(code_runners.contains(i), "{i}");
    }
}

#[test]
fn auto_mode_broad_runners_are_task_or_package_runners() {
    for r in AUTO_BROAD_RUNNERS {
        let words: Vec<&str> = r.split(' ').collect();
        let known = PROJECT_RUNNERS
            .iter()
            .map(|r| r.words)
            .chain(RUNNER_SUBCOMMANDS.iter().copied())
            .any(|e| e == words.as_slice());
        assert!(known, "{r}");
    }
}

#[test]
fn every_word_sequence_is_well_formed() {
    let runners: Vec<&[&str]> = PROJECT_RUNNERS.iter().map(|r| r.words).collect();
    let lists: &[&[&[&str]]] = &[
        RUNNER_SUBCOMMANDS,
        &runners,
        API_CLIENTS,
        GIT_REMOTE_COMMANDS,
        CONTAINER_EXEC,
        SCRIPTABLE_FILE_TOOLS,
        DESTRUCTIVE_COMMANDS,
    ];
    for list in lists {
        for (i, entry) in list.iter().enumerate() {
            assert!(!entry.is_empty());
            assert!(
                entry.iter().all(|w| !w.is_empty() && !w.contains(' ')),
                "{entry:?}"
            );
            assert!(!list[..i].contains(entry), "{entry:?} twice");
        }
    }
}

#[test]
fn critical_rm_commands_are_destructive() {
    for c in RM_COMMANDS {
        assert!(DESTRUCTIVE_COMMANDS.contains(&&[*c][..]), "{c}");
    }
}

#[test]
fn exec_wrappers_are_consistent() {
    for (i, w) in EXEC_WRAPPERS.iter().enumerate() {
        assert!(
            EXEC_WRAPPERS[..i].iter().all(|o| o.name != w.name),
            "{} twice",
            w.name
        );
        assert_eq!(exec_wrapper(w.name).map(|f| f.name), Some(w.name));
        for (j, o) in w.value_options.iter().enumerate() {
            assert!(
                o.name.starts_with('-') && o.name.len() >= 2,
                "{}: {}",
                w.name,
                o.name
            );
            assert!(
                w.value_options[..j].iter().all(|p| p.name != o.name),
                "{}: {} twice",
                w.name,
                o.name
            );
        }
        for f in w.flags {
            assert!(f.starts_with('-'), "{}: {f}", w.name);
            assert!(
                w.value_options.iter().all(|o| o.name != *f),
                "{}: {f}",
                w.name
            );
        }
        if w.rules == RuleView::NotLookedThrough {
            // Only the suggester reads these: nothing else about them is used.
            assert!(
                w.value_options.is_empty() && w.flags.is_empty(),
                "{}",
                w.name
            );
            assert!(!w.keyed && w.assignments.is_none(), "{}", w.name);
        }
    }
}

#[test]
fn exact_allow_only_wrappers_are_seen_through_by_deny_and_ask() {
    for name in EXACT_ALLOW_ONLY {
        let w = exec_wrapper(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(w.rules, RuleView::SeenThroughByDenyAsk, "{name}");
    }
}

#[test]
fn documented_safe_env_vars_are_safe_for_matching_too() {
    for v in DOCUMENTED_SAFE_ENV {
        assert!(is_safe_env_var(v), "{v}");
    }
}

#[test]
fn git_global_options_are_consistent() {
    for (i, o) in GIT_GLOBAL_OPTIONS.iter().enumerate() {
        assert!(
            GIT_GLOBAL_OPTIONS[..i].iter().all(|p| p.name != o.name),
            "{}",
            o.name
        );
        // The read-only check refuses anything that can run a program.
        if o.effect != GitEffect::Harmless {
            assert!(!o.readonly_check, "{}", o.name);
        }
        // The keys skip values only.
        if o.keyed {
            assert_eq!(o.value, GitValue::Separate, "{}", o.name);
        }
        let width = if o.value == GitValue::Separate { 2 } else { 1 };
        let found = git_global_option(o.name).map(|(f, w)| (f.name, w));
        assert_eq!(found, Some((o.name, width)), "{}", o.name);
    }
    assert_eq!(
        GIT_KEYED_VALUE_OPTIONS.len(),
        GIT_GLOBAL_OPTIONS.iter().filter(|o| o.keyed).count()
    );
    #[rustfmt::skip]
    let cases: &[(&str, Option<(&str, usize)>)] = &[
        ("--git-dir=.git", Some(("--git-dir", 1))),
        ("--exec-path=/x", Some(("--exec-path", 1))),
        ("--config-env=a=B", Some(("--config-env", 1))),
        ("-C=x", None),
        ("-cx", None),
        ("--no-pager=x", None),
        ("log", None),
    ];
    for (word, want) in cases {
        let got = git_global_option(word).map(|(o, w)| (o.name, w));
        assert_eq!(got, *want, "{word}");
    }
}

/// The runner table against the other command tables: no runner lies inside a package
/// runner, a destructive command or a scriptable file tool (`yarn` is a runner and
/// `yarn dlx` a package runner: the more specific never list wins); the only runners whose program is in a
/// "never" category are `bun` and `deno` (interpreters, which the never lists catch first);
/// every runner is found by its own words; and no runner is written twice.
#[test]
fn project_runners_fit_the_other_tables() {
    let categories = single_word_categories();
    let mut in_a_category: Vec<&str> = Vec::new();
    for (i, r) in PROJECT_RUNNERS.iter().enumerate() {
        assert!(
            PROJECT_RUNNERS[..i].iter().all(|o| o.words != r.words),
            "{:?} twice",
            r.words
        );
        assert!(!r.runs.is_empty(), "{:?}", r.words);
        assert_eq!(
            project_runner(r.words).map(|f| f.words),
            Some(r.words),
            "{:?}",
            r.words
        );
        for list in [
            RUNNER_SUBCOMMANDS,
            DESTRUCTIVE_COMMANDS,
            SCRIPTABLE_FILE_TOOLS,
        ] {
            assert!(
                !list.iter().any(|e| r.words.starts_with(e)),
                "{:?}",
                r.words
            );
        }
        if categories
            .iter()
            .any(|(_, names)| names.iter().any(|n| is_program(r.words[0], n)))
        {
            in_a_category.push(r.words[0]);
        }
    }
    in_a_category.dedup();
    assert_eq!(in_a_category, ["bun", "deno"]);
    // The package runners run whatever package they are given: never a project runner.
    for p in PACKAGE_RUNNERS {
        assert!(project_runner(&[*p, "test"]).is_none(), "{p}");
    }
}
