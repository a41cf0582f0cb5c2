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
        func match(_ b: UnsafeRawBufferPointer) -> String? {
            for (i, v) in bytes.enumerated() where v.count == b.count && v.withUnsafeBytes({ memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }) {
                return values[i]
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
        let b = cell(rec, buf, column.index)
        if id, let (lo, hi) = Cell.idBounds(b), Cell.isScientific(b, lo, hi) {
            fail(rec, column, "the id \(show(b)) \(Cell.scientificIdReason)")
            return nil
        }
        if let s = id ? Cell.id(b) : Cell.text(b) { return s }
        fail(rec, column, "required cell is empty")
        return nil
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
        guard let b = present(rec, buf, column.index) else { return nil }
        if let a = accepted.match(b) { return a }
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

/// Orders: the hot path. Column indexes are resolved once per file, cells are typed straight
/// from bytes into the columnar table, and the status text is parsed once per distinct value.
final class OrdersSink: RowSink {
    private var stored: OrdersTable
    /// Typed rows (and their ids) not yet appended to the table's columns: a bulk load
    /// appends them column by column, a block at a time.
    private var staged: [OrdersTable.Row] = []
    private var stagedIds: [UInt8] = []
    private var stagedIdEnds: [UInt32] = []
    static let block = 8192
    /// When set (parallel loads), rows and ids go straight into a shared table's row range and
    /// id arena; the regions and texts the rows refer to stay in this sink's table.
    var writer: RowWriter?
    var idWriter: IdWriter?
    /// The writer's range was too small for this chunk.
    private(set) var overflowed = false

    /// The table with every accepted row in it. Taking it out (`sink.table = OrdersTable()`
    /// after reading it) leaves one reference, so later mutations do not copy.
    var table: OrdersTable {
        get { flush(); return stored }
        set { flush(); stored = newValue }
    }

    private func flush() {
        guard !stagedIdEnds.isEmpty else { return }
        stored.ids.appendDeferred(arena: stagedIds, ends: stagedIdEnds)
        if !staged.isEmpty { stored.append(staged) }
        staged.removeAll(keepingCapacity: true)
        stagedIds.removeAll(keepingCapacity: true)
        stagedIdEnds.removeAll(keepingCapacity: true)
    }
    /// Append every row as new and leave repeated ids to `OrdersTable.finishLoading` (bulk
    /// loads); otherwise a repeated id overwrites its row at once (live appends).
    let deferIds: Bool
    let fen: Bool
    let itemType: Bool
    let pickup: Bool
    let shipToCols: [Int]
    var scratch: [UInt8] = []
    // Column indexes (-1 = absent).
    let cId, cPaid, cPromised, cStatus, cHours, cDelayed, cFlash, cShipped, cPicked, cClosed, cFrom, cProductId, cProductName, cAmount, cEvent, cReported: Int
    /// The name index last seen with each product id index.
    var lastName: [Int32] = []
    /// Distinct status texts seen, and what each means.
    var statusTexts = ByteInterner(capacity: 16)
    var statusValues: [OrderStatus??] = []

    init(file: String, map: HeaderMap, headers: [String], table: OrdersTable, deferIds: Bool) {
        var t = table
        if !deferIds { t.finishLoading() } // a no-op (and no copy) on a finished table
        self.stored = t
        self.deferIds = deferIds
        fen = map.header["amount"].map { Schemas.key($0) == "totalfee" } ?? false
        itemType = map.header["flash_sale"].map { Schemas.key($0) == "itemtype" } ?? false
        pickup = map["picked_up_at"] != nil
        let keys = headers.map(Schemas.key)
        if let c = map["ship_to"] { shipToCols = [c] }
        else {
            let split = Schemas.splitAddress.compactMap { keys.firstIndex(of: Schemas.key($0)) }
            if !split.isEmpty { shipToCols = split }
            else if let full = keys.firstIndex(of: Schemas.key(Schemas.fullAddress)) { shipToCols = [full] }
            else { shipToCols = [] }
        }
        func i(_ c: String) -> Int { map[c] ?? -1 }
        cId = i("order_id"); cPaid = i("paid_at"); cPromised = i("promised_ship_at"); cStatus = i("status"); cHours = i("promise_hours")
        cDelayed = i("delayed_promise_at"); cFlash = i("flash_sale"); cShipped = i("shipped_at"); cPicked = i("picked_up_at")
        cClosed = i("closed_at"); cFrom = i("ship_from"); cProductId = i("product_id"); cProductName = i("product_name")
        cAmount = i("amount"); cEvent = i("official_event"); cReported = i("delay_reported")
        super.init(file: file, map: map, kind: .orders)
    }

    @inline(__always)
    func at(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ col: Int) -> UnsafeRawBufferPointer {
        guard col >= 0, col < rec.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: buf[rec.starts[col]..<rec.ends[col]])
    }

    @inline(__always)
    func time(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ col: Int, _ name: String) -> Instant {
        guard col >= 0 else { return .absent }
        let b = at(rec, buf, col)
        switch CST.parse(b) {
        case .value(let t): return t
        case .absent: return .absent
        case .invalid: warn(rec, name, "cannot read \(show(b)) as a time"); return .absent
        }
    }

    @inline(__always)
    func flag(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ col: Int, _ name: String) -> Bool {
        guard col >= 0 else { return false }
        let b = at(rec, buf, col)
        if let v = Cell.bool(b) { return v }
        warn(rec, name, "cannot read \(show(b)) as yes/no (是/否, Y/N, yes/no, true/false, 1/0)")
        return false
    }

    @inline(__always)
    func status(_ b: UnsafeRawBufferPointer) -> OrderStatus?? {
        let (lo, hi) = Cell.trimmed(b)
        let key = UnsafeRawBufferPointer(rebasing: b[lo..<hi])
        if let i = statusTexts.find(key) { return statusValues[Int(i)] }
        let v: OrderStatus?? = Cell.isAbsentMarker(b, lo, hi) ? nil : OrderStatus.parse(String(decoding: key, as: UTF8.self))
        _ = statusTexts.intern(key)
        statusValues.append(v)
        return v
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        // Status first: 待付款 rows are neither loaded nor bad.
        let sb = at(rec, buf, cStatus)
        guard let parsed = status(sb) else {
            let (lo, hi) = Cell.trimmed(sb)
            if Cell.isAbsentMarker(sb, lo, hi) { fail(rec, "status", "required cell is empty"); return }
            fail(rec, "status", "unknown order status \(show(sb)); accepted: 待付款, 待发货/已付款, 已发货, 已签收/已收货/交易成功, 已关闭/交易关闭/已取消/订单失败, or 10/30/40/50/70/80")
            return
        }
        guard let status = parsed else { return }
        let idb = at(rec, buf, cId)
        guard let (lo, hi) = Cell.idBounds(idb) else { fail(rec, "order_id", "required cell is empty"); return }
        if Cell.isScientific(idb, lo, hi) { fail(rec, "order_id", "the id \(show(idb)) \(Cell.scientificIdReason)"); return }
        var high: UInt8 = 0
        for k in lo..<hi { high |= idb[k] }
        if high >= 0x80, !TextEncoding.isValidUTF8(UnsafeRawBufferPointer(rebasing: idb[lo..<hi]), allowTruncatedEnd: false) { sawInvalidId = true }
        let paidCell = at(rec, buf, cPaid)
        let paid: Instant
        switch CST.parse(paidCell) {
        case .value(let t): paid = t
        case .absent:
            // A closed order never paid (交易关闭 with no pay time) is unpaid: ignored, not bad.
            if status == .closed { return }
            fail(rec, "paid_at", "required time is empty"); return
        case .invalid: fail(rec, "paid_at", "cannot read \(show(paidCell)) as a time; accepted: \(RowSink.timeFormats)"); return
        }
        let promiseCell = at(rec, buf, cPromised)
        let promised: Instant
        switch CST.parse(promiseCell) {
        case .value(let t): promised = t
        case .absent: fail(rec, "promised_ship_at", "required time is empty (0 means the order cannot ship yet)"); return
        case .invalid: fail(rec, "promised_ship_at", "cannot read \(show(promiseCell)) as a time; accepted: \(RowSink.timeFormats)"); return
        }
        var hours: Int
        switch cHours >= 0 ? Cell.hours(at(rec, buf, cHours)) : .absent {
        case .value(let h): hours = h
        case .invalid:
            warn(rec, "promise_hours", "cannot read \(show(at(rec, buf, cHours))) as hours (24, 48h, 24小时, 3天; 1 to 8760 hours)")
            fallthrough
        case .absent:
            let d = promised - paid
            hours = d <= 0 ? 0 : Int((d + 3599) / 3600)
        }
        var flags: OrderFlags = pickup ? [.pickupKnown] : []
        if cFlash >= 0 {
            if itemType {
                let b = at(rec, buf, cFlash)
                let (l, h) = Cell.trimmed(b)
                if h - l == 1 && b[l] == 0x32 { flags.insert(.flashSale) }
            } else if flag(rec, buf, cFlash, "flash_sale") { flags.insert(.flashSale) }
        }
        if flag(rec, buf, cReported, "delay_reported") { flags.insert(.delayReported) }

        var row = OrdersTable.Row(paid: paid, promised: promised, promiseHours: Int16(clamping: hours), status: status, flags: flags)
        row.delayed = time(rec, buf, cDelayed, "delayed_promise_at")
        row.shipped = time(rec, buf, cShipped, "shipped_at")
        row.pickedUp = time(rec, buf, cPicked, "picked_up_at")
        row.closed = time(rec, buf, cClosed, "closed_at")
        row.shipFrom = cFrom >= 0 ? stored.regions.intern(at(rec, buf, cFrom)) : -1
        if shipToCols.count == 1 {
            row.shipTo = stored.regions.intern(at(rec, buf, shipToCols[0]))
        } else if !shipToCols.isEmpty {
            scratch.removeAll(keepingCapacity: true)
            for c in shipToCols {
                let b = at(rec, buf, c)
                let (l, h) = Cell.trimmed(b)
                if Cell.isAbsentMarker(b, l, h) { continue }
                if !scratch.isEmpty { scratch.append(0x2F) }
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[l..<h]))
            }
            row.shipTo = scratch.withUnsafeBytes { stored.regions.intern($0) }
        }
        row.productId = productId(rec, buf)
        row.productName = productName(rec, buf, row.productId)
        row.officialEvent = internText(rec, buf, cEvent)
        if cAmount >= 0 {
            switch Cell.money(at(rec, buf, cAmount), fen: fen) {
            case .value(let v): row.amount = v
            case .absent: break
            case .invalid: warn(rec, "amount", "cannot read \(show(at(rec, buf, cAmount))) as money (0 to below 10^12 yuan)")
            }
        }
        let id = UnsafeRawBufferPointer(rebasing: idb[lo..<hi])
        if deferIds {
            if writer != nil {
                if !writer!.write(row) || !idWriter!.write(id) { overflowed = true; return }
                rows += 1
                return
            }
            staged.append(row)
            stagedIds.append(contentsOf: id)
            stagedIdEnds.append(UInt32(stagedIds.count))
            if stagedIdEnds.count == OrdersSink.block { flush() }
        } else {
            let (r32, isNew) = stored.ids.intern(id)
            if isNew { stored.append(row) } else { stored.set(Int(r32), row) }
        }
        rows += 1
    }

    /// Column `col`'s text trimmed, or nil when the column is missing or the cell absent.
    @inline(__always)
    func trimmedCell(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ col: Int) -> UnsafeRawBufferPointer? {
        guard col >= 0 else { return nil }
        let b = at(rec, buf, col)
        let (l, h) = Cell.trimmed(b)
        if Cell.isAbsentMarker(b, l, h) { return nil }
        return UnsafeRawBufferPointer(rebasing: b[l..<h])
    }

    @inline(__always)
    /// Whether every text this sink kept (regions, product ids and names, campaign names) is
    /// valid UTF-8. Ids are checked as typed (`sawNonASCIIId`).
    var keptTextsAreValidUTF8: Bool {
        !sawInvalidId && stored.regions.texts.allValidUTF8 && stored.texts.allValidUTF8 && stored.productIds.allValidUTF8
    }
    /// An order id with a byte that is not valid UTF-8.
    var sawInvalidId = false

    func productId(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) -> Int32 {
        trimmedCell(rec, buf, cProductId).map { stored.productIds.intern($0).index } ?? -1
    }

    /// A product's name is nearly always the one its id had on the row before: that entry is
    /// compared first, and the name pool searched only when it differs.
    @inline(__always)
    func productName(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ pid: Int32) -> Int32 {
        guard let cell = trimmedCell(rec, buf, cProductName) else { return -1 }
        if pid >= 0, Int(pid) < lastName.count {
            let last = lastName[Int(pid)]
            if last >= 0 && stored.texts.matches(last, cell) { return last }
        }
        let idx = stored.texts.intern(cell).index
        if pid >= 0 {
            while lastName.count <= Int(pid) { lastName.append(-1) }
            lastName[Int(pid)] = idx
        }
        return idx
    }

    @inline(__always)
    func internText(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer, _ col: Int) -> Int32 {
        trimmedCell(rec, buf, col).map { stored.texts.intern($0).index } ?? -1
    }
}

