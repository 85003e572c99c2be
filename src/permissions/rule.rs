//! The permission-rule grammar: `Tool`, `Tool(specifier)`, `Tool(param:value)`, tool-name
//! globs and MCP server rules.
//!
//! Parsing only splits a rule into the tool it names and what it says about the input; what
//! a specifier means (command pattern, path pattern, domain, subagent type, skill) depends on
//! the tool family and is interpreted by the engine. Parsing never panics: malformed text is
//! a [`ParseError`].

use super::glob;
use crate::facts::tools::{self, Family};
use std::fmt;

/// How a rule names the tool(s) it applies to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum ToolPattern {
    /// One tool by name (`Bash`, `mcp__github__get_issue`). Legacy names are kept as written;
    /// matching maps them (`Task` ≡ `Agent`).
    Name(String),
    /// Every tool of one MCP server: `mcp__srv` or `mcp__srv__*`.
    McpServer(String),
    /// A glob over the whole tool name (`*`, `mcp__*`, `mcp__github__get_*`).
    Glob(String),
}

impl ToolPattern {
    /// Does this pattern name the tool `call_tool` (as recorded in a transcript)?
    pub fn matches(&self, call_tool: &str) -> bool {
        let canon = tools::canonical_tool(call_tool);
        match self {
            ToolPattern::Name(n) => tools::canonical_tool(n) == canon,
            ToolPattern::McpServer(s) => call_tool
                .strip_prefix("mcp__")
                .and_then(|rest| rest.strip_prefix(s.as_str()))
                .is_some_and(|rest| rest.starts_with("__")),
            ToolPattern::Glob(g) => glob::simple_glob(g, call_tool) || glob::simple_glob(g, canon),
        }
    }

    /// The tool name for a [`ToolPattern::Name`] rule, mapped to its current name.
    pub fn name(&self) -> Option<&str> {
        match self {
            ToolPattern::Name(n) => Some(tools::canonical_tool(n)),
            _ => None,
        }
    }
}

/// What a rule says about the tool's input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Specifier {
    /// No specifier (`Bash`, `Bash()`, `Bash(*)`): every use of the tool.
    Any,
    /// The tool's own specifier, parentheses unescaped (`git log *`, `/src/**`,
    /// `domain:example.com`, `Explore`).
    Content(String),
    /// `param:value`: a top-level scalar input parameter; `*` in the value is a wildcard.
    Param {
        /// Parameter name.
        name: String,
        /// Value pattern, whitespace around it trimmed.
        value: String,
    },
}

/// One parsed permission rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    /// The tool(s) the rule names.
    pub tool: ToolPattern,
    /// What it says about the input.
    pub spec: Specifier,
}

/// Why a rule string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum ParseError {
    /// The rule is empty or only whitespace.
    Empty,
    /// Nothing before `(`.
    EmptyToolName,
    /// `(` without a closing `)`, a `)` without `(`, or unbalanced parentheses inside.
    UnbalancedParens,
    /// Text after the closing `)`.
    TrailingText,
    /// The tool name holds a character tool names never have (space, quote, ...).
    BadToolName(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty => f.write_str("empty rule"),
            ParseError::EmptyToolName => f.write_str("no tool name before '('"),
            ParseError::UnbalancedParens => f.write_str("unbalanced parentheses"),
            ParseError::TrailingText => f.write_str("text after the closing ')'"),
            ParseError::BadToolName(n) => write!(f, "'{n}' is not a tool name"),
        }
    }
}

impl std::error::Error for ParseError {}

