//! The report as one self-contained HTML page, for a team lead: the context line, headline
//! cards (period, developers, sessions, prompts with their bounds, fatigue, waiting, the
//! top three fixes), the charts, each with its figures as a table, then every table of the
//! text report, cut at `--top` rows like there.

use super::html::{Card, Page};
use super::report::{
    COUNT_HEADER, TITLE, View, context_line, count_rows, dur, figures, notes, pct, period_table,
    periods, secs, sections,
};
use super::report_team::{command_shares, developer_prompts_chart, project_developers};
use super::svg::{self, Bar, Caption, Series};
use crate::analysis::aggregate::GroupCounts;
use crate::analysis::report::Report;
use crate::analysis::report::period::Period;
use crate::text::time::day_of;
use std::collections::BTreeMap;

const APPROVED: Series<'static> = Series {
    name: "approved, evidenced",
    color: "#3b6ea5",
};
const APPROVED_REPLAY: Series<'static> = Series {
    name: "approved, replay only",
    color: "#a9c6e8",
};
const REJECTED: Series<'static> = Series {
    name: "rejected",
    color: "#d9534f",
};
const DENIED: Series<'static> = Series {
    name: "denied",
    color: "#f0a030",
};
const UNASKED: Series<'static> = Series {
    name: "ran unasked",
    color: "#8cc084",
};
const OTHER: Series<'static> = Series {
    name: "other (cancelled, interrupted, unresolved)",
    color: "#c8c8c8",
};
const BLOCKS: Series<'static> = Series {
    name: "classifier blocks",
    color: "#9b59b6",
};
const UNAVAILABLE: Series<'static> = Series {
    name: "classifier unavailable",
    color: "#d2b4de",
};
const FALLBACKS: Series<'static> = Series {
    name: "fallbacks to prompting",
    color: "#f0a030",
};
const MEDIAN: Series<'static> = Series {
    name: "median",
    color: "#3b6ea5",
};
const P90: Series = Series {
    name: "90th percentile",
    color: "#d9534f",
};
const SAVED: Series<'static> = Series {
    name: "prompts saved (best estimate)",
    color: "#3b6ea5",
};

/// The per-developer counts, when the report has them (team mode, or one developer named
/// with `--label`); none otherwise, and then no per-developer chart is drawn.
fn developer_groups(r: &Report) -> &[GroupCounts] {
    &r.by_developer
}

/// One bar per group, for the first `top` groups, with the values `of` gives.
fn group_bars<'a>(
    groups: impl Iterator<Item = &'a GroupCounts>,
    top: usize,
    of: impl Fn(&GroupCounts) -> Vec<f64>,
) -> Vec<Bar> {
    groups
        .take(top)
        .map(|g| Bar {
            label: g.key.clone(),
            values: of(g),
        })
        .collect()
}

/// The page.
pub fn page(r: &Report, view: View) -> String {
    let mut p = Page::new(TITLE, &context_line(r));
    p.cards(&cards(r));
    prompts_chart(&mut p, r, view);
    developer_prompts_chart(&mut p, r, view);
    curve_chart(&mut p, r);
    friction_chart(&mut p, r, view);
    mix_chart(
        &mut p,
        "Outcome mix per project",
        "project",
        &r.by_project,
        view,
    );
    let developers = developer_groups(r);
    if !developers.is_empty() {
        mix_chart(
            &mut p,
            "Outcome mix per developer",
            "developer",
            developers,
            view,
        );
    }
    automode_chart(&mut p, r, view);
    suggested_chart(&mut p, r, view);
    for s in sections(r, view) {
        p.section(&s);
    }
    p.finish(&notes(r))
}

