//! Cases that need the real shell parser, Bash rule matcher and read-only table: quoting,
//! wrappers, substitutions, heredocs, redirections and the built-in read-only commands
//! (`docs/permissions.md`, "Order and matching" and "What runs without a prompt").

use crate::common::*;

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    vec![
        // quoting: operators inside quotes do not split
        (&["+Bash(git commit *)"], "Bash", bash("git commit -m \"a; b && c\""), "default", E::Rule),
        (&[], "Bash", bash("echo \"a && b\""), "default", E::Auto),
        (&["+Bash(git commit *)"], "Bash", bash("git\tcommit -m x"), "default", E::Rule),
        // wrappers stripped for allow rules
        (&["+Bash(npm test *)"], "Bash", bash("stdbuf -oL npm test"), "default", E::Rule),
        (&["+Bash(npm test *)"], "Bash", bash("command npm test"), "default", E::Rule),
        (&["+Bash(npm test *)"], "Bash", bash("time npm test"), "default", E::Rule),
        (&["+Bash(grep *)"], "Bash", bash("xargs -n1 grep x"), "default", E::NotRule),
        // deny rules see through exec wrappers
        (&["-Bash(rm *)"], "Bash", bash("sudo rm x"), "default", E::Deny),
        (&["-Bash(rm *)"], "Bash", bash("env rm x"), "default", E::Deny),
        (&["-Bash(rm *)"], "Bash", bash("watch rm x"), "default", E::Deny),
        // git global options before the subcommand
        (&["+Bash(git log *)"], "Bash", bash("git -C /path log"), "default", E::Rule),
        // substitutions, subshells, eval, sh -c: no allow rule covers them
        (&["+Bash(rm *)", "+Bash(cd *)"], "Bash", bash("(cd x && rm -rf y)"), "default", E::Prompt),
        (&["+Bash(ls *)"], "Bash", bash("ls <(cat x)"), "default", E::Prompt),
        (&["+Bash(bash *)"], "Bash", bash("bash -c \"rm x\""), "default", E::Prompt),
        (&["+Bash(ls *)"], "Bash", bash("FOO=$(rm x) ls"), "default", E::Prompt),
        (&["+Bash"], "Bash", bash(&"echo x; ".repeat(1500)), "default", E::Prompt),
        // heredocs and newlines
        (&["+Bash(python3 *)"], "Bash", bash("python3 - <<'EOF'\nprint(1)\nEOF"), "default", E::Rule),
        // fd duplication is not a file write
        (&["+Bash(npm test *)"], "Bash", bash("npm test 2>&1"), "default", E::Rule),
        (&["+Bash(npm test *)"], "Bash", bash("npm test > /dev/null 2>&1"), "default", E::Rule),
        // Claude Code's built-in read-only commands
        (&[], "Bash", bash("lsof -i :8080"), "default", E::Auto),
        (&[], "Bash", bash("find . -name '*.ts'"), "default", E::Auto),
        (&[], "Bash", bash("find . -delete"), "default", E::Prompt),
        (&[], "Bash", bash("find . -exec rm {} \\;"), "default", E::Prompt),
        (&[], "Bash", bash("git log --oneline -5"), "default", E::Auto),
        (&[], "Bash", bash("git push"), "default", E::Prompt),
        (&[], "Bash", bash("sed -n 1,5p f.txt"), "default", E::Auto),
        (&[], "Bash", bash("sed -i s/a/b/ f.txt"), "default", E::Prompt),
        (&[], "Bash", bash("sed -i s/a/b/ f.txt"), "acceptEdits", E::Auto),
        (&[], "Bash", bash("docker ps"), "default", E::Auto),
        (&[], "Bash", bash("docker -H tcp://x ps"), "default", E::Prompt),
        (&[], "Bash", bash("cd sub && echo x > out.txt"), "acceptEdits", E::Prompt),
        (&[], "Bash", bash("cd . && git status"), "default", E::Auto),
        (&[], "Bash", bash("if true; then ls; fi"), "default", E::Auto),
        (&["-Bash(rm *)"], "Bash", bash("for f in a b; do rm $f; done"), "default", E::Deny),
        // critical rm hidden in a substitution still prompts in bypass mode
        (&[], "Bash", bash("echo $(rm -rf /)"), "bypassPermissions", E::Prompt),
    ]
}

#[test]
fn real_shell_cases() {
    check(cases());
}

/// Exec wrappers (`watch`, `setsid`, `ionice`, `flock`) are never covered by a wildcard
/// allow rule, only by an exact one (`docs/permissions.md`, "Order and matching").
#[test]
#[rustfmt::skip]
fn exec_wrapper_prefix_rules() {
    check(vec![
        (&["+Bash(watch *)"], "Bash", bash("watch npm test"), "default", E::Prompt),
        (&["+Bash(watch npm test)"], "Bash", bash("watch npm test"), "default", E::Rule),
    ]);
}
