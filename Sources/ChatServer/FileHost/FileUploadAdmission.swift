/// Who an HTTP upload acts as, settled on its head before the body was
/// read (`FileHTTPResponder.admit`), handed back with the request.
///
/// Thread-safety: loop thread only (it holds clients).
final class FileUploadAdmission {
    private let settled: FileHTTPIdentity

    init(_ identity: FileHTTPIdentity) {
        settled = identity
    }

    /// The identity as it is now: the body took a while to arrive, and a
    /// connection it would act through may have left since, or logged out
    /// or in to another account.
    func identity(now server: IRCServer) -> FileHTTPIdentity {
        let account = CaseMapping.fold(settled.account)
        let live = settled.clients.filter {
            server.clients[$0.id] === $0 && $0.state != .quitting && $0.account.map(CaseMapping.fold) == account
        }
        return FileHTTPIdentity(account: settled.account, clients: live)
    }
}
