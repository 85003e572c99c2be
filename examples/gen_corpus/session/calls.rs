//! Making tool calls: one constructor per tool (Bash, Read, Edit, WebFetch, Task, MCP, ...)
//! and the mix a session draws from.

use super::{BashSpec, Call, Era, Kind, MCP_TOOLS, SUBAGENT_TYPES, Sess, Spec};
use crate::bash_commands::{BashRun, bash_everyday, bash_risky};
use crate::bash_output::log_lines;
use crate::ids::hex;
use crate::json::J;
use crate::outcomes::Res;
use crate::projects::{PROJ_NAMES, file_content, fnv};
use crate::rng::Rng;
use crate::words::{
    ADJS, LIBS_JS, LIBS_PY, LIBS_RS, Lang, NOUNS, VERBS, camel, capitalize, code_file, code_stmt,
    markdown_summary, paragraph, pascal, prose_clause, prose_sentence, snake,
};
use std::fmt::Write as _;

const DOMAINS: &[&str] = &[
    "https://docs.rs/{lib}/latest/{lib}/",
    "https://code.claude.com/docs/en/settings",
    "https://code.claude.com/docs/en/permission-modes",
    "https://developer.mozilla.org/en-US/docs/Web/API/{Type}",
    "https://github.com/{user}/{name}/issues/{n}",
    "https://pkg.go.dev/{lib}",
    "https://docs.python.org/3/library/{noun}.html",
    "https://www.npmjs.com/package/{lib}",
    "https://stackoverflow.com/questions/{n}/{noun}-{verb}",
];

impl Sess {
    // ----- tool calls ----------------------------------------------------

    pub(super) fn new_call(&mut self, name: &str, input: J, spec: Spec) -> Call {
        let id = self.ids.unique("toolu_01", &mut self.r, 11);
        Call {
            id,
            name: name.to_string(),
            input,
            spec,
            res: Res::Ran,
            line_uuid: String::new(),
            risk: None,
        }
    }

    pub(super) fn content_of(&mut self, key: &str, rel: &str) -> String {
        if let Some(c) = self.cache.get(key) {
            return c.clone();
        }
        let lines = self
            .proj
            .files
            .iter()
            .find(|(p, _)| p == rel)
            .map_or(60, |(_, n)| *n);
        let c = file_content(&self.proj, rel, lines, fnv(&self.sid));
        self.cache.insert(key.to_string(), c.clone());
        c
    }

    pub(super) fn pick_rel(&mut self, code_only: bool) -> String {
        let files: Vec<String> = if code_only {
            self.proj
                .code_files()
                .iter()
                .map(|(p, _)| p.clone())
                .collect()
        } else {
            self.proj.files.iter().map(|(p, _)| p.clone()).collect()
        };
        if files.is_empty() {
            return "README.md".into();
        }
        // recently touched files come back often
        if !self.touched.is_empty() && self.r.chance(0.35) {
            let t = self.r.pick(&self.touched).clone();
            if !code_only || files.contains(&t) {
                return t;
            }
        }
        self.r.pick(&files).clone()
    }

    pub(super) fn c_bash(&mut self) -> Call {
        let sid = fnv(&self.sid);
        let cache = &mut self.cache;
        let proj = &self.proj;
        let mut f = |rel: &str| -> String {
            let key = proj.abs(rel);
            cache
                .entry(key)
                .or_insert_with(|| {
                    let lines = proj
                        .files
                        .iter()
                        .find(|(p, _)| p == rel)
                        .map_or(60, |(_, n)| *n);
                    file_content(proj, rel, lines, sid)
                })
                .clone()
        };
        let run = bash_everyday(&mut self.r, &self.proj, &self.branch, &mut f);
        let mut input = obj! {"command" => &run.command, "description" => &run.desc};
        if run.secs > 30 && self.r.chance(0.5) {
            input.push("timeout", 300_000);
        }
        let res = if run.exit != 0 { Res::Err } else { Res::Ran };
        let mut c = self.new_call("Bash", input, Spec::Bash(BashSpec { run }));
        c.res = res;
        c
    }

