//! `permstat suggest`: narrow allow rules from the calls a person kept approving, per
//! project, written (on request, and only those chosen) into each project's settings file
//! without touching anything else in it.
//!
//! The history is read one set of linked sessions at a time ([`stream`]) and kept as a
//! summary per project ([`crate::suggest::Summary`]: calls alike once, with their count),
//! so memory follows the distinct commands, not the calls; with `--team` every call is
//! loaded at once (each developer's savings are replayed over their own calls).

use super::folder_settings::{
    PolicyBook, SettingsOptions, evidence_of, evidence_with, load_options, replay_calls,
    replay_keys, warn_settings,
};
use super::window::{self, WindowOptions};
use super::{Fold, InputOptions, Width, load, stream};
use crate::analysis::answer::Bounds;
use crate::analysis::evidence::{Adopt, EvidenceParams};
use crate::analysis::gate_of;
use crate::event::ToolCall;
use crate::facts::tools::{Family, family};
use crate::output::suggest::{
    ProjectTarget, ShownRule, SuggestFormat, SuggestOutput, WindowInfo, settings_block,
};
use crate::output::{self};
use crate::permissions::engine::{Decision, Verdict};
use crate::permissions::settings::{Policy, find_project_root};
use crate::suggest::{
    Answers, DeveloperSaving, Proposal, Rows, SuggestOptions, Summary, TeamRule, apply, choose,
    friction, group_by, is_chosen, merge_left_out, place, plan_write, suggest_answered,
    suggest_with,
};
use crate::text::redact::Redactor;
use crate::text::time::day_of;
use crate::transcript::{Table, discover};
use anyhow::Context;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::marker::PhantomData;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

/// Evidence window when `--since` is not given.
const DEFAULT_WINDOW_DAYS: i64 = 30;

/// Rows of the "why you still get prompts" list.
const FRICTION_ROWS: usize = 10;

/// Where a team project's rules go, as the output names it.
const TEAM_TARGET: &str = "the project's shared .claude/settings.json or each developer's .claude/settings.local.json (below)";

/// Which settings file `suggest --write` merges into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteScope {
    /// `<project root>/.claude/settings.local.json` of each project (not committed).
    Local,
    /// `<project root>/.claude/settings.json` of each project (shared with the team).
    Project,
    /// `<config dir>/settings.json`: every project of this user; rules need evidence from
    /// several projects.
    User,
}

impl WriteScope {
    /// `local`, `project` or `user`.
    pub fn name(self) -> &'static str {
        match self {
            WriteScope::Local => "local",
            WriteScope::Project => "project",
            WriteScope::User => "user",
        }
    }
}

/// What `permstat suggest` was asked for.
#[derive(Debug, Clone)]
pub struct SuggestRunOptions {
    /// Transcripts to read, and shared options.
    pub input: InputOptions,
    /// Settings to replay; `project_root` makes every session part of that one project.
    pub settings: SettingsOptions,
    /// Calls to cover (no `since`: the last 30 days).
    pub window: WindowOptions,
    /// How much evidence a rule needs, and how many rules at most.
    pub thresholds: SuggestOptions,
    /// Output format.
    pub format: SuggestFormat,
    /// Merge the chosen rules into the settings files (false: dry run, print the diffs).
    pub write: bool,
    /// Which settings file to write.
    pub scope: WriteScope,
    /// Rule numbers to write (empty: all).
    pub pick: Vec<usize>,
    /// Rule texts not to write.
    pub exclude: Vec<String>,
    /// A result sooner than this many milliseconds after its call came from no person.
    pub human_floor_ms: i64,
}

/// The window actually used: `--since` defaults to the day 30 days ago.
fn effective_window(w: &WindowOptions) -> (WindowOptions, bool) {
    let mut w = w.clone();
    let defaulted = w.since.is_none();
    if defaulted {
        let since = chrono::Utc::now() - chrono::Duration::days(DEFAULT_WINDOW_DAYS);
        w.since = Some(since.format("%Y-%m-%d").to_string());
    }
    (w, defaulted)
}

/// The calls of the selected projects older than `--since`: how many, the first and the
/// last time; and whether `--project` matched any call.
#[derive(Debug, Clone, Copy, Default)]
struct Older {
    calls: usize,
    first: Option<i64>,
    last: Option<i64>,
    matched: bool,
}

