#!/usr/bin/env bash
# Whole-command comparison on generated corpora, in one hyperfine run per corpus size.
#
#   benches/compare.sh                 # 200 MB and 1000 MB corpora under $BENCH_DIR
#   SIZES="50" RUNS=3 benches/compare.sh
#
# Needs: hyperfine, rg, jq, python3 (peak RSS and the table). Peers are installed into
# $BENCH_DIR/peers from the registries when npm/pip can reach them, and skipped otherwise:
# ccusage 20.0.24 (npm) and downscope (PyPI). Prints one Markdown table per size: mean time,
# MB/s, peak RSS, and each command's time as a multiple of `cat` reading the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/tmp/permstat-bench}
SIZES=${SIZES:-"200 1000"}
RUNS=${RUNS:-5}
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

# Peak resident memory of one run, in MB (the children's maxrss, which Linux gives in KB).
peak_rss() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(["bash", "-c", sys.argv[1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
PY
}

echo "# permstat comparison, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for MB in $SIZES; do
  CORPUS="$BENCH_DIR/corpus-$MB-seed$SEED"
  if [ ! -f "$CORPUS/ground_truth.json" ]; then
    rm -rf "$CORPUS"
    "$GEN" "$CORPUS" --mb "$MB" --seed "$SEED" >/dev/null
  fi
  BYTES=$(find "$CORPUS/projects" -name '*.jsonl' -printf '%s\n' | awk '{s+=$1} END {print s}')
  # Warm the page cache, then a cache folder that the warm-cache run fills first.
  find "$CORPUS/projects" -name '*.jsonl' -exec cat {} + >/dev/null
  CACHE="$BENCH_DIR/cache-$MB"
  rm -rf "$CACHE"; "$PERMSTAT" scan "$CORPUS/projects" -q --cache-dir "$CACHE" --format json >/dev/null

  names=(); cmds=()
  add() { names+=("$1"); cmds+=("$2"); }
  add "cat" "find $CORPUS/projects -name '*.jsonl' -exec cat {} + >/dev/null"
  add "rg -c tool_use" "rg -c tool_use $CORPUS/projects >/dev/null"
  add "jq Bash commands" "find $CORPUS/projects -name '*.jsonl' -exec cat {} + | jq -r 'select(.type==\"assistant\") | .message.content[]? | select(.type==\"tool_use\" and .name==\"Bash\") | .input.command' >/dev/null"
  add "permstat scan" "$PERMSTAT scan $CORPUS/projects -q --no-cache --format json >/dev/null"
  add "permstat scan (cache warm)" "$PERMSTAT scan $CORPUS/projects -q --cache-dir $CACHE --format json >/dev/null"
  add "permstat report" "$PERMSTAT report $CORPUS/projects -q --no-cache --format json --config-dir $EMPTY --managed-dir $EMPTY >/dev/null"
  if "$PERMSTAT" suggest --help >/dev/null 2>&1; then
    add "permstat suggest" "$PERMSTAT suggest $CORPUS/projects -q --no-cache --since 2000-01-01 --format json --config-dir $EMPTY --managed-dir $EMPTY >/dev/null"
  fi
  [ -n "$CCUSAGE" ] && add "ccusage 20.0.24 daily" "HOME=$EMPTY CLAUDE_CONFIG_DIR=$CORPUS $CCUSAGE daily --json --offline >/dev/null"
  [ -n "$DOWNSCOPE" ] && add "downscope audit" "$DOWNSCOPE audit --projects-dir $CORPUS/projects --json >/dev/null"

  args=()
  for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine --style none --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$BENCH_DIR/hyperfine-$MB.json" "${args[@]}" >/dev/null

  : > "$BENCH_DIR/rss-$MB.txt"
  for i in "${!names[@]}"; do
    printf '%s\t%s\n' "${names[$i]}" "$(peak_rss "${cmds[$i]}")" >> "$BENCH_DIR/rss-$MB.txt"
  done

  python3 - "$BENCH_DIR/hyperfine-$MB.json" "$BENCH_DIR/rss-$MB.txt" "$BYTES" "$MB" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
rss = dict(line.rstrip("\n").split("\t") for line in open(sys.argv[2]))
size = int(sys.argv[3])
mean = {r["command"]: r["mean"] for r in runs}
cat = mean["cat"]
print(f"\n## {size / 1e6:.0f} MB corpus ({sys.argv[4]} MB asked)\n")
print("| command | mean (s) | MB/s | peak RSS (MB) | time / cat |")
print("|---|---:|---:|---:|---:|")
for r in runs:
    name, t = r["command"], r["mean"]
    print(f"| {name} | {t:.3f} ± {r['stddev']:.3f} | {size / 1e6 / t:.0f} | {float(rss[name]):.0f} | {t / cat:.2f} |")
warm = mean.get("permstat scan (cache warm)")
if warm and "permstat scan" in mean:
    print(f"\nwarm cache: permstat scan is {mean['permstat scan'] / warm:.1f}x faster the second time")
rep = mean.get("permstat report")
for peer in ("ccusage 20.0.24 daily", "downscope audit"):
    if rep and peer in mean:
        print(f"\npermstat report is {mean[peer] / rep:.1f}x the throughput of {peer}")
PY
done
