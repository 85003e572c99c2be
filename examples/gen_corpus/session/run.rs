//! Running a session: prompts, the header, compaction, resumption, what happens between
//! turns, and the session's files.

use super::results::is_ending;
use super::{Dest, Era, Ev, Kind, MCP_TOOLS, Out, Sess, SessOut, SubCtx};
use crate::bash_output::log_lines;
use crate::ids::{hex, iso, uuid4};
use crate::json::{J, write_j};
use crate::outcomes::{REDIRECTS, Res};
use crate::words::{
    ADJS, NOUNS, VERBS, capitalize, cut, markdown_summary, paragraph, prose_sentence, snake,
};
use std::fmt::Write as _;

const PROMPTS: &[&str] = &[
    "fix the failing tests in {file}",
    "can you add {adj} {noun} support to `{fn}`?",
    "why is the {noun} {verb} so slow? look at {file}",
    "refactor {file} so the {noun} logic lives in one place",
    "run the linter and fix the warnings",
    "commit this",
    "review the diff and tell me if anything looks off",
    "we are reviewing https://github.com/{user}/{name}/pull/{n} - invoke reviewer",
    "the {noun} handling breaks when the {noun2} is {adj}. can you investigate?",
    "add a test for `{fn}` covering the {adj} case",
    "update the README with the new {noun} flags",
    "ok, go ahead",
    "yes, do it",
    "now clean up the {adj} {noun} code",
];

impl Sess {
    // ----- session flow ----------------------------------------------------------

    fn fill(&mut self, t: &str) -> String {
        let file = self.pick_rel(false);
        t.replace("{file}", &file)
            .replace("{adj}", self.r.word(ADJS))
            .replace("{noun2}", self.r.word(NOUNS))
            .replace("{noun}", self.r.word(NOUNS))
            .replace("{verb}", self.r.word(VERBS))
            .replace("{fn}", &snake(&mut self.r))
            .replace("{user}", &self.proj.user)
            .replace("{name}", &self.proj.name)
            .replace("{n}", &self.r.range(1, 500).to_string())
    }

    fn prompt_text(&mut self, after_interrupt: bool) -> String {
        if let Some(q) = self.pending_queue.take() {
            return q;
        }
        if after_interrupt {
            let t = self.r.word(REDIRECTS);
            return if self.r.chance(0.5) {
                format!("{t}. {}", {
                    let t2 = self.r.word(PROMPTS);
                    self.fill(t2)
                })
            } else {
                t.to_string()
            };
        }
        if self.r.chance(0.05) {
            let n = self.r.logr(10, 200) as usize;
            return format!(
                "I get this error:\n```\n{}```\nany idea?",
                log_lines(&mut self.r, n, self.t - 3_600_000)
            );
        }
        let t = self.r.word(PROMPTS);
        self.fill(t)
    }

    fn prompt(&mut self, text: String, notification: bool) {
        let u = uuid4(&mut self.r);
        self.file_history(&u, false);
        if self.era == Era::C {
            self.prompt_id = Some(uuid4(&mut self.r));
        }
        let ts = self.tick(1, 40);
        let body = vec![
            ("type".to_string(), J::from("user")),
            (
                "message".to_string(),
                obj! {"role" => "user", "content" => &text},
            ),
        ];
        let mut extras: Vec<(String, J)> = Vec::new();
        if self.era == Era::A {
            extras.push((
                "thinkingMetadata".into(),
                obj! {"level" => "high", "disabled" => false, "triggers" => Vec::<J>::new()},
            ));
            extras.push(("todos".into(), J::Arr(vec![])));
        } else if !self.new_order() {
            extras.push((
                "thinkingMetadata".into(),
                obj! {"maxThinkingTokens" => 31_999},
            ));
            extras.push(("todos".into(), J::Arr(vec![])));
            extras.push(("permissionMode".into(), J::from(self.mode)));
        } else {
            extras.push(("permissionMode".into(), J::from(self.mode)));
            if self.era == Era::C {
                if notification {
                    extras.push(("origin".into(), obj! {"kind" => "task-notification"}));
                    extras.push(("promptSource".into(), J::from("system")));
                } else {
                    extras.push(("promptSource".into(), J::from("typed")));
                }
            }
        }
        if self.era != Era::A {
            *self.gt.modes.entry(self.mode.to_string()).or_default() += 1;
        }
        let p = self.last.clone();
        let j = self.env(Dest::Main, p, body, &u, ts, extras, true);
        self.put(Dest::Main, &j);
        self.last = Some(u);
        self.last_prompt = cut(&text, 200).to_string();
        if self.era == Era::C {
            if self.r.chance(0.3) && !self.touched.is_empty() {
                let f = self.r.pick(&self.touched).clone();
                let snippet = self.content_of(&self.proj.abs(&f), &f);
                let snippet = cut(&snippet, 1_200).to_string();
                self.attachment(obj! {"type" => "edited_text_file", "filename" => self.proj.abs(&f), "snippet" => snippet});
            }
            if self.mode == "plan" {
                let pf = self
                    .proj
                    .home_path(&format!(".claude/plans/{}.md", self.slug));
                self.attachment(obj! {"type" => "plan_mode", "reminderType" => "full", "isSubAgent" => false, "planFilePath" => pf, "planExists" => false});
            }
            if self.r.chance(0.15) && !self.todos.is_empty() {
                let items: Vec<J> = self
                    .todos
                    .iter()
                    .map(|(c, s, a)| obj! {"content" => c, "status" => *s, "activeForm" => a})
                    .collect();
                let n = items.len();
                self.attachment(
                    obj! {"type" => "todo_reminder", "content" => items, "itemCount" => n},
                );
            }
        }
    }

