//! Telling what became of a tool call from its result.
//!
//! Claude Code writes no record of an approval; denials show up as fixed texts in the
//! `tool_result` (and, in newer builds, a `toolDenialKind` field). The texts live in one
//! table, [`DENIAL_TEXTS`], matched by prefix or substring, never by equality: later builds
//! append hints to them.

use crate::event::{Mode, Outcome};

/// How a text in [`DENIAL_TEXTS`] is looked for in a result.
#[derive(Debug, Clone, Copy)]
pub enum Needle {
    /// The result starts with this text.
    Prefix(&'static str),
    /// The result contains this text.
    Contains(&'static str),
    /// The result starts with the first text and contains the second.
    PrefixAndContains(&'static str, &'static str),
}

impl Needle {
    fn matches(&self, text: &str) -> bool {
        match *self {
            Needle::Prefix(p) => text.starts_with(p),
            Needle::Contains(c) => text.contains(c),
            Needle::PrefixAndContains(p, c) => text.starts_with(p) && text.contains(c),
        }
    }
}

/// The start of the text written when a person says "No" on a dialog (with or without
/// feedback), and also when Esc stops running tools; what follows decides which it is.
pub const REJECT_PREFIX: &str = "The user doesn't want to proceed with this tool use.";
/// Marks a rejection that carries the person's feedback.
pub const FEEDBACK_MARKER: &str = "the user said:\n";
/// `toolUseResult` of the synthetic rejection written on Esc, and of some real "No"s.
pub const ESC_SYNTHETIC: &str = "User rejected tool use";

/// Every permission text Claude Code is known to write into a tool result, in the order
/// they are tried (first match wins), with the outcome each one means.
///
/// Sources: Claude Code 2.1.88 message constants, and texts reported from 2.1.47 and
/// 2.1.142+ builds (see `docs/outcomes.md`).
pub const DENIAL_TEXTS: &[(Needle, Outcome)] = &[
    // A rejection inside a subagent.
    (
        Needle::Prefix("Permission for this tool use was denied."),
        Outcome::SubagentRejected,
    ),
    // A sibling of a rejected call, cancelled without a dialog.
    (
        Needle::Prefix("The user doesn't want to take this action right now"),
        Outcome::Cancelled,
    ),
    // A plan rejected at ExitPlanMode (remote and teammate flows).
    (
        Needle::Prefix("The agent proposed a plan that was rejected by the user"),
        Outcome::UserRejected,
    ),
    // The auto-mode classifier said no: the older wording, the newer one and the 2.1.47-era one.
    (
        Needle::Prefix("Permission for this action has been denied. Reason: "),
        Outcome::AutomodeBlocked,
    ),
    (
        Needle::Prefix(
            "Permission for this action was denied by the Claude Code auto mode classifier",
        ),
        Outcome::AutomodeBlocked,
    ),
    (
        Needle::Prefix(
            "Permission for this action was denied by the dangerous action safety classifier",
        ),
        Outcome::AutomodeBlocked,
    ),
    (
        Needle::Prefix("This action was blocked by the dangerous action safety classifier"),
        Outcome::AutomodeBlocked,
    ),
    // The classifier could not be asked; the call is denied to be safe.
    (
        Needle::Contains("so auto mode cannot determine the safety of"),
        Outcome::AutomodeUnavailable,
    ),
    (
        Needle::Prefix("Auto mode could not evaluate this action"),
        Outcome::AutomodeUnavailable,
    ),
    (
        Needle::Prefix("The server-side auto mode classifier gave no verdict"),
        Outcome::AutomodeUnavailable,
    ),
    // dontAsk mode.
    (
        Needle::Contains("because Claude Code is running in don't ask mode"),
        Outcome::DontaskDenied,
    ),
    // A background agent that cannot show a dialog (checked before the deny-rule texts, which
    // it extends).
    (
        Needle::PrefixAndContains(
            "Permission to use ",
            "has been denied. IMPORTANT: You *may*",
        ),
        Outcome::HeadlessUnanswered,
    ),
    // Deny rules: on a whole tool, a command, a path, a redirection, a domain, an agent type.
    (
        Needle::PrefixAndContains("Permission to use ", "has been denied"),
        Outcome::RuleDenied,
    ),
    (
        Needle::PrefixAndContains("Permission to read ", "has been denied"),
        Outcome::RuleDenied,
    ),
    (
        Needle::PrefixAndContains("Permission to edit ", "has been denied"),
        Outcome::RuleDenied,
    ),
    (
        Needle::PrefixAndContains("Permission to write ", "has been denied"),
        Outcome::RuleDenied,
    ),
    (
        Needle::Contains("was blocked by a deny rule"),
        Outcome::RuleDenied,
    ),
    (
        Needle::Prefix("WebFetch denied access to "),
        Outcome::RuleDenied,
    ),
    (
        Needle::PrefixAndContains("Agent type '", "has been denied by permission rule"),
        Outcome::RuleDenied,
    ),
    // A headless `-p` run: an `ask` nobody could answer.
    (
        Needle::Prefix("Claude requested permissions to "),
        Outcome::HeadlessUnanswered,
    ),
    (
        Needle::Prefix(
            "This Bash command contains multiple operations. The following part requires approval",
        ),
        Outcome::HeadlessUnanswered,
    ),
    (
        Needle::PrefixAndContains("Permission rule '", "requires approval for this"),
        Outcome::HeadlessUnanswered,
    ),
    (
        Needle::PrefixAndContains("Current permission mode (", "requires approval for this"),
        Outcome::HeadlessUnanswered,
    ),
    // Hooks: PreToolUse JSON deny, exit code 2, `continue: false`, PermissionRequest deny.
    (
        Needle::PrefixAndContains("PreToolUse:", "hook error:"),
        Outcome::HookDenied,
    ),
    (
        Needle::PrefixAndContains("Hook PreToolUse:", "denied this tool"),
        Outcome::HookDenied,
    ),
    (
        Needle::Prefix("Execution stopped by PreToolUse hook"),
        Outcome::HookDenied,
    ),
    (
        Needle::Prefix("Permission denied by hook"),
        Outcome::HookDenied,
    ),
];

/// `toolDenialKind` values and what they mean on their own. `user-rejected` and
/// `permission-rule` are refined by the text (see [`classify`]); unknown values fall back
/// to the texts.
pub const DENIAL_KINDS: &[(&str, Outcome)] = &[
    ("user-rejected", Outcome::UserRejected),
    ("permission-rule", Outcome::RuleDenied),
    ("automode-blocked", Outcome::AutomodeBlocked),
    ("automode-unavailable", Outcome::AutomodeUnavailable),
    ("automode-parsing-error", Outcome::AutomodeUnavailable),
    ("interrupted", Outcome::Interrupted),
    ("cancelled", Outcome::Cancelled),
];

/// What is known about one result when classifying it.
#[derive(Debug, Clone, Copy)]
pub struct ResultFacts<'a> {
    /// The result text (string content, or the text blocks joined).
    pub text: &'a str,
    /// `is_error` of the block, or `toolUseResult` being a string (errors only).
    pub is_error: bool,
    /// `toolUseResult == "User rejected tool use"`.
    pub esc_synthetic: bool,
    /// `toolDenialKind`, when written.
    pub denial_kind: Option<&'a str>,
}

/// What is known about the call itself.
#[derive(Debug, Clone, Copy)]
pub struct CallFacts<'a> {
    /// Tool name.
    pub tool: &'a str,
    /// Permission mode in force, when known.
    pub mode: Option<&'a Mode>,
    /// How many calls of the same assistant message got the Esc synthetic.
    pub esc_siblings: usize,
}

