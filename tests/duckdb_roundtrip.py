#!/usr/bin/env python3
"""The partitioned Parquet export read back with DuckDB: the README's headline query must
give exactly the counts of `permstat report --format json`, overall and per developer.

Run by .ci/run after `cargo test`, with the debug binary cargo built:

    python3 tests/duckdb_roundtrip.py target/debug/permstat

It builds a team folder from the bundled sample (ann: a copy of ~/.claude holding the
entireio__cli transcripts and a settings.json; bob: a copy of ~/.claude/projects holding
the marot__spotter ones), exports it with `--format parquet --output DIR`, and compares.
permstat runs isolated from this machine: empty config, managed and cache folders and HOME.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import duckdb

# The headline, per developer: the query README.md shows (portable to Spark SQL).
HEADLINE = """
SELECT developer,
       count(*)                                                        AS calls,
       sum(CASE WHEN answer = 'approved' THEN 1 ELSE 0 END)            AS approved,
       sum(CASE WHEN answer = 'approved' AND basis <> 'replayed'
                THEN 1 ELSE 0 END)                                     AS approved_low,
       sum(CASE WHEN answer = 'rejected' THEN 1 ELSE 0 END)            AS rejected,
       sum(CASE WHEN answer IN ('rule_denied', 'classifier_blocked',
                                'classifier_unavailable', 'dontask_denied',
                                'hook_denied') THEN 1 ELSE 0 END)      AS denied,
       sum(CASE WHEN answer = 'auto_allowed' THEN 1 ELSE 0 END)        AS auto_allowed
FROM read_parquet('{files}', hive_partitioning = true)
GROUP BY developer
ORDER BY developer
"""

FIELDS = ["calls", "approved", "approved_low", "rejected", "denied", "auto_allowed"]


def permstat(binary, args, home):
    """Runs permstat isolated from this machine; returns stdout, fails on an error."""
    empty = os.path.join(home, "empty")
    os.makedirs(empty, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("CLAUDE_CONFIG_DIR", "PERMSTAT_PROMPT_LOG", "PERMSTAT_ANON_SALT")}
    env.update(HOME=home, PERMSTAT_CACHE_DIR=os.path.join(home, "cache"), USER="lead")
    cmd = [binary] + args + ["--config-dir", empty, "--managed-dir", empty, "-q"]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"permstat {' '.join(args)} failed ({run.returncode}): {run.stderr}")
    return run.stdout


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/debug/permstat")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as tmp:
        team = os.path.join(tmp, "team")
        shutil.copytree(os.path.join(root, "data/real/entireio__cli"),
                        os.path.join(team, "ann/projects/entireio__cli"))
        with open(os.path.join(team, "ann/settings.json"), "w") as f:
            json.dump({"permissions": {"allow": ["WebSearch"]}}, f)
        shutil.copytree(os.path.join(root, "data/real/marot__spotter"),
                        os.path.join(team, "bob/marot__spotter"))
        out = os.path.join(tmp, "export")
        permstat(binary, ["export", "--team", team, "--format", "parquet", "--output", out], tmp)
        report = json.loads(permstat(binary, ["report", "--team", team, "--format", "json"], tmp))

        rows = duckdb.sql(HEADLINE.format(files=os.path.join(out, "**", "*.parquet"))).fetchall()
        sql = {r[0]: dict(zip(FIELDS, r[1:])) for r in rows}
        want = {
            d["key"]: {
                "calls": d["calls"],
                "approved": d["approved"],
                "approved_low": d["approved_evidenced"],
                "rejected": d["rejected"],
                "denied": d["denied"],
                "auto_allowed": d["auto_allowed"],
            }
            for d in report["by_developer"]
        }
        problems = []
        if sql != want:
            problems.append(f"per developer: SQL {sql} != report {want}")
        total = {f: sum(r[f] for r in sql.values()) for f in FIELDS}
        denied = report["denied"]
        headline = {
            "calls": report["calls"],
            "approved": report["prompts"]["approved"],
            "approved_low": report["prompts"]["estimate"]["low"],
            "rejected": report["prompts"]["rejected"],
            "denied": denied["rule"] + denied["classifier"] + denied["classifier_unavailable"]
            + denied["dontask"] + denied["hook"],
            "auto_allowed": report["auto_allowed"],
        }
        if total != headline:
            problems.append(f"headline: SQL {total} != report {headline}")
        if sorted(sql) != ["ann", "bob"]:
            problems.append(f"developers: {sorted(sql)}")
        if problems:
            sys.exit("DuckDB round trip failed:\n  " + "\n  ".join(problems))
        print(f"DuckDB round trip: {len(rows)} developers, {total['calls']} calls, "
              f"approved {total['approved']} (low {total['approved_low']}), "
              f"rejected {total['rejected']}, denied {total['denied']}: as the report")


if __name__ == "__main__":
    main()
