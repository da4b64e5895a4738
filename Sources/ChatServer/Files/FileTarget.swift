/// Where an upload goes: a channel, or a person (by account when they
/// have one, else by nick).
///
/// Thread-safety: a value type; any thread.
struct FileTarget: Equatable {
    let kind: FileRecord.Kind
    /// As written by the uploader (the channel's or the person's name).
    let name: String
    /// Folded: how rows and rules compare it.
    let key: String
}
