//! Team mode (`--team`, `--label`), `--anonymize` and the partitioned Parquet export, on a
//! team folder made of the bundled sample: `ann` is a copy of `~/.claude` holding the
//! `entireio__cli` files (and a settings.json that allows WebSearch), `bob` a copy of
//! `~/.claude/projects` holding the `marot__spotter` files.
//!
//! The per-developer figures are worked out from `tests/expected/real_counts.json` and
//! `real_evidence.json` (written from the files, without permstat), summed over each
//! developer's files:
//! - ann (the 7 `entireio__cli` files): 291 calls, 7 sessions; rejected 8 = user_rejected
//!   2 + user_rejected_with_feedback 5 + subagent_rejected 1; rule_denied 2; her WebSearch
//!   call (13_db96: 1) runs unasked under her rule;
//! - bob (the 3 `marot__spotter` files): 39 calls, 3 sessions; no rejection, no denial, 2
//!   interrupts; 11 WebSearch calls (sidechain file 6, subagent.jsonl 5), in default mode or
//!   no mode (none in short.jsonl, the bypassPermissions session), so with no rule of his
//!   each prompts: WebSearch is not read-only.
//! - The low bound of approvals (recorded or evidenced): `real_evidence.json` lists every
//!   call that waited on a dialog; all 54 are in entireio files, none in marot's (a python
//!   join of its `per_call` ids to the files that hold them), and the report's grants are
//!   all in entireio sessions (1ecba475, b50aaf5c, e4599950): ann 42 (the whole sample's
//!   low bound, `tests/it/evidence.rs`), bob 0.

use crate::common::*;
use polars::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The team folder: `ann/` (a `~/.claude` copy: `projects/entireio__cli/`, settings.json)
/// and `bob/` (a `projects/` copy: `marot__spotter/`).
fn team() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let ann = t.path().join("ann");
    copy_dir(
        Path::new("data/real/entireio__cli"),
        &ann.join("projects/entireio__cli"),
    );
    write(
        &ann.join("settings.json"),
        r#"{"permissions": {"allow": ["WebSearch"]}}"#,
    );
    copy_dir(
        Path::new("data/real/marot__spotter"),
        &t.path().join("bob/marot__spotter"),
    );
    t
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `permstat export --team TEAM --output OUT`, which must succeed.
fn export_team(team: &Path, out: &Path) {
    permstat_ok(&["export", "-q", "--team", path(team), "--output", path(out)]);
}

fn report(args: &[&str]) -> Value {
    let mut all = vec!["report", "-q", "--format", "json"];
    all.extend(args);
    json(&permstat_ok(&all))
}

fn row<'a>(rows: &'a Value, key: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key} in {rows}"))
}

