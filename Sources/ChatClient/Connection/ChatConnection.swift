import ChatServer
import CoreLoop
#if canImport(Glibc)
import Glibc
#endif

/// One client connection to a chat server on a CoreLoop `EventLoop`: it
/// connects without blocking, registers (CAP, SASL PLAIN, NICK/USER), answers
/// PING, decodes what arrives into `ClientEvent`s, and, when the connection
/// drops, reconnects with backoff and joins its channels again.
///
/// The owner keeps it alive (a `StreamConnection`'s delegate is weak) and gets
/// everything through `onEvent`, in order, on the loop thread.
///
/// Thread-safety: loop thread only.
public final class ChatConnection: StreamConnectionDelegate {
    public let loop: EventLoop
    public private(set) var config: ClientConfig
    public var onEvent: (ClientEvent) -> Void = { _ in }
    /// Called when the send queue drains below its low-water mark (uploads wait for it).
    public var onWritable: () -> Void = {}
    public private(set) var status: ConnectionStatus = .idle
    public private(set) var account: String?
    public private(set) var caps: Set<String> = []
    /// Channels we are in, or will rejoin after a reconnect, in join order.
    public private(set) var channels: [String] = []
    public var nick: String { decoder.nick }
    public var isupport: ISupport { decoder.isupport }

    /// Registers the current nick as an account (`REGISTER * <email>
    /// <password>`); once the server logs us in, reconnections log in with
    /// that password (it is kept in memory only, as `--account`'s is).
    public func register(email: String, password: String) {
        registeringPassword = password
        send(IRCMessage(command: "REGISTER", params: ["*", email, password]))
    }

    /// `text` as the messages to send to `target`, each fitting one relayed
    /// line (`MessageSplitter`), our source as others see it counted.
    public func pieces(of text: String, to target: String, command: String = "PRIVMSG", action: Bool = false) -> [String] {
        let source = decoder.selfSource?.utf8.count ?? MessageSplitter.assumedSource(nick: decoder.nick)
        return MessageSplitter.split(text, command: command, target: target, sourceBytes: source, action: action,
                                     lineLength: MessageSplitter.lineLength(decoder.isupport))
    }
    public var isRegistered: Bool { status == .registered }
    /// False while the send queue is above its high-water mark.
    public private(set) var isWritable = true

    /// The longest line taken from the server, tags included (IRCv3: 8191 of
    /// tags plus 512 of message); longer ones are skipped.
    public static let maxLineBytes = 8_191 + 512
    private var stream: StreamConnection?
    private var framer = LineFramer(maxLineBytes: ChatConnection.maxLineBytes)
    private var registration: RegistrationMachine?
    private var decoder: MessageDecoder
    private var batches = BatchCollector()
    private var backoff: Backoff
    private var reconnectTimer: TimerHandle?
    private var attempt = 0
    private var stopping = false
    private var closeReason: String?
    private var hadRegistered = false
    /// The password given to REGISTER, until the server logs us in (900).
    private var registeringPassword: String?

    public init(loop: EventLoop, config: ClientConfig) {
        self.loop = loop
        self.config = config
        self.decoder = MessageDecoder(nick: config.nick)
        self.backoff = config.backoff
    }

    /// Starts the first connection attempt.
    public func start() {
        loop.assertInLoop()
        stopping = false
        connect()
    }

    private func setStatus(_ s: ConnectionStatus) {
        status = s
        onEvent(.status(s))
    }

