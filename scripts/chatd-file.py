#!/usr/bin/env python3
"""Send or fetch a text file over chatd's FILE protocol (docs/FILES.md),
with nothing but the Python standard library.

  scripts/chatd-file.py send  --nick alice --account alice '#lobby' notes.txt   (asks for the password)
  printf '%s\n' "$PW" | scripts/chatd-file.py send --nick alice --password-stdin bob notes.txt
  CHATD_PASSWORD="$PW" scripts/chatd-file.py bench --nick alice --size 1048576 --count 3
  scripts/chatd-file.py get   --nick bob --join '#lobby' 17 > notes.txt

The password is never an argument (ps and shell history would show it to
every user of the machine). With --account NAME (or when a password source
is given, as the nick's account) it comes from, in order: the first line
of stdin with --password-stdin, the CHATD_PASSWORD environment variable,
or a prompt on the terminal (not echoed).

Options: --host (127.0.0.1), --port (6667). Exits non-zero with the
server's FAIL line on an error.
"""
import argparse, base64, getpass, hashlib, os, socket, sys, time

PASSWORD_ENV = "CHATD_PASSWORD"


def read_password(args):
    """The log-in password, or None to connect without an account."""
    if args.password is not None:
        sys.exit("--password is not accepted: it shows the password to every user of this machine "
                 "(ps, shell history). Use --password-stdin, %s, or type it at the prompt." % PASSWORD_ENV)
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            sys.exit("--password-stdin: nothing on stdin")
        return line.rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if args.account is None:
        return None
    if not sys.stdin.isatty():
        sys.exit("no password for %s: use --password-stdin or set %s" % (args.account, PASSWORD_ENV))
    return getpass.getpass("Password for %s: " % args.account)


