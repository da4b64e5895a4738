// IRC message syntax for the web page: parsing and building lines, with
// IRCv3 tags (https://ircv3.net/specs/extensions/message-tags). No DOM here.
"use strict";

const IRC = (() => {
  const tagUnescapes = { ":": ";", "s": " ", "\\": "\\", "r": "\r", "n": "\n" };

  function unescapeTag(value) {
    let out = "";
    for (let i = 0; i < value.length; i++) {
      const c = value[i];
      if (c === "\\" && i + 1 < value.length) {
        const next = value[++i];
        out += tagUnescapes[next] !== undefined ? tagUnescapes[next] : next;
      } else if (c !== "\\") {
        out += c;
      }
    }
    return out;
  }

  function escapeTag(value) {
    return value.replace(/\\/g, "\\\\").replace(/;/g, "\\:").replace(/ /g, "\\s")
      .replace(/\r/g, "\\r").replace(/\n/g, "\\n");
  }

  /** One line (without CR LF) into {tags, source, command, params}; null if empty. */
  function parse(line) {
    line = line.replace(/[\r\n]+$/, "");
    let i = 0;
    const tags = {};
    if (line[0] === "@") {
      const end = line.indexOf(" ");
      if (end < 0) return null;
      for (const part of line.slice(1, end).split(";")) {
        if (!part) continue;
        const eq = part.indexOf("=");
        if (eq < 0) tags[part] = "";
        else tags[part.slice(0, eq)] = unescapeTag(part.slice(eq + 1));
      }
      i = end + 1;
    }
    while (line[i] === " ") i++;
    let source = null;
    if (line[i] === ":") {
      const end = line.indexOf(" ", i);
      if (end < 0) return null;
      source = line.slice(i + 1, end);
      i = end + 1;
    }
    const params = [];
    let command = null;
    while (i < line.length) {
      while (line[i] === " ") i++;
      if (i >= line.length) break;
      if (line[i] === ":" && command !== null) {
        params.push(line.slice(i + 1));
        break;
      }
      let end = line.indexOf(" ", i);
      if (end < 0) end = line.length;
      const word = line.slice(i, end);
      if (command === null) command = word.toUpperCase();
      else params.push(word);
      i = end;
    }
    if (!command) return null;
    return { tags, source, command, params };
  }

  /** Builds a line; the last parameter is sent in trailing form when it needs to be. */
  function build(command, params = [], tags = null) {
    let line = "";
    if (tags) {
      const parts = Object.entries(tags).map(([k, v]) => (v === "" || v == null) ? k : `${k}=${escapeTag(String(v))}`);
      if (parts.length) line += "@" + parts.join(";") + " ";
    }
    line += command;
    params.forEach((p, idx) => {
      p = String(p).replace(/[\r\n\0]/g, " ");
      const last = idx === params.length - 1;
      if (last && (p === "" || p.includes(" ") || p[0] === ":")) line += " :" + p;
      else line += " " + p;
    });
    return line;
  }

  function nickOf(source) {
    if (!source) return "";
    const bang = source.indexOf("!");
    return bang < 0 ? source : source.slice(0, bang);
  }

  // CASEMAPPING=rfc1459: []\~ are the upper case of {}|^.
  function fold(name) {
    return name.toLowerCase().replace(/\[/g, "{").replace(/\]/g, "}").replace(/\\/g, "|").replace(/~/g, "^");
  }

  function isChannel(name) { return !!name && name[0] === "#"; }

  /** SASL PLAIN payload, base64 of authzid \0 authcid \0 password (UTF-8). */
  function saslPlain(account, password) { return base64(`${account}\0${account}\0${password}`); }

  /** HTTP Basic credentials, base64 of user:password (UTF-8). */
  function basicAuth(user, password) { return base64(`${user}:${password}`); }

  function base64(text) {
    let binary = "";
    new TextEncoder().encode(text).forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary);
  }

  return { parse, build, nickOf, fold, isChannel, saslPlain, basicAuth, escapeTag, unescapeTag };
})();
