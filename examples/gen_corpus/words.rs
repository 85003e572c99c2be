//! Word banks and text generators: identifiers, code in four languages, prose, thinking
//! text, Markdown summaries and signatures.

use crate::ids::{B64, rand_chars};
use crate::rng::Rng;
use std::fmt::Write as _;

pub(crate) const NOUNS: &[&str] = &[
    "session",
    "config",
    "token",
    "buffer",
    "index",
    "cache",
    "handler",
    "request",
    "response",
    "client",
    "server",
    "state",
    "event",
    "record",
    "entry",
    "path",
    "file",
    "user",
    "manager",
    "builder",
    "reader",
    "writer",
    "stream",
    "queue",
    "worker",
    "task",
    "job",
    "hook",
    "rule",
    "policy",
    "schema",
    "node",
    "graph",
    "table",
    "row",
    "column",
    "query",
    "result",
    "error",
    "status",
    "metric",
    "report",
    "summary",
    "transcript",
    "permission",
    "mode",
    "agent",
    "tool",
    "call",
    "checkpoint",
    "branch",
    "commit",
    "snapshot",
    "parser",
    "lexer",
    "router",
    "payload",
    "header",
    "cursor",
    "window",
    "batch",
    "limit",
    "offset",
    "timeout",
    "retry",
    "backoff",
    "credential",
    "account",
    "project",
    "workspace",
    "module",
    "plugin",
    "registry",
    "manifest",
];
pub(crate) const VERBS: &[&str] = &[
    "parse",
    "load",
    "build",
    "resolve",
    "render",
    "validate",
    "fetch",
    "update",
    "create",
    "delete",
    "merge",
    "flush",
    "collect",
    "normalize",
    "encode",
    "decode",
    "compute",
    "scan",
    "apply",
    "emit",
    "register",
    "dispatch",
    "spawn",
    "read",
    "write",
    "sync",
    "track",
    "filter",
    "sort",
    "group",
    "split",
    "format",
    "check",
    "restore",
    "migrate",
    "reset",
    "init",
    "close",
];
pub(crate) const ADJS: &[&str] = &[
    "stale",
    "missing",
    "duplicate",
    "empty",
    "invalid",
    "pending",
    "cached",
    "nested",
    "partial",
    "unused",
    "async",
    "legacy",
    "default",
    "global",
    "local",
    "raw",
    "shared",
    "optional",
];
const TYPES: &[&str] = &[
    "Config",
    "Session",
    "Entry",
    "Record",
    "State",
    "Event",
    "Request",
    "Response",
    "Client",
    "Handler",
    "Index",
    "Report",
    "Summary",
    "Options",
    "Context",
    "Store",
    "Table",
    "Outcome",
    "Manifest",
    "Snapshot",
    "Checkpoint",
    "Parser",
    "Token",
    "Rule",
    "Policy",
];
pub(crate) const LIBS_RS: &[&str] = &[
    "serde",
    "serde_json",
    "anyhow",
    "thiserror",
    "clap",
    "tokio",
    "regex",
    "rayon",
    "chrono",
    "walkdir",
    "memchr",
    "tracing",
    "indexmap",
    "once_cell",
    "tempfile",
    "proptest",
];
pub(crate) const LIBS_JS: &[&str] = &[
    "react",
    "zod",
    "express",
    "lodash",
    "vitest",
    "jest",
    "typescript",
    "eslint",
    "prettier",
    "axios",
    "dayjs",
    "next",
    "vite",
    "commander",
    "chalk",
    "undici",
];
pub(crate) const LIBS_PY: &[&str] = &[
    "pytest",
    "requests",
    "pydantic",
    "fastapi",
    "numpy",
    "pandas",
    "click",
    "rich",
    "httpx",
    "sqlalchemy",
    "ruff",
    "mypy",
    "attrs",
    "uvicorn",
];
const LIBS_GO: &[&str] = &[
    "github.com/spf13/cobra",
    "github.com/stretchr/testify",
    "github.com/go-git/go-git/v5",
    "golang.org/x/sync",
    "github.com/charmbracelet/lipgloss",
    "gopkg.in/yaml.v3",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Lang {
    Rust,
    Go,
    Ts,
    Py,
}

pub(crate) fn snake(r: &mut Rng) -> String {
    format!("{}_{}", r.pick(VERBS), r.pick(NOUNS))
}
pub(crate) fn camel(r: &mut Rng) -> String {
    let n = r.pick(NOUNS);
    let mut c = n.chars();
    let first = c.next().unwrap().to_ascii_uppercase();
    format!("{}{}{}", r.pick(VERBS), first, c.as_str())
}
pub(crate) fn pascal(r: &mut Rng) -> String {
    let t = r.pick(TYPES);
    if r.chance(0.4) {
        let n = r.pick(NOUNS);
        let mut c = n.chars();
        let first = c.next().unwrap().to_ascii_uppercase();
        format!("{first}{}{t}", c.as_str())
    } else {
        t.to_string()
    }
}
fn ident(r: &mut Rng, lang: Lang) -> String {
    match lang {
        Lang::Rust | Lang::Py => snake(r),
        Lang::Go | Lang::Ts => camel(r),
    }
}

/// One statement-ish line of code for `lang`, without indentation.
pub(crate) fn code_stmt(r: &mut Rng, lang: Lang) -> String {
    let a = ident(r, lang);
    let b = r.pick(NOUNS);
    let c = r.pick(NOUNS);
    let t = pascal(r);
    match lang {
        Lang::Rust => match r.below(12) {
            0 => format!("let {b} = {a}(&{c})?;"),
            1 => format!(
                "let mut {b}s: Vec<{t}> = Vec::with_capacity({});",
                r.range(4, 256)
            ),
            2 => format!("if {b}.is_empty() {{ return Ok(None); }}"),
            3 => format!("{b}s.push({t}::from({c}));"),
            4 => format!("// {}", prose_clause(r)),
            5 => format!("let {b} = self.{c}.get(&key).cloned().unwrap_or_default();"),
            6 => format!("tracing::debug!({b} = ?{c}, \"{} {}\");", r.pick(VERBS), b),
            7 => format!("for {b} in {c}s.iter().filter(|x| x.{}()) {{", a),
            8 => format!(".map_err(|e| Error::{t}(e.to_string()))?;"),
            9 => format!("assert_eq!({b}.len(), {});", r.range(0, 12)),
            10 => format!("return Err(anyhow!(\"{} {b}: {{}}\", {c}));", r.pick(ADJS)),
            _ => format!("self.{b}.insert({c}.id, {c});"),
        },
        Lang::Go => match r.below(12) {
            0 => format!("{b}, err := {a}(ctx, {c})"),
            1 => "if err != nil {".to_string(),
            2 => format!("return nil, fmt.Errorf(\"{} {b}: %w\", err)", r.pick(VERBS)),
            3 => format!("{b}s = append({b}s, {c})"),
            4 => format!("// {}", prose_clause(r)),
            5 => format!("for _, {b} := range {c}s {{"),
            6 => format!(
                "logging.Debug(ctx, \"{} {b}\", slog.String(\"{c}\", {c}.ID))",
                r.pick(VERBS)
            ),
            7 => format!("var {b} {t}"),
            8 => format!("if {b} == nil {{ return nil }}"),
            9 => format!("require.NoError(t, {a}({b}))"),
            10 => format!("defer {b}.Close()"),
            _ => format!("s.{b}[{c}.ID] = {c}"),
        },
        Lang::Ts => match r.below(12) {
            0 => format!("const {b} = await {a}({c});"),
            1 => format!("if (!{b}) return null;"),
            2 => format!("const {b}s: {t}[] = [];"),
            3 => format!("{b}s.push({{ ...{c}, {}: true }});", r.pick(ADJS)),
            4 => format!("// {}", prose_clause(r)),
            5 => format!("for (const {b} of {c}s) {{"),
            6 => format!("throw new Error(`{} {b}: ${{{c}.id}}`);", r.pick(ADJS)),
            7 => format!("export function {a}({b}: {t}): {t} | undefined {{"),
            8 => format!("expect({b}).toEqual({c});"),
            9 => format!("logger.debug('{} {b}', {{ {c} }});", r.pick(VERBS)),
            10 => format!("return {b}.filter((x) => x.{c} !== undefined);"),
            _ => format!("this.{b}.set({c}.id, {c});"),
        },
        Lang::Py => match r.below(12) {
            0 => format!("{b} = {a}({c})"),
            1 => format!("if not {b}:"),
            2 => "    return None".to_string(),
            3 => format!("{b}s.append({t}.from_{c}({c}))"),
            4 => format!("# {}", prose_clause(r)),
            5 => format!("for {b} in {c}s:"),
            6 => format!("raise ValueError(f\"{} {b}: {{{c}!r}}\")", r.pick(ADJS)),
            7 => format!("logger.debug(\"{} %s\", {b})", r.pick(VERBS)),
            8 => format!("assert {b} == {c}"),
            9 => format!("self.{b}[{c}.id] = {c}"),
            10 => format!("return [x for x in {b}s if x.{c} is not None]"),
            _ => format!("{b}: {t} | None = None"),
        },
    }
}

fn code_header(r: &mut Rng, lang: Lang) -> Vec<String> {
    let mut v = Vec::new();
    match lang {
        Lang::Rust => {
            v.push(format!("//! {}", prose_sentence(r)));
            v.push(String::new());
            v.push("use std::collections::HashMap;".into());
            for _ in 0..r.range(1, 4) {
                v.push(format!("use {}::{};", r.pick(LIBS_RS), pascal(r)));
            }
            v.push(format!(
                "use crate::{}::{{{}, {}}};",
                r.pick(NOUNS),
                pascal(r),
                pascal(r)
            ));
        }
        Lang::Go => {
            v.push(format!("package {}", r.pick(NOUNS)));
            v.push(String::new());
            v.push("import (".into());
            v.push("\t\"context\"".into());
            v.push("\t\"fmt\"".into());
            for _ in 0..r.range(1, 3) {
                v.push(format!("\t\"{}\"", r.pick(LIBS_GO)));
            }
            v.push(")".into());
        }
        Lang::Ts => {
            for _ in 0..r.range(2, 5) {
                v.push(format!(
                    "import {{ {} }} from '{}';",
                    camel(r),
                    r.pick(LIBS_JS)
                ));
            }
            v.push(format!(
                "import type {{ {} }} from './{}';",
                pascal(r),
                r.pick(NOUNS)
            ));
        }
        Lang::Py => {
            v.push(format!("\"\"\"{}\"\"\"", prose_sentence(r)));
            v.push("from __future__ import annotations".into());
            v.push(String::new());
            v.push("import logging".into());
            for _ in 0..r.range(1, 3) {
                v.push(format!("from {} import {}", r.pick(LIBS_PY), pascal(r)));
            }
        }
    }
    v.push(String::new());
    v
}

fn code_block_open(r: &mut Rng, lang: Lang) -> (String, String) {
    let name = ident(r, lang);
    let t = pascal(r);
    let arg = r.pick(NOUNS);
    match lang {
        Lang::Rust => match r.below(4) {
            0 => (
                format!("pub fn {name}({arg}: &{t}) -> Result<{}> {{", pascal(r)),
                "}".into(),
            ),
            1 => (format!("impl {t} {{"), "}".into()),
            2 => ("#[test]\nfn ".to_string() + &name + "() {", "}".into()),
            _ => (
                format!("fn {name}(&self, {arg}: {t}) -> Option<{}> {{", pascal(r)),
                "}".into(),
            ),
        },
        Lang::Go => match r.below(3) {
            0 => (
                format!("func {name}(ctx context.Context, {arg} *{t}) error {{"),
                "}".into(),
            ),
            1 => (
                format!(
                    "func (s *{t}) {name}({arg} string) (*{}, error) {{",
                    pascal(r)
                ),
                "}".into(),
            ),
            _ => (format!("func Test{t}(t *testing.T) {{"), "}".into()),
        },
        Lang::Ts => match r.below(3) {
            0 => (
                format!("export async function {name}({arg}: {t}): Promise<void> {{"),
                "}".into(),
            ),
            1 => (format!("export class {t} {{"), "}".into()),
            _ => (format!("describe('{name}', () => {{"), "});".into()),
        },
        Lang::Py => match r.below(3) {
            0 => (
                format!("def {name}({arg}: {t}) -> {} | None:", pascal(r)),
                String::new(),
            ),
            1 => (format!("class {t}:"), String::new()),
            _ => (format!("def test_{name}() -> None:"), String::new()),
        },
    }
}

/// A plausible source file of about `n` lines.
pub(crate) fn code_file(r: &mut Rng, lang: Lang, n: usize) -> String {
    let mut lines = code_header(r, lang);
    let ind = match lang {
        Lang::Go => "\t",
        Lang::Rust | Lang::Ts | Lang::Py => "    ",
    };
    while lines.len() < n {
        if r.chance(0.35) {
            let c = match lang {
                Lang::Py => "#",
                _ => "//",
            };
            lines.push(format!("{c} {}", prose_sentence(r)));
        }
        let (open, close) = code_block_open(r, lang);
        lines.extend(open.lines().map(str::to_string));
        let body = r.range(3, 28) as usize;
        let mut depth = 1usize;
        for _ in 0..body {
            let s = code_stmt(r, lang);
            let opens = s.ends_with('{') || (lang == Lang::Py && s.ends_with(':'));
            lines.push(format!("{}{}", ind.repeat(depth), s));
            if opens && depth < 4 {
                depth += 1;
            } else if depth > 1 && r.chance(0.3) {
                depth -= 1;
                if lang != Lang::Py {
                    lines.push(format!("{}}}", ind.repeat(depth)));
                }
            }
        }
        while depth > 1 {
            depth -= 1;
            if lang != Lang::Py {
                lines.push(format!("{}}}", ind.repeat(depth)));
            }
        }
        if !close.is_empty() {
            lines.push(close);
        }
        lines.push(String::new());
    }
    lines.truncate(n.max(1));
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

const OPENERS: &[&str] = &[
    "Let me",
    "I'll",
    "Now I'll",
    "First, let me",
    "Next, I need to",
    "I should",
    "Let me also",
    "Before changing anything, let me",
    "To be safe, I'll",
];
const GOALS: &[&str] = &[
    "so the tests stop flaking",
    "to avoid the duplicate work",
    "without breaking the public API",
    "so that the error is reported once",
    "to keep the output stable",
    "before the next release",
    "so the CLI exits with the right code",
    "to make the behaviour match the docs",
    "so callers don't have to handle the empty case",
    "to keep memory flat on large inputs",
];
const OBSERVATIONS: &[&str] = &[
    "The failure only happens when the input is empty",
    "The previous change moved this logic into a helper",
    "There are two call sites and only one of them checks the error",
    "The test fixture still uses the old field name",
    "The lock is held across an await point",
    "The cache is never invalidated after a write",
    "The config loader silently falls back to defaults",
    "The order of the entries depends on a hash map",
    "This path is only reached on Windows",
    "The timeout is measured in seconds, not milliseconds",
];

pub(crate) fn prose_clause(r: &mut Rng) -> String {
    match r.below(5) {
        0 => format!(
            "{} the {} before we {} it",
            r.pick(VERBS),
            r.pick(NOUNS),
            r.pick(VERBS)
        ),
        1 => format!(
            "{} {}s are {} here",
            r.pick(ADJS),
            r.pick(NOUNS),
            r.pick(VERBS).to_string() + "ed"
        ),
        2 => format!(
            "keep the {} {} {}",
            r.pick(NOUNS),
            r.pick(NOUNS),
            r.pick(GOALS)
        ),
        3 => format!(
            "TODO: {} the {} {}",
            r.pick(VERBS),
            r.pick(ADJS),
            r.pick(NOUNS)
        ),
        _ => format!("the {} may be {}", r.pick(NOUNS), r.pick(ADJS)),
    }
}

pub(crate) fn prose_sentence(r: &mut Rng) -> String {
    let f = format!("`{}`", snake(r));
    match r.below(9) {
        0 => format!(
            "{} {} the {} in {f} {}.",
            r.pick(OPENERS),
            r.pick(VERBS),
            r.pick(NOUNS),
            r.pick(GOALS)
        ),
        1 => format!("{}.", r.pick(OBSERVATIONS)),
        2 => format!(
            "The {} {} is {} because {f} never {}s it.",
            r.pick(ADJS),
            r.pick(NOUNS),
            r.pick(ADJS),
            r.pick(VERBS)
        ),
        3 => format!(
            "{f} returns early when the {} is {}, so the {} is never {}ed.",
            r.pick(NOUNS),
            r.pick(ADJS),
            r.pick(NOUNS),
            r.pick(VERBS)
        ),
        4 => format!(
            "Looking at {f}, it {}s every {} on each call, which explains the slowdown.",
            r.pick(VERBS),
            r.pick(NOUNS)
        ),
        5 => format!(
            "I need to {} the {} {} {}.",
            r.pick(VERBS),
            r.pick(ADJS),
            r.pick(NOUNS),
            r.pick(GOALS)
        ),
        6 => format!(
            "That means {f} and `{}` disagree about the {}.",
            camel(r),
            r.pick(NOUNS)
        ),
        7 => format!(
            "Once that is fixed, the {} should {} cleanly.",
            r.pick(NOUNS),
            r.pick(VERBS)
        ),
        _ => format!(
            "The simplest option is to {} the {} in one place and reuse it.",
            r.pick(VERBS),
            r.pick(NOUNS)
        ),
    }
}

pub(crate) fn paragraph(r: &mut Rng, target: usize) -> String {
    let mut s = String::with_capacity(target + 120);
    while s.len() < target {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&prose_sentence(r));
    }
    s
}

pub(crate) fn thinking_text(r: &mut Rng, target: usize) -> String {
    let mut s = String::with_capacity(target + 200);
    s.push_str(match r.below(5) {
        0 => "The user wants me to ",
        1 => "Now I need to ",
        2 => "Let me think about how to ",
        3 => "OK, so the next step is to ",
        _ => "I should ",
    });
    let _ = write!(
        s,
        "{} the {} {}. ",
        r.pick(VERBS),
        r.pick(NOUNS),
        r.pick(GOALS)
    );
    while s.len() < target {
        s.push_str(&prose_sentence(r));
        if r.chance(0.15) {
            s.push_str("\n\n");
        } else {
            s.push(' ');
        }
    }
    s.truncate(s.trim_end().len());
    s
}

pub(crate) fn markdown_summary(r: &mut Rng, target: usize, files: &[String]) -> String {
    let mut s = String::with_capacity(target + 300);
    s.push_str(r.word(&[
        "Done. Here's a summary of the changes:",
        "All set. Summary:",
        "The fix is in place.",
        "I've finished the refactor.",
        "Here's what I found:",
    ]));
    s.push_str("\n\n");
    while s.len() < target {
        match r.below(4) {
            0 => {
                let _ = writeln!(
                    s,
                    "## {}\n",
                    capitalize(&format!("{} {}", r.pick(VERBS), r.pick(NOUNS)))
                );
            }
            1 if !files.is_empty() => {
                let f = r.pick(files);
                let _ = writeln!(s, "- **`{}`**: {}", f, prose_sentence(r));
            }
            2 => {
                let _ = writeln!(s, "- {}", prose_sentence(r));
            }
            _ => {
                s.push_str(&paragraph(r, 200));
                s.push_str("\n\n");
            }
        }
    }
    s.truncate(s.trim_end().len());
    s
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub(crate) fn signature(r: &mut Rng, thinking_len: usize) -> String {
    let n = (240 + thinking_len * 13 / 10 + r.below(160) as usize) / 4 * 4;
    let mut s = String::with_capacity(n);
    s.push('E');
    s.push(*r.pick(&['q', 't', 'p', 's', 'v', 'o', 'r']));
    rand_chars(r, B64, 2, &mut s);
    s.push_str("CkYICxgCKkA");
    rand_chars(r, B64, n.saturating_sub(15), &mut s);
    s
}

/// The first `n` bytes of `s`, cut back to a character boundary.
pub(crate) fn cut(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut i = n;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

/// The last `n` bytes of `s`, cut forward to a character boundary.
pub(crate) fn cut_tail(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut i = s.len() - n;
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}
