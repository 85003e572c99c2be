#!/usr/bin/env python3
"""Independent reference counter for the real transcripts in data/real/.

Written without looking at the Rust scanner (src/). Standard library only.

Usage (from the repository root):
    python3 tests/expected/count_real.py                 # prints real_counts.json to stdout
    python3 tests/expected/count_real.py --write         # (re)writes tests/expected/real_counts.json
    python3 tests/expected/count_real.py --details       # human-readable list of every non-`ran`
                                                         # call + anomaly report (markdown)
Optional: --data DIR (default: data/real next to tests/).

Definitions implemented (see tests/expected/README.md for the prose version):
  * a "line" is a non-blank line of the file (split on b"\n"); each must parse as a JSON object
  * tool calls = `tool_use` blocks of top-level `assistant` lines (message.content[]) plus
    `tool_use` blocks of nested assistant messages in `progress` lines with
    data.type == "agent_progress" (data.message.message.content[]); distinct by `id`
  * results = `tool_result` blocks of top-level `user` lines (message.content[]) plus those of
    nested user messages in agent_progress lines; the first result seen for an id is used
  * outcome rules 1..11 exactly as numbered in the README (first match wins)
"""
import json
import os
import re
import sys
from collections import Counter, OrderedDict, defaultdict
from datetime import datetime

R1 = "The user doesn't want to proceed with this tool use."
FEEDBACK = "the user said:\n"
R3 = "Permission for this tool use was denied."
R4 = "The user doesn't want to take this action right now"
A1 = "Permission for this action has been denied. Reason: "
A1B = "Permission for this action was denied by the Claude Code auto mode classifier"
A2 = "so auto mode cannot determine the safety of"
D4 = "because Claude Code is running in don't ask mode"
NO_PROMPT_TOOLS = {"Read", "Glob", "Grep", "LS", "TodoWrite", "Task", "Agent",
                   "TaskOutput", "BashOutput", "KillShell"}
ESC_TUR = "User rejected tool use"


