//! `--stats DIR...`: the statistics of transcript corpora that drive permstat's speed, one
//! column per corpus, as a Markdown table: bytes and lines by line type, line lengths,
//! nesting depth, escapes, and the share of lines that mention a tool (the lines permstat
//! parses). A byte-level pass (no JSON parser), so that it stays quick on a gigabyte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The figures of one corpus.
#[derive(Default)]
struct Stats {
    files: u64,
    lines: u64,
    bytes: u64,
    /// Line lengths (bytes, newline included), for percentiles.
    lengths: Vec<u32>,
    /// Lines and bytes by line type.
    kinds: BTreeMap<String, (u64, u64)>,
    /// Sum over lines of the deepest nesting, and its histogram (1..=12+).
    depth_sum: u64,
    depth_hist: [u64; 13],
    /// Lines (and their bytes) that hold `tool_use`, which permstat parses.
    tool_lines: u64,
    tool_bytes: u64,
    backslashes: u64,
    quotes: u64,
}

/// The deepest nesting of objects and arrays in a line, strings skipped.
fn depth(line: &[u8]) -> u32 {
    let (mut d, mut max, mut in_str, mut esc) = (0u32, 0u32, false, false);
    for &b in line {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                d += 1;
                max = max.max(d);
            }
            b'}' | b']' => d = d.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The first string value of `"key":"` at or after `from`.
fn value_after<'a>(line: &'a [u8], from: usize, key: &[u8]) -> Option<&'a [u8]> {
    let at = from + memchr::memmem::find(line.get(from..)?, key)? + key.len();
    let end = memchr::memchr(b'"', &line[at..])?;
    Some(&line[at..at + end])
}

/// A line's type as the tables group it: the top-level `type`, with user lines split
/// into prompts and tool results, assistant lines into those with a tool call and the
/// rest, and progress lines by their `data.type`.
fn kind(line: &[u8]) -> String {
    let has = |s: &[u8]| memchr::memmem::find(line, s).is_some();
    // The top-level type is written after the nested ones in some lines: take the last
    // `"type":"` at depth 1.
    let mut top: Option<&[u8]> = None;
    let (mut d, mut in_str, mut esc) = (0u32, false, false);
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                if d == 1 && line[i..].starts_with(b"\"type\":\"") {
                    top = value_after(line, i, b"\"type\":\"");
                }
                in_str = true;
            }
            b'{' | b'[' => d += 1,
            b'}' | b']' => d = d.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    let top = String::from_utf8_lossy(top.unwrap_or(b"?")).into_owned();
    match top.as_str() {
        "user" if has(b"\"type\":\"tool_result\"") => "user: tool_result".into(),
        "user" => "user: prompt".into(),
        "assistant" if has(b"\"type\":\"tool_use\"") => "assistant: tool_use".into(),
        "assistant" if has(b"\"type\":\"thinking\"") => "assistant: thinking".into(),
        "assistant" => "assistant: text".into(),
        "progress" => {
            // `data.type` (`agent_progress`, `hook_progress`...), which may follow the
            // types of a nested message.
            let types = memchr::memmem::find_iter(line, b"\"type\":\"")
                .filter_map(|at| value_after(line, at, b"\"type\":\""));
            let mut sub: Option<&[u8]> = None;
            for t in types {
                if t.ends_with(b"_progress") || t.ends_with(b"_received") || t.ends_with(b"_update")
                {
                    sub = Some(t);
                    break;
                }
            }
            format!("progress: {}", String::from_utf8_lossy(sub.unwrap_or(b"?")))
        }
        _ => top,
    }
}

impl Stats {
    fn add_line(&mut self, line: &[u8]) {
        let len = line.len() as u64 + 1;
        self.lines += 1;
        self.bytes += len;
        self.lengths.push(len.min(u64::from(u32::MAX)) as u32);
        let k = self.kinds.entry(kind(line)).or_default();
        k.0 += 1;
        k.1 += len;
        let d = depth(line);
        self.depth_sum += u64::from(d);
        self.depth_hist[(d as usize).min(12)] += 1;
        if memchr::memmem::find(line, b"tool_use").is_some() {
            self.tool_lines += 1;
            self.tool_bytes += len;
        }
        self.backslashes += memchr::memchr_iter(b'\\', line).count() as u64;
        self.quotes += memchr::memchr_iter(b'"', line).count() as u64;
    }

