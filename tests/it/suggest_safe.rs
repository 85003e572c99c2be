//! Suggestions a careful engineer accepts (issue 16), end to end through the binary: rules
//! that run project code are never passed off as read-only, writes through `cat`/`echo`/`tee`
//! give no read-only rule, rules that save nothing are not proposed, the projected total is
//! what a replay with the rules gives, rules go to their own project's file, and `--pick` /
//! `--exclude` write exactly what was chosen. The window says what lies before it.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;

/// The command of the issue: write a test file, then run the tests.
const RUNNER_EXAMPLE: &str =
    "cat >> x_test.go << 'EOF'\npackage x\n\nfunc init() { panic(1) }\nEOF\ngo test ./...";

/// Runs `permstat suggest PATH --format json -q` with `extra`, expecting exit 0.
fn suggest(path: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["suggest", path.to_str().unwrap(), "--format", "json", "-q"];
    args.extend(extra);
    json(&permstat_ok(&args))
}

/// The rule texts of a suggest document.
fn rules(v: &Value) -> Vec<String> {
    v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect()
}

/// A settings file allowing `rules`, in `dir`.
fn settings_with(dir: &Path, name: &str, rules: &[String]) -> String {
    let f = dir.join(name);
    std::fs::write(&f, json!({"permissions": {"allow": rules}}).to_string()).unwrap();
    f.to_str().unwrap().to_string()
}

/// `permstat check --mode acceptEdits` of the runner example under a settings file.
fn runner_example_decision(settings: &str, cwd: &Path) -> String {
    let out = permstat_ok(&[
        "check",
        "--format",
        "json",
        "--mode",
        "acceptEdits",
        "--cwd",
        cwd.to_str().unwrap(),
        "--settings",
        settings,
        "Bash",
        RUNNER_EXAMPLE,
    ]);
    json(&out)["decision"].as_str().unwrap().to_string()
}

/// The lowest thresholds: every candidate with any evidence is considered.
const EVERYTHING: &[&str] = &[
    "--since",
    "2020-01-01",
    "--min-count",
    "1",
    "--min-sessions",
    "1",
    "--min-saved",
    "1",
    "--limit",
    "1000",
];

/// Hand-made sessions in acceptEdits mode (where Claude Code lets a redirection inside the
/// project through, so only the command itself prompts): the runner example split in its
/// two halves, heredoc and redirect writes through cat/echo/printf/tee, and plain reads.
fn writer_history(dir: &Path, cwd: &str) {
    let cmds: &[(&str, usize)] = &[
        ("cat >> x_test.go << 'EOF'\npackage x\nEOF", 2),
        ("go test ./...", 3),
        ("go test ./cmd/entire/cli/...", 3),
        ("cat > .env << 'EOF'\nA=1\nEOF", 2),
        ("echo \"ENTIRE_LOCAL_DEV=1\" > .env", 2),
        ("printf 'x=1\\n' >> config.ini", 2),
        ("echo deploy | tee -a notes.md", 2),
        ("echo 'rm -rf build' | sh", 2),
        ("pip list --outdated", 2),
        ("helm list -A", 2),
    ];
    approved_sessions(
        dir,
        cwd,
        "2026-01-10",
        "acceptEdits",
        &[("s1", cmds), ("s2", cmds)],
    );
}

