//! The summary merged from parts equals the summary of the whole, and the suggester gives
//! over its rows what it gives over the calls themselves.

use super::*;
use crate::analysis::{Answer, Ground, gate_of};
use crate::event::Outcome::{self, Ran, UserRejected};
use crate::permissions::replay::replay;
use crate::suggest::testutil::{bash, call, policy};
use crate::suggest::{Answers, SuggestOptions, suggest_answered, suggest_with};
use crate::text::redact::Redactor;

/// Calls of several sessions: commands approved again and again (with a different
/// description each time), one rejected, an edit, a fetch, and calls made at one time.
fn history() -> Vec<ToolCall> {
    let mut calls = Vec::new();
    let commands = [
        ("git log --oneline", Ran),
        ("npm view react", Ran),
        ("npm view lodash version", Ran),
        ("cargo tree", Ran),
        ("rm -rf build", UserRejected),
        ("git log --oneline", Ran),
    ];
    for n in 0..60 {
        let (cmd, o): (&str, Outcome) = commands[n % commands.len()];
        let session = format!("s{}", n % 4);
        let mut c = bash(n, &session, cmd, o);
        c.input
            .params
            .push(("description".into(), format!("step {n}")));
        calls.push(c);
    }
    calls.push(call(60, "s1", "Edit", "/work/proj/a.rs", Ran));
    calls.push(call(61, "s2", "WebFetch", "https://docs.rs/x", Ran));
    // Two calls at one millisecond: the examples put the smaller id first.
    let mut twin = bash(62, "s3", "cargo tree -e normal", Ran);
    twin.asked_ms = calls[59].asked_ms;
    calls.push(twin);
    calls.sort_by(|a, b| (a.asked_ms, &a.id).cmp(&(b.asked_ms, &b.id)));
    calls
}

/// Each call's answer (from the replay alone) and gate.
fn answers_of(calls: &[ToolCall], p: &Policy) -> Vec<(Known, Gate)> {
    replay(|_| p, calls)
        .iter()
        .zip(calls)
        .map(|(d, c)| {
            let gate = gate_of(&d.verdict);
            let known = Known {
                window_ms: Some(500),
                ..Known::replayed(c, gate)
            };
            (known, gate)
        })
        .collect()
}

fn summary_of(calls: &[ToolCall], known: &[(Known, Gate)], p: &Policy) -> Summary {
    let mut s = Summary::default();
    for (c, (k, g)) in calls.iter().zip(known) {
        s.add(c, p, *k, *g);
    }
    s
}

/// A finished summary as text, field by field.
fn shown(rows: &Rows) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        rows.calls, rows.known, rows.gates, rows.weights, rows.confirmed
    )
}

#[test]
fn merged_parts_equal_the_whole() {
    let calls = history();
    let p = policy("{}");
    let known = answers_of(&calls, &p);
    let whole = summary_of(&calls, &known, &p);
    // Alike calls are kept once: far fewer rows than calls.
    assert!(whole.len() < 15, "{}", whole.len());
    let whole = shown(&whole.finish());
    // Cut into parts, merged in another order.
    for cuts in [[7, 30, 45], [1, 2, 62], [20, 21, 22]] {
        let bounds = [0, cuts[0], cuts[1], cuts[2], calls.len()];
        let mut parts: Vec<Summary> = bounds
            .windows(2)
            .map(|w| summary_of(&calls[w[0]..w[1]], &known[w[0]..w[1]], &p))
            .collect();
        let mut merged = parts.pop().unwrap_or_default();
        for part in parts {
            let mut next = part;
            next.absorb(merged);
            merged = next;
        }
        assert_eq!(shown(&merged.finish()), whole, "cut at {cuts:?}");
    }
}

#[test]
fn rows_weigh_their_calls_and_sessions() {
    let calls = history();
    let p = policy("{}");
    let known = answers_of(&calls, &p);
    let rows = summary_of(&calls, &known, &p).finish();
    let at = |cmd: &str| {
        rows.calls
            .iter()
            .position(|c| c.input.command.as_deref() == Some(cmd))
            .unwrap()
    };
    // 20 of the 60 calls run `git log --oneline` (n % 6 in {0, 5}), in sessions s0-s3.
    let i = at("git log --oneline");
    assert_eq!(rows.weights.calls(i), 20);
    assert_eq!(rows.weights.sessions(&rows.calls, [i]), 4);
    // The row carries its newest call's time and id, and its description is gone.
    let newest = calls
        .iter()
        .filter(|c| c.input.command.as_deref() == Some("git log --oneline"))
        .max_by_key(|c| c.asked_ms)
        .unwrap();
    assert_eq!(
        (rows.calls[i].asked_ms, rows.calls[i].id.as_str()),
        (newest.asked_ms, newest.id.as_str())
    );
    assert!(rows.calls[i].input.params.is_empty());
    // Rows come in the order of their first call.
    assert_eq!(
        rows.calls[0].input.command.as_deref(),
        Some("git log --oneline")
    );
    assert_eq!(rows.weights.sum(0..rows.calls.len()), calls.len());
}

