//! A turn's rounds of calls: rule, headless and hook denials, plan approval, the special
//! events a session kind plays, and the final response.

use super::results::is_ending;
use super::{BashSpec, Call, Dest, Era, Ev, Sess, Spec};
use crate::bash_commands::BashRun;
use crate::ids::iso;
use crate::json::J;
use crate::outcomes::{FEEDBACK, INTERRUPT, Res};
use crate::words::{Lang, NOUNS, VERBS, markdown_summary, paragraph, prose_clause, prose_sentence};

impl Sess {
    // ----- special rounds ------------------------------------------------------

    fn rule_call(&mut self) -> Call {
        match self.r.weighted(&[45, 8, 15, 10, 12, 10]) {
            0 => {
                let mut c = if self.r.chance(0.6) {
                    self.c_risky()
                } else {
                    self.c_bash()
                };
                let cmd = c
                    .input
                    .get("command")
                    .and_then(J::as_str)
                    .unwrap_or("")
                    .to_string();
                c.res = Res::Rule(format!(
                    "Permission to use Bash with command {cmd} has been denied."
                ));
                c
            }
            1 => {
                let target = self
                    .proj
                    .home_path(&format!(".config/{}/config.toml", self.proj.name));
                let cmd = format!("echo '{}' > {target}", prose_clause(&mut self.r));
                let run = BashRun {
                    command: cmd.clone(),
                    desc: "Write the config".into(),
                    stdout: String::new(),
                    stderr: String::new(),
                    exit: 0,
                    secs: 0,
                };
                let mut c = self.new_call(
                    "Bash",
                    obj! {"command" => &cmd, "description" => "Write the config"},
                    Spec::Bash(BashSpec { run }),
                );
                c.res = Res::Rule(format!(
                    "Output redirection to '{target}' was blocked by a deny rule."
                ));
                c
            }
            2 => {
                let rel = self.r.word(&[
                    ".env",
                    ".env.local",
                    "secrets/prod.json",
                    "config/credentials.yml",
                ]);
                let path = self.proj.abs(rel);
                let mut c = self.new_call(
                    "Read",
                    obj! {"file_path" => &path},
                    Spec::Read {
                        path: path.clone(),
                        rel: None,
                        offset: 1,
                        limit: 2000,
                    },
                );
                c.res = Res::Rule(format!("Permission to read {path} has been denied."));
                c
            }
            3 => {
                let path = self.proj.home_path(self.r.word(&[
                    ".zshrc",
                    ".gitconfig",
                    ".ssh/config",
                    ".claude/settings.json",
                ]));
                let content = format!("# {}\n", prose_sentence(&mut self.r));
                let mut c = self.new_call(
                    "Write",
                    obj! {"file_path" => &path, "content" => &content},
                    Spec::Write {
                        path: path.clone(),
                        rel: String::new(),
                        content,
                    },
                );
                c.res = Res::Rule(format!("Permission to edit {path} has been denied."));
                c
            }
            4 => {
                let mut c = self.c_webfetch();
                let url = c
                    .input
                    .get("url")
                    .and_then(J::as_str)
                    .unwrap_or("")
                    .to_string();
                let host = url.split('/').nth(2).unwrap_or("example.com").to_string();
                c.res = Res::Rule(format!("WebFetch denied access to domain:{host}."));
                c
            }
            _ => {
                let mut c = self.c_websearch();
                c.res = Res::Rule("Permission to use WebSearch has been denied.".into());
                c
            }
        }
    }