#[test]
fn no_proposed_rule_set_lets_the_runner_example_through() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("app");
    std::fs::create_dir_all(&cwd).unwrap();
    let history = dir.path().join("h");
    writer_history(&history, cwd.to_str().unwrap());
    let root = ["--project-root", cwd.to_str().unwrap()];

    for thresholds in [&["--since", "2020-01-01"][..], EVERYTHING] {
        let mut extra = thresholds.to_vec();
        extra.extend(root);
        let v = suggest(&history, &extra);
        let proposed = rules(&v);
        // Only the two read-only commands; every write and runner is left out.
        assert_eq!(
            proposed,
            ["Bash(helm list -A)", "Bash(pip list --outdated)"],
            "{v}"
        );
        assert!(
            v["rules"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["class"] == "read_only")
        );
        let s = settings_with(dir.path(), "proposed.json", &proposed);
        assert_ne!(runner_example_decision(&s, &cwd), "allow");
        let left = v["left_out"].as_array().unwrap();
        let reason = |key: &str| {
            left.iter()
                .find(|l| l["key"] == key)
                .map(|l| l["reason"].as_str().unwrap().to_string())
                .unwrap_or_else(|| panic!("{key} not left out: {v}"))
        };
        assert_eq!(reason("go test ./..."), "runs_project_code");
        assert_eq!(reason("go test ./cmd/entire/cli/..."), "runs_project_code");
        // Heredoc `cat`, `echo >` and `printf >>` were approved as writes; `tee` writes; the
        // `sh` fed by echo is a shell. None gets a rule.
        for key in ["cat", "echo \"ENTIRE_LOCAL_DEV=1\"", "printf 'x=1\\n'"] {
            assert_eq!(reason(key), "writes_or_destructive", "{key}");
            let l = left.iter().find(|l| l["key"] == key).unwrap();
            assert_eq!(l["table"], "approved_as_write", "{l}");
        }
        assert_eq!(reason("tee -a notes.md"), "writes_or_destructive");
        assert_eq!(reason("sh"), "risky");
    }

    // Asked for, runner rules are exact, labelled, warned about; `cat` still is not proposed,
    // so the example still prompts.
    let mut extra = vec!["--since", "2020-01-01", "--include-runners"];
    extra.extend(root);
    let v = suggest(&history, &extra);
    let runner_rules: Vec<&Value> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["class"] == "runs_project_code")
        .collect();
    let texts: Vec<&str> = runner_rules
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["Bash(go test ./...)", "Bash(go test ./cmd/entire/cli/...)"]
    );
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("arbitrary code"),
        "{v}"
    );
    let s = settings_with(dir.path(), "with-runners.json", &rules(&v));
    assert_eq!(runner_example_decision(&s, &cwd), "prompt");
    let text = permstat_ok(&[
        "suggest",
        history.to_str().unwrap(),
        "-q",
        "--since",
        "2020-01-01",
        "--include-runners",
        "--project-root",
        cwd.to_str().unwrap(),
    ]);
    assert!(text.contains("runs project code"), "{text}");
    assert!(
        text.contains("Warning: rules marked 'runs project code'"),
        "{text}"
    );
}

/// On the real transcripts, with every threshold at its lowest, no proposed rule runs
/// project code or was approved as a write, and the runner example still does not pass.
///
/// Worked out from the files: `grep -c 'echo \\"ENTIRE_LOCAL_DEV=1\\" > .env'` finds the one
/// approved write the old suggester turned into `Bash(echo "ENTIRE_LOCAL_DEV=1")`. The
/// runner parts, from `grep -rho '"command":"[^"]*mise run[^"]*"' data/real | sort | uniq -c`
/// and the go build lines: `mise run lint` 4 (after fmt) + 6 alone = 10; `mise run test`
/// 4 + 1 piped + 1 after go build = 6; `mise run fmt` 4 + 2, less 1 rejected = 5;
/// `mise run test -- ./redact/...` 4; `mise run test:integration` 1; `go build ./cmd/entire`
/// 1 (the `go build -o /tmp/...` ones hold a temp path): 27 approvals.
#[test]
fn real_history_gets_no_runner_or_writer_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut extra = EVERYTHING.to_vec();
    extra.extend(["--project-root", dir.path().to_str().unwrap()]);
    let v = suggest(Path::new("data/real"), &extra);
    let proposed = rules(&v);
    assert!(!proposed.is_empty(), "{v}");
    for r in v["rules"].as_array().unwrap() {
        assert_eq!(r["class"], "read_only", "{r}");
        assert!(r["prompts_saved"].as_u64().unwrap() >= 1, "{r}");
    }
    for banned in ["echo", "mise", "go test", "cat"] {
        assert!(
            !proposed
                .iter()
                .any(|r| r.starts_with(&format!("Bash({banned}"))),
            "{banned}: {proposed:?}"
        );
    }
    let left = v["left_out"].as_array().unwrap();
    assert!(left.iter().any(
        |l| l["key"] == "echo \"ENTIRE_LOCAL_DEV=1\"" && l["reason"] == "writes_or_destructive"
    ));
    let runners: u64 = left
        .iter()
        .filter(|l| l["reason"] == "runs_project_code")
        .map(|l| l["count"].as_u64().unwrap())
        .sum();
    assert_eq!(runners, 27, "{left:?}");
    let s = settings_with(dir.path(), "real.json", &proposed);
    assert_ne!(runner_example_decision(&s, dir.path()), "allow");
    // The friction list names the runners as such.
    let friction = v["friction"].as_array().unwrap();
    assert!(friction.iter().any(|f| f["key"] == "mise run lint"
        && f["reason"] == "runs_project_code"
        && f["advice"].as_str().unwrap().contains("--include-runners")));
    assert!(
        friction
            .iter()
            .any(|f| f["key"] == "Edit" && f["advice"].as_str().unwrap().contains("acceptEdits"))
    );
}

