import Foundation

/// `account-add-certfp`: links a client-certificate fingerprint to an
/// account, so SASL EXTERNAL logs that certificate in to it.
///
/// Thread-safety: loop thread only; the write runs on the storage writer.
extension ConsoleVerbs {
    static func accountAddCertFP(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let services = try services(host)
        let name = try request.string("name"), text = try request.string("fingerprint")
        guard let fingerprint = CertificateFingerprint(text) else {
            throw ConsoleError.invalidArgument("fingerprint", reason: "must be a SHA-256 fingerprint: 64 hex digits, colons allowed")
        }
        let storage = services.storage
        let now = host.server.clock.wallMillis
        services.writer.offload({ try storage.addCertificateFingerprint(fingerprint, toAccount: name, atMillis: now) }) { result in
            switch result {
            case .success(.added), .success(.alreadyLinked): respond(.ok(["fingerprint": fingerprint.hex]))
            case .success(.noSuchAccount): respond(.error(.failed("no such account: \(name)")))
            case .success(.linkedToOther(let owner)):
                respond(.error(.failed("that certificate already logs in to account \(owner)")))
            case .failure(let error): respond(.error(.failed("could not update the account: \(error)")))
            }
        }
    }
}
