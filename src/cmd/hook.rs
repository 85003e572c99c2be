//! `permstat hook`: the command Claude Code runs as a `PermissionRequest` hook (and for
//! the later events of a call), appending one line per event to the prompt log; and
//! `--install`/`--uninstall`, which add that hook to a settings file and take it out
//! again with the settings writer `suggest --write` uses. See `docs/sources.md`.
//!
//! Recording must never slow or fail a Claude Code session: it reads stdin, appends one
//! line, prints nothing on stdout (so Claude Code reads no decision and shows its dialog
//! as usual) and exits 0 whatever happens. It loads no settings and touches nothing else.

use super::suggest::{WriteScope, settings_file};
use crate::output::{self, Format, hook::HookOutput};
use crate::sources::prompt_log::{self, INSTALLED, LogLine, UNINSTALLED};
use crate::sources::version;
use crate::suggest::writer::{HookHandler, apply, plan_add_hooks, plan_remove_hooks};
use crate::text::time::iso;
use crate::transcript::discover;
use serde_json::json;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Seconds Claude Code waits for the hook before giving up on it (its default is 600):
/// a log on a stuck disk must not hold a session.
const TIMEOUT_S: u64 = 5;

/// What `permstat hook` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookAction {
    /// Append the hook event on stdin to the prompt log.
    Record,
    /// Add the hook to a settings file; `outcomes`: also for `PostToolUse` and
    /// `PostToolUseFailure`.
    Install {
        /// Also record the events after each call.
        outcomes: bool,
    },
    /// Take out what `Install` added.
    Uninstall,
}

/// What `permstat hook` was asked for.
#[derive(Debug, Clone)]
pub struct HookOptions {
    /// Record, install or uninstall.
    pub action: HookAction,
    /// Which settings file (install and uninstall).
    pub scope: WriteScope,
    /// Change the settings file (false: dry run, print the diff).
    pub write: bool,
    /// Claude Code configuration folder (the prompt log and user settings live there).
    pub config_dir: Option<PathBuf>,
    /// Project root of the `local` and `project` scopes.
    pub project_root: Option<PathBuf>,
    /// Folder of managed settings (checked for settings that switch user hooks off).
    pub managed_dir: PathBuf,
    /// Output format of install and uninstall.
    pub format: Format,
}

/// Runs `permstat hook`.
pub fn run(args: &HookOptions) -> anyhow::Result<ExitCode> {
    match args.action {
        HookAction::Record => {
            // A panic (never expected) must not become a failed hook either.
            let config_dir = args.config_dir.clone();
            if let Err(why) = std::panic::catch_unwind(move || record(config_dir.as_deref())) {
                drop(why);
            }
            Ok(ExitCode::SUCCESS)
        }
        HookAction::Install { outcomes } => change(args, Some(outcomes)),
        HookAction::Uninstall => change(args, None),
    }
}

/// Appends the hook event on stdin to the prompt log. Problems go to stderr (Claude Code
/// shows a hook's stderr only in its debug log when it exits 0).
fn record(config_dir: Option<&Path>) {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!(
            "permstat hook: reads one Claude Code hook event (JSON) on stdin; see `permstat hook --help`"
        );
        return;
    }
    let mut bytes = Vec::new();
    if let Err(e) = stdin.lock().read_to_end(&mut bytes) {
        eprintln!("permstat hook: cannot read stdin: {e}");
        return;
    }
    let now = chrono::Utc::now().timestamp_millis();
    let Some(line) = prompt_log::record_line(&String::from_utf8_lossy(&bytes), now) else {
        eprintln!("permstat hook: stdin is not a JSON object; nothing logged");
        return;
    };
    let Some(path) = prompt_log::default_path(config_dir) else {
        eprintln!(
            "permstat hook: no home folder and no {}; nothing logged",
            prompt_log::ENV
        );
        return;
    };
    if let Err(e) = append(&path, &line) {
        eprintln!("permstat hook: {}: {e}; nothing logged", path.display());
    }
}

