//! The report printer: the friction report ([`Report`]) as terminal tables, Markdown, a
//! self-contained HTML page or JSON.

use super::html;
use super::table::{Section, Separator, Style, TableData, write_sections};
use super::{Format, print_json, print_text};
use crate::analysis::aggregate::GroupCounts;
use crate::analysis::report::{Report, SessionRow};
use crate::text::time::iso;
use std::fmt::Write as _;

/// The title of the Markdown and HTML report.
const TITLE: &str = "Permission friction report";

/// Prints the report in `format` to stdout; tables show at most `top` rows (JSON lists
/// everything).
pub fn print(r: &Report, format: Format, top: usize) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(r),
        Format::Table => print_text(&render(r, Style::Terminal, top)),
        Format::Md => print_text(&render(r, Style::Markdown, top)),
        Format::Html => print_text(&html::page(TITLE, &sections(r, top), &notes(r))),
    }
}

/// The report as text: (in Markdown, a title,) its sections, then the notes.
pub fn render(r: &Report, style: Style, top: usize) -> String {
    let mut out = String::new();
    match style {
        Style::Markdown => {
            let _ = writeln!(out, "# {TITLE}");
        }
        Style::Terminal => {}
    }
    write_sections(&mut out, &sections(r, top), style);
    out.push('\n');
    for n in notes(r) {
        let _ = writeln!(out, "{n}");
    }
    out
}

/// A section of the report: a key column, then figures; Markdown separators stay plain.
fn section(title: &str, header: &[&'static str], rows: Vec<Vec<String>>) -> Section {
    Section::new(
        title,
        TableData::figures(header)
            .with_separator(Separator::Plain)
            .with_rows(rows),
    )
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

/// The report's sections that have rows, headline numbers first.
fn sections(r: &Report, top: usize) -> Vec<Section> {
    let mut out = Vec::new();
    let f = &r.fatigue;
    let headline = section(
        "Headline",
        &["", "value"],
        vec![
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
    );
    out.push(headline);
    let mut header = vec!["command"];
    header.extend(COUNT_HEADER);
    out.push(section(
        "Prompts by command",
        &header,
        count_rows(&r.by_command, top),
    ));
    header[0] = "tool";
    out.push(section("By tool", &header, count_rows(&r.by_tool, top)));
    header[0] = "project";
    out.push(section(
        "By project",
        &header,
        count_rows(&r.by_project, top),
    ));
    out.push(section(
        "Sessions by fatigue",
        &[
            "session",
            "score",
            "prompts",
            "per hour",
            "streak",
            "rubber stamp",
            "median answer",
        ],
        r.sessions
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
    ));
    header[0] = "day";
    out.push(section(
        "By day",
        &header,
        count_rows(&r.by_day, usize::MAX),
    ));
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
    out.push(section(
        "Auto-mode fallbacks to prompting",
        &["session", "at", "limit", "thread"],
        fallbacks,
    ));
    out.push(section(
        "Classifier blocks by category",
        &["category", "blocks"],
        r.automode
            .detail
            .summary
            .blocks_by_category
            .iter()
            .map(|c| vec![c.category.clone(), c.blocks.to_string()])
            .collect(),
    ));
    out.push(section(
        "Approved risky actions (belong behind deny rules)",
        &["call", "risks", "session", "at"],
        r.risky_approved
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
    ));
    let dis: Vec<Vec<String>> = r
        .replay
        .per_disagreement
        .iter()
        .map(|(k, n)| vec![k.name().to_string(), n.to_string()])
        .collect();
    out.push(section(
        "Recorded outcomes the replay does not explain",
        &["kind", "calls"],
        dis,
    ));
    out.retain(|s| !s.table.is_empty());
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

fn short_session(s: &SessionRow) -> String {
    let id: String = s.session_id.chars().take(8).collect();
    match &s.project {
        Some(p) => format!("{id} {}", p.rsplit('/').next().unwrap_or(p)),
        None => id,
    }
}
