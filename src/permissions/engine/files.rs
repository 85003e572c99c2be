//! The Read and Edit families: path rules, the working folders, protected paths and
//! Claude Code's own plan files.

use super::{AutoWhy, Ctx, Out, PromptWhy, Verdict, out};
use crate::event::Mode;
use crate::facts::tools;
use crate::permissions::bash_rule::RuleKind;
use crate::permissions::guards;
use crate::permissions::paths;
use std::path::{Path, PathBuf};

impl Ctx<'_> {
    /// The call's file path, resolved against the working folder and home.
    fn call_path(&self) -> Option<PathBuf> {
        self.call
            .input
            .path
            .as_deref()
            .map(|p| paths::resolve(p, &self.cwd, self.home()))
    }

    /// The decision for a Read-family call (Read, Grep, Glob, ...).
    pub(super) fn read(&self) -> Out {
        let path = self.call_path().unwrap_or_else(|| self.cwd.clone());
        let shown = path.display().to_string();
        if let Some(r) = self.first(RuleKind::Deny, |r| {
            self.tool_level(r) || self.path_rule(r, "Read", &path)
        }) {
            return out(
                Verdict::DeniedByRule,
                Some(r),
                format!("deny rule on {shown}"),
            );
        }
        if let Some(r) = self.first(RuleKind::Ask, |r| {
            self.tool_level(r) || self.path_rule(r, "Read", &path)
        }) {
            return out(self.ask(), Some(r), format!("ask rule on {shown}"));
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        if let Some(r) = self.first(RuleKind::Allow, |r| {
            self.tool_level(r)
                || self.path_rule(r, "Read", &path)
                || self.path_rule(r, "Edit", &path)
        }) {
            return out(
                Verdict::AllowedByRule,
                Some(r),
                format!("allow rule on {shown}"),
            );
        }
        if self.inside_working(&path) {
            return out(
                Verdict::AutoAllowed(AutoWhy::ReadOnlyTool),
                None,
                "read inside the working folders",
            );
        }
        out(
            self.need(PromptWhy::OutsideWorkingDirs(path)),
            None,
            format!("read outside the working folders: {shown}"),
        )
    }

    /// The decision for an Edit-family call (Edit, Write, NotebookEdit, ...).
    pub(super) fn edit(&self) -> Out {
        let Some(path) = self.call_path() else {
            return out(
                self.need(PromptWhy::MissingInput("path")),
                None,
                "no file path recorded",
            );
        };
        let shown = path.display().to_string();
        if let Some(r) = self.first(RuleKind::Deny, |r| {
            self.tool_level(r)
                || self.path_rule(r, "Edit", &path)
                || self.path_rule(r, "Read", &path)
        }) {
            return out(
                Verdict::DeniedByRule,
                Some(r),
                format!("deny rule on {shown}"),
            );
        }
        if let Some(r) = self.first(RuleKind::Ask, |r| {
            self.tool_level(r) || self.path_rule(r, "Edit", &path)
        }) {
            return out(self.ask(), Some(r), format!("ask rule on {shown}"));
        }
        if self.internal_file(&path) {
            return out(
                Verdict::AutoAllowed(AutoWhy::InternalFile),
                None,
                "Claude Code's own plan file",
            );
        }
        if let Some(p) = guards::protected_reason(&path) {
            return (
                self.protected(p.clone()),
                None,
                format!("{p}: {shown}"),
                Vec::new(),
            );
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        if let Some(r) = self.first(RuleKind::Allow, |r| {
            self.tool_level(r) || self.path_rule(r, "Edit", &path)
        }) {
            return out(
                Verdict::AllowedByRule,
                Some(r),
                format!("allow rule on {shown}"),
            );
        }
        let inside = self.inside_working(&path);
        if inside && self.mode == Mode::AcceptEdits {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(Mode::AcceptEdits)),
                None,
                "acceptEdits: edit inside the working folders",
            );
        }
        let why = if inside {
            PromptWhy::NoRule
        } else {
            PromptWhy::OutsideWorkingDirs(path)
        };
        out(self.need(why), None, format!("edit of {shown}"))
    }

    /// Protected-path writes: prompt in default/acceptEdits/plan, classifier in auto,
    /// denied in dontAsk, allowed in bypassPermissions.
    pub(super) fn protected(&self, why: String) -> Verdict {
        match self.mode {
            Mode::BypassPermissions => Verdict::AutoAllowed(AutoWhy::Mode(Mode::BypassPermissions)),
            _ => self.need(PromptWhy::Protected(why)),
        }
    }

    /// A plan file Claude Code writes for itself under its config folder.
    fn internal_file(&self, path: &Path) -> bool {
        tools::INTERNAL_WRITABLE.iter().any(|d| {
            paths::is_within(path, &self.policy.roots.config_dir.join(d))
                && path.extension().is_some_and(|e| e == "md")
        })
    }
}