    fn of(dir: &Path) -> Stats {
        let mut files: Vec<PathBuf> = Vec::new();
        crate::verify::walk_jsonl(dir, &mut files);
        files.sort();
        let mut s = Stats::default();
        for f in &files {
            let Ok(text) = std::fs::read(f) else { continue };
            s.files += 1;
            for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                s.add_line(line);
            }
        }
        s.lengths.sort_unstable();
        s
    }

    fn pct_len(&self, p: f64) -> u32 {
        if self.lengths.is_empty() {
            return 0;
        }
        let i = ((self.lengths.len() - 1) as f64 * p).round() as usize;
        self.lengths[i]
    }
}

/// Prints the table for `dirs`, one column each.
pub(crate) fn print(dirs: &[PathBuf]) {
    let all: Vec<Stats> = dirs.iter().map(|d| Stats::of(d)).collect();
    let head: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    println!("| | {} |", head.join(" | "));
    println!("|---|{}", "---:|".repeat(dirs.len()));
    let row = |name: &str, f: &dyn Fn(&Stats) -> String| {
        let cells: Vec<String> = all.iter().map(f).collect();
        println!("| {name} | {} |", cells.join(" | "));
    };
    let share = |x: u64, of: u64| format!("{:.1}%", 100.0 * x as f64 / of.max(1) as f64);
    row("files", &|s| s.files.to_string());
    row("lines", &|s| s.lines.to_string());
    row("MB", &|s| format!("{:.1}", s.bytes as f64 / 1e6));
    row("bytes per line, mean", &|s| {
        format!("{:.0}", s.bytes as f64 / s.lines.max(1) as f64)
    });
    for (name, p) in [
        ("line length, median", 0.5),
        ("line length, 90th pct", 0.9),
        ("line length, 99th pct", 0.99),
    ] {
        row(name, &|s| s.pct_len(p).to_string());
    }
    row("line length, max", &|s| {
        s.lengths.last().copied().unwrap_or(0).to_string()
    });
    row("nesting depth, mean", &|s| {
        format!("{:.2}", s.depth_sum as f64 / s.lines.max(1) as f64)
    });
    for (name, lo, hi) in [
        ("depth 1-3, lines", 1, 3),
        ("depth 4-5, lines", 4, 5),
        ("depth 6-7, lines", 6, 7),
        ("depth 8+, lines", 8, 12),
    ] {
        row(name, &|s| {
            share(s.depth_hist[lo..=hi].iter().sum(), s.lines)
        });
    }
    row("lines mentioning tool_use", &|s| {
        share(s.tool_lines, s.lines)
    });
    row("bytes in those lines", &|s| share(s.tool_bytes, s.bytes));
    row("backslashes per KB", &|s| {
        format!(
            "{:.1}",
            s.backslashes as f64 * 1000.0 / s.bytes.max(1) as f64
        )
    });
    row("quotes per KB", &|s| {
        format!("{:.1}", s.quotes as f64 * 1000.0 / s.bytes.max(1) as f64)
    });
    let mut kinds: Vec<&String> = all.iter().flat_map(|s| s.kinds.keys()).collect();
    kinds.sort();
    kinds.dedup();
    // The larger types first, by their share in the first corpus.
    kinds.sort_by_key(|k| {
        std::cmp::Reverse(all[0].kinds.get(*k).map_or(0, |v| v.1) * 1000 / all[0].bytes.max(1))
    });
    for k in kinds {
        row(&format!("bytes: {k}"), &|s| {
            let (lines, bytes) = s.kinds.get(k).copied().unwrap_or_default();
            format!(
                "{} ({} lines)",
                share(bytes, s.bytes),
                share(lines, s.lines)
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_skips_strings_and_kind_takes_the_top_level_type() {
        assert_eq!(depth(br#"{"a":[{"b":"{[{["}]}"#), 3);
        let line = br#"{"message":{"content":[{"type":"tool_result"}]},"type":"user"}"#;
        assert_eq!(kind(line), "user: tool_result");
        let p = br#"{"type":"progress","data":{"type":"agent_progress"}}"#;
        assert_eq!(kind(p), "progress: agent_progress");
    }
}
