/// The operator feed: console verbs that create matches and add events.
/// Each answers once the change is written and announced.
///
///     matches                                   every match
///     match-create   home, away                 → id
///     match-event    match, type, team?, player?, minute?, text?   → seq
///     match-finish   match, minute?             → seq (a full-time event)
///     match-ingest   text (JSON lines)          → events; refused whole with line numbers
///
/// Thread-safety: loop thread only.
extension ConsoleVerbs {
    static func board(_ host: ConsoleHost) throws -> ScoreBoard {
        guard let board = host.server.scores else { throw ConsoleError.failed("scores are not enabled") }
        return board
    }

    static func matches(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: Respond) throws {
        let list: [[String: Any]] = try board(host).ledger.sortedMatches.map {
            ["id": $0.id, "home": $0.home, "away": $0.away, "status": $0.status.rawValue, "minute": $0.minute,
             "homeGoals": $0.homeGoals, "awayGoals": $0.awayGoals, "events": $0.lastSeq]
        }
        respond(.ok(["matches": list]))
    }

    static func matchCreate(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        try board(host).submit(.create(home: try request.string("home"), away: try request.string("away"))) { result in
            switch result {
            case .success(.created(let match)): respond(.ok(["id": match.id, "room": match.roomName]))
            case .success: respond(.ok([:]))
            case .failure(let error): respond(.error(.failed(error.description)))
            }
        }
    }

    static func matchEvent(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let typeName = try request.string("type")
        guard let type = ScoreEventType(rawValue: typeName) else {
            throw ConsoleError.invalidArgument("type", reason: "one of \(ScoreEventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try submitEvent(host, request, type: type, respond)
    }

    static func matchFinish(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        try submitEvent(host, request, type: .fullTime, respond)
    }

    private static func submitEvent(_ host: ConsoleHost, _ request: ConsoleRequest, type: ScoreEventType,
                                    _ respond: @escaping Respond) throws {
        var team: TeamSide?
        if let name = try request.optionalString("team") {
            guard let side = TeamSide(rawValue: name) else { throw ConsoleError.invalidArgument("team", reason: "home or away") }
            team = side
        }
        let draft = ScoreEventDraft(matchID: Int64(try request.int("match", in: 1...Int(Int32.max))), type: type,
                                    minute: try request.optionalInt("minute", in: 0...ScoreEventDraft.maxMinute), team: team,
                                    player: try request.optionalString("player"), text: try request.optionalString("text"))
        try board(host).submit(.events([draft])) { result in
            switch result {
            case .success(.events(let events)): respond(.ok(["seq": events.last?.seq ?? 0]))
            case .success: respond(.ok([:]))
            case .failure(let error): respond(.error(.failed(error.description)))
            }
        }
    }

    /// All lines are checked (syntax, then against the matches as they
    /// would be after the lines before) before anything is written.
    static func matchIngest(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let board = try board(host)
        let text = try request.string("text")
        let read: (drafts: [(line: Int, draft: ScoreEventDraft)], problems: [ScoreIngestError.Problem])
        do {
            read = try ScoreIngest.read(text, maxLines: board.config.ingestMaxLines)
        } catch let error as ScoreIngestError {
            throw ConsoleError.failed(error.description)
        }
        let drafts = read.drafts
        // Every bad line at once: the unreadable ones, and the readable ones
        // the matches refuse (an unknown match, a finished one…).
        let refused = board.check(drafts.map(\.draft), lines: drafts.map(\.line))?.problems ?? []
        let problems = (read.problems + refused).sorted { $0.line < $1.line }
        if !problems.isEmpty { throw ConsoleError.failed(ScoreIngestError(problems: problems).description) }
        guard !drafts.isEmpty else { throw ConsoleError.invalidArgument("text", reason: "no events") }
        board.submit(.events(drafts.map(\.draft))) { result in
            switch result {
            case .success(.events(let events)): respond(.ok(["events": events.count]))
            case .success: respond(.ok([:]))
            case .failure(let error): respond(.error(.failed("nothing applied: \(error.description)")))
            }
        }
    }
}
