/// What `LIST <filters>` asks for (ISUPPORT `ELIST=CMNTU`, modern docs):
/// a comma list of exact channel names, masks (`#ch*`), negated masks
/// (`!*an1`), user counts (`>3` more than three, `<3` fewer than three) and
/// ages in minutes: `C<5` created less than five minutes ago, `C>5` more
/// than five; `T<5` / `T>5` the same for when the topic was set (a channel
/// without a topic matches no `T` term). Ages read as InspIRCd and Solanum
/// read them (ircdocs/modern-irc#171); Hybrid and UnrealIRCd 5 read `C` the
/// other way round. Names and masks are alternatives; every other term must
/// hold.
///
/// Thread-safety: a value type; any thread.
struct ListFilter {
    /// What a term is tested against: one channel as the asker sees it.
    struct Subject {
        var name: String
        var users: Int
        var ageSeconds: Int64
        /// Seconds since the topic was set; nil without a topic.
        var topicAgeSeconds: Int64?
    }

    private(set) var names: [String] = []
    private var masks: [String] = []
    private var excluded: [String] = []
    private var users = Bounds()
    private var ageMinutes = Bounds()
    private var topicAgeMinutes = Bounds()

    /// An open interval: above `moreThan` and below `fewerThan`, where set.
    private struct Bounds {
        var moreThan: Int64?
        var fewerThan: Int64?
        var isSet: Bool { moreThan != nil || fewerThan != nil }

        /// Takes `>n` or `<n`; false for anything else.
        mutating func take(_ term: Substring) -> Bool {
            guard let sign = term.first, sign == ">" || sign == "<", let n = Int64(term.dropFirst()) else { return false }
            if sign == ">" { moreThan = max(moreThan ?? n, n) } else { fewerThan = min(fewerThan ?? n, n) }
            return true
        }

        /// `value` is in units of `scale` (e.g. seconds against minutes).
        func admits(_ value: Int64, scale: Int64 = 1) -> Bool {
            if let moreThan, value <= Self.scaled(moreThan, scale) { return false }
            if let fewerThan, value >= Self.scaled(fewerThan, scale) { return false }
            return true
        }

        /// `n * scale`, saturating: a client may send any number.
        private static func scaled(_ n: Int64, _ scale: Int64) -> Int64 {
            let (product, overflow) = n.multipliedReportingOverflow(by: scale)
            return overflow ? (n < 0 ? .min : .max) : product
        }
    }

    init(_ param: String) {
        for term in param.split(separator: ",") {
            if users.take(term) { continue }
            if term.hasPrefix("C"), ageMinutes.take(term.dropFirst()) { continue }
            if term.hasPrefix("T"), topicAgeMinutes.take(term.dropFirst()) { continue }
            if term.hasPrefix("!") {
                excluded.append(String(term.dropFirst()))
            } else if term.contains("*") || term.contains("?") {
                masks.append(String(term))
            } else {
                names.append(String(term))
            }
        }
    }

    /// Only exact names: look them up instead of walking every channel.
    var onlyNames: Bool { !names.isEmpty && masks.isEmpty }

    func admits(_ channel: Subject) -> Bool {
        guard users.admits(Int64(channel.users)), ageMinutes.admits(channel.ageSeconds, scale: 60) else { return false }
        if topicAgeMinutes.isSet {
            guard let topicAge = channel.topicAgeSeconds, topicAgeMinutes.admits(topicAge, scale: 60) else { return false }
        }
        if excluded.contains(where: { CaseMapping.globMatch($0, channel.name) }) { return false }
        if names.isEmpty && masks.isEmpty { return true }
        let folded = CaseMapping.fold(channel.name)
        return names.contains { CaseMapping.fold($0) == folded } || masks.contains { CaseMapping.globMatch($0, channel.name) }
    }
}
