import ShopdeckModel
import ShopdeckRules

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
            return "workbook: \(i.file), \(i.sheets.count) sheet\(i.sheets.count == 1 ? "" : "s")\n\n" + i.sheets.map { text($0) }.joined(separator: "\n")
        }
        var o: [String] = []
        o.append("file:      \(i.file)")
        o.append("table:     \(i.table?.rawValue ?? "none (not recognised)")")
        o.append("encoding:  \(i.encoding?.rawValue ?? "unknown")   separator: \(i.separator)")
        if let h = i.headerLine { o.append("header:    \(i.separator == "xlsx" ? "row" : "line") \(h)") }
        o.append("columns:")
        let mapped = Dictionary(i.mapped, uniquingKeysWith: { a, _ in a })
        for h in i.headers { o.append("  \(h)  ->  \(mapped[h] ?? "(ignored)")") }
        o.append("rows:      \(i.rows.count) read, \(i.loadedRows) loaded")
        for (n, row) in i.rows.prefix(5).enumerated() { o.append("  line \(i.rowLines[n]): " + row.joined(separator: " | ")) }
        if i.rows.count > 5 { o.append("  …") }
        o.append("errors:    \(i.errors.count)")
        for e in i.errors { o.append("  " + e.description) }
        return o.joined(separator: "\n") + "\n"
    }
}