    fn header(&mut self) {
        if self.era == Era::C {
            self.permission_mode_line();
            if let Some(cmd) = self.proj.hook.clone() {
                let tid = uuid4(&mut self.r);
                let dur = self.r.range(20, 900);
                self.chained_main(
                    vec![
                        ("attachment".into(), obj! {"type" => "hook_success", "hookName" => "SessionStart:startup", "toolUseID" => tid, "hookEvent" => "SessionStart", "content" => "", "stdout" => "", "stderr" => "", "exitCode" => 0, "command" => cmd, "durationMs" => dur}),
                        ("type".into(), J::from("attachment")),
                    ],
                    vec![],
                );
            }
        } else if self.ver >= (2, 1, 0)
            && let Some(cmd) = self.proj.hook.clone()
        {
            let tid = uuid4(&mut self.r);
            for c in [cmd.as_str(), "bd prime"]
                .iter()
                .take(self.r.range(1, 2) as usize)
            {
                let data = obj! {"type" => "hook_progress", "hookEvent" => "SessionStart", "hookName" => "SessionStart:startup", "command" => *c};
                self.chained_main(
                    vec![
                        ("type".into(), J::from("progress")),
                        ("data".into(), data),
                        ("parentToolUseID".into(), J::from(&tid)),
                        ("toolUseID".into(), J::from(&tid)),
                    ],
                    vec![],
                );
            }
        }
        self.tick(2_000, 40_000);
    }

    fn after_first_prompt(&mut self) {
        if self.era != Era::C {
            return;
        }
        let mut listing = String::new();
        for _ in 0..self.r.range(4, 30) {
            let _ = writeln!(
                listing,
                "- {}-{}: {}",
                self.r.pick(VERBS),
                self.r.pick(NOUNS),
                paragraph(&mut self.r, 120)
            );
        }
        let n = listing.lines().count();
        self.attachment(obj! {"type" => "skill_listing", "content" => listing, "skillCount" => n, "isInitial" => true});
        if self.kind == Kind::McpHeavy {
            let names: Vec<J> = MCP_TOOLS
                .iter()
                .map(|(s, t)| J::from(format!("mcp__{s}__{t}")))
                .collect();
            self.attachment(obj! {"type" => "deferred_tools_delta", "addedNames" => names, "removedNames" => Vec::<J>::new()});
        }
    }

