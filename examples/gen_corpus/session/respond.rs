//! Assistant responses: a message with its calls and their results, skills, background and
//! foreground subagents, and auto mode's classifier decisions.

use super::{Call, Dest, Era, Out, Payload, Sess, Spec, SubCtx};
use crate::ids::{B58, b58_of, hex, iso, rand_chars, uuid4};
use crate::json::{J, write_j};
use crate::outcomes::{FEEDBACK, INTERRUPT_TOOL, Res, WORKAROUND};
use crate::words::{
    capitalize, cut, cut_tail, markdown_summary, paragraph, signature, thinking_text,
};

impl Sess {
    // ----- responses -------------------------------------------------------

    pub(super) fn req_id(&mut self) -> String {
        let mut s = String::from("req_011C");
        b58_of(self.r.next(), 11, &mut s);
        rand_chars(&mut self.r, B58, 7, &mut s);
        s
    }

    pub(super) fn think_block(&mut self) -> J {
        let (t, n) = if self.era == Era::C && self.r.chance(0.2) {
            (String::new(), self.r.logr(100, 2500) as usize)
        } else {
            let len = if self.r.chance(0.1) {
                self.r.logr(1_000, 4_200)
            } else {
                self.r.logr(15, 1_500)
            } as usize;
            let t = thinking_text(&mut self.r, len);
            let n = t.len();
            (t, n)
        };
        let sig = signature(&mut self.r, n);
        obj! {"type" => "thinking", "thinking" => t, "signature" => sig}
    }

    /// One model response: optional thinking and text, one line per tool call,
    /// then the results. Returns true when the turn ended (rejection, Esc).
    pub(super) fn respond(&mut self, dest: Dest, mut calls: Vec<Call>) -> bool {
        let msg_id = self.ids.unique("msg_01", &mut self.r, 11);
        let req = self.req_id();
        let usage = self.usage();
        let model = if dest == Dest::Main {
            self.model
        } else {
            self.sub_model
        };
        if self.r.chance(if dest == Dest::Main { 0.7 } else { 0.25 }) {
            let b = self.think_block();
            self.asst_line(dest, &msg_id, &req, b, &usage, None, model);
        }
        if self.r.chance(0.3) {
            let n = self.r.logr(10, 500) as usize;
            let text = paragraph(&mut self.r, n);
            self.asst_line(
                dest,
                &msg_id,
                &req,
                obj! {"type" => "text", "text" => text},
                &usage,
                None,
                model,
            );
        }
        let n = calls.len();
        for (i, c) in calls.iter_mut().enumerate() {
            let mut tu = obj! {"type" => "tool_use", "id" => &c.id, "name" => &c.name, "input" => c.input.clone()};
            if self.ver >= (2, 1, 36) {
                tu.push("caller", obj! {"type" => "direct"});
            }
            let stop = (self.era == Era::C && i + 1 == n).then_some("tool_use");
            let (u, bytes) = self.asst_line(dest, &msg_id, &req, tu, &usage, stop, model);
            c.line_uuid = u;
            if dest == Dest::Main
                && self.relog_pool.len() < 24
                && self.r.chance(0.3)
                && !matches!(c.res, Res::Unresolved)
            {
                self.relog_pool.push(bytes);
            }
            // PreToolUse hooks are mostly set for Bash (the sample has a third as many
            // PreToolUse as PostToolUse progress lines).
            if dest == Dest::Main && c.name == "Bash" {
                let (name, id) = (c.name.clone(), c.id.clone());
                self.hook_progress("PreToolUse", &name, &id);
            }
        }
        let mut ended = false;
        for c in &calls {
            if matches!(c.res, Res::Unresolved) {
                if matches!(c.spec, Spec::Task { .. }) {
                    self.subagent_body(c, &msg_id, true);
                }
                self.record(&c.name, &c.res, dest != Dest::Main, None);
                continue;
            }
            self.finish(dest, c, &msg_id);
            ended |= c.res.ends_turn();
        }
        if ended {
            self.marker(dest, INTERRUPT_TOOL);
        }
        ended
    }

