import HTTPCore

/// libFuzzer target for `HTTPRequestParser`, the parser every HTTP peer's
/// bytes go through. Invariants: a head consumes within the input; its
/// method, target and header fields hold no CR, LF or NUL (nothing can be
/// smuggled into a response or a log line); a cut before the head's end is
/// `.incomplete`; a head rebuilt from its fields parses back the same.
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
        let cut = consumed / 2
        if case .head = parser.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<cut])) {
            fatalError("a head from a prefix of \(cut) bytes")
        }
        var rebuilt = "\(head.method) \(head.target) \(head.version.rawValue)\r\n"
        for (name, value) in head.headers { rebuilt += "\(name): \(value)\r\n" }
        rebuilt += "\r\n"
        // The rebuilt head may be longer than the input (a space after each
        // colon, U+FFFD for invalid bytes): past the limit, 431 is right.
        guard rebuilt.utf8.count <= limits.maxHeaderBytes else { return }
        let again = Array(rebuilt.utf8).withUnsafeBytes { parser.parse($0) }
        guard case .head(let second, _) = again, second == head else {
            fatalError("rebuilt head parses differently: \(again)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    HTTPRequestFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
