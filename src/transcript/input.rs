//! Pulling the fields permissions care about out of a `tool_use.input`.

use crate::event::ToolInput;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;

/// Parameters never kept in `ToolInput::params`: file contents and prose, large and never
/// the subject of a parameter rule.
const BULKY_PARAMS: &[&str] = &[
    "content",
    "new_string",
    "old_string",
    "new_source",
    "prompt",
    "plan",
    "edits",
    "todos",
    "questions",
    "description",
];

/// Longest scalar value kept in `params`.
const MAX_PARAM_LEN: usize = 256;

/// Extracts the permission-relevant fields of a tool input. Malformed input gives an empty
/// `ToolInput` rather than an error: the call still counts.
pub fn extract(raw: Option<&RawValue>) -> ToolInput {
    let Some(raw) = raw else {
        return ToolInput::default();
    };
    let map: HashMap<Cow<'_, str>, &RawValue> = match serde_json::from_str(raw.get()) {
        Ok(m) => m,
        Err(_) => return ToolInput::default(),
    };
    let string = |key: &str| -> Option<String> {
        map.get(key)
            .and_then(|v| serde_json::from_str::<Cow<'_, str>>(v.get()).ok())
            .map(Cow::into_owned)
    };
    let mut input = ToolInput {
        command: string("command"),
        path: string("file_path")
            .or_else(|| string("notebook_path"))
            .or_else(|| string("path")),
        url: string("url"),
        subagent_type: string("subagent_type"),
        skill: string("skill"),
        ..ToolInput::default()
    };
    input.domain = input.url.as_deref().and_then(domain_of);
    const NAMED: &[&str] = &[
        "command",
        "file_path",
        "notebook_path",
        "path",
        "url",
        "subagent_type",
        "skill",
    ];
    let mut params: Vec<(String, String)> = map
        .iter()
        .filter(|(k, _)| !NAMED.contains(&k.as_ref()) && !BULKY_PARAMS.contains(&k.as_ref()))
        .filter_map(|(k, v)| scalar_text(v).map(|s| (k.to_string(), s)))
        .collect();
    params.sort();
    input.params = params;
    input
}

/// A JSON scalar as text (strings unquoted), or None for objects, arrays, null and long values.
fn scalar_text(v: &RawValue) -> Option<String> {
    let s = v.get();
    let text = match s.as_bytes().first()? {
        b'"' => serde_json::from_str::<String>(s).ok()?,
        b'{' | b'[' | b'n' => return None,
        _ => s.to_string(),
    };
    (text.len() <= MAX_PARAM_LEN).then_some(text)
}

/// The host of a URL: lower-cased, without scheme, credentials, port or trailing dot.
pub fn domain_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_string()).unwrap()
    }

    #[test]
    fn picks_the_fields_rules_look_at() {
        let i = extract(Some(&raw(
            r#"{"command":"git status","description":"show","timeout":5000,"run_in_background":true}"#,
        )));
        assert_eq!(i.command.as_deref(), Some("git status"));
        assert_eq!(
            i.params,
            vec![
                ("run_in_background".into(), "true".into()),
                ("timeout".into(), "5000".into())
            ]
        );
        let w = extract(Some(&raw(
            r#"{"file_path":"/a/b.rs","content":"fn main(){}"}"#,
        )));
        assert_eq!(w.path.as_deref(), Some("/a/b.rs"));
        assert!(w.params.is_empty());
        let a = extract(Some(&raw(
            r#"{"subagent_type":"Explore","model":"opus","prompt":"long"}"#,
        )));
        assert_eq!(a.param("model"), Some("opus"));
        assert_eq!(a.param("subagent_type"), Some("Explore"));
        assert_eq!(extract(Some(&raw("[1,2]"))), ToolInput::default());
    }

    #[test]
    fn domains() {
        for (url, want) in [
            ("https://Docs.RS/serde/", Some("docs.rs")),
            ("http://user:pw@example.com:8080/x?y", Some("example.com")),
            ("example.org.", Some("example.org")),
            ("https://[::1]:3000/", Some("::1")),
            ("https://", None),
        ] {
            assert_eq!(domain_of(url).as_deref(), want, "{url}");
        }
    }
}
