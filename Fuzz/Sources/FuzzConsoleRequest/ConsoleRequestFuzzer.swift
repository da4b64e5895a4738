import ChatServer
import Foundation

/// libFuzzer target for the console's request parser: `ConsoleRequest(line:)`
/// and every typed accessor on the argument names the verbs use. Errors must
/// be `ConsoleError`s; a whole number handed out must lie in the asked range
/// and a number must be finite, so a verb can convert it without a trap.
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum ConsoleRequestFuzzer {
    static let keys = ["cmd", "duration", "grace", "name", "password", "email", "account", "mask", "reason", "operator",
                       "channel", "nick", "text", "message", "n"]
    static let ranges: [ClosedRange<Int>] = [1...315_360_000, 0...3600, -5...5, Int.min...Int.max]

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let request: ConsoleRequest
        do {
            request = try ConsoleRequest(line: Data(bytes))
        } catch let error as ConsoleError {
            _ = error.description
            return
        } catch {
            fatalError("ConsoleRequest(line:) threw something other than ConsoleError: \(error)")
        }
        _ = request.command
        for key in keys {
            expectConsoleError { _ = try request.string(key) }
            expectConsoleError { _ = try request.optionalString(key) }
            expectConsoleError { _ = try request.optionalBool(key) }
            expectConsoleError {
                if let n = try request.optionalNumber(key), !n.isFinite { fatalError("\(key): optionalNumber gave \(n)") }
            }
            for range in ranges {
                expectConsoleError {
                    if let n = try request.optionalInt(key, in: range), !range.contains(n) { fatalError("\(key): \(n) outside \(range)") }
                }
                expectConsoleError {
                    let n = try request.int(key, in: range)
                    if !range.contains(n) { fatalError("\(key): \(n) outside \(range)") }
                }
            }
        }
    }

    static func expectConsoleError(_ body: () throws -> Void) {
        do {
            try body()
        } catch let error as ConsoleError {
            _ = error.description
        } catch {
            fatalError("an accessor threw something other than ConsoleError: \(error)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConsoleRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ConsoleRequestFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