impl Older {
    /// Counts `calls` (before the window is applied).
    fn count(&mut self, calls: &[ToolCall], w: &WindowOptions, since: Option<i64>) {
        for c in calls.iter().filter(|c| window::in_project(c, w)) {
            self.matched = true;
            if let (Some(s), Some(t)) = (since, c.asked_ms)
                && t < s
            {
                self.calls += 1;
                self.first = Some(self.first.map_or(t, |f| f.min(t)));
                self.last = Some(self.last.map_or(t, |l| l.max(t)));
            }
        }
    }

    /// Adds the counts of other calls.
    fn absorb(&mut self, o: Older) {
        self.calls += o.calls;
        self.first = match (self.first, o.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(o.last);
        self.matched |= o.matched;
    }
}

/// What lies before the window (`older`: the calls of the selected projects older than
/// `--since`), and the command that takes them in.
fn window_info(
    older: Older,
    w: &WindowOptions,
    defaulted: bool,
    args: &SuggestRunOptions,
) -> WindowInfo {
    let first = older.first.and_then(day_of);
    let last = older.last.and_then(day_of);
    let widen = first.as_ref().map(|d| {
        let mut cmd = String::from("permstat suggest");
        for p in &args.input.paths {
            cmd.push(' ');
            cmd.push_str(&shell_word(&p.display().to_string()));
        }
        cmd.push_str(&format!(" --since {d}"));
        if let Some(p) = &w.project {
            cmd.push_str(&format!(" --project {}", shell_word(p)));
        }
        cmd
    });
    WindowInfo {
        since: w.since.clone(),
        until: w.until.clone(),
        default_days: defaulted.then_some(DEFAULT_WINDOW_DAYS),
        calls: 0,
        older_calls: older.calls,
        older_first: first,
        older_last: last,
        widen,
    }
}

/// A word as a shell would read it back: quoted unless plain.
fn shell_word(s: &str) -> String {
    let plain = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:@=+,".contains(c));
    if plain && !s.is_empty() {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The project root of a call's working folder (its git root; a call with no folder
/// belongs to the current folder's project), found once per folder. Shared by the threads
/// of a stream.
struct ProjectRoots {
    home: PathBuf,
    cwd: PathBuf,
    found: Mutex<HashMap<Option<Arc<str>>, PathBuf>>,
}

impl ProjectRoots {
    fn new() -> ProjectRoots {
        ProjectRoots {
            home: discover::home_dir().unwrap_or_else(|| PathBuf::from("/")),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
            found: Mutex::default(),
        }
    }

    /// The project root of `c`'s working folder.
    fn of(&self, c: &ToolCall) -> PathBuf {
        let known = self
            .found
            .lock()
            .ok()
            .and_then(|m| m.get(&c.project).cloned());
        known.unwrap_or_else(|| {
            let dir = c.project.as_deref().map_or(self.cwd.clone(), PathBuf::from);
            let root = find_project_root(&dir, &self.home);
            if let Ok(mut m) = self.found.lock() {
                m.insert(c.project.clone(), root.clone());
            }
            root
        })
    }
}

/// The settings file a scope names for the project at `root` (the user scope ignores it).
fn scope_file(
    scope: WriteScope,
    root: &Path,
    config_dir: Option<&Path>,
) -> anyhow::Result<PathBuf> {
    Ok(match scope {
        WriteScope::Local => root.join(".claude").join("settings.local.json"),
        WriteScope::Project => root.join(".claude").join("settings.json"),
        WriteScope::User => discover::config_root(config_dir)
            .context("no home folder: pass --config-dir")?
            .join("settings.json"),
    })
}

/// The settings file a scope names and the project root: `project_root`, else the project
/// at the current folder (`permstat hook --install` writes the same files).
pub fn settings_file(
    scope: WriteScope,
    project_root: Option<&Path>,
    config_dir: Option<&Path>,
) -> anyhow::Result<(PathBuf, PathBuf)> {
    let cwd = std::env::current_dir().context("no current folder")?;
    let home = discover::home_dir().unwrap_or_else(|| PathBuf::from("/"));
    let root = project_root
        .map(Path::to_path_buf)
        .unwrap_or_else(|| find_project_root(&cwd, &home));
    Ok((scope_file(scope, &root, config_dir)?, root))
}

/// The name a team's project goes by: its root folder's name. Developers' copies of one
/// repository live at different paths on different machines; the folder name is what they
/// most often share.
fn team_project(root: &Path) -> String {
    root.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| root.display().to_string())
}

/// A team project's name, one of its developers, and the range of that developer's calls
/// in the project (the calls of a project's developers lie side by side).
type DeveloperCalls = (String, Option<std::sync::Arc<str>>, Range<usize>);

/// Where each proposed rule of a team belongs: for each project group, what each rule
/// alone saves each developer of the project (replayed over that developer's calls, under
/// their settings).
fn team_rules<'p>(
    calls: &[ToolCall],
    decisions: &[crate::permissions::engine::Decision],
    groups: &[(PathBuf, Range<usize>)],
    developers: &[DeveloperCalls],
    proposals: &[Proposal],
    policy_for: impl Fn(&ToolCall) -> &'p Policy + Copy,
) -> Vec<TeamRule> {
    let mut out = Vec::new();
    // Rules are numbered 1, 2, ... across the groups, as `choose` numbers them.
    let mut next = 0;
    for ((root, group), p) in groups.iter().zip(proposals) {
        let name = root.display().to_string();
        let devs: Vec<&DeveloperCalls> = developers.iter().filter(|(n, _, _)| *n == name).collect();
        for r in &p.rules {
            let saves = devs
                .iter()
                .map(|(_, dev, range)| {
                    let (c, d) = (&calls[range.clone()], &decisions[range.clone()]);
                    let before = d.iter().filter(|d| d.verdict.prompts()).count();
                    let mine = range.start - group.start..range.end - group.start;
                    let (after, saved) = p.answers.part(mine).saved_with(
                        c,
                        d,
                        policy_for,
                        std::slice::from_ref(&r.rule),
                    );
                    DeveloperSaving {
                        developer: dev.as_deref().unwrap_or("-").to_string(),
                        prompts_saved: before.saturating_sub(after),
                        saved,
                    }
                })
                .collect();
            out.push(place(next + 1, &r.rule, &name, devs.len(), saves));
            next += 1;
        }
    }
    out
}

/// Runs `permstat suggest`.
pub fn run(args: &SuggestRunOptions) -> anyhow::Result<ExitCode> {
    let (window, defaulted) = effective_window(&args.window);
    window::bounds(&window)?;
    let team = super::team::resolve(&args.input)?.is_some();
    if team && args.write {
        anyhow::bail!(
            "--write with --team: the settings files belong on each developer's machine; \
             the output says where each rule goes (--format settings prints them as a block)"
        );
    }
    if team && args.scope == WriteScope::User {
        anyhow::bail!(
            "--scope user with --team: team suggestions go to each project's shared or local \
             file; run suggest on one developer's folder for their user settings"
        );
    }
    let redactor = Redactor::new(!args.input.no_redact);
    let params = EvidenceParams {
        floor_ms: args.human_floor_ms,
    };
    let mut opts = args.thresholds;
    if args.scope == WriteScope::User {
        opts.min_projects = opts.min_projects.max(2);
    }
    let how = How {
        window: &window,
        defaulted,
        opts: &opts,
        redactor,
        params: &params,
    };
    let Proposed {
        info,
        roots,
        proposals,
        settled,
        team_rules,
    } = if team {
        propose_loaded(args, &how)?
    } else {
        propose_streamed(args, &how)?
    };
    let refs: Vec<&Proposal> = proposals.iter().collect();
    let (choices, unknown) =
        choose(&refs, &args.pick, &args.exclude).map_err(anyhow::Error::msg)?;
    if !args.input.quiet {
        for e in unknown {
            eprintln!("permstat: warning: --exclude {e}: no proposed rule has this text");
        }
    }
    // A settings block needs no target file: nothing below applies.
    if let SuggestFormat::Settings = args.format {
        let chosen: Vec<&str> = proposals
            .iter()
            .flat_map(|p| &p.rules)
            .zip(&choices)
            .filter(|(_, c)| c.chosen)
            .map(|(r, _)| r.rule.as_str())
            .collect();
        output::print_json(&settings_block(&chosen))?;
        return Ok(ExitCode::SUCCESS);
    }

    // Plan every file first: one refusal writes nothing anywhere.
    let mut targets: Vec<ProjectTarget> = Vec::new();
    let mut plans = Vec::new();
    for ((root, p), settled) in roots.iter().zip(&proposals).zip(settled) {
        let Settled {
            chosen,
            after,
            saved,
        } = settled;
        // A team's files are on its developers' machines: nothing to plan here.
        let target = if team {
            PathBuf::from(TEAM_TARGET)
        } else {
            scope_file(args.scope, root, args.input.config_dir.as_deref())?
        };
        let plan = if chosen.is_empty() || team {
            None
        } else {
            let (policy, _) = Policy::load(&load_options(&args.input, &args.settings, root));
            Some(plan_write(&target, &chosen, policy.managed_rules_only)?)
        };
        targets.push(ProjectTarget {
            project: root.display().to_string(),
            target: target.display().to_string(),
            prompts_before: p.prompts_before,
            prompts_after: after,
            answered: p.answered,
            answered_saved: saved,
            rules: chosen.len(),
            diff: plan.as_ref().map(|p| p.diff.clone()).unwrap_or_default(),
            already_present: plan
                .as_ref()
                .map(|p| p.already_present.clone())
                .unwrap_or_default(),
            written: false,
            backup: None,
        });
        plans.push(plan);
    }
    if args.write {
        for (t, plan) in targets.iter_mut().zip(&plans) {
            if let Some(plan) = plan.as_ref().filter(|p| p.changed()) {
                let applied = apply(plan)?;
                t.written = applied.written;
                t.backup = applied.backup.map(|b| b.display().to_string());
            }
        }
    }

    let left_out = merge_left_out(proposals.iter().map(|p| p.left_out.clone()));
    let rules: Vec<ShownRule<'_>> = proposals
        .iter()
        .flat_map(|p| &p.rules)
        .zip(&choices)
        .map(|(rule, c)| ShownRule {
            number: c.number,
            chosen: c.chosen,
            rule,
        })
        .collect();
    let out = SuggestOutput::new(
        info,
        args.scope.name(),
        rules,
        targets,
        friction(&left_out, FRICTION_ROWS),
        left_out,
    )
    .with_team(team_rules);
    output::suggest::print(&out, args.format, args.write)?;
    Ok(ExitCode::SUCCESS)
}

/// How the proposals are made: the window, the thresholds, redaction and the rules of
/// evidence.
struct How<'a> {
    window: &'a WindowOptions,
    defaulted: bool,
    opts: &'a SuggestOptions,
    redactor: Redactor,
    params: &'a EvidenceParams,
}

