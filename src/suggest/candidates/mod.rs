//! Evidence and proposal: which approved calls deserve an allow rule, and which rule.
//!
//! **Evidence** (`evidence.rs`). A call is an approval when its answer
//! ([`crate::analysis::Evidence::answer`]) is approved: the replay says it prompted (an ask
//! rule or "would prompt"), the transcript says it ran (`ran` or `tool_error`), and no
//! evidence says it ran unasked (a result at machine speed, a mode inferred for the
//! session, a grant earlier in it, a recorded decision).
//! A call whose answer is rejected (`user_rejected*`, `subagent_rejected`) is evidence
//! against every simple command in it. Calls whose outcome is not verified (MCP servers can
//! forge the texts) are never evidence. For Bash, each part of a compound command stands
//! alone: only parts the replay marks uncovered need a rule; parts that are built-in
//! read-only or already allowed are reported as such; a call an ask rule caught is left
//! alone (the user wants that prompt).
//!
//! **Effects** (`effects.rs`). An approved use of a Bash part that wrote a file through a
//! redirection (`cat > .env << 'EOF'`) or piped its output into a command that is not
//! read-only (`echo x | sh`) is no evidence for a read-only rule: it is left out as a write,
//! and only the part's read-only uses count.
//!
//! **Screening** (`screen.rs`). Per uncovered part, the exact rule `Bash(<part text>)`, after
//! the checks in [`safety`]: no "never" list, no shell syntax, no `*` or parentheses, no
//! unsafe leading assignment, no risky option, no secret, no value that never recurs, and
//! `safe-chains` must rate the invocation `inert` or `safe-read`. A project runner
//! (`facts::runners`: `go test`, `npm run lint`, `make`) is another kind of rule: it gets an
//! exact rule only with `include_runners`, labelled [`RuleClass::RunsProjectCode`], and never
//! a wildcard. A `Bash(cmd sub *)` prefix
//! replaces the exact rules of a [`safety::READONLY_SUBCOMMANDS`] pair when at least two
//! distinct invocations were approved and every invocation in the calls that the prefix
//! would cover is read-only. MCP tools get their exact name when it looks read-only;
//! WebFetch calls get `WebFetch(domain:host)`.
//!
//! **Gating** (`thresholds.rs`). A rule needs `min_count` approvals over `min_sessions`
//! sessions (and `min_projects` projects) and no more rejections than approvals.
//!
//! **Savings** (`savings.rs`). The calls that prompt by replay are decided again with the
//! proposed rules added to each call's policy (one at a time for each rule's own saving,
//! all of them for the total). Adding an allow rule can only turn a prompt into an allowed
//! call, never the reverse, so calls that did not prompt are not decided again. Of the
//! calls a rule turns, the evidence says which were prompts a person answered
//! ([`Answers`]: low, best, high, as the report counts prompts). A rule whose best estimate
//! is under `min_saved` (a part whose commands still prompt for another part saves none)
//! is left out; the rest are ranked by that estimate, then the replay's count, then
//! approvals, and the top `limit` kept.
//!
//! [`suggest`] runs the steps in that order.

mod effects;
mod evidence;
mod left_out;
mod savings;
mod screen;
mod thresholds;

pub use savings::{Answers, with_rules};

use super::safety::{self, ReadLevel, Wildcard};
use crate::analysis::{Bounds, Evidence};
use crate::event::ToolCall;
use crate::facts::runners::RuleClass;
use crate::permissions::bash_rule::{self, RuleKind};
use crate::permissions::engine::Decision;
use crate::permissions::settings::Policy;
use crate::permissions::shell::{SimpleCommand, fold_whitespace};
use crate::text::redact::Redactor;
use evidence::{Gathered, examples};
use left_out::LeftOuts;
use savings::{rule_may_apply, saved_by};
use screen::{prefix_blocker, prefix_pair, screen_bash, screen_domain, screen_mcp};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use thresholds::{projects, sessions, thresholds};

/// Thresholds for a proposal (the time window is the caller's business).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuggestOptions {
    /// Fewest approvals a rule must cover.
    pub min_count: usize,
    /// Fewest distinct sessions those approvals must come from.
    pub min_sessions: usize,
    /// Fewest distinct projects those approvals must come from (2 for user-wide rules).
    pub min_projects: usize,
    /// Fewest prompts a rule must save (its best estimate: see [`Bounds`]).
    pub min_saved: usize,
    /// Most rules proposed (most prompts saved first, by best estimate).
    pub limit: usize,
    /// Propose exact rules for project runners (`go test ./...`, `npm run lint`), labelled
    /// as running project code.
    pub include_runners: bool,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            min_count: 3,
            min_sessions: 2,
            min_projects: 1,
            min_saved: 3,
            limit: 20,
            include_runners: false,
        }
    }
}

