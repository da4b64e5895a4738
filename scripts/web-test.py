#!/usr/bin/env python3
"""The web page in a real browser: starts chatd (a built binary) on free
loopback ports with a temp data folder and its HTTP listener, drives headless
Chromium over the DevTools protocol, and checks, as a person would:

  1. the page registers an account (IRCv3 REGISTER over the WebSocket);
  2. it joins a channel (through the channel browser) and shows its history;
  3. a line typed in the page reaches a plain IRC client over TCP;
  4. a line from that TCP client appears in the page;
  5. a file chosen with the page's upload button is uploaded (POST to
     FILEHOST), its share notice shows a download link, and the link gives
     the same bytes back;
  6. screenshots at desktop and phone width go into the folder given.

Python 3 standard library only (the DevTools WebSocket client is below).
Every wait has a timeout; the first failure stops the run with a message
and exit code 1.

    scripts/web-test.py --chatd .build/debug/chatd --out /tmp/shots
"""
import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class TestFailure(Exception):
    pass


def fail(message):
    raise TestFailure(message)


def step(message):
    print(f"web-test: {message}", flush=True)


def wait_for(what, predicate, timeout):
    """Polls `predicate` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except TestFailure:
            raise
        except Exception as error:  # a page still loading, a socket not yet open
            last_error = error
        time.sleep(0.05)
    fail(f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----------------------------------------------------------------- WebSocket (client side, RFC 6455)

class WebSocket:
    """Just enough of a WebSocket client for the DevTools protocol: text
    frames, client masking, fragmented and large frames, ping answers."""

    def __init__(self, url, timeout):
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        if not m:
            fail(f"unexpected DevTools URL {url}")
        host, port, path = m.group(1), int(m.group(2)), m.group(3)
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                fail("DevTools closed the WebSocket handshake")
            head += chunk
        head, self.buffer = head.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            fail(f"DevTools refused the WebSocket: {head[:200]!r}")

    def send(self, text):
        data = text.encode()
        header = bytes([0x81])
        n = len(data)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                fail("DevTools closed the WebSocket")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def receive(self):
        """One whole text message (fragments joined)."""
        parts = []
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            if opcode == 0x9:  # ping
                self.sock.sendall(bytes([0x8A, 0x80]) + os.urandom(4))
                continue
            if opcode == 0x8:
                fail("DevTools closed the WebSocket")
            parts.append(payload)
            if b0 & 0x80:
                return b"".join(parts).decode()


class DevTools:
    """Commands to one page over the DevTools protocol; events are kept for `wait_event`."""

    def __init__(self, url, timeout):
        self.ws = WebSocket(url, timeout)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == my_id:
                if "error" in message:
                    fail(f"DevTools {method} failed: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
                del self.events[:-200]

    def evaluate(self, expression):
        """Runs JS in the page and returns its (JSON) value; a thrown error fails the test."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            detail = result["exceptionDetails"]
            fail(f"page JS error: {detail.get('exception', {}).get('description') or detail.get('text')} in: {expression[:120]}")
        return result.get("result", {}).get("value")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        step(f"screenshot {path}")


# ----------------------------------------------------------------- IRC over TCP

