//! The loading step the commands share: finding transcripts, reading them one project
//! folder at a time (with the incremental cache), and joining them into tables.

use crate::event::RecordSource;
use crate::sources::{self, SourceOptions};
use crate::transcript::Table;
use crate::transcript::cache::{self, Cache, Stamp};
use crate::transcript::discover::{self, Discovery};
use crate::transcript::scan::{FileScan, build_table, components, scan_file};
use anyhow::bail;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

/// Where transcripts come from, and options every reading command shares.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Transcript files or folders (folders are searched for *.jsonl at any depth); empty:
    /// the default projects folder.
    pub paths: Vec<PathBuf>,
    /// Claude Code configuration folder to read instead of $CLAUDE_CONFIG_DIR or ~/.claude.
    pub config_dir: Option<PathBuf>,
    /// Print commands, paths and reasons as written, secrets included.
    pub no_redact: bool,
    /// No progress bar and no per-line warnings on stderr.
    pub quiet: bool,
    /// Read every transcript again instead of reusing the results of unchanged files.
    pub no_cache: bool,
    /// Folder of the incremental cache (default: see [`cache::default_dir`]).
    pub cache_dir: Option<PathBuf>,
    /// Records of permission decisions to join to the calls (prompt log, OpenTelemetry).
    pub sources: SourceOptions,
    /// Team mode: a folder with one subfolder per developer (see [`super::team`]).
    pub team: Option<PathBuf>,
    /// Developers named explicitly: (name, their folder), from `--label NAME=PATH`.
    pub labels: Vec<(String, PathBuf)>,
}

/// Transcripts read for a command: the table plus what discovery saw.
pub struct Loaded {
    /// The tool-call table.
    pub table: Table,
    /// Files found, compaction agents skipped, listing errors.
    pub discovery: Discovery,
    /// The folders or files that were searched.
    pub roots: Vec<PathBuf>,
    /// Files whose results came from the incremental cache.
    pub cached_files: usize,
    /// The warnings printed about unreadable files and skipped lines.
    pub warnings: Vec<String>,
    /// Records read from each source outside the transcripts.
    pub record_totals: BTreeMap<RecordSource, u64>,
}

/// Fails when `--config-dir` names no folder: reading an empty configuration instead would
/// look like a history without transcripts or settings.
pub fn check_config_dir(input: &InputOptions) -> anyhow::Result<()> {
    match &input.config_dir {
        Some(d) if !d.is_dir() => bail!(
            "--config-dir {} is not a folder: name Claude Code's configuration folder (the one \
             holding settings.json and projects/)",
            d.display()
        ),
        _ => Ok(()),
    }
}

/// The folders or files to search: the paths given (each must exist), else the default
/// projects folder.
fn roots(input: &InputOptions) -> anyhow::Result<Vec<PathBuf>> {
    check_config_dir(input)?;
    if let Some(missing) = input.paths.iter().find(|p| !p.exists()) {
        bail!(
            "{} does not exist: name transcript files or folders (the bundled sample is in \
             data/real)",
            missing.display()
        );
    }
    if let Some(team) = super::team::resolve(input)? {
        // Paths named besides the team are read too, with no developer.
        let mut roots = team.roots();
        roots.extend(input.paths.iter().cloned());
        return Ok(roots);
    }
    if !input.paths.is_empty() {
        return Ok(input.paths.clone());
    }
    let Some(dir) = discover::default_projects_dir(input.config_dir.as_deref()) else {
        bail!("no home folder: pass transcript paths, or set CLAUDE_CONFIG_DIR");
    };
    if !dir.is_dir() {
        bail!(
            "no Claude Code transcripts at {} (set CLAUDE_CONFIG_DIR, pass --config-dir, \
             or name files or folders; the bundled sample is in data/real)",
            dir.display()
        );
    }
    Ok(vec![dir])
}

/// Finds the transcripts named by `input` (or in the default folder): the roots searched
/// and what was found there. Warns about what could not be listed; fails when no
/// transcript is found at all (an empty answer would look like an empty history).
pub fn find_input(input: &InputOptions) -> anyhow::Result<(Vec<PathBuf>, Discovery)> {
    let roots = roots(input)?;
    let discovery = find(&roots);
    if discovery.files.is_empty() {
        let names: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        bail!(
            "no transcripts (*.jsonl) in {}: name the folder Claude Code writes them to \
             (~/.claude/projects, or $CLAUDE_CONFIG_DIR/projects)",
            names.join(", ")
        );
    }
    Ok((roots, discovery))
}

/// Every file found, with its stamp: what a cached result must have been computed from.
pub fn file_list(discovery: &Discovery) -> Vec<(String, Option<Stamp>)> {
    discovery
        .files
        .iter()
        .map(|f| (f.path.to_string_lossy().into_owned(), f.stamp))
        .collect()
}

/// Lists the transcripts under `roots`, warning about what could not be listed.
fn find(roots: &[PathBuf]) -> Discovery {
    let t = crate::timing::phase("discover");
    let discovery = discover::discover(roots);
    drop(t);
    for (path, err) in &discovery.errors {
        eprintln!("permstat: warning: {}: {err}", path.display());
    }
    discovery
}

/// The cache folder of this run, None with `--no-cache`.
pub fn cache_dir(input: &InputOptions) -> Option<PathBuf> {
    if input.no_cache {
        None
    } else {
        input.cache_dir.clone().or_else(cache::default_dir)
    }
}

/// Transcripts that are joined together: the files of one project folder (a session's
/// main file, its subagent files and the sessions it was resumed from all live there).
struct Group {
    /// The project folder (or the file itself, when a file was named).
    key: String,
    /// Indices into `Discovery::files`, in path order.
    files: Vec<usize>,
    bytes: u64,
    /// For a part of a large folder (see [`split_large`]), the folder's number: the
    /// folder's parts are consecutive groups, merged apart until its last one is done.
    part_of: Option<usize>,
}