/// The accepted values of the columns that list them (`Enumerations`), ready for byte
/// comparison.
extension RowSink {
    static let violationStatus = Choices(Enumerations.violationStatus)
    static let violationSubject = Choices(Enumerations.violationSubject)
    static let couponType = Choices(Enumerations.couponType)
    static let couponStatus = Choices(Enumerations.couponStatus)
    static let productSource = Choices(Enumerations.productSource)
    static let reportResult = Choices(Enumerations.reportResult)
    static let refundDecision = Choices(Enumerations.refundDecision)
}

/// The small tables: one typed struct a row, merged later by id. Each sink resolves its
/// columns once, when the file's header is known.
class TableSink<Row: FileRow>: RowSink {
    var out: [Row] = []

    override final func shiftLines(by: Int) {
        guard by != 0 else { return }
        for i in out.indices { out[i].line += by }
    }

    override final func reserve(_ rows: Int) { out.reserveCapacity(rows) }
}

final class RefundSink: TableSink<Refund> {
    var addresses = RegionPool()
    var warnedSynthetic = false
    let cRefundId, cOrderId, cKind, cApplied, cHandled, cDecision, cAgreed, cShipped, cReceived, cCompleted, cStatus, cIntervened, cDispute, cAddress: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cRefundId = c("refund_id"); cOrderId = c("order_id"); cKind = c("kind"); cApplied = c("applied_at")
        cHandled = c("handled_at"); cDecision = c("decision"); cAgreed = c("return_agreed_at"); cShipped = c("return_shipped_at")
        cReceived = c("return_received_at"); cCompleted = c("completed_at"); cStatus = c("status")
        cIntervened = c("platform_intervened"); cDispute = c("merchant_dispute"); cAddress = c("return_address")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        if map.syntheticRefundIds && !warnedSynthetic {
            warnedSynthetic = true
            warnings.append(LoadError(file: file, reason: "an older after-sales export without 售后单号: each row's id is ORDER_ID@APPLIED_AT (order id and application time)"))
        }
        guard let givenId = map.syntheticRefundIds ? "" : requiredText(rec, buf, cRefundId, id: true),
              let order = requiredText(rec, buf, cOrderId, id: true) else { return }
        guard let kindText = present(rec, buf, cKind.index) else { fail(rec, cKind, "required cell is empty"); return }
        guard let kind = RefundKind.parse(kindText) else {
            fail(rec, cKind, "unknown after-sales kind \(show(kindText)); accepted: 仅退款, 退货退款, 换货 (handlingWay 10, 1, 3)"); return
        }
        guard let applied = requiredTime(rec, buf, cApplied) else { return }
        let id = map.syntheticRefundIds ? order + "@" + CST.format(applied) : givenId
        // Cells in column order as before (a warning's order is the one pass's), the row built
        // in the append itself (a local row appended was copied, then destroyed).
        let handled = optionalTime(rec, buf, cHandled)
        let decision = optionalChoice(rec, buf, cDecision, RowSink.refundDecision, what: "merchant decision")
        let agreed = optionalTime(rec, buf, cAgreed), shipped = optionalTime(rec, buf, cShipped)
        let received = optionalTime(rec, buf, cReceived), completed = optionalTime(rec, buf, cCompleted)
        let statusText = present(rec, buf, cStatus.index)
        guard let st = RefundStatus.parse(statusText) else {
            fail(rec, cStatus, "unknown after-sales status \(statusText.map(show) ?? "''"); accepted: 处理中/售后处理中, 已完结/退款成功/售后成功, 已关闭/售后关闭/售后失败/退款失败, or open-platform codes"); return
        }
        let intervened = optionalBool(rec, buf, cIntervened) || RefundStatus.meansIntervened(statusText)
        let dispute = optionalBool(rec, buf, cDispute)
        // Return addresses repeat: each distinct text is parsed once (interned by its bytes).
        var address: Region?
        if let col = cAddress.index {
            let idx = addresses.intern(cell(rec, buf, col))
            address = idx >= 0 ? addresses.regions[Int(idx)] : nil
        }
        out.append(Refund(refundId: id, orderId: order, kind: kind, appliedAt: applied, handledAt: handled, decision: decision,
                          returnAgreedAt: agreed, returnShippedAt: shipped, returnReceivedAt: received, completedAt: completed,
                          status: st, platformIntervened: intervened, merchantDispute: dispute, returnAddress: address,
                          line: rec.line, file: file))
        rows += 1
    }
}

