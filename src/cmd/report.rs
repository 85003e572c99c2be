//! `permstat report`: where permission prompts cost people time.
//!
//! Pipeline: load the table → keep the window → replay today's settings → pair each call
//! with what it meant for the person ([`answer`]) → build the polars frames → group-bys,
//! fatigue, auto mode and risky approvals → render.

use super::policies::{Replayed, judged_rows, load_and_replay};
use crate::analysis::Answer;
use crate::analysis::aggregate::{GroupCounts, count_by};
use crate::analysis::automode::{AutoModeReport, auto_mode};
use crate::analysis::fatigue::{FatigueParams, FatigueReport, fatigue};
use crate::analysis::risk::{RiskSummary, RiskyCall, approved_risks, risk_summary};
use crate::cli::ReportArgs;
use crate::event::ToolCall;
use crate::output::frame::{calls_frame, keys_frame};
use crate::output::redact::Redactor;
use crate::output::{self, Format, html, iso, new_table, num};
use crate::permissions::replay::{Summary as ReplaySummary, compare};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;

/// What every output says about how sure the numbers are.
pub const INFERENCE_NOTE: &str = "approved = calls that ran and that today's settings would have prompted for (inferred by replaying Claude Code's permission rules; transcripts record no approvals); rejected and denied counts come straight from the transcripts";

/// Prompts shown to a person.
#[derive(Debug, Serialize)]
pub struct Prompts {
    /// Answered "yes" (inferred).
    pub approved: u64,
    /// Answered "no" (recorded).
    pub rejected: u64,
    /// approved + rejected.
    pub total: u64,
    /// Always true: `approved` rests on the replay.
    pub approved_is_inferred: bool,
}

/// Calls denied with nobody asked.
#[derive(Debug, Serialize)]
pub struct Denied {
    /// By a deny rule.
    pub rule: u64,
    /// By the auto-mode classifier.
    pub classifier: u64,
    /// Because the classifier was unavailable.
    pub classifier_unavailable: u64,
    /// By dontAsk mode.
    pub dontask: u64,
    /// By a hook.
    pub hook: u64,
    /// Headless runs and background agents that needed an approval nobody could give.
    pub headless: u64,
}

/// The headline fatigue figures (all sessions together).
#[derive(Debug, Serialize)]
pub struct FatigueHeadline {
    /// 0-100, see docs/report.md.
    pub score: u8,
    /// Prompts per active hour.
    pub prompts_per_active_hour: Option<f64>,
    /// Longest run of approvals with no rejection.
    pub longest_streak: usize,
    /// Share of answers faster than `--rubber-stamp-ms`.
    pub rubber_stamp_share: Option<f64>,
    /// Median answer time (an upper bound of think time).
    pub median_answer_ms: Option<f64>,
    /// Total time spent waiting on prompts (upper bound).
    pub waiting_ms: i64,
    /// Streaks longer than 10 approvals, summed over sessions.
    pub streaks_over_10: usize,
    /// Rejections that ended a streak of 10 or more approvals.
    pub rejections_after_long_streak: usize,
    /// Esc interrupts.
    pub interrupts: usize,
}

/// Auto-mode figures.
#[derive(Debug, Serialize)]
pub struct AutoHeadline {
    /// Sessions with calls in auto mode.
    pub sessions: usize,
    /// Classifier blocks.
    pub blocks: usize,
    /// Denials because the classifier was unavailable (not counted toward fallbacks).
    pub unavailable: usize,
    /// Reconstructed fallbacks to prompting.
    pub fallbacks: usize,
    /// Per-session detail (only sessions in auto mode).
    pub detail: AutoModeReport,
}

/// A session's row.
#[derive(Debug, Serialize)]
pub struct SessionRow {
    /// Session id.
    pub session_id: String,
    /// Working folder.
    pub project: Option<String>,
    /// Counts of each answer.
    pub counts: GroupCounts,
    /// Fatigue figures.
    pub fatigue: crate::analysis::fatigue::SessionFatigue,
}