/// The headline cards.
fn cards(r: &Report) -> Vec<Card> {
    let c = &r.context;
    let card = |label: &str, value: String, detail: String| Card {
        label: label.into(),
        value,
        detail,
        items: Vec::new(),
    };
    let day = |t: &Option<String>| {
        t.as_deref()
            .map_or("-", |t| &t[..t.len().min(10)])
            .to_string()
    };
    let developers = developer_groups(r).len();
    let est = &r.prompts.estimate;
    let f = &r.fatigue;
    let w = &f.waiting;
    let mut fixes: Vec<String> = r
        .suggested
        .iter()
        .flat_map(|s| &s.rules)
        .take(3)
        .map(|x| format!("{}: saves about {} prompts", x.rule, x.saved.best))
        .collect();
    let fixes_detail = if fixes.is_empty() {
        fixes.push("no safe rule to propose".into());
        "see the commands that prompt most, below".to_string()
    } else {
        "suggested allow rules; the prompts people answered that each would have saved (best estimate)".to_string()
    };
    vec![
        card(
            "Period",
            format!("{} to {}", day(&c.first), day(&c.last)),
            format!("{} days · {} files", c.days.unwrap_or(0), c.files),
        ),
        card(
            "Developers",
            if developers == 0 {
                "1 history".into()
            } else {
                developers.to_string()
            },
            if developers == 0 {
                "read as one developer's".into()
            } else {
                "in team mode".into()
            },
        ),
        card(
            "Sessions",
            c.sessions.to_string(),
            format!("{} calls", c.calls),
        ),
        card(
            "Prompts approved (best estimate)",
            est.best.to_string(),
            format!(
                "between {} and {} · {} rejected · {} of answers recorded exactly",
                est.low,
                est.high,
                r.prompts.rejected,
                pct(r.evidence.exact_share)
            ),
        ),
        card(
            "Fatigue score",
            format!("{} / 100", f.score),
            format!(
                "longest streak {} · {} rubber stamps · over {} prompts with evidence",
                f.longest_streak,
                pct(f.rubber_stamp_share),
                f.prompts_counted
            ),
        ),
        card(
            "Wait per prompt",
            format!("{} median", secs(w.median_ms)),
            format!(
                "p90 {} · {} waiting in all (overlaps merged) · {} walked away",
                secs(w.p90_ms),
                dur(w.merged_ms),
                w.outliers
            ),
        ),
        Card {
            label: "Top three fixes".into(),
            value: String::new(),
            detail: fixes_detail,
            items: fixes,
        },
    ]
}

/// Prompts per period, stacked: approved with evidence, approved on the replay alone (the
/// span between the low and the high bound), rejected, denied.
fn prompts_chart(p: &mut Page, r: &Report, view: View) {
    let groups = periods(r, view.by);
    let shown = &groups[groups.len().saturating_sub(view.top)..];
    let bars: Vec<Bar> = shown
        .iter()
        .map(|g| Bar {
            label: g.key.clone(),
            values: vec![
                g.approved_evidenced as f64,
                g.approved.saturating_sub(g.approved_evidenced) as f64,
                g.rejected as f64,
                g.denied as f64,
            ],
        })
        .collect();
    let title = format!("Prompts per {}", view.by.as_str());
    let desc = format!(
        "{} bars, one per {}: approved prompts with a record or evidence (the low bound), approved prompts only the replay shows (adding them gives the high bound), rejected prompts, and calls denied with nobody asked.",
        bars.len(),
        view.by.as_str()
    );
    p.heading(&title);
    let svg = svg::columns(
        &Caption {
            id: "prompts",
            title: &title,
            desc: &desc,
        },
        &[APPROVED, APPROVED_REPLAY, REJECTED, DENIED],
        &bars,
    );
    p.chart(&svg, &period_table(r, view.by, view.top));
}

/// The fatigue curve: median and p90 answer time by a prompt's position in its session.
fn curve_chart(p: &mut Page, r: &Report) {
    let curve = &r.fatigue.curve;
    p.heading("Fatigue curve: answer time by a prompt's place in its session");
    if curve.is_empty() {
        p.paragraph(
            "No prompt with evidence of a person and a timed answer: nothing to draw.",
            false,
        );
        return;
    }
    let labels: Vec<String> = curve.iter().map(|b| b.label()).collect();
    let s = |v: Option<f64>| v.map(|ms| (ms / 100.0).round() / 10.0);
    let values = vec![
        curve.iter().map(|b| s(b.median_ms)).collect(),
        curve.iter().map(|b| s(b.p90_ms)).collect(),
    ];
    let desc = format!(
        "Seconds to answer a prompt (log scale) against its position among its session's timed prompts ({} ranges of positions), median and 90th percentile; only prompts recorded or evidenced, waits over 10 minutes left out. Answers that get faster as a session goes on are a sign of approval fatigue.",
        labels.len()
    );
    let svg = svg::lines(
        &Caption {
            id: "curve",
            title: "Answer time by position in the session",
            desc: &desc,
        },
        &[MEDIAN, P90],
        &labels,
        &values,
        "s",
    );
    let rows = curve
        .iter()
        .map(|b| {
            vec![
                b.label(),
                b.prompts.to_string(),
                secs(b.median_ms),
                secs(b.p90_ms),
            ]
        })
        .collect();
    p.chart(
        &svg,
        &figures(&["position", "prompts", "median", "p90"], rows),
    );
}

