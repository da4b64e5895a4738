#!/usr/bin/env bash
# Side-by-side benchmark of chatd and ngIRCd on loopback. See docs/BENCHMARKS.md.
#   bench/compare.sh                 # 3 repeats of every scenario
#   REPEATS=5 SCENARIOS="fanout latency" bench/compare.sh
# Prints a table of medians with chatd/ngIRCd ratios; raw JSON lines go to
# $OUT (default bench/results/<date>.jsonl). Bounded: every run has a time
# limit and the whole script stops after MAX_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."

REPEATS=${REPEATS:-3}
SCENARIOS=${SCENARIOS:-"fanout latency idle churn login"}
DURATION=${DURATION:-10}
MAX_SECONDS=${MAX_SECONDS:-2400}
CHATD_PORT=${CHATD_PORT:-16667}
NGIRCD_PORT=${NGIRCD_PORT:-16668}
SERVER_CPU=${SERVER_CPU:-0}
GENERATOR_CPU=${GENERATOR_CPU:-1}
mkdir -p bench/results
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ).jsonl}
WORK=$(mktemp -d /tmp/chatbench.XXXXXX)
touch "$OUT"
# The whole run is bounded: every step runs under `timeout` with what is
# left of MAX_SECONDS (runs: at most 600 s each).
DEADLINE=$((SECONDS + MAX_SECONDS))
left() { local l=$((DEADLINE - SECONDS)); [ "$l" -gt 0 ] && echo "$l" || echo 1; }
SERVER_PID=""  # the one server this script is running, if any

cleanup() {
  [ -n "$SERVER_PID" ] && stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building release binaries" >&2
timeout "$(left)" swift build -c release --product chatd >&2
timeout "$(left)" swift build -c release --product chatbench >&2
BIN=$(swift build -c release --show-bin-path)

if ! command -v ngircd >/dev/null; then
  echo "== installing ngircd from Debian" >&2
  timeout "$(left)" apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive timeout "$(left)" apt-get install -y -qq ngircd >&2
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# chatd's limits lifted (bench/chatd.json), with this run's console socket.
sed "s|/tmp/chatd-bench-console.sock|$WORK/console.sock|" bench/chatd.json > "$WORK/chatd.json"
cat > "$WORK/ngircd.conf" <<CONF
[Global]
Name = bench.ngircd
Info = benchmark peer
Listen = 127.0.0.1
Ports = $NGIRCD_PORT
MotdPhrase = benchmark
PidFile = $WORK/ngircd.pid
[Limits]
MaxConnections = 0
MaxConnectionsIP = 0
MaxJoins = 0
MaxPenaltyTime = 0
MaxNickLength = 30
PingTimeout = 600
PongTimeout = 600
[Options]
DNS = no
Ident = no
PAM = no
CONF

wait_port() {
  for _ in $(seq 1 200); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "compare.sh: nothing listens on port $1" >&2; return 1
}

# Starts a fresh server (clean state for every run) as this script's child;
# taskset execs it, so $! is the server itself.
start_server() {
  case "$1" in
    chatd)
      rm -rf "$WORK/data"
      taskset -c "$SERVER_CPU" "$BIN/chatd" --config "$WORK/chatd.json" --listen "127.0.0.1:$CHATD_PORT" \
        --data-dir "$WORK/data" >/dev/null 2>>"$WORK/chatd.log" &
      ;;
    ngircd)
      taskset -c "$SERVER_CPU" ngircd -n -f "$WORK/ngircd.conf" >>"$WORK/ngircd.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
}

# Stops the running server and waits for it (30 s, then SIGKILL), so the
# next run can bind the port.
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  if ! timeout 30 tail -s 0.1 --pid="$SERVER_PID" -f /dev/null; then
    echo "compare.sh: server $SERVER_PID did not stop in 30 s; killing it" >&2
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# A run that printed no report still counts, as failed.
record_missing() {  # server scenario why
  printf '{"scenario":"%s","target":"%s","metrics":{},"errors":0,"disconnects":0,"gaps":0,"duplicates":0,"generatorCPU":0,"lowerBound":false,"failed":true,"notes":["%s"]}\n' \
    "$2" "$1" "$3" >>"$OUT"
}

port_of() { [ "$1" = chatd ] && echo "$CHATD_PORT" || echo "$NGIRCD_PORT"; }

run_one() {  # server scenario
  local server=$1 scenario=$2 port limit lines status=0
  port=$(port_of "$server")
  start_server "$server"
  if ! wait_port "$port"; then
    record_missing "$server" "$scenario" "the server did not start"
    stop_server
    return
  fi
  limit=$(left); [ "$limit" -gt 600 ] && limit=600
  lines=$(wc -l <"$OUT" 2>/dev/null || echo 0)
  # --server-pid: its CPU in every scenario, its memory in idle.
  taskset -c "$GENERATOR_CPU" timeout "$limit" "$BIN/chatbench" "$scenario" --port "$port" --target "$server" \
    --duration "$DURATION" --time-limit "$((limit > 60 ? limit - 30 : limit))" --server-pid "$SERVER_PID" >>"$OUT" || status=$?
  if [ "$status" -ne 0 ]; then echo "compare.sh: $server $scenario run failed (exit $status)" >&2; fi
  if [ "$(wc -l <"$OUT")" -eq "$lines" ]; then record_missing "$server" "$scenario" "no report (exit $status)"; fi
  stop_server
}

for scenario in $SCENARIOS; do
  for repeat in $(seq 1 "$REPEATS"); do
    # Interleave the servers within each repeat; alternate who goes first.
    if [ $((repeat % 2)) -eq 1 ]; then order="chatd ngircd"; else order="ngircd chatd"; fi
    for server in $order; do
      # ngIRCd has no SASL accounts: the login storm is chatd's alone.
      [ "$scenario" = login ] && [ "$server" = ngircd ] && continue
      if [ $((DEADLINE - SECONDS)) -le 0 ]; then
        echo "compare.sh: MAX_SECONDS reached; summarizing what ran" >&2
        break 3
      fi
      echo "== $scenario, repeat $repeat, $server" >&2
      run_one "$server" "$scenario"
    done
  done
done

python3 bench/summarize.py "$OUT"