    fn compact(&mut self) {
        let aid = format!("acompact-{}", hex(&mut self.r, 6));
        let rel = if self.era == Era::A {
            format!("{}/agent-{aid}.jsonl", self.proj.enc)
        } else {
            format!("{}/{}/subagents/agent-{aid}.jsonl", self.proj.enc, self.sid)
        };
        self.outs.push(Out::new(rel, false));
        let idx = self.outs.len() - 1;
        let saved = self.sub.take();
        self.sub = Some(SubCtx {
            agent_id: aid,
            last: None,
            copy: None,
        });
        let dest = Dest::Sub(idx);
        let n = self.r.logr(1_500, 4_000) as usize;
        let instr = format!(
            "Your task is to create a detailed summary of the conversation so far, paying close attention to the user's explicit requests and your previous actions.\n\n{}",
            paragraph(&mut self.r, n)
        );
        self.sub_prompt(dest, &instr);
        if self.r.chance(0.4) {
            // compaction agents occasionally call a tool: a scanner must not count it
            let c = self.c_read();
            self.respond(dest, vec![c]);
        }
        let n = self.r.logr(2_000, 12_000) as usize;
        let files = self.touched.clone();
        let summary = markdown_summary(&mut self.r, n, &files);
        let msg = self.ids.unique("msg_01", &mut self.r, 11);
        let req = self.req_id();
        let usage = self.usage();
        let model = self.model;
        self.asst_line(
            dest,
            &msg,
            &req,
            obj! {"type" => "text", "text" => &summary},
            &usage,
            None,
            model,
        );
        self.sub = saved;
        let logical = self.last.clone();
        let u = uuid4(&mut self.r);
        let ts = self.tick(100, 2_000);
        let body = vec![
            ("type".to_string(), J::from("system")),
            ("subtype".to_string(), J::from("compact_boundary")),
            ("content".to_string(), J::from("Conversation compacted")),
            ("isMeta".to_string(), J::Bool(false)),
            ("level".to_string(), J::from("info")),
            (
                "compactMetadata".to_string(),
                obj! {"trigger" => "auto", "preTokens" => self.r.range(150_000, 190_000)},
            ),
        ];
        let j = self.env(
            Dest::Main,
            None,
            body,
            &u,
            ts,
            vec![("logicalParentUuid".to_string(), J::from(logical))],
            false,
        );
        self.put(Dest::Main, &j);
        self.last = Some(u.clone());
        let text = format!(
            "This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\n{summary}"
        );
        let u2 = uuid4(&mut self.r);
        let ts = self.tick(1, 20);
        let body = vec![
            ("type".to_string(), J::from("user")),
            (
                "message".to_string(),
                obj! {"role" => "user", "content" => text},
            ),
            ("isVisibleInTranscriptOnly".to_string(), J::Bool(true)),
            ("isCompactSummary".to_string(), J::Bool(true)),
        ];
        let j = self.env(Dest::Main, Some(u), body, &u2, ts, vec![], false);
        self.put(Dest::Main, &j);
        self.last = Some(u2);
    }

    fn resume(&mut self) {
        self.t += self.r.logr(1_800_000, 72_000_000);
        for _ in 0..self.r.range(1, 2) {
            if self.relog_pool.is_empty() {
                break;
            }
            let i = self.r.below(self.relog_pool.len() as u64) as usize;
            let line = self.relog_pool.swap_remove(i);
            self.outs[0].put_raw(&line);
        }
        self.resumed = true;
    }

    fn between(&mut self, turn: usize) {
        self.t += self.r.logr(4_000, 900_000);
        if turn == 0 {
            return;
        }
        if self.era != Era::A && !self.headless && self.r.chance(0.04) {
            let cmd = *self
                .r
                .pick(&["model", "cost", "permissions", "context", "mcp"]);
            self.system(
                vec![
                    ("subtype".into(), J::from("local_command")),
                    ("content".into(), J::from(format!("<command-name>/{cmd}</command-name>\n            <command-message>{cmd}</command-message>\n            <command-args></command-args>"))),
                    ("level".into(), J::from("info")),
                ],
                vec![("isMeta".into(), J::Bool(false))],
            );
            let said = prose_sentence(&mut self.r);
            self.system(
                vec![
                    ("subtype".into(), J::from("local_command")),
                    (
                        "content".into(),
                        J::from(format!(
                            "<local-command-stdout>{said}</local-command-stdout>"
                        )),
                    ),
                    ("level".into(), J::from("info")),
                ],
                vec![("isMeta".into(), J::Bool(false))],
            );
        }
        if !self.relog_pool.is_empty() && self.r.chance(0.06) {
            self.resume();
        }
        if turn >= 3 && self.r.chance(0.06) {
            self.compact();
        }
        let old = self.mode;
        if self.kind == Kind::AcceptEdits && turn == 1 {
            self.mode = "acceptEdits";
        } else if matches!(self.kind, Kind::AutoBurst | Kind::AutoSpread)
            && turn == 1
            && self.mode != "auto"
        {
            self.mode = "auto";
        } else if self.era != Era::A
            && matches!(self.mode, "default" | "acceptEdits")
            && !self.headless
            && self.r.chance(0.05)
        {
            self.mode = if self.mode == "default" {
                "acceptEdits"
            } else {
                "default"
            };
        }
        if old != self.mode {
            self.mode_changed = true;
        }
        if self.mode_changed && self.era == Era::C {
            self.permission_mode_line();
        }
        self.mode_changed = false;
    }