class IRCClient:
    """A plain IRC client over TCP, as irssi or nc would be."""

    def __init__(self, port, nick, timeout):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.settimeout(0.2)
        self.buffer = b""
        self.lines = []
        self.nick = nick

    def send(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def pump(self):
        try:
            chunk = self.sock.recv(65536)
            if not chunk:
                fail(f"the server closed {self.nick}'s TCP connection")
            self.buffer += chunk
        except socket.timeout:
            pass
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            line = line.rstrip(b"\r").decode(errors="replace")
            if line.startswith("PING"):
                self.send("PONG" + line[4:])
            self.lines.append(line)

    def wait_line(self, what, predicate, timeout):
        def check():
            self.pump()
            for i, line in enumerate(self.lines):
                if predicate(line):
                    del self.lines[:i + 1]
                    return line
            return None
        return wait_for(f"{self.nick} (TCP) to receive {what}", check, timeout)


# ----------------------------------------------------------------- the run

def start_chatd(args, work):
    irc_port, http_port = free_port(), free_port()
    config = {
        "listen": [f"127.0.0.1:{irc_port}"],
        "dataDir": os.path.join(work, "data"),
        "serverName": "chatd.test",
        "networkName": "ChatNet",
        "logLevel": "info",
        "motd": "Welcome to the chatd browser test.",
        "http": {"listen": [f"127.0.0.1:{http_port}"], "webRoot": os.path.join(ROOT, "web")},
        "scores": {"simulator": True, "simulatorMatches": 3, "intervalMillis": 400, "seed": 7},
        "limits": {"floodBurst": 100, "floodLinesPerSecond": 50},
    }
    path = os.path.join(work, "config.json")
    with open(path, "w") as f:
        json.dump(config, f, indent=2)
    return launch_chatd(args, work, irc_port, http_port)


def launch_chatd(args, work, irc_port, http_port):
    """Starts chatd on the work folder's config.json (again, after a stop: same ports, same data)."""
    path = os.path.join(work, "config.json")
    log = open(os.path.join(work, "chatd.log"), "a")
    # chatd runs in the work folder: a relative --chatd is taken from where we started.
    process = subprocess.Popen([os.path.abspath(args.chatd), "--config", path], stdout=log, stderr=subprocess.STDOUT, cwd=work)

    def up():
        if process.poll() is not None:
            fail(f"chatd exited with {process.returncode}; its log:\n{open(log.name).read()[-3000:]}")
        for port in (irc_port, http_port):
            with socket.socket() as s:
                s.settimeout(0.2)
                if s.connect_ex(("127.0.0.1", port)) != 0:
                    return False
        return True
    wait_for("chatd to listen on its IRC and HTTP ports", up, args.timeout)
    return process, irc_port, http_port, log.name


def start_chromium(args, work):
    binary = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not binary:
        fail("no chromium found (apt-get install -y chromium)")
    profile = os.path.join(work, "chromium-profile")
    command = [binary, "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={profile}",
               "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
               "--disable-background-networking", "--disable-sync", "--mute-audio", "--hide-scrollbars",
               "--window-size=1280,800", "about:blank"]
    if os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    stderr_path = os.path.join(work, "chromium.log")
    stderr = open(stderr_path, "w")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)

    def endpoint():
        if process.poll() is not None:
            fail(f"chromium exited with {process.returncode}; its log:\n{open(stderr_path).read()[-3000:]}")
        m = re.search(r"DevTools listening on (ws://\S+)", open(stderr_path).read())
        return m and m.group(1)
    browser_url = wait_for("chromium's DevTools endpoint", endpoint, args.timeout)
    port = int(re.match(r"ws://[^:]+:(\d+)/", browser_url).group(1))

    def page_target():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
            pages = [t for t in json.load(r) if t.get("type") == "page"]
        return pages and pages[0]["webSocketDebuggerUrl"]
    page_url = wait_for("a page in chromium", page_target, args.timeout)
    return process, DevTools(page_url, args.timeout)


def js_string(value):
    return json.dumps(value)