/// The `report --format json` document. Field names are stable; new fields may be added.
#[derive(Debug, Serialize)]
pub struct Report {
    /// How sure the numbers are.
    pub note: &'static str,
    /// Calls covered.
    pub calls: u64,
    /// Sessions covered.
    pub sessions_count: u64,
    /// First and last call covered.
    pub first: Option<String>,
    /// Last call covered.
    pub last: Option<String>,
    /// Prompts answered.
    pub prompts: Prompts,
    /// Denials nobody answered.
    pub denied: Denied,
    /// Calls that ran without a prompt (read-only, built-in list, allow rule, mode).
    pub auto_allowed: u64,
    /// Calls the auto-mode classifier let through.
    pub classifier_allowed: u64,
    /// Approval fatigue, all sessions.
    pub fatigue: FatigueHeadline,
    /// Auto mode.
    pub automode: AutoHeadline,
    /// Counts by tool.
    pub by_tool: Vec<GroupCounts>,
    /// Counts by command key (each part of a compound command counted).
    pub by_command: Vec<GroupCounts>,
    /// Counts by project.
    pub by_project: Vec<GroupCounts>,
    /// Counts by UTC day.
    pub by_day: Vec<GroupCounts>,
    /// Sessions, ranked by fatigue score.
    pub sessions: Vec<SessionRow>,
    /// Approved calls that were destructive, reached the network or touched secrets.
    pub risky_approved: Vec<RiskyCall>,
    /// Their counts by category.
    pub risky_summary: RiskSummary,
    /// How the replay compares with what the transcripts recorded.
    pub replay: ReplaySummary,
    /// Settings files the replay read.
    pub settings_files: Vec<String>,
}

