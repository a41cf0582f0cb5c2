import Foundation
import ZIPFoundation

/// Writes small `.xlsx` workbooks (the demo's backend-style export and the tests' workbooks):
/// several sheets, shared or inline strings, numbers and real date cells.
public enum XLSXWriter {
    public enum Value: Sendable { case text(String), number(Double), date(Instant), empty }

    public struct Sheet: Sendable {
        public var name: String
        public var rows: [[Value]]
        /// Strings in the shared-strings table (as Excel writes) or inline (as some exporters do).
        public var sharedStrings: Bool
        public init(name: String, rows: [[Value]], sharedStrings: Bool = true) { self.name = name; self.rows = rows; self.sharedStrings = sharedStrings }
    }

    public static func write(_ sheets: [Sheet], to path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        var shared: [String] = []
        var sharedIndex: [String: Int] = [:]
        func add(_ name: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, size in
                data.subdata(in: Int(pos)..<Int(pos) + size)
            }
        }
        let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var sheetXML: [String] = []
        for s in sheets {
            var x = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"\(ns)\"><sheetData>"
            for (r, row) in s.rows.enumerated() {
                x += "<row r=\"\(r + 1)\">"
                for (c, v) in row.enumerated() {
                    let ref = column(c) + "\(r + 1)"
                    switch v {
                    case .empty: continue
                    case .number(let d): x += "<c r=\"\(ref)\"><v>\(d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d))</v></c>"
                    case .date(let t):
                        let serial = Double(t + CST.offset) / 86_400 + 25_569
                        x += "<c r=\"\(ref)\" s=\"1\"><v>\(serial)</v></c>"
                    case .text(let t):
                        if s.sharedStrings {
                            let i = sharedIndex[t] ?? { shared.append(t); sharedIndex[t] = shared.count - 1; return shared.count - 1 }()
                            x += "<c r=\"\(ref)\" t=\"s\"><v>\(i)</v></c>"
                        } else {
                            x += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(t))</t></is></c>"
                        }
                    }
                }
                x += "</row>"
            }
            sheetXML.append(x + "</sheetData></worksheet>")
        }
        let n = sheets.count
        try add("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\((1...n).map { "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>
        """)
        try add("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """)
        try add("xl/workbook.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="\(ns)" xmlns:r="\(rel)"><sheets>\(sheets.enumerated().map { "<sheet name=\"\(escape($0.element.name))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined())</sheets></workbook>
        """)
        try add("xl/_rels/workbook.xml.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\((1...n).map { "<Relationship Id=\"rId\($0)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\($0).xml\"/>" }.joined())<Relationship Id="rId\(n + 1)" Type="\(rel)/styles" Target="styles.xml"/><Relationship Id="rId\(n + 2)" Type="\(rel)/sharedStrings" Target="sharedStrings.xml"/></Relationships>
        """)
        try add("xl/styles.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="\(ns)"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
        """)
        try add("xl/sharedStrings.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"\(ns)\" count=\"\(shared.count)\" uniqueCount=\"\(shared.count)\">"
                + shared.map { "<si><t xml:space=\"preserve\">\(escape($0))</t></si>" }.joined() + "</sst>")
        for (i, x) in sheetXML.enumerated() { try add("xl/worksheets/sheet\(i + 1).xml", x) }
    }

    static func column(_ i: Int) -> String {
        var n = i + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; n = (n - 1) / 26 }
        return s
    }

    static func escape(_ s: String) -> String {
        var o = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.unicodeScalars.append(c)
            }
        }
        return o
    }
}
