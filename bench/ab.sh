#!/usr/bin/env bash
# A/B benchmark of two chatd builds on loopback, interleaved, with the same
# generator: for checking that a change did not make a hot path slower.
#   bench/ab.sh OLD_BIN_DIR NEW_BIN_DIR            # e.g. a worktree's .build/release
#   REPEATS=3 SCENARIOS="fanout churn" DURATION=10 bench/ab.sh old/.build/release .build/release
# Each run gets a fresh server and data folder; the order alternates per
# repeat. Raw JSON lines go to $OUT; the medians are printed per build.
# Bounded: every run has a time limit and the script stops after MAX_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/ab.sh OLD_BIN_DIR NEW_BIN_DIR" >&2; exit 64; }
OLD=$1 NEW=$2
REPEATS=${REPEATS:-3}
SCENARIOS=${SCENARIOS:-"fanout churn"}
DURATION=${DURATION:-10}
MAX_SECONDS=${MAX_SECONDS:-1200}
PORT=${PORT:-16670}
SERVER_CPU=${SERVER_CPU:-0}
GENERATOR_CPU=${GENERATOR_CPU:-1}
mkdir -p bench/results
OUT=${OUT:-bench/results/ab-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
WORK=$(mktemp -d /tmp/chatab.XXXXXX)
DEADLINE=$((SECONDS + MAX_SECONDS))
left() { local l=$((DEADLINE - SECONDS)); [ "$l" -gt 0 ] && echo "$l" || echo 1; }
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -9 "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
sed "s|/tmp/chatd-bench-console.sock|$WORK/console.sock|" bench/chatd.json > "$WORK/chatd.json"
GEN="$NEW/chatbench"

run_one() {  # label bindir scenario
  local label=$1 bin=$2 scenario=$3 status=0 limit
  rm -rf "$WORK/data"
  taskset -c "$SERVER_CPU" "$bin/chatd" --config "$WORK/chatd.json" --listen "127.0.0.1:$PORT" \
    --data-dir "$WORK/data" >/dev/null 2>>"$WORK/chatd.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
  limit=$(left); [ "$limit" -gt 300 ] && limit=300
  taskset -c "$GENERATOR_CPU" timeout "$limit" "$GEN" "$scenario" --port "$PORT" --target "$label" \
    --duration "$DURATION" --time-limit "$((limit > 60 ? limit - 30 : limit))" --server-pid "$SERVER_PID" >>"$OUT" || status=$?
  [ "$status" -eq 0 ] || echo "ab.sh: $label $scenario failed (exit $status)" >&2
  kill "$SERVER_PID" 2>/dev/null || true
  timeout 30 tail -s 0.1 --pid="$SERVER_PID" -f /dev/null || kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

for scenario in $SCENARIOS; do
  for repeat in $(seq 1 "$REPEATS"); do
    if [ $((repeat % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
    for label in $order; do
      [ $((DEADLINE - SECONDS)) -gt 0 ] || { echo "ab.sh: MAX_SECONDS reached" >&2; break 3; }
      bin=$OLD; [ "$label" = new ] && bin=$NEW
      echo "== $scenario, repeat $repeat, $label" >&2
      run_one "$label" "$bin" "$scenario"
    done
  done
done

python3 - "$OUT" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
keys = {}
for r in runs:
    for k, v in r.get("metrics", {}).items():
        if isinstance(v, (int, float)):
            keys.setdefault((r["scenario"], k), {}).setdefault(r["target"], []).append(v)
print(f"{'scenario':8} {'metric':34} {'old (median)':>14} {'new (median)':>14} {'new/old':>8}")
for (scenario, metric), by in sorted(keys.items()):
    if "old" in by and "new" in by:
        o, n = statistics.median(by["old"]), statistics.median(by["new"])
        ratio = f"{n / o:.3f}" if o else "-"
        print(f"{scenario:8} {metric:34} {o:14.1f} {n:14.1f} {ratio:>8}")
failed = [r for r in runs if r.get("failed")]
print(f"{len(runs)} runs, {len(failed)} failed")
PY
