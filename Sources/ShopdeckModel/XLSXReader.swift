import Foundation

/// Reads `.xlsx` workbooks as the backend downloads them: every sheet, shared and inline
/// strings, numbers, booleans and real date cells (Excel serial dates, taken as CST), streamed
/// row by row so memory stays flat on a large sheet (data-formats.md "Files and tables").
public struct XLSXReader {
    public struct Sheet: Sendable { public var name: String; public var path: String }

    public enum Failure: Error, CustomStringConvertible {
        case encrypted, notAWorkbook(String), broken(String)
        /// An encryption this reader cannot open (not Office's agile encryption).
        case unsupportedEncryption(String)
        public var description: String {
            switch self {
            case .encrypted:
                return "this workbook is encrypted and none of the passwords given opens it (no password is ever shown): give its password with --password PASSWORD, the environment variable SHOPDECK_XLSX_PASSWORD, or export_passwords = [\"…\"] under [shop] in shopdeck.toml, or end the file name with it (订单导出_ followed by the 6-character password, then .xlsx)"
            case .unsupportedEncryption(let why):
                return "this workbook is encrypted in a way shopdeck cannot open (\(why)): open it in Excel or WPS with its password and save a copy without one (Excel: File › Info › Protect Workbook › Encrypt with Password, clear it; WPS: 文件 › 文档加密 › 密码加密, clear it)"
            case .notAWorkbook(let why): return "not an .xlsx workbook: \(why)"
            case .broken(let why): return "the workbook cannot be read: \(why)"
            }
        }
    }

    let zip: ZipPackage
    public let sheets: [Sheet]
    /// The shared strings, decoded, one after another: string i is
    /// `sharedBytes[sharedEnds[i - 1]..<sharedEnds[i]]` (from 0 for the first).
    let sharedBytes: [UInt8]
    let sharedEnds: [Int]
    /// Style index -> the cell holds a date.
    let dateStyles: [Bool]

    /// The passwords tried on an encrypted workbook, in order (data-formats.md): the last 6
    /// characters of the file's stem, then `given`.
    public static func passwordCandidates(path: String, given: [String]) -> [String] {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var out: [String] = []
        if stem.count >= 6 { out.append(String(stem.suffix(6))) }
        for p in given where !out.contains(p) { out.append(p) }
        return out
    }

    public init(path: String, passwords: [String] = []) throws {
        // Only a regular file is opened (a FIFO would block the zip reader).
        let head: [UInt8]
        do { head = try FileReader.readHead(path, bytes: 8) } catch { throw Failure.notAWorkbook("\(error)") }
        // An encrypted workbook is an OLE compound file holding "EncryptedPackage".
        if AgileDecryption.isCompoundFile(head) {
            let plain: [UInt8]
            do { plain = try AgileDecryption.decrypt(try FileReader.readAll(path), passwords: XLSXReader.passwordCandidates(path: path, given: passwords)) }
            catch AgileDecryption.Failure.wrongPassword { throw Failure.encrypted }
            catch AgileDecryption.Failure.unsupported(let why) { throw Failure.unsupportedEncryption(why) }
            catch { throw Failure.broken("\(error)") }
            do { zip = try ZipPackage(bytes: plain) }
            catch { throw Failure.broken("the decrypted package is not a zip (\(error))") }
        } else {
            do { zip = try ZipPackage(path: path) }
            catch { throw Failure.notAWorkbook("not a zip package (\(error))") }
        }
        guard zip.entries["xl/workbook.xml"] != nil else { throw Failure.notAWorkbook("no xl/workbook.xml") }
        do {
            (sharedBytes, sharedEnds) = try XLSXReader.readSharedStrings(zip)
            dateStyles = try XLSXReader.readDateStyles(zip)
            sheets = try XLSXReader.readSheets(zip)
        } catch let f as ZipPackage.Failure { throw Failure.broken(f.description) }
    }

