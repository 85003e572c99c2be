//! The typed shape of the transcript lines permstat reads.
//!
//! Only the fields that matter are declared; everything else (text, thinking, usage, ...)
//! is skipped without being copied. Strings borrow from the line buffer and are copied
//! only when they hold escapes. [`super::lazy`] fills these types on the hot path; the
//! serde derives are the reference it is tested against.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The text of a JSON value, kept undecoded until (and unless) it is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raw<'a>(pub &'a str);

impl<'a> Raw<'a> {
    /// The JSON text.
    pub fn get(&self) -> &'a str {
        self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r: &'de RawValue = Deserialize::deserialize(d)?;
        Ok(Raw(r.get()))
    }
}

/// A borrowed string that may have needed unescaping.
pub type Str<'a> = Cow<'a, str>;

/// One transcript line: the envelope fields plus the parts a tool call needs.
#[derive(Debug, Default, Deserialize)]
pub struct Line<'a> {
    /// `user`, `assistant`, `progress`, `permission-mode`, ...
    #[serde(rename = "type", borrow)]
    pub kind: Option<Str<'a>>,
    /// Id of this line.
    #[serde(borrow)]
    pub uuid: Option<Str<'a>>,
    /// Session id (the parent session's in subagent files).
    #[serde(rename = "sessionId", borrow)]
    pub session_id: Option<Str<'a>>,
    /// Working folder when the line was written.
    #[serde(borrow)]
    pub cwd: Option<Str<'a>>,
    /// Claude Code version.
    #[serde(borrow)]
    pub version: Option<Str<'a>>,
    /// How Claude Code was started (`cli`, `sdk-cli`, ...).
    #[serde(borrow)]
    pub entrypoint: Option<Str<'a>>,
    /// The branch checked out in the working folder.
    #[serde(rename = "gitBranch", borrow)]
    pub git_branch: Option<Str<'a>>,
    /// ISO-8601 time.
    #[serde(borrow)]
    pub timestamp: Option<Str<'a>>,
    /// Set on subagent lines.
    #[serde(rename = "agentId", borrow)]
    pub agent_id: Option<Str<'a>>,
    /// On user prompt lines and `permission-mode` lines.
    #[serde(rename = "permissionMode", borrow)]
    pub permission_mode: Option<Str<'a>>,
    /// On denied tool results in newer builds.
    #[serde(rename = "toolDenialKind", borrow)]
    pub tool_denial_kind: Option<Str<'a>>,
    /// The structured result (object) or error text (string) of a tool result line.
    #[serde(rename = "toolUseResult", borrow)]
    pub tool_use_result: Option<Raw<'a>>,
    /// The message of user and assistant lines.
    #[serde(borrow)]
    pub message: Option<Message<'a>>,
    /// The payload of `progress` lines.
    #[serde(borrow)]
    pub data: Option<ProgressData<'a>>,
    /// The payload of `attachment` lines (newer builds).
    #[serde(borrow)]
    pub attachment: Option<Attachment<'a>>,
}

/// `attachment` of an attachment line. Only the fields of a `hook_permission_decision`
/// (a hook answered a permission request) are read; see `docs/sources.md`.
#[derive(Debug, Default, Deserialize)]
pub struct Attachment<'a> {
    /// `hook_permission_decision`, `environment`, `skill_listing`, ...
    #[serde(rename = "type", borrow)]
    pub kind: Option<Str<'a>>,
    /// The hook's decision (`allow`, `deny`, ...).
    #[serde(borrow)]
    pub decision: Option<Str<'a>>,
    /// The `tool_use` id of the call decided.
    #[serde(rename = "toolUseID", borrow)]
    pub tool_use_id: Option<Str<'a>>,
    /// The hook event that decided (`PermissionRequest`).
    #[serde(rename = "hookEvent", borrow)]
    pub hook_event: Option<Str<'a>>,
}

/// `message` of a user or assistant line.
#[derive(Debug, Default, Deserialize)]
pub struct Message<'a> {
    /// The API message id (assistant lines): the blocks of one response share it.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// A typed prompt (string) or content blocks, read in the same pass as the line.
    #[serde(borrow, default)]
    pub content: Content<'a>,
}

impl<'a> Message<'a> {
    /// The content blocks (none for a plain-string prompt).
    pub fn blocks(&self) -> &[Block<'a>] {
        match &self.content {
            Content::Blocks(b) => b,
            _ => &[],
        }
    }

