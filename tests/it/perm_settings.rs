//! Settings files: locations, merge, sources, warnings.

use crate::common::*;
use permstat::event::Mode;
use permstat::permissions::bash_rule::RuleKind;
use permstat::permissions::engine::Verdict;
use permstat::permissions::settings::{
    LoadOptions, Policy, Source, WarningKind, find_project_root,
};
use std::fs;
use std::path::{Path, PathBuf};

fn perms(kind: &str, rules: &[&str]) -> String {
    let list: Vec<String> = rules.iter().map(|r| format!("{r:?}")).collect();
    format!(r#"{{"permissions":{{"{kind}":[{}]}}}}"#, list.join(","))
}

struct Layout {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    opts: LoadOptions,
}

/// A repo at `<tmp>/repo` (with `.git`), session started in `<tmp>/repo/sub`.
fn layout() -> Layout {
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = tmp.path().to_path_buf();
    let root = base.join("repo");
    fs::create_dir_all(root.join(".git")).expect("git");
    fs::create_dir_all(root.join("sub")).expect("sub");
    let mut opts = LoadOptions::new(&base.join("home/.claude"), &root.join("sub"));
    opts.managed_dir = base.join("managed");
    opts.home = Some(base.join("home"));
    Layout {
        _tmp: tmp,
        root,
        opts,
    }
}

fn texts(p: &Policy, kind: RuleKind) -> Vec<(String, Source)> {
    p.rules
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| (r.text.clone(), r.source.clone()))
        .collect()
}

#[test]
#[rustfmt::skip]
fn every_level_loads_and_concatenates() {
    let l = layout();
    let m = &l.opts.managed_dir;
    write(&m.join("managed-settings.json"), &perms("deny", &["Bash(curl *)"]));
    write(&m.join("managed-settings.d/20-b.json"), &perms("deny", &["Bash(wget *)"]));
    write(&m.join("managed-settings.d/10-a.json"), &perms("deny", &["Bash(nc *)"]));
    write(&m.join("managed-settings.d/notes.txt"), "not json");
    write(&l.opts.config_dir.join("settings.json"), &perms("allow", &["Bash(user *)"]));
    write(&l.root.join("sub/.claude/settings.json"), &perms("allow", &["Bash(project *)"]));
    write(&l.root.join(".claude/settings.json"), &perms("allow", &["Bash(root-project *)"]));
    write(&l.root.join(".claude/settings.local.json"), &perms("allow", &["Bash(local *)"]));
    write(&l.root.join("sub/.claude/settings.local.json"), &perms("allow", &["Bash(legacy *)"]));
    let cli = l.root.join("cli.json");
    write(&cli, &perms("allow", &["Bash(cli *)"]));
    let mut opts = l.opts.clone();
    opts.extra.push(cli.clone());
    let (p, w) = Policy::load(&opts);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(p.roots.project_root, l.root);
    assert_eq!(
        texts(&p, RuleKind::Deny),
        vec![
            ("Bash(curl *)".to_string(), Source::Managed),
            ("Bash(nc *)".to_string(), Source::Managed),
            ("Bash(wget *)".to_string(), Source::Managed),
        ]
    );
    assert_eq!(
        texts(&p, RuleKind::Allow),
        vec![
            ("Bash(cli *)".to_string(), Source::Cli(cli)),
            ("Bash(local *)".to_string(), Source::Local),
            ("Bash(legacy *)".to_string(), Source::LocalLegacy),
            ("Bash(project *)".to_string(), Source::Project),
            ("Bash(user *)".to_string(), Source::User),
        ],
        "the git root's .claude/settings.json is not read when starting in a subfolder"
    );
}

