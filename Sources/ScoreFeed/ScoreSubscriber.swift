/// What a UDP subscriber does with each datagram of one match: decode it,
/// count its seq, and give back the line to print for a first arrival.
/// Datagrams of other matches, and ones that do not decode, are counted apart.
///
/// Thread-safety: a value type; any thread.
public struct ScoreSubscriber: Sendable {
    public let match: Int64
    public private(set) var statistics = StreamStatistics()
    public private(set) var undecodable = 0
    public private(set) var otherMatches = 0

    public init(match: Int64) { self.match = match }

    /// The acknowledgement `OK`, a score datagram, or noise. Returns the
    /// line to show for an event seen for the first time.
    public mutating func receive(_ bytes: some Collection<UInt8>) -> String? {
        if bytes.elementsEqual(UDPToken.acknowledgement) { return nil }
        guard let datagram = try? ScoreDatagram(decoding: bytes) else {
            undecodable += 1
            return nil
        }
        guard datagram.match == match else {
            otherMatches += 1
            return nil
        }
        let before = statistics.duplicated
        statistics.record(datagram.seq)
        return statistics.duplicated == before ? ScoreLine.format(datagram) : nil
    }
}
