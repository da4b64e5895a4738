/// Reading the `files` section, with the range of each whole-number key.
extension ConfigLoader {
    public static let fileSettings: [IntegerSetting<FileSettings>] = [
        IntegerSetting("maxBytes", \.maxBytes, 1...67_108_864),
        IntegerSetting("quotaBytes", \.quotaBytes, 0...1_099_511_627_776),
        IntegerSetting("maxUploadsPerConnection", \.maxUploadsPerConnection, 1...100),
        IntegerSetting("uploadIdleSeconds", \.uploadIdleSeconds, 1...maxSeconds),
        IntegerSetting("maxUploadMemoryBytes", \.maxUploadMemoryBytes, 0...68_719_476_736),
    ]

    /// `files`: `requireAccount` and the whole numbers above; unknown keys are errors.
    static func parseFiles(_ reader: inout Reader, into config: inout ServerConfig) throws {
        guard var r = try reader.object("files") else { return }
        try r.bool("requireAccount", into: &config.files.requireAccount)
        try r.ints(fileSettings, into: &config.files)
        try r.finish()
    }
}
