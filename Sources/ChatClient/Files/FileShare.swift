import Foundation
import ChatServer

/// Recognises a message that announces a shared file. Issue #11 lets the
/// server choose the tag (`+chatd/file=17` or a vendor-namespaced one), so any
/// tag whose key ends in `/file` counts; without tags (no message-tags), the
/// text's `FILE GET <id>` ending does.
///
/// Thread-safety: pure; any thread.
public enum FileShare {
    public static func fileID(tags: [IRCTag], text: String) -> String? {
        if let tag = tags.first(where: { $0.key.hasSuffix("/file") }), let value = tag.value, !value.isEmpty {
            return value
        }
        guard let range = text.range(of: "FILE GET ", options: .backwards) else { return nil }
        let id = text[range.upperBound...]
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        return String(id)
    }
}
