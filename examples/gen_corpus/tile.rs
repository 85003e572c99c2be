//! `--real DIR`: a corpus tiled from real transcripts (the bundled sample in `data/real`),
//! for measuring speed on real statistics: real line lengths, nesting and tool output.
//!
//! Each copy gets fresh identifiers, so that no two copies join: every UUID (session ids,
//! line uuids, parent uuids, prompt ids), every `toolu_`, `msg_` and `req_` id and every
//! agent id is replaced, consistently across the files of one copy, by one of the same
//! length. Every ISO time is shifted by a whole number of days plus some minutes (a
//! different amount per copy), keeping its width. So each copy has the same bytes per line
//! as the sample, and its files, subagent files and `agent_progress` copies still refer to
//! each other.
//!
//! The files are laid out as Claude Code lays them out: `projects/<encoded cwd>/<session>.jsonl`
//! for a session, `projects/<encoded cwd>/<session>/subagents/agent-<id>.jsonl` for a
//! subagent (a file whose lines carry `isSidechain` and `agentId`). The copies of a sample
//! file all go to the project folder of its `cwd`, so the folder of the most-used project
//! grows with the corpus, as a real history's does.

use crate::ids::days_from_civil;
use crate::rng::mix;
use regex::bytes::{Captures, Regex};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One sample file, read once.
struct Source {
    name: PathBuf,
    text: Vec<u8>,
    /// The session the file belongs to (a subagent file: its parent's).
    session: String,
    /// The folder Claude Code would write it to: the first `cwd`, encoded.
    folder: String,
    /// Set for a subagent file: its agent id.
    agent: Option<String>,
}

/// What the tiling wrote.
pub(crate) struct Tiled {
    pub(crate) copies: u64,
    pub(crate) files: u64,
    pub(crate) bytes: u64,
}

