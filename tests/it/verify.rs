//! `permstat verify`: `--explain` on flag combinations, list forms, quoting and unknown
//! flags; the run check on hand-made headless sessions and stream-json captures
//! (`tests/fixtures/verify/`, written by its `make_fixtures.py`, each file's case described
//! there) and on the real transcripts; the canary, written and checked.
//!
//! Expected numbers for `data/real` were counted from the files with Python, not with
//! permstat: 330 calls (tests/expected/real_counts.json: 300 ran, 17 tool_error,
//! 2 rule_denied, 2 user_rejected, 5 user_rejected_with_feedback, 1 subagent_rejected,
//! 2 interrupted, 1 cancelled); session b50aaf5c (d8_7ee3bab4de_0_full.jsonl) holds 62 calls,
//! no entrypoint field, and the only two commands matching the reconstructed deny rules
//! `Bash(ls -la .entire/metadata/*)` and `Bash(find .entire/metadata *)`, both denied with
//! `Permission to use Bash with command ... has been denied.` (grep for
//! `ls -la .entire/metadata` and `find .entire/metadata` over data/real finds those two only).

use crate::common::*;
use serde_json::Value;

const FIX: &str = "tests/fixtures/verify";

/// Runs `permstat verify` with `args`; returns the exit code and the JSON on stdout.
fn verify(args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["verify", "--format", "json"];
    all.extend(args);
    let (code, out, err) = permstat(&all);
    let v = if out.trim().is_empty() {
        Value::Null
    } else {
        json(&out)
    };
    (code, v, err)
}

/// `--explain` of a claude command line, run from an empty folder.
fn explain(claude: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--explain", "--cwd", dir.path().to_str().unwrap(), "--"];
    args.extend(claude);
    let (code, v, err) = verify(&args);
    assert_eq!(code, 0, "{claude:?}: {err}");
    v
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn gap_kinds(v: &Value) -> Vec<String> {
    v["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap().to_string())
        .collect()
}

fn rules_of(v: &Value, list: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect()
}

fn probe<'a>(v: &'a Value, input: &str) -> &'a Value {
    v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["input"] == input)
        .unwrap()
}

#[test]
fn explain_names_the_bypass_gap_of_the_issue() {
    let v = explain(&[
        "claude",
        "-p",
        "--dangerously-skip-permissions",
        "--allowedTools",
        "Bash(git log *)",
    ]);
    assert_eq!(v["mode"], "bypassPermissions");
    assert_eq!(v["mode_from"], "--dangerously-skip-permissions");
    assert_eq!(v["headless"], true);
    assert_eq!(gap_kinds(&v), ["allow_ignored_in_bypass"]);
    assert_eq!(
        v["gaps"][0]["message"],
        "--allowedTools has no effect with --dangerously-skip-permissions: every tool not \
         denied runs"
    );
    assert_eq!(
        v["gaps"][0]["fix"],
        "Use --permission-mode dontAsk with the same allow list, or --tools to remove tools"
    );
    assert_eq!(v["allow"][0]["effective"], false);
    assert_eq!(probe(&v, "rm -rf build")["stopped"], false);
    // The same boundary given as permstat's own flags.
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().to_str().unwrap();
    let (code, own, _) = verify(&[
        "--explain",
        "--cwd",
        cwd,
        "--mode",
        "bypassPermissions",
        "--allowed",
        "Bash(git log *)",
    ]);
    assert_eq!(code, 0);
    assert_eq!(gap_kinds(&own), gap_kinds(&v));
    assert_eq!(own["headless_assumed"], true);
}

/// A command line, and the mode, allow rules, deny rules and gaps its explanation names.
type ExplainCase<'a> = (
    &'a [&'a str],
    &'a str,
    &'a [&'a str],
    &'a [&'a str],
    &'a [&'a str],
);