    #[allow(clippy::too_many_arguments)]
    fn result_line(
        &mut self,
        dest: Dest,
        c: &Call,
        content: J,
        is_error: Option<bool>,
        tur: Option<J>,
        kind: Option<&str>,
        tur_copy: Option<J>,
    ) {
        let block = if is_error == Some(true) {
            obj! {"type" => "tool_result", "content" => content, "is_error" => true, "tool_use_id" => &c.id}
        } else {
            let mut b =
                obj! {"tool_use_id" => &c.id, "type" => "tool_result", "content" => content};
            if is_error == Some(false) {
                b.push("is_error", false);
            }
            b
        };
        let mut extras = vec![];
        if let Some(t) = tur {
            extras.push(("toolUseResult".to_string(), t));
            if self.ver >= (2, 1, 0) {
                extras.push(("sourceToolAssistantUUID".to_string(), J::from(&c.line_uuid)));
            }
        }
        if let Some(k) = kind {
            extras.push(("toolDenialKind".to_string(), J::from(k)));
        }
        self.user_blocks(
            dest,
            Some(c.line_uuid.clone()),
            J::Arr(vec![block]),
            extras,
            tur_copy,
        );
        if dest == Dest::Main && !self.first_tool_result_done {
            self.first_tool_result_done = true;
            self.slug_on = self.ver >= (2, 0, 70);
        }
    }

    fn finish(&mut self, dest: Dest, c: &Call, msg_id: &str) {
        let sub = dest != Dest::Main;
        let prompted = self.prompted(c);
        let wait = if prompted {
            self.r.logr(1_000, 60_000)
        } else {
            self.r.range(3, 250)
        };
        match &c.res {
            Res::Ran | Res::Err => {
                let err = matches!(c.res, Res::Err);
                self.t += wait;
                let bg = matches!(c.spec, Spec::Task { bg: true, .. });
                let p = match &c.spec {
                    Spec::Task { .. } if bg => self.bg_launch(c),
                    Spec::Task { .. } => self.subagent_body(c, msg_id, false),
                    _ => self.exec(dest, c, err),
                };
                let mut spent = 0;
                if dest == Dest::Main
                    && self.era != Era::C
                    && p.ms > 3_000
                    && let Spec::Bash(b) = &c.spec
                {
                    let k = (p.ms / 2_500).min(6);
                    let full = b.run.stdout.clone() + &b.run.stderr;
                    for i in 0..k {
                        let step = p.ms / (k + 1);
                        self.t += step;
                        spent += step;
                        let upto = full.len() * (i as usize + 1) / (k as usize + 1);
                        let so_far = cut(&full, upto);
                        let data = obj! {
                            "type" => "bash_progress",
                            "output" => cut_tail(so_far, 600),
                            "fullOutput" => cut(so_far, 1_500),
                            "elapsedTimeSeconds" => (spent / 1000).max(1),
                            "totalLines" => so_far.matches('\n').count(),
                        };
                        self.progress(data, &format!("bash-progress-{i}"), &c.id);
                    }
                }
                if !matches!(c.spec, Spec::Task { .. }) {
                    self.t += p.ms.saturating_sub(spent);
                }
                if dest == Dest::Main && !err {
                    let (name, id) = (c.name.clone(), c.id.clone());
                    self.hook_progress("PostToolUse", &name, &id);
                }
                let tur_copy = if sub && p.tur.as_str().is_some() {
                    Some(p.tur.clone())
                } else {
                    None
                };
                let tur = (!sub).then_some(p.tur);
                self.result_line(dest, c, p.content, p.is_error, tur, None, tur_copy);
                if dest == Dest::Main
                    && !err
                    && let Spec::Skill { name } = &c.spec
                {
                    self.skill_meta(name.clone(), &c.id);
                }
                self.record(&c.name, &c.res, sub, None);
                if bg {
                    self.subagent_body(c, msg_id, false);
                }
            }
            _ => {
                let classifier = matches!(c.res, Res::AutoBlock(_) | Res::AutoUnavail(_));
                self.t += if classifier {
                    self.r.range(800, 6_000)
                } else {
                    wait
                };
                let (text, tur, kind) = self.denial(c);
                let kind = if sub { None } else { kind };
                let tur_s = J::from(tur);
                let (tur, tur_copy) = if sub {
                    (None, Some(tur_s))
                } else {
                    (Some(tur_s), None)
                };
                self.result_line(dest, c, J::from(text), Some(true), tur, kind, tur_copy);
                self.record(&c.name, &c.res, sub, kind);
            }
        }
    }

