//! Deciding each call of a report once: the replay's judgement of a call, remembered per
//! thread for every distinct call (agents repeat the same reads and the same `git status`).

use crate::analysis::evidence::{self, Replay};
use crate::analysis::keys::judged_keys;
use crate::analysis::risk::Risk;
use crate::analysis::{Gate, gate_of};
use crate::event::{Mode, ToolCall, ToolInput};
use crate::permissions::engine::{CallCtx, Verdict, decide};
use crate::permissions::replay::Summary as ReplaySummary;
use crate::permissions::settings::Policy;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a report finds the settings each call is decided under. The command that runs the
/// report loads them (one policy per developer and session folder) and implements this; the
/// fold only asks.
pub trait PolicyLookup: Sync {
    /// The policy of each session folder of `calls`, loaded on first use.
    fn policies_for(&self, calls: &[ToolCall]) -> PolicyMap;

    /// The policy `call` is decided under, from the map of [`PolicyLookup::policies_for`].
    fn policy_of<'m>(&'m self, policies: &'m PolicyMap, call: &ToolCall) -> &'m Arc<Policy>;
}

/// Policies by developer (whose user settings they hold; `None` outside team mode) and
/// session folder.
#[derive(Debug, Clone, Default)]
pub struct PolicyMap(HashMap<Option<Arc<str>>, HashMap<PathBuf, Arc<Policy>>>);

impl PolicyMap {
    /// The policy of `developer`'s sessions in `cwd`.
    pub fn get(&self, developer: &Option<Arc<str>>, cwd: &Path) -> Option<&Arc<Policy>> {
        self.0.get(developer)?.get(cwd)
    }

    /// True when the map holds a policy for `developer`'s sessions in `cwd`.
    pub fn contains(&self, developer: &Option<Arc<str>>, cwd: &Path) -> bool {
        self.get(developer, cwd).is_some()
    }

    /// Keeps `policy` for `developer`'s sessions in `cwd`.
    pub fn insert(&mut self, developer: Option<Arc<str>>, cwd: PathBuf, policy: Arc<Policy>) {
        self.0.entry(developer).or_default().insert(cwd, policy);
    }

    /// Every policy.
    pub fn values(&self) -> impl Iterator<Item = &Arc<Policy>> {
        self.0.values().flat_map(HashMap::values)
    }
}

/// The policy each of `calls` is decided under, looked up once per run of calls in the
/// same place: calls come session by session, and a lookup hashes the session's folder.
pub(super) fn policies_of<'m>(
    calls: &[ToolCall],
    book: &'m impl PolicyLookup,
    policies: &'m PolicyMap,
) -> Vec<&'m Arc<Policy>> {
    // The policy depends on the call's developer and folder only.
    type Place<'c> = (Option<&'c str>, Option<&'c str>);
    let mut last: Option<(Place<'_>, &Arc<Policy>)> = None;
    calls
        .iter()
        .map(|c| {
            let place = (c.developer.as_deref(), c.project.as_deref());
            match last {
                Some((at, p)) if at == place => p,
                _ => {
                    let p = book.policy_of(policies, c);
                    last = Some((place, p));
                    p
                }
            }
        })
        .collect()
}

/// Replays `calls` (each with its index among them, and its policy from [`policies_of`]),
/// counting the verdicts in `summary`; returns the judgement of each.
pub(super) fn judge_calls(
    calls: &[ToolCall],
    policy: &[&Arc<Policy>],
    summary: &mut ReplaySummary,
) -> Vec<Arc<Judgement>> {
    calls
        .iter()
        .zip(policy)
        .enumerate()
        .map(|(i, (c, p))| {
            let j = judge(p, c, c.mode.as_ref());
            summary.count(i, c, &j.verdict);
            j
        })
        .collect()
}

