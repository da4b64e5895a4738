#!/usr/bin/env bash
# What an idle chatd costs per 10 s with N registered connections, counted
# by callgrind (the once-a-second timeout sweep is most of it).
#   bench/callgrind-idle.sh BIN_DIR [N 2000] [PORT 16689]
# A Python client opens N connections (8 at a time, waiting for 001) and
# holds them; the counters are zeroed, 10 s pass, and they are dumped.
# Bounded: the holder exits after 60 s and every wait has a limit.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:?usage: bench/callgrind-idle.sh BIN_DIR [N] [PORT]}
N=${2:-2000}
PORT=${3:-16689}
W=$(mktemp -d /tmp/chatcgi.XXXXXX)
SP="" HP=""
cleanup() {
  [ -n "$HP" ] && kill "$HP" 2>/dev/null || true
  if [ -n "$SP" ]; then kill "$SP" 2>/dev/null || true; wait "$SP" 2>/dev/null || true; fi
  rm -rf "$W"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true
sed "s|/tmp/chatd-bench-console.sock|$W/console.sock|" bench/chatd.json > "$W/chatd.json"
valgrind --tool=callgrind --callgrind-out-file="$W/cg.out" "$BIN/chatd" --config "$W/chatd.json" \
  --listen "127.0.0.1:$PORT" --data-dir "$W/data" >/dev/null 2>"$W/vg.log" &
SP=$!
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.2; done
python3 - "$PORT" "$N" > "$W/hold.log" <<'PY' &
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"NICK idle{i}\r\nUSER idle{i} 0 * :idle\r\n".encode())
    socks.append(s)
    if i % 8 == 7:  # stay within a small listen backlog
        buf = b""
        s.settimeout(120)
        while b" 001 " not in buf:
            buf += s.recv(65536)
print("connected", n, flush=True)
time.sleep(60)
PY
HP=$!
for _ in $(seq 1 600); do grep -q connected "$W/hold.log" && break; sleep 0.5; done
sleep 2
callgrind_control -z "$SP" >/dev/null
sleep 10
callgrind_control -d "$SP" >/dev/null
D=$(ls -t "$W"/cg.out.* | head -1)
TOTAL=$(callgrind_annotate "$D" 2>/dev/null | sed -n 's/^\([0-9,]*\) (100.0%).*PROGRAM TOTALS.*/\1/p' | tr -d ,)
echo "N=$N idle connections: $TOTAL instructions in 10 s"