/// The shape of a proposed rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleForm {
    /// `Bash(<one exact command>)`.
    Exact,
    /// `Bash(cmd sub *)` for a read-only subcommand.
    Prefix,
    /// `WebFetch(domain:host)`.
    Domain,
    /// One MCP tool by its full name.
    McpTool,
}

/// One proposed rule and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggested {
    /// The rule text to add to `permissions.allow`.
    pub rule: String,
    /// Its shape.
    pub form: RuleForm,
    /// Its kind: read-only, or (only with `include_runners`) runs project code.
    pub class: RuleClass,
    /// The project it is for (set when proposals of several projects are merged).
    pub project: Option<String>,
    /// Approved calls it covers.
    pub approvals: usize,
    /// Distinct approved invocations it covers (part texts, hosts or tool names).
    pub invocations: usize,
    /// Distinct sessions among those approvals.
    pub sessions: usize,
    /// Distinct projects (working folders) among those approvals.
    pub projects: usize,
    /// Latest approval, ms since the Unix epoch.
    pub last_seen_ms: Option<i64>,
    /// Up to three approved commands (URLs, tool names), newest first, redacted.
    pub examples: Vec<String>,
    /// Rejected calls it would have covered (evidence against).
    pub rejections: usize,
    /// Calls this rule alone would no longer prompt for, by a replay of today's settings
    /// over all calls (what it saves from now on, if the work is alike).
    pub prompts_saved: usize,
    /// Of those, the prompts a person answered, by how sure that is (the evidence; see
    /// `docs/report.md`): the figure rules are ranked by.
    pub saved: Bounds,
    /// Why this rule and this shape.
    pub why: String,
}

/// Why a candidate got no rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A "never" table or a text hazard (`table` says which).
    Risky,
    /// `safe-chains` does not rate it read-only (writes, destroys, or cannot vouch), or the
    /// approved use wrote a file or fed a command that is not read-only.
    WritesOrDestructive,
    /// A test, build, lint or task runner: it runs code the agent can edit (proposed only
    /// with `--include-runners`).
    RunsProjectCode,
    /// An MCP tool whose name does not look read-only.
    NotReadOnly,
    /// Claude Code already runs it unasked (its built-in read-only list).
    BuiltinReadOnly,
    /// An allow rule (or the mode) already covers it.
    AlreadyCovered,
    /// A deny rule matches it.
    DeniedByRule,
    /// An ask rule matches it: the user wants this prompt.
    AskedByRule,
    /// No allow rule can cover it (substitution, subshell, protected path, critical `rm`,
    /// read-only parts whose combination still prompts, ...).
    Uncoverable,
    /// Rejected more often than approved.
    Rejected,
    /// Fewer approvals than `min_count`.
    TooRare,
    /// Approvals from fewer sessions than `min_sessions`.
    TooFewSessions,
    /// Approvals from fewer projects than `min_projects` (user-wide rules need several).
    TooFewProjects,
    /// It would save fewer prompts than `min_saved` (other parts of the same commands still
    /// prompt, or too few calls).
    SavesTooLittle,
    /// Past the `limit` of proposed rules.
    BeyondLimit,
    /// The call's outcome rests on text an MCP server could have forged.
    UnverifiedMcp,
    /// A tool this suggester proposes no rules for (edits, skills, agents, ...).
    UnsupportedTool,
}

/// A candidate that got no rule, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// The tool (`Bash`, `WebFetch`, an MCP tool name, ...).
    pub tool: String,
    /// The candidate: the part text, the whole command, the host, the tool name or the
    /// candidate rule (redacted).
    pub key: String,
    /// Why it was left out.
    pub reason: Reason,
    /// For [`Reason::Risky`]: the table or hazard that caught it.
    pub table: Option<String>,
    /// Detail (redacted).
    pub detail: String,
    /// Calls concerned: the candidate's approvals, or the calls that held the part, command,
    /// host or tool.
    pub count: usize,
}