/// The proposal of each project group, and what the rest of the command needs of them.
/// The calls themselves are gone: each group's savings under `--pick` and `--exclude` are
/// settled while its calls are at hand, so that one group's calls at a time are in memory.
struct Proposed {
    info: WindowInfo,
    /// Each project group's root (or, in team mode, name), in the order of `proposals`.
    roots: Vec<PathBuf>,
    /// One per group.
    proposals: Vec<Proposal>,
    /// One per group: what its chosen rules change.
    settled: Vec<Settled>,
    /// In team mode, where each rule belongs and what it saves each developer.
    team_rules: Vec<TeamRule>,
}

/// What the chosen rules of one project group change.
struct Settled {
    /// The texts of the group's rules that `--pick` and `--exclude` leave chosen.
    chosen: Vec<String>,
    /// Calls that would still prompt by replay with the chosen rules added.
    after: usize,
    /// Answered prompts the chosen rules would have saved.
    saved: Bounds,
}

impl Settled {
    /// Settles the rules of `p`, numbered from `first` on (1-based, across groups), over
    /// the group's `calls` replayed as `decisions`.
    fn of<'p>(
        p: &Proposal,
        first: usize,
        args: &SuggestRunOptions,
        calls: &[ToolCall],
        decisions: &[Decision],
        policy_for: impl Fn(&ToolCall) -> &'p Policy,
    ) -> Settled {
        let chosen: Vec<String> = (first..)
            .zip(&p.rules)
            .filter(|(n, r)| is_chosen(*n, &r.rule, &args.pick, &args.exclude))
            .map(|(_, r)| r.rule.clone())
            .collect();
        let (after, saved) = p.answers.saved_with(calls, decisions, policy_for, &chosen);
        Settled {
            chosen,
            after,
            saved,
        }
    }
}

