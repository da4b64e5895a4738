import Foundation

/// Runs Python's `ssl` module as an independent TLS client against our
/// server: one script per call, its result a JSON object on stdout. Every
/// run has a deadline; a hung client is killed and the test fails.
///
/// Thread-safety: test thread only.
enum PythonTLSClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The script: `mode` picks the scenario; arguments are JSON in argv[1].
    static let script = #"""
import json, socket, ssl, sys, hashlib
args = json.loads(sys.argv[1])
def context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if args.get("alpn"):
        ctx.set_alpn_protocols(args["alpn"])
    if args.get("cert"):
        ctx.load_cert_chain(args["cert"], args["key"])
    if args.get("maxVersion") == "1.3":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    if args.get("maxVersion") == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx
def connect(ctx, session=None):
    raw = socket.create_connection(("127.0.0.1", args["port"]), timeout=20)
    return ctx.wrap_socket(raw, server_hostname="localhost", session=session)
def read_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(min(65536, n - len(data)))
        if not chunk:
            break
        data += chunk
    return data
mode = args["mode"]
ctx = context()
if mode == "echo":
    s = connect(ctx)
    payload = args["payload"].encode()
    s.sendall(payload)
    back = read_exactly(s, len(payload))
    out = {"version": s.version(), "alpn": s.selected_alpn_protocol(), "echoed": back == payload,
           "serverCert": hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()}
    s.close()
elif mode == "resume":
    s = connect(ctx)
    s.sendall(b"ping\n")
    read_exactly(s, 5)  # TLS 1.3 tickets arrive after the handshake
    first = s.session
    s.close()
    s2 = connect(ctx, session=first)
    s2.sendall(b"ping\n")
    read_exactly(s2, 5)
    out = {"reused": s2.session_reused, "version": s2.version()}
    s2.close()
elif mode == "download":
    s = connect(ctx)
    s.sendall(b"go\n")
    data = read_exactly(s, args["size"])
    out = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    s.close()
else:
    out = {"error": "unknown mode"}
print(json.dumps(out))
"""#

    /// Runs one scenario and returns the script's JSON answer.
    static func run(_ arguments: [String: Any], timeout: TimeInterval = 30) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        process.arguments = ["python3", "-c", script, json]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // Read while it runs, so a full pipe cannot stall the script.
        let out = Collected(), err = Collected()
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) { out.data = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: readers) { err.data = errors.fileHandleForReading.readDataToEndOfFile() }
        guard exited.wait(timeout: .now() + timeout) == .success else {
            process.terminate()
            throw Failure(description: "python TLS client timed out")
        }
        _ = readers.wait(timeout: .now() + 5)
        let outData = out.data, errData = err.data
        guard process.terminationStatus == 0,
              let object = try? JSONSerialization.jsonObject(with: outData) as? [String: Any] else {
            throw Failure(description: "python TLS client failed (\(process.terminationStatus)): "
                          + String(decoding: errData, as: UTF8.self).suffix(600))
        }
        return object
    }
}

/// A reader thread's result, read after the group is waited on.
private final class Collected: @unchecked Sendable {
    var data = Data()
}
