//! The honest answer to "why do I still get prompts": the biggest friction that no safe
//! rule removes, with why and what to do instead.
//!
//! It is read off the left-out candidates: those left out for what they are (risky, writing,
//! running project code, not coverable by any rule, a tool permstat makes no rules for), not
//! those that merely lacked evidence (too rare, too few sessions) or that need no rule (Claude
//! Code runs them unasked, a rule already decides). The advice is one table per reason, and
//! one per tool family for tools without rules.

use super::{LeftOut, Reason};
use crate::facts::tools::{self, Family};
use serde::Serialize;

/// One source of prompts that no safe rule removes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Friction {
    /// The tool.
    pub tool: String,
    /// The command part, host or tool (redacted).
    pub key: String,
    /// Why no rule was proposed.
    pub reason: Reason,
    /// The detail of that reason (redacted).
    pub why: String,
    /// What to do instead.
    pub advice: &'static str,
    /// Approved prompts it caused.
    pub count: usize,
}

/// What to do about friction left out for each reason; reasons not listed are not friction
/// a rule could never remove.
pub const REASON_ADVICE: &[(Reason, &str)] = &[
    (
        Reason::RunsProjectCode,
        "`--include-runners` proposes an exact rule for it, labelled as running project code: accept it knowingly",
    ),
    (
        Reason::WritesOrDestructive,
        "it writes or destroys, so the prompt is the safeguard (acceptEdits mode lets file writes inside the project through)",
    ),
    (
        Reason::Risky,
        "no allow rule is safe for it; keep the prompt, or add a deny rule if it should never run",
    ),
    (
        Reason::Uncoverable,
        "Claude Code asks for this shape of command whatever the rules (substitution, subshell, protected path, ...)",
    ),
    (
        Reason::NotReadOnly,
        "the tool's name does not say it only reads; allow it by name yourself if you trust it",
    ),
    (
        Reason::UnverifiedMcp,
        "its outcome cannot be told from text the server could have written",
    ),
    (
        Reason::UnsupportedTool,
        "permstat proposes no rules for this tool",
    ),
];

/// Advice for tools permstat proposes no rules for, by rule family.
pub const TOOL_ADVICE: &[(Family, &str)] = &[
    (
        Family::Edit,
        "file edits: acceptEdits mode (shift+tab) runs them unasked inside the project, cheaper and narrower than rules",
    ),
    (
        Family::WebSearch,
        "WebSearch takes no specifier: allow it bare if searching is fine",
    ),
    (
        Family::Read,
        "reads outside the working folders: add the folder to additionalDirectories (or /add-dir) instead",
    ),
];

/// The advice for a left-out candidate, None when it is not friction no rule removes.
fn advice(l: &LeftOut) -> Option<&'static str> {
    let general = REASON_ADVICE
        .iter()
        .find(|(r, _)| *r == l.reason)
        .map(|(_, a)| *a)?;
    if l.reason != Reason::UnsupportedTool {
        return Some(general);
    }
    let family = tools::family(&l.tool);
    Some(
        TOOL_ADVICE
            .iter()
            .find(|(f, _)| *f == family)
            .map_or(general, |(_, a)| *a),
    )
}

/// The `limit` biggest sources of friction no safe rule removes, most prompts first.
pub fn friction(left_out: &[LeftOut], limit: usize) -> Vec<Friction> {
    let mut out: Vec<Friction> = left_out
        .iter()
        .filter_map(|l| {
            advice(l).map(|advice| Friction {
                tool: l.tool.clone(),
                key: l.key.clone(),
                reason: l.reason,
                why: l.detail.clone(),
                advice,
                count: l.count,
            })
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(tool: &str, key: &str, reason: Reason, count: usize) -> LeftOut {
        LeftOut {
            tool: tool.into(),
            key: key.into(),
            reason,
            table: None,
            detail: "d".into(),
            count,
        }
    }

    #[test]
    fn only_what_no_rule_removes_with_advice() {
        let left = vec![
            l("Edit", "Edit", Reason::UnsupportedTool, 69),
            l("Bash", "mise run lint", Reason::RunsProjectCode, 10),
            l("Bash", "head -3", Reason::BuiltinReadOnly, 6),
            l("Bash", "pip list", Reason::TooRare, 2),
            l("WebSearch", "WebSearch", Reason::UnsupportedTool, 12),
            l("Agent", "Agent", Reason::UnsupportedTool, 1),
        ];
        let f = friction(&left, 10);
        let keys: Vec<&str> = f.iter().map(|x| x.key.as_str()).collect();
        assert_eq!(keys, ["Edit", "WebSearch", "mise run lint", "Agent"]);
        assert!(f[0].advice.contains("acceptEdits"));
        assert!(f[2].advice.contains("--include-runners"));
        assert_eq!(f[3].advice, "permstat proposes no rules for this tool");
        assert_eq!(friction(&left, 1).len(), 1);
    }
}
