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

/// The history writer's collision count, and retention (age, count per
/// channel, topics of unused channels) on an in-memory database with
/// injected times.
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

    /// insertMessages binds rows itself (SQLiteRowBinder): every column,
    /// NULL, empty and non-ASCII text must come back as stored.
    func testEveryColumnRoundTripsThroughTheRawInsert() throws {
        let storage = try ChatStorage()
        let rows = [
            StoredMessage(seq: 7, channel: "#ü", target: "#Ü", timeMillis: -5, msgid: "m7", source: "n!u@h",
                          account: "acct", command: "NOTICE", text: "héllo 🌍"),
            StoredMessage(seq: 8, channel: "#ü", target: "#Ü", timeMillis: Int64.max, msgid: "m8", source: "n!u@h",
                          account: nil, command: "PRIVMSG", text: ""),
        ]
        XCTAssertEqual(try storage.insertMessages(rows), [])
        XCTAssertEqual(try storage.messages(HistoryQuery(channel: "#ü", limit: 10, newestFirst: false)), rows)
        XCTAssertEqual(try storage.insertMessages([rows[1]]), [rows[1]], "an ignored row is returned, and the statement is reusable")
        XCTAssertEqual(try storage.lastMessageSeq(), 8)
    }

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

    // MARK: Storage steps

    func testPruningByAgeGoesInBoundedBatchesOldestFirst() throws {
        let storage = try ChatStorage()
        try storage.insertMessages((1...2500).map { message(Int64($0), time: Int64($0)) })
        XCTAssertEqual(try storage.pruneMessages(olderThanMillis: 2001, limit: 1000), 1000)
        XCTAssertEqual(try storage.pruneMessages(olderThanMillis: 2001, limit: 1000), 1000)
        XCTAssertEqual(try storage.pruneMessages(olderThanMillis: 2001, limit: 1000), 0, "the next oldest is new enough")
        XCTAssertEqual(try texts(storage, "#a"), (2001...2500).map { "text \($0)" })
    }

    func testPruningByCountKeepsTheNewestOfEachChannel() throws {
        let storage = try ChatStorage()
        // #a gets 30, #b 5, interleaved.
        var rows: [StoredMessage] = []
        for seq in Int64(1)...35 { rows.append(message(seq, channel: seq % 7 == 0 ? "#b" : "#a")) }
        try storage.insertMessages(rows)
        var counts: [Int] = []
        while true {
            let n = try storage.pruneMessages(keepingNewest: 10, limit: 7)
            counts.append(n)
            if n < 7 { break }
        }
        XCTAssertEqual(counts, [7, 7, 6])
        let a = rows.filter { $0.channel == "#a" }.suffix(10).map(\.text)
        XCTAssertEqual(try texts(storage, "#a"), Array(a))
        XCTAssertEqual(try texts(storage, "#b").count, 5)
    }

    func testTopicsOfUnusedChannelsAreDropped() throws {
        let storage = try ChatStorage()
        let now = 100 * day
        func topic(_ name: String, setAt millis: Int64) throws {
            try storage.saveTopic(folded: name, .init(name: name, topic: "about \(name)", setBy: "x", setAtSeconds: millis / 1000))
        }
        try topic("#old", setAt: now - 10 * day)
        try topic("#talked", setAt: now - 10 * day)
        try topic("#recent", setAt: now - 1 * day)
        try topic("#open", setAt: now - 10 * day)
        try storage.insertMessages([message(1, channel: "#talked", time: now - 2 * day), message(2, channel: "#old", time: now - 9 * day)])

        let dropped = try storage.pruneTopics(unusedSinceMillis: now - 5 * day, open: ["#open"], limit: 100)
        XCTAssertEqual(Set(dropped.keys), ["#old"])
        XCTAssertEqual(Set(try storage.topics().keys), ["#talked", "#recent", "#open"])
    }

    // MARK: The retention runs

    func testRetentionPrunesThroughTheWriterAndForgetsDroppedTopics() throws {
        let net = TestNet.withStorage { config in
            config.history.maxAgeDays = 2
            config.history.topicRetentionDays = 2
        }
        let server = net.server
        let retention = HistoryRetention(
            services: server.services!, clock: net.clock, logger: server.logger, batchLimit: 2,
            settings: { server.config.history }, openChannels: { Set(server.channels.byName.keys) },
            topicDropped: { folded, topic in server.channels.forgetSavedTopic(topic, folded: folded) })
        let alice = net.user("alice")
        alice.send("JOIN #keep")
        alice.send("JOIN #gone")
        alice.send("TOPIC #gone :Once upon a time")
        alice.send("TOPIC #keep :Still here")
        for i in 1...5 { alice.send("PRIVMSG #keep :old \(i)") }
        alice.send("PART #gone")
        server.history!.flush()
        net.clock.advance(seconds: 3 * 86_400)
        alice.send("PRIVMSG #keep :new")
        server.history!.flush()
        _ = alice.lines()

        var finished = false
        retention.run { finished = true }
        XCTAssertTrue(finished)
        XCTAssertEqual(retention.messagesPruned, 7, "five messages and the two TOPIC rows, in batches of 2: 2, 2, 2, 1")
        XCTAssertEqual(try texts(net.storage!, "#keep"), ["new"])
        XCTAssertEqual(retention.topicsPruned, 1)
        XCTAssertEqual(Set(try net.storage!.topics().keys), ["#keep"], "#keep has members")

        alice.send("JOIN #gone")
        XCTAssertFalse(alice.lines().contains { $0.contains("Once upon a time") }, "the topic is forgotten in memory too")
    }

    func testRetentionIsOffByDefaultAndAStepLeavesTheWriterBetweenBatches() throws {
        XCTAssertEqual(ServerConfig().history.maxAgeDays, 0)
        XCTAssertEqual(ServerConfig().history.maxMessagesPerTarget, 0)
        XCTAssertEqual(ServerConfig().history.topicRetentionDays, 0)
        let net = TestNet.withStorage { $0.history.maxMessagesPerTarget = 1 }
        let server = net.server
        net.writer.deferred = true
        let retention = HistoryRetention(
            services: server.services!, clock: net.clock, logger: server.logger, batchLimit: 2,
            settings: { server.config.history }, openChannels: { [] }, topicDropped: { _, _ in })
        try net.storage!.insertMessages((1...6).map { message(Int64($0)) })
        retention.run()
        retention.run()  // one run at a time
        XCTAssertEqual(net.writer.pendingCount, 1, "one bounded step queued")
        net.writer.runWork()
        net.writer.runCompletions()
        XCTAssertEqual(net.writer.pendingCount, 1, "the next step is queued behind whatever came meanwhile")
        net.writer.runPending()
        XCTAssertFalse(retention.running)
        XCTAssertEqual(try texts(net.storage!, "#a"), ["text 6"])
    }
}

