//! Replay over a tool-call table and comparison with recorded outcomes.

use crate::common::*;
use permstat::event::{Mode, Outcome};
use permstat::permissions::engine::{AutoWhy, PromptWhy, Verdict};
use permstat::permissions::replay::{DisagreementKind, classify, compare, replay};

#[test]
fn classify_table() {
    use DisagreementKind as K;
    let auto = Verdict::AutoAllowed(AutoWhy::ReadOnlyTool);
    let prompt = Verdict::WouldPrompt(PromptWhy::NoRule);
    #[rustfmt::skip]
    let cases: Vec<(Outcome, Verdict, Option<K>)> = vec![
        (Outcome::RuleDenied, Verdict::DeniedByRule, None),
        (Outcome::RuleDenied, prompt.clone(), Some(K::DenyRuleMissing)),
        (Outcome::UserRejected, prompt.clone(), None),
        (Outcome::UserRejected, Verdict::AskRule, None),
        (Outcome::UserRejected, auto.clone(), Some(K::RejectedWithoutPrompt)),
        (Outcome::UserRejectedWithFeedback, Verdict::AllowedByRule, Some(K::RejectedWithoutPrompt)),
        (Outcome::SubagentRejected, Verdict::DeniedByRule, Some(K::RejectedButDenied)),
        (Outcome::UserRejected, Verdict::Classifier, None),
        (Outcome::Ran, Verdict::DeniedByRule, Some(K::DeniedButRan)),
        (Outcome::ToolError, Verdict::DontAskDenied, Some(K::DontAskDeniedButRan)),
        (Outcome::Ran, prompt.clone(), None),
        (Outcome::Ran, auto.clone(), None),
        (Outcome::DontaskDenied, Verdict::DontAskDenied, None),
        (Outcome::DontaskDenied, auto.clone(), Some(K::DontAskMismatch)),
        (Outcome::AutomodeBlocked, Verdict::Classifier, None),
        (Outcome::AutomodeUnavailable, prompt.clone(), Some(K::ClassifierMismatch)),
        (Outcome::HeadlessUnanswered, Verdict::AllowedByRule, Some(K::UnansweredButAllowed)),
        (Outcome::HeadlessUnanswered, prompt.clone(), None),
        (Outcome::Interrupted, auto.clone(), None),
        (Outcome::Cancelled, Verdict::DeniedByRule, None),
        (Outcome::HookDenied, auto, None),
        (Outcome::Unresolved, prompt, None),
    ];
    for (outcome, verdict, want) in cases {
        assert_eq!(
            classify(outcome, &verdict),
            want,
            "{outcome} vs {verdict:?}"
        );
    }
}

#[test]
fn replay_and_compare() {
    let p = policy(&["-Bash(rm -rf *)", "+Bash(npm test)"]);
    #[rustfmt::skip]
    let calls = vec![
        tool_call("1", "Bash", bash("ls"), Some(Mode::Default), Outcome::Ran),
        tool_call("2", "Bash", bash("npm test"), Some(Mode::Default), Outcome::Ran),
        tool_call("3", "Bash", bash("cargo build"), Some(Mode::Default), Outcome::Ran),
        tool_call("4", "Bash", bash("cargo publish"), Some(Mode::Default), Outcome::UserRejected),
        tool_call("5", "Bash", bash("rm -rf x"), Some(Mode::Default), Outcome::RuleDenied),
        tool_call("6", "Bash", bash("rm -rf y"), Some(Mode::Default), Outcome::Ran),
        tool_call("7", "Bash", bash("git push"), Some(Mode::Default), Outcome::RuleDenied),
        tool_call("8", "Read", path("/proj/a"), Some(Mode::Default), Outcome::UserRejected),
        tool_call("9", "Edit", path("/proj/a"), Some(Mode::Other("bubble".into())), Outcome::Ran),
        tool_call("10", "Edit", path("/proj/a"), Some(Mode::DontAsk), Outcome::DontaskDenied),
        tool_call("11", "Edit", path("/proj/a"), Some(Mode::Auto), Outcome::AutomodeBlocked),
    ];
    let decisions = replay(|_| &p, &calls);
    assert_eq!(decisions.len(), calls.len());
    assert!(decisions[8].notes.iter().any(|n| n.contains("bubble")));
    let s = compare(&calls, &decisions);
    assert_eq!(s.calls, 11);
    assert_eq!(s.per_verdict.get("auto_allowed"), Some(&2));
    assert_eq!(s.per_verdict.get("allowed_by_rule"), Some(&1));
    assert_eq!(s.per_verdict.get("would_prompt"), Some(&4));
    assert_eq!(s.per_verdict.get("denied_by_rule"), Some(&2));
    assert_eq!(s.per_verdict.get("dontask_denied"), Some(&1));
    assert_eq!(s.per_verdict.get("classifier"), Some(&1));
    assert_eq!(s.prompts, 4);
    assert_eq!(
        s.prompts_approved, 2,
        "cargo build and the Edit ran after a prompt"
    );
    assert_eq!(
        s.per_disagreement.get(&DisagreementKind::DeniedButRan),
        Some(&1)
    );
    assert_eq!(
        s.per_disagreement.get(&DisagreementKind::DenyRuleMissing),
        Some(&1)
    );
    assert_eq!(
        s.per_disagreement
            .get(&DisagreementKind::RejectedWithoutPrompt),
        Some(&1)
    );
    assert_eq!(s.disagreements.len(), 3);
    assert_eq!(
        s.per_outcome.get("ran").and_then(|m| m.get("would_prompt")),
        Some(&2)
    );
    let ids: Vec<&str> = s.disagreements.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["6", "7", "8"]);
}
