/// Nicks no user may take: the score service's (`ScoreBot`). It is reserved
/// whether or not scores are on, so that turning the simulator on later
/// cannot collide with a user who took the name meanwhile, and so that
/// nobody can pose as the service in any room or private message.
///
/// The service user lives outside the client registry (it has no
/// connection), so the registry's own uniqueness check does not see it;
/// NICK and REGISTER ask this list instead.
///
/// Thread-safety: immutable; any thread.
enum ReservedNicks {
    static let folded: Set<String> = [CaseMapping.fold(ScoreRooms.serviceNick)]

    /// Whether `nick` is reserved, compared under the server's case mapping.
    static func isReserved(_ nick: String) -> Bool { folded.contains(CaseMapping.fold(nick)) }

    static let reason = "Nickname is reserved for the score service"
}
