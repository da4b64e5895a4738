// The web page's member list of the current channel, and opening a private
// conversation from a nick. Part of app.js's page.
"use strict";

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
