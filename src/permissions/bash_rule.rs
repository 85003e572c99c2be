//! Matching `Bash(...)` rule specifiers against one simple command.
//!
//! The specifier grammar, as Claude Code applies it:
//! - **Exact**: `git status` matches only the command `git status`.
//! - **Wildcard**: `*` anywhere matches any run of characters, spaces and newlines included,
//!   so it can span several arguments (`git * main`, `* --version`). The pattern is anchored
//!   at both ends.
//! - **Word-boundary prefix**: a trailing ` *` (space, star) matches the text before it alone
//!   or followed by a space and anything: `ls *` matches `ls` and `ls -la`, not `lsof`; `ls*`
//!   (no space) matches `lsof` too.
//! - **Legacy `:*`**: only at the very end, it means the same as a trailing ` *`
//!   (`npm run test:*` matches `npm run test --watch` but not `npm run test:unit`). A `:*`
//!   anywhere else is literal text, so `git:* push` never matches a git command.
//! - Runs of whitespace are folded to one space in both the specifier and the command, and
//!   matching is case-sensitive (Claude Code does not document Bash rule case handling;
//!   PowerShell rules are the case-insensitive ones).
//! - `\*` is read as a literal star. This is unverified: Claude Code does not document how to
//!   write a literal star, and only a third-party source dump suggests this escape.
//!
//! What a rule is matched against depends on its list ([`RuleKind`]):
//! - **Allow** rules see the part's `text` (wrappers such as `timeout 5` already stripped).
//!   Leading assignments of the variables in
//!   [`SAFE_ENV_VARS`](crate::facts::env::SAFE_ENV_VARS) are skipped; any other leading
//!   assignment means no allow rule matches. Exec wrappers (`sudo`, `env`, `watch`, ...) stay
//!   part of the text, so only a rule written for the wrapper can match. Opaque parts never
//!   match an allow rule.
//! - **Deny** and **ask** rules skip every leading assignment and also see through exec
//!   wrappers (`sudo rm -rf x` and `env FOO=1 rm -rf y` both match `rm *`); the text with the
//!   stripped wrappers put back is tried too.
//! - For both, `git` global options before the subcommand are skipped as an extra candidate
//!   (`git -C /p log --oneline` matches `git log *`), except that for allow rules a
//!   config-changing option (`-c k=v`, `--config-env`, `--exec-path`) must be matched as
//!   written, since it can set a pager, hook or helper program. The options are
//!   [`GIT_GLOBAL_OPTIONS`](crate::facts::git::GIT_GLOBAL_OPTIONS).
//! - A wildcard allow rule never matches a wrapper of
//!   [`EXACT_ALLOW_ONLY`] (`Bash(watch *)`).
//!
//! The caller checks one part at a time: a rule never matches across `&&`, `|`, `;` ...

use crate::facts::env::is_safe_env_var;
use crate::facts::git::{GitEffect, git_global_option};
use crate::facts::wrappers::EXACT_ALLOW_ONLY;
use crate::permissions::shell::{SimpleCommand, command_starts, fold_whitespace, split_words};

/// Which list a rule comes from: matching differs (env assignments, exec wrappers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// `permissions.allow`.
    Allow,
    /// `permissions.ask`.
    Ask,
    /// `permissions.deny`.
    Deny,
}

/// Does the Bash rule specifier `spec` (the text inside `Bash(...)`, e.g. "git log *",
/// "npm run test:*", "git status") match this simple command, for a rule of `kind`?
/// (`Bash` and `Bash(*)` are handled by the caller and never reach here.)
pub fn spec_matches(spec: &str, part: &SimpleCommand, kind: RuleKind) -> bool {
    if kind == RuleKind::Allow
        && spec.contains('*')
        && part
            .argv
            .first()
            .is_some_and(|c| EXACT_ALLOW_ONLY.contains(&c.as_str()))
    {
        return false;
    }
    let pattern = Pattern::new(spec);
    match_candidates(part, kind)
        .iter()
        .any(|candidate| pattern.matches(candidate))
}

/// Does `spec` match the command text `text` (whitespace is folded first)? Pure pattern
/// matching: no env, wrapper or git handling.
pub fn pattern_matches(spec: &str, text: &str) -> bool {
    Pattern::new(spec).matches(&fold_whitespace(text))
}

