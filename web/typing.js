// Typing notices on the web page (the IRCv3 +typing client tag, sent in a
// TAGMSG to people with message-tags). Typing in a channel or conversation
// sends "active" at most every 3 s, "paused" after 5 s without a key and
// "done" when the line is sent or emptied; others' notices show under the
// composer ("bob is typing…") and expire as the spec suggests (6 s active,
// 30 s paused) or when their message arrives. Part of app.js's page.
"use strict";

const Typing = (() => {
  const SEND_EVERY_MS = 3000, PAUSE_AFTER_MS = 5000, ACTIVE_FOR_MS = 6000, PAUSED_FOR_MS = 30000;
  /** Buffer key → Map(folded nick → { nick, state, until }). */
  const typers = new Map();
  let sentTo = null, sentAt = 0, pauseTimer = null;

  function available() { return Chat.state.caps.has("message-tags"); }

  function send(target, state) { Chat.send("TAGMSG", [target], { "+typing": state }); }

  /** The composer changed: tell the current buffer's people, sparingly. */
  function typed(buf, text) {
    if (!available() || buf.kind === "server") return;
    if (!text || text.startsWith("/")) return stopped();
    const now = Date.now();
    if (sentTo !== buf.name) stopped();
    if (sentTo !== buf.name || now - sentAt >= SEND_EVERY_MS) {
      send(buf.name, "active");
      sentTo = buf.name; sentAt = now;
    }
    clearTimeout(pauseTimer);
    pauseTimer = setTimeout(() => { if (sentTo) { send(sentTo, "paused"); sentAt = 0; } }, PAUSE_AFTER_MS);
  }

  /** The line was sent, emptied, or the user moved to another buffer. */
  function stopped() {
    clearTimeout(pauseTimer);
    if (sentTo && available()) send(sentTo, "done");
    sentTo = null; sentAt = 0;
  }

  /** A TAGMSG: if it carries +typing, note who types where. */
  function handle(m) {
    const state = m.tags["+typing"];
    if (!state) return;
    const nick = IRC.nickOf(m.source);
    if (IRC.fold(nick) === IRC.fold(Chat.state.nick)) return;
    const target = m.params[0] || "";
    const key = IRC.fold(IRC.isChannel(target) ? target : nick);
    if (!typers.has(key)) typers.set(key, new Map());
    const here = typers.get(key);
    if (state === "active" || state === "paused") {
      here.set(IRC.fold(nick), { nick, state, until: Date.now() + (state === "active" ? ACTIVE_FOR_MS : PAUSED_FOR_MS) });
    } else {
      here.delete(IRC.fold(nick));
    }
    render();
  }

  /** Their message arrived: they are not typing it any more. */
  function spoke(bufKey, nick) {
    const here = typers.get(bufKey);
    if (here && here.delete(IRC.fold(nick || ""))) render();
  }

  function render() {
    const box = Chat.$("typing");
    const here = typers.get(Chat.currentBuffer().key);
    const now = Date.now();
    const active = [];
    if (here) for (const [k, t] of here) { if (t.until < now) here.delete(k); else if (t.state === "active") active.push(t.nick); }
    box.textContent = active.length === 0 ? "" :
      active.length === 1 ? `${active[0]} is typing…` :
      active.length <= 3 ? `${active.slice(0, -1).join(", ")} and ${active[active.length - 1]} are typing…` :
      "Several people are typing…";
  }

  setInterval(() => { if (Chat.state.registered) render(); }, 1000);  // expiry
  return { typed, stopped, handle, spoke, render };
})();
