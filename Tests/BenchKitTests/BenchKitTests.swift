@testable import BenchKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class BenchKitTests: XCTestCase {
    func testPayloadRoundTripsAndHasTheAskedSize() {
        func parse(_ text: String) -> BenchPayload? {
            var text = text
            return text.withUTF8 { BenchPayload(bytes: UnsafeRawBufferPointer($0)) }
        }
        let p = BenchPayload(sender: 7, seq: 42, stampNanos: 123_456_789)
        let text = p.text(size: 100)
        XCTAssertEqual(text.utf8.count, 100)
        XCTAssertEqual(parse(text), p)
        XCTAssertNil(parse("hello world"))
        XCTAssertNil(parse("B x 1 2"))
    }

    func testPayloadIsReadFromThePRIVMSGBytes() {
        let p = BenchPayload(sender: 3, seq: 99, stampNanos: 1_234_567_890_123)
        func parse(_ line: String) -> BenchPayload? {
            var line = line
            return line.withUTF8 { BenchLine.payload(UnsafeRawBufferPointer($0)) }
        }
        XCTAssertEqual(parse(":fan3!~fan3@127.0.0.1 PRIVMSG #fanout :" + p.text(size: 100)), p)
        XCTAssertEqual(parse("@time=2026-11-21T00:00:00.000Z :a!b@c PRIVMSG #x :" + p.text(size: 10)), p, "tags and a short payload")
        XCTAssertEqual(parse("PRIVMSG #x :B 1 2 3"), BenchPayload(sender: 1, seq: 2, stampNanos: 3), "no prefix, nothing after the stamp")
        XCTAssertNil(parse(":srv 366 me #fanout :End of /NAMES list"), "a numeric")
        XCTAssertNil(parse(":a!b@c NOTICE #x :B 1 2 3"), "another command")
        XCTAssertNil(parse(":a!b@c PRIVMSGX #x :B 1 2 3"))
        XCTAssertNil(parse(":a!b@c PRIVMSG #x B 1 2 3"), "not a trailing parameter")
        XCTAssertNil(parse(":a!b@c PRIVMSG #x :B 1 x 3"))
        XCTAssertNil(parse(":a!b@c PRIVMSG #x :B 1 99999999999999999999999 3"), "overflow")
        XCTAssertNil(parse(":a!b@c PRIVMSG #x :366 is just a number"))
        XCTAssertNil(parse(":a!b@c PRIVMSG"))
        XCTAssertNil(parse(""))
    }

    func testSequenceReadsOnlySenderAndNumber() {
        func sequence(_ line: String) -> [UInt64]? {
            var line = line
            return line.withUTF8 { BenchLine.sequence(UnsafeRawBufferPointer($0)).map { [UInt64($0.sender), $0.seq] } }
        }
        let p = BenchPayload(sender: 12, seq: 345, stampNanos: 9_876_543_210)
        XCTAssertEqual(sequence(":fan3!~fan3@127.0.0.1 PRIVMSG #fanout :" + p.text(size: 100)), [12, 345])
        XCTAssertEqual(sequence("@a=b :x!y@z PRIVMSG #x :B 0 0 x"), [0, 0], "the stamp is not read")
        XCTAssertNil(sequence(":a!b@c PRIVMSG #x :B 1"), "no sequence number")
        XCTAssertNil(sequence(":a!b@c PRIVMSG #x :B 1x 2 3"))
        XCTAssertNil(sequence(":a!b@c NOTICE #x :B 1 2 3"))
        XCTAssertNil(sequence(":a!b@c PRIVMSG #x"))
        XCTAssertNil(sequence(":onlyprefix"))
    }

    func testNumericCodesAreReadFromTheBytes() {
        func code(_ line: String) -> Int? {
            var line = line
            return line.withUTF8 { BenchLine.numeric(UnsafeRawBufferPointer($0)) }
        }
        XCTAssertEqual(code(":srv 366 me #c :End of /NAMES list"), 366)
        XCTAssertEqual(code(":srv 001 me :Welcome"), 1)
        XCTAssertEqual(code("@time=x :srv 433 * me :in use"), 433)
        XCTAssertEqual(code(":srv 005"), 5, "nothing after the code")
        XCTAssertNil(code(":me!u@h PRIVMSG #c :366 looks like a code"))
        XCTAssertNil(code(":srv 3660 me"), "four digits")
        XCTAssertNil(code(":srv 36x me"))
        XCTAssertNil(code("PING :srv"))
        XCTAssertNil(code(":srv"))
        XCTAssertNil(code(""))
    }

    func testProcessCPUReadsUserAndSystemTicks() {
        // pid (comm) state ppid … utime(14) stime(15): a comm with spaces and ')'.
        let stat = "4242 (chat d) x) S 1 4242 4242 0 -1 4194560 500 0 0 0 250 50 0 0 20 0 5 0 100 1000 200"
        XCTAssertEqual(ProcessCPU.parseStat(stat, ticksPerSecond: 100), 3.0)
        XCTAssertNil(ProcessCPU.parseStat("garbage", ticksPerSecond: 100))
        XCTAssertNotNil(ProcessCPU.seconds(pid: getpid()), "this process's own stat")
    }

    func testProcessMemoryReadsVmRSS() {
        let status = "Name:\tchatd\nState:\tS (sleeping)\nVmPeak:\t  300000 kB\nVmRSS:\t    1234 kB\nThreads:\t5\n"
        XCTAssertEqual(ProcessMemory.parseStatus(status), 1234 * 1024)
        XCTAssertNil(ProcessMemory.parseStatus("Name:\tchatd\nState:\tZ (zombie)\nThreads:\t1\n"), "a zombie has no VmRSS")
        XCTAssertNil(ProcessMemory.parseStatus("VmRSS:\t1234 MB\n"), "an unknown unit")
        XCTAssertNil(ProcessMemory.parseStatus("VmRSS:\n"))
        XCTAssertGreaterThan(ProcessMemory.residentBytes(pid: getpid()) ?? 0, 1 << 20, "this process's own")
        XCTAssertNil(ProcessMemory.residentBytes(pid: Int32.max), "no such process")
    }

    func testProcFilesAreReadToTheEnd() {
        // They report a size of 0; smaps runs to many kilobytes.
        let smaps = ProcFile.read("/proc/self/smaps")
        XCTAssertGreaterThan(smaps?.utf8.count ?? 0, 4096)
        XCTAssertNil(ProcFile.read("/proc/no-such-file"))
    }

    func testIdleFiguresNeedTheSecondMemoryReading() {
        var measured = BenchReport(scenario: "idle", target: "x")
        measured.recordMemoryGrowth(before: 10_000_000, after: 14_000_000, connections: 1000)
        measured.settle(broken: false)
        XCTAssertEqual(measured.metrics["bytesPerConnection"], 4000)
        XCTAssertFalse(measured.failed)

        var unread = BenchReport(scenario: "idle", target: "x")
        unread.recordMemoryGrowth(before: 10_000_000, after: nil, connections: 1000)
        unread.settle(broken: false)
        XCTAssertNil(unread.metrics["bytesPerConnection"], "no figure, rather than 0 bytes")
        XCTAssertTrue(unread.failed)
        XCTAssertEqual(unread.notes, ["the server's resident memory could not be read after connecting"])
    }

    func testAReportWithAnyLossErrorOrDisconnectIsFailed() {
        var clean = BenchReport(scenario: "fanout", target: "x")
        clean.settle(broken: false)
        XCTAssertFalse(clean.failed)
        for spoil in [{ (r: inout BenchReport) in r.errors = 1 }, { $0.disconnects = 1 }, { $0.gaps = 1 }, { $0.duplicates = 1 }] {
            var r = BenchReport(scenario: "fanout", target: "x")
            spoil(&r)
            r.settle(broken: false)
            XCTAssertTrue(r.failed)
        }
        var cut = BenchReport(scenario: "fanout", target: "x")
        cut.settle(broken: true)
        cut.settle(broken: false)
        XCTAssertTrue(cut.failed, "a failed run stays failed")
    }

    func testSequenceCheckerCountsGapsAndDuplicates() {
        var c = SequenceChecker()
        XCTAssertEqual(c.record(sender: 1, seq: 0), .inOrder)
        XCTAssertEqual(c.record(sender: 1, seq: 1), .inOrder)
        XCTAssertEqual(c.record(sender: 2, seq: 0), .inOrder)
        XCTAssertEqual(c.record(sender: 1, seq: 4), .gap(missing: 2))
        XCTAssertEqual(c.record(sender: 1, seq: 3), .duplicate)
        XCTAssertEqual(c.gaps, 2)
        XCTAssertEqual(c.duplicates, 1)
        XCTAssertFalse(c.isClean)
        XCTAssertEqual(c.missing(sender: 2, sent: 3), 2)
        XCTAssertEqual(c.missing(sender: 1, sent: 5), 0)
    }

    func testPercentilesAndBoundedMemory() {
        var r = LatencyRecorder(capacity: 1000)
        for i in 1...10_000 { r.record(UInt64(i) * 1_000_000) }  // 1…10000 ms
        XCTAssertEqual(r.count, 10_000)
        XCTAssertEqual(r.maxMillis, 10_000)
        XCTAssertEqual(r.percentileMillis(50), 5000, accuracy: 100)
        XCTAssertEqual(r.percentileMillis(99), 9900, accuracy: 100)
        var small = LatencyRecorder()
        for v: UInt64 in [5, 1, 3, 2, 4] { small.record(v * 1_000_000) }
        XCTAssertEqual(small.percentileMillis(50), 3)
        XCTAssertEqual(small.percentileMillis(100), 5)
        XCTAssertEqual(LatencyRecorder().percentileMillis(99), 0)
    }

    func testReportIsOneJSONLine() {
        var report = BenchReport(scenario: "fanout", target: "chatd")
        report.metrics["deliveriesPerSecond"] = 1234.5
        XCTAssertFalse(report.jsonLine.contains("\n"))
        XCTAssertTrue(report.jsonLine.contains("\"deliveriesPerSecond\":1234.5"))
    }

    func testNumericsAreMatchedOnTheCommandWordOnly() {
        XCTAssertTrue(IRCReply.isNumeric(":srv 366 me #c :End of /NAMES list", "366"))
        XCTAssertFalse(IRCReply.isNumeric(":a!b@c PRIVMSG #c :B 0 366 123 xx", "366"))
        XCTAssertFalse(IRCReply.isNumeric("PING :366", "366"))
    }
}
