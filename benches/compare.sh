#!/usr/bin/env bash
# Whole-command comparison on two kinds of corpus, one hyperfine run per corpus:
#   real       copies of the bundled real transcripts (data/real) with fresh ids and
#              shifted times (`gen_corpus --real`), in Claude Code's folder layout;
#   generated  the generator's own corpus (`gen_corpus --mb`), with a ground truth.
#
#   benches/compare.sh                  # both kinds at 200 MB and 1000 MB under $BENCH_DIR
#   SIZES="50" KINDS="real" RUNS=3 benches/compare.sh
#   SIZES= benches/compare.sh           # only the fixed costs, on data/real
#
# Needs: hyperfine, rg, jq, python3 (peak RSS and the tables). Peers are installed into
# $BENCH_DIR/peers from the registries when npm/pip can reach them, and skipped otherwise:
# ccusage 20.0.24 (npm) and downscope (PyPI). Prints the statistics of each pair of corpora
# (`gen_corpus --stats`), then one Markdown table per corpus: mean and median time, CPU
# time, MB/s, peak RSS (the median of RSS_RUNS runs, 3 unless set, with their range), and
# each command's time as a multiple of `cat` reading the same bytes (by means and by
# medians), all measured in the same hyperfine run, followed by the targets of issue 18
# checked against that run. Last, the fixed costs: the reports and suggest on data/real.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/tmp/permstat-bench}
SIZES=${SIZES-"200 1000"}
KINDS=${KINDS:-"real generated"}
RUNS=${RUNS:-5}
RSS_RUNS=${RSS_RUNS:-3}
SEED=${SEED:-1}
mkdir -p "$BENCH_DIR"
# Reuse the persistent build folder .ci/run uses, when there is one.
if [ -z "${CARGO_TARGET_DIR:-}" ] && [ -d "$HOME/.cache/permstat-target" ]; then
  export CARGO_TARGET_DIR="$HOME/.cache/permstat-target"
fi
TARGET=${CARGO_TARGET_DIR:-target}

for tool in hyperfine rg jq python3; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is needed (apt-get install hyperfine ripgrep jq)" >&2; exit 2; }
done

cargo build --release --quiet --bin permstat --example gen_corpus
PERMSTAT="$TARGET/release/permstat"
GEN="$TARGET/release/examples/gen_corpus"

# Peers, installed locally once.
PEERS="$BENCH_DIR/peers"
mkdir -p "$PEERS"
CCUSAGE=""
if [ -x "$PEERS/node_modules/.bin/ccusage" ] || { command -v npm >/dev/null && npm install --silent --prefix "$PEERS" ccusage@20.0.24 >/dev/null 2>&1; }; then
  CCUSAGE="$PEERS/node_modules/.bin/ccusage"
fi
DOWNSCOPE=""
if [ -x "$PEERS/py/bin/downscope" ] || { python3 -m venv "$PEERS/py" >/dev/null 2>&1 && "$PEERS/py/bin/pip" install -q downscope >/dev/null 2>&1; }; then
  DOWNSCOPE="$PEERS/py/bin/downscope"
fi

EMPTY="$BENCH_DIR/empty-config"
mkdir -p "$EMPTY"