#[test]
fn the_report_counts_each_developer_as_worked_out_by_hand() {
    let t = team();
    let v = report(&["--team", path(t.path())]);
    let devs = &v["by_developer"];
    assert_eq!(devs.as_array().unwrap().len(), 2, "{devs}");
    let (ann, bob) = (row(devs, "ann"), row(devs, "bob"));
    assert_eq!(ann["calls"], 291);
    assert_eq!(ann["rejected"], 8);
    assert_eq!(ann["rule_denied"], 2);
    assert_eq!(ann["approved_evidenced"], 42);
    assert_eq!(bob["calls"], 39);
    assert_eq!(bob["rejected"], 0);
    assert_eq!(bob["denied"], 0);
    assert_eq!(bob["approved_evidenced"], 0);
    // The developers add up to the whole.
    for k in ["calls", "approved", "rejected", "denied", "auto_allowed"] {
        assert_eq!(
            ann[k].as_u64().unwrap() + bob[k].as_u64().unwrap(),
            match k {
                "calls" => v["calls"].as_u64().unwrap(),
                "approved" => v["prompts"]["approved"].as_u64().unwrap(),
                "rejected" => v["prompts"]["rejected"].as_u64().unwrap(),
                _ => ann[k].as_u64().unwrap() + bob[k].as_u64().unwrap(),
            },
            "{k}"
        );
    }
    let sessions = |d: &str| {
        v["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["developer"] == d)
            .count()
    };
    assert_eq!((sessions("ann"), sessions("bob")), (7, 3));
    // Ann's user settings apply to her calls only: WebSearch prompted bob 11 times, her
    // never.
    let web = v["team_commands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "WebSearch")
        .unwrap();
    assert_eq!(web["prompts"], 11);
    assert_eq!(web["developers"], 1);
    assert_eq!(web["by_developer"][0]["key"], "bob");
    let settings = v["settings_files"].to_string();
    assert!(settings.contains("ann/settings.json"), "{settings}");
    // The same figures as each developer's history read alone, with their settings.
    let ann_projects = t.path().join("ann/projects");
    let (code, out, err) = permstat_in_config(
        &["report", path(&ann_projects), "-q", "--format", "json"],
        &t.path().join("ann"),
    );
    assert_eq!(code, 0, "{err}");
    let alone = json(&out);
    assert_eq!(alone["prompts"]["approved"], ann["approved"]);
    assert_eq!(alone["auto_allowed"], ann["auto_allowed"]);
    let alone = report(&[path(&t.path().join("bob"))]);
    assert_eq!(alone["prompts"]["approved"], bob["approved"]);
    // The tables gain developer columns and the team sections.
    let (code, text, _) = permstat(&["report", "--team", path(t.path()), "-q"]);
    assert_eq!(code, 0);
    for s in [
        "By developer",
        "Commands that cost the team most prompts",
        "│ developer",
    ] {
        assert!(text.contains(s), "{s}: {text}");
    }
    // One developer's history alone has no team section.
    let (_, text, _) = permstat(&["report", "data/real", "-q"]);
    assert!(!text.contains("By developer"), "{text}");
}

/// The `<svg>` chart with this id, whole (as tests/it/html_report.rs finds it).
fn chart<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("class=\"chart\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let start = html[..at].rfind("<svg").unwrap();
    let end = at + html[at..].find("</svg>").unwrap();
    &html[start..end]
}

#[test]
fn the_page_and_the_tables_over_time_carry_each_developer() {
    let t = team();
    let team = path(t.path());
    // Calls per developer and UTC day: every file of the sample lies within one UTC day
    // (the `timestamp`s of its lines), and `tool_calls` of real_counts.json counts its
    // calls. ann: 20_160c 2026-01-07 44; d8_7ee3 01-11 62; 10_a740 01-27 22; 00_c9e2 7 and
    // ec_38b7 5 on 02-03; 2b_b8c0 02-06 22; 13_db96 02-09 129. bob: short 2 and subagent 25
    // on 02-10; the aac57f5 agent file 02-12 12.
    let v = report(&["--team", team]);
    let days = |d: &str| -> Vec<(String, u64)> {
        v["developer_days"][d]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["key"].as_str().unwrap().to_string(),
                    g["calls"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let want = |pairs: &[(&str, u64)]| -> Vec<(String, u64)> {
        pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    };
    assert_eq!(
        days("ann"),
        want(&[
            ("2026-01-07", 44),
            ("2026-01-11", 62),
            ("2026-01-27", 22),
            ("2026-02-03", 12),
            ("2026-02-06", 22),
            ("2026-02-09", 129),
        ])
    );
    assert_eq!(days("bob"), want(&[("2026-02-10", 27), ("2026-02-12", 12)]));
    // By ISO week (01-07 and 01-11 are week 2, 01-27 week 5, 02-03 and 02-06 week 6,
    // 02-09 to 02-12 week 7), each week's prompts split by developer, and the totals row
    // split like by_developer.
    let prompts = |g: &Value| g["approved"].as_u64().unwrap() + g["rejected"].as_u64().unwrap();
    let devs = &v["by_developer"];
    let md = permstat_ok(&[
        "report", "--team", team, "-q", "--format", "md", "--by", "week",
    ]);
    let weeks: Vec<&str> = md
        .lines()
        .skip_while(|l| *l != "## By week")
        .filter(|l| l.starts_with("| 2026-W") || l.starts_with("| **total"))
        .collect();
    assert_eq!(weeks.len(), 5, "{md}");
    // Every table of the team's Markdown, with its added columns, is a table.
    crate::markdown::check_tables("report --team", &md);
    for cmd in ["scan", "replay"] {
        let text = permstat_ok(&[cmd, "--team", team, "-q", "--format", "md"]);
        crate::markdown::check_tables(cmd, &text);
    }
    let cells = |l: &str| -> Vec<String> {
        l.trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    assert_eq!(cells(weeks[0])[0], "2026-W02");
    assert!(cells(weeks[0])[7].starts_with("ann "), "{}", weeks[0]);
    let w07 = cells(weeks[3]);
    assert_eq!(w07[6], "168", "129 + 27 + 12 calls");
    assert!(
        w07[7].contains("ann ") && w07[7].contains("bob "),
        "{w07:?}"
    );
    assert_eq!(
        cells(weeks[4])[7],
        format!(
            "**ann {}, bob {}**",
            prompts(row(devs, "ann")),
            prompts(row(devs, "bob"))
        )
    );
    // The page: a developers card, the outcome mix per developer (one bar per developer),
    // the commands chart's figures with each developer's share.
    let html = permstat_ok(&["report", "--team", team, "-q", "--format", "html"]);
    let mix = chart(&html, "mix-developer");
    assert_eq!(mix.matches("<g class=\"bar\"").count(), 2, "{mix}");
    assert!(
        mix.contains(">ann</text>") && mix.contains(">bob</text>"),
        "{mix}"
    );
    // After each row, every call of the developer, the cancelled and interrupted ones
    // included: ann 291, bob 39 (real_counts.json, as above).
    assert!(
        mix.contains(">291</text>") && mix.contains(">39</text>"),
        "{mix}"
    );
    assert!(html.contains("Developers"), "card");
    // Prompts per day stacked by developer: a bar per day with a prompt, ann's 6 days and
    // bob's 2 (the days above; every day of the sample had a prompt).
    let per_day = chart(&html, "prompts-developer");
    assert_eq!(per_day.matches("<g class=\"bar\"").count(), 8, "{per_day}");
    // Each developer's parts add up to their prompts in the JSON report.
    let doc = json(&permstat_ok(&[
        "report", "--team", team, "-q", "--format", "json",
    ]));
    for dev in doc["by_developer"].as_array().unwrap() {
        let name = dev["key"].as_str().unwrap();
        let drawn: u64 = per_day
            .split("<title>")
            .filter_map(|t| t.split("</title>").next())
            .filter_map(|t| t.strip_suffix(&format!(" {name}")))
            .filter_map(|t| t.rsplit(": ").next()?.parse::<u64>().ok())
            .sum();
        let prompts = dev["approved"].as_u64().unwrap() + dev["rejected"].as_u64().unwrap();
        assert_eq!(drawn, prompts, "{name}: {per_day}");
    }
    let friction = &html[html.find("id=\"friction\"").unwrap()..];
    let friction = &friction[..friction.find("</details>").unwrap()];
    assert!(friction.contains("prompts by developer"), "{friction}");
    assert!(friction.contains("bob 11"), "WebSearch: {friction}");
    // A history read alone has no per-developer chart.
    let alone = permstat_ok(&["report", "data/real", "-q", "--format", "html"]);
    assert!(!alone.contains("id=\"mix-developer\""));
    assert!(!alone.contains("id=\"prompts-developer\""));
    assert!(!alone.contains("prompts by developer"));
}

#[test]
fn labels_name_developers_and_every_output_carries_them() {
    let t = team();
    let ann = t.path().join("ann");
    let label = format!("Ann B.={}", path(&ann));
    let s = json(&permstat_ok(&[
        "scan",
        "--team",
        path(t.path()),
        "--label",
        &label,
        "-q",
        "--format",
        "json",
    ]));
    assert_eq!(
        s["by_developer"],
        serde_json::json!({"Ann B.": 291, "bob": 39})
    );
    // Without --team, labels name plain folders; unlabelled paths have no developer.
    let calls = permstat_ok(&[
        "scan",
        "--calls",
        "-q",
        "--label",
        &format!("bob={}", path(&t.path().join("bob"))),
        path(&t.path().join("ann/projects")),
    ]);
    let mut devs = std::collections::BTreeMap::new();
    for l in calls.lines() {
        let v = json(l);
        *devs
            .entry(v["developer"].as_str().map(String::from))
            .or_insert(0) += 1;
    }
    assert_eq!(devs[&Some("bob".to_string())], 39);
    assert_eq!(devs[&None], 291);
    // replay --calls and the single-file export carry it too.
    let replay = permstat_ok(&["replay", "--calls", "-q", "--team", path(t.path())]);
    assert_eq!(
        replay
            .lines()
            .filter(|l| l.contains("\"developer\":\"bob\""))
            .count(),
        39
    );
    let csv = t.path().join("calls.csv");
    export_team(t.path(), &csv);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.lines().next().unwrap().ends_with(",developer"),
        "{text:.200}"
    );
    assert_eq!(text.lines().filter(|l| l.ends_with(",bob")).count(), 39);
    // Bad team input is a usage error.
    let (code, _, err) = permstat(&["report", "--team", "/nonexistent/team"]);
    assert_eq!(code, 2);
    assert!(err.contains("--team"), "{err}");
    let (code, _, err) = permstat(&["report", "--label", "x", "data/real"]);
    assert_eq!(code, 2);
    assert!(err.contains("NAME=PATH"), "{err}");
}

/// The real names of the sample: every working folder, the home folders and user names in
/// them, and the branches (but generic ones: `main`, `master`), read from the files.
fn real_names() -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    for dir in ["data/real/entireio__cli", "data/real/marot__spotter"] {
        for f in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            for line in text.lines() {
                let v: Value = serde_json::from_str(line).unwrap();
                if let Some(cwd) = v["cwd"].as_str() {
                    names.insert(cwd.to_string());
                    let parts: Vec<&str> = cwd.split('/').collect();
                    // /Users/<name>/... or /home/<name>/...
                    names.insert(parts[..3].join("/"));
                    if parts[2] != "USER" {
                        names.insert(parts[2].to_string());
                    }
                }
                if let Some(b) = v["gitBranch"].as_str()
                    && !["main", "master"].contains(&b)
                {
                    names.insert(b.to_string());
                }
            }
        }
    }
    names.into_iter().collect()
}

#[test]
fn anonymized_outputs_hold_no_real_name() {
    let t = team();
    let names = real_names();
    // Read from the files: 6 working folders, 6 homes, 5 user names (USER is a
    // placeholder), 7 branches.
    assert_eq!(names.len(), 6 + 6 + 5 + 7, "{names:?}");
    assert!(names.contains(&"/Users/soph/Work/entire/devenv/cli".to_string()));
    assert!(names.contains(&"soph/opencode".to_string()));
    let team = path(t.path());
    let common = [
        "--team",
        team,
        "-q",
        "--anonymize",
        "--anonymize-salt",
        "k1",
    ];
    let run = |args: &[&str]| -> String {
        let mut all = args.to_vec();
        all.extend(common);
        permstat_ok(&all)
    };
    let folder = t.path().join("export");
    let mut outputs = vec![
        run(&["report"]),
        run(&["report", "--format", "json"]),
        run(&["report", "--format", "md"]),
        run(&["report", "--format", "html"]),
        run(&["scan"]),
        run(&["scan", "--format", "json"]),
        run(&["scan", "--calls"]),
        run(&["replay"]),
        run(&["replay", "--calls"]),
        run(&["audit", "--format", "json"]),
        run(&["suggest", "--since", "2025-01-01", "--format", "json"]),
        // Markdown of every reading command, and the tables over time.
        run(&["report", "--format", "md", "--by", "week"]),
        run(&["scan", "--format", "md"]),
        run(&["replay", "--format", "md"]),
        run(&["audit", "--format", "md"]),
        run(&["suggest", "--since", "2025-01-01", "--format", "settings"]),
        run(&["suggest", "--since", "2025-01-01"]),
    ];
    // The CSV exports, calls and keys.
    for (name, extra) in [("calls.csv", None), ("keys.csv", Some("--keys"))] {
        let csv = t.path().join(name);
        let mut args = vec!["export", "--output", path(&csv)];
        args.extend(extra);
        run(&args);
        outputs.push(std::fs::read_to_string(&csv).unwrap());
    }
    run(&["export", "--format", "parquet", "--output", path(&folder)]);
    // The exported folder: its names and every string of every file.
    for f in parquet_files(&folder) {
        outputs.push(f.strip_prefix(&folder).unwrap().display().to_string());
        let df = ParquetReader::new(std::fs::File::open(&f).unwrap())
            .finish()
            .unwrap();
        outputs.push(format!("{df:?}"));
        for c in df.columns() {
            if let Ok(s) = c.str() {
                outputs.extend((0..s.len()).filter_map(|i| s.get(i)).map(String::from));
            }
        }
    }
    let word = |text: &str, w: &str| {
        text.match_indices(w).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + w.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    for out in &outputs {
        assert!(!out.is_empty());
        for n in &names {
            assert!(!out.contains(n.as_str()), "{n} in: {out:.3000}");
        }
        assert!(!out.contains(team), "the team folder in: {out:.3000}");
        for dev in ["ann", "bob"] {
            assert!(!word(out, dev), "{dev} in: {out:.3000}");
        }
    }
    // Pseudonyms are stable with one salt, different with another; the JSON still parses
    // and has its shape.
    let again = run(&["report", "--format", "json"]);
    assert_eq!(again, outputs[1]);
    let v = json(&again);
    assert_eq!(v["by_developer"].as_array().unwrap().len(), 2);
    let dev = v["by_developer"][0]["key"].as_str().unwrap().to_string();
    assert!(dev.starts_with("dev-") && dev.len() == 12, "{dev}");
    let (_, other, _) = permstat_with(
        &[
            "report",
            "--format",
            "json",
            "--team",
            team,
            "-q",
            "--anonymize",
        ],
        &[("PERMSTAT_ANON_SALT", std::ffi::OsStr::new("k2"))],
    );
    assert!(
        !other.contains(&dev),
        "a second salt gives other pseudonyms"
    );
    // Secrets stay redacted: --anonymize refuses --no-redact; no salt is said on stderr.
    let (code, _, _) = permstat(&["report", "data/real", "--anonymize", "--no-redact"]);
    assert_eq!(code, 2);
    let (code, _, err) = permstat(&["report", "data/real", "--anonymize"]);
    assert_eq!(code, 0);
    assert!(err.contains("public salt"), "{err}");
}

/// Every Parquet file under `dir`, sorted.
fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_folder_export_is_partitioned_by_developer_and_month_and_merges() {
    let t = team();
    let folder = t.path().join("export");
    let export = |extra: &[&str]| {
        let mut args = vec![
            "export",
            "-q",
            "--team",
            path(t.path()),
            "--format",
            "parquet",
        ];
        args.extend(extra);
        args.extend(["--output", path(&folder)]);
        permstat_ok(&args);
        parquet_files(&folder)
    };
    let files = export(&[]);
    let parts: Vec<String> = files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(&folder).unwrap();
            let dir = rel.parent().unwrap().display().to_string();
            let name = rel.file_name().unwrap().to_str().unwrap();
            assert!(
                name.starts_with("part-") && name.len() == "part-".len() + 16 + ".parquet".len(),
                "{name}"
            );
            dir
        })
        .collect();
    // The months of each developer's calls (first and last timestamps, real_counts.json):
    // ann's files span 2026-01-07 to 2026-02-09, bob's lie in 2026-02.
    assert_eq!(
        parts,
        [
            "developer=ann/month=2026-01",
            "developer=ann/month=2026-02",
            "developer=bob/month=2026-02",
        ]
    );
    let rows = |f: &Path| {
        ParquetReader::new(std::fs::File::open(f).unwrap())
            .finish()
            .unwrap()
    };
    let per_dev = |d: &str| -> usize {
        files
            .iter()
            .filter(|f| f.to_str().unwrap().contains(&format!("developer={d}/")))
            .map(|f| rows(f).height())
            .sum()
    };
    assert_eq!((per_dev("ann"), per_dev("bob")), (291, 39));
    // The partition columns are in the folder names only.
    let df = rows(&files[0]);
    assert!(df.column("developer").is_err());
    assert!(df.column("month").is_err());
    // The same rows again give the same files: copying folders together adds nothing twice.
    assert_eq!(export(&[]), files);
    // Another window adds its own files beside them where its rows differ: from
    // 2026-02-09 on, ann's February holds only 13_db96's calls (her 00_c9e and 2b_b8c are
    // of 2026-02-03 and 02-06), a new file; bob's February is the same file again, and
    // January is not exported.
    let more = export(&["--since", "2026-02-09"]);
    assert_eq!(more.len(), files.len() + 1);
    assert!(files.iter().all(|f| more.contains(f)));
    // A .parquet name still writes one file; --keys needs one.
    let one = t.path().join("one.parquet");
    export_team(t.path(), &one);
    assert_eq!(rows(&one).height(), 330);
    let (code, _, err) = permstat(&[
        "export",
        "data/real",
        "--keys",
        "--format",
        "parquet",
        "--output",
        path(&folder),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--keys"), "{err}");
}

/// The exported columns, names and types: renaming or retyping one breaks the readers of
/// `docs/export.md`, so it must fail here first.
#[test]
fn the_export_schema_is_stable_and_documented() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("calls.parquet");
    permstat_ok(&["export", "data/real", "-q", "--output", path(&pq)]);
    let df = ParquetReader::new(std::fs::File::open(&pq).unwrap())
        .finish()
        .unwrap();
    let schema: Vec<(String, String)> = df
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), c.dtype().to_string()))
        .collect();
    let expected = [
        ("id", "str"),
        ("session_id", "str"),
        ("project", "str"),
        ("agent_id", "str"),
        ("tool", "str"),
        ("command", "str"),
        ("outcome", "str"),
        ("gate", "str"),
        ("answer", "str"),
        ("asked_ms", "i64"),
        ("answered_ms", "i64"),
        ("gap_ms", "i64"),
        ("day", "str"),
        ("mode", "str"),
        ("version", "str"),
        ("basis", "str"),
        ("evidence", "str"),
        ("window_ms", "i64"),
        ("mode_used", "str"),
        ("mode_inferred", "bool"),
        ("developer", "str"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    assert_eq!(schema, expected);
    // docs/export.md has a row for each, with its Parquet type.
    let doc = std::fs::read_to_string("docs/export.md").unwrap();
    for (name, t) in &expected {
        let parquet = match t.as_str() {
            "str" => "string",
            "i64" => "int64",
            _ => "boolean",
        };
        let row = format!("| `{name}` | {parquet} |");
        assert!(doc.contains(&row), "docs/export.md lacks {row}");
    }
}

#[test]
fn team_suggestions_say_where_each_rule_belongs() {
    // Two developers of one project (`app`, at their own home paths): both approve `helm
    // list -A` (3 times in each of 2 sessions), only ann approves `pip list --outdated`.
    // The shared rule goes to the project's .claude/settings.json, ann's own to her local
    // file.
    let t = tempfile::tempdir().unwrap();
    let both: &[(&str, usize)] = &[("helm list -A", 3)];
    let ann_only: &[(&str, usize)] = &[("helm list -A", 3), ("pip list --outdated", 3)];
    approved_sessions(
        &t.path().join("ann/-home-ann-app"),
        "/home/ann/app",
        "2026-11-20",
        "default",
        &[("a1", ann_only), ("a2", ann_only)],
    );
    approved_sessions(
        &t.path().join("bob/-home-bob-app"),
        "/home/bob/app",
        "2026-11-20",
        "default",
        &[("b1", both), ("b2", both)],
    );
    let v = json(&permstat_ok(&[
        "suggest",
        "--team",
        path(t.path()),
        "-q",
        "--since",
        "2026-01-01",
        "--format",
        "json",
    ]));
    let team = v["team"].as_array().unwrap();
    let rule = |r: &str| {
        team.iter()
            .find(|x| x["rule"] == r)
            .unwrap_or_else(|| panic!("no {r} in {v}"))
    };
    let log = rule("Bash(helm list -A)");
    assert_eq!(log["placement"], "shared_project");
    assert_eq!(log["project"], "app");
    assert_eq!(log["developers_in_project"], 2);
    let saves: Vec<(&str, u64)> = log["saves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["developer"].as_str().unwrap(),
                s["prompts_saved"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(saves, [("ann", 6), ("bob", 6)]);
    let diff = rule("Bash(pip list --outdated)");
    assert_eq!(diff["placement"], "each_local");
    assert_eq!(diff["saves"].as_array().unwrap().len(), 1);
    assert_eq!(diff["saves"][0]["developer"], "ann");
    // Writing is for each developer to do on their machine.
    let (code, _, err) = permstat(&["suggest", "--team", path(t.path()), "--write"]);
    assert_eq!(code, 2);
    assert!(err.contains("--write with --team"), "{err}");
}
