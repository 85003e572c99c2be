//! `--format md` of every command parses as Markdown: each table has a header, a
//! separator row of the same number of columns, rows of that number of cells, and a blank
//! line before it; no terminal table leaks in. Commands without a Markdown form refuse it
//! with a usage error (exit 2). Also the width of terminal tables (`COLUMNS`, pipes, a 0x0
//! terminal) and the cut notes.

use crate::common::*;
use std::ffi::OsStr;

/// The cells of a table row: split at `|` not escaped by a backslash, less the empty text
/// before the first and after the last pipe. None when the line is not a row.
fn cells(line: &str) -> Option<usize> {
    let t = line.trim_end();
    if !t.starts_with('|') || !t.ends_with('|') || t.len() < 2 {
        return None;
    }
    let mut pipes = 0;
    let mut escaped = false;
    for c in t.chars() {
        match (c, escaped) {
            ('\\', false) => escaped = true,
            ('|', false) => pipes += 1,
            _ => escaped = false,
        }
    }
    Some(pipes - 1)
}

/// Checks every table of `md` (blocks of lines starting with `|`); returns how many there
/// are. Panics naming the command and the line at the first fault.
pub(crate) fn check_tables(what: &str, md: &str) -> usize {
    for bad in ['┌', '│', '╞', '└', '┆'] {
        assert!(
            !md.contains(bad),
            "{what}: a terminal table in Markdown:\n{md}"
        );
    }
    let lines: Vec<&str> = md.lines().collect();
    let mut tables = 0;
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with('|') {
            i += 1;
            continue;
        }
        tables += 1;
        assert!(
            i == 0 || lines[i - 1].trim().is_empty(),
            "{what}: no blank line before the table at line {}: {:?}",
            i + 1,
            lines[i - 1]
        );
        let header = cells(lines[i]).unwrap_or_else(|| panic!("{what}: bad header {:?}", lines[i]));
        let sep = lines.get(i + 1).copied().unwrap_or("");
        let inner = sep
            .trim()
            .strip_prefix('|')
            .and_then(|x| x.strip_suffix('|'));
        let sep_cells: Vec<&str> = inner.map_or(Vec::new(), |x| x.split('|').collect());
        assert!(
            sep.starts_with('|')
                && sep_cells.len() == header
                && sep_cells.iter().all(|c| {
                    let c = c.trim();
                    let dashes = c.trim_start_matches(':').trim_end_matches(':');
                    !dashes.is_empty() && dashes.chars().all(|d| d == '-')
                }),
            "{what}: the separator {sep:?} does not match the header {:?}",
            lines[i]
        );
        i += 2;
        while i < lines.len() && lines[i].starts_with('|') {
            assert_eq!(
                cells(lines[i]),
                Some(header),
                "{what}: line {} has another number of cells than its header: {:?}",
                i + 1,
                lines[i]
            );
            i += 1;
        }
    }
    tables
}

/// `permstat ARGS --format md`, which must succeed.
fn md(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", "md"]);
    permstat_ok(&all)
}