    fn headless_call(&mut self) -> Call {
        match self.r.weighted(&[30, 15, 12, 10, 18, 15]) {
            0 => {
                let mut c = self.c_prompting();
                let t = format!(
                    "Claude requested permissions to use {}, but you haven't granted it yet.",
                    c.name
                );
                c.res = Res::Headless(t);
                c
            }
            1 => {
                let part = format!(
                    "rm -rf {}",
                    self.r
                        .pick(&["dist/cache", "target/tmp", ".next", "coverage"])
                );
                let cmd = format!("npm run build && {part}");
                let run = BashRun {
                    command: cmd.clone(),
                    desc: "Build and clean".into(),
                    stdout: String::new(),
                    stderr: String::new(),
                    exit: 0,
                    secs: 0,
                };
                let mut c = self.new_call(
                    "Bash",
                    obj! {"command" => &cmd, "description" => "Build and clean"},
                    Spec::Bash(BashSpec { run }),
                );
                c.res = Res::Headless(format!(
                    "This Bash command contains multiple operations. The following part requires approval: {part}"
                ));
                c
            }
            2 => {
                let cmd = format!("git push origin {}", self.branch);
                let run = BashRun {
                    command: cmd.clone(),
                    desc: "Push".into(),
                    stdout: String::new(),
                    stderr: String::new(),
                    exit: 0,
                    secs: 0,
                };
                let mut c = self.new_call(
                    "Bash",
                    obj! {"command" => &cmd, "description" => "Push the branch"},
                    Spec::Bash(BashSpec { run }),
                );
                c.res = Res::Headless("Permission rule 'Bash(git push:*)' from projectSettings requires approval for this Bash command".into());
                c
            }
            3 => {
                let mut c = self.c_bash();
                c.res = Res::Headless(
                    "Current permission mode (Default) requires approval for this Bash command"
                        .into(),
                );
                c
            }
            4 => {
                let mut c = self.c_write();
                let p = c
                    .input
                    .get("file_path")
                    .and_then(J::as_str)
                    .unwrap_or("")
                    .to_string();
                c.res = Res::Headless(format!(
                    "Claude requested permissions to write to {p}, but you haven't granted it yet."
                ));
                c
            }
            _ => {
                let (abs, _) = self.outside_path();
                let mut c = self.new_call(
                    "Read",
                    obj! {"file_path" => &abs},
                    Spec::Read {
                        path: abs.clone(),
                        rel: None,
                        offset: 1,
                        limit: 2000,
                    },
                );
                c.res = Res::Headless(format!(
                    "Claude requested permissions to read from {abs}, but you haven't granted it yet."
                ));
                c
            }
        }
    }

    fn hook_call(&mut self) -> Call {
        let mut c = match self.r.weighted(&[70, 20, 10]) {
            0 => {
                if self.r.chance(0.6) {
                    self.c_risky()
                } else {
                    self.c_bash()
                }
            }
            1 => self.c_edit(),
            _ => self.c_write(),
        };
        let tool = c.name.clone();
        let hook_cmd = self
            .proj
            .hook
            .clone()
            .unwrap_or_else(|| "~/.claude/hooks/guard.sh".into());
        let t = match self.r.below(6) {
            0 => format!("Hook PreToolUse:{tool} denied this tool"),
            1 => format!(
                "PreToolUse:{tool} hook error: [{hook_cmd}]: {}",
                self.r.pick(&[
                    "blocked: no force pushes from agents",
                    "refusing to touch generated files",
                    "No stderr output",
                    "deploys are frozen until Monday"
                ])
            ),
            2 => format!("PreToolUse:{tool} hook error: Blocked by hook"),
            3 => format!(
                "Execution stopped by PreToolUse hook: {}",
                self.r.pick(&[
                    "production is frozen",
                    "run the formatter first",
                    "lockfile changes need review"
                ])
            ),
            4 => "Execution stopped by PreToolUse hook".to_string(),
            _ => "Permission denied by hook".to_string(),
        };
        let tagged = self.r.chance(0.3);
        c.res = Res::Hook(t, tagged);
        c
    }

    fn plan_approved(&mut self) {
        self.mode = if self.r.chance(0.6) {
            "acceptEdits"
        } else {
            "default"
        };
        self.mode_changed = true;
    }

