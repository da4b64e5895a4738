#!/usr/bin/env python3
"""Live-score load: N chat followers (SCORES FOLLOW) and N UDP subscribers
(one token per follower connection) on one match, events pushed through the
console every --interval seconds, while two chat clients measure PRIVMSG
latency in a channel. Loopback only; bounded in count and time.

    bench/scores_bench.py --port 26667 --console data/console.sock --followers 1000 --duration 10

Prints one JSON line: events, datagrams/s received, UDP loss (seqs missing
per subscriber), follower lines, chat p50/p99.
"""
import argparse, json, os, selectors, socket, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=6667)
ap.add_argument("--console", required=True)
ap.add_argument("--followers", type=int, default=1000)
ap.add_argument("--interval", type=float, default=0.01)
ap.add_argument("--duration", type=float, default=10)
ap.add_argument("--chat-rate", type=float, default=50, help="PRIVMSGs per second for the latency probe")
ap.add_argument("--time-limit", type=float, default=120)
a = ap.parse_args()
hard_deadline = time.monotonic() + a.time_limit

def console(request):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(a.console)
    s.sendall((json.dumps(request) + "\n").encode())
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    s.close()
    reply = json.loads(data)
    if not reply.get("ok"): sys.exit(f"console: {request['cmd']}: {reply}")
    return reply

class Irc:
    def __init__(self, nick):
        self.sock = socket.create_connection(("127.0.0.1", a.port))
        self.sock.setblocking(False)
        self.buf = b""
        self.nick = nick
        self.send(f"NICK {nick}\r\nUSER {nick} 0 * :bench\r\n")
    def send(self, text):
        self.sock.setblocking(True); self.sock.sendall(text.encode()); self.sock.setblocking(False)
    def lines(self):
        try:
            chunk = self.sock.recv(1 << 20)
        except BlockingIOError:
            return []
        if not chunk: raise SystemExit(f"{self.nick}: connection closed")
        self.buf += chunk
        *done, self.buf = self.buf.split(b"\r\n")
        return [l.decode(errors="replace") for l in done]

match = console({"cmd": "match-create", "home": "Bench Rovers", "away": "Load United"})["id"]
console({"cmd": "match-event", "match": match, "type": "kickoff", "minute": 0})

sel = selectors.DefaultSelector()
followers, udp = [], []
udp_port = None
for i in range(a.followers):
    c = Irc(f"sf{i}")
    followers.append(c)
    sel.register(c.sock, selectors.EVENT_READ, ("irc", c))
# Registration, then FOLLOW and a UDP token each.
tokens = {}
pending = set(range(a.followers))
registered = set()
while len(tokens) < a.followers:
    if time.monotonic() > hard_deadline: sys.exit("setup did not finish")
    for key, _ in sel.select(1):
        kind, c = key.data
        for line in c.lines():
            w = line.split(" ")
            if len(w) > 1 and w[1] == "001":
                c.send(f"SCORES FOLLOW {match}\r\nSCORES UDP {match}\r\n")
            elif line.startswith("PING"):
                c.send("PONG" + line[4:] + "\r\n")
            elif len(w) > 5 and w[2] == "UDPTOKEN":
                tokens[c.nick] = w[4]; udp_port = int(w[5])
            elif len(w) > 2 and w[1] == "FAIL":
                sys.exit(line)
for nick, token in tokens.items():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    u.bind(("127.0.0.1", 0)); u.setblocking(False)
    u.sendto(token.encode(), ("127.0.0.1", udp_port))
    udp.append({"sock": u, "seqs": set(), "dups": 0})
    sel.register(u, selectors.EVENT_READ, ("udp", udp[-1]))

# Latency probe: two clients in a channel.
probe_tx, probe_rx = Irc("probetx"), Irc("proberx")
for c in (probe_tx, probe_rx):
    sel.register(c.sock, selectors.EVENT_READ, ("probe", c))
