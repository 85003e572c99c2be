//! "Yes, and don't ask again" during a session: after a prompt for a command (or an edit, a
//! host, a tool) that was answered slowly, later calls the same rule covers come back at
//! machine speed. That one prompt granted them: it counts, the calls after it do not.
//!
//! Per session, in time order, per grant key (a Bash command key such as `npm run test`,
//! `file edits (in project)` for every file-editing tool, a WebFetch host, a tool name):
//! - an approval that took at least the floor plus a second ([`super::pace::slow`]) is the
//!   candidate grant of each key it needed;
//! - the first call of the key at machine speed after a candidate confirms it: the
//!   candidate becomes the granting prompt ([`Ground::GrantPrompt`]);
//! - from then on, every call whose keys are all granted ran unasked ([`Ground::Granted`]),
//!   until a call of the key waited or was rejected, which shows a dialog again.

use super::Replay;
use super::pace::Pace;
use crate::analysis::{Answer, Gate, Ground, Known};
use crate::event::ToolCall;
use crate::facts::tools::{self, Family};
use crate::text::time::iso;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// A grant found in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantFound {
    /// The session.
    pub session_id: String,
    /// What was granted: a command key, `file edits (in project)`, a host or a tool.
    pub key: String,
    /// When the granting prompt was made (RFC 3339).
    pub granted_at: Option<String>,
    /// Calls of the key after it that ran unasked.
    pub covered: usize,
}

/// Where a key stands in the session so far.
enum State {
    /// Not granted; the last slow approval of it, if any.
    Open(Option<usize>),
    /// Granted by the grant at this index of the found list.
    Granted(usize),
}

/// The keys a "don't ask again" on `call` would grant: the parts that needed a prompt.
pub fn grant_keys(call: &ToolCall, keys: &[(String, bool)]) -> Vec<String> {
    if tools::family(&call.tool) == Family::Edit {
        let inside = keys.iter().any(|(k, _)| k.ends_with("(in project)"));
        let scope = if inside { "in" } else { "outside" };
        return vec![format!("file edits ({scope} project)")];
    }
    let prompting: Vec<String> = keys
        .iter()
        .filter(|(_, p)| *p)
        .map(|(k, _)| k.clone())
        .collect();
    if prompting.is_empty() {
        keys.iter().map(|(k, _)| k.clone()).collect()
    } else {
        prompting
    }
}

/// Finds the grants of every session and rewrites the answers they explain.
pub fn find(
    calls: &[ToolCall],
    sessions: &[Vec<usize>],
    replay: &[Replay<'_>],
    gates: &[Gate],
    pace: &[Pace],
    floor_ms: i64,
    known: &mut [Known],
) -> Vec<GrantFound> {
    let mut found = Vec::new();
    for session in sessions {
        let mut state: FxHashMap<String, State> = FxHashMap::default();
        for &i in session {
            let c = &calls[i];
            let rejected = c.outcome.is_user_rejection();
            let prompted = c.outcome.executed() && gates[i].prompts();
            if !(rejected || prompted) {
                continue;
            }
            let keys = grant_keys(c, replay[i].keys);
            if rejected {
                for k in keys {
                    state.insert(k, State::Open(None));
                }
                continue;
            }
            if keys.is_empty() {
                continue;
            }
            let granted: Vec<Option<usize>> = keys
                .iter()
                .map(|k| match state.get(k) {
                    Some(State::Granted(g)) => Some(*g),
                    _ => None,
                })
                .collect();
            if pace[i] != Pace::Waited
                && let Some(Some(g)) = granted.iter().copied().reduce(|a, b| a.and(b))
            {
                let f: &mut GrantFound = &mut found[g];
                f.covered += 1;
                if known[i].answer == Answer::Approved {
                    known[i] = Known::new(Answer::AutoAllowed, Ground::Granted, known[i].window_ms);
                }
                continue;
            }
            if pace[i].fast() {
                let mut counted = false;
                for k in keys {
                    if let Some(State::Open(Some(p))) = state.get(&k) {
                        let p = *p;
                        found.push(GrantFound {
                            session_id: c.session_id.to_string(),
                            key: k.clone(),
                            granted_at: calls[p].asked_ms.map(iso),
                            covered: usize::from(!counted),
                        });
                        counted = true;
                        if known[p].answer == Answer::Approved {
                            known[p] = Known::new(
                                Answer::Approved,
                                Ground::GrantPrompt,
                                known[p].window_ms,
                            );
                        }
                        state.insert(k, State::Granted(found.len() - 1));
                    }
                }
                continue;
            }
            if known[i].answer == Answer::Approved
                && super::pace::slow(known[i].window_ms, floor_ms)
            {
                for (k, g) in keys.into_iter().zip(granted) {
                    if g.is_none() || pace[i] == Pace::Waited {
                        state.insert(k, State::Open(Some(i)));
                    }
                }
            }
        }
    }
    found
}
