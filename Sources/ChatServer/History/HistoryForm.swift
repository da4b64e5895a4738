/// How history is shown to one client, decided once per answer from its
/// capabilities, richest first:
/// - batch and server-time (or batch, for CHATHISTORY, `forceBatch`): a
///   `chathistory` batch, each line with its time;
/// - server-time alone: the lines with their time tag, no batch;
/// - neither: plain lines whose text starts with the time, so a person
///   can tell them from live chat (inside the action for a `/me`).
///
/// Thread-safety: a value; made and read on the loop thread.
struct HistoryForm {
    let caps: CapabilitySet
    /// The batch's reference tag, if the lines go in a batch.
    let batchID: String?
    /// Whether each line carries its `time` tag.
    let timed: Bool

    init(caps: CapabilitySet, forceBatch: Bool, batchID: () -> String) {
        self.caps = caps
        let batched = caps.contains(.batch) && (caps.contains(.serverTime) || forceBatch)
        self.batchID = batched ? batchID() : nil
        timed = batched || caps.contains(.serverTime)
    }

    /// Whether `m` is shown at all: rows stored before CTCP other than
    /// ACTION was left out are left out here, and a TAGMSG, being nothing
    /// but its tags, only to a client that reads tags and times.
    func shows(_ m: StoredMessage) -> Bool {
        guard CTCPText.isKeptInHistory(m.text) else { return false }
        return m.command != "TAGMSG" || (timed && caps.contains(.messageTags))
    }
}
