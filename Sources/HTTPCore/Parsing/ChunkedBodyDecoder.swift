/// Decodes a `Transfer-Encoding: chunked` request body (RFC 9112 §7.1) as
/// it arrives, appending the data to the caller's buffer.
///
/// Unlike the head parser it keeps state between calls (where it is inside
/// a chunk), so a body split anywhere decodes the same and no byte is looked
/// at twice. What it holds is bounded: one chunk-size line (size, then
/// extensions, which are checked for control bytes and otherwise ignored:
/// `HTTPLimits.maxChunkLineBytes`, 400 beyond) or one trailer line; trailer
/// fields are parsed like header fields and discarded, all of them together
/// within `maxHeaderBytes` and `maxHeaderCount` (431 beyond). A chunk size
/// that would take the decoded body past `maxBodyBytes` is refused with 413
/// at the digit that passes it, before any of its data. Lines end with
/// CR LF only; anything else is 400.
///
/// Thread-safety: a value type; any thread (the server uses it on the loop thread).
public struct ChunkedBodyDecoder {
    enum Phase: Equatable {
        case sizeLine
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailerLine
        case done
    }

    public let limits: HTTPLimits
    /// The largest decoded body accepted (the responder's limit).
    public let maxBodyBytes: Int
    private(set) var phase: Phase = .sizeLine
    /// The current chunk-size or trailer line, without its CR LF.
    private var line: [UInt8] = []
    /// A CR ended `line`; the next byte must be LF.
    private var sawCR = false
    /// Decoded data bytes so far.
    public private(set) var bodyBytes = 0
    private var trailerBytes = 0
    /// The chunk size read so far, while the line is still all digits (nil after).
    private var digits: Int? = 0
    private var trailerCount = 0

    public init(limits: HTTPLimits, maxBodyBytes: Int) {
        self.limits = limits
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether the last-chunk and the trailer section's final CR LF were read.
    public var isComplete: Bool { phase == .done }

    /// Decodes from `input`, appending data to `body`; returns how many
    /// bytes of `input` it used. It stops right after the body's final CR LF
    /// (the rest is the next pipelined request) and uses everything otherwise.
    public mutating func decode(_ input: UnsafeRawBufferPointer, into body: inout [UInt8]) throws -> Int {
        var i = 0
        while i < input.count {
            switch phase {
            case .done:
                return i
            case .data(let remaining):
                let take = min(remaining, input.count - i)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<(i + take)]))
                i += take
                bodyBytes += take
                phase = take == remaining ? .dataCR : .data(remaining: remaining - take)
            case .dataCR:
                guard input[i] == 13 else { throw HTTPParseError.bad("chunk data longer than its size (no CR LF after it)") }
                i += 1
                phase = .dataLF
            case .dataLF:
                guard input[i] == 10 else { throw HTTPParseError.bad("CR without LF after chunk data") }
                i += 1
                phase = .sizeLine
            case .sizeLine, .trailerLine:
                let c = input[i]
                i += 1
                if sawCR {
                    guard c == 10 else { throw HTTPParseError.bad("CR without LF in chunked framing") }
                    sawCR = false
                    try endLine()
                } else if c == 13 {
                    sawCR = true
                } else if c == 10 {
                    throw HTTPParseError.bad("bare LF in chunked framing: lines end with CR LF")
                } else {
                    try take(c)
                }
            }
        }
        return i
    }

    /// Adds one byte to the current line, within that line's bound.
    private mutating func take(_ c: UInt8) throws {
        if phase == .sizeLine {
            guard line.count < limits.maxChunkLineBytes else {
                throw HTTPParseError.bad("chunk-size line longer than \(limits.maxChunkLineBytes) bytes")
            }
            // The size is checked digit by digit, so an absurd one is refused
            // before its line ends.
            if let size = digits {
                if let digit = Self.hexValue(c) {
                    digits = try grow(size, by: digit)
                } else {
                    digits = nil
                }
            }
        } else {
            trailerBytes += 1
            guard trailerBytes + 2 * (trailerCount + 1) <= limits.maxHeaderBytes else {
                throw HTTPParseError(.headerFieldsTooLarge, "trailer section longer than \(limits.maxHeaderBytes) bytes")
            }
        }
        line.append(c)
    }

    private mutating func endLine() throws {
        defer {
            line.removeAll(keepingCapacity: true)
            digits = 0
        }
        if phase == .sizeLine {
            let size = try chunkSize(line)
            phase = size == 0 ? .trailerLine : .data(remaining: size)
            return
        }
        if line.isEmpty {
            phase = .done
            return
        }
        trailerCount += 1
        guard trailerCount <= limits.maxHeaderCount else {
            throw HTTPParseError(.headerFieldsTooLarge, "more than \(limits.maxHeaderCount) trailer fields")
        }
        // Checked like a header field, then dropped: nothing here uses trailers.
        _ = try line.withUnsafeBytes { try HTTPRequestParser.parseField($0) }
    }

    /// One more hex digit of a chunk size; 413 when the size passes what is
    /// left of the body limit, or would overflow an Int.
    func grow(_ size: Int, by digit: Int) throws -> Int {
        guard size <= (Int.max - 15) / 16, size * 16 + digit <= maxBodyBytes - bodyBytes else {
            throw HTTPParseError(.payloadTooLarge, "a chunked body over this resource's limit of \(maxBodyBytes) bytes")
        }
        return size * 16 + digit
    }

    /// `chunk-size [ chunk-ext ]`: hex digits (either case, leading zeros
    /// allowed; `take` has already checked their value against the limit),
    /// then nothing or `BWS ;` and extension bytes without controls.
    func chunkSize(_ line: [UInt8]) throws -> Int {
        var size = 0, i = 0
        while i < line.count, let digit = Self.hexValue(line[i]) {
            size = try grow(size, by: digit)
            i += 1
        }
        guard i > 0 else { throw HTTPParseError.bad("malformed chunk size") }
        var j = i
        while j < line.count, line[j] == 0x20 || line[j] == 0x09 { j += 1 }
        if j == line.count {
            guard j == i else { throw HTTPParseError.bad("whitespace after chunk size without an extension") }
            return size
        }
        guard line[j] == UInt8(ascii: ";") else { throw HTTPParseError.bad("malformed chunk size") }
        guard line[j...].allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) else {
            throw HTTPParseError.bad("control character in a chunk extension")
        }
        return size
    }

    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
