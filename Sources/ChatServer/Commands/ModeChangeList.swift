/// The mode changes actually applied, folded into one `+ab-c x y` for broadcast.
struct ModeChangeList {
    private var flags = ""
    private var params: [String] = []
    private var lastSign: Character?

    var isEmpty: Bool { flags.isEmpty }

    mutating func add(_ adding: Bool, _ mode: Character, _ param: String?) {
        let sign: Character = adding ? "+" : "-"
        if lastSign != sign { flags.append(sign); lastSign = sign }
        flags.append(mode)
        if let param { params.append(param) }
    }

    var wire: [String] { [flags] + params }
}
