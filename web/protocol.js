// The web page's IRC handlers: one function per command or numeric the page
// reacts to. Part of app.js's page.
"use strict";

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
  REDACT: (m) => Redact.handle(m),
  TAGMSG: (m) => Typing.handle(m),
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
    Reconnect.welcomed();
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
    if (IRC.fold(old) === IRC.fold(S.nick)) {
      S.nick = nick; renderMe();
      if (S.selfSource) S.selfSource = nick + S.selfSource.slice(S.selfSource.indexOf("!"));  // the splitter's source
    }
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
      if (m.source && m.source.includes("!")) S.selfSource = m.source;  // how long our messages' source is
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
  // A guest's channels are saved under the nick it chose (it may be nick_ now).
  try { saved = JSON.parse(localStorage.getItem("chatd.channels." + channelsKey()) || "[]"); } catch (e) { saved = []; }
  if (Array.isArray(saved) && saved.length) send("JOIN", [saved.slice(0, 10).join(",")]);
}

function renderMe() {
  $("me-nick").textContent = S.nick;
  $("me-account").textContent = S.account ? "logged in as " + S.account : "guest";
  const a = $("me-avatar");
  a.textContent = (S.nick || "?").slice(0, 1).toUpperCase();
  a.style.backgroundColor = nickColor(S.nick);
}
