//! Sessions: the kinds and eras of session generated, the calls and results they are made
//! of, and the state of one session being written ([`Sess`]).
//!
//! The work of [`Sess`] is split by job: `lines.rs` writes the lines of a transcript,
//! `calls.rs` makes tool calls, `results.rs` decides and writes their results, `respond.rs`
//! writes assistant responses, subagents and auto-mode decisions, `rounds.rs` runs a turn's
//! rounds of calls, and `run.rs` runs a whole session from its prompts.

use crate::bash_commands::BashRun;
use crate::ids::Ids;
use crate::json::{J, write_j};
use crate::outcomes::{Gt, Res};
use crate::projects::Project;
use crate::rng::Rng;
use std::collections::HashMap;

mod calls;
mod lines;
mod respond;
mod results;
mod rounds;
mod run;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Era {
    A,
    B,
    C,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Plain,
    AcceptEdits,
    PlanFlow,
    Bypass,
    DontAsk,
    AutoBurst,
    AutoSpread,
    Headless,
    Subagents,
    RulesHooks,
    McpHeavy,
}

pub(crate) const DECK: &[Kind] = &[
    Kind::Plain,
    Kind::Plain,
    Kind::Plain,
    Kind::AcceptEdits,
    Kind::PlanFlow,
    Kind::Bypass,
    Kind::DontAsk,
    Kind::AutoBurst,
    Kind::AutoSpread,
    Kind::Headless,
    Kind::Subagents,
    Kind::Subagents,
    Kind::RulesHooks,
    Kind::McpHeavy,
];

const VERS_A: &[&str] = &[
    "2.0.55", "2.0.61", "2.0.64", "2.0.69", "2.0.72", "2.0.76", "2.1.1", "2.1.4", "2.1.7", "2.1.9",
    "2.1.12", "2.1.14",
];
const VERS_B: &[&str] = &[
    "2.1.15", "2.1.17", "2.1.19", "2.1.20", "2.1.23", "2.1.27", "2.1.29", "2.1.31", "2.1.34",
    "2.1.38", "2.1.39", "2.1.42", "2.1.45", "2.1.50", "2.1.56", "2.1.63", "2.1.69", "2.1.72",
    "2.1.77", "2.1.81", "2.1.85",
];
const VERS_C: &[&str] = &[
    "2.1.101", "2.1.112", "2.1.123", "2.1.138", "2.1.142", "2.1.156", "2.1.165", "2.1.178",
    "2.1.197", "2.1.214", "2.1.220", "2.1.234", "2.1.251", "2.1.266", "2.1.280", "2.1.290",
];

fn parse_ver(v: &str) -> (u32, u32, u32) {
    let mut it = v.split('.').map(|x| x.parse::<u32>().unwrap_or(0));
    (
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
    )
}

#[derive(Clone, Debug)]
enum Ev {
    RejectSynth,
    RejectErr,
    RejectFb,
    EscBypass,
    EscMulti,
    Rule,
    DontAsk,
    Headless,
    Hook,
    AutoBurst,
    AutoBlock,
    AutoUnavail,
    SafetyCancel,
    McpDeny,
    McpServerDeny,
    Subagent { rejects: u8 },
    BgAgent,
    PlanExit,
    Decoy,
}

struct BashSpec {
    run: BashRun,
}

enum Spec {
    Bash(BashSpec),
    Read {
        path: String,
        rel: Option<String>,
        offset: usize,
        limit: usize,
    },
    Edit {
        path: String,
        rel: String,
        old: String,
        new: String,
    },
    Write {
        path: String,
        rel: String,
        content: String,
    },
    Grep {
        content_mode: bool,
        path: Option<String>,
    },
    Glob,
    Todo,
    WebFetch {
        url: String,
    },
    WebSearch {
        query: String,
    },
    Task {
        desc: String,
        prompt: String,
        agent_type: String,
        bg: bool,
    },
    Skill {
        name: String,
    },
    Ask,
    ExitPlan {
        plan: String,
    },
    Mcp {
        server: &'static str,
        tool: &'static str,
    },
    /// The Bash decoy: output that starts with a denial sentence, not an error.
    Decoy,
}