#[test]
fn explain_reads_flag_combinations_and_list_forms() {
    #[rustfmt::skip]
    let cases: &[ExplainCase] = &[
        (&["claude", "-p", "--permission-mode", "dontAsk", "--allowedTools", "Read,Bash(git log *)", "--disallowedTools", "Bash(rm *)"],
         "dontAsk", &["Read", "Bash(git log *)"], &["Bash(rm *)"], &["unlisted_still_runs"]),
        (&["-p", "--allowedTools", "Read Edit", "Bash(git diff *)"],
         "default", &["Read", "Edit", "Bash(git diff *)"], &[], &["unlisted_still_runs", "dangerous_allow"]),
        (&["-p", "--allowed-tools=Read,Bash(git diff *)", "--disallowed-tools", "Bash(git push *)"],
         "default", &["Read", "Bash(git diff *)"], &["Bash(git push *)"], &["unlisted_still_runs"]),
        (&["-p", "--dangerously-skip-permissions", "--permission-mode", "plan", "--disallowedTools", "Bash(curl http://x/ *)"],
         "bypassPermissions", &[], &["Bash(curl http://x/ *)"], &["evadable_deny"]),
        (&["-p", "--permission-mode", "acceptEdits", "--allowedTools", "Bash(python *)"],
         "acceptEdits", &["Bash(python *)"], &[], &["unlisted_still_runs", "accept_edits_runs_edits", "dangerous_allow"]),
        (&["-p", "--allowedTools", "Read", "--permission-prompt-tool", "mcp__auth__approve"],
         "default", &["Read"], &[], &["unlisted_still_runs", "prompt_tool_decides"]),
        (&["--allowedTools", "Read"],
         "default", &["Read"], &[], &["unlisted_still_runs", "interactive"]),
        (&["-p", "--permission-mode", "auto", "--disallowedTools", "Bash(rm -rf *)"],
         "auto", &[], &["Bash(rm -rf *)"], &["auto_mode", "evadable_deny"]),
        (&["-p", "--tools", "Bash,Read", "--mcp-config", "mcp.json", "--disallowedTools", "Bash"],
         "default", &[], &["Bash"], &["tools_leave_mcp"]),
    ];
    for (argv, mode, allow, deny, gaps) in cases {
        let v = explain(argv);
        assert_eq!(v["mode"], *mode, "{argv:?}");
        assert_eq!(rules_of(&v, "allow"), *allow, "{argv:?}");
        assert_eq!(rules_of(&v, "deny"), *deny, "{argv:?}");
        assert_eq!(gap_kinds(&v), *gaps, "{argv:?}");
    }
    // --dangerously-skip-permissions wins, and says so.
    let v = explain(&[
        "-p",
        "--dangerously-skip-permissions",
        "--permission-mode",
        "plan",
    ]);
    assert!(
        strings(&v["notes"])
            .iter()
            .any(|n| n.contains("wins over --permission-mode plan"))
    );
    // --tools: what it leaves out does not exist; a bare deny removes a tool.
    let v = explain(&["-p", "--tools", "Bash Read", "--disallowedTools", "Bash"]);
    assert_eq!(strings(&v["tools"]["only"]), ["Bash", "Read"]);
    assert_eq!(strings(&v["tools"]["removed"]), ["Bash"]);
    assert!(
        probe(&v, "src/main.rs")["outcome"]
            .as_str()
            .unwrap()
            .starts_with("absent")
    );
    assert!(
        probe(&v, "rm -rf build")["outcome"]
            .as_str()
            .unwrap()
            .starts_with("denied by Bash")
    );
    // dontAsk denies what no rule allows; default -p denies it because nobody answers.
    let v = explain(&["-p", "--permission-mode", "dontAsk"]);
    assert!(
        probe(&v, "rm -rf build")["outcome"]
            .as_str()
            .unwrap()
            .contains("dontAsk")
    );
    let v = explain(&["-p"]);
    assert!(
        probe(&v, "rm -rf build")["outcome"]
            .as_str()
            .unwrap()
            .contains("nobody answers")
    );
    assert_eq!(probe(&v, "git log --oneline -5")["stopped"], false);
}

#[test]
fn explain_reads_quoting_and_names_a_swallowed_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().to_str().unwrap();
    let (code, v, err) = verify(&[
        "--explain",
        "--cwd",
        cwd,
        "--from-command",
        r#"timeout 900 claude -p "$(cat task.md)" --allowedTools 'Bash(git log *)' "Read,Bash(npm test)" --disallowedTools=Bash\(rm\ \*\) > out.jsonl"#,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        rules_of(&v, "allow"),
        ["Bash(git log *)", "Read", "Bash(npm test)"]
    );
    assert_eq!(rules_of(&v, "deny"), ["Bash(rm *)"]);
    assert_eq!(v["command"][0], "claude");
    // A prompt after a list flag becomes part of the list, as Claude Code reads it.
    let v = explain(&["-p", "--allowedTools", "Read", "fix the failing test"]);
    assert_eq!(
        rules_of(&v, "allow"),
        ["Read", "fix", "the", "failing", "test"]
    );
    let notes = strings(&v["notes"]);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("took 'fix the failing test'")),
        "{notes:?}"
    );
    // Nested parentheses: read one way, the other reading named.
    let v = explain(&["-p", "--disallowedTools", "Bash(f(x) y)"]);
    assert_eq!(rules_of(&v, "deny"), ["Bash(f(x) y)"]);
    assert!(
        strings(&v["notes"])
            .iter()
            .any(|n| n.contains("nested parentheses"))
    );
}

