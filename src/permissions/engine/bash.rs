//! Bash (and Monitor): deny and ask rules on any part, file arguments and redirect targets,
//! the critical-`rm` check, then coverage part by part (allow rules, Claude Code's built-in
//! read-only commands, acceptEdits' file commands).

use super::{AutoWhy, Ctx, Out, PartDecision, PartVerdict, PromptWhy, RuleRef, Verdict, out};
use crate::event::Mode;
use crate::facts::tools;
use crate::permissions::bash_rule::{self, RuleKind};
use crate::permissions::guards;
use crate::permissions::paths;
use crate::permissions::readonly;
use crate::permissions::rule::Specifier;
use crate::permissions::settings::LoadedRule;
use crate::permissions::shell::{self, ShellAnalysis, SimpleCommand};

impl Ctx<'_> {
    /// The specifier of a content rule on Bash or on this call's own tool.
    fn bash_rule_applies<'r>(&self, r: &'r LoadedRule) -> Option<&'r str> {
        let Specifier::Content(c) = &r.rule.spec else {
            return None;
        };
        let name = r.rule.tool.name()?;
        (name == "Bash" || name == tools::canonical_tool(self.call.tool)).then_some(c.as_str())
    }

    /// Deny/ask check of a Bash command: the first rule of `kind` matching the whole call or
    /// any part, and the index of the part it matched.
    fn bash_match(
        &self,
        kind: RuleKind,
        parts: &[SimpleCommand],
    ) -> Option<(&LoadedRule, Option<usize>, String)> {
        for r in self.rules(kind) {
            if self.tool_level(r) {
                return Some((r, None, "rule on the whole tool".into()));
            }
            if let Some(spec) = self.bash_rule_applies(r)
                && let Some(i) = parts
                    .iter()
                    .position(|p| bash_rule::spec_matches(spec, p, kind))
            {
                return Some((r, Some(i), "matches a part".into()));
            }
            for (i, p) in parts.iter().enumerate() {
                for target in p
                    .redirects
                    .iter()
                    .map(|x| x.target.as_str())
                    .filter(|t| *t != "/dev/null")
                {
                    let abs = paths::resolve(target, &self.cwd, self.home());
                    let hit = self.path_rule(r, "Edit", &abs)
                        || (kind == RuleKind::Deny && self.path_rule(r, "Read", &abs));
                    if hit {
                        return Some((r, Some(i), format!("output redirection to '{target}'")));
                    }
                }
                for (path, write) in file_args(p) {
                    let abs = paths::resolve(&path, &self.cwd, self.home());
                    if self.path_rule(r, "Read", &abs) || (write && self.path_rule(r, "Edit", &abs))
                    {
                        return Some((r, Some(i), format!("file argument '{path}'")));
                    }
                }
            }
        }
        None
    }

    /// The decision for a Bash or Monitor call.
    pub(super) fn bash(&self) -> Out {
        let Some(command) = self.call.input.command.as_deref() else {
            return out(
                self.need(PromptWhy::MissingInput("command")),
                None,
                "no command recorded",
            );
        };
        let analysis = shell::analyze(command);
        let synthetic;
        let parts: &[SimpleCommand] = if analysis.parts.is_empty() && analysis.opaque.is_some() {
            synthetic = [whole_line_part(command)];
            &synthetic
        } else {
            &analysis.parts
        };
        let part_list = |mark: Option<(usize, PartVerdict, &LoadedRule)>| -> Vec<PartDecision> {
            parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let (j, v, r) = mark.as_ref()?;
                    (i == *j).then(|| PartDecision {
                        text: p.text.clone(),
                        verdict: v.clone(),
                        rule: Some(RuleRef::of(r)),
                    })
                })
                .collect()
        };
        if let Some((r, i, why)) = self.bash_match(RuleKind::Deny, parts) {
            let ps = i
                .map(|i| part_list(Some((i, PartVerdict::Denied, r))))
                .unwrap_or_default();
            return (
                Verdict::DeniedByRule,
                Some(RuleRef::of(r)),
                format!("deny rule: {why}"),
                ps,
            );
        }
        if let Some((r, i, why)) = self.bash_match(RuleKind::Ask, parts) {
            let ps = i
                .map(|i| part_list(Some((i, PartVerdict::Asked, r))))
                .unwrap_or_default();
            return (
                self.ask(),
                Some(RuleRef::of(r)),
                format!("ask rule: {why}"),
                ps,
            );
        }
        let nested: Vec<SimpleCommand> = nested_commands(command)
            .iter()
            .flat_map(|t| shell::analyze(t).parts.clone())
            .collect();
        for p in parts.iter().chain(&nested) {
            if let Some(what) = self.critical_rm(p) {
                let why = format!("{}: {what}", p.text);
                return (
                    self.hard_prompt(PromptWhy::CriticalRm(why.clone())),
                    None,
                    why,
                    Vec::new(),
                );
            }
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        let mut decisions = Vec::new();
        let mut protected: Option<String> = None;
        for p in parts {
            decisions.push(self.cover_part(p, &analysis, &mut protected));
        }
        if let Some(pr) = protected {
            return (self.protected(pr.clone()), None, pr, decisions);
        }
        let first_uncovered = decisions.iter().find_map(|d| match &d.verdict {
            PartVerdict::Uncovered(w) => Some(w.clone()),
            _ => None,
        });
        if let Some(why) = first_uncovered {
            let text = why.to_string();
            return (self.need(why), None, text, decisions);
        }
        if decisions.is_empty() {
            return (
                self.need(PromptWhy::NoRule),
                None,
                "no command found".into(),
                decisions,
            );
        }
        if let Some(ex) = readonly::compound_readonly_exception(&analysis) {
            return (
                self.need(PromptWhy::CompoundReadOnly(ex)),
                None,
                ex.into(),
                decisions,
            );
        }
        if let Some(d) = decisions
            .iter()
            .find(|d| d.verdict == PartVerdict::AllowedByRule)
        {
            let rule = d.rule.clone();
            return (
                Verdict::AllowedByRule,
                rule,
                "every part covered".into(),
                decisions,
            );
        }
        if decisions
            .iter()
            .any(|d| d.verdict == PartVerdict::AcceptEdits)
        {
            return (
                Verdict::AutoAllowed(AutoWhy::Mode(Mode::AcceptEdits)),
                None,
                "acceptEdits file commands inside the working folders".into(),
                decisions,
            );
        }
        let entry = decisions
            .iter()
            .find_map(|d| match d.verdict {
                PartVerdict::ReadOnly(e) => Some(e),
                _ => None,
            })
            .unwrap_or("");
        (
            Verdict::AutoAllowed(AutoWhy::BuiltinReadOnly(entry)),
            None,
            "built-in read-only commands".into(),
            decisions,
        )
    }

    /// Coverage of one non-denied part.
    fn cover_part(
        &self,
        p: &SimpleCommand,
        analysis: &ShellAnalysis,
        protected: &mut Option<String>,
    ) -> PartDecision {
        let decision = |verdict, rule: Option<&LoadedRule>| PartDecision {
            text: p.text.clone(),
            verdict,
            rule: rule.map(RuleRef::of),
        };
        if let Some(o) = analysis.opaque.as_ref().or(p.opaque.as_ref()) {
            return decision(PartVerdict::Uncovered(PromptWhy::Opaque(o.clone())), None);
        }
        let mut redirect_rule = None;
        for t in p
            .redirects
            .iter()
            .map(|r| r.target.as_str())
            .filter(|t| *t != "/dev/null")
        {
            if t.starts_with('~') || t.contains(['*', '?', '[', '$', '`']) {
                return decision(
                    PartVerdict::Uncovered(PromptWhy::Redirect(t.to_string())),
                    None,
                );
            }
            let abs = paths::resolve(t, &self.cwd, self.home());
            if let Some(pr) = guards::protected_reason(&abs) {
                protected.get_or_insert(format!("output redirection to {}: {pr}", abs.display()));
                return decision(PartVerdict::Uncovered(PromptWhy::Protected(pr)), None);
            }
            if let Some(r) = self.first(RuleKind::Allow, |r| self.path_rule(r, "Edit", &abs)) {
                redirect_rule = Some(r);
                continue;
            }
            if !(self.inside_working(&abs) && self.mode == Mode::AcceptEdits) {
                return decision(
                    PartVerdict::Uncovered(PromptWhy::Redirect(t.to_string())),
                    None,
                );
            }
        }
        let allow = self.first(RuleKind::Allow, |r| {
            self.tool_level(r)
                || self
                    .bash_rule_applies(r)
                    .is_some_and(|spec| bash_rule::spec_matches(spec, p, RuleKind::Allow))
        });
        if let Some(r) = allow {
            return decision(PartVerdict::AllowedByRule, Some(r));
        }
        let is_bash = tools::canonical_tool(self.call.tool) == "Bash";
        if is_bash && let Some(entry) = readonly::builtin_readonly(p) {
            return decision(PartVerdict::ReadOnly(entry), None);
        }
        if is_bash && self.mode == Mode::AcceptEdits && self.accept_edits_covers(p) {
            return decision(PartVerdict::AcceptEdits, redirect_rule);
        }
        decision(
            PartVerdict::Uncovered(PromptWhy::Uncovered(p.text.clone())),
            None,
        )
    }

    /// acceptEdits runs a file command (`mkdir`, `rm`, ...) whose every path operand is
    /// plainly inside the working folders and not protected.
    fn accept_edits_covers(&self, p: &SimpleCommand) -> bool {
        let Some(cmd) = p.argv.first() else {
            return false;
        };
        if !tools::ACCEPT_EDITS_COMMANDS.contains(&cmd.as_str())
            || p.env
                .iter()
                .any(|(k, _)| !crate::facts::env::DOCUMENTED_SAFE_ENV.contains(&k.as_str()))
        {
            return false;
        }
        let args = path_operands(p);
        !args.is_empty()
            && args.iter().all(|a| {
                if a.starts_with('~') || a.contains(['$', '`', '*', '?', '[']) {
                    return false;
                }
                let abs = paths::resolve(a, &self.cwd, self.home());
                self.inside_working(&abs) && guards::protected_reason(&abs).is_none()
            })
    }

    /// What makes an `rm`/`rmdir` part remove a critical path, if it does.
    fn critical_rm(&self, p: &SimpleCommand) -> Option<&'static str> {
        let argv = rm_argv(&p.argv)?;
        operands(argv).iter().find_map(|raw| {
            let trimmed = raw.trim_end_matches('/');
            let (dir, had_glob) = match trimmed.rsplit_once('/') {
                Some((head, last)) if last.contains('*') => {
                    (if head.is_empty() { "/" } else { head }, true)
                }
                None if trimmed.contains('*') => (".", true),
                _ => (if trimmed.is_empty() { "/" } else { trimmed }, false),
            };
            let resolved = paths::resolve(dir, &self.cwd, self.home());
            guards::critical_rm_target(
                raw,
                &resolved,
                had_glob,
                self.home(),
                &self.cwd,
                self.additional,
            )
        })
    }
}