struct Call {
    id: String,
    name: String,
    input: J,
    spec: Spec,
    res: Res,
    line_uuid: String,
    /// Set for risky Bash calls: (classifier category, reason).
    risk: Option<(&'static str, String)>,
}

struct Out {
    rel: String,
    buf: Vec<u8>,
    lines: u64,
    counted: bool,
}

impl Out {
    fn new(rel: String, counted: bool) -> Out {
        Out {
            rel,
            buf: Vec::with_capacity(1 << 16),
            lines: 0,
            counted,
        }
    }
    fn put(&mut self, j: &J) -> &[u8] {
        let start = self.buf.len();
        write_j(&mut self.buf, j);
        self.buf.push(b'\n');
        self.lines += 1;
        &self.buf[start..]
    }
    fn put_raw(&mut self, line: &[u8]) {
        self.buf.extend_from_slice(line);
        self.lines += 1;
    }
}

/// Where a line goes: the main transcript or a subagent file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    Main,
    Sub(usize),
}

struct SubCtx {
    agent_id: String,
    last: Option<String>,
    /// Era B: copy every line into the parent as `agent_progress`.
    copy: Option<(String, String, String)>, // (task tool id, agent_msg id, prompt)
}

struct Payload {
    content: J,
    is_error: Option<bool>,
    tur: J,
    ms: u64,
}

pub(crate) struct Sess {
    r: Rng,
    ids: Ids,
    era: Era,
    ver: (u32, u32, u32),
    version: String,
    kind: Kind,
    sid: String,
    proj: Project,
    branch: String,
    slug: String,
    slug_on: bool,
    entry: Option<&'static str>,
    headless: bool,
    model: &'static str,
    sub_model: &'static str,
    t: u64,
    mode: &'static str,
    outs: Vec<Out>,
    side_files: Vec<(String, Vec<u8>)>,
    last: Option<String>,
    prompt_id: Option<String>,
    cache: HashMap<String, String>,
    gt: Gt,
    auto_consec: u32,
    auto_total: u32,
    events: Vec<(usize, Ev)>,
    relog_pool: Vec<Vec<u8>>,
    resumed: bool,
    todos: Vec<(String, &'static str, String)>,
    touched: Vec<String>,
    last_prompt: String,
    sub: Option<SubCtx>,
    first_tool_result_done: bool,
    pending_sub_rejects: u8,
    pending_agent: Option<String>,
    pending_notification: Option<String>,
    pending_queue: Option<String>,
    mode_changed: bool,
    unresolved_end: bool,
    turn_start: u64,
}

pub(crate) struct SessOut {
    pub(crate) gt: Gt,
    pub(crate) files: Vec<(String, Vec<u8>, bool, u64)>, // (rel, bytes, counted, lines)
    pub(crate) side: Vec<(String, Vec<u8>)>,
    pub(crate) ids: Ids,
}

const MODELS_A: &[&str] = &[
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-5-20251101",
    "claude-sonnet-4-5-20250929",
];
const MODELS_B: &[&str] = &[
    "claude-opus-4-5-20251101",
    "claude-opus-4-6",
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-6",
];
const MODELS_C: &[&str] = &[
    "claude-opus-4-6",
    "claude-sonnet-4-6",
    "claude-opus-4-7",
    "claude-opus-4-7",
];
const SUB_MODELS: &[&str] = &[
    "claude-haiku-4-5-20251001",
    "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5-20251001",
];

const SLUG_A: &[&str] = &[
    "deep",
    "humble",
    "prancy",
    "frolicking",
    "lexical",
    "shimmying",
    "curried",
    "lovely",
    "imperative",
    "quiet",
    "brisk",
    "gentle",
];
const SLUG_B: &[&str] = &[
    "soaring", "seeking", "noodling", "crafting", "painting", "wibbling", "brewing", "questing",
    "tickling", "roaming", "hopping", "weaving",
];
const SLUG_C: &[&str] = &[
    "mccarthy",
    "umbrella",
    "hoare",
    "quill",
    "whisper",
    "salamander",
    "kahn",
    "crown",
    "axolotl",
    "turing",
    "lovelace",
    "hopper",
];

const MCP_TOOLS: &[(&str, &str)] = &[
    ("github", "get_pull_request"),
    ("github", "list_issues"),
    ("github", "create_issue"),
    ("github", "add_issue_comment"),
    ("linear", "list_issues"),
    ("linear", "create_issue"),
    ("playwright", "browser_navigate"),
    ("playwright", "browser_snapshot"),
    ("playwright", "browser_click"),
    ("postgres", "query"),
    ("sentry", "get_issue_details"),
    ("context7", "get-library-docs"),
];

const SUBAGENT_TYPES: &[&str] = &[
    "general-purpose",
    "Explore",
    "Plan",
    "code-reviewer",
    "test-runner",
];