/// Prompts a replay counts with the rules of `v` given as a `--settings` file.
fn replayed_prompts(path: &Path, settings: Option<&str>, extra: &[&str]) -> u64 {
    let mut args = vec!["replay", path.to_str().unwrap(), "--format", "json", "-q"];
    if let Some(s) = settings {
        args.extend(["--settings", s]);
    }
    args.extend(extra);
    json(&permstat_ok(&args))["prompts"].as_u64().unwrap()
}

#[test]
fn the_projected_total_is_a_replay_with_the_rules_added() {
    let dir = tempfile::tempdir().unwrap();
    // The real sample, all sessions as one project.
    let mut extra = EVERYTHING.to_vec();
    extra.extend(["--project-root", dir.path().to_str().unwrap()]);
    let v = suggest(Path::new("data/real"), &extra);
    let window = ["--since", "2020-01-01"];
    let before = replayed_prompts(Path::new("data/real"), None, &window);
    // 189 prompts over the 330 calls (`permstat replay data/real`, tests/it/replay_real.rs).
    assert_eq!((before, v["prompts_before"].as_u64().unwrap()), (189, 189));
    let s = settings_with(dir.path(), "real.json", &rules(&v));
    let after = replayed_prompts(Path::new("data/real"), Some(&s), &window);
    assert_eq!(v["prompts_after"].as_u64().unwrap(), after, "{v}");
    assert!(after < before);
    assert_eq!(
        v["prompts_saved"].as_u64().unwrap(),
        before - after,
        "the saving is the difference"
    );

    // A hand-made history, default thresholds.
    let history = dir.path().join("h");
    let cwd = dir.path().join("app");
    let both: &[(&str, usize)] = &[
        ("pip list --outdated", 3),
        ("helm list -A", 2),
        ("npm outdated", 1),
        ("make lint", 2),
    ];
    approved_sessions(
        &history,
        cwd.to_str().unwrap(),
        "2026-01-10",
        "default",
        &[("s1", both), ("s2", both)],
    );
    let v = suggest(
        &history,
        &[
            "--since",
            "2026-01-01",
            "--project-root",
            cwd.to_str().unwrap(),
        ],
    );
    assert_eq!(
        rules(&v),
        ["Bash(pip list --outdated)", "Bash(helm list -A)"],
        "{v}"
    );
    // 16 calls, all prompting; the two rules allow 6 + 4 of them.
    assert_eq!(v["prompts_before"], 16);
    assert_eq!(v["prompts_after"], 6);
    let s = settings_with(dir.path(), "h.json", &rules(&v));
    assert_eq!(
        replayed_prompts(&history, Some(&s), &["--since", "2026-01-01"]),
        6
    );
    // npm outdated was approved twice in all: under --min-count, not a rule; make is a runner.
    let left = v["left_out"].as_array().unwrap();
    let reason = |key: &str| {
        left.iter()
            .find(|l| l["key"] == key)
            .map(|l| l["reason"].clone())
    };
    assert_eq!(reason("npm outdated"), Some(json!("too_rare")));
    assert_eq!(reason("make lint"), Some(json!("runs_project_code")));
}

