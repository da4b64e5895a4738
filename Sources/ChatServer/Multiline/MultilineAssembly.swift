/// A multiline batch being received from one client: its reference, target,
/// the lines so far and their size, checked against `max-bytes` and
/// `max-lines` as each line arrives, so what is held is bounded.
///
/// Thread-safety: a value type; loop thread only (held by `MultilineBatches`).
struct MultilineAssembly {
    let ref: String
    let target: String
    /// labeled-response: the label of the opening BATCH, for the answer at its end.
    let label: String?
    /// Client-only tags of the opening BATCH; they travel on the message.
    let clientTags: [IRCTag]
    private(set) var lines: [MultilineLine] = []
    /// The text's bytes plus one per line break that will join the lines.
    private(set) var bytes = 0
    /// After a refusal, the rest of the batch is dropped silently until its end.
    var failed = false

    init(ref: String, target: String, label: String?, clientTags: [IRCTag]) {
        self.ref = ref
        self.target = target
        self.label = label
        self.clientTags = clientTags
    }

    mutating func append(target lineTarget: String, text: String, concat: Bool, maxBytes: Int, maxLines: Int) throws {
        guard CaseMapping.fold(lineTarget) == CaseMapping.fold(target) else {
            throw MultilineFailure(.invalidTarget, [target, lineTarget], "Invalid multiline target")
        }
        if concat && (text.isEmpty || lines.isEmpty) {
            throw MultilineFailure(.invalid, [], "draft/multiline-concat on a blank or first line")
        }
        guard lines.count < maxLines else {
            throw MultilineFailure(.maxLines, [String(maxLines)], "Multiline batch max-lines exceeded")
        }
        let added = text.utf8.count + (lines.isEmpty || concat ? 0 : 1)
        guard bytes + added <= maxBytes else {
            throw MultilineFailure(.maxBytes, [String(maxBytes)], "Multiline batch max-bytes exceeded")
        }
        lines.append(MultilineLine(text: text, concat: concat))
        bytes += added
    }

    /// The message as one text: lines joined by LF, concat lines directly.
    var text: String { MultilineText.join(lines) }

    /// Empty, or nothing but blank lines: not a message.
    var isBlank: Bool { lines.allSatisfy { $0.text.isEmpty } }
}
