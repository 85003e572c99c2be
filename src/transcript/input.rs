//! Pulling the fields permissions care about out of a `tool_use.input`.

use super::line::Raw;
use crate::event::ToolInput;
use crate::text::json::{Cursor, unescape};
use crate::text::url::domain_of;
use std::borrow::Cow;

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

/// Extracts the permission-relevant fields of a tool input (its raw JSON text). Malformed
/// input gives an empty `ToolInput` rather than an error: the call still counts.
pub fn extract(raw: Option<Raw<'_>>) -> ToolInput {
    let Some(raw) = raw else {
        return ToolInput::default();
    };
    let mut input = ToolInput::default();
    let (mut file_path, mut notebook_path, mut path) = (None, None, None);
    let mut params: Vec<(String, String)> = Vec::new();
    let mut c = Cursor::new(raw.get());
    let walked = c.object(|c, key| {
        let owned = |v: Option<Cow<'_, str>>| v.map(Cow::into_owned);
        match key {
            "command" => input.command = owned(c.string()?),
            "file_path" => file_path = owned(c.string()?),
            "notebook_path" => notebook_path = owned(c.string()?),
            "path" => path = owned(c.string()?),
            "url" => input.url = owned(c.string()?),
            "subagent_type" => input.subagent_type = owned(c.string()?),
            "skill" => input.skill = owned(c.string()?),
            k if BULKY_PARAMS.contains(&k) => {
                c.value()?;
            }
            k => {
                if let Some(v) = scalar_text(c.value()?) {
                    // Keys come raw: only one with an escape needs decoding.
                    let k = if k.contains('\\') {
                        unescape(&format!("\"{k}\"")).unwrap_or_default()
                    } else {
                        k.to_string()
                    };
                    params.retain(|(old, _)| *old != k);
                    params.push((k, v));
                }
            }
        }
        Ok(())
    });
    if !matches!(walked, Ok(true)) {
        return ToolInput::default();
    }
    input.path = file_path.or(notebook_path).or(path);
    input.domain = input.url.as_deref().and_then(domain_of);
    params.sort();
    input.params = params;
    input
}

/// A JSON scalar as text (strings unquoted), or None for objects, arrays, null and long values.
fn scalar_text(v: &str) -> Option<String> {
    let text = match v.as_bytes().first()? {
        b'"' => serde_json::from_str::<String>(v).ok()?,
        b'{' | b'[' | b'n' => return None,
        _ => v.to_string(),
    };
    (text.len() <= MAX_PARAM_LEN).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> &str {
        s
    }

    #[test]
    fn picks_the_fields_rules_look_at() {
        let i = extract(Some(Raw(raw(
            r#"{"command":"git status","description":"show","timeout":5000,"run_in_background":true}"#,
        ))));
        assert_eq!(i.command.as_deref(), Some("git status"));
        assert_eq!(
            i.params,
            vec![
                ("run_in_background".into(), "true".into()),
                ("timeout".into(), "5000".into())
            ]
        );
        let w = extract(Some(Raw(raw(
            r#"{"file_path":"/a/b.rs","content":"fn main(){}"}"#,
        ))));
        assert_eq!(w.path.as_deref(), Some("/a/b.rs"));
        assert!(w.params.is_empty());
        let a = extract(Some(Raw(raw(
            r#"{"subagent_type":"Explore","model":"opus","prompt":"long"}"#,
        ))));
        assert_eq!(a.param("model"), Some("opus"));
        assert_eq!(a.param("subagent_type"), Some("Explore"));
        assert_eq!(extract(Some(Raw(raw("[1,2]")))), ToolInput::default());
    }
}