    pub(super) fn c_risky(&mut self) -> Call {
        let (cmd, desc, cat, reason) = bash_risky(&mut self.r, &self.proj, &self.branch);
        let input = obj! {"command" => &cmd, "description" => &desc};
        let stdout = match self.r.below(3) {
            0 => String::new(),
            1 => format!(
                "{} {} {}\n",
                r_done(&mut self.r),
                self.r.pick(NOUNS),
                self.r.range(1, 400)
            ),
            _ => log_lines(&mut self.r, 6, self.t),
        };
        let run = BashRun {
            command: cmd,
            desc,
            stdout,
            stderr: String::new(),
            exit: 0,
            secs: self.r.range(1, 20),
        };
        let mut c = self.new_call("Bash", input, Spec::Bash(BashSpec { run }));
        c.risk = Some((cat, reason));
        c
    }

    pub(super) fn outside_path(&mut self) -> (String, String) {
        let p = &self.proj;
        match self.r.below(5) {
            0 => (p.home_path(".claude/settings.json"), "settings.json".into()),
            1 => (p.home_path(".zshrc"), "zshrc.md".into()),
            2 => ("/etc/hosts".into(), "hosts.md".into()),
            3 => (p.home_path(".config/gh/config.yml"), "config.md".into()),
            _ => (
                p.home_path(&format!("code/{}/README.md", self.r.pick(PROJ_NAMES))),
                "README.md".into(),
            ),
        }
    }

    pub(super) fn c_read(&mut self) -> Call {
        let (path, rel, key_rel) = if self.r.chance(0.07) {
            let (abs, pseudo) = self.outside_path();
            (abs, None, pseudo)
        } else {
            let rel = self.pick_rel(false);
            (self.proj.abs(&rel), Some(rel.clone()), rel)
        };
        let lines = self
            .proj
            .files
            .iter()
            .find(|(p, _)| Some(p) == rel.as_ref())
            .map_or(60, |(_, n)| *n);
        let mut input = obj! {"file_path" => &path};
        let (mut offset, mut limit) = (1, 2000);
        if lines > 400 && self.r.chance(0.2) {
            offset = self.r.range(1, (lines - 100) as u64) as usize;
            limit = self.r.range(40, 300) as usize;
            input.push("offset", offset);
            input.push("limit", limit);
        }
        let _ = key_rel;
        let mut c = self.new_call(
            "Read",
            input,
            Spec::Read {
                path,
                rel,
                offset,
                limit,
            },
        );
        if self.r.chance(0.03) {
            c.res = Res::Err;
        }
        c
    }