/// The classification of one result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// The outcome.
    pub outcome: Outcome,
    /// False when the outcome rests on a text that an MCP server could have written.
    pub verified: bool,
    /// The classifier's reason, or the person's feedback.
    pub reason: Option<String>,
}

/// Classifies a call from its result (`None`: no result was written).
pub fn classify(call: CallFacts<'_>, result: Option<ResultFacts<'_>>) -> Classified {
    let Some(r) = result else {
        return Classified {
            outcome: Outcome::Unresolved,
            verified: true,
            reason: None,
        };
    };
    let text = r.text.trim_start();
    let from_text = if r.is_error {
        classify_text(call, r, text)
    } else {
        None
    };
    let from_kind = r.denial_kind.and_then(|k| {
        DENIAL_KINDS
            .iter()
            .find(|(name, _)| *name == k)
            .map(|(_, o)| *o)
    });
    let outcome = match (from_kind, from_text) {
        // The kind says "user rejected", but the text shows a headless ask, an Esc
        // synthetic or feedback: the text is more specific.
        (Some(Outcome::UserRejected), Some(t)) => t,
        // Hook denials have been seen tagged `permission-rule`; the text tells them apart.
        (Some(Outcome::RuleDenied), Some(Outcome::HookDenied)) => Outcome::HookDenied,
        (Some(k), _) => k,
        (None, Some(t)) => t,
        (None, None) if r.is_error => Outcome::ToolError,
        (None, None) => Outcome::Ran,
    };
    let denial = !outcome.executed();
    let is_mcp = call.tool.starts_with("mcp__");
    Classified {
        outcome,
        verified: !(denial && is_mcp && from_kind.is_none()),
        reason: reason_of(outcome, text),
    }
}