/// What the replay concluded about a call: the same for every call with the same
/// policy, tool, input, folder and mode.
pub(super) struct Judgement {
    verdict: Verdict,
    /// The mode it was decided in: the one asked for, or, when none was, the policy's
    /// `defaultMode` or `default` (see [`decide`]).
    mode: Mode,
    pub(super) gate: Gate,
    /// The allow rule that decided, with its file (the key of its adoption), if one did.
    pub(super) allow_rule: Option<String>,
    /// The call's command keys, each with whether that part needed a prompt by itself.
    pub(super) keys: Vec<(String, bool)>,
    /// The call's risks, worked out the first time an approved call needs them.
    pub(super) risks: std::sync::OnceLock<Vec<Risk>>,
}

impl Judgement {
    /// True when deciding its call again in `mode` would decide it in the mode it was
    /// decided in, and so give this judgement again.
    fn holds_in(&self, mode: &Mode) -> bool {
        !matches!(mode, Mode::Other(_)) && self.mode == *mode
    }

    /// What the evidence needs of it.
    pub(super) fn replay(&self) -> Replay<'_> {
        Replay {
            gate: self.gate,
            allow_rule: self.allow_rule.as_deref(),
            keys: &self.keys,
        }
    }
}

/// What a [`Judgement`] depends on.
struct JudgeKey {
    policy: Arc<Policy>,
    tool: String,
    input: ToolInput,
    project: Option<Arc<str>>,
    mode: Option<Mode>,
}

impl JudgeKey {
    fn hash(policy: &Arc<Policy>, c: &ToolCall, mode: Option<&Mode>) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        Arc::as_ptr(policy).hash(&mut h);
        c.tool.hash(&mut h);
        c.input.hash(&mut h);
        c.project.hash(&mut h);
        mode.hash(&mut h);
        h.finish()
    }

    fn is(&self, policy: &Arc<Policy>, c: &ToolCall, mode: Option<&Mode>) -> bool {
        Arc::ptr_eq(&self.policy, policy)
            && self.tool == c.tool
            && self.input == c.input
            && self.project == c.project
            && self.mode.as_ref() == mode
    }
}

/// Judgements remembered per thread before the memo starts over (bounds its memory). 512
/// instead of 2048 took the terminal report on 1 GB from 66 to 61 MB at the same time
/// (hyperfine, real-shaped and generated corpora): calls repeat within a session, and a
/// group's distinct calls rarely outrun it.
const JUDGE_MEMO_ENTRIES: usize = 512;

type JudgeMemo = FxHashMap<u64, Vec<(JudgeKey, Arc<Judgement>)>>;

thread_local! {
    /// Agents repeat calls (the same file read, the same `git status`): each distinct one
    /// is decided once per thread. The key holds its policy, so the policy outlives it.
    static JUDGE_MEMO: std::cell::RefCell<(JudgeMemo, usize)> = Default::default();
}

/// The judgement of `c` in `mode`, given its `first` one (under the same `policy`): that
/// one again when it was decided in `mode`. A call without a recorded mode is decided in
/// its policy's default, which mode inference then asks for by name, and the memo keys
/// the two apart: half the calls inference judged again were these.
pub(super) fn again(
    first: &Arc<Judgement>,
    policy: &Arc<Policy>,
    c: &ToolCall,
    mode: &Mode,
) -> Arc<Judgement> {
    if first.holds_in(mode) {
        first.clone()
    } else {
        judge(policy, c, Some(mode))
    }
}

