import ChatClient

/// Keeps every event a connection reported, for tests to wait on and inspect.
final class EventRecorder {
    private(set) var events: [ClientEvent] = []

    func attach(_ connection: ChatConnection) {
        connection.onEvent = { [unowned self] in events.append($0) }
    }

    var lines: [ChatLine] { events.compactMap { if case .line(let l) = $0 { return l } else { return nil } } }

    func has(_ predicate: (ClientEvent) -> Bool) -> Bool { events.contains(where: predicate) }

    func count(_ predicate: (ClientEvent) -> Bool) -> Int { events.filter(predicate).count }

    func line(_ text: String, in place: ChatLine.Place? = nil) -> ChatLine? {
        lines.first { $0.text == text && (place == nil || $0.place == place!) }
    }

    var failure: ClientFailure? {
        for e in events { if case .failure(let f) = e { return f } }
        return nil
    }

    var isClosed: Bool { has { if case .status(.closed) = $0 { return true } else { return false } } }
}
