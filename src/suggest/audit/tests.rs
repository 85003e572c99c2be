//! Tests of the audit: each finding where expected, duplicates across files, operators.

use super::covers::has_unquoted_operator;
use super::*;
use crate::event::Outcome::Ran;
use crate::permissions::replay::replay;
use crate::permissions::settings::{Roots, Source};
use crate::suggest::testutil::{CWD, bash, call, policy};
use FindingKind::*;
use std::path::Path;

fn kinds(a: &Audit, text: &str, kind: &str) -> Vec<FindingKind> {
    let r = a
        .rules
        .iter()
        .find(|r| r.text == text && r.kind == kind)
        .unwrap_or_else(|| panic!("no rule {kind} {text}"));
    r.findings.iter().map(|f| f.kind).collect()
}

#[test]
fn each_finding_where_expected() {
    let p = policy(
        r#"{"permissions": {
          "allow": [
            "Bash(npm view *)",
            "Bash(npm view react)",
            "Bash(terraform fmt -check)",
            "Bash(git:* push)",
            "Bash(python *)",
            "Bash(deploy --token ghp_abcdefghijklmnopqrstuvwxyz0123)",
            "Bash(rm -rf build)",
            "Bash(cat secrets.txt)",
            "mcp__github",
            "mcp__github__get_issue",
            "Bash(ls:*)",
            "Bash(ls *)",
            "Bash(kill 12345)",
            "Bash(npm test && npm run lint)",
            "Bash(command:rm *)",
            "mcp__*"
          ],
          "deny": ["Bash(rm *)", "Read(./secrets.txt)"],
          "ask": ["Bash(git push *)"]
        }}"#,
    );
    let calls = vec![
        bash(0, "s1", "npm view react", Ran),
        bash(1, "s1", "python x.py", Ran),
        bash(2, "s1", "rm -rf build", Ran),
        bash(3, "s2", "git push origin main", Ran),
        bash(4, "s2", "cat secrets.txt", Ran),
        call(5, "s2", "mcp__github__get_issue", "", Ran),
        bash(6, "s2", "ls -la", Ran),
    ];
    let decisions = replay(|_| &p, &calls);
    let a = audit(&[&p], &calls, &decisions, &[], Redactor::default());
    let table: &[(&str, &str, &[FindingKind])] = &[
        ("Bash(npm view *)", "allow", &[]),
        ("Bash(npm view react)", "allow", &[Subsumed]),
        ("Bash(terraform fmt -check)", "allow", &[Stale]),
        ("Bash(git:* push)", "allow", &[NeverMatches]),
        ("Bash(python *)", "allow", &[Dangerous]),
        ("Bash(rm -rf build)", "allow", &[Shadowed]),
        ("Bash(cat secrets.txt)", "allow", &[Shadowed]),
        ("mcp__github", "allow", &[Dangerous]),
        ("mcp__github__get_issue", "allow", &[Subsumed]),
        ("Bash(ls:*)", "allow", &[]),
        ("Bash(ls *)", "allow", &[Subsumed]),
        ("Bash(kill 12345)", "allow", &[NeverMatches]),
        ("Bash(npm test && npm run lint)", "allow", &[NeverMatches]),
        ("Bash(command:rm *)", "allow", &[NeverMatches]),
        ("mcp__*", "allow", &[NeverMatches]),
        ("Bash(rm *)", "deny", &[]),
        ("Read(./secrets.txt)", "deny", &[]),
        ("Bash(git push *)", "ask", &[]),
    ];
    for (text, kind, want) in table {
        assert_eq!(
            kinds(&a, text, kind),
            *want,
            "{kind} {text}: {:?}",
            a.rules.iter().find(|r| r.text == *text)
        );
    }
    // The secret rule is reported redacted.
    let secret = a
        .rules
        .iter()
        .find(|r| r.text.starts_with("Bash(deploy"))
        .expect("secret rule");
    assert!(!secret.text.contains("ghp_"), "{}", secret.text);
    assert_eq!(
        secret.findings.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [Stale, Secret]
    );
    assert_eq!(a.rules.len(), table.len() + 1);

    let counts = |text: &str| {
        let r = a.rules.iter().find(|r| r.text == text).expect(text);
        (r.allowed, r.denied, r.asked)
    };
    assert_eq!(counts("Bash(npm view *)"), (1, 0, 0));
    assert_eq!(counts("Bash(rm *)"), (0, 1, 0));
    assert_eq!(counts("Read(./secrets.txt)"), (0, 1, 0));
    assert_eq!(counts("Bash(git push *)"), (0, 0, 1));
    assert_eq!(counts("mcp__github"), (1, 0, 0));
    assert_eq!(a.summary.dangerous, 2);
    assert_eq!(a.summary.secret, 1);
    assert_eq!(a.summary.calls, calls.len());
    assert!(has_dangerous(&a));
}