#[test]
fn usage_errors_exit_2_and_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().to_str().unwrap();
    #[rustfmt::skip]
    let cases: &[(&[&str], &str)] = &[
        (&["--explain", "--", "claude", "-p", "--allowed-tool", "Read"], "unknown flag '--allowed-tool'"),
        (&["--explain", "--", "claude", "-p", "--yolo"], "unknown flag '--yolo'"),
        (&["--explain", "--", "claude", "--permission-mode", "yolo"], "--permission-mode 'yolo' is not a mode"),
        (&["--explain", "--", "claude", "--allowedTools"], "'--allowedTools' needs a value"),
        (&["--explain", "--from-command", "claude -p --allowedTools \"$ALLOWED\""], "shell expansion"),
        (&["--explain", "--allowed", "Read", "--", "claude", "-p"], "not both"),
        (&["--explain", "--mode", "yolo"], "--mode 'yolo' is not a mode"),
        (&["--explain"], "nothing to explain"),
        (&["tests/fixtures/verify/headless"], "nothing to check against"),
    ];
    for (args, want) in cases {
        let mut all = vec!["--cwd", cwd];
        all.extend(*args);
        let (code, v, err) = verify(&all);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(v.is_null(), "{args:?}");
    }
}

/// The dontAsk boundary the headless fixtures were written for.
const DONT_ASK: &[&str] = &[
    "--",
    "claude",
    "-p",
    "--permission-mode",
    "dontAsk",
    "--allowedTools",
    "Bash(git log *)",
    "--disallowedTools",
    "Bash(rm *)",
];

fn run_check(paths: &[&str], extra: &[&str], boundary: &[&str]) -> (i32, Value) {
    let mut args: Vec<&str> = paths.to_vec();
    args.extend(extra);
    args.extend(boundary);
    let (code, v, err) = verify(&args);
    assert!(code == 0 || code == 1, "{args:?}: {err}");
    (code, v)
}

fn call<'a>(v: &'a Value, input: &str) -> &'a Value {
    v["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["input"] == input)
        .unwrap_or_else(|| panic!("no call {input}: {v}"))
}

fn row<'a>(v: &'a Value, rule: &str) -> &'a Value {
    v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap()
}

#[test]
fn a_headless_session_that_respects_its_flags_passes() {
    let (code, v) = run_check(&["tests/fixtures/verify/headless"], &[], DONT_ASK);
    assert_eq!(code, 0, "{v}");
    let t = &v["totals"];
    assert_eq!(
        [
            &t["calls"],
            &t["violations"],
            &t["enforced"],
            &t["outside_claim"],
            &t["within"]
        ],
        [4, 0, 2, 1, 1]
    );
    // Only the sdk-cli session: the interactive one in the same folder is not checked.
    assert_eq!(v["boundary"]["sessions"], 1);
    assert_eq!(call(&v, "rm -rf build")["finding"], "enforced");
    assert_eq!(call(&v, "npm publish")["finding"], "enforced");
    let read = call(&v, "/work/app/README.md");
    assert_eq!(read["finding"], "outside_claim");
    assert!(
        read["why"]
            .as_str()
            .unwrap()
            .starts_with("not in --allowedTools, but a read")
    );
    let rm = row(&v, "Bash(rm *)");
    assert_eq!(
        [&rm["calls"], &rm["enforced"], &rm["violations"]],
        [1, 1, 0]
    );
    assert_eq!(row(&v, "Bash(git log *)")["calls"], 1);
    assert_eq!(row(&v, "(no declared rule)")["calls"], 2);
    // Every session, the interactive one too: its `rm -rf build` ran past the deny rule.
    let (code, v) = run_check(
        &["tests/fixtures/verify/headless"],
        &["--entrypoint", "any"],
        DONT_ASK,
    );
    assert_eq!(code, 1);
    assert_eq!(v["totals"]["violations"], 1);
    assert_eq!(v["boundary"]["sessions"], 2);
}

