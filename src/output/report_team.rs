//! The report's team additions (team mode: more than one developer, see docs/report.md):
//! a developer column in the tables whose rows belong to sessions or project folders, the
//! per-developer section, and the commands that cost the team most prompts with each
//! developer's share. Shared by the text report and the HTML page; outside team mode every
//! function here leaves the report as it is.

use super::html::Page;
use super::report::{COUNT_HEADER, View, count_rows, figures};
use super::svg::{self, Bar, Caption, Series};
use super::table::{ColumnKind, Section, TableData};
use crate::analysis::aggregate::GroupCounts;
use crate::analysis::report::Report;
use crate::analysis::report::period::{Period, regroup};
use std::collections::{BTreeMap, HashMap};

/// True when the report covers more than one developer (team mode): tables then gain a
/// developer column.
pub(super) fn is_team(r: &Report) -> bool {
    r.by_developer.len() > 1
}

/// In team mode, adds a developer column after the first one of `s`, whose rows belong to
/// these sessions (in order; rows a cut left out are skipped by position).
pub(super) fn developer_column<'a>(
    r: &Report,
    s: &mut Section,
    sessions: impl Iterator<Item = &'a str>,
) {
    if !is_team(r) {
        return;
    }
    let of: HashMap<&str, &str> = r
        .sessions
        .iter()
        .filter_map(|s| Some((s.session_id.as_str(), s.developer.as_deref()?)))
        .collect();
    let cells = sessions.map(|id| of.get(id).copied().unwrap_or_default().to_string());
    s.table
        .insert_column(1, "developer", ColumnKind::Text, cells);
}

/// In team mode, adds a column after the first one of `t` naming the developers whose
/// sessions ran in each row's project folder (rows in order).
pub(super) fn project_developers<'a>(
    r: &Report,
    t: &mut TableData,
    folders: impl Iterator<Item = Option<&'a str>>,
) {
    if !is_team(r) {
        return;
    }
    let cells = folders.map(|f| {
        f.and_then(|f| r.project_developers.get(f))
            .map(|d| d.join(", "))
            .unwrap_or_default()
    });
    t.insert_column(1, "developer", ColumnKind::Text, cells);
}

/// In team mode, adds a last column to `t` with each developer's prompts for the command
/// key of each row (rows in order), most first.
pub(super) fn command_shares<'a>(
    r: &Report,
    t: &mut TableData,
    keys: impl Iterator<Item = &'a str>,
) {
    if !is_team(r) {
        return;
    }
    let shares: HashMap<&str, String> = r
        .team_commands
        .iter()
        .map(|c| (c.key.as_str(), shares(&c.by_developer)))
        .collect();
    let cells = keys.map(|k| shares.get(k).cloned().unwrap_or_default());
    t.insert_column(usize::MAX, "prompts by developer", ColumnKind::Text, cells);
}

/// In team mode, adds a last column to `t`, a table of the periods of `by` (before any cut),
/// with each developer's prompts in each period, and in its totals row over every period.
pub(super) fn period_shares(r: &Report, by: Period, t: &mut TableData) {
    if !is_team(r) {
        return;
    }
    // Each developer's days regrouped like the report's; then per period, who prompted.
    let mut of: BTreeMap<String, Vec<GroupCounts>> = BTreeMap::new();
    for (dev, days) in &r.developer_days {
        for mut g in regroup(days, by) {
            let period = std::mem::replace(&mut g.key, dev.clone());
            of.entry(period).or_default().push(g);
        }
    }
    let cells: Vec<String> = t
        .rows()
        .iter()
        .map(|row| of.get(&row[0]).map(|g| shares(g)).unwrap_or_default())
        .collect();
    let total = shares(&r.by_developer);
    t.insert_column(usize::MAX, "prompts by developer", ColumnKind::Text, cells);
    t.set_total_cell(usize::MAX, total);
}

/// "ann 12, bob 3": each developer's prompts (approved and rejected), most first; those
/// with none left out.
fn shares(by_developer: &[GroupCounts]) -> String {
    let mut devs: Vec<&GroupCounts> = by_developer.iter().filter(|d| d.prompts() > 0).collect();
    devs.sort_by(|a, b| b.prompts().cmp(&a.prompts()).then(a.key.cmp(&b.key)));
    let shares: Vec<String> = devs
        .iter()
        .map(|d| format!("{} {}", d.key, d.prompts()))
        .collect();
    shares.join(", ")
}