impl Rule {
    /// Parses one rule string.
    ///
    /// `Tool()` and `Tool(*)` are the bare tool. `\(` and `\)` in the specifier are literal
    /// parentheses. `name:value` is a parameter rule when `name` is an identifier and, for a
    /// built-in tool whose parameters are known ([`tools::TOOL_PARAMS`]), one of them; so
    /// `Bash(ls:*)` stays the legacy prefix form and `WebFetch(domain:x)` the domain form.
    ///
    /// Claude Code itself turns a malformed string into a tool name that matches nothing; an
    /// error here has the same effect (the rule is skipped) but can be reported.
    pub fn parse(text: &str) -> Result<Rule, ParseError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ParseError::Empty);
        }
        let open = find_unescaped(text, b'(');
        let (name, content) = match open {
            None => {
                if find_unescaped(text, b')').is_some() {
                    return Err(ParseError::UnbalancedParens);
                }
                (text, None)
            }
            Some(open) => {
                let name = text.get(..open).unwrap_or("").trim_end();
                let inner_and_rest = text.get(open + 1..).unwrap_or("");
                let close = matching_close(inner_and_rest).ok_or(ParseError::UnbalancedParens)?;
                if close + 1 != inner_and_rest.len() {
                    return Err(ParseError::TrailingText);
                }
                (name, Some(inner_and_rest.get(..close).unwrap_or("")))
            }
        };
        if name.is_empty() {
            return Err(ParseError::EmptyToolName);
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '*' | '.'))
        {
            return Err(ParseError::BadToolName(name.to_string()));
        }
        let tool = tool_pattern(name);
        let spec = match content.map(unescape) {
            None => Specifier::Any,
            Some(c) if c.trim().is_empty() || c.trim() == "*" => Specifier::Any,
            Some(c) => match param_form(&c) {
                Some((pname, value)) if is_param_rule(&tool, pname) => Specifier::Param {
                    name: pname.to_string(),
                    value: value.to_string(),
                },
                _ => Specifier::Content(c),
            },
        };
        Ok(Rule { tool, spec })
    }

    /// The family of the tool a `Name` rule names (`None` for globs and server rules).
    pub fn family(&self) -> Option<Family> {
        match &self.tool {
            ToolPattern::Name(n) => Some(tools::family(n)),
            ToolPattern::McpServer(_) => Some(Family::Mcp),
            ToolPattern::Glob(_) => None,
        }
    }
}

fn tool_pattern(name: &str) -> ToolPattern {
    if let Some(rest) = name.strip_prefix("mcp__") {
        match rest.find("__") {
            None if !rest.contains('*') && !rest.is_empty() => {
                return ToolPattern::McpServer(rest.to_string());
            }
            Some(i) => {
                let (server, tool) = (rest.get(..i).unwrap_or(""), rest.get(i + 2..).unwrap_or(""));
                if tool == "*" && !server.contains('*') && !server.is_empty() {
                    return ToolPattern::McpServer(server.to_string());
                }
            }
            None => {}
        }
    }
    if name.contains('*') {
        ToolPattern::Glob(name.to_string())
    } else {
        ToolPattern::Name(name.to_string())
    }
}

fn is_param_rule(tool: &ToolPattern, pname: &str) -> bool {
    match tool {
        ToolPattern::Name(n) => match tools::family(n) {
            // The WebFetch specifier itself is `domain:host`.
            Family::WebFetch if pname == "domain" => false,
            _ => tools::has_param(n, pname).unwrap_or(true),
        },
        ToolPattern::McpServer(_) | ToolPattern::Glob(_) => true,
    }
}

/// `ident : value` with whitespace around the colon ignored.
fn param_form(content: &str) -> Option<(&str, &str)> {
    let (name, value) = content.split_once(':')?;
    let name = name.trim();
    let mut chars = name.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    Some((name, value.trim()))
}

fn is_escaped(bytes: &[u8], i: usize) -> bool {
    let mut n = 0;
    let mut j = i;
    while j > 0 && bytes.get(j - 1) == Some(&b'\\') {
        n += 1;
        j -= 1;
    }
    n % 2 == 1
}

fn find_unescaped(s: &str, c: u8) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b.get(i) == Some(&c) && !is_escaped(b, i))
}