    static func entryBytes(_ a: ZipPackage, _ path: String, _ body: (UnsafeRawBufferPointer, Bool) throws -> Void) throws {
        guard a.entries[path] != nil else { return }
        try a.extract(path) { try body($0, false) }
        try body(UnsafeRawBufferPointer(start: nil, count: 0), true)
    }

    static func readSheets(_ a: ZipPackage) throws -> [Sheet] {
        var rels: [String: String] = [:]
        var sx = XMLScanner()
        try entryBytes(a, "xl/_rels/workbook.xml.rels") { b, final in
            sx.feed(b, final: final, onTag: { kind, name, attrs in
                guard kind != .end, XMLScanner.equal(name, "Relationship"),
                      let id = XMLScanner.attribute(attrs, "Id"), let target = XMLScanner.attribute(attrs, "Target") else { return }
                var t = XMLScanner.decode(target)
                if t.hasPrefix("/") { t.removeFirst() } else { t = "xl/" + t }
                rels[XMLScanner.decode(id)] = t
            }, onText: { _ in })
        }
        var sheets: [Sheet] = []
        var wx = XMLScanner()
        try entryBytes(a, "xl/workbook.xml") { b, final in
            wx.feed(b, final: final, onTag: { kind, name, attrs in
                guard kind != .end, XMLScanner.equal(name, "sheet") else { return }
                let n = XMLScanner.attribute(attrs, "name").map(XMLScanner.decode) ?? "Sheet\(sheets.count + 1)"
                if let rid = XMLScanner.attribute(attrs, "id").map(XMLScanner.decode), let path = rels[rid] {
                    sheets.append(Sheet(name: n, path: path))
                }
            }, onText: { _ in })
        }
        if sheets.isEmpty { throw Failure.notAWorkbook("it lists no sheets") }
        return sheets
    }

    /// The shared strings, decoded, as one byte run and each string's end in it.
    static func readSharedStrings(_ a: ZipPackage) throws -> ([UInt8], [Int]) {
        var bytes: [UInt8] = [], ends: [Int] = []
        var cur: [UInt8] = []
        var inT = false, inPhonetic = false
        var x = XMLScanner()
        try entryBytes(a, "xl/sharedStrings.xml") { b, final in
            x.feed(b, final: final, onTag: { kind, name, _ in
                if XMLScanner.equal(name, "si") {
                    switch kind {
                    case .start: cur.removeAll(keepingCapacity: true)
                    case .end: cur.withUnsafeBytes { XMLScanner.decode($0, into: &bytes) }; ends.append(bytes.count)
                    case .empty: ends.append(bytes.count)
                    }
                } else if XMLScanner.equal(name, "t") {
                    if kind == .start { inT = true } else if kind == .end { inT = false }
                } else if XMLScanner.equal(name, "rPh") {
                    if kind == .start { inPhonetic = true } else if kind == .end { inPhonetic = false }
                }
            }, onText: { t in if inT && !inPhonetic { cur.append(contentsOf: t) } })
        }
        return (bytes, ends)
    }

    /// Built-in date formats (14-22, 45-47) and custom formats holding date or time codes.
    static func readDateStyles(_ a: ZipPackage) throws -> [Bool] {
        var custom: [Int: Bool] = [:]
        var styles: [Bool] = []
        var inCellXfs = false
        var x = XMLScanner()
        try entryBytes(a, "xl/styles.xml") { b, final in
            x.feed(b, final: final, onTag: { kind, name, attrs in
                if XMLScanner.equal(name, "numFmt"), kind != .end,
                   let id = XMLScanner.attribute(attrs, "numFmtId").flatMap({ Int(String(decoding: $0, as: UTF8.self)) }),
                   let code = XMLScanner.attribute(attrs, "formatCode").map(XMLScanner.decode) {
                    custom[id] = isDateFormat(code)
                } else if XMLScanner.equal(name, "cellXfs") {
                    inCellXfs = kind == .start
                } else if XMLScanner.equal(name, "xf"), inCellXfs, kind != .end {
                    let id = XMLScanner.attribute(attrs, "numFmtId").flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
                    styles.append(custom[id] ?? ((14...22).contains(id) || (45...47).contains(id)))
                }
            }, onText: { _ in })
        }
        return styles
    }