/// Team mode: every call at once, each developer's calls side by side within their
/// project's group (what a rule saves each developer is replayed over their calls).
fn propose_loaded(args: &SuggestRunOptions, how: &How<'_>) -> anyhow::Result<Proposed> {
    let loaded = load(&args.input)?;
    crate::suggest::safety::warm_up();
    let (since, _) = window::bounds(how.window)?;
    let mut older = Older::default();
    older.count(&loaded.table.calls, how.window, since);
    let mut info = window_info(older, how.window, how.defaulted, args);
    let mut calls = window::apply_window_checked(loaded.table.calls, how.window)?;
    info.calls = calls.len();
    let mut replayed = replay_calls(&calls, &args.input, &args.settings);
    warn_settings(&args.input, &replayed.warnings);
    let mut decisions = std::mem::take(&mut replayed.decisions);
    let roots = ProjectRoots::new();
    let root = &args.settings.project_root;
    let name_of = |c: &ToolCall| match root {
        Some(r) => team_project(r),
        None => team_project(&roots.of(c)),
    };
    let developers: Vec<DeveloperCalls> = group_by(&mut calls, &mut decisions, |c| {
        (name_of(c), c.developer.clone())
    })
    .into_iter()
    .map(|((name, dev), range)| (name, dev, range))
    .collect();
    let mut groups: Vec<(PathBuf, Range<usize>)> = Vec::new();
    for (name, _, range) in &developers {
        match groups.last_mut() {
            Some((n, r)) if n.as_os_str() == name.as_str() => r.end = range.end,
            _ => groups.push((PathBuf::from(name), range.clone())),
        }
    }
    let policy_for = |c: &ToolCall| replayed.policy_for(c, &args.settings);
    let mut proposals: Vec<Proposal> = Vec::new();
    let mut settled: Vec<Settled> = Vec::new();
    let mut first = 1;
    for (root, range) in &groups {
        let (calls, decisions) = (&calls[range.clone()], &decisions[range.clone()]);
        // The evidence of each group on its own: a session's calls stay in one project.
        let keys = replay_keys(calls, decisions);
        let evidence = evidence_of(calls, decisions, policy_for, &keys, how.params);
        drop(keys);
        let mut p = suggest_with(
            calls,
            decisions,
            policy_for,
            &evidence,
            how.opts,
            how.redactor,
        );
        for r in &mut p.rules {
            r.project = Some(root.display().to_string());
        }
        settled.push(Settled::of(&p, first, args, calls, decisions, policy_for));
        first += p.rules.len();
        proposals.push(p);
    }
    let team_rules = team_rules(
        &calls,
        &decisions,
        &groups,
        &developers,
        &proposals,
        policy_for,
    );
    Ok(Proposed {
        info,
        roots: groups.into_iter().map(|(root, _)| root).collect(),
        proposals,
        settled,
        team_rules,
    })
}