/// A part standing for a whole line the shell module could not split (deny/ask matching
/// only; it is never covered).
fn whole_line_part(command: &str) -> SimpleCommand {
    let folded = command.split_whitespace().collect::<Vec<_>>().join(" ");
    SimpleCommand {
        raw: folded.clone(),
        env: Vec::new(),
        wrappers: Vec::new(),
        argv: command.split_whitespace().map(str::to_string).collect(),
        text: folded,
        redirects: Vec::new(),
        opaque: Some("the line could not be parsed".into()),
    }
}

/// Command texts inside `$(...)`, backticks, `<(...)` and `>(...)` at any depth (best
/// effort, quotes not tracked): the critical-`rm` check looks inside substitutions.
fn nested_commands(text: &str) -> Vec<String> {
    // Most commands hold no substitution: one pass of memchr settles them.
    if memchr::memchr2(b'(', b'`', text.as_bytes()).is_none() {
        return Vec::new();
    }
    // Every delimiter is ASCII, so byte positions are character boundaries: no need to
    // decode the text (a heredoc can run to kilobytes).
    let b = text.as_bytes();
    let body = |from: usize, to: usize| text.get(from..to).unwrap_or_default().to_string();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if matches!(c, b'$' | b'<' | b'>') && b.get(i + 1) == Some(&b'(') {
            let mut depth = 0usize;
            let mut j = i + 1;
            while let Some(&d) = b.get(j) {
                if d == b'(' {
                    depth += 1;
                } else if d == b')' {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                j += 1;
            }
            out.push(body(i + 2, j));
            i += 2;
            continue;
        }
        if c == b'`' {
            let end = memchr::memchr(b'`', &b[i + 1..]).map_or(b.len(), |k| i + 1 + k);
            out.push(body(i + 1, end));
            i = end + 1;
            continue;
        }
        i += 1;
    }
    out
}