#[test]
fn duplicates_across_files_and_policies() {
    let roots = Roots::new(Path::new(CWD), Path::new("/home/u"));
    let local = Path::new(CWD).join(".claude/settings.local.json");
    let project = Path::new(CWD).join(".claude/settings.json");
    let user = Path::new("/home/u/.claude/settings.json");
    let mut p1 = Policy::new(roots.clone());
    p1.add_json_str(
        Source::Local,
        &local,
        r#"{"permissions":{"allow":["Bash(make lint)","Bash(make lint)","WebFetch(domain:*.rs)"]}}"#,
    );
    p1.add_json_str(
        Source::Project,
        &project,
        r#"{"permissions":{"allow":["Bash(make lint)","WebFetch(domain:docs.rs)"]}}"#,
    );
    p1.add_json_str(
        Source::User,
        user,
        r#"{"permissions":{"allow":["Bash(pwd)"]}}"#,
    );
    let mut p2 = Policy::new(Roots::new(Path::new("/work/other"), Path::new("/home/u")));
    p2.add_json_str(
        Source::User,
        user,
        r#"{"permissions":{"allow":["Bash(pwd)"]}}"#,
    );
    let a = audit(&[&p1, &p2], &[], &[], &[], Redactor::default());
    let find = |text: &str, file: &Path| {
        a.rules
            .iter()
            .find(|r| r.text == text && r.file == file)
            .unwrap_or_else(|| panic!("{text} in {}", file.display()))
            .findings
            .iter()
            .map(|f| (f.kind, f.detail.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        find("Bash(make lint)", &local)[0].1,
        "listed 2 times in this file"
    );
    let dup = find("Bash(make lint)", &project);
    assert_eq!(dup[0].0, Subsumed);
    assert!(dup[0].1.contains("settings.local.json"), "{dup:?}");
    assert_eq!(find("WebFetch(domain:docs.rs)", &project)[0].0, Subsumed);
    assert_eq!(
        find("WebFetch(domain:*.rs)", &local),
        [(Stale, "decided none of the 0 calls".into())]
    );
    assert_eq!(a.rules.iter().filter(|r| r.text == "Bash(pwd)").count(), 1);
    assert!(!has_dangerous(&a));
}

#[test]
fn operators_outside_quotes() {
    let cases: &[(&str, bool)] = &[
        ("npm test && npm run lint", true),
        ("git diff; rm x", true),
        ("cat x | head", true),
        ("grep 'a|b' f", false),
        ("grep \"a;b\" f", false),
        ("echo a\\;b", false),
        ("git log *", false),
        (&"(".repeat(200), false),
    ];
    for (spec, want) in cases {
        assert_eq!(has_unquoted_operator(spec), *want, "{spec}");
    }
}

#[test]
fn allow_rules_covered_by_ask_rules_are_shadowed() {
    let p = policy(
        r#"{"permissions":{"allow":["Bash(git push origin main)","mcp__x__get"],"ask":["mcp__x","Bash"]}}"#,
    );
    let a = audit(&[&p], &[], &[], &[], Redactor::default());
    assert_eq!(kinds(&a, "Bash(git push origin main)", "allow"), [Shadowed]);
    assert_eq!(kinds(&a, "mcp__x__get", "allow"), [Shadowed]);
}

#[test]
fn runner_rules_are_labelled_and_dangerous_with_edits_unasked() {
    let p = policy(
        r#"{"permissions":{"allow":["Bash(go test ./...)","Bash(git status)","Bash(npm run *)"]}}"#,
    );
    let a = audit(&[&p], &[], &[], &[], Redactor::default());
    let rule = |text: &str| a.rules.iter().find(|r| r.text == text).expect(text);
    assert_eq!(
        rule("Bash(go test ./...)").class,
        Some(RuleClass::RunsProjectCode)
    );
    assert_eq!(
        kinds(&a, "Bash(go test ./...)", "allow"),
        [Stale, RunsProjectCode]
    );
    assert_eq!(rule("Bash(git status)").class, Some(RuleClass::ReadOnly));
    assert_eq!(rule("Bash(npm run *)").class, Some(RuleClass::Never));
    assert_eq!(kinds(&a, "Bash(npm run *)", "allow"), [Stale, Dangerous]);
    assert_eq!(a.summary.runs_project_code, 1);

    // With edits allowed unasked, the runner rule admits any code.
    for json in [
        r#"{"permissions":{"allow":["Bash(go test ./...)"],"defaultMode":"acceptEdits"}}"#,
        r#"{"permissions":{"allow":["Bash(go test ./...)","Edit(/src/**)"]}}"#,
    ] {
        let p = policy(json);
        let a = audit(&[&p], &[], &[], &[], Redactor::default());
        assert!(
            kinds(&a, "Bash(go test ./...)", "allow").contains(&Dangerous),
            "{json}: {a:?}"
        );
        assert!(fails_on_dangerous(&a));
    }
}

#[test]
fn unreadable_settings_are_problems_that_fail_ci() {
    use crate::permissions::settings::{Warning, WarningKind};
    let p = policy(r#"{"permissions":{"allow":["Bash(git status)"]}}"#);
    let warning = |kind, line, rule: Option<&str>| Warning {
        file: "/w/bad.json".into(),
        line,
        rule: rule.map(str::to_string),
        kind,
        message: "trailing comma at line 3 column 1; token ghp_abcdefghijklmnopqrstuvwxyz0123"
            .into(),
    };
    let warnings = [
        warning(WarningKind::Broken, Some(3), None),
        warning(WarningKind::Unparseable, Some(2), Some("Bash(unbalanced")),
        warning(WarningKind::Ignored, None, Some("Bash(x)")),
    ];
    let a = audit(&[&p], &[], &[], &warnings, Redactor::default());
    let found: Vec<(&str, Option<usize>)> = a.problems.iter().map(|p| (p.kind, p.line)).collect();
    assert_eq!(found, [("broken", Some(3)), ("unparseable", Some(2))]);
    assert!(!a.problems[0].detail.contains("ghp_"), "{:?}", a.problems);
    assert!(!has_dangerous(&a));
    assert!(fails_on_dangerous(&a) && has_findings(&a));
    let clean = audit(&[&p], &[], &[], &warnings[2..], Redactor::default());
    assert!(!fails_on_dangerous(&clean));
    // --no-redact shows the texts as written.
    let shown = audit(&[&p], &[], &[], &warnings, Redactor::new(false));
    assert!(shown.problems[0].detail.contains("ghp_"));
}
