// The web page's message list: a buffer's lines drawn as DOM nodes (avatars,
// nick colours, day separators, links). Peer text only ever goes in through
// textContent and text nodes. Part of app.js's page: shares its globals.
"use strict";

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

/** What a deleted line shows instead of its text; who deleted it and why on hover. */
function redactedText(line) {
  const p = el("span", "text redacted", "message deleted");
  const by = line.redactedBy && IRC.fold(line.redactedBy) !== IRC.fold(line.nick) ? " by " + line.redactedBy : "";
  p.title = "Deleted" + by + (line.redactReason ? ": " + line.redactReason : "");
  return p;
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
    if (line.redacted) body.append(redactedText(line));
    else if (line.kind === "file") body.append(Files.card(line.file));
    else { const p = el("div", "text"); richText(p, line.text); body.append(p); }
    li.append(body);
    const del = Redact.button(currentBuffer(), line);
    if (del) li.append(del);
  } else if (line.kind === "action") {
    li.append(el("span", "avatar-space"));
    const body = el("div", "body text");
    const nick = el("span", "nick-inline", line.nick);
    nick.style.color = nickColor(line.nick);
    body.append("• ", nick, " ");
    if (line.redacted) body.append(redactedText(line)); else richText(body, line.text);
    li.append(body, time);
    const del = Redact.button(currentBuffer(), line);
    if (del) li.append(del);
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
