// Deleting messages on the web page (IRCv3 draft/message-redaction). Your
// own lines, and every line of a channel you operate, show a delete button
// on hover; a REDACT from the server (yours or anyone's) turns the line into
// "message deleted" wherever it is shown. A refusal (FAIL REDACT …) shows in
// the buffer like any FAIL. Part of app.js's page.
"use strict";

const Redact = (() => {
  const CAP = "draft/message-redaction";

  function available() { return Chat.state.caps.has(CAP); }

  /** Whether the page may offer to delete `line` of `buf`: the server
   *  decides in the end (and says why not). */
  function canDelete(buf, line) {
    if (!available() || !line.msgid || line.redacted) return false;
    if (line.self) return true;
    if (buf.kind !== "channel") return false;
    for (const [nick, m] of buf.members) {
      if (IRC.fold(nick) === IRC.fold(Chat.state.nick)) return m.prefix.includes("@");
    }
    return false;
  }

  /** The hover button for a line, or nothing. */
  function button(buf, line) {
    if (!canDelete(buf, line)) return null;
    const b = Chat.el("button", "delete");
    b.type = "button";
    b.title = "Delete this message";
    b.setAttribute("aria-label", "Delete this message");
    b.append(Chat.icon("trash"));
    // Two clicks, not window.confirm: a confirm box stops the page's script,
    // so left open it would miss the server's PINGs and be timed out.
    let disarm = null;
    b.addEventListener("click", () => {
      if (b.disabled) return;
      if (b.classList.contains("armed")) {
        clearTimeout(disarm);
        b.disabled = true;  // once: the line shows as deleted when the server says so
        Chat.send("REDACT", [buf.name, line.msgid]);
        return;
      }
      b.classList.add("armed");
      b.replaceChildren(document.createTextNode("Delete for everyone?"));
      b.title = "Click again to delete this message for everyone";
      disarm = setTimeout(() => {
        b.classList.remove("armed");
        b.replaceChildren(Chat.icon("trash"));
        b.title = "Delete this message";
      }, 4000);
    });
    return b;
  }

  /** `:source REDACT <target> <msgid> [:reason]`: marks the line wherever
   *  it is (the target of a private one names either side). */
  function handle(m) {
    const msgid = m.params[1];
    if (!msgid) return;
    for (const buf of Chat.state.buffers.values()) {
      if (!buf.ids.has(msgid)) continue;
      const line = buf.messages.find((l) => l.msgid === msgid);
      if (!line) continue;
      line.redacted = true;
      line.text = "";
      line.redactedBy = IRC.nickOf(m.source);
      line.redactReason = m.params[2] || "";
      if (buf.key === Chat.currentBuffer().key) Chat.rerender();
    }
  }

  return { CAP, button, handle };
})();
