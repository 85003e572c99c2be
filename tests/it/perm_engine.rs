//! Table-driven decision tests of the engine: a rule set, a call and the expected verdict per
//! case, for what `docs/permissions.md` describes (rule grammar, Bash specifiers, precedence,
//! compound commands, wrappers, file patterns, other tools, modes, protected folders) and
//! the places where it takes the safe reading.

use crate::common::*;
use permstat::event::Mode;
use permstat::permissions::bash_rule::RuleKind;
use permstat::permissions::engine::{AutoWhy, CallCtx, PartVerdict, PromptWhy, Verdict, decide};
use permstat::permissions::settings::{Policy, Source};
use std::path::Path;

#[test]
#[rustfmt::skip]
fn grammar_and_tool_rules() {
    check(vec![
        // bare names, Bash(*) == Bash
        (&["+Bash"], "Bash", bash("npm install"), "default", E::Rule),
        (&["+Bash(*)"], "Bash", bash("rm -rf x"), "default", E::Rule),
        (&["-Bash"], "Bash", bash("npm test"), "default", E::Deny),
        (&["-Bash(*)"], "Bash", bash("ls"), "default", E::Deny),
        (&["-Bash(rm *)"], "Bash", bash("rm -rf x"), "default", E::Deny),
        (&["-Bash(rm *)"], "Bash", bash("ls"), "default", E::Auto),
        // tool-name globs: deny/ask only, whole-name match
        (&["-*"], "Read", path("/proj/a"), "default", E::Deny),
        (&["?mcp__*"], "mcp__db__query", none(), "default", E::Ask),
        (&["-B*"], "Bash", bash("ls"), "default", E::Deny),
        (&["-B*"], "Read", path("/proj/a"), "default", E::Auto),
        (&["+*"], "mcp__db__query", none(), "default", E::Prompt),
        (&["+B*"], "Bash", bash("npm test"), "default", E::Prompt),
        (&["+mcp__*"], "mcp__db__query", none(), "default", E::Prompt),
        (&["+mcp__github__get_*"], "mcp__github__get_issue", none(), "default", E::Rule),
        (&["+mcp__github__get_*"], "mcp__github__create_issue", none(), "default", E::Prompt),
        // parameter rules: deny/ask only, omitted parameter never matches
        (&["-Agent(model:opus)"], "Agent", with(agent("Explore"), "model", "opus"), "default", E::Deny),
        (&["-Agent(model:opus)"], "Agent", with(agent("Explore"), "model", "sonnet"), "default", E::Auto),
        (&["-Agent(model:opus)"], "Agent", agent("Explore"), "default", E::Auto),
        (&["-Agent( model : opus )"], "Task", with(none(), "model", "opus"), "default", E::Deny),
        (&["-Agent(model:claude-*)"], "Agent", with(none(), "model", "claude-opus-4"), "default", E::Deny),
        (&["-Agent(isolation:worktree)"], "Agent", with(none(), "isolation", "worktree"), "default", E::Deny),
        (&["-Bash(run_in_background:true)"], "Bash", with(bash("ls"), "run_in_background", "true"), "default", E::Deny),
        (&["-Bash(run_in_background:true)"], "Bash", bash("ls"), "default", E::Auto),
        (&["?Bash(run_in_background:true)"], "Bash", with(bash("npm test"), "run_in_background", "true"), "default", E::Ask),
        (&["+Bash(run_in_background:true)"], "Bash", with(bash("npm test"), "run_in_background", "true"), "default", E::Prompt),
        (&["-Bash(command:rm *)"], "Bash", bash("rm x"), "default", E::Prompt),
        (&["-mcp__db__query(sql:DROP*)"], "mcp__db__query", with(none(), "sql", "DROP TABLE x"), "default", E::Deny),
        (&["-mcp__db__query(sql:DROP*)"], "mcp__db__query", with(none(), "sql", "SELECT 1"), "default", E::Prompt),
        // rule families: a rule of one tool applies to the others of its family (Monitor
        // under Bash rules, Grep and Glob under Read rules, Write, NotebookEdit and
        // MultiEdit under Edit rules); PowerShell, Skill and the rest have their own
        (&["+Bash(npm run *)"], "Monitor", bash("npm run dev"), "default", E::Rule),
        (&["-Bash"], "Monitor", bash("tail -f log"), "default", E::Deny),
        (&["+PowerShell(Get-ChildItem *)"], "PowerShell", bash("Get-ChildItem -Recurse"), "default", E::Rule),
        (&["+PowerShell(Get-ChildItem *)"], "PowerShell", bash("gci -Recurse"), "default", E::Rule),
        (&["+PowerShell(Get-ChildItem *)"], "PowerShell", bash("GET-CHILDITEM x"), "default", E::Rule),
        (&["+PowerShell(Get-ChildItem:*)"], "PowerShell", bash("dir"), "default", E::Rule),
        (&["+PowerShell(Get-ChildItem *)"], "PowerShell", bash("gci; Remove-Item x"), "default", E::Prompt),
        (&["-PowerShell(Remove-Item *)"], "PowerShell", bash("gci | rm x"), "default", E::Deny),
        (&["+PowerShell"], "PowerShell", bash("Remove-Item x"), "default", E::Rule),
        (&["+PowerShell(Get-ChildItem *)"], "PowerShell", bash("gci $(Remove-Item x)"), "default", E::Prompt),
        (&["-Read(~/secrets/**)"], "Grep", path("/home/u/secrets/a"), "default", E::Deny),
        (&["-Read(~/secrets/**)"], "Glob", path("~/secrets"), "default", E::Prompt),
        (&["+Edit(/src/**)"], "Write", path("/proj/src/a.rs"), "default", E::Rule),
        (&["+Edit(/src/**)"], "NotebookEdit", path("/proj/src/a.ipynb"), "default", E::Rule),
        (&["+Edit(/src/**)"], "MultiEdit", path("/proj/src/a.rs"), "default", E::Rule),
        (&["+Skill(deploy *)"], "Skill", skill("deploy", "prod"), "default", E::Rule),
        (&["+WebSearch"], "WebSearch", with(none(), "query", "x"), "default", E::Rule),
        (&["+ExitPlanMode"], "ExitPlanMode", none(), "default", E::Rule),
        (&[], "ExitPlanMode", none(), "default", E::Prompt),
        // bare rules are by tool name only (safe reading)
        (&["+Edit"], "Write", path("/proj/a"), "default", E::Prompt),
        (&["+Edit"], "Edit", path("/proj/a"), "default", E::Rule),
        (&["+Write"], "Write", path("/proj/a"), "default", E::Rule),
        (&["+Edit(**)"], "Write", path("/proj/a"), "default", E::Rule),
    ]);
}