/// Builds the report for a set of calls (already windowed) and their replay.
pub fn build(
    calls: &[ToolCall],
    replayed: &Replayed,
    rubber_stamp_ms: i64,
    redactor: Redactor,
) -> anyhow::Result<Report> {
    let t = crate::timing::phase("rows");
    let rows = judged_rows(calls, replayed);
    drop(t);
    let t = crate::timing::phase("frames");
    let frame = calls_frame(&rows, redactor)?;
    let keys = keys_frame(&rows)?;
    drop(t);
    let t = crate::timing::phase("group-bys");
    let by_tool = count_by(&frame, "tool")?;
    let by_command = count_by(&keys, "key")?;
    let by_project = count_by(&frame, "project")?;
    let by_day = {
        let mut d = count_by(&frame, "day")?;
        d.sort_by(|a, b| a.key.cmp(&b.key));
        d
    };
    let by_session: BTreeMap<String, GroupCounts> = count_by(&frame, "session_id")?
        .into_iter()
        .map(|g| (g.key.clone(), g))
        .collect();
    // The overall figures are the same group-by with one group.
    let all = by_tool.iter().fold(GroupCounts::default(), |mut acc, g| {
        acc.calls += g.calls;
        acc.approved += g.approved;
        acc.rejected += g.rejected;
        acc.rule_denied += g.rule_denied;
        acc.classifier_blocked += g.classifier_blocked;
        acc.classifier_unavailable += g.classifier_unavailable;
        acc.dontask_denied += g.dontask_denied;
        acc.hook_denied += g.hook_denied;
        acc.auto_allowed += g.auto_allowed;
        acc.classifier_allowed += g.classifier_allowed;
        acc
    });
    drop(t);
    let t = crate::timing::phase("analyses");
    let judged: Vec<(&ToolCall, Answer)> = rows.iter().map(|r| (r.call, r.answer)).collect();
    let params = FatigueParams {
        rubber_stamp_ms,
        ..FatigueParams::default()
    };
    let FatigueReport {
        sessions: fatigue_sessions,
        overall,
    } = fatigue(&judged, &params);
    let auto = auto_mode(calls);
    let mut risky = approved_risks(&judged);
    for r in &mut risky {
        r.detail = r.detail.as_deref().map(|d| redactor.redact(d).into_owned());
    }
    let project_of: BTreeMap<&str, Option<&str>> = calls
        .iter()
        .map(|c| (&*c.session_id, c.project.as_deref()))
        .collect();
    let mut sessions: Vec<SessionRow> = fatigue_sessions
        .into_iter()
        .map(|f| SessionRow {
            session_id: f.session_id.clone(),
            project: project_of
                .get(f.session_id.as_str())
                .copied()
                .flatten()
                .map(String::from),
            counts: by_session.get(&f.session_id).cloned().unwrap_or_default(),
            fatigue: f,
        })
        .collect();
    sessions.sort_by(|a, b| {
        b.fatigue
            .score
            .cmp(&a.fatigue.score)
            .then(b.counts.prompts().cmp(&a.counts.prompts()))
            .then(a.session_id.cmp(&b.session_id))
    });
    let headless = rows.iter().filter(|r| r.answer == Answer::Headless).count() as u64;
    let first = calls.iter().filter_map(|c| c.asked_ms).min();
    let last = calls.iter().filter_map(|c| c.asked_ms).max();
    drop(t);
    Ok(Report {
        note: INFERENCE_NOTE,
        calls: calls.len() as u64,
        sessions_count: project_of.len() as u64,
        first: first.map(iso),
        last: last.map(iso),
        prompts: Prompts {
            approved: all.approved,
            rejected: all.rejected,
            total: all.prompts(),
            approved_is_inferred: true,
        },
        denied: Denied {
            rule: all.rule_denied,
            classifier: all.classifier_blocked,
            classifier_unavailable: all.classifier_unavailable,
            dontask: all.dontask_denied,
            hook: all.hook_denied,
            headless,
        },
        auto_allowed: all.auto_allowed,
        classifier_allowed: all.classifier_allowed,
        fatigue: FatigueHeadline {
            score: overall.score,
            prompts_per_active_hour: overall.prompts_per_active_hour,
            longest_streak: overall.longest_streak,
            rubber_stamp_share: overall.rubber_stamp_share,
            median_answer_ms: overall.median_answer_ms,
            waiting_ms: overall.waiting_ms,
            streaks_over_10: sessions.iter().map(|s| s.fatigue.streaks_over_10).sum(),
            rejections_after_long_streak: overall.rejections_after_long_streak,
            interrupts: overall.interrupts,
        },
        automode: AutoHeadline {
            sessions: auto.summary.sessions_in_auto_mode,
            blocks: auto.summary.blocks,
            unavailable: auto.summary.unavailable,
            fallbacks: auto.summary.fallbacks,
            detail: auto,
        },
        by_tool,
        by_command,
        by_project,
        by_day,
        sessions,
        risky_summary: risk_summary(&risky),
        risky_approved: risky,
        replay: compare(calls, &replayed.decisions),
        settings_files: replayed
            .files
            .iter()
            .map(|f| f.display().to_string())
            .collect(),
    })
}

/// Runs `permstat report`.
pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let (calls, replayed) = load_and_replay(&args.input, &args.settings, &args.window)?;
    let redactor = Redactor::new(!args.input.no_redact);
    let report = build(&calls, &replayed, args.rubber_stamp_ms, redactor)?;
    let _t = crate::timing::phase("render");
    match args.format {
        Format::Json => output::print_json(&report)?,
        f => output::print_text(&render(&report, f, args.top))?,
    }
    // The process ends next: freeing the tables piece by piece would only cost time.
    std::mem::forget((report, replayed, calls));
    Ok(ExitCode::SUCCESS)
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{:.0}%", v * 100.0))
}

fn secs(ms: Option<f64>) -> String {
    ms.map_or("-".into(), |v| format!("{:.1}s", v / 1000.0))
}