fn classify_text(call: CallFacts<'_>, r: ResultFacts<'_>, text: &str) -> Option<Outcome> {
    if text.starts_with(REJECT_PREFIX) {
        return Some(if text.contains(FEEDBACK_MARKER) {
            Outcome::UserRejectedWithFeedback
        } else if r.esc_synthetic && no_dialog_possible(call) {
            Outcome::Interrupted
        } else {
            Outcome::UserRejected
        });
    }
    DENIAL_TEXTS
        .iter()
        .find(|(needle, _)| needle.matches(text))
        .map(|(_, o)| *o)
}

/// A plain "No" text with the Esc synthetic, where no dialog could have been open: a tool
/// that never prompts, bypassPermissions mode, or several running siblings that all got
/// it (a real dialog rejects one call and cancels the others with another text).
fn no_dialog_possible(call: CallFacts<'_>) -> bool {
    crate::facts::tools::never_prompts(call.tool)
        || matches!(call.mode, Some(Mode::BypassPermissions))
        || call.esc_siblings >= 2
}

fn reason_of(outcome: Outcome, text: &str) -> Option<String> {
    let after = |marker: &str| text.find(marker).map(|i| &text[i + marker.len()..]);
    let raw = match outcome {
        Outcome::AutomodeBlocked => after("Reason: ").map(|r| {
            // The reason ends where the fixed guidance begins.
            let end = r
                .find(". If you have other tasks")
                .or_else(|| r.find(". IMPORTANT:"))
                .unwrap_or(r.len());
            &r[..end]
        }),
        Outcome::UserRejectedWithFeedback => after(FEEDBACK_MARKER),
        Outcome::SubagentRejected => after("The user said:\n"),
        _ => None,
    }?;
    let trimmed: String = raw.trim().chars().take(500).collect();
    (!trimmed.is_empty()).then_some(trimmed)
}

