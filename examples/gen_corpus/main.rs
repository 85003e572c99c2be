//! Deterministic generator of realistic Claude Code session transcripts, for
//! benchmarking permstat and for ground-truth tests of its outcome table.
//!
//! ```text
//! cargo run --release --example gen_corpus -- OUT [--mb 200] [--seed 1] [--force] [--quiet]
//! cargo run --release --example gen_corpus -- --verify OUT
//! cargo run --release --example gen_corpus -- --shares DIR
//! cargo run --release --example gen_corpus -- OUT --real data/real [--mb 200] [--seed 1]
//! cargo run --release --example gen_corpus -- --stats DIR [DIR...]
//! ```
//!
//! `--real` tiles real transcripts instead of generating (see `tile`): copies of the sample
//! with fresh ids and shifted times, in Claude Code's folder layout. `--stats` prints the
//! statistics that drive permstat's speed for each corpus named (see `stats`).
//!
//! Writes `OUT/projects/<encoded-cwd>/<session>.jsonl`, subagent files in both
//! layouts (`<encoded-cwd>/agent-<id>.jsonl` for era-A sessions,
//! `<encoded-cwd>/<session>/subagents/agent-<id>.jsonl` for newer ones), a few
//! `agent-acompact-*.jsonl` compaction files (which a scanner must ignore) and
//! `OUT/ground_truth.json`, computed while writing. Sessions are generated
//! until the written size reaches `--mb` megabytes (1 MB = 1,000,000 bytes),
//! stopping at the first session boundary past it. The same seed always gives
//! byte-identical output.
//!
//! Three eras of Claude Code are modelled:
//! - A (2.0.x … 2.1.14): no `permissionMode`, some `progress` lines, flat agent files;
//! - B (2.1.15 … 2.1.8x): `permissionMode` on prompts, `hook_progress`,
//!   `bash_progress` and `agent_progress` copies of subagent messages;
//! - C (2.1.1xx … 2.1.2xx): no progress lines, `permission-mode` state lines,
//!   `attachment` lines and `toolDenialKind` on denied results.
//!
//! Every outcome recorded in the ground truth is the one `docs/outcomes.md`
//! assigns to the text written; cases are built so that each is clearly one
//! outcome. `--verify` re-reads the files and recomputes counts (and the
//! outcomes, with an independent classifier written from the same document).
//!
//! The modules, bottom up: `rng` (random source), `json` (ordered JSON writer), `ids`
//! (times and identifiers), `words` (text generators), `projects`, `bash_output` and
//! `bash_commands`, `outcomes` (result texts and ground truth), `session` (one session),
//! `corpus` (the whole corpus), `tile` (the real-shaped corpus), and `verify`, `shares` and
//! `stats` (the reading modes).

use crate::corpus::generate;
use crate::shares::Shares;
use crate::verify::{verify_corpus, walk_jsonl};
use std::path::PathBuf;
use std::time::Instant;

#[macro_use]
mod json;
mod bash_commands;
mod bash_output;
mod corpus;
mod ids;
mod outcomes;
mod projects;
mod rng;
mod session;
mod shares;
mod stats;
mod tile;
mod verify;
mod words;

fn usage() -> ! {
    eprintln!(
        "usage: gen_corpus OUT [--mb N] [--seed N] [--force] [--quiet]\n       \
         gen_corpus --verify OUT\n       gen_corpus --shares DIR\n       \
         gen_corpus OUT --real DIR [--mb N] [--seed N] [--force]\n       \
         gen_corpus --stats DIR [DIR...]"
    );
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut mb = 200.0f64;
    let mut seed = 1u64;
    let mut force = false;
    let mut quiet = false;
    let mut verify: Option<PathBuf> = None;
    let mut shares: Option<PathBuf> = None;
    let mut real: Option<PathBuf> = None;
    let mut stats = false;
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let mut val = || {
            i += 1;
            args.get(i).cloned().unwrap_or_else(|| usage())
        };
        match a {
            "--mb" => mb = val().parse().unwrap_or_else(|_| usage()),
            "--seed" => seed = val().parse().unwrap_or_else(|_| usage()),
            "--verify" => verify = Some(PathBuf::from(val())),
            "--shares" => shares = Some(PathBuf::from(val())),
            "--real" => real = Some(PathBuf::from(val())),
            "--stats" => stats = true,
            "--force" => force = true,
            "--quiet" => quiet = true,
            "-h" | "--help" => usage(),
            s if s.starts_with('-') => usage(),
            s => dirs.push(PathBuf::from(s)),
        }
        i += 1;
    }
    if stats {
        if dirs.is_empty() {
            usage()
        }
        stats::print(&dirs);
        return;
    }
    if dirs.len() > 1 {
        usage()
    }
    let out = dirs.pop();
    if let Some(dir) = verify {
        std::process::exit(if verify_corpus(&dir) { 0 } else { 1 });
    }
    if let Some(dir) = shares {
        let mut files = Vec::new();
        walk_jsonl(&dir, &mut files);
        files.sort();
        let mut sh = Shares::default();
        for f in &files {
            let text = std::fs::read_to_string(f).expect("read");
            for line in text.lines() {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                    sh.add(&v, line.len() as u64 + 1);
                }
            }
        }
        sh.print(&format!("{} ({} files)", dir.display(), files.len()));
        return;
    }
    let out = out.unwrap_or_else(|| usage());
    if mb <= 0.0 {
        usage()
    }
    let t0 = Instant::now();
    if let Some(real) = real {
        let t = tile::tile(&real, &out, (mb * 1_000_000.0) as u64, seed, force);
        if !quiet {
            eprintln!(
                "wrote {} copies of {}: {} files, {} bytes in {:.2}s",
                t.copies,
                real.display(),
                t.files,
                t.bytes,
                t0.elapsed().as_secs_f64()
            );
        }
        return;
    }
    let gt = generate(&out, (mb * 1_000_000.0) as u64, seed, force, quiet);
    if !quiet {
        eprintln!(
            "wrote {} sessions, {} files (+{} compaction), {} lines, {} bytes in {:.2}s",
            gt.sessions,
            gt.files,
            gt.compaction_files,
            gt.lines,
            gt.bytes + gt.compaction_bytes,
            t0.elapsed().as_secs_f64()
        );
    }
}
