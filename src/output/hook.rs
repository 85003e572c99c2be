//! The printer of `permstat hook --install`/`--uninstall`: the change to the settings file
//! ([`HookOutput`]) as text or JSON. (Recording prints nothing.)

use super::{Format, html_is_report_only, print_json, print_text};
use serde::Serialize;
use std::fmt::Write as _;

/// The `permstat hook --install --format json` document (and `--uninstall`'s).
#[derive(Debug, Serialize)]
pub struct HookOutput {
    /// `install` or `uninstall`.
    pub action: &'static str,
    /// The settings file.
    pub target: String,
    /// `user`, `project` or `local`.
    pub scope: &'static str,
    /// The command the hook runs.
    pub command: String,
    /// Events whose handler is added (or removed).
    pub changed: Vec<String>,
    /// Events that already had the handler (install).
    pub unchanged: Vec<String>,
    /// The diff `--write` applies (or applied); empty when nothing changes.
    pub diff: String,
    /// True when `--write` changed the file.
    pub written: bool,
    /// The backup of the previous file, when one was written.
    pub backup: Option<String>,
    /// The prompt log the hook appends to (and every reading command reads).
    pub prompt_log: Option<String>,
    /// Things that stop the hook from running or being recorded.
    pub warnings: Vec<String>,
}

/// Prints the change in `format`; `write` says whether `--write` was given.
pub fn print(o: &HookOutput, format: Format, write: bool) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(o),
        Format::Table | Format::Md => print_text(&render(o, write)),
        Format::Html => html_is_report_only(),
    }
}

/// The change as text.
pub fn render(o: &HookOutput, write: bool) -> String {
    let mut s = String::new();
    let verb = match o.action {
        "install" => "add",
        _ => "remove",
    };
    if o.diff.is_empty() {
        let _ = writeln!(s, "{} ({} scope) needs no change.", o.target, o.scope);
        if !o.unchanged.is_empty() {
            let _ = writeln!(s, "Already there: {}.", o.unchanged.join(", "));
        }
    } else if o.written {
        let _ = writeln!(s, "Wrote {} ({} scope):\n{}", o.target, o.scope, o.diff);
        if let Some(b) = &o.backup {
            let _ = writeln!(s, "Backup: {b}");
        }
    } else if !write {
        let _ = writeln!(
            s,
            "Dry run. `permstat hook --{} --write` would {verb} `{}` for {} in {} ({} scope):\n{}",
            o.action,
            o.command,
            o.changed.join(", "),
            o.target,
            o.scope,
            o.diff
        );
    }
    if o.action == "install"
        && let Some(log) = &o.prompt_log
    {
        let _ = writeln!(
            s,
            "The hook appends to {log}; report, scan, replay, suggest, audit and export read it."
        );
    }
    for w in &o.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}