joined = 0
while joined < 2:
    if time.monotonic() > hard_deadline: sys.exit("probe setup did not finish")
    for key, _ in sel.select(1):
        kind, c = key.data
        if kind == "udp":
            try: key.fileobj.recv(4096)
            except BlockingIOError: pass
            continue
        for line in c.lines():
            w = line.split(" ")
            if len(w) > 1 and w[1] == "001" and kind == "probe": c.send(f"JOIN #probe{os.getpid()}\r\n")
            if len(w) > 1 and w[1] == "366": joined += 1

# Drain acks, then run.
cs = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); cs.connect(a.console); cs.setblocking(False)
sel.register(cs, selectors.EVENT_READ, ("console", None))
status_before = console({"cmd": "status"})
events_sent, console_buf, follower_lines = 0, b"", 0
latencies, probe_sent = [], 0
start = time.monotonic()
end = start + a.duration
first_seq = None
while time.monotonic() < end + 2 and time.monotonic() < hard_deadline:
    now = time.monotonic()
    if now < end:
        while events_sent < int((now - start) / a.interval) + 1:
            cs.setblocking(True)
            cs.sendall((json.dumps({"cmd": "match-event", "match": match, "type": "foul", "team": "home", "minute": 10}) + "\n").encode())
            cs.setblocking(False)
            events_sent += 1
        while probe_sent < int((now - start) * a.chat_rate) + 1:
            probe_tx.send(f"PRIVMSG #probe{os.getpid()} :{time.monotonic():.6f}\r\n"); probe_sent += 1
    for key, _ in sel.select(0.002):
        kind, obj = key.data
        if kind == "udp":
            while True:
                try: data = key.fileobj.recv(4096)
                except BlockingIOError: break
                if data == b"OK": continue
                seq = json.loads(data)["seq"]
                if seq in obj["seqs"]: obj["dups"] += 1
                obj["seqs"].add(seq)
        elif kind == "console":
            try: console_buf += key.fileobj.recv(1 << 20)
            except BlockingIOError: pass
        else:
            for line in obj.lines():
                if " SCORES EVENT " in line: follower_lines += 1
                elif line.startswith("PING"): obj.send("PONG" + line[4:] + "\r\n")
                elif obj is probe_rx and f" PRIVMSG #probe{os.getpid()} :" in line:
                    latencies.append(time.monotonic() - float(line.rsplit(":", 1)[1]))
status_after = console({"cmd": "status"})
sent_by_server = status_after["scores"]["udpDatagramsSent"] - status_before["scores"]["udpDatagramsSent"]
dropped_by_server = status_after["scores"]["udpDatagramsDropped"] - status_before["scores"]["udpDatagramsDropped"]
errors = [l for l in console_buf.split(b"\n") if l and b'"ok":false' in l]
# Seqs the match got during the run: 2 (kickoff is 1) .. 1 + events_sent.
expected = set(range(2, 2 + events_sent))
received = sum(len(u["seqs"] & expected) for u in udp)
lost = sum(len(expected - u["seqs"]) for u in udp)
latencies.sort()
pct = lambda p: round(latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000, 2) if latencies else None
print(json.dumps({
    "followers": a.followers, "udpSubscribers": len(udp), "eventsSent": events_sent,
    "eventsPerSecond": round(events_sent / a.duration, 1), "consoleErrors": len(errors),
    "serverDatagramsSent": sent_by_server, "serverDatagramsPerSecond": round(sent_by_server / a.duration, 1),
    "serverDatagramsDropped": dropped_by_server, "serverLoopLagMaxMillis": status_after.get("loopLagMaxMillis"),
    "datagramsReceived": received, "datagramsPerSecond": round(received / a.duration, 1),
    "udpLost": lost, "udpLossPercent": round(100 * lost / max(1, len(expected) * len(udp)), 3),
    "udpDuplicates": sum(u["dups"] for u in udp),
    "followerLines": follower_lines, "followerLinesExpected": events_sent * a.followers,
    "chatMessages": len(latencies), "chatP50Millis": pct(50), "chatP99Millis": pct(99), "chatMaxMillis": pct(100),
}))