extension HistoryRetentionTests {
    func testTheSequenceContinuesWhenRetentionDeletedEverything() throws {
        let storage = try ChatStorage()
        XCTAssertEqual(try storage.lastMessageSeq(), 0)
        XCTAssertEqual(try storage.pruneMessages(olderThanMillis: 1, limit: 100), 0, "an empty table is fine")
        XCTAssertEqual(try storage.pruneMessages(keepingNewest: 1, limit: 100), 0)
        XCTAssertEqual(try storage.lastMessageSeq(), 0)
        try storage.insertMessages((1...5).map { message(Int64($0), time: 0) })
        XCTAssertEqual(try storage.pruneMessages(olderThanMillis: 1, limit: 100), 5)
        XCTAssertEqual(try storage.lastMessageSeq(), 5, "a restart must not hand out 1 again")
        try storage.insertMessages([message(6, time: 2), message(7, channel: "#b", time: 2)])
        XCTAssertEqual(try storage.pruneMessages(keepingNewest: 0, limit: 100), 2)
        XCTAssertEqual(try storage.lastMessageSeq(), 7)
    }
}

extension HistoryRetentionTests {
    func testTheNewKeysAreReadAndChecked() throws {
        let config = try ConfigLoader.parse(Data(#"""
            {"shutdownTimeoutSeconds": 5,
             "history": {"maxAgeDays": 30, "maxMessagesPerTarget": 5000, "topicRetentionDays": 90}}
            """#.utf8), file: "test.json")
        XCTAssertEqual(config.shutdownTimeoutSeconds, 5)
        XCTAssertEqual(config.history.maxAgeDays, 30)
        XCTAssertEqual(config.history.maxMessagesPerTarget, 5000)
        XCTAssertEqual(config.history.topicRetentionDays, 90)
        XCTAssertEqual(ServerConfig().shutdownTimeoutSeconds, 30)
        for bad in [#"{"shutdownTimeoutSeconds": -1}"#, #"{"history": {"maxAgeDays": -1}}"#,
                    #"{"history": {"maxMessagesPerTarget": -1}}"#, #"{"history": {"topicRetentionDays": -1}}"#] {
            XCTAssertThrowsError(try ConfigLoader.parse(Data(bad.utf8), file: "test.json"), bad)
        }
    }
}
