import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// `shopdeck inspect` output (data-formats.md "Inspecting a file").
public enum InspectView {
    public static func json(_ i: Inspection) -> JSON {
        var o = base(i)
        if !i.sheets.isEmpty {
            o.append(("sheets", .array(i.sheets.map { s in
                var x = base(s)
                x.insert(("sheet", .string(String(s.file.split(separator: "[").last?.dropLast() ?? ""))), at: 0)
                return .object(x)
            })))
        }
        return .object(o)
    }

    /// Inspects `path` and writes its JSON in pieces through `write`: the rows as they are
    /// read (never all held at once), then the errors. The same object `json` gives.
    public static func streamJSON(path: String, passwords: [String] = [], write: @escaping (String) -> Void) -> Inspection {
        final class State { var opened = false, first = true }
        let st = State()
        func head(_ i: Inspection) -> String {
            var fields = base(i)
            fields.removeAll { ["rows", "errors"].contains($0.0) }
            return "{" + fields.map { JSON.string($0.0).serialized(pretty: false) + ": " + $0.1.serialized(pretty: false) }.joined(separator: ", ") + ", \"rows\": ["
        }
        let ins = DataLoader.inspect(path: path, passwords: passwords) { i, cells, _ in
            if !st.opened { write(head(i)); st.opened = true }
            let row = JSON.object(i.headers.enumerated().map { idx, h in (h, .string(idx < cells.count ? cells[idx] : "")) })
            write((st.first ? "\n  " : ",\n  ") + row.serialized(pretty: false))
            st.first = false
        }
        if !st.opened {
            // Nothing streamed (an empty file, or a workbook whose sheets hold their rows).
            write(json(ins).serialized(pretty: true))
            return ins
        }
        var tail: [(String, JSON)] = [("errors", base(ins).first { $0.0 == "errors" }!.1)]
        tail.append(("loaded_rows", .int(ins.loadedRows)))
        write("\n], " + tail.map { JSON.string($0.0).serialized(pretty: false) + ": " + $0.1.serialized(pretty: false) }.joined(separator: ", ") + "}")
        return ins
    }

    /// Inspects `path` for the text view, keeping only the rows it shows.
    public static func inspectForText(path: String, passwords: [String] = []) -> Inspection {
        final class Kept { var rows: [[String]] = [], lines: [Int] = [] }
        let kept = Kept()
        var ins = DataLoader.inspect(path: path, passwords: passwords) { _, cells, line in
            if kept.rows.count < 5 { kept.rows.append(cells); kept.lines.append(line) }
        }
        ins.rows = kept.rows; ins.rowLines = kept.lines
        return ins
    }

    static func base(_ i: Inspection) -> [(String, JSON)] {
        [
            ("table", .opt(i.table?.rawValue)),
            ("encoding", .opt(i.encoding?.rawValue)),
            ("separator", .string(i.separator)),
            ("header_line", i.headerLine.map(JSON.int) ?? .null),
            ("headers", .array(i.headers.map(JSON.string))),
            ("mapped", .object(i.mapped.map { ($0.0, .string($0.1)) })),
            ("rows", .array(i.rows.map { row in
                .object(i.headers.enumerated().map { idx, h in (h, .string(idx < row.count ? row[idx] : "")) })
            })),
            ("errors", .array(i.errors.map { e in .object([
                ("line", e.line.map(JSON.int) ?? .null), ("reason", .string(e.reason)), ("column", e.column.map(JSON.int) ?? .null),
                ("file", .string(e.file)),
            ]) })),
        ]
    }

    public static func text(_ i: Inspection) -> String {
        if !i.sheets.isEmpty {
            return "workbook: \(Sanitize.visible(i.file)), \(i.sheets.count) sheet\(i.sheets.count == 1 ? "" : "s")\n\n" + i.sheets.map { text($0) }.joined(separator: "\n")
        }
        var o: [String] = []
        o.append("file:      \(i.file)")
        o.append("table:     \(i.table?.rawValue ?? "none (not recognised)")")
        o.append("encoding:  \(i.encoding?.rawValue ?? "unknown")   separator: \(i.separator)")
        if let h = i.headerLine { o.append("header:    \(i.separator == "xlsx" ? "row" : "line") \(h)") }
        o.append("columns:")
        let mapped = Dictionary(i.mapped, uniquingKeysWith: { a, _ in a })
        for h in i.headers { o.append("  \(h)  ->  \(mapped[h] ?? "(ignored)")") }
        o.append("rows:      \(max(i.rowsSeen, i.rows.count)) read, \(i.loadedRows) loaded")
        for (n, row) in i.rows.prefix(5).enumerated() { o.append("  line \(i.rowLines[n]): " + row.joined(separator: " | ")) }
        if max(i.rowsSeen, i.rows.count) > 5 { o.append("  …") }
        o.append("errors:    \(i.errors.count)")
        for e in i.errors { o.append("  " + e.description) }
        return Sanitize.lines(o)
    }
}
