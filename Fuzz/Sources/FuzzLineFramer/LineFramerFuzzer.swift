import ChatServer

/// libFuzzer target for `LineFramer`: arbitrary bytes delivered in arbitrary
/// pieces, driven the way `IRCServer.receive` drives it (unconsumed bytes
/// are offered again with the next piece; a `.line` may be left unconsumed
/// while the client is throttled and asked for again later).
///
/// Input layout: bytes 0–1 pick `maxLineBytes` (0…1024, 0 = unlimited),
/// byte 2 seeds the piece sizes and the "throttled" choices, the rest is the
/// stream. Checked on every call: `consumed` is within the offered bytes, a
/// frame always consumes something, a line starts at the offered bytes, has
/// no LF and is within the limit, and asking again without consuming gives
/// the same line. At the end the frames must be exactly those of a plain
/// reference framer run over the whole stream at once: splitting must never
/// change what the server sees.
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum LineFramerFuzzer {
    enum Frame: Equatable {
        case line([UInt8])
        case tooLong
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        guard input.count >= 3 else { return }
        let maxLineBytes = (Int(input[0]) << 8 | Int(input[1])) % 1025
        var random = SplitMix(seed: UInt64(input[2]))
        let stream = Array(input[3...])

        var framer = LineFramer(maxLineBytes: maxLineBytes)
        var pending: [UInt8] = []
        var frames: [Frame] = []
        var offset = 0
        while offset < stream.count {
            let piece = 1 + Int(random.next() % UInt64(Swift.max(1, Swift.min(stream.count - offset, 600))))
            pending += stream[offset..<Swift.min(stream.count, offset + piece)]
            offset += piece
            drain(&framer, &pending, into: &frames, maxLineBytes: maxLineBytes, random: &random)
        }
        let expected = reference(stream, maxLineBytes: maxLineBytes)
        guard frames == expected else {
            fatalError("split delivery gave \(frames.count) frames \(frames.prefix(4))…, the whole stream \(expected.count) \(expected.prefix(4))…")
        }
    }

    static func drain(_ framer: inout LineFramer, _ pending: inout [UInt8], into frames: inout [Frame], maxLineBytes: Int,
                      random: inout SplitMix) {
        while true {
            let (frame, consumed) = pending.withUnsafeBytes { bytes -> (Frame?, Int) in
                let (frame, consumed) = framer.next(in: bytes)
                guard consumed >= 0, consumed <= bytes.count else { fatalError("consumed \(consumed) of \(bytes.count) bytes") }
                guard let frame else { return (nil, consumed) }
                guard consumed > 0 else { fatalError("a frame that consumed nothing") }
                switch frame {
                case .tooLong:
                    return (.tooLong, consumed)
                case .line(let line):
                    guard line.count < consumed, line.baseAddress == bytes.baseAddress || line.isEmpty else {
                        fatalError("a line of \(line.count) bytes not at the start of the \(consumed) consumed")
                    }
                    if maxLineBytes > 0 && line.count > maxLineBytes { fatalError("a line of \(line.count) bytes over the limit \(maxLineBytes)") }
                    if line.contains(0x0A) { fatalError("a line containing LF") }
                    let copy = Array(line)
                    // A throttled client leaves the line where it is; asked
                    // again, the framer must hand out the very same line.
                    if random.next() % 4 == 0 {
                        let (again, againConsumed) = framer.next(in: bytes)
                        guard case .line(let same)? = again, Array(same) == copy, againConsumed == consumed else {
                            fatalError("asking again for an unconsumed line gave a different answer")
                        }
                    }
                    return (.line(copy), consumed)
                }
            }
            pending.removeFirst(consumed)
            if let frame { frames.append(frame) } else if consumed == 0 { return }
        }
    }

    /// The framing rules written the slow, obvious way over the whole stream.
    static func reference(_ stream: [UInt8], maxLineBytes: Int) -> [Frame] {
        var frames: [Frame] = []
        var start = 0
        while start < stream.count {
            guard let lf = stream[start...].firstIndex(of: 0x0A) else {
                // Unterminated: reported once it cannot fit even with CR LF.
                if maxLineBytes > 0 && stream.count - start >= maxLineBytes + 2 { frames.append(.tooLong) }
                break
            }
            var end = lf
            if end > start && stream[end - 1] == 0x0D { end -= 1 }
            frames.append(maxLineBytes > 0 && end - start > maxLineBytes ? .tooLong : .line(Array(stream[start..<end])))
            start = lf + 1
        }
        return frames
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLineFramer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    LineFramerFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