#[test]
fn missing_files_are_fine_and_broken_ones_warn() {
    let l = layout();
    let (p, w) = Policy::load(&l.opts);
    assert!(w.is_empty() && p.rules.is_empty(), "{w:?}");

    let user = l.opts.config_dir.join("settings.json");
    write(&user, "{\n  \"permissions\": { \"allow\": [\"Bash(a)\" \n}");
    let project = l.root.join("sub/.claude/settings.json");
    write(&project, &perms("allow", &["Bash(ok *)"]));
    let local = l.root.join(".claude/settings.local.json");
    write(&local, r#"{"permissions":{"allow":"Bash"}}"#);
    let (p, w) = Policy::load(&l.opts);
    assert_eq!(
        texts(&p, RuleKind::Allow),
        vec![("Bash(ok *)".to_string(), Source::Project)]
    );
    assert_eq!(w.len(), 2, "{w:?}");
    for warning in &w {
        assert_eq!(warning.kind, WarningKind::Broken);
        let shown = warning.to_string();
        assert!(shown.contains("line "), "{shown}");
        assert!(shown.contains("file skipped"), "{shown}");
    }
    assert!(w.iter().any(|x| x.file == user) && w.iter().any(|x| x.file == local));
}

#[test]
fn rule_warnings() {
    let file = Path::new("/proj/.claude/settings.json");
    let text = r#"{"permissions":{
        "allow":["Bash(ok *)", "Bash(unbalanced", "Write(src/**)", "Write", "NotebookEdit(x/**)",
                 "Glob(src/**)", "MultiEdit(a)", "*", "B*", "mcp__*", "mcp__github__get_*",
                 "Agent(model:opus)", "Bash(git:* push)", "WebSearch(x)", "WebFetch(example.com)"],
        "deny":["Bash(command:rm *)", "Read(file_path:/x)", "Agent(model:opus)", "FooBar", "mcp__*", "", "Bash)"]
    }}"#;
    let (p, w) = Policy::from_json_str(roots(), Source::Project, file, text);
    let kind_of = |rule: &str| -> Option<WarningKind> {
        w.iter()
            .find(|x| x.rule.as_deref() == Some(rule))
            .map(|x| x.kind)
    };
    let expect: &[(&str, Option<WarningKind>)] = &[
        ("Bash(ok *)", None),
        ("Bash(unbalanced", Some(WarningKind::Unparseable)),
        ("Write(src/**)", Some(WarningKind::Ignored)),
        ("Write", None),
        ("NotebookEdit(x/**)", Some(WarningKind::Ignored)),
        ("Glob(src/**)", Some(WarningKind::Ignored)),
        ("MultiEdit(a)", Some(WarningKind::Ignored)),
        ("*", Some(WarningKind::Ignored)),
        ("B*", Some(WarningKind::Ignored)),
        ("mcp__github__get_*", None),
        ("Bash(git:* push)", Some(WarningKind::Suspicious)),
        ("WebSearch(x)", Some(WarningKind::Ignored)),
        ("WebFetch(example.com)", Some(WarningKind::Ignored)),
        ("Bash(command:rm *)", Some(WarningKind::Ignored)),
        ("Read(file_path:/x)", Some(WarningKind::Ignored)),
        ("FooBar", Some(WarningKind::Suspicious)),
        ("", Some(WarningKind::Unparseable)),
        ("Bash)", Some(WarningKind::Unparseable)),
    ];
    for (rule, want) in expect {
        assert_eq!(kind_of(rule), *want, "{rule}: {w:?}");
    }
    // allow `mcp__*` ignored, deny `mcp__*` fine; allow parameter rule ignored, deny fine
    let ignored = |kind: RuleKind, text: &str| {
        p.rules
            .iter()
            .find(|r| r.kind == kind && r.text == text)
            .map(|r| r.ignored.is_some())
    };
    assert_eq!(ignored(RuleKind::Allow, "mcp__*"), Some(true));
    assert_eq!(ignored(RuleKind::Deny, "mcp__*"), Some(false));
    assert_eq!(ignored(RuleKind::Allow, "Agent(model:opus)"), Some(true));
    assert_eq!(ignored(RuleKind::Deny, "Agent(model:opus)"), Some(false));
    assert_eq!(
        ignored(RuleKind::Allow, "Bash(git:* push)"),
        Some(false),
        "flagged but loaded"
    );
    assert_eq!(ignored(RuleKind::Allow, "Bash(unbalanced"), None, "skipped");
    let shown = w
        .iter()
        .find(|x| x.rule.as_deref() == Some("Write(src/**)"))
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(
        shown.starts_with("/proj/.claude/settings.json:2: Write(src/**): ignored:"),
        "{shown}"
    );
}

