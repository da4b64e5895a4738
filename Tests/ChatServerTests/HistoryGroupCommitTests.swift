@testable import ChatServer
import Logging
import XCTest

/// The history recorder keeps one batch with the writer at a time, and a
/// bounded backlog behind it when the writer falls behind.
final class HistoryGroupCommitTests: XCTestCase {
    func record(_ recorder: HistoryRecorder, _ range: ClosedRange<Int>) {
        for i in range {
            recorder.record(key: "#h", target: "#h", source: "alice!~alice@127.0.0.1", account: nil, command: "PRIVMSG",
                            text: "message \(i)", msgid: "m\(i)", timeMillis: Int64(i))
        }
    }

    func storedTexts(_ net: TestNet) throws -> [String] {
        try net.storage!.messages(HistoryQuery(channel: "#h", limit: 1_000, newestFirst: false)).map(\.text)
    }

    func testOneBatchIsWithTheWriterAndWhatComesMeanwhileGoesAsTheNext() throws {
        let net = TestNet.withStorage()
        net.writer.deferred = true
        let recorder = HistoryRecorder(services: net.server.services!, lastSeq: 0, batchSize: 10, logger: Logger(label: "test"))
        record(recorder, 1...3)
        recorder.flush()
        XCTAssertEqual(net.writer.pendingCount, 1)
        record(recorder, 4...6)
        recorder.flush()
        XCTAssertEqual(net.writer.pendingCount, 1, "the second flush waits for the first batch")
        XCTAssertEqual(recorder.unwrittenCount, 6)
        XCTAssertEqual(recorder.unwritten.map(\.text), (1...6).map { "message \($0)" }, "all of it readable meanwhile")
        net.writer.runPending()
        XCTAssertEqual(try storedTexts(net), (1...3).map { "message \($0)" })
        XCTAssertEqual(net.writer.pendingCount, 0, "less than a batch waits for the flush timer")
        recorder.flush()
        net.writer.runPending()
        XCTAssertEqual(try storedTexts(net), (1...6).map { "message \($0)" })

        // A full batch that waited behind the one in flight goes when it is answered.
        record(recorder, 7...9)
        recorder.flush()
        record(recorder, 10...21)
        XCTAssertEqual(net.writer.pendingCount, 1)
        net.writer.runWork()
        net.writer.runCompletions()
        XCTAssertEqual(net.writer.pendingCount, 1, "the next, full batch started at once")
        XCTAssertEqual(recorder.unwrittenCount, 12)
        net.writer.runPending()
        XCTAssertEqual(try storedTexts(net).count, 19, "a batch is at most batchSize (10) messages")
        XCTAssertEqual(recorder.unwrittenCount, 2, "the rest waits for the next flush")
        recorder.flush()
        net.writer.runPending()
        XCTAssertEqual(try storedTexts(net).count, 21)
        XCTAssertEqual(recorder.unwrittenCount, 0)
        XCTAssertEqual(recorder.messagesWritten, 21)
    }

    func testAWriterFarBehindCostsABoundedBacklogAndDropsTheOldestCounted() throws {
        let net = TestNet.withStorage()
        net.writer.deferred = true
        let recorder = HistoryRecorder(services: net.server.services!, lastSeq: 0, batchSize: 10, logger: Logger(label: "test"),
                                       maxUnwritten: 100)
        record(recorder, 1...200)
        XCTAssertEqual(net.writer.pendingCount, 1, "one batch with the writer, the rest waiting")
        XCTAssertLessThanOrEqual(recorder.unwrittenCount, 10 + 100, "bounded: the batch in flight and maxUnwritten")
        XCTAssertGreaterThan(recorder.droppedUnwritten, 0)
        XCTAssertEqual(Int(recorder.droppedUnwritten) + recorder.unwrittenCount, 200, "every message written, waiting or counted as dropped")
        XCTAssertEqual(recorder.unwritten.last?.text, "message 200", "the newest are kept")
        while net.writer.pendingCount > 0 || recorder.unwrittenCount > 0 {
            recorder.flush()
            net.writer.runPending()
        }
        let stored = try storedTexts(net)
        XCTAssertEqual(stored.count + Int(recorder.droppedUnwritten), 200)
        XCTAssertEqual(stored.prefix(10), ArraySlice((1...10).map { "message \($0)" }), "the first batch was already on its way")
        XCTAssertEqual(stored.last, "message 200")
    }
}