#[test]
#[rustfmt::skip]
fn bash_specifiers() {
    check(vec![
        // Bash specifiers: exact, wildcard, word-boundary prefix
        (&["+Bash(npm test)"], "Bash", bash("npm test"), "default", E::Rule),
        (&["+Bash(npm test)"], "Bash", bash("npm test --watch"), "default", E::Prompt),
        (&["+Bash(git * main)"], "Bash", bash("git push origin main"), "default", E::Rule),
        (&["+Bash(git * main)"], "Bash", bash("git merge main"), "default", E::Rule),
        (&["+Bash(git * main)"], "Bash", bash("git push origin dev"), "default", E::Prompt),
        (&["+Bash(* --version)"], "Bash", bash("cargo --version"), "default", E::Rule),
        (&["+Bash(ls *)"], "Bash", bash("ls -la"), "default", E::Rule),
        (&["+Bash(ls *)"], "Bash", bash("ls"), "default", E::Rule),
        (&["+Bash(ls *)"], "Bash", bash("lsof"), "default", E::NotRule),
        (&["+Bash(ls*)"], "Bash", bash("lsof"), "default", E::Rule),
        (&["+Bash(ls:*)"], "Bash", bash("ls -la"), "default", E::Rule),
        (&["+Bash(ls:*)"], "Bash", bash("lsof"), "default", E::NotRule),
        (&["+Bash(git:* push)"], "Bash", bash("git push"), "default", E::Prompt),
        (&["+Bash(npm run test:*)"], "Bash", bash("npm run test:unit"), "default", E::Prompt),
        (&["+Bash(npm run test:*)"], "Bash", bash("npm run test"), "default", E::Rule),
        (&["+Bash(npm run test*)"], "Bash", bash("npm run test:unit"), "default", E::Rule),
        (&["+Bash(git commit *)"], "Bash", bash("git  commit   -m x"), "default", E::Rule),
        (&["+Bash(make *)"], "Bash", bash("make"), "default", E::Rule),
        // redirects: matched past, target checked as a write
        (&["+Bash(python:*)"], "Bash", bash("python script.py > output.txt"), "default", E::Prompt),
        (&["+Bash(python:*)"], "Bash", bash("python script.py > output.txt"), "acceptEdits", E::Rule),
        (&["+Bash(python:*)", "+Edit(/out/**)"], "Bash", bash("python s.py > out/r.txt"), "default", E::Rule),
        (&["+Bash(python:*)"], "Bash", bash("python script.py > /dev/null"), "default", E::Rule),
        (&["+Bash(cat *)"], "Bash", bash("cat x > /etc/passwd"), "acceptEdits", E::Prompt),
        (&["+Bash(cat *)"], "Bash", bash("cat x > /etc/passwd"), "default", E::Prompt),
        (&["+Bash(cat *)"], "Bash", bash("cat x > out.txt"), "acceptEdits", E::Rule),
        (&["+Bash(cat *)"], "Bash", bash("cat x > ~/out"), "acceptEdits", E::Prompt),
        (&["-Edit(/secret/**)"], "Bash", bash("echo x > secret/a"), "default", E::Deny),
        (&["-Read(.env)"], "Bash", bash("cat .env"), "default", E::Deny),
        (&["-Read(.env)"], "Bash", bash("head -n 5 sub/.env"), "default", E::Deny),
        (&["-Read(~/.ssh/**)"], "Bash", bash("cat $HOME/.ssh/id_rsa"), "default", E::Deny),
        // precedence: deny, then ask, then allow, at any level
        (&["-Bash(aws *)", "+Bash(aws s3 ls)"], "Bash", bash("aws s3 ls"), "default", E::Deny),
        (&["+Bash(aws s3 ls)", "-Bash(aws *)"], "Bash", bash("aws s3 ls"), "default", E::Deny),
        (&["?Bash(git push *)", "+Bash(git *)"], "Bash", bash("git push origin main"), "default", E::Ask),
        (&["+Bash(git *)", "?Bash(git push *)"], "Bash", bash("git status"), "default", E::Rule),
        // compound commands: every part must be covered
        (&["+Bash(git diff *)"], "Bash", bash("git diff; rm -rf x"), "default", E::Prompt),
        (&["+Bash(safe-cmd *)"], "Bash", bash("safe-cmd && other-cmd"), "default", E::Prompt),
        (&["+Bash(safe-cmd *)", "+Bash(other-cmd)"], "Bash", bash("safe-cmd && other-cmd"), "default", E::Rule),
        (&["+Bash(npm test *)"], "Bash", bash("npm test | tee log"), "default", E::Prompt),
        (&["+Bash(npm test *)"], "Bash", bash("npm test | grep ok"), "default", E::Rule),
        (&["-Bash(rm *)"], "Bash", bash("ls && rm -rf x"), "default", E::Deny),
        (&["?Bash(rm *)"], "Bash", bash("ls; rm x"), "default", E::Ask),
        (&["+Bash(ls *)"], "Bash", bash("ls $(whoami)"), "default", E::Prompt),
        (&["+Bash(ls *)"], "Bash", bash("ls `whoami`"), "default", E::Prompt),
        // wrappers and environment assignments
        (&["+Bash(git log *)"], "Bash", bash("timeout 5 git log"), "default", E::Rule),
        (&["+Bash(npm test *)"], "Bash", bash("nice npm test"), "default", E::Rule),
        (&["+Bash(npm test *)"], "Bash", bash("nohup npm test"), "default", E::Rule),
        (&["+Bash(npm test *)"], "Bash", bash("NODE_ENV=test npm test"), "default", E::Rule),
        (&["+Bash(npm test *)"], "Bash", bash("FOO=1 npm test"), "default", E::Prompt),
        (&["-Bash(npm test *)"], "Bash", bash("FOO=1 npm test"), "default", E::Deny),
        (&["?Bash(npm test *)"], "Bash", bash("FOO=1 npm test"), "default", E::Ask),
        (&["+Bash(devbox run *)"], "Bash", bash("devbox run rm -rf ."), "default", E::Rule),
        // Claude Code's built-in read-only commands (docs/permissions.md, "What runs without a prompt")
        (&[], "Bash", bash("ls -la"), "default", E::Auto),
        (&[], "Bash", bash("ls *.ts"), "default", E::Auto),
        (&[], "Bash", bash("git status && git diff"), "default", E::Auto),
        (&[], "Bash", bash("cat a | wc -l"), "default", E::Auto),
        (&[], "Bash", bash("echo hi > out.txt"), "default", E::Prompt),
        (&[], "Bash", bash("ls > /dev/null"), "default", E::Auto),
        (&[], "Bash", bash("cd /other && git status"), "default", E::Prompt),
        (&["-Bash(ls *)"], "Bash", bash("ls"), "default", E::Deny),
        (&["?Bash(cat *)"], "Bash", bash("cat a"), "default", E::Ask),
        (&[], "Bash", bash("npm test"), "default", E::Prompt),
        (&[], "Bash", none(), "default", E::Prompt),
    ]);
}

