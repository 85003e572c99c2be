use super::*;

const SETTINGS: &str = r#"{
  "model": "opus",
  "env": {
    "FOO": "1",
    "UNICODE": "caf\u00e9 ✓"
  },
  "hooks": {
    "PreToolUse": [
      { "matcher": "Bash", "hooks": [{ "type": "command", "command": "check.sh" }] }
    ]
  },
  "permissions": {
    "allow": [
      "Bash(git log *)",
      "Read(~/notes/**)"
    ],
    "deny": [
      "Bash(rm -rf *)"
    ],
    "defaultMode": "default"
  },
  "numbers": [1.0, 1e3, -0]
}
"#;

fn rules(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The new text is the old text with one block inserted: returns that block.
fn insertion(old: &str, new: &str) -> String {
    let pre = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suf = old.len() - pre;
    assert!(new.len() >= old.len());
    assert_eq!(
        &new[new.len() - suf..],
        &old[pre..],
        "bytes after the insertion changed"
    );
    new[pre..new.len() - suf].to_string()
}

#[test]
fn merge_keeps_every_existing_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("settings.json");
    fs::write(&path, SETTINGS).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let add = rules(&[
        "Bash(pip list --outdated)",
        "Bash(git log *)",
        "WebFetch(domain:docs.rs)",
    ]);
    let plan = plan_write(&path, &add, false).expect("plan");
    assert_eq!(
        plan.added,
        rules(&["Bash(pip list --outdated)", "WebFetch(domain:docs.rs)"])
    );
    assert_eq!(plan.already_present, rules(&["Bash(git log *)"]));
    assert_eq!(
        insertion(SETTINGS, &plan.new_text),
        ",\n      \"Bash(pip list --outdated)\",\n      \"WebFetch(domain:docs.rs)\""
    );
    assert!(
        plan.diff.starts_with(&format!(
            "--- {}\n+++ {}\n@@ -12,7 +12,9 @@\n",
            path.display(),
            path.display()
        )),
        "{}",
        plan.diff
    );
    assert!(plan.diff.contains("-      \"Read(~/notes/**)\"\n+      \"Read(~/notes/**)\",\n+      \"Bash(pip list --outdated)\",\n+      \"WebFetch(domain:docs.rs)\"\n"), "{}", plan.diff);
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        SETTINGS,
        "planning touched the file"
    );

    let applied = apply(&plan).expect("apply");
    assert!(applied.written);
    let backup = applied.backup.expect("backup");
    assert_eq!(backup, dir.path().join("settings.json.bak"));
    assert_eq!(fs::read_to_string(&backup).expect("backup"), SETTINGS);
    assert_eq!(fs::read_to_string(&path).expect("read"), plan.new_text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o640);
        assert_eq!(mode(&backup), 0o640);
    }
    // Key order and every other value survive.
    let v: Value = serde_json::from_str(&plan.new_text).expect("json");
    let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["model", "env", "hooks", "permissions", "numbers"]);
    let pkeys: Vec<&String> = v["permissions"].as_object().expect("p").keys().collect();
    assert_eq!(pkeys, ["allow", "deny", "defaultMode"]);

    // A second run adds nothing and writes nothing.
    let again = plan_write(&path, &add, false).expect("plan again");
    assert!(!again.changed());
    assert!(again.diff.is_empty());
    assert_eq!(again.new_text, plan.new_text);
    let applied = apply(&again).expect("apply again");
    assert_eq!(
        applied,
        Applied {
            written: false,
            backup: None
        }
    );
    assert!(!dir.path().join("settings.json.bak.1").exists());

    // A third run with a new rule backs up to .bak.1.
    let third = plan_write(&path, &rules(&["Bash(helm list -A)"]), false).expect("plan 3");
    let applied = apply(&third).expect("apply 3");
    assert_eq!(applied.backup, Some(dir.path().join("settings.json.bak.1")));
    assert_eq!(
        fs::read_to_string(dir.path().join("settings.json.bak")).expect("bak"),
        SETTINGS
    );
}

