//! `permstat report`: hand-written sessions with known answers for each figure, and real
//! transcripts with figures worked out by hand from the files.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;

const REJECTED: &str = "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";
const BLOCK: &str = "Permission for this action was denied by the Claude Code auto mode classifier. Reason: [Code from External] runs a downloaded script. If you have other tasks that don't depend on this action, continue working on those.";
const UNAVAILABLE: &str = "claude-opus is temporarily unavailable, so auto mode cannot determine the safety of Bash right now. Wait briefly and then try this action again.";

/// What a call's result says.
enum Res {
    Ran,
    Error(&'static str),
}

/// Writes one session: a prompt line carrying `mode`, then each Bash call asked at `t` and
/// answered `gap` ms later. Times start at 2026-03-01T10:00:00Z.
fn session(dir: &Path, id: &str, mode: &str, calls: &[(&str, i64, Res)]) {
    let base = 1_772_359_200_000_i64;
    let ts = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(base + ms)
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    };
    let uuid = |kind: &str, t: i64| format!("{id}-{t}-{kind}");
    // Every line names the Claude Code version that wrote it.
    let versioned = |mut line: Value| {
        line["version"] = json!("2.1.200");
        line
    };
    let mut lines = vec![versioned(prompt(id, &uuid("user", 0), &ts(0), mode))];
    let mut t = 1000;
    for (i, (cmd, gap, res)) in calls.iter().enumerate() {
        let tid = format!("{id}-t{i}");
        let asked = bash_call(id, &uuid("assistant", t), &tid, &ts(t), cmd);
        lines.push(versioned(asked));
        let (text, err) = match res {
            Res::Ran => ("ok", false),
            Res::Error(t) => (*t, true),
        };
        let answered = t + gap;
        let mut u = tool_result(id, &uuid("user", answered), &tid, &ts(answered), text, err);
        u["toolUseResult"] = if err {
            json!(format!("Error: {text}"))
        } else {
            json!({"stdout": text})
        };
        lines.push(versioned(u));
        t += gap + 1000;
    }
    write(&dir.join(format!("{id}.jsonl")), &jsonl(&lines));
}

fn report(path: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["report", path.to_str().unwrap(), "--format", "json", "-q"];
    args.extend(extra);
    json(&permstat_ok(&args))
}

#[test]
fn twelve_approvals_then_a_rejection() {
    let dir = tempfile::tempdir().unwrap();
    let mut calls: Vec<(&str, i64, Res)> = (0..12).map(|_| ("npm test", 5000, Res::Ran)).collect();
    calls.push(("npm publish", 3000, Res::Error(REJECTED)));
    session(dir.path(), "s-streak", "default", &calls);
    let v = report(dir.path(), &[]);
    assert_eq!(v["prompts"]["approved"], 12);
    assert_eq!(v["prompts"]["rejected"], 1);
    assert_eq!(v["fatigue"]["longest_streak"], 12);
    assert_eq!(v["fatigue"]["streaks_over_10"], 1);
    assert_eq!(v["fatigue"]["rejections_after_long_streak"], 1);
    // 12 × 5 s + 3 s spent on prompts.
    assert_eq!(v["fatigue"]["waiting_ms"], 63_000);
    let npm = v["by_command"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "npm test")
        .unwrap();
    assert_eq!(
        (npm["approved"].as_u64(), npm["rejected"].as_u64()),
        (Some(12), Some(0))
    );
    let publish = v["by_command"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "npm publish")
        .unwrap();
    assert_eq!(publish["rejected"], 1);
    // npm publish is a network action, but it was rejected: not an approved risk. The twelve
    // approved `npm test` ran project code (the runner table of src/facts/runners.rs).
    let risky = v["risky_approved"].as_array().unwrap();
    assert_eq!(risky.len(), 12);
    assert!(
        risky
            .iter()
            .all(|r| r["detail"] == "npm test" && r["risks"][0]["category"] == "project_code"),
        "{risky:?}"
    );
    assert_eq!(v["risky_summary"]["project_code"], 12);
}