#[test]
#[rustfmt::skip]
fn paths_and_anchors() {
    check(vec![
        (&["+Read(//etc/hosts)"], "Read", path("/etc/hosts"), "default", E::Rule),
        (&["+Read(//etc/hosts)"], "Read", path("/etc/passwd"), "default", E::Prompt),
        (&["+Read(~/.zshrc)"], "Read", path("/home/u/.zshrc"), "default", E::Rule),
        (&["+Read(~/.zshrc)"], "Read", path("~/.zshrc"), "default", E::Rule),
        (&["-Read(./.env)"], "Read", path("/proj/.env"), "default", E::Deny),
        (&["-Read(.env)"], "Read", path("/proj/a/b/.env"), "default", E::Deny),
        (&["-Read(**/.env)"], "Read", path("a/.env"), "default", E::Deny),
        (&["-Read(.env)"], "Read", path("/proj/.env.local"), "default", E::Auto),
        (&["-Read(.env*)"], "Read", path("/proj/.env.local"), "default", E::Deny),
        // Edit allow grants read; Read deny blocks edits
        (&["+Edit(//data/**)"], "Read", path("/data/x.csv"), "default", E::Rule),
        (&["-Read(.env)"], "Edit", path("/proj/.env"), "default", E::Deny),
        (&["-Read(.env)"], "Write", path("/proj/.env"), "acceptEdits", E::Deny),
        (&["-Edit(.env)"], "Read", path("/proj/.env"), "default", E::Auto),
        // single-segment folder pattern asymmetry
        (&["+Edit(src/**)"], "Edit", path("/proj/src/a.rs"), "default", E::Rule),
        (&["+Edit(src/**)"], "Edit", path("/proj/pkg/src/a.rs"), "default", E::Prompt),
        (&["-Edit(src/**)"], "Edit", path("/proj/pkg/src/a.rs"), "default", E::Deny),
        (&["?Edit(src/**)"], "Edit", path("/proj/pkg/src/a.rs"), "acceptEdits", E::Ask),
        (&["-Edit(/src/**)"], "Edit", path("/proj/pkg/src/a.rs"), "default", E::Prompt),
        (&["+Edit(**/src/**)"], "Edit", path("/proj/pkg/src/a.rs"), "default", E::Rule),
        (&["-Edit(src/components/**)"], "Edit", path("/proj/x/src/components/a.tsx"), "default", E::Prompt),
        (&["-Edit(src/components/**)"], "Edit", path("/proj/src/components/a.tsx"), "default", E::Deny),
        // relative and dotted call paths
        (&["+Edit(/src/**)"], "Edit", path("src/../src/a.rs"), "default", E::Rule),
        (&["+Edit(/src/**)"], "Edit", path("/proj/src/../lib/a.rs"), "default", E::Prompt),
        (&[], "Read", path("../outside.txt"), "default", E::Prompt),
        // Write(path) and friends are never consulted
        (&["+Write(src/**)"], "Write", path("/proj/src/a.rs"), "default", E::Prompt),
        (&["-Write(src/**)"], "Write", path("/proj/src/a.rs"), "acceptEdits", E::Auto),
        (&["-Glob(secret/**)"], "Glob", path("/proj/secret"), "default", E::Auto),
    ]);
}

