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

    private func answer(_ reply: ConsoleReply) {
        busy = false
        let data = reply.line
        connection.write(data.withUnsafeBytes { ByteChunk($0) })
        if connection.isReadingPaused { connection.resumeReading() }
    }

    private func refuseOversized() {
        answer(.error(.failed("request line too long (max \(Self.maxLineBytes) bytes)")))
        connection.close(reason: .local("oversized console request"), afterFlush: true)
    }

    public func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        logger.debug("console connection closed: \(reason)")
    }
}