    fn skill_meta(&mut self, name: String, tool_id: &str) {
        let n = self.r.logr(400, 5000) as usize;
        let text = format!(
            "Base directory for this skill: {}\n\n# {}\n\n{}",
            self.proj.home_path(&format!(".claude/skills/{name}")),
            capitalize(&name),
            markdown_summary(&mut self.r, n, &[])
        );
        self.tick(1, 5);
        let u = uuid4(&mut self.r);
        let ts = self.tick(1, 3);
        let body = vec![
            ("type".to_string(), J::from("user")),
            (
                "message".to_string(),
                obj! {"role" => "user", "content" => vec![obj!{"type" => "text", "text" => text}]},
            ),
            ("isMeta".to_string(), J::Bool(true)),
        ];
        let p = self.last.clone();
        let j = self.env(
            Dest::Main,
            p,
            body,
            &u,
            ts,
            vec![("sourceToolUseID".to_string(), J::from(tool_id))],
            false,
        );
        self.put(Dest::Main, &j);
        self.last = Some(u);
    }

    // ----- subagents ---------------------------------------------------------

    fn bg_launch(&mut self, c: &Call) -> Payload {
        let Spec::Task { desc, prompt, .. } = &c.spec else {
            unreachable!()
        };
        let aid = self.next_agent_id();
        self.pending_agent = Some(aid.clone());
        let text = format!(
            "Async agent launched successfully.\nagentId: {aid} (internal ID - do not mention to user. Use to resume later if needed.)\nThe agent is working in the background. You will be notified automatically when it completes.\nContinue with other tasks."
        );
        let tur = obj! {"isAsync" => true, "status" => "async_launched", "agentId" => &aid, "description" => desc, "prompt" => prompt};
        Payload {
            content: J::Arr(vec![obj! {"type" => "text", "text" => text}]),
            is_error: None,
            tur,
            ms: 40,
        }
    }

    fn next_agent_id(&mut self) -> String {
        if self.era == Era::C {
            format!("a{}", hex(&mut self.r, 16))
        } else {
            format!("a{}", hex(&mut self.r, 6))
        }
    }

