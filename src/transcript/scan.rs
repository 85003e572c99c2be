//! Reading transcript files into the tool-call table.
//!
//! Each file is read on its own (in parallel across files) into a [`FileScan`]: the
//! `tool_use` blocks, the `tool_result` blocks, the prompt lines that carry a permission
//! mode and the `hook_permission_decision` attachments (see `docs/sources.md`).
//! [`build_table`] then joins uses to results across all files, deduplicates by `tool_use`
//! id, classifies each call and gives it its hook attachment's decision.

use super::discover::Found;
use super::input;
use super::line::{Block, Line, Message, Raw, result_text};
use super::outcome::{self, CallFacts, REJECT_PREFIX, ResultFacts};
use super::reader::{CHUNK, ReadStats, for_each_line_in};
use super::records::{AttachRec, ModeChange, RecordCounts, attach_hook_decisions};
use super::stream_json::{self, Capture, StreamJson};
use crate::event::{Mode, RecordSource, RecordedDecision, ToolCall, ToolInput};
use memchr::memmem::Finder;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, LazyLock};

/// How much of an error result's text is kept: enough for every prefix, reason and feedback.
const RESULT_TEXT_MAX: usize = 2048;
/// Bad lines listed by file and number per file; the rest are only counted.
const BAD_LINES_LISTED: usize = 20;

thread_local! {
    /// One read buffer per thread, reused across the files it scans.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

static TOOL_USE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"tool_use"));
static PERMISSION: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"permission"));
static SESSION_ID: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"sessionId\""));

/// Why a line was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BadKind {
    /// Not a JSON object, or JSON that does not parse.
    Malformed,
    /// The last line of a file, cut off (Claude Code appends while it runs).
    Truncated,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
}

impl BadKind {
    /// Snake-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            BadKind::Malformed => "malformed",
            BadKind::Truncated => "truncated",
            BadKind::InvalidUtf8 => "invalid_utf8",
        }
    }
}

/// A skipped line, for the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BadLine {
    /// The file.
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: u64,
    /// What was wrong.
    pub kind: BadKind,
    /// The parser's message.
    pub detail: String,
}

/// A `tool_use` block as found in one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct UseRec {
    id: String,
    tool: String,
    input: ToolInput,
    message_id: Option<String>,
    asked_ms: Option<i64>,
    session_id: Arc<str>,
    project: Option<Arc<str>>,
    agent_id: Option<Arc<str>>,
    mode: Option<Mode>,
    version: Option<Arc<str>>,
    entrypoint: Option<Arc<str>>,
    git_branch: Option<Arc<str>>,
    file: Arc<str>,
}

/// A `tool_result` block as found in one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ResultRec {
    tool_use_id: String,
    answered_ms: Option<i64>,
    text: String,
    is_error: bool,
    esc_synthetic: bool,
    denial_kind: Option<String>,
}

/// A line that sets the permission mode: a user prompt or a `permission-mode` state line.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ModeMark {
    uuid: Option<String>,
    session_id: Arc<str>,
    /// State lines carry no time: they get the time of the line before them.
    at_ms: Option<i64>,
    mode: Mode,
    raw_mode: String,
    /// A user prompt (counted in `modes`), not a state line.
    prompt: bool,
}

/// Everything read from one file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FileScan {
    /// The file.
    pub path: Arc<str>,
    /// Lines and bytes read.
    pub stats: ReadStats,
    /// Lines skipped, by kind.
    pub bad_counts: BTreeMap<BadKind, u64>,
    /// The first skipped lines, with their numbers.
    pub bad: Vec<BadLine>,
    /// Set when the file could not be opened or read to its end.
    pub error: Option<String>,
    /// Lines that passed the cheap filter and were parsed.
    pub parsed_lines: u64,
    /// `permission-mode` state lines seen.
    pub mode_lines: u64,
    /// What a `--output-format stream-json` capture says about its run (None for a
    /// transcript).
    pub capture: Option<Capture>,
    /// Permission decisions recorded for calls, by `tool_use` id.
    pub(super) recorded: Vec<(String, RecordedDecision)>,
    sessions: Vec<Arc<str>>,
    uses: Vec<UseRec>,
    results: Vec<ResultRec>,
    marks: Vec<ModeMark>,
    attachments: Vec<AttachRec>,
}

/// Keeps one `Arc<str>` per distinct value, so repeated session ids and paths share memory.
#[derive(Default)]
struct Interner(FxHashMap<Box<str>, Arc<str>>);

