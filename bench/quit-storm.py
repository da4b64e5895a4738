#!/usr/bin/env python3
"""A crowd leaves at once: N clients join one channel, then all their
sockets close together (as when a proxy or a NAT gateway in front of them
drops). Every departure is a QUIT to every member still there, so the
server does ~N²/2 deliveries, most of them to sockets already dead.

Measures what the rest of the server sees: the loop's worst timer lag
during the storm (chatctl status: loopLagMaxMillis, reset by a fresh
daemon) and how long until the server counts no users.

  bench/quit-storm.py --chatd .build/release/chatd --members 6000 [--repeats 3]

Loopback only; bounded in count (--members, at most 18,000 for the
descriptor limit) and time (each phase has a deadline)."""
import argparse, json, os, selectors, shutil, socket, subprocess, sys, tempfile, threading, time

class Bystander(threading.Thread):
    """A user outside the crowd who PINGs the server over and over: the
    longest round trip is what everyone else waited during the storm."""
    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"NICK bystander\r\nUSER b 0 * :Bystander\r\n")
        self.buf = b""
        self.wait_for(b" 376 ", b" 422 ")
        self.stop = threading.Event()
        self.worst = 0.0
        self.count = 0

    def wait_for(self, *marks):
        self.sock.settimeout(120)
        while not any(m in self.buf for m in marks):
            data = self.sock.recv(1 << 16)
            if not data: raise SystemExit("bystander disconnected")
            self.buf += data
        self.buf = b""

    def run(self):
        while not self.stop.is_set():
            sent = time.time()
            self.sock.sendall(f"PING :p{self.count}\r\n".encode())
            self.wait_for(f"PONG storm.test :p{self.count}".encode())
            self.worst = max(self.worst, time.time() - sent)
            self.count += 1
            time.sleep(0.005)

def chatctl_status(chatctl, sock):
    out = subprocess.run([chatctl, "--socket", sock, "--json", "status"], capture_output=True, text=True, timeout=30)
    return json.loads(out.stdout)

def run(args, binary):
    work = tempfile.mkdtemp(prefix="quit-storm-")
    port = 20000 + os.getpid() % 20000
    config = {"serverName": "storm.test", "listen": [f"127.0.0.1:{port}"], "http": {"listen": []},
              "consoleSocket": "console.sock", "dataDir": "data",
              "limits": {"maxConnections": 0, "maxConnectionsPerIP": 0}}
    with open(os.path.join(work, "config.json"), "w") as f: json.dump(config, f)
    server = subprocess.Popen([binary, "--config", os.path.join(work, "config.json")], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock_path = os.path.join(work, "console.sock")
    try:
        deadline = time.time() + 30
        while not os.path.exists(sock_path):
            if time.time() > deadline: raise SystemExit("chatd did not start")
            time.sleep(0.05)
        sel = selectors.DefaultSelector()
        clients = []
        for i in range(args.members):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(f"NICK storm{i}\r\nUSER s 0 * :Storm {i}\r\nJOIN #crowd\r\n".encode())
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            clients.append(s)
        # Everyone reads until the server says the crowd is complete (drained,
        # so nobody is dropped for not reading).
        deadline = time.time() + args.timeout
        while time.time() < deadline:
            for key, _ in sel.select(0.2):
                try:
                    while key.fileobj.recv(1 << 16): pass
                except (BlockingIOError, ConnectionError): pass
            status = chatctl_status(args.chatctl, sock_path)
            if status["users"] >= args.members and status.get("loopLagMillis", 0) < 50:
                break
        else:
            raise SystemExit("the crowd did not assemble in time")
        before = chatctl_status(args.chatctl, sock_path)
        bystander = Bystander(port)
        bystander.start()
        time.sleep(0.2)
        # The storm: every socket closed at once (FIN, as an exit does).
        started = time.time()
        for s in clients: s.close()
        deadline = time.time() + args.timeout
        while time.time() < deadline:
            status = chatctl_status(args.chatctl, sock_path)
            if status["users"] <= 1: break  # the bystander
            time.sleep(0.05)
        gone = time.time() - started
        bystander.stop.set()
        bystander.join(timeout=120)
        return {"binary": binary, "members": args.members, "secondsUntilEmpty": round(gone, 2),
                "bystanderPingMaxMillis": round(bystander.worst * 1000, 1), "bystanderPings": bystander.count,
                "loopLagMaxMillisBefore": round(before["loopLagMaxMillis"], 1),
                "loopLagMaxMillis": round(status["loopLagMaxMillis"], 1), "usersLeft": status["users"] - 1}
    finally:
        server.terminate()
        try: server.wait(timeout=30)
        except subprocess.TimeoutExpired: server.kill()
        shutil.rmtree(work, ignore_errors=True)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--chatd", action="append", required=True, help="a chatd binary (repeat to compare, interleaved)")
    p.add_argument("--chatctl", default=".build/release/chatctl")
    p.add_argument("--members", type=int, default=6000)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()
    if not 2 <= args.members <= 18000: raise SystemExit("--members: 2 to 18000")
    for _ in range(args.repeats):
        for binary in args.chatd:
            print(json.dumps(run(args, binary)), flush=True)

if __name__ == "__main__":
    main()