/// Claude Code's folder name for a working folder: every character that is not an ASCII
/// letter or digit becomes `-`.
fn encode_cwd(cwd: &str) -> String {
    cwd.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The first value of `"key":"..."` in `text`.
fn first_value(text: &[u8], key: &str) -> Option<String> {
    let re = Regex::new(&format!(r#""{key}":"([^"\\]*)""#)).ok()?;
    re.captures(text)
        .map(|c| String::from_utf8_lossy(&c[1]).into_owned())
}

fn sources(dir: &Path) -> Vec<Source> {
    let mut files = Vec::new();
    crate::verify::walk_jsonl(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let session = first_value(&text, "sessionId")
            .unwrap_or_else(|| panic!("{}: no sessionId", f.display()));
        let folder = encode_cwd(&first_value(&text, "cwd").unwrap_or_default());
        let sidechain = text
            .split(|&b| b == b'\n')
            .next()
            .is_some_and(|l| memchr::memmem::find(l, b"\"isSidechain\":true").is_some());
        let agent = if sidechain {
            first_value(&text, "agentId")
        } else {
            None
        };
        let name = f.strip_prefix(dir).unwrap_or(&f).to_path_buf();
        out.push(Source {
            name,
            text,
            session,
            folder,
            agent,
        });
    }
    out
}

/// `len` characters of `alphabet` drawn from `h` (re-mixed as it runs out).
fn chars_of(mut h: u64, alphabet: &[u8], len: usize, out: &mut Vec<u8>) {
    for i in 0..len {
        if i % 8 == 7 {
            h = mix(h);
        }
        out.push(alphabet[(h % alphabet.len() as u64) as usize]);
        h /= alphabet.len() as u64;
    }
}

const HEX: &[u8] = b"0123456789abcdef";
const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A hash of `token` for copy `copy`: the same token gets the same replacement in every
/// file of one copy, and a different one in every copy.
fn token_hash(seed: u64, copy: u64, token: &[u8]) -> u64 {
    let mut h = mix(seed ^ mix(copy.wrapping_add(0x0071_11e5)));
    for chunk in token.chunks(8) {
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        h = mix(h ^ u64::from_le_bytes(w));
    }
    h
}

fn num(b: &[u8]) -> i64 {
    b.iter().fold(0, |n, &d| n * 10 + i64::from(d - b'0'))
}

/// Shifts an ISO time `YYYY-MM-DDTHH:MM:SS[.fff]Z` by `shift_s` seconds, keeping its
/// fraction and width.
fn shift_time(t: &[u8], shift_s: i64, out: &mut Vec<u8>) {
    let days = days_from_civil(num(&t[0..4]), num(&t[5..7]) as u32, num(&t[8..10]) as u32);
    let secs = days * 86_400 + num(&t[11..13]) * 3600 + num(&t[14..16]) * 60 + num(&t[17..19]);
    let s = secs + shift_s;
    let (days, rem) = (s.div_euclid(86_400), s.rem_euclid(86_400));
    let iso = crate::ids::iso(days as u64 * 86_400_000 + rem as u64 * 1000);
    out.extend_from_slice(&iso.as_bytes()[..19]);
    out.extend_from_slice(&t[19..]);
}

/// Replaces the identifiers and times of one file for copy `copy`.
fn retag(
    re: &Regex,
    text: &[u8],
    seed: u64,
    copy: u64,
    shift_s: i64,
    agents: &BTreeSet<Vec<u8>>,
) -> Vec<u8> {
    re.replace_all(text, |c: &Captures<'_>| {
        let m = &c[0];
        let mut out = Vec::with_capacity(m.len());
        if c.name("time").is_some() {
            shift_time(m, shift_s, &mut out);
        } else if c.name("uuid").is_some() {
            let h = token_hash(seed, copy, m);
            let mut hex = Vec::with_capacity(32);
            chars_of(h, HEX, 16, &mut hex);
            chars_of(mix(h), HEX, 16, &mut hex);
            let mut k = 0;
            for &b in m {
                if b == b'-' {
                    out.push(b'-');
                } else {
                    out.push(hex[k]);
                    k += 1;
                }
            }
        } else if let Some(id) = c.name("id") {
            // Keep the prefix and the two characters after it (`toolu_01`, `req_01`...).
            let keep = c.name("prefix").map_or(0, |p| p.len()) + 2;
            out.extend_from_slice(&m[..keep]);
            chars_of(
                token_hash(seed, copy, id.as_bytes()),
                B62,
                m.len() - keep,
                &mut out,
            );
        } else if agents.contains(m) {
            chars_of(token_hash(seed, copy, m), HEX, m.len(), &mut out);
        } else {
            out.extend_from_slice(m);
        }
        out
    })
    .into_owned()
}

/// Writes copies of the sample under `out/projects` until `target` bytes are written
/// (stopping at the first copy boundary past it).
pub(crate) fn tile(real: &Path, out: &Path, target: u64, seed: u64, force: bool) -> Tiled {
    let root = out.join("projects");
    if root.exists() {
        if !force {
            eprintln!(
                "{} already holds a corpus; pass --force to replace it",
                out.display()
            );
            std::process::exit(1);
        }
        let _ = std::fs::remove_dir_all(&root);
    }
    let srcs = sources(real);
    if srcs.is_empty() {
        eprintln!("{}: no .jsonl files to tile", real.display());
        std::process::exit(1);
    }
    let agent_re = Regex::new(r#""agentId":"([0-9a-f]{6,40})""#).expect("regex");
    let mut agents: BTreeSet<Vec<u8>> = BTreeSet::new();
    for s in &srcs {
        for c in agent_re.captures_iter(&s.text) {
            agents.insert(c[1].to_vec());
        }
    }
    let mut pattern = String::from(concat!(
        r"(?P<uuid>\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)",
        r"|(?P<id>(?P<prefix>toolu_|msg_|req_)[A-Za-z0-9]{12,})",
        r"|(?P<time>\b20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?Z)",
    ));
    if !agents.is_empty() {
        let alt: Vec<String> = agents
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        pattern.push_str(&format!(r"|\b(?:{})\b", alt.join("|")));
    }
    let re = Regex::new(&pattern).expect("regex");
    let mut done = Tiled {
        copies: 0,
        files: 0,
        bytes: 0,
    };
    let mut dirs = BTreeSet::new();
    while done.bytes < target {
        let copy = done.copies;
        // Copies go back in time a day each, at a different time of day.
        let shift_s = -((copy as i64) * 86_400 + (mix(seed ^ copy) % 43_200) as i64);
        for s in &srcs {
            let text = retag(&re, &s.text, seed, copy, shift_s, &agents);
            let session =
                String::from_utf8(retag(&re, s.session.as_bytes(), seed, copy, 0, &agents))
                    .expect("ascii");
            let rel = match &s.agent {
                Some(a) => {
                    let a = String::from_utf8(retag(&re, a.as_bytes(), seed, copy, 0, &agents))
                        .expect("ascii");
                    PathBuf::from(&s.folder)
                        .join(&session)
                        .join("subagents")
                        .join(format!("agent-{a}.jsonl"))
                }
                None => PathBuf::from(&s.folder).join(format!("{session}.jsonl")),
            };
            let path = root.join(rel);
            let dir = path.parent().expect("a folder").to_path_buf();
            if dirs.insert(dir.clone()) {
                std::fs::create_dir_all(&dir).expect("mkdir");
            }
            assert!(
                !path.exists(),
                "{}: two sample files map here",
                s.name.display()
            );
            std::fs::write(&path, &text).expect("write");
            done.files += 1;
            done.bytes += text.len() as u64;
        }
        done.copies += 1;
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_shift_and_keep_their_width() {
        let mut out = Vec::new();
        shift_time(b"2026-03-01T00:10:00.123Z", -86_400 - 660, &mut out);
        assert_eq!(out, b"2026-02-27T23:59:00.123Z");
    }
}