    private func connect() {
        attempt += 1
        setStatus(.connecting(attempt: attempt))
        let address: SocketAddress
        do {
            address = try SocketAddress(parsing: config.server)
        } catch {
            let failure = ClientFailure.cannotConnect("\(config.server): \(error)")
            onEvent(.failure(failure))
            return finish(failure)
        }
        TCPConnector.connect(loop: loop, to: address, limits: config.limits) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let connection):
                guard !self.stopping else { return connection.close(reason: .local("quit")) }
                self.attach(connection)
            case .failure(let error):
                self.lost("cannot connect to \(self.config.server): \(error)", connectFailed: true)
            }
        }
    }

    private func attach(_ connection: StreamConnection) {
        stream = connection
        connection.delegate = self
        framer = LineFramer(maxLineBytes: Self.maxLineBytes)
        batches.reset()
        closeReason = nil
        do { try connection.start() } catch {
            return lost("cannot start the connection: \(error)", connectFailed: true)
        }
        setStatus(.registering)
        var machine = RegistrationMachine(nick: decoder.nick, user: config.user, realName: config.realName,
                                          account: config.account, password: config.password,
                                          wanted: ClientConfig.standardCapabilities + config.extraCapabilities)
        let actions = machine.start()
        registration = machine
        perform(actions)
    }

    /// Sends one message; false if not connected (the caller tells the user).
    @discardableResult
    public func send(_ message: IRCMessage) -> Bool {
        guard let stream, stream.isOpen else { return false }
        return stream.write(ByteChunk(message.encoded()))
    }

    @discardableResult
    public func send(_ command: String, _ params: String...) -> Bool {
        send(IRCMessage(command: command, params: params))
    }

    /// Bytes waiting in the send queue.
    public var queuedBytes: Int { stream?.outboundBytes ?? 0 }

    /// Says QUIT, closes after the queue is flushed, and stays closed.
    public func quit(_ reason: String = "bye") {
        stopping = true
        if let timer = reconnectTimer { _ = loop.cancel(timer); reconnectTimer = nil }
        if let stream, stream.isOpen {
            _ = stream.write(ByteChunk(IRCMessage(command: "QUIT", params: [reason]).encoded()))
            stream.close(reason: .local("quit"), afterFlush: true)
        } else {
            finish(nil)
        }
    }

    // MARK: - StreamConnectionDelegate

    public func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        var used = 0
        while used < bytes.count, stream === connection, connection.isOpen {
            let (frame, consumed) = framer.next(in: UnsafeRawBufferPointer(rebasing: bytes[used...]))
            guard consumed > 0 else { break }
            used += consumed
            // Lines that do not parse (or are too long) are skipped: a client
            // cannot answer them, and one bad line must not end the session.
            if case .line(let raw)? = frame, !raw.isEmpty, let message = try? IRCMessage(parsing: raw) {
                handle(message)
            }
        }
        return used
    }

    public func connection(_ connection: StreamConnection, writabilityChanged writable: Bool) {
        isWritable = writable
        if writable { onWritable() }
    }

    public func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        guard stream === connection else { return }
        stream = nil
        isWritable = true
        lost(closeReason ?? "\(reason)", connectFailed: false)
    }

    // MARK: - Input

    private func handle(_ m: IRCMessage) {
        onEvent(.message(m))
        if m.command == "PING" {
            send(IRCMessage(command: "PONG", params: m.params))
            return
        }
        if m.command == "ERROR" { closeReason = m.params.last }
        // A log-in after registration (REGISTER, or SASL later) also ends in 900.
        if m.command == "900", m.params.count >= 3, registration?.isDone ?? true {
            account = m.params[2]
            if let password = registeringPassword {
                // Registered from here: reconnections log in to the new account.
                config.account = m.params[2]
                config.password = password
                registeringPassword = nil
            }
        }
        if m.command == "FAIL", m.params.first == "REGISTER" { registeringPassword = nil }
        if m.command == "901" { account = nil }
        if var machine = registration, !machine.isDone {
            let actions = machine.receive(m)
            registration = machine
            perform(actions)
            if case .closed = status { return }
        }
        if m.command == "BATCH" {
            if let batch = batches.handleBatch(m), batch.type == "chathistory" {
                let now = Self.nowMillis()
                let lines = batch.messages.flatMap { decoder.decode($0, nowMillis: now, isHistory: true) }.compactMap { event -> ChatLine? in
                    if case .line(var l) = event {
                        if case .active = l.place { l.place = .window(batch.target) }
                        return l
                    }
                    return nil
                }
                onEvent(.history(target: batch.target, lines: lines))
            }
            return
        }
        if batches.take(m) { return }
        for event in decoder.decode(m, nowMillis: Self.nowMillis()) {
            track(event)
            onEvent(event)
        }
    }

    /// Keeps the channel list for rejoining, and the account.
    private func track(_ event: ClientEvent) {
        switch event {
        case .joined(let channel):
            if !channels.contains(where: { $0.lowercased() == channel.lowercased() }) { channels.append(channel) }
        case .left(let channel):
            channels.removeAll { $0.lowercased() == channel.lowercased() }
        default:
            break
        }
    }

    private func perform(_ actions: [RegistrationMachine.Action]) {
        for action in actions {
            switch action {
            case .send(let message):
                send(message)
            case .loggedIn(let name):
                account = name
            case .registered(let nick, let caps):
                self.caps = caps
                decoder.nick = nick
                hadRegistered = true
                backoff.reset()
                attempt = 0
                setStatus(.registered)
                onEvent(.registered(nick: nick, account: account))
                if !channels.isEmpty {
                    onEvent(.rejoining(channels))
                    send(IRCMessage(command: "JOIN", params: [channels.joined(separator: ",")]))
                }
            case .failed(let failure):
                // A wrong password does not get better by retrying.
                onEvent(.failure(failure))
                stopping = true
                closeReason = failure.description
                if let stream, stream.isOpen {
                    _ = stream.write(ByteChunk(IRCMessage(command: "QUIT", params: ["log-in failed"]).encoded()))
                    stream.close(reason: .local("log-in failed"), afterFlush: true)
                } else {
                    finish(failure)
                }
                return
            }
        }
    }

    // MARK: - Loss and reconnect

    private func lost(_ reason: String, connectFailed: Bool) {
        registration = nil
        account = nil
        guard !stopping, config.reconnect else {
            let failure: ClientFailure? = stopping ? nil
                : connectFailed && !hadRegistered ? .cannotConnect(reason) : .disconnected(reason)
            if let failure { onEvent(.failure(failure)) }
            return finish(failure, reason: reason)
        }
        let delay = backoff.nextDelayMillis()
        setStatus(.waitingToReconnect(delayMillis: delay, reason: reason))
        reconnectTimer = loop.schedule(after: .milliseconds(UInt64(delay))) { [weak self] in
            guard let self, !self.stopping else { return }
            self.reconnectTimer = nil
            self.connect()
        }
    }

    private func finish(_ failure: ClientFailure?, reason: String? = nil) {
        if case .closed = status { return }
        setStatus(.closed(reason: reason ?? failure?.description ?? "quit"))
    }

    static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
