//! Writing the lines of a transcript: the envelope of every line, assistant and user
//! lines, state lines (permission mode, progress, hooks, attachments, file history) and the
//! ground truth of each result.

use super::{
    Dest, Era, Kind, MODELS_A, MODELS_B, MODELS_C, Out, SLUG_A, SLUG_B, SLUG_C, SUB_MODELS, Sess,
    VERS_A, VERS_B, VERS_C, parse_ver,
};
use crate::ids::{Ids, hex, iso, ms_of, uuid4};
use crate::json::J;
use crate::outcomes::{Gt, Res};
use crate::projects::Project;
use crate::rng::Rng;
use std::collections::HashMap;

impl Sess {
    pub(crate) fn new(mut r: Rng, ids: Ids, kind: Kind, proj: Project) -> Sess {
        let era = match kind {
            Kind::Plain | Kind::Subagents | Kind::RulesHooks | Kind::McpHeavy => {
                [Era::A, Era::B, Era::C][r.weighted(&[25, 40, 35])]
            }
            Kind::AcceptEdits | Kind::PlanFlow | Kind::Bypass => {
                [Era::B, Era::C][r.weighted(&[50, 50])]
            }
            Kind::DontAsk => [Era::B, Era::C][r.weighted(&[20, 80])],
            Kind::AutoBurst | Kind::AutoSpread => Era::C,
            Kind::Headless => [Era::B, Era::C][r.weighted(&[30, 70])],
        };
        let vers: Vec<&str> = match era {
            Era::A => VERS_A.to_vec(),
            Era::B => VERS_B
                .iter()
                .copied()
                .filter(|v| match kind {
                    Kind::DontAsk => parse_ver(v) >= (2, 1, 50),
                    Kind::Headless => parse_ver(v) >= (2, 1, 70),
                    _ => true,
                })
                .collect(),
            Era::C => VERS_C.to_vec(),
        };
        let vi = r.below(vers.len() as u64) as usize;
        let version = vers[vi].to_string();
        let ver = parse_ver(&version);
        // Dates follow the versions: era A Oct 2025–Jan 2026, B Jan–Apr, C Apr–Oct.
        let (d0, d1) = match era {
            Era::A => (ms_of(2025, 10, 1), ms_of(2026, 1, 14)),
            Era::B => (ms_of(2026, 1, 15), ms_of(2026, 4, 10)),
            Era::C => (ms_of(2026, 4, 15), ms_of(2026, 10, 20)),
        };
        let all = match era {
            Era::A => VERS_A.len(),
            Era::B => VERS_B.len(),
            Era::C => VERS_C.len(),
        } as u64;
        let pos = match era {
            Era::A => VERS_A.iter().position(|v| *v == version),
            Era::B => VERS_B.iter().position(|v| *v == version),
            Era::C => VERS_C.iter().position(|v| *v == version),
        }
        .unwrap_or(0) as u64;
        let day = (d1 - d0) / 86_400_000 * pos / all + r.below(6);
        let t = d0 + day * 86_400_000 + r.range(7, 21) * 3_600_000 + r.below(3_600_000);
        let headless = kind == Kind::Headless;
        let entry = if ver >= (2, 1, 70) {
            Some(if headless { "sdk-cli" } else { "cli" })
        } else {
            None
        };
        let model = r.word(match era {
            Era::A => MODELS_A,
            Era::B => MODELS_B,
            Era::C => MODELS_C,
        });
        let sub_model = r.word(SUB_MODELS);
        let branch = if r.chance(0.5) {
            proj.branches[0].clone()
        } else {
            r.pick(&proj.branches).clone()
        };
        let slug = format!("{}-{}-{}", r.pick(SLUG_A), r.pick(SLUG_B), r.pick(SLUG_C));
        let sid = uuid4(&mut r);
        let mode = match kind {
            Kind::PlanFlow => "plan",
            Kind::Bypass => "bypassPermissions",
            Kind::DontAsk => "dontAsk",
            Kind::AutoBurst | Kind::AutoSpread => "auto",
            Kind::Plain | Kind::Subagents | Kind::McpHeavy | Kind::RulesHooks
                if era != Era::A && r.chance(0.15) =>
            {
                "acceptEdits"
            }
            _ => "default",
        };
        let main = Out::new(format!("{}/{}.jsonl", proj.enc, sid), true);
        Sess {
            r,
            ids,
            era,
            ver,
            version,
            kind,
            sid,
            proj,
            branch,
            slug,
            slug_on: false,
            entry,
            headless,
            model,
            sub_model,
            t,
            mode,
            outs: vec![main],
            side_files: Vec::new(),
            last: None,
            prompt_id: None,
            cache: HashMap::new(),
            gt: Gt::default(),
            auto_consec: 0,
            auto_total: 0,
            events: Vec::new(),
            relog_pool: Vec::new(),
            resumed: false,
            todos: Vec::new(),
            touched: Vec::new(),
            last_prompt: String::new(),
            sub: None,
            first_tool_result_done: false,
            pending_sub_rejects: 0,
            pending_agent: None,
            pending_notification: None,
            pending_queue: None,
            mode_changed: false,
            unresolved_end: false,
            turn_start: 0,
        }
    }

