//! `--verify`: re-reads the corpus with serde_json and recomputes the ground truth; the
//! outcomes come from an independent classifier written from docs/outcomes.md.

use crate::outcomes::{OUTCOMES, SYNTH};
use crate::projects::fnv;
use crate::shares::Shares;
use crate::words::cut;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub(crate) fn walk_jsonl(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk_jsonl(&p, out);
        } else if p.extension().is_some_and(|x| x == "jsonl") {
            out.push(p);
        }
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .filter_map(|b| b.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

const HEADLESS_PREFIXES: &[&str] = &[
    "Claude requested permissions to ",
    "This Bash command contains multiple operations. The following part requires approval",
];

fn is_headless_text(t: &str) -> bool {
    HEADLESS_PREFIXES.iter().any(|p| t.starts_with(p))
        || (t.starts_with("Permission rule '") && t.contains("requires approval"))
        || (t.starts_with("Current permission mode (") && t.contains("requires approval"))
}

fn is_hook_text(t: &str) -> bool {
    (t.starts_with("PreToolUse:") && t.contains("hook error:"))
        || (t.starts_with("Hook PreToolUse:") && t.contains("denied this tool"))
        || t.starts_with("Execution stopped by PreToolUse hook")
        || t.starts_with("Permission denied by hook")
}

fn is_rule_text(t: &str) -> bool {
    ([
        "Permission to use ",
        "Permission to read ",
        "Permission to edit ",
        "Permission to write ",
    ]
    .iter()
    .any(|p| t.starts_with(p))
        && t.contains("has been denied"))
        || t.contains("was blocked by a deny rule")
        || t.starts_with("WebFetch denied access to")
        || (t.starts_with("Agent type '") && t.contains("has been denied by permission rule"))
}

fn never_prompts(tool: &str) -> bool {
    matches!(
        tool,
        "Read" | "Grep" | "Glob" | "TodoWrite" | "Task" | "Agent"
    )
}

fn classify(
    text: &str,
    is_error: bool,
    tur: Option<&Value>,
    kind: Option<&str>,
    tool: &str,
    mode: Option<&str>,
    multi_synth: bool,
) -> &'static str {
    let synth = tur.and_then(Value::as_str) == Some(SYNTH);
    let no_dialog =
        synth && (mode == Some("bypassPermissions") || never_prompts(tool) || multi_synth);
    let reject = |t: &str| {
        if no_dialog {
            "interrupted"
        } else if t.contains("the user said:") {
            "user_rejected_with_feedback"
        } else {
            "user_rejected"
        }
    };
    if let Some(k) = kind {
        return match k {
            "user-rejected" if is_headless_text(text) => "headless_unanswered",
            "user-rejected" => reject(text),
            "permission-rule" if is_hook_text(text) => "hook_denied",
            "permission-rule" => "rule_denied",
            "automode-blocked" => "automode_blocked",
            "automode-unavailable" | "automode-parsing-error" => "automode_unavailable",
            "interrupted" => "interrupted",
            "cancelled" => "cancelled",
            _ => "tool_error",
        };
    }
    if is_error || tur.is_some_and(Value::is_string) {
        if text.starts_with("The user doesn't want to proceed with this tool use.") {
            return reject(text);
        }
        if text.starts_with("Permission for this tool use was denied.") {
            return "subagent_rejected";
        }
        if text.starts_with("The user doesn't want to take this action right now") {
            return "cancelled";
        }
        if text.starts_with("Permission for this action has been denied. Reason: ")
            || text.starts_with(
                "Permission for this action was denied by the Claude Code auto mode classifier",
            )
            || text.starts_with(
                "Permission for this action was denied by the dangerous action safety classifier",
            )
            || text.starts_with("This action was blocked by the dangerous action safety classifier")
        {
            return "automode_blocked";
        }
        if text.contains("so auto mode cannot determine the safety of")
            || text.starts_with("Auto mode could not evaluate this action")
            || text.starts_with("The server-side auto mode classifier gave no verdict")
        {
            return "automode_unavailable";
        }
        if text.contains("because Claude Code is running in don't ask mode") {
            return "dontask_denied";
        }
        if text.starts_with("Permission to use ") && text.contains(" has been denied. IMPORTANT:") {
            return "headless_unanswered";
        }
        if is_headless_text(text) {
            return "headless_unanswered";
        }
        if is_rule_text(text) {
            return "rule_denied";
        }
        if is_hook_text(text) {
            return "hook_denied";
        }
        if is_error {
            return "tool_error";
        }
    }
    "ran"
}

