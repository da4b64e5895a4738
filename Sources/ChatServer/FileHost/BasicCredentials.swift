import Foundation

/// `Authorization: Basic base64(user:password)` (RFC 7617), UTF-8.
///
/// Thread-safety: a value type; any thread.
public struct BasicCredentials: Equatable {
    public let user: String
    public let password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Nil for a missing, non-Basic or malformed header.
    public init?(header: String?) {
        guard let header else { return nil }
        let value = HeaderText.trim(header)
        guard value.count > 6, value.prefix(6).lowercased() == "basic " else { return nil }
        let encoded = HeaderText.trim(value.dropFirst(6))
        guard encoded.utf8.count <= 2048, let data = Data(base64Encoded: encoded),
              let text = String(validating: [UInt8](data), as: UTF8.self),
              let colon = text.firstIndex(of: ":") else { return nil }
        user = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
        guard !user.isEmpty else { return nil }
    }
}
