import BenchKit
import ChatServer
import CoreLoop

/// `file`: chat latency while clients download a file (chatd's FILE
/// extension). One of `downloaders` clients in `#bench-files` uploads a text
/// file of `fileBytes` (timed until `FILE STORED`: hashing, checking, the
/// durable write and the insert included); then the latency scenario runs in
/// `#latency` and, during its measured window, every downloader fetches the
/// file with `FILE GET` over and over. The report is the latency scenario's
/// (p50/p99/…) plus `uploadMBps`, `downloadsCompleted` and `downloadMBps`.
/// With 0 downloaders it is the plain latency scenario (the quiet baseline).
///
/// The server must accept uploads without an account (`files.requireAccount`
/// false, as `bench/chatd.json` sets).
///
/// Thread-safety: loop thread only.
final class FileScenario: RawLineSink {
    let harness: BenchHarness
    let latency: LatencyScenario
    let downloaders: Int
    let fileBytes: Int
    private var clients: [BenchClient] = []
    private var content: [UInt8] = []
    private var fileID = ""
    private var uploadStartNanos: UInt64 = 0
    private var downloads = 0
    private var bytesDownloaded = 0
    private var downloading = false

    init(harness: BenchHarness, latency: LatencyScenario, downloaders: Int, fileBytes: Int) {
        self.harness = harness
        self.latency = latency
        self.downloaders = downloaders
        self.fileBytes = fileBytes
    }

    func start() {
        guard downloaders > 0 else { return latency.start() }
        harness.connectMany(downloaders, prefix: "fdl") { [self] all in
            clients = all
            var joined = 0
            for client in all {
                client.onLine = { [self] c, line in receive(c, line) }
                client.rawLineSink = .passUnretained(self)
                client.onNumeric = { [self] _, code in
                    guard code == 366 else { return }
                    joined += 1
                    if joined == all.count { upload() }
                }
                client.send("JOIN #bench-files")
            }
        }
    }

    /// Numbered lines, so the file is text and its chunks differ.
    private func upload() {
        content = BenchFileText.make(bytes: fileBytes)
        uploadStartNanos = MonotonicClock.nanoseconds()
        clients[0].send("FILE UPLOAD #bench-files bench.txt \(content.count) \(SHA256.hex(of: content))")
    }

    private func receive(_ client: BenchClient, _ line: String) {
        let words = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: true)
        guard words.count >= 4, words[1] == "FILE" else {
            if words.count >= 2 && words[1] == "FAIL" {
                harness.report.errors += 1
                harness.report.notes.append(line)
                return harness.finish(failedIf: true)
            }
            return harness.countErrors(line)
        }
        switch words[2] {
        case "READY":
            // FILE READY <upload-id> <max-chunk-bytes>: the whole file goes out at once
            // (the generator's send queue is unbounded).
            guard words.count >= 5, let max = Int(words[4]) else { return }
            let id = String(words[3])
            var offset = 0
            while offset < content.count {
                let end = min(offset + max, content.count)
                client.send("FILE CHUNK \(id) :" + Base64.encode(Array(content[offset..<end])))
                offset = end
            }
            client.send("FILE END \(id)")
        case "STORED":
            fileID = String(words[3])
            let seconds = Double(MonotonicClock.nanoseconds() &- uploadStartNanos) / 1e9
            harness.report.metrics["uploadMBps"] = Double(content.count) / 1e6 / seconds
            latency.duringRun = { [self] in
                downloading = true
                for c in clients { c.send("FILE GET \(fileID)") }
            }
            latency.start()
        case "DONE":
            downloads += 1
            if downloading { client.send("FILE GET \(fileID)") }
        default:
            break
        }
    }

    /// `:source FILE DATA <id> :<base64>`, counted from the bytes: the
    /// decoded size without decoding, and no String per line. Twenty
    /// downloads are ~100,000 such lines a second; made into Strings and
    /// split, they filled the generator's core, and the chat lines it times
    /// on the same thread waited behind them (the p99 was partly its own).
    /// False for any other line, which then takes the ordinary path.
    override func take(_ raw: UnsafeRawBufferPointer, from client: BenchClient) -> Bool {
        guard let space = raw.firstIndex(of: 0x20) else { return false }
        let rest = UnsafeRawBufferPointer(rebasing: raw[(space + 1)...])
        guard rest.starts(with: "FILE DATA ".utf8), let colon = rest.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let b64 = rest[(colon + 1)...]
        var padding = 0
        var end = b64.endIndex
        while padding < 2 && end > b64.startIndex && rest[end - 1] == UInt8(ascii: "=") {
            padding += 1
            end -= 1
        }
        bytesDownloaded += b64.count / 4 * 3 - padding
        return true
    }

    /// After the run: the download figures over the measured window.
    func addFigures() {
        downloading = false
        guard downloaders > 0 else { return }
        harness.report.metrics["downloaders"] = Double(downloaders)
        harness.report.metrics["downloadsCompleted"] = Double(downloads)
        harness.report.metrics["downloadMBps"] = harness.perMeasuredSecond(bytesDownloaded) / 1e6
    }
}
