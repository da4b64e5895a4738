/// The LUSERS replies (251–255, 265, 266), encoded straight into a buffer
/// from the counters: no `IRCMessage`, `[String]` or interpolated text per
/// line. Every registration sends them, and building the messages was
/// ~39k instructions of a ~264k-instruction churn cycle; ~8k with the
/// lines appended piece by piece (docs/BENCHMARKS.md, "3. Churn"), less
/// through one `ByteCursor` buffer (section 11).
///
/// The bytes are what `reply(client, numeric, params…)` sent for each line
/// (checked against that path in `ReplyEncodingTests`).
///
/// Thread-safety: a value; built and used on the loop thread.
struct LusersReply {
    var users: Int
    var invisible: Int
    var operators: Int
    /// Connections not yet registered; 253 only when there are some.
    var unknown: Int
    var channels: Int
    var peak: Int

    /// How many lines `write` appends.
    var lineCount: Int { unknown > 0 ? 7 : 6 }

    /// Appends every line for `nick`, each after `prefix` (e.g. a time tag).
    ///
    /// Written through a `ByteCursor` into one buffer sized from an upper
    /// bound, then appended once: the ~40 `Array.append` calls this took
    /// line by line were ~7,700 instructions of a churn cycle.
    func write(source: String, nick: String, prefix: [UInt8], into out: inout [UInt8]) {
        // Per line: the prefix, `:source NNN nick` and at most ~60 bytes of
        // text with up to four numbers of at most 20 bytes each.
        let bound = 7 * (prefix.count + source.utf8.count + nick.utf8.count + 160)
        let bytes = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            var c = ByteCursor(buffer.baseAddress!)
            // `prefix:source ` and ` nick` are encoded on the first line and
            // copied from there to the others.
            var head: (offset: Int, count: Int)?
            var name: (offset: Int, count: Int)?
            func line(_ numeric: Numeric, _ body: (inout ByteCursor) -> Void) {
                if let head {
                    c.putCopy(of: head.offset, count: head.count)
                } else {
                    let start = c.count
                    c.put(prefix)
                    c.put(UInt8(ascii: ":"))
                    c.putOneLine(source)
                    c.put(0x20)
                    head = (start, c.count - start)
                }
                c.putOneLine(numeric.rawValue)
                if let name {
                    c.putCopy(of: name.offset, count: name.count)
                } else {
                    let start = c.count
                    c.put(0x20)
                    c.putOneLine(nick)
                    name = (start, c.count - start)
                }
                body(&c)
                c.put("\r\n")
            }
            line(.luserClient) { c in
                c.put(" :There are "); c.putDecimal(users - invisible)
                c.put(" users and "); c.putDecimal(invisible); c.put(" invisible on 1 servers")
            }
            line(.luserOp) { c in c.put(0x20); c.putDecimal(operators); c.put(" :operator(s) online") }
            if unknown > 0 {
                line(.luserUnknown) { c in c.put(0x20); c.putDecimal(unknown); c.put(" :unknown connection(s)") }
            }
            line(.luserChannels) { c in c.put(0x20); c.putDecimal(channels); c.put(" :channels formed") }
            line(.luserMe) { c in c.put(" :I have "); c.putDecimal(users); c.put(" clients and 0 servers") }
            func usersLine(_ numeric: Numeric, _ scope: StaticString) {
                line(numeric) { c in
                    c.put(0x20); c.putDecimal(users); c.put(0x20); c.putDecimal(peak)
                    c.put(" :Current "); c.put(scope); c.put(" users ")
                    c.putDecimal(users); c.put(", max "); c.putDecimal(peak)
                }
            }
            usersLine(.localUsers, "local")
            usersLine(.globalUsers, "global")
            initialized = c.count
        }
        out += bytes
    }
}
