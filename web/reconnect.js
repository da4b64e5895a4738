// The web page's automatic reconnection, for guests: after the connection
// drops (a server restart, a network change) it tries again after 1, 2, 4…
// up to 30 seconds, eight times, showing the countdown and a "Reconnect now"
// button, then leaves a "Reconnect" button. Back in, the page rejoins the
// channels it was in (saved under the nick chosen at log-in). A page logged
// in to an account does not reconnect by itself: it keeps no password.
// Part of app.js's page.
"use strict";

const Reconnect = (() => {
  const MAX_ATTEMPTS = 8;
  let attempt = 0, timer = null;

  function applies() { return S.mode === "guest" && !S.account; }

  function stopTimer() { if (timer) { clearInterval(timer); timer = null; } }

  function schedule() {
    stopTimer();
    S.reconnecting = true;
    attempt += 1;
    if (attempt > MAX_ATTEMPTS) {
      S.reconnecting = false;
      showBanner("Disconnected from the server; it did not come back.", "Reconnect", () => { attempt = 0; now(); });
      return;
    }
    let left = Math.min(30, 2 ** (attempt - 1));
    const say = () => showBanner(`Disconnected from the server; reconnecting in ${left} s…`, "Reconnect now", now);
    say();
    timer = setInterval(() => { left -= 1; if (left <= 0) now(); else say(); }, 1000);
  }

  function now() {
    stopTimer();
    S.reconnecting = true;
    showBanner("Reconnecting…");
    S.nick = S.chosenNick || S.nick;
    connect();
  }

  // Registered again: the banner goes, the count starts over.
  function welcomed() {
    if (!S.reconnecting) return;
    S.reconnecting = false;
    attempt = 0;
    hideBanner();
  }

  // The user logs in anew (or out): no reconnection is pending any more.
  function cancel() { stopTimer(); S.reconnecting = false; attempt = 0; }

  return { applies, schedule, welcomed, cancel, get attempt() { return attempt; } };
})();
