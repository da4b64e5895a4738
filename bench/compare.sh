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
STARTED=()

cleanup() {
  for pid in "${STARTED[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
# The whole run is bounded.
( sleep "$MAX_SECONDS"; echo "compare.sh: time limit reached" >&2; kill -TERM $$ ) 2>/dev/null &
STARTED+=($!)

echo "== building release binaries" >&2
swift build -c release --product chatd >&2
swift build -c release --product chatbench >&2
BIN=$(swift build -c release --show-bin-path)

if ! command -v ngircd >/dev/null; then
  echo "== installing ngircd from Debian" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ngircd >&2
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

# Starts a fresh server (clean state for every run) and echoes its pid.
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
  echo $!
}

port_of() { [ "$1" = chatd ] && echo "$CHATD_PORT" || echo "$NGIRCD_PORT"; }

run_one() {  # server scenario
  local server=$1 scenario=$2 pid port extra=()
  port=$(port_of "$server")
  pid=$(start_server "$server")
  STARTED+=("$pid")
  wait_port "$port"
  extra=(--server-pid "$pid")  # its CPU in every scenario, its memory in idle
  taskset -c "$GENERATOR_CPU" timeout 600 "$BIN/chatbench" "$scenario" --port "$port" --target "$server" \
    --duration "$DURATION" --time-limit 540 "${extra[@]}" >>"$OUT" || echo "compare.sh: $server $scenario run failed" >&2
  stop_server "$pid"
}

# The server was started in a subshell, so `wait` cannot see it: poll until it
# has exited (bounded), so the next run can bind the port.
stop_server() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  echo "compare.sh: server $1 did not stop in 30 s; killing it" >&2
  kill -9 "$1" 2>/dev/null || true
}

for scenario in $SCENARIOS; do
  for repeat in $(seq 1 "$REPEATS"); do
    # Interleave the servers within each repeat; alternate who goes first.
    if [ $((repeat % 2)) -eq 1 ]; then order="chatd ngircd"; else order="ngircd chatd"; fi
    for server in $order; do
      # ngIRCd has no SASL accounts: the login storm is chatd's alone.
      [ "$scenario" = login ] && [ "$server" = ngircd ] && continue
      echo "== $scenario, repeat $repeat, $server" >&2
      run_one "$server" "$scenario"
    done
  done
done

python3 bench/summarize.py "$OUT"