/// The `rm`/`rmdir` invocation inside `argv`, looking through exec wrappers
/// ([`crate::facts::wrappers::looked_through_by_rules`]) and their options, so `sudo rm -rf /` is checked too.
fn rm_argv(argv: &[String]) -> Option<&[String]> {
    let mut i = 0;
    loop {
        let w = argv.get(i)?.as_str();
        if tools::RM_COMMANDS.contains(&w) {
            return argv.get(i..);
        }
        if !crate::facts::wrappers::looked_through_by_rules(w) {
            return None;
        }
        i += 1;
        while let Some(a) = argv.get(i) {
            let option_like = a.starts_with('-')
                || a.contains('=')
                || a.chars().next().is_some_and(|c| c.is_ascii_digit());
            if !option_like {
                break;
            }
            i += 1;
        }
        if w == "flock" {
            i += 1;
        }
    }
}

/// Non-flag arguments of a command (everything after `--` counts).
fn path_operands(p: &SimpleCommand) -> Vec<String> {
    operands(&p.argv)
}

/// Non-flag arguments after `argv[0]` (everything after `--` counts).
fn operands(argv: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut after_dashes = false;
    for a in argv.iter().skip(1) {
        if !after_dashes && a == "--" {
            after_dashes = true;
            continue;
        }
        if after_dashes || !a.starts_with('-') || a == "-" {
            out.push(a.clone());
        }
    }
    out
}