#[test]
fn the_checker_catches_broken_tables() {
    let good = "# T\n\n| a | b |\n|---|---:|\n| `x\\|y` | 1 |\n";
    assert_eq!(check_tables("good", good), 1);
    for bad in [
        "| a | b |\n|---|---||\n",
        "| a | b |\n|---|---|\n| 1 |\n",
        "text\n| a |\n|---|\n",
        "| a |\n| b |\n",
    ] {
        assert!(
            std::panic::catch_unwind(|| check_tables("bad", bad)).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn every_command_writes_markdown_tables() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    write(
        &config.join("settings.json"),
        r#"{"permissions": {"allow": ["Bash(git diff *)", "Bash(rm *)"], "deny": ["Bash(curl http://x/ *)", "Bash(bad(("]}}"#,
    );
    let out = dir.path().join("canary");
    let runs: Vec<(&str, String, usize)> = vec![
        ("scan", md(&["scan", "data/real", "-q"]), 5),
        ("report", md(&["report", "data/real", "-q"]), 10),
        (
            "report --by month",
            md(&["report", "data/real", "-q", "--by", "month"]),
            10,
        ),
        ("replay", md(&["replay", "data/real", "-q"]), 2),
        (
            "check",
            md(&["check", "Bash", "git diff | tee out && echo `date`"]),
            1,
        ),
        (
            "audit",
            permstat_in_config(&["audit", "data/real", "-q", "--format", "md"], &config).1,
            2,
        ),
        (
            "verify --explain",
            permstat_ok(&[
                "verify",
                "--explain",
                "--format",
                "md",
                "--",
                "claude",
                "-p",
                "--allowedTools",
                "Read",
            ]),
            2,
        ),
        (
            // Multi-line commands, pipes and backticks in the violations table (exit 1:
            // violations found).
            "verify",
            permstat(&[
                "verify",
                "data/real",
                "-q",
                "--entrypoint",
                "any",
                "--mode",
                "dontAsk",
                "--allowed",
                "Bash(git log *)",
                "--format",
                "md",
            ])
            .1,
            2,
        ),
        (
            "verify canary",
            md(&[
                "verify",
                "canary",
                "--mode",
                "dontAsk",
                "--out",
                out.to_str().unwrap(),
                "--nonce",
                "n1",
            ]),
            0,
        ),
    ];
    for (what, text, at_least) in &runs {
        let n = check_tables(what, text);
        assert!(
            n >= *at_least,
            "{what}: {n} tables, expected {at_least}:\n{text}"
        );
    }
    // The audit met the unparseable rule: a paragraph, then its table after a blank line.
    assert!(
        runs[5]
            .1
            .contains("their rules were not audited.\n\n| file |"),
        "{}",
        runs[5].1
    );
    // The canary's commands are fenced: the prompt spans lines.
    assert_eq!(runs[8].1.matches("```").count(), 4, "{}", runs[8].1);
}

#[test]
fn commands_without_markdown_refuse_it() {
    for args in [
        vec!["suggest", "data/real", "-q", "--format", "md"],
        vec!["hook", "--install", "--format", "md"],
        vec!["scan", "data/real", "-q", "--format", "html"],
        vec!["replay", "data/real", "-q", "--format", "html"],
    ] {
        let (code, out, err) = permstat(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(!err.is_empty(), "{args:?}");
    }
}

#[test]
fn cut_tables_say_how_many_rows_they_show() {
    // data/real: 6 projects and 8 days (scan_real and the By day table of report.rs), more
    // than 3 command keys; --top 3 cuts all three, in every text format.
    let v = json(&permstat_ok(&[
        "report",
        "data/real",
        "-q",
        "--format",
        "json",
    ]));
    let keys = v["by_command"].as_array().unwrap().len();
    for format in ["md", "table"] {
        let text = permstat_ok(&[
            "report",
            "data/real",
            "-q",
            "--top",
            "3",
            "--format",
            format,
        ]);
        for note in [
            format!("3 of {keys} commands shown"),
            "3 of 6 projects shown".to_string(),
            "3 of 8 days shown".to_string(),
        ] {
            assert!(text.contains(&note), "{format}: no {note:?}\n{text}");
        }
        // The days kept are the last three, and the totals row counts all 330 calls.
        let by_day = &text[text.find("By day").unwrap()..];
        assert!(
            by_day.contains("2026-02-12") && !by_day.contains("2026-01-07"),
            "{by_day}"
        );
        assert!(
            by_day.contains("total") && by_day.contains("330"),
            "{by_day}"
        );
    }
    let html = permstat_ok(&[
        "report",
        "data/real",
        "-q",
        "--top",
        "3",
        "--format",
        "html",
    ]);
    assert!(html.contains("3 of 6 projects shown"), "html");
}

/// The widest line of a terminal table in `text`.
fn widest_table_line(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn tables_fit_columns_or_a_sensible_width() {
    let run = |columns: Option<&str>| {
        let env: Vec<(&str, &OsStr)> = columns
            .map(|c| ("COLUMNS", OsStr::new(c)))
            .into_iter()
            .collect();
        let (code, out, err) = permstat_with(&["report", "data/real", "-q"], &env);
        assert_eq!(code, 0, "{err}");
        out
    };
    // Piped, no COLUMNS: 120 (the approved risky actions reach 190 characters unwrapped).
    let piped = run(None);
    assert_eq!(widest_table_line(&piped), 120);
    let narrow = run(Some("80"));
    assert!(widest_table_line(&narrow) <= 80, "{narrow}");
    // COLUMNS=0 (as a 0x0 terminal reports) falls back to 120, not one character a column.
    let zero = run(Some("0"));
    assert_eq!(widest_table_line(&zero), 120);
    assert!(zero.contains("│ command "), "{zero}");
}
