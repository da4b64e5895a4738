import ScoreFeed

/// libFuzzer target for what a UDP peer sends or receives on the score
/// stream: the token datagram the server parses (`UDPToken.parse`) and the
/// event datagram a subscriber decodes (`ScoreDatagram(decoding:)`, through
/// `ScoreSubscriber`). A parsed token must have the token's form; a decoded
/// datagram must encode and decode back to itself; the statistics must stay
/// consistent.
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum ScoreDatagramFuzzer {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        if let token = UDPToken.parse(bytes) {
            guard token.utf8.count == UDPToken.length, UDPToken.isWellFormed(token) else { fatalError("bad token \(token)") }
        }
        do {
            let datagram = try ScoreDatagram(decoding: bytes)
            let again = try ScoreDatagram(decoding: datagram.encoded())
            guard again == datagram else { fatalError("round trip changed \(datagram) into \(again)") }
            _ = ScoreLine.format(datagram)
        } catch is ScoreDatagramError {
        } catch {
            fatalError("ScoreDatagram threw something other than ScoreDatagramError: \(error)")
        }
        var subscriber = ScoreSubscriber(match: 1)
        _ = subscriber.receive(bytes)
        _ = subscriber.receive(bytes)
        let s = subscriber.statistics
        guard s.received + s.duplicated + subscriber.undecodable + subscriber.otherMatches
                + (bytes.elementsEqual(UDPToken.acknowledgement) ? 2 : 0) == 2, s.lost == 0 else {
            fatalError("statistics out of step: \(s.summary)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScoreDatagram(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ScoreDatagramFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