#[test]
#[rustfmt::skip]
fn source_roots() {
    let read = |rules: &[&str], source: Source, file: &str, p: &str| {
        let pol = policy_from(rules, source, Path::new(file));
        run_with(&pol, "Read", &path(p), "default", CWD).verdict
    };
    let edit = |rules: &[&str], source: Source, file: &str, p: &str| {
        let pol = policy_from(rules, source, Path::new(file));
        run_with(&pol, "Edit", &path(p), "default", CWD).verdict
    };
    let user = "/home/u/.claude/settings.json";
    let project = "/proj/.claude/settings.json";
    let outside = |p: &str| Verdict::WouldPrompt(PromptWhy::OutsideWorkingDirs(p.into()));
    // `Read(/src/**)` in user settings means <config_dir>/src/**
    assert_eq!(read(&["+Read(/src/**)"], Source::User, user, "/home/u/.claude/src/a"), Verdict::AllowedByRule);
    assert_eq!(edit(&["-Read(/src/**)"], Source::User, user, "/proj/src/a"), Verdict::WouldPrompt(PromptWhy::NoRule));
    assert_eq!(edit(&["-Read(/secrets/**)"], Source::User, user, "/home/u/.claude/secrets/k"), Verdict::DeniedByRule);
    // ... and <project root>/src/** in project settings
    assert_eq!(edit(&["+Edit(/src/**)"], Source::Project, project, "/proj/src/a"), Verdict::AllowedByRule);
    assert_eq!(edit(&["+Edit(/src/**)"], Source::Project, project, "/other/src/a"), outside("/other/src/a"));
    assert_eq!(read(&["+Read(/src/**)"], Source::Project, project, "/home/u/.claude/src/a"), outside("/home/u/.claude/src/a"));
    // local settings: the original cwd, even for the git-root copy
    let mut roots = roots();
    roots.cwd = "/repo/sub".into();
    roots.project_root = "/repo".into();
    let mut pol = Policy::new(roots);
    pol.add_rule(RuleKind::Allow, "Edit(/gen/**)", Source::Local, Path::new("/repo/.claude/settings.local.json"));
    assert_eq!(run_with(&pol, "Edit", &path("/repo/sub/gen/a"), "default", "/repo/sub").verdict, Verdict::AllowedByRule);
    assert_ne!(run_with(&pol, "Edit", &path("/repo/gen/a"), "default", "/repo/sub").verdict, Verdict::AllowedByRule);
    // --settings FILE: that file's folder
    let cli = Source::Cli("/etc/cfg/s.json".into());
    assert_eq!(edit(&["+Edit(/out/**)"], cli.clone(), "/etc/cfg/s.json", "/etc/cfg/out/a"), Verdict::AllowedByRule);
    assert_ne!(edit(&["+Edit(/out/**)"], cli, "/etc/cfg/s.json", "/proj/out/a"), Verdict::AllowedByRule);
}