/// The commands that prompt most, as rows of approved (evidenced, replay only) and
/// rejected prompts.
fn friction_chart(p: &mut Page, r: &Report, view: View) {
    let top: Vec<&GroupCounts> = r.by_command.iter().filter(|g| g.prompts() > 0).collect();
    p.heading("Commands that prompt most");
    if top.is_empty() {
        p.paragraph("No command prompted in this window.", false);
        return;
    }
    let bars = group_bars(top.iter().copied(), view.top, |g| {
        vec![
            g.approved_evidenced as f64,
            g.approved.saturating_sub(g.approved_evidenced) as f64,
            g.rejected as f64,
        ]
    });
    let desc = format!(
        "The {} commands with the most prompts: approved with evidence, approved on the replay alone, rejected.",
        bars.len()
    );
    let svg = svg::rows(
        &Caption {
            id: "friction",
            title: "Commands that prompt most",
            desc: &desc,
        },
        &[APPROVED, APPROVED_REPLAY, REJECTED],
        &bars,
        false,
    );
    let rows = top
        .iter()
        .map(|g| {
            vec![
                g.key.clone(),
                g.approved.to_string(),
                g.approved_evidenced.to_string(),
                g.rejected.to_string(),
            ]
        })
        .collect();
    let mut table = figures(&["command", "approved*", "evidenced", "rejected"], rows)
        .cut(view.top, "commands that prompted");
    command_shares(r, &mut table, top.iter().map(|g| g.key.as_str()));
    p.chart(&svg, &table);
}

/// The outcome mix of each group (project, developer) as shares of its calls.
fn mix_chart(p: &mut Page, title: &str, what: &'static str, groups: &[GroupCounts], view: View) {
    p.heading(title);
    if groups.is_empty() {
        p.paragraph("No call in this window.", false);
        return;
    }
    let bars = group_bars(groups.iter(), view.top, |g| {
        vec![
            g.approved as f64,
            g.rejected as f64,
            g.denied as f64,
            (g.auto_allowed + g.classifier_allowed) as f64,
            g.calls.saturating_sub(
                g.approved + g.rejected + g.denied + g.auto_allowed + g.classifier_allowed,
            ) as f64,
        ]
    });
    let desc = format!(
        "For each of {} {what}s, the share of its calls that were approved prompts (high bound), rejected prompts, denials, calls that ran unasked, and the rest (cancelled, interrupted, unresolved); the total of calls is written after each row.",
        bars.len()
    );
    let approved = Series {
        name: "approved (high bound)",
        color: APPROVED.color,
    };
    let svg = svg::rows(
        &Caption {
            id: &format!("mix-{what}"),
            title,
            desc: &desc,
        },
        &[approved, REJECTED, DENIED, UNASKED, OTHER],
        &bars,
        true,
    );
    let mut header = vec![what];
    header.extend(COUNT_HEADER);
    let rows = count_rows(groups);
    let plural = match what {
        "project" => "projects",
        _ => "developers",
    };
    p.chart(&svg, &figures(&header, rows).cut(view.top, plural));
}

