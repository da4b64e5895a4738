#!/usr/bin/env bash
# Regenerates scripts/chatd-symbol-order.txt: the functions a release chatd
# runs while it starts and serves one short session, in first-run order.
# The linker places them together (Package.swift), so the text touched at
# start-up is a few contiguous megabytes instead of pages spread over the
# whole binary (docs/BENCHMARKS.md, issue #14 section 10). Names that no
# longer exist are skipped at link time, so a stale list only costs memory;
# rerun this after large changes. Needs valgrind. Loopback only; bounded.
#   scripts/symbol-order.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install -y valgrind)" >&2; exit 1; }
swift build -c release --product chatd
WORK=$(mktemp -d /tmp/chatd-order.XXXXXX)
PORT=${PORT:-16695}
trap 'pkill -INT -f "callgrind-out-file=$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT
sed "s|/tmp/chatd-bench-console.sock|$WORK/console.sock|" bench/chatd.json > "$WORK/chatd.json"
timeout 180 valgrind --tool=callgrind --demangle=no --callgrind-out-file="$WORK/cg.out" \
  .build/release/chatd --config "$WORK/chatd.json" --listen "127.0.0.1:$PORT" --http-listen "127.0.0.1:$((PORT + 1))" \
  --data-dir "$WORK/data" > "$WORK/chatd.log" 2>&1 &
VG=$!
python3 - "$PORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1]); deadline = time.time() + 120
while True:
    try: s = socket.create_connection(("127.0.0.1", port), timeout=5); break
    except OSError:
        if time.time() > deadline: sys.exit("chatd did not start under valgrind")
        time.sleep(0.2)
s.sendall(b"CAP LS 302\r\nNICK a\r\nUSER a 0 * :a\r\nCAP REQ :batch server-time draft/chathistory\r\nCAP END\r\n"
          b"JOIN #x\r\nPRIVMSG #x :hi\r\nCHATHISTORY LATEST #x * 5\r\nSCORES LIST\r\nPING :end\r\n")
buf = b""
while b"PONG" not in buf and time.time() < deadline:
    data = s.recv(65536)
    if not data: break
    buf += data
s.sendall(b"QUIT\r\n"); time.sleep(1)
PY
kill -INT "$VG"; wait "$VG" || true
python3 - "$WORK/cg.out" scripts/chatd-symbol-order.txt <<'PY'
import re, sys
names = {}; objects = {}; current = None; order = []; seen = set()
def resolve(value, table):
    m = re.match(r"\((\d+)\)(?:\s+(.*))?", value)
    if not m: return value
    if m.group(2): table[m.group(1)] = m.group(2)
    return table.get(m.group(1))
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("ob="): current = resolve(line[3:], objects)
    elif line.startswith("cob="): resolve(line[4:], objects)
    elif line.startswith("cfn="): resolve(line[4:], names)
    elif line.startswith("fn="):
        name = resolve(line[3:], names)
        if current and current.endswith("/chatd") and name and name not in seen:
            seen.add(name); order.append(name)
open(sys.argv[2], "w").write("\n".join(order) + "\n")
print(f"{len(order)} functions -> {sys.argv[2]}")
PY