/// Decides `c` under `policy` in `mode` (its recorded one, or one the evidence inferred)
/// and derives its gate and command keys, once per distinct call and thread.
pub(super) fn judge(policy: &Arc<Policy>, c: &ToolCall, mode: Option<&Mode>) -> Arc<Judgement> {
    let hash = JudgeKey::hash(policy, c, mode);
    let hit = JUDGE_MEMO.with_borrow(|(m, _)| {
        m.get(&hash)?
            .iter()
            .find(|(k, _)| k.is(policy, c, mode))
            .map(|(_, j)| j.clone())
    });
    if let Some(j) = hit {
        return j;
    }
    let ctx = CallCtx {
        tool: &c.tool,
        input: &c.input,
        cwd: c.project.as_deref().map(Path::new),
        mode,
    };
    let d = decide(policy, &ctx);
    let allow_rule = evidence::allow_rule(&d);
    let j = Arc::new(Judgement {
        gate: gate_of(&d.verdict),
        allow_rule,
        keys: judged_keys(c, c.project.as_deref().map(Path::new), &d),
        verdict: d.verdict,
        mode: d.mode,
        risks: std::sync::OnceLock::new(),
    });
    JUDGE_MEMO.with_borrow_mut(|(m, n)| {
        if *n >= JUDGE_MEMO_ENTRIES {
            m.clear();
            *n = 0;
        }
        *n += 1;
        m.entry(hash).or_default().push((
            JudgeKey {
                policy: policy.clone(),
                tool: c.tool.clone(),
                input: c.input.clone(),
                project: c.project.clone(),
                mode: mode.cloned(),
            },
            j.clone(),
        ));
    });
    j
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::{With, bash, call};
    use crate::permissions::settings::{Roots, Source};
    use crate::transcript::{discover::discover, scan::scan_files};

    const PROJ: &str = "/home/u/proj";

    fn policy(json: &str) -> Arc<Policy> {
        let roots = Roots::new(Path::new(PROJ), Path::new("/home/u"));
        let path = Path::new(PROJ).join(".claude/settings.json");
        Arc::new(Policy::from_json_str(roots, Source::Project, &path, json).0)
    }

    /// Every mode but an unknown one.
    const MODES: [Mode; 6] = [
        Mode::Default,
        Mode::AcceptEdits,
        Mode::BypassPermissions,
        Mode::Plan,
        Mode::Auto,
        Mode::DontAsk,
    ];

    /// Where `holds_in` says so, deciding again in that mode gives the same judgement.
    fn check(policy: &Arc<Policy>, c: &ToolCall) -> usize {
        let first = judge(policy, c, c.mode.as_ref());
        let mut held = 0;
        for m in &MODES {
            if first.holds_in(m) {
                assert!(Arc::ptr_eq(&again(&first, policy, c, m), &first));
                let again = judge(policy, c, Some(m));
                assert_eq!(again.verdict, first.verdict, "{c:?} in {m:?}");
                assert_eq!(again.gate, first.gate);
                assert_eq!(again.allow_rule, first.allow_rule);
                assert_eq!(again.keys, first.keys);
                held += 1;
            }
        }
        held
    }

    #[test]
    fn a_call_without_a_mode_holds_in_its_policys_default_mode_only() {
        let edit = call("e", "Edit")
            .path(&format!("{PROJ}/src/a.rs"))
            .mode(None);
        let default = policy("{}");
        let j = judge(&default, &edit, None);
        assert!(j.holds_in(&Mode::Default) && !j.holds_in(&Mode::AcceptEdits));
        assert!(j.gate.prompts());
        let accept = policy(r#"{"permissions":{"defaultMode":"acceptEdits"}}"#);
        let j = judge(&accept, &edit, None);
        assert!(j.holds_in(&Mode::AcceptEdits) && !j.holds_in(&Mode::Default));
        assert!(!j.gate.prompts());
        assert_eq!(check(&accept, &edit), 1);
        // An unknown mode is decided as default, but is never the mode asked for.
        let odd = bash("b", "make build").mode(Some(Mode::Other("later".into())));
        let j = judge(&default, &odd, odd.mode.as_ref());
        assert!(j.holds_in(&Mode::Default));
        assert!(!j.holds_in(&Mode::Other("later".into())));
        assert_eq!(check(&default, &odd), 1);
    }

    #[test]
    fn every_real_call_judged_again_where_it_holds_is_judged_alike() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/real");
        let table = scan_files(&discover(&[dir]).files);
        let settings = [
            "{}",
            r#"{"permissions":{"defaultMode":"acceptEdits","allow":["Bash(git *)"]}}"#,
            r#"{"permissions":{"defaultMode":"bypassPermissions","ask":["Bash(npm *)"]}}"#,
        ];
        for s in settings {
            let p = policy(s);
            let mut held = 0;
            for c in &table.calls {
                held += check(&p, c);
                held += check(&p, &c.clone().mode(None));
            }
            // Each call holds in exactly the mode it was decided in, recorded or not.
            assert_eq!(held, 2 * table.calls.len(), "{s}");
        }
    }
}
