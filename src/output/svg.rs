//! Charts as inline SVG, for the HTML report: stacked columns (counts over time), stacked
//! rows (counts per command, project or developer; as counts or as shares) and lines (the
//! fatigue curve). No dependency: a chart is a few dozen elements, written as text.
//!
//! Every text (labels come from transcripts: commands, folders) is escaped. Each chart is
//! an `<svg role="img">` with a `<title>` and a `<desc>` (its text alternative; the page
//! puts a table of the same figures beside it). Each bar is a `<g class="bar">` holding one
//! `<rect>` per non-zero segment, each with a `<title>` tooltip; each point of a line is a
//! `<circle class="point">`: the browser test counts them.

use super::html::escape;
use std::fmt::Write as _;

/// Width of every chart's view box (it scales to the page).
const WIDTH: f64 = 720.0;
/// Room left of the plot for the axis labels (columns, lines) .
const LEFT: f64 = 48.0;
/// Room above the plot for the legend.
const TOP: f64 = 28.0;
/// Height of the plot of columns and lines.
const PLOT_H: f64 = 200.0;
/// Height of one row of a row chart.
const ROW_H: f64 = 22.0;
/// Width of the label column of a row chart.
const ROW_LABEL_W: f64 = 230.0;
/// Longest label shown (characters); the full text is in the tooltip and the table.
const LABEL_CHARS: usize = 34;

/// One series of a chart: its name (legend, tooltips) and colour.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    /// Shown in the legend and tooltips.
    pub name: &'a str,
    /// A CSS colour.
    pub color: &'a str,
}

/// One bar (a column or a row): its label and one value per series, stacked in order.
#[derive(Debug, Clone)]
pub struct Bar {
    /// The category: a day, a command, a project.
    pub label: String,
    /// One value per series (negative values count as 0).
    pub values: Vec<f64>,
}

/// What every chart has: an id (for its title and description), a title and a text
/// alternative.
#[derive(Debug, Clone, Copy)]
pub struct Caption<'a> {
    /// Unique in the page: letters, digits and `-`.
    pub id: &'a str,
    /// The chart's title.
    pub title: &'a str,
    /// What it shows, in words.
    pub desc: &'a str,
}

/// `text` cut to `n` characters, with an ellipsis when cut.
fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let cut: String = text.chars().take(n.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// A round step for about four gridlines up to `max`: 1, 2 or 5 times a power of ten.
fn step_for(max: f64) -> f64 {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let raw = max / 4.0;
    let pow = 10f64.powf(raw.log10().floor());
    let f = raw / pow;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * pow
}

/// A value as an axis label: whole numbers without decimals.
fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Opens a chart: the svg element, its title and description, and the legend.
fn open(out: &mut String, c: &Caption<'_>, height: f64, series: &[Series<'_>]) {
    let id = escape(c.id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{id}\" role=\"img\" \
         viewBox=\"0 0 {WIDTH} {height}\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(c.title),
        escape(c.desc)
    );
    let mut x = LEFT;
    for s in series {
        // About 6.5 units per character of the 11px legend font.
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"8\" width=\"10\" height=\"10\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"17\" class=\"legend\">{}</text>",
            s.color,
            x + 14.0,
            escape(s.name)
        );
        x += 24.0 + 6.5 * s.name.chars().count() as f64;
    }
}

/// One horizontal gridline at `y`, labelled `value` and `unit` on the left.
fn gridline(out: &mut String, y: f64, value: f64, unit: &str) {
    let _ = write!(
        out,
        "<line x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\"/>\
         <text x=\"{}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{}{}</text>",
        LEFT - 4.0,
        y + 3.0,
        num(value),
        escape(unit)
    );
}

/// Horizontal gridlines and their labels over a plot `PLOT_H` high, up to `max`.
fn grid(out: &mut String, max: f64, unit: &str) -> f64 {
    let step = step_for(max);
    let top = (max / step).ceil().max(1.0) * step;
    let mut v = 0.0;
    while v <= top + step / 2.0 {
        gridline(out, TOP + PLOT_H - v / top * PLOT_H, v, unit);
        v += step;
    }
    top
}

