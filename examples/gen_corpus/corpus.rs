//! The corpus: sessions written until the target size is reached, and the ground truth
//! beside them.

use crate::ids::Ids;
use crate::json::{J, write_j, write_str};
use crate::outcomes::Gt;
use crate::projects::make_projects;
use crate::rng::{Rng, mix};
use crate::session::{DECK, Kind, Sess};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn pretty(j: &J, ind: usize, out: &mut Vec<u8>) {
    match j {
        J::Obj(f) if !f.is_empty() => {
            out.extend_from_slice(b"{\n");
            for (i, (k, v)) in f.iter().enumerate() {
                out.extend(std::iter::repeat_n(b' ', ind + 2));
                write_str(out, k);
                out.extend_from_slice(b": ");
                pretty(v, ind + 2, out);
                if i + 1 < f.len() {
                    out.push(b',');
                }
                out.push(b'\n');
            }
            out.extend(std::iter::repeat_n(b' ', ind));
            out.push(b'}');
        }
        _ => write_j(out, j),
    }
}

pub(crate) fn generate(out: &Path, target: u64, seed: u64, force: bool, quiet: bool) -> Gt {
    let root = out.join("projects");
    let gt_path = out.join("ground_truth.json");
    if root.exists() || gt_path.exists() {
        if !force {
            eprintln!(
                "{} already holds a corpus; pass --force to replace it",
                out.display()
            );
            std::process::exit(1);
        }
        let _ = std::fs::remove_dir_all(&root);
        let _ = std::fs::remove_file(&gt_path);
    }
    std::fs::create_dir_all(&root).expect("create OUT/projects");
    let mut r = Rng::new(seed);
    let projects = make_projects(&mut r.fork());
    let weights: Vec<u32> = projects.iter().map(|p| p.weight).collect();
    let mut ids = Ids { ctr: 0 };
    let mut gt = Gt::default();
    let mut written = 0u64;
    let mut deck: Vec<Kind> = Vec::new();
    let mut dirs: HashSet<PathBuf> = HashSet::new();
    let mut i = 0u64;
    while written < target {
        if deck.is_empty() {
            deck = DECK.to_vec();
            for k in (1..deck.len()).rev() {
                let j = r.below(k as u64 + 1) as usize;
                deck.swap(k, j);
            }
            if i == 0 {
                // the first round deals every kind once before any repeat, so
                // that even a small corpus holds every outcome
                let mut seen: Vec<Kind> = Vec::new();
                let (mut firsts, mut repeats) = (Vec::new(), Vec::new());
                for k in deck.drain(..) {
                    if seen.contains(&k) {
                        repeats.push(k);
                    } else {
                        seen.push(k);
                        firsts.push(k);
                    }
                }
                deck = repeats;
                deck.extend(firsts.into_iter().rev());
            }
        }
        let kind = deck.pop().unwrap();
        let p = projects[r.weighted(&weights)].clone();
        i += 1;
        let s = Sess::new(Rng::new(mix(seed) ^ mix(i)), ids, kind, p);
        let so = s.run();
        ids = so.ids;
        for (rel, bytes, _counted, _lines) in so.files.iter() {
            let path = root.join(rel);
            let dir = path.parent().unwrap().to_path_buf();
            if dirs.insert(dir.clone()) {
                std::fs::create_dir_all(&dir).expect("mkdir");
            }
            std::fs::write(&path, bytes).expect("write");
            written += bytes.len() as u64;
        }
        for (rel, bytes) in so.side.iter() {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).expect("mkdir");
            std::fs::write(&path, bytes).expect("write");
        }
        gt.merge(&so.gt);
        if !quiet && i & 127 == 0 {
            eprintln!("  {i} sessions, {:.1} MB", written as f64 / 1e6);
        }
    }
    let mut buf = Vec::new();
    pretty(&gt.to_json(), 0, &mut buf);
    buf.push(b'\n');
    std::fs::write(&gt_path, buf).expect("write ground truth");
    gt
}
