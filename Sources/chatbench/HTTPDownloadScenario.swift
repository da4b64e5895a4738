import BenchKit
import ChatServer
import CoreLoop
import Foundation

/// `http-download`: file downloads over HTTP from chatd's file host
/// (`GET /files/<id>/<name>`). Set-up over IRC (`ircAddress`): the account
/// `dlbench` is registered (or, if it exists, logged in to with SASL
/// PLAIN), joins `#bench-dl`, uploads a text file of `fileBytes` there with
/// `FILE UPLOAD`, and asks for a `FILE TOKEN`. Then `clients` keep-alive
/// connections to the HTTP listener (the harness's address) GET the file
/// over and over for `duration` seconds, authorized with HTTP Basic
/// `dlbench:<token>`; with `ranges`, each request asks for a random byte
/// range instead (206). Every response is checked: status, length,
/// `Content-Range`, and every byte against the uploaded file.
///
/// Reports `downloadMBps` (body bytes over the measured window),
/// `requestsPerSecond`, `requestP50Millis`/`requestP99Millis` (request
/// written to last byte read), and `MBPerServerCPUSecond`. Requests still
/// in flight when the window ends are awaited (at most 5 s) and checked,
/// not counted.
///
/// Thread-safety: loop thread only.
final class HTTPDownloadScenario {
    static let account = "dlbench"
    static let password = "bench-download-password"
    static let channel = "#bench-dl"

    let harness: BenchHarness
    let ircAddress: SocketAddress
    let clients: Int, fileBytes: Int, duration: Double, ranges: Bool
    private var owner: BenchClient?
    private var loggedIn = false
    private var content: [UInt8] = []
    private var fileID = ""
    private var uploadStartNanos: UInt64 = 0
    private var downloaders: [HTTPDownloadClient] = []
    private var requestHead = ""
    private var path = ""
    private var latency = LatencyRecorder()
    private var requests = 0, bytes = 0
    private var measuring = false, running = false, ended = false
    /// xorshift64 state for the ranges: cheap and repeatable per run.
    private var rangeState: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(harness: BenchHarness, ircAddress: SocketAddress, clients: Int, fileBytes: Int, duration: Double, ranges: Bool) {
        self.harness = harness
        self.ircAddress = ircAddress
        self.clients = clients
        self.fileBytes = fileBytes
        self.duration = duration
        self.ranges = ranges
    }

    func start() {
        let owner = BenchClient(id: 0, nick: Self.account)
        self.owner = owner
        // SASL first: once the account exists its nick is protected, and
        // registration waits for CAP END, sent when SASL has answered.
        owner.onRegistered = { [self] c in c.send(loggedIn ? "JOIN \(Self.channel)" : "REGISTER * * :\(Self.password)") }
        owner.onLine = { [self] c, line in ownerLine(c, line) }
        owner.onNumeric = { [self] c, code in
            if code == 366 { upload(c) }
        }
        owner.onClose = { [self] c, reason in
            guard !ended else { return }
            harness.report.disconnects += 1
            failRun("the IRC connection holding the token closed: \(reason)")
        }
        owner.connect(loop: harness.loop, to: ircAddress, preamble: ["CAP REQ :sasl", "AUTHENTICATE PLAIN"]) { [self] error in
            harness.report.errors += 1
            failRun("IRC connect failed: \(error)")
        }
    }

    private func failRun(_ why: String) {
        harness.report.notes.append(why)
        harness.finish(failedIf: true)
    }

