// The chatd web page: one IRC connection over WebSocket (IRCv3 WebSocket
// transport, subprotocol text.ircv3.net, one message per frame).
// Peer text only ever reaches the page through textContent, never innerHTML.
"use strict";

const WANTED_CAPS = [
  "message-tags", "server-time", "echo-message", "batch", "sasl", "draft/chathistory", "chathistory",
  "labeled-response", "account-tag", "away-notify", "account-notify", "extended-join", "multi-prefix",
  "userhost-in-names", "cap-notify", "draft/account-registration", "setname",
];
const MAX_LINES_PER_BUFFER = 2000;
const HISTORY_PAGE = 50;

const S = {
  ws: null, mode: "login", nick: "", account: null, password: null, email: null,
  offered: new Map(), caps: new Set(), registered: false, isupport: {},
  buffers: new Map(), current: null, batches: new Map(), pendingNames: new Map(),
  listing: [], closedByUs: false,
};

const $ = (id) => document.getElementById(id);
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// Icons as inline SVG (no icon font, no emoji font needed on the machine).
const ICON_PATHS = {
  menu: ["M3 6h18", "M3 12h18", "M3 18h18"],
  users: ["M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2", "M9 3a4 4 0 1 0 0 8a4 4 0 1 0 0-8", "M23 21v-2a4 4 0 0 0-3-3.87", "M16 3.13a4 4 0 0 1 0 7.75"],
  ball: ["M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20", "M12 7l4.5 3.3-1.7 5.2H9.2L7.5 10.3z", "M12 7V2", "M16.5 10.3l4.6-1.6", "M14.8 15.5l2.9 4.2", "M9.2 15.5l-2.9 4.2", "M7.5 10.3L2.9 8.7"],
  clip: ["M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48"],
  x: ["M18 6L6 18", "M6 6l12 12"],
  file: ["M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z", "M14 2v6h6", "M16 13H8", "M16 17H8"],
  music: ["M9 18V5l12-2v13", "M6 15a3 3 0 1 0 0 6a3 3 0 1 0 0-6", "M18 13a3 3 0 1 0 0 6a3 3 0 1 0 0-6"],
  video: ["M23 7l-7 5 7 5V7z", "M3 5h11a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z"],
  download: ["M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4", "M7 10l5 5 5-5", "M12 15V3"],
  plus: ["M12 5v14", "M5 12h14"],
};

function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  for (const d of ICON_PATHS[name] || []) {
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

// ---------------------------------------------------------------- connection

function wsURL() {
  const params = new URLSearchParams(location.search);
  if (params.get("ws")) return params.get("ws");
  return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/irc";
}

function send(command, params = [], tags = null) {
  if (!S.ws || S.ws.readyState !== WebSocket.OPEN) return false;
  S.ws.send(IRC.build(command, params, tags));
  return true;
}

function connect() {
  S.closedByUs = false;
  S.offered.clear(); S.caps.clear(); S.registered = false; S.isupport = {};
  setConnState("connecting");
  let ws;
  try { ws = new WebSocket(wsURL(), ["text.ircv3.net"]); } catch (e) { loginError("Cannot connect: " + e.message); return; }
  S.ws = ws;
  ws.onopen = () => {
    setConnState("online");
    send("CAP", ["LS", "302"]);
    send("NICK", [S.nick]);
    send("USER", [S.nick, "0", "*", S.nick + " (web)"]);
  };
  ws.onmessage = (event) => {
    const text = typeof event.data === "string" ? event.data : "";
    for (const line of text.split(/\r?\n/)) {
      if (!line) continue;
      const msg = IRC.parse(line);
      if (msg) { try { handle(msg); } catch (e) { console.error("handling", line, e); } }
    }
  };
  ws.onclose = () => {
    if (S.ws !== ws) return;
    S.ws = null;
    setConnState("offline");
    Files.stop();
    Scores.reset();
    if (!S.registered) {
      if (!$("login-error").textContent) loginError("The connection closed before log-in finished.");
      showLogin();
    } else if (!S.closedByUs) {
      showBanner("Disconnected from the server.", "Log in again", () => { hideBanner(); showLogin(); });
    }
  };
  ws.onerror = () => { /* onclose follows and says it */ };
}

function setConnState(state) {
  const node = $("conn-state");
  node.className = "conn-state " + state;
  node.title = state;
}

// ---------------------------------------------------------------- log-in

function loginError(text) { $("login-error").textContent = text; }

function showLogin() {
  $("app").classList.add("hidden");
  $("login").classList.remove("hidden");
  $("login-submit").disabled = false;
}

function setMode(mode) {
  S.mode = mode;
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.dataset.mode === mode));
  $("login-form").dataset.mode = mode;
  $("login-submit").textContent = { login: "Log in", register: "Create account", guest: "Join as guest" }[mode];
  $("login-password").required = mode !== "guest";
  $("login-password").autocomplete = mode === "register" ? "new-password" : "current-password";
}