/// Appends one line to the log in a single write (so lines of sessions running at once do
/// not interleave), creating the log (readable by its owner only) and its folder.
fn append(path: &Path, line: &LogLine) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut text = line.to_json();
    text.push('\n');
    opts.open(path)?.write_all(text.as_bytes())
}

/// The command Claude Code is to run: this executable, by its full path when known.
fn hook_command() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.to_str().map(str::to_string))
        .unwrap_or_else(|| "permstat".into());
    let plain = exe
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b));
    if plain {
        format!("{exe} hook")
    } else {
        format!("'{}' hook", exe.replace('\'', r"'\''"))
    }
}

/// True for a handler command that runs `permstat hook` (whatever the path to permstat):
/// what `--uninstall` takes out and what `--install` does not add twice.
pub fn is_permstat_hook(command: &str) -> bool {
    let c = command.trim();
    let (program, rest) = match c.chars().next() {
        Some(q @ ('\'' | '"')) => match c[1..].find(q) {
            Some(end) => (&c[1..=end], &c[end + 2..]),
            None => return false,
        },
        _ => c.split_once(char::is_whitespace).unwrap_or((c, "")),
    };
    let name = Path::new(program).file_name().and_then(|n| n.to_str());
    matches!(name, Some("permstat" | "permstat.exe"))
        && rest.split_whitespace().next() == Some("hook")
}

/// The events `--install` adds a handler for: (event, the first Claude Code version that
/// knows it, run in the background, only with `--outcomes`). A settings file naming an
/// event its Claude Code does not know is skipped whole by that Claude Code, so an event is
/// only added when the newest version the transcripts show knows it. `PostToolUseFailure`'s
/// version is assumed (see `docs/sources.md`); the others are from Claude Code's changelog.
/// `PermissionRequest` runs before the dialog and is waited for (so its time is the
/// prompt's); the others fire after the call, for every call, so they run in the
/// background.
const EVENTS: &[(&str, [u32; 3], bool, bool)] = &[
    ("PermissionRequest", [2, 0, 45], false, false),
    ("PostToolUse", [1, 0, 38], true, true),
    ("PostToolUseFailure", [2, 1, 0], true, true),
    ("PermissionDenied", [2, 1, 89], true, true),
];

/// The handlers `--install` adds, given the newest Claude Code version seen (`None`: not
/// known), and a warning for each event left out or not checked.
fn handlers(outcomes: bool, seen: Option<&str>) -> (Vec<HookHandler>, Vec<String>) {
    let command = hook_command();
    let known = seen.and_then(version);
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for &(event, since, background, with_outcomes) in EVENTS {
        if with_outcomes && !outcomes {
            continue;
        }
        let since_text = format!("{}.{}.{}", since[0], since[1], since[2]);
        match (known, seen) {
            (Some(v), Some(seen)) if v < since => {
                warnings.push(format!(
                    "left out {event}: it needs Claude Code {since_text} or later, and your \
                     transcripts show {seen} (a settings file naming an event Claude Code does \
                     not know is skipped whole)"
                ));
                continue;
            }
            (Some(_), _) => {}
            _ => warnings.push(format!(
                "no transcript shows your Claude Code version: {event} needs {since_text} or later"
            )),
        }
        let mut h = json!({"type": "command", "command": command, "timeout": TIMEOUT_S});
        if background {
            h["async"] = json!(true);
        }
        out.push(HookHandler {
            event: event.into(),
            handler: h,
        });
    }
    (out, warnings)
}

/// The Claude Code version of the most recently written transcript under the config
/// folder's projects: the version in use.
fn newest_version(config_dir: Option<&Path>) -> Option<String> {
    let root = discover::default_projects_dir(config_dir)?;
    let found = discover::discover(&[root]);
    let newest = found
        .files
        .iter()
        .filter_map(|f| Some((f.stamp?.mtime_ns, &f.path)))
        .max()?
        .1;
    // Its last lines are enough: every line carries the version.
    let mut file = std::fs::File::open(newest).ok()?;
    let len = file.metadata().ok()?.len();
    let tail = len.saturating_sub(256 << 10);
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(tail)).ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let at = text.rfind("\"version\":\"")? + "\"version\":\"".len();
    let end = text[at..].find('"')?;
    Some(text[at..at + end].to_string())
}

