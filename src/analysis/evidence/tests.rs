//! Hand-written sessions with known answers, one per rule of evidence, decided by the real
//! permission engine under a settings text.

use super::*;
use crate::analysis::gate_of;
use crate::analysis::keys::judged_keys;
use crate::analysis::testkit::{With, bash, call};
use crate::event::{Outcome, RecordSource, RecordedDecision};
use crate::permissions::engine::{CallCtx, Decision, decide};
use crate::permissions::settings::{Policy, Roots, Source};
use std::path::Path;

/// The folder the test calls run in (`testkit::call`).
const PROJ: &str = "/home/u/proj";

/// One second.
const S: i64 = 1000;

fn policy(json: &str) -> Policy {
    let roots = Roots::new(Path::new(PROJ), Path::new("/home/u"));
    let path = Path::new(PROJ).join(".claude/settings.json");
    Policy::from_json_str(roots, Source::Project, &path, json).0
}

/// The evidence of `calls` under a settings text, the way the commands gather it.
fn gather(calls: &[ToolCall], settings: &str, adopt: Adopt) -> Evidence {
    let p = policy(settings);
    let decide_in = |c: &ToolCall, m: Option<&Mode>| -> Decision {
        decide(
            &p,
            &CallCtx {
                tool: &c.tool,
                input: &c.input,
                cwd: c.project.as_deref().map(Path::new),
                mode: m.or(c.mode.as_ref()),
            },
        )
    };
    let ds: Vec<Decision> = calls.iter().map(|c| decide_in(c, None)).collect();
    let keys: Vec<Vec<(String, bool)>> = calls
        .iter()
        .zip(&ds)
        .map(|(c, d)| judged_keys(c, Some(Path::new(PROJ)), d))
        .collect();
    let rules: Vec<Option<String>> = ds.iter().map(allow_rule).collect();
    let facts: Vec<Replay> = ds
        .iter()
        .zip(&rules)
        .zip(&keys)
        .map(|((d, r), k)| Replay {
            gate: gate_of(&d.verdict),
            allow_rule: r.as_deref(),
            keys: k,
        })
        .collect();
    let rejudge = |i: usize, m: &Mode| gate_of(&decide_in(&calls[i], Some(m)).verdict);
    Evidence::gather(calls, &facts, &rejudge, &EvidenceParams::default(), adopt)
}

fn known(ev: &Evidence, calls: &[ToolCall]) -> Vec<(Answer, Ground)> {
    calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let k = ev.answer(i, c, Gate::Unknown);
            (k.answer, k.ground)
        })
        .collect()
}

fn approved(ev: &Evidence, calls: &[ToolCall]) -> usize {
    known(ev, calls)
        .iter()
        .filter(|(a, _)| *a == Answer::Approved)
        .count()
}

/// An edit of a file in the project, asked at `t` seconds, answered `gap` ms later, with no
/// mode recorded.
fn edit(id: &str, t: i64, gap: i64) -> ToolCall {
    call(id, "Edit")
        .path(&format!("{PROJ}/src/{id}.rs"))
        .at(t * S, t * S + gap)
        .mode(None)
}

#[test]
fn edits_at_machine_speed_without_a_mode_are_accept_edits() {
    let mut calls: Vec<ToolCall> = (0..6).map(|i| edit(&format!("e{i}"), i * 10, 40)).collect();
    // An edit that took 700 ms: no timing evidence on its own, but inside the stretch.
    calls.push(edit("slowish", 70, 700));
    // `mkdir` inside the project runs unasked in acceptEdits, not in default.
    calls.push(
        bash("mk", "mkdir -p build/out")
            .at(80 * S, 80 * S + 2500)
            .mode(None),
    );
    let ev = gather(&calls, "{}", Adopt::Here);
    assert_eq!(approved(&ev, &calls), 0, "{:?}", known(&ev, &calls));
    let k = known(&ev, &calls);
    assert_eq!(k[0], (Answer::AutoAllowed, Ground::MachineSpeed));
    assert_eq!(k[6], (Answer::AutoAllowed, Ground::InferredMode));
    assert_eq!(k[7], (Answer::AutoAllowed, Ground::InferredMode));
    assert!(
        calls
            .iter()
            .enumerate()
            .all(|(i, _)| ev.mode(i) == Some(InferredMode::AcceptEdits))
    );
    let span = &ev.found.modes[0];
    assert_eq!(
        (span.mode, span.calls, span.fast_edits),
        (InferredMode::AcceptEdits, 8, 6)
    );
    // The same with the edits' mode recorded as default: nothing is inferred, the fast
    // edits still ran unasked, the 700 ms one is the replay's.
    let recorded: Vec<ToolCall> = calls
        .iter()
        .map(|c| c.clone().mode(Some(Mode::Default)))
        .collect();
    let ev = gather(&recorded, "{}", Adopt::Here);
    assert!(ev.found.modes.is_empty());
    assert_eq!(known(&ev, &recorded)[6], (Answer::Approved, Ground::Replay));
}

