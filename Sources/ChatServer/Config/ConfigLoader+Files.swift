/// Reading the `files` section, with the range of each whole-number key.
extension ConfigLoader {
    public static let fileSettings: [IntegerSetting<FileSettings>] = [
        IntegerSetting("maxBytes", \.maxBytes, 1...67_108_864),
        IntegerSetting("quotaBytes", \.quotaBytes, 0...1_099_511_627_776),
        IntegerSetting("maxUploadsPerConnection", \.maxUploadsPerConnection, 1...100),
        IntegerSetting("uploadIdleSeconds", \.uploadIdleSeconds, 1...maxSeconds),
        IntegerSetting("maxUploadMemoryBytes", \.maxUploadMemoryBytes, 0...68_719_476_736),
        IntegerSetting("maxDownloadMemoryBytes", \.maxDownloadMemoryBytes, 0...68_719_476_736),
    ]

    /// `files`: `requireAccount`, `allowedTypes` and the whole numbers above; unknown keys are errors.
    static func parseFiles(_ reader: inout Reader, into config: inout ServerConfig) throws {
        guard var r = try reader.object("files") else { return }
        try r.bool("requireAccount", into: &config.files.requireAccount)
        try r.ints(fileSettings, into: &config.files)
        try r.strings("allowedTypes", into: &config.files.allowedTypes)
        if let bad = config.files.allowedTypes.first(where: { !isMediaTypePattern($0) }) {
            throw ConfigError.invalidValue(file: r.file, key: "files.allowedTypes",
                                           reason: "'\(bad)' is not a media type such as audio/mpeg or audio/*")
        }
        try r.finish()
    }

    /// `type/subtype` or `type/*`, in lower-case letters, digits and `.+-`.
    static func isMediaTypePattern(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0] != "*" else { return false }
        let ok: (Substring) -> Bool = { $0.utf8.allSatisfy { b in (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b == 0x2e || b == 0x2b || b == 0x2d } }
        return ok(parts[0]) && (parts[1] == "*" || ok(parts[1]))
    }
}
