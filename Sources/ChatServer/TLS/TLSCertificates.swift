import CoreLoop
import Foundation
import Logging

/// The server's certificate for its TLS listeners: loaded (or generated as a
/// self-signed ECDSA P-256 certificate in the data folder) at startup, and
/// reloaded on `chatctl reload` or SIGHUP. A reload builds a new context on
/// a worker and swaps it in for new connections; connections already open
/// keep the context they were made with (each `TLSSession` holds its own),
/// so no one is dropped.
///
/// Thread-safety: loop thread only, except `load`, which blocks on file I/O
/// and runs on any thread (before the loop runs, or on a worker).
public final class TLSCertificates {
    /// The context new connections get.
    public private(set) var context: TLSContext
    /// SHA-256 of the certificate in use (lowercase hex).
    public private(set) var fingerprint: String
    public private(set) var reloadCount = 0
    private let logger: Logger
    private var reloadWaiters: [(Result<String, Error>) -> Void] = []

    /// What `load` produced.
    public struct Loaded {
        public let context: TLSContext
        public let fingerprint: String
        public let certificateFile: String
        /// Whether a self-signed certificate was written just now.
        public let generated: Bool
    }

    /// ALPN offered by IRC listeners: none is needed (IRC clients do not send
    /// ALPN); the web listeners will ask for "http/1.1".
    public init(settings: TLSSettings, dataDir: String, serverName: String, alpn: [String] = [], logger: Logger) throws {
        self.logger = logger
        let loaded = try Self.load(settings: settings, dataDir: dataDir, serverName: serverName, alpn: alpn)
        context = loaded.context
        fingerprint = loaded.fingerprint
        Self.log(loaded, logger: logger, verb: loaded.generated ? "generated self-signed" : "loaded")
    }

    /// Reads (or first generates) the certificate and key and builds a
    /// context. Blocking: never on the loop thread.
    public static func load(settings: TLSSettings, dataDir: String, serverName: String, alpn: [String] = []) throws -> Loaded {
        let paths = settings.paths(dataDir: dataDir)
        var generated = false
        if paths.generated {
            let files = FileManager.default
            if !files.fileExists(atPath: paths.certificate) || !files.fileExists(atPath: paths.key) {
                try DataDirectory.prepare(dataDir)
                try TLSContext.writeSelfSigned(commonName: serverName, certificateFile: paths.certificate, keyFile: paths.key)
                generated = true
            }
        }
        let context = try TLSContext.server(certificateFile: paths.certificate, keyFile: paths.key, alpn: alpn)
        guard let fingerprint = context.certificateFingerprint else {
            throw TLSError.certificate(path: paths.certificate, reason: "cannot compute its fingerprint")
        }
        return Loaded(context: context, fingerprint: fingerprint, certificateFile: paths.certificate, generated: generated)
    }

    private static func log(_ loaded: Loaded, logger: Logger, verb: String) {
        logger.notice("TLS: \(verb) certificate \(loaded.certificateFile), SHA-256 fingerprint \(loaded.fingerprint) (\(TLSContext.colonSeparated(loaded.fingerprint)))")
    }

    /// Re-reads the certificate on `worker` and, if it loads, makes it the
    /// one new connections get. `done` runs on the loop with the fingerprint
    /// or the error (the old certificate then stays). Reloads asked for while
    /// one runs share its outcome.
    public func reload(settings: TLSSettings, dataDir: String, serverName: String, alpn: [String] = [],
                       worker: WorkerPool, done: @escaping (Result<String, Error>) -> Void) {
        reloadWaiters.append(done)
        guard reloadWaiters.count == 1 else { return }
        do {
            try worker.submit({ try Self.load(settings: settings, dataDir: dataDir, serverName: serverName, alpn: alpn) }) { [weak self] result in
                guard let self else { return }
                let outcome = result.map { loaded -> String in
                    self.context = loaded.context
                    self.fingerprint = loaded.fingerprint
                    self.reloadCount += 1
                    Self.log(loaded, logger: self.logger, verb: loaded.generated ? "generated self-signed" : "reloaded")
                    return loaded.fingerprint
                }
                if case .failure(let error) = outcome {
                    self.logger.warning("TLS: certificate reload failed, keeping the old one: \(error)")
                }
                let waiters = self.reloadWaiters
                self.reloadWaiters = []
                waiters.forEach { $0(outcome) }
            }
        } catch {
            let waiters = reloadWaiters
            reloadWaiters = []
            waiters.forEach { $0(.failure(error)) }
        }
    }
}