#[test]
fn layouts() {
    let cases: &[(&str, &str)] = &[
        // Missing allow list: appended after the existing keys of permissions.
        (
            "{\n  \"permissions\": {\n    \"deny\": [\"Bash(rm *)\"]\n  }\n}\n",
            "{\n  \"permissions\": {\n    \"deny\": [\"Bash(rm *)\"],\n    \"allow\": [\n      \"A\",\n      \"B\"\n    ]\n  }\n}\n",
        ),
        // Missing permissions: after the last top-level key.
        (
            "{\n    \"model\": \"x\"\n}",
            "{\n    \"model\": \"x\",\n    \"permissions\": {\n        \"allow\": [\n            \"A\",\n            \"B\"\n        ]\n    }\n}",
        ),
        // Empty allow list.
        (
            "{\n  \"permissions\": {\n    \"allow\": []\n  }\n}\n",
            "{\n  \"permissions\": {\n    \"allow\": [\n      \"A\",\n      \"B\"\n    ]\n  }\n}\n",
        ),
        // Empty permissions object.
        (
            "{\n  \"permissions\": {}\n}\n",
            "{\n  \"permissions\": {\n    \"allow\": [\n      \"A\",\n      \"B\"\n    ]\n  }\n}\n",
        ),
        // Empty document.
        (
            "{}\n",
            "{\n  \"permissions\": {\n    \"allow\": [\n      \"A\",\n      \"B\"\n    ]\n  }\n}\n",
        ),
        // Compact, one line.
        (
            r#"{"permissions":{"allow":["X"]}}"#,
            r#"{"permissions":{"allow":["X", "A", "B"]}}"#,
        ),
        (
            r#"{"a":1}"#,
            r#"{"a":1, "permissions": {"allow": ["A", "B"]}}"#,
        ),
        (
            r#"{"permissions":{"deny":[]}}"#,
            r#"{"permissions":{"deny":[], "allow": ["A", "B"]}}"#,
        ),
        // Tabs.
        (
            "{\n\t\"permissions\": {\n\t\t\"allow\": [\n\t\t\t\"X\"\n\t\t]\n\t}\n}\n",
            "{\n\t\"permissions\": {\n\t\t\"allow\": [\n\t\t\t\"X\",\n\t\t\t\"A\",\n\t\t\t\"B\"\n\t\t]\n\t}\n}\n",
        ),
        // CRLF line ends stay CRLF.
        (
            "{\r\n  \"permissions\": {\r\n    \"allow\": [\r\n      \"X\"\r\n    ]\r\n  }\r\n}\r\n",
            "{\r\n  \"permissions\": {\r\n    \"allow\": [\r\n      \"X\",\r\n      \"A\",\r\n      \"B\"\r\n    ]\r\n  }\r\n}\r\n",
        ),
        // A key written with an escape, and numbers, nulls and nesting before it.
        (
            r#"{"n": -1.5e3, "o": {"a": [1, {"b": null}], "t": true}, "per\u006dissions": {"allow": ["X"]}}"#,
            r#"{"n": -1.5e3, "o": {"a": [1, {"b": null}], "t": true}, "per\u006dissions": {"allow": ["X", "A", "B"]}}"#,
        ),
        // Strings holding brackets, braces and escaped quotes.
        (
            "{\n  \"x\": \"}]\\\"{[\",\n  \"permissions\": {\n    \"allow\": [\"Bash(echo \\\"]\\\")\"]\n  }\n}\n",
            "{\n  \"x\": \"}]\\\"{[\",\n  \"permissions\": {\n    \"allow\": [\"Bash(echo \\\"]\\\")\", \"A\", \"B\"]\n  }\n}\n",
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    for (k, (old, want)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("s{k}.json"));
        fs::write(&path, old).expect("write");
        let plan = plan_write(&path, &rules(&["A", "B"]), false).expect("plan");
        assert_eq!(plan.new_text, *want, "case {k}");
        insertion(old, &plan.new_text);
    }
}

#[test]
fn new_file_in_a_new_claude_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".claude").join("settings.local.json");
    let plan = plan_write(
        &path,
        &rules(&["Bash(pip list --outdated)", "Bash(pip list --outdated)"]),
        false,
    )
    .expect("plan");
    assert_eq!(
        plan.new_text,
        "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(pip list --outdated)\"\n    ]\n  }\n}\n"
    );
    assert!(plan.diff.starts_with("--- /dev/null\n"), "{}", plan.diff);
    assert!(plan.diff.contains("@@ -0,0 +1,7 @@"), "{}", plan.diff);
    let applied = apply(&plan).expect("apply");
    assert_eq!(applied.backup, None);
    assert_eq!(fs::read_to_string(&path).expect("read"), plan.new_text);
    assert!(
        !plan_write(&path, &plan.added, false)
            .expect("again")
            .changed()
    );
}