function submitLogin(event) {
  event.preventDefault();
  loginError("");
  const nick = $("login-nick").value.trim();
  if (!/^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]*$/.test(nick)) { loginError("That is not a valid nickname."); return; }
  S.nick = nick;
  S.account = null;
  S.password = S.mode === "guest" ? null : $("login-password").value;
  S.email = $("login-email").value.trim() || null;
  $("login-password").value = "";  // the page does not keep it past this log-in
  $("login-submit").disabled = true;
  localStorage.setItem("chatd.nick", nick);
  connect();
}

function finishCaps() { send("CAP", ["END"]); }

function onCapsAcked() {
  if (S.mode === "login") {
    if (!S.caps.has("sasl")) { loginError("This server does not offer SASL log-in."); return quit(); }
    send("AUTHENTICATE", ["PLAIN"]);
  } else if (S.mode === "register") {
    if (!S.caps.has("draft/account-registration") && !S.offered.has("draft/account-registration")) {
      loginError("This server does not offer registration."); return quit();
    }
    send("REGISTER", ["*", S.email || "*", S.password]);
  } else {
    finishCaps();
  }
}

function sendSASL() {
  const payload = IRC.saslPlain(S.nick, S.password || "");
  for (let i = 0; i < payload.length; i += 400) send("AUTHENTICATE", [payload.slice(i, i + 400)]);
  if (payload.length % 400 === 0) send("AUTHENTICATE", ["+"]);
}

function quit() {
  S.closedByUs = true;
  if (S.ws) { send("QUIT", ["Leaving"]); S.ws.close(); }
}

// ---------------------------------------------------------------- buffers

function bufferKey(name) { return IRC.fold(name); }

function getBuffer(name, kind) {
  const key = bufferKey(name);
  let buf = S.buffers.get(key);
  if (!buf) {
    buf = { key, name, kind: kind || (IRC.isChannel(name) ? "channel" : "query"), messages: [], ids: new Set(),
            members: new Map(), topic: "", unread: 0, mention: false, joined: false,
            historyDone: false, historyLoading: false };
    S.buffers.set(key, buf);
    renderBufferList();
  }
  return buf;
}

function serverBuffer() { return getBuffer("*server*", "server"); }

function switchTo(key) {
  const buf = S.buffers.get(key);
  if (!buf) return;
  S.current = key;
  buf.unread = 0; buf.mention = false;
  $("buffer-title").textContent = buf.kind === "server" ? (S.isupport.NETWORK || "Server") : buf.name;
  $("buffer-topic").textContent = buf.kind === "channel" ? (buf.topic || "") : buf.kind === "query" ? "Private conversation" : "Server messages";
  $("composer-input").placeholder = buf.kind === "server" ? "Type /join #channel or a command" : `Message ${buf.name}`;
  $("members-button").classList.toggle("hidden", buf.kind !== "channel");
  renderBufferList();
  renderMessages(true);
  renderMembers();
  document.body.classList.remove("show-sidebar");
  if (buf.kind === "channel" && !buf.historyDone && buf.messages.length < 20) requestOlder(buf);
}

function removeBuffer(key) {
  S.buffers.delete(key);
  if (S.current === key) switchTo(firstBufferKey());
  renderBufferList();
}

function firstBufferKey() {
  for (const [key, buf] of S.buffers) if (buf.kind === "channel") return key;
  return serverBuffer().key;
}

function saveChannels() {
  const names = [...S.buffers.values()].filter((b) => b.kind === "channel" && b.joined).map((b) => b.name);
  localStorage.setItem("chatd.channels." + (S.account || S.nick), JSON.stringify(names));
}

