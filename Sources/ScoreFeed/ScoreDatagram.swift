import Foundation

/// One score event as it travels in a UDP datagram (and in the
/// `chatd.dev/score` message tag): a JSON object
///
///     {"match":1,"seq":7,"type":"goal","minute":67,"score":{"home":2,"away":1},
///      "text":"...","ts":1764535200000,"team":"Home FC","player":"N. Name"}
///
/// `team` (the team's name) and `player` are extras beyond the list
/// and may be absent; decoders ignore keys they do not know.
///
/// Thread-safety: a value type; any thread.
public struct ScoreDatagram: Equatable, Sendable {
    public var match: Int64
    public var seq: Int64
    public var type: String
    public var minute: Int
    public var home: Int
    public var away: Int
    public var text: String
    /// Wall-clock time of the event, milliseconds since 1970.
    public var ts: Int64
    public var team: String?
    public var player: String?

    /// The largest datagram a decoder accepts; the server's are far smaller.
    public static let maxBytes = 2048

    public init(match: Int64, seq: Int64, type: String, minute: Int, home: Int, away: Int,
                text: String, ts: Int64, team: String? = nil, player: String? = nil) {
        self.match = match
        self.seq = seq
        self.type = type
        self.minute = minute
        self.home = home
        self.away = away
        self.text = text
        self.ts = ts
        self.team = team
        self.player = player
    }

    /// The JSON text, keys in a fixed order (so equal events encode to equal bytes).
    public func encoded() -> [UInt8] {
        var s = "{\"match\":\(match),\"seq\":\(seq),\"type\":"
        JSONText.appendString(type, to: &s)
        s += ",\"minute\":\(minute),\"score\":{\"home\":\(home),\"away\":\(away)},\"text\":"
        JSONText.appendString(text, to: &s)
        s += ",\"ts\":\(ts)"
        if let team { s += ",\"team\":"; JSONText.appendString(team, to: &s) }
        if let player { s += ",\"player\":"; JSONText.appendString(player, to: &s) }
        s += "}"
        return Array(s.utf8)
    }

    /// Parses a datagram; anything malformed, too large or out of range is an error.
    public init(decoding bytes: some Collection<UInt8>) throws {
        guard bytes.count <= Self.maxBytes else { throw ScoreDatagramError.tooLarge(bytes.count) }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw ScoreDatagramError.notJSON
        }
        guard let dict = object as? [String: Any] else { throw ScoreDatagramError.notAnObject }
        guard let score = dict["score"] as? [String: Any] else { throw ScoreDatagramError.missing("score") }
        self.init(match: try Self.whole(dict, "match", 1...Int64(Int32.max)),
                  seq: try Self.whole(dict, "seq", 1...Int64(Int32.max)),
                  type: try Self.text(dict, "type"),
                  minute: Int(try Self.whole(dict, "minute", 0...1000)),
                  home: Int(try Self.whole(score, "home", 0...1000)),
                  away: Int(try Self.whole(score, "away", 0...1000)),
                  text: try Self.text(dict, "text"),
                  ts: try Self.whole(dict, "ts", 0...Int64(1) << 52),
                  team: dict["team"] == nil ? nil : try Self.text(dict, "team"),
                  player: dict["player"] == nil ? nil : try Self.text(dict, "player"))
    }

    private static func whole(_ dict: [String: Any], _ key: String, _ range: ClosedRange<Int64>) throws -> Int64 {
        guard let value = dict[key] else { throw ScoreDatagramError.missing(key) }
        // JSONSerialization gives NSNumber; booleans are numbers too, so check the type.
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else {
            throw ScoreDatagramError.badValue(key)
        }
        let double = number.doubleValue
        // Checked as a Double first: Int64(…) of a huge or fractional value would trap.
        guard double.isFinite, double.rounded() == double,
              double >= Double(range.lowerBound), double <= Double(range.upperBound) else {
            throw ScoreDatagramError.badValue(key)
        }
        return Int64(double)
    }

    private static func text(_ dict: [String: Any], _ key: String) throws -> String {
        guard let value = dict[key] else { throw ScoreDatagramError.missing(key) }
        guard let s = value as? String else { throw ScoreDatagramError.badValue(key) }
        return s
    }
}