/// Managed settings that make Claude Code ignore hooks from the user's and project's
/// files, when the managed folder sets them.
fn managed_warnings(managed_dir: &Path) -> Vec<String> {
    let file = managed_dir.join("managed-settings.json");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Vec::new();
    };
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    ["allowManagedHooksOnly", "disableAllHooks"]
        .into_iter()
        .filter(|k| v.get(k).and_then(serde_json::Value::as_bool) == Some(true))
        .map(|k| {
            format!(
                "{} sets {k}: Claude Code will not run this hook",
                file.display()
            )
        })
        .collect()
}

/// `--install` (`outcomes` given) or `--uninstall` (`None`).
fn change(args: &HookOptions, outcomes: Option<bool>) -> anyhow::Result<ExitCode> {
    match args.format {
        Format::Md | Format::Html => anyhow::bail!("--format table or json only"),
        Format::Table | Format::Json => {}
    }
    let (target, root) = settings_file(
        args.scope,
        args.project_root.as_deref(),
        args.config_dir.as_deref(),
    )?;
    let mut warnings = managed_warnings(&args.managed_dir);
    let hook = match outcomes {
        Some(o) => {
            let (add, left_out) =
                handlers(o, newest_version(args.config_dir.as_deref()).as_deref());
            warnings.extend(left_out);
            plan_add_hooks(&target, &add, is_permstat_hook)?
        }
        None => plan_remove_hooks(&target, is_permstat_hook)?,
    };
    let log = prompt_log::default_path(args.config_dir.as_deref());
    let (mut written, mut backup) = (false, None);
    if args.write && hook.plan.changed() {
        let applied = apply(&hook.plan)?;
        written = applied.written;
        backup = applied.backup.map(|b| b.display().to_string());
        // The marker says from when (and for which projects) the log covers every call.
        if let Some(log) = &log {
            let marker = LogLine {
                time: iso(chrono::Utc::now().timestamp_millis()),
                event: if outcomes.is_some() {
                    INSTALLED
                } else {
                    UNINSTALLED
                }
                .into(),
                scope: Some(scope_name(args.scope).into()),
                root: match args.scope {
                    WriteScope::User => None,
                    WriteScope::Local | WriteScope::Project => Some(root.display().to_string()),
                },
                settings: Some(target.display().to_string()),
                ..LogLine::default()
            };
            if let Err(e) = append(log, &marker) {
                warnings.push(format!("{}: cannot write the marker: {e}", log.display()));
            }
        }
    }
    let out = HookOutput {
        action: if outcomes.is_some() {
            "install"
        } else {
            "uninstall"
        },
        target: target.display().to_string(),
        scope: scope_name(args.scope),
        command: hook_command(),
        changed: hook.changed,
        unchanged: hook.unchanged,
        diff: hook.plan.diff.clone(),
        written,
        backup,
        prompt_log: log.map(|l| l.display().to_string()),
        warnings,
    };
    output::hook::print(&out, args.format, args.write)?;
    Ok(ExitCode::SUCCESS)
}

fn scope_name(s: WriteScope) -> &'static str {
    match s {
        WriteScope::Local => "local",
        WriteScope::Project => "project",
        WriteScope::User => "user",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_its_own_command_only() {
        assert!(is_permstat_hook("/usr/local/bin/permstat hook"));
        assert!(is_permstat_hook("'/home/a b/permstat' hook"));
        assert!(is_permstat_hook("permstat hook --config-dir /x"));
        assert!(!is_permstat_hook("permstat report"));
        assert!(!is_permstat_hook("/bin/notpermstat hook"));
        assert!(!is_permstat_hook("'/bin/permstat hook"));
        assert!(!is_permstat_hook("check.sh"));
    }
}
