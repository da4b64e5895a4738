// swift-tools-version:5.4
import PackageDescription

// libFuzzer targets for chatd's input parsers (issue #10). A package of its
// own, so `swift build` / `swift test` at the root never build them; run them
// with `scripts/fuzz.sh`, which builds with `-sanitize=fuzzer`.
//
// They use only ChatServer's public API (IRCMessage(parsing:), LineFramer,
// ConfigLoader.parse, ConsoleRequest and its accessors), not `@testable
// import`: that would need `-enable-testing` on the whole dependency build and
// would let a target reach internals the daemon never exposes. Tag parsing is
// reached through IRCMessage(parsing:) with a leading "@", as the server does.
//
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM renames an executable's
// entry point to `<Module>_main` and links `--defsym main=<Module>_main`,
// which leaves no room for libFuzzer's own `main` (the link fails with an
// undefined `FuzzIRCMessage_main`). In 5.4 the package name in
// `.product(name:package:)` is also the manifest's name, "chatd", not the
// checkout folder's, so any clone directory works.
let fuzzSettings: [SwiftSetting] = [
    // No main.swift: libFuzzer supplies `main` and calls LLVMFuzzerTestOneInput.
    .unsafeFlags(["-parse-as-library"]),
]

func fuzzTarget(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: [.product(name: "ChatServer", package: "chatd")], swiftSettings: fuzzSettings)
}

let package = Package(
    name: "chatd-fuzz",
    dependencies: [
        .package(name: "chatd", path: ".."),
    ],
    targets: [
        fuzzTarget("FuzzIRCMessage"),
        fuzzTarget("FuzzLineFramer"),
        fuzzTarget("FuzzConfigLoader"),
        fuzzTarget("FuzzConsoleRequest"),
        .executableTarget(name: "FuzzScoreDatagram", dependencies: [.product(name: "ScoreFeed", package: "chatd")],
                          swiftSettings: fuzzSettings),
        fuzzTarget("FuzzScoreIngest"),
        // The chat client's decoding of server lines (ChatClient, issue #13).
        .executableTarget(name: "FuzzClientLines", dependencies: [
            .product(name: "ChatClient", package: "chatd"), .product(name: "ChatServer", package: "chatd"),
        ], swiftSettings: fuzzSettings),
        fuzzTarget("FuzzFileCommand"),
        // The web side's parsers (HTTPCore, issue #15).
        .executableTarget(name: "FuzzHTTPRequest", dependencies: [.product(name: "HTTPCore", package: "chatd")],
                          swiftSettings: fuzzSettings),
        .executableTarget(name: "FuzzWebSocketFrames", dependencies: [.product(name: "HTTPCore", package: "chatd")],
                          swiftSettings: fuzzSettings),
    ],
    swiftLanguageVersions: [.v5]
)
