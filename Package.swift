// swift-tools-version:6.0
import PackageDescription

/// Absolute, for a linker flag naming a file of the package.
let packageRoot = String(#filePath.dropLast("/Package.swift".count))

let package = Package(
    name: "chatd",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chatd", targets: ["chatd"]),
        .executable(name: "chatctl", targets: ["chatctl"]),
        .executable(name: "chatbench", targets: ["chatbench"]),
        .library(name: "CoreLoop", targets: ["CoreLoop"]),
        .library(name: "ChatServer", targets: ["ChatServer"]),
        .library(name: "HTTPCore", targets: ["HTTPCore"]),
        .library(name: "ScoreFeed", targets: ["ScoreFeed"]),
        .executable(name: "scorewatch", targets: ["scorewatch"]),
        .executable(name: "chat", targets: ["chat"]),
        .library(name: "ChatClient", targets: ["ChatClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // epoll, eventfd, timerfd and signalfd are not exported by Swift's Glibc module.
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        // libxcrypt's yescrypt, for password hashes.
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt"),
        // OpenSSL (libssl-dev) for TLS listeners and clients.
        .systemLibrary(name: "CTLS", path: "Sources/CTLS"),
        // sqlite3_config (variadic) for ChatStorage's process-wide settings.
        .systemLibrary(name: "CSQLiteTuning", path: "Sources/CSQLiteTuning"),
        .target(name: "CoreLoop", dependencies: ["CEpoll", "CTLS"]),
        // HTTP/1.1 and WebSocket on CoreLoop: a strict request parser, responses,
        // routing, frames and the handshake. Knows nothing of chat.
        .target(name: "HTTPCore", dependencies: ["CoreLoop", "CTLS"]),
        .target(name: "ChatServer", dependencies: [
            "CoreLoop",
            "HTTPCore",
            "ScoreFeed",
            "CCrypt",
            "CSQLiteTuning",
            // OpenSSL's PBKDF2 and HMAC for SASL SCRAM-SHA-256 (Accounts/SCRAM/).
            "CTLS",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "chatd", dependencies: [
            "ChatServer",
            "CoreLoop",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            // The Swift runtime and Foundation linked in, not mapped as shared
            // libraries: a fresh daemon's resident set falls from ~29 MB to
            // ~24 MB (fewer pages touched by relocation and start-up; see
            // docs/BENCHMARKS.md, issue #14 §7). Only the daemon: the tools
            // and tests keep the faster dynamic link.
            // A module compiled for the dynamic runtime does not name the
            // static archives' own dependencies, so they are listed here.
            .unsafeFlags([
                "-static-stdlib", "-Xlinker", "--start-group",
                "-lFoundation", "-lCoreFoundation", "-lFoundationInternationalization",
                "-lFoundationEssentials", "-l_FoundationICU", "-l_FoundationCShims",
                "-l_FoundationCollections", "-lswiftSynchronization", "-lswiftDispatch",
                "-ldispatch", "-lBlocksRuntime", "-lswiftCore",
                "-Xlinker", "--end-group",
                // Linked by the toolchain's lld with packed relative
                // relocations (DT_RELR, glibc >= 2.36): the 2 MB table of
                // RELA entries the loader read at start-up is 16 KB (RSS
                // ~25.4 -> ~22.0 MB; BENCHMARKS, issue #14 §10).
                "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                // The functions run at start-up and in a first session placed
                // together (scripts/symbol-order.sh made the list): the kernel
                // maps 64 KB around each page of text touched, and spread over
                // the binary they were ~10 MB resident. Names the code no
                // longer has are skipped.
                "-Xlinker", "--symbol-ordering-file=\(packageRoot)/scripts/chatd-symbol-order.txt",
                "-Xlinker", "--no-warn-symbol-ordering",
            ]),
        ]),
        .executableTarget(name: "chatctl", dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The load generator's pure parts (payloads, sequence checks, percentiles).
        // The generator (BenchKit, chatbench) is built without dynamic
        // exclusivity checks: they were ~10 % of its core in fan-out, and a
        // generator that saturates first hides the server's figures. The
        // server's targets keep the checks (docs/BENCHMARKS.md, #14).
        .target(name: "BenchKit", swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .executableTarget(name: "chatbench", dependencies: [
            "BenchKit", "CoreLoop", "ChatServer",
            // WebSocket frames and the handshake's accept value, for `--websocket`.
            "HTTPCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // The score stream's wire format and a subscriber's statistics: no
        // dependency on ChatServer, so clients (scorewatch, chat) can use it.
        .target(name: "ScoreFeed"),
        .executableTarget(name: "scorewatch", dependencies: [
            "ScoreFeed",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // ncursesw from Debian's libncurses-dev, for the full-screen client.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // The client library: connection, registration, reconnect, and the
        // client side of the FILE and SCORES extensions (IRC wire code from ChatServer).
        .target(name: "ChatClient", dependencies: ["CoreLoop", "ChatServer", "ScoreFeed"]),
        // The terminal client's model, commands and rendering, with no terminal
        // library, so tests drive it and assert on the screen it renders.
        .target(name: "ChatUI", dependencies: ["ChatClient", "CoreLoop", "ChatServer"]),
        .executableTarget(name: "chat", dependencies: [
            "ChatUI", "ChatClient", "CoreLoop", "CNcurses",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "ChatClientTests", dependencies: ["ChatClient", "ChatUI", "ChatServer", "CoreLoop", "ScoreFeed"]),
        .testTarget(name: "BenchKitTests", dependencies: ["BenchKit"]),
        .testTarget(name: "CoreLoopTests", dependencies: ["CoreLoop", "CEpoll"]),
        .testTarget(name: "ChatServerTests", dependencies: ["ChatServer", "CoreLoop", "CTLS", "ScoreFeed", "HTTPCore"]),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore", "CoreLoop"]),
    ],
    swiftLanguageModes: [.v5]
)
