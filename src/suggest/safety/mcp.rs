//! Reading an MCP tool's name: does it look read-only?

/// Words that make an MCP tool name look read-only.
pub const MCP_READ_WORDS: &[&str] = &[
    "get", "list", "search", "read", "view", "find", "describe", "show", "status",
];

/// Words that make an MCP tool name look like it changes something (these win). `fetch`
/// and `query` are here: a fetch can post and a query can be any SQL.
pub const MCP_WRITE_WORDS: &[&str] = &[
    "create", "update", "delete", "remove", "write", "set", "put", "post", "send", "add", "edit",
    "modify", "insert", "upsert", "merge", "push", "run", "exec", "execute", "apply", "deploy",
    "cancel", "close", "kill", "start", "stop", "move", "rename", "upload", "publish", "approve",
    "comment", "assign", "fork", "trigger", "invoke", "call", "fetch", "query", "save", "submit",
    "reply", "archive", "install", "drop", "reset", "clear", "revoke", "grant", "transfer", "pay",
    "book", "order", "navigate", "click", "type", "fill", "press", "evaluate", "eval", "do",
    "make", "generate",
];

/// The words of an MCP tool's own name (`mcp__srv__getIssue` → `get`, `issue`), lower case.
pub fn mcp_tool_words(tool: &str) -> Vec<String> {
    let own = tool
        .strip_prefix("mcp__")
        .and_then(|rest| rest.split_once("__").map(|(_, t)| t))
        .unwrap_or(tool);
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in own.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// `Ok` when an MCP tool name looks read-only, else why not.
pub fn mcp_read_only(tool: &str) -> Result<(), String> {
    let words = mcp_tool_words(tool);
    if let Some(w) = words.iter().find(|w| MCP_WRITE_WORDS.contains(&w.as_str())) {
        return Err(format!("the name holds '{w}', which may change something"));
    }
    if words.iter().any(|w| MCP_READ_WORDS.contains(&w.as_str())) {
        Ok(())
    } else {
        Err("the name holds no read-only word (get, list, search, read, view, ...)".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcp_names() {
        #[rustfmt::skip]
        let cases: &[(&str, bool)] = &[
            ("mcp__github__get_issue", true),
            ("mcp__github__list_pull_requests", true),
            ("mcp__github__searchCode", true),
            ("mcp__github__create_issue", false),
            ("mcp__db__query", false),
            ("mcp__web__fetch", false),
            ("mcp__x__get_or_create_user", false),
            ("mcp__x__forget_memory", false),
            ("mcp__linear__getIssue", true),
            ("mcp__x__describe_table", true),
        ];
        for (tool, want) in cases {
            assert_eq!(mcp_read_only(tool).is_ok(), *want, "{tool}");
        }
    }
}
