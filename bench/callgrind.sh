#!/usr/bin/env bash
# Instructions per delivery (fan-out) or per cycle (churn) for one chatd
# build, counted by callgrind: repeatable whatever else the machine runs.
#   bench/callgrind.sh BIN_DIR [fanout|churn] [SECONDS]
# The counters are zeroed once the clients are set up (WARMUP seconds) and
# dumped SECONDS later (callgrind_control -z / -d); the summary divides the
# server's instructions in that window (all threads, user space only) by
# the work it did in the same window, as the server counts it on its
# console: lines out (fan-out deliveries) or messages relayed (one per
# churn cycle). Under valgrind the server runs ~50x slower, so batching
# differs from a native run; compare builds with this script, not with
# native figures. Bounded: the generator has a time limit and the server
# is stopped after it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:?usage: bench/callgrind.sh BIN_DIR [fanout|churn] [SECONDS]}
SCENARIO=${2:-fanout}
SECS=${3:-20}
WARMUP=${WARMUP:-12}
PORT=${PORT:-16690}
OUT=${OUT:-/tmp/callgrind.$SCENARIO.$$.out}
WORK=$(mktemp -d /tmp/chatcg.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true
sed "s|/tmp/chatd-bench-console.sock|$WORK/console.sock|" bench/chatd.json > "$WORK/chatd.json"
taskset -c 0 valgrind --tool=callgrind --callgrind-out-file="$OUT" \
  "$BIN/chatd" --config "$WORK/chatd.json" --listen "127.0.0.1:$PORT" --data-dir "$WORK/data" \
  >/dev/null 2>"$WORK/valgrind.log" &
SERVER_PID=$!
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.2; done
status() {  # one figure from the console's status reply
  python3 - "$WORK/console.sock" "$1" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(60); s.connect(sys.argv[1])
s.sendall(b'{"cmd":"status"}\n'); buf = b""
while not buf.endswith(b"\n"): buf += s.recv(65536)
print(json.loads(buf)[sys.argv[2]])
PY
}
# fanout: a delivery is one line out; churn: a cycle relays one message.
FIELD=messagesOut; [ "$SCENARIO" = churn ] && FIELD=messagesRelayed
taskset -c 1 timeout $((SECS + WARMUP + 200)) "$BIN/chatbench" "$SCENARIO" --port "$PORT" --target callgrind \
  --duration $((SECS + WARMUP + 10)) --time-limit $((SECS + WARMUP + 150)) > "$WORK/report.json" &
GEN=$!
sleep "$WARMUP"
BEFORE=$(status "$FIELD"); callgrind_control -z "$SERVER_PID" >/dev/null
sleep "$SECS"
callgrind_control -d "$SERVER_PID" >/dev/null; AFTER=$(status "$FIELD")
wait "$GEN" || true
kill -INT "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
cat "$WORK/report.json"
DUMP=$(ls -t "$OUT".* | head -1)
TOTAL=$(callgrind_annotate "$DUMP" 2>/dev/null | sed -n 's/^\([0-9,]*\) (100.0%).*PROGRAM TOTALS.*/\1/p' | tr -d ,)
UNITS=$((AFTER - BEFORE))
echo "scenario=$SCENARIO instructions=$TOTAL units=$UNITS ($FIELD) per-unit=$((TOTAL / (UNITS > 0 ? UNITS : 1))) profile=$DUMP"