    static func isDateFormat(_ code: String) -> Bool {
        // Drop quoted text and [colour]/[locale] sections, then look for date/time codes.
        var s = "", inQuote = false, inBracket = false
        for c in code {
            if c == "\"" { inQuote.toggle(); continue }
            if c == "[" { inBracket = true; continue }
            if c == "]" { inBracket = false; continue }
            if !inQuote && !inBracket { s.append(c) }
        }
        let l = s.lowercased()
        return l.contains("yy") || l.contains("d") && l.contains("m") || l.contains("h") && (l.contains("mm") || l.contains("ss"))
    }

    /// The largest column (XFD) and row a worksheet may have.
    public static let maxColumns = 16_384
    public static let maxRows = 1_048_576

    /// Streams the rows of a sheet: `row(number, cells)` with cell texts by column, gaps
    /// filled with "". Dates become `YYYY-MM-DD HH:MM:SS` (CST wall clock). A row is given at
    /// most `width(rowNumber)` columns (the header's width once it is known), so memory follows
    /// the cells present, never the references; a reference past XFD1048576 is an error.
    public func rows(of sheet: Sheet, width: @escaping () -> Int = { XLSXReader.maxColumns },
                     _ rowBody: (Int, [String]) throws -> Void) throws {
        try records(of: sheet, width: width) { rec, buf in try rowBody(rec.line, XLSXReader.strings(rec, buf)) }
    }

    /// A row's cells as texts.
    static func strings(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) -> [String] {
        (0..<rec.count).map { String(decoding: UnsafeRawBufferPointer(rebasing: buf[rec.starts[$0]..<rec.ends[$0]]), as: UTF8.self) }
    }

    /// The rows of a sheet as records over their cells' bytes, as `rows(of:)` gives them as
    /// texts (the record's `line` is the row number): what the typed sinks read, with no
    /// `String` made per cell. A cell whose bytes are not valid UTF-8 is repaired as a `String`
    /// would repair it, so both ways give the same texts.
    func records(of sheet: Sheet, width: @escaping () -> Int = { XLSXReader.maxColumns },
                 _ body: (CSVRecord, UnsafeRawBufferPointer) throws -> Void) throws {
        try withoutActuallyEscaping(body) { row in try streamRows(sheet, width, row) }
    }