#[test]
fn refusals_leave_the_file_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: &[(&str, &str)] = &[
        (
            "{\n  \"permissions\": {\n    \"allow\": [\"a\",]\n  }\n}\n",
            "line 3",
        ),
        ("[1, 2]", "top level"),
        ("{\"permissions\": []}", "\"permissions\" is not an object"),
        ("{\"permissions\": {\"allow\": \"Bash\"}}", "not a list"),
        (
            "{\"permissions\": {\"allow\": []}, \"permissions\": {}}",
            "appears more than once",
        ),
        (
            "{\"permissions\": {\"allow\": [], \"allow\": []}}",
            "appears more than once",
        ),
        ("\u{feff}{}", "not valid JSON"),
    ];
    for (k, (text, needle)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{k}.json"));
        fs::write(&path, text).expect("write");
        let err = plan_write(&path, &rules(&["A"]), false).expect_err(text);
        let msg = err.to_string();
        assert!(
            msg.contains(needle) && msg.contains(&path.display().to_string()),
            "{text}: {msg}"
        );
        assert_eq!(fs::read_to_string(&path).expect("read"), *text);
    }
    let path = dir.path().join("bad0.json");
    let err = plan_write(&path, &rules(&["A"]), false).expect_err("invalid");
    assert!(
        matches!(err, WriteError::InvalidJson { line: 3, .. }),
        "{err:?}"
    );

    let managed =
        plan_write(&dir.path().join("m.json"), &rules(&["A"]), true).expect_err("managed");
    assert!(matches!(managed, WriteError::ManagedOnly { .. }));
    assert!(!dir.path().join("m.json").exists());
}

#[test]
fn changed_since_read_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("settings.json");
    fs::write(&path, "{}\n").expect("write");
    let plan = plan_write(&path, &rules(&["A"]), false).expect("plan");
    fs::write(&path, "{\"model\": \"x\"}\n").expect("edit");
    let err = apply(&plan).expect_err("changed");
    assert!(matches!(err, WriteError::Changed { .. }), "{err}");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "{\"model\": \"x\"}\n"
    );
    assert!(!dir.path().join("settings.json.bak").exists());

    // A file that appeared after planning a new one is refused too.
    let fresh = dir.path().join("new.json");
    let plan = plan_write(&fresh, &rules(&["A"]), false).expect("plan");
    fs::write(&fresh, "{}").expect("write");
    assert!(matches!(apply(&plan), Err(WriteError::Changed { .. })));
}

#[cfg(unix)]
#[test]
fn symlinks_are_written_through() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    fs::write(&real, "{}\n").expect("write");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let plan = plan_write(&link, &rules(&["A"]), false).expect("plan");
    apply(&plan).expect("apply");
    assert!(
        fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&real).expect("read"), plan.new_text);
}

#[test]
fn diff_without_trailing_newline() {
    let d = unified_diff("a", "b", "x\ny", "x\ny\nz");
    assert_eq!(
        d,
        "--- a\n+++ b\n@@ -1,2 +1,3 @@\n x\n-y\n\\ No newline at end of file\n+y\n+z\n\\ No newline at end of file\n"
    );
    assert_eq!(unified_diff("a", "b", "same", "same"), "");
}
