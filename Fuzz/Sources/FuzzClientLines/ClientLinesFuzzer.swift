import ChatClient
import ChatServer

/// libFuzzer target for everything the `chat` client reads from a server
/// after the IRC parser: `MessageDecoder` (with its NAMES collection),
/// `BatchCollector`, `FileLine`, `ScoreLine`, `IRCTime`, `FileShare`, and
/// the FILE download and SCORES query state machines fed those lines.
///
/// The input is a stream of lines (LF-separated), so state carried between
/// lines (a batch, a NAMES reply, a download) is exercised. Invariants:
/// nothing traps; a batch never holds more than `BatchCollector.maxLines`;
/// a download never hands over bytes whose size or SHA-256 differ from what
/// was announced; the decoder's nick never becomes empty.
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum ClientLinesFuzzer {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        var decoder = MessageDecoder(nick: "me")
        var batches = BatchCollector()
        let download = FileDownload(fileID: "1", maxBytes: 4096)
        let list = ScoreQuery(.list)
        let show = ScoreQuery(.show("1"))
        var followed = FollowedMatch(summary: MatchSummary(id: "1", status: "live", minute: 0, homeGoals: 0, awayGoals: 0, teams: "A - B"))
        download.onFinish = { state in
            if case .done(_, let data) = state {
                guard data.count == download.expectedSize else { fatalError("download size \(data.count) is not \(download.expectedSize)") }
            }
        }
        for line in bytes.split(separator: 0x0A) {
            guard let m = try? IRCMessage(parsing: UnsafeRawBufferPointer(rebasing: line)) else { continue }
            if let time = m.tag("time") { _ = IRCTime.parse(time) }
            if m.command == "BATCH" {
                if let batch = batches.handleBatch(m) {
                    guard batch.messages.count <= BatchCollector.maxLines else { fatalError("batch over its bound") }
                    for inner in batch.messages { _ = decoder.decode(inner, nowMillis: 0, isHistory: true) }
                }
                continue
            }
            if batches.take(m) { continue }
            _ = decoder.decode(m, nowMillis: 0)
            guard !decoder.nick.isEmpty else { fatalError("empty nick after \(m.command)") }
            _ = FileShare.fileID(tags: m.tags, text: m.params.last ?? "")
            if let f = FileLine(m) { download.receive(f) }
            if let s = ScoreLine(m) {
                _ = list.receive(s)
                _ = show.receive(s)
                if case .event(let e) = s { _ = followed.apply(e) }
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ClientLinesFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
