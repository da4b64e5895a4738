import CTLS

/// The primitives SCRAM-SHA-256 needs (RFC 5802 §2.2, RFC 7677), from
/// OpenSSL: SHA-256, HMAC-SHA-256 and PBKDF2 ("Hi"). PBKDF2 is the slow
/// part (4096 rounds or more): call `hi` on a worker, never on the loop;
/// the others take microseconds.
///
/// Thread-safety: pure functions; any thread.
enum ScramCrypto {
    static let digestLength = 32

    static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        _ = data.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, EVP_sha256(), nil)
        }
        return out
    }

    static func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.baseAddress?.assumingMemoryBound(to: UInt8.self),
                         d.count, &out, &length)
            }
        }
        return out
    }

    /// Hi(password, salt, i): PBKDF2 with HMAC-SHA-256, one block.
    static func hi(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: digestLength)
        password.withUnsafeBytes { p in
            salt.withUnsafeBytes { s in
                _ = PKCS5_PBKDF2_HMAC(p.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(p.count),
                                      s.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(s.count),
                                      Int32(iterations), EVP_sha256(), Int32(digestLength), &out)
            }
        }
        return out
    }

    static func xor(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] { zip(a, b).map { $0 ^ $1 } }

    /// Equal in time that does not depend on where they differ.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        if RAND_bytes(&out, Int32(count)) != 1 {
            // OpenSSL's generator failed (it should not): fall back to the system's.
            var generator = SystemRandomNumberGenerator()
            for i in out.indices { out[i] = generator.next() }
        }
        return out
    }
}