def text_of(content):
    """tool_result text: the string, or the concatenated `text` of its blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") for b in content
                       if isinstance(b, dict) and isinstance(b.get("text"), str))
    return ""


def classify_text(text):
    """Rules 3..10 (text only). Returns an outcome or None."""
    if text.startswith(R3):
        return "subagent_rejected"
    if text.startswith(R4):
        return "cancelled"
    if text.startswith(A1) or text.startswith(A1B):
        return "automode_blocked"
    if A2 in text:
        return "automode_unavailable"
    if D4 in text:
        return "dontask_denied"
    if text.startswith(("Permission to use ", "Permission to read ", "Permission to edit ")) \
            and "has been denied" in text:
        if "has been denied. IMPORTANT:" in text:
            return "headless_unanswered"
        return "rule_denied"
    if "was blocked by a deny rule" in text or text.startswith("WebFetch denied access to"):
        return "rule_denied"
    if text.startswith("Claude requested permissions to ") \
            or text.startswith("This Bash command contains multiple operations") \
            or "requires approval for this" in text:
        return "headless_unanswered"
    if (text.startswith("PreToolUse:") and "hook error:" in text) \
            or (text.startswith("Hook PreToolUse:") and "denied this tool" in text) \
            or text.startswith("Execution stopped by PreToolUse hook") \
            or text.startswith("Permission denied by hook"):
        return "hook_denied"
    return None


def vkey(v):
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", v))


def ts_key(t):
    return datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ")


def scan_file(path):
    raw = open(path, "rb").read()
    notes = []
    if not raw.endswith(b"\n"):
        notes.append("no trailing newline (wc -l is one less than the line count)")
    lines = []
    bad = 0
    for i, l in enumerate(raw.split(b"\n")):
        if not l.strip():
            continue
        try:
            obj = json.loads(l)
        except ValueError:
            bad += 1
            continue
        if not isinstance(obj, dict):
            bad += 1
            continue
        lines.append(obj)
    if bad:
        notes.append(f"{bad} non-JSON / non-object lines (not counted)")

    types = Counter()
    sessions = set()
    versions = set()
    timestamps = []
    modes = defaultdict(set)            # mode -> set(uuid) of top-level user lines
    calls = OrderedDict()               # id -> dict
    results = {}                        # tool_use_id -> dict (first seen)
    dup_calls = Counter()
    dup_results = Counter()
    mode_now = None

    def add_call(block, lineno, msg_id, subagent, agent_id, mode):
        cid = block.get("id")
        if cid in calls:
            dup_calls[cid] += 1
            if subagent:
                calls[cid]["subagent"] = True
            return
        calls[cid] = dict(id=cid, name=block.get("name"), line=lineno, msg_id=msg_id,
                          subagent=subagent, agent_id=agent_id, mode=mode)

    def add_result(block, lineno, tur, tdk, nested):
        tid = block.get("tool_use_id")
        if tid in results:
            dup_results[tid] += 1
            return
        results[tid] = dict(text=text_of(block.get("content")),
                            is_error=block.get("is_error") is True,
                            tur=tur, tdk=tdk, line=lineno, nested=nested)

    for n, o in enumerate(lines, 1):
        t = o.get("type")
        types[t if isinstance(t, str) else repr(t)] += 1
        if isinstance(o.get("sessionId"), str):
            sessions.add(o["sessionId"])
        if isinstance(o.get("version"), str):
            versions.add(o["version"])
        if isinstance(o.get("timestamp"), str):
            timestamps.append(o["timestamp"])
        # mode in force for calls on THIS line = value from EARLIER lines only
        mode_for_this_line = mode_now
        msg = o.get("message") if isinstance(o.get("message"), dict) else {}
        content = msg.get("content")
        side = o.get("isSidechain") is True and o.get("agentId") is not None
        if t == "assistant" and isinstance(content, list):
            for b in content:
                if isinstance(b, dict) and b.get("type") == "tool_use":
                    add_call(b, n, msg.get("id"), side, o.get("agentId") if side else None,
                             mode_for_this_line)
        if t == "user":
            if "permissionMode" in o:
                modes[o["permissionMode"]].add(o.get("uuid"))
            if isinstance(content, list):
                for b in content:
                    if isinstance(b, dict) and b.get("type") == "tool_result":
                        add_result(b, n, o.get("toolUseResult"), o.get("toolDenialKind"), False)
        data = o.get("data")
        if t == "progress" and isinstance(data, dict) and data.get("type") == "agent_progress":
            dm = data.get("message") if isinstance(data.get("message"), dict) else {}
            inner = dm.get("message") if isinstance(dm.get("message"), dict) else {}
            ic = inner.get("content")
            if isinstance(ic, list):
                for b in ic:
                    if not isinstance(b, dict):
                        continue
                    if dm.get("type") == "assistant" and b.get("type") == "tool_use":
                        add_call(b, n, inner.get("id"), True, data.get("agentId"),
                                 mode_for_this_line)
                    if dm.get("type") == "user" and b.get("type") == "tool_result":
                        add_result(b, n, dm.get("toolUseResult"),
                                   dm.get("toolDenialKind", o.get("toolDenialKind")), True)
        if isinstance(o.get("permissionMode"), str):
            mode_now = o["permissionMode"]

    # sibling rule for R1: per assistant message.id, how many calls got R1 (no feedback)
    # with toolUseResult == "User rejected tool use"
    esc_per_msg = Counter()
    for c in calls.values():
        r = results.get(c["id"])
        if r and r["text"].startswith(R1) and FEEDBACK not in r["text"] and r["tur"] == ESC_TUR:
            esc_per_msg[c["msg_id"]] += 1

    for c in calls.values():
        r = results.get(c["id"])
        c["result"] = r
        if r is None:
            c["outcome"], c["why"] = "unresolved", "no tool_result"
            continue
        txt = r["text"]
        if txt.startswith(R1):
            if FEEDBACK in txt:
                c["outcome"], c["why"] = "user_rejected_with_feedback", "R1 prefix + 'the user said:\\n'"
            elif c["name"] in NO_PROMPT_TOOLS:
                c["outcome"], c["why"] = "interrupted", f"R1 on never-prompting tool {c['name']}"
            elif c["mode"] == "bypassPermissions":
                c["outcome"], c["why"] = "interrupted", "R1 while mode bypassPermissions"
            elif c["msg_id"] is not None and esc_per_msg[c["msg_id"]] >= 2:
                c["outcome"], c["why"] = "interrupted", \
                    f"R1 + '{ESC_TUR}' on {esc_per_msg[c['msg_id']]} calls of message {c['msg_id']}"
            else:
                c["outcome"], c["why"] = "user_rejected", \
                    f"R1, mode={c['mode']}, toolUseResult={str(r['tur'])[:30]!r}"
            continue
        o = classify_text(txt)
        if o:
            c["outcome"], c["why"] = o, "text rule"
            continue
        c["outcome"], c["why"] = ("tool_error", "is_error true") if r["is_error"] else ("ran", "")

    orphan_results = [tid for tid in results if tid not in calls]
    if dup_calls:
        notes.append(f"duplicate tool_use ids (extra occurrences): {dict(dup_calls)}")
    if dup_results:
        notes.append(f"duplicate tool_result ids (extra occurrences): {dict(dup_results)}")
    if orphan_results:
        notes.append(f"tool_results whose call is not in this file: {orphan_results}")
    tdk = [c["id"] for c in calls.values() if c["result"] and c["result"]["tdk"] is not None]
    if tdk:
        notes.append(f"calls with toolDenialKind: {tdk}")

    timestamps.sort(key=ts_key)
    summary = OrderedDict()
    summary["lines"] = len(lines)
    summary["sessions"] = len(sessions)
    summary["tool_calls"] = len(calls)
    summary["subagent_calls"] = sum(1 for c in calls.values() if c["subagent"])
    summary["mcp_calls"] = sum(1 for c in calls.values() if str(c["name"]).startswith("mcp__"))
    summary["by_tool"] = OrderedDict(sorted(Counter(c["name"] for c in calls.values()).items()))
    summary["outcomes"] = OrderedDict(sorted(Counter(c["outcome"] for c in calls.values()).items()))
    summary["modes"] = OrderedDict(sorted((k, len(v)) for k, v in modes.items()))
    summary["versions"] = sorted(versions, key=vkey)
    summary["first_timestamp"] = timestamps[0] if timestamps else None
    summary["last_timestamp"] = timestamps[-1] if timestamps else None
    summary["types"] = OrderedDict(sorted(types.items()))
    extra = dict(calls=calls, sessions=sessions, modes_uuids=modes, notes=notes,
                 timestamps=timestamps, results=results)
    return summary, extra


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    data = os.path.normpath(os.path.join(here, "..", "..", "data", "real"))
    if "--data" in argv:
        data = argv[argv.index("--data") + 1]
    files = []
    for d in sorted(os.listdir(data)):
        p = os.path.join(data, d)
        if os.path.isdir(p):
            files += [f"{d}/{f}" for f in sorted(os.listdir(p)) if f.endswith(".jsonl")]

    out = OrderedDict()
    extras = {}
    for rel in files:
        out[rel], extras[rel] = scan_file(os.path.join(data, rel))

    # _all: union over files, tool calls de-duplicated by id across files (first file wins)
    all_calls = OrderedDict()
    cross_dups = []
    for rel in files:
        for cid, c in extras[rel]["calls"].items():
            if cid in all_calls:
                cross_dups.append((cid, all_calls[cid][0], rel))
                continue
            all_calls[cid] = (rel, c)
    sessions = set().union(*(extras[r]["sessions"] for r in files))
    modes = defaultdict(set)
    for r in files:
        for k, v in extras[r]["modes_uuids"].items():
            modes[k] |= {(r, u) for u in v}  # uuids are per file; cross-file duplicates checked below
    all_ts = sorted((t for r in files for t in extras[r]["timestamps"]), key=ts_key)
    a = OrderedDict()
    a["lines"] = sum(out[r]["lines"] for r in files)
    a["sessions"] = len(sessions)
    a["tool_calls"] = len(all_calls)
    a["subagent_calls"] = sum(1 for _, c in all_calls.values() if c["subagent"])
    a["mcp_calls"] = sum(1 for _, c in all_calls.values() if str(c["name"]).startswith("mcp__"))
    a["by_tool"] = OrderedDict(sorted(Counter(c["name"] for _, c in all_calls.values()).items()))
    a["outcomes"] = OrderedDict(sorted(Counter(c["outcome"] for _, c in all_calls.values()).items()))
    a["modes"] = OrderedDict(sorted((k, len(v)) for k, v in modes.items()))
    a["versions"] = sorted(set().union(*(out[r]["versions"] for r in files)), key=vkey)
    a["first_timestamp"] = all_ts[0] if all_ts else None
    a["last_timestamp"] = all_ts[-1] if all_ts else None
    t = Counter()
    for r in files:
        t.update(out[r]["types"])
    a["types"] = OrderedDict(sorted(t.items()))
    out["_all"] = a

    if "--details" in argv:
        print("## Non-`ran` outcomes (every one)\n")
        for rel in files:
            bad = [c for c in extras[rel]["calls"].values() if c["outcome"] != "ran"]
            print(f"### `{rel}` ({len(bad)})\n")
            for c in bad:
                r = c["result"]
                snippet = (r["text"] if r else "").replace("\n", "\\n")[:80]
                where = "agent_progress" if (r and r["nested"]) else "top-level"
                print(f"- `{c['id']}` {c['name']} -> **{c['outcome']}** "
                      f"(line {c['line']}, result line {r['line'] if r else '-'} {where}; {c['why']}): "
                      f"`{snippet}`")
            print()
        print("## Anomalies per file\n")
        for rel in files:
            n = extras[rel]["notes"]
            print(f"- `{rel}`: " + ("; ".join(n) if n else "none"))
        print(f"- cross-file duplicate tool_use ids: {cross_dups if cross_dups else 'none'}")
        per_file_sessions = sum(out[r]["sessions"] for r in files)
        print(f"- sessions: sum over files {per_file_sessions}, distinct overall {len(sessions)}")
        return
    text = json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    if "--write" in argv:
        with open(os.path.join(here, "real_counts.json"), "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
