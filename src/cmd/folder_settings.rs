//! Loading the settings that apply to each session folder (the user's, the project's, the
//! managed ones and any `--settings` files, as Claude Code finds them), and replaying every
//! call against them.

use super::team::Team;
use super::{InputOptions, WindowOptions, load, window};
use crate::analysis::evidence::{Adopt, EvidenceParams, Replay, allow_rule};
use crate::analysis::keys::judged_keys;
use crate::analysis::report::{PolicyLookup, PolicyMap};
use crate::analysis::{Evidence, Gate, gate_of};
use crate::event::{Mode, ToolCall};
use crate::output::frame::Row;
use crate::permissions::engine::{CallCtx, Decision, decide};
use crate::permissions::replay;
use crate::permissions::settings::{LoadOptions, Policy, Warning};
use crate::transcript::discover;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where settings come from besides the user's, project's and managed files, which are
/// found as Claude Code finds them.
#[derive(Debug, Clone)]
pub struct SettingsOptions {
    /// Extra settings files, applied like Claude Code's `--settings`.
    pub settings: Vec<PathBuf>,
    /// Project root whose .claude/ settings apply to every session (None: each session's
    /// recorded working folder, and its git root for settings.local.json).
    pub project_root: Option<PathBuf>,
    /// Folder of managed (enterprise) settings.
    pub managed_dir: PathBuf,
}

/// The reading of one set of calls against today's settings.
pub struct Replayed {
    /// One decision per call, in the calls' order.
    pub decisions: Vec<Decision>,
    /// Each decision reduced to the gate the analyses use.
    pub gates: Vec<Gate>,
    /// Settings problems (broken files, bad rules), each once.
    pub warnings: Vec<Warning>,
    /// The settings files that were read.
    pub files: BTreeSet<PathBuf>,
    /// One policy per developer and session folder.
    pub policies: PolicyMap,
    /// The policy of calls whose folder is unknown.
    pub fallback: Arc<Policy>,
}

impl Replayed {
    /// The policy a call was decided under.
    pub fn policy_for(&self, call: &ToolCall, settings: &SettingsOptions) -> &Policy {
        self.policies
            .get(&call.developer, &session_cwd(call, settings))
            .unwrap_or(&self.fallback)
    }
}

/// Settings loaded once per session folder and shared by every group of calls replayed
/// against them (the streaming report replays one group of sessions at a time, in parallel).
pub struct PolicyBook<'a> {
    input: &'a InputOptions,
    settings: &'a SettingsOptions,
    /// Team mode: where each developer's user settings are.
    team: Option<Team>,
    loaded: Mutex<PolicyMap>,
    warnings: Mutex<Vec<Warning>>,
    fallback: Arc<Policy>,
}

impl<'a> PolicyBook<'a> {
    /// A book with nothing loaded yet but the policy of calls whose folder is unknown.
    pub fn new(input: &'a InputOptions, settings: &'a SettingsOptions) -> Self {
        let fallback = Arc::new(Policy::load(&load_options(input, settings, Path::new("/"))).0);
        // A bad team folder fails when the transcripts are looked for.
        let team = super::team::resolve(input).ok().flatten();
        PolicyBook {
            input,
            settings,
            team,
            loaded: Mutex::default(),
            warnings: Mutex::default(),
            fallback,
        }
    }

    /// The policy of `developer`'s sessions that started in `cwd`, loaded on first use.
    fn policy(&self, developer: &Option<Arc<str>>, cwd: &Path) -> Arc<Policy> {
        if let Some(p) = lock(&self.loaded).get(developer, cwd) {
            return p.clone();
        }
        // Loaded outside the lock: two threads may both load a folder; the first one kept wins.
        let mut opts = load_options(self.input, self.settings, cwd);
        // In team mode a developer's own user settings apply to their calls.
        if let Some(config) = developer
            .as_deref()
            .zip(self.team.as_ref())
            .and_then(|(d, t)| t.config_of(d))
        {
            opts.config_dir = config;
        }
        let (policy, ws) = Policy::load(&opts);
        let policy = Arc::new(policy);
        let mut loaded = lock(&self.loaded);
        if let Some(p) = loaded.get(developer, cwd) {
            return p.clone();
        }
        loaded.insert(developer.clone(), cwd.to_path_buf(), policy.clone());
        drop(loaded);
        let mut warnings = lock(&self.warnings);
        for w in ws {
            if !warnings.iter().any(|old| old.to_string() == w.to_string()) {
                warnings.push(w);
            }
        }
        policy
    }

