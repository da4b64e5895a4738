/// The LUSERS replies (251–255, 265, 266), encoded straight into a buffer
/// from the counters: no `IRCMessage`, `[String]` or interpolated text per
/// line. Every registration sends them, and building the messages was
/// ~39k instructions of a ~264k-instruction churn cycle; ~8k now
/// (docs/BENCHMARKS.md, "3. Churn").
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
    func write(source: String, nick: String, prefix: [UInt8], into out: inout [UInt8]) {
        // `:source ` and ` nick`, the same on every line: cleaned once
        // (`NumericReply.beginLine` per line cleaned both each time).
        var head: [UInt8] = [UInt8(ascii: ":")]
        IRCMessage.appendOneLine(source, into: &head)
        head.append(0x20)
        var name: [UInt8] = [0x20]
        IRCMessage.appendOneLine(nick, into: &name)
        func line(_ numeric: Numeric, _ body: (inout [UInt8]) -> Void) {
            if !prefix.isEmpty { out += prefix }
            out += head
            IRCMessage.appendOneLine(numeric.rawValue, into: &out)
            out += name
            body(&out)
            NumericReply.endLine(into: &out)
        }
        func text(_ s: StaticString, _ out: inout [UInt8]) {
            out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }
        func number(_ n: Int, _ out: inout [UInt8]) { NumericReply.appendDecimal(n, into: &out) }

        line(.luserClient) { o in
            text(" :There are ", &o); number(users - invisible, &o)
            text(" users and ", &o); number(invisible, &o); text(" invisible on 1 servers", &o)
        }
        line(.luserOp) { o in text(" ", &o); number(operators, &o); text(" :operator(s) online", &o) }
        if unknown > 0 {
            line(.luserUnknown) { o in text(" ", &o); number(unknown, &o); text(" :unknown connection(s)", &o) }
        }
        line(.luserChannels) { o in text(" ", &o); number(channels, &o); text(" :channels formed", &o) }
        line(.luserMe) { o in text(" :I have ", &o); number(users, &o); text(" clients and 0 servers", &o) }
        func usersLine(_ numeric: Numeric, _ scope: StaticString) {
            line(numeric) { o in
                text(" ", &o); number(users, &o); text(" ", &o); number(peak, &o)
                text(" :Current ", &o); text(scope, &o); text(" users ", &o)
                number(users, &o); text(", max ", &o); number(peak, &o)
            }
        }
        usersLine(.localUsers, "local")
        usersLine(.globalUsers, "global")
    }
}