/// Stacked columns, one per bar (time periods), the series stacked bottom up.
pub fn columns(c: &Caption<'_>, series: &[Series<'_>], bars: &[Bar]) -> String {
    let mut out = String::new();
    let label_room = if bars.len() > 12 { 70.0 } else { 24.0 };
    let height = TOP + PLOT_H + label_room;
    open(&mut out, c, height, series);
    let max = bars
        .iter()
        .map(|b| b.values.iter().map(|v| v.max(0.0)).sum::<f64>())
        .fold(0.0, f64::max);
    let top = grid(&mut out, max, "");
    let slot = (WIDTH - LEFT) / bars.len().max(1) as f64;
    let w = (slot * 0.7).max(1.0);
    for (i, b) in bars.iter().enumerate() {
        let x = LEFT + i as f64 * slot + (slot - w) / 2.0;
        let _ = write!(out, "<g class=\"bar\" data-label=\"{}\">", escape(&b.label));
        let mut base = 0.0;
        for (s, v) in series.iter().zip(&b.values) {
            let v = v.max(0.0);
            if v <= 0.0 {
                continue;
            }
            let y0 = TOP + PLOT_H - (base + v) / top * PLOT_H;
            let h = v / top * PLOT_H;
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y0:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{}\">\
                 <title>{}: {} {}</title></rect>",
                s.color,
                escape(&b.label),
                num(v),
                escape(s.name)
            );
            base += v;
        }
        let lx = x + w / 2.0;
        let ly = TOP + PLOT_H + 12.0;
        let label = escape(&short(&b.label, 12));
        if bars.len() > 12 {
            let _ = write!(
                out,
                "<text x=\"{lx:.1}\" y=\"{ly:.1}\" class=\"axis\" text-anchor=\"end\" \
                 transform=\"rotate(-45 {lx:.1} {ly:.1})\">{label}</text>"
            );
        } else {
            let _ = write!(
                out,
                "<text x=\"{lx:.1}\" y=\"{ly:.1}\" class=\"axis\" text-anchor=\"middle\">{label}</text>"
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// Stacked rows, one per bar (commands, projects), labelled on the left; as shares of
/// each row's total when `shares` (each row then spans the width), else as counts on one
/// scale, with the total written after the row.
pub fn rows(c: &Caption<'_>, series: &[Series<'_>], bars: &[Bar], shares: bool) -> String {
    let mut out = String::new();
    let height = TOP + ROW_H * bars.len() as f64 + 8.0;
    open(&mut out, c, height, series);
    let total = |b: &Bar| b.values.iter().map(|v| v.max(0.0)).sum::<f64>();
    let max = bars.iter().map(total).fold(0.0, f64::max).max(1e-9);
    let plot_w = WIDTH - ROW_LABEL_W - 50.0;
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + i as f64 * ROW_H;
        let sum = total(b);
        let scale = if shares { sum.max(1e-9) } else { max };
        let _ = write!(
            out,
            "<g class=\"bar\" data-label=\"{}\"><text x=\"{}\" y=\"{:.1}\" class=\"axis\" \
             text-anchor=\"end\">{}</text>",
            escape(&b.label),
            ROW_LABEL_W - 6.0,
            y + ROW_H * 0.65,
            escape(&short(&b.label, LABEL_CHARS))
        );
        let mut x = ROW_LABEL_W;
        for (s, v) in series.iter().zip(&b.values) {
            let v = v.max(0.0);
            if v <= 0.0 {
                continue;
            }
            let w = v / scale * plot_w;
            let shown = match shares {
                true => format!("{:.0}%", v / scale * 100.0),
                false => num(v),
            };
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\">\
                 <title>{}: {shown} {}</title></rect>",
                y + 3.0,
                ROW_H - 6.0,
                s.color,
                escape(&b.label),
                escape(s.name)
            );
            x += w;
        }
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\">{}</text></g>",
            x + 4.0,
            y + ROW_H * 0.65,
            num(sum)
        );
    }
    out.push_str("</svg>");
    out
}

/// Gridlines at the powers of ten from `lo` to `hi` (a log scale over a plot `PLOT_H`
/// high); returns the exponents of the bottom and the top of the plot.
fn log_grid(out: &mut String, lo: f64, hi: f64, unit: &str) -> (f64, f64) {
    let bottom = lo.max(1e-3).log10().floor();
    let top = hi.max(lo).max(1e-3).log10().ceil().max(bottom + 1.0);
    let mut e = bottom;
    while e <= top + 0.5 {
        let y = TOP + PLOT_H - (e - bottom) / (top - bottom) * PLOT_H;
        gridline(out, y, 10f64.powf(e), unit);
        e += 1.0;
    }
    (bottom, top)
}