/// What the stream keeps of the calls: a summary per project group (see
/// [`crate::suggest::Summary`]), the calls before the window, and the calls in it.
#[derive(Default)]
struct Kept {
    groups: BTreeMap<PathBuf, Summary>,
    older: Older,
    calls: usize,
}

impl Kept {
    /// Adds what another part of the stream kept.
    fn absorb(&mut self, other: Kept) {
        self.older.absorb(other.older);
        self.calls += other.calls;
        for (root, s) in other.groups {
            match self.groups.entry(root) {
                Entry::Occupied(e) => e.into_mut().absorb(s),
                Entry::Vacant(e) => {
                    e.insert(s);
                }
            }
        }
    }
}

/// One set of sessions at a time ([`stream`]): each set's calls are split by project
/// group, replayed, weighed by the evidence of their sessions, and summarized; the rules'
/// adoptions are settled per group once every set is in, and the suggester runs over each
/// group's summary. Gives what reading every call at once would.
fn propose_streamed(args: &SuggestRunOptions, how: &How<'_>) -> anyhow::Result<Proposed> {
    let (since, _) = window::bounds(how.window)?;
    let book = PolicyBook::new(&args.input, &args.settings);
    // One group for the user scope or --project-root; else each folder's project root.
    let single = match (args.scope, &args.settings.project_root) {
        (WriteScope::User, _) => Some(
            discover::config_root(args.input.config_dir.as_deref())
                .context("no home folder: pass --config-dir")?,
        ),
        (_, Some(root)) => Some(root.clone()),
        (_, None) => None,
    };
    let roots = ProjectRoots::new();
    let group_of = |c: &ToolCall| -> PathBuf { single.clone().unwrap_or_else(|| roots.of(c)) };
    let streamed = stream(
        &args.input,
        &Fold {
            new: Kept::default,
            add: |k: &mut Kept, table: Table| {
                k.older.count(&table.calls, how.window, since);
                let calls = window::apply_window(table.calls, how.window).unwrap_or_default();
                k.calls += calls.len();
                let mut by_group: BTreeMap<PathBuf, Vec<ToolCall>> = BTreeMap::new();
                for c in calls {
                    by_group.entry(group_of(&c)).or_default().push(c);
                }
                for (root, calls) in by_group {
                    let into = k.groups.entry(root).or_default();
                    summarize(&calls, &book, &args.settings, how.params, into);
                }
            },
            merge: Kept::absorb,
            // Its peak comes after the reading, on top of what the reading left: side by
            // side, the groups left 2-5 MB more on the 1 GB corpora.
            width: Width::One,
            result: PhantomData,
        },
    )?;
    // safe-chains builds its tables once the reading is done: built during it, they added
    // to its peak (74 MB instead of 71 on 1 GB; see docs/speed-log.md).
    crate::suggest::safety::warm_up();
    let Kept {
        mut groups,
        older,
        calls: in_window,
    } = streamed.merged;
    if how.window.project.is_some() && !older.matched {
        return Err(window::no_project_match(how.window));
    }
    if let Some(root) = single {
        groups.entry(root).or_default();
    }
    let mut info = window_info(older, how.window, how.defaulted, args);
    info.calls = in_window;
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut proposals: Vec<Proposal> = Vec::new();
    let mut settled: Vec<Settled> = Vec::new();
    let mut first = 1;
    // Every summary finished first: rows take less memory than the summary they come from.
    let finished: Vec<(PathBuf, Rows)> = groups.into_iter().map(|(r, s)| (r, s.finish())).collect();
    // Then one group's replay at a time: the replay of a call reads that call and its
    // folder's settings only, so replaying group by group decides as replaying all at once.
    for (root, rows) in finished {
        let replayed = book.replay(&rows.calls);
        let policy_for = |c: &ToolCall| replayed.policy_for(c, &args.settings);
        let (c, d) = (&rows.calls, &replayed.decisions);
        let answers = Answers::of_rows(rows.known, rows.weights, rows.confirmed);
        let mut p = suggest_answered(c, d, policy_for, answers, how.opts, how.redactor);
        for r in &mut p.rules {
            r.project = Some(root.display().to_string());
        }
        settled.push(Settled::of(&p, first, args, c, d, policy_for));
        first += p.rules.len();
        // Read by `Settled::of` only: the rows' answers need not outlive their group.
        p.answers = Answers::default();
        roots.push(root);
        proposals.push(p);
    }
    warn_settings(&args.input, &book.warnings());
    Ok(Proposed {
        info,
        roots,
        proposals,
        settled,
        team_rules: Vec::new(),
    })
}

