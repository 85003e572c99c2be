//! Reading one transcript line: the fields permstat keeps, picked out of the JSON text with
//! the skimming reader of [`crate::text::json`] (only those fields are decoded; the prose,
//! thinking and tool output around them are skipped).
//!
//! A line whose structure is broken (see [`crate::text::json`]) is malformed; fields of an
//! unexpected type are treated as absent.

use super::line::{Attachment, Block, Content, Line, Message, NestedLine, ProgressData, Raw};
use crate::text::json::{Cursor, Error, Result};

/// Reads the fields permstat keeps from one transcript line.
pub fn parse_line(text: &str) -> Result<Line<'_>> {
    let mut c = Cursor::new(text);
    let mut line = Line::default();
    let is_object = c.object(|c, key| {
        match key {
            "type" => line.kind = c.string()?,
            "uuid" => line.uuid = c.string()?,
            "sessionId" => line.session_id = c.string()?,
            "cwd" => line.cwd = c.string()?,
            "version" => line.version = c.string()?,
            "entrypoint" => line.entrypoint = c.string()?,
            "gitBranch" => line.git_branch = c.string()?,
            "timestamp" => line.timestamp = c.string()?,
            "agentId" => line.agent_id = c.string()?,
            "permissionMode" => line.permission_mode = c.string()?,
            "toolDenialKind" => line.tool_denial_kind = c.string()?,
            "toolUseResult" => line.tool_use_result = raw(c)?,
            "message" => line.message = message(c)?,
            "data" => line.data = progress(c)?,
            "attachment" => line.attachment = attachment(c)?,
            _ => {
                c.value()?;
            }
        }
        Ok(())
    })?;
    if !is_object {
        return Err(Error {
            what: "not a JSON object",
            at: 0,
            eof: false,
        });
    }
    c.end()?;
    Ok(line)
}

fn raw<'a>(c: &mut Cursor<'a>) -> Result<Option<Raw<'a>>> {
    let v = c.value()?;
    Ok((v != "null").then_some(Raw(v)))
}

fn message<'a>(c: &mut Cursor<'a>) -> Result<Option<Message<'a>>> {
    let mut m = Message::default();
    let found = c.object(|c, key| {
        match key {
            "id" => m.id = c.string()?,
            "content" => m.content = content(c)?,
            _ => {
                c.value()?;
            }
        }
        Ok(())
    })?;
    Ok(found.then_some(m))
}

fn content<'a>(c: &mut Cursor<'a>) -> Result<Content<'a>> {
    match c.peek() {
        Some(b'"') => {
            c.value()?;
            Ok(Content::Text)
        }
        Some(b'[') => {
            let mut blocks = Vec::new();
            c.array(|c| {
                let mut b = Block::default();
                if c.object(|c, key| block_field(c, key, &mut b))? {
                    blocks.push(b);
                }
                Ok(())
            })?;
            Ok(Content::Blocks(blocks))
        }
        _ => {
            c.value()?;
            Ok(Content::None)
        }
    }
}

fn block_field<'a>(c: &mut Cursor<'a>, key: &str, b: &mut Block<'a>) -> Result<()> {
    match key {
        "type" => b.kind = c.string()?,
        "id" => b.id = c.string()?,
        "name" => b.name = c.string()?,
        "tool_use_id" => b.tool_use_id = c.string()?,
        "input" => b.input = raw(c)?,
        "content" => b.content = raw(c)?,
        "is_error" => b.is_error = c.boolean()?,
        _ => {
            c.value()?;
        }
    }
    Ok(())
}

fn progress<'a>(c: &mut Cursor<'a>) -> Result<Option<ProgressData<'a>>> {
    let mut d = ProgressData::default();
    let found = c.object(|c, key| {
        match key {
            "type" => d.kind = c.string()?,
            "agentId" => d.agent_id = c.string()?,
            "message" => d.message = nested(c)?,
            _ => {
                c.value()?;
            }
        }
        Ok(())
    })?;
    Ok(found.then_some(d))
}

fn attachment<'a>(c: &mut Cursor<'a>) -> Result<Option<Attachment<'a>>> {
    let mut a = Attachment::default();
    let found = c.object(|c, key| {
        match key {
            "type" => a.kind = c.string()?,
            "decision" => a.decision = c.string()?,
            "toolUseID" => a.tool_use_id = c.string()?,
            "hookEvent" => a.hook_event = c.string()?,
            _ => {
                c.value()?;
            }
        }
        Ok(())
    })?;
    Ok(found.then_some(a))
}

fn nested<'a>(c: &mut Cursor<'a>) -> Result<Option<NestedLine<'a>>> {
    let mut n = NestedLine::default();
    let found = c.object(|c, key| {
        match key {
            "type" => n.kind = c.string()?,
            "timestamp" => n.timestamp = c.string()?,
            "message" => n.message = message(c)?,
            "toolUseResult" => n.tool_use_result = raw(c)?,
            "toolDenialKind" => n.tool_denial_kind = c.string()?,
            _ => {
                c.value()?;
            }
        }
        Ok(())
    })?;
    Ok(found.then_some(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_lines_are_errors() {
        for bad in [
            r#"{"a" 1}"#,
            r#"{"a":1 "b":2}"#,
            r#"{"a":1} x"#,
            r#"[1]"#,
            r#"{"type":"user","message":{"content":[1 2]}}"#,
            r#"{"type":"assistant","message":{"content":[{"type":"tool_use""#,
        ] {
            assert!(parse_line(bad).is_err(), "{bad}");
        }
        let cut = parse_line(r#"{"type":"assistant","message":{"content":[{"type":"tool_use""#)
            .unwrap_err();
        assert!(cut.eof, "{cut:?}");
    }

    /// The skimming reader and serde agree on every line of the bundled real transcripts
    /// and of the hand-written outcome fixtures.
    #[test]
    fn agrees_with_serde_on_real_lines() {
        let mut files = Vec::new();
        for dir in ["data/real", "tests/fixtures/outcomes"] {
            for e in walk(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)) {
                files.push(e);
            }
        }
        assert!(files.len() >= 10);
        let mut lines = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for l in text.lines().filter(|l| !l.trim().is_empty()) {
                let want: Line<'_> = serde_json::from_str(l).unwrap();
                let got = parse_line(l).unwrap();
                assert_eq!(
                    format!("{got:?}"),
                    format!("{want:?}"),
                    "{}: {l}",
                    f.display()
                );
                lines += 1;
            }
        }
        assert!(lines > 1000, "{lines}");
    }

    fn walk(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(p));
            } else if p.extension().is_some_and(|x| x == "jsonl") {
                out.push(p);
            }
        }
        out
    }
}
