extension DownloadPump {
    /// One file on its way to one client.
    ///
    /// Thread-safety: loop thread only (owned by the pump).
    final class Transfer {
        let record: FileRecord
        let bytes: [UInt8]
        var offset = 0
        /// `:<server> FILE DATA <id> :`, the start of every DATA line, built once.
        let linePrefix: [UInt8]

        init(record: FileRecord, bytes: [UInt8], serverName: String) {
            self.record = record
            self.bytes = bytes
            linePrefix = Array(":\(serverName) FILE DATA \(record.id) :".utf8)
        }

        var isFinished: Bool { offset == bytes.count }
    }

    /// A client's downloads: the first transfer is being sent, the rest wait;
    /// `reserved` counts GETs still being read from disk.
    ///
    /// Thread-safety: loop thread only (owned by the pump).
    final class Queue {
        var transfers: [Transfer] = []
        var reserved = 0
        /// Bytes held for this client's downloads: files read, and files
        /// being read (`DownloadPump.hold`).
        var heldBytes = 0
        /// The client's send queue is full and its transport will say when
        /// it has drained (`ClientTransport.notifyWhenWritable`): rounds skip it.
        var waiting = false
        var count: Int { transfers.count + reserved }
    }
}