    private func streamRows(_ sheet: Sheet, _ width: @escaping () -> Int, _ row: @escaping (CSVRecord, UnsafeRawBufferPointer) throws -> Void) throws {
        var x = XMLScanner()
        /// The row's cells as (column, bytes in `text`), in document order.
        var sparse: [(col: Int, start: Int, end: Int)] = []
        var text: [UInt8] = []
        var rowNumber = 0
        var col = 0, type = CellType.number, style = -1
        var value: [UInt8] = []
        var inValue = false, inInline = false, inT = false
        var hasValue = false
        var record = CSVRecord()
        var repaired: [UInt8] = []
        let sharedBytes = self.sharedBytes, sharedEnds = self.sharedEnds, dateStyles = self.dateStyles
        func finishCell() {
            defer { col += 1 }
            guard hasValue else { return }
            let start = text.count
            switch type {
            case .shared:
                let i = value.withUnsafeBytes { XLSXReader.int($0) } ?? -1
                if i >= 0 && i < sharedEnds.count { text.append(contentsOf: sharedBytes[(i == 0 ? 0 : sharedEnds[i - 1])..<sharedEnds[i]]) }
            case .inline:
                value.withUnsafeBytes { XMLScanner.decode($0, into: &text) }
            case .bool:
                text.append(contentsOf: value.count == 1 && value[0] == 0x31 ? XLSXReader.trueBytes : XLSXReader.falseBytes)
            case .error:
                break
            case .number:
                let isDate = style >= 0 && style < dateStyles.count && dateStyles[style]
                if !isDate && !value.contains(0x45) && !value.contains(0x65) {
                    text.append(contentsOf: value) // a plain number is its own text
                } else {
                    let t = String(decoding: value, as: UTF8.self)
                    if isDate, let serial = Double(t), let date = XLSXReader.serialToCST(serial) { text.append(contentsOf: date.utf8) }
                    else { text.append(contentsOf: XLSXReader.plainNumber(t).utf8) }
                }
            }
            if text.count > start { sparse.append((col, start, text.count)) }
        }
        func emitRow() throws {
            let w = min(width(), XLSXReader.maxColumns)
            var last = -1
            for c in sparse where c.col < w { last = max(last, c.col) }
            record.starts.removeAll(); record.ends.removeAll()
            if last >= 0 { for _ in 0...last { record.starts.append(0); record.ends.append(0) } }
            for c in sparse where c.col < w { record.starts[c.col] = c.start; record.ends[c.col] = c.end }
            record.line = rowNumber
            try text.withUnsafeBytes { buf in
                if TextEncoding.isValidUTF8(buf, allowTruncatedEnd: false) { try row(record, buf); return }
                // Some cell is not valid UTF-8: each is repaired on its own, as a String is.
                repaired.removeAll(keepingCapacity: true)
                for f in 0..<record.count {
                    let cell = String(decoding: UnsafeRawBufferPointer(rebasing: buf[record.starts[f]..<record.ends[f]]), as: UTF8.self)
                    record.starts[f] = repaired.count; repaired.append(contentsOf: cell.utf8); record.ends[f] = repaired.count
                }
                try repaired.withUnsafeBytes { try row(record, $0) }
            }
        }
        func emitEmptyRow() throws {
            record.starts.removeAll(); record.ends.removeAll(); record.line = rowNumber
            try row(record, UnsafeRawBufferPointer(start: nil, count: 0))
        }
        guard zip.entries[sheet.path] != nil else { throw Failure.broken("sheet \(sheet.name) is missing (\(sheet.path))") }
        let feed: (UnsafeRawBufferPointer, Bool) throws -> Void = { b, final in
            try x.feed(b, final: final, onTag: { kind, name, attrs in
                let T = XLSXReader.self
                if XMLScanner.equal(name, "c") {
                    if kind == .end { finishCell(); return }
                    let a = XMLScanner.cellAttributes(attrs)
                    if let ref = a.r {
                        guard let c = XLSXReader.column(ref) else {
                            throw Failure.broken("sheet \(sheet.name), row \(rowNumber): the cell reference '\(String(decoding: ref.prefix(40), as: UTF8.self))' lies beyond XFD\(T.maxRows), the largest a worksheet can have")
                        }
                        col = c
                    }
                    guard col < T.maxColumns else {
                        throw Failure.broken("sheet \(sheet.name), row \(rowNumber): more than \(T.maxColumns) columns, more than a worksheet can have")
                    }
                    type = CellType(a.t)
                    style = a.s.flatMap { T.int($0) } ?? -1
                    value.removeAll(keepingCapacity: true); hasValue = false
                    if kind == .empty { finishCell() }
                } else if XMLScanner.equal(name, "v") {
                    inValue = kind == .start; if kind == .start { hasValue = true }
                } else if XMLScanner.equal(name, "row") {
                    if kind == .end { try emitRow(); return }
                    if let r = XMLScanner.attribute(attrs, "r") {
                        guard let n = T.int(r), n >= 1, n <= T.maxRows else {
                            throw Failure.broken("sheet \(sheet.name): the row number '\(String(decoding: r.prefix(40), as: UTF8.self))' is not between 1 and \(T.maxRows)")
                        }
                        rowNumber = n
                    } else {
                        rowNumber += 1
                        guard rowNumber <= T.maxRows else { throw Failure.broken("sheet \(sheet.name): more than \(T.maxRows) rows") }
                    }
                    sparse.removeAll(keepingCapacity: true); text.removeAll(keepingCapacity: true); col = 0
                    if kind == .empty { try emitEmptyRow() }
                } else if XMLScanner.equal(name, "is") {
                    inInline = kind == .start; if kind == .start { hasValue = true }
                } else if XMLScanner.equal(name, "t") {
                    inT = kind == .start
                }
            }, onText: { t in if inValue || (inInline && inT) { value.append(contentsOf: t) } })
        }
        do { try zip.extract(sheet.path) { try feed($0, false) } }
        catch let f as ZipPackage.Failure { throw Failure.broken(f.description) }
        try feed(UnsafeRawBufferPointer(start: nil, count: 0), true)
    }

