#!/bin/bash
# FILE throughput and chat latency during downloads, one short bounded run:
# starts chatd (CHATD, default .build/debug/chatd) on a free loopback port
# with a throw-away data folder, creates the account alice, and runs
# `scripts/chatd-file.py bench` (3 files of 1 MiB up and down, then 200 chat
# round trips quiet and 200 while 20 clients download). Prints one JSON line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
chatd="${CHATD:-$root/.build/debug/chatd}"
port="${PORT:-16791}"
dir="$(mktemp -d)"
cat > "$dir/c.json" <<J
{"serverName": "bench.local", "limits": {"maxConnectionsPerIP": 0, "floodLinesPerSecond": 0}}
J
"$chatd" --config "$dir/c.json" --listen "127.0.0.1:$port" --data-dir "$dir/data" 2>"$dir/log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
timeout 30 python3 - "$port" <<'P'
import socket, sys, time
deadline = time.time() + 25
while True:
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); break
    except OSError:
        if time.time() > deadline: sys.exit("chatd did not listen")
        time.sleep(0.05)
s.sendall(b"NICK alice\r\nUSER a 0 * :a\r\nREGISTER * * :password-alice\r\n")
b = b""
while b"REGISTER SUCCESS" not in b:
    b += s.recv(4096)
P
CHATD_PASSWORD=password-alice timeout 300 python3 "$root/scripts/chatd-file.py" bench --port "$port" --nick alice \
    --size 1048576 --count 3