/// File arguments of the file commands whose arguments Read/Edit deny rules also cover:
/// (path, is_write).
fn file_args(p: &SimpleCommand) -> Vec<(String, bool)> {
    let Some(cmd) = p.argv.first() else {
        return Vec::new();
    };
    match cmd.as_str() {
        "cat" | "head" | "tail" => path_operands(p).into_iter().map(|a| (a, false)).collect(),
        "sed" => {
            let in_place = p
                .argv
                .iter()
                .skip(1)
                .any(|a| a.starts_with("-i") || a == "--in-place");
            let has_e = p.argv.iter().skip(1).any(|a| a == "-e" || a == "-f");
            let ops = path_operands(p);
            let skip = usize::from(!has_e);
            ops.into_iter().skip(skip).map(|a| (a, in_place)).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::nested_commands;

    #[test]
    fn nested_commands_are_found_at_any_depth() {
        let cases: &[(&str, &[&str])] = &[
            ("ls -la", &[]),
            ("f(x) && g (y)", &[]),
            ("echo $(date)", &["date"]),
            ("echo $(cat $(ls)) done", &["cat $(ls)", "ls"]),
            ("diff <(sort a) >(tee b)", &["sort a", "tee b"]),
            ("echo `whoami` and `id`", &["whoami", "id"]),
            ("echo `unterminated", &["unterminated"]),
            ("echo $(unterminated", &["unterminated"]),
            ("échø $(ls ü) ☃ `pwd` ü", &["ls ü", "pwd"]),
            ("$(", &[""]),
            ("`", &[""]),
            ("rm -rf $(echo /)", &["echo /"]),
        ];
        for (text, want) in cases {
            assert_eq!(nested_commands(text), *want, "{text}");
        }
    }
}
