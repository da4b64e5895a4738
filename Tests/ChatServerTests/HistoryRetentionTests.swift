@testable import ChatServer
import Foundation
import Logging
import XCTest

/// Collects log messages, for tests that check what was logged.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var captured: [String] = []
    var messages: [String] { lock.withLock { captured } }
    fileprivate func append(_ text: String) { lock.withLock { captured.append(text) } }

    var logger: Logger {
        Logger(label: "capture") { _ in Handler(capture: self) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?,
                 source: String, file: String, function: String, line: UInt) {
            capture.append("\(level): \(message)")
        }
    }
}

/// The history writer's collision count.
final class HistoryRetentionTests: XCTestCase {
    let day: Int64 = 86_400_000

    func message(_ seq: Int64, channel: String = "#a", time: Int64 = 0, msgid: String? = nil) -> StoredMessage {
        StoredMessage(seq: seq, channel: channel, target: channel, timeMillis: time, msgid: msgid ?? "id\(seq)",
                      source: "a!a@h", account: nil, command: "PRIVMSG", text: "text \(seq)")
    }

    func texts(_ storage: ChatStorage, _ channel: String) throws -> [String] {
        try storage.messages(HistoryQuery(channel: channel, limit: 10_000, newestFirst: false)).map(\.text)
    }

    // MARK: Collisions

    func testRowsTheDatabaseIgnoresAreCountedAndLogged() throws {
        let storage = try ChatStorage()
        try storage.insertMessages([message(1, msgid: "taken")])
        let log = LogCapture()
        let writer = InlineOffloader()
        let services = ServerServices(storage: storage, hashers: writer, readers: writer, writer: writer)
        let recorder = HistoryRecorder(services: services, lastSeq: 0, batchSize: 100, logger: log.logger)
        let channel = Channel(name: "#a", createdAtSeconds: 0)
        func record(_ text: String, msgid: String) {
            recorder.record(channel: channel, source: "a!a@h", account: nil, command: "PRIVMSG", text: text, msgid: msgid, timeMillis: 1)
        }
        record("seq 1 again", msgid: "fresh1")   // seq 1 is taken
        record("fine", msgid: "fresh2")          // seq 2
        record("msgid again", msgid: "taken")    // seq 3, msgid taken
        recorder.flush()

        XCTAssertEqual(recorder.collisions, 2)
        XCTAssertEqual(recorder.messagesWritten, 1)
        XCTAssertEqual(try texts(storage, "#a"), ["text 1", "fine"])
        let logged = log.messages.filter { $0.contains("not stored") }
        XCTAssertEqual(logged.count, 1, "\(log.messages)")
        XCTAssertTrue(logged[0].hasPrefix("error:") && logged[0].contains("2 messages") && logged[0].contains("seq 1") && logged[0].contains("msgid taken"), logged[0])
    }
}