/// The texts a rule of `kind` is tried against for this part (any match counts); empty when
/// no rule of that kind can match (an allow rule against an opaque part or one with an
/// unsafe leading assignment).
pub fn match_candidates(part: &SimpleCommand, kind: RuleKind) -> Vec<String> {
    let mut out = vec![part.text.clone()];
    let words = {
        let split = split_words(&part.text);
        if split.len() == part.argv.len() {
            split
        } else {
            part.argv.clone()
        }
    };
    match kind {
        RuleKind::Allow => {
            if part.opaque.is_some() || !part.env.iter().all(|(name, _)| is_safe_env_var(name)) {
                return Vec::new();
            }
            if let Some(stripped) = git_without_globals(&part.argv, &words, 0, kind) {
                out.push(stripped);
            }
        }
        RuleKind::Ask | RuleKind::Deny => {
            if !part.wrappers.is_empty() {
                out.push(fold_whitespace(&format!(
                    "{} {}",
                    part.wrappers.join(" "),
                    part.text
                )));
            }
            for start in command_starts(&part.argv) {
                if start > 0 && start < words.len() {
                    out.push(words[start..].join(" "));
                }
                if let Some(stripped) = git_without_globals(&part.argv, &words, start, kind) {
                    out.push(stripped);
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| seen.insert(c.clone()));
    out
}

/// `git <global options> <subcommand> ...` starting at `argv[start]`, rewritten without the
/// global options; `None` when there are none, they cannot be skipped for `kind`, or this is
/// not git.
fn git_without_globals(
    argv: &[String],
    words: &[String],
    start: usize,
    kind: RuleKind,
) -> Option<String> {
    if argv.get(start)? != "git" {
        return None;
    }
    let skip = git_global_options_len(&argv[start + 1..], kind)?;
    if skip == 0 {
        return None;
    }
    let rest = words.get(start + 1 + skip..)?;
    Some(format!("git {}", rest.join(" ")))
}

/// How many words of `args` (the words after `git`) are global options before the
/// subcommand; `None` if an option is unknown, no subcommand follows, or (for allow rules)
/// an option changes configuration (`-c`, `--config-env`, `--exec-path`).
pub fn git_global_options_len(args: &[String], kind: RuleKind) -> Option<usize> {
    let allow = kind == RuleKind::Allow;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if !a.starts_with('-') {
            return Some(i);
        }
        let (option, width) = git_global_option(a)?;
        if allow && option.effect == GitEffect::Configures {
            return None;
        }
        i += width;
    }
    None
}

/// One element of a compiled specifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Star,
}

/// A compiled Bash rule specifier.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    toks: Vec<Tok>,
    /// Trailing ` *` or `:*`: also match the base alone.
    prefix: bool,
}

impl Pattern {
    fn new(spec: &str) -> Pattern {
        let folded = fold_whitespace(spec);
        let chars: Vec<char> = folded.chars().collect();
        let mut toks = Vec::with_capacity(chars.len());
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' if chars.get(i + 1) == Some(&'*') => {
                    toks.push(Tok::Lit('*'));
                    i += 2;
                }
                '*' => {
                    toks.push(Tok::Star);
                    i += 1;
                }
                c => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                }
            }
        }
        let n = toks.len();
        let prefix = n >= 2
            && toks[n - 1] == Tok::Star
            && matches!(toks[n - 2], Tok::Lit(' ') | Tok::Lit(':'));
        if prefix {
            toks.truncate(n - 2);
        }
        Pattern { toks, prefix }
    }

    fn matches(&self, text: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        if glob(&self.toks, &text) {
            return true;
        }
        if self.prefix {
            let mut with_rest = self.toks.clone();
            with_rest.push(Tok::Lit(' '));
            with_rest.push(Tok::Star);
            return glob(&with_rest, &text);
        }
        false
    }
}

