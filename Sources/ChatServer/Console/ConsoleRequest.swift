import Foundation

/// One console request: `{"cmd": "...", ...arguments}`, with typed access to
/// the arguments that names the argument in every error.
///
/// Thread-safety: a value type; any thread.
public struct ConsoleRequest {
    public let command: String
    let arguments: [String: Any]

    public init(line: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: line) else { throw ConsoleError.malformedJSON }
        guard let dict = object as? [String: Any] else { throw ConsoleError.notAnObject }
        guard let cmd = dict["cmd"] else { throw ConsoleError.missingArgument("cmd") }
        guard let name = cmd as? String else { throw ConsoleError.wrongType("cmd", expected: "a string") }
        command = name
        arguments = dict
    }

    public func string(_ key: String) throws -> String {
        guard let value = arguments[key] else { throw ConsoleError.missingArgument(key) }
        guard let s = value as? String else { throw ConsoleError.wrongType(key, expected: "a string") }
        return s
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let value = arguments[key], !(value is NSNull) else { return nil }
        guard let s = value as? String else { throw ConsoleError.wrongType(key, expected: "a string") }
        return s
    }

    public func optionalBool(_ key: String) throws -> Bool? {
        guard let value = arguments[key], !(value is NSNull) else { return nil }
        guard let n = value as? NSNumber, String(cString: n.objCType) == "c" else {
            throw ConsoleError.wrongType(key, expected: "true or false")
        }
        return n.boolValue
    }

    /// A number that may have a fraction. Never NaN or infinite, but it may be
    /// huge: check its range before converting it to an integer type, or
    /// use `optionalInt(_:in:)`.
    public func optionalNumber(_ key: String) throws -> Double? {
        guard let value = arguments[key], !(value is NSNull) else { return nil }
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite else {
            throw ConsoleError.wrongType(key, expected: "a number")
        }
        return n.doubleValue
    }

    /// A whole number inside `range`. Fractions, booleans, strings and
    /// numbers outside the range are refused here, so a verb never converts
    /// an unchecked Double (`Int64(1e20 * 1000)` stops the whole daemon).
    public func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = try optionalInt(key, in: range) else { throw ConsoleError.missingArgument(key) }
        return value
    }

    /// Like `int(_:in:)`; nil when the argument is absent or null.
    public func optionalInt(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = arguments[key], !(value is NSNull) else { return nil }
        switch WholeNumber.read(value, in: range) {
        case .success(let n):
            return n
        case .failure(.notAWholeNumber):
            throw ConsoleError.wrongType(key, expected: "a whole number")
        case .failure(.outOfRange(let shown, let range)):
            throw ConsoleError.invalidArgument(key, reason: "\(shown) is out of range: must be \(WholeNumberError.describe(range))")
        }
    }
}