/// Auto mode over time: classifier blocks, unavailable classifier, and fallbacks to
/// prompting per period.
fn automode_chart(p: &mut Page, r: &Report, view: View) {
    p.heading(&format!("Auto mode per {}", view.by.as_str()));
    let a = &r.automode;
    if a.sessions == 0 && a.blocks == 0 && a.unavailable == 0 {
        p.paragraph(
            "No call ran in auto mode in this window: no block and no fallback to chart.",
            false,
        );
        return;
    }
    let mut fallbacks: BTreeMap<String, u64> = BTreeMap::new();
    for s in &a.detail.sessions {
        for f in &s.fallbacks {
            if let Some(day) = f.at_ms.and_then(day_of) {
                *fallbacks.entry(view.by.key_of_day(&day)).or_default() += 1;
            }
        }
    }
    let groups = periods(r, view.by);
    let mut keys: Vec<String> = groups.iter().map(|g| g.key.clone()).collect();
    keys.extend(fallbacks.keys().cloned());
    keys.sort();
    keys.dedup();
    let shown = &keys[keys.len().saturating_sub(view.top)..];
    let counts = |k: &str| -> (u64, u64, u64) {
        let g = groups.iter().find(|g| g.key == k);
        (
            g.map_or(0, |g| g.classifier_blocked),
            g.map_or(0, |g| g.classifier_unavailable),
            fallbacks.get(k).copied().unwrap_or(0),
        )
    };
    let bars: Vec<Bar> = shown
        .iter()
        .map(|k| {
            let (b, u, f) = counts(k);
            Bar {
                label: k.clone(),
                values: vec![b as f64, u as f64, f as f64],
            }
        })
        .collect();
    let desc = format!(
        "{} bars, one per {}: calls the auto-mode classifier blocked, calls denied because it was unavailable, and the fallbacks to prompting reconstructed from the blocks.",
        bars.len(),
        view.by.as_str()
    );
    let svg = svg::columns(
        &Caption {
            id: "automode",
            title: "Auto-mode blocks and fallbacks",
            desc: &desc,
        },
        &[BLOCKS, UNAVAILABLE, FALLBACKS],
        &bars,
    );
    let rows = keys
        .iter()
        .map(|k| {
            let (b, u, f) = counts(k);
            vec![k.clone(), b.to_string(), u.to_string(), f.to_string()]
        })
        .collect();
    let by: Period = view.by;
    p.chart(
        &svg,
        &figures(&[by.as_str(), "blocks", "unavailable", "fallbacks"], rows)
            .cut_last(view.top, by.plural()),
    );
}

/// The rules the suggester would propose, with the prompts each would save.
fn suggested_chart(p: &mut Page, r: &Report, view: View) {
    p.heading("Suggested rules and the prompts each would save");
    let Some(s) = &r.suggested else {
        return;
    };
    p.paragraph(&format!("{}.", s.note), true);
    if s.rules.is_empty() {
        p.paragraph(
            &format!(
                "No rule passes the suggester's checks for this window ({} prompts considered); `permstat suggest` lists what it left out and why.",
                s.prompts_before
            ),
            false,
        );
        return;
    }
    let shown = &s.rules[..s.rules.len().min(view.top)];
    let bars: Vec<Bar> = shown
        .iter()
        .map(|x| Bar {
            label: x.rule.clone(),
            values: vec![x.saved.best as f64],
        })
        .collect();
    let desc = format!(
        "{} allow rules, each with the prompts people answered that it alone would have saved (best estimate; the calls it would no longer prompt for are found by replaying today's settings with the rule added); all of them together would have saved about {} of about {} answered prompts.",
        bars.len(),
        s.answered_saved,
        s.answered,
    );
    let svg = svg::rows(
        &Caption {
            id: "suggested",
            title: "Prompts each suggested rule would save",
            desc: &desc,
        },
        &[SAVED],
        &bars,
        false,
    );
    let rows = s
        .rules
        .iter()
        .map(|x| {
            vec![
                x.rule.clone(),
                x.saved.best.to_string(),
                format!("{}-{}", x.saved.low, x.saved.high),
                x.prompts_saved.to_string(),
                x.approvals.to_string(),
                x.sessions.to_string(),
                x.kind.clone(),
                x.project.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let mut table = figures(
        &[
            "rule",
            "saved (est.)",
            "bounds",
            "by replay",
            "approvals",
            "sessions",
            "kind",
            "folder",
        ],
        rows,
    )
    .cut(view.top, "rules");
    project_developers(r, &mut table, s.rules.iter().map(|x| x.project.as_deref()));
    p.chart(&svg, &table);
}