/// Replays `calls` (whole sessions of one project group, or their part in it), weighs
/// them by the evidence of their sessions, and adds them to the group's summary: calls the
/// suggester may read as rows, the others to the share confirmed only.
fn summarize(
    calls: &[ToolCall],
    book: &PolicyBook<'_>,
    settings: &SettingsOptions,
    params: &EvidenceParams,
    into: &mut Summary,
) {
    let replayed = book.replay(calls);
    let decisions = &replayed.decisions;
    let policy_for = |c: &ToolCall| replayed.policy_for(c, settings);
    let keys = replay_keys(calls, decisions);
    let mut ev = evidence_with(calls, decisions, policy_for, &keys, params, Adopt::Deferred);
    drop(keys);
    let waiting: HashMap<usize, &Arc<str>> = ev.pending().iter().map(|(i, r)| (*i, r)).collect();
    for (i, (c, d)) in calls.iter().zip(decisions).enumerate() {
        let known = ev.answer(i, c, gate_of(&d.verdict));
        let gate = ev.gate(i).unwrap_or_else(|| gate_of(&d.verdict));
        let read = readable(c, d);
        let policy = policy_for(c);
        match waiting.get(&i) {
            Some(rule) => into.wait(c, policy, (known, gate), Arc::clone(rule), read),
            None if read || known.answer.is_prompt() => into.add(c, policy, known, gate),
            None => into.count(c, &known, gate),
        }
    }
    into.see(std::mem::take(&mut ev.found.seen));
}

/// True when the suggester may read a call whatever its answer: a Bash call (a prefix rule
/// is checked against every invocation it would cover), a call the replay says prompts
/// (a rule may save it), or one a deny rule stopped (left out as denied).
fn readable(c: &ToolCall, d: &Decision) -> bool {
    family(&c.tool) == Family::Bash
        || d.verdict.prompts()
        || (c.outcome.executed() && d.verdict == Verdict::DeniedByRule)
}
