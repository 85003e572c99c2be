//! The replay on the real transcripts, with a settings file written for them
//! (`tests/fixtures/settings/entireio.json`). Expected numbers come from the transcripts
//! read with jq (commands listed beside each figure), not from permstat.

use crate::common::*;

const SETTINGS: &str = "tests/fixtures/settings/entireio.json";

fn calls(extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["replay", "data/real", "--calls", "--quiet"];
    args.extend(extra);
    permstat_ok(&args)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn count(rows: &[serde_json::Value], f: impl Fn(&serde_json::Value) -> bool) -> usize {
    rows.iter().filter(|r| f(r)).count()
}

#[test]
fn deny_rules_explain_the_recorded_denials() {
    // Without settings, the two recorded deny-rule denials of d8 (the only
    // "Permission to use Bash" texts: `grep -c 'Permission to use Bash' data/real/*/*`)
    // have no rule to explain them.
    let (_, out, _) = permstat(&["replay", "data/real", "--format", "json", "-q"]);
    let v = json(&out);
    assert_eq!(v["per_disagreement"]["deny_rule_missing"], 2);
    assert_eq!(v["calls"], 330);

    let (_, out, _) = permstat(&[
        "replay",
        "data/real",
        "--format",
        "json",
        "-q",
        "--settings",
        SETTINGS,
    ]);
    let v = json(&out);
    assert!(
        v["per_disagreement"].get("deny_rule_missing").is_none(),
        "{v}"
    );
    let rows = calls(&["--settings", SETTINGS]);
    let denied: Vec<_> = rows
        .iter()
        .filter(|r| r["verdict"] == "denied_by_rule")
        .collect();
    // `grep -n 'entire/metadata' cmds`: lines 282 and 283 are the only ones starting with
    // those two commands; both are the recorded denials.
    assert_eq!(denied.len(), 2);
    assert!(denied.iter().all(|r| r["outcome"] == "rule_denied"));
    assert!(
        denied
            .iter()
            .all(|r| r["source"].as_str().unwrap().ends_with("entireio.json"))
    );
}

#[test]
fn allow_and_ask_rules_decide_the_calls_they_match() {
    let rows = calls(&["--settings", SETTINGS]);
    // 12 WebSearch calls (tests/expected/real_counts.json `_all.by_tool.WebSearch`).
    assert_eq!(
        count(&rows, |r| r["tool"] == "WebSearch"
            && r["verdict"] == "allowed_by_rule"),
        12
    );
    // `grep -c '^mise run test$'` over the Bash commands: 4.
    assert_eq!(
        count(&rows, |r| r["input"] == "mise run test"
            && r["verdict"] == "allowed_by_rule"),
        4
    );
    // Commands with an `rm` part: `grep -nE '(^\s*|&& |; |\|\| )rm '` over the command lines
    // finds 12; two of those (`rm -f /tmp/claude-hook-test.log`, `rm -f
    // /tmp/hook-from-settings*.txt`) are markdown inside a heredoc body, not commands; one
    // is `rm "$f"` in a for loop's body. So 10 calls hit the ask rule.
    assert_eq!(count(&rows, |r| r["verdict"] == "ask_rule"), 10);
    // Without the settings the same calls prompt.
    let bare = calls(&[]);
    assert_eq!(count(&bare, |r| r["verdict"] == "allowed_by_rule"), 0);
    assert_eq!(
        count(&bare, |r| r["tool"] == "WebSearch"
            && r["verdict"] == "would_prompt"),
        12
    );
}

#[test]
fn reads_inside_the_project_never_prompt() {
    // 77 Read calls; jq of `.cwd` against `.input.file_path` finds three outside their
    // session's folder (a file in the home folder, a sibling project, one under /tmp) and
    // one read of the folder itself, so 74 read inside.
    let rows = calls(&[]);
    let reads = count(&rows, |r| r["tool"] == "Read");
    assert_eq!(reads, 77);
    let auto = count(&rows, |r| {
        r["tool"] == "Read" && r["verdict"] == "auto_allowed"
    });
    assert_eq!(auto, 74);
}
