//! Gating: the thresholds a screened candidate must meet (approvals, sessions, projects, no
//! more rejections than approvals).

use super::{Cand, Reason, SuggestOptions};
use crate::event::ToolCall;
use crate::suggest::summary::Weights;
use std::collections::BTreeSet;

/// Thresholds and rejections for one candidate.
pub(super) fn thresholds(
    c: &Cand,
    calls: &[ToolCall],
    w: &Weights,
    opts: &SuggestOptions,
) -> Result<(), (Reason, String)> {
    let approvals = w.sum(c.approvals.iter().copied());
    let rejections = w.sum(c.rejections.iter().copied());
    if rejections > approvals {
        return Err((
            Reason::Rejected,
            format!("rejected {rejections} times, approved {approvals} times"),
        ));
    }
    if approvals < opts.min_count {
        return Err((
            Reason::TooRare,
            format!("approved {approvals} times, fewer than {}", opts.min_count),
        ));
    }
    let s = sessions(calls, w, &c.approvals);
    if s < opts.min_sessions {
        return Err((
            Reason::TooFewSessions,
            format!(
                "approved in {s} session(s), fewer than {}",
                opts.min_sessions
            ),
        ));
    }
    let p = projects(calls, &c.approvals);
    if p < opts.min_projects {
        return Err((
            Reason::TooFewProjects,
            format!(
                "approved in {p} project(s), fewer than {}: a rule for one project belongs in that project's settings",
                opts.min_projects
            ),
        ));
    }
    Ok(())
}

/// Distinct sessions among the calls at `idx` (each with the sessions it stands for).
pub(super) fn sessions(calls: &[ToolCall], w: &Weights, idx: &BTreeSet<usize>) -> usize {
    w.sessions(calls, idx.iter().copied())
}

/// Distinct projects (working folders) among the calls at `idx`.
pub(super) fn projects(calls: &[ToolCall], idx: &BTreeSet<usize>) -> usize {
    idx.iter()
        .filter_map(|&i| calls[i].project.as_deref())
        .collect::<BTreeSet<&str>>()
        .len()
}
