import Foundation

/// What the user typed: text for the current window, or a command.
/// `//text` sends `/text` as text.
///
/// Thread-safety: a value type; any thread.
public enum ParsedInput: Equatable {
    case text(String)
    case command(name: String, arguments: CommandArguments)
    case empty

    public init(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { self = .empty; return }
        guard line.hasPrefix("/") else { self = .text(line); return }
        if line.hasPrefix("//") { self = .text(String(line.dropFirst())); return }
        let body = line.dropFirst()
        let name = body.prefix { $0 != " " }.lowercased()
        let rest = body.dropFirst(name.count).drop { $0 == " " }
        self = .command(name: name, arguments: CommandArguments(String(rest)))
    }
}

/// A command's arguments: words, and the raw text from any word on
/// (`/msg bob hello  there` → word 0 `bob`, rest from 1 `hello  there`).
///
/// Thread-safety: a value type; any thread.
public struct CommandArguments: Equatable {
    public let raw: String
    public let words: [String]

    public init(_ raw: String) {
        self.raw = raw
        words = raw.split(separator: " ").map(String.init)
    }

    public var count: Int { words.count }
    public subscript(i: Int) -> String? { words.indices.contains(i) ? words[i] : nil }

    /// The text starting at word `i`, spacing kept; "" if there is none.
    public func rest(from i: Int) -> String {
        var s = Substring(raw)
        for _ in 0..<i {
            s = s.drop { $0 == " " }
            s = s.drop { $0 != " " }
        }
        return String(s.drop { $0 == " " })
    }
}
