/// What `LIST <filters>` asks for (ISUPPORT `ELIST=MNU`, modern docs):
/// a comma list of exact channel names, masks (`#ch*`), negated masks
/// (`!*an1`) and user counts (`>3` more than three, `<3` fewer than three).
/// Names and masks are alternatives; negations and counts must all hold.
///
/// Thread-safety: a value type; any thread.
struct ListFilter {
    private(set) var names: [String] = []
    private var masks: [String] = []
    private var excluded: [String] = []
    private var moreThan: Int?
    private var fewerThan: Int?

    init(_ param: String) {
        for term in param.split(separator: ",").map(String.init) {
            if term.hasPrefix(">"), let n = Int(term.dropFirst()) {
                moreThan = max(moreThan ?? n, n)
            } else if term.hasPrefix("<"), let n = Int(term.dropFirst()) {
                fewerThan = min(fewerThan ?? n, n)
            } else if term.hasPrefix("!") {
                excluded.append(String(term.dropFirst()))
            } else if term.contains("*") || term.contains("?") {
                masks.append(term)
            } else {
                names.append(term)
            }
        }
    }

    /// Only exact names: look them up instead of walking every channel.
    var onlyNames: Bool { !names.isEmpty && masks.isEmpty }

    func admits(_ name: String, users: Int) -> Bool {
        if let moreThan, users <= moreThan { return false }
        if let fewerThan, users >= fewerThan { return false }
        if excluded.contains(where: { CaseMapping.globMatch($0, name) }) { return false }
        if names.isEmpty && masks.isEmpty { return true }
        let folded = CaseMapping.fold(name)
        return names.contains { CaseMapping.fold($0) == folded } || masks.contains { CaseMapping.globMatch($0, name) }
    }
}