#[test]
fn edits_that_wait_six_seconds_are_prompts() {
    let calls: Vec<ToolCall> = (0..4)
        .map(|i| edit(&format!("e{i}"), i * 20, 6000))
        .collect();
    let ev = gather(&calls, "{}", Adopt::Here);
    let k = known(&ev, &calls);
    assert!(
        k.iter().all(|x| *x == (Answer::Approved, Ground::Waited)),
        "{k:?}"
    );
    assert_eq!(ev.found.modes[0].mode, InferredMode::Default);
    assert_eq!(ev.found.modes[0].waited_edits, 4);
    let sure = calls
        .iter()
        .enumerate()
        .filter(|(i, c)| ev.answer(*i, c, Gate::Unknown).is_certain_prompt())
        .count();
    assert_eq!(sure, 4, "waited edits are evidenced prompts");
}

#[test]
fn a_grant_in_mid_session_counts_one_prompt() {
    // Default mode recorded: `mkdir` outside the project prompts.
    let calls = vec![
        bash("a", "mkdir -p /tmp/x/a").at(0, 5 * S),
        bash("b", "mkdir -p /tmp/x/b").at(10 * S, 10 * S + 40),
        bash("c", "mkdir -p /tmp/x/c").at(20 * S, 20 * S + 800),
        bash("d", "mkdir -p /tmp/x/d").at(30 * S, 30 * S + 60),
        // Another command in between is not covered.
        bash("e", "touch /tmp/x/e").at(40 * S, 40 * S + 4000),
    ];
    let ev = gather(&calls, "{}", Adopt::Here);
    let k = known(&ev, &calls);
    assert_eq!(k[0], (Answer::Approved, Ground::GrantPrompt));
    assert_eq!(k[1], (Answer::AutoAllowed, Ground::MachineSpeed));
    assert_eq!(k[2], (Answer::AutoAllowed, Ground::Granted));
    assert_eq!(k[4], (Answer::Approved, Ground::Replay));
    assert_eq!(approved(&ev, &calls), 2);
    let g = &ev.found.grants[0];
    assert_eq!((g.key.as_str(), g.covered), ("mkdir", 3));
    // Without the fast call there is no grant: every call is the replay's prompt.
    let slow: Vec<ToolCall> = [&calls[0], &calls[2], &calls[4]]
        .map(|c| c.clone())
        .to_vec();
    let ev = gather(&slow, "{}", Adopt::Here);
    assert_eq!(approved(&ev, &slow), 3);
    assert!(ev.found.grants.is_empty());
}

#[test]
fn a_rejection_ends_a_grant() {
    let calls = vec![
        bash("a", "mkdir -p /tmp/x/a").at(0, 5 * S),
        bash("b", "mkdir -p /tmp/x/b").at(10 * S, 10 * S + 40),
        bash("r", "mkdir -p /tmp/x/r")
            .at(20 * S, 29 * S)
            .outcome(Outcome::UserRejected),
        bash("c", "mkdir -p /tmp/x/c").at(30 * S, 30 * S + 800),
    ];
    let ev = gather(&calls, "{}", Adopt::Here);
    let k = known(&ev, &calls);
    assert_eq!(k[2], (Answer::Rejected, Ground::Outcome));
    assert_eq!(k[3], (Answer::Approved, Ground::Replay));
}

