// Files on the web page: the share cards with download links, and uploads
// to the server's FILEHOST url (draft/FILEHOST in ISUPPORT) with HTTP Basic
// auth of account and a short-lived token from `FILE TOKEN` — the page never
// keeps the password. The token also goes into a cookie scoped to /files/,
// so plain links and <audio>/<video> elements can fetch what they show.
"use strict";

const Files = (() => {
  const COOKIE = "chatd_file_token";
  let token = null, refreshTimer = null, hostPath = null, tokenAsked = false;
  const AUDIO = /\.(mp3|ogg|oga|opus|wav|flac|m4a|aac)$/i;
  const VIDEO = /\.(mp4|webm|ogv|mov|m4v)$/i;

  function filehost() {
    const url = Chat.state.isupport["draft/FILEHOST"] || Chat.state.isupport.FILEHOST;
    if (!url) return null;
    // Same origin as the page, whatever host name the page was opened with.
    try { const u = new URL(url, location.href); return u.pathname + u.search; } catch (e) { return null; }
  }

  function start() {
    hostPath = filehost();
    const usable = !!hostPath && !!Chat.state.account;
    Chat.$("upload-button").classList.toggle("disabled", !usable);
    Chat.$("upload-button").title = usable ? "Share a file" : hostPath ? "Log in to share files" : "This server has no file host";
    if (Chat.state.account && hostPath) { tokenAsked = true; Chat.send("FILE", ["TOKEN"]); }
  }

  function stop() {
    token = null;
    clearTimeout(refreshTimer);
    document.cookie = `${COOKIE}=; Path=/files/; Max-Age=0; SameSite=Strict`;
  }

  /** `FILE TOKEN <token> <seconds>`: kept in memory and in the /files/ cookie, renewed before it lapses. */
  function handle(m) {
    if (m.params[0] !== "TOKEN") return;
    tokenAsked = false;
    token = m.params[1];
    const seconds = Math.max(30, Number(m.params[2]) || 3600);
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${COOKIE}=${encodeURIComponent(token)}; Path=/files/; Max-Age=${seconds}; SameSite=Strict${secure}`;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => { tokenAsked = true; Chat.send("FILE", ["TOKEN"]); }, seconds * 800);
  }

  function fail(code, text) {
    // The page asks for its token by itself: a server that refuses just has no uploads from here.
    if (tokenAsked) { tokenAsked = false; Chat.$("upload-button").classList.add("disabled"); return; }
    status(`${text} (${code})`, "error");
  }

  function status(text, kind) {
    const node = Chat.$("upload-status");
    node.replaceChildren(Chat.el("span", null, text));
    node.className = "upload-status " + (kind || "");
    if (kind !== "progress") setTimeout(() => { if (node.firstChild && node.firstChild.textContent === text) node.classList.add("hidden"); }, 6000);
  }

  function href(file) { return `/files/${encodeURIComponent(file.id)}/${encodeURIComponent(file.name)}`; }

  /** The card a share notice becomes: name, size, download link, and a player for audio/video. */
  function card(file) {
    const el = Chat.el;
    const box = el("div", "file-card");
    const icon = el("span", "file-icon");
    icon.append(Chat.icon(AUDIO.test(file.name) ? "music" : VIDEO.test(file.name) ? "video" : "file"));
    const meta = el("div", "file-meta");
    const link = el("a", "file-link", file.name);
    link.href = href(file);
    link.target = "_blank"; link.rel = "noopener";
    link.dataset.fileId = file.id;
    meta.append(link, el("div", "file-size", `${file.size} · sha256 ${file.sha}…`));
    const dl = el("a", "file-download");
    dl.append(Chat.icon("download"), document.createTextNode("Download"));
    dl.href = href(file); dl.download = file.name;
    box.append(icon, meta, dl);
    if (AUDIO.test(file.name) || VIDEO.test(file.name)) {
      const player = el(AUDIO.test(file.name) ? "audio" : "video", "file-player");
      player.controls = true; player.preload = "none"; player.src = href(file);
      const wrap = el("div", "file-card-wrap");
      wrap.append(box, player);
      return wrap;
    }
    return box;
  }

  function contentDisposition(name) {
    const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
    return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
  }

  /** POSTs one file to FILEHOST for the current channel or query; resolves with the Location. */
  function upload(file, target) {
    return new Promise((resolve, reject) => {
      if (!hostPath) return reject(new Error("This server has no file host"));
      if (!token || !Chat.state.account) return reject(new Error("Log in to share files"));
      const max = Number(Chat.state.isupport.FILES) || 0;
      if (max && file.size > max) return reject(new Error(`That file is larger than the server takes (${max} bytes)`));
      const xhr = new XMLHttpRequest();
      const sep = hostPath.includes("?") ? "&" : "?";
      xhr.open("POST", `${hostPath}${sep}target=${encodeURIComponent(target)}`);
      xhr.setRequestHeader("Authorization", "Basic " + IRC.basicAuth(Chat.state.account, token));
      xhr.setRequestHeader("Content-Disposition", contentDisposition(file.name));
      xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) status(`Uploading ${file.name}: ${Math.round(100 * e.loaded / e.total)}%`, "progress"); };
      xhr.onload = () => {
        if (xhr.status === 201) resolve(xhr.getResponseHeader("Location"));
        else reject(new Error((xhr.responseText || xhr.statusText || "Upload failed").trim().slice(0, 200) + ` (HTTP ${xhr.status})`));
      };
      xhr.onerror = () => reject(new Error("Upload failed: the connection broke"));
      status(`Uploading ${file.name}…`, "progress");
      xhr.send(file);
    });
  }

  function wire() {
    const input = Chat.$("file-input");
    Chat.$("upload-button").addEventListener("click", () => {
      const buf = Chat.currentBuffer();
      if (buf.kind === "server") return status("Open a channel or a conversation first", "error");
      if (!hostPath || !token) return status(Chat.$("upload-button").title, "error");
      input.click();
    });
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      input.value = "";
      if (!file) return;
      const target = Chat.currentBuffer().name;
      upload(file, target).then(() => status(`Shared ${file.name}`, "ok"), (e) => status(e.message, "error"));
    });
  }

  /** Whether uploads can go now (FILEHOST known, token held). */
  function ready() { return !!hostPath && !!token; }

  return { start, stop, handle, fail, card, upload, wire, href, ready };
})();
