/// A channel's members side by side in one array, for the loops that visit
/// every member per message (PRIVMSG/NOTICE/TAGMSG fan-out).
///
/// `Channel.members` (a dictionary by client id) stays the index for
/// lookups; this is the same set, kept in step by `Channel.insertMember`,
/// `deleteMember` and `setPrivilege`. Why a second copy: walking a
/// dictionary's values retained and released every `Client` (objects with
/// side tables, so the slow reference-count paths) and hopped through
/// scattered buckets. Here an entry is 24 bytes in one contiguous buffer,
/// and the client is held unmanaged, so a walk touches no reference counts.
///
/// Removal swaps the last entry into the hole (O(1)); order is not kept,
/// as it was not in the dictionary either.
///
/// Thread-safety: loop thread only (owned by its `Channel`).
struct ChannelRoster {
    struct Entry {
        /// Not retained: the channel's `members` holds the client strongly for
        /// exactly as long as this entry exists (both change together), and
        /// a walk works on a copy of the array taken while both agree.
        let client: Unmanaged<Client>
        let id: UInt64
        var membership: Channel.Membership
    }

    private(set) var entries: ContiguousArray<Entry> = []

    var count: Int { entries.count }

    /// Appends `client`; returns its slot.
    mutating func append(_ client: Client, membership: Channel.Membership) -> Int {
        entries.append(Entry(client: .passUnretained(client), id: client.id, membership: membership))
        return entries.count - 1
    }

    /// Removes the entry at `slot` by moving the last one into it; returns
    /// the id of the moved entry (whose slot is now `slot`), if any moved.
    mutating func remove(at slot: Int) -> UInt64? {
        let last = entries.count - 1
        guard slot != last else {
            entries.removeLast()
            return nil
        }
        entries.swapAt(slot, last)
        entries.removeLast()
        return entries[slot].id
    }

    mutating func setMembership(_ membership: Channel.Membership, at slot: Int) {
        entries[slot].membership = membership
    }
}
