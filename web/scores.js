// The live scores panel: SCORES LIST for the match list, SCORES FOLLOW on
// each unfinished match so every score stays live, SCORES SHOW for the
// events of the one selected, and a button to the match's #match-N room.
// Wire forms are in the README ("Live football scores").
"use strict";

const Scores = (() => {
  const matches = new Map();   // id → {id, status, minute, home, away, hg, ag, events: Map(seq → event)}
  const followed = new Set();
  let selected = null, listTimer = null, enabled = false, listing = false;
  const LABELS = {
    kickoff: "Kick-off", goal: "Goal", "own-goal": "Own goal", "penalty-goal": "Penalty goal",
    "penalty-miss": "Penalty missed", "yellow-card": "Yellow card", "red-card": "Red card", foul: "Foul",
    corner: "Corner", offside: "Offside", save: "Save", substitution: "Substitution",
    "half-time": "Half-time", "full-time": "Full-time",
  };
  // Plain glyphs every font has; cards are drawn by CSS (.feed-icon.yellow-card…).
  const ICONS = {
    goal: "●", "own-goal": "●", "penalty-goal": "●", "penalty-miss": "✗", "yellow-card": "", "red-card": "",
    kickoff: "▶", "half-time": "‖", "full-time": "■", substitution: "⇄", save: "◆", corner: "◣", offside: "⊘", foul: "!",
  };


  function start() {
    enabled = "SCORES" in Chat.state.isupport;
    Chat.$("scores-button").classList.toggle("hidden", !enabled);
    Chat.$("scores-toggle").classList.toggle("hidden", !enabled);
    if (!enabled) return;
    list();
    clearInterval(listTimer);
    listTimer = setInterval(list, 30000);  // new matches start while the page is open
    // Wide screens show the panel from the start.
    if (window.matchMedia("(min-width: 1200px)").matches) document.body.classList.add("show-scores");
  }

  function reset() {
    clearInterval(listTimer);
    matches.clear(); followed.clear(); selected = null;
  }

  function list() { if (!listing) { listing = true; Chat.send("SCORES", ["LIST"]); } }

  function open() {
    document.body.classList.remove("show-members", "show-sidebar");
    document.body.classList.add("show-scores");
    list();
  }

  function match(id) {
    let m = matches.get(id);
    if (!m) { m = { id, status: "scheduled", minute: 0, home: "", away: "", hg: 0, ag: 0, events: new Map() }; matches.set(id, m); }
    return m;
  }

  function handle(msg) {
    const p = msg.params;
    switch (p[0]) {
      case "MATCH": {
        const m = match(p[1]);
        const teams = (p[6] || "").split(" - ");
        Object.assign(m, { status: p[2], minute: Number(p[3]) || 0, hg: Number(p[4]) || 0, ag: Number(p[5]) || 0,
                           home: teams[0] || "Home", away: teams.slice(1).join(" - ") || "Away" });
        break;
      }
      case "END":
        if (p[1] === "LIST") {
          listing = false;
          for (const m of matches.values()) {
            if (m.status !== "finished" && !followed.has(m.id) && followed.size < 20) { followed.add(m.id); Chat.send("SCORES", ["FOLLOW", m.id]); }
          }
          if (selected === null) {
            const live = [...matches.values()].find((m) => m.status === "live") || matches.values().next().value;
            if (live) select(live.id);
          }
        }
        render();
        break;
      case "EVENT": {
        const m = match(p[1]);
        const ev = { seq: Number(p[2]), type: p[3], minute: Number(p[4]) || 0, hg: Number(p[5]) || 0, ag: Number(p[6]) || 0, text: p[7] || "" };
        m.events.set(ev.seq, ev);
        if (m.events.size > 400) m.events.delete(m.events.keys().next().value);
        const latest = Math.max(...m.events.keys());
        if (ev.seq === latest) {
          m.hg = ev.hg; m.ag = ev.ag; m.minute = ev.minute;
          if (ev.type === "kickoff") m.status = "live";
          else if (ev.type === "half-time") m.status = "half-time";
          else if (ev.type === "full-time") m.status = "finished";
          else if (m.status === "half-time" || m.status === "scheduled") m.status = "live";
          if (/goal$/.test(ev.type) && ev.type !== "penalty-miss") flash(m.id);
        }
        render();
        break;
      }
    }
  }

  function fail(code, text) {
    listing = false;
    const feed = Chat.$("match-feed");
    feed.prepend(Chat.el("li", "feed-error", `${text}`));
  }

  function select(id) {
    selected = id;
    Chat.send("SCORES", ["SHOW", id]);
    render();
  }

  let flashing = null;
  function flash(id) { flashing = id; setTimeout(() => { if (flashing === id) { flashing = null; render(); } }, 2500); }

  function statusText(m) {
    if (m.status === "live") return `${m.minute}'`;
    if (m.status === "half-time") return "HT";
    if (m.status === "finished") return "FT";
    return "—";
  }

  function render() {
    const el = Chat.el;
    const listNode = Chat.$("match-list");
    listNode.replaceChildren();
    const order = { live: 0, "half-time": 1, scheduled: 2, finished: 3 };
    const sorted = [...matches.values()].sort((a, b) => (order[a.status] ?? 4) - (order[b.status] ?? 4) || Number(a.id) - Number(b.id));
    if (!sorted.length) listNode.append(el("li", "muted", "No matches right now."));
    for (const m of sorted) {
      const li = el("li", `match ${m.status}` + (m.id === selected ? " selected" : "") + (m.id === flashing ? " flash" : ""));
      li.dataset.match = m.id;
      const teams = el("div", "teams");
      teams.append(team(m.home, m.hg), team(m.away, m.ag));
      const side = el("div", "match-side");
      side.append(el("span", `match-status ${m.status}`, statusText(m)));
      const room = el("button", "room small", "Room");
      room.type = "button"; room.title = `Join #match-${m.id}`;
      room.addEventListener("click", (e) => { e.stopPropagation(); Chat.joinChannel(`#match-${m.id}`); document.body.classList.remove("show-scores"); });
      side.append(room);
      li.append(teams, side);
      li.addEventListener("click", () => select(m.id));
      listNode.append(li);
    }
    const feed = Chat.$("match-feed");
    feed.replaceChildren();
    const m = selected !== null && matches.get(selected);
    Chat.$("match-feed-title").textContent = m ? `${m.home} ${m.hg}–${m.ag} ${m.away}` : "";
    if (!m) return;
    const events = [...m.events.values()].sort((a, b) => b.seq - a.seq);
    if (!events.length) feed.append(el("li", "muted", "No events yet."));
    for (const ev of events) {
      const li = el("li", "feed-event " + ev.type);
      li.append(el("span", "feed-minute", `${ev.minute}'`), el("span", "feed-icon " + ev.type, ICONS[ev.type] ?? "•"));
      const body = el("div", "feed-body");
      body.append(el("div", "feed-type", `${LABELS[ev.type] || ev.type} · ${ev.hg}–${ev.ag}`), el("div", "feed-text", ev.text));
      li.append(body);
      feed.append(li);
    }
  }

  function team(name, goals) {
    const row = Chat.el("div", "team");
    row.append(Chat.el("span", "team-name", name), Chat.el("span", "goals", String(goals)));
    return row;
  }

  function wire() {
    Chat.$("scores-button").addEventListener("click", () => {
      if (document.body.classList.contains("show-scores")) document.body.classList.remove("show-scores"); else open();
    });
    Chat.$("scores-toggle").addEventListener("click", open);
    Chat.$("scores-close").addEventListener("click", () => document.body.classList.remove("show-scores"));
  }

  return { start, reset, handle, fail, open, wire };
})();