/// Lines over categories (the x axis, in order) on a log scale, so that a long tail does
/// not flatten the rest: one line per series, a point per value (None, or not above 0: no
/// point there), with `unit` after the axis labels.
pub fn lines(
    c: &Caption<'_>,
    series: &[Series<'_>],
    labels: &[String],
    values: &[Vec<Option<f64>>],
    unit: &str,
) -> String {
    let mut out = String::new();
    let height = TOP + PLOT_H + 24.0;
    open(&mut out, c, height, series);
    let values: Vec<Vec<Option<f64>>> = values
        .iter()
        .map(|vs| {
            vs.iter()
                .map(|v| v.filter(|x| *x > 0.0 && x.is_finite()))
                .collect()
        })
        .collect();
    let all = values.iter().flatten().flatten();
    let lo = all.clone().fold(f64::INFINITY, |m: f64, v| m.min(*v));
    let hi = all.fold(0.0, |m: f64, v| m.max(*v));
    let (bottom, top) = match lo.is_finite() {
        true => log_grid(&mut out, lo, hi, unit),
        false => log_grid(&mut out, 1.0, 10.0, unit),
    };
    let slot = (WIDTH - LEFT) / labels.len().max(1) as f64;
    let x_of = |i: usize| LEFT + slot * (i as f64 + 0.5);
    let y_of = |v: f64| TOP + PLOT_H - (v.log10() - bottom) / (top - bottom) * PLOT_H;
    for (i, l) in labels.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"middle\">{}</text>",
            x_of(i),
            TOP + PLOT_H + 14.0,
            escape(&short(l, 10))
        );
    }
    for (s, vs) in series.iter().zip(&values) {
        let pts: Vec<String> = vs
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x_of(i), y_of(v))))
            .collect();
        let _ = write!(
            out,
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
            s.color,
            pts.join(" ")
        );
        for (i, v) in vs.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    out,
                    "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{}\">\
                     <title>{}: {}{} {}</title></circle>",
                    x_of(i),
                    y_of(*v),
                    s.color,
                    escape(labels.get(i).map_or("", String::as_str)),
                    num(*v),
                    escape(unit),
                    escape(s.name)
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: [Series<'static>; 2] = [
        Series {
            name: "approved",
            color: "#4c78a8",
        },
        Series {
            name: "rejected",
            color: "#e45756",
        },
    ];

    fn cap() -> Caption<'static> {
        Caption {
            id: "t",
            title: "Prompts <per> day",
            desc: "a \"test\" & more",
        }
    }

    fn bar(label: &str, a: f64, r: f64) -> Bar {
        Bar {
            label: label.into(),
            values: vec![a, r],
        }
    }

    #[test]
    fn one_group_per_bar_and_one_rect_per_segment() {
        let bars = [
            bar("2026-01-07", 8.0, 4.0),
            bar("2026-01-11", 15.0, 0.0),
            bar("x", 0.0, 0.0),
        ];
        let svg = columns(&cap(), &S, &bars);
        assert_eq!(svg.matches("<g class=\"bar\"").count(), 3);
        // Two legend swatches, then 2 + 1 + 0 segments.
        assert_eq!(svg.matches("<rect").count(), 2 + 3);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title id=\"t-title\">Prompts &lt;per&gt; day</title>"));
        assert!(svg.contains("<desc id=\"t-desc\">a &quot;test&quot; &amp; more</desc>"));
        assert!(svg.ends_with("</svg>"));
        let svg = rows(&cap(), &S, &bars, true);
        assert_eq!(svg.matches("<g class=\"bar\"").count(), 3);
        assert!(
            svg.contains(">67% approved<") || svg.contains(": 67% approved<"),
            "{svg}"
        );
    }

    #[test]
    fn hostile_labels_are_escaped() {
        let evil = "</svg><script>alert('x')</script>\"<b>";
        let bars = [bar(evil, 1.0, 1.0)];
        for svg in [
            columns(&cap(), &S, &bars),
            rows(&cap(), &S, &bars, false),
            lines(
                &cap(),
                &S,
                &[evil.to_string()],
                &[vec![Some(1.0)], vec![None]],
                "s",
            ),
        ] {
            assert!(!svg.contains("<script"), "{svg}");
            assert_eq!(svg.matches("</svg>").count(), 1, "{svg}");
            assert!(!svg.contains("\"<b>"), "{svg}");
            assert!(svg.contains("&lt;/svg&gt;&lt;script&gt;"), "{svg}");
        }
    }

    #[test]
    fn lines_have_a_point_per_value() {
        let labels: Vec<String> = ["1", "2", "3"].iter().map(|s| s.to_string()).collect();
        let svg = lines(
            &cap(),
            &S,
            &labels,
            &[
                vec![Some(5.0), Some(3.0), None],
                vec![Some(9.0), None, Some(1.0)],
            ],
            "s",
        );
        assert_eq!(svg.matches("<circle class=\"point\"").count(), 4);
        assert_eq!(svg.matches("<polyline").count(), 2);
        // Log scale from 1 to 10: gridlines at 1 and 10 only; 1 at the bottom, 9 at
        // log10(9) = 0.954 of the height.
        assert_eq!(svg.matches("class=\"grid\"").count(), 2);
        assert!(
            svg.contains(&format!("cy=\"{:.1}\"", TOP + PLOT_H)),
            "{svg}"
        );
        let nine = TOP + PLOT_H - 9f64.log10() * PLOT_H;
        assert!(svg.contains(&format!("cy=\"{nine:.1}\"")), "{svg}");
        // Zero and NaN are no points.
        let svg = lines(
            &cap(),
            &S[..1],
            &labels,
            &[vec![Some(0.0), Some(f64::NAN), None]],
            "s",
        );
        assert_eq!(svg.matches("<circle").count(), 0);
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(step_for(100.0), 50.0);
        assert_eq!(step_for(12.0), 5.0);
        assert_eq!(step_for(3.0), 1.0);
        assert_eq!(step_for(0.0), 1.0);
        assert_eq!(step_for(f64::NAN), 1.0);
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(num(2.0), "2");
        // Empty charts are still whole documents.
        assert!(columns(&cap(), &S, &[]).ends_with("</svg>"));
        assert!(rows(&cap(), &S, &[], false).ends_with("</svg>"));
    }
}