impl Interner {
    fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.0.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.0.insert(Box::from(s), a.clone());
        a
    }
}

/// The state carried from line to line within one file.
#[derive(Default)]
pub(super) struct FileState {
    strings: Interner,
    session: Option<Arc<str>>,
    cwd: Option<Arc<str>>,
    version: Option<Arc<str>>,
    entrypoint: Option<Arc<str>>,
    git_branch: Option<Arc<str>>,
    /// The permission mode the next calls are made in.
    pub(super) mode: Option<Mode>,
    last_ms: Option<i64>,
}

/// Milliseconds since the Unix epoch of an RFC 3339 time.
pub fn parse_ms(ts: &str) -> Option<i64> {
    utc_ms(ts.as_bytes()).or_else(|| {
        chrono::DateTime::parse_from_rfc3339(ts)
            .ok()
            .map(|t| t.timestamp_millis())
    })
}

/// The form Claude Code writes every time in (`2026-01-07T09:29:46.142Z`), read without a
/// general parser: a tenth of the cost, on a line in two. None for anything else (other
/// forms go to chrono).
fn utc_ms(t: &[u8]) -> Option<i64> {
    let t: &[u8; 24] = t.try_into().ok()?;
    let digits = |r: std::ops::Range<usize>| {
        t[r].iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    if t[4] != b'-'
        || t[7] != b'-'
        || t[10] != b'T'
        || t[13] != b':'
        || t[16] != b':'
        || t[19] != b'.'
        || t[23] != b'Z'
    {
        return None;
    }
    let (y, mo, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (h, mi, s, ms) = (
        digits(11..13)?,
        digits(14..16)?,
        digits(17..19)?,
        digits(20..23)?,
    );
    let days_in_month = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > days_in_month || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    // Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * ((mo + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some(((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms)
}

/// Reads one file. Never fails: problems are recorded in the result.
pub fn scan_file(path: &Path) -> FileScan {
    let mut scan = FileScan {
        path: Arc::from(path.to_string_lossy().as_ref()),
        ..FileScan::default()
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            scan.error = Some(e.to_string());
            return scan;
        }
    };
    let mut st = FileState::default();
    // A stream-json capture is told by its first line and read by its own reader.
    let mut capture: Option<StreamJson> = None;
    let res = BUFFER.with_borrow_mut(|buf| {
        let r = for_each_line_in(buf, file, |l| {
            if l.number == 1 && stream_json::is_capture_start(l.bytes) {
                capture = Some(StreamJson::default());
            }
            match &mut capture {
                Some(c) => c.line(&mut scan, &mut st, l.number, l.bytes, l.unterminated),
                None => scan_line(&mut scan, &mut st, l.number, l.bytes, l.unterminated),
            }
        });
        // A file with a giant line leaves a giant buffer: give it back.
        if buf.len() > 4 * CHUNK {
            *buf = Vec::new();
        }
        r
    });
    match res {
        Ok(stats) => scan.stats = stats,
        Err(e) => scan.error = Some(format!("read error: {e}")),
    }
    if let Some(c) = capture {
        scan.capture = Some(c.finish(&scan.path));
    }
    scan
}

/// Counts a skipped line (and lists it, up to [`BAD_LINES_LISTED`] per file).
pub(super) fn bad(scan: &mut FileScan, line: u64, kind: BadKind, detail: impl Into<String>) {
    *scan.bad_counts.entry(kind).or_default() += 1;
    if scan.bad.len() < BAD_LINES_LISTED {
        scan.bad.push(BadLine {
            file: scan.path.clone(),
            line,
            kind,
            detail: detail.into(),
        });
    }
}

fn scan_line(
    scan: &mut FileScan,
    st: &mut FileState,
    number: u64,
    bytes: &[u8],
    unterminated: bool,
) {
    let trimmed = bytes.trim_ascii();
    if trimmed.is_empty() {
        return;
    }
    // Cheap shape check on every line, so that a cut-off line is noticed even when it is
    // one the filter below would skip.
    if trimmed[0] != b'{' || trimmed[trimmed.len() - 1] != b'}' {
        let kind = if unterminated {
            BadKind::Truncated
        } else {
            BadKind::Malformed
        };
        bad(scan, number, kind, "not a JSON object");
        return;
    }
    let relevant = TOOL_USE.find(trimmed).is_some()
        || names_permission(trimmed)
        || (st.session.is_none() && SESSION_ID.find(trimmed).is_some());
    if !relevant {
        return;
    }
    // simdutf8 checks the common (valid) case several times faster; std explains a failure.
    let text = match simdutf8::basic::from_utf8(trimmed).or_else(|_| std::str::from_utf8(trimmed)) {
        Ok(t) => t,
        Err(e) => {
            bad(scan, number, BadKind::InvalidUtf8, e.to_string());
            return;
        }
    };
    let line: Line<'_> = match super::lazy::parse_line(text) {
        Ok(l) => l,
        Err(e) => {
            let kind = if unterminated && e.eof {
                BadKind::Truncated
            } else {
                BadKind::Malformed
            };
            bad(scan, number, kind, e.to_string());
            return;
        }
    };
    scan.parsed_lines += 1;
    take_line(scan, st, line);
}