class Conn:
    def __init__(self, host, port):
        try:
            self.sock = socket.create_connection((host, port), timeout=60)
        except OSError as e:
            sys.exit("cannot connect to %s:%d: %s" % (host, port, e.strerror or e))
        self.buf = b""

    def send(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def send_many(self, lines):
        self.sock.sendall(b"".join(l.encode() + b"\r\n" for l in lines))

    def line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                sys.exit("chatd closed the connection")
            self.buf += data
        raw, self.buf = self.buf.split(b"\n", 1)
        text = raw.rstrip(b"\r").decode("utf-8", "replace")
        if text.startswith("PING"):
            self.send("PONG" + text[4:])
        return text

    def wait(self, *needles):
        while True:
            text = self.line()
            if " FAIL " in text or text.startswith("ERROR"):
                sys.exit(text)
            if any(n in text for n in needles):
                return text


def connect(args):
    c = Conn(args.host, args.port)
    if args.password:
        c.send("PASS %s:%s" % (args.account or args.nick, args.password))
    c.send("NICK " + args.nick)
    c.send("USER %s 0 * :%s" % (args.nick, args.nick))
    c.wait(" 376 ", " 422 ")
    for channel in args.join or []:
        c.send("JOIN " + channel)
        c.wait(" 366 ")
    return c


def upload(c, target, name, data):
    c.send("FILE UPLOAD %s %s %d %s" % (target, name, len(data), hashlib.sha256(data).hexdigest()))
    _, _, _, upload_id, chunk = c.wait(" FILE READY ").split(" ")[:5]
    chunk = int(chunk)
    lines = ["FILE CHUNK %s :%s" % (upload_id, base64.b64encode(data[i:i + chunk]).decode())
             for i in range(0, len(data), chunk)]
    for i in range(0, len(lines), 64):   # 64 lines per write
        c.send_many(lines[i:i + 64])
    c.send("FILE END " + upload_id)
    return c.wait(" FILE STORED ").split(" ")[3]


def download(c, file_id):
    c.send("FILE GET " + file_id)
    c.wait(" FILE BEGIN %s " % file_id)
    parts = []
    marker = " FILE DATA %s :" % file_id
    while True:
        text = c.line()
        if marker in text:
            parts.append(base64.b64decode(text.split(marker, 1)[1]))
        elif text.endswith(" FILE DONE " + file_id):
            return b"".join(parts)
        elif " FAIL FILE " in text:
            sys.exit(text)


def fetch_loop(args, file_id, n, stop):
    a = argparse.Namespace(**vars(args)); a.nick = "dl%d" % n; a.password = None
    c = connect(a)
    while not stop.is_set():
        download(c, file_id)


def chat_p99(args, file_id, downloaders):
    """p99 of 200 chat round trips (a line from one client seen by another),
    while `downloaders` clients each download `file_id` over and over."""
    # Downloaders are processes, not threads: threads would share the GIL
    # with the two timing clients and measure Python, not chatd.
    import multiprocessing
    stop = multiprocessing.Event()
    threads = [multiprocessing.Process(target=fetch_loop, args=(args, file_id, n, stop), daemon=True)
               for n in range(downloaders)]
    for t in threads: t.start()
    a = argparse.Namespace(**vars(args)); a.password = None
    a.nick = "pinger%d" % downloaders; sender = connect(a)
    a.nick = "ponger%d" % downloaders; receiver = connect(a)
    time.sleep(0.5 if downloaders else 0)   # let the downloads get going (bounded: 200 samples follow)
    samples = []
    for n in range(200):
        t = time.monotonic()
        sender.send("PRIVMSG %s :ping %d" % (a.nick, n))
        receiver.wait(":ping %d" % n)
        samples.append((time.monotonic() - t) * 1000)
    stop.set()
    for t in threads: t.join(30)
    samples.sort()
    return samples[int(len(samples) * 0.99) - 1]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["send", "get", "bench"])
    p.add_argument("target", nargs="?", help="send: #channel or nick; get: file id")
    p.add_argument("file", nargs="?")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=6667)
    p.add_argument("--nick", required=True)
    p.add_argument("--account", help="log in to this account (default: the nick, when a password is given)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.add_argument("--password", help=argparse.SUPPRESS)  # refused with an explanation
    p.add_argument("--join", action="append")
    p.add_argument("--size", type=int, default=1048576)
    p.add_argument("--count", type=int, default=3)
    args = p.parse_intermixed_args()  # options before or after the positionals
    args.password = read_password(args)
    if args.mode == "send":
        if args.target.startswith("#"):
            args.join = (args.join or []) + [args.target]
        c = connect(args)
        with open(args.file, "rb") as f:
            data = f.read()
        print("stored: FILE GET " + upload(c, args.target, os.path.basename(args.file), data))
    elif args.mode == "get":
        c = connect(args)
        sys.stdout.buffer.write(download(c, args.target))
    else:  # bench: upload and download `count` distinct files of `size` bytes, report MB/s
        args.join = (args.join or []) + ["#bench-files"]
        c = connect(args)
        up = down = 0.0
        for n in range(min(args.count, 20)):
            line = ("bench %d %s\n" % (n, time.time())).encode()
            data = (line * (args.size // len(line) + 1))[:args.size]
            t = time.monotonic(); fid = upload(c, "#bench-files", "bench-%d.txt" % n, data); up += time.monotonic() - t
            t = time.monotonic(); got = download(c, fid); down += time.monotonic() - t
            if got != data:
                sys.exit("download %s differs" % fid)
        mb = args.size * min(args.count, 20) / 1e6
        quiet, busy = chat_p99(args, fid, 0), chat_p99(args, fid, 20)
        print('{"files": %d, "bytes": %d, "uploadMBps": %.2f, "downloadMBps": %.2f, '
              '"chatP99MsQuiet": %.2f, "chatP99MsDuring20Downloads": %.2f}'
              % (min(args.count, 20), args.size, mb / up, mb / down, quiet, busy))


if __name__ == "__main__":
    main()
