/// A client certificate's SHA-256 fingerprint in the one form stored and
/// compared: 64 lowercase hex digits. Operators paste fingerprints as
/// `openssl x509 -fingerprint` prints them (`AB:CD:…`) or as other servers
/// show them (`abcd…`); both mean the same certificate.
///
/// Thread-safety: a value type; any thread.
public struct CertificateFingerprint: Equatable, Hashable, CustomStringConvertible {
    public let hex: String

    /// Nil unless `text` is 32 bytes of hex, with or without colons, any case.
    public init?(_ text: String) {
        let digits = text.lowercased().filter { $0 != ":" }
        guard digits.count == 64, digits.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return nil }
        hex = digits
    }

    public var description: String { hex }
}
