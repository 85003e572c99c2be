//! The report printer: the friction report ([`Report`]) as terminal tables, Markdown, a
//! self-contained HTML page ([`super::report_page`]) or JSON.
//!
//! Every format opens with the context line (period, files, sessions, settings, how much
//! is inferred), cuts every table at `--top` rows with a note saying how many it shows,
//! and groups time by `--by` with a totals row.

use super::report_team::{developer_column, period_shares, project_developers, team_sections};
use super::table::{Section, Separator, Style, TableData, write_sections};
use super::{Format, print_json, print_text, report_page};
use crate::analysis::aggregate::GroupCounts;
use crate::analysis::report::period::{Period, total};
use crate::analysis::report::{Report, SessionRow};
use crate::text::time::iso;
use std::fmt::Write as _;

/// The title of the Markdown and HTML report.
pub(super) const TITLE: &str = "Permission friction report";

/// How the report is cut and grouped: rows per table, and the period of the tables and
/// charts over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    /// Rows per table (JSON lists everything).
    pub top: usize,
    /// How time is grouped.
    pub by: Period,
}

/// Prints the report in `format` to stdout, cut and grouped as `view` says.
pub fn print(r: &Report, format: Format, view: View) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(r),
        Format::Table => print_text(&render(r, Style::Terminal, view)),
        Format::Md => print_text(&render(r, Style::Markdown, view)),
        Format::Html => print_text(&report_page::page(r, view)),
    }
}

/// The report as text: (in Markdown, a title,) the context line, its sections, then the
/// notes.
pub fn render(r: &Report, style: Style, view: View) -> String {
    let mut out = String::new();
    match style {
        Style::Markdown => {
            let _ = writeln!(out, "# {TITLE}\n\n{}", context_line(r));
        }
        Style::Terminal => {
            let _ = writeln!(out, "{}", context_line(r));
        }
    }
    write_sections(&mut out, &sections(r, view), style);
    out.push('\n');
    for n in notes(r) {
        match style {
            Style::Markdown => {
                let _ = writeln!(out, "{n}\n");
            }
            Style::Terminal => {
                let _ = writeln!(out, "{n}");
            }
        }
    }
    out
}

/// What the report covers, in one line: the period, files, sessions and calls, the
/// settings replayed (or a warning that none were found), and how much is inferred.
pub fn context_line(r: &Report) -> String {
    let c = &r.context;
    let period = match (&c.first, &c.last) {
        (Some(f), Some(l)) => format!(
            "{} to {} ({} day{})",
            &f[..f.len().min(10)],
            &l[..l.len().min(10)],
            c.days.unwrap_or(0),
            if c.days == Some(1) { "" } else { "s" }
        ),
        _ => "no timed call".to_string(),
    };
    let settings = match c.settings_files {
        0 => "WARNING: no settings file found, the replay used Claude Code's defaults only"
            .to_string(),
        1 => "1 settings file replayed".to_string(),
        n => format!("{n} settings files replayed"),
    };
    format!(
        "Period {period} · {} files · {} sessions · {} calls · {settings} · mode not recorded for {} of calls (inferred for {}) · answer inferred for {} of calls",
        c.files,
        c.sessions,
        c.calls,
        pct(c.mode_unrecorded_share),
        pct((c.calls > 0).then(|| c.mode_inferred as f64 / c.calls as f64)),
        pct(c.answer_inferred_share),
    )
}