/// Splits the files into groups, one per project folder (see [`project_folder`]), in order
/// of first file. The folder comes from the file's own path, not from the first folder
/// under the root, so that a root above Claude Code's `projects/` (the configuration
/// folder, or a team's folder of several) groups the same as `projects/` itself.
fn groups(roots: &[PathBuf], discovery: &Discovery) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut index: rustc_hash::FxHashMap<PathBuf, usize> = Default::default();
    for (i, f) in discovery.files.iter().enumerate() {
        let root = roots
            .iter()
            .filter(|r| f.path.starts_with(r))
            .max_by_key(|r| r.as_os_str().len())
            .map_or(Path::new(""), PathBuf::as_path);
        let key = project_folder(root, &f.path);
        let g = *index.entry(key.clone()).or_insert_with(|| {
            out.push(Group {
                key: key.to_string_lossy().into_owned(),
                files: Vec::new(),
                bytes: 0,
                part_of: None,
            });
            out.len() - 1
        });
        out[g].files.push(i);
        out[g].bytes += f.size;
    }
    out.into_iter()
        .enumerate()
        .flat_map(|(n, g)| split_large(g, n, discovery))
        .collect()
}

/// The project folder of a transcript found under `root`: the folder that holds it, or, for a
/// subagent's file (`<folder>/<session>/subagents/**/agent-*.jsonl`), the folder that holds
/// its session's folder, so that a session and its subagents are in one group. Only a
/// `subagents` folder below the root counts (one above it is some other folder's name).
fn project_folder(root: &Path, path: &Path) -> PathBuf {
    let parent = path.parent().unwrap_or(Path::new(""));
    parent
        .ancestors()
        .take_while(|a| a.starts_with(root) && *a != root)
        .find(|a| a.file_name().is_some_and(|n| n == "subagents"))
        .and_then(|s| s.parent()?.parent())
        .unwrap_or(parent)
        .to_path_buf()
}

/// Splits a project folder larger than [`WINDOW_BYTES`] into parts of about a quarter to
/// a half of that, so that the working set is bounded by bytes whatever the size of the
/// folder. A part holds whole sessions: a session's file `<id>.jsonl` with everything
/// under `<id>/` (its subagent files), and the flat `agent-*.jsonl` files of older
/// versions whose first `sessionId` names it. Sessions go to parts by a hash of their id,
/// so a file stays in its part (and its cache file) as the folder grows, until the folder
/// doubles. Sessions that still share a call (one resumed from another) are found once
/// the folder's last part is done, and read again together (see [`pass`]). `number`
/// numbers the folder among the others.
fn split_large(group: Group, number: usize, discovery: &Discovery) -> Vec<Group> {
    if group.bytes <= WINDOW_BYTES || group.files.len() < 2 {
        return vec![group];
    }
    let parts = (2 * group.bytes).div_ceil(WINDOW_BYTES).next_power_of_two();
    let folder = Path::new(&group.key);
    let mut out: Vec<Group> = (0..parts)
        .map(|n| Group {
            key: format!("{}#{n}/{parts}", group.key),
            files: Vec::new(),
            bytes: 0,
            part_of: Some(number),
        })
        .collect();
    for &i in &group.files {
        let f = &discovery.files[i];
        let session = f
            .path
            .strip_prefix(folder)
            .ok()
            .and_then(|rest| {
                let mut parts = rest.components();
                let first = parts.next()?.as_os_str().to_str()?;
                let flat = parts.next().is_none();
                if flat && first.starts_with("agent-") {
                    return first_session_id(&f.path);
                }
                Some(first.strip_suffix(".jsonl").unwrap_or(first).to_string())
            })
            .unwrap_or_else(|| f.path.to_string_lossy().into_owned());
        let n = (rustc_hash::FxBuildHasher.hash_one(&session) % parts) as usize;
        out[n].files.push(i);
        out[n].bytes += f.size;
    }
    out.retain(|g| !g.files.is_empty());
    out
}

/// The first `sessionId` of a transcript, from its first 64 KB (None if it has none there
/// or cannot be read).
fn first_session_id(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = Vec::with_capacity(64 << 10);
    std::fs::File::open(path)
        .ok()?
        .take(64 << 10)
        .read_to_end(&mut head)
        .ok()?;
    const KEY: &[u8] = b"\"sessionId\":\"";
    let at = memchr::memmem::find(&head, KEY)? + KEY.len();
    let len = memchr::memchr(b'"', &head[at..])?;
    std::str::from_utf8(&head[at..at + len])
        .ok()
        .map(str::to_string)
}

fn progress(input: &InputOptions, discovery: &Discovery) -> ProgressBar {
    if input.quiet {
        return ProgressBar::hidden();
    }
    let total: u64 = discovery.files.iter().map(|f| f.size).sum();
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} reading {pos}/{len} bytes ({binary_bytes_per_sec}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Reads the files of one group, taking unchanged ones from the group's cache file and
/// rewriting that file when anything changed. Returns the scans (in the group's file
/// order), how many came from the cache, and a cache-write error if any.
fn read_group(
    group: &Group,
    discovery: &Discovery,
    cache_dir: Option<&Path>,
    bar: &ProgressBar,
) -> (Vec<FileScan>, usize, Option<String>) {
    let files: Vec<&discover::Found> = group.files.iter().map(|&i| &discovery.files[i]).collect();
    let mut cache = cache_dir.map(|d| Cache::load(d, &group.key));
    let cached: Vec<Option<FileScan>> = files
        .iter()
        .map(|f| match (&mut cache, f.stamp) {
            (Some(c), Some(st)) => c.take(&f.path, st),
            _ => None,
        })
        .collect();
    let hits = cached.iter().filter(|c| c.is_some()).count();
    // Largest files first, so that the group does not end with one core reading a big file
    // while the other waits; the scans are put back in path order.
    let mut order: Vec<(usize, Option<FileScan>)> = cached.into_iter().enumerate().collect();
    order.sort_by_key(|(i, _)| std::cmp::Reverse(files[*i].size));
    let mut scanned: Vec<(usize, FileScan)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|(i, hit)| {
            let s = hit.unwrap_or_else(|| scan_file(&files[i].path));
            bar.inc(files[i].size);
            (i, s)
        })
        .collect();
    scanned.sort_unstable_by_key(|(i, _)| *i);
    let scans: Vec<FileScan> = scanned.into_iter().map(|(_, s)| s).collect();
    let mut error = None;
    if let Some(c) = cache.as_ref().filter(|c| !c.unchanged(hits, files.len())) {
        let entries: Vec<(Stamp, &FileScan)> = files
            .iter()
            .zip(&scans)
            .filter_map(|(f, s)| f.stamp.map(|st| (st, s)))
            .collect();
        if let Err(e) = c.save(&entries) {
            error = Some(format!("could not write the cache: {e}"));
        }
    }
    (scans, hits, error)
}

