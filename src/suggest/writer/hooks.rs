//! Adding hook handlers to a settings file's `hooks` and taking them out again, with the
//! guarantees of the allow-rule merge: every byte that is not added or removed is kept,
//! new lines are laid out like their neighbours, the result is parsed and compared with
//! the expected document, and [`super::apply`] writes it (backup, atomic replace,
//! read-back).
//!
//! A handler is added as a matcher group of its own, `{"matcher": "*", "hooks":
//! [handler]}`, at the end of `hooks.<event>` (created when missing). Removing takes out
//! each handler a predicate recognises: its whole group when the group holds nothing
//! else, then an event list or a `hooks` object that is left empty, so that removing what
//! was added gives back the file's bytes.

use super::splice::{elements, find_unique, indent_unit, line_indent, members};
use super::{
    Settings, SpliceError, WriteError, WritePlan, crlf_like, diff_of, read_settings, same_doc,
    shape,
};
use serde_json::{Map, Value};
use std::path::Path;

/// One handler to add under one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookHandler {
    /// The hook event (`PermissionRequest`, ...).
    pub event: String,
    /// The handler object (`{"type": "command", "command": ..., ...}`).
    pub handler: Value,
}

/// What adding or removing hooks would do.
#[derive(Debug, Clone)]
pub struct HookPlan {
    /// The file change (its `added` list stays empty: it names allow rules).
    pub plan: WritePlan,
    /// Events whose handlers are added or removed.
    pub changed: Vec<String>,
    /// Events left as they were (the handler is already there, or there is none to
    /// remove).
    pub unchanged: Vec<String>,
}

/// The `hooks` object and its event lists, checked to have the shape Claude Code reads.
fn hooks_of<'d>(
    path: &Path,
    doc: &'d Map<String, Value>,
) -> Result<Option<&'d Map<String, Value>>, WriteError> {
    match doc.get("hooks") {
        None => Ok(None),
        Some(Value::Object(h)) => {
            if let Some((k, _)) = h.iter().find(|(_, v)| !v.is_array()) {
                return Err(shape(path, &format!("\"hooks.{k}\" is not a list")));
            }
            Ok(Some(h))
        }
        Some(_) => Err(shape(path, "\"hooks\" is not an object")),
    }
}

/// The commands of every handler in an event list.
fn commands(groups: &Value) -> impl Iterator<Item = &str> {
    groups
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g.get("hooks")?.as_array())
        .flatten()
        .filter_map(|h| h.get("command")?.as_str())
}

/// A new matcher group holding `handler`.
fn group(handler: &Value) -> Value {
    let mut g = Map::new();
    g.insert("matcher".into(), Value::String("*".into()));
    g.insert("hooks".into(), Value::Array(vec![handler.clone()]));
    Value::Object(g)
}

/// Plans adding each handler of `add` whose event holds no handler `is_ours` recognises.
/// Touches nothing on disk.
pub fn plan_add_hooks(
    path: &Path,
    add: &[HookHandler],
    is_ours: impl Fn(&str) -> bool,
) -> Result<HookPlan, WriteError> {
    let r = read_settings(path)?;
    let hooks = hooks_of(path, &r.doc)?;
    let (mut changed, mut unchanged) = (Vec::new(), Vec::new());
    let mut expected = r.doc.clone();
    let mut text = r.text.clone();
    for h in add {
        let present = hooks
            .and_then(|hs| hs.get(&h.event))
            .is_some_and(|groups| commands(groups).any(&is_ours));
        if present {
            unchanged.push(h.event.clone());
            continue;
        }
        changed.push(h.event.clone());
        let hs = expected
            .entry("hooks")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(hs) = hs
            && let Value::Array(list) = hs
                .entry(h.event.clone())
                .or_insert_with(|| Value::Array(Vec::new()))
        {
            list.push(group(&h.handler));
        }
        if !r.blank {
            text = add_group(&text, &h.event, &group(&h.handler))
                .map_err(|e| splice_error(path, e))?;
        }
    }
    finish(path, r, Value::Object(expected), text, changed, unchanged)
}

/// Plans removing every handler `is_ours` recognises (by its command), with the matcher
/// groups, event lists and `hooks` object left empty. Touches nothing on disk.
pub fn plan_remove_hooks(
    path: &Path,
    is_ours: impl Fn(&str) -> bool,
) -> Result<HookPlan, WriteError> {
    let r = read_settings(path)?;
    let hooks = hooks_of(path, &r.doc)?;
    let changed: Vec<String> = hooks
        .into_iter()
        .flatten()
        .filter(|(_, groups)| commands(groups).any(&is_ours))
        .map(|(k, _)| k.clone())
        .collect();
    let mut expected = r.doc.clone();
    remove_from_doc(&mut expected, &is_ours);
    let mut text = r.text.clone();
    if !r.blank {
        // One removal at a time, each on freshly read spans.
        while let Some(next) = remove_one(&text, &is_ours).map_err(|e| splice_error(path, e))? {
            text = next;
        }
    }
    finish(path, r, Value::Object(expected), text, changed, Vec::new())
}