/// The bracketed category of a classifier reason (`[Code from External]`), if it has one.
pub fn reason_category(reason: &str) -> Option<&str> {
    let r = reason.trim_start();
    let end = r.find(']')?;
    r.starts_with('[').then(|| &r[1..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const REJECT: &str = "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";

    fn facts(text: &str) -> ResultFacts<'_> {
        ResultFacts {
            text,
            is_error: true,
            esc_synthetic: false,
            denial_kind: None,
        }
    }

    fn call(tool: &str) -> CallFacts<'_> {
        CallFacts {
            tool,
            mode: Some(&Mode::Default),
            esc_siblings: 0,
        }
    }

    #[test]
    fn every_text_of_the_reference_maps_to_its_outcome() {
        let cases: &[(&str, Outcome)] = &[
            (REJECT, Outcome::UserRejected),
            (
                "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). To tell you how to proceed, the user said:\nuse cargo instead",
                Outcome::UserRejectedWithFeedback,
            ),
            (
                "Permission for this tool use was denied. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). Try a different approach or report the limitation to complete your task.",
                Outcome::SubagentRejected,
            ),
            (
                "The user doesn't want to take this action right now. STOP what you are doing and wait for the user to tell you how to proceed.",
                Outcome::Cancelled,
            ),
            (
                "Permission to use Bash with command rm -rf build has been denied.",
                Outcome::RuleDenied,
            ),
            (
                "Permission to use WebSearch has been denied.",
                Outcome::RuleDenied,
            ),
            (
                "Permission to read /repo/.env has been denied.",
                Outcome::RuleDenied,
            ),
            (
                "Permission to edit /etc/hosts has been denied.",
                Outcome::RuleDenied,
            ),
            (
                "Output redirection to '/etc/passwd' was blocked by a deny rule.",
                Outcome::RuleDenied,
            ),
            (
                "WebFetch denied access to domain:evil.com.",
                Outcome::RuleDenied,
            ),
            (
                "Agent type 'Explore' has been denied by permission rule 'Agent(Explore)' from projectSettings.",
                Outcome::RuleDenied,
            ),
            (
                "Permission to use Bash has been denied because Claude Code is running in don't ask mode. IMPORTANT: You *may* attempt to accomplish this action using other tools",
                Outcome::DontaskDenied,
            ),
            (
                "Permission to use Bash has been denied. IMPORTANT: You *may* attempt to accomplish this action using other tools that might naturally be used to accomplish this goal",
                Outcome::HeadlessUnanswered,
            ),
            (
                "Claude requested permissions to use Bash, but you haven't granted it yet.",
                Outcome::HeadlessUnanswered,
            ),
            (
                "Claude requested permissions to write to /x/y, but you haven't granted it yet.",
                Outcome::HeadlessUnanswered,
            ),
            (
                "This Bash command contains multiple operations. The following part requires approval: rm x",
                Outcome::HeadlessUnanswered,
            ),
            (
                "Permission rule 'Bash(git push *)' from userSettings requires approval for this Bash command",
                Outcome::HeadlessUnanswered,
            ),
            (
                "Current permission mode (Default) requires approval for this Bash command",
                Outcome::HeadlessUnanswered,
            ),
            (
                "PreToolUse:Bash hook error: [./guard.sh]: No stderr output",
                Outcome::HookDenied,
            ),
            ("Hook PreToolUse:Bash denied this tool", Outcome::HookDenied),
            (
                "Execution stopped by PreToolUse hook: nope",
                Outcome::HookDenied,
            ),
            ("Permission denied by hook", Outcome::HookDenied),
            (
                "Permission for this action has been denied. Reason: deletes files outside the repo. If you have other tasks that don't depend on this action, continue working on those.",
                Outcome::AutomodeBlocked,
            ),
            (
                "Permission for this action was denied by the Claude Code auto mode classifier. Reason: [Code from External]. If you have other tasks",
                Outcome::AutomodeBlocked,
            ),
            (
                "claude-sonnet is temporarily unavailable, so auto mode cannot determine the safety of Bash right now. Wait briefly",
                Outcome::AutomodeUnavailable,
            ),
            (
                "Auto mode could not evaluate this action and is blocking it for safety",
                Outcome::AutomodeUnavailable,
            ),
            ("Exit code 1\nerror: no such file", Outcome::ToolError),
        ];
        for (text, want) in cases {
            let got = classify(call("Bash"), Some(facts(text)));
            assert_eq!(got.outcome, *want, "{text}");
            assert!(got.verified, "{text}");
        }
    }

    #[test]
    fn denial_texts_need_an_error_result() {
        let mut r = facts("Permission to use Bash with command ls has been denied.");
        r.is_error = false;
        assert_eq!(classify(call("Bash"), Some(r)).outcome, Outcome::Ran);
    }

    #[test]
    fn esc_synthetic_is_an_interrupt_only_where_no_dialog_could_show() {
        let mut r = facts(REJECT);
        r.esc_synthetic = true;
        assert_eq!(
            classify(call("Bash"), Some(r)).outcome,
            Outcome::UserRejected
        );
        assert_eq!(
            classify(call("TodoWrite"), Some(r)).outcome,
            Outcome::Interrupted
        );
        let bypass = CallFacts {
            tool: "Bash",
            mode: Some(&Mode::BypassPermissions),
            esc_siblings: 0,
        };
        assert_eq!(classify(bypass, Some(r)).outcome, Outcome::Interrupted);
        let siblings = CallFacts {
            tool: "Bash",
            mode: Some(&Mode::Default),
            esc_siblings: 2,
        };
        assert_eq!(classify(siblings, Some(r)).outcome, Outcome::Interrupted);
    }

    #[test]
    fn denial_kind_wins_but_text_refines_it() {
        let mut r = facts("a custom hook reason with no fixed text");
        r.denial_kind = Some("permission-rule");
        assert_eq!(classify(call("Bash"), Some(r)).outcome, Outcome::RuleDenied);
        r.denial_kind = Some("automode-blocked");
        assert_eq!(
            classify(call("Bash"), Some(r)).outcome,
            Outcome::AutomodeBlocked
        );
        let mut h =
            facts("Claude requested permissions to use Bash, but you haven't granted it yet.");
        h.denial_kind = Some("user-rejected");
        assert_eq!(
            classify(call("Bash"), Some(h)).outcome,
            Outcome::HeadlessUnanswered
        );
        let mut hook = facts("PreToolUse:Bash hook error: [x]: blocked");
        hook.denial_kind = Some("permission-rule");
        assert_eq!(
            classify(call("Bash"), Some(hook)).outcome,
            Outcome::HookDenied
        );
        let mut unknown = facts("Permission to use Bash has been denied.");
        unknown.denial_kind = Some("something-new");
        assert_eq!(
            classify(call("Bash"), Some(unknown)).outcome,
            Outcome::RuleDenied
        );
    }

    #[test]
    fn mcp_denial_texts_are_unverified_unless_the_kind_confirms() {
        let r = facts(REJECT);
        let got = classify(call("mcp__github__create_issue"), Some(r));
        assert_eq!(got.outcome, Outcome::UserRejected);
        assert!(!got.verified);
        let mut k = facts(REJECT);
        k.denial_kind = Some("user-rejected");
        assert!(classify(call("mcp__github__create_issue"), Some(k)).verified);
        // A plain MCP error is not a denial: nothing to doubt.
        assert!(classify(call("mcp__x__y"), Some(facts("boom"))).verified);
    }

    #[test]
    fn reasons_are_kept() {
        let got = classify(
            call("Bash"),
            Some(facts(
                "Permission for this action was denied by the Claude Code auto mode classifier. Reason: [Cloud Storage Mass Delete] deletes a bucket. If you have other tasks that don't depend on this action",
            )),
        );
        let reason = got.reason.unwrap();
        assert_eq!(reason, "[Cloud Storage Mass Delete] deletes a bucket");
        assert_eq!(reason_category(&reason), Some("Cloud Storage Mass Delete"));
        let fb = classify(
            call("Bash"),
            Some(facts(&format!(
                "{REJECT} To tell you how to proceed, the user said:\nuse make"
            ))),
        );
        assert_eq!(fb.reason.as_deref(), Some("use make"));
        assert_eq!(classify(call("Bash"), None).outcome, Outcome::Unresolved);
    }
}
