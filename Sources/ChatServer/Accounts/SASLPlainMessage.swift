import Foundation

/// The SASL PLAIN payload: `authzid NUL authcid NUL password`, base64 on the
/// wire. Exactly two NULs (RFC 4616 §2: no field contains one), so a third
/// is malformed rather than part of the password.
///
/// Thread-safety: a value type; any thread.
struct SASLPlainMessage: Equatable {
    var authorizationID: String
    var account: String
    var password: String

    init?(base64 text: String) {
        guard let data = Data(base64Encoded: text) else { return nil }
        let parts = data.split(separator: 0, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        authorizationID = String(decoding: parts[0], as: UTF8.self)
        account = String(decoding: parts[1], as: UTF8.self)
        password = String(decoding: parts[2], as: UTF8.self)
        guard !account.isEmpty, !password.isEmpty else { return nil }
    }
}
