import Foundation

/// Reads a whole number inside an allowed range from a value that
/// `JSONSerialization` produced, without a conversion that can trap.
///
/// `Int(1e20)`, `Int64(seconds * 1000)` and `UInt64(seconds) * 1_000_000_000`
/// all stop the process when the number is too large; a number typed into a
/// config file or a `chatctl` flag must never get that far. So the value is
/// checked as a `Double` first (finite, no fraction, inside `range`) and only
/// then converted, which cannot fail once it is inside an `Int` range.
///
/// Thread-safety: a stateless namespace; any thread.
public enum WholeNumber {
    public static func read(_ raw: Any, in range: ClosedRange<Int>) -> Result<Int, WholeNumberError> {
        // A JSON boolean is an NSNumber too (`true as? NSNumber` succeeds); it
        // is the one whose type code is "c".
        guard let number = raw as? NSNumber, String(cString: number.objCType) != "c" else {
            return .failure(.notAWholeNumber)
        }
        // Huge integers (past Int64) arrive as NSDecimalNumber; their
        // doubleValue is still finite and so still compared, never converted.
        let value = number.doubleValue
        guard value.isFinite, value.rounded(.towardZero) == value else { return .failure(.notAWholeNumber) }
        // Int(value) is defined on [-2^63, 2^63); both bounds are exact
        // Doubles. Only inside them is the conversion made and the range checked.
        guard value >= -0x1p63, value < 0x1p63, range.contains(Int(value)) else {
            return .failure(.outOfRange(value: format(value), range: range))
        }
        return .success(Int(value))
    }

    /// The value as the operator wrote it: digits when that is short, else
    /// Swift's exponent form (`1e+20`), never a conversion that could trap.
    static func format(_ value: Double) -> String {
        abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
