import Foundation

/// Receives the data records of one file, types them, and counts good and bad rows.
class RowSink {
    let file: String
    let map: HeaderMap
    let kind: TableKind
    var rows = 0
    var bad = 0
    var errors: [LoadError] = []
    var warnings: [LoadError] = []

    init(file: String, map: HeaderMap, kind: TableKind) { self.file = file; self.map = map; self.kind = kind }

    /// A column resolved once per file: its engine name (for messages) and its index in the
    /// file's rows (nil when the file has no such column). The typing helpers take these, so
    /// no row looks a column up by name.
    struct Col {
        let name: String
        let index: Int?
        init(_ map: HeaderMap, _ name: String) { self.name = name; index = map[name] }
    }

    /// A column's accepted values, compared byte for byte with a cell before any `String` is
    /// made; a match returns the accepted text itself (shared, not allocated).
    struct Choices {
        let values: [String]
        let bytes: [[UInt8]]
        init(_ values: [String]) { self.values = values; bytes = values.map { Array($0.utf8) } }
        func match(_ b: UnsafeRawBufferPointer) -> String? { index(b).map { values[$0] } }
        /// The position in `values` of the value `b` is.
        func index(_ b: UnsafeRawBufferPointer) -> Int? {
            for (i, v) in bytes.enumerated() where v.count == b.count && v.withUnsafeBytes({ memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }) {
                return i
            }
            return nil
        }
    }

    func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {}

    /// Takes a parsed record: `accept`, unless a quoted cell in it never closes. Then the
    /// parser read everything from that quote to the end of the file as one cell, so the rows
    /// on those lines cannot be told apart: the record is a bad row, and the error names the
    /// lines lost (RFC 4180 leaves it undefined; loading them half-read would be worse).
    final func take(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard rec.unclosedQuote >= 0 else { accept(rec, buf); return }
        refuseUnclosedQuote(line: rec.line, column: rec.unclosedQuote + 1, lastLine: rec.lastLine(in: buf))
    }

    final func refuseUnclosedQuote(line: Int, column: Int, lastLine: Int) {
        bad += 1
        errors.append(LoadError(file: file, line: line, column: column, reason: RowSink.unclosedQuoteReason(line: line, lastLine: lastLine)))
    }

    /// Counts lines, never names them: a chunk read on another core knows only its own lines
    /// (the error's line is moved to the file's; its text is not).
    static func unclosedQuoteReason(line: Int, lastLine: Int) -> String {
        let lost = lastLine > line ? "its \(lastLine - line + 1) lines from here to the end of the file were read as one cell and not loaded"
                                   : "the rest of the line was read as one cell and the row was not loaded"
        return "a quote opens this cell and is never closed: \(lost); close the quote (or remove it) and save the file again, or export it again"
    }

    /// Moves the rows' lines by `by` (a chunk of a file read on every core counts from 1).
    func shiftLines(by: Int) {}

    /// Makes room for about `rows` rows at once (a chunk of a large file).
    func reserve(_ rows: Int) {}

    /// A row already split into strings (buffered header-search rows, workbook rows):
    /// re-encoded so the sink sees the same bytes a CSV record would give it.
    final func accept(line: Int, cells: [String]) {
        var bytes: [UInt8] = []
        var rec = CSVRecord()
        rec.line = line
        for c in cells { rec.starts.append(bytes.count); bytes.append(contentsOf: c.utf8); rec.ends.append(bytes.count) }
        bytes.withUnsafeBytes { accept(rec, $0) }
    }

    /// For a file with invalid byte sequences (data-formats.md "Text"): a cell that is not
    /// valid UTF-8 after decoding is unreadable. In a required column the row is bad (false);
    /// in another column the cell is read as empty, with a warning naming line and column.
    final func screen(_ rec: inout CSVRecord, _ buf: UnsafeRawBufferPointer) -> Bool {
        var required: [Int: String] = [:]
        for spec in kind.required { if let i = map[spec.name] { required[i] = spec.name } }
        for c in 0..<rec.count {
            let b = UnsafeRawBufferPointer(rebasing: buf[rec.starts[c]..<rec.ends[c]])
            guard !TextEncoding.isValidUTF8(b, allowTruncatedEnd: false) else { continue }
            let why = "holds bytes that are not valid in the file's encoding (the file is damaged or mixes encodings): re-export it, or save it again as UTF-8"
            if let name = required[c] { fail(rec, name, why); return false }
            let name = map.index.first { $0.value == c }?.key
            if let name { warn(rec, name, why) }
            else { warnings.append(LoadError(file: file, line: rec.line, column: c + 1, reason: "column \(c + 1) \(why); read as absent")) }
            rec.ends[c] = rec.starts[c]
        }
        return true
    }