/// What [`suggest`] proposes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// Rules to add, best first.
    pub rules: Vec<Suggested>,
    /// Candidates left out, most frequent first.
    pub left_out: Vec<LeftOut>,
    /// Calls that prompted (ask rule or would prompt), per the given decisions.
    pub prompts_before: usize,
    /// Calls that would still prompt with every proposed rule added.
    pub prompts_after: usize,
    /// Prompts a person answered over the calls, by how sure that is.
    pub answered: Bounds,
    /// Of those, the prompts every proposed rule together would have saved.
    pub answered_saved: Bounds,
    /// Each call's answer, to work out the saving of any choice of the rules.
    #[serde(skip)]
    pub answers: Answers,
}

/// The kind of call a candidate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Bash,
    WebFetch,
    Mcp,
}

/// A rule under consideration.
pub(super) struct Cand {
    pub(super) rule: String,
    pub(super) form: RuleForm,
    pub(super) class: RuleClass,
    pub(super) kind: Kind,
    pub(super) approvals: BTreeSet<usize>,
    pub(super) rejections: BTreeSet<usize>,
    pub(super) invocations: usize,
    pub(super) why: String,
}

/// Longest whole command kept as a left-out key or an example.
const MAX_SHOWN: usize = 200;

/// `text` with whitespace folded, cut at [`MAX_SHOWN`] characters.
pub(super) fn shown(text: &str) -> String {
    let folded = fold_whitespace(text);
    if folded.chars().count() > MAX_SHOWN {
        let cut: String = folded.chars().take(MAX_SHOWN).collect();
        format!("{cut}...")
    } else {
        folded
    }
}

/// Proposes allow rules from the calls people approved, with no evidence but the replay
/// (see [`suggest_with`]).
pub fn suggest<'p>(
    calls: &[ToolCall],
    decisions: &[Decision],
    policy_for: impl Fn(&ToolCall) -> &'p Policy,
    opts: &SuggestOptions,
    redactor: Redactor,
) -> Proposal {
    let none = Evidence::replay_only();
    suggest_with(calls, decisions, policy_for, &none, opts, redactor)
}

/// Proposes allow rules from the calls people approved. `decisions` are the replayed
/// decisions of `calls` (same order, e.g. from `replay::replay`); `policy_for` gives each
/// call's policy (used to replay with the proposed rules added); `evidence` says what each
/// call meant for the person (gathered over the same calls), so that calls that ran at
/// machine speed, under an inferred mode or a grant support no rule. Never panics.
pub fn suggest_with<'p>(
    calls: &[ToolCall],
    decisions: &[Decision],
    policy_for: impl Fn(&ToolCall) -> &'p Policy,
    evidence: &Evidence,
    opts: &SuggestOptions,
    redactor: Redactor,
) -> Proposal {
    let n = calls.len().min(decisions.len());
    let answers = Answers::new(&calls[..n], &decisions[..n], evidence);
    suggest_answered(calls, decisions, policy_for, answers, opts, redactor)
}

