import ChatServer
import Foundation

/// libFuzzer target for `ConfigLoader.parse`: any bytes give a `ServerConfig`
/// or a `ConfigError`, never a trap and never another error type. A config
/// that loads has every whole-number key inside its documented range, since
/// the server does arithmetic on them (and `reload` applies them live).
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum ConfigLoaderFuzzer {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let config: ServerConfig
        do {
            config = try ConfigLoader.parse(Data(bytes), file: "fuzz.json")
        } catch let error as ConfigError {
            _ = error.description
            return
        } catch {
            fatalError("ConfigLoader.parse threw something other than ConfigError: \(error)")
        }
        check(ConfigLoader.limitSettings, config.limits)
        check(ConfigLoader.accountSettings, config.accounts)
        check(ConfigLoader.historySettings, config.history)
        _ = config.consoleSocketPath
    }

    static func check<Section>(_ settings: [IntegerSetting<Section>], _ section: Section) {
        for setting in settings {
            let value = section[keyPath: setting.keyPath]
            // A setting's `off` value (0 = no limit) is documented and accepted below its range.
            if setting.range.contains(value) || value == setting.off { continue }
            fatalError("\(setting.key) = \(value) loaded, outside \(setting.range)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ConfigLoaderFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