/// The team sections (team mode only): counts per developer, and the commands that cost
/// the team most prompts with each developer's share.
pub(super) fn team_sections(r: &Report, top: usize) -> Vec<Section> {
    if !is_team(r) {
        return Vec::new();
    }
    let mut header = vec!["developer"];
    header.extend(COUNT_HEADER);
    let by_developer = Section::new(
        "By developer",
        figures(&header, count_rows(&r.by_developer)).cut(top, "developers"),
    );
    let rows = r
        .team_commands
        .iter()
        .map(|c| {
            vec![
                c.key.clone(),
                c.prompts.to_string(),
                c.approved.to_string(),
                c.rejected.to_string(),
                c.developers.to_string(),
                shares(&c.by_developer),
            ]
        })
        .collect();
    let commands = Section::new(
        "Commands that cost the team most prompts",
        figures(
            &[
                "command",
                "prompts",
                "approved*",
                "rejected",
                "developers",
                "prompts by developer",
            ],
            rows,
        )
        .cut(top, "commands"),
    );
    vec![by_developer, commands]
}

/// Colours of the developers in the chart of prompts per period, in order; developers past
/// the palette are drawn together as "others".
const PALETTE: [&str; 8] = [
    "#3b6ea5", "#d9534f", "#f0a030", "#8cc084", "#9b59b6", "#5bc0de", "#a0522d", "#708090",
];
/// The colour of "others".
const OTHERS: &str = "#c8c8c8";

/// In team mode, the prompts of each period (approved and rejected, high bound) stacked by
/// developer, most prompting developers first, with the figures as a long table (period,
/// developer). Nothing outside team mode.
pub(super) fn developer_prompts_chart(p: &mut Page, r: &Report, view: View) {
    if !is_team(r) {
        return;
    }
    let mut devs: Vec<&GroupCounts> = r.by_developer.iter().filter(|d| d.prompts() > 0).collect();
    devs.sort_by(|a, b| b.prompts().cmp(&a.prompts()).then(a.key.cmp(&b.key)));
    let title = format!("Prompts per {} by developer", view.by.as_str());
    p.heading(&title);
    if devs.is_empty() {
        p.paragraph("No developer was prompted in this window.", false);
        return;
    }
    // period -> developer -> counts
    let mut of: BTreeMap<String, BTreeMap<&str, GroupCounts>> = BTreeMap::new();
    for (dev, days) in &r.developer_days {
        for g in regroup(days, view.by) {
            of.entry(g.key.clone()).or_default().insert(dev.as_str(), g);
        }
    }
    let named = devs.len().min(PALETTE.len());
    let others = devs.len() > named;
    let mut series: Vec<Series<'_>> = devs[..named]
        .iter()
        .zip(PALETTE)
        .map(|(d, color)| Series {
            name: d.key.as_str(),
            color,
        })
        .collect();
    if others {
        series.push(Series {
            name: "others",
            color: OTHERS,
        });
    }
    let periods: Vec<&String> = of.keys().collect();
    let shown = &periods[periods.len().saturating_sub(view.top)..];
    let prompts = |period: &str, dev: &str| {
        of.get(period)
            .and_then(|m| m.get(dev))
            .map_or(0, GroupCounts::prompts)
    };
    let bars: Vec<Bar> = shown
        .iter()
        .map(|period| {
            let mut values: Vec<f64> = devs[..named]
                .iter()
                .map(|d| prompts(period, &d.key) as f64)
                .collect();
            if others {
                let rest: u64 = devs[named..].iter().map(|d| prompts(period, &d.key)).sum();
                values.push(rest as f64);
            }
            Bar {
                label: (*period).clone(),
                values,
            }
        })
        .collect();
    let desc = format!(
        "{} bars, one per {}: the prompts (approved, high bound, and rejected) of each developer{}.",
        bars.len(),
        view.by.as_str(),
        if others {
            format!(", the {} most prompted named and the rest as others", named)
        } else {
            String::new()
        }
    );
    let svg = svg::columns(
        &Caption {
            id: "prompts-developer",
            title: &title,
            desc: &desc,
        },
        &series,
        &bars,
    );
    // The periods the chart shows (the last `--top`), like the chart of all prompts.
    let mut rows = Vec::new();
    for period in shown {
        for (dev, g) in &of[*period] {
            if g.prompts() > 0 {
                rows.push(vec![
                    (*period).clone(),
                    dev.to_string(),
                    g.prompts().to_string(),
                    g.approved.to_string(),
                    g.rejected.to_string(),
                ]);
            }
        }
    }
    let table = figures(
        &["period", "developer", "prompts", "approved*", "rejected"],
        rows,
    );
    p.chart(&svg, &table);
}