    fn round_event(&mut self, ev: Ev, turn: usize) -> bool {
        let m = Dest::Main;
        match ev {
            Ev::RejectSynth => {
                // an Edit in acceptEdits never shows a dialog: keep the case unambiguous
                let mut c = if self.mode == "default" {
                    self.c_prompting()
                } else {
                    self.c_risky()
                };
                c.res = Res::Reject { synth: true };
                self.respond(m, vec![c])
            }
            Ev::RejectErr => {
                let mut calls = vec![];
                if self.r.chance(0.25) {
                    let mut c0 = self.c_read();
                    c0.res = Res::Ran;
                    calls.push(c0);
                }
                let mut c = self.c_prompting();
                c.res = Res::Reject { synth: false };
                calls.push(c);
                if self.r.chance(0.5) {
                    for _ in 0..self.r.range(1, 2) {
                        let mut s = if self.r.chance(0.6) {
                            self.c_bash()
                        } else {
                            self.c_edit()
                        };
                        s.res = Res::Cancel;
                        calls.push(s);
                    }
                }
                self.respond(m, calls)
            }
            Ev::RejectFb => {
                let mut c = self.c_prompting();
                c.res = Res::RejectFb(self.r.pick(FEEDBACK).to_string());
                self.respond(m, vec![c])
            }
            Ev::EscBypass | Ev::EscMulti => {
                let multi = matches!(ev, Ev::EscMulti);
                let k = if multi {
                    self.r.range(2, 3)
                } else {
                    self.r.range(1, 3)
                };
                let mut calls = Vec::new();
                let server = match self.proj.lang {
                    Lang::Rust => "cargo run --release -- serve",
                    Lang::Go => "go run ./cmd/server",
                    Lang::Ts => "npm run dev",
                    Lang::Py => "uv run uvicorn app.main:app --reload",
                };
                let cmd = format!("{server} 2>&1 | head -80");
                let run = BashRun {
                    command: cmd.clone(),
                    desc: "Start the dev server".into(),
                    stdout: String::new(),
                    stderr: String::new(),
                    exit: 0,
                    secs: 30,
                };
                calls.push(self.new_call(
                    "Bash",
                    obj! {"command" => &cmd, "timeout" => 30_000},
                    Spec::Bash(BashSpec { run }),
                ));
                for _ in 1..k {
                    let c = match self.r.below(3) {
                        0 => self.c_glob(),
                        1 => self.c_read(),
                        _ => self.c_bash(),
                    };
                    calls.push(c);
                }
                let ur = self.era == Era::C && !multi && self.r.chance(0.3);
                for c in calls.iter_mut() {
                    c.res = Res::Interrupt { kind_ur: ur };
                }
                self.respond(m, calls)
            }
            Ev::Rule => {
                let c = self.rule_call();
                self.respond(m, vec![c])
            }
            Ev::DontAsk => {
                let mut c = self.c_prompting();
                c.res = Res::DontAsk;
                self.respond(m, vec![c])
            }
            Ev::Headless => {
                let c = self.headless_call();
                self.respond(m, vec![c])
            }
            Ev::Hook => {
                let c = self.hook_call();
                self.respond(m, vec![c])
            }
            Ev::AutoBurst => {
                self.auto_consec = 0;
                for _ in 0..6 {
                    let mut c = self.c_risky();
                    if self.auto_decide() {
                        let t = self.auto_block_text(&c);
                        c.res = Res::AutoBlock(t);
                        self.respond(m, vec![c]);
                    } else {
                        c.res = if self.r.chance(0.6) {
                            Res::Ran
                        } else {
                            Res::Reject { synth: false }
                        };
                        return self.respond(m, vec![c]);
                    }
                }
                false
            }
            Ev::AutoBlock => {
                let mut c = self.c_risky();
                if self.auto_decide() {
                    let t = self.auto_block_text(&c);
                    c.res = Res::AutoBlock(t);
                } else {
                    c.res = if self.r.chance(0.7) {
                        Res::Ran
                    } else {
                        Res::RejectFb(self.r.pick(FEEDBACK).to_string())
                    };
                }
                self.respond(m, vec![c])
            }
            Ev::AutoUnavail => {
                let mut c = if self.r.chance(0.7) {
                    self.c_risky()
                } else {
                    self.c_webfetch()
                };
                let t = self.auto_unavail_text(&c);
                c.res = Res::AutoUnavail(t);
                self.respond(m, vec![c])
            }
            Ev::SafetyCancel => {
                let mut c = self.c_bash();
                c.res = Res::SafetyCancel;
                self.respond(m, vec![c])
            }
            Ev::McpDeny => {
                let mut c = self.c_mcp();
                c.res = if self.r.chance(0.7) {
                    Res::RejectFb(self.r.pick(FEEDBACK).to_string())
                } else {
                    Res::Rule(format!("Permission to use {} has been denied.", c.name))
                };
                self.respond(m, vec![c])
            }
            Ev::McpServerDeny => {
                let mut c = self.c_mcp();
                c.res =
                    Res::McpServerDeny(format!("Permission to use {} has been denied.", c.name));
                self.respond(m, vec![c])
            }
            Ev::Subagent { rejects } => {
                self.pending_sub_rejects = rejects;
                let mut c = self.c_task(false);
                c.res = Res::Ran;
                self.respond(m, vec![c])
            }
            Ev::BgAgent => {
                let mut c = self.c_task(true);
                c.res = Res::Ran;
                let desc = c
                    .input
                    .get("description")
                    .and_then(J::as_str)
                    .unwrap_or("")
                    .to_string();
                self.pending_notification = Some(desc);
                self.respond(m, vec![c])
            }
            Ev::PlanExit => {
                let mut c = self.c_exitplan();
                let roll = self.r.below(10);
                if roll < 4 {
                    c.res = Res::RejectFb(self.r.pick(FEEDBACK).to_string());
                    self.respond(m, vec![c]);
                    for _ in 0..self.r.range(0, 2) {
                        self.round_normal();
                    }
                    let c2 = self.c_exitplan();
                    self.respond(m, vec![c2]);
                    self.plan_approved();
                    false
                } else if roll < 6 {
                    c.res = Res::Reject { synth: false };
                    self.events.push((turn + 1, Ev::PlanExit));
                    self.respond(m, vec![c])
                } else {
                    self.respond(m, vec![c]);
                    self.plan_approved();
                    false
                }
            }
            Ev::Decoy => {
                if self.r.chance(0.6) {
                    let cmd = "cat tests/fixtures/denial-texts.txt".to_string();
                    let c = self.new_call(
                        "Bash",
                        obj! {"command" => &cmd, "description" => "Show the denial fixtures"},
                        Spec::Decoy,
                    );
                    self.respond(m, vec![c])
                } else {
                    let mut c = self.c_mcp();
                    c.spec = Spec::Decoy;
                    c.res = Res::Ran;
                    self.respond(m, vec![c])
                }
            }
        }
    }