/// True when the line holds `permissionMode` or `hook_permission_decision`: one search
/// for their common part finds both.
fn names_permission(line: &[u8]) -> bool {
    const WORD: usize = b"permission".len();
    let mut at = 0;
    while let Some(i) = PERMISSION.find(&line[at..]) {
        let (before, after) = (&line[..at + i], &line[at + i + WORD..]);
        if after.starts_with(b"Mode")
            || (before.ends_with(b"hook_") && after.starts_with(b"_decision"))
        {
            return true;
        }
        at += i + WORD;
    }
    false
}

/// Takes what one parsed line holds: the session, folder, version, entrypoint, time, mode,
/// and the tool calls and results of its message.
pub(super) fn take_line(scan: &mut FileScan, st: &mut FileState, line: Line<'_>) {
    if let Some(s) = line.session_id.as_deref()
        && st.session.as_deref() != Some(s)
    {
        let a = st.strings.get(s);
        if !scan.sessions.contains(&a) {
            scan.sessions.push(a.clone());
        }
        st.session = Some(a);
    }
    if let Some(c) = line.cwd.as_deref() {
        st.cwd = Some(st.strings.get(c));
    }
    if let Some(v) = line.version.as_deref() {
        st.version = Some(st.strings.get(v));
    }
    if let Some(e) = line.entrypoint.as_deref() {
        st.entrypoint = Some(st.strings.get(e));
    }
    if let Some(b) = line.git_branch.as_deref() {
        st.git_branch = Some(st.strings.get(b));
    }
    let at_ms = line.timestamp.as_deref().and_then(parse_ms);
    if at_ms.is_some() {
        st.last_ms = at_ms;
    }
    if let Some(a) = &line.attachment
        && a.kind.as_deref() == Some("hook_permission_decision")
        && let Some(id) = a.tool_use_id.as_deref()
    {
        scan.attachments.push(AttachRec {
            tool_use_id: id.to_string(),
            decision: a.decision.as_deref().map(str::to_string),
            hook_event: a.hook_event.as_deref().map(str::to_string),
        });
    }
    let kind = line.kind.as_deref().unwrap_or("");
    match kind {
        "permission-mode" => {
            if let Some(m) = line.permission_mode.as_deref() {
                mark_mode(scan, st, &line, m, false);
                scan.mode_lines += 1;
            }
        }
        "user" => {
            if let (Some(m), Some(msg)) = (line.permission_mode.as_deref(), &line.message) {
                mark_mode(scan, st, &line, m, true);
                if msg.is_text_prompt() {
                    return;
                }
            }
            if let Some(msg) = &line.message {
                take_results(
                    scan,
                    msg,
                    at_ms,
                    line.tool_use_result,
                    line.tool_denial_kind.as_deref(),
                );
            }
        }
        "assistant" => {
            if let Some(msg) = &line.message {
                let agent = line.agent_id.as_deref();
                take_uses(scan, st, msg, at_ms, agent);
            }
        }
        "progress" => {
            let Some(data) = &line.data else { return };
            if data.kind.as_deref() != Some("agent_progress") {
                return;
            }
            let agent = data.agent_id.as_deref();
            if agent.is_some_and(|a| a.starts_with("acompact")) {
                return;
            }
            let Some(nested) = &data.message else { return };
            let Some(msg) = &nested.message else { return };
            let nested_ms = nested.timestamp.as_deref().and_then(parse_ms).or(at_ms);
            match nested.kind.as_deref() {
                Some("assistant") => take_uses(scan, st, msg, nested_ms, agent),
                Some("user") => take_results(
                    scan,
                    msg,
                    nested_ms,
                    nested.tool_use_result,
                    nested.tool_denial_kind.as_deref(),
                ),
                _ => {}
            }
        }
        _ => {}
    }
}

