//! Records made at the time a call was decided, from outside the transcripts, joined to
//! the calls they show: permstat's own prompt log ([`prompt_log`], written by
//! `permstat hook`) and Claude Code's OpenTelemetry events ([`otel`]). Each covered call
//! gets a [`RecordedDecision`] in `ToolCall::recorded` (the transcript's own hook
//! attachments are read with the transcript, in `crate::transcript::records`), and each
//! table counts what every source covered. `docs/sources.md` maps every source to the
//! decision it gives and says what is documented and what is assumed.
//!
//! The records are read once per run ([`load`]); [`Records::attach`] then joins them to one
//! table at a time (a table holds whole sessions, so a session's records all meet its
//! calls in one table).

pub mod join;
pub mod otel;
pub mod prompt_log;

use crate::event::{Outcome, RecordSource, RecordedDecision, ToolCall};
use crate::transcript::cache::Stamp;
use crate::transcript::records::{ModeChange, RecordCounts, offer};
use crate::transcript::scan::Table;
use anyhow::Context;
use join::{Probe, match_in_order};
use prompt_log::{After, AfterKind, Entry, Marker, Prompt};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The first Claude Code version with the `PermissionRequest` hook event: a call made by an
/// older build cannot have been logged, so no log covers it.
const FIRST_HOOK_VERSION: [u32; 3] = [2, 0, 45];

/// Which record files a reading command joins to the calls.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// The prompt log to read (default: see [`prompt_log::default_path`]).
    pub prompt_log: Option<PathBuf>,
    /// Read no prompt log, not even the default one.
    pub no_prompt_log: bool,
    /// OpenTelemetry exports (OTLP JSON) to read.
    pub otel: Vec<PathBuf>,
}

/// The record files of a run, as named or found: what a cached result must have been
/// computed from, besides the transcripts.
pub fn files(opts: &SourceOptions, config_dir: Option<&Path>) -> Vec<(PathBuf, Option<Stamp>)> {
    let log = if opts.no_prompt_log {
        None
    } else {
        opts.prompt_log
            .clone()
            .or_else(|| prompt_log::default_path(config_dir))
    };
    log.into_iter()
        .chain(opts.otel.iter().cloned())
        .map(|p| {
            let stamp = std::fs::metadata(&p)
                .ok()
                .and_then(|m| Stamp::from_metadata(&m));
            (p, stamp)
        })
        .collect()
}

/// Every record read for a run, indexed for the join.
#[derive(Debug, Default)]
pub struct Records {
    prompts: Vec<Prompt>,
    prompts_by_session: FxHashMap<String, Vec<usize>>,
    afters: Vec<After>,
    after_by_call: FxHashMap<String, usize>,
    afters_by_session: FxHashMap<String, Vec<usize>>,
    /// The first log line of each session: the hook was installed from then on.
    first_logged: FxHashMap<String, i64>,
    markers: Vec<Marker>,
    decisions: Vec<otel::Decision>,
    decision_by_call: FxHashMap<String, usize>,
    decisions_by_session: FxHashMap<String, Vec<usize>>,
    mode_switches: FxHashMap<String, Vec<otel::ModeSwitch>>,
    /// Records read, by source (what [`RecordCounts::records`] holds for the run).
    pub totals: BTreeMap<RecordSource, u64>,
    /// Problems met while reading, each naming the file (and line).
    pub warnings: Vec<String>,
}