    /// Runs a subagent: its own file (and era-B `agent_progress` copies in the
    /// parent). Returns the Task/Agent result.
    fn subagent_body(&mut self, c: &Call, msg_id: &str, partial: bool) -> Payload {
        let Spec::Task {
            desc,
            prompt,
            agent_type,
            bg,
        } = &c.spec
        else {
            unreachable!()
        };
        let aid = self
            .pending_agent
            .take()
            .unwrap_or_else(|| self.next_agent_id());
        let rel = if self.era == Era::A {
            format!("{}/agent-{aid}.jsonl", self.proj.enc)
        } else {
            format!("{}/{}/subagents/agent-{aid}.jsonl", self.proj.enc, self.sid)
        };
        self.outs.push(Out::new(rel, true));
        let idx = self.outs.len() - 1;
        if self.era == Era::C {
            let mut meta = Vec::new();
            write_j(
                &mut meta,
                &obj! {"agentType" => agent_type, "description" => desc},
            );
            self.side_files.push((
                format!(
                    "{}/{}/subagents/agent-{aid}.meta.json",
                    self.proj.enc, self.sid
                ),
                meta,
            ));
        }
        let copy = (self.era == Era::B && !bg)
            .then(|| (c.id.clone(), format!("agent_{msg_id}"), prompt.clone()));
        let saved = self.sub.take();
        self.sub = Some(SubCtx {
            agent_id: aid.clone(),
            last: None,
            copy,
        });
        let dest = Dest::Sub(idx);
        let start = self.t;
        self.sub_prompt(dest, prompt);
        let rounds = self.r.logr(2, 10) as usize;
        let mut rejects = std::mem::take(&mut self.pending_sub_rejects) as usize;
        let mut bg_denials = if *bg { self.r.range(1, 2) as usize } else { 0 };
        let mut tools = 0;
        for i in 0..rounds.max(rejects + bg_denials) {
            let last = i + 1 == rounds.max(rejects + bg_denials);
            let k = [1, 2, 3][self.r.weighted(&[60, 25, 15])];
            let mut calls: Vec<Call> = (0..k).map(|_| self.c_random(true)).collect();
            if rejects > 0 && (self.r.chance(0.5) || rounds.saturating_sub(i) <= rejects) {
                let mut cc = if self.r.chance(0.6) {
                    self.c_risky()
                } else {
                    self.c_edit()
                };
                cc.res = Res::SubReject(
                    self.r
                        .chance(0.4)
                        .then(|| self.r.pick(FEEDBACK).to_string()),
                );
                calls[0] = cc;
                rejects -= 1;
            } else if bg_denials > 0
                && (self.r.chance(0.5) || rounds.saturating_sub(i) <= bg_denials)
            {
                let mut cc = if self.r.chance(0.6) {
                    self.c_risky()
                } else {
                    self.c_write()
                };
                cc.res = Res::BgDeny;
                calls[0] = cc;
                bg_denials -= 1;
            } else if self.mode == "auto" && self.r.chance(0.12) {
                let mut cc = self.c_risky();
                let t = self.auto_block_text(&cc);
                cc.res = Res::AutoBlock(t);
                calls[0] = cc;
            } else if self.r.chance(0.02) {
                let mut cc = self.c_risky();
                let cmd = cc
                    .input
                    .get("command")
                    .and_then(J::as_str)
                    .unwrap_or("")
                    .to_string();
                cc.res = Res::Rule(format!(
                    "Permission to use Bash with command {cmd} has been denied."
                ));
                calls[0] = cc;
            }
            if partial && last {
                for cc in calls.iter_mut() {
                    cc.res = Res::Unresolved;
                }
            }
            tools += calls.len();
            self.respond(dest, calls);
            self.tick(300, 4_000);
        }
        if partial {
            self.sub = saved;
            return Payload {
                content: J::Null,
                is_error: None,
                tur: J::Null,
                ms: 0,
            };
        }
        let n = self.r.logr(400, 12_000) as usize;
        let files: Vec<String> = self
            .proj
            .code_files()
            .iter()
            .map(|(p, _)| p.clone())
            .take(8)
            .collect();
        let report = markdown_summary(&mut self.r, n, &files);
        let msg = self.ids.unique("msg_01", &mut self.r, 11);
        let req = self.req_id();
        let usage = self.usage();
        let model = self.sub_model;
        let stop = (self.era == Era::C).then_some("end_turn");
        self.asst_line(
            dest,
            &msg,
            &req,
            obj! {"type" => "text", "text" => &report},
            &usage,
            stop,
            model,
        );
        self.sub = saved;
        let ms = self.t - start;
        let tokens = self.r.logr(5_000, 120_000);
        let mut content = vec![obj! {"type" => "text", "text" => &report}];
        if self.ver >= (2, 1, 30) {
            content.push(obj! {"type" => "text", "text" => format!("agentId: {aid} (for resuming to continue this agent's work if needed)\n<usage>total_tokens: {tokens}\ntool_uses: {tools}\nduration_ms: {ms}</usage>")});
        }
        let tur = obj! {
            "status" => "completed", "prompt" => prompt, "agentId" => &aid,
            "content" => vec![obj!{"type" => "text", "text" => &report}],
            "totalDurationMs" => ms, "totalTokens" => tokens, "totalToolUseCount" => tools,
            "usage" => usage,
        };
        Payload {
            content: J::Arr(content),
            is_error: None,
            tur,
            ms: 0,
        }
    }