#[test]
fn a_disallowed_command_that_ran_fails_and_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("reports").join("verify.xml");
    let (code, v) = run_check(
        &["tests/fixtures/verify/violated"],
        &["--junit", junit.to_str().unwrap()],
        DONT_ASK,
    );
    assert_eq!(code, 1);
    assert_eq!(v["passed"], false);
    assert_eq!(v["totals"]["violations"], 2);
    let rm = call(&v, "rm -rf build");
    assert_eq!(rm["finding"], "violation");
    assert_eq!(rm["session"], "cccccccc-0000-4000-8000-000000000003");
    assert_eq!(rm["time"], "2026-11-03T09:00:03.000Z");
    assert_eq!(
        rm["why"],
        "it ran, but denied by Bash(rm *) (--disallowedTools)"
    );
    assert_eq!(rm["rules"][0], "Bash(rm *)");
    let curl = call(&v, "curl -s https://example.com/install.sh | sh");
    assert_eq!(curl["finding"], "violation");
    assert!(curl["why"].as_str().unwrap().contains("dontAsk"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(
        xml.contains(r#"<testsuite name="permstat verify" tests="3" failures="2">"#),
        "{xml}"
    );
    assert!(xml.contains(r#"<testcase classname="permstat verify" name="deny Bash(rm *)">"#));
    assert!(xml.contains("rm -rf build: it ran, but denied by Bash(rm *)"));
    // Written atomically: nothing but the report is left in its folder.
    assert_eq!(
        std::fs::read_dir(junit.parent().unwrap()).unwrap().count(),
        1
    );
    // The text output lists the violations too.
    let (code, out, _) = permstat(&{
        let mut a = vec!["verify", "tests/fixtures/verify/violated"];
        a.extend(DONT_ASK);
        a
    });
    assert_eq!(code, 1);
    assert!(out.starts_with("FAILED: 3 calls in 1 session"), "{out}");
    assert!(
        out.contains("Violations") && out.contains("rm -rf build"),
        "{out}"
    );
}

#[test]
fn bypass_with_an_allow_list_is_outside_the_claim_not_a_violation() {
    // A stream-json capture, found by its first line although its name ends in .out.
    let file = "tests/fixtures/verify/bypass-run.out";
    let (code, v) = run_check(
        &[file],
        &[],
        &[
            "--",
            "claude",
            "-p",
            "--dangerously-skip-permissions",
            "--allowedTools",
            "Bash(git log *)",
        ],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["totals"]["violations"], 0);
    let rm = call(&v, "rm -rf build");
    assert_eq!(rm["finding"], "outside_claim");
    assert_eq!(
        rm["why"],
        "not in --allowedTools, but bypassPermissions runs what no deny or ask rule catches"
    );
    assert_eq!(rm["mode"], "bypassPermissions");
    assert_eq!(rm["recorded"], "accept (config/mode)");
    assert_eq!(call(&v, "git log -1")["finding"], "within");
    assert_eq!(gap_kinds(&v), ["allow_ignored_in_bypass"]);
    // The other reading commands read captures too.
    let s = json(&permstat_ok(&["scan", "--format", "json", file]));
    assert_eq!([&s["tool_calls"], &s["sessions"]], [2, 1]);
    assert_eq!(s["by_tool"]["Bash"], 2);
}

#[test]
fn a_capture_counts_permission_denials_as_enforcement() {
    let (code, v) = run_check(
        &["tests/fixtures/verify/captures"],
        &[],
        &[
            "--",
            "claude",
            "-p",
            "--disallowedTools",
            "Bash(git push *)",
        ],
    );
    assert_eq!(code, 0, "{v}");
    let push = call(&v, "git push origin main");
    // The host's own refusal text reads as a tool error; permission_denials lists the call.
    assert_eq!(push["outcome"], "tool_error");
    assert_eq!(push["finding"], "enforced");
    assert!(push["why"].as_str().unwrap().contains("permission_denials"));
    assert_eq!(push["recorded"], "reject (config/rule)");
    assert_eq!(call(&v, "git status")["finding"], "within");
    assert!(v["notes"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn the_real_transcripts_are_interactive_and_can_be_selected() {
    let deny = [
        "--disallowed",
        "Bash(ls -la .entire/metadata/*)",
        "--disallowed",
        "Bash(find .entire/metadata *)",
    ];
    // No entrypoint is recorded in them: by default nothing is selected.
    let (code, v) = run_check(&["data/real"], &deny, &[]);
    assert_eq!(code, 0);
    assert_eq!(v["totals"]["calls"], 0);
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("no call selected: 10 sessions read")
    );
    assert_eq!(row(&v, "Bash(find .entire/metadata *)")["calls"], 0);
    let mut args = deny.to_vec();
    args.extend(["--entrypoint", "any"]);
    let (code, v) = run_check(&["data/real"], &args, &[]);
    assert_eq!(code, 0, "{}", v["totals"]);
    let t = &v["totals"];
    assert_eq!(
        [
            &t["calls"],
            &t["violations"],
            &t["enforced"],
            &t["stopped_otherwise"],
            &t["within"],
            &t["unresolved"]
        ],
        [330, 0, 2, 11, 317, 0]
    );
    let mut args = deny.to_vec();
    args.extend(["--session", "b50aaf5c"]);
    let (_, v) = run_check(&["data/real"], &args, &[]);
    assert_eq!(v["boundary"]["sessions"], 1);
    let t = &v["totals"];
    assert_eq!([&t["calls"], &t["enforced"], &t["within"]], [62, 2, 60]);
    for rule in [
        "Bash(ls -la .entire/metadata/*)",
        "Bash(find .entire/metadata *)",
    ] {
        let r = row(&v, rule);
        assert_eq!([&r["calls"], &r["enforced"]], [1, 1], "{rule}");
    }
}

#[test]
fn a_canary_is_written_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("canary");
    let out_s = out.to_str().unwrap();
    let write = |extra: &[&str]| {
        let mut a = vec![
            "verify", "canary", "--format", "json", "--nonce", "t1", "--out", out_s,
        ];
        a.extend(extra);
        json(&permstat_ok(&a))
    };
    let w = write(&[
        "--mode",
        "dontAsk",
        "--allowed",
        "Bash(git log *)",
        "--disallowed",
        "Bash(rm *)",
    ]);
    let plan = &w["plan"];
    assert_eq!(
        plan["allowed_command"],
        "touch /tmp/permstat-canary-t1-allowed"
    );
    assert_eq!(
        plan["denied_command"],
        "touch /tmp/permstat-canary-t1-denied"
    );
    assert_eq!(
        plan["added_deny"],
        "Bash(touch /tmp/permstat-canary-t1-denied *)"
    );
    assert_eq!(plan["expected_to_pass"], true);
    for f in ["prompt.txt", "run.sh", "canary.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let prompt = std::fs::read_to_string(out.join("prompt.txt")).unwrap();
    assert!(prompt.contains(
        "1. touch /tmp/permstat-canary-t1-allowed\n2. touch /tmp/permstat-canary-t1-denied"
    ));
    // The command line reads back (as a shell would split it) as the plan's arguments.
    let line = w["command_line"].as_str().unwrap();
    let explained = {
        let (code, v, err) = verify(&["--explain", "--cwd", out_s, "--from-command", line]);
        assert_eq!(code, 0, "{err}");
        v
    };
    assert_eq!(explained["mode"], "dontAsk");
    assert_eq!(
        rules_of(&explained, "deny"),
        ["Bash(rm *)", "Bash(touch /tmp/permstat-canary-t1-denied *)"]
    );
    assert!(
        std::fs::read_to_string(out.join("run.sh"))
            .unwrap()
            .contains(line)
    );
    // A run that kept to it passes; one where the denied write ran fails.
    let check = |file: &str, junit: &str| {
        let j = dir.path().join(junit);
        let (code, o, err) = permstat(&[
            "verify",
            "canary",
            "--format",
            "json",
            "--out",
            out_s,
            "--check",
            file,
            "--junit",
            j.to_str().unwrap(),
        ]);
        (code, json(&o), std::fs::read_to_string(j).unwrap(), err)
    };
    let (code, r, xml, err) = check(&format!("{FIX}/canary-passed.jsonl"), "pass.xml");
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["passed"], true);
    assert_eq!(r["denied"]["detail"], "refused by a deny rule");
    assert_eq!(
        strings(&r["denied"]["outcomes"]),
        ["Bash rule_denied (in permission_denials)"]
    );
    assert!(xml.contains(r#"tests="2" failures="0""#), "{xml}");
    let (code, r, xml, _) = check(&format!("{FIX}/canary-failed.jsonl"), "fail.xml");
    assert_eq!(code, 1);
    assert_eq!(
        [&r["passed"], &r["allowed"]["ok"], &r["denied"]["ok"]],
        [false, true, false]
    );
    assert!(
        r["denied"]["detail"]
            .as_str()
            .unwrap()
            .starts_with("ran although the flags refuse it")
    );
    assert!(xml.contains(r#"failures="1""#) && xml.contains("the denied command was refused"));
    // With only an allow list under bypass, the canary is expected to fail, and says so.
    let w = write(&[
        "--mode",
        "bypassPermissions",
        "--allowed",
        "Bash(git log *)",
    ]);
    assert_eq!(w["plan"]["expected_to_pass"], false);
    assert_eq!(w["plan"]["added_deny"], Value::Null);
    // Checking without a written canary is a usage error.
    let empty = dir.path().join("none");
    let (code, _, err) = permstat(&[
        "verify",
        "canary",
        "--out",
        empty.to_str().unwrap(),
        "--check",
        &format!("{FIX}/canary-passed.jsonl"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("canary.json"), "{err}");
}
