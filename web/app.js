// The chatd web page: one IRC connection over WebSocket (IRCv3 WebSocket
// transport, subprotocol text.ircv3.net, one message per frame).
// Peer text only ever reaches the page through textContent, never innerHTML.
"use strict";

const WANTED_CAPS = [
  "message-tags", "server-time", "echo-message", "batch", "sasl", "draft/chathistory", "chathistory",
  "labeled-response", "account-tag", "away-notify", "account-notify", "extended-join", "multi-prefix",
  "userhost-in-names", "cap-notify", "draft/account-registration", "setname", "draft/message-redaction",
];
const MAX_LINES_PER_BUFFER = 2000;
const HISTORY_PAGE = 50;

const S = {
  ws: null, mode: "login", nick: "", account: null, password: null, email: null,
  offered: new Map(), caps: new Set(), registered: false, isupport: {},
  buffers: new Map(), current: null, batches: new Map(), pendingNames: new Map(),
  listing: [], closedByUs: false,
  // A guest's automatic reconnection (`Reconnect` in reconnect.js).
  chosenNick: "", reconnecting: false,
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
  trash: ["M3 6h18", "M8 6V4a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2", "M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6", "M10 11v6", "M14 11v6"],
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
  S.offered.clear(); S.caps.clear(); S.registered = false; S.isupport = {}; S.selfSource = null;
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
    // A guest comes back by itself (a server restart, a dropped network):
    // it has no password to ask for. An account's page keeps none, so it
    // asks to log in again.
    if (S.reconnecting || (S.registered && !S.closedByUs && Reconnect.applies())) {
      Reconnect.schedule();
    } else if (!S.registered) {
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
  if (key !== S.current) Typing.stopped();
  S.current = key;
  buf.unread = 0; buf.mention = false;
  $("buffer-title").textContent = buf.kind === "server" ? (S.isupport.NETWORK || "Server") : buf.name;
  $("buffer-topic").textContent = buf.kind === "channel" ? (buf.topic || "") : buf.kind === "query" ? "Private conversation" : "Server messages";
  $("composer-input").placeholder = buf.kind === "server" ? "Type /join #channel or a command" : `Message ${buf.name}`;
  $("members-button").classList.toggle("hidden", buf.kind !== "channel");
  renderBufferList();
  renderMessages(true);
  renderMembers();
  Typing.render();
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
  localStorage.setItem("chatd.channels." + channelsKey(), JSON.stringify(names));
}

// Where the joined channels are remembered: the account, else the nick chosen at log-in.
function channelsKey() { return S.account || S.chosenNick || S.nick; }

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
  if (!fromHistory) Typing.spoke(buf.key, nick);
  addLine(buf, line, fromHistory);
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
  $("composer-input").addEventListener("input", () => { autoGrow(); Typing.typed(currentBuffer(), $("composer-input").value); });
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
const Chat = { send, info, currentBuffer, serverBuffer, joinChannel, el, $, state: S, nickColor, icon, rerender: () => renderMessages(false) };
window.chatd = Chat;
document.addEventListener("DOMContentLoaded", wire);