final class ViolationSink: TableSink<Violation> {
    let cId, cNotified, cRule, cStatus, cSubject, cPoints, cMeasures, cUsed, cDeadline: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cId = c("violation_id"); cNotified = c("notified_at"); cRule = c("rule"); cStatus = c("status"); cSubject = c("subject")
        cPoints = c("points"); cMeasures = c("measures"); cUsed = c("appeals_used"); cDeadline = c("appeal_deadline")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let id = requiredText(rec, buf, cId, id: true),
              let notified = requiredTime(rec, buf, cNotified),
              let rule = requiredText(rec, buf, cRule),
              let status = requiredChoice(rec, buf, cStatus, RowSink.violationStatus, what: "violation status") else { return }
        var v = Violation(violationId: id, notifiedAt: notified, rule: rule, status: status)
        if let s = optionalChoice(rec, buf, cSubject, RowSink.violationSubject, what: "penalised party") { v.subject = s }
        if let c = cPoints.index {
            switch Cell.integer(cell(rec, buf, c)) {
            case .value(let p): v.points = p
            case .absent: break
            case .invalid: fail(rec, cPoints, "cannot read \(show(cell(rec, buf, c))) as whole points from 0 to 1,000,000,000"); return
            }
        }
        if let m = optionalText(rec, buf, cMeasures) {
            v.measures = m.split(whereSeparator: { ";；、,，".contains($0) })
                .map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        }
        v.appealsUsed = optionalInt(rec, buf, cUsed) ?? 0
        v.appealDeadline = optionalTime(rec, buf, cDeadline)
        v.line = rec.line; v.file = file
        out.append(v); rows += 1
    }
}