#[test]
fn a_prompt_is_charged_to_the_parts_that_needed_it() {
    let dir = tempfile::tempdir().unwrap();
    session(
        dir.path(),
        "s-pipe",
        "default",
        &[("cargo test 2>&1 | tail -5", 4000, Res::Ran)],
    );
    let v = report(dir.path(), &[]);
    let row = |k: &str| {
        v["by_command"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(row("cargo test")["approved"], 1);
    // `tail` is on Claude Code's read-only list: it did not need the prompt.
    assert_eq!(row("tail")["approved"], 0);
    assert_eq!(row("tail")["auto_allowed"], 1);
    assert_eq!(v["prompts"]["approved"], 1);
}

#[test]
fn answers_getting_faster() {
    let dir = tempfile::tempdir().unwrap();
    let gaps = [9000, 8000, 7000, 6000, 5000, 4000, 1500, 500];
    let calls: Vec<(&str, i64, Res)> = gaps.iter().map(|g| ("cargo build", *g, Res::Ran)).collect();
    session(dir.path(), "s-faster", "default", &calls);
    let v = report(dir.path(), &[]);
    let s = &v["sessions"][0]["fatigue"];
    assert_eq!(s["prompts"], 8);
    assert_eq!(s["first_quarter_median_ms"], 8500.0);
    assert_eq!(s["last_quarter_median_ms"], 1000.0);
    assert_eq!(s["got_faster"], true);
    // Two of eight answers under 2 s.
    assert_eq!(s["rubber_stamp_share"], 0.25);
    assert_eq!(v["fatigue"]["rubber_stamp_share"], 0.25);
    // With a 1 s threshold only the 500 ms answer is a rubber stamp.
    let v = report(dir.path(), &["--rubber-stamp-ms", "1000"]);
    assert_eq!(v["fatigue"]["rubber_stamp_share"], 0.125);
}

#[test]
fn auto_mode_fallbacks_are_reconstructed() {
    let dir = tempfile::tempdir().unwrap();
    // Three blocks in a row: one fallback.
    let three: Vec<(&str, i64, Res)> = (0..3)
        .map(|_| ("curl x | sh", 50, Res::Error(BLOCK)))
        .collect();
    session(dir.path(), "a-three", "auto", &three);
    // Twenty blocks, never three in a row: one fallback at the twentieth, then the counts
    // reset, so two more blocks give none.
    let mut spread = Vec::new();
    for i in 0..22 {
        spread.push(("curl x | sh", 50, Res::Error(BLOCK)));
        if i % 2 == 1 {
            spread.push(("cargo build", 50, Res::Ran));
        }
    }
    session(dir.path(), "b-spread", "auto", &spread);
    // Allowed calls keep breaking the run: none.
    let mut broken = Vec::new();
    for _ in 0..5 {
        broken.push(("curl x | sh", 50, Res::Error(BLOCK)));
        broken.push(("curl x | sh", 50, Res::Error(BLOCK)));
        broken.push(("cargo build", 50, Res::Ran));
    }
    session(dir.path(), "c-broken", "auto", &broken);
    // Unavailable denials never count.
    let unavailable: Vec<(&str, i64, Res)> = (0..5)
        .map(|_| ("ls", 50, Res::Error(UNAVAILABLE)))
        .collect();
    session(dir.path(), "d-unavailable", "auto", &unavailable);

    let v = report(dir.path(), &[]);
    let a = &v["automode"];
    assert_eq!(a["sessions"], 4);
    assert_eq!(a["blocks"], 3 + 22 + 10);
    assert_eq!(a["unavailable"], 5);
    assert_eq!(a["fallbacks"], 2);
    let per: std::collections::BTreeMap<String, usize> = a["detail"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["session_id"].as_str().unwrap().to_string(),
                s["fallbacks"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(per["a-three"], 1);
    assert_eq!(per["b-spread"], 1);
    assert_eq!(per["c-broken"], 0);
    assert_eq!(per["d-unavailable"], 0);
    let cats = &a["detail"]["summary"]["blocks_by_category"][0];
    assert_eq!(cats["category"], "Code from External");
    assert_eq!(v["denied"]["classifier"], 35);
    assert_eq!(v["denied"]["classifier_unavailable"], 5);
    // No person answered anything in these sessions.
    assert_eq!(v["prompts"]["approved"], 0);
}

#[test]
fn real_transcripts_worked_out_by_hand() {
    // 00_c9e (mode default throughout, no settings): `mise run test` ×2 (the first ended
    // with exit 1) and two Edits ran after prompts, one Edit was rejected, two Reads inside
    // the project ran unasked; the prompts in time order are yes, no, yes, yes, yes.
    let v = report(
        Path::new("data/real/entireio__cli/00_c9e2351016_3_full.jsonl"),
        &[],
    );
    assert_eq!(v["prompts"]["approved"], 4);
    assert_eq!(v["prompts"]["rejected"], 1);
    assert_eq!(v["auto_allowed"], 2);
    assert_eq!(v["fatigue"]["longest_streak"], 3);
    // ec_38b: Read (default), Edit (default, prompted), Skill (default, prompted, errored),
    // Edit inside the project in acceptEdits (unasked), Read in plan mode (unasked).
    let v = report(
        Path::new("data/real/entireio__cli/ec_38b74f08e3_0_full.jsonl"),
        &[],
    );
    assert_eq!(v["prompts"]["approved"], 2);
    assert_eq!(v["prompts"]["rejected"], 0);
    assert_eq!(v["auto_allowed"], 3);
    // short.jsonl: Esc in bypassPermissions mode, two interrupts and no prompt.
    let v = report(Path::new("data/real/marot__spotter/short.jsonl"), &[]);
    assert_eq!(v["prompts"]["total"], 0);
    assert_eq!(v["fatigue"]["interrupts"], 2);
    // The whole sample: 8 recorded "no" answers (2 rejected, 5 with feedback, 1 subagent:
    // tests/expected/real_counts.json) and 2 deny-rule denials.
    let v = report(Path::new("data/real"), &[]);
    assert_eq!(v["prompts"]["rejected"], 8);
    assert_eq!(v["denied"]["rule"], 2);
    assert_eq!(v["calls"], 330);
    assert_eq!(v["sessions_count"], 10);
    // Every documented top-level field is there.
    for k in [
        "prompts",
        "denied",
        "auto_allowed",
        "fatigue",
        "automode",
        "by_command",
        "sessions",
    ] {
        assert!(!v[k].is_null(), "missing {k}");
    }
}

#[test]
fn window_and_markdown() {
    let v = report(
        Path::new("data/real"),
        &["--since", "2026-02-09", "--until", "2026-02-10"],
    );
    // By-day table of the whole sample (tests above) puts 129 calls on 2026-02-09:
    // `jq` over the timestamps of the tool_use lines of 13_db96 gives the same.
    assert_eq!(v["calls"], 129);
    let v = report(Path::new("data/real"), &["--project", "spotter"]);
    // marot__spotter: 25 + 2 + 12 calls (real_counts.json).
    assert_eq!(v["calls"], 39);
    let (code, out, _) = permstat(&["report", "data/real", "--format", "md", "-q"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# Permission friction report"));
    assert!(out.contains("| command | approved* |"));
    let (code, _, err) = permstat(&["report", "data/real", "--since", "last tuesday"]);
    assert_eq!(code, 2);
    assert!(err.contains("neither a day"), "{err}");
}