    // ----- envelope and line writers -------------------------------------

    pub(super) fn new_order(&self) -> bool {
        self.ver >= (2, 1, 70)
    }

    pub(super) fn tick(&mut self, lo: u64, hi: u64) -> u64 {
        self.t += self.r.range(lo, hi);
        self.t
    }

    fn agent_of(&self, dest: Dest) -> Option<String> {
        match dest {
            Dest::Main => None,
            Dest::Sub(_) => self.sub.as_ref().map(|s| s.agent_id.clone()),
        }
    }

    fn last_of(&self, dest: Dest) -> Option<String> {
        match dest {
            Dest::Main => self.last.clone(),
            Dest::Sub(_) => self.sub.as_ref().and_then(|s| s.last.clone()),
        }
    }

    pub(super) fn set_last(&mut self, dest: Dest, u: &str) {
        match dest {
            Dest::Main => self.last = Some(u.to_string()),
            Dest::Sub(_) => {
                if let Some(s) = self.sub.as_mut() {
                    s.last = Some(u.to_string())
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn env(
        &self,
        dest: Dest,
        parent: Option<String>,
        body: Vec<(String, J)>,
        uuid: &str,
        ts: u64,
        extras: Vec<(String, J)>,
        with_prompt_id: bool,
    ) -> J {
        let agent = self.agent_of(dest);
        let mut f: Vec<(String, J)> = Vec::with_capacity(24);
        f.push(("parentUuid".into(), J::from(parent)));
        f.push(("isSidechain".into(), J::Bool(agent.is_some())));
        if self.new_order() {
            if with_prompt_id
                && self.era == Era::C
                && let Some(p) = &self.prompt_id
            {
                f.push(("promptId".into(), p.into()));
            }
            if let Some(a) = &agent {
                f.push(("agentId".into(), a.into()));
            }
            f.extend(body);
            f.push(("uuid".into(), uuid.into()));
            f.push(("timestamp".into(), iso(ts).into()));
            f.extend(extras);
            f.push(("userType".into(), "external".into()));
            if let Some(e) = self.entry {
                f.push(("entrypoint".into(), e.into()));
            }
            f.push(("cwd".into(), (&self.proj.cwd).into()));
            f.push(("sessionId".into(), (&self.sid).into()));
            f.push(("version".into(), (&self.version).into()));
            f.push(("gitBranch".into(), (&self.branch).into()));
            if self.slug_on {
                f.push(("slug".into(), (&self.slug).into()));
            }
        } else {
            f.push(("userType".into(), "external".into()));
            f.push(("cwd".into(), (&self.proj.cwd).into()));
            f.push(("sessionId".into(), (&self.sid).into()));
            f.push(("version".into(), (&self.version).into()));
            f.push(("gitBranch".into(), (&self.branch).into()));
            if let Some(a) = &agent {
                f.push(("agentId".into(), a.into()));
            }
            if self.slug_on {
                f.push(("slug".into(), (&self.slug).into()));
            }
            f.extend(body);
            f.push(("uuid".into(), uuid.into()));
            f.push(("timestamp".into(), iso(ts).into()));
            f.extend(extras);
        }
        J::Obj(f)
    }

    fn out_idx(&self, dest: Dest) -> usize {
        match dest {
            Dest::Main => 0,
            Dest::Sub(i) => i,
        }
    }

    pub(super) fn put(&mut self, dest: Dest, j: &J) -> Vec<u8> {
        let i = self.out_idx(dest);
        self.outs[i].put(j).to_vec()
    }

    /// A line of the session itself (`progress`, `system`, `attachment`…).
    fn put_main(
        &mut self,
        body: Vec<(String, J)>,
        extras: Vec<(String, J)>,
        parent: Option<String>,
    ) -> String {
        let u = uuid4(&mut self.r);
        let ts = self.tick(1, 60);
        let j = self.env(Dest::Main, parent, body, &u, ts, extras, false);
        self.put(Dest::Main, &j);
        u
    }

    pub(super) fn chained_main(
        &mut self,
        body: Vec<(String, J)>,
        extras: Vec<(String, J)>,
    ) -> String {
        let p = self.last.clone();
        let u = self.put_main(body, extras, p);
        self.last = Some(u.clone());
        u
    }

    /// State lines without envelope (era C).
    pub(super) fn state_line(&mut self, j: J) {
        self.put(Dest::Main, &j);
    }

    pub(super) fn permission_mode_line(&mut self) {
        let j = obj! {"type" => "permission-mode", "permissionMode" => self.mode, "sessionId" => &self.sid};
        self.state_line(j);
        self.gt.mode_lines += 1;
    }

    /// Era B: the parent transcript's `agent_progress` copy of a subagent line.
    pub(super) fn copy_to_parent(&mut self, nested: J) {
        let Some((task_id, agent_msg, prompt, aid)) = self.sub.as_ref().and_then(|s| {
            s.copy
                .clone()
                .map(|(a, b, c)| (a, b, c, s.agent_id.clone()))
        }) else {
            return;
        };
        let data = obj! {
            "message" => nested,
            "normalizedMessages" => Vec::<J>::new(),
            "type" => "agent_progress",
            "prompt" => prompt,
            "agentId" => aid,
        };
        let body = vec![
            ("type".into(), J::from("progress")),
            ("data".into(), data),
            ("toolUseID".into(), J::from(agent_msg)),
            ("parentToolUseID".into(), J::from(task_id)),
        ];
        self.chained_main(body, vec![]);
    }

    pub(super) fn progress(&mut self, data: J, tool_use_id: &str, parent_tool_use_id: &str) {
        let body = vec![
            ("type".into(), J::from("progress")),
            ("data".into(), data),
            ("toolUseID".into(), J::from(tool_use_id)),
            ("parentToolUseID".into(), J::from(parent_tool_use_id)),
        ];
        // progress lines hang off the line before them but do not move the chain
        let p = self.last.clone();
        self.put_main(body, vec![], p);
    }

    pub(super) fn hook_progress(&mut self, event: &str, tool: &str, tool_id: &str) {
        if self.era == Era::C || self.sub.is_some() {
            return;
        }
        if let Some(cmd) = self.proj.hook.clone() {
            let data = obj! {"type" => "hook_progress", "hookEvent" => event, "hookName" => format!("{event}:{tool}"), "command" => cmd};
            self.progress(data, tool_id, tool_id);
        }
    }

    pub(super) fn usage(&mut self) -> J {
        let cc = self.r.logr(50, 40_000);
        let mut u = obj! {
            "input_tokens" => self.r.range(1, 12),
            "cache_creation_input_tokens" => cc,
            "cache_read_input_tokens" => self.r.logr(10_000, 180_000),
            "cache_creation" => obj!{"ephemeral_5m_input_tokens" => 0, "ephemeral_1h_input_tokens" => cc},
            "output_tokens" => self.r.logr(1, 2_000),
            "service_tier" => "standard",
        };
        if self.ver >= (2, 1, 17) {
            u.push("inference_geo", "not_available");
        }
        u
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn asst_line(
        &mut self,
        dest: Dest,
        msg_id: &str,
        req_id: &str,
        block: J,
        usage: &J,
        stop: Option<&str>,
        model: &str,
    ) -> (String, Vec<u8>) {
        let u = uuid4(&mut self.r);
        let ts = self.tick(200, 2_500);
        let mut msg = obj! {
            "model" => model,
            "id" => msg_id,
            "type" => "message",
            "role" => "assistant",
            "content" => vec![block],
            "stop_reason" => stop,
            "stop_sequence" => J::Null,
            "usage" => usage.clone(),
        };
        if self.era == Era::C {
            msg.push("context_management", J::Null);
        }
        let body = vec![
            ("message".into(), msg.clone()),
            ("requestId".into(), J::from(req_id)),
            ("type".into(), J::from("assistant")),
        ];
        let parent = self.last_of(dest);
        let j = self.env(dest, parent, body, &u, ts, vec![], false);
        let bytes = self.put(dest, &j);
        self.set_last(dest, &u);
        if dest != Dest::Main && self.sub.as_ref().is_some_and(|s| s.copy.is_some()) {
            let mut m = msg;
            if self.era != Era::C {
                m.push("context_management", J::Null);
            }
            let nested = obj! {"type" => "assistant", "timestamp" => iso(ts), "message" => m, "requestId" => req_id, "uuid" => &u};
            self.copy_to_parent(nested);
        }
        (u, bytes)
    }

    /// A `user` line carrying tool results or text blocks.
    pub(super) fn user_blocks(
        &mut self,
        dest: Dest,
        parent: Option<String>,
        content: J,
        extras: Vec<(String, J)>,
        tur_for_copy: Option<J>,
    ) -> String {
        let u = uuid4(&mut self.r);
        let ts = self.tick(1, 3);
        let body = vec![
            ("type".into(), J::from("user")),
            (
                "message".into(),
                obj! {"role" => "user", "content" => content.clone()},
            ),
        ];
        let j = self.env(dest, parent, body, &u, ts, extras, true);
        self.put(dest, &j);
        self.set_last(dest, &u);
        if dest != Dest::Main && self.sub.as_ref().is_some_and(|s| s.copy.is_some()) {
            let mut nested = obj! {"type" => "user", "message" => obj!{"role" => "user", "content" => content}, "uuid" => &u, "timestamp" => iso(ts)};
            if let Some(t) = tur_for_copy {
                nested.push("toolUseResult", t);
            }
            self.copy_to_parent(nested);
        }
        u
    }

    pub(super) fn marker(&mut self, dest: Dest, text: &str) {
        self.tick(1, 40);
        let p = self.last_of(dest);
        self.user_blocks(
            dest,
            p,
            J::Arr(vec![obj! {"type" => "text", "text" => text}]),
            vec![],
            None,
        );
    }

    pub(super) fn system(&mut self, fields: Vec<(String, J)>, extras: Vec<(String, J)>) {
        let mut body = vec![("type".into(), J::from("system"))];
        body.extend(fields);
        self.chained_main(body, extras);
    }

    pub(super) fn attachment(&mut self, att: J) {
        if self.era != Era::C {
            return;
        }
        self.chained_main(
            vec![
                ("attachment".into(), att),
                ("type".into(), J::from("attachment")),
            ],
            vec![],
        );
    }

    pub(super) fn file_history(&mut self, msg_uuid: &str, update: bool) {
        let mut backups = J::Obj(vec![]);
        // Real snapshots list the files tracked so far (three in four of the sample's are
        // not empty), updates or not.
        if update || !self.touched.is_empty() {
            let files: Vec<String> = self.touched.iter().rev().take(4).cloned().collect();
            for f in files {
                let name = if self.r.chance(0.2) {
                    J::Null
                } else {
                    J::from(format!("{}@v{}", hex(&mut self.r, 16), self.r.range(1, 4)))
                };
                let v = self.r.range(1, 5);
                let bt = iso(self.t);
                backups.push(
                    &f,
                    obj! {"backupFileName" => name, "version" => v, "backupTime" => bt},
                );
            }
        }
        let j = obj! {
            "type" => "file-history-snapshot",
            "messageId" => msg_uuid,
            "snapshot" => obj!{"messageId" => msg_uuid, "trackedFileBackups" => backups, "timestamp" => iso(self.t + 150)},
            "isSnapshotUpdate" => update,
        };
        self.put(Dest::Main, &j);
    }

    // ----- ground truth ---------------------------------------------------

    pub(super) fn record(&mut self, name: &str, res: &Res, sub: bool, kind: Option<&str>) {
        if self
            .sub
            .as_ref()
            .is_some_and(|s| s.agent_id.starts_with("acompact-"))
        {
            return; // compaction agents are not read
        }
        self.gt.tool_calls += 1;
        if sub {
            self.gt.subagent_calls += 1;
        }
        *self.gt.by_tool.entry(name.to_string()).or_default() += 1;
        *self
            .gt
            .outcomes
            .entry(res.outcome().to_string())
            .or_default() += 1;
        if name.starts_with("mcp__") && res.is_denial() && kind.is_none() {
            self.gt.unverified += 1;
        }
    }
}