#[test]
fn a_rule_adopted_in_mid_window_counts_the_calls_before_it() {
    let settings = r#"{"permissions": {"allow": ["Edit(src/**)"]}}"#;
    let mode = Some(Mode::Default);
    let calls = vec![
        edit("a", 0, 6000).session("s1").mode(mode.clone()),
        edit("b", 10, 800).session("s1").mode(mode.clone()),
        edit("c", 20, 5000).session("s2").mode(mode.clone()),
        edit("d", 30, 40).session("s3").mode(mode.clone()),
        edit("e", 40, 900).session("s3").mode(mode.clone()),
        edit("f", 50, 30).session("s4").mode(mode.clone()),
    ];
    let ev = gather(&calls, settings, Adopt::Here);
    let k = known(&ev, &calls);
    assert_eq!(k[0], (Answer::Approved, Ground::BeforeAdoption));
    assert_eq!(k[1], (Answer::Approved, Ground::BeforeAdoption));
    assert_eq!(k[2], (Answer::Approved, Ground::BeforeAdoption));
    assert_eq!(k[3], (Answer::AutoAllowed, Ground::MachineSpeed));
    assert_eq!(k[4], (Answer::AutoAllowed, Ground::Replay));
    let a = &ev.found.adoptions[0];
    assert!(a.rule.starts_with("Edit(src/**) ("), "{}", a.rule);
    assert_eq!(a.adopted_ms, 30 * S);
    assert_eq!((a.waited_before, a.fast_after, a.prompts_before), (2, 2, 3));
    // Settled by the caller: the same calls wait, with what was seen.
    let later = gather(&calls, settings, Adopt::Later);
    assert_eq!(approved(&later, &calls), 0);
    let pending: Vec<usize> = later.pending().iter().map(|(i, _)| *i).collect();
    assert_eq!(pending, [0, 1, 2, 4]);
    let mut dates = adoption::dates(later.found.seen.clone());
    assert_eq!(dates[0].adopted_ms, 30 * S);
    let mut k = later.answer(1, &calls[1], Gate::Unknown);
    let rule = later.pending()[1].1.clone();
    assert!(before_adoption(
        &mut k,
        calls[1].asked_ms,
        &mut dates,
        &rule
    ));
    assert_eq!(k.ground, Ground::BeforeAdoption);
    // Deferred (the streaming suggester): settling the waiting calls gives what settling
    // them here gives, call by call.
    let deferred = gather(&calls, settings, Adopt::Deferred);
    let mut dates = adoption::dates(deferred.found.seen.clone());
    let settled: Vec<(Answer, Ground)> = (0..calls.len())
        .map(|i| {
            let mut k = deferred.answer(i, &calls[i], Gate::Unknown);
            if let Some((_, rule)) = deferred.pending().iter().find(|(j, _)| *j == i) {
                before_adoption(&mut k, calls[i].asked_ms, &mut dates, rule);
            }
            (k.answer, k.ground)
        })
        .collect();
    assert_eq!(settled, known(&ev, &calls));
}

#[test]
fn a_subagent_started_in_bypass_mode_keeps_it() {
    // The main thread records no mode; everything it changes comes back at machine speed.
    let mut calls = vec![
        bash("m1", "mkdir -p /tmp/a").at(0, 40),
        bash("m2", "touch /tmp/b").at(5 * S, 5 * S + 30),
        bash("m3", "npm install left-pad").at(10 * S, 10 * S + 200),
        bash("m4", "rm -rf /tmp/c").at(15 * S, 15 * S + 20),
        edit("m5", 20, 30),
    ];
    for c in &mut calls {
        c.mode = None;
    }
    // A subagent started at 30 s runs a slow test suite and a slow build.
    for (i, cmd) in ["npm test", "cargo build --release"].iter().enumerate() {
        let t = (30 + 60 * i as i64) * S;
        calls.push(
            bash(&format!("a{i}"), cmd)
                .at(t, t + 20 * S)
                .mode(None)
                .agent("a1"),
        );
    }
    // The main thread is back in default later on: two edits wait.
    calls.push(edit("m6", 100, 6000));
    calls.push(edit("m7", 120, 7000));
    let ev = gather(&calls, "{}", Adopt::Here);
    let k = known(&ev, &calls);
    assert_eq!(
        ev.mode(5),
        Some(InferredMode::Bypass),
        "{:?}",
        ev.found.modes
    );
    assert_eq!(k[5], (Answer::AutoAllowed, Ground::InferredMode));
    assert_eq!(k[6], (Answer::AutoAllowed, Ground::InferredMode));
    assert_eq!(k[7], (Answer::Approved, Ground::Waited));
    let sub = ev
        .found
        .modes
        .iter()
        .find(|s| s.agent_id.is_some())
        .unwrap();
    assert!(sub.inherited);
    assert_eq!(sub.mode, InferredMode::Bypass);
    // A subagent of a session whose mode nothing shows stays as the replay has it.
    let lone: Vec<ToolCall> = calls[5..7].to_vec();
    let ev = gather(&lone, "{}", Adopt::Here);
    assert_eq!(approved(&ev, &lone), 2);
    assert!(ev.found.modes.is_empty());
}