    /// Decides every call (in parallel chunks).
    pub fn replay(&self, calls: &[ToolCall]) -> Replayed {
        let policies = self.policies_for(calls);
        let policy_of = |c: &ToolCall| -> &Policy { self.policy_of(&policies, c) };
        let decisions: Vec<Decision> = calls
            .par_chunks(256)
            .flat_map_iter(|chunk| replay::replay(policy_of, chunk))
            .collect();
        let gates = decisions.iter().map(|d| gate_of(&d.verdict)).collect();
        let files = policies
            .values()
            .flat_map(|p| p.files.iter().cloned())
            .collect();
        Replayed {
            decisions,
            gates,
            warnings: Vec::new(),
            files,
            policies,
            fallback: self.fallback.clone(),
        }
    }

    /// Every settings problem met so far, each once, in a stable order.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut ws = std::mem::take(&mut *lock(&self.warnings));
        ws.sort_by_cached_key(|w| w.to_string());
        ws
    }
}

/// The report's fold asks the book for the settings of each call.
impl PolicyLookup for PolicyBook<'_> {
    fn policies_for(&self, calls: &[ToolCall]) -> PolicyMap {
        let mut policies = PolicyMap::default();
        let mut last = None;
        for c in calls {
            // Calls come session by session: most have the folder of the call before.
            let place = (c.developer.as_deref(), c.project.as_deref());
            if last == Some(place) {
                continue;
            }
            last = Some(place);
            let cwd = cwd_of(c, self.settings);
            if !policies.contains(&c.developer, &cwd) {
                let p = self.policy(&c.developer, &cwd);
                policies.insert(c.developer.clone(), cwd.into_owned(), p);
            }
        }
        policies
    }

    fn policy_of<'m>(&'m self, policies: &'m PolicyMap, call: &ToolCall) -> &'m Arc<Policy> {
        policies
            .get(&call.developer, &cwd_of(call, self.settings))
            .unwrap_or(&self.fallback)
    }
}

/// A lock that a panicked holder did not poison for good (the data is plain maps).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The options that locate settings for a session that started in `cwd`.
pub fn load_options(input: &InputOptions, settings: &SettingsOptions, cwd: &Path) -> LoadOptions {
    let config_dir = discover::config_root(input.config_dir.as_deref())
        .unwrap_or_else(|| PathBuf::from(".claude"));
    let mut opts = LoadOptions::new(&config_dir, cwd);
    opts.managed_dir = settings.managed_dir.clone();
    opts.project_root = settings.project_root.clone();
    opts.extra = settings.settings.clone();
    opts
}

/// The folder a session is taken to have started in: its recorded `cwd`, else
/// `--project-root`, else the current folder.
pub fn session_cwd(call: &ToolCall, settings: &SettingsOptions) -> PathBuf {
    call.project
        .as_deref()
        .map(PathBuf::from)
        .or_else(|| settings.project_root.clone())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// [`session_cwd`], borrowed from the call when it records its folder (as nearly all do).
fn cwd_of<'c>(call: &'c ToolCall, settings: &SettingsOptions) -> std::borrow::Cow<'c, Path> {
    match call.project.as_deref() {
        Some(p) => std::borrow::Cow::Borrowed(Path::new(p)),
        None => std::borrow::Cow::Owned(session_cwd(call, settings)),
    }
}

/// Loads one policy per session folder and decides every call (in parallel).
pub fn replay_calls(
    calls: &[ToolCall],
    input: &InputOptions,
    settings: &SettingsOptions,
) -> Replayed {
    let book = PolicyBook::new(input, settings);
    let mut replayed = book.replay(calls);
    replayed.warnings = book.warnings();
    replayed
}

/// The shared start of every replaying command: read the transcripts, keep the window,
/// replay the settings, and report settings problems on stderr (unless `--quiet`).
pub fn load_and_replay(
    input: &InputOptions,
    settings: &SettingsOptions,
    window: &WindowOptions,
) -> anyhow::Result<(Vec<ToolCall>, Replayed)> {
    // A bad window fails before any file is read.
    window::bounds(window)?;
    let loaded = load(input)?;
    let calls = window::apply_window_checked(loaded.table.calls, window)?;
    let t = crate::timing::phase("replay");
    let replayed = replay_calls(&calls, input, settings);
    drop(t);
    warn_settings(input, &replayed.warnings);
    Ok((calls, replayed))
}