/// Proposes allow rules from calls whose answers are known already: [`suggest_with`]'s
/// work, over calls that may each stand for several (the rows of a
/// [`crate::suggest::Summary`], with their weights in `answers`). Never panics.
pub fn suggest_answered<'p>(
    calls: &[ToolCall],
    decisions: &[Decision],
    policy_for: impl Fn(&ToolCall) -> &'p Policy,
    answers: Answers,
    opts: &SuggestOptions,
    redactor: Redactor,
) -> Proposal {
    let n = calls.len().min(decisions.len());
    let calls = &calls[..n];
    let decisions = &decisions[..n];
    let mut left = LeftOuts::default();
    let mut levels: HashMap<String, ReadLevel> = HashMap::new();
    let w = answers.weights();

    // What each call meant for the person, from the evidence.
    let mut gathered = Gathered::default();
    for (i, (c, d)) in calls.iter().zip(decisions).enumerate() {
        gathered.collect(&answers, i, c, d, &mut left);
    }
    let Gathered {
        approvals: mut evidence,
        rejected_parts,
        rejected_keys,
    } = gathered;

    let mut level = |text: &str| -> ReadLevel {
        *levels
            .entry(text.to_string())
            .or_insert_with(|| safety::invocation_level(text))
    };

    // Uses that wrote a file or fed a writer are no evidence for a read-only rule.
    // (Parts a "never" list catches are left out for that, below.)
    evidence.retain(|(kind, key), ev| {
        let banned = |p: &SimpleCommand| safety::risk_of(&p.argv, Wildcard::None).is_some();
        if *kind != Kind::Bash || ev.part.as_ref().is_none_or(banned) {
            return true;
        }
        let mut wrote: Vec<(usize, String)> = Vec::new();
        for &i in &ev.approvals {
            let command = calls[i].input.command.as_deref().unwrap_or("");
            if let Some(what) = effects::write_effect(command, key, &mut level) {
                wrote.push((i, what));
            }
        }
        if let Some((_, what)) = wrote.first() {
            let all = wrote.len() == ev.approvals.len();
            let detail = match all {
                true => format!("every approved use wrote: {what}"),
                false => format!(
                    "{} approved uses wrote: {what}",
                    w.sum(wrote.iter().map(|(i, _)| *i))
                ),
            };
            left.add(
                Reason::WritesOrDestructive,
                "Bash",
                key,
                Some("approved_as_write"),
                &detail,
                wrote.iter().map(|(i, _)| *i),
            );
            for (i, _) in &wrote {
                ev.approvals.remove(i);
            }
        }
        !ev.approvals.is_empty()
    });

    // Screen every exact candidate.
    let mut screened: BTreeMap<(Kind, String), Cand> = BTreeMap::new();
    for ((kind, key), ev) in &evidence {
        let tool = kind_tool(*kind, key);
        let result = match kind {
            Kind::Bash => match &ev.part {
                Some(p) => screen_bash(p, opts.include_runners, &mut level),
                None => Err((Reason::Uncoverable, None, "no command".to_string())),
            },
            Kind::WebFetch => screen_domain(key),
            Kind::Mcp => screen_mcp(key),
        };
        match result {
            Ok((rule, why, class)) => {
                let form = match kind {
                    Kind::Bash => RuleForm::Exact,
                    Kind::WebFetch => RuleForm::Domain,
                    Kind::Mcp => RuleForm::McpTool,
                };
                let rejections = rejected_keys
                    .get(&(*kind, key.clone()))
                    .cloned()
                    .unwrap_or_default();
                screened.insert(
                    (*kind, key.clone()),
                    Cand {
                        rule,
                        form,
                        class,
                        kind: *kind,
                        approvals: ev.approvals.clone(),
                        rejections,
                        invocations: 1,
                        why,
                    },
                );
            }
            Err((reason, table, detail)) => left.add(
                reason,
                &tool,
                key,
                table.as_deref(),
                &detail,
                ev.approvals.iter().copied(),
            ),
        }
    }

    // Prefix groups over read-only subcommands.
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for ((kind, key), ev) in &evidence {
        let (Kind::Bash, Some(p)) = (kind, &ev.part) else {
            continue;
        };
        if let Some((cmd, sub)) = prefix_pair(p) {
            groups.entry((cmd, sub)).or_default().push(key.clone());
        }
    }
    let mut passed: Vec<Cand> = Vec::new();
    let mut consumed: BTreeSet<String> = BTreeSet::new();
    for ((cmd, sub), members) in &groups {
        if members.len() < 2 {
            continue;
        }
        let spec = format!("{cmd} {sub} *");
        let rule = format!("Bash({spec})");
        let approvals: BTreeSet<usize> = members
            .iter()
            .filter_map(|k| evidence.get(&(Kind::Bash, k.clone())))
            .flat_map(|ev| ev.approvals.iter().copied())
            .collect();
        if let Some(bad) = prefix_blocker(calls, &spec, cmd, sub, &mut level) {
            left.add(
                Reason::WritesOrDestructive,
                "Bash",
                &rule,
                None,
                &format!("an invocation it would cover is not read-only: {bad}"),
                approvals.iter().copied(),
            );
            continue;
        }
        let rejections: BTreeSet<usize> = rejected_parts
            .iter()
            .filter(|(_, p)| bash_rule::spec_matches(&spec, p, RuleKind::Allow))
            .map(|(i, _)| *i)
            .collect();
        let cand = Cand {
            rule,
            form: RuleForm::Prefix,
            class: RuleClass::ReadOnly,
            kind: Kind::Bash,
            approvals,
            rejections,
            invocations: members.len(),
            why: format!(
                "every form of '{cmd} {sub}' only reads; {} distinct invocations approved, each read-only per safe-chains",
                members.len()
            ),
        };
        if thresholds(&cand, calls, w, opts).is_ok() {
            consumed.extend(members.iter().cloned());
            passed.push(cand);
        }
    }
    for ((kind, key), cand) in screened {
        if kind == Kind::Bash && consumed.contains(&key) {
            continue;
        }
        match thresholds(&cand, calls, w, opts) {
            Ok(()) => passed.push(cand),
            Err((reason, detail)) => left.add(
                reason,
                &kind_tool(kind, &key),
                &key,
                None,
                &detail,
                cand.approvals.iter().copied(),
            ),
        }
    }

    // Savings: each rule alone, over the calls the replay says prompted; then what the
    // evidence says of the prompts among the calls it saves.
    let prompting: Vec<usize> = decisions
        .iter()
        .enumerate()
        .filter(|(_, d)| d.verdict.prompts())
        .map(|(i, _)| i)
        .collect();
    let mut finals: Vec<(Cand, usize, Bounds)> = Vec::new();
    for c in passed {
        let subset: Vec<usize> = prompting
            .iter()
            .copied()
            .filter(|&i| rule_may_apply(&c, &calls[i]))
            .collect();
        let flipped = saved_by(calls, &subset, &policy_for, std::slice::from_ref(&c.rule));
        let saved = answers.estimate(flipped.iter().copied());
        let replayed = w.sum(flipped.iter().copied());
        if saved.best < opts.min_saved.max(1) {
            let detail = match replayed {
                n if n < opts.min_saved.max(1) => format!(
                    "would save {n} prompt(s), fewer than {}: other parts of the same commands still prompt",
                    opts.min_saved.max(1)
                ),
                n => format!(
                    "of the {n} calls it would no longer prompt for, about {saved} were prompts a person answered (the others ran unasked or were never answered), fewer than {}",
                    opts.min_saved.max(1)
                ),
            };
            left.add(
                Reason::SavesTooLittle,
                &kind_tool(c.kind, &c.rule),
                &c.rule,
                None,
                &detail,
                c.approvals.iter().copied(),
            );
            continue;
        }
        finals.push((c, replayed, saved));
    }
    finals.sort_by(|(a, ra, sa), (b, rb, sb)| {
        sb.best
            .cmp(&sa.best)
            .then(rb.cmp(ra))
            .then(
                w.sum(b.approvals.iter().copied())
                    .cmp(&w.sum(a.approvals.iter().copied())),
            )
            .then(sessions(calls, w, &b.approvals).cmp(&sessions(calls, w, &a.approvals)))
            .then(a.rule.cmp(&b.rule))
    });
    if finals.len() > opts.limit {
        for (c, _, _) in finals.split_off(opts.limit) {
            left.add(
                Reason::BeyondLimit,
                &kind_tool(c.kind, &c.rule),
                &c.rule,
                None,
                &format!("past the limit of {} rules", opts.limit),
                c.approvals.iter().copied(),
            );
        }
    }

    let all_rules: Vec<String> = finals.iter().map(|(c, _, _)| c.rule.clone()).collect();
    let all_saved = saved_by(calls, &prompting, &policy_for, &all_rules);
    let prompts_after = w.sum(prompting.iter().copied()) - w.sum(all_saved.iter().copied());
    let rules = finals
        .into_iter()
        .map(|(c, replayed, saved)| Suggested {
            approvals: w.sum(c.approvals.iter().copied()),
            invocations: c.invocations,
            sessions: sessions(calls, w, &c.approvals),
            projects: projects(calls, &c.approvals),
            last_seen_ms: c.approvals.iter().filter_map(|&i| calls[i].asked_ms).max(),
            examples: examples(calls, &c.approvals, c.kind, &redactor),
            rejections: w.sum(c.rejections.iter().copied()),
            prompts_saved: replayed,
            saved,
            why: c.why,
            form: c.form,
            class: c.class,
            project: None,
            rule: c.rule,
        })
        .collect();

    Proposal {
        rules,
        left_out: left.into_vec(&redactor, w),
        prompts_before: w.sum(prompting.iter().copied()),
        prompts_after,
        answered: answers.answered(),
        answered_saved: answers.estimate(all_saved),
        answers,
    }
}

/// The tool name shown for a candidate.
pub(super) fn kind_tool(kind: Kind, key: &str) -> String {
    match kind {
        Kind::Bash => "Bash".into(),
        Kind::WebFetch => "WebFetch".into(),
        Kind::Mcp => key.split('(').next().unwrap_or(key).to_string(),
    }
}

#[cfg(test)]
mod tests;
