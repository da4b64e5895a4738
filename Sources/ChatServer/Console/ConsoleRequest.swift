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

    public func optionalNumber(_ key: String) throws -> Double? {
        guard let value = arguments[key], !(value is NSNull) else { return nil }
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else {
            throw ConsoleError.wrongType(key, expected: "a number")
        }
        return n.doubleValue
    }
}