    fn turn_end(&mut self, interrupted: bool) {
        if let Some(q) = &self.pending_queue {
            let _ = q;
            let ts = self.tick(5, 200);
            let op = if self.r.chance(0.5) {
                "dequeue"
            } else {
                "remove"
            };
            let j = obj! {"type" => "queue-operation", "operation" => op, "timestamp" => iso(ts), "sessionId" => &self.sid};
            self.state_line(j);
            if op == "remove" {
                self.pending_queue = None;
            }
        }
        if !interrupted
            && let Some(cmd) = self.proj.hook.clone()
            && self.ver >= (2, 0, 70)
        {
            let tid = uuid4(&mut self.r);
            self.system(
                vec![
                    ("subtype".into(), J::from("stop_hook_summary")),
                    ("hookCount".into(), J::from(1)),
                    ("hookInfos".into(), J::Arr(vec![obj! {"command" => cmd}])),
                    ("hookErrors".into(), J::Arr(vec![])),
                    ("preventedContinuation".into(), J::Bool(false)),
                    ("stopReason".into(), J::from("")),
                    ("hasOutput".into(), J::Bool(true)),
                    ("level".into(), J::from("suggestion")),
                ],
                vec![("toolUseID".into(), J::from(tid))],
            );
        }
        if self.ver >= (2, 1, 15) && self.r.chance(0.3) {
            let dur = self.t.saturating_sub(self.turn_start) + self.r.range(5, 60);
            let mut f = vec![
                ("subtype".to_string(), J::from("turn_duration")),
                ("durationMs".to_string(), J::from(dur)),
            ];
            if self.era == Era::C {
                f.push(("messageCount".into(), J::from(self.r.range(4, 400))));
            }
            self.system(f, vec![("isMeta".into(), J::Bool(false))]);
        }
        if self.era == Era::C && (self.mode_changed || self.r.chance(0.6)) {
            let mut lp = obj! {"type" => "last-prompt", "lastPrompt" => &self.last_prompt};
            if self.ver >= (2, 1, 280) {
                lp.push("leafUuid", self.last.clone());
            }
            lp.push("sessionId", &self.sid);
            self.state_line(lp);
            let m = obj! {"type" => "mode", "mode" => "normal", "sessionId" => &self.sid};
            self.state_line(m);
            self.permission_mode_line();
            self.mode_changed = false;
        }
    }

    fn plan_events(&mut self) -> Vec<Ev> {
        let mut v = Vec::new();
        let c = self.era == Era::C;
        match self.kind {
            Kind::Plain => {
                v.push(Ev::RejectFb);
                v.push(if self.r.chance(0.5) {
                    Ev::RejectErr
                } else {
                    Ev::RejectSynth
                });
            }
            Kind::AcceptEdits => {
                v.push(Ev::RejectFb);
                if self.r.chance(0.5) {
                    v.push(Ev::RejectSynth);
                }
            }
            Kind::PlanFlow => v.push(Ev::PlanExit),
            Kind::Bypass => {
                v.push(Ev::EscBypass);
                if self.r.chance(0.5) {
                    v.push(Ev::EscBypass);
                }
                if self.r.chance(0.3) {
                    v.push(Ev::Rule);
                }
            }
            Kind::DontAsk => {
                for _ in 0..self.r.range(2, 6) {
                    v.push(Ev::DontAsk);
                }
            }
            Kind::AutoBurst => {
                v.push(Ev::AutoBurst);
                v.push(Ev::AutoUnavail);
                if self.r.chance(0.6) {
                    v.push(Ev::SafetyCancel);
                }
            }
            Kind::AutoSpread => {
                for _ in 0..self.r.range(6, 24) {
                    v.push(Ev::AutoBlock);
                }
                if self.r.chance(0.5) {
                    v.push(Ev::AutoUnavail);
                }
            }
            Kind::Headless => {
                for _ in 0..self.r.range(2, 5) {
                    v.push(Ev::Headless);
                }
                if self.r.chance(0.3) {
                    v.push(Ev::Rule);
                }
            }
            Kind::Subagents => {
                v.push(Ev::Subagent {
                    rejects: self.r.range(1, 2) as u8,
                });
                v.push(Ev::Subagent { rejects: 0 });
                if self.r.chance(0.4) {
                    v.push(Ev::BgAgent);
                }
            }
            Kind::RulesHooks => {
                for _ in 0..self.r.range(2, 3) {
                    v.push(Ev::Rule);
                }
                for _ in 0..self.r.range(2, 4) {
                    v.push(Ev::Hook);
                }
            }
            Kind::McpHeavy => {
                v.push(Ev::McpDeny);
                v.push(Ev::McpServerDeny);
                if self.r.chance(0.5) {
                    v.push(Ev::McpDeny);
                }
            }
        }
        if !self.headless {
            let interactive_default = matches!(self.mode, "default" | "acceptEdits")
                && !matches!(self.kind, Kind::AutoBurst | Kind::AutoSpread);
            if self.r.chance(0.06) {
                v.push(Ev::EscMulti);
            }
            if self.r.chance(0.12) {
                v.push(Ev::Subagent {
                    rejects: u8::from(self.r.chance(0.2)),
                });
            }
            if self.r.chance(0.05) {
                v.push(Ev::Decoy);
            }
            if interactive_default && self.r.chance(0.12) {
                v.push(Ev::RejectFb);
            }
            if interactive_default && self.r.chance(0.04) {
                v.push(Ev::RejectSynth);
            }
            if self.r.chance(0.05) {
                v.push(Ev::Rule);
            }
            if self.proj.hook.is_some() && self.r.chance(0.05) {
                v.push(Ev::Hook);
            }
            if c && self.r.chance(0.03) {
                v.push(Ev::McpServerDeny);
            }
        }
        v
    }