    /// True when the content is a plain string: a typed prompt rather than tool results.
    pub fn is_text_prompt(&self) -> bool {
        matches!(self.content, Content::Text)
    }
}

/// `message.content`: a string or an array of blocks. Parsed in one pass by a visitor, so
/// large tool output is scanned once (an untagged enum would buffer it first).
#[derive(Debug, Default)]
pub enum Content<'a> {
    /// Absent, null, or of another type.
    #[default]
    None,
    /// A plain string (its text is not kept).
    Text,
    /// Content blocks.
    Blocks(Vec<Block<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Content<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Content<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or an array of content blocks")
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Content::Text)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Content::None)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut blocks = Vec::new();
                while let Some(b) = seq.next_element::<Block<'a>>()? {
                    blocks.push(b);
                }
                Ok(Content::Blocks(blocks))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Content::None)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Content::None)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Content::None)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Content::None)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Content::None)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// One content block: `tool_use`, `tool_result`, `text`, ... (other kinds keep only `type`).
#[derive(Debug, Default, Deserialize)]
pub struct Block<'a> {
    /// Block kind.
    #[serde(rename = "type", borrow)]
    pub kind: Option<Str<'a>>,
    /// `tool_use.id`.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// `tool_use.name`.
    #[serde(borrow)]
    pub name: Option<Str<'a>>,
    /// `tool_use.input`, parsed on demand.
    #[serde(borrow)]
    pub input: Option<Raw<'a>>,
    /// `tool_result.tool_use_id`.
    #[serde(borrow)]
    pub tool_use_id: Option<Str<'a>>,
    /// `tool_result.content`: a string or blocks.
    #[serde(borrow)]
    pub content: Option<Raw<'a>>,
    /// `tool_result.is_error` (absent means false).
    pub is_error: Option<bool>,
}

/// A `text` block inside a `tool_result.content` array.
#[derive(Debug, Deserialize)]
struct TextBlock<'a> {
    #[serde(borrow)]
    text: Option<Str<'a>>,
}

/// `data` of a `progress` line.
#[derive(Debug, Default, Deserialize)]
pub struct ProgressData<'a> {
    /// `agent_progress`, `bash_progress`, `hook_progress`, ...
    #[serde(rename = "type", borrow)]
    pub kind: Option<Str<'a>>,
    /// The subagent's id (agent_progress).
    #[serde(rename = "agentId", borrow)]
    pub agent_id: Option<Str<'a>>,
    /// The subagent's message, copied whole.
    #[serde(borrow)]
    pub message: Option<NestedLine<'a>>,
}

/// A subagent line copied into an `agent_progress` line.
#[derive(Debug, Default, Deserialize)]
pub struct NestedLine<'a> {
    /// `user` or `assistant`.
    #[serde(rename = "type", borrow)]
    pub kind: Option<Str<'a>>,
    /// When the subagent wrote it.
    #[serde(borrow)]
    pub timestamp: Option<Str<'a>>,
    /// Its message.
    #[serde(borrow)]
    pub message: Option<Message<'a>>,
    /// Its `toolUseResult`, when copied.
    #[serde(rename = "toolUseResult", borrow)]
    pub tool_use_result: Option<Raw<'a>>,
    /// Its `toolDenialKind`, when copied.
    #[serde(rename = "toolDenialKind", borrow)]
    pub tool_denial_kind: Option<Str<'a>>,
}

/// The text of a `tool_result.content`: the string itself, or the `text` blocks joined
/// with newlines. Capped at `max` bytes (on a char boundary): only prefixes, reasons and
/// feedback are read from it.
pub fn result_text(content: Option<Raw<'_>>, max: usize) -> String {
    let Some(raw) = content else {
        return String::new();
    };
    let s = raw.get();
    let mut out = if s.starts_with('"') {
        serde_json::from_str::<Str<'_>>(s)
            .map(Cow::into_owned)
            .unwrap_or_default()
    } else if s.starts_with('[') {
        let blocks: Vec<TextBlock<'_>> = serde_json::from_str(s).unwrap_or_default();
        let mut joined = String::new();
        for b in blocks.iter().filter_map(|b| b.text.as_deref()) {
            if !joined.is_empty() {
                joined.push('\n');
            }
            joined.push_str(b);
            if joined.len() >= max {
                break;
            }
        }
        joined
    } else {
        String::new()
    };
    if out.len() > max {
        let mut cut = max;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}