/// The warnings a table's files and skipped lines call for, one line each.
fn table_warnings(table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for f in &table.files {
        if let Some(e) = &f.error {
            out.push(format!("{}: skipped: {e}", f.path));
        }
    }
    for b in &table.bad_lines {
        out.push(format!(
            "{}:{}: skipped {} line: {}",
            b.file,
            b.line,
            b.kind.as_str(),
            b.detail
        ));
    }
    out
}

/// Prints each warning once, unless `--quiet`.
pub fn warn_all(input: &InputOptions, warnings: &[String]) {
    if !input.quiet {
        let mut seen = rustc_hash::FxHashSet::default();
        for w in warnings.iter().filter(|w| seen.insert(w.as_str())) {
            eprintln!("permstat: warning: {w}");
        }
    }
}

/// Finds and reads the transcripts named by `input` (or the default folder) into one
/// table: what commands that look at every call at once (export, suggest, ...) use.
///
/// Fails when no transcript is found (see [`find_input`]); unreadable files and bad lines
/// are reported on stderr (unless `--quiet`) and counted in the table.
pub fn load(input: &InputOptions) -> anyhow::Result<Loaded> {
    let (roots, discovery) = find_input(input)?;
    load_found(input, roots, discovery)
}

fn load_found(
    input: &InputOptions,
    roots: Vec<PathBuf>,
    discovery: Discovery,
) -> anyhow::Result<Loaded> {
    let cache_dir = cache_dir(input);
    let records = sources::load(&input.sources, input.config_dir.as_deref())?;
    // Stamps were taken while listing, before reading: a file that grows meanwhile is read
    // again next time.
    let names = self::file_list(&discovery);
    let file_list: Vec<(&str, Option<Stamp>)> =
        names.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    let joined = cache_dir.as_deref().and_then(|d| {
        let _t = crate::timing::phase("cached table");
        cache::load_table(d, &file_list)
    });
    let mut warnings = records.warnings.clone();
    let (mut table, cached_files) = match joined {
        Some(table) => (table, discovery.files.len()),
        None => {
            let bar = progress(input, &discovery);
            let t = crate::timing::phase("read files");
            let groups = groups(&roots, &discovery);
            let read: Vec<(Vec<FileScan>, usize, Option<String>)> = groups
                .par_iter()
                .map(|g| read_group(g, &discovery, cache_dir.as_deref(), &bar))
                .collect();
            bar.finish_and_clear();
            drop(t);
            let mut scans: Vec<(usize, FileScan)> = Vec::with_capacity(discovery.files.len());
            let mut hits = 0;
            for (g, (s, h, e)) in groups.iter().zip(read) {
                scans.extend(g.files.iter().copied().zip(s));
                hits += h;
                warnings.extend(e);
            }
            // The table keeps the first copy of a call: join in discovery (path) order,
            // whatever the parts a large folder was split into.
            scans.sort_unstable_by_key(|(i, _)| *i);
            let scans: Vec<FileScan> = scans.into_iter().map(|(_, s)| s).collect();
            let t = crate::timing::phase("join");
            let table = build_table(scans);
            drop(t);
            if let Some(d) = cache_dir.as_deref()
                && let Err(e) = cache::save_table(d, &file_list, &table)
            {
                warnings.push(format!("could not write the cache: {e}"));
            }
            (table, hits)
        }
    };
    drop(file_list);
    drop(names);
    // After the cache was written: the cache holds what the transcripts alone give.
    super::team::prepare(super::team::resolve(input)?.as_ref(), &mut table.calls);
    records.attach(&mut table);
    warnings.extend(table_warnings(&table));
    warn_all(input, &warnings);
    Ok(Loaded {
        table,
        discovery,
        roots,
        cached_files,
        warnings,
        record_totals: records.totals,
    })
}

/// Transcript bytes worked on at once by [`stream`]: groups run side by side while their
/// sizes add up to at most this; a larger group runs alone (its files and calls still in
/// parallel). About 0.15 bytes of memory per transcript byte are held while a group is
/// joined and analysed.
const WINDOW_BYTES: u64 = 64 << 20;

/// One group's share of a [`stream`] pass.
struct GroupDone<A> {
    /// The merged results of its sets.
    acc: A,
    /// Its join keys, to find groups that share one.
    keys: Vec<u64>,
    /// Files that came from the cache.
    hits: usize,
    warnings: Vec<String>,
}

/// What [`stream`] returns.
pub struct Streamed<A> {
    /// The results of every table, merged.
    pub merged: A,
    /// Files found, compaction agents skipped, listing errors.
    pub discovery: Discovery,
    /// Files whose results came from the incremental cache.
    pub cached_files: usize,
    /// The warnings printed about unreadable files and skipped lines.
    pub warnings: Vec<String>,
    /// Records read from each source outside the transcripts.
    pub record_totals: BTreeMap<RecordSource, u64>,
}

/// Reads the transcripts a few groups (project folders, a large one in parts: see
/// [`split_large`]) at a time, splits each group into the sets of files that share calls
/// or sessions (see [`components`]), joins each set on its own and folds its table into
/// the group's result; the groups' results are then merged. Of the transcripts, only the
/// groups being read and one set's table per thread are held in memory.
///
/// Groups are independent when no tool_use id, result, session or prompt line is found in
/// two of them; that is checked with 64-bit hashes of those keys (8 bytes per call).
/// - The parts of a large folder keep their results apart until the folder's last part is
///   done. Parts that share a key (a session resumed from one in another part: Claude Code
///   writes a resumed session's transcript to the folder of the session it resumes) are
///   then read again together, and the folder's results are merged into one.
/// - A whole folder's result is kept apart until the pass ends. Folders that share a key
///   (folders that alias each other, a session copied by hand, a hash collision) are then
///   read again as one group, whose result takes the place of the first one's.
/// - A part of a large folder that shares a key with another folder is found when its
///   result is already merged: a second pass then reads every group again, each set of
///   linked groups as one group.
///
/// Each is exact whatever the layout. Memory holds the large folders' merged results, the
/// whole folders' results, the current large folder's part results, and the groups being
/// worked on: at most [`WINDOW_BYTES`] of them (or one larger group), and as much again
/// while a large folder's linked parts are read again. Results are merged in an order
/// other than the groups': folding is insensitive to the order.
pub fn stream<A: Send>(
    input: &InputOptions,
    fold: &Fold<A, impl Fn() -> A + Sync, impl Fn(&mut A, Table) + Sync, impl Fn(&mut A, A) + Sync>,
) -> anyhow::Result<Streamed<A>> {
    let (roots, discovery) = find_input(input)?;
    stream_found(input, &roots, discovery, fold)
}

