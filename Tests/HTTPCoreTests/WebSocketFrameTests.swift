import XCTest
@testable import HTTPCore

/// Frames, messages and the handshake: RFC 6455's own examples and every refusal.
final class WebSocketFrameTests: XCTestCase {
    func parse(_ bytes: [UInt8], max: Int = 1000, rule: WebSocketFrameParser.MaskRule = .required) -> WebSocketFrameParser.Outcome {
        bytes.withUnsafeBytes { WebSocketFrameParser(maxPayload: max, maskRule: rule).parse($0) }
    }

    func code(_ bytes: [UInt8], max: Int = 1000, rule: WebSocketFrameParser.MaskRule = .required) -> UInt16? {
        if case .failure(let e) = parse(bytes, max: max, rule: rule) { return e.code.value }
        return nil
    }

    let rfcMaskedHello: [UInt8] = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]

    func testRFCExampleMaskedHello() {
        XCTAssertEqual(parse(rfcMaskedHello), .frame(WebSocketFrame(opcode: .text, payload: Array("Hello".utf8)), consumed: 11))
    }

    func testIncompleteAtEveryCut() {
        for cut in 0..<rfcMaskedHello.count {
            XCTAssertEqual(parse(Array(rfcMaskedHello[..<cut])), .incomplete, "cut \(cut)")
        }
    }

    func testWriterRoundTripsEveryLengthForm() {
        for n in [0, 1, 125, 126, 127, 65535, 65536, 70000] {
            let payload = (0..<n).map { UInt8($0 % 256) }
            let masked = WebSocketFrameWriter.frame(.binary, payload, mask: [1, 2, 3, 4])
            XCTAssertEqual(parse(masked, max: 100_000), .frame(WebSocketFrame(opcode: .binary, payload: payload), consumed: masked.count), "length \(n)")
            let plain = WebSocketFrameWriter.frame(.binary, payload)
            XCTAssertEqual(parse(plain, max: 100_000, rule: .forbidden), .frame(WebSocketFrame(opcode: .binary, payload: payload), consumed: plain.count))
        }
    }

    func testRefusals() {
        XCTAssertEqual(code([0x81, 0x05] + Array("Hello".utf8)), 1002, "unmasked from a client")
        XCTAssertEqual(code(rfcMaskedHello, rule: .forbidden), 1002, "masked from a server")
        XCTAssertEqual(code([0xC1, 0x80, 0, 0, 0, 0]), 1002, "RSV1")
        XCTAssertEqual(code([0x83, 0x80, 0, 0, 0, 0]), 1002, "reserved opcode")
        XCTAssertEqual(code([0x09, 0x80, 0, 0, 0, 0]), 1002, "fragmented ping")
        XCTAssertEqual(code([0x89, 0xFE, 0x00, 0x7E]), 1002, "ping over 125 bytes")
        XCTAssertEqual(code([0x82, 0xFE, 0x00, 0x05]), 1002, "16-bit length for 5 bytes")
        XCTAssertEqual(code([0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0x01, 0x00]), 1002, "64-bit length for 256 bytes")
        XCTAssertEqual(code([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0]), 1002, "64-bit length with its top bit")
        XCTAssertEqual(code([0x82, 0xFE, 0x03, 0xE9], max: 1000), 1009, "over the limit, refused from the header alone")
    }

    func testAssemblerJoinsFragmentsAndChecksThem() throws {
        var a = WebSocketMessageAssembler(maxMessage: 10)
        XCTAssertEqual(try a.push(WebSocketFrame(fin: false, opcode: .text, payload: Array("PRIV".utf8))), .partial)
        XCTAssertEqual(try a.push(WebSocketFrame(opcode: .ping, payload: [1])), .ping([1]), "control frames may come between fragments")
        XCTAssertEqual(try a.push(WebSocketFrame(fin: true, opcode: .continuation, payload: Array("MSG".utf8))), .message(.text, Array("PRIVMSG".utf8)))
        XCTAssertThrowsError(try a.push(WebSocketFrame(opcode: .continuation, payload: []))) { XCTAssertEqual(($0 as? WebSocketProtocolError)?.code, .protocolError) }
        var b = WebSocketMessageAssembler(maxMessage: 10)
        _ = try b.push(WebSocketFrame(fin: false, opcode: .binary, payload: Array(repeating: 1, count: 8)))
        XCTAssertThrowsError(try b.push(WebSocketFrame(fin: false, opcode: .text, payload: []))) { XCTAssertEqual(($0 as? WebSocketProtocolError)?.code, .protocolError) }
        var c = WebSocketMessageAssembler(maxMessage: 10)
        _ = try c.push(WebSocketFrame(fin: false, opcode: .binary, payload: Array(repeating: 1, count: 8)))
        XCTAssertThrowsError(try c.push(WebSocketFrame(fin: true, opcode: .continuation, payload: [1, 2, 3]))) { XCTAssertEqual(($0 as? WebSocketProtocolError)?.code, .messageTooBig) }
        var d = WebSocketMessageAssembler(maxMessage: 10)
        XCTAssertThrowsError(try d.push(WebSocketFrame(opcode: .text, payload: [0xC3, 0x28]))) { XCTAssertEqual(($0 as? WebSocketProtocolError)?.code, .invalidPayload) }
        XCTAssertEqual(try d.push(WebSocketFrame(opcode: .binary, payload: [0xC3, 0x28])), .message(.binary, [0xC3, 0x28]), "binary may be anything")
    }

    func testCloseFrames() throws {
        var a = WebSocketMessageAssembler(maxMessage: 10)
        XCTAssertEqual(try a.push(WebSocketFrame(opcode: .close, payload: [])), .close(nil, ""))
        XCTAssertEqual(try a.push(WebSocketFrame(opcode: .close, payload: [0x03, 0xE8] + Array("bye".utf8))), .close(1000, "bye"))
        XCTAssertThrowsError(try a.push(WebSocketFrame(opcode: .close, payload: [0x03])))
        XCTAssertThrowsError(try a.push(WebSocketFrame(opcode: .close, payload: [0x03, 0xED])), "1005 must not be sent")
        let long = WebSocketFrameWriter.close(.normal, reason: String(repeating: "é", count: 100))
        XCTAssertLessThanOrEqual(long.count, 2 + 125)
        XCTAssertNotNil(String(validating: long[4...], as: UTF8.self), "cut at a character boundary")
    }

    func testHandshakeAcceptValueFromRFC() {
        XCTAssertEqual(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    func head(_ fields: [(String, String)], version: HTTPVersion = .http11) -> HTTPRequestHead {
        HTTPRequestHead(method: "GET", target: "/irc", version: version, headers: HTTPHeaders(fields))
    }

    let good: [(String, String)] = [("Host", "h"), ("Upgrade", "websocket"), ("Connection", "keep-alive, Upgrade"),
                                    ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")]

    func testHandshakeChecks() {
        let supported = ["binary.ircv3.net", "text.ircv3.net"]
        guard case .success(let ok) = WebSocketHandshake.check(head(good + [("Sec-WebSocket-Protocol", "text.ircv3.net, binary.ircv3.net")]), supported: supported) else {
            return XCTFail("refused")
        }
        XCTAssertEqual(ok.subprotocol, "text.ircv3.net", "the client's order of preference")
        guard case .success(let none) = WebSocketHandshake.check(head(good + [("Sec-WebSocket-Protocol", "chat")]), supported: supported) else { return XCTFail() }
        XCTAssertNil(none.subprotocol)
        func status(_ fields: [(String, String)], version: HTTPVersion = .http11) -> Int? {
            if case .failure(let r) = WebSocketHandshake.check(head(fields, version: version), supported: supported) { return r.status.code }
            return nil
        }
        XCTAssertEqual(status(good.filter { $0.0 != "Sec-WebSocket-Key" }), 400)
        XCTAssertEqual(status(good.map { $0.0 == "Sec-WebSocket-Key" ? ($0.0, "short") : $0 }), 400)
        XCTAssertEqual(status(good.map { $0.0 == "Sec-WebSocket-Version" ? ($0.0, "8") : $0 }), 426)
        XCTAssertEqual(status(good.filter { $0.0 != "Upgrade" }), 426)
        XCTAssertEqual(status(good.filter { $0.0 != "Connection" }), 400)
        XCTAssertEqual(status(good, version: .http10), 400)
    }

    func testBase64() {
        XCTAssertEqual(WebSocketBase64.encode(Array("foobar".utf8)), "Zm9vYmFy")
        XCTAssertEqual(WebSocketBase64.encode(Array("fooba".utf8)), "Zm9vYmE=")
        XCTAssertEqual(WebSocketBase64.encode(Array("foob".utf8)), "Zm9vYg==")
        XCTAssertTrue(WebSocketBase64.isSixteenByteValue("AAAAAAAAAAAAAAAAAAAAAA=="))
        XCTAssertFalse(WebSocketBase64.isSixteenByteValue("AAAAAAAAAAAAAAAAAAAAAB=="), "non-zero padding bits")
    }
}
