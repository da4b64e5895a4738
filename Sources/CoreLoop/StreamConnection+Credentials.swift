import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// Socket details beyond reading and writing (out of StreamConnection.swift
/// to keep that file under its size).
extension StreamConnection {
    /// The credentials of the process at the other end of a Unix-domain socket.
    public func peerCredentials() throws -> (pid: Int32, uid: UInt32, gid: UInt32) {
        var pid: pid_t = 0, uid: uid_t = 0, gid: gid_t = 0
        try syscallChecked("getsockopt(SO_PEERCRED)") { cepoll_peer_credentials(fd, &pid, &uid, &gid) }
        return (pid, uid, gid)
    }
}
