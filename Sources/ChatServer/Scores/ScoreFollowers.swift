/// Who follows which match on the chat connection (SCORES FOLLOW), with a
/// cap per connection and in total.
///
/// Thread-safety: loop thread only.
final class ScoreFollowers {
    private(set) var byMatch: [Int64: [UInt64: Client]] = [:]
    private var byClient: [UInt64: Set<Int64>] = [:]
    private(set) var total = 0

    /// Adds the follow; false if it was already there. Throws `tooMany` past a cap.
    func follow(_ client: Client, match: Int64, perConnection: Int, maxTotal: Int) throws -> Bool {
        let mine = byClient[client.id, default: []]
        if mine.contains(match) { return false }
        if mine.count >= perConnection { throw ScoreError.tooMany("followed matches for this connection (max \(perConnection))") }
        if total >= maxTotal { throw ScoreError.tooMany("followers on this server (max \(maxTotal))") }
        byClient[client.id, default: []].insert(match)
        byMatch[match, default: [:]][client.id] = client
        total += 1
        return true
    }

    func unfollow(_ client: Client, match: Int64) -> Bool {
        guard byClient[client.id]?.remove(match) != nil else { return false }
        if byClient[client.id]?.isEmpty == true { byClient[client.id] = nil }
        byMatch[match]?[client.id] = nil
        if byMatch[match]?.isEmpty == true { byMatch[match] = nil }
        total -= 1
        return true
    }

    func isFollowing(_ client: Client, match: Int64) -> Bool { byClient[client.id]?.contains(match) ?? false }

    /// The match is gone: nobody follows it any more. Returns who did.
    @discardableResult
    func forget(match: Int64) -> [Client] {
        guard let following = byMatch.removeValue(forKey: match) else { return [] }
        for id in following.keys {
            byClient[id]?.remove(match)
            if byClient[id]?.isEmpty == true { byClient[id] = nil }
        }
        total -= following.count
        return following.keys.sorted().compactMap { following[$0] }
    }

    /// The client left: all its follows go.
    func drop(_ client: Client) {
        guard let matches = byClient.removeValue(forKey: client.id) else { return }
        for match in matches {
            byMatch[match]?[client.id] = nil
            if byMatch[match]?.isEmpty == true { byMatch[match] = nil }
        }
        total -= matches.count
    }
}
