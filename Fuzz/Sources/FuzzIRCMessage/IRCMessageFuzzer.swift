import ChatServer

/// libFuzzer target for `IRCMessage(parsing:)` and the IRCv3 tag parser.
///
/// Every input is tried twice: as it is, and behind a "@" so the bytes always
/// reach the tag parser too. Beyond "never traps", whatever parses must
/// survive a round trip: `encoded()` ends in CR LF and parses back to the same
/// message (a tag sent as `k=` is the same as `k`, so values "" and nil are
/// compared as equal). A violation is a `fatalError`, which libFuzzer reports
/// as a crash with the input saved.
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum IRCMessageFuzzer {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        check(bytes)
        let tagged = [UInt8(ascii: "@")] + Array(bytes)
        tagged.withUnsafeBytes { check($0) }
    }

    static func check(_ line: UnsafeRawBufferPointer) {
        let message: IRCMessage
        do {
            message = try IRCMessage(parsing: line)
        } catch is IRCParseError {
            return
        } catch {
            fatalError("IRCMessage(parsing:) threw something other than IRCParseError: \(error)")
        }
        for tag in message.tags { _ = message.tag(tag.key) }
        let wire = message.encoded()
        guard wire.count >= 2, wire[wire.count - 2] == 0x0D, wire[wire.count - 1] == 0x0A else {
            fatalError("encoded() does not end in CR LF: \(wire)")
        }
        let body = Array(wire.dropLast(2))
        let reparsed: IRCMessage
        do {
            reparsed = try body.withUnsafeBytes { try IRCMessage(parsing: $0) }
        } catch {
            fatalError("\(message) encodes to \(String(decoding: body, as: UTF8.self).debugDescription), which does not parse: \(error)")
        }
        guard normalized(reparsed) == normalized(message) else {
            fatalError("round trip changed \(message) into \(reparsed)")
        }
        guard message.line == String(decoding: body, as: UTF8.self) else { fatalError("line and encoded() disagree for \(message)") }
    }

    /// `k` and `k=` are the same tag on the wire; encoding writes the shorter.
    static func normalized(_ message: IRCMessage) -> IRCMessage {
        var copy = message
        copy.tags = message.tags.map { IRCTag($0.key, $0.value == "" ? nil : $0.value) }
        return copy
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIRCMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    IRCMessageFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
