import CoreLoop

/// Delivering one channel message to a roster.
extension Fanout {
    /// No client has this id (ids count up from 1): `except` it to leave
    /// out no one.
    static let nobody = UInt64.max

    /// The per-member loop of a channel message: the hot path of fan-out.
    /// It walks the roster's contiguous entries and borrows each client
    /// unmanaged, so no member is retained or released; the chunk is looked
    /// up again only when a member's wire form differs from the previous
    /// member's. `entries` is a copy taken before the loop: a send never
    /// removes a member synchronously (a send queue over its limit closes
    /// in the before-sleep phase), and the copy keeps the walk well-defined
    /// even if one did.
    ///
    /// A member gets it only if its caps include all of `requiring` (TAGMSG:
    /// message-tags) and none of `excluding` (a plain JOIN: not to
    /// extended-join clients, which get the long form). `senderID` is left
    /// out; `Fanout.nobody` leaves out no one.
    mutating func deliver(to entries: ContiguousArray<ChannelRoster.Entry>, except senderID: UInt64,
                         minimum: Channel.Membership, requiring: CapabilitySet = [],
                         excluding: CapabilitySet = []) -> Int {
        var delivered = 0
        var lastForm = -1
        var chunk: Unmanaged<ByteChunk>?
        for entry in entries where entry.id != senderID {
            if !minimum.isEmpty {
                let m = entry.membership
                guard m.contains(.op) || (minimum == .voice && m.contains(.voice)) else { continue }
            }
            entry.client._withUnsafeGuaranteedRef { client in
                let caps = client.caps
                if !caps.isSuperset(of: requiring) || !caps.isDisjoint(with: excluding) { return }
                let wire = self.form(for: caps)
                if wire != lastForm {
                    chunk = .passUnretained(self.chunk(form: wire))
                    lastForm = wire
                }
                // The chunk borrowed too: read from the captured variable as a
                // reference, it was retained and released around every send
                // (~7 % of the server's core in fan-out). `self` keeps every
                // form alive for the whole loop.
                chunk!._withUnsafeGuaranteedRef { bytes in
                    // `transport` without the getter's existential copy: only the
                    // client whose command is running can have a label capture.
                    if let capture = client.labelCapture {
                        _ = capture.send(bytes)
                    } else if let direct = client.directConnection {
                        _ = direct._withUnsafeGuaranteedRef { $0.write(bytes) }
                    } else {
                        _ = client.connection.send(bytes)  // WebSocket, tests
                    }
                }
                delivered += 1
            }
        }
        return delivered
    }
}