#[test]
fn a_rule_on_a_parameter_keeps_it() {
    let p = policy(r#"{"permissions":{"deny":["Bash(description:secret*)"]}}"#);
    let mut a = bash(1, "s1", "ls", Ran);
    a.input
        .params
        .push(("description".into(), "secret one".into()));
    let mut b = bash(2, "s1", "ls", Ran);
    b.input.params.push(("description".into(), "other".into()));
    let calls = [a, b];
    let known = answers_of(&calls, &p);
    let rows = summary_of(&calls, &known, &p).finish();
    assert_eq!(rows.calls.len(), 2);
    assert_eq!(rows.calls[0].input.params.len(), 1);
}

#[test]
fn the_suggester_gives_over_rows_what_it_gives_over_calls() {
    let calls = history();
    let p = policy("{}");
    let decisions = replay(|_| &p, &calls);
    let known = answers_of(&calls, &p);
    let evidence = crate::analysis::Evidence::of_answers(
        known.iter().map(|(k, _)| *k).collect(),
        known.iter().map(|(_, g)| *g).collect(),
    );
    let opts = SuggestOptions {
        min_count: 2,
        min_sessions: 1,
        min_saved: 1,
        ..SuggestOptions::default()
    };
    let direct = suggest_with(
        &calls,
        &decisions,
        |_| &p,
        &evidence,
        &opts,
        Redactor::default(),
    );
    let rows = summary_of(&calls, &known, &p).finish();
    let row_decisions = replay(|_| &p, &rows.calls);
    let answers = Answers::of_rows(rows.known, rows.weights, rows.confirmed);
    let summed = suggest_answered(
        &rows.calls,
        &row_decisions,
        |_| &p,
        answers,
        &opts,
        Redactor::default(),
    );
    assert!(!direct.rules.is_empty());
    assert_eq!(direct.rules, summed.rules);
    assert_eq!(direct.left_out, summed.left_out);
    assert_eq!(
        (direct.prompts_before, direct.prompts_after),
        (summed.prompts_before, summed.prompts_after)
    );
    assert_eq!(direct.answered, summed.answered);
    assert_eq!(direct.answered_saved, summed.answered_saved);
    // Counts weigh the calls each row stands for: `npm view react` and `npm view lodash
    // version` were each approved 10 times, in 2 sessions.
    let npm = summed.rules.iter().find(|r| r.rule == "Bash(npm view *)");
    assert_eq!(
        npm.map(|r| (r.approvals, r.sessions)),
        Some((20, 4)),
        "{:?}",
        summed.rules
    );
}

#[test]
fn calls_before_a_rules_adoption_count_as_prompts() {
    let p = policy(r#"{"permissions":{"allow":["Bash(ls)"]}}"#);
    let calls: Vec<ToolCall> = (0..4).map(|n| bash(n, "s1", "ls", Ran)).collect();
    let t = |n: usize| calls[n].asked_ms.unwrap();
    let unasked = Known::new(Answer::AutoAllowed, Ground::Replay, None);
    let mut s = Summary::default();
    // The rule covered calls that waited at 0 and 1, then one at machine speed at 2: it
    // was adopted at 2, and the calls at 0 and 1 (waiting on it) were prompts.
    let rule: Arc<str> = Arc::from("Bash(ls) (settings)");
    s.see(
        [(0, false), (1, false), (2, true)]
            .iter()
            .map(|&(n, fast)| Seen {
                rule: rule.clone(),
                at_ms: t(n),
                fast,
            })
            .collect(),
    );
    for n in [0, 1, 3] {
        s.wait(
            &calls[n],
            &p,
            (unasked, Gate::AllowedByRule),
            rule.clone(),
            true,
        );
    }
    let rows = s.finish();
    let answers: Vec<(Answer, u64)> = rows
        .known
        .iter()
        .enumerate()
        .map(|(i, k)| (k.answer, rows.weights.calls(i)))
        .collect();
    assert_eq!(
        answers,
        [(Answer::Approved, 2), (Answer::AutoAllowed, 1)],
        "{:?}",
        rows.known
    );
    assert_eq!(rows.known[0].ground, Ground::BeforeAdoption);
}