/// A settings warning as shown: redacted unless `--no-redact` (a rule may hold a token).
pub fn warning_text(input: &InputOptions, w: &Warning) -> String {
    crate::text::redact::Redactor::new(!input.no_redact)
        .redact(&w.to_string())
        .into_owned()
}

/// Prints settings warnings on stderr (redacted), unless `--quiet`.
pub fn warn_settings(input: &InputOptions, warnings: &[Warning]) {
    if !input.quiet {
        for w in warnings {
            eprintln!("permstat: warning: {}", warning_text(input, w));
        }
    }
}

/// Decides `call` under `policy` in `mode` (None: its recorded mode).
fn decide_in(policy: &Policy, call: &ToolCall, mode: Option<&Mode>) -> Decision {
    decide(
        policy,
        &CallCtx {
            tool: &call.tool,
            input: &call.input,
            cwd: call.project.as_deref().map(Path::new),
            mode: mode.or(call.mode.as_ref()),
        },
    )
}

/// The command keys of every call under its decision (`decisions` in the calls' order), in
/// parallel.
pub fn replay_keys(calls: &[ToolCall], decisions: &[Decision]) -> Vec<Vec<(String, bool)>> {
    calls
        .par_iter()
        .zip(decisions)
        .map(|(c, d)| judged_keys(c, c.project.as_deref().map(Path::new), d))
        .collect()
}

/// The evidence behind every call's answer, gathered over all of them: `decisions` are
/// their replayed decisions (in the calls' order), `policy_for` the settings each was decided
/// under, `keys` from [`replay_keys`]. The rules adopted during the window are settled over
/// these calls.
pub fn evidence_of<'p>(
    calls: &[ToolCall],
    decisions: &[Decision],
    policy_for: impl Fn(&ToolCall) -> &'p Policy,
    keys: &[Vec<(String, bool)>],
    params: &EvidenceParams,
) -> Evidence {
    evidence_with(calls, decisions, policy_for, keys, params, Adopt::Here)
}

/// [`evidence_of`], with the rules' adoptions settled where `adopt` says (the streaming
/// suggester settles them per project once every set is in).
pub fn evidence_with<'p>(
    calls: &[ToolCall],
    decisions: &[Decision],
    policy_for: impl Fn(&ToolCall) -> &'p Policy,
    keys: &[Vec<(String, bool)>],
    params: &EvidenceParams,
    adopt: Adopt,
) -> Evidence {
    let rules: Vec<Option<String>> = decisions.iter().map(allow_rule).collect();
    let facts: Vec<Replay> = decisions
        .iter()
        .zip(&rules)
        .zip(keys)
        .map(|((d, r), k)| Replay {
            gate: gate_of(&d.verdict),
            allow_rule: r.as_deref(),
            keys: k,
        })
        .collect();
    let rejudge = |i: usize, m: &Mode| {
        let c = &calls[i];
        gate_of(&decide_in(policy_for(c), c, Some(m)).verdict)
    };
    Evidence::gather(calls, &facts, &rejudge, params, adopt)
}

/// Each call with its gate, what it meant for the person and how that is known, the mode
/// inferred for it, and its command keys (in that mode): the rows of the exported frames.
pub fn judged_rows<'a>(
    calls: &'a [ToolCall],
    replayed: &Replayed,
    settings: &SettingsOptions,
    params: &EvidenceParams,
) -> Vec<Row<'a>> {
    let keys = replay_keys(calls, &replayed.decisions);
    let evidence = evidence_of(
        calls,
        &replayed.decisions,
        |c| replayed.policy_for(c, settings),
        &keys,
        params,
    );
    calls
        .par_iter()
        .zip(replayed.gates.par_iter().zip(keys))
        .enumerate()
        .map(|(i, (c, (g, keys)))| {
            let inferred = evidence.mode(i);
            let keys = match inferred {
                Some(m) => {
                    let d = decide_in(replayed.policy_for(c, settings), c, Some(&m.mode()));
                    judged_keys(c, c.project.as_deref().map(Path::new), &d)
                }
                None => keys,
            };
            Row {
                call: c,
                gate: *g,
                known: evidence.answer(i, c, *g),
                inferred_mode: inferred,
                keys,
            }
        })
        .collect()
}