#[test]
fn rules_that_save_nothing_are_not_proposed() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("app");
    // `read hash msg` and `npm outdated` only ever ran beside a command that still prompts,
    // so a rule for either saves no prompt.
    let cmds: &[(&str, usize)] = &[
        ("read hash msg && git push origin main", 2),
        ("npm outdated && git commit -m x", 2),
        ("pip list --outdated", 2),
    ];
    approved_sessions(
        dir.path(),
        cwd.to_str().unwrap(),
        "2026-01-10",
        "default",
        &[("s1", cmds), ("s2", cmds)],
    );
    for min_saved in ["1", "3"] {
        let v = suggest(
            dir.path(),
            &[
                "--since",
                "2026-01-01",
                "--min-saved",
                min_saved,
                "--project-root",
                cwd.to_str().unwrap(),
            ],
        );
        assert_eq!(rules(&v), ["Bash(pip list --outdated)"], "{v}");
        let left = v["left_out"].as_array().unwrap();
        for key in ["Bash(read hash msg)", "Bash(npm outdated)"] {
            let l = left
                .iter()
                .find(|l| l["key"] == key)
                .unwrap_or_else(|| panic!("{key}: {v}"));
            assert_eq!(l["reason"], "saves_too_little", "{l}");
            assert!(
                l["detail"]
                    .as_str()
                    .unwrap()
                    .starts_with("would save 0 prompt"),
                "{l}"
            );
        }
    }
    // With --min-saved 5 the pip rule (4 prompts) goes too.
    let v = suggest(
        dir.path(),
        &[
            "--since",
            "2026-01-01",
            "--min-saved",
            "5",
            "--project-root",
            cwd.to_str().unwrap(),
        ],
    );
    assert!(rules(&v).is_empty(), "{v}");
}