/// Index (in `s`, the text after the opening paren) of the `)` that closes it: unescaped
/// parentheses inside must balance.
fn matching_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    for i in 0..b.len() {
        match b.get(i) {
            Some(b'(') if !is_escaped(b, i) => depth += 1,
            Some(b')') if !is_escaped(b, i) => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("\\(", "(").replace("\\)", ")")
}

/// Glob-matches a value with `*` as the only wildcard (parameter rules).
pub fn value_matches(pattern: &str, value: &str) -> bool {
    glob::simple_glob(pattern, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> ToolPattern {
        ToolPattern::Name(n.to_string())
    }
    fn content(c: &str) -> Specifier {
        Specifier::Content(c.to_string())
    }
    fn param(n: &str, v: &str) -> Specifier {
        Specifier::Param {
            name: n.to_string(),
            value: v.to_string(),
        }
    }

    #[test]
    fn parse_table() {
        let ok: &[(&str, ToolPattern, Specifier)] = &[
            ("Bash", name("Bash"), Specifier::Any),
            ("Bash(*)", name("Bash"), Specifier::Any),
            ("Bash()", name("Bash"), Specifier::Any),
            ("Bash(git status)", name("Bash"), content("git status")),
            ("Bash(ls:*)", name("Bash"), content("ls:*")),
            (
                "Bash(npm run test:*)",
                name("Bash"),
                content("npm run test:*"),
            ),
            ("Bash(git:* push)", name("Bash"), content("git:* push")),
            ("Bash(echo \\(x\\))", name("Bash"), content("echo (x)")),
            ("Bash(echo (x))", name("Bash"), content("echo (x)")),
            (
                "Bash(run_in_background:true)",
                name("Bash"),
                param("run_in_background", "true"),
            ),
            ("Bash(command:rm *)", name("Bash"), param("command", "rm *")),
            ("Agent(model:opus)", name("Agent"), param("model", "opus")),
            (
                "Agent( model : opus )",
                name("Agent"),
                param("model", "opus"),
            ),
            (
                "Agent(isolation:worktree)",
                name("Agent"),
                param("isolation", "worktree"),
            ),
            ("Agent(Explore)", name("Agent"), content("Explore")),
            ("Task(Explore)", name("Task"), content("Explore")),
            (
                "WebFetch(domain:example.com)",
                name("WebFetch"),
                content("domain:example.com"),
            ),
            (
                "WebFetch(url:https://x)",
                name("WebFetch"),
                param("url", "https://x"),
            ),
            ("Read(~/secrets/**)", name("Read"), content("~/secrets/**")),
            ("Edit(/src/**)", name("Edit"), content("/src/**")),
            ("Skill(deploy *)", name("Skill"), content("deploy *")),
            (
                "mcp__github",
                ToolPattern::McpServer("github".into()),
                Specifier::Any,
            ),
            (
                "mcp__github__*",
                ToolPattern::McpServer("github".into()),
                Specifier::Any,
            ),
            (
                "mcp__github__get_issue",
                name("mcp__github__get_issue"),
                Specifier::Any,
            ),
            (
                "mcp__github__get_*",
                ToolPattern::Glob("mcp__github__get_*".into()),
                Specifier::Any,
            ),
            ("mcp__*", ToolPattern::Glob("mcp__*".into()), Specifier::Any),
            ("*", ToolPattern::Glob("*".into()), Specifier::Any),
            (
                "mcp__db__query(sql:DROP*)",
                name("mcp__db__query"),
                param("sql", "DROP*"),
            ),
            ("  Bash(ls *)  ", name("Bash"), content("ls *")),
        ];
        for (text, tool, spec) in ok {
            let r = Rule::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((&r.tool, &r.spec), (tool, spec), "{text}");
        }
        let bad: &[(&str, ParseError)] = &[
            ("", ParseError::Empty),
            ("   ", ParseError::Empty),
            ("(ls)", ParseError::EmptyToolName),
            ("Bash(ls", ParseError::UnbalancedParens),
            ("Bash)", ParseError::UnbalancedParens),
            ("Bash(ls))", ParseError::TrailingText),
            ("Bash(ls) x", ParseError::TrailingText),
            ("Bash((ls)", ParseError::UnbalancedParens),
            ("Ba sh", ParseError::BadToolName("Ba sh".into())),
        ];
        for (text, err) in bad {
            assert_eq!(Rule::parse(text).as_ref().err(), Some(err), "{text}");
        }
    }

    #[test]
    fn tool_patterns() {
        let cases: &[(&str, &str, bool)] = &[
            ("Agent", "Task", true),
            ("Task", "Agent", true),
            ("mcp__github", "mcp__github__get_issue", true),
            ("mcp__github", "mcp__github2__get_issue", false),
            ("mcp__github__*", "mcp__github__x", true),
            ("mcp__github__get_*", "mcp__github__get_issue", true),
            ("mcp__github__get_*", "mcp__github__list_issues", false),
            ("mcp__*", "mcp__x__y", true),
            ("mcp__*", "Bash", false),
            ("B*", "Bash", true),
            ("*", "Anything", true),
            ("Bash", "bash", false),
        ];
        for (rule, tool, want) in cases {
            let r = Rule::parse(rule).unwrap_or_else(|e| panic!("{rule}: {e}"));
            assert_eq!(r.tool.matches(tool), *want, "{rule} vs {tool}");
        }
    }
}
