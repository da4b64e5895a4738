import ArgumentParser
import Foundation

/// A failure chatctl explains in one line on stderr (`chatctl: …`) and
/// answers with its own exit code, instead of ArgumentParser's generic
/// `Error:` and status 1: scripts tell "not running" (69) from "refused" (1).
///
/// Thread-safety: values; any thread.
protocol ChatctlFailure: Error, CustomStringConvertible {
    /// A sysexits code.
    var exitCode: Int32 { get }
}

/// Runs `body`; a `ChatctlFailure` it throws is printed and becomes its exit code.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as ChatctlFailure {
        FileHandle.standardError.write(Data("chatctl: \(failure)\n".utf8))
        throw ExitCode(failure.exitCode)
    }
}
