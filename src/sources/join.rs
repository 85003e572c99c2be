//! Joining records that carry no `tool_use` id to calls: by session, tool, input and time
//! order. A record made while a call was pending (after its `tool_use` line, before its
//! result) belongs to a call of the same session whose tool and input agree with it; of
//! several such calls the one whose pending time holds the record's time is taken, the one
//! answered first when there are several (so a run of identical calls, only some of which
//! prompted, gets each record on the right call). See `docs/sources.md`.

use crate::event::{ToolCall, ToolInput};

/// Tolerance around a call's pending time, for clocks read at slightly different moments
/// (a record within this of a call is taken only when none is strictly inside).
pub const SLACK_MS: i64 = 2_000;

/// A record to join: when it was made, the tool it names, and what permissions look at
/// (`None`: the record does not say, any input agrees).
pub struct Probe<'a> {
    /// When the record was made.
    pub at_ms: i64,
    /// The tool as the record names it.
    pub tool: &'a str,
    /// The input as the record gives it.
    pub input: Option<&'a ToolInput>,
}

/// True when a record's tool name and a call's name the same tool: equal, `Task` and
/// `Agent` (the tool's old and new names), or OpenTelemetry's `mcp_tool` for any MCP tool.
pub fn same_tool(record: &str, call: &str) -> bool {
    let agent = |t: &str| matches!(t, "Task" | "Agent");
    record == call
        || (agent(record) && agent(call))
        || (record == "mcp_tool" && call.starts_with("mcp__"))
}

/// True when a record's input and a call's agree: each field both give is equal, except
/// that a path given relative on one side may be the tail of an absolute one on the other
/// (hooks receive absolute paths); parameters only one side gives are ignored.
pub fn same_input(record: &ToolInput, call: &ToolInput) -> bool {
    fn both<'a>(a: &'a Option<String>, b: &'a Option<String>) -> Option<(&'a str, &'a str)> {
        Some((a.as_deref()?, b.as_deref()?))
    }
    let eq = |a: &Option<String>, b: &Option<String>| both(a, b).is_none_or(|(a, b)| a == b);
    let path_eq = both(&record.path, &call.path).is_none_or(|(a, b)| {
        let tail = |abs: &str, rel: &str| {
            let rel = rel.trim_start_matches("./");
            !rel.starts_with('/')
                && abs
                    .strip_suffix(rel)
                    .is_some_and(|head| head.ends_with('/'))
        };
        a == b || tail(a, b) || tail(b, a)
    });
    eq(&record.command, &call.command)
        && path_eq
        && eq(&record.url, &call.url)
        && eq(&record.skill, &call.skill)
        && eq(&record.subagent_type, &call.subagent_type)
        && record.params.iter().all(|(k, v)| {
            call.params
                .iter()
                .find(|(ck, _)| ck == k)
                .is_none_or(|(_, cv)| cv == v)
        })
}

/// Joins `probes` (records of one session) to `calls` (that session's calls, any order):
/// for each probe, in time order, the untaken call of the same tool and input whose
/// pending time holds the probe's (else the nearest within [`SLACK_MS`]), answered first. Returns, per probe, the index into `calls` it joined.
pub fn match_in_order(calls: &[&ToolCall], probes: &[Probe<'_>]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..probes.len()).collect();
    order.sort_by_key(|&p| probes[p].at_ms);
    let mut by_asked: Vec<(i64, usize)> = calls
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((c.asked_ms?, i)))
        .collect();
    by_asked.sort_unstable();
    let mut taken = vec![false; calls.len()];
    let mut out = vec![None; probes.len()];
    for p in order {
        let probe = &probes[p];
        let end = by_asked.partition_point(|(asked, _)| asked - SLACK_MS <= probe.at_ms);
        let best = by_asked[..end]
            .iter()
            .filter(|&&(_, i)| !taken[i])
            .filter_map(|&(asked, i)| {
                let c = calls[i];
                let answered = c.answered_ms.unwrap_or(i64::MAX);
                if answered.saturating_add(SLACK_MS) < probe.at_ms
                    || !same_tool(probe.tool, &c.tool)
                    || !probe.input.is_none_or(|inp| same_input(inp, &c.input))
                {
                    return None;
                }
                // How far the record lies outside the pending time (0: inside).
                let off = (asked - probe.at_ms).max(probe.at_ms - answered).max(0);
                Some(((off, answered, asked), i))
            })
            .min_by_key(|(key, _)| *key)
            .map(|(_, i)| i);
        if let Some(i) = best {
            taken[i] = true;
            out[p] = Some(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Outcome;
    use std::sync::Arc;

    fn call(id: &str, tool: &str, command: &str, asked: i64, answered: i64) -> ToolCall {
        ToolCall {
            id: id.into(),
            session_id: Arc::from("s"),
            project: None,
            file: Arc::from("f"),
            agent_id: None,
            tool: tool.into(),
            input: ToolInput {
                command: Some(command.into()),
                ..ToolInput::default()
            },
            message_id: None,
            asked_ms: Some(asked),
            answered_ms: Some(answered),
            mode: None,
            version: None,
            entrypoint: None,
            git_branch: None,
            developer: None,
            outcome: Outcome::Ran,
            denial_kind: None,
            verified: true,
            reason: None,
            recorded: None,
        }
    }

    #[test]
    fn identical_calls_get_the_record_made_while_they_were_pending() {
        // Three identical calls; only the first and the third waited on a person.
        let calls = [
            call("a", "Bash", "make", 1_000, 9_000),
            call("b", "Bash", "make", 10_000, 10_050),
            call("c", "Bash", "make", 11_000, 20_000),
            call("d", "Bash", "ls", 11_000, 20_000),
        ];
        let refs: Vec<&ToolCall> = calls.iter().collect();
        let input = ToolInput {
            command: Some("make".into()),
            ..ToolInput::default()
        };
        let probe = |at_ms| Probe {
            at_ms,
            tool: "Bash",
            input: Some(&input),
        };
        let got = match_in_order(&refs, &[probe(11_100), probe(1_100)]);
        assert_eq!(got, [Some(2), Some(0)]);
        // A record long after every call joins nothing.
        assert_eq!(match_in_order(&refs, &[probe(60_000)]), [None]);
        // Just before a call's line (clocks read a moment apart): joined within the slack,
        // to the nearest call.
        assert_eq!(match_in_order(&refs, &[probe(9_800)]), [Some(1)]);
    }

    #[test]
    fn inputs_agree_on_what_both_give() {
        let i = |path: &str| ToolInput {
            path: Some(path.into()),
            ..ToolInput::default()
        };
        assert!(same_input(&i("/w/src/a.rs"), &i("src/a.rs")));
        assert!(same_input(&i("./src/a.rs"), &i("/w/src/a.rs")));
        assert!(!same_input(&i("/w/xsrc/a.rs"), &i("src/a.rs")));
        assert!(!same_input(&i("/w/a.rs"), &i("/v/a.rs")));
        let mut p = i("/a");
        p.params = vec![("limit".into(), "5".into())];
        assert!(same_input(&p, &i("/a")));
        let mut q = i("/a");
        q.params = vec![("limit".into(), "6".into())];
        assert!(!same_input(&p, &q));
        assert!(same_tool("Agent", "Task"));
        assert!(same_tool("mcp_tool", "mcp__gh__issue"));
        assert!(!same_tool("Bash", "Read"));
    }
}
