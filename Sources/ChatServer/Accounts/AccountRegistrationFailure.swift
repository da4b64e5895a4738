/// Why REGISTER did not succeed.
///
/// Thread-safety: a value; any thread.
enum AccountRegistrationFailure: Error, Equatable {
    case exists
    case unavailable
}
