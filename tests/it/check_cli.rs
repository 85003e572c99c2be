//! `permstat check`: decisions, deciding rules with their files, per-part verdicts, exit codes.

use crate::common::*;
use std::fs;

fn check(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    json(&permstat_ok(&all))
}

#[test]
fn compound_command_with_one_uncovered_part_prompts() {
    let v = check(&["Bash", "git diff HEAD && rm -rf build"]);
    assert_eq!(v["decision"], "prompt");
    let parts = v["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["text"], "git diff HEAD");
    assert_eq!(parts[0]["verdict"], "read_only");
    assert_eq!(parts[1]["verdict"], "uncovered");
}

#[test]
fn the_deciding_rule_and_its_file_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.json");
    fs::write(
        &f,
        r#"{"permissions":{"allow":["Bash(git *)","Bash(npm test *)"],"deny":["Bash(rm *)","Read(./.env)"],"ask":["Bash(git push *)"]}}"#,
    )
    .unwrap();
    let s = f.to_str().unwrap();
    let cwd = dir.path().to_str().unwrap();
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, Option<&str>)] = &[
        ("Bash", "git diff HEAD && rm -rf build", "deny", Some("Bash(rm *)")),
        ("Bash", "git push origin main", "ask", Some("Bash(git push *)")),
        ("Bash", "git commit -m x", "allow", Some("Bash(git *)")),
        ("Bash", "FOO=1 npm test", "prompt", None),
        ("Bash", "NODE_ENV=test npm test", "allow", Some("Bash(npm test *)")),
        ("Bash", "ls $(whoami)", "prompt", None),
        ("Read", "./.env", "deny", Some("Read(./.env)")),
        ("Read", "src/main.rs", "allow", None),
    ];
    for (tool, input, want, rule) in cases {
        let v = check(&["--settings", s, "--cwd", cwd, tool, input]);
        assert_eq!(v["decision"], *want, "{tool} {input}: {v}");
        assert_eq!(v["rule"].as_str(), *rule, "{tool} {input}");
        if rule.is_some() {
            assert_eq!(v["source"], s, "{tool} {input}");
        }
    }
}

#[test]
fn modes_change_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().to_str().unwrap();
    let edit = format!("{cwd}/src/main.rs");
    assert_eq!(check(&["--cwd", cwd, "Edit", &edit])["decision"], "prompt");
    assert_eq!(
        check(&["--cwd", cwd, "--mode", "acceptEdits", "Edit", &edit])["decision"],
        "allow"
    );
    assert_eq!(
        check(&["--cwd", cwd, "--mode", "dontAsk", "Bash", "npm publish"])["decision"],
        "deny"
    );
    assert_eq!(
        check(&[
            "--cwd",
            cwd,
            "--mode",
            "bypassPermissions",
            "Bash",
            "npm publish"
        ])["decision"],
        "allow"
    );
    assert_eq!(
        check(&["--cwd", cwd, "--mode", "auto", "Bash", "npm publish"])["decision"],
        "classifier"
    );
}

#[test]
fn usage_errors_exit_2_and_bad_settings_warn() {
    let (code, _, err) = permstat(&["check"]);
    assert_eq!(code, 2, "{err}");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("broken.json");
    fs::write(&f, "{\"permissions\": {\"allow\": [\"Bash(ls *)\",]}}").unwrap();
    let v = check(&["--settings", f.to_str().unwrap(), "Bash", "ls -la"]);
    // The broken file is skipped with a warning naming it; `ls` is built-in read-only.
    assert_eq!(v["decision"], "allow");
    let w = v["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1);
    assert!(w[0].as_str().unwrap().contains("broken.json"), "{w:?}");
}
