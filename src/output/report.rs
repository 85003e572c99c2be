//! The report printer: the friction report ([`Report`]) as terminal tables, Markdown, a
//! self-contained HTML page or JSON.

use super::html;
use super::table::{ColumnKind, Section, Separator, Style, TableData, write_sections};
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
                g.approved_evidenced.to_string(),
                g.rejected.to_string(),
                g.denied.to_string(),
                g.auto_allowed.to_string(),
                g.calls.to_string(),
            ]
        })
        .collect()
}

const COUNT_HEADER: [&str; 6] = [
    "approved*",
    "evidenced",
    "rejected",
    "denied",
    "auto-allowed",
    "calls",
];

/// The report's sections that have rows, headline numbers first.
fn sections(r: &Report, top: usize) -> Vec<Section> {
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
            vec!["median answer time†".into(), secs(f.median_answer_ms)],
            vec!["time waiting on prompts†".into(), dur(f.waiting_ms)],
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
    out.push(section(
        "Prompts by command",
        &header,
        count_rows(&r.by_command, top),
    ));
    header[0] = "tool";
    out.push(section("By tool", &header, count_rows(&r.by_tool, top)));
    header[0] = "project";
    let mut by_project = section("By project", &header, count_rows(&r.by_project, top));
    if team(r) {
        let devs = r.by_project.iter().take(top).map(|g| {
            r.project_developers
                .get(&g.key)
                .map(|d| d.join(", "))
                .unwrap_or_default()
        });
        by_project
            .table
            .insert_column(1, "developer", ColumnKind::Text, devs);
    }
    out.push(by_project);
    out.extend(team_sections(r, top));
    let mut by_session = section(
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
    );
    developer_column(
        r,
        &mut by_session,
        r.sessions
            .iter()
            .filter(|s| s.fatigue.prompts > 0)
            .take(top)
            .map(|s| s.session_id.as_str()),
    );
    out.push(by_session);
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
    let mut risky = section(
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
    );
    developer_column(
        r,
        &mut risky,
        r.risky_approved
            .iter()
            .take(top)
            .map(|c| c.session_id.as_str()),
    );
    out.push(risky);
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
    out.push(section(
        "Modes inferred where none was recorded",
        &["session", "mode", "from", "to", "calls", "evidence"],
        e.modes_inferred
            .spans
            .iter()
            .take(top)
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
    ));
    out.push(section(
        "\"Don't ask again\" grants during sessions",
        &["granted", "session", "at", "calls covered"],
        e.grants
            .iter()
            .take(top)
            .map(|g| {
                vec![
                    g.key.clone(),
                    g.session_id.chars().take(8).collect(),
                    g.granted_at.clone().unwrap_or_default(),
                    g.covered.to_string(),
                ]
            })
            .collect(),
    ));
    out.push(section(
        "Rules of today's settings adopted during the window",
        &["rule", "likely adopted", "waited before", "prompts before"],
        e.adoptions
            .iter()
            .take(top)
            .map(|a| {
                vec![
                    a.rule.clone(),
                    a.adopted.clone(),
                    a.waited_before.to_string(),
                    a.prompts_before.to_string(),
                ]
            })
            .collect(),
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
fn notes(r: &Report) -> Vec<String> {
    let mut n = vec![
        format!("* {}.", r.note),
        format!("† {}.", r.fatigue.note),
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

/// True when the report covers more than one developer (team mode): tables then gain a
/// developer column.
fn team(r: &Report) -> bool {
    r.by_developer.len() > 1
}

/// In team mode, adds a developer column after the first one of `s`, whose rows belong to
/// these sessions (in order).
fn developer_column<'a>(r: &Report, s: &mut Section, sessions: impl Iterator<Item = &'a str>) {
    if !team(r) {
        return;
    }
    let of: std::collections::HashMap<&str, &str> = r
        .sessions
        .iter()
        .filter_map(|s| Some((s.session_id.as_str(), s.developer.as_deref()?)))
        .collect();
    let cells = sessions.map(|id| of.get(id).copied().unwrap_or_default().to_string());
    s.table
        .insert_column(1, "developer", ColumnKind::Text, cells);
}

/// The team sections (team mode only): counts per developer, and the commands that cost
/// the team most prompts with each developer's share.
fn team_sections(r: &Report, top: usize) -> Vec<Section> {
    if !team(r) {
        return Vec::new();
    }
    let mut header = vec!["developer"];
    header.extend(COUNT_HEADER);
    let by_developer = section("By developer", &header, count_rows(&r.by_developer, top));
    let commands = section(
        "Commands that cost the team most prompts",
        &[
            "command",
            "prompts",
            "approved*",
            "rejected",
            "developers",
            "prompts by developer",
        ],
        r.team_commands
            .iter()
            .take(top)
            .map(|c| {
                let shares: Vec<String> = c
                    .by_developer
                    .iter()
                    .map(|d| format!("{} {}", d.key, d.prompts()))
                    .collect();
                vec![
                    c.key.clone(),
                    c.prompts.to_string(),
                    c.approved.to_string(),
                    c.rejected.to_string(),
                    c.developers.to_string(),
                    shares.join(", "),
                ]
            })
            .collect(),
    );
    vec![by_developer, commands]
}