fn splice_error(path: &Path, e: SpliceError) -> WriteError {
    match e {
        SpliceError::Duplicate(key) => WriteError::DuplicateKey {
            path: path.to_path_buf(),
            key,
        },
        SpliceError::Layout(m) => shape(path, &m),
    }
}

/// The plan: the spliced text when it parses to the expected document (a fresh rendering
/// otherwise, never a corrupted file), and its diff.
fn finish(
    path: &Path,
    r: Settings,
    expected: Value,
    spliced: String,
    changed: Vec<String>,
    unchanged: Vec<String>,
) -> Result<HookPlan, WriteError> {
    let render = || {
        serde_json::to_string_pretty(&expected)
            .map(|p| format!("{p}\n"))
            .map_err(|e| shape(path, &format!("cannot render JSON: {e}")))
    };
    let new_text = if changed.is_empty() {
        r.text.clone()
    } else if r.blank {
        render()?
    } else {
        let spliced = crlf_like(&r.text, spliced);
        let same = serde_json::from_str::<Value>(&spliced)
            .ok()
            .is_some_and(|v| same_doc(&v, &expected));
        if same { spliced } else { render()? }
    };
    let diff = if new_text == r.text {
        String::new()
    } else {
        diff_of(path, r.original.is_some(), &r.text, &new_text)
    };
    Ok(HookPlan {
        plan: WritePlan {
            path: path.to_path_buf(),
            target: r.target,
            original: r.original,
            new_text,
            added: Vec::new(),
            already_present: Vec::new(),
            diff,
        },
        changed,
        unchanged,
    })
}

/// `value` as JSON text laid out at `indent`: on several lines (indented by `unit`) or on
/// one.
fn render(value: &Value, indent: &str, unit: &str, multiline: bool) -> String {
    if !multiline {
        return serde_json::to_string(value).unwrap_or_default();
    }
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(unit.as_bytes());
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    if serde::Serialize::serialize(value, &mut ser).is_err() {
        return String::new();
    }
    String::from_utf8_lossy(&out).replace('\n', &format!("\n{indent}"))
}

fn quoted(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_else(|_| "\"\"".into())
}

fn splice_in(text: &str, from: usize, to: usize, what: &str) -> String {
    let mut s = String::with_capacity(text.len() + what.len());
    s.push_str(text.get(..from).unwrap_or(""));
    s.push_str(what);
    s.push_str(text.get(to..).unwrap_or(""));
    s
}

/// The text with `group` added at the end of `hooks.<event>` (list and object created as
/// needed).
fn add_group(text: &str, event: &str, group: &Value) -> Result<String, SpliceError> {
    let layout = |m: &str| SpliceError::Layout(m.into());
    let top_open = text.len() - text.trim_start_matches([' ', '\t', '\n', '\r']).len();
    let (top, top_close) =
        members(text, top_open).ok_or_else(|| layout("cannot locate the settings structure"))?;
    let unit = indent_unit(text, &top);
    let multiline =
        |open: usize, close: usize| text.get(open..=close).is_some_and(|t| t.contains('\n'));
    // A new member `key: value` in the object at `open..=close` whose members are `ms`.
    let add_member =
        |open: usize, close: usize, ms: &[super::splice::Member], key: &str, value: &Value| {
            let ml = multiline(open, close) || ms.is_empty() && open == top_open;
            match ms.last() {
                Some(last) => {
                    let indent = line_indent(text, last.key_start);
                    let v = render(value, &indent, &unit, ml);
                    let sep = if ml {
                        format!(",\n{indent}")
                    } else {
                        ", ".into()
                    };
                    splice_in(
                        text,
                        last.value_end,
                        last.value_end,
                        &format!("{sep}{}: {v}", quoted(key)),
                    )
                }
                None => {
                    let base = line_indent(text, open);
                    let inner = format!("{base}{unit}");
                    let v = render(value, &inner, &unit, true);
                    splice_in(
                        text,
                        open,
                        close + 1,
                        &format!("{{\n{inner}{}: {v}\n{base}}}", quoted(key)),
                    )
                }
            }
        };
    let Some(hooks) = find_unique(&top, "hooks")? else {
        let mut h = Map::new();
        h.insert(event.into(), Value::Array(vec![group.clone()]));
        return Ok(add_member(
            top_open,
            top_close,
            &top,
            "hooks",
            &Value::Object(h),
        ));
    };
    let (hm, h_close) =
        members(text, hooks.value_start).ok_or_else(|| layout("\"hooks\" is not an object"))?;
    let Some(list) = find_unique(&hm, event)? else {
        let value = Value::Array(vec![group.clone()]);
        return Ok(add_member(hooks.value_start, h_close, &hm, event, &value));
    };
    let (items, l_close) = elements(text, list.value_start)
        .ok_or_else(|| layout("an event of \"hooks\" is not a list"))?;
    Ok(match items.last() {
        Some(&(start, end)) => {
            let ml = multiline(list.value_start, l_close);
            let indent = line_indent(text, start);
            let own_lines = text.get(start..end).is_some_and(|t| t.contains('\n'));
            let v = render(group, &indent, &unit, own_lines);
            let sep = if ml {
                format!(",\n{indent}")
            } else {
                ", ".into()
            };
            splice_in(text, end, end, &format!("{sep}{v}"))
        }
        None => {
            let base = line_indent(text, list.key_start);
            let inner = format!("{base}{unit}");
            let v = render(group, &inner, &unit, true);
            splice_in(
                text,
                list.value_start,
                l_close + 1,
                &format!("[\n{inner}{v}\n{base}]"),
            )
        }
    })
}