/// Anchored wildcard match where `Star` matches any run of characters.
fn glob(toks: &[Tok], text: &[char]) -> bool {
    let (mut p, mut s) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while s < text.len() {
        match toks.get(p) {
            Some(Tok::Star) => {
                backtrack = Some((p, s));
                p += 1;
            }
            Some(Tok::Lit(c)) if *c == text[s] => {
                p += 1;
                s += 1;
            }
            _ => match backtrack {
                Some((star, mark)) => {
                    p = star + 1;
                    s = mark + 1;
                    backtrack = Some((star, mark + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| *t == Tok::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::shell::analyze;
    use RuleKind::{Allow, Ask, Deny};

    /// Matches `spec` against the single part of `command`.
    fn check(spec: &str, command: &str, kind: RuleKind) -> bool {
        let analysis = analyze(command);
        assert_eq!(
            analysis.parts.len(),
            1,
            "{command:?} should be one part: {analysis:#?}"
        );
        spec_matches(spec, &analysis.parts[0], kind)
    }

    #[test]
    fn specifier_grammar() {
        let cases: &[(&str, &str, bool)] = &[
            ("npm run test:*", "npm run test:unit", false),
            ("npm run test:*", "npm run test", true),
            ("npm run test:*", "npm run test --watch", true),
            ("npm run test*", "npm run test:unit", true),
            ("ls *", "lsof", false),
            ("ls *", "ls", true),
            ("ls *", "ls -la", true),
            ("ls:*", "ls -la", true),
            ("ls:*", "lsof", false),
            ("ls*", "lsof", true),
            ("ls*", "ls -la", true),
            ("git:* push", "git push", false),
            ("git:* push", "git:x push", true),
            ("git * main", "git push origin main", true),
            ("git * main", "git merge main", true),
            ("git * main", "git push origin main2", false),
            ("* --version", "node --version", true),
            ("* --version", "node --version --json", false),
            ("git status", "git  status", true),
            ("git status", "git\tstatus", true),
            ("git status", "git status -s", false),
            ("git  status ", "git status", true),
            ("git status", "Git status", false),
            ("GIT STATUS", "git status", false),
            ("echo \\*", "echo '*'", false),
            ("echo \\*", "echo \\*", false),
            ("echo a\\*b", "echo a*b", true),
            ("echo a\\*b", "echo axxb", false),
            ("echo *", "echo", true),
            ("*", "anything at all", true),
            ("git commit -m *", "git commit -m \"fix: a b\"", true),
            ("rm -rf /tmp/*", "rm -rf /tmp/x /etc", true),
            ("a*b*c", "abc", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYcZ", false),
        ];
        for (spec, command, expected) in cases {
            assert_eq!(
                check(spec, command, Allow),
                *expected,
                "Bash({spec}) vs {command:?}"
            );
        }
    }

    #[test]
    fn env_wrappers_and_git() {
        let cases: &[(&str, &str, RuleKind, bool)] = &[
            ("npm test *", "NODE_ENV=test npm test", Allow, true),
            ("npm test *", "FOO=1 npm test", Allow, false),
            ("npm test *", "FOO=1 npm test", Deny, true),
            ("npm test *", "FOO=1 npm test", Ask, true),
            ("npm test *", "LANG=C LC_ALL=C TZ=UTC npm test", Allow, true),
            ("npm test *", "PATH=/tmp npm test", Allow, false),
            (
                "npm test *",
                "NODE_OPTIONS=--require=x npm test",
                Allow,
                false,
            ),
            ("npm test *", "NODE_ENV=test PAGER=x npm test", Allow, false),
            ("git log *", "timeout 5 git log", Allow, true),
            (
                "git log *",
                "nice -n 5 nohup git log --oneline",
                Allow,
                true,
            ),
            ("timeout *", "timeout 5 git log", Allow, false),
            ("timeout *", "timeout 5 rm -rf x", Deny, true),
            ("git log:*", "git -C /p log --oneline", Allow, true),
            ("git log *", "git --no-pager -C /p log", Allow, true),
            ("git log *", "git --git-dir=/x/.git log", Allow, true),
            ("git log *", "git -c core.pager=evil log", Allow, false),
            (
                "git -c core.pager=evil log *",
                "git -c core.pager=evil log",
                Allow,
                true,
            ),
            ("git log *", "git -c core.pager=evil log", Deny, true),
            ("git push *", "git -C /p --no-pager push origin", Deny, true),
            ("git push *", "sudo git -C x push", Deny, true),
            ("git status", "git -C /x status", Allow, true),
            ("rm *", "sudo rm -rf x", Deny, true),
            ("rm *", "sudo rm -rf x", Ask, true),
            ("rm *", "sudo rm -rf x", Allow, false),
            ("sudo rm *", "sudo rm -rf x", Allow, true),
            ("rm *", "env FOO=1 rm -rf y", Deny, true),
            ("rm *", "env -i PATH=/x rm -rf y", Deny, true),
            ("rm *", "FOO=1 rm -rf y", Deny, true),
            ("rm *", "sudo -u root timeout 5 rm -rf y", Deny, true),
            ("rm *", "watch -n 1 rm -rf y", Deny, true),
            ("rm *", "ionice -c 3 nice rm y", Deny, true),
            ("rm *", "setsid rm y", Deny, true),
            ("rm *", "flock /tmp/lock rm y", Deny, true),
            ("rm *", "doas rm y", Deny, true),
            ("rm -rf *", "command rm -rf y", Deny, true),
            ("rm -rf *", "builtin rm -rf y", Deny, true),
            ("watch *", "watch -n 1 git status", Allow, false),
            (
                "watch -n 1 git status",
                "watch -n 1 git status",
                Allow,
                true,
            ),
            ("git status", "watch -n 1 git status", Allow, false),
            ("grep *", "xargs grep foo", Allow, true),
            ("grep *", "xargs -n1 grep foo", Allow, false),
            ("xargs *", "xargs -n1 grep foo", Allow, true),
            ("cat *", "cat <<EOF\nline 1\nline 2\nEOF", Allow, true),
            ("cat", "cat <<EOF\nline 1\nEOF", Allow, true),
            ("python *", "python script.py > output.txt", Allow, true),
            (
                "git commit *",
                "git commit -m \"$(cat <<'EOF'\nFix: a (b)\n\nCo-Authored-By: x\nEOF\n)\"",
                Allow,
                true,
            ),
            (
                "git commit *",
                "git commit -m \"$(git log -1)\"",
                Allow,
                false,
            ),
            ("ls *", "ls $(whoami)", Deny, true),
            ("command -v *", "command -v git", Allow, true),
        ];
        for (spec, command, kind, expected) in cases {
            let analysis = analyze(command);
            let got = analysis
                .parts
                .iter()
                .take(1)
                .any(|p| spec_matches(spec, p, *kind));
            assert_eq!(got, *expected, "{kind:?} Bash({spec}) vs {command:?}");
        }
    }

    #[test]
    fn opaque_parts_never_match_allow() {
        let cases: &[(&str, &str)] = &[
            ("ls *", "ls $(whoami)"),
            ("bash *", "bash -c 'rm -rf /'"),
            ("make *", "(cd x && make)"),
            ("echo *", &"echo x ".repeat(2_000)),
        ];
        for (spec, command) in cases {
            let analysis = analyze(command);
            for part in &analysis.parts {
                assert!(
                    !spec_matches(spec, part, Allow),
                    "Bash({spec}) vs {command:.40}"
                );
            }
            assert!(
                analysis.parts.iter().any(|p| spec_matches(spec, p, Deny)),
                "deny Bash({spec}) should still see {command:.40}"
            );
        }
    }

    #[test]
    fn no_matching_across_parts() {
        let analysis = analyze("git diff; rm -rf /");
        let matched: Vec<bool> = analysis
            .parts
            .iter()
            .map(|p| spec_matches("git diff *", p, Allow))
            .collect();
        assert_eq!(matched, vec![true, false]);
    }

    #[test]
    fn git_globals() {
        let v = |s: &str| {
            s.split(' ')
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        };
        let cases: &[(&str, RuleKind, Option<usize>)] = &[
            ("log", Allow, Some(0)),
            ("-C /p log", Allow, Some(2)),
            ("-c a=b log", Allow, None),
            ("-c a=b log", Deny, Some(2)),
            ("--config-env=a=B log", Allow, None),
            ("--exec-path=/x log", Allow, None),
            ("--no-pager -P --paginate -p log", Allow, Some(4)),
            ("--git-dir /x --work-tree=/y status", Allow, Some(3)),
            ("--version", Allow, None),
            ("--frobnicate log", Deny, None),
            ("-C", Allow, None),
        ];
        for (args, kind, expected) in cases {
            assert_eq!(
                git_global_options_len(&v(args), *kind),
                *expected,
                "{kind:?} git {args}"
            );
        }
    }
}
