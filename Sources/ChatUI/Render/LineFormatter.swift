import ChatClient

/// How one `ChatLine` reads on screen, before wrapping:
/// `14:05 <alice> hello`, `14:05 * alice waves`, `14:05 -- bob joined #lobby`.
///
/// Thread-safety: pure; any thread.
public enum LineFormatter {
    public typealias Run = ScreenBuffer.Run

    public static func runs(_ line: ChatLine, nowMillis: Int64, myNick: String) -> [Run] {
        var out = [Run(text: TimeText.show(line.timeMillis, nowMillis: nowMillis) + " ", style: .time)]
        let nickStyle: Style = line.isOwn ? .ownNick : .nick
        let mentions = !line.isOwn && !myNick.isEmpty && line.text.lowercased().contains(myNick.lowercased())
        let textStyle: Style = mentions ? .highlight : .normal
        let sender = line.sender ?? "*"
        if line.isRedacted {
            let shown = line.kind == .action ? "* \(sender) " : "<\(sender)> "
            return out + [Run(text: shown, style: nickStyle), Run(text: line.text, style: .event)]
        }
        switch line.kind {
        case .message:
            out += [Run(text: "<\(sender)> ", style: nickStyle), Run(text: line.text, style: textStyle)]
        case .action:
            out += [Run(text: "* \(sender) ", style: nickStyle), Run(text: line.text, style: textStyle)]
        case .notice:
            out += [Run(text: "-\(sender)- ", style: nickStyle), Run(text: line.text, style: textStyle)]
        case .error:
            out += [Run(text: "!! " + line.text, style: .error)]
        case .info:
            out += [Run(text: "-- " + line.text, style: .normal)]
        default:
            out += [Run(text: "-- " + line.text, style: .event)]
        }
        if let id = line.fileID {
            out.append(Run(text: "  [/get \(id)]", style: .highlight))
        }
        return out
    }

    /// Cuts runs into rows of `width` cells, breaking after a space where
    /// one is in the second half of the row (else mid-word); rows after the
    /// first are indented by `indent` cells so wrapped text lines up after
    /// the time.
    public static func wrap(_ runs: [Run], width: Int, indent: Int) -> [[Run]] {
        guard width > indent + 1 else { return [runs] }
        var cells: [(Character, Style, Int)] = []
        for run in runs { for c in run.text { cells.append((c, run.style, TextWidth.of(c))) } }
        var rows: [[(Character, Style, Int)]] = []
        var row: [(Character, Style, Int)] = []
        var used = 0
        var i = 0
        while i < cells.count {
            let cell = cells[i]
            if used + cell.2 > width {
                // Break after the last space in this row, if it is not too far back.
                let floor = rows.isEmpty ? width / 2 : indent + (width - indent) / 2
                var cut = row.count
                var at = 0
                var position = 0
                for (k, c) in row.enumerated() {
                    position += c.2
                    if c.0 == " " && position >= floor { at = k + 1 }
                }
                if at > 0 { cut = at }
                let carried = Array(row[cut...])
                rows.append(Array(row[..<cut]))
                row = Array(repeating: (" ", Style.normal, 1), count: indent)
                used = indent
                for c in carried where !(row.count == indent && c.0 == " ") {
                    row.append(c)
                    used += c.2
                }
                if cell.0 == " " && row.count == indent { i += 1; continue }
                continue
            }
            row.append(cell)
            used += cell.2
            i += 1
        }
        rows.append(row)
        return rows.map { cells in
            var out: [Run] = []
            for (c, style, _) in cells {
                if let last = out.last, last.style == style { out[out.count - 1].text.append(c) } else { out.append(Run(text: String(c), style: style)) }
            }
            return out
        }
    }
}