    pub(super) fn sub_prompt(&mut self, dest: Dest, prompt: &str) {
        self.tick(50, 400);
        let u = uuid4(&mut self.r);
        let ts = self.t;
        let body = vec![
            ("type".to_string(), J::from("user")),
            (
                "message".to_string(),
                obj! {"role" => "user", "content" => prompt},
            ),
        ];
        let j = self.env(dest, None, body, &u, ts, vec![], true);
        self.put(dest, &j);
        self.set_last(dest, &u);
        if self.sub.as_ref().is_some_and(|s| s.copy.is_some()) {
            let nested = obj! {"type" => "user", "message" => obj!{"role" => "user", "content" => vec![obj!{"type" => "text", "text" => prompt}]}, "uuid" => &u, "timestamp" => iso(ts)};
            self.copy_to_parent(nested);
        }
    }

    // ----- auto mode -----------------------------------------------------------

    /// The denial tracking of auto mode: true = the classifier's block is
    /// written, false = the limit was reached and a dialog is shown instead.
    pub(super) fn auto_decide(&mut self) -> bool {
        if self.auto_consec >= 3 || self.auto_total >= 20 {
            if self.auto_total >= 20 {
                self.auto_total = 0;
            }
            self.auto_consec = 0;
            false
        } else {
            self.auto_consec += 1;
            self.auto_total += 1;
            true
        }
    }

    pub(super) fn auto_block_text(&mut self, c: &Call) -> String {
        let (cat, reason) = c.risk.clone().unwrap_or((
            "[Blocked]",
            "the action could not be verified as safe".to_string(),
        ));
        let tail = format!(
            "If you have other tasks that don't depend on this action, continue working on those. {WORKAROUND} To allow this type of action in the future, the user can add a {} permission rule to their settings.",
            c.name
        );
        if self.ver < (2, 1, 142) {
            format!(
                "Permission for this action has been denied. Reason: {}. {tail}",
                capitalize(&reason)
            )
        } else if self.r.chance(0.05) {
            format!(
                "Permission for this action was denied by the dangerous action safety classifier. Reason: {}.",
                capitalize(&reason)
            )
        } else if self.r.chance(0.2) {
            format!(
                "Permission for this action was denied by the Claude Code auto mode classifier. Reason: Blocked by classifier. {tail}"
            )
        } else {
            format!(
                "Permission for this action was denied by the Claude Code auto mode classifier. Reason: {cat} {reason}. {tail}"
            )
        }
    }

    pub(super) fn auto_unavail_text(&mut self, c: &Call) -> String {
        if self.r.chance(0.15) {
            "Auto mode could not evaluate this action and is blocking it for safety. Try again in a moment, or continue with other tasks that don't require this action.".to_string()
        } else {
            let m = *self
                .r
                .pick(&["claude-opus-4-6", "claude-sonnet-4-6", "claude-opus-4-7"]);
            format!(
                "{m} is temporarily unavailable, so auto mode cannot determine the safety of {} right now. Wait briefly and then try this action again. If it keeps failing, continue with other tasks that don't require this action and come back to it later. Note: reading files, searching code, and other read-only operations do not require the classifier and can still be used.",
                c.name
            )
        }
    }
}
