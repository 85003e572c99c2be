//! What a set of transcripts holds ([`ScanSummary`], the figures of `permstat scan`):
//! files, lines, skipped lines by reason, and tool calls by tool, outcome, mode, version
//! and entrypoint. Summaries of tables that share no call or session add up.

use super::Table;
use super::discover::Discovery;
use super::records::RecordCounts;
use super::scan::BadKind;
use crate::event::{Outcome, RecordSource};
use crate::text::time::iso;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Lines skipped and files left out, by reason.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Skipped {
    /// Lines that are not a JSON object or do not parse.
    pub malformed: u64,
    /// Cut-off last lines.
    pub truncated: u64,
    /// Lines that are not UTF-8.
    pub invalid_utf8: u64,
    /// Files that could not be opened or read to the end.
    pub unreadable_files: u64,
    /// Compaction-agent transcripts, which are not a person's tool activity.
    pub compaction_files: u64,
}

/// Decisions recorded at the time, over all calls (`docs/sources.md`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct RecordedSummary {
    /// Calls that hold a recorded decision (each counted once, under the source whose
    /// decision it keeps).
    pub calls: u64,
    /// Of those, decisions showing a person was asked.
    pub prompted: u64,
    /// Decisions showing nobody was asked.
    pub not_prompted: u64,
    /// Decisions that do not say.
    pub unknown: u64,
    /// Per source (`prompt_log`, `otel`, `hook_attachment`, `stream_json`), for sources
    /// that were read: records, those joined to a call, those of a session read that joined
    /// none (`unmatched`), those of sessions not read (`other_sessions`), and the calls each
    /// covers (a call covered by two sources counts under both).
    pub by_source: BTreeMap<String, RecordCounts>,
}

/// What a set of transcripts holds: the `scan --format json` document. Field names are
/// stable; new fields may be added.
#[derive(Debug, Serialize, Deserialize)]
pub struct ScanSummary {
    /// Transcript files read.
    pub files: u64,
    /// Distinct session ids.
    pub sessions: u64,
    /// Lines read.
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Files whose results were reused from the incremental cache (unchanged since).
    pub cached_files: u64,
    /// Lines skipped (malformed + truncated + invalid UTF-8).
    pub bad_lines: u64,
    /// Skipped lines and files, by reason.
    pub skipped: Skipped,
    /// Distinct tool calls.
    pub tool_calls: u64,
    /// Tool calls made inside subagents.
    pub subagent_calls: u64,
    /// Denials whose only evidence is a text an MCP server could have written.
    pub unverified_denials: u64,
    /// Every tool call, by tool name.
    pub by_tool: BTreeMap<String, u64>,
    /// Every tool call, by outcome (all outcomes listed, zeros included).
    pub outcomes: BTreeMap<String, u64>,
    /// User prompt lines, by the permission mode they carry.
    pub modes: BTreeMap<String, u64>,
    /// `permission-mode` state lines (newer Claude Code builds).
    pub mode_lines: u64,
    /// Tool calls, by the permission mode in force (`unknown` before any is recorded).
    pub calls_by_mode: BTreeMap<String, u64>,
    /// Tool calls, by Claude Code version.
    pub versions: BTreeMap<String, u64>,
    /// Tool calls, by entrypoint (`cli`, `sdk-cli`, ...).
    pub entrypoints: BTreeMap<String, u64>,
    /// Tool calls, by developer (team mode; empty otherwise).
    pub by_developer: BTreeMap<String, u64>,
    /// Earliest tool call (RFC 3339, UTC).
    pub first: Option<String>,
    /// Latest tool call.
    pub last: Option<String>,
    /// Decisions recorded at the time (prompt log, OpenTelemetry, hook attachments, ...).
    pub recorded: RecordedSummary,
    #[serde(skip)]
    first_ms: Option<i64>,
    #[serde(skip)]
    last_ms: Option<i64>,
}

