/// SIGHUP and REHASH: the configuration file, then the certificate.
extension ChatDaemon: DaemonControl {
    public var configurationFile: String? { configPath }

    public func rehash(done: @escaping (_ configuration: Result<[String], Error>, _ certificate: [String]) -> Void) {
        reload { [weak self] result in
            // The certificate is re-read even when the file was refused: the
            // two are independent, and a renewed certificate should not wait
            // for a configuration typo to be fixed.
            guard let self else { return done(result, []) }
            self.reloadCertificates { notes in done(result, notes) }
        }
    }

    /// Logs what a rehash did (SIGHUP has no one else to tell).
    func logRehash(_ configuration: Result<[String], Error>, _ certificate: [String], by whom: String) {
        switch configuration {
        case .success(let notes): for note in notes { logger.notice("reload (\(whom)): \(note)") }
        case .failure(let error): logger.warning("\(error) (\(whom))")
        }
        for note in certificate { logger.notice("reload (\(whom)): \(note)") }
    }
}