fn dur(ms: i64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

/// A section: a title and rows of cells (first column text, the rest numbers).
pub struct Section<'a> {
    /// Heading.
    pub title: &'a str,
    /// Column names.
    pub header: Vec<&'a str>,
    /// Cells, first column text, the rest numbers.
    pub rows: Vec<Vec<String>>,
}

fn render_section(out: &mut String, s: &Section<'_>, format: Format) {
    if s.rows.is_empty() {
        return;
    }
    if format == Format::Md {
        let _ = write!(
            out,
            "\n## {}\n\n| {} |\n|{}\n",
            s.title,
            s.header.join(" | "),
            "---|".repeat(s.header.len())
        );
        for r in &s.rows {
            let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    } else {
        let mut t = new_table(&s.header);
        for r in &s.rows {
            let mut cells = vec![comfy_table::Cell::new(&r[0])];
            cells.extend(r[1..].iter().map(num));
            t.add_row(cells);
        }
        let _ = write!(out, "\n{}\n{t}\n", s.title);
    }
}

fn count_rows(groups: &[GroupCounts], top: usize) -> Vec<Vec<String>> {
    groups
        .iter()
        .take(top)
        .map(|g| {
            vec![
                g.key.clone(),
                g.approved.to_string(),
                g.rejected.to_string(),
                g.denied.to_string(),
                g.auto_allowed.to_string(),
                g.calls.to_string(),
            ]
        })
        .collect()
}

const COUNT_HEADER: [&str; 5] = ["approved*", "rejected", "denied", "auto-allowed", "calls"];

/// The report's sections, headline numbers first, as rows of text.
fn sections(r: &Report, top: usize) -> Vec<Section<'static>> {
    let mut out = Vec::new();
    let f = &r.fatigue;
    let headline = Section {
        title: "Headline",
        header: vec!["", "value"],
        rows: vec![
            vec!["calls".into(), r.calls.to_string()],
            vec!["sessions".into(), r.sessions_count.to_string()],
            vec!["prompts approved*".into(), r.prompts.approved.to_string()],
            vec!["prompts rejected".into(), r.prompts.rejected.to_string()],
            vec!["denied by rule".into(), r.denied.rule.to_string()],
            vec![
                "blocked by classifier".into(),
                r.denied.classifier.to_string(),
            ],
            vec![
                "denied: dontAsk / hook / headless".into(),
                format!(
                    "{} / {} / {}",
                    r.denied.dontask, r.denied.hook, r.denied.headless
                ),
            ],
            vec!["ran without a prompt".into(), r.auto_allowed.to_string()],
            vec!["fatigue score (0-100)".into(), f.score.to_string()],
            vec![
                "prompts per active hour".into(),
                f.prompts_per_active_hour
                    .map_or("-".into(), |v| format!("{v:.1}")),
            ],
            vec![
                "longest approval streak".into(),
                f.longest_streak.to_string(),
            ],
            vec!["rubber-stamp answers".into(), pct(f.rubber_stamp_share)],
            vec!["median answer time".into(), secs(f.median_answer_ms)],
            vec!["time waiting on prompts".into(), dur(f.waiting_ms)],
            vec![
                "auto mode: sessions / blocks / fallbacks".into(),
                format!(
                    "{} / {} / {}",
                    r.automode.sessions, r.automode.blocks, r.automode.fallbacks
                ),
            ],
        ],
    };
    out.push(headline);
    let mut header = vec!["command"];
    header.extend(COUNT_HEADER);
    out.push(Section {
        title: "Prompts by command",
        header: header.clone(),
        rows: count_rows(&r.by_command, top),
    });
    header[0] = "tool";
    out.push(Section {
        title: "By tool",
        header: header.clone(),
        rows: count_rows(&r.by_tool, top),
    });
    header[0] = "project";
    out.push(Section {
        title: "By project",
        header: header.clone(),
        rows: count_rows(&r.by_project, top),
    });
    out.push(Section {
        title: "Sessions by fatigue",
        header: vec![
            "session",
            "score",
            "prompts",
            "per hour",
            "streak",
            "rubber stamp",
            "median answer",
        ],
        rows: r
            .sessions
            .iter()
            .filter(|s| s.fatigue.prompts > 0)
            .take(top)
            .map(|s| {
                vec![
                    short_session(s),
                    s.fatigue.score.to_string(),
                    s.fatigue.prompts.to_string(),
                    s.fatigue
                        .prompts_per_active_hour
                        .map_or("-".into(), |v| format!("{v:.1}")),
                    s.fatigue.longest_streak.to_string(),
                    pct(s.fatigue.rubber_stamp_share),
                    secs(s.fatigue.median_answer_ms),
                ]
            })
            .collect(),
    });
    header[0] = "day";
    out.push(Section {
        title: "By day",
        header,
        rows: count_rows(&r.by_day, usize::MAX),
    });
    let fallbacks: Vec<Vec<String>> = r
        .automode
        .detail
        .sessions
        .iter()
        .flat_map(|s| {
            s.fallbacks.iter().map(move |f| {
                vec![
                    s.session_id.clone(),
                    f.at_ms.map(iso).unwrap_or_default(),
                    format!("{:?}", f.limit),
                    f.agent_id.clone().unwrap_or_else(|| "main".into()),
                ]
            })
        })
        .collect();
    out.push(Section {
        title: "Auto-mode fallbacks to prompting",
        header: vec!["session", "at", "limit", "thread"],
        rows: fallbacks,
    });
    out.push(Section {
        title: "Classifier blocks by category",
        header: vec!["category", "blocks"],
        rows: r
            .automode
            .detail
            .summary
            .blocks_by_category
            .iter()
            .map(|c| vec![c.category.clone(), c.blocks.to_string()])
            .collect(),
    });
    out.push(Section {
        title: "Approved risky actions (belong behind deny rules)",
        header: vec!["call", "risks", "session", "at"],
        rows: r
            .risky_approved
            .iter()
            .take(top)
            .map(|c| {
                let risks: Vec<String> = c
                    .risks
                    .iter()
                    .map(|x| format!("{:?}: {}", x.category, x.why))
                    .collect();
                vec![
                    c.detail.clone().unwrap_or_else(|| c.tool.clone()),
                    risks.join("; "),
                    c.session_id.chars().take(8).collect(),
                    c.at_ms.map(iso).unwrap_or_default(),
                ]
            })
            .collect(),
    });
    let dis: Vec<Vec<String>> = r
        .replay
        .per_disagreement
        .iter()
        .map(|(k, n)| vec![k.name().to_string(), n.to_string()])
        .collect();
    out.push(Section {
        title: "Recorded outcomes the replay does not explain",
        header: vec!["kind", "calls"],
        rows: dis,
    });
    out
}

/// The closing notes: how sure the numbers are, which settings were replayed.
fn notes(r: &Report) -> Vec<String> {
    let mut n = vec![format!("* {}.", r.note)];
    if r.settings_files.is_empty() {
        n.push("No settings file was found: the replay used Claude Code's defaults only.".into());
    } else {
        n.push(format!(
            "Settings replayed: {}",
            r.settings_files.join(", ")
        ));
    }
    n
}

/// Renders the report as terminal tables, Markdown or a self-contained HTML page.
pub fn render(r: &Report, format: Format, top: usize) -> String {
    let mut out = String::new();
    let secs = sections(r, top);
    match format {
        Format::Html => return html::page(&secs, &notes(r)),
        Format::Md => out.push_str("# Permission friction report\n"),
        _ => {}
    }
    for s in &secs {
        render_section(&mut out, s, format);
    }
    out.push('\n');
    for n in notes(r) {
        let _ = writeln!(out, "{n}");
    }
    out
}

fn short_session(s: &SessionRow) -> String {
    let id: String = s.session_id.chars().take(8).collect();
    match &s.project {
        Some(p) => format!("{id} {}", p.rsplit('/').next().unwrap_or(p)),
        None => id,
    }
}