    fn round_normal(&mut self) -> bool {
        let k = [1, 2, 3, 4][self.r.weighted(&[80, 11, 6, 3])];
        let mut calls = Vec::new();
        if k == 1 {
            calls.push(self.c_random(false));
        } else {
            for _ in 0..k {
                let c = match self.r.weighted(&[
                    35,
                    15,
                    6,
                    25,
                    5,
                    if self.mode == "plan" { 0 } else { 14 },
                ]) {
                    0 => self.c_read(),
                    1 => self.c_grep(),
                    2 => self.c_glob(),
                    5 => self.c_edit(),
                    3 => {
                        if self.mode == "plan" {
                            self.c_bash_readonly()
                        } else {
                            self.c_bash()
                        }
                    }
                    _ => self.c_websearch(),
                };
                calls.push(c);
            }
        }
        if self.mode == "auto"
            && calls.iter().any(|c| {
                matches!(c.name.as_str(), "Bash" | "Edit" | "Write" | "WebFetch")
                    || c.name.starts_with("mcp__")
            })
        {
            self.auto_consec = 0; // an allowed action resets the consecutive count
        }
        self.respond(Dest::Main, calls)
    }

    fn final_response(&mut self) {
        let msg = self.ids.unique("msg_01", &mut self.r, 11);
        let req = self.req_id();
        let usage = self.usage();
        let model = self.model;
        if self.r.chance(0.3) {
            let b = self.think_block();
            self.asst_line(Dest::Main, &msg, &req, b, &usage, None, model);
        }
        let text = if self.r.chance(0.35) {
            let n = self.r.logr(10, 300) as usize;
            paragraph(&mut self.r, n)
        } else {
            let n = self.r.logr(40, 3_200) as usize;
            let files = self.touched.clone();
            markdown_summary(&mut self.r, n, &files)
        };
        let stop = (self.era == Era::C).then_some("end_turn");
        self.asst_line(
            Dest::Main,
            &msg,
            &req,
            obj! {"type" => "text", "text" => text},
            &usage,
            stop,
            model,
        );
    }

    pub(super) fn run_turn(&mut self, turn: usize) -> bool {
        let mut evs: Vec<Ev> = Vec::new();
        let mut rest = Vec::new();
        for (t, e) in std::mem::take(&mut self.events) {
            if t == turn {
                evs.push(e);
            } else {
                rest.push((t, e));
            }
        }
        self.events = rest;
        let (mut ending, others): (Vec<Ev>, Vec<Ev>) = evs.into_iter().partition(is_ending);
        while ending.len() > 1 {
            let e = ending.pop().unwrap();
            self.events.push((turn + 1, e));
        }
        let n = (self.r.logr(1, 9) as usize).max(others.len() + ending.len());
        let mut slots: Vec<Option<Ev>> = (0..n).map(|_| None).collect();
        for e in others {
            loop {
                let span = if ending.is_empty() { n } else { n - 1 };
                let i = self.r.below(span.max(1) as u64) as usize;
                if slots[i].is_none() {
                    slots[i] = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = ending.pop() {
            slots[n - 1] = Some(e);
        }
        for (i, slot) in slots.into_iter().enumerate() {
            if i == 1
                && self.pending_queue.is_none()
                && self.era != Era::A
                && !self.headless
                && self.r.chance(0.08)
            {
                let q = format!("also {} the {}", self.r.pick(VERBS), self.r.pick(NOUNS));
                let ts = self.tick(500, 20_000);
                let j = obj! {"type" => "queue-operation", "operation" => "enqueue", "timestamp" => iso(ts), "sessionId" => &self.sid, "content" => &q};
                self.state_line(j);
                self.pending_queue = Some(q);
            }
            let ended = match slot {
                Some(e) => self.round_event(e, turn),
                None => self.round_normal(),
            };
            if ended {
                return true;
            }
            if i + 1 < n && !self.headless && self.r.chance(0.015) {
                // Esc while the model was still writing: no tool call is pending
                self.marker(Dest::Main, INTERRUPT);
                return true;
            }
            self.tick(300, 5_000);
        }
        self.final_response();
        false
    }
}