/// The text with `spans[i]` (one of the members or elements of the container whose
/// brackets are at `open` and `close`, in order) taken out with the separator before it
/// (after it, for the first); the only one leaves the brackets empty.
fn cut(text: &str, spans: &[(usize, usize)], i: usize, (open, close): (usize, usize)) -> String {
    if i > 0 {
        splice_in(text, spans[i - 1].1, spans[i].1, "")
    } else if spans.len() > 1 {
        splice_in(text, spans[0].0, spans[1].0, "")
    } else {
        splice_in(text, open + 1, close, "")
    }
}

fn member_spans(ms: &[super::splice::Member]) -> Vec<(usize, usize)> {
    ms.iter().map(|m| (m.key_start, m.value_end)).collect()
}

/// One removal step: the text with the first handler `is_ours` recognises taken out (or
/// the group, list or `hooks` object it leaves empty); `None` when there is none.
fn remove_one(text: &str, is_ours: &impl Fn(&str) -> bool) -> Result<Option<String>, SpliceError> {
    let layout = |m: &str| SpliceError::Layout(m.into());
    let top_open = text.len() - text.trim_start_matches([' ', '\t', '\n', '\r']).len();
    let (top, top_close) =
        members(text, top_open).ok_or_else(|| layout("cannot locate the settings structure"))?;
    let Some(hi) = top.iter().position(|m| m.key == "hooks") else {
        return Ok(None);
    };
    let hooks = &top[hi];
    let Some((hm, h_close)) = members(text, hooks.value_start) else {
        return Ok(None);
    };
    for (ei, event) in hm.iter().enumerate() {
        let Some((groups, l_close)) = elements(text, event.value_start) else {
            continue;
        };
        for (gi, &(g_start, g_end)) in groups.iter().enumerate() {
            let Ok(g) = serde_json::from_str::<Value>(&text[g_start..g_end]) else {
                continue;
            };
            let handlers: Vec<bool> = g
                .get("hooks")
                .and_then(Value::as_array)
                .map(|hs| {
                    hs.iter()
                        .map(|h| {
                            h.get("command")
                                .and_then(Value::as_str)
                                .is_some_and(is_ours)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let Some(first) = handlers.iter().position(|&o| o) else {
                continue;
            };
            if handlers.iter().all(|&o| o) {
                // The whole group goes; and the list, and `hooks`, when left empty.
                return Ok(Some(if groups.len() > 1 {
                    cut(text, &groups, gi, (event.value_start, l_close))
                } else if hm.len() > 1 {
                    cut(text, &member_spans(&hm), ei, (hooks.value_start, h_close))
                } else {
                    cut(text, &member_spans(&top), hi, (top_open, top_close))
                }));
            }
            // Only the handler goes: find its span inside the group's `hooks` list.
            let (gm, _) =
                members(text, g_start).ok_or_else(|| layout("a hook group is not an object"))?;
            let list = gm
                .iter()
                .find(|m| m.key == "hooks")
                .ok_or_else(|| layout("a hook group has no hooks"))?;
            let (hs, hs_close) = elements(text, list.value_start)
                .ok_or_else(|| layout("a hook group's hooks is not a list"))?;
            return Ok(Some(cut(text, &hs, first, (list.value_start, hs_close))));
        }
    }
    Ok(None)
}

/// The document with the same removals as [`remove_one`] makes in the text.
fn remove_from_doc(doc: &mut Map<String, Value>, is_ours: &impl Fn(&str) -> bool) {
    let ours = |h: &Value| {
        h.get("command")
            .and_then(Value::as_str)
            .is_some_and(is_ours)
    };
    let Some(Value::Object(hooks)) = doc.get_mut("hooks") else {
        return;
    };
    let mut touched = false;
    for groups in hooks.values_mut() {
        let Value::Array(list) = groups else { continue };
        let before = list.len();
        list.retain_mut(|g| {
            let Some(Value::Array(hs)) = g.get_mut("hooks") else {
                return true;
            };
            if !hs.iter().any(ours) {
                return true;
            }
            touched = true;
            hs.retain(|h| !ours(h));
            !hs.is_empty()
        });
        touched |= list.len() != before;
    }
    if touched {
        hooks.retain(|_, v| v.as_array().is_none_or(|l| !l.is_empty()));
        if hooks.is_empty() {
            doc.remove("hooks");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(c: &str) -> bool {
        c == "/bin/permstat hook"
    }

    fn handlers() -> Vec<HookHandler> {
        let h = |event: &str, extra: Value| {
            let mut handler =
                serde_json::json!({"type": "command", "command": "/bin/permstat hook"});
            if let (Value::Object(m), Value::Object(x)) = (&mut handler, extra) {
                m.extend(x);
            }
            HookHandler {
                event: event.into(),
                handler,
            }
        };
        vec![
            h("PermissionRequest", serde_json::json!({"timeout": 5})),
            h("PermissionDenied", serde_json::json!({"async": true})),
        ]
    }

    /// Adds the handlers to `original`, checks the result, removes them again and checks
    /// that the bytes come back; returns the text with the handlers.
    fn round_trip(original: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, original).unwrap();
        let add = plan_add_hooks(&path, &handlers(), ours).unwrap();
        assert_eq!(add.changed, ["PermissionRequest", "PermissionDenied"]);
        let with: Value = serde_json::from_str(&add.plan.new_text).unwrap();
        let groups = &with["hooks"]["PermissionRequest"];
        assert_eq!(
            groups.as_array().unwrap().last().unwrap()["hooks"][0]["command"],
            "/bin/permstat hook"
        );
        super::super::apply(&add.plan).unwrap();
        // Adding again changes nothing.
        let again = plan_add_hooks(&path, &handlers(), ours).unwrap();
        assert!(again.changed.is_empty() && !again.plan.changed());
        let remove = plan_remove_hooks(&path, ours).unwrap();
        assert_eq!(remove.plan.new_text, original, "{}", add.plan.new_text);
        add.plan.new_text
    }

    #[test]
    fn adding_then_removing_gives_back_the_bytes() {
        let with = round_trip("{\n  \"model\": \"opus\"\n}\n");
        assert!(
            with.starts_with("{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"PermissionRequest\": [\n      {\n        \"matcher\": \"*\","),
            "{with}"
        );
        round_trip("{}");
        round_trip("{\"a\": 1}");
        round_trip(
            "{\r\n\t\"hooks\": {\r\n\t\t\"PreToolUse\": [\r\n\t\t\t{ \"matcher\": \"Bash\", \"hooks\": [{ \"type\": \"command\", \"command\": \"check.sh\" }] }\r\n\t\t],\r\n\t\t\"PermissionRequest\": [\r\n\t\t\t{\r\n\t\t\t\t\"matcher\": \"Bash\",\r\n\t\t\t\t\"hooks\": [{\"type\": \"command\", \"command\": \"notify.sh\"}]\r\n\t\t\t}\r\n\t\t]\r\n\t},\r\n\t\"env\": {\"A\": \"b\"}\r\n}\r\n",
        );
    }

    #[test]
    fn a_shared_group_loses_only_the_handler() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let text = r#"{"hooks": {"PermissionRequest": [{"matcher": "*", "hooks": [{"type": "command", "command": "/bin/permstat hook"}, {"type": "command", "command": "log.sh"}]}]}}"#;
        std::fs::write(&path, text).unwrap();
        let p = plan_remove_hooks(&path, ours).unwrap();
        assert_eq!(
            p.plan.new_text,
            r#"{"hooks": {"PermissionRequest": [{"matcher": "*", "hooks": [{"type": "command", "command": "log.sh"}]}]}}"#
        );
        assert_eq!(p.changed, ["PermissionRequest"]);
        std::fs::write(&path, "{\"hooks\": []}").unwrap();
        assert!(plan_add_hooks(&path, &handlers(), ours).is_err());
    }
}
