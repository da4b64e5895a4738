import ChatServer

/// libFuzzer target for what FILE reads from a peer: the line through
/// `IRCMessage(parsing:)`, its parameters through `FileRequest(params:)`,
/// a chunk's payload through `FileRequest.chunkBytes`, and the checks run
/// on an upload's bytes (`TextContent.isText`, `SHA256`). Errors must be
/// `FileFailure`s; what is accepted must satisfy the rules it was checked
/// against, so nothing further in can trap or store a bad name.
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum FileCommandFuzzer {
    static let maxBytes = 1_048_576

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let raw = Array(bytes)
        checkContent(raw)
        guard let message = try? IRCMessage(parsing: bytes) else { return }
        // Whatever the command word, the FILE parser must cope with the parameters.
        let request: FileRequest
        do {
            request = try FileRequest(params: message.params, maxBytes: maxBytes)
        } catch let failure as FileFailure {
            _ = failure.params
            return
        } catch {
            fatalError("FileRequest threw something other than FileFailure: \(error)")
        }
        switch request {
        case .upload(_, let filename, let size, let sha256):
            guard size >= 0, size <= maxBytes else { fatalError("size \(size) accepted") }
            guard sha256.utf8.count == 64 else { fatalError("hash \(sha256) accepted") }
            guard !filename.isEmpty, filename.utf8.count <= 255, !filename.contains("/"), !filename.contains("\\"),
                  filename != "..", !filename.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                fatalError("file name \(filename.debugDescription) accepted")
            }
        case .chunk(let id, let base64):
            let limit = 369
            do {
                let decoded = try FileRequest.chunkBytes(base64, maxBytes: limit, uploadID: id)
                guard (1...limit).contains(decoded.count) else { fatalError("chunk of \(decoded.count) bytes accepted") }
                let again = try FileRequest.chunkBytes(Base64.encode(decoded), maxBytes: limit, uploadID: id)
                guard again == decoded else { fatalError("base64 round trip changed the bytes") }
                // Strict and canonical: what is accepted is exactly how its bytes encode.
                guard Base64.encode(decoded) == base64 else { fatalError("\(base64.debugDescription) accepted but not canonical") }
            } catch let failure as FileFailure {
                guard failure.code == .badChunk else { fatalError("chunk failed with \(failure.code)") }
            } catch {
                fatalError("chunkBytes threw something other than FileFailure: \(error)")
            }
        case .get(let id), .delete(let id):
            guard id >= 0 else { fatalError("negative file id \(id)") }
        case .end, .abort, .list, .token:
            break
        }
    }

    /// The upload checks on the raw input as file content.
    static func checkContent(_ raw: [UInt8]) {
        let expected = !raw.contains(0) && String(validating: raw, as: UTF8.self) != nil
        guard TextContent.isText(raw) == expected else { fatalError("isText disagrees with the standard library") }
        var split = SHA256()
        let cut = raw.isEmpty ? 0 : Int(raw[0]) % (raw.count + 1)
        split.update(raw[..<cut])
        split.update(raw[cut...])
        guard split.finishHex() == SHA256.hex(of: raw) else { fatalError("SHA-256 depends on how the input is split") }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFileCommand(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FileCommandFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