struct UseInfo {
    name: String,
    msg_id: String,
    sub: bool,
    mode: Option<String>,
}

struct ResInfo {
    text: String,
    is_error: bool,
    tur: Option<Value>,
    kind: Option<String>,
}

pub(crate) fn verify_corpus(out: &Path) -> bool {
    let t0 = Instant::now();
    let gt: Value = match std::fs::read_to_string(out.join("ground_truth.json"))
        .map(|s| serde_json::from_str(&s))
    {
        Ok(Ok(v)) => v,
        _ => {
            eprintln!("cannot read {}/ground_truth.json", out.display());
            return false;
        }
    };
    let mut files = Vec::new();
    walk_jsonl(&out.join("projects"), &mut files);
    files.sort();
    let (mut n_files, mut n_compact, mut lines, mut bytes, mut mode_lines) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut problems: Vec<String> = Vec::new();
    let mut sessions: HashSet<String> = HashSet::new();
    let mut uses: HashMap<String, UseInfo> = HashMap::new();
    let mut results: HashMap<String, ResInfo> = HashMap::new();
    let mut modes: BTreeMap<String, u64> = BTreeMap::new();
    let mut shares = Shares::default();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("agent-acompact-") {
            n_compact += 1;
            continue;
        }
        n_files += 1;
        let is_agent = name.starts_with("agent-");
        let text = std::fs::read_to_string(f).expect("read");
        let mut last_ts = String::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut mode: Option<String> = None;
        for (ln, line) in text.split_inclusive('\n').enumerate() {
            lines += 1;
            bytes += line.len() as u64;
            if !line.ends_with('\n') {
                problems.push(format!("{}:{}: no final newline", f.display(), ln + 1));
            }
            let line = line.trim_end_matches('\n');
            let v: Value = match serde_json::from_str(line) {
                Ok(v @ Value::Object(_)) => v,
                _ => {
                    problems.push(format!("{}:{}: not a JSON object", f.display(), ln + 1));
                    continue;
                }
            };
            shares.add(&v, line.len() as u64 + 1);
            let h = fnv(line);
            let verbatim_again = v
                .get("uuid")
                .and_then(Value::as_str)
                .is_some_and(|u| seen.get(u) == Some(&h));
            if let Some(u) = v.get("uuid").and_then(Value::as_str) {
                seen.insert(u.to_string(), h);
            }
            if let Some(ts) = v.get("timestamp").and_then(Value::as_str)
                && !verbatim_again
            {
                if ts <= last_ts.as_str() {
                    problems.push(format!(
                        "{}:{}: timestamp {ts} not after {last_ts}",
                        f.display(),
                        ln + 1
                    ));
                }
                last_ts = ts.to_string();
            }
            if let Some(s) = v.get("sessionId").and_then(Value::as_str)
                && !is_agent
            {
                sessions.insert(s.to_string());
            }
            let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
            match ty {
                "permission-mode" => {
                    mode_lines += 1;
                    mode = v
                        .get("permissionMode")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                }
                "user" => {
                    if let Some(m) = v.get("permissionMode").and_then(Value::as_str) {
                        *modes.entry(m.to_string()).or_default() += 1;
                        mode = Some(m.to_string());
                    }
                    collect_results(
                        &v["message"],
                        v.get("toolUseResult"),
                        v.get("toolDenialKind"),
                        &mut results,
                    );
                }
                "assistant" => collect_uses(
                    &v["message"],
                    is_agent,
                    if is_agent { None } else { mode.clone() },
                    &mut uses,
                ),
                "progress" => {
                    let d = &v["data"];
                    if d.get("type").and_then(Value::as_str) == Some("agent_progress") {
                        let m = &d["message"];
                        match m.get("type").and_then(Value::as_str) {
                            Some("assistant") => collect_uses(&m["message"], true, None, &mut uses),
                            Some("user") => collect_results(
                                &m["message"],
                                m.get("toolUseResult"),
                                None,
                                &mut results,
                            ),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // outcomes
    let mut synth_by_msg: HashMap<&str, u64> = HashMap::new();
    for (id, u) in &uses {
        if let Some(r) = results.get(id)
            && r.text
                .starts_with("The user doesn't want to proceed with this tool use.")
            && r.tur.as_ref().and_then(Value::as_str) == Some(SYNTH)
        {
            *synth_by_msg.entry(u.msg_id.as_str()).or_default() += 1;
        }
    }
    let mut by_tool: BTreeMap<String, u64> = BTreeMap::new();
    let mut outcomes: BTreeMap<String, u64> = OUTCOMES.iter().map(|o| (o.to_string(), 0)).collect();
    let (mut sub_calls, mut unverified) = (0u64, 0u64);
    for (id, u) in &uses {
        *by_tool.entry(u.name.clone()).or_default() += 1;
        if u.sub {
            sub_calls += 1;
        }
        let o = match results.get(id) {
            None => "unresolved",
            Some(r) => {
                let multi = synth_by_msg.get(u.msg_id.as_str()).copied().unwrap_or(0) >= 2;
                classify(
                    &r.text,
                    r.is_error,
                    r.tur.as_ref(),
                    r.kind.as_deref(),
                    &u.name,
                    u.mode.as_deref(),
                    multi,
                )
            }
        };
        *outcomes.get_mut(o).unwrap() += 1;
        if u.name.starts_with("mcp__")
            && !matches!(o, "ran" | "tool_error" | "unresolved")
            && results.get(id).is_some_and(|r| r.kind.is_none())
        {
            unverified += 1;
        }
    }
    let mut ok = problems.is_empty();
    for p in problems.iter().take(20) {
        eprintln!("PROBLEM {p}");
    }
    if problems.len() > 20 {
        eprintln!("… {} problems in all", problems.len());
    }
    let mut check = |name: &str, got: Value| {
        let want = gt.get(name).cloned().unwrap_or(Value::Null);
        let same = want == got;
        ok &= same;
        println!(
            "{:<20} {}  {}",
            name,
            if same { "ok      " } else { "MISMATCH" },
            if same {
                compact(&got)
            } else {
                format!(
                    "ground truth {} / re-read {}",
                    compact(&want),
                    compact(&got)
                )
            }
        );
    };
    check("files", Value::from(n_files));
    check("compaction_files", Value::from(n_compact));
    check("sessions", Value::from(sessions.len() as u64));
    check("lines", Value::from(lines));
    check("bytes", Value::from(bytes));
    check("tool_calls", Value::from(uses.len() as u64));
    check("subagent_calls", Value::from(sub_calls));
    check("by_tool", serde_json::to_value(&by_tool).unwrap());
    check("outcomes", serde_json::to_value(&outcomes).unwrap());
    check("modes", serde_json::to_value(&modes).unwrap());
    check("mode_lines", Value::from(mode_lines));
    check("unverified_denials", Value::from(unverified));
    println!(
        "every line a JSON object, timestamps increasing per file (verbatim re-logs aside): {}",
        if problems.is_empty() { "yes" } else { "NO" }
    );
    shares.print("byte shares of the files read");
    println!(
        "verify {} in {:.2}s",
        if ok { "PASSED" } else { "FAILED" },
        t0.elapsed().as_secs_f64()
    );
    ok
}

fn compact(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 400 {
        format!("{}…", cut(&s, 400))
    } else {
        s
    }
}

fn collect_uses(msg: &Value, sub: bool, mode: Option<String>, uses: &mut HashMap<String, UseInfo>) {
    let msg_id = msg
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    for b in msg
        .get("content")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if b.get("type").and_then(Value::as_str) == Some("tool_use") {
            let id = b
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let name = b
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let e = uses.entry(id).or_insert(UseInfo {
                name,
                msg_id: msg_id.clone(),
                sub,
                mode: mode.clone(),
            });
            e.sub |= sub;
        }
    }
}

fn collect_results(
    msg: &Value,
    tur: Option<&Value>,
    kind: Option<&Value>,
    results: &mut HashMap<String, ResInfo>,
) {
    for b in msg
        .get("content")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if b.get("type").and_then(Value::as_str) == Some("tool_result") {
            let id = b
                .get("tool_use_id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let info = ResInfo {
                text: text_of(b.get("content").unwrap_or(&Value::Null)),
                is_error: b.get("is_error").and_then(Value::as_bool).unwrap_or(false),
                tur: tur.cloned(),
                kind: kind.and_then(Value::as_str).map(str::to_string),
            };
            // the main transcript's line (with toolUseResult and kind) wins over copies
            match results.get(&id) {
                Some(old) if old.tur.is_some() || info.tur.is_none() => {}
                _ => {
                    results.insert(id, info);
                }
            }
        }
    }
}
