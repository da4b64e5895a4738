// The web page's composer (what you type: text, /commands) and the channel
// browser. Part of app.js's page.
"use strict";

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

// `text` cut into messages that each fit one line as the server relays it
// (":nick!user@host PRIVMSG target :text" and CR LF within LINELEN, 512 by
// default; a longer line is refused with 417). Cuts at a space in the second
// half of the room, else between code points. `extra`: bytes around each
// piece (an ACTION's 9).
function pieces(target, text, extra = 0) {
  const enc = new TextEncoder();
  const size = (s) => enc.encode(s).length;
  const lineLength = Math.max(64, Number(S.isupport.LINELEN) || 512);
  const source = S.selfSource ? size(S.selfSource) : size(S.nick) + 76;  // nick!<11>@<63> until our JOIN shows it
  const room = Math.max(16, lineLength - (1 + source + 1 + 7 + 1 + size(target) + 2 + 2 + extra));
  const out = [];
  let rest = Array.from(text);
  while (size(rest.join("")) > room) {
    let bytes = 0, end = 0, space = -1;
    while (end < rest.length && bytes + size(rest[end]) <= room) {
      bytes += size(rest[end]);
      end += 1;
      if (rest[end - 1] === " " && bytes >= room / 2) space = end;
    }
    if (end === 0) end = 1;
    if (space > 0) end = space;
    out.push(rest.slice(0, end).join(""));
    rest = rest.slice(end);
  }
  if (rest.length || !out.length) out.push(rest.join(""));
  return out;
}

function say(target, text) {
  const buf = getBuffer(target);
  for (const line of text.split("\n")) {
    if (!line) continue;
    for (const part of pieces(target, line)) {
      send("PRIVMSG", [target, part]);
      if (!S.caps.has("echo-message")) addLine(buf, { time: new Date(), kind: "privmsg", nick: S.nick, text: part, self: true });
    }
  }
}

function act(buf, text) {
  for (const part of pieces(buf.name, text, 9)) {
    send("PRIVMSG", [buf.name, `\x01ACTION ${part}\x01`]);
    if (!S.caps.has("echo-message")) addLine(buf, { time: new Date(), kind: "action", nick: S.nick, text: part, self: true });
  }
}

const COMMANDS = {
  join: (args) => joinChannel(args),
  j: (args) => joinChannel(args),
  part: (args, buf) => { send("PART", [args.split(" ")[0] || buf.name]); },
  leave: (args, buf) => { send("PART", [buf.name]); },
  msg: (args) => { const [nick, ...rest] = args.split(" "); if (nick && rest.length) { say(nick, rest.join(" ")); openQuery(nick); } },
  query: (args) => { if (args) openQuery(args.split(" ")[0]); },
  me: (args, buf) => act(buf, args),
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
  Typing.stopped();
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
