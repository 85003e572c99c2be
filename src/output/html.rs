//! A self-contained HTML page: inline style, no scripts, nothing fetched. Every cell is
//! escaped, because commands and paths come from transcripts (untrusted text).

use super::table::{Section, TableData};
use std::fmt::Write as _;

/// Escapes text for HTML element content and attribute values.
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

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}\
h1{font-size:1.6em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .7em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}\
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f6f6}\
td code{white-space:pre-wrap;word-break:break-all}p.note{color:#555}";

/// The page: a title, one table per section (sections without rows left out), then the
/// notes. The first cell of a row names what the row is about and is set as code; the
/// others are figures.
pub fn page(title: &str, sections: &[Section], notes: &[String]) -> String {
    let mut out = String::new();
    let title = escape(title);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title}</title><style>{STYLE}</style></head><body>\n\
         <h1>{title}</h1>\n"
    );
    for s in sections.iter().filter(|s| !s.table.is_empty()) {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&s.title));
        table(&mut out, &s.table);
    }
    for n in notes {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(n));
    }
    out.push_str("</body></html>\n");
    out
}

/// A table: its header, then its rows.
fn table(out: &mut String, t: &TableData) {
    out.push_str("<table><tr>");
    for h in t.header() {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr>\n");
    for r in t.rows() {
        out.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, "<td><code>{}</code></td>", escape(c));
            } else {
                let _ = write!(out, "<td class=\"n\">{}</td>", escape(c));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
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
        let html = page("Permission friction report", &[s], &["a < b".into()]);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("a &lt; b"));
        assert!(html.starts_with("<!doctype html>"));
    }
}