/// Two projects, each with its own approvals, and one command approved in both.
fn two_projects(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let a = dir.join("repo-a");
    let b = dir.join("repo-b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let history = dir.join("h");
    let in_a: &[(&str, usize)] = &[("pip list --outdated", 2), ("helm list -A", 2)];
    let in_b: &[(&str, usize)] = &[("npm outdated", 2), ("helm list -A", 2)];
    approved_sessions(
        &history,
        a.to_str().unwrap(),
        "2026-01-10",
        "default",
        &[("a1", in_a), ("a2", in_a)],
    );
    approved_sessions(
        &history,
        b.to_str().unwrap(),
        "2026-01-11",
        "default",
        &[("b1", in_b), ("b2", in_b)],
    );
    (history, a, b)
}

fn allow_list(file: &Path) -> Value {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str::<Value>(&text).unwrap()["permissions"]["allow"].clone()
}

#[test]
fn rules_go_to_their_own_project() {
    let dir = tempfile::tempdir().unwrap();
    let (history, a, b) = two_projects(dir.path());
    let v = suggest(&history, &["--since", "2026-01-01"]);
    let by_project: Vec<(String, String)> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["project"].as_str().unwrap().to_string(),
                r["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let (a_s, b_s) = (a.display().to_string(), b.display().to_string());
    assert_eq!(
        by_project,
        [
            (a_s.clone(), "Bash(helm list -A)".to_string()),
            (a_s.clone(), "Bash(pip list --outdated)".to_string()),
            (b_s.clone(), "Bash(helm list -A)".to_string()),
            (b_s.clone(), "Bash(npm outdated)".to_string()),
        ]
    );
    let targets: Vec<&str> = v["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["target"].as_str().unwrap())
        .collect();
    let local = |p: &Path| p.join(".claude/settings.local.json");
    assert_eq!(
        targets,
        [local(&a).to_str().unwrap(), local(&b).to_str().unwrap()]
    );
    // User scope: only what several projects approved, into the user's settings.
    let config = tempfile::tempdir().unwrap();
    let (code, out, err) = permstat_in_config(
        &[
            "suggest",
            history.to_str().unwrap(),
            "-q",
            "--since",
            "2026-01-01",
            "--scope",
            "user",
            "--format",
            "json",
        ],
        config.path(),
    );
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(rules(&v), ["Bash(helm list -A)"], "{v}");
    assert_eq!(
        v["projects"][0]["target"],
        config.path().join("settings.json").to_str().unwrap()
    );
    let left = v["left_out"].as_array().unwrap();
    assert!(
        left.iter()
            .any(|l| l["key"] == "pip list --outdated" && l["reason"] == "too_few_projects")
    );
    // Nothing written on a dry run.
    assert!(!local(&a).exists() && !local(&b).exists());
    permstat_ok(&[
        "suggest",
        history.to_str().unwrap(),
        "-q",
        "--since",
        "2026-01-01",
        "--write",
    ]);
    assert_eq!(
        allow_list(&local(&a)),
        json!(["Bash(helm list -A)", "Bash(pip list --outdated)"])
    );
    assert_eq!(
        allow_list(&local(&b)),
        json!(["Bash(helm list -A)", "Bash(npm outdated)"])
    );
}

#[test]
fn pick_and_exclude_write_exactly_what_was_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let (history, a, b) = two_projects(dir.path());
    let local = |p: &Path| p.join(".claude/settings.local.json");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "suggest",
            history.to_str().unwrap(),
            "-q",
            "--since",
            "2026-01-01",
        ];
        args.extend(extra);
        permstat(&args)
    };
    // The numbers as listed: 1 helm (a), 2 pip (a), 3 helm (b), 4 npm (b).
    // Each project's figures count its own chosen rules only, numbered across projects:
    // (prompts before, prompts after, rules chosen); each project has 8 prompts, 4 per
    // command.
    let figures = |extra: &[&str]| -> Vec<(u64, u64, u64)> {
        let mut args = extra.to_vec();
        args.extend(["--format", "json"]);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let v = json(&out);
        let n = |p: &Value, k: &str| p[k].as_u64().unwrap_or_else(|| panic!("{k}: {v}"));
        v["projects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (n(p, "prompts_before"), n(p, "prompts_after"), n(p, "rules")))
            .collect()
    };
    assert_eq!(figures(&[]), [(8, 0, 2), (8, 0, 2)]);
    assert_eq!(figures(&["--pick", "3"]), [(8, 8, 0), (8, 4, 1)]);
    assert_eq!(figures(&["--pick", "2,4"]), [(8, 4, 1), (8, 4, 1)]);
    let helm = ["--exclude", "Bash(helm list -A)"];
    assert_eq!(figures(&helm), [(8, 4, 1), (8, 4, 1)]);
    let (code, out, err) = run(&["--pick", "2,4"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("1 (skip)") && out.contains("3 (skip)"),
        "{out}"
    );
    let (code, _, err) = run(&["--pick", "2,4", "--write"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(allow_list(&local(&a)), json!(["Bash(pip list --outdated)"]));
    assert_eq!(allow_list(&local(&b)), json!(["Bash(npm outdated)"]));
    // The rules now allowed no longer prompt; of the rest, exclude helm in every project.
    let (code, _, err) = run(&["--exclude", "Bash(helm list -A)", "--write"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(allow_list(&local(&a)), json!(["Bash(pip list --outdated)"]));
    assert_eq!(allow_list(&local(&b)), json!(["Bash(npm outdated)"]));
    // A number that is not in the list is a usage error, and nothing is written.
    let (code, _, err) = run(&["--pick", "9", "--write"]);
    assert_eq!(code, 2);
    assert!(err.contains("--pick 9"), "{err}");
    // The settings block holds the chosen rules only.
    let (code, out, _) = run(&["--pick", "1", "--format", "settings"]);
    assert_eq!(code, 0);
    assert_eq!(
        json(&out),
        json!({"permissions": {"allow": ["Bash(helm list -A)"]}})
    );
}

#[test]
fn an_empty_window_says_what_lies_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let cmds: &[(&str, usize)] = &[("pip list --outdated", 2)];
    approved_sessions(dir.path(), APP, "2026-01-05", "default", &[("s1", cmds)]);
    approved_sessions(dir.path(), APP, "2026-02-20", "default", &[("s2", cmds)]);
    // The default window (the last 30 days) holds nothing of January and February 2026.
    let out = permstat_ok(&["suggest", dir.path().to_str().unwrap(), "-q"]);
    assert!(out.contains("the last 30 days"), "{out}");
    assert!(
        out.contains("4 older calls, from 2026-01-05 to 2026-02-20"),
        "{out}"
    );
    let cmd = format!(
        "permstat suggest {} --since 2026-01-05",
        dir.path().display()
    );
    assert!(out.contains(&cmd), "{out}");
    // No raw timestamp anywhere.
    assert!(
        !out.contains("T00:00:00") && !out.contains("+00:00"),
        "{out}"
    );
    let v = json(&permstat_ok(&[
        "suggest",
        dir.path().to_str().unwrap(),
        "-q",
        "--format",
        "json",
    ]));
    assert_eq!(v["window"]["older_calls"], 4);
    assert_eq!(v["window"]["default_days"], 30);
    // The command it shows finds the rule.
    let v = suggest(
        dir.path(),
        &[
            "--since",
            "2026-01-05",
            "--project-root",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(rules(&v), ["Bash(pip list --outdated)"]);
}