#[test]
#[rustfmt::skip]
fn web_mcp_agent_skill() {
    check(vec![
        (&["+WebFetch(domain:example.com)"], "WebFetch", url("https://example.com/x"), "default", E::Rule),
        (&["+WebFetch(domain:example.com)"], "WebFetch", url("https://EXAMPLE.com./x"), "default", E::Rule),
        (&["+WebFetch(domain:Example.COM)"], "WebFetch", url("https://user@example.com:8080/"), "default", E::Rule),
        (&["+WebFetch(domain:example.com)"], "WebFetch", url("https://a.example.com/"), "default", E::Prompt),
        (&["+WebFetch(domain:*.example.com)"], "WebFetch", url("https://example.com/"), "default", E::Prompt),
        (&["+WebFetch(domain:*.example.com)"], "WebFetch", url("https://a.b.example.com/"), "default", E::Rule),
        (&["+WebFetch(domain:*.example.com)"], "WebFetch", url("https://evilexample.com/"), "default", E::Prompt),
        (&["+WebFetch(domain:*)"], "WebFetch", url("https://anything.org/"), "default", E::Rule),
        (&["+WebFetch(domain:example.*)"], "WebFetch", url("https://example.org/"), "default", E::Rule),
        (&["+WebFetch(domain:example.*)"], "WebFetch", url("https://example.evil.com/"), "default", E::Prompt),
        (&["+WebFetch(example.com)"], "WebFetch", url("https://example.com/"), "default", E::Prompt),
        (&["-WebFetch(domain:evil.com)"], "WebFetch", url("https://evil.com/"), "bypassPermissions", E::Deny),
        (&["+WebFetch"], "WebFetch", url("https://x.y/"), "default", E::Rule),
        (&[], "WebFetch", url("https://docs.python.org/"), "default", E::Prompt),
        (&[], "WebSearch", none(), "default", E::Prompt),
        (&["+WebSearch(foo)"], "WebSearch", none(), "default", E::Prompt),
        // MCP
        (&["+mcp__github"], "mcp__github__get_issue", none(), "default", E::Rule),
        (&["+mcp__github__*"], "mcp__github__get_issue", none(), "default", E::Rule),
        (&["+mcp__github__get_issue"], "mcp__github__get_issue", none(), "default", E::Rule),
        (&["+mcp__github__get_issue"], "mcp__github__list_issues", none(), "default", E::Prompt),
        (&["+mcp__github"], "mcp__github2__get_issue", none(), "default", E::Prompt),
        (&[], "mcp__github__get_issue", none(), "default", E::Prompt),
        (&["-mcp__github"], "mcp__github__get_issue", none(), "default", E::Deny),
        // Agent / Task
        (&["-Agent(Explore)"], "Task", agent("Explore"), "default", E::Deny),
        (&["-Agent(Explore)"], "Agent", agent("Explore"), "default", E::Deny),
        (&["-Task(Explore)"], "Agent", agent("Explore"), "default", E::Deny),
        (&["-Agent(Explore)"], "Agent", agent("Plan"), "default", E::Auto),
        (&["-Agent(general-purpose)"], "Agent", none(), "default", E::Deny),
        (&["-Agent"], "Task", agent("Plan"), "default", E::Deny),
        (&[], "Agent", agent("Plan"), "default", E::Auto),
        (&[], "Task", agent("Plan"), "dontAsk", E::Auto),
        (&["+Agent"], "Agent", agent("Plan"), "auto", E::Classifier),
        // Skill
        (&["+Skill(deploy)"], "Skill", skill("deploy", ""), "default", E::Rule),
        (&["+Skill(deploy)"], "Skill", skill("deploy", "prod"), "default", E::Prompt),
        (&["+Skill(deploy *)"], "Skill", skill("deploy", ""), "default", E::Rule),
        (&["+Skill(deploy *)"], "Skill", skill("deployer", ""), "default", E::Prompt),
        (&["-Skill"], "Skill", skill("deploy", ""), "default", E::Deny),
        (&[], "Skill", skill("deploy", ""), "default", E::Prompt),
    ]);
}

