import CoreLoop

/// Standard input on the loop: when it is readable, the terminal decodes
/// every key waiting and the app gets them, in the same turn as socket input.
///
/// Thread-safety: loop thread only.
final class StdinSource: Selectable {
    private let onReadable: () -> Void
    private let onHangup: () -> Void
    private var token: UInt64 = 0
    private let loop: EventLoop

    init(loop: EventLoop, onReadable: @escaping () -> Void, onHangup: @escaping () -> Void) throws {
        self.loop = loop
        self.onReadable = onReadable
        self.onHangup = onHangup
        token = try loop.register(self, fd: 0, interest: .read)
    }

    func handleReadable() { onReadable() }

    /// The terminal went away (the window closed): stop watching it.
    func handleHangup(error: Bool) {
        loop.deregister(fd: 0, token: token)
        onHangup()
    }
}
