import CoreLoop

/// Client addresses allowed to use a resource (`http.metricsAllow`): exact
/// addresses as the listener reports them (`127.0.0.1`, `::1`), or `*`.
/// IPv4 clients on an IPv6 socket (`::ffff:127.0.0.1`) match their IPv4 form.
///
/// Thread-safety: a value type; any thread.
public struct AddressAllowList: Equatable {
    public var entries: [String]

    public init(_ entries: [String]) {
        self.entries = entries.map { $0.lowercased() }
    }

    public func permits(_ peer: SocketAddress?) -> Bool {
        if entries.contains("*") { return true }
        guard var host = peer?.host.lowercased() else { return false }
        if host.hasPrefix("::ffff:") && host.contains(".") { host.removeFirst(7) }
        return entries.contains(host)
    }
}