def run(args):
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="chatd-web-test-")
    chatd = chromium = None
    timeout = args.timeout
    nonce = os.urandom(3).hex()
    try:
        chatd, irc_port, http_port, chatd_log = start_chatd(args, work)
        base = f"http://127.0.0.1:{http_port}"
        step(f"chatd up: IRC on {irc_port}, web on {base} (data in {work})")

        # bob: a plain TCP client with an account, in the channel before alice.
        bob = IRCClient(irc_port, "bob", timeout)
        bob.send("CAP LS 302")
        bob.send("NICK bob")
        bob.send("USER bob 0 * :Bob over TCP")
        bob.send("CAP REQ :message-tags draft/message-redaction")
        bob.send("CAP END")
        bob.wait_line("the welcome (001)", lambda l: " 001 " in l, timeout)
        bob.send("REGISTER * * :bobs-long-password")
        bob.wait_line("REGISTER SUCCESS", lambda l: "REGISTER SUCCESS" in l or "FAIL REGISTER" in l, timeout)
        channel = "#webtest"
        bob.send(f"JOIN {channel}")
        bob.wait_line("his own JOIN", lambda l: f"JOIN {channel}" in l or f"JOIN :{channel}" in l, timeout)
        bob.send(f"TOPIC {channel} :Browser test room — say hi")
        for text in ["morning all", "the release notes are in the wiki", f"said before alice came {nonce}"]:
            bob.send(f"PRIVMSG {channel} :{text}")
        bob.send("PING :sync")
        bob.wait_line("PONG", lambda l: "PONG" in l, timeout)

        chromium, page = start_chromium(args, work)
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
        page.call("Page.navigate", url=base + "/")
        wait_for("the page to load", lambda: page.evaluate(
            "document.readyState === 'complete' && typeof chatd === 'object' && !!document.getElementById('login-form')"), timeout)
        step("page loaded")
        page.screenshot(os.path.join(args.out, "login.png"))

        # 1. Register alice in the page.
        page.evaluate("""(() => {
            document.querySelector('.tab[data-mode="register"]').click();
            document.getElementById('login-nick').value = 'alice';
            document.getElementById('login-password').value = 'alices-long-password';
            document.getElementById('login-submit').click();
            return true; })()""")
        wait_for("the page to register and show the chat", lambda: page.evaluate(
            "(() => { const e = document.getElementById('login-error').textContent;"
            " if (e) throw new Error('log-in error shown: ' + e);"
            " return !document.getElementById('app').classList.contains('hidden') &&"
            " document.getElementById('me-account').textContent.includes('alice'); })()"), timeout)
        step("registered alice in the page (logged in)")

        # 2. Join through the channel browser.
        page.evaluate("document.getElementById('browse-button').click(); true")
        wait_for("the channel browser to list #webtest", lambda: page.evaluate(
            f"[...document.querySelectorAll('#browse-list .browse-name')].some(n => n.textContent === {js_string(channel)})"), timeout)
        page.evaluate(f"""(() => {{
            const row = [...document.querySelectorAll('#browse-list .browse-item')]
              .find(li => li.querySelector('.browse-name').textContent === {js_string(channel)});
            row.querySelector('button').click(); return true; }})()""")
        wait_for(f"{channel} to open in the page", lambda: page.evaluate(
            f"!!document.querySelector('.buffer-item.active[data-name=\"{channel}\"]')"
            " && document.getElementById('buffer-title').textContent === " + js_string(channel)), timeout)
        wait_for("the channel's history to show in the page", lambda: page.evaluate(
            f"document.getElementById('message-list').textContent.includes({js_string('said before alice came ' + nonce)})"), timeout)
        bob.wait_line("alice's JOIN", lambda l: "alice" in l and "JOIN" in l, timeout)
        step(f"joined {channel}; history shown")

        # 3. Page → TCP: typed into the composer, sent with Enter.
        said = f"hello from the browser {nonce}"
        page.evaluate("document.getElementById('composer-input').focus(); true")
        page.call("Input.insertText", text=said)
        for kind in ("keyDown", "keyUp"):
            page.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
                      **({"text": "\r"} if kind == "keyDown" else {}))
        said_line = bob.wait_line("alice's message from the page", lambda l: f"PRIVMSG {channel} :{said}" in l, timeout)
        said_msgid = re.search(r"(?:^@|;)msgid=([^; ]+)", said_line).group(1)
        wait_for("the page to show its own message", lambda: page.evaluate(
            f"document.getElementById('message-list').textContent.includes({js_string(said)})"), timeout)
        step("the page's message reached the TCP client")

        # 4. TCP → page.
        answer = f"hi alice, bob here over TCP {nonce}"
        bob.send(f"PRIVMSG {channel} :{answer}")
        wait_for("bob's message in the page's DOM", lambda: page.evaluate(
            f"[...document.querySelectorAll('#message-list .line .text')].some(n => n.textContent === {js_string(answer)})"), timeout)
        step("the TCP client's message appeared in the page")

        # 4b. Deleting (draft/message-redaction): alice deletes her line with
        # its hover button; bob, over TCP, deletes his. Both show as deleted.
        page.evaluate(f"""(() => {{
            const li = document.querySelector('#message-list .line[data-msgid={js_string(said_msgid)}]');
            if (!li) throw new Error('no line with the msgid bob saw');
            const button = li.querySelector('button.delete');
            if (!button) throw new Error('no delete button on alice\\'s own line');
            button.click();  // arms it: the page asks before deleting
            if (!button.classList.contains('armed')) throw new Error('the first click did not ask');
            button.click(); return true; }})()""")
        bob.wait_line("alice's REDACT", lambda l: f"REDACT {channel} {said_msgid}" in l, timeout)
        deleted_in_page = ("(() => { const li = document.querySelector('#message-list .line[data-msgid=' + JSON.stringify(%s) + ']');"
                           " return !!li && !!li.querySelector('.redacted') && !li.textContent.includes(%s); })()")
        wait_for("alice's line to show as deleted", lambda: page.evaluate(deleted_in_page % (js_string(said_msgid), js_string(said))), timeout)
        answer_msgid = page.evaluate(
            f"[...document.querySelectorAll('#message-list .line')].find(li => li.textContent.includes({js_string(answer)})).dataset.msgid")
        no_button = page.evaluate(
            f"!document.querySelector('#message-list .line[data-msgid=' + JSON.stringify({js_string(answer_msgid)}) + '] button.delete')")
        if not no_button:
            fail("the page offers to delete bob's line, which alice may not delete (she is not a channel operator)")
        bob.send(f"REDACT {channel} {answer_msgid} :typo")
        wait_for("bob's line to show as deleted in the page", lambda: page.evaluate(deleted_in_page % (js_string(answer_msgid), js_string(answer))), timeout)
        step("deleted alice's line from the page and bob's over TCP; both show as deleted")

        # 4c. Typing notices (+typing in TAGMSG), both ways.
        bob.send(f"@+typing=active TAGMSG {channel}")
        wait_for("the page to show that bob is typing", lambda: page.evaluate(
            "document.getElementById('typing').textContent === 'bob is typing…'"), timeout)
        bob.send(f"PRIVMSG {channel} :there, typed {nonce}")
        wait_for("the typing notice to go when bob's line arrives", lambda: page.evaluate(
            "document.getElementById('typing').textContent === ''"), timeout)
        page.evaluate("document.getElementById('composer-input').focus(); true")
        page.call("Input.insertText", text="half a thought")
        bob.wait_line("alice's typing notice", lambda l: "+typing=active" in l and f"TAGMSG {channel}" in l, timeout)
        page.evaluate("""(() => { const i = document.getElementById('composer-input'); i.value = '';
            i.dispatchEvent(new Event('input')); return true; })()""")
        bob.wait_line("alice's typing done", lambda l: "+typing=done" in l and f"TAGMSG {channel}" in l, timeout)
        step("typing notices shown in the page and sent from it")

        # 5. Upload through the page's file input (as the upload button opens it).
        content = f"notes from the browser test {nonce}\nsecond line: ünïcödé\n".encode()
        upload_path = os.path.join(work, "notes.txt")
        with open(upload_path, "wb") as f:
            f.write(content)
        wait_for("the page's file token (FILE TOKEN) and FILEHOST", lambda: page.evaluate("Files.ready()"), timeout)
        document = page.call("DOM.getDocument")
        node = page.call("DOM.querySelector", nodeId=document["root"]["nodeId"], selector="#file-input")
        page.call("DOM.setFileInputFiles", files=[upload_path], nodeId=node["nodeId"])
        link = wait_for("the download link of the uploaded file", lambda: page.evaluate(
            "(() => { const s = document.getElementById('upload-status');"
            " if (s.classList.contains('error')) throw new Error('upload failed in the page: ' + s.textContent);"
            " const a = [...document.querySelectorAll('a.file-link')].find(a => a.textContent === 'notes.txt');"
            " return a ? a.getAttribute('href') : null; })()"), timeout)
        bob.wait_line("the share notice", lambda l: "alice shared notes.txt" in l, timeout)
        fetched = page.evaluate(
            f"fetch({js_string(link)}).then(r => {{ if (!r.ok) throw new Error('download: HTTP ' + r.status); return r.arrayBuffer(); }})"
            ".then(b => { let s = ''; new Uint8Array(b).forEach(x => { s += String.fromCharCode(x); }); return btoa(s); })")
        got = base64.b64decode(fetched or "")
        if got != content:
            fail(f"the download link {link} gave {len(got)} bytes, not the {len(content)} uploaded")
        step(f"uploaded notes.txt from the page; {link} gives the same bytes back")

        # 6. Screenshots: desktop (scores panel open on a wide screen) and phone.
        bob.send(f"PRIVMSG {channel} :\x01ACTION waves at the browser\x01")
        wait_for("the action line", lambda: page.evaluate(
            "document.getElementById('message-list').textContent.includes('waves at the browser')"), timeout)
        wait_for("the live scores panel to list matches", lambda: page.evaluate(
            "document.querySelectorAll('#match-list .match').length > 0"), timeout)
        time.sleep(0.3)  # let the last render and the fonts settle before the picture (not a wait for an event)
        page.screenshot(os.path.join(args.out, "desktop.png"))
        page.call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2, mobile=True)
        wait_for("the phone layout", lambda: page.evaluate("window.innerWidth <= 400"), timeout)
        page.evaluate("document.getElementById('messages').scrollTop = 1e9; true")
        time.sleep(0.3)
        page.screenshot(os.path.join(args.out, "phone.png"))
        page.evaluate("document.getElementById('scores-button').click(); true")
        time.sleep(0.3)
        page.screenshot(os.path.join(args.out, "phone-scores.png"))
        page.evaluate("document.body.classList.remove('show-scores'); document.getElementById('menu-button').click(); true")
        time.sleep(0.3)
        page.screenshot(os.path.join(args.out, "phone-channels.png"))

        # 7. A guest's page comes back by itself after a server restart and rejoins its channel.
        page.call("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
        page.call("Page.navigate", url=base + "/")
        wait_for("the page to load again", lambda: page.evaluate(
            "document.readyState === 'complete' && typeof chatd === 'object' && !!document.getElementById('login-form')"), timeout)
        page.evaluate("""(() => {
            document.querySelector('.tab[data-mode="guest"]').click();
            document.getElementById('login-nick').value = 'carol';
            document.getElementById('login-submit').click();
            return true; })()""")
        wait_for("the guest to be in", lambda: page.evaluate(
            "chatd.state.registered && document.getElementById('me-account').textContent === 'guest'"), timeout)
        page.evaluate(f"chatd.joinChannel({js_string(channel)}); true")
        wait_for(f"the guest in {channel}", lambda: page.evaluate(
            f"[...chatd.state.buffers.values()].some(b => b.name === {js_string(channel)} && b.joined)"), timeout)
        chatd.send_signal(signal.SIGTERM)
        chatd.wait(timeout=30)
        wait_for("the page to count down to a reconnection", lambda: page.evaluate(
            "document.getElementById('banner').textContent.includes('reconnecting in')"), timeout)
        page.screenshot(os.path.join(args.out, "reconnecting.png"))
        chatd, _, _, _ = launch_chatd(args, work, irc_port, http_port)
        wait_for(f"the guest back in {channel} by itself", lambda: page.evaluate(
            f"chatd.state.registered && !chatd.state.reconnecting"
            f" && [...chatd.state.buffers.values()].some(b => b.name === {js_string(channel)} && b.joined)"
            " && document.getElementById('banner').classList.contains('hidden')"), timeout * 2)
        dave = IRCClient(irc_port, "dave", timeout)
        dave.send("NICK dave")
        dave.send("USER dave 0 * :Dave")
        dave.wait_line("the welcome (001)", lambda l: " 001 " in l, timeout)
        dave.send(f"NAMES {channel}")
        dave.wait_line(f"carol in {channel}'s names", lambda l: " 353 " in l and "carol" in l, timeout)
        step("a guest's page reconnected by itself after a restart and rejoined its channel")
        print("web-test: 1 passed, 0 failed")
        return 0
    except TestFailure as error:
        print(f"web-test: FAILED: {error}", file=sys.stderr)
        if chatd is not None:
            try:
                print("web-test: chatd log tail:\n" + open(os.path.join(work, "chatd.log")).read()[-2000:], file=sys.stderr)
            except OSError:
                pass
        return 1
    finally:
        if chromium is not None:
            try:
                os.killpg(chromium.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            chromium.wait()
        if chatd is not None and chatd.poll() is None:
            chatd.send_signal(signal.SIGTERM)
            try:
                chatd.wait(timeout=15)
            except subprocess.TimeoutExpired:
                chatd.kill()
                chatd.wait()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chatd", default=os.path.join(ROOT, ".build", "debug", "chatd"), help="the chatd binary")
    parser.add_argument("--out", required=True, help="folder for the screenshots")
    parser.add_argument("--chromium", help="the browser binary (default: chromium on PATH)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds for each wait (default 30)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (config, data, logs)")
    args = parser.parse_args()
    if not os.access(args.chatd, os.X_OK):
        print(f"web-test: no chatd binary at {args.chatd} (swift build first)", file=sys.stderr)
        return 1
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
