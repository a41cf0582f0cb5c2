import Foundation

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
