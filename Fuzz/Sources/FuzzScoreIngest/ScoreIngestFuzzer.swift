import ChatServer

/// libFuzzer target for `chatctl match ingest` input (`ScoreIngest.parse`):
/// either drafts whose numbers are in range, with line numbers that rise, or
/// a `ScoreIngestError` naming real lines; nothing else.
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum ScoreIngestFuzzer {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        do {
            let drafts = try ScoreIngest.parse(text, maxLines: 50)
            var previous = 0
            for (line, draft) in drafts {
                guard line > previous, line <= lineCount else { fatalError("line \(line) after \(previous) of \(lineCount)") }
                previous = line
                guard draft.matchID >= 1, (draft.minute ?? 0) >= 0, (draft.minute ?? 0) <= ScoreEventDraft.maxMinute else {
                    fatalError("out of range: \(draft)")
                }
            }
        } catch let error as ScoreIngestError {
            guard !error.problems.isEmpty, error.problems.allSatisfy({ $0.line >= 1 && $0.line <= lineCount }) else {
                fatalError("bad problem list: \(error)")
            }
        } catch {
            fatalError("ScoreIngest.parse threw something other than ScoreIngestError: \(error)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScoreIngest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ScoreIngestFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