    private func ownerLine(_ c: BenchClient, _ line: String) {
        let words = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        if line == "AUTHENTICATE +" {
            let plain = Data("\0\(Self.account)\0\(Self.password)".utf8).base64EncodedString()
            return c.send("AUTHENTICATE \(plain)")
        }
        guard words.count >= 3 else { return harness.countErrors(line) }
        switch (words[1], words[2]) {
        case ("903", _):
            loggedIn = true
            c.send("CAP END")
        case ("904", _):
            // No such account yet (a fresh data folder): register once connected.
            c.send("CAP END")
        case ("REGISTER", "SUCCESS"):
            c.send("JOIN \(Self.channel)")
        case ("FAIL", _), ("902", _), ("905", _):
            harness.report.errors += 1
            failRun(line)
        case ("FILE", "READY"):
            // FILE READY <upload-id> <max-chunk-bytes>: the whole file goes out at once.
            guard words.count >= 5, let max = Int(words[4]), max > 0 else { return failRun(line) }
            let id = String(words[3])
            var offset = 0
            while offset < content.count {
                let end = min(offset + max, content.count)
                c.send("FILE CHUNK \(id) :" + Base64.encode(Array(content[offset..<end])))
                offset = end
            }
            c.send("FILE END \(id)")
        case ("FILE", "STORED"):
            guard words.count >= 4 else { return failRun(line) }
            fileID = String(words[3])
            let seconds = Double(MonotonicClock.nanoseconds() &- uploadStartNanos) / 1e9
            harness.report.metrics["uploadMBps"] = Double(content.count) / 1e6 / seconds
            c.send("FILE TOKEN")
        case ("FILE", "TOKEN"):
            guard words.count >= 4 else { return failRun(line) }
            let basic = Data("\(Self.account):\(words[3])".utf8).base64EncodedString()
            requestHead = "Host: \(harness.httpHost)\r\nAuthorization: Basic \(basic)\r\n"
            path = "/files/\(fileID)/bench.txt"
            connectDownloaders()
        default:
            // Any error during set-up ends the run at once (it would never start).
            let before = harness.report.errors
            harness.countErrors(line)
            if harness.report.errors > before { failRun("set-up: \(line)") }
        }
    }

    private func upload(_ c: BenchClient) {
        content = BenchFileText.make(bytes: fileBytes)
        uploadStartNanos = MonotonicClock.nanoseconds()
        c.send("FILE UPLOAD \(Self.channel) bench.txt \(content.count) \(SHA256.hex(of: content))")
    }

    private func connectDownloaders() {
        var connected = 0
        for i in 0..<clients {
            let d = HTTPDownloadClient(id: i, expected: content)
            downloaders.append(d)
            d.onBytes = { [self] n in if measuring { bytes += n } }
            d.onResponse = { [self] d, _, nanos in
                if measuring {
                    requests += 1
                    latency.record(nanos)
                }
                if running { request(d) }
            }
            d.onFailure = { [self] _, why in
                harness.report.errors += 1
                failRun("download \(i): \(why)")
            }
            d.onClose = { [self] _, reason in
                guard !ended else { return }
                harness.report.disconnects += 1
                failRun("download connection \(i) closed: \(reason)")
            }
            d.connect(loop: harness.loop, to: harness.address, connected: { [self] _ in
                connected += 1
                if connected == clients { begin() }
            }, failed: { [self] error in
                harness.report.errors += 1
                failRun("HTTP connect failed: \(error)")
            })
        }
    }

    private func begin() {
        harness.startMeasuring()
        measuring = true
        running = true
        for d in downloaders { request(d) }
        harness.loop.schedule(after: .milliseconds(UInt64(duration * 1000))) { [self] in end() }
    }

    private func request(_ d: HTTPDownloadClient) {
        d.get(path, head: requestHead, range: ranges ? nextRange() : nil)
    }

    /// A random range within the file, `first...last`.
    private func nextRange() -> ClosedRange<Int> {
        func next() -> Int {
            rangeState ^= rangeState << 13
            rangeState ^= rangeState >> 7
            rangeState ^= rangeState << 17
            return Int(rangeState % UInt64(content.count))
        }
        let a = next(), b = next()
        return min(a, b)...max(a, b)
    }

    /// Stops measuring and asking, then waits (at most 5 s) for the responses
    /// still in flight, so a wrong byte near the end is seen too.
    private func end() {
        running = false
        measuring = false
        harness.finishMeasuring()
        var waited = 0
        _ = harness.loop.scheduleRepeating(every: .milliseconds(10)) { [self] in
            waited += 10
            if downloaders.allSatisfy(\.isIdle) {
                report(broken: false)
            } else if waited >= 5000 {
                harness.report.notes.append("responses still in flight 5 s after the window")
                report(broken: true)
            }
        }
    }

    private func report(broken: Bool) {
        guard !ended else { return }
        ended = true
        harness.recordPerServerCPUSecond(Double(bytes) / 1e6, as: "MBPerServerCPUSecond")
        var r = harness.report
        r.metrics["downloadMBps"] = harness.perMeasuredSecond(bytes) / 1e6
        r.metrics["requestsPerSecond"] = harness.perMeasuredSecond(requests)
        r.metrics["requestsCompleted"] = Double(requests)
        r.metrics["requestP50Millis"] = latency.percentileMillis(50)
        r.metrics["requestP99Millis"] = latency.percentileMillis(99)
        r.metrics["clients"] = Double(clients)
        r.metrics["fileBytes"] = Double(content.count)
        if ranges { r.notes.append("random byte ranges") }
        harness.report = r
        harness.finish(failedIf: broken || requests == 0)
    }
}