/// How [`stream`] folds tables into a result: an empty result, adding one table to a
/// result, and merging two results (of tables that share no call or session); and how many
/// groups it works on at once.
pub struct Fold<A, N, T, M> {
    /// An empty result.
    pub new: N,
    /// Adds one table.
    pub add: T,
    /// Merges another result in.
    pub merge: M,
    /// Whether groups run side by side, or one at a time.
    pub width: Width,
    /// Ties `A` to the closures.
    pub result: std::marker::PhantomData<fn() -> A>,
}

/// How many groups [`stream`] works on at once. Each group's files and tables are read and
/// folded in parallel either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Side by side, up to [`WINDOW_BYTES`] of them (a larger group alone), for speed: the
    /// terminal report on 1 GB took 4-5% less time than with batches of that size, and 8%
    /// less than one group at a time, at 2-5 MB more peak memory (docs/speed-log.md).
    Wide,
    /// One at a time, for the least memory.
    One,
}

impl Width {
    /// The transcript bytes of groups that may run at once (one group always may).
    fn bytes(self) -> u64 {
        match self {
            Width::Wide => WINDOW_BYTES,
            Width::One => 0,
        }
    }
}

/// [`stream`] over transcripts already found by [`find_input`].
pub fn stream_found<A: Send>(
    input: &InputOptions,
    roots: &[PathBuf],
    discovery: Discovery,
    fold: &Fold<A, impl Fn() -> A + Sync, impl Fn(&mut A, Table) + Sync, impl Fn(&mut A, A) + Sync>,
) -> anyhow::Result<Streamed<A>> {
    let cache_dir = cache_dir(input);
    // Each table gets the records of its sessions before it is folded.
    let records = sources::load(&input.sources, input.config_dir.as_deref())?;
    let team = super::team::resolve(input)?;
    let fold = &Fold {
        new: &fold.new,
        add: |acc: &mut A, mut t: Table| {
            super::team::prepare(team.as_ref(), &mut t.calls);
            records.attach(&mut t);
            (fold.add)(acc, t)
        },
        merge: &fold.merge,
        width: fold.width,
        result: std::marker::PhantomData,
    };
    let groups = groups(roots, &discovery);
    let bar = progress(input, &discovery);
    let t = crate::timing::phase("groups");
    let first = pass(&groups, &discovery, cache_dir.as_deref(), &bar, fold);
    bar.finish_and_clear();
    drop(t);
    let cached_files = first.hits;
    let linked = {
        let _t = crate::timing::phase("links");
        linked_groups(&first.keys)
    };
    // Links between parts of one folder were settled when its last part was done.
    let settled = |set: &&Vec<usize>| {
        let folder = groups[set[0]].part_of;
        folder.is_some() && set.iter().all(|&g| groups[g].part_of == folder)
    };
    let unsettled: Vec<&Vec<usize>> = linked
        .iter()
        .filter(|m| m.len() > 1)
        .filter(|m| !settled(m))
        .collect();
    let (merged, warnings) = if unsettled.is_empty() {
        let _t = crate::timing::phase("merge");
        first.total(fold)
    } else if unsettled
        .iter()
        .all(|m| m.iter().all(|&g| groups[g].part_of.is_none()))
    {
        // Whole folders that share a call or a session (a session copied into another
        // folder, folders that alias each other): their results were kept apart, so they
        // are dropped, and each such set is read again as one group, whose result takes
        // the place of its first member's.
        let _t = crate::timing::phase("linked groups");
        let mut first = first;
        let again: Vec<Group> = unsettled.iter().map(|m| joined(&groups, m)).collect();
        for m in &unsettled {
            for &g in m.iter() {
                first.kept[g] = None;
                first.warnings[g].clear();
            }
        }
        let again = pass(
            &again,
            &discovery,
            cache_dir.as_deref(),
            &ProgressBar::hidden(),
            fold,
        );
        for (m, (acc, ws)) in unsettled
            .iter()
            .zip(again.kept.into_iter().zip(again.warnings))
        {
            first.kept[m[0]] = acc;
            first.warnings[m[0]] = ws;
        }
        first.total(fold)
    } else {
        // A part of a large folder shares a call or a session with another folder: its
        // result is already merged, with no way to take it back out. The pass is made again
        // over every group, each set of linked groups read as one group in the place of
        // its first member. Exact, and twice the work.
        drop(first);
        let _t = crate::timing::phase("linked groups");
        let regrouped: Vec<Group> = linked.iter().map(|m| joined(&groups, m)).collect();
        pass(
            &regrouped,
            &discovery,
            cache_dir.as_deref(),
            &ProgressBar::hidden(),
            fold,
        )
        .total(fold)
    };
    let warnings: Vec<String> = records.warnings.iter().cloned().chain(warnings).collect();
    warn_all(input, &warnings);
    Ok(Streamed {
        merged,
        discovery,
        cached_files,
        warnings,
        record_totals: records.totals,
    })
}

/// One pass of [`stream`] over `groups`.
struct Pass<A> {
    /// The results of the large folders' parts, merged folder by folder.
    merged: A,
    /// Each whole folder's result (None for a part), kept apart until the links between
    /// folders are known.
    kept: Vec<Option<A>>,
    /// Each group's join keys, sorted.
    keys: Vec<Vec<u64>>,
    hits: usize,
    /// Each group's warnings, in group order.
    warnings: Vec<Vec<String>>,
}

impl<A> Pass<A> {
    /// Every result merged (the whole folders' in group order, after the large folders'),
    /// and every group's warnings, in group order.
    fn total<N, T, M: Fn(&mut A, A)>(self, fold: &Fold<A, N, T, M>) -> (A, Vec<String>) {
        let mut merged = self.merged;
        for acc in self.kept.into_iter().flatten() {
            (fold.merge)(&mut merged, acc);
        }
        (merged, self.warnings.into_iter().flatten().collect())
    }
}