/// Reads the prompt log and the OpenTelemetry exports `opts` names (the default prompt log
/// when it exists). Fails only when a file named explicitly cannot be read; bad lines are
/// skipped with a warning.
pub fn load(opts: &SourceOptions, config_dir: Option<&Path>) -> anyhow::Result<Records> {
    let mut r = Records::default();
    if !opts.no_prompt_log {
        let named = opts.prompt_log.is_some();
        let path = opts
            .prompt_log
            .clone()
            .or_else(|| prompt_log::default_path(config_dir));
        if let Some(path) = path {
            match std::fs::read(&path) {
                Ok(bytes) => r.add_log(&path, &String::from_utf8_lossy(&bytes)),
                Err(e) if named => {
                    return Err(e).with_context(|| format!("{}: cannot read", path.display()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => r.warnings.push(format!("{}: skipped: {e}", path.display())),
            }
        }
    }
    for path in &opts.otel {
        let bytes =
            std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
        r.add_otel(path, &String::from_utf8_lossy(&bytes));
    }
    Ok(r)
}

impl Records {
    /// True when nothing was read.
    pub fn is_empty(&self) -> bool {
        self.prompts.is_empty()
            && self.afters.is_empty()
            && self.markers.is_empty()
            && self.decisions.is_empty()
            && self.mode_switches.is_empty()
    }

    fn add_log(&mut self, path: &Path, text: &str) {
        let read = prompt_log::read(path, text);
        self.warnings.extend(read.warnings);
        for e in read.entries {
            let (session, at) = match &e {
                Entry::Prompt(p) => (Some(&p.session_id), p.at_ms),
                Entry::After(a) => (Some(&a.session_id), a.at_ms),
                Entry::Marker(m) => (None, m.at_ms),
            };
            if let Some(s) = session.filter(|s| !s.is_empty()) {
                let first = self.first_logged.entry(s.clone()).or_insert(at);
                *first = (*first).min(at);
            }
            match e {
                Entry::Prompt(p) => {
                    let i = self.prompts.len();
                    self.prompts_by_session
                        .entry(p.session_id.clone())
                        .or_default()
                        .push(i);
                    self.prompts.push(p);
                }
                Entry::After(a) => {
                    let i = self.afters.len();
                    self.after_by_call.entry(a.tool_use_id.clone()).or_insert(i);
                    self.afters_by_session
                        .entry(a.session_id.clone())
                        .or_default()
                        .push(i);
                    self.afters.push(a);
                }
                Entry::Marker(m) => self.markers.push(m),
            }
        }
        self.markers.sort_by_key(|m| m.at_ms);
        *self.totals.entry(RecordSource::PromptLog).or_default() =
            (self.prompts.len() + self.afters.len()) as u64;
    }

    fn add_otel(&mut self, path: &Path, text: &str) {
        let read = otel::read(path, text);
        self.warnings.extend(read.warnings);
        for d in read.decisions {
            let i = self.decisions.len();
            if let Some(id) = &d.tool_use_id {
                self.decision_by_call.entry(id.clone()).or_insert(i);
            }
            self.decisions_by_session
                .entry(d.session_id.clone().unwrap_or_default())
                .or_default()
                .push(i);
            self.decisions.push(d);
        }
        for m in read.mode_switches {
            self.mode_switches
                .entry(m.session_id.clone())
                .or_default()
                .push(m);
        }
        *self.totals.entry(RecordSource::Otel).or_default() = self.decisions.len() as u64;
    }

    /// Joins the records of the table's sessions to its calls: each covered call gets a
    /// [`RecordedDecision`] (unless one from a higher-ranking source is there, see
    /// [`offer`]), the table counts what each source covered and which of its records
    /// matched no call, and gets the sessions' mode switches.
    pub fn attach(&self, table: &mut Table) {
        if self.is_empty() {
            return;
        }
        let mut by_session: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (i, c) in table.calls.iter().enumerate() {
            by_session.entry(&c.session_id).or_default().push(i);
        }
        let sessions: FxHashSet<&str> = table
            .sessions
            .iter()
            .map(|s| &**s)
            .chain(by_session.keys().copied())
            .collect();
        let mut decided: Vec<(usize, RecordedDecision)> = Vec::new();
        let mut log = RecordCounts::default();
        let mut tel = RecordCounts::default();
        let mut mode_changes = Vec::new();
        let mut switched = Vec::new();
        for &session in &sessions {
            let calls = by_session.get(session).map_or(&[][..], Vec::as_slice);
            self.join_log(session, calls, &table.calls, &mut log, &mut decided);
            self.join_otel(session, calls, &table.calls, &mut tel, &mut decided);
            let switches = self
                .mode_switches
                .get(session)
                .map_or(&[][..], Vec::as_slice);
            if !switches.is_empty() {
                switched.push((switches, calls.to_vec()));
            }
            for m in switches {
                mode_changes.push(ModeChange {
                    session_id: Arc::from(session),
                    at_ms: m.at_ms,
                    from: m.from.clone(),
                    to: m.to.clone(),
                    trigger: m.trigger.clone(),
                });
            }
        }
        for (switches, idx) in switched {
            modes_from_switches(switches, &idx, &mut table.calls);
        }
        for (i, d) in decided {
            let tally = match d.source {
                RecordSource::Otel => &mut tel,
                _ => &mut log,
            };
            tally.count(&d);
            offer(&mut table.calls[i], d);
        }
        for (source, tally) in [(RecordSource::PromptLog, log), (RecordSource::Otel, tel)] {
            if self.totals.contains_key(&source) {
                table.record_counts.entry(source).or_default().add(&tally);
            }
        }
        mode_changes.sort_by(|a, b| (a.at_ms, &a.session_id).cmp(&(b.at_ms, &b.session_id)));
        table.mode_changes.extend(mode_changes);
    }

    /// The prompt log's part of [`Records::attach`] for one session.
    fn join_log(
        &self,
        session: &str,
        calls: &[usize],
        all: &[ToolCall],
        tally: &mut RecordCounts,
        decided: &mut Vec<(usize, RecordedDecision)>,
    ) {
        let prompts = self
            .prompts_by_session
            .get(session)
            .map_or(&[][..], Vec::as_slice);
        let afters = self.afters_by_session.get(session).map_or(0, Vec::len) as u64;
        if prompts.is_empty()
            && afters == 0
            && self.markers.is_empty()
            && !self.first_logged.contains_key(session)
        {
            return;
        }
        let refs: Vec<&ToolCall> = calls.iter().map(|&i| &all[i]).collect();
        let probes: Vec<Probe<'_>> = prompts
            .iter()
            .map(|&p| Probe {
                at_ms: self.prompts[p].at_ms,
                tool: &self.prompts[p].tool,
                input: Some(&self.prompts[p].input),
            })
            .collect();
        let mut prompt_of: FxHashMap<usize, usize> = FxHashMap::default();
        for (p, joined) in prompts.iter().zip(match_in_order(&refs, &probes)) {
            match joined {
                Some(k) => {
                    prompt_of.insert(calls[k], *p);
                    tally.matched += 1;
                }
                None => tally.unmatched += 1,
            }
        }
        let mut after_matched = 0u64;
        for &i in calls {
            let c = &all[i];
            let after = self.after_by_call.get(&c.id).map(|&a| &self.afters[a]);
            after_matched += u64::from(after.is_some());
            let d = match prompt_of.get(&i) {
                Some(&p) => prompt_decision(&self.prompts[p], c, after),
                None => match after {
                    Some(a) => RecordedDecision {
                        source: RecordSource::PromptLog,
                        prompted: Some(false),
                        decision: Some(after_decision(a.kind).into()),
                        detail: Some(format!("{}, no PermissionRequest", after_event(a.kind))),
                    },
                    None if self.covers(session, c) => RecordedDecision {
                        source: RecordSource::PromptLog,
                        prompted: Some(false),
                        decision: None,
                        detail: Some("no PermissionRequest logged".into()),
                    },
                    None => continue,
                },
            };
            decided.push((i, d));
        }
        tally.matched += after_matched;
        tally.unmatched += afters.saturating_sub(after_matched);
    }

    /// True when the hook was installed while `c` was made: after the session's first log
    /// line, or under an install marker whose scope holds the call's folder (and no later
    /// uninstall of that scope), by a Claude Code build that has the hook event.
    fn covers(&self, session: &str, c: &ToolCall) -> bool {
        let Some(at) = c.asked_ms else { return false };
        if c.version
            .as_deref()
            .and_then(version)
            .is_some_and(|v| v < FIRST_HOOK_VERSION)
        {
            return false;
        }
        if self
            .first_logged
            .get(session)
            .is_some_and(|&first| first <= at)
        {
            return true;
        }
        let mut state: Vec<(Option<&str>, bool)> = Vec::new();
        for m in self.markers.iter().take_while(|m| m.at_ms <= at) {
            let root = m.root.as_deref();
            match state.iter_mut().find(|(r, _)| *r == root) {
                Some(s) => s.1 = m.installed,
                None => state.push((root, m.installed)),
            }
        }
        state.iter().any(|(root, installed)| {
            *installed
                && root.is_none_or(|r| {
                    c.project.as_deref().is_some_and(|p| {
                        p.strip_prefix(r)
                            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                    })
                })
        })
    }

    /// The OpenTelemetry part of [`Records::attach`] for one session: decisions joined by
    /// `tool_use_id`, and those without one by tool and time order.
    fn join_otel(
        &self,
        session: &str,
        calls: &[usize],
        all: &[ToolCall],
        tally: &mut RecordCounts,
        decided: &mut Vec<(usize, RecordedDecision)>,
    ) {
        if self.decisions.is_empty() {
            return;
        }
        let Some(mine) = self.decisions_by_session.get(session) else {
            // Decisions of this session filed under no session id are still found by id.
            for &i in calls {
                if let Some(&d) = self.decision_by_call.get(&all[i].id) {
                    tally.matched += 1;
                    decided.push((i, otel_decision(&self.decisions[d], &all[i])));
                }
            }
            return;
        };
        let mut joined: FxHashSet<usize> = FxHashSet::default();
        for &i in calls {
            if let Some(&d) = self.decision_by_call.get(&all[i].id) {
                joined.insert(d);
                decided.push((i, otel_decision(&self.decisions[d], &all[i])));
            }
        }
        let loose: Vec<usize> = mine
            .iter()
            .copied()
            .filter(|d| {
                let d = &self.decisions[*d];
                d.tool_use_id.is_none() && d.at_ms.is_some() && d.tool.is_some()
            })
            .collect();
        if !loose.is_empty() {
            let taken: FxHashSet<usize> = decided.iter().map(|(i, _)| *i).collect();
            let free: Vec<usize> = calls
                .iter()
                .copied()
                .filter(|i| !taken.contains(i))
                .collect();
            let refs: Vec<&ToolCall> = free.iter().map(|&i| &all[i]).collect();
            let probes: Vec<Probe<'_>> = loose
                .iter()
                .map(|&d| Probe {
                    at_ms: self.decisions[d].at_ms.unwrap_or_default(),
                    tool: self.decisions[d].tool.as_deref().unwrap_or_default(),
                    input: None,
                })
                .collect();
            for (&d, k) in loose.iter().zip(match_in_order(&refs, &probes)) {
                if let Some(k) = k {
                    joined.insert(d);
                    decided.push((free[k], otel_decision(&self.decisions[d], refs[k])));
                }
            }
        }
        tally.matched += joined.len() as u64;
        tally.unmatched += (mine.len() - joined.len().min(mine.len())) as u64;
    }
}

/// A Claude Code version (`a.b.c`, anything after a `-` ignored) as numbers, when it reads
/// as one.
pub fn version(v: &str) -> Option<[u32; 3]> {
    let mut parts = v.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    Some([parts.next()??, parts.next()??, parts.next()??])
}

/// The hook event a later record came from.
fn after_event(kind: AfterKind) -> &'static str {
    match kind {
        AfterKind::Ran => "PostToolUse",
        AfterKind::Failed => "PostToolUseFailure",
        AfterKind::Denied => "PermissionDenied",
    }
}

/// The decision a later record shows: the tool ran (`allow`) or the classifier denied it.
fn after_decision(kind: AfterKind) -> &'static str {
    match kind {
        AfterKind::Ran | AfterKind::Failed => "allow",
        AfterKind::Denied => "deny",
    }
}

/// What a `PermissionRequest` record joined to `c` shows. The hook also fires where no
/// dialog can follow: the call was then auto-denied (a background agent or a headless run
/// that cannot prompt, `dontAsk` mode) or answered by another hook, as its outcome shows;
/// in auto mode the classifier may answer while the dialog is up.
fn prompt_decision(p: &Prompt, c: &ToolCall, after: Option<&After>) -> RecordedDecision {
    let no_dialog = match c.outcome {
        Outcome::HeadlessUnanswered => Some("auto-denied: the call could not prompt"),
        Outcome::DontaskDenied => Some("auto-denied: dontAsk mode"),
        Outcome::HookDenied => Some("a hook answered"),
        _ if p.mode.as_deref() == Some("dontAsk") => Some("dontAsk mode"),
        _ => None,
    };
    let prompted = match no_dialog {
        Some(_) => Some(false),
        None if p.mode.as_deref() == Some("auto") => None,
        None => Some(true),
    };
    let mut detail = String::from("PermissionRequest");
    if let Some(a) = after {
        detail.push_str(", ");
        detail.push_str(after_event(a.kind));
    }
    match (no_dialog, prompted) {
        (Some(why), _) => detail.push_str(&format!("; no dialog: {why}")),
        (None, None) => detail.push_str("; auto mode: the classifier may have answered"),
        _ => {}
    }
    RecordedDecision {
        source: RecordSource::PromptLog,
        prompted,
        decision: after.map(|a| after_decision(a.kind).to_string()),
        detail: Some(detail),
    }
}

/// What a `tool_decision` event shows for `c` (made in the interactive CLI when its
/// entrypoint is `cli`).
fn otel_decision(d: &otel::Decision, c: &ToolCall) -> RecordedDecision {
    let interactive = c.entrypoint.as_deref().map(|e| e == "cli");
    RecordedDecision {
        source: RecordSource::Otel,
        prompted: otel::prompted(d.source.as_deref(), interactive),
        decision: d.decision.clone(),
        detail: d.source.clone(),
    }
}

/// Sets the mode of the calls at `idx` (one session's) from its OpenTelemetry mode
/// switches: a call made after a switch was made in the switch's new mode. The transcript
/// writes the mode only on a person's prompt line, so a switch during a turn (shift+tab
/// while the agent works) reaches the transcript late, and OpenTelemetry, which times every
/// switch, is the better record there. A call before the first switch keeps its own mode,
/// or takes the switch's old mode when the transcript has none.
fn modes_from_switches(switches: &[otel::ModeSwitch], idx: &[usize], calls: &mut [ToolCall]) {
    if switches.is_empty() {
        return;
    }
    let mut sorted: Vec<&otel::ModeSwitch> = switches.iter().collect();
    sorted.sort_by_key(|m| m.at_ms);
    for &i in idx {
        let c = &mut calls[i];
        let Some(at) = c.asked_ms else { continue };
        let k = sorted.partition_point(|m| m.at_ms <= at);
        match k.checked_sub(1) {
            Some(k) => c.mode = Some(sorted[k].to.clone()),
            None if c.mode.is_none() => c.mode = sorted[0].from.clone(),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::ToolInput;

    fn call(outcome: Outcome, asked: i64, project: &str, version: Option<&str>) -> ToolCall {
        ToolCall {
            id: "t1".into(),
            session_id: Arc::from("s"),
            project: Some(Arc::from(project)),
            file: Arc::from("f"),
            agent_id: None,
            tool: "Bash".into(),
            input: ToolInput::default(),
            message_id: None,
            asked_ms: Some(asked),
            answered_ms: Some(asked + 10),
            mode: None,
            version: version.map(Arc::from),
            entrypoint: Some(Arc::from("cli")),
            git_branch: None,
            developer: None,
            outcome,
            denial_kind: None,
            verified: true,
            reason: None,
            recorded: None,
        }
    }

    fn prompt(mode: &str) -> Prompt {
        Prompt {
            at_ms: 5,
            session_id: "s".into(),
            tool: "Bash".into(),
            input: ToolInput::default(),
            mode: Some(mode.into()),
        }
    }

    #[test]
    fn a_logged_request_is_a_prompt_unless_no_dialog_could_follow() {
        let ran = call(Outcome::Ran, 0, "/w", None);
        let after = After {
            at_ms: 9,
            session_id: "s".into(),
            tool_use_id: "t1".into(),
            kind: AfterKind::Ran,
        };
        let d = prompt_decision(&prompt("default"), &ran, Some(&after));
        assert_eq!(
            (d.prompted, d.decision.as_deref(), d.detail.as_deref()),
            (
                Some(true),
                Some("allow"),
                Some("PermissionRequest, PostToolUse")
            )
        );
        // A background agent's call that could not prompt: auto-denied after the hook ran.
        let denied = call(Outcome::HeadlessUnanswered, 0, "/w", None);
        let d = prompt_decision(&prompt("default"), &denied, None);
        assert_eq!(d.prompted, Some(false));
        assert_eq!(
            d.detail.as_deref(),
            Some("PermissionRequest; no dialog: auto-denied: the call could not prompt")
        );
        assert_eq!(
            prompt_decision(&prompt("dontAsk"), &ran, None).prompted,
            Some(false)
        );
        assert_eq!(prompt_decision(&prompt("auto"), &ran, None).prompted, None);
    }

    #[test]
    fn markers_cover_calls_of_their_scope_and_time() {
        let mut r = Records::default();
        let marker = |at_ms, installed, root: Option<&str>| Marker {
            at_ms,
            installed,
            root: root.map(str::to_string),
        };
        r.markers = vec![
            marker(100, true, Some("/w/app")),
            marker(200, false, Some("/w/app")),
            marker(300, true, None),
        ];
        let covers =
            |at, project, version| r.covers("s", &call(Outcome::Ran, at, project, version));
        assert!(!covers(50, "/w/app", None));
        assert!(covers(150, "/w/app", None));
        assert!(covers(150, "/w/app/sub", None));
        assert!(!covers(150, "/w/apple", None));
        assert!(!covers(250, "/w/app", None));
        assert!(covers(350, "/w/other", Some("2.1.42")));
        // Claude Code before 2.0.45 has no PermissionRequest hook.
        assert!(!covers(350, "/w/other", Some("2.0.44")));
        // The session's first log line covers what follows it.
        r.first_logged.insert("s".into(), 250);
        assert!(r.covers("s", &call(Outcome::Ran, 260, "/w/app", None)));
    }
}
