/// Seconds from configuration turned into nanoseconds without trapping: a
/// negative value is 0 and an overflowing one saturates at `UInt64.max`
/// (the config loader bounds every key, but `ServerConfig` is public and can
/// be built without it).
///
/// Thread-safety: pure functions; any thread.
enum SaturatingNanos {
    static func seconds(_ value: Int) -> UInt64 {
        let (product, overflow) = UInt64(clamping: value).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product
    }

    static func sum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (total, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : total
    }
}