    /// A cell's `t` attribute: how its value is held.
    enum CellType {
        case shared, inline, bool, error, number
        init(_ t: UnsafeRawBufferPointer?) {
            guard let t else { self = .number; return }
            if XMLScanner.equal(t, "s") { self = .shared }
            else if XMLScanner.equal(t, "inlineStr") || XMLScanner.equal(t, "str") { self = .inline }
            else if XMLScanner.equal(t, "b") { self = .bool }
            else if XMLScanner.equal(t, "e") { self = .error }
            else { self = .number }
        }
    }

    static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)

    /// A decimal number of at most 18 digits, nil otherwise (never overflows).
    static func int(_ b: UnsafeRawBufferPointer) -> Int? {
        guard !b.isEmpty, b.count <= 18 else { return nil }
        var v = 0
        for c in b { guard c >= 0x30 && c <= 0x39 else { return nil }; v = v * 10 + Int(c - 0x30) }
        return v
    }

    /// "AB12" -> 27 (0-based column); nil past XFD (16,384 columns) or a row past 1,048,576.
    static func column(_ ref: UnsafeRawBufferPointer) -> Int? {
        var n = 0
        var i = 0
        while i < ref.count {
            let c = ref[i]
            if c >= 0x41 && c <= 0x5A { n = n * 26 + Int(c - 0x40) } else if c >= 0x61 && c <= 0x7A { n = n * 26 + Int(c - 0x60) } else { break }
            if n > maxColumns { return nil }
            i += 1
        }
        if i < ref.count, let r = int(UnsafeRawBufferPointer(rebasing: ref[i...])), r > maxRows { return nil }
        return max(0, n - 1)
    }

    /// An Excel serial date (days since 1899-12-30, 1900 system) as a CST wall-clock string;
    /// nil when the number is not finite or not a date between 1970 and 2099 (the cell then
    /// keeps its number, which no time column reads).
    static func serialToCST(_ serial: Double) -> String? {
        // 25,569 is 1970-01-01 and 73,051 is 2100-01-01 in the 1900 date system.
        guard serial.isFinite, serial >= 25_569, serial < 73_051 else { return nil }
        let seconds = Int64((serial * 86_400).rounded())
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secs = Int(seconds - days * 86_400)
        let civil = CST.civil(days: days - 25_569)
        return CST.format(CST.instant(year: civil.year, month: civil.month, day: civil.day, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60))
    }

    /// A number as a spreadsheet shows it: `3.245001234567E+18` spelled out, `12.0` as is
    /// (the id cleanup drops a trailing `.0`).
    ///
    /// From 10^15 on a spreadsheet number has lost digits (Excel keeps 15), so it stays in
    /// scientific notation, which no id column accepts (data-formats.md "Text").
    static func plainNumber(_ s: String) -> String {
        guard s.contains("E") || s.contains("e") else { return s }
        guard let v = Double(s), v.isFinite, abs(v) < 1e15, let d = Decimal(string: s) else { return s }
        return "\(d)"
    }
}

extension FileReader {
    /// The first `bytes` bytes of a file.
    /// The first `bytes` bytes of a regular file (never blocks: see `openRegular`).
    public static func readHead(_ path: String, bytes: Int) throws -> [UInt8] {
        let fd = try openRegular(path)
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: max(0, bytes))
        var got = 0
        while got < out.count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, $0.count - got, off_t(got)) }
            if n < 0 { if errno == EINTR { continue }; throw Failure(description: "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            got += n
        }
        return Array(out.prefix(got))
    }
}
