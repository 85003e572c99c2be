//! The incremental cache: same results with and without it; changed, grown and deleted
//! transcripts; a corrupt cache is rebuilt.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn scan(dir: &Path, cache: &Path, extra: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_permstat"))
        .args(["scan", "--format", "json", "--quiet", "--cache-dir"])
        .arg(cache)
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// The summary without the field that says where results came from.
fn figures(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("cached_files");
    v
}

#[test]
fn cached_results_equal_fresh_ones_and_follow_changes() {
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    copy_dir(Path::new("data/real"), data.path());

    let first = scan(data.path(), cache.path(), &[]);
    assert_eq!(first["cached_files"], 0);
    let second = scan(data.path(), cache.path(), &[]);
    assert_eq!(second["cached_files"], 10);
    let fresh = scan(data.path(), cache.path(), &["--no-cache"]);
    assert_eq!(fresh["cached_files"], 0);
    assert_eq!(figures(first.clone()), figures(second));
    assert_eq!(figures(first.clone()), figures(fresh));

    // A transcript that grew is read again: one more call, one more line.
    let grown = data.path().join("marot__spotter/short.jsonl");
    let mut text = std::fs::read_to_string(&grown).unwrap();
    text.push_str(r#"{"type":"assistant","sessionId":"55604662-cf2a-4331-851a-ec234028f8ca","timestamp":"2026-02-10T22:00:00.000Z","message":{"id":"m-new","content":[{"type":"tool_use","id":"toolu_new","name":"Bash","input":{"command":"git status"}}]}}"#);
    text.push('\n');
    std::fs::write(&grown, text).unwrap();
    let after = scan(data.path(), cache.path(), &[]);
    assert_eq!(after["cached_files"], 9);
    assert_eq!(
        after["tool_calls"],
        first["tool_calls"].as_u64().unwrap() + 1
    );
    assert_eq!(after["outcomes"]["unresolved"], 1);
    assert_eq!(after["lines"], first["lines"].as_u64().unwrap() + 1);

    // A deleted one drops out, and out of the cache.
    std::fs::remove_file(data.path().join("entireio__cli/d8_7ee3bab4de_0_full.jsonl")).unwrap();
    let gone = scan(data.path(), cache.path(), &[]);
    assert_eq!(gone["files"], 9);
    assert_eq!(gone["outcomes"]["rule_denied"], 0);
    // The next run finds all nine in the cache: the deleted one is gone from it.
    assert_eq!(scan(data.path(), cache.path(), &[])["cached_files"], 9);
}

#[test]
fn a_corrupt_cache_is_rebuilt_not_trusted() {
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("scan-v2.bin");
    std::fs::write(&file, "{ this is not the cache").unwrap();
    let v = scan(Path::new("data/real"), cache.path(), &[]);
    assert_eq!(v["cached_files"], 0);
    assert_eq!(v["tool_calls"], 330);
    // Rebuilt: valid again, and used by the next run.
    let again = scan(Path::new("data/real"), cache.path(), &[]);
    assert_eq!(again["cached_files"], 10);
    // A cache cut short (a crash while writing elsewhere, a full disk) is not trusted either.
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let v = scan(Path::new("data/real"), cache.path(), &[]);
    assert_eq!(v["cached_files"], 0);
    assert_eq!(v["tool_calls"], 330);
}
