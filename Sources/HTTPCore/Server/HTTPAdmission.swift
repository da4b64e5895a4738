/// A responder's verdict on a request with a body, given its head alone
/// (`HTTPResponder.admit`): read the body, or answer without storing it.
///
/// Deciding before the body arrives keeps what an unauthorised or
/// malformed upload costs to its head: a refused body is read and thrown
/// away (or, when the client waits for `100 Continue`, never asked for),
/// never held.
///
/// Thread-safety: a value; made and read on the loop thread.
public enum HTTPAdmission {
    /// Read the body. `context` (say, who the request acts as) comes back
    /// with the request (`HTTPRequest.admission`), so the work done to
    /// decide (a password hash) is not done twice.
    case admit(context: AnyObject?)
    /// Answer this instead; the body is not kept.
    case refuse(HTTPResponse)
}