    pub(super) fn c_edit(&mut self) -> Call {
        let rel = self.pick_rel(true);
        let path = self.proj.abs(&rel);
        let content = self.content_of(&path, &rel);
        let lines: Vec<&str> = content.lines().collect();
        let k = (self.r.logr(2, 40) as usize).min(lines.len().max(1));
        let mut start = self.r.below(lines.len().saturating_sub(k).max(1) as u64) as usize;
        for _ in 0..8 {
            if lines.get(start).is_some_and(|l| l.trim().len() > 3) {
                break;
            }
            start = self.r.below(lines.len().max(1) as u64) as usize;
        }
        let old = lines
            .get(start..(start + k).min(lines.len()))
            .map(|s| s.join("\n"))
            .unwrap_or_default();
        let old = if old.trim().is_empty() {
            lines
                .first()
                .map(|s| s.to_string())
                .unwrap_or_else(|| "x".into())
        } else {
            old
        };
        let lang = self.proj.lang;
        let mut new = String::new();
        for (i, l) in old.lines().enumerate() {
            if i > 0 {
                new.push('\n');
            }
            if self.r.chance(0.3) {
                let ind: String = l.chars().take_while(|c| c.is_whitespace()).collect();
                let _ = write!(new, "{ind}{}", code_stmt(&mut self.r, lang));
            } else {
                new.push_str(l);
            }
        }
        for _ in 0..self.r.logr(1, 30).saturating_sub(1) {
            let _ = write!(new, "\n    {}", code_stmt(&mut self.r, lang));
        }
        let mut input = obj! {};
        if self.r.chance(0.5) {
            input.push("replace_all", false);
        }
        input.push("file_path", &path);
        input.push("old_string", &old);
        input.push("new_string", &new);
        let name = if self.era == Era::A && self.r.chance(0.15) {
            "MultiEdit"
        } else {
            "Edit"
        };
        if name == "MultiEdit" {
            input = obj! {"file_path" => &path, "edits" => vec![obj!{"old_string" => &old, "new_string" => &new}]};
        }
        let mut c = self.new_call(
            name,
            input,
            Spec::Edit {
                path,
                rel,
                old,
                new,
            },
        );
        if self.r.chance(0.05) {
            c.res = Res::Err;
        }
        c
    }

    pub(super) fn c_write(&mut self) -> Call {
        let lang = self.proj.lang;
        let (rel, content) = if self.r.chance(0.3) {
            let rel = self.pick_rel(false);
            let n = self.r.logr(10, 300) as usize;
            (rel, code_file(&mut self.r, lang, n))
        } else if self.r.chance(0.3) {
            let rel = format!("docs/{}-{}.md", self.r.pick(NOUNS), self.r.pick(NOUNS));
            let n = self.r.logr(200, 6000) as usize;
            (rel, markdown_summary(&mut self.r, n, &[]))
        } else {
            let ext = match lang {
                Lang::Rust => "rs",
                Lang::Go => "go",
                Lang::Ts => "ts",
                Lang::Py => "py",
            };
            let rel = format!(
                "{}/{}_{}.{ext}",
                if lang == Lang::Go { "internal" } else { "src" },
                self.r.pick(NOUNS),
                self.r.pick(NOUNS)
            );
            let n = self.r.logr(10, 400) as usize;
            (rel, code_file(&mut self.r, lang, n))
        };
        let path = self.proj.abs(&rel);
        let input = obj! {"file_path" => &path, "content" => &content};
        let mut c = self.new_call("Write", input, Spec::Write { path, rel, content });
        if self.r.chance(0.01) {
            c.res = Res::Err;
        }
        c
    }

    pub(super) fn c_grep(&mut self) -> Call {
        let pattern = match self.r.below(5) {
            0 => snake(&mut self.r),
            1 => format!("fn {}", snake(&mut self.r)),
            2 => "TODO|FIXME".to_string(),
            3 => format!("impl.*{}", pascal(&mut self.r)),
            _ => camel(&mut self.r),
        };
        let content_mode = self.r.chance(0.4);
        let mut input = obj! {"pattern" => &pattern};
        let path = if self.r.chance(0.5) {
            Some(
                self.proj
                    .abs(self.r.word(&["src", "tests", "internal", "docs"])),
            )
        } else {
            None
        };
        if let Some(p) = &path {
            input.push("path", p);
        }
        if self.r.chance(0.3) {
            input.push(
                "glob",
                self.r.word(&["*.rs", "**/*.ts", "*.go", "*.py", "**/*.md"]),
            );
        }
        if content_mode {
            input.push("output_mode", "content");
            input.push("-n", true);
        } else if self.r.chance(0.5) {
            input.push("output_mode", "files_with_matches");
        }
        let mut c = self.new_call("Grep", input, Spec::Grep { content_mode, path });
        if self.r.chance(0.02) {
            c.res = Res::Err;
        }
        c
    }

