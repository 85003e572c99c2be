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

/// Writes one session: a prompt line carrying `mode` (none when empty), then each call asked
/// at `t` and answered `gap` ms later: a Bash command, or `edit:<file>` for an Edit of a
/// file in the project. Times start at 2026-03-01T10:00:00Z.
fn session(dir: &Path, id: &str, mode: &str, calls: &[(&str, i64, Res)]) {
    session_at(dir, id, mode, 0, calls);
}

/// [`session`], starting `hours` hours later.
fn session_at(dir: &Path, id: &str, mode: &str, hours: i64, calls: &[(&str, i64, Res)]) {
    let base = 1_772_359_200_000_i64 + hours * 3_600_000;
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
    let mut first = prompt(id, &uuid("user", 0), &ts(0), mode);
    if mode.is_empty() {
        first.as_object_mut().unwrap().remove("permissionMode");
    }
    let mut lines = vec![versioned(first)];
    let mut t = 1000;
    for (i, (cmd, gap, res)) in calls.iter().enumerate() {
        let tid = format!("{id}-t{i}");
        let asked = match cmd.strip_prefix("edit:") {
            Some(f) => file_call(
                id,
                &uuid("assistant", t),
                &tid,
                &ts(t),
                "Edit",
                &format!("{APP}/{f}"),
            ),
            None => bash_call(id, &uuid("assistant", t), &tid, &ts(t), cmd),
        };
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
    // Edits take no time of their own: 5 s each is a dialog (evidenced).
    let dir = tempfile::tempdir().unwrap();
    let mut calls: Vec<(&str, i64, Res)> =
        (0..12).map(|_| ("edit:src/a.rs", 5000, Res::Ran)).collect();
    calls.push(("npm publish", 3000, Res::Error(REJECTED)));
    session(dir.path(), "s-streak", "default", &calls);
    let v = report(dir.path(), &[]);
    assert_eq!(v["prompts"]["approved"], 12);
    assert_eq!(v["prompts"]["estimate"]["low"], 12);
    assert_eq!(v["prompts"]["approved_by_basis"]["evidenced"], 12);
    assert_eq!(v["prompts"]["rejected"], 1);
    assert_eq!(v["fatigue"]["longest_streak"], 12);
    assert_eq!(v["fatigue"]["streaks_over_10"], 1);
    assert_eq!(v["fatigue"]["rejections_after_long_streak"], 1);
    // 12 × 5 s + 3 s spent on prompts.
    assert_eq!(v["fatigue"]["waiting_ms"], 63_000);
    let row = |k: &str| {
        v["by_command"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == k)
            .unwrap()
            .clone()
    };
    let edits = row("Edit (in project)");
    assert_eq!(
        (
            edits["approved"].as_u64(),
            edits["approved_evidenced"].as_u64()
        ),
        (Some(12), Some(12))
    );
    assert_eq!(row("npm publish")["rejected"], 1);
    // npm publish is a network action, but it was rejected: not an approved risk; edits are
    // not risky.
    assert_eq!(v["risky_approved"].as_array().unwrap().len(), 0);
}

#[test]
fn replay_only_approvals_stay_out_of_the_fatigue_figures() {
    // A test suite's 5 s may be all its own run: only the replay says these prompted.
    let dir = tempfile::tempdir().unwrap();
    let mut calls: Vec<(&str, i64, Res)> = (0..12).map(|_| ("npm test", 5000, Res::Ran)).collect();
    calls.push(("npm publish", 3000, Res::Error(REJECTED)));
    session(dir.path(), "s-bash", "default", &calls);
    let v = report(dir.path(), &[]);
    let p = &v["prompts"];
    assert_eq!(
        (p["approved"].as_u64(), p["rejected"].as_u64()),
        (Some(12), Some(1))
    );
    assert_eq!(p["estimate"]["low"], 0);
    assert_eq!(p["estimate"]["high"], 12);
    assert_eq!(p["approved_by_basis"]["replayed"], 12);
    let f = &v["fatigue"];
    assert_eq!(f["replay_only_left_out"], 12);
    assert_eq!(f["prompts_counted"], 1);
    assert_eq!(f["longest_streak"], 0);
    assert_eq!(f["waiting_ms"], 3000);
    assert!(
        f["note"]
            .as_str()
            .unwrap()
            .contains("recorded or evidenced")
    );
}

#[test]
fn calls_at_machine_speed_are_no_prompts() {
    // Results 40 ms after the call: nobody read a dialog, whatever the replay says.
    let dir = tempfile::tempdir().unwrap();
    let calls: Vec<(&str, i64, Res)> = vec![
        ("edit:src/a.rs", 40, Res::Ran),
        ("npm run build", 120, Res::Ran),
        ("edit:src/b.rs", 6000, Res::Ran),
    ];
    session(dir.path(), "s-fast", "default", &calls);
    let v = report(dir.path(), &[]);
    assert_eq!(v["prompts"]["approved"], 1);
    assert_eq!(v["auto_allowed"], 2);
    let grounds: std::collections::BTreeMap<String, u64> = v["evidence"]["by_ground"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["ground"].as_str().unwrap().to_string(),
                g["calls"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(grounds["machine_speed"], 2);
    assert_eq!(grounds["waited"], 1);
    // A higher floor takes the 120 ms build too; a lower one neither.
    let v = report(dir.path(), &["--human-floor-ms", "30"]);
    assert_eq!(v["prompts"]["approved"], 3);
    assert_eq!(v["evidence"]["floor_ms"], 30);
    let (code, _, err) = permstat(&[
        "report",
        dir.path().to_str().unwrap(),
        "--human-floor-ms",
        "soon",
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_session_without_a_mode_whose_edits_are_fast_is_accept_edits() {
    let dir = tempfile::tempdir().unwrap();
    let mut calls: Vec<(&str, i64, Res)> =
        (0..5).map(|_| ("edit:src/a.rs", 40, Res::Ran)).collect();
    // 800 ms: no timing evidence of its own, but acceptEdits runs it unasked.
    calls.push(("edit:src/b.rs", 800, Res::Ran));
    session(dir.path(), "s-accept", "", &calls);
    // And one whose edits take 6 s: prompts.
    let slow: Vec<(&str, i64, Res)> = (0..4).map(|_| ("edit:src/a.rs", 6000, Res::Ran)).collect();
    session(dir.path(), "s-default", "", &slow);
    let v = report(dir.path(), &[]);
    assert_eq!(v["prompts"]["approved"], 4);
    assert_eq!(v["prompts"]["estimate"]["low"], 4);
    let m = &v["evidence"]["modes_inferred"];
    assert_eq!(m["sessions"], 2);
    assert_eq!(m["sessions_by_mode"]["acceptEdits"], 1);
    assert_eq!(m["sessions_by_mode"]["default"], 1);
    let spans = m["spans"].as_array().unwrap();
    let accept = spans
        .iter()
        .find(|s| s["session_id"] == "s-accept")
        .unwrap();
    assert_eq!(
        (accept["mode"].as_str(), accept["calls"].as_u64()),
        (Some("acceptEdits"), Some(6))
    );
    let out = permstat_ok(&["report", dir.path().to_str().unwrap(), "-q"]);
    assert!(
        out.contains("Modes inferred where none was recorded"),
        "{out}"
    );
    assert!(out.contains("acceptEdits"), "{out}");
}

#[test]
fn a_grant_in_mid_session_counts_one_prompt() {
    let dir = tempfile::tempdir().unwrap();
    // `mkdir` outside the project prompts in default mode; after a 5 s approval it comes
    // back at machine speed: "don't ask again" was chosen.
    let calls: Vec<(&str, i64, Res)> = vec![
        ("mkdir -p /tmp/w/a", 5000, Res::Ran),
        ("mkdir -p /tmp/w/b", 40, Res::Ran),
        ("mkdir -p /tmp/w/c", 900, Res::Ran),
        ("mkdir -p /tmp/w/d", 50, Res::Ran),
    ];
    session(dir.path(), "s-grant", "default", &calls);
    let v = report(dir.path(), &[]);
    assert_eq!(v["prompts"]["approved"], 1);
    assert_eq!(v["prompts"]["estimate"]["low"], 1);
    let g = &v["evidence"]["grants"][0];
    assert_eq!(
        (g["key"].as_str(), g["covered"].as_u64()),
        (Some("mkdir"), Some(3))
    );
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
    let gaps = [9000, 8000, 7000, 6000, 5000, 4000, 1500, 1400];
    let calls: Vec<(&str, i64, Res)> = gaps
        .iter()
        .map(|g| ("edit:src/a.rs", *g, Res::Ran))
        .collect();
    session(dir.path(), "s-faster", "default", &calls);
    let v = report(dir.path(), &[]);
    let s = &v["sessions"][0]["fatigue"];
    assert_eq!(s["prompts"], 8);
    assert_eq!(s["first_quarter_median_ms"], 8500.0);
    assert_eq!(s["last_quarter_median_ms"], 1450.0);
    assert_eq!(s["got_faster"], true);
    // Two of eight answers under 2 s.
    assert_eq!(s["rubber_stamp_share"], 0.25);
    assert_eq!(v["fatigue"]["rubber_stamp_share"], 0.25);
    // With a 1.45 s threshold only the 1.4 s answer is a rubber stamp.
    let v = report(dir.path(), &["--rubber-stamp-ms", "1450"]);
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
    // 00_c9e (mode default throughout, no settings), in time order: `mise run test` (6.1 s,
    // exit 1), two Reads in the project (8 and 4 ms), an Edit rejected after 125 s, an
    // Edit approved after 6.0 s, an Edit back in 11 ms, `mise run test` (4.5 s). The 11 ms
    // edit ran unasked: the 6.0 s approval granted edits for the session ("don't ask
    // again"), an evidenced prompt; the two test runs are prompts only the replay shows.
    let v = report(
        Path::new("data/real/entireio__cli/00_c9e2351016_3_full.jsonl"),
        &[],
    );
    assert_eq!(v["prompts"]["approved"], 3);
    assert_eq!(v["prompts"]["estimate"]["low"], 1);
    assert_eq!(v["prompts"]["rejected"], 1);
    assert_eq!(v["auto_allowed"], 3);
    assert_eq!(v["evidence"]["grants"][0]["key"], "file edits (in project)");
    // Fatigue: the rejection, then the one evidenced approval.
    assert_eq!(v["fatigue"]["longest_streak"], 1);
    assert_eq!(v["fatigue"]["prompts_counted"], 2);
    // ec_38b: Read (default, 367 ms), Edit (default, 3.0 s: prompted), Skill (default,
    // errored at once: 0 ms, no dialog), Edit inside the project in acceptEdits (unasked),
    // Read in plan mode (unasked).
    let v = report(
        Path::new("data/real/entireio__cli/ec_38b74f08e3_0_full.jsonl"),
        &[],
    );
    assert_eq!(v["prompts"]["approved"], 1);
    assert_eq!(v["prompts"]["rejected"], 0);
    assert_eq!(v["auto_allowed"], 4);
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

#[test]
fn a_rule_adopted_in_mid_window_counts_the_calls_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("projects");
    // Today's settings allow edits under src/. The edits of the first two sessions waited
    // on a dialog (6.0 s, 0.8 s, 5.0 s); from the third session on they come back at
    // machine speed (40 ms), or without timing evidence (900 ms): the rule was adopted at
    // the third session's first edit, 2026-03-01T12:00:01Z.
    let ran = |f, gap| (f, gap, Res::Ran);
    session_at(
        &data,
        "a1",
        "default",
        0,
        &[ran("edit:src/a.rs", 6000), ran("edit:src/a.rs", 800)],
    );
    session_at(&data, "b2", "default", 1, &[ran("edit:src/b.rs", 5000)]);
    session_at(
        &data,
        "c3",
        "default",
        2,
        &[ran("edit:src/c.rs", 40), ran("edit:src/c.rs", 900)],
    );
    session_at(&data, "d4", "default", 3, &[ran("edit:src/d.rs", 30)]);
    let settings = dir.path().join("settings.json");
    write(
        &settings,
        r#"{"permissions": {"allow": ["Edit(**/src/**)"]}}"#,
    );
    let s = settings.to_str().unwrap();
    let v = report(&data, &["--settings", s]);
    let a = &v["evidence"]["adoptions"][0];
    assert!(
        a["rule"].as_str().unwrap().starts_with("Edit(**/src/**) ("),
        "{a}"
    );
    assert_eq!(a["adopted"], "2026-03-01T12:00:01.000Z");
    assert_eq!(
        (a["waited_before"].as_u64(), a["prompts_before"].as_u64()),
        (Some(2), Some(3))
    );
    let p = &v["prompts"];
    assert_eq!(
        (p["approved"].as_u64(), p["estimate"]["low"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(v["auto_allowed"], 3);
    let edits = v["by_tool"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "Edit")
        .unwrap();
    assert_eq!(
        (edits["approved"].as_u64(), edits["auto_allowed"].as_u64()),
        (Some(3), Some(3))
    );
    // The export gives each call the same answer, and the same counts per command key.
    let csv = dir.path().join("keys.csv");
    permstat_ok(&[
        "export",
        data.to_str().unwrap(),
        "-q",
        "--settings",
        s,
        "--keys",
        "--output",
        csv.to_str().unwrap(),
    ]);
    let keys = std::fs::read_to_string(&csv).unwrap();
    let approved = keys.lines().filter(|l| l.contains(",approved,")).count();
    assert_eq!(approved, 3, "{keys}");
    let by_command = v["by_command"].as_array().unwrap();
    assert_eq!(by_command[0]["key"], "Edit (in project)");
    assert_eq!(by_command[0]["approved"], 3);
}

#[test]
fn approved_runners_are_risky_project_code() {
    // Three `npm test` runs approved at a person's pace (no unasked run of it in the session,
    // so the replay's prompt stands), then an edit. `npm test` runs project code: the runner
    // table of src/facts/runners.rs puts it in the risky actions; the edit is not risky.
    let dir = tempfile::tempdir().unwrap();
    let calls: Vec<(&str, i64, Res)> = vec![
        ("npm test", 5000, Res::Ran),
        ("npm test", 6000, Res::Ran),
        ("npm test", 7000, Res::Ran),
        ("edit:src/a.rs", 5000, Res::Ran),
    ];
    session(dir.path(), "s-runner", "default", &calls);
    let v = report(dir.path(), &[]);
    let risky = v["risky_approved"].as_array().unwrap();
    assert_eq!(risky.len(), 3, "{risky:?}");
    assert!(
        risky
            .iter()
            .all(|r| r["detail"] == "npm test" && r["risks"][0]["category"] == "project_code"),
        "{risky:?}"
    );
    assert_eq!(v["risky_summary"]["project_code"], 3);
}

#[test]
fn the_tables_keep_the_first_risky_calls_and_count_them_all() {
    // Four sessions, each with two `npm test` runs approved at a person's pace: eight risky
    // calls. JSON lists all eight by session; a table cut to three shows the first three
    // and says it shows 3 of 8, though the report kept only those three.
    let dir = tempfile::tempdir().unwrap();
    for id in ["s-d", "s-b", "s-c", "s-a"] {
        let calls: Vec<(&str, i64, Res)> =
            vec![("npm test", 5000, Res::Ran), ("npm test", 6000, Res::Ran)];
        session(dir.path(), id, "default", &calls);
    }
    let v = report(dir.path(), &[]);
    let risky = v["risky_approved"].as_array().unwrap();
    let sessions: Vec<&str> = risky
        .iter()
        .map(|r| r["session_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        sessions,
        ["s-a", "s-a", "s-b", "s-b", "s-c", "s-c", "s-d", "s-d"]
    );
    assert_eq!(v["risky_summary"]["calls"], 8);
    assert_eq!(v["risky_summary"]["project_code"], 8);
    let md = permstat_ok(&[
        "report",
        dir.path().to_str().unwrap(),
        "--format",
        "md",
        "--top",
        "3",
        "-q",
    ]);
    let section = md
        .split("Approved risky actions")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("no risky section: {md}"));
    let rows: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("| npm test"))
        .collect();
    assert_eq!(rows.len(), 3, "{section}");
    assert!(
        rows[0].contains("| s-a ") && rows[1].contains("| s-a "),
        "{section}"
    );
    assert!(rows[2].contains("| s-b "), "{section}");
    assert!(section.contains("3 of 8 risky actions shown"), "{section}");
}
