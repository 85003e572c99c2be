//! A self-contained HTML page: inline style, inline SVG charts ([`super::svg`]), an optional
//! few lines of script that sort tables when a header is clicked, nothing fetched (a
//! Content-Security-Policy forbids any request). Every text is escaped, because commands
//! and paths come from transcripts (untrusted text); the page is complete without script.

use super::table::{Section, TableData};
use std::fmt::Write as _;

/// Escapes text for HTML (and SVG) element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Nothing may be fetched: no network, no file, no font; inline style and script only.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}\
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}\
p.context{color:#444;margin-top:0}\
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .7em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}\
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f6f6}\
table.sortable th{cursor:pointer}tfoot td{font-weight:bold;border-top:2px solid #ccc}\
td code{white-space:pre-wrap;word-break:break-all}p.note{color:#555}p.cut{color:#555;font-style:italic;margin-top:0}\
.cards{display:flex;flex-wrap:wrap;gap:.8em;margin:1em 0}\
.card{border:1px solid #ddd;border-radius:6px;padding:.6em .9em;min-width:11em;flex:1 1 11em;background:#fafafa}\
.card .label{color:#555;font-size:.85em}.card .value{font-size:1.3em;font-weight:600}.card .detail{color:#555;font-size:.85em}\
.card ol{margin:.2em 0 0 1.2em;padding:0}\
figure{margin:1em 0}svg.chart{width:100%;max-width:60em;height:auto;font:11px system-ui,sans-serif}\
svg .grid{stroke:#e5e5e5}svg .axis,svg .legend{fill:#444}details{margin:.3em 0 1em}summary{color:#555;cursor:pointer}";

/// Sorts a table by the clicked header's column (numbers by value, text alphabetically;
/// a second click reverses); the totals row (tfoot) stays last.
const SORT_SCRIPT: &str = "document.querySelectorAll('table.sortable').forEach(function(t){\
t.querySelectorAll('thead th').forEach(function(th,i){th.addEventListener('click',function(){\
var b=t.tBodies[0],r=Array.prototype.slice.call(b.rows),d=th.dataset.dir==='asc'?-1:1;th.dataset.dir=d>0?'asc':'desc';\
var v=function(x){var s=(x.cells[i]?x.cells[i].textContent:'').trim();return /^-?[0-9.]+(%|s|ms)?$/.test(s)?parseFloat(s):s.toLowerCase();};\
r.sort(function(a,c){var x=v(a),y=v(c);return (typeof x===typeof y?(x<y?-1:x>y?1:0):(typeof x==='number'?-1:1))*d;});\
r.forEach(function(x){b.appendChild(x);});});});});";

/// One headline card: a label, a value, and a line of detail (or a list).
#[derive(Debug, Clone)]
pub struct Card {
    /// What the value is.
    pub label: String,
    /// The value, large.
    pub value: String,
    /// A line under it (bounds, basis).
    pub detail: String,
    /// Items listed under it instead of a value (the top fixes).
    pub items: Vec<String>,
}

/// A page being written: [`Page::new`], then cards, charts, sections and paragraphs in
/// reading order, then [`Page::finish`].
pub struct Page {
    out: String,
}

impl Page {
    /// The head (title, policy, style), the title as a heading and the context line.
    pub fn new(title: &str, context: &str) -> Page {
        let mut out = String::new();
        let title = escape(title);
        let _ = write!(
            out,
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\
             <meta name=\"viewport\" content=\"width=device-width\">\
             <title>{title}</title><style>{STYLE}</style></head><body>\n\
             <h1>{title}</h1>\n<p class=\"context\">{}</p>\n",
            escape(context)
        );
        Page { out }
    }

    /// A row of headline cards.
    pub fn cards(&mut self, cards: &[Card]) {
        self.out.push_str("<div class=\"cards\">\n");
        for c in cards {
            let _ = write!(
                self.out,
                "<div class=\"card\"><div class=\"label\">{}</div>",
                escape(&c.label)
            );
            if c.items.is_empty() {
                let _ = write!(self.out, "<div class=\"value\">{}</div>", escape(&c.value));
            } else {
                self.out.push_str("<ol>");
                for i in &c.items {
                    let _ = write!(self.out, "<li>{}</li>", escape(i));
                }
                self.out.push_str("</ol>");
            }
            if !c.detail.is_empty() {
                let _ = write!(
                    self.out,
                    "<div class=\"detail\">{}</div>",
                    escape(&c.detail)
                );
            }
            self.out.push_str("</div>\n");
        }
        self.out.push_str("</div>\n");
    }

    /// A heading.
    pub fn heading(&mut self, text: &str) {
        let _ = writeln!(self.out, "<h2>{}</h2>", escape(text));
    }

    /// A paragraph of text (`note`: set as a note).
    pub fn paragraph(&mut self, text: &str, note: bool) {
        let class = if note { " class=\"note\"" } else { "" };
        let _ = writeln!(self.out, "<p{class}>{}</p>", escape(text));
    }

    /// A chart (SVG made by [`super::svg`], its texts already escaped) with its figures as a
    /// table under it: the chart's text alternative.
    pub fn chart(&mut self, svg: &str, figures: &TableData) {
        self.out.push_str("<figure>\n");
        self.out.push_str(svg);
        self.out
            .push_str("\n<details><summary>The figures of this chart</summary>\n");
        table(&mut self.out, figures);
        self.out.push_str("</details></figure>\n");
    }

    /// A titled table (left out when it has no row).
    pub fn section(&mut self, s: &Section) {
        if s.table.is_empty() {
            return;
        }
        self.heading(&s.title);
        table(&mut self.out, &s.table);
    }

    /// The notes, the sorting script, and the end of the page.
    pub fn finish(mut self, notes: &[String]) -> String {
        for n in notes {
            self.paragraph(n, true);
        }
        let _ = write!(self.out, "<script>{SORT_SCRIPT}</script>\n</body></html>\n");
        self.out
    }
}

/// A table: its header, its rows, its totals row, and the note of a cut. The first cell of
/// a row names what the row is about and is set as code; the others are figures.
fn table(out: &mut String, t: &TableData) {
    out.push_str("<table class=\"sortable\"><thead><tr>");
    for h in t.header() {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let row = |out: &mut String, r: &[String]| {
        out.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, "<td><code>{}</code></td>", escape(c));
            } else {
                let _ = write!(out, "<td class=\"n\">{}</td>", escape(c));
            }
        }
        out.push_str("</tr>\n");
    };
    for r in t.rows() {
        row(out, r);
    }
    out.push_str("</tbody>\n");
    if let Some(total) = t.total() {
        out.push_str("<tfoot>");
        row(out, total);
        out.push_str("</tfoot>\n");
    }
    out.push_str("</table>\n");
    if let Some(note) = t.cut_note() {
        let _ = writeln!(out, "<p class=\"cut\">{}</p>", escape(&note));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_text_cannot_inject_markup() {
        let s = Section::new(
            "By command",
            TableData::figures(&["command", "calls"]).with_rows(vec![vec![
                "echo '<script>alert(1)</script>' && x".into(),
                "3".into(),
            ]]),
        );
        let mut page = Page::new("Permission friction report", "from <a> to \"b\"");
        page.cards(&[Card {
            label: "top fixes".into(),
            value: String::new(),
            detail: String::new(),
            items: vec!["Bash(</svg>)".into()],
        }]);
        page.section(&s);
        let html = page.finish(&["a < b".into()]);
        assert_eq!(
            html.matches("<script>").count(),
            1,
            "only the sorting script"
        );
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("a &lt; b"));
        assert!(html.contains("from &lt;a&gt; to &quot;b&quot;"));
        assert!(html.contains("<li>Bash(&lt;/svg&gt;)</li>"));
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains("Content-Security-Policy"));
    }

    #[test]
    fn tables_keep_totals_and_cut_notes() {
        let rows: Vec<Vec<String>> = (0..4).map(|i| vec![format!("k{i}"), "1".into()]).collect();
        let t = TableData::figures(&["key", "n"])
            .with_rows(rows)
            .cut(3, "keys")
            .with_total(vec!["total".into(), "4".into()]);
        let mut out = String::new();
        table(&mut out, &t);
        assert_eq!(out.matches("<tr>").count(), 1 + 3 + 1);
        assert!(out.contains("<tfoot><tr><td><code>total</code></td><td class=\"n\">4</td>"));
        assert!(out.contains("<p class=\"cut\">3 of 4 keys shown (--format json lists all)</p>"));
    }
}