    pub(super) fn c_glob(&mut self) -> Call {
        let pattern = match self.r.below(4) {
            0 => "**/*.rs".to_string(),
            1 => "src/**/*.ts".to_string(),
            2 => format!("**/{}*", self.r.pick(NOUNS)),
            _ => "**/*.md".to_string(),
        };
        let mut input = obj! {"pattern" => &pattern};
        if self.r.chance(0.4) {
            input.push("path", &self.proj.cwd);
        }
        self.new_call("Glob", input, Spec::Glob)
    }

    fn c_todo(&mut self) -> Call {
        if self.todos.is_empty() || self.r.chance(0.2) {
            self.todos.clear();
            for _ in 0..self.r.range(3, 9) {
                let v = capitalize(self.r.word(VERBS));
                let n = self.r.pick(NOUNS);
                let a = self.r.pick(ADJS);
                self.todos.push((
                    format!("{v} the {a} {n} handling"),
                    "pending",
                    format!("{v}ing the {a} {n} handling"),
                ));
            }
        } else {
            let mut advanced = false;
            for t in self.todos.iter_mut() {
                if t.1 == "in_progress" {
                    t.1 = "completed";
                } else if t.1 == "pending" && !advanced {
                    t.1 = "in_progress";
                    advanced = true;
                }
            }
        }
        let todos: Vec<J> = self
            .todos
            .iter()
            .map(|(c, s, a)| obj! {"content" => c, "status" => *s, "activeForm" => a})
            .collect();
        self.new_call("TodoWrite", obj! {"todos" => todos}, Spec::Todo)
    }

    pub(super) fn url(&mut self) -> String {
        let t = self.r.word(DOMAINS);
        let lib = self.r.word(LIBS_RS);
        t.replace("{lib}", lib)
            .replace("{Type}", &pascal(&mut self.r))
            .replace("{user}", &self.proj.user)
            .replace("{name}", &self.proj.name)
            .replace("{n}", &self.r.range(100, 90_000).to_string())
            .replace("{noun}", self.r.word(NOUNS))
            .replace("{verb}", self.r.word(VERBS))
    }

    pub(super) fn c_webfetch(&mut self) -> Call {
        let url = self.url();
        let prompt = format!(
            "How does {} handle {} {}? Summarize the relevant options.",
            self.r.pick(NOUNS),
            self.r.pick(ADJS),
            self.r.pick(NOUNS)
        );
        let mut c = self.new_call(
            "WebFetch",
            obj! {"url" => &url, "prompt" => prompt},
            Spec::WebFetch { url },
        );
        if self.r.chance(0.04) {
            c.res = Res::Err;
        }
        c
    }

    pub(super) fn c_websearch(&mut self) -> Call {
        let lib = match self.proj.lang {
            Lang::Rust => self.r.word(LIBS_RS),
            Lang::Ts => self.r.word(LIBS_JS),
            Lang::Py => self.r.word(LIBS_PY),
            Lang::Go => "golang",
        };
        let query = format!(
            "{lib} {} {} {}",
            self.r.pick(NOUNS),
            self.r.pick(VERBS),
            self.r.pick(&["2026", "example", "best practice", "error"])
        );
        self.new_call(
            "WebSearch",
            obj! {"query" => &query},
            Spec::WebSearch { query },
        )
    }

