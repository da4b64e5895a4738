import ChatClient
import ChatServer
import Foundation
import XCTest

/// The client side of issue #11's FILE lines, fed the exact server lines the
/// issue specifies (the server side has not landed; see the README).
final class FileProtocolTests: XCTestCase {
    func m(_ line: String) -> IRCMessage { try! IRCMessage(parsing: line) }
    let hashOfHello = SHA256.hex(of: Array("hello\n".utf8))

    func testParsesEveryServerLineAndRejectsMalformedOnes() {
        XCTAssertEqual(FileLine(m(":srv FILE READY u1 300")), .ready(uploadID: "u1", maxChunkBytes: 300))
        XCTAssertEqual(FileLine(m(":srv FILE STORED 17 notes.txt 6 \(hashOfHello)")),
                       .stored(fileID: "17", name: "notes.txt", size: 6, sha256: hashOfHello))
        XCTAssertEqual(FileLine(m(":srv FILE DATA 17 :aGVsbG8K")), .data(fileID: "17", base64: "aGVsbG8K"))
        XCTAssertEqual(FileLine(m(":srv FILE DONE 17")), .done(fileID: "17"))
        XCTAssertEqual(FileLine(m(":srv FILE ENTRY 17 notes.txt 6 \(hashOfHello) alice 2026-11-21T14:05:00.000Z")),
                       .entry(FileEntry(id: "17", name: "notes.txt", size: 6, sha256: hashOfHello, uploader: "alice", time: "2026-11-21T14:05:00.000Z")))
        XCTAssertEqual(FileLine(m(":srv FILE END LIST")), .endList)
        XCTAssertEqual(FileLine(m(":srv FAIL FILE NO_SUCH_FILE 99 :No such file")), .fail(code: "NO_SUCH_FILE", context: "99", text: "No such file"))
        XCTAssertNil(FileLine(m(":srv FILE READY u1 -5")))
        XCTAssertNil(FileLine(m(":srv FILE STORED 17 notes.txt 6 nothex")))
        XCTAssertNil(FileLine(m(":srv FILE BEGIN 17 notes.txt")))
        XCTAssertNil(FileLine(m(":srv FAIL SCORES X :y")))
    }

    func testUploadSendsChunksOnlyWhileWritable() {
        var sent: [String] = []
        // The send queue takes one chunk, then reports itself full.
        var room = 1
        let bytes = Array(String(repeating: "abcdefghij", count: 70).utf8)  // 700 bytes
        let upload = FileUpload(target: "#c", name: "t.txt", bytes: bytes,
                                send: { m in
                                    sent.append(m.line)
                                    if m.params.first == "CHUNK" { room -= 1 }
                                    return true
                                },
                                isWritable: { room > 0 })
        var finished: FileUpload.State?
        upload.onFinish = { finished = $0 }
        upload.start()
        XCTAssertEqual(sent, ["FILE UPLOAD #c t.txt 700 \(SHA256.hex(of: bytes))"])
        upload.receive(FileLine(m(":srv FILE READY up7 250"))!)
        XCTAssertEqual(sent.count, 2, "one chunk, then the queue is full")
        upload.resume()
        XCTAssertEqual(sent.count, 2, "nothing more is queued while the connection is not writable")
        room = 10
        upload.resume()
        XCTAssertEqual(sent.count, 5)  // two more chunks (250 + 200), then END
        XCTAssertEqual(sent.last, "FILE END up7")
        let chunks = sent[1..<4].map { Data(base64Encoded: String($0.split(separator: " ")[3]))! }
        XCTAssertEqual(chunks.map(\.count), [250, 250, 200])
        XCTAssertEqual(Array(chunks.reduce(Data(), +)), bytes)
        XCTAssertNil(finished)
        upload.receive(FileLine(m(":srv FILE STORED 17 t.txt 700 \(SHA256.hex(of: bytes))"))!)
        XCTAssertEqual(finished, .stored(fileID: "17"))
    }

    func testUploadFailure() {
        let upload = FileUpload(target: "nobody", name: "t.txt", bytes: [65], send: { _ in true }, isWritable: { true })
        var finished: FileUpload.State?
        upload.onFinish = { finished = $0 }
        upload.start()
        upload.receive(FileLine(m(":srv FAIL FILE NO_SUCH_TARGET nobody :No such nick or channel"))!)
        XCTAssertEqual(finished, .failed(.notFound("No such nick or channel")))
    }

    func testDownloadChecksSizeAndHash() {
        let download = FileDownload(fileID: "17")
        var finished: FileDownload.State?
        download.onFinish = { finished = $0 }
        XCTAssertEqual(download.request.line, "FILE GET 17")
        download.receive(FileLine(m(":srv FILE BEGIN 17 notes.txt 6 \(hashOfHello)"))!)
        download.receive(FileLine(m(":srv FILE DATA 17 :aGVs"))!)      // "hel"
        download.receive(FileLine(m(":srv FILE DATA 17 :bG8K"))!)      // "lo\n"
        download.receive(FileLine(m(":srv FILE DONE 17"))!)
        XCTAssertEqual(finished, .done(name: "notes.txt", bytes: Array("hello\n".utf8)))

        let bad = FileDownload(fileID: "18")
        bad.onFinish = { finished = $0 }
        bad.receive(FileLine(m(":srv FILE BEGIN 18 n.txt 6 \(hashOfHello)"))!)
        bad.receive(FileLine(m(":srv FILE DATA 18 :aGVsbG8h"))!)      // "hello!"
        bad.receive(FileLine(m(":srv FILE DONE 18"))!)
        guard case .failed(.corrupt)? = finished else { return XCTFail("a wrong hash must fail: \(String(describing: finished))") }

        let long = FileDownload(fileID: "19")
        long.onFinish = { finished = $0 }
        long.receive(FileLine(m(":srv FILE BEGIN 19 n.txt 2 \(hashOfHello)"))!)
        long.receive(FileLine(m(":srv FILE DATA 19 :aGVsbG8K"))!)
        guard case .failed(.corrupt)? = finished else { return XCTFail("more than announced must fail") }

        let missing = FileDownload(fileID: "20")
        missing.onFinish = { finished = $0 }
        missing.receive(FileLine(m(":srv FAIL FILE NO_SUCH_FILE 20 :No such file"))!)
        XCTAssertEqual(finished, .failed(.notFound("file 20: No such file")))
        XCTAssertFalse(FileDownload(fileID: "21").receive(FileLine(m(":srv FILE DONE 22"))!), "another file's line is not taken")
    }
}
