// The web page's log-in: the form (log in, register, guest), SASL PLAIN
// and REGISTER during capability negotiation. Part of app.js's page.
"use strict";

// ---------------------------------------------------------------- log-in

function loginError(text) { $("login-error").textContent = text; }

function showLogin() {
  $("app").classList.add("hidden");
  $("login").classList.remove("hidden");
  $("login-submit").disabled = false;
}

function setMode(mode) {
  S.mode = mode;
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.dataset.mode === mode));
  $("login-form").dataset.mode = mode;
  $("login-submit").textContent = { login: "Log in", register: "Create account", guest: "Join as guest" }[mode];
  $("login-password").required = mode !== "guest";
  $("login-password").autocomplete = mode === "register" ? "new-password" : "current-password";
}

function submitLogin(event) {
  event.preventDefault();
  loginError("");
  const nick = $("login-nick").value.trim();
  if (!/^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]*$/.test(nick)) { loginError("That is not a valid nickname."); return; }
  S.nick = nick;
  S.chosenNick = nick;
  S.account = null;
  Reconnect.cancel();
  S.password = S.mode === "guest" ? null : $("login-password").value;
  S.email = $("login-email").value.trim() || null;
  $("login-password").value = "";  // the page does not keep it past this log-in
  $("login-submit").disabled = true;
  localStorage.setItem("chatd.nick", nick);
  connect();
}

function finishCaps() { send("CAP", ["END"]); }

function onCapsAcked() {
  if (S.mode === "login") {
    if (!S.caps.has("sasl")) { loginError("This server does not offer SASL log-in."); return quit(); }
    send("AUTHENTICATE", ["PLAIN"]);
  } else if (S.mode === "register") {
    if (!S.caps.has("draft/account-registration") && !S.offered.has("draft/account-registration")) {
      loginError("This server does not offer registration."); return quit();
    }
    send("REGISTER", ["*", S.email || "*", S.password]);
  } else {
    finishCaps();
  }
}

function sendSASL() {
  const payload = IRC.saslPlain(S.nick, S.password || "");
  for (let i = 0; i < payload.length; i += 400) send("AUTHENTICATE", [payload.slice(i, i + 400)]);
  if (payload.length % 400 === 0) send("AUTHENTICATE", ["+"]);
}

function quit() {
  S.closedByUs = true;
  Reconnect.cancel();
  if (S.ws) { send("QUIT", ["Leaving"]); S.ws.close(); }
}
