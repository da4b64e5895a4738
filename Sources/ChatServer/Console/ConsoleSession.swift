import CoreLoop
import Foundation
import Logging

/// One admin connection: reads JSON lines, runs each through `ConsoleVerbs`
/// and writes one JSON line back, strictly in order (a verb that answers
/// later holds the next request until it has). A line over `maxLineBytes`
/// gets an error reply and the connection is closed.
///
/// Thread-safety: loop thread only.
public final class ConsoleSession: StreamConnectionDelegate {
    public static let maxLineBytes = 65_536

    let connection: StreamConnection
    weak var host: ConsoleHost?
    let logger: Logger
    private var busy = false

    init(connection: StreamConnection, host: ConsoleHost, logger: Logger) {
        self.connection = connection
        self.host = host
        self.logger = logger
    }

    public func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        var consumed = 0
        while !busy, consumed < bytes.count, let host {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[consumed...])
            guard let lf = rest.firstIndex(of: 0x0A) else {
                if rest.count > Self.maxLineBytes { refuseOversized() }
                break
            }
            guard lf <= Self.maxLineBytes else {
                refuseOversized()
                return bytes.count
            }
            let line = Data(rest[0..<lf])
            consumed += lf + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { continue }
            busy = true
            do {
                let request = try ConsoleRequest(line: line)
                logger.info("console: \(request.command.escapedForLog)")
                ConsoleVerbs.handle(request, host: host) { [weak self] reply in self?.answer(reply) }
            } catch let error as ConsoleError {
                answer(.error(error))
            } catch {
                answer(.error(.malformedJSON))
            }
        }
        if busy && consumed < bytes.count { connection.pauseReading() }
        return consumed
    }

    /// Writes `reply`, encoded on the host's worker when it has one: JSON
    /// of a listing is work proportional to the server (sorted keys of
    /// 13,000 user rows are seconds of Foundation), and the loop serves
    /// chat meanwhile. The next request waits (`busy`) until it is written,
    /// so replies stay in order.
    private func answer(_ reply: ConsoleReply) {
        guard let encoder = host?.consoleEncoder else { return write(reply.line) }
        encoder.offload({ reply.line }) { [weak self] result in
            // `line` does not throw; a refused submission (shutting down) is
            // encoded here rather than left unanswered.
            self?.write((try? result.get()) ?? reply.line)
        }
    }

    private func write(_ data: Data) {
        busy = false
        connection.write(data.withUnsafeBytes { ByteChunk($0) })
        // Requests that came meanwhile were kept unread: offered again now.
        if connection.isReadingPaused { connection.resumeReading() }
    }

    private func refuseOversized() {
        // Written at once (a short line): the close follows immediately.
        write(ConsoleReply.error(.failed("request line too long (max \(Self.maxLineBytes) bytes)")).line)
        connection.close(reason: .local("oversized console request"), afterFlush: true)
    }

    public func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        logger.debug("console connection closed: \(reason)")
    }
}