/// The parts of one large folder done so far, each with its result, kept apart until the
/// folder's last part is done.
struct Folder<A> {
    /// The folder's number ([`Group::part_of`]).
    number: usize,
    /// Its parts (indices into the pass's groups) and their results, in order.
    parts: Vec<(usize, A)>,
}

/// Works through the groups in order, as many at a time as `fold.width` lets, and takes
/// their results in group order. A whole folder's result is kept apart (see [`stream`]); a
/// large folder's parts are merged into one once its last part is done, on this thread
/// while the next groups run.
fn pass<A: Send>(
    groups: &[Group],
    discovery: &Discovery,
    cache_dir: Option<&Path>,
    bar: &ProgressBar,
    fold: &Fold<A, impl Fn() -> A + Sync, impl Fn(&mut A, Table) + Sync, impl Fn(&mut A, A) + Sync>,
) -> Pass<A> {
    let mut out = Pass {
        merged: (fold.new)(),
        kept: Vec::with_capacity(groups.len()),
        keys: Vec::with_capacity(groups.len()),
        hits: 0,
        warnings: Vec::new(),
    };
    let mut folder: Option<Folder<A>> = None;
    let mut take = |g: usize, d: GroupDone<A>| {
        // Groups come in order: the keys and warnings stay in group order.
        debug_assert_eq!(g, out.keys.len());
        out.keys.push(d.keys);
        out.hits += d.hits;
        out.warnings.push(d.warnings);
        if let Some(f) = folder.take_if(|f| groups[g].part_of != Some(f.number)) {
            settle_folder(f, groups, discovery, cache_dir, fold, &mut out);
        }
        match groups[g].part_of {
            Some(number) => {
                out.kept.push(None);
                folder
                    .get_or_insert_with(|| Folder {
                        number,
                        parts: Vec::new(),
                    })
                    .parts
                    .push((g, d.acc));
            }
            None => out.kept.push(Some(d.acc)),
        }
    };
    let run = |g: usize| run_group(&groups[g], discovery, cache_dir, bar, fold);
    if rayon::current_thread_index().is_some() {
        // On a thread of the pool, waiting for the pool's work could wait for itself: one
        // group at a time (each still read and analysed in parallel).
        for g in 0..groups.len() {
            take(g, run(g));
        }
    } else {
        window(groups, fold.width.bytes(), run, &mut take);
    }
    if let Some(f) = folder {
        settle_folder(f, groups, discovery, cache_dir, fold, &mut out);
    }
    out
}

