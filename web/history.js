// The web page's history: CHATHISTORY pages as the user scrolls up, and the
// chathistory batches that answer them. Part of app.js's page.
"use strict";

// ---------------------------------------------------------------- history

function historyCap() { return S.caps.has("draft/chathistory") || S.caps.has("chathistory"); }

// The server replays recent lines on JOIN in a chathistory batch of its own,
// and answers CHATHISTORY after reading the database (unlabelled, even with
// labeled-response), in the order asked. So, per channel: the first batch
// after our JOIN is the replay, later ones answer our requests in turn.
function requestOlder(buf) {
  if (!historyCap() || !S.caps.has("batch") || buf.historyLoading || buf.historyDone || !buf.joined) return;
  buf.historyLoading = true;
  const oldest = buf.messages.find((m) => m.msgid);
  const limit = Math.min(HISTORY_PAGE, Number(S.isupport.CHATHISTORY) || HISTORY_PAGE);
  buf.historyLimit = limit;
  send("CHATHISTORY", oldest ? ["BEFORE", buf.name, "msgid=" + oldest.msgid, String(limit)] : ["LATEST", buf.name, "*", String(limit)]);
  clearTimeout(buf.historyTimer);
  buf.historyTimer = setTimeout(() => { buf.historyLoading = false; if (buf.key === S.current) renderMessages(false); }, 5000);
  if (buf.key === S.current) $("history-status").textContent = "Loading earlier messages…";
}

function endHistoryBatch(batch) {
  const target = batch.params[0];
  if (!target) return;
  const buf = getBuffer(target);
  let added = 0;
  for (const msg of batch.messages) {
    const before = buf.messages.length;
    if (msg.command === "PRIVMSG" || msg.command === "NOTICE") chatLine(msg, true);
    if (buf.messages.length > before) added++;
  }
  if (buf.replayPending) {
    buf.replayPending = false;
  } else if (buf.historyLoading) {
    clearTimeout(buf.historyTimer);
    buf.historyLoading = false;
    buf.historyDone = batch.messages.length < (buf.historyLimit || HISTORY_PAGE);
  }
  if (buf.key === S.current) renderMessages(buf.messages.length === added);
}
