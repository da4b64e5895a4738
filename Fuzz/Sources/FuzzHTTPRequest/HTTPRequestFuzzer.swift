import HTTPCore

/// libFuzzer target for `HTTPRequestParser`, the parser every HTTP peer's
/// bytes go through. Invariants: a head consumes within the input; its
/// method, target and header fields hold no CR, LF or NUL (nothing can be
/// smuggled into a response or a log line); a cut before the head's end is
/// `.incomplete`; a head rebuilt from its fields parses back the same. A
/// chunked head's body (the rest of the input) goes through
/// `ChunkedBodyDecoder`: it never takes more than it is given nor decodes
/// past its limit, and fed in two pieces (split where the input says) or
/// byte by byte it ends the same as fed whole.
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum HTTPRequestFuzzer {
    static var limits: HTTPLimits {
        var l = HTTPLimits()
        l.maxHeaderBytes = 4096
        l.maxRequestLineBytes = 1024
        l.maxHeaderCount = 20
        return l
    }

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let parser = HTTPRequestParser(limits: limits)
        guard case .head(let head, let consumed) = parser.parse(bytes) else { return }
        guard consumed > 0 && consumed <= bytes.count else { fatalError("consumed \(consumed) of \(bytes.count)") }
        let texts = [head.method, head.target] + head.headers.flatMap { [$0.name, $0.value] }
        for text in texts where text.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) {
            fatalError("control byte kept in \(text.debugDescription)")
        }
        guard head.contentLength >= 0 else { fatalError("negative length") }
        if head.chunked {
            guard head.contentLength == 0 else { fatalError("chunked with a length") }
            checkChunked(UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
        }
        let cut = consumed / 2
        if case .head = parser.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<cut])) {
            fatalError("a head from a prefix of \(cut) bytes")
        }
        // An absolute-form target comes back as origin-form with its
        // authority as Host (RFC 9112 §3.2.2), so it is rebuilt in that form.
        let target = head.authority.map { "http://\($0)\(head.target)" } ?? head.target
        var rebuilt = "\(head.method) \(target) \(head.version.rawValue)\r\n"
        for (name, value) in head.headers { rebuilt += "\(name): \(value)\r\n" }
        rebuilt += "\r\n"
        // The rebuilt head may be longer than the input (a space after each
        // colon, U+FFFD for invalid bytes): past the limit, 431 is right.
        guard rebuilt.utf8.count <= limits.maxHeaderBytes else { return }
        // An absolute-form target without a Host field gains one (its
        // authority): at the field limit, the rebuilt head is one over.
        guard head.headers.count <= limits.maxHeaderCount else { return }
        let again = Array(rebuilt.utf8).withUnsafeBytes { parser.parse($0) }
        guard case .head(let second, _) = again, second == head else {
            fatalError("rebuilt head parses differently: \(again)")
        }
    }
}

extension HTTPRequestFuzzer {
    static let maxBody = 300

    /// What one decode of `body` came to: the data, the input used and
    /// whether it ended, or the refusal.
    enum ChunkedEnd: Equatable {
        case ended(data: [UInt8], used: Int, complete: Bool)
        case refused(HTTPParseError)
    }

    static func decode(_ body: UnsafeRawBufferPointer, pieces: [Int]) -> ChunkedEnd {
        var decoder = ChunkedBodyDecoder(limits: limits, maxBodyBytes: maxBody)
        var data: [UInt8] = []
        var at = 0
        var cuts = pieces[...]
        do {
            while at < body.count && !decoder.isComplete {
                let size = min(cuts.popFirst() ?? body.count, body.count - at)
                let used = try decoder.decode(UnsafeRawBufferPointer(rebasing: body[at..<(at + size)]), into: &data)
                guard used <= size else { fatalError("decoder took \(used) of \(size)") }
                guard data.count <= maxBody, decoder.bodyBytes == data.count else { fatalError("decoded \(data.count) over \(maxBody)") }
                at += used
                if used < size {
                    guard decoder.isComplete else { fatalError("stopped early without completing") }
                    break
                }
            }
        } catch let error as HTTPParseError {
            guard [400, 413, 431].contains(error.status.code) else { fatalError("unexpected refusal \(error)") }
            return .refused(error)
        } catch {
            fatalError("unexpected error \(error)")
        }
        return .ended(data: data, used: at, complete: decoder.isComplete)
    }

    static func checkChunked(_ body: UnsafeRawBufferPointer) {
        let whole = decode(body, pieces: [])
        let split = body.isEmpty ? 0 : Int(body[0]) % body.count
        let halves = decode(body, pieces: [split])
        guard halves == whole else { fatalError("split at \(split): \(halves) vs \(whole)") }
        if body.count <= 512 {
            let bytewise = decode(body, pieces: Array(repeating: 1, count: body.count))
            guard bytewise == whole else { fatalError("byte by byte: \(bytewise) vs \(whole)") }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    HTTPRequestFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