fn mark_mode(scan: &mut FileScan, st: &mut FileState, line: &Line<'_>, mode: &str, prompt: bool) {
    st.mode = Some(Mode::parse(mode));
    if let Some(session) = st.session.clone() {
        scan.marks.push(ModeMark {
            uuid: line.uuid.as_deref().map(str::to_string),
            session_id: session,
            at_ms: st.last_ms,
            mode: Mode::parse(mode),
            raw_mode: mode.to_string(),
            prompt,
        });
    }
}

fn take_uses(
    scan: &mut FileScan,
    st: &mut FileState,
    msg: &Message<'_>,
    at_ms: Option<i64>,
    agent: Option<&str>,
) {
    for b in msg.blocks() {
        if b.kind.as_deref() != Some("tool_use") {
            continue;
        }
        let (Some(id), Some(name)) = (b.id.as_deref(), b.name.as_deref()) else {
            continue;
        };
        let session = st
            .session
            .clone()
            .unwrap_or_else(|| st.strings.get("unknown"));
        let agent_id = agent.map(|a| st.strings.get(a));
        scan.uses.push(UseRec {
            id: id.to_string(),
            tool: name.to_string(),
            input: input::extract(b.input),
            message_id: msg.id.as_deref().map(str::to_string),
            asked_ms: at_ms,
            session_id: session,
            project: st.cwd.clone(),
            agent_id,
            mode: st.mode.clone(),
            version: st.version.clone(),
            entrypoint: st.entrypoint.clone(),
            git_branch: st.git_branch.clone(),
            file: scan.path.clone(),
        });
    }
}

fn take_results(
    scan: &mut FileScan,
    msg: &Message<'_>,
    at_ms: Option<i64>,
    tool_use_result: Option<Raw<'_>>,
    denial_kind: Option<&str>,
) {
    let tur = tool_use_result.map(|r| r.get());
    let esc_synthetic = tur == Some("\"User rejected tool use\"");
    // A string `toolUseResult` is written for errors and denials only.
    let tur_is_error = tur.is_some_and(|t| t.starts_with('"'));
    for b in msg.blocks() {
        let Block {
            kind,
            tool_use_id,
            content,
            is_error,
            ..
        } = b;
        if kind.as_deref() != Some("tool_result") {
            continue;
        }
        let Some(id) = tool_use_id else { continue };
        let is_error = is_error.unwrap_or(false) || tur_is_error;
        // Only error results can carry a permission text; the output of a call that ran
        // is never read, so it is not copied.
        let text = if is_error || denial_kind.is_some() {
            result_text(*content, RESULT_TEXT_MAX)
        } else {
            String::new()
        };
        scan.results.push(ResultRec {
            tool_use_id: id.to_string(),
            answered_ms: at_ms,
            text,
            is_error,
            esc_synthetic,
            denial_kind: denial_kind.map(str::to_string),
        });
    }
}

/// Per-file figures kept for the summary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileSummary {
    /// The file.
    pub path: Arc<str>,
    /// Lines read.
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Lines skipped, by kind.
    pub bad_lines: BTreeMap<BadKind, u64>,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
}

/// The joined result of a scan.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Table {
    /// One row per distinct tool call, ordered by time asked (then id).
    pub calls: Vec<ToolCall>,
    /// Every file read, in path order.
    pub files: Vec<FileSummary>,
    /// The first skipped lines of each file.
    pub bad_lines: Vec<BadLine>,
    /// Distinct session ids.
    pub sessions: Vec<Arc<str>>,
    /// Prompt lines carrying each permission mode (deduplicated by line uuid).
    pub prompt_modes: BTreeMap<String, u64>,
    /// `permission-mode` state lines.
    pub mode_lines: u64,
    /// Lines parsed (the rest were skipped before parsing).
    pub parsed_lines: u64,
    /// What each stream-json capture says about its run, in file order.
    pub captures: Vec<Capture>,
    /// What each source of recorded decisions covered (`crate::sources` adds the sources
    /// outside the transcripts after the join).
    pub record_counts: BTreeMap<RecordSource, RecordCounts>,
    /// Permission-mode switches recorded outside the transcripts for these sessions, in
    /// time order (filled by `crate::sources`; not cached).
    pub mode_changes: Vec<ModeChange>,
}