#[test]
fn default_mode_precedence() {
    let l = layout();
    let user = l.opts.config_dir.join("settings.json");
    let project = l.root.join("sub/.claude/settings.json");
    let local = l.root.join(".claude/settings.local.json");
    let managed = l.opts.managed_dir.join("managed-settings.json");
    let mode = |text: &str| format!(r#"{{"permissions":{{"defaultMode":"{text}"}}}}"#);
    let load = |opts: &LoadOptions| {
        Policy::load(opts)
            .0
            .default_mode
            .map(|d| (d.mode, d.source))
    };

    write(&user, &mode("acceptEdits"));
    assert_eq!(load(&l.opts), Some((Mode::AcceptEdits, Source::User)));
    write(&project, &mode("plan"));
    assert_eq!(load(&l.opts), Some((Mode::Plan, Source::Project)));
    write(&local, &mode("dontAsk"));
    assert_eq!(load(&l.opts), Some((Mode::DontAsk, Source::Local)));
    let cli = l.root.join("cli.json");
    write(&cli, &mode("bypassPermissions"));
    let mut opts = l.opts.clone();
    opts.extra.push(cli);
    assert_eq!(
        load(&opts),
        Some((
            Mode::BypassPermissions,
            Source::Cli(l.root.join("cli.json"))
        ))
    );
    write(&managed, &mode("manual"));
    assert_eq!(load(&opts), Some((Mode::Default, Source::Managed)));

    // auto is not honoured from project or local files
    let l = layout();
    write(
        &l.opts.config_dir.join("settings.json"),
        &mode("acceptEdits"),
    );
    write(&l.root.join("sub/.claude/settings.json"), &mode("auto"));
    let (p, w) = Policy::load(&l.opts);
    assert_eq!(p.default_mode.map(|d| d.mode), Some(Mode::AcceptEdits));
    assert!(
        w.iter()
            .any(|x| x.kind == WarningKind::Ignored && x.message.contains("auto")),
        "{w:?}"
    );
    write(&l.opts.config_dir.join("settings.json"), &mode("auto"));
    assert_eq!(
        Policy::load(&l.opts).0.default_mode.map(|d| d.mode),
        Some(Mode::Auto)
    );
}

#[test]
fn additional_directories_collected() {
    let l = layout();
    write(
        &l.opts.config_dir.join("settings.json"),
        r#"{"permissions":{"additionalDirectories":["/data", "~/notes", "rel"]}}"#,
    );
    write(
        &l.root.join("sub/.claude/settings.json"),
        r#"{"permissions":{"additionalDirectories":["/data", "/more"]}}"#,
    );
    let (p, w) = Policy::load(&l.opts);
    assert!(w.is_empty(), "{w:?}");
    let home = l.opts.home.clone().unwrap_or_default();
    assert_eq!(
        p.additional_dirs,
        vec![
            PathBuf::from("/data"),
            PathBuf::from("/more"),
            home.join("notes"),
            l.root.join("sub/rel"),
        ]
    );
}

#[test]
fn managed_rules_only() {
    let l = layout();
    write(
        &l.opts.managed_dir.join("managed-settings.json"),
        r#"{"allowManagedPermissionRulesOnly": true, "permissions": {"allow": ["Bash(make *)"]}}"#,
    );
    write(
        &l.opts.config_dir.join("settings.json"),
        &perms("allow", &["Bash(npm test)"]),
    );
    write(
        &l.root.join("sub/.claude/settings.json"),
        &perms("deny", &["Bash(make *)"]),
    );
    let (p, w) = Policy::load(&l.opts);
    assert!(p.managed_rules_only);
    assert_eq!(
        w.iter().filter(|x| x.kind == WarningKind::Ignored).count(),
        2,
        "{w:?}"
    );
    let cwd = l.opts.cwd.to_str().unwrap();
    let run = |cmd: &str| run_with(&p, "Bash", &bash(cmd), "default", cwd).verdict;
    assert_eq!(
        run("make all"),
        Verdict::AllowedByRule,
        "project deny ignored, managed allow used"
    );
    assert!(
        matches!(run("npm test"), Verdict::WouldPrompt(_)),
        "user allow ignored"
    );

    // the flag outside managed settings is itself ignored
    let l = layout();
    write(
        &l.opts.config_dir.join("settings.json"),
        r#"{"allowManagedPermissionRulesOnly": true, "permissions": {"allow": ["Bash(npm test)"]}}"#,
    );
    let (p, w) = Policy::load(&l.opts);
    assert!(!p.managed_rules_only);
    assert!(p.rules.iter().all(|r| r.ignored.is_none()));
    assert_eq!(w.len(), 1, "{w:?}");
}

#[test]
fn project_roots() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = tmp.path();
    let home = base.join("home");
    // .git as a file (worktree)
    let wt = base.join("wt");
    write(&wt.join(".git"), "gitdir: /elsewhere");
    fs::create_dir_all(wt.join("a/b")).expect("mkdir");
    assert_eq!(find_project_root(&wt.join("a/b"), &home), wt);
    // no repository: the folder itself
    let plain = base.join("plain/x");
    fs::create_dir_all(&plain).expect("mkdir");
    assert_eq!(find_project_root(&plain, &home), plain);
    // a repository rooted at home does not count
    fs::create_dir_all(home.join(".git")).expect("mkdir");
    fs::create_dir_all(home.join("proj")).expect("mkdir");
    assert_eq!(
        find_project_root(&home.join("proj"), &home),
        home.join("proj")
    );
    // override wins
    let mut opts = LoadOptions::new(&home.join(".claude"), &wt.join("a"));
    opts.managed_dir = base.join("managed");
    opts.home = Some(home.clone());
    opts.project_root = Some(base.join("elsewhere"));
    write(
        &base.join("elsewhere/.claude/settings.local.json"),
        &perms("allow", &["Bash(x)"]),
    );
    let (p, _) = Policy::load(&opts);
    assert_eq!(p.roots.project_root, base.join("elsewhere"));
    assert_eq!(
        texts(&p, RuleKind::Allow),
        vec![("Bash(x)".to_string(), Source::Local)]
    );
    // empty file: no warning
    write(&home.join(".claude/settings.json"), "  \n");
    assert!(Policy::load(&opts).1.is_empty());
}
