/// Who an HTTP request for files speaks for: an account, and the chat
/// connections it acts through (the one a token was issued to, or every
/// connection logged in to the account when the password was given).
/// Access is decided as for `FILE GET`, through those connections.
///
/// Thread-safety: loop thread only (it holds clients).
struct FileHTTPIdentity {
    let account: String
    let clients: [Client]
}