/// Reads every file in parallel and builds the table.
pub fn scan_files(files: &[Found]) -> Table {
    let scans: Vec<FileScan> = files.par_iter().map(|f| scan_file(&f.path)).collect();
    build_table(scans)
}

/// What a file could share with another file's calls: hashes of its tool_use ids,
/// tool_result ids, session ids and prompt line uuids (each tagged with its kind), sorted
/// and without repeats. Files whose keys never meet join to the same calls apart as
/// together.
fn join_keys(scan: &FileScan) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let key = |kind: u8, s: &str| {
        let mut h = rustc_hash::FxHasher::default();
        kind.hash(&mut h);
        s.hash(&mut h);
        h.finish()
    };
    let mut keys: Vec<u64> = scan
        .uses
        .iter()
        .map(|u| key(0, &u.id))
        .chain(scan.results.iter().map(|r| key(0, &r.tool_use_id)))
        .chain(scan.attachments.iter().map(|a| key(0, &a.tool_use_id)))
        .chain(scan.sessions.iter().map(|s| key(1, s)))
        .chain(
            scan.marks
                .iter()
                .filter_map(|m| m.uuid.as_deref())
                .map(|u| key(2, u)),
        )
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Splits scans into sets of files that share no join key (a session's main file, its
/// subagent files and the files it was resumed from end up together), so that each set
/// can be joined and analysed on its own. Returns the sets (file indices, in order of
/// their first file) and the join keys of all the files, sorted, without repeats.
pub fn components(scans: &[FileScan]) -> (Vec<Vec<usize>>, Vec<u64>) {
    let mut sets = crate::partition::Partition::new(scans.len());
    let mut owner: FxHashMap<u64, usize> = FxHashMap::default();
    for (i, scan) in scans.iter().enumerate() {
        for k in join_keys(scan) {
            match owner.get(&k) {
                Some(&j) => sets.join(i, j),
                None => {
                    owner.insert(k, i);
                }
            }
        }
    }
    let mut keys: Vec<u64> = owner.into_keys().collect();
    keys.sort_unstable();
    (sets.sets(), keys)
}

/// Joins per-file scans (given in a stable order) into one table.
///
/// Records are first moved into flat vectors; duplicates (a call re-logged, or seen both
/// in a subagent file and a progress copy) are found through maps that borrow the ids, so
/// nothing is cloned on the way to the table.
pub fn build_table(scans: Vec<FileScan>) -> Table {
    let mut table = Table::default();
    let mut seen_sessions: FxHashSet<Arc<str>> = FxHashSet::default();
    let mut seen_prompts: FxHashSet<String> = FxHashSet::default();
    let mut uses: Vec<UseRec> = Vec::with_capacity(scans.iter().map(|s| s.uses.len()).sum());
    let mut results: Vec<ResultRec> =
        Vec::with_capacity(scans.iter().map(|s| s.results.len()).sum());
    let mut attachments: Vec<AttachRec> = Vec::new();
    // Mode timeline per session, from prompt and state lines, for subagent calls that
    // carry no mode of their own.
    let mut timelines: FxHashMap<Arc<str>, Vec<(i64, Mode)>> = FxHashMap::default();
    let mut recorded: FxHashMap<String, RecordedDecision> = FxHashMap::default();

    for scan in scans {
        table.files.push(FileSummary {
            path: scan.path,
            lines: scan.stats.lines,
            bytes: scan.stats.bytes,
            bad_lines: scan.bad_counts,
            error: scan.error,
        });
        table.bad_lines.extend(scan.bad);
        table.mode_lines += scan.mode_lines;
        table.parsed_lines += scan.parsed_lines;
        table.captures.extend(scan.capture);
        for (id, r) in scan.recorded {
            recorded.entry(id).or_insert(r);
        }
        for s in scan.sessions {
            if seen_sessions.insert(s.clone()) {
                table.sessions.push(s);
            }
        }
        for mut p in scan.marks {
            // The same prompt line can be logged again (resume); count it once.
            if let Some(u) = p.uuid.take()
                && !seen_prompts.insert(u)
            {
                continue;
            }
            if p.prompt {
                *table.prompt_modes.entry(p.raw_mode).or_default() += 1;
            }
            if let Some(t) = p.at_ms {
                timelines.entry(p.session_id).or_default().push((t, p.mode));
            }
        }
        uses.extend(scan.uses);
        results.extend(scan.results);
        attachments.extend(scan.attachments);
    }
    for t in timelines.values_mut() {
        t.sort_by_key(|(ms, _)| *ms);
    }

    // The first copy of each call and of each result, and each call's result.
    let (use_first, result_first, result_of) = {
        let mut by_id: FxHashMap<&str, u32> = FxHashMap::default();
        by_id.reserve(uses.len());
        let use_first: Vec<u32> = uses
            .iter()
            .enumerate()
            .map(|(i, u)| *by_id.entry(u.id.as_str()).or_insert(i as u32))
            .collect();
        let mut res_by_id: FxHashMap<&str, u32> = FxHashMap::default();
        res_by_id.reserve(results.len());
        let result_first: Vec<u32> = results
            .iter()
            .enumerate()
            .map(|(i, r)| *res_by_id.entry(r.tool_use_id.as_str()).or_insert(i as u32))
            .collect();
        let result_of: Vec<Option<u32>> = uses
            .iter()
            .map(|u| res_by_id.get(u.id.as_str()).copied())
            .collect();
        (use_first, result_first, result_of)
    };
    for (i, &f) in use_first.iter().enumerate() {
        if f as usize != i {
            let (head, tail) = uses.split_at_mut(i);
            fill_use(&mut head[f as usize], &tail[0]);
        }
    }
    for (i, &f) in result_first.iter().enumerate() {
        if f as usize != i {
            let (head, tail) = results.split_at_mut(i);
            fill_result(&mut head[f as usize], &tail[0]);
        }
    }

    // Esc while several tools run gives each the same synthetic; count them per message.
    let esc_siblings: Vec<usize> = {
        let is_esc = |i: usize| {
            result_of[i].is_some_and(|r| {
                let r = &results[r as usize];
                r.esc_synthetic && r.text.trim_start().starts_with(REJECT_PREFIX)
            })
        };
        let mut per_message: FxHashMap<&str, usize> = FxHashMap::default();
        for (i, u) in uses.iter().enumerate() {
            if use_first[i] as usize == i
                && let Some(mid) = u.message_id.as_deref()
                && is_esc(i)
            {
                *per_message.entry(mid).or_default() += 1;
            }
        }
        uses.iter()
            .map(|u| {
                u.message_id
                    .as_deref()
                    .and_then(|m| per_message.get(m))
                    .copied()
                    .unwrap_or(0)
            })
            .collect()
    };

    let mut calls = Vec::with_capacity(uses.len());
    for (i, u) in uses.into_iter().enumerate() {
        if use_first[i] as usize != i {
            continue;
        }
        let r = result_of[i].map(|r| &results[r as usize]);
        let mode = u.mode.or_else(|| {
            let t = u.asked_ms?;
            let line = timelines.get(&u.session_id)?;
            let i = line.partition_point(|(ms, _)| *ms <= t);
            (i > 0).then(|| line[i - 1].1.clone())
        });
        let facts = CallFacts {
            tool: &u.tool,
            mode: mode.as_ref(),
            esc_siblings: esc_siblings[i],
        };
        let c = outcome::classify(
            facts,
            r.map(|r| ResultFacts {
                text: &r.text,
                is_error: r.is_error,
                esc_synthetic: r.esc_synthetic,
                denial_kind: r.denial_kind.as_deref(),
            }),
        );
        // Only stream-json captures (and other records) fill the map; transcripts skip the lookup.
        let recorded_for = if recorded.is_empty() {
            None
        } else {
            recorded.remove(&u.id)
        };
        calls.push(ToolCall {
            id: u.id,
            session_id: u.session_id,
            project: u.project,
            file: u.file,
            agent_id: u.agent_id,
            tool: u.tool,
            input: u.input,
            message_id: u.message_id,
            asked_ms: u.asked_ms,
            answered_ms: r.and_then(|r| r.answered_ms),
            mode,
            version: u.version,
            entrypoint: u.entrypoint,
            git_branch: u.git_branch,
            developer: None,
            outcome: c.outcome,
            denial_kind: r.and_then(|r| r.denial_kind.clone()),
            verified: c.verified,
            reason: c.reason,
            recorded: recorded_for,
        });
    }
    calls.sort_unstable_by(|a, b| {
        (a.asked_ms.unwrap_or(i64::MAX), &a.id).cmp(&(b.asked_ms.unwrap_or(i64::MAX), &b.id))
    });
    attach_hook_decisions(&mut calls, &attachments, &mut table.record_counts);
    table.calls = calls;
    table
}

/// A second copy of a call (re-logged, or a subagent call seen in both its file and a
/// progress copy): keep the first, fill what it lacks.
fn fill_use(first: &mut UseRec, other: &UseRec) {
    if first.asked_ms.is_none() {
        first.asked_ms = other.asked_ms;
    }
    if first.mode.is_none() {
        first.mode.clone_from(&other.mode);
    }
    if first.agent_id.is_none() {
        first.agent_id.clone_from(&other.agent_id);
    }
    if first.project.is_none() {
        first.project.clone_from(&other.project);
    }
    if first.version.is_none() {
        first.version.clone_from(&other.version);
    }
    if first.entrypoint.is_none() {
        first.entrypoint.clone_from(&other.entrypoint);
    }
    if first.git_branch.is_none() {
        first.git_branch.clone_from(&other.git_branch);
    }
}

/// Agent files omit `toolUseResult`; a progress copy may carry it. Keep the first result,
/// fill the flags it lacks.
fn fill_result(first: &mut ResultRec, other: &ResultRec) {
    first.esc_synthetic |= other.esc_synthetic;
    first.is_error |= other.is_error;
    if first.denial_kind.is_none() {
        first.denial_kind.clone_from(&other.denial_kind);
    }
    if first.answered_ms.is_none() {
        first.answered_ms = other.answered_ms;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str, lines: &[&str]) -> FileScan {
        let path = dir.join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        scan_file(&path)
    }

    #[test]
    fn the_quick_time_reader_agrees_with_chrono() {
        let chrono_ms = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|t| t.timestamp_millis())
        };
        for t in [
            "2026-01-07T09:29:46.142Z",
            "1970-01-01T00:00:00.000Z",
            "2024-02-29T23:59:59.999Z",
            "2000-03-01T12:00:00.001Z",
            "1969-12-31T23:59:59.500Z",
            "2100-12-31T00:00:00.000Z",
        ] {
            assert_eq!(utc_ms(t.as_bytes()), chrono_ms(t), "{t}");
            assert!(utc_ms(t.as_bytes()).is_some(), "{t}");
        }
        // Not the usual form, or not a time: left to chrono, which may still read it.
        for t in [
            "2025-02-29T00:00:00.000Z",
            "2026-13-01T00:00:00.000Z",
            "2026-01-07T24:00:00.000Z",
            "2026-01-07T09:29:46Z",
            "2026-01-07T09:29:46.142+01:00",
            "2026-01-07 09:29:46.142Z",
            "2026-01-07T09:29:46.1a2Z",
        ] {
            assert_eq!(utc_ms(t.as_bytes()), None, "{t}");
            assert_eq!(parse_ms(t), chrono_ms(t), "{t}");
        }
    }

    #[test]
    fn files_that_share_a_session_or_a_call_form_one_set() {
        let dir = tempfile::tempdir().unwrap();
        let use_line = |session: &str, id: &str| {
            format!(
                r#"{{"type":"assistant","sessionId":"{session}","timestamp":"2026-01-01T00:00:00Z","message":{{"content":[{{"type":"tool_use","id":"{id}","name":"Bash","input":{{"command":"ls"}}}}]}}}}"#
            )
        };
        let result_line = |session: &str, id: &str| {
            format!(
                r#"{{"type":"user","sessionId":"{session}","message":{{"content":[{{"type":"tool_result","tool_use_id":"{id}","content":"ok"}}]}}}}"#
            )
        };
        let scans = vec![
            file(dir.path(), "a.jsonl", &[&use_line("s1", "t1")]),
            file(dir.path(), "b.jsonl", &[&use_line("s2", "t2")]),
            // The result of t1, written under another session id: linked through the call.
            file(dir.path(), "c.jsonl", &[&result_line("s3", "t1")]),
            // Same session as b.
            file(dir.path(), "d.jsonl", &[&use_line("s2", "t4")]),
            file(dir.path(), "e.jsonl", &[&use_line("s5", "t5")]),
        ];
        let (sets, keys) = components(&scans);
        assert_eq!(sets, vec![vec![0, 2], vec![1, 3], vec![4]]);
        // Keys: t1, t2, t4, t5 and sessions s1, s2, s3, s5, each once.
        assert_eq!(keys.len(), 8);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }
}