#[test]
#[rustfmt::skip]
fn tools_that_never_prompt() {
    check(vec![
        (&[], "TodoWrite", none(), "default", E::Auto),
        (&[], "TaskCreate", none(), "default", E::Auto),
        (&[], "TaskOutput", none(), "default", E::Auto),
        (&[], "KillShell", none(), "default", E::Auto),
        (&[], "CronCreate", none(), "default", E::Auto),
        (&[], "EnterPlanMode", none(), "default", E::Auto),
        (&[], "ToolSearch", none(), "default", E::Auto),
        (&[], "ListMcpResourcesTool", none(), "default", E::Auto),
        (&[], "AskUserQuestion", none(), "default", E::Auto),
        (&[], "AskUserQuestion", none(), "dontAsk", E::DontAsk),
        (&[], "Read", path("/proj/src/a.rs"), "default", E::Auto),
        (&[], "Read", path("src/a.rs"), "default", E::Auto),
        (&[], "Read", path("/etc/passwd"), "default", E::Prompt),
        (&[], "Grep", none(), "default", E::Auto),
        (&[], "Glob", path("/usr/lib"), "default", E::Prompt),
        (&[], "LSP", path("/proj/a.rs"), "default", E::Auto),
        (&["+Read(//usr/**)"], "Glob", path("/usr/lib"), "default", E::Rule),
        (&["+Read"], "Read", path("/etc/passwd"), "default", E::Rule),
        (&[], "Edit", path("/proj/a.rs"), "default", E::Prompt),
        (&[], "EnterWorktree", none(), "default", E::Prompt),
        (&[], "SomeFutureTool", none(), "default", E::Prompt),
        (&["-TodoWrite"], "TodoWrite", none(), "default", E::Deny),
    ]);
}