function renderBufferList() {
  const chans = $("channel-list"), queries = $("query-list");
  chans.replaceChildren(); queries.replaceChildren();
  const sorted = [...S.buffers.values()].sort((a, b) => (a.kind === "server" ? -1 : b.kind === "server" ? 1 : a.name.localeCompare(b.name)));
  for (const buf of sorted) {
    const li = el("li", "buffer-item");
    li.dataset.name = buf.name;
    if (buf.key === S.current) li.classList.add("active");
    if (buf.kind === "channel" && !buf.joined) li.classList.add("parted");
    const label = el("span", "buffer-name", buf.kind === "server" ? (S.isupport.NETWORK || "Server") : buf.name);
    li.append(buf.kind === "query" ? avatar(buf.name) : el("span", "hash", buf.kind === "server" ? "◆" : "#"), label);
    if (buf.kind === "channel") label.textContent = buf.name.replace(/^#/, "");
    if (buf.unread) li.append(el("span", "badge" + (buf.mention ? " mention" : ""), String(Math.min(buf.unread, 99))));
    if (buf.kind !== "server") {
      const close = el("button", "close", "×");
      close.type = "button"; close.title = buf.kind === "channel" ? "Leave" : "Close";
      close.addEventListener("click", (e) => { e.stopPropagation(); closeBuffer(buf); });
      li.append(close);
    }
    li.addEventListener("click", () => switchTo(buf.key));
    (buf.kind === "query" ? queries : chans).append(li);
  }
}

function closeBuffer(buf) {
  if (buf.kind === "channel" && buf.joined) send("PART", [buf.name]);
  removeBuffer(buf.key);
  saveChannels();
}

// ---------------------------------------------------------------- messages

function msgTime(tags) {
  if (tags && tags.time) { const t = new Date(tags.time); if (!isNaN(t)) return t; }
  return new Date();
}

/** Adds a line to a buffer: live lines at the end, history in time order, never twice. */
function addLine(buf, line, fromHistory) {
  if (line.msgid) {
    if (buf.ids.has(line.msgid)) return false;
    buf.ids.add(line.msgid);
  }
  const list = buf.messages;
  if (fromHistory) {
    let i = list.length;
    while (i > 0 && list[i - 1].time > line.time) i--;
    list.splice(i, 0, line);
  } else {
    list.push(line);
  }
  if (list.length > MAX_LINES_PER_BUFFER) {
    const dropped = list.splice(0, list.length - MAX_LINES_PER_BUFFER);
    dropped.forEach((d) => d.msgid && buf.ids.delete(d.msgid));
  }
  if (!fromHistory) {
    if (buf.key === S.current && !document.hidden) {
      appendRendered(line);
    } else if (line.kind === "privmsg" || line.kind === "action" || line.kind === "file") {
      buf.unread++;
      if (buf.kind === "query" || (S.nick && line.text && line.text.toLowerCase().includes(S.nick.toLowerCase()))) buf.mention = true;
      renderBufferList();
    }
  }
  return true;
}

function info(buf, text, kind = "event") {
  addLine(buf || currentBuffer(), { time: new Date(), kind, text });
}

function currentBuffer() { return S.buffers.get(S.current) || serverBuffer(); }

const FILE_NOTICE = /^(\S+) shared (.+) \(([^()]*), sha256 ([0-9a-f]+)…\) — FILE GET (\d+)$/;

function chatLine(msg, fromHistory) {
  const nick = IRC.nickOf(msg.source);
  const target = msg.params[0] || "";
  let text = msg.params[1] || "";
  const self = IRC.fold(nick) === IRC.fold(S.nick);
  const name = IRC.isChannel(target) ? target : (self ? target : nick);
  if (!IRC.isChannel(target) && !msg.source.includes("!")) {
    return info(serverBuffer(), text, "notice");  // from the server itself
  }
  const buf = getBuffer(name);
  let kind = msg.command === "NOTICE" ? "notice" : "privmsg";
  if (text.startsWith("\x01ACTION ") && text.endsWith("\x01")) { kind = "action"; text = text.slice(8, -1); }
  else if (text.startsWith("\x01")) return;  // other CTCP: not shown
  const line = { time: msgTime(msg.tags), kind, nick, text, msgid: msg.tags.msgid, self, account: msg.tags.account };
  const file = FILE_NOTICE.exec(text);
  if (file && kind === "privmsg") {
    line.kind = "file";
    line.file = { id: msg.tags["chatd/file"] || file[5], name: file[2], size: file[3], sha: file[4] };
  }
  addLine(buf, line, fromHistory);
}

function nickColor(nick) {
  let h = 0;
  for (const c of IRC.fold(nick || "")) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360} 55% 45%)`;
}

function avatar(nick) {
  const a = el("span", "avatar", (nick || "?").replace(/^[^A-Za-z0-9]+/, "").slice(0, 1).toUpperCase() || "?");
  a.style.backgroundColor = nickColor(nick);
  return a;
}

function two(n) { return String(n).padStart(2, "0"); }
function clock(t) { return `${two(t.getHours())}:${two(t.getMinutes())}`; }
function dayLabel(t) {
  const today = new Date(); const y = new Date(); y.setDate(today.getDate() - 1);
  if (t.toDateString() === today.toDateString()) return "Today";
  if (t.toDateString() === y.toDateString()) return "Yesterday";
  return t.toLocaleDateString(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
}

/** Text with http(s) links made clickable, as text nodes and anchors only. */
function richText(parent, text) {
  const re = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;
  let last = 0, m;
  while ((m = re.exec(text))) {
    if (m.index > last) parent.append(document.createTextNode(text.slice(last, m.index)));
    const a = el("a", "link", m[0]);
    a.href = m[0]; a.target = "_blank"; a.rel = "noopener noreferrer";
    parent.append(a);
    last = m.index + m[0].length;
  }
  if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
}

function renderLine(line, prev) {
  const frag = document.createDocumentFragment();
  if (!prev || prev.time.toDateString() !== line.time.toDateString()) {
    frag.append(el("li", "day", dayLabel(line.time)));
  }
  const li = el("li", "line " + line.kind + (line.self ? " self" : ""));
  if (line.msgid) li.dataset.msgid = line.msgid;
  const time = el("time", "time", clock(line.time));
  time.dateTime = line.time.toISOString(); time.title = line.time.toLocaleString();
  const grouped = prev && prev.nick === line.nick && (line.kind === "privmsg" || line.kind === "file") &&
    prev.kind === line.kind && line.time - prev.time < 5 * 60 * 1000 && prev.time.toDateString() === line.time.toDateString();
  if (line.kind === "privmsg" || line.kind === "file" || line.kind === "notice") {
    if (grouped) li.classList.add("grouped");
    li.append(grouped ? el("span", "avatar-space") : avatar(line.nick));
    const body = el("div", "body");
    if (!grouped) {
      const head = el("div", "head");
      const nick = el("button", "nick", line.nick);
      nick.type = "button"; nick.style.color = nickColor(line.nick);
      nick.addEventListener("click", () => openQuery(line.nick));
      head.append(nick, time);
      if (line.kind === "notice") head.append(el("span", "tagline", "notice"));
      body.append(head);
    } else {
      li.append(time);
    }
    if (line.kind === "file") body.append(Files.card(line.file));
    else { const p = el("div", "text"); richText(p, line.text); body.append(p); }
    li.append(body);
  } else if (line.kind === "action") {
    li.append(el("span", "avatar-space"));
    const body = el("div", "body text");
    const nick = el("span", "nick-inline", line.nick);
    nick.style.color = nickColor(line.nick);
    body.append("• ", nick, " ");
    richText(body, line.text);
    li.append(body, time);
  } else {
    li.append(el("span", "avatar-space"));
    const body = el("div", "body text", line.text);
    li.append(body, time);
  }
  frag.append(li);
  return frag;
}

function renderMessages(toBottom) {
  const box = $("messages"), list = $("message-list");
  const buf = currentBuffer();
  const fromBottom = box.scrollHeight - box.scrollTop;
  list.replaceChildren();
  let prev = null;
  for (const line of buf.messages) { list.append(renderLine(line, prev)); prev = line; }
  $("history-status").textContent = buf.kind !== "channel" ? "" :
    buf.historyLoading ? "Loading earlier messages…" : buf.historyDone ? "Beginning of the conversation" : "";
  box.scrollTop = toBottom ? box.scrollHeight : box.scrollHeight - fromBottom;
}

function appendRendered(line) {
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const list = currentBuffer().messages;
  $("message-list").append(renderLine(line, list[list.length - 2]));
  if (atBottom || line.self) box.scrollTop = box.scrollHeight;
}

// ---------------------------------------------------------------- history

function historyCap() { return S.caps.has("draft/chathistory") || S.caps.has("chathistory"); }

// The server replays recent lines on JOIN in a chathistory batch of its own,
// and answers CHATHISTORY after reading the database (unlabelled, even with
// labeled-response), in the order asked. So, per channel: the first batch
// after our JOIN is the replay, later ones answer our requests in turn.
function requestOlder(buf) {
  if (!historyCap() || !S.caps.has("batch") || buf.historyLoading || buf.historyDone || !buf.joined) return;
  buf.historyLoading = true;
  const oldest = buf.messages.find((m) => m.msgid);
  const limit = Math.min(HISTORY_PAGE, Number(S.isupport.CHATHISTORY) || HISTORY_PAGE);
  buf.historyLimit = limit;
  send("CHATHISTORY", oldest ? ["BEFORE", buf.name, "msgid=" + oldest.msgid, String(limit)] : ["LATEST", buf.name, "*", String(limit)]);
  clearTimeout(buf.historyTimer);
  buf.historyTimer = setTimeout(() => { buf.historyLoading = false; if (buf.key === S.current) renderMessages(false); }, 5000);
  if (buf.key === S.current) $("history-status").textContent = "Loading earlier messages…";
}

function endHistoryBatch(batch) {
  const target = batch.params[0];
  if (!target) return;
  const buf = getBuffer(target);
  let added = 0;
  for (const msg of batch.messages) {
    const before = buf.messages.length;
    if (msg.command === "PRIVMSG" || msg.command === "NOTICE") chatLine(msg, true);
    if (buf.messages.length > before) added++;
  }
  if (buf.replayPending) {
    buf.replayPending = false;
  } else if (buf.historyLoading) {
    clearTimeout(buf.historyTimer);
    buf.historyLoading = false;
    buf.historyDone = batch.messages.length < (buf.historyLimit || HISTORY_PAGE);
  }
  if (buf.key === S.current) renderMessages(buf.messages.length === added);
}

// ---------------------------------------------------------------- members

function renderMembers() {
  const buf = currentBuffer();
  const list = $("member-list");
  list.replaceChildren();
  if (buf.kind !== "channel") { $("member-count").textContent = ""; return; }
  const rank = (p) => (p.includes("@") ? 0 : p.includes("+") ? 1 : 2);
  const members = [...buf.members.entries()].sort((a, b) => rank(a[1].prefix) - rank(b[1].prefix) || a[0].localeCompare(b[0]));
  $("member-count").textContent = String(members.length);
  for (const [nick, m] of members) {
    const li = el("li", "member" + (m.away ? " away" : ""));
    li.append(avatar(nick), el("span", "prefix", m.prefix.slice(0, 1)), el("span", "member-nick", nick));
    li.title = m.away ? nick + " (away)" : nick;
    li.addEventListener("click", () => { if (IRC.fold(nick) !== IRC.fold(S.nick)) openQuery(nick); });
    list.append(li);
  }
}

function membersChanged(buf) { if (buf.key === S.current) renderMembers(); }

function forEachChannelWith(nick, fn) {
  for (const buf of S.buffers.values()) {
    if (buf.kind !== "channel") continue;
    for (const key of buf.members.keys()) if (IRC.fold(key) === IRC.fold(nick)) { fn(buf, key); break; }
  }
}

function openQuery(nick) {
  const buf = getBuffer(nick, "query");
  switchTo(buf.key);
  $("composer-input").focus();
}

// ---------------------------------------------------------------- protocol

function handle(msg) {
  const batchID = msg.tags.batch;
  if (batchID && S.batches.has(batchID) && msg.command !== "BATCH" && S.batches.get(batchID).type !== "labeled-response") {
    S.batches.get(batchID).messages.push(msg);
    return;
  }
  const h = HANDLERS[msg.command];
  if (h) h(msg);
  else if (/^[45]\d\d$/.test(msg.command)) info(currentBuffer(), msg.params.slice(1).join(" "), "error");
  else if (/^\d\d\d$/.test(msg.command) && S.registered) info(serverBuffer(), msg.params.slice(1).join(" "), "event");
}

const HANDLERS = {
  PING: (m) => send("PONG", m.params),
  ERROR: (m) => { if (!S.registered) loginError(m.params[0] || "Closed by the server"); else info(currentBuffer(), m.params[0], "error"); },
  CAP: (m) => {
    const sub = (m.params[1] || "").toUpperCase();
    if (sub === "LS" || sub === "NEW") {
      const more = m.params[2] === "*";
      const list = m.params[more ? 3 : 2] || "";
      for (const item of list.split(" ").filter(Boolean)) {
        const eq = item.indexOf("=");
        S.offered.set(eq < 0 ? item : item.slice(0, eq), eq < 0 ? "" : item.slice(eq + 1));
      }
      if (more) return;
      const req = WANTED_CAPS.filter((c) => S.offered.has(c) && !S.caps.has(c));
      if (S.mode !== "login") { const i = req.indexOf("sasl"); if (i >= 0 && !S.registered) req.splice(i, 1); }
      if (req.length) send("CAP", ["REQ", req.join(" ")]);
      else if (!S.registered) onCapsAcked();
    } else if (sub === "ACK") {
      m.params[2].split(" ").filter(Boolean).forEach((c) => (c[0] === "-" ? S.caps.delete(c.slice(1)) : S.caps.add(c)));
      if (!S.registered) onCapsAcked();
    } else if (sub === "NAK") {
      if (!S.registered) onCapsAcked();
    } else if (sub === "DEL") {
      m.params[2].split(" ").forEach((c) => S.caps.delete(c));
    }
  },
  AUTHENTICATE: (m) => { if (m.params[0] === "+") sendSASL(); },
  "900": (m) => { S.account = m.params[2]; },
  "903": () => { S.password = null; finishCaps(); },
  "904": (m) => { loginError("Wrong account name or password."); quit(); },
  "902": (m) => { loginError(m.params[1] || "Log-in refused"); quit(); },
  "905": (m) => { loginError(m.params[1] || "Log-in refused"); quit(); },
  "906": () => {},
  "907": () => { finishCaps(); },
  REGISTER: (m) => {
    if (m.params[0] === "SUCCESS") { S.password = null; if (!S.registered) finishCaps(); }
    else if (m.params[0] === "VERIFICATION_REQUIRED") { loginError(m.params[2] || "Check your email"); quit(); }
  },
  FAIL: (m) => {
    const [cmd, code] = m.params;
    const text = m.params[m.params.length - 1];
    if (cmd === "REGISTER" && !S.registered) { loginError(text); quit(); return; }
    if (cmd === "SCORES") return Scores.fail(code, text);
    if (cmd === "FILE") return Files.fail(code, text);
    if (cmd === "CHATHISTORY") { const b = currentBuffer(); b.historyLoading = false; b.historyDone = true; }
    info(currentBuffer(), `${cmd}: ${text}`, "error");
  },
  "001": (m) => {
    S.registered = true;
    welcomed = false;
    S.nick = m.params[0];
    $("login").classList.add("hidden");
    $("app").classList.remove("hidden");
    $("login-submit").disabled = false;
    loginError("");
    S.buffers.clear();
    info(serverBuffer(), m.params[1] || "Welcome", "event");
    switchTo(serverBuffer().key);
    renderMe();
  },
  "005": (m) => {
    for (const token of m.params.slice(1, -1)) {
      const eq = token.indexOf("=");
      S.isupport[eq < 0 ? token : token.slice(0, eq)] = eq < 0 ? "" : token.slice(eq + 1);
    }
    if (S.isupport.NETWORK) { $("network-name").textContent = S.isupport.NETWORK; document.title = S.isupport.NETWORK + " — chatd"; }
  },
  "376": () => afterWelcome(),
  "422": () => afterWelcome(),
  "433": (m) => {
    if (!S.registered) { S.nick = S.nick + "_"; send("NICK", [S.nick]); }
    else info(currentBuffer(), `${m.params[1]}: ${m.params[2] || "Nickname is in use"}`, "error");
  },
  "432": (m) => { if (!S.registered) { loginError(m.params[2] || "Invalid nickname"); quit(); } },
  "464": (m) => { loginError(m.params[1] || "Password incorrect"); },
  NICK: (m) => {
    const old = IRC.nickOf(m.source), nick = m.params[0];
    if (IRC.fold(old) === IRC.fold(S.nick)) { S.nick = nick; renderMe(); }
    forEachChannelWith(old, (buf, key) => {
      const entry = buf.members.get(key); buf.members.delete(key); buf.members.set(nick, entry);
      info(buf, `${old} is now known as ${nick}`); membersChanged(buf);
    });
  },
  JOIN: (m) => {
    const nick = IRC.nickOf(m.source), chan = m.params[0];
    const buf = getBuffer(chan, "channel");
    buf.members.set(nick, { prefix: "", away: false, account: m.params[1] && m.params[1] !== "*" ? m.params[1] : null });
    if (IRC.fold(nick) === IRC.fold(S.nick)) {
      buf.joined = true; buf.historyDone = false;
      buf.replayPending = historyCap() && S.caps.has("batch");
      saveChannels(); renderBufferList();
      if (S.pendingSwitch === IRC.fold(chan) || S.current === serverBuffer().key) { S.pendingSwitch = null; switchTo(buf.key); }
      info(buf, `You joined ${chan}`);
    } else {
      info(buf, `${nick} joined`);
    }
    membersChanged(buf);
  },
  PART: (m) => leave(m, IRC.nickOf(m.source), m.params[0], m.params[1] ? `left (${m.params[1]})` : "left"),
  KICK: (m) => leave(m, m.params[1], m.params[0], `was kicked by ${IRC.nickOf(m.source)} (${m.params[2] || ""})`),
  QUIT: (m) => {
    const nick = IRC.nickOf(m.source);
    forEachChannelWith(nick, (buf, key) => { buf.members.delete(key); info(buf, `${nick} quit${m.params[0] ? " (" + m.params[0] + ")" : ""}`); membersChanged(buf); });
  },
  AWAY: (m) => {
    const nick = IRC.nickOf(m.source);
    forEachChannelWith(nick, (buf, key) => { buf.members.get(key).away = m.params.length > 0; membersChanged(buf); });
  },
  TOPIC: (m) => {
    const buf = getBuffer(m.params[0], "channel");
    buf.topic = m.params[1] || "";
    info(buf, `${IRC.nickOf(m.source)} set the topic: ${buf.topic}`);
    if (buf.key === S.current) $("buffer-topic").textContent = buf.topic;
  },
  "332": (m) => {
    const buf = getBuffer(m.params[1], "channel");
    buf.topic = m.params[2] || "";
    if (buf.key === S.current) $("buffer-topic").textContent = buf.topic;
  },
  "353": (m) => {
    const chan = m.params[2];
    const pending = S.pendingNames.get(IRC.fold(chan)) || new Map();
    for (const item of (m.params[3] || "").split(" ").filter(Boolean)) {
      const prefix = /^[@+]*/.exec(item)[0];
      const nick = IRC.nickOf(item.slice(prefix.length));
      pending.set(nick, { prefix, away: false });
    }
    S.pendingNames.set(IRC.fold(chan), pending);
  },
  "366": (m) => {
    const key = IRC.fold(m.params[1]);
    const buf = S.buffers.get(key);
    if (buf && S.pendingNames.has(key)) { buf.members = S.pendingNames.get(key); membersChanged(buf); }
    S.pendingNames.delete(key);
  },
  "322": (m) => { S.listing.push({ name: m.params[1], users: Number(m.params[2]) || 0, topic: m.params[3] || "" }); },
  "321": () => { S.listing = []; },
  "323": () => renderBrowse(),
  PRIVMSG: (m) => chatLine(m, false),
  NOTICE: (m) => chatLine(m, false),
  BATCH: (m) => {
    const ref = m.params[0] || "";
    if (ref[0] === "+") {
      S.batches.set(ref.slice(1), { type: m.params[1], params: m.params.slice(2), messages: [] });
    }
    else if (ref[0] === "-") {
      const batch = S.batches.get(ref.slice(1));
      S.batches.delete(ref.slice(1));
      if (!batch) return;
      if (batch.type === "chathistory") endHistoryBatch(batch);
      else batch.messages.forEach(handle);
    }
  },
  SCORES: (m) => Scores.handle(m),
  FILE: (m) => Files.handle(m),
  MODE: (m) => {
    const target = m.params[0];
    if (!IRC.isChannel(target)) return;
    const buf = getBuffer(target, "channel");
    info(buf, `${IRC.nickOf(m.source)} sets mode ${m.params.slice(1).join(" ")}`);
    if (buf.members.size) send("NAMES", [target]);
  },
  "324": () => {}, "329": () => {}, "333": () => {}, "315": () => {}, "352": () => {},
  "002": () => {}, "003": () => {}, "004": () => {}, "251": () => {}, "252": () => {}, "253": () => {},
  "254": () => {}, "255": () => {}, "265": () => {}, "266": () => {}, "375": () => {},
  "372": (m) => info(serverBuffer(), m.params[1], "motd"),
};

function leave(m, nick, chan, what) {
  const buf = S.buffers.get(IRC.fold(chan));
  if (!buf) return;
  if (IRC.fold(nick) === IRC.fold(S.nick)) {
    buf.joined = false; buf.members.clear();
    info(buf, `You ${what.replace(/^was /, "were ")}`);
    renderBufferList(); saveChannels();
  } else {
    for (const key of [...buf.members.keys()]) if (IRC.fold(key) === IRC.fold(nick)) buf.members.delete(key);
    info(buf, `${nick} ${what}`);
  }
  membersChanged(buf);
}

let welcomed = false;
function afterWelcome() {
  if (welcomed) return;
  welcomed = true;
  renderMe();
  Files.start();
  Scores.start();
  let saved = [];
  try { saved = JSON.parse(localStorage.getItem("chatd.channels." + (S.account || S.nick)) || "[]"); } catch (e) { saved = []; }
  if (Array.isArray(saved) && saved.length) send("JOIN", [saved.slice(0, 10).join(",")]);
}

function renderMe() {
  $("me-nick").textContent = S.nick;
  $("me-account").textContent = S.account ? "logged in as " + S.account : "guest";
  const a = $("me-avatar");
  a.textContent = (S.nick || "?").slice(0, 1).toUpperCase();
  a.style.backgroundColor = nickColor(S.nick);
}

// ---------------------------------------------------------------- composer

function joinChannel(name) {
  name = name.trim();
  if (!name) return;
  if (!IRC.isChannel(name)) name = "#" + name;
  S.pendingSwitch = IRC.fold(name);
  const buf = S.buffers.get(IRC.fold(name));
  if (buf && buf.joined) { switchTo(buf.key); return; }
  send("JOIN", [name]);
}

function say(target, text) {
  const buf = getBuffer(target);
  for (const part of text.split("\n")) {
    if (!part) continue;
    send("PRIVMSG", [target, part]);
    if (!S.caps.has("echo-message")) addLine(buf, { time: new Date(), kind: "privmsg", nick: S.nick, text: part, self: true });
  }
}

const COMMANDS = {
  join: (args) => joinChannel(args),
  j: (args) => joinChannel(args),
  part: (args, buf) => { send("PART", [args.split(" ")[0] || buf.name]); },
  leave: (args, buf) => { send("PART", [buf.name]); },
  msg: (args) => { const [nick, ...rest] = args.split(" "); if (nick && rest.length) { say(nick, rest.join(" ")); openQuery(nick); } },
  query: (args) => { if (args) openQuery(args.split(" ")[0]); },
  me: (args, buf) => { send("PRIVMSG", [buf.name, `\x01ACTION ${args}\x01`]); if (!S.caps.has("echo-message")) addLine(buf, { time: new Date(), kind: "action", nick: S.nick, text: args, self: true }); },
  nick: (args) => send("NICK", [args.split(" ")[0]]),
  topic: (args, buf) => send("TOPIC", args ? [buf.name, args] : [buf.name]),
  away: (args) => send("AWAY", args ? [args] : []),
  list: () => openBrowse(),
  scores: () => Scores.open(),
  quote: (args) => { if (S.ws) S.ws.send(args); },
  quit: (args) => { S.closedByUs = true; send("QUIT", [args || "Leaving"]); },
};

function submitComposer(event) {
  event.preventDefault();
  const input = $("composer-input");
  const text = input.value.replace(/\s+$/, "");
  if (!text) return;
  const buf = currentBuffer();
  if (text[0] === "/" && text[1] !== "/") {
    const [word, ...rest] = text.slice(1).split(" ");
    const cmd = COMMANDS[word.toLowerCase()];
    if (cmd) cmd(rest.join(" ").trim(), buf);
    else info(buf, `Unknown command /${word}. Try /join, /msg, /me, /part, /topic, /nick, /away, /list, /quote.`, "error");
  } else if (buf.kind === "server") {
    info(buf, "This is the server window: join a channel (the + beside Channels) or type /join #name.", "error");
    return;
  } else {
    say(buf.name, text[0] === "/" ? text.slice(1) : text);
  }
  input.value = "";
  autoGrow();
}

function autoGrow() {
  const input = $("composer-input");
  input.style.height = "auto";
  input.style.height = Math.min(input.scrollHeight, 160) + "px";
}

// ---------------------------------------------------------------- channel browser

function openBrowse() {
  S.listing = [];
  $("browse-list").replaceChildren(el("li", "muted", "Loading…"));
  send("LIST");
  const dialog = $("browse");
  if (!dialog.open) dialog.showModal();
  $("join-input").focus();
}

function renderBrowse() {
  const filter = $("browse-filter").value.trim().toLowerCase();
  const list = $("browse-list");
  list.replaceChildren();
  const rows = S.listing.filter((c) => !filter || c.name.toLowerCase().includes(filter) || c.topic.toLowerCase().includes(filter))
    .sort((a, b) => b.users - a.users || a.name.localeCompare(b.name));
  if (!rows.length) list.append(el("li", "muted", S.listing.length ? "No channel matches." : "No channels yet: create one above."));
  for (const c of rows) {
    const li = el("li", "browse-item");
    const text = el("div", "browse-text");
    text.append(el("div", "browse-name", c.name), el("div", "browse-topic", c.topic || "No topic"));
    const join = el("button", "primary small", "Join");
    join.type = "button";
    join.addEventListener("click", () => { $("browse").close(); joinChannel(c.name); });
    li.append(text, el("span", "count", c.users === 1 ? "1 person" : `${c.users} people`), join);
    list.append(li);
  }
}

// ---------------------------------------------------------------- banner, wiring

function showBanner(text, action, onAction) {
  const b = $("banner");
  b.replaceChildren(el("span", null, text));
  if (action) { const btn = el("button", "small", action); btn.type = "button"; btn.addEventListener("click", onAction); b.append(btn); }
  b.classList.remove("hidden");
}
function hideBanner() { $("banner").classList.add("hidden"); }

function wire() {
  document.querySelectorAll(".tab").forEach((t) => t.addEventListener("click", () => setMode(t.dataset.mode)));
  $("login-form").addEventListener("submit", submitLogin);
  $("composer").addEventListener("submit", submitComposer);
  $("composer-input").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("composer").requestSubmit(); }
  });
  $("composer-input").addEventListener("input", autoGrow);
  $("messages").addEventListener("scroll", () => {
    if ($("messages").scrollTop < 60) { const buf = currentBuffer(); if (buf.kind === "channel") requestOlder(buf); }
  });
  $("browse-button").addEventListener("click", openBrowse);
  $("browse-filter").addEventListener("input", renderBrowse);
  $("join-button").addEventListener("click", () => { const v = $("join-input").value; $("join-input").value = ""; $("browse").close(); joinChannel(v); });
  $("join-input").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); $("join-button").click(); } });
  $("menu-button").addEventListener("click", () => document.body.classList.toggle("show-sidebar"));
  $("members-button").addEventListener("click", () => { document.body.classList.remove("show-scores"); document.body.classList.toggle("show-members"); });
  $("scrim").addEventListener("click", () => document.body.classList.remove("show-sidebar", "show-members", "show-scores"));
  document.addEventListener("visibilitychange", () => { if (!document.hidden && S.registered) renderMessages(false); });
  document.querySelectorAll("[data-icon]").forEach((node) => node.prepend(icon(node.dataset.icon)));
  // Leaving a wide screen closes the side panels that were open beside the chat.
  window.matchMedia("(max-width: 1000px)").addEventListener("change", (e) => {
    if (e.matches) document.body.classList.remove("show-scores", "show-members", "show-sidebar");
  });
  Files.wire();
  Scores.wire();
  const nick = localStorage.getItem("chatd.nick");
  if (nick) $("login-nick").value = nick;
  setMode("login");
}

// The few hooks the other parts of the page need.
const Chat = { send, info, currentBuffer, serverBuffer, joinChannel, el, $, state: S, nickColor, icon };
window.chatd = Chat;
document.addEventListener("DOMContentLoaded", wire);