impl ScanSummary {
    /// The figures of one table (a whole history, or one set of sessions of it); parts
    /// add up with [`ScanSummary::absorb`] because they share no call, session or prompt.
    pub fn of_table(t: &Table) -> ScanSummary {
        let mut skipped = Skipped::default();
        for f in &t.files {
            if f.error.is_some() {
                skipped.unreadable_files += 1;
            }
            for (k, n) in &f.bad_lines {
                match k {
                    BadKind::Malformed => skipped.malformed += n,
                    BadKind::Truncated => skipped.truncated += n,
                    BadKind::InvalidUtf8 => skipped.invalid_utf8 += n,
                }
            }
        }
        let mut outcomes: BTreeMap<String, u64> = Outcome::ALL
            .iter()
            .map(|o| (o.as_str().to_string(), 0))
            .collect();
        let mut by_tool = BTreeMap::new();
        let mut calls_by_mode = BTreeMap::new();
        let mut versions = BTreeMap::new();
        let mut entrypoints = BTreeMap::new();
        let mut by_developer = BTreeMap::new();
        let (mut first, mut last) = (None::<i64>, None::<i64>);
        for c in &t.calls {
            if let Some(d) = c.developer.as_deref() {
                count(&mut by_developer, d);
            }
            count(&mut outcomes, c.outcome.as_str());
            count(&mut by_tool, &c.tool);
            count(
                &mut calls_by_mode,
                c.mode.as_ref().map_or("unknown", |m| m.as_str()),
            );
            count(&mut versions, c.version.as_deref().unwrap_or("unknown"));
            count(
                &mut entrypoints,
                c.entrypoint.as_deref().unwrap_or("unknown"),
            );
            if let Some(ms) = c.asked_ms {
                first = Some(first.map_or(ms, |f| f.min(ms)));
                last = Some(last.map_or(ms, |l| l.max(ms)));
            }
        }
        let mut recorded = RecordedSummary::default();
        for d in t.calls.iter().filter_map(|c| c.recorded.as_ref()) {
            recorded.calls += 1;
            match d.prompted {
                Some(true) => recorded.prompted += 1,
                Some(false) => recorded.not_prompted += 1,
                None => recorded.unknown += 1,
            }
        }
        for (source, n) in &t.record_counts {
            recorded
                .by_source
                .entry(source.as_str().to_string())
                .or_default()
                .add(n);
        }
        ScanSummary {
            files: t.files.len() as u64,
            sessions: t.sessions.len() as u64,
            lines: t.files.iter().map(|f| f.lines).sum(),
            bytes: t.files.iter().map(|f| f.bytes).sum(),
            cached_files: 0,
            bad_lines: skipped.malformed + skipped.truncated + skipped.invalid_utf8,
            skipped,
            tool_calls: t.calls.len() as u64,
            subagent_calls: t.calls.iter().filter(|c| c.is_subagent()).count() as u64,
            unverified_denials: t.calls.iter().filter(|c| !c.verified).count() as u64,
            by_tool,
            outcomes,
            modes: t.prompt_modes.clone(),
            mode_lines: t.mode_lines,
            calls_by_mode,
            versions,
            entrypoints,
            by_developer,
            first: None,
            last: None,
            recorded,
            first_ms: first,
            last_ms: last,
        }
    }

    /// Adds the figures of another part.
    pub fn absorb(&mut self, o: ScanSummary) {
        fn add<K: Ord>(a: &mut BTreeMap<K, u64>, b: BTreeMap<K, u64>) {
            for (k, n) in b {
                *a.entry(k).or_default() += n;
            }
        }
        self.files += o.files;
        self.sessions += o.sessions;
        self.lines += o.lines;
        self.bytes += o.bytes;
        self.bad_lines += o.bad_lines;
        self.skipped.malformed += o.skipped.malformed;
        self.skipped.truncated += o.skipped.truncated;
        self.skipped.invalid_utf8 += o.skipped.invalid_utf8;
        self.skipped.unreadable_files += o.skipped.unreadable_files;
        self.tool_calls += o.tool_calls;
        self.subagent_calls += o.subagent_calls;
        self.unverified_denials += o.unverified_denials;
        add(&mut self.by_tool, o.by_tool);
        add(&mut self.outcomes, o.outcomes);
        add(&mut self.modes, o.modes);
        self.mode_lines += o.mode_lines;
        add(&mut self.calls_by_mode, o.calls_by_mode);
        add(&mut self.versions, o.versions);
        add(&mut self.entrypoints, o.entrypoints);
        add(&mut self.by_developer, o.by_developer);
        self.first_ms = match (self.first_ms, o.first_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last_ms = self.last_ms.max(o.last_ms);
        self.recorded.calls += o.recorded.calls;
        self.recorded.prompted += o.recorded.prompted;
        self.recorded.not_prompted += o.recorded.not_prompted;
        self.recorded.unknown += o.recorded.unknown;
        for (k, v) in o.recorded.by_source {
            self.recorded.by_source.entry(k).or_default().add(&v);
        }
    }

    /// Sets the records read from each source outside the transcripts (counted once per
    /// run, not per table) and, from them, the records of sessions that were not read.
    pub fn set_record_totals(&mut self, totals: &BTreeMap<RecordSource, u64>) {
        for (source, &n) in totals {
            let e = self
                .recorded
                .by_source
                .entry(source.as_str().to_string())
                .or_default();
            e.records = n;
            e.other_sessions = n.saturating_sub(e.matched + e.unmatched);
        }
    }

    /// Fills in what only the whole run knows: files skipped by discovery, cache hits, and
    /// the times as text.
    pub fn finish(&mut self, discovery: &Discovery, cached_files: usize) {
        self.skipped.compaction_files = discovery.compaction_files as u64;
        self.cached_files = cached_files as u64;
        self.first = self.first_ms.map(iso);
        self.last = self.last_ms.map(iso);
    }
}

fn count(map: &mut BTreeMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}