    fn task_name(&self) -> &'static str {
        if self.era == Era::C { "Agent" } else { "Task" }
    }

    pub(super) fn c_task(&mut self, bg: bool) -> Call {
        let agent_type = self.r.pick(SUBAGENT_TYPES).to_string();
        let desc = format!(
            "{} {} {}",
            capitalize(self.r.word(VERBS)),
            self.r.pick(ADJS),
            self.r.pick(NOUNS)
        );
        let n = self.r.logr(150, 1800) as usize;
        let prompt = paragraph(&mut self.r, n);
        let mut input =
            obj! {"description" => &desc, "prompt" => &prompt, "subagent_type" => &agent_type};
        if self.r.chance(0.2) {
            input.push("model", "haiku");
        }
        if bg {
            input.push("run_in_background", true);
        }
        let name = self.task_name();
        self.new_call(
            name,
            input,
            Spec::Task {
                desc,
                prompt,
                agent_type,
                bg,
            },
        )
    }

    fn c_skill(&mut self) -> Call {
        let name = self
            .r
            .pick(&[
                "reviewer",
                "commit",
                "test-repo",
                "frontend-design",
                "create-beads",
                "release-notes",
            ])
            .to_string();
        let mut input = obj! {"skill" => &name};
        if self.r.chance(0.5) {
            input.push(
                "args",
                format!("{} {}", self.r.pick(VERBS), self.r.pick(NOUNS)),
            );
        }
        let mut c = self.new_call("Skill", input, Spec::Skill { name });
        if self.r.chance(0.05) {
            c.res = Res::Err;
        }
        c
    }

    fn c_ask(&mut self) -> Call {
        let mut qs = Vec::new();
        for _ in 0..self.r.range(1, 2) {
            let q = format!(
                "Should the {} {} keep the {} behaviour?",
                self.r.pick(ADJS),
                self.r.pick(NOUNS),
                self.r.pick(ADJS)
            );
            let opts: Vec<J> = (0..self.r.range(2, 4))
                .map(|_| {
                    let l = capitalize(&format!("{} {}", self.r.pick(VERBS), self.r.pick(NOUNS)));
                    obj! {"label" => l, "description" => prose_sentence(&mut self.r)}
                })
                .collect();
            qs.push(obj! {"question" => q, "header" => capitalize(self.r.word(NOUNS)), "options" => opts, "multiSelect" => false});
        }
        self.new_call("AskUserQuestion", obj! {"questions" => qs}, Spec::Ask)
    }

    pub(super) fn c_exitplan(&mut self) -> Call {
        let files: Vec<String> = self
            .proj
            .code_files()
            .iter()
            .map(|(p, _)| p.clone())
            .take(6)
            .collect();
        let n = self.r.logr(400, 3500) as usize;
        let plan = format!(
            "# Plan: {} the {} {}\n\n{}",
            capitalize(self.r.word(VERBS)),
            self.r.pick(ADJS),
            self.r.pick(NOUNS),
            markdown_summary(&mut self.r, n, &files)
        );
        self.new_call(
            "ExitPlanMode",
            obj! {"plan" => &plan},
            Spec::ExitPlan { plan },
        )
    }

    pub(super) fn c_mcp(&mut self) -> Call {
        let (server, tool) = *self.r.pick(MCP_TOOLS);
        let input = match tool {
            "get_pull_request" => {
                obj! {"owner" => &self.proj.user, "repo" => &self.proj.name, "pullNumber" => self.r.range(1, 400)}
            }
            "list_issues" if server == "github" => {
                obj! {"owner" => &self.proj.user, "repo" => &self.proj.name, "state" => "open"}
            }
            "create_issue" | "add_issue_comment" => {
                obj! {"owner" => &self.proj.user, "repo" => &self.proj.name, "title" => prose_clause(&mut self.r), "body" => paragraph(&mut self.r, 300)}
            }
            "list_issues" => obj! {"teamId" => hex(&mut self.r, 8), "first" => 25},
            "browser_navigate" => {
                obj! {"url" => format!("http://localhost:{}/{}", self.r.range(3000, 9000), self.r.pick(NOUNS))}
            }
            "browser_snapshot" => obj! {},
            "browser_click" => {
                obj! {"element" => format!("{} button", capitalize(self.r.word(VERBS))), "ref" => format!("e{}", self.r.range(2, 300))}
            }
            "query" => {
                obj! {"sql" => format!("SELECT id, {} FROM {}s WHERE {} IS NOT NULL LIMIT {}", self.r.pick(NOUNS), self.r.pick(NOUNS), self.r.pick(NOUNS), self.r.range(5, 100))}
            }
            "get_issue_details" => {
                obj! {"issueId" => format!("{}-{}", self.proj.name.to_uppercase(), self.r.range(1, 999))}
            }
            _ => {
                obj! {"context7CompatibleLibraryID" => format!("/{}/{}", self.r.pick(LIBS_JS), self.r.pick(LIBS_JS)), "topic" => self.r.pick(NOUNS).to_string(), "tokens" => 8000}
            }
        };
        let name = format!("mcp__{server}__{tool}");
        let mut c = self.new_call(&name, input, Spec::Mcp { server, tool });
        if self.r.chance(0.04) {
            c.res = Res::Err;
        }
        c
    }

    /// A call with the tool mix of real sessions.
    pub(super) fn c_random(&mut self, sub: bool) -> Call {
        let mcp = self.kind == Kind::McpHeavy || fnv(&self.sid) & 3 == 0;
        if self.mode == "plan" && !sub {
            return match self.r.weighted(&[40, 15, 8, 20, 5, 3, 4]) {
                0 => self.c_read(),
                1 => self.c_grep(),
                2 => self.c_glob(),
                3 => self.c_bash_readonly(),
                4 => self.c_websearch(),
                5 => self.c_webfetch(),
                _ => self.c_task(false),
            };
        }
        if sub {
            return match self.r.weighted(&[35, 20, 10, 25, 5, 5]) {
                0 => self.c_read(),
                1 => self.c_grep(),
                2 => self.c_glob(),
                3 => self.c_bash(),
                4 => self.c_websearch(),
                _ => self.c_webfetch(),
            };
        }
        let w = [
            25,
            30,
            18,
            5,
            2,
            5,
            3,
            2,
            3,
            if self.headless { 0 } else { 2 },
            1,
            if mcp { 10 } else { 0 },
            if self.headless { 0 } else { 1 },
        ];
        match self.r.weighted(&w) {
            0 => self.c_bash(),
            1 => self.c_edit(),
            2 => self.c_read(),
            3 => self.c_grep(),
            4 => self.c_glob(),
            5 => self.c_write(),
            6 => self.c_todo(),
            7 => self.c_webfetch(),
            8 => self.c_websearch(),
            9 => self.c_task(false),
            10 => self.c_skill(),
            11 => self.c_mcp(),
            _ => self.c_ask(),
        }
    }

    pub(super) fn c_bash_readonly(&mut self) -> Call {
        loop {
            let c = self.c_bash();
            let cmd = c.input.get("command").and_then(J::as_str).unwrap_or("");
            if cmd.starts_with("git status")
                || cmd.starts_with("git log")
                || cmd.starts_with("git diff")
                || cmd.starts_with("ls")
                || cmd.starts_with("cat")
                || cmd.starts_with("head")
                || cmd.starts_with("grep")
                || cmd.starts_with("gh pr view")
            {
                return c;
            }
        }
    }

    /// A call that would show a permission dialog in default mode.
    pub(super) fn c_prompting(&mut self) -> Call {
        let edits = if self.mode == "acceptEdits" { 0 } else { 1 };
        match self.r.weighted(&[55, 25 * edits, 10 * edits, 6, 4]) {
            0 => {
                if self.r.chance(0.5) {
                    self.c_risky()
                } else {
                    let mut c = self.c_bash();
                    c.res = Res::Ran;
                    c
                }
            }
            1 => self.c_edit(),
            2 => self.c_write(),
            3 => self.c_webfetch(),
            _ => {
                if self.era == Era::A {
                    self.c_edit()
                } else {
                    self.c_skill()
                }
            }
        }
    }
}

fn r_done(r: &mut Rng) -> &'static str {
    r.word(&["done:", "ok", "removed", "updated", "deleted", "applied"])
}
