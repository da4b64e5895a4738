import XCTest
@testable import HTTPCore

/// `ChunkedBodyDecoder`: every framing rule, every refusal with its status,
/// and the same result however the input is split.
final class ChunkedBodyDecoderTests: XCTestCase {
    /// The decoded body and how many input bytes the body took, or the refusal's status.
    enum Result: Equatable {
        case body([UInt8], consumed: Int)
        case incomplete([UInt8])
        case refused(Int)
    }

    /// Feeds `input` in pieces of the given sizes (the rest in one piece).
    func decode(_ input: [UInt8], pieces: [Int] = [], limits: HTTPLimits = HTTPLimits(), max: Int = 1 << 20) -> Result {
        var decoder = ChunkedBodyDecoder(limits: limits, maxBodyBytes: max)
        var body: [UInt8] = []
        var at = 0
        var cuts = pieces
        do {
            while at < input.count && !decoder.isComplete {
                let size = cuts.isEmpty ? input.count - at : Swift.min(cuts.removeFirst(), input.count - at)
                let used = try input[at..<(at + size)].withUnsafeBytes { try decoder.decode($0, into: &body) }
                XCTAssert(used <= size)
                at += used
                if used < size { break }  // it stopped at the body's end
            }
        } catch let error as HTTPParseError {
            return .refused(error.status.code)
        } catch {
            return .refused(-1)
        }
        return decoder.isComplete ? .body(body, consumed: at) : .incomplete(body)
    }

    func decode(_ text: String, limits: HTTPLimits = HTTPLimits(), max: Int = 1 << 20) -> Result {
        decode(Array(text.utf8), limits: limits, max: max)
    }

    func status(_ text: String, limits: HTTPLimits = HTTPLimits(), max: Int = 1 << 20) -> Int? {
        if case .refused(let code) = decode(text, limits: limits, max: max) { return code }
        return nil
    }

