/// Why a JSON value is not an acceptable whole number. `ConfigLoader` and
/// `ConsoleRequest` turn it into their own error, which names the key.
///
/// Thread-safety: a value type; any thread.
public enum WholeNumberError: Error, Equatable {
    /// Not a number at all, a boolean, NaN, an infinity, or a number with a fraction.
    case notAWholeNumber
    /// A whole number outside the allowed range; `value` is the number as written back.
    case outOfRange(value: String, range: ClosedRange<Int>)

    /// "between 1 and 86400": the words both error types use for a range.
    public static func describe(_ range: ClosedRange<Int>) -> String {
        "between \(range.lowerBound) and \(range.upperBound)"
    }
}
