/// Which media type a shared file is served as, from its name's extension,
/// and which an upload may be. Text is always allowed (and checked to be
/// UTF-8 without NUL); `files.allowedTypes` may add others, e.g.
/// `["audio/*", "video/*"]`. Text of any kind is served as `text/plain`
/// (never `text/html`: a shared page must not run in our origin), and
/// anything that is not text, audio or video goes out as an attachment.
///
/// Thread-safety: stateless; any thread.
public enum MediaTypes {
    static let byExtension: [String: String] = [
        "mp3": "audio/mpeg", "ogg": "audio/ogg", "oga": "audio/ogg", "opus": "audio/ogg", "wav": "audio/wav",
        "flac": "audio/flac", "m4a": "audio/mp4", "aac": "audio/aac", "weba": "audio/webm",
        "mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "ogv": "video/ogg", "mov": "video/quicktime",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "pdf": "application/pdf", "zip": "application/zip",
    ]

    /// The type a name's extension stands for, if it is not text.
    public static func binaryType(forName name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return byExtension[name[name.index(after: dot)...].lowercased()]
    }

    /// Whether `type` (e.g. `audio/mpeg`) matches one of `allowed` (`audio/*`, `audio/mpeg`).
    public static func isAllowed(_ type: String, by allowed: [String]) -> Bool {
        let type = type.lowercased()
        return allowed.contains { pattern in
            let pattern = pattern.lowercased()
            if pattern.hasSuffix("/*") { return type.hasPrefix(pattern.dropLast()) }
            return pattern == type
        }
    }

    /// What an upload named `name` must be: `nil` means text (checked as
    /// UTF-8), otherwise the allowed binary type its extension names. A name
    /// whose extension is a binary type the server does not allow is refused.
    public static func uploadType(forName name: String, allowed: [String]) -> Result<String?, FileFailure> {
        guard let type = binaryType(forName: name) else { return .success(nil) }
        guard isAllowed(type, by: allowed) else {
            return .failure(FileFailure(.notText, name, "Files of type \(type) are not accepted here"))
        }
        return .success(type)
    }

    /// `Content-Type` and whether the download is inline (text, audio, video) or an attachment.
    public static func served(name: String, allowed: [String]) -> (contentType: String, inline: Bool) {
        guard let type = binaryType(forName: name), isAllowed(type, by: allowed) else {
            return ("text/plain; charset=utf-8", true)
        }
        return (type, type.hasPrefix("audio/") || type.hasPrefix("video/"))
    }
}