#[test]
fn plan_mode_before_exit_plan_mode() {
    let calls = vec![
        call("r", "Read")
            .path(&format!("{PROJ}/a.rs"))
            .at(0, 5)
            .mode(None),
        call("w", "WebSearch").at(S, 6 * S).mode(None),
        call("x", "ExitPlanMode").at(10 * S, 40 * S).mode(None),
        edit("e", 50, 6000),
    ];
    let ev = gather(&calls, "{}", Adopt::Here);
    for i in 0..3 {
        assert_eq!(ev.mode(i), Some(InferredMode::Plan), "{i}");
    }
    assert_eq!(ev.mode(3), Some(InferredMode::Default));
    assert!(ev.found.modes.iter().any(|s| s.plan_marker));
}

#[test]
fn recorded_decisions_are_the_answer_and_check_the_inference() {
    let logged = |prompted: bool| RecordedDecision {
        source: RecordSource::PromptLog,
        prompted: Some(prompted),
        decision: Some("accept".into()),
        detail: None,
    };
    // Five identical calls of one command: the log shows prompts for two of them.
    let mut calls: Vec<ToolCall> = (0..5)
        .map(|i| bash(&format!("c{i}"), "npm run build").at(i * 60 * S, i * 60 * S + 9000))
        .collect();
    calls[1].recorded = Some(logged(true));
    calls[3].recorded = Some(logged(true));
    // An OpenTelemetry record of a call decided by a rule, in another session.
    let mut other = bash("o", "npm run build").session("s2").at(0, 9000);
    other.recorded = Some(RecordedDecision {
        source: RecordSource::Otel,
        prompted: Some(false),
        decision: Some("accept".into()),
        detail: Some("config".into()),
    });
    calls.push(other);
    // A call whose record does not say whether a dialog was shown: the inference stands.
    let mut vague = bash("v", "npm run build").session("s3").at(0, 9000);
    vague.recorded = Some(RecordedDecision {
        source: RecordSource::HookAttachment,
        prompted: None,
        decision: Some("allow".into()),
        detail: None,
    });
    calls.push(vague);
    let ev = gather(&calls, "{}", Adopt::Here);
    let k = known(&ev, &calls);
    assert_eq!(approved(&ev, &calls), 3, "the log's two and the vague one");
    assert_eq!(k[1], (Answer::Approved, Ground::PromptLog));
    assert_eq!(k[0], (Answer::AutoAllowed, Ground::NotLogged));
    assert_eq!(k[5], (Answer::AutoAllowed, Ground::Otel));
    assert_eq!(k[6], (Answer::Approved, Ground::Replay));
    let r = &ev.found.records;
    assert_eq!((r.sessions, r.calls), (3, 6));
    assert_eq!(r.recorded_prompts, 2);
    assert_eq!((r.inferred_prompts, r.replayed_prompts), (6, 6));
    assert_eq!((r.both, r.inferred_only, r.recorded_only), (2, 4, 0));
}

#[test]
fn speed_never_overrides_a_recorded_outcome() {
    let calls = vec![
        bash("r", "rm -rf /")
            .at(0, 40)
            .outcome(Outcome::UserRejected),
        bash("d", "rm -rf /")
            .at(S, S + 10)
            .outcome(Outcome::RuleDenied),
    ];
    let ev = gather(&calls, "{}", Adopt::Here);
    assert_eq!(
        known(&ev, &calls),
        [
            (Answer::Rejected, Ground::Outcome),
            (Answer::RuleDenied, Ground::Outcome)
        ]
    );
}
