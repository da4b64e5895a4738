import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// Delivers signals as loop events through a signalfd, so a handler runs as
/// ordinary loop code instead of in async-signal context.
///
/// The signals are blocked in the calling thread, and threads it starts later
/// inherit that. A thread that does not block them (one a library started
/// earlier) may still be handed a process-directed signal by the kernel; a
/// small handler forwards it to this thread, where it waits for the signalfd.
/// So: create the source on the thread that will run the loop.
/// Also ignores SIGPIPE for the whole process: a write to a closed socket is
/// an EPIPE error to handle, not a reason to die.
///
/// Thread-safety: loop thread only.
public final class SignalSource: Selectable {
    public let loop: EventLoop
    public let signals: [Int32]
    private var fd: Int32
    private var token: UInt64 = 0
    /// Called on the loop thread with each signal number.
    public var handler: (Int32) -> Void

    /// The signals a daemon handles by default.
    public static let standard: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    public init(loop: EventLoop, signals: [Int32] = SignalSource.standard, handler: @escaping (Int32) -> Void) throws {
        self.loop = loop
        self.signals = signals
        self.handler = handler
        Self.ignoreSIGPIPE()
        for signo in signals {
            _ = cepoll_block_signal(signo)
            Self.installForwarder(signo)
        }
        fd = try syscallChecked("signalfd") { signals.withUnsafeBufferPointer { cepoll_signalfd($0.baseAddress, Int32($0.count)) } }
        token = try loop.register(self, fd: fd, interest: .read)
    }

    deinit { if fd >= 0 { closeDescriptor(fd) } }

    /// Blocks the standard signals in the calling thread (used by threads the
    /// project starts itself, so they never take a signal meant for the loop).
    public static func blockStandardSignals() {
        for signo in standard { _ = cepoll_block_signal(signo) }
    }

    public static func ignoreSIGPIPE() { _ = cepoll_ignore_sigpipe() }

    /// Installs the handler that forwards a signal taken by another thread to
    /// the calling (loop) thread. pthread_kill is async-signal-safe, and the
    /// global is set before the handler can run.
    private static func installForwarder(_ signo: Int32) {
        signalForwardTarget = pthread_self()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signo in _ = pthread_kill(signalForwardTarget, signo) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = Int32(SA_RESTART)
        sigaction(signo, &action, nil)
    }

    public func close() {
        guard fd >= 0 else { return }
        loop.deregister(fd: fd, token: token)
        closeDescriptor(fd)
        fd = -1
    }

    /// The loop is closing: close the signalfd, as `close()`. The signals
    /// stay blocked in this thread.
    public func loopWillClose() { close() }

    public func handleReadable() {
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        while fd >= 0 {
            guard case .processed(let n)? = try? syscall("read(signalfd)", { read(fd, &info, size) }), n == size else { return }
            handler(Int32(info.ssi_signo))
        }
    }
}

/// The thread signals are forwarded to; see `SignalSource.installForwarder`.
private var signalForwardTarget: pthread_t = pthread_self()
