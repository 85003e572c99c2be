//! `permstat report --format html` on the hand-written history of tests/fixtures/html (its
//! README.md gives the counts): the charts with the right number of bars, the text
//! alternatives, and hostile transcript text only escaped. tests/html_chromium.py checks
//! the same page in a browser.

use crate::common::*;

const FIXTURE: &str = "tests/fixtures/html";

/// The `<svg>` element with this id, whole.
fn chart<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("class=\"chart\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let start = html[..start].rfind("<svg").unwrap();
    let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
    &html[start..end]
}

fn bars(svg: &str) -> usize {
    svg.matches("<g class=\"bar\"").count()
}

#[test]
fn charts_have_a_bar_per_day_command_folder_and_rule() {
    let html = permstat_ok(&["report", FIXTURE, "-q", "--format", "html"]);
    assert!(html.starts_with("<!doctype html>"));
    assert_eq!(bars(chart(&html, "prompts")), 3, "one per day");
    assert_eq!(
        bars(chart(&html, "friction")),
        5,
        "one per command that prompted"
    );
    assert_eq!(bars(chart(&html, "mix-project")), 2, "one per folder");
    assert_eq!(
        bars(chart(&html, "suggested")),
        1,
        "Bash(pip list --outdated)"
    );
    assert_eq!(
        chart(&html, "curve")
            .matches("<circle class=\"point\"")
            .count(),
        2
    );
    assert!(!html.contains("id=\"automode\""), "no auto mode, no chart");
    // Day 1: pip list twice and curl approved (replay only), rm rejected.
    let day1 = chart(&html, "prompts");
    assert!(
        day1.contains("<title>2026-03-02: 3 approved, replay only</title>"),
        "{day1}"
    );
    assert!(
        day1.contains("<title>2026-03-02: 1 rejected</title>"),
        "{day1}"
    );
    // Every chart has a title and a description, and its figures as a table.
    assert_eq!(html.matches("<svg ").count(), 5);
    assert_eq!(html.matches("<desc id=").count(), 5);
    assert_eq!(
        html.matches("<summary>The figures of this chart</summary>")
            .count(),
        5
    );
    // Cards: the prompts with their bounds, the top fix.
    assert!(
        html.contains("<li>Bash(pip list --outdated): saves about 4 prompts</li>"),
        "{html}"
    );
    assert!(html.contains("between 0 and 6"), "{html}");
    // Week by week, the three days are one bar (2026-03-02 is the Monday of ISO week 10).
    let weekly = permstat_ok(&["report", FIXTURE, "-q", "--format", "html", "--by", "week"]);
    let w = chart(&weekly, "prompts");
    assert_eq!(bars(w), 1);
    assert!(
        w.contains("<title>2026-W10: 6 approved, replay only</title>"),
        "{w}"
    );
}

#[test]
fn hostile_text_is_only_escaped() {
    let html = permstat_ok(&["report", FIXTURE, "-q", "--format", "html"]);
    assert_eq!(html.matches("<script").count(), 1, "only the table sorter");
    assert_eq!(html.matches("</svg>").count(), 5, "one per chart");
    assert!(!html.contains("alert(\"dir\")"));
    assert!(!html.contains("'</svg>.txt'"));
    // The folder (in the outcome mix and the tables) and the command (risky actions).
    assert!(
        html.contains(
            "/work/&lt;/svg&gt;&lt;script&gt;alert(&quot;dir&quot;)&lt;/script&gt;&#39;q"
        )
    );
    assert!(
        html.contains(
            "q=&lt;script&gt;alert(1)&lt;/script&gt;&quot; -o &#39;&lt;/svg&gt;.txt&#39;"
        )
    );
    // Nothing is fetched: the policy forbids it, and no URL is referenced but the SVG
    // namespace.
    assert!(html.contains("default-src 'none'"));
    let refs = html.matches("src=").count() + html.matches("href=").count();
    assert_eq!(refs, 0);
}