/// Runs `run` on every group in the pool, at most `width` bytes of groups at a time (one
/// group always), and hands each result to `take` in group order, on this thread
/// (which must not be one of the pool's). Each group that ends starts the next ones that
/// fit: batches with a wait for the last group of each left a core idle about 7% of the
/// reading (docs/speed-log.md). A group that panics ends the pass with its panic once the
/// groups running have ended.
fn window<D: Send>(
    groups: &[Group],
    width: u64,
    run: impl Fn(usize) -> D + Sync,
    take: &mut impl FnMut(usize, D),
) {
    /// The groups started so far and the bytes of those still running.
    struct Admit {
        next: usize,
        bytes: u64,
        stop: bool,
    }
    let (tx, rx) = std::sync::mpsc::channel::<(usize, std::thread::Result<D>)>();
    let admit = std::sync::Mutex::new(Admit {
        next: 0,
        bytes: 0,
        stop: false,
    });
    // Starts the groups that fit. A group started from a task goes to that thread's own
    // queue, which it takes from first: the next group, before helping with another's files.
    fn start<'s, D: Send + 's>(
        s: &rayon::Scope<'s>,
        groups: &'s [Group],
        width: u64,
        admit: &'s std::sync::Mutex<Admit>,
        run: &'s (impl Fn(usize) -> D + Sync + 's),
        tx: &std::sync::mpsc::Sender<(usize, std::thread::Result<D>)>,
    ) {
        let mut a = admit
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while !a.stop
            && a.next < groups.len()
            && (a.bytes == 0 || a.bytes + groups[a.next].bytes <= width)
        {
            let g = a.next;
            a.next += 1;
            a.bytes += groups[g].bytes;
            let tx = tx.clone();
            s.spawn(move |s| {
                let d = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(g)));
                {
                    let mut a = admit
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    a.bytes -= groups[g].bytes;
                    a.stop |= d.is_err();
                }
                // The receiver outlives every task of the scope.
                let _ = tx.send((g, d));
                start(s, groups, width, admit, run, &tx);
            });
        }
    }
    /// Stops starting groups when dropped: if `take` panics, the groups running end and
    /// no others start.
    struct StopOnDrop<'a>(&'a std::sync::Mutex<Admit>);
    impl Drop for StopOnDrop<'_> {
        fn drop(&mut self) {
            let mut a = self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            a.stop = true;
        }
    }
    let (run, admit) = (&run, &admit);
    rayon::in_place_scope(|s| {
        let _stop = StopOnDrop(admit);
        start(s, groups, width, admit, run, &tx);
        let mut done: BTreeMap<usize, D> = BTreeMap::new();
        let mut taken = 0usize;
        while taken < groups.len() {
            // Every group is started by the time the ones before it end, and this thread
            // holds a sender: a result comes.
            let Ok((g, d)) = rx.recv() else { break };
            match d {
                Ok(d) => {
                    done.insert(g, d);
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
            while let Some(d) = done.remove(&taken) {
                take(taken, d);
                taken += 1;
            }
        }
    });
}

/// Merges a large folder's parts into the pass's result, in order, once its last part is
/// done. Parts that share a call or a session (a session resumed from one in another part)
/// are read again, each such set as one group whose result and warnings take the place of
/// its first part's; the other parts' results stand.
fn settle_folder<A: Send>(
    f: Folder<A>,
    groups: &[Group],
    discovery: &Discovery,
    cache_dir: Option<&Path>,
    fold: &Fold<A, impl Fn() -> A + Sync, impl Fn(&mut A, Table) + Sync, impl Fn(&mut A, A) + Sync>,
    out: &mut Pass<A>,
) {
    let (parts, mut results): (Vec<usize>, Vec<Option<A>>) =
        f.parts.into_iter().map(|(g, a)| (g, Some(a))).unzip();
    let keys: Vec<&[u64]> = parts.iter().map(|&g| out.keys[g].as_slice()).collect();
    let sets = linked_groups(&keys);
    for set in sets {
        if let [one] = set[..] {
            if let Some(a) = results[one].take() {
                (fold.merge)(&mut out.merged, a);
            }
            continue;
        }
        let _t = crate::timing::phase("linked parts");
        let members: Vec<usize> = set.iter().map(|&i| parts[i]).collect();
        for &i in &set {
            results[i] = None;
        }
        let (again, warnings) = pass(
            &[joined(groups, &members)],
            discovery,
            cache_dir,
            &ProgressBar::hidden(),
            fold,
        )
        .total(fold);
        (fold.merge)(&mut out.merged, again);
        for &g in &members {
            out.warnings[g].clear();
        }
        out.warnings[members[0]] = warnings;
    }
}

/// One group made of the groups `members` (sorted), keyed by all their keys: a single
/// member is itself.
fn joined(groups: &[Group], members: &[usize]) -> Group {
    let mut files: Vec<usize> = members
        .iter()
        .flat_map(|&g| groups[g].files.iter().copied())
        .collect();
    files.sort_unstable();
    Group {
        key: members
            .iter()
            .map(|&g| groups[g].key.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        bytes: members.iter().map(|&g| groups[g].bytes).sum(),
        files,
        // Links are settled by the joining: merged with the other groups.
        part_of: None,
    }
}

/// Reads one group, splits it into sets of linked sessions, and folds each set's table
/// (sets in parallel, largest first).
fn run_group<A: Send>(
    group: &Group,
    discovery: &Discovery,
    cache_dir: Option<&Path>,
    bar: &ProgressBar,
    fold: &Fold<A, impl Fn() -> A + Sync, impl Fn(&mut A, Table) + Sync, impl Fn(&mut A, A) + Sync>,
) -> GroupDone<A> {
    let (scans, hits, error) = read_group(group, discovery, cache_dir, bar);
    let sizes: Vec<u64> = group
        .files
        .iter()
        .map(|&i| discovery.files[i].size)
        .collect();
    let (sets, keys) = components(&scans);
    let mut scans: Vec<Option<FileScan>> = scans.into_iter().map(Some).collect();
    let mut sets: Vec<(usize, u64, Vec<FileScan>)> = sets
        .iter()
        .enumerate()
        .map(|(n, set)| {
            let bytes = set.iter().map(|&i| sizes[i]).sum();
            let scans = set.iter().filter_map(|&i| scans[i].take()).collect();
            (n, bytes, scans)
        })
        .collect();
    // What the sets give does not depend on the order they are merged in; their warnings
    // are put back in file order.
    sets.sort_by_key(|(_, bytes, _)| std::cmp::Reverse(*bytes));
    let (acc, mut set_warnings) = sets
        .into_par_iter()
        .with_max_len(1)
        .fold(
            || ((fold.new)(), Vec::new()),
            |(mut acc, mut ws), (n, _, set)| {
                let table = build_table(set);
                ws.push((n, table_warnings(&table)));
                (fold.add)(&mut acc, table);
                (acc, ws)
            },
        )
        .reduce(
            || ((fold.new)(), Vec::new()),
            |(mut a, mut wa), (b, wb)| {
                (fold.merge)(&mut a, b);
                wa.extend(wb);
                (a, wa)
            },
        );
    set_warnings.sort_by_key(|(n, _)| *n);
    let mut warnings: Vec<String> = error.into_iter().collect();
    warnings.extend(set_warnings.into_iter().flat_map(|(_, w)| w));
    GroupDone {
        acc,
        keys,
        hits,
        warnings,
    }
}

/// The groups (given by their sorted join keys), partitioned into sets that share keys
/// (most sets hold one group), each in group order, the sets in order of their first group.
fn linked_groups(keys: &[impl AsRef<[u64]>]) -> Vec<Vec<usize>> {
    let mut sets = crate::partition::Partition::new(keys.len());
    // Each group's keys are sorted: a k-way merge finds the keys found in two groups
    // without a second copy of the keys.
    let mut heads: std::collections::BinaryHeap<std::cmp::Reverse<(u64, usize, usize)>> = keys
        .iter()
        .enumerate()
        .filter_map(|(g, k)| {
            k.as_ref()
                .first()
                .map(|&first| std::cmp::Reverse((first, g, 0)))
        })
        .collect();
    let mut last: Option<(u64, usize)> = None;
    while let Some(std::cmp::Reverse((key, g, i))) = heads.pop() {
        if let Some((k, other)) = last
            && k == key
        {
            sets.join(g, other);
        }
        last = Some((key, g));
        if let Some(&next) = keys[g].as_ref().get(i + 1) {
            heads.push(std::cmp::Reverse((next, g, i + 1)));
        }
    }
    sets.sets()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_sharing_a_key_are_linked() {
        // Sorted keys per group: 0 and 2 share 5, 2 and 3 share 9; 1 and 4 stand alone.
        let keys = vec![
            vec![1, 5],
            vec![2, 3],
            vec![4, 5, 9],
            vec![9],
            vec![],
            vec![7],
        ];
        assert_eq!(
            linked_groups(&keys),
            vec![vec![0, 2, 3], vec![1], vec![4], vec![5]]
        );
        // A key repeated within one group links nothing.
        assert_eq!(
            linked_groups(&[vec![1, 1], vec![2]]),
            vec![vec![0], vec![1]]
        );
        assert!(linked_groups(&[] as &[Vec<u64>]).is_empty());
    }

    #[test]
    fn a_large_folder_is_split_into_parts_of_whole_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let project = root.join("-big");
        std::fs::create_dir_all(&project).unwrap();
        // An older layout's flat subagent file: its session is read from its first line.
        let flat = project.join("agent-f1.jsonl");
        std::fs::write(&flat, "{\"isSidechain\":true,\"sessionId\":\"s7\"}\n").unwrap();
        let mut files = Vec::new();
        for n in 0..40 {
            let size = WINDOW_BYTES / 10;
            files.push(discover::Found {
                path: project.join(format!("s{n}.jsonl")),
                size,
                stamp: None,
            });
            files.push(discover::Found {
                path: project.join(format!("s{n}/subagents/agent-a{n}.jsonl")),
                size: 1000,
                stamp: None,
            });
        }
        files.push(discover::Found {
            path: flat,
            size: 10,
            stamp: None,
        });
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let discovery = Discovery {
            files,
            ..Discovery::default()
        };
        let parts = groups(std::slice::from_ref(&root), &discovery);
        // Just over 4 windows' worth of bytes: 16 parts of a quarter window on average (an
        // empty one is dropped).
        assert!(parts.len() > 8 && parts.len() <= 16, "{}", parts.len());
        let total: u64 = parts.iter().map(|g| g.bytes).sum();
        assert_eq!(total, discovery.files.iter().map(|f| f.size).sum::<u64>());
        for g in &parts {
            assert!(g.key.starts_with(&project.to_string_lossy().into_owned()));
            assert!(g.bytes <= WINDOW_BYTES, "{} {}", g.key, g.bytes);
            assert!(g.files.windows(2).all(|w| w[0] < w[1]));
            // Every session's files are in the part of its main file.
            for &i in &g.files {
                let p = discovery.files[i].path.to_string_lossy().into_owned();
                let session = if p.ends_with("agent-f1.jsonl") {
                    "s7".to_string()
                } else {
                    let rest = p.strip_prefix(&format!("{}/", project.display())).unwrap();
                    rest.split(['/', '.']).next().unwrap().to_string()
                };
                let main = project.join(format!("{session}.jsonl"));
                assert!(
                    g.files.iter().any(|&j| discovery.files[j].path == main),
                    "{p} is apart from {}",
                    main.display()
                );
            }
        }
        // A folder within the bound stays whole.
        let small = Discovery {
            files: discovery.files[..6].to_vec(),
            ..Discovery::default()
        };
        assert_eq!(groups(std::slice::from_ref(&root), &small).len(), 1);
    }

    /// Two lines of session `s` in Claude Code's shape: Bash call `id` and its result.
    fn call_lines(s: &str, id: &str) -> String {
        let at = "\"timestamp\":\"2026-03-01T10:00:00.000Z\",\"cwd\":\"/w\"";
        format!(
            "{{\"type\":\"assistant\",\"sessionId\":\"{s}\",\"uuid\":\"a-{id}\",{at},\
             \"message\":{{\"id\":\"m-{id}\",\"role\":\"assistant\",\"content\":[{{\
             \"type\":\"tool_use\",\"id\":\"{id}\",\"name\":\"Bash\",\
             \"input\":{{\"command\":\"make\"}}}}]}}}}\n\
             {{\"type\":\"user\",\"sessionId\":\"{s}\",\"uuid\":\"r-{id}\",{at},\
             \"message\":{{\"role\":\"user\",\"content\":[{{\"type\":\"tool_result\",\
             \"tool_use_id\":\"{id}\",\"content\":\"ok\"}}]}}}}\n"
        )
    }

    #[test]
    fn parts_of_a_folder_that_share_a_session_are_read_again_together() {
        // A large folder of eight sessions of one call each, and a session resumed from
        // s0: it repeats s0's call and makes one of its own. The copy is in the large
        // folder, in another part than s0 (settled when the folder's last part is done),
        // or in a small folder of its own (a second pass over everything).
        for elsewhere in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().to_path_buf();
            for folder in ["-big", "-other"] {
                std::fs::create_dir_all(root.join(folder)).unwrap();
            }
            let mut names: Vec<String> = (0..8).map(|n| format!("-big/s{n}.jsonl")).collect();
            for (n, name) in names.iter().enumerate() {
                let text = call_lines(&format!("s{n}"), &format!("toolu_{n}"));
                std::fs::write(root.join(name), text).unwrap();
            }
            // Each file of the large folder counts as a quarter window: it is split.
            let listing = |names: &[String]| -> Discovery {
                let mut files: Vec<discover::Found> = names
                    .iter()
                    .map(|n| discover::Found {
                        path: root.join(n),
                        size: if n.starts_with("-big") {
                            WINDOW_BYTES / 4
                        } else {
                            100
                        },
                        stamp: None,
                    })
                    .collect();
                files.sort_by(|a, b| a.path.cmp(&b.path));
                Discovery {
                    files,
                    ..Discovery::default()
                }
            };
            let group_of = |d: &Discovery, name: &str| {
                let parts = groups(std::slice::from_ref(&root), d);
                parts
                    .iter()
                    .position(|g| g.files.iter().any(|&i| d.files[i].path.ends_with(name)))
                    .unwrap()
            };
            let resumed = if elsewhere {
                "-other/r.jsonl".to_string()
            } else {
                (0..100)
                    .map(|n| format!("-big/r{n}.jsonl"))
                    .find(|r| {
                        let mut all = names.clone();
                        all.push(r.clone());
                        let d = listing(&all);
                        group_of(&d, r) != group_of(&d, "s0.jsonl")
                    })
                    .unwrap()
            };
            let copy = call_lines("r", "toolu_0") + &call_lines("r", "toolu_r");
            std::fs::write(root.join(&resumed), copy).unwrap();
            names.push(resumed);
            let discovery = listing(&names);
            let parts = groups(std::slice::from_ref(&root), &discovery);
            let big = parts.iter().filter(|g| g.part_of.is_some()).count();
            assert!(big > 2, "{big}");
            // The result counts calls and tables: the resumed session and s0 are one table.
            let fold = Fold {
                new: || (0usize, 0usize),
                add: |a: &mut (usize, usize), t: Table| {
                    a.0 += t.calls.len();
                    a.1 += 1;
                },
                merge: |a: &mut (usize, usize), b: (usize, usize)| {
                    a.0 += b.0;
                    a.1 += b.1;
                },
                width: Width::Wide,
                result: std::marker::PhantomData,
            };
            let input = InputOptions {
                no_cache: true,
                quiet: true,
                ..InputOptions::default()
            };
            let root = std::slice::from_ref(&root);
            // On this thread, each width; and from a thread of a one-thread pool, where the
            // window would wait for itself and groups go one at a time.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap();
            for (width, in_pool) in [
                (Width::Wide, false),
                (Width::One, false),
                (Width::Wide, true),
            ] {
                let fold = Fold { width, ..fold };
                let read = || stream_found(&input, root, listing(&names), &fold).unwrap();
                let streamed = if in_pool { pool.install(read) } else { read() };
                // toolu_0 once, toolu_1..7, toolu_r; s0 and its copy in one table.
                assert_eq!(
                    streamed.merged,
                    (9, 8),
                    "copy elsewhere: {elsewhere}, {width:?}, in a pool: {in_pool}"
                );
            }
        }
    }

    #[test]
    fn groups_are_project_folders() {
        let root = PathBuf::from("/p");
        let found = |path: &str, size: u64| discover::Found {
            path: PathBuf::from(path),
            size,
            stamp: None,
        };
        let discovery = Discovery {
            files: vec![
                found("/p/-a/s1.jsonl", 10),
                found("/p/-a/s1/subagents/agent-x.jsonl", 5),
                found("/p/-b/s2.jsonl", WINDOW_BYTES),
                found("/p/-c/s3.jsonl", 7),
                found("/p/-d/s4.jsonl", 8),
            ],
            ..Discovery::default()
        };
        let g = groups(std::slice::from_ref(&root), &discovery);
        let keys: Vec<&str> = g.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["/p/-a", "/p/-b", "/p/-c", "/p/-d"]);
        assert_eq!((g[0].files.clone(), g[0].bytes), (vec![0, 1], 15));
        // With a project folder, or the folder above `projects/`, as the root: the same.
        for root in ["/p/-a", "/", ""] {
            let g = groups(&[PathBuf::from(root)], &discovery);
            assert_eq!(g[0].key, "/p/-a", "root {root:?}");
            assert_eq!(g[0].files, vec![0, 1], "root {root:?}");
        }
    }

    /// Groups of the given sizes, each with no files.
    fn sized(sizes: &[u64]) -> Vec<Group> {
        sizes
            .iter()
            .enumerate()
            .map(|(n, &bytes)| Group {
                key: format!("/p/-{n}"),
                files: Vec::new(),
                bytes,
                part_of: None,
            })
            .collect()
    }

    #[test]
    fn the_window_takes_results_in_order_and_bounds_the_bytes_in_flight() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let third = WINDOW_BYTES / 3;
        // A group larger than the window runs alone; the others up to its bytes.
        let groups = sized(&[third, third, 1, WINDOW_BYTES + 1, third, third, third, 5, 7]);
        for _ in 0..20 {
            let (running, peak) = (AtomicU64::new(0), AtomicU64::new(0));
            let mut taken = Vec::new();
            window(
                &groups,
                WINDOW_BYTES,
                |g| {
                    let b = groups[g].bytes;
                    let now = running.fetch_add(b, Ordering::SeqCst) + b;
                    peak.fetch_max(now, Ordering::SeqCst);
                    // Later groups end first, so results wait for the ones before them.
                    std::thread::sleep(std::time::Duration::from_micros(
                        200 * (groups.len() - g) as u64,
                    ));
                    running.fetch_sub(b, Ordering::SeqCst);
                    g * 10
                },
                &mut |g, d| taken.push((g, d)),
            );
            let want: Vec<(usize, usize)> = (0..groups.len()).map(|g| (g, g * 10)).collect();
            assert_eq!(taken, want);
            assert!(peak.load(Ordering::SeqCst) <= WINDOW_BYTES + 1);
        }
    }

    #[test]
    fn a_panic_while_taking_a_result_starts_no_more_groups() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let groups = sized(&[WINDOW_BYTES; 40]);
        let ran = AtomicUsize::new(0);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            window(
                &groups,
                WINDOW_BYTES,
                |g| {
                    ran.fetch_add(1, Ordering::SeqCst);
                    // Long enough for this thread to take group 1 while group 2 runs.
                    let ms = if g < 2 { 1 } else { 50 };
                    std::thread::sleep(std::time::Duration::from_millis(ms));
                    g
                },
                // Without the panic hook, whose backtrace can take longer than groups do.
                &mut |g, _| {
                    if g == 1 {
                        std::panic::resume_unwind(Box::new("taking group 1"));
                    }
                },
            )
        }));
        assert!(r.is_err());
        // One group at a time: groups 0 and 1 ran, and at most the one started as group 1
        // ended (group 2) before the panic stopped the window.
        assert!(
            ran.load(Ordering::SeqCst) <= 4,
            "{}",
            ran.load(Ordering::SeqCst)
        );
    }

    #[test]
    fn a_group_that_panics_ends_the_window_with_its_panic() {
        let groups = sized(&[1, 2, 3, 4]);
        let mut taken = Vec::new();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            window(
                &groups,
                WINDOW_BYTES,
                |g| {
                    assert!(g != 2, "group 2");
                    g
                },
                &mut |g, _| taken.push(g),
            )
        }));
        assert!(r.is_err());
        assert!(!taken.contains(&2) && !taken.contains(&3), "{taken:?}");
    }

    #[test]
    fn a_transcript_belongs_to_its_project_folder() {
        let p = "/home/u/.claude/projects/-a";
        for (root, path, folder) in [
            (
                "/home/u/.claude/projects",
                "/home/u/.claude/projects/-a/s1.jsonl",
                p,
            ),
            ("/home/u/.claude", "/home/u/.claude/projects/-a/s1.jsonl", p),
            (
                "/home/u/.claude",
                "/home/u/.claude/projects/-a/s1/subagents/agent-x.jsonl",
                p,
            ),
            (
                "/",
                "/home/u/.claude/projects/-a/s1/subagents/workflows/r1/agent-y.jsonl",
                p,
            ),
            // Older versions kept subagents' files flat in the project folder.
            (p, "/home/u/.claude/projects/-a/agent-z.jsonl", p),
            // The session's folder as the root.
            (
                "/home/u/.claude/projects/-a/s1",
                "/home/u/.claude/projects/-a/s1/subagents/agent-x.jsonl",
                p,
            ),
            // A `subagents` folder above the root is not a session's.
            (
                "/x/subagents/projects",
                "/x/subagents/projects/-a/s1.jsonl",
                "/x/subagents/projects/-a",
            ),
            // A file named on its own.
            ("/tmp/s.jsonl", "/tmp/s.jsonl", "/tmp"),
            ("s.jsonl", "s.jsonl", ""),
        ] {
            assert_eq!(
                project_folder(Path::new(root), Path::new(path)),
                PathBuf::from(folder),
                "{root} {path}"
            );
        }
    }
}