#[test]
#[rustfmt::skip]
fn modes() {
    check(vec![
        // acceptEdits
        (&[], "Edit", path("/proj/a.rs"), "acceptEdits", E::Auto),
        (&[], "Write", path("/tmp/x"), "acceptEdits", E::Prompt),
        (&[], "Bash", bash("mkdir -p build/out"), "acceptEdits", E::Auto),
        (&[], "Bash", bash("rm -rf build"), "acceptEdits", E::Auto),
        (&[], "Bash", bash("touch a && cp a b && mv b c"), "acceptEdits", E::Auto),
        (&[], "Bash", bash("rm /tmp/x"), "acceptEdits", E::Prompt),
        (&[], "Bash", bash("rm ~/x"), "acceptEdits", E::Prompt),
        (&[], "Bash", bash("rm .git/index"), "acceptEdits", E::Prompt),
        (&[], "Bash", bash("npm test"), "acceptEdits", E::Prompt),
        (&[], "Bash", bash("NODE_ENV=x mkdir a"), "acceptEdits", E::Auto),
        (&[], "Bash", bash("FOO=1 mkdir a"), "acceptEdits", E::Prompt),
        (&[], "Bash", bash("mkdir a"), "default", E::Prompt),
        // plan
        (&[], "Read", path("/proj/a"), "plan", E::Auto),
        (&[], "Bash", bash("ls -la"), "plan", E::Auto),
        (&[], "Edit", path("/proj/a"), "plan", E::Prompt),
        (&[], "Bash", bash("npm test"), "plan", E::Prompt),
        (&[], "Bash", bash("mkdir a"), "plan", E::Prompt),
        (&[], "Write", path("/home/u/.claude/plans/p.md"), "plan", E::Auto),
        // auto: broad allow rules set aside
        (&["+Bash(*)"], "Bash", bash("rm -rf x"), "auto", E::Classifier),
        (&["+Bash"], "Bash", bash("rm -rf x"), "auto", E::Classifier),
        (&["+Bash(npm test)"], "Bash", bash("npm test"), "auto", E::Rule),
        (&["+Bash(python*)"], "Bash", bash("python x.py"), "auto", E::Classifier),
        (&["+Bash(python3 *)"], "Bash", bash("python3 x.py"), "auto", E::Classifier),
        (&["+Bash(node *)"], "Bash", bash("node x.js"), "auto", E::Classifier),
        (&["+Bash(npm run *)"], "Bash", bash("npm run build"), "auto", E::Classifier),
        (&["+Bash(npm run build)"], "Bash", bash("npm run build"), "auto", E::Rule),
        (&["+Bash(git log *)"], "Bash", bash("git log -p"), "auto", E::Rule),
        (&["+Bash(npm run dev)"], "Monitor", bash("npm run dev"), "auto", E::Classifier),
        (&[], "Bash", bash("ls"), "auto", E::Auto),
        (&[], "Read", path("/proj/a"), "auto", E::Auto),
        (&[], "Edit", path("/proj/a"), "auto", E::Classifier),
        (&["?Bash(git push *)"], "Bash", bash("git push"), "auto", E::Ask),
        (&["-Bash(git push *)"], "Bash", bash("git push"), "auto", E::Deny),
        // dontAsk
        (&[], "Bash", bash("npm test"), "dontAsk", E::DontAsk),
        (&["+Bash(npm test)"], "Bash", bash("npm test"), "dontAsk", E::Rule),
        (&["?Bash(npm test)"], "Bash", bash("npm test"), "dontAsk", E::DontAsk),
        (&[], "Bash", bash("git status"), "dontAsk", E::Auto),
        (&[], "Edit", path("/proj/a"), "dontAsk", E::DontAsk),
        (&[], "WebFetch", url("https://x.com"), "dontAsk", E::DontAsk),
        // bypassPermissions
        (&[], "Bash", bash("rm -rf build"), "bypassPermissions", E::Auto),
        (&[], "Bash", bash("sudo rm -rf /"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("timeout 5 rm -rf ~"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("sudo -u x rm -rf build"), "bypassPermissions", E::Auto),
        (&[], "Edit", path("/etc/hosts"), "bypassPermissions", E::Auto),
        (&["?Bash(git push *)"], "Bash", bash("git push"), "bypassPermissions", E::Ask),
        (&["?Edit(/docs/**)"], "Edit", path("/proj/docs/a.md"), "bypassPermissions", E::Ask),
        (&["-Bash(rm *)"], "Bash", bash("rm x"), "bypassPermissions", E::Deny),
        (&["+Bash(rm *)"], "Bash", bash("rm -rf /"), "bypassPermissions", E::Prompt),
        // unknown mode → default
        (&[], "Edit", path("/proj/a"), "weird", E::Prompt),
    ]);
}

#[test]
#[rustfmt::skip]
fn critical_rm() {
    check(vec![
        (&[], "Bash", bash("rm -rf /"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf /usr"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf /*"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf ~"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf ~/"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf ."), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf .."), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf /proj"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rmdir /home"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf \"$DIR\"/*"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf $DIR/"), "bypassPermissions", E::Prompt),
        (&[], "Bash", bash("rm -rf build"), "bypassPermissions", E::Auto),
        (&[], "Bash", bash("rm -rf /proj/build"), "bypassPermissions", E::Auto),
        (&[], "Bash", bash("rm -rf $DIR/build"), "bypassPermissions", E::Auto),
        (&[], "Bash", bash("rm -rf /"), "dontAsk", E::DontAsk),
        (&[], "Bash", bash("rm -rf /"), "auto", E::Prompt),
        (&["+Bash(rm *)"], "Bash", bash("rm -rf ."), "default", E::Prompt),
        (&["+Bash(rm *)"], "Bash", bash("rm -rf build"), "default", E::Rule),
    ]);
}

#[test]
#[rustfmt::skip]
fn protected_paths() {
    check(vec![
        (&[], "Edit", path("/proj/.git/config"), "default", E::Prompt),
        (&[], "Edit", path("/proj/.git/config"), "acceptEdits", E::Prompt),
        (&[], "Edit", path("/proj/.git/config"), "auto", E::Classifier),
        (&[], "Edit", path("/proj/.git/config"), "dontAsk", E::DontAsk),
        (&[], "Edit", path("/proj/.git/config"), "bypassPermissions", E::Auto),
        (&[], "Edit", path("/proj/.git/config"), "plan", E::Prompt),
        (&["+Edit(.claude/settings.json)"], "Edit", path("/proj/.claude/settings.json"), "default", E::Prompt),
        (&["+Edit(**)"], "Write", path("/proj/.vscode/settings.json"), "acceptEdits", E::Prompt),
        (&["-Edit(.claude/**)"], "Edit", path("/proj/.claude/settings.json"), "default", E::Deny),
        (&[], "Edit", path("/proj/.claude/worktrees/w/src/a.rs"), "acceptEdits", E::Auto),
        (&[], "Edit", path("/proj/.claude/agents/a.md"), "acceptEdits", E::Prompt),
        (&[], "Edit", path("/proj/.bashrc"), "acceptEdits", E::Prompt),
        (&[], "Edit", path("/home/u/.zshrc"), "bypassPermissions", E::Auto),
        (&[], "Edit", path("/proj/.gitconfig"), "acceptEdits", E::Prompt),
        (&[], "Edit", path("/proj/.yarnrc.yml"), "acceptEdits", E::Prompt),
        (&[], "Edit", path("/proj/lefthook.yml"), "acceptEdits", E::Prompt),
        (&[], "Edit", path("/proj/.mcp.json"), "acceptEdits", E::Prompt),
        (&[], "Edit", path("/proj/x/.config/git/ignore"), "acceptEdits", E::Prompt),
        (&[], "Edit", path("/proj/.gitignore"), "acceptEdits", E::Auto),
        (&[], "Edit", path("/proj/.github/workflows/ci.yml"), "acceptEdits", E::Auto),
        (&["+Bash(echo *)"], "Bash", bash("echo x > .git/hooks/pre-commit"), "acceptEdits", E::Prompt),
        (&["+Bash(echo *)"], "Bash", bash("echo x > .git/hooks/pre-commit"), "bypassPermissions", E::Auto),
    ]);
}

#[test]
fn decision_details() {
    let p = policy(&["?Bash(git push *)", "+Bash(git *)"]);
    let d = run_with(&p, "Bash", &bash("git push origin main"), "default", CWD);
    let rule = d.rule.expect("deciding rule");
    assert_eq!(
        (rule.kind, rule.text.as_str(), &rule.source),
        ("ask", "Bash(git push *)", &Source::Project)
    );
    let p = policy(&["+Bash(git diff *)"]);
    let d = run_with(&p, "Bash", &bash("git diff && npm test"), "default", CWD);
    assert_eq!(d.parts.len(), 2);
    assert_eq!(d.parts[0].verdict, PartVerdict::AllowedByRule);
    assert!(matches!(d.parts[1].verdict, PartVerdict::Uncovered(_)));
    let d = run_with(&policy(&[]), "Bash", &bash("ls -la"), "default", CWD);
    assert!(matches!(
        d.verdict,
        Verdict::AutoAllowed(AutoWhy::BuiltinReadOnly(_))
    ));
    let d = run_with(&policy(&[]), "Bash", &bash("ls"), "weird", CWD);
    assert!(
        d.notes.iter().any(|n| n.contains("unknown mode")),
        "{:?}",
        d.notes
    );
    // mode not recorded: the policy's defaultMode
    let (p, w) = Policy::from_json_str(
        roots(),
        Source::User,
        Path::new("/home/u/.claude/settings.json"),
        r#"{"permissions":{"defaultMode":"acceptEdits"}}"#,
    );
    assert!(w.is_empty(), "{w:?}");
    let input = path("/proj/a");
    let cwd = Path::new(CWD);
    let d = decide(
        &p,
        &CallCtx {
            tool: "Edit",
            input: &input,
            cwd: Some(cwd),
            mode: None,
        },
    );
    assert_eq!(
        d.verdict,
        Verdict::AutoAllowed(AutoWhy::Mode(Mode::AcceptEdits))
    );
    // additional directories are working folders
    let (p, _) = Policy::from_json_str(
        roots(),
        Source::Project,
        Path::new("/proj/.claude/settings.json"),
        r#"{"permissions":{"additionalDirectories":["/data", "~/notes"]}}"#,
    );
    for f in ["/data/a.csv", "/home/u/notes/n.md"] {
        let input = path(f);
        let d = decide(
            &p,
            &CallCtx {
                tool: "Read",
                input: &input,
                cwd: Some(cwd),
                mode: None,
            },
        );
        assert_eq!(
            d.verdict,
            Verdict::AutoAllowed(AutoWhy::ReadOnlyTool),
            "{f}"
        );
    }
}
