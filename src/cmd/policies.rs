//! Loading the settings that apply to each session, and replaying every call against them.

use super::{apply_window, load};
use crate::analysis::keys::judged_keys;
use crate::analysis::{Gate, answer};
use crate::cli::{InputArgs, SettingsArgs, WindowArgs};
use crate::event::ToolCall;
use crate::output::frame::Row;
use crate::permissions::engine::{Decision, Verdict};
use crate::permissions::replay;
use crate::permissions::settings::{LoadOptions, Policy, Warning};
use crate::transcript::discover;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

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
    /// One policy per session folder.
    pub policies: HashMap<PathBuf, Policy>,
    /// The policy of calls whose folder is unknown.
    pub fallback: Policy,
}

impl Replayed {
    /// The policy a call was decided under.
    pub fn policy_for(&self, call: &ToolCall, settings: &SettingsArgs) -> &Policy {
        self.policies
            .get(&session_cwd(call, settings))
            .unwrap_or(&self.fallback)
    }
}

/// The options that locate settings for a session that started in `cwd`.
pub fn load_options(input: &InputArgs, settings: &SettingsArgs, cwd: &Path) -> LoadOptions {
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
pub fn session_cwd(call: &ToolCall, settings: &SettingsArgs) -> PathBuf {
    call.project
        .as_deref()
        .map(PathBuf::from)
        .or_else(|| settings.project_root.clone())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// The gate the analyses use for a verdict.
pub fn gate_of(v: &Verdict) -> Gate {
    match v {
        Verdict::AutoAllowed(_) => Gate::AutoAllowed,
        Verdict::AllowedByRule => Gate::AllowedByRule,
        Verdict::AskRule => Gate::AskRule,
        Verdict::WouldPrompt(_) => Gate::WouldPrompt,
        Verdict::DeniedByRule => Gate::DeniedByRule,
        Verdict::DontAskDenied => Gate::DontAskDenied,
        Verdict::Classifier => Gate::Classifier,
    }
}

/// Loads one policy per session folder and decides every call (in parallel).
pub fn replay_calls(calls: &[ToolCall], input: &InputArgs, settings: &SettingsArgs) -> Replayed {
    let mut policies: HashMap<PathBuf, Policy> = HashMap::new();
    let mut warnings: Vec<Warning> = Vec::new();
    let mut seen_warnings = BTreeSet::new();
    let mut files = BTreeSet::new();
    for c in calls {
        let cwd = session_cwd(c, settings);
        if policies.contains_key(&cwd) {
            continue;
        }
        let (policy, ws) = Policy::load(&load_options(input, settings, &cwd));
        for w in ws {
            if seen_warnings.insert(w.to_string()) {
                warnings.push(w);
            }
        }
        files.extend(policy.files.iter().cloned());
        policies.insert(cwd, policy);
    }
    let fallback = Policy::load(&load_options(input, settings, Path::new("/"))).0;
    let policy_of =
        |c: &ToolCall| -> &Policy { policies.get(&session_cwd(c, settings)).unwrap_or(&fallback) };
    let decisions: Vec<Decision> = calls
        .par_chunks(256)
        .flat_map_iter(|chunk| replay::replay(policy_of, chunk))
        .collect();
    let gates = decisions.iter().map(|d| gate_of(&d.verdict)).collect();
    Replayed {
        decisions,
        gates,
        warnings,
        files,
        policies,
        fallback,
    }
}

/// The shared start of every replaying command: read the transcripts, keep the window,
/// replay the settings, and report settings problems on stderr (unless `--quiet`).
pub fn load_and_replay(
    input: &InputArgs,
    settings: &SettingsArgs,
    window: &WindowArgs,
) -> anyhow::Result<(Vec<ToolCall>, Replayed)> {
    let loaded = load(input)?;
    let calls = apply_window(loaded.table.calls, window)?;
    let t = crate::timing::phase("replay");
    let replayed = replay_calls(&calls, input, settings);
    drop(t);
    if !input.quiet {
        for w in &replayed.warnings {
            eprintln!("permstat: warning: {w}");
        }
    }
    Ok((calls, replayed))
}

/// Each call with its gate, what it meant for the person, and its command keys: the rows
/// of the frames behind the report and the exports.
pub fn judged_rows<'a>(calls: &'a [ToolCall], replayed: &Replayed) -> Vec<Row<'a>> {
    calls
        .par_iter()
        .zip(replayed.gates.par_iter().zip(&replayed.decisions))
        .map(|(c, (g, d))| Row {
            call: c,
            gate: *g,
            answer: answer(c.outcome, *g),
            keys: judged_keys(c, c.project.as_deref().map(Path::new), d),
        })
        .collect()
}