/// A section of the report: a key column, then figures; Markdown separators stay plain.
fn section(title: &str, header: &[&'static str], rows: Vec<Vec<String>>) -> Section {
    Section::new(title, figures(header, rows))
}

/// A cut section: at most `top` rows, with a note naming how many `what` it shows.
fn cut_section(
    title: &str,
    header: &[&'static str],
    rows: Vec<Vec<String>>,
    top: usize,
    what: &'static str,
) -> Section {
    Section::new(title, figures(header, rows).cut(top, what))
}

/// The report's table of a key column and figures.
pub(super) fn figures(header: &[&'static str], rows: Vec<Vec<String>>) -> TableData {
    TableData::figures(header)
        .with_separator(Separator::Plain)
        .with_rows(rows)
}

pub(super) fn pct(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{:.0}%", v * 100.0))
}

pub(super) fn secs(ms: Option<f64>) -> String {
    ms.map_or("-".into(), |v| format!("{:.1}s", v / 1000.0))
}

pub(super) fn dur(ms: i64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

/// One row per group: the key, then the counts of [`COUNT_HEADER`].
pub(super) fn count_rows(groups: &[GroupCounts]) -> Vec<Vec<String>> {
    groups.iter().map(count_row).collect()
}

fn count_row(g: &GroupCounts) -> Vec<String> {
    vec![
        g.key.clone(),
        g.approved.to_string(),
        g.approved_evidenced.to_string(),
        g.rejected.to_string(),
        g.denied.to_string(),
        g.auto_allowed.to_string(),
        g.calls.to_string(),
    ]
}

/// The counts over time, grouped by `by`: the most recent `top` periods, and the totals of
/// every period.
pub(super) fn period_table(r: &Report, by: Period, top: usize) -> TableData {
    let groups = periods(r, by);
    let mut header = vec![by.as_str()];
    header.extend(COUNT_HEADER);
    let mut t =
        figures(&header, count_rows(&groups)).with_total(count_row(&total(&groups, "total")));
    period_shares(r, by, &mut t);
    t.cut_last(top, by.plural())
}

/// The report's counts grouped by `by`.
pub(super) fn periods(r: &Report, by: Period) -> Vec<GroupCounts> {
    match by {
        Period::Day => r.by_day.clone(),
        Period::Week => r.by_week.clone(),
        Period::Month => r.by_month.clone(),
    }
}

pub(super) const COUNT_HEADER: [&str; 6] = [
    "approved*",
    "evidenced",
    "rejected",
    "denied",
    "auto-allowed",
    "calls",
];

/// The report's sections that have rows, headline numbers first.
pub(super) fn sections(r: &Report, view: View) -> Vec<Section> {
    let top = view.top;
    let mut out = Vec::new();
    let f = &r.fatigue;
    let e = &r.evidence;
    let est = &r.prompts.estimate;
    let by = &r.prompts.approved_by_basis;
    let modes: Vec<String> = e
        .modes_inferred
        .sessions_by_mode
        .iter()
        .map(|(m, n)| format!("{m} {n}"))
        .collect();
    let headline = section(
        "Headline",
        &["", "value"],
        vec![
            vec!["calls".into(), r.calls.to_string()],
            vec!["sessions".into(), r.sessions_count.to_string()],
            vec![
                "prompts approved* (best, low-high)".into(),
                format!("{} ({}-{})", est.best, est.low, est.high),
            ],
            vec![
                "  recorded / evidenced / replay only".into(),
                format!("{} / {} / {}", by.recorded, by.evidenced, by.replayed),
            ],
            vec!["prompts rejected".into(), r.prompts.rejected.to_string()],
            vec!["answers recorded exactly".into(), pct(e.exact_share)],
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
            vec![
                "sessions with a mode inferred".into(),
                if modes.is_empty() {
                    e.modes_inferred.sessions.to_string()
                } else {
                    format!("{} ({})", e.modes_inferred.sessions, modes.join(", "))
                },
            ],
            vec![
                "grants in sessions / rules adopted".into(),
                format!("{} / {}", e.grants.len(), e.adoptions.len()),
            ],
            vec![
                "prompts in fatigue figures†".into(),
                format!(
                    "{} ({} replay-only left out)",
                    f.prompts_counted, f.replay_only_left_out
                ),
            ],
            vec!["fatigue score (0-100)†".into(), f.score.to_string()],
            vec![
                "prompts per active hour†".into(),
                f.prompts_per_active_hour
                    .map_or("-".into(), |v| format!("{v:.1}")),
            ],
            vec![
                "longest approval streak†".into(),
                f.longest_streak.to_string(),
            ],
            vec!["rubber-stamp answers†".into(), pct(f.rubber_stamp_share)],
            vec![
                "wait per prompt† (median / p90)‡".into(),
                format!("{} / {}", secs(f.waiting.median_ms), secs(f.waiting.p90_ms)),
            ],
            vec![
                "time waiting on prompts† (overlaps merged)‡".into(),
                dur(f.waiting.merged_ms),
            ],
            vec![
                "walked away: waits over 10 min, apart‡".into(),
                format!("{} ({})", f.waiting.outliers, dur(f.waiting.outlier_ms)),
            ],
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
    out.extend(evidence_sections(r, top));
    let mut header = vec!["command"];
    header.extend(COUNT_HEADER);
    out.push(cut_section(
        "Prompts by command",
        &header,
        count_rows(&r.by_command),
        top,
        "commands",
    ));
    header[0] = "tool";
    out.push(cut_section(
        "By tool",
        &header,
        count_rows(&r.by_tool),
        top,
        "tools",
    ));
    header[0] = "project";
    let mut by_project = cut_section(
        "By project",
        &header,
        count_rows(&r.by_project),
        top,
        "projects",
    );
    project_developers(
        r,
        &mut by_project.table,
        r.by_project.iter().map(|g| Some(g.key.as_str())),
    );
    out.push(by_project);
    out.extend(team_sections(r, top));
    let mut by_session = cut_section(
        "Sessions by fatigue (prompts recorded or evidenced)",
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
        top,
        "sessions with prompts",
    );
    developer_column(
        r,
        &mut by_session,
        r.sessions
            .iter()
            .filter(|s| s.fatigue.prompts > 0)
            .map(|s| s.session_id.as_str()),
    );
    out.push(by_session);
    out.push(Section::new(
        &format!("By {}", view.by.as_str()),
        period_table(r, view.by, top),
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
    let mut fallbacks_section = cut_section(
        "Auto-mode fallbacks to prompting",
        &["session", "at", "limit", "thread"],
        fallbacks,
        top,
        "fallbacks",
    );
    developer_column(
        r,
        &mut fallbacks_section,
        r.automode
            .detail
            .sessions
            .iter()
            .flat_map(|s| s.fallbacks.iter().map(|_| s.session_id.as_str())),
    );
    out.push(fallbacks_section);
    out.push(cut_section(
        "Classifier blocks by category",
        &["category", "blocks"],
        r.automode
            .detail
            .summary
            .blocks_by_category
            .iter()
            .map(|c| vec![c.category.clone(), c.blocks.to_string()])
            .collect(),
        top,
        "categories",
    ));
    // The report may keep only the first risky calls (`ReportParams::risky_rows`); the
    // note counts them all.
    let risky_rows = r
        .risky_approved
        .iter()
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
        .collect();
    let mut risky = Section::new(
        "Approved risky actions (belong behind deny rules)",
        figures(&["call", "risks", "session", "at"], risky_rows).cut_of(
            top,
            r.risky_summary.calls,
            "risky actions",
        ),
    );
    developer_column(
        r,
        &mut risky,
        r.risky_approved.iter().map(|c| c.session_id.as_str()),
    );
    out.push(risky);
    let dis: Vec<Vec<String>> = r
        .replay
        .per_disagreement
        .iter()
        .map(|(k, n)| vec![k.name().to_string(), n.to_string()])
        .collect();
    out.push(cut_section(
        "Recorded outcomes the replay does not explain",
        &["kind", "calls"],
        dis,
        top,
        "kinds",
    ));
    out.retain(|s| !s.table.is_empty());
    out
}

/// How the answers are known: per rule of evidence, the modes inferred, grants, rules
/// adopted, and records against the inference.
fn evidence_sections(r: &Report, top: usize) -> Vec<Section> {
    let e = &r.evidence;
    let mut out = vec![section(
        "How the answers are known",
        &[
            "evidence",
            "basis",
            "calls",
            "approved",
            "rejected",
            "ran unasked",
        ],
        e.by_ground
            .iter()
            .map(|g| {
                vec![
                    g.ground.as_str().to_string(),
                    g.basis.as_str().to_string(),
                    g.calls.to_string(),
                    g.approved.to_string(),
                    g.rejected.to_string(),
                    g.unasked.to_string(),
                ]
            })
            .collect(),
    )];
    let mut spans = cut_section(
        "Modes inferred where none was recorded",
        &["session", "mode", "from", "to", "calls", "evidence"],
        e.modes_inferred
            .spans
            .iter()
            .map(|s| {
                let mut thread: String = s.session_id.chars().take(8).collect();
                if let Some(a) = &s.agent_id {
                    thread = format!("{thread} agent {a}");
                }
                let why = if s.inherited {
                    "started in its session's mode".to_string()
                } else if s.plan_marker {
                    "before ExitPlanMode".to_string()
                } else {
                    format!(
                        "edits fast {} / waited {}; others fast {} / waited {}",
                        s.fast_edits, s.waited_edits, s.fast_other, s.waited_other
                    )
                };
                vec![
                    thread,
                    s.mode.as_str().to_string(),
                    s.from.clone().unwrap_or_default(),
                    s.to.clone().unwrap_or_default(),
                    s.calls.to_string(),
                    why,
                ]
            })
            .collect(),
        top,
        "stretches",
    );
    developer_column(
        r,
        &mut spans,
        e.modes_inferred.spans.iter().map(|s| s.session_id.as_str()),
    );
    out.push(spans);
    let mut grants = cut_section(
        "\"Don't ask again\" grants during sessions",
        &["granted", "session", "at", "calls covered"],
        e.grants
            .iter()
            .map(|g| {
                vec![
                    g.key.clone(),
                    g.session_id.chars().take(8).collect(),
                    g.granted_at.clone().unwrap_or_default(),
                    g.covered.to_string(),
                ]
            })
            .collect(),
        top,
        "grants",
    );
    developer_column(
        r,
        &mut grants,
        e.grants.iter().map(|g| g.session_id.as_str()),
    );
    out.push(grants);
    out.push(cut_section(
        "Rules of today's settings adopted during the window",
        &["rule", "likely adopted", "waited before", "prompts before"],
        e.adoptions
            .iter()
            .map(|a| {
                vec![
                    a.rule.clone(),
                    a.adopted.clone(),
                    a.waited_before.to_string(),
                    a.prompts_before.to_string(),
                ]
            })
            .collect(),
        top,
        "rules",
    ));
    let c = &e.records;
    if c.calls > 0 {
        out.push(section(
            "Recorded decisions against the inference",
            &["", "calls"],
            vec![
                vec!["calls a record settles".into(), c.calls.to_string()],
                vec![
                    "approved prompts recorded".into(),
                    c.recorded_prompts.to_string(),
                ],
                vec![
                    "inferred (any basis / evidenced)".into(),
                    format!("{} / {}", c.inferred_prompts, c.inferred_evidenced_prompts),
                ],
                vec!["by the replay alone".into(), c.replayed_prompts.to_string()],
                vec!["inferred, not recorded".into(), c.inferred_only.to_string()],
                vec!["recorded, not inferred".into(), c.recorded_only.to_string()],
            ],
        ));
    }
    out
}

/// The closing notes: how sure the numbers are, which settings were replayed.
pub(super) fn notes(r: &Report) -> Vec<String> {
    let mut n = vec![
        format!("* {}.", r.note),
        format!("† {}.", r.fatigue.note),
        format!("‡ {}.", r.fatigue.waiting.note),
        format!(
            "A result sooner than {} ms after its call came from no person (--human-floor-ms); docs/report.md defines every rule of evidence.",
            r.evidence.floor_ms
        ),
    ];
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