final class CouponSink: TableSink<Coupon> {
    let cId, cType, cThreshold, cFace, cIssue, cName, cQuantity, cLivePlan, cStatus: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cId = c("activity_id"); cType = c("coupon_type"); cThreshold = c("threshold"); cFace = c("face_value"); cIssue = c("issue_at")
        cName = c("name"); cQuantity = c("quantity"); cLivePlan = c("live_plan"); cStatus = c("status")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let id = requiredText(rec, buf, cId, id: true),
              let type = requiredChoice(rec, buf, cType, RowSink.couponType, what: "coupon type"),
              let threshold = requiredMoney(rec, buf, cThreshold),
              let face = requiredMoney(rec, buf, cFace),
              let issue = requiredTime(rec, buf, cIssue) else { return }
        var c = Coupon(activityId: id, couponType: type, threshold: threshold, faceValue: face, issueAt: issue)
        c.name = optionalText(rec, buf, cName)
        c.quantity = optionalInt(rec, buf, cQuantity)
        c.livePlan = optionalText(rec, buf, cLivePlan)
        c.status = optionalChoice(rec, buf, cStatus, RowSink.couponStatus, what: "activity status")
        c.line = rec.line; c.file = file
        out.append(c); rows += 1
    }
}

final class ProductSink: TableSink<Product> {
    let cId, cName, cPrice, cCommission, cSource, cCategory, cEvent, cTrust: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cId = c("product_id"); cName = c("product_name"); cPrice = c("price"); cCommission = c("commission")
        cSource = c("source"); cCategory = c("category"); cEvent = c("official_event"); cTrust = c("trust_purchase")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let id = requiredText(rec, buf, cId, id: true),
              let name = requiredText(rec, buf, cName),
              let price = requiredMoney(rec, buf, cPrice) else { return }
        // Built in the append itself: a row assembled in a local and then appended was copied
        // (its strings retained) and the local destroyed: without that the read of 200k
        // products took a fifth fewer profile samples.
        out.append(Product(productId: id, name: name, price: price, commission: optionalMoney(rec, buf, cCommission) ?? 0,
                           source: optionalChoice(rec, buf, cSource, RowSink.productSource, what: "product source") ?? "自建",
                           category: optionalText(rec, buf, cCategory), officialEvent: optionalText(rec, buf, cEvent),
                           trustPurchase: optionalBool(rec, buf, cTrust), line: rec.line, file: file))
        rows += 1
    }
}