    func body(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testSimpleBodyStopsAfterTheLastChunk() {
        let framed = "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n"
        XCTAssertEqual(decode(framed + "GET / HTTP/1.1\r\n"), .body(body("hello, world"), consumed: framed.utf8.count))
    }

    func testEmptyBody() {
        XCTAssertEqual(decode("0\r\n\r\n"), .body([], consumed: 5))
        XCTAssertEqual(decode("000\r\n\r\nX"), .body([], consumed: 7), "leading zeros")
    }

    func testHexSizesInEitherCase() {
        let data = String(repeating: "z", count: 0xAb)
        XCTAssertEqual(decode("aB\r\n\(data)\r\n0\r\n\r\n"), .body(body(data), consumed: 4 + 0xAb + 2 + 5))
        XCTAssertEqual(decode("AB\r\n\(data)\r\n0\r\n\r\n"), .body(body(data), consumed: 4 + 0xAb + 2 + 5))
        let zeros = String(repeating: "0", count: 40) + "1\r\nq\r\n0\r\n\r\n"
        XCTAssertEqual(decode(zeros), .body(body("q"), consumed: zeros.utf8.count),
                       "many leading zeros are no overflow")
    }

    func testExtensionsAreIgnored() {
        let framed = "3;name=value\r\nabc\r\n2 ; quoted=\"a b;c\"\r\nde\r\n1;flag\t;x=y\r\nf\r\n0;last=1\r\n\r\n"
        XCTAssertEqual(decode(framed), .body(body("abcdef"), consumed: framed.utf8.count))
    }

    func testTrailersAreParsedAndDiscarded() {
        let framed = "3\r\nabc\r\n0\r\nDigest: sha-256=x\r\nX-Other:  y \r\n\r\n"
        XCTAssertEqual(decode(framed + "next"), .body(body("abc"), consumed: framed.utf8.count))
    }

    func testIncompleteAtEveryPrefix() {
        let framed = Array("3;e=1\r\nabc\r\n0\r\nT: v\r\n\r\n".utf8)
        for cut in 0..<framed.count {
            guard case .incomplete = decode(Array(framed[..<cut])) else { return XCTFail("cut at \(cut): \(decode(Array(framed[..<cut])))") }
        }
    }

    func testEverySplitDecodesTheSame() {
        let framed = Array("a;x=1\r\n0123456789\r\n1\r\n!\r\n0\r\nT: v\r\n\r\n".utf8)
        let rest = Array("GET / HTTP/1.1\r\n\r\n".utf8)
        let expected = Result.body(body("0123456789!"), consumed: framed.count)
        XCTAssertEqual(decode(framed + rest, pieces: Array(repeating: 1, count: framed.count + rest.count)), expected, "one byte at a time")
        for cut in 1..<framed.count {
            XCTAssertEqual(decode(framed + rest, pieces: [cut]), expected, "split at \(cut)")
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let pieces = (0..<20).map { _ in Int.random(in: 1...7, using: &rng) }
            XCTAssertEqual(decode(framed + rest, pieces: pieces), expected, "pieces \(pieces)")
        }
    }

    func testMalformedFramingIs400() {
        XCTAssertEqual(status("\r\n"), 400, "no size")
        XCTAssertEqual(status("x\r\n"), 400, "not hex")
        XCTAssertEqual(status("-1\r\n"), 400, "sign")
        XCTAssertEqual(status("0x5\r\nhello\r\n"), 400, "0x prefix")
        XCTAssertEqual(status(" 5\r\nhello\r\n"), 400, "space before size")
        XCTAssertEqual(status("5 \r\nhello\r\n"), 400, "space after size without extension")
        XCTAssertEqual(status("5\nhello\r\n"), 400, "bare LF after size")
        XCTAssertEqual(status("5\rhello\r\n"), 400, "CR without LF")
        XCTAssertEqual(status("5\r\nhello!\r\n"), 400, "data longer than its size")
        XCTAssertEqual(status("5\r\nhello\n0\r\n\r\n"), 400, "bare LF after data")
        XCTAssertEqual(status("5\r\nhello\r\r0\r\n\r\n"), 400, "CR CR after data")
        XCTAssertEqual(status("5;a\u{1}\r\nhello\r\n"), 400, "control byte in an extension")
        XCTAssertEqual(status("5;a\0\r\nhello\r\n"), 400, "NUL in an extension")
        XCTAssertEqual(status("0\r\nNoColon\r\n\r\n"), 400, "trailer without colon")
        XCTAssertEqual(status("0\r\nBad Name: v\r\n\r\n"), 400, "trailer name not a token")
        XCTAssertEqual(status("0\r\n folded\r\n\r\n"), 400, "folded trailer")
        XCTAssertEqual(status("0\r\nT: v\n\r\n"), 400, "bare LF in trailers")
        XCTAssertEqual(status("0\r\n\n"), 400, "bare LF ending the trailers")
    }

    func testChunkLineIsBounded() {
        var limits = HTTPLimits()
        limits.maxChunkLineBytes = 32
        XCTAssertEqual(status("5;" + String(repeating: "e", count: 30) + "\r\nhello\r\n0\r\n\r\n", limits: limits), nil, "exactly at the bound")
        XCTAssertEqual(status("5;" + String(repeating: "e", count: 31), limits: limits), 400, "refused before the line ends")
        XCTAssertEqual(status(String(repeating: "0", count: 33), limits: limits), 400, "leading zeros count too")
    }

    func testSizeOverTheLimitIs413BeforeItsData() {
        XCTAssertEqual(status("b", max: 10), 413, "refused at the digit that passes the limit")
        XCTAssertEqual(status("6\r\n012345\r\n5", max: 10), 413, "the sum counts")
        XCTAssertEqual(status("a\r\n0123456789\r\n0\r\n\r\n", max: 10), nil, "exactly the limit")
        XCTAssertEqual(status("6\r\n012345\r\n5\r\n", max: 10), 413, "the sum counts")
        XCTAssertEqual(status("1\r\n", max: 0), 413, "no body allowed")
        XCTAssertEqual(status("0\r\n\r\n", max: 0), nil, "an empty chunked body is fine without a body")
    }

    func testSizeDigitOverflowIs413() {
        XCTAssertEqual(status("ffffffffffffffffffff\r\n", max: Int.max), 413)
        XCTAssertEqual(status("10000000000000000\r\n", max: Int.max), 413)
        XCTAssertEqual(status("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"), 413, "refused before the line ends")
    }

    func testTrailersAreBoundedByTheHeaderLimits() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 64
        limits.maxHeaderCount = 2
        XCTAssertEqual(status("0\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits), nil)
        XCTAssertEqual(status("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits), 431, "too many")
        XCTAssertEqual(status("0\r\nA: " + String(repeating: "x", count: 100), limits: limits), 431, "too long, before the line ends")
    }
}