    /// The bytes of column `col` in `rec` (empty when the record is short).
    @inline(__always)
    final func cell(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ col: Int?) -> UnsafeRawBufferPointer {
        guard let col, col < rec.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: buf[rec.starts[col]..<rec.ends[col]])
    }

    /// Column `col`'s bytes with surrounding spaces trimmed, nil when absent (empty or an
    /// absent marker such as `-`, data-formats.md "Text").
    @inline(__always)
    final func present(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ col: Int?) -> UnsafeRawBufferPointer? {
        let b = cell(rec, buf, col)
        let (lo, hi) = Cell.trimmed(b)
        return Cell.isAbsentMarker(b, lo, hi) ? nil : UnsafeRawBufferPointer(rebasing: b[lo..<hi])
    }

    final func fail(_ rec: CSVRecord, _ column: String, _ why: String) {
        bad += 1
        let (col, reason) = worded(column, why, "", &lastFailure)
        errors.append(LoadError(file: file, line: rec.line, column: col, reason: reason))
    }

    /// The last message said for a failed row and for a cell read as absent: a broken column
    /// fails the same way on every row, and its rows then share one reason string rather than
    /// an allocation each (ten million bad rows took 2.1 GB).
    private var lastFailure = SaidLast(), lastWarning = SaidLast()
    private struct SaidLast { var column = "", why = "", col: Int? = nil, reason = "" }

    /// The column's 1-based position and `header: why` then `suffix`, from `last` when it said
    /// the same (each kind of message has its own `last` and its own suffix), else worded now
    /// and kept in `last`.
    private func worded(_ column: String, _ why: String, _ suffix: String, _ last: inout SaidLast) -> (Int?, String) {
        if !last.reason.isEmpty && last.column == column && last.why == why { return (last.col, last.reason) }
        let col = map[column].map { $0 + 1 }
        let header = map.header[column].map { $0 == column ? column : "\(column) (\($0))" } ?? column
        last = SaidLast(column: column, why: why, col: col, reason: "\(header): \(why)\(suffix)")
        return (col, last.reason)
    }

    final func fail(_ rec: CSVRecord, _ column: Col, _ why: String) { fail(rec, column.name, why) }
    final func warn(_ rec: CSVRecord, _ column: Col, _ why: String) { warn(rec, column.name, why) }

    final func warn(_ rec: CSVRecord, _ column: String, _ why: String) {
        let (col, reason) = worded(column, why, "; read as absent", &lastWarning)
        warnings.append(LoadError(file: file, line: rec.line, column: col, reason: reason))
    }

    static let timeFormats = "YYYY-MM-DD HH:MM:SS, YYYY/MM/DD HH:MM:SS, YYYY-MM-DD HH:MM, Excel's 2025/3/6 15:43, ISO 8601 with offset, epoch ms (13 digits) or s (10 digits), between 1970 and 2099"

    final func show(_ b: UnsafeRawBufferPointer) -> String { show(String(decoding: b, as: UTF8.self)) }

    /// A cell's text quoted for a message, cut at 40 characters.
    final func show(_ s: String) -> String {
        "'" + (s.count > 40 ? String(s.prefix(40)) + "…" : s) + "'"
    }

    /// A required time, or nil after reporting the row.
    @inline(__always)
    final func requiredTime(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> Instant? {
        let b = cell(rec, buf, column.index)
        switch CST.parse(b) {
        case .value(let t): return t
        case .absent: fail(rec, column, "required time is empty"); return nil
        case .invalid: fail(rec, column, "cannot read \(show(b)) as a time; accepted: \(RowSink.timeFormats)"); return nil
        }
    }

    /// An optional time: absent when empty or unreadable (unreadable is warned about).
    @inline(__always)
    final func optionalTime(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> Instant {
        guard let col = column.index else { return .absent }
        let b = cell(rec, buf, col)
        switch CST.parse(b) {
        case .value(let t): return t
        case .absent: return .absent
        case .invalid: warn(rec, column, "cannot read \(show(b)) as a time"); return .absent
        }
    }

    final func requiredText(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col, id: Bool = false) -> String? {
        (id ? requiredIdBytes(rec, buf, column) : requiredTextBytes(rec, buf, column)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A required text's bytes, trimmed as `Cell.text` trims them (no `String` made), or nil
    /// after reporting the row (empty or an absent marker).
    final func requiredTextBytes(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> UnsafeRawBufferPointer? {
        if let b = present(rec, buf, column.index) { return b }
        fail(rec, column, "required cell is empty")
        return nil
    }

    /// A required id's bytes, Excel-proofing stripped as `Cell.id` strips it (no `String`
    /// made), or nil after reporting the row (empty, or in scientific notation).
    final func requiredIdBytes(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> UnsafeRawBufferPointer? {
        let b = cell(rec, buf, column.index)
        guard let (lo, hi) = Cell.idBounds(b) else { fail(rec, column, "required cell is empty"); return nil }
        if Cell.isScientific(b, lo, hi) { fail(rec, column, "the id \(show(b)) \(Cell.scientificIdReason)"); return nil }
        return UnsafeRawBufferPointer(rebasing: b[lo..<hi])
    }

    /// An optional id: absent when empty; a scientific-notation id is warned about and absent.
    final func optionalId(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> String? {
        guard let col = column.index else { return nil }
        let b = cell(rec, buf, col)
        if let (lo, hi) = Cell.idBounds(b), Cell.isScientific(b, lo, hi) {
            warn(rec, column, "the id \(show(b)) \(Cell.scientificIdReason)")
            return nil
        }
        return Cell.id(b)
    }

    /// A required cell that must be one of `accepted`, or nil after reporting the row.
    final func requiredChoice(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col, _ accepted: Choices, what: String) -> String? {
        guard let b = present(rec, buf, column.index) else { fail(rec, column, "required cell is empty"); return nil }
        if let a = accepted.match(b) { return a }
        fail(rec, column, "unknown \(what) \(show(b)); accepted: \(accepted.values.joined(separator: ", "))")
        return nil
    }

    /// An optional cell that must be one of `accepted`: nil when absent; any other value is
    /// warned about and read as absent.
    final func optionalChoice(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col, _ accepted: Choices, what: String) -> String? {
        optionalChoiceIndex(rec, buf, column, accepted, what: what).map { accepted.values[$0] }
    }

    /// `optionalChoice`'s value as its position in `accepted.values`.
    final func optionalChoiceIndex(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col, _ accepted: Choices, what: String) -> Int? {
        guard let b = present(rec, buf, column.index) else { return nil }
        if let a = accepted.index(b) { return a }
        warn(rec, column, "unknown \(what) \(show(b)); accepted: \(accepted.values.joined(separator: ", "))")
        return nil
    }

    final func optionalText(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> String? {
        guard let col = column.index else { return nil }
        return Cell.text(cell(rec, buf, col))
    }

    final func optionalBool(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> Bool {
        guard let col = column.index else { return false }
        let b = cell(rec, buf, col)
        if let v = Cell.bool(b) { return v }
        warn(rec, column, "cannot read \(show(b)) as yes/no (是/否, Y/N, yes/no, true/false, 1/0)")
        return false
    }

    final func requiredMoney(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> Int64? {
        let b = cell(rec, buf, column.index)
        switch Cell.money(b) {
        case .value(let v): return v
        case .absent: fail(rec, column, "required amount is empty"); return nil
        case .invalid: fail(rec, column, "cannot read \(show(b)) as money; accepted: 59.90, ¥59.90, ￥1,299.90, from 0 to below 10^12 yuan"); return nil
        }
    }

    final func optionalMoney(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> Int64? {
        guard let col = column.index else { return nil }
        let b = cell(rec, buf, col)
        switch Cell.money(b) {
        case .value(let v): return v
        case .absent: return nil
        case .invalid: warn(rec, column, "cannot read \(show(b)) as money (0 to below 10^12 yuan)"); return nil
        }
    }

    final func optionalInt(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ column: Col) -> Int? {
        guard let col = column.index else { return nil }
        let b = cell(rec, buf, col)
        switch Cell.integer(b) {
        case .value(let v): return v
        case .absent: return nil
        case .invalid: warn(rec, column, "cannot read \(show(b)) as a whole number from 0 to 1,000,000,000"); return nil
        }
    }
}
