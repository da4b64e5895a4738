/// A registered account as stored.
///
/// Thread-safety: a value type; any thread.
public struct AccountRecord: Equatable {
    public var name: String
    public var email: String?
    public var passwordHash: String
    public var createdAtMillis: Int64
    public var isOperator: Bool

    public var folded: String { CaseMapping.fold(name) }

    public init(name: String, email: String?, passwordHash: String, createdAtMillis: Int64, isOperator: Bool = false) {
        self.name = name
        self.email = email
        self.passwordHash = passwordHash
        self.createdAtMillis = createdAtMillis
        self.isOperator = isOperator
    }
}