    pub(crate) fn run(mut self) -> SessOut {
        let mut n_turns = if self.headless {
            self.r.range(1, 3) as usize
        } else {
            self.r.logr(1, 22) as usize
        };
        let evs = self.plan_events();
        let endings = evs.iter().filter(|e| is_ending(e)).count();
        n_turns = n_turns.max(endings + 1);
        let mut used: Vec<bool> = vec![false; n_turns];
        for e in evs {
            let t = if matches!(e, Ev::PlanExit) {
                0
            } else if is_ending(&e) {
                loop {
                    let t = self.r.below(n_turns as u64) as usize;
                    if !used[t] {
                        break t;
                    }
                }
            } else {
                self.r.below(n_turns as u64) as usize
            };
            if is_ending(&e) {
                used[t] = true;
            }
            self.events.push((t, e));
        }
        self.unresolved_end = !self.headless && self.r.chance(0.12);
        self.header();
        let mut interrupted = false;
        let mut turn = 0;
        while turn < n_turns || self.events.iter().any(|(t, _)| *t >= turn) {
            self.between(turn);
            if let Some(desc) = self.pending_notification.take() {
                let text = format!(
                    "<task-notification>\n<task-id>{}</task-id>\n<status>completed</status>\n<summary>Agent \"{desc}\" completed</summary>\n</task-notification>",
                    hex(&mut self.r, 8)
                );
                self.prompt(text, true);
            } else {
                let text = self.prompt_text(interrupted);
                self.prompt(text, false);
            }
            self.turn_start = self.t;
            if turn == 0 {
                self.after_first_prompt();
            }
            interrupted = self.run_turn(turn);
            self.turn_end(interrupted);
            turn += 1;
        }
        if self.unresolved_end {
            self.t += self.r.logr(4_000, 600_000);
            let text = self.prompt_text(false);
            self.prompt(text, false);
            let calls = if self.r.chance(0.2) {
                let mut c = self.c_task(false);
                c.res = Res::Unresolved;
                vec![c]
            } else {
                (0..self.r.range(1, 2))
                    .map(|_| {
                        let mut c = self.c_prompting();
                        c.res = Res::Unresolved;
                        c
                    })
                    .collect()
            };
            self.respond(Dest::Main, calls);
        } else if self.era == Era::C {
            let mut lp = obj! {"type" => "last-prompt", "lastPrompt" => &self.last_prompt};
            lp.push("sessionId", &self.sid);
            self.state_line(lp);
            self.permission_mode_line();
        }
        self.into_out()
    }

    fn into_out(mut self) -> SessOut {
        if self.resumed && self.era != Era::C {
            let title = capitalize(&format!(
                "{} {} {}",
                self.r.pick(VERBS),
                self.r.pick(ADJS),
                self.r.pick(NOUNS)
            ));
            let mut head = Vec::new();
            write_j(
                &mut head,
                &obj! {"type" => "summary", "summary" => title, "leafUuid" => self.last.clone()},
            );
            head.push(b'\n');
            head.extend_from_slice(&self.outs[0].buf);
            self.outs[0].buf = head;
            self.outs[0].lines += 1;
        }
        let mut gt = std::mem::take(&mut self.gt);
        gt.sessions = 1;
        let mut files = Vec::new();
        for o in self.outs {
            let len = o.buf.len() as u64;
            if o.counted {
                gt.files += 1;
                gt.lines += o.lines;
                gt.bytes += len;
            } else {
                gt.compaction_files += 1;
                gt.compaction_bytes += len;
            }
            files.push((o.rel, o.buf, o.counted, o.lines));
        }
        SessOut {
            gt,
            files,
            side: self.side_files,
            ids: self.ids,
        }
    }
}