# Peak resident memory of RSS_RUNS runs, in MB, comma-separated (each run's maxrss, which
# Linux gives in KB; a fresh Python per run, since RUSAGE_CHILDREN keeps the largest child).
peak_rss() {
  local out=() i
  for ((i = 0; i < RSS_RUNS; i++)); do
    out+=("$(python3 - "$1" <<'PY'
import resource, subprocess, sys
subprocess.run(["bash", "-c", sys.argv[1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
PY
)")
  done
  (IFS=,; echo "${out[*]}")
}

# One command for hyperfine: its name and its shell line.
add() { names+=("$1"); cmds+=("$2"); }

# The corpus of one kind and size, made once.
corpus() {
  local kind=$1 mb=$2 dir
  if [ "$kind" = real ]; then
    dir="$BENCH_DIR/real-$mb-seed$SEED"
    if [ ! -f "$dir/done" ]; then
      rm -rf "$dir"
      "$GEN" "$dir" --real data/real --mb "$mb" --seed "$SEED" --quiet && touch "$dir/done"
    fi
  else
    dir="$BENCH_DIR/corpus-$mb-seed$SEED"
    if [ ! -f "$dir/ground_truth.json" ]; then
      rm -rf "$dir"
      "$GEN" "$dir" --mb "$mb" --seed "$SEED" --quiet
    fi
  fi
  echo "$dir"
}

echo "# permstat comparison, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
echo "permstat binary: $(stat -c %s "$PERMSTAT") bytes; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for MB in $SIZES; do
  dirs=()
  for KIND in $KINDS; do dirs+=("$(corpus "$KIND" "$MB")/projects"); done
  echo
  echo "## Statistics of the $MB MB corpora"
  echo
  "$GEN" --stats "${dirs[@]}"
  for KIND in $KINDS; do
    CORPUS=$(corpus "$KIND" "$MB")
    P="$CORPUS/projects"
    BYTES=$(find "$P" -name '*.jsonl' -printf '%s\n' | awk '{s+=$1} END {print s}')
    FILES=$(find "$P" -name '*.jsonl' | wc -l)
    LARGEST=$(du -sb "$P"/*/ | sort -n | tail -1 | cut -f1)
    # Warm the page cache, then a cache folder that the warm-cache run fills first.
    find "$P" -name '*.jsonl' -exec cat {} + >/dev/null
    CACHE="$BENCH_DIR/cache-$KIND-$MB"
    rm -rf "$CACHE"; "$PERMSTAT" scan "$P" -q --cache-dir "$CACHE" --format json >/dev/null

    names=(); cmds=()
    add "cat" "find $P -name '*.jsonl' -exec cat {} + >/dev/null"
    add "rg -c tool_use" "rg -c tool_use $P >/dev/null"
    add "jq Bash commands" "find $P -name '*.jsonl' -exec cat {} + | jq -r 'select(.type==\"assistant\") | .message.content[]? | select(.type==\"tool_use\" and .name==\"Bash\") | .input.command' >/dev/null"
    add "permstat scan" "$PERMSTAT scan $P -q --no-cache --format json >/dev/null"
    add "permstat scan (cache warm)" "$PERMSTAT scan $P -q --cache-dir $CACHE --format json >/dev/null"
    add "permstat report" "$PERMSTAT report $P -q --no-cache --format json --config-dir $EMPTY --managed-dir $EMPTY >/dev/null"
    # The terminal table leaves out the suggested rules, and with them safe-chains' tables.
    add "permstat report (table)" "$PERMSTAT report $P -q --no-cache --config-dir $EMPTY --managed-dir $EMPTY >/dev/null"
    add "permstat suggest" "$PERMSTAT suggest $P -q --no-cache --since 2000-01-01 --format json --config-dir $EMPTY --managed-dir $EMPTY >/dev/null"
    [ -n "$CCUSAGE" ] && add "ccusage 20.0.24 daily" "HOME=$EMPTY CLAUDE_CONFIG_DIR=$CORPUS $CCUSAGE daily --json --offline >/dev/null"
    [ -n "$DOWNSCOPE" ] && add "downscope audit" "$DOWNSCOPE audit --projects-dir $P --json >/dev/null"

    args=()
    for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
    JSON="$BENCH_DIR/hyperfine-$KIND-$MB.json"
    hyperfine --style none --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$JSON" "${args[@]}" >/dev/null

    RSS="$BENCH_DIR/rss-$KIND-$MB.txt"
    : > "$RSS"
    for i in "${!names[@]}"; do
      printf '%s\t%s\n' "${names[$i]}" "$(peak_rss "${cmds[$i]}")" >> "$RSS"
    done

    python3 - "$JSON" "$RSS" "$BYTES" "$MB" "$KIND" "$FILES" "$LARGEST" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import json, statistics, sys
runs = json.load(open(sys.argv[1]))["results"]
rss = {}
for line in open(sys.argv[2]):
    name, values = line.rstrip("\n").split("\t")
    rss[name] = sorted(float(v) for v in values.split(","))
size, kind, files, largest, load = int(sys.argv[3]), sys.argv[5], sys.argv[6], int(sys.argv[7]), sys.argv[8]
mean = {r["command"]: r["mean"] for r in runs}
median = {r["command"]: r["median"] for r in runs}
print(f"\n## {kind}, {size / 1e6:.0f} MB ({sys.argv[4]} MB asked): {files} transcripts, "
      f"largest project folder {largest / 1e6:.0f} MB, load average after {load}\n")
print("| command | mean (s) | median (s) | CPU (s) | MB/s | peak RSS (MB) | time / cat (mean) | time / cat (median) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for r in runs:
    name, t = r["command"], r["mean"]
    m = rss[name]
    peak = f"{statistics.median(m):.0f} ({m[0]:.0f}-{m[-1]:.0f})" if len(m) > 1 else f"{m[0]:.0f}"
    print(f"| {name} | {t:.3f} ± {r['stddev']:.3f} | {r['median']:.3f} | {r['user'] + r['system']:.3f} "
          f"| {size / 1e6 / t:.0f} | {peak} | {t / mean['cat']:.2f} | {r['median'] / median['cat']:.2f} |")
warm = mean.get("permstat scan (cache warm)")
if warm and "permstat scan" in mean:
    print(f"\nwarm cache: permstat scan is {mean['permstat scan'] / warm:.1f}x faster the second time")
for name in ("permstat report", "permstat report (table)"):
    rep = mean.get(name)
    for peer in ("ccusage 20.0.24 daily", "downscope audit"):
        if rep and peer in mean:
            print(f"\n{name} is {mean[peer] / rep:.1f}x the throughput of {peer} "
                  f"({median[peer] / median[name]:.1f}x by medians)")

# The targets of issue 18, on this run: a target is met when it holds by both the means and
# the medians (peak RSS: every run).
def verdict(ok_mean, ok_median):
    return "met" if ok_mean and ok_median else ("at the edge (one of mean and median)" if ok_mean or ok_median else "not met")
print(f"\nTargets of issue 18 on this corpus (one run; ratios by mean / median):\n")
for name, limit in (("permstat scan", 1.25), ("permstat report (table)", 1.5), ("permstat report", 1.5)):
    if name in mean:
        a, b = mean[name] / mean["cat"], median[name] / median["cat"]
        print(f"- {name} within {limit}x of cat: {a:.2f}x / {b:.2f}x, {verdict(a <= limit, b <= limit)}")
peer = "ccusage 20.0.24 daily"
if peer in mean:
    for name in ("permstat report (table)", "permstat report"):
        a, b = mean[peer] / mean[name], median[peer] / median[name]
        print(f"- {name} at least 5x {peer}: {a:.1f}x / {b:.1f}x, {verdict(a >= 5, b >= 5)}")
for name in ("permstat scan", "permstat report (table)", "permstat report", "permstat suggest"):
    if name in rss:
        top = rss[name][-1]
        print(f"- {name} peak RSS at most 64 MB: {rss[name][0]:.0f}-{top:.0f} MB, {'met' if top <= 64 else 'not met'}")
PY
  done
done

# What does not grow with the history: the same commands on the bundled sample (a few MB),
# where the JSON report's and suggest's extra time and memory over the terminal report is
# mostly safe-chains building its tables on the first verdict.
names=(); cmds=()
add "permstat report (table)" "$PERMSTAT report data/real -q --no-cache --config-dir $EMPTY --managed-dir $EMPTY >/dev/null"
add "permstat report" "$PERMSTAT report data/real -q --no-cache --format json --config-dir $EMPTY --managed-dir $EMPTY >/dev/null"
add "permstat suggest" "$PERMSTAT suggest data/real -q --no-cache --since 2000-01-01 --format json --config-dir $EMPTY --managed-dir $EMPTY >/dev/null"
args=()
for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
JSON="$BENCH_DIR/hyperfine-sample.json"
hyperfine --style none --warmup 3 --runs $((RUNS * 5)) --export-json "$JSON" "${args[@]}" >/dev/null
RSS="$BENCH_DIR/rss-sample.txt"
: > "$RSS"
for i in "${!names[@]}"; do
  printf '%s\t%s\n' "${names[$i]}" "$(peak_rss "${cmds[$i]}")" >> "$RSS"
done
python3 - "$JSON" "$RSS" "$(find data/real -name '*.jsonl' -printf '%s\n' | awk '{s+=$1} END {print s}')" <<'PY'
import json, statistics, sys
runs = json.load(open(sys.argv[1]))["results"]
rss = {}
for line in open(sys.argv[2]):
    name, values = line.rstrip("\n").split("\t")
    rss[name] = sorted(float(v) for v in values.split(","))
print(f"\n## Fixed costs: the bundled sample, data/real ({int(sys.argv[3]) / 1e6:.1f} MB)\n")
print("| command | mean (ms) | median (ms) | user (ms) | system (ms) | peak RSS (MB) |")
print("|---|---:|---:|---:|---:|---:|")
for r in runs:
    print(f"| {r['command']} | {r['mean'] * 1e3:.1f} ± {r['stddev'] * 1e3:.1f} | {r['median'] * 1e3:.1f} | {r['user'] * 1e3:.1f} "
          f"| {r['system'] * 1e3:.1f} | {statistics.median(rss[r['command']]):.0f} |")
PY
