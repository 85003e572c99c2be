#!/usr/bin/env python3
"""Independent counts of the timing evidence in data/real/ (see docs/report.md, "Rules of
evidence"), for tests/it/evidence.rs. Standard library only; reads the transcripts itself and
nothing under src/ (outcomes come from count_real.py, itself independent of src/).

Usage (from the repository root):
    python3 tests/expected/count_evidence.py            # prints real_evidence.json
    python3 tests/expected/count_evidence.py | diff - tests/expected/real_evidence.json
    python3 tests/expected/count_evidence.py --write    # regenerate real_evidence.json
    python3 tests/expected/count_evidence.py --calls    # every call: window, pace, mode

Definitions implemented:
  * a call's time is its tool_use line's `timestamp`, its answer time its tool_result line's
    (top-level lines, or the nested message of an agent_progress line);
  * window: answered - start. For the tools that change something (Bash, PowerShell, Edit,
    Write, NotebookEdit, MultiEdit) start is the latest of its own tool_use time and, among
    the other calls of the same assistant message (message.id), their tool_use times and the
    result times of those made before it, as long as they lie between its own call and its
    result. Other tools: start = own tool_use time;
  * machine speed: the call ran (outcome ran or tool_error) and window < 300 ms;
  * waited: the tool is in RUN_TIME and window >= 300 ms + its longest run;
  * every other call: unclear.
"""
import importlib.util
import json
import os
import sys
from collections import Counter, OrderedDict, defaultdict
from datetime import datetime, timezone

FLOOR = 300
RUN_TIME = {"Edit": 1000, "MultiEdit": 1000, "Write": 1000, "NotebookEdit": 1000,
            "Read": 1000, "LS": 1000, "Grep": 3000, "Glob": 3000}
SEQUENTIAL = {"Bash", "PowerShell", "Edit", "Write", "NotebookEdit", "MultiEdit"}
EDITS = {"Edit", "Write", "NotebookEdit", "MultiEdit"}


def ms(ts):
    return int(datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ")
               .replace(tzinfo=timezone.utc).timestamp() * 1000)


def load_count_real(here):
    spec = importlib.util.spec_from_file_location("count_real", os.path.join(here, "count_real.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def times(path):
    """tool_use id -> (asked ms, session, message id, input); tool_use id -> answered ms."""
    asked, answered = {}, {}
    for raw in open(path, "rb").read().split(b"\n"):
        if not raw.strip():
            continue
        o = json.loads(raw)
        pairs = [(o, o.get("message"))]
        d = o.get("data")
        if o.get("type") == "progress" and isinstance(d, dict) and d.get("type") == "agent_progress":
            dm = d.get("message") or {}
            pairs.append((dm, dm.get("message")))
        for env, m in pairs:
            if not isinstance(m, dict) or not isinstance(m.get("content"), list):
                continue
            ts = env.get("timestamp") or o.get("timestamp")
            for b in m["content"]:
                if not isinstance(b, dict) or ts is None:
                    continue
                if b.get("type") == "tool_use" and b["id"] not in asked:
                    asked[b["id"]] = (ms(ts), o.get("sessionId"), m.get("id"), b.get("input") or {})
                if b.get("type") == "tool_result" and b["tool_use_id"] not in answered:
                    answered[b["tool_use_id"]] = ms(ts)
    return asked, answered


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    data = os.path.normpath(os.path.join(here, "..", "..", "data", "real"))
    cr = load_count_real(here)
    rows = []
    for d in sorted(os.listdir(data)):
        p = os.path.join(data, d)
        if not os.path.isdir(p):
            continue
        for f in sorted(os.listdir(p)):
            if not f.endswith(".jsonl"):
                continue
            path = os.path.join(p, f)
            _, extra = cr.scan_file(path)
            asked, answered = times(path)
            calls = extra["calls"]
            by_msg = defaultdict(list)
            for cid in calls:
                a = asked[cid]
                if a[2] is not None:
                    by_msg[(a[1], a[2])].append(cid)
            for cid, c in calls.items():
                t0, sess, mid, inp = asked[cid]
                t1 = answered.get(cid)
                start = t0
                if t1 is not None and c["name"] in SEQUENTIAL and mid is not None:
                    for o in by_msg[(sess, mid)]:
                        if o == cid:
                            continue
                        ot0 = asked[o][0]
                        events = [ot0]
                        if (ot0, o) < (t0, cid) and answered.get(o) is not None:
                            events.append(answered[o])
                        for e in events:
                            if t0 < e <= t1:
                                start = max(start, e)
                w = t1 - start if t1 is not None and t1 >= start else None
                executed = c["outcome"] in ("ran", "tool_error")
                if w is not None and w < FLOOR and executed:
                    pace = "machine"
                elif w is not None and c["name"] in RUN_TIME and w >= FLOOR + RUN_TIME[c["name"]]:
                    pace = "waited"
                else:
                    pace = "unclear"
                rows.append(dict(file=f"{d}/{f}", id=cid, session=sess, tool=c["name"],
                                 agent=c["agent_id"], mode=c["mode"], outcome=c["outcome"],
                                 window=w, pace=pace, t=t0,
                                 path=inp.get("file_path") or inp.get("path"),
                                 command=inp.get("command")))
    if "--calls" in argv:
        for r in sorted(rows, key=lambda r: (r["session"], r["t"])):
            print(json.dumps(r))
        return
    out = OrderedDict()
    out["calls"] = len(rows)
    out["machine_speed"] = sum(r["pace"] == "machine" for r in rows)
    out["machine_speed_by_tool"] = OrderedDict(sorted(Counter(
        r["tool"] for r in rows if r["pace"] == "machine").items()))
    out["waited_by_tool"] = OrderedDict(sorted(Counter(
        r["tool"] for r in rows if r["pace"] == "waited" and r["outcome"] in ("ran", "tool_error")).items()))
    # Edits of sessions that record no mode, in time order: f(ast), w(aited), .(unclear),
    # x (not executed).
    seq = defaultdict(str)
    for r in sorted(rows, key=lambda r: (r["session"], r["t"])):
        if r["mode"] is None and r["tool"] in EDITS:
            mark = "x" if r["outcome"] not in ("ran", "tool_error") else \
                {"machine": "f", "waited": "w", "unclear": "."}[r["pace"]]
            seq[r["session"][:8]] += mark
    out["edits_without_mode"] = OrderedDict(sorted(seq.items()))
    # One line per call: [tool, outcome, window ms, pace].
    per_call = ",\n".join(
        f'  {json.dumps(r["id"])}: {json.dumps([r["tool"], r["outcome"], r["window"], r["pace"]])}'
        for r in sorted(rows, key=lambda r: r["id"]))
    text = json.dumps(out, indent=1)[:-2] + ',\n "per_call": {\n' + per_call + "\n }\n}\n"
    json.loads(text)
    if "--write" in argv:
        with open(os.path.join(here, "real_evidence.json"), "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv)
