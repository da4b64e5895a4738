import CCrypt
#if canImport(Glibc)
import Glibc
#endif

/// Slow, salted password hashes: yescrypt from libxcrypt, stored in the
/// modular crypt format (`$y$<params>$<salt>$<hash>`), which carries its own
/// parameters and salt.
///
/// Hashing takes tens of milliseconds on purpose: call it on a worker thread,
/// never on the loop.
///
/// Thread-safety: any thread (crypt_rn uses caller-owned state).
public enum PasswordHasher {
    public enum HashError: Error, CustomStringConvertible {
        case saltGenerationFailed(Int32)
        case hashingFailed(Int32)
        /// crypt(3) reads a C string: everything after a NUL would be ignored.
        case nulInPassword
        public var description: String {
            switch self {
            case .nulInPassword: return "a password may not contain NUL"
            case .saltGenerationFailed(let e): return "crypt_gensalt_rn failed (errno \(e))"
            case .hashingFailed(let e): return "crypt_rn failed (errno \(e))"
            }
        }
    }

    /// yescrypt's cost parameter; libxcrypt's default is 5.
    public static var cost: UInt = 5

    /// A hash with a fresh random salt.
    public static func hash(_ password: String) throws -> String {
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn("$y$", cost, nil, 0, &setting, Int32(setting.count)) != nil else {
            throw HashError.saltGenerationFailed(errno)
        }
        return try crypt(password, setting: setting)
    }

    /// Whether `password` matches `stored`, compared in constant time.
    public static func verify(_ password: String, against stored: String) -> Bool {
        guard let computed = try? crypt(password, setting: Array(stored.utf8CString)) else { return false }
        return constantTimeEqual(computed, stored)
    }

    /// A valid hash of nothing anyone knows: verifying against it costs the
    /// same as a real check, so "no such account" takes as long as "wrong password".
    public static let decoy: String = (try? hash("decoy-\(UInt64.random(in: 0...UInt64.max))")) ?? "*"

    private static func crypt(_ password: String, setting: [CChar]) throws -> String {
        // As a C string the password would end at its first NUL, and
        // "secret\0anything" would pass for "secret".
        guard !password.utf8.contains(0) else { throw HashError.nulInPassword }
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer {
            // The state held the password: wipe it.
            memset(data, 0, MemoryLayout<crypt_data>.size)
            data.deallocate()
        }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let out = crypt_rn(password, setting, data, Int32(MemoryLayout<crypt_data>.size)) else {
            throw HashError.hashingFailed(errno)
        }
        let result = String(cString: out)
        // libxcrypt signals failure with a string starting with '*'.
        if result.hasPrefix("*") { throw HashError.hashingFailed(EINVAL) }
        return result
    }
}