final class ReportSink: TableSink<CustomerReport> {
    let cId, cUser, cAt, cResult, cShop: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cId = c("report_id"); cUser = c("user_id"); cAt = c("reported_at"); cResult = c("result"); cShop = c("shop_id")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let id = requiredText(rec, buf, cId, id: true),
              let user = requiredText(rec, buf, cUser, id: true),
              let at = requiredTime(rec, buf, cAt),
              let result = requiredChoice(rec, buf, cResult, RowSink.reportResult, what: "report result") else { return }
        var r = CustomerReport(reportId: id, userId: user, reportedAt: at, result: result)
        r.shopId = optionalId(rec, buf, cShop)
        r.line = rec.line; r.file = file
        out.append(r); rows += 1
    }
}

final class AdjustmentSink: TableSink<Adjustment> {
    let cArea, cScope, cStart, cEnd, cPublished, cSource: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cArea = c("area"); cScope = c("scope"); cStart = c("start"); cEnd = c("end"); cPublished = c("published_at"); cSource = c("source")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let areaText = requiredText(rec, buf, cArea),
              let scopeText = requiredText(rec, buf, cScope) else { return }
        guard let scope = AdjustmentScope.parse(scopeText) else {
            fail(rec, cScope, "unknown scope '\(scopeText)'; accepted: 物流 (logistics), 售后 (after-sales)"); return
        }
        guard let start = requiredTime(rec, buf, cStart), let end = requiredTime(rec, buf, cEnd) else { return }
        let published = optionalTime(rec, buf, cPublished)
        var a = Adjustment(area: Region.parse(areaText), areaText: areaText, scope: scope, start: start, end: end,
                           publishedAt: published == .absent ? start : published)
        a.source = optionalText(rec, buf, cSource)
        a.line = rec.line; a.file = file
        out.append(a); rows += 1
    }
}

/// Waybills: the courier's pickup scans (data-formats.md "waybills").
final class WaybillSink: TableSink<Waybill> {
    let cOrder, cPicked, cWaybill: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        cOrder = Col(map, "order_id"); cPicked = Col(map, "picked_up_at"); cWaybill = Col(map, "waybill_no")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let order = requiredText(rec, buf, cOrder, id: true) else { return }
        let b = cell(rec, buf, cPicked.index)
        let picked: Instant
        switch CST.parse(b) {
        case .value(let t): picked = t
        case .absent: picked = .absent // no pickup scan yet
        case .invalid: fail(rec, cPicked, "cannot read \(show(b)) as a time; accepted: \(RowSink.timeFormats)"); return
        }
        out.append(Waybill(orderId: order, waybillNo: optionalId(rec, buf, cWaybill), pickedUpAt: picked, line: rec.line, file: file))
        rows += 1
    }
}
