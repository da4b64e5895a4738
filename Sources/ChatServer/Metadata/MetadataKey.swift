/// Key names (draft/metadata-2 "Keys and Values"): `A-Z a-z 0-9 _ . : -`,
/// not starting with `:`, compared case-insensitively (kept lowercase here),
/// at most `MetadataLimits.maxKeyBytes`.
///
/// Thread-safety: pure functions; any thread.
enum MetadataKey {
    /// The key in its stored (lowercase) form, or nil if it is not a valid name.
    static func normalize(_ key: String) -> String? {
        let bytes = key.utf8
        guard let first = bytes.first, first != UInt8(ascii: ":"), bytes.count <= MetadataLimits.maxKeyBytes else { return nil }
        let ok = bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
        }
        return ok ? key.lowercased() : nil
    }
}
