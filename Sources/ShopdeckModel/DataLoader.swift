import Foundation

/// Loads a data folder (or one file) into a `Snapshot`.
public enum DataLoader {
    public static let maxHeaderSearchRows = 20

    /// The table a file name says, if any (`orders*.csv`, `订单…`), also after a
    /// `SHOP-PLATFORM-` prefix (`店铺A-快手-运单表.xlsx`).
    public static func recognise(name: String) -> TableKind? {
        let lower = name.lowercased()
        for kind in TableKind.allCases where kind.namePrefixes.contains(where: { lower.hasPrefix($0) }) { return kind }
        // SHOP-PLATFORM-TABLE…: the third dash-separated part names the table.
        let parts = lower.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty {
            let rest = parts[2]
            for kind in TableKind.allCases where kind.namePrefixes.contains(where: { rest.hasPrefix($0) }) { return kind }
        }
        return nil
    }

    /// A name a download or an editor gives a file still being written, or a hidden file
    /// (data-formats.md "Files and tables"): never read.
    public static func isTemporary(name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasPrefix(".") || lower.hasPrefix("~$") || lower.hasPrefix(".~lock") { return true }
        return [".part", ".crdownload", ".download", ".tmp"].contains { lower.hasSuffix($0) }
    }

    /// A `.txt` file whose name says nothing but that starts with a UTF-16 byte-order mark:
    /// Excel's "Unicode text" save of an export, recognised by its headers.
    static func isUnicodeText(_ path: String, name: String) -> Bool {
        guard !isTemporary(name: name), name.lowercased().hasSuffix(".txt"), case .regular = FileReader.entryKind(path),
              let head = try? FileReader.readHead(path, bytes: 2), head.count == 2 else { return false }
        return head == [0xFF, 0xFE] || head == [0xFE, 0xFF]
    }

    public static func isExport(name: String) -> Bool {
        if isTemporary(name: name) { return false }
        let lower = name.lowercased()
        return lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".xlsx") || lower.hasSuffix(".txt") && recognise(name: name) != nil
    }

    /// The export files of a folder in merge order: oldest modification first, then by name,
    /// so a later file overrides an earlier one (rules.md §10). Entries that are not regular
    /// files (a FIFO, socket, device or folder with an export's name, or a link to one) are
    /// left out and named in `skipped`: nothing ever opens them.
    public static func exportFiles(in folder: String) -> [(name: String, mtime: Int64)] {
        exportEntries(in: folder).files
    }

    public static func exportEntries(in folder: String) -> (files: [(name: String, mtime: Int64)], skipped: [(name: String, kind: String)]) {
        guard let names = FileReader.list(folder) else { return ([], []) }
        var files: [(String, Int64)] = [], skipped: [(String, String)] = []
        for name in names where isExport(name: name) || isUnicodeText(folder + "/" + name, name: name) {
            let path = folder + "/" + name
            switch FileReader.entryKind(path) {
            case .regular(let m): files.append((name, m))
            case .missing:
                // Gone since the listing: nothing to say. A link to nothing (or a loop of
                // links) is there, though, and named: the operator thinks it is an export.
                if let why = FileReader.brokenLink(path) { skipped.append((name, "a link to nothing readable (\(why))")) }
            case .other(let what): skipped.append((name, what))
            }
        }
        files.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return (files, skipped.sorted { $0.0 < $1.0 })
    }

    /// Loads every export of `folder` (with `only`, the files of those tables; a file whose
    /// name names no table is always read).
    /// `passwords`: for encrypted workbooks, tried after the file-stem convention (data-formats.md).
    /// `parallelFrom`: the size from which an orders file is read on every core (`parallelThreshold`).
    /// `progress`: where the files, rows and bytes read so far are counted (a progress line).
    public static func load(folder: String, only: Set<TableKind>? = nil, passwords: [String] = [],
                            parallelFrom: Int = parallelThreshold, progress: LoadProgress? = nil) -> Snapshot {
        let started = DispatchTime.now().uptimeNanoseconds
        var clock = Timings.Clock()
        var snap = Snapshot()
        if !FileReader.isDirectory(folder) {
            snap.errors.append(LoadError(file: folder, reason: "data folder not found or not a folder"))
            snap.skippedFiles.append(folder)
            return snap
        }
        var parts = Parts()
        let entries = exportEntries(in: folder)
        for (name, what) in entries.skipped where only.map({ o in recognise(name: name).map(o.contains) ?? true }) ?? true {
            snap.warnings.append(LoadError(file: name, reason: "skipped: this is \(what), not a regular file; only regular files are read"))
        }
        let files = entries.files.filter { f in !(only.map { o in recognise(name: f.name).map { !o.contains($0) } ?? false } ?? false) }
        let sizes = files.map { Int(FileReader.fileSize(folder + "/" + $0.name) ?? 0) }
        progress?.begin(files: files.count, bytes: sizes.reduce(0, +))
        var read = 0   // the sizes of the files done
        for ((name, _), size) in zip(files, sizes) {
            loadFile(path: folder + "/" + name, name: name, snap: &snap, parts: &parts, inspection: nil, passwords: passwords,
                     parallelFrom: parallelFrom, progress: progress)
            read += size
            progress?.fileDone(bytes: read)
        }
        clock.mark("load: read and type")
        parts.finish(into: &snap)
        clock.mark("load: merged by id")
        snap.orders.finishLoading()
        clock.mark("load: index order ids")
        snap.files.sort { $0.path < $1.path }
        snap.loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return snap
    }

    /// Reads one file the way `load` would and tells how (for `shopdeck inspect`).
    public static func inspect(path: String, passwords: [String] = [], onRow: ((Inspection, [String], Int) -> Void)? = nil) -> Inspection {
        let name = (path as NSString).lastPathComponent
        var snap = Snapshot()
        var parts = Parts()
        let lower = name.lowercased()
        var ins = Inspection(file: name, separator: lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") ? "tab" : ",")
        ins.onRow = onRow
        loadFile(path: path, name: name, snap: &snap, parts: &parts, inspection: &ins, passwords: passwords)
        snap.orders.finishLoading()
        ins.errors = snap.errors
        ins.loadedRows = snap.files.first?.rows ?? 0
        return ins
    }

    /// Rows of the small tables gathered over files, merged by id at the end.
    struct Parts {
        var refunds = RefundsTable()
        var violations: [Violation] = []
        var coupons: [Coupon] = []
        var products = ProductsTable()
        var reports: [CustomerReport] = []

        /// The tables merged side by side (a big shop: 200k after-sales ids beside 200k
        /// product ids), each into its own field.
        func finish(into snap: inout Snapshot) {
            final class Merged: @unchecked Sendable {
                var refunds = RefundsTable(), violations: [Violation] = [], coupons: [Coupon] = []
                var products = ProductsTable(), reports: [CustomerReport] = []
            }
            let m = Merged()
            DispatchQueue.concurrentPerform(iterations: 5) { table in
                switch table {
                case 0: m.refunds = Parts.merged(refunds)
                case 1: m.products = Parts.merged(products)
                case 2: m.violations = merge(violations) { $0.violationId }
                case 3: m.coupons = merge(coupons) { $0.activityId }
                default: m.reports = merge(reports) { $0.reportId }
                }
            }
            snap.refunds = m.refunds
            snap.violations = m.violations
            snap.coupons = m.coupons
            snap.products = m.products
            snap.reports = m.reports
        }

        /// Later rows win per id; the result keeps first-seen order. Without a repeated id (the
        /// common case) the rows are returned as they are, none copied (`id` borrows its row; a
        /// key path would copy it whole). Ids are hashed as bytes (`ByteInterner`): a `String`
        /// dictionary seeds a hasher per row and compares non-ASCII ids by Unicode rules.
        func merge<T>(_ rows: [T], _ id: (borrowing T) -> String) -> [T] {
            if Parts.idsAreDistinct(rows, id) { return rows }
            var seen = ByteInterner(capacity: rows.count)
            /// Per distinct id (the interner's index): its first row.
            var firstRow: [Int] = []
            firstRow.reserveCapacity(rows.count)
            /// For the first row of a repeated id: the index of its last row.
            var last: [Int: Int] = [:]
            var repeated: [Bool] = []
            rows.withUnsafeBufferPointer { buf in
                for i in buf.indices {
                    let (index, isNew) = id(buf[i]).withBytes { seen.intern($0) }
                    if isNew { firstRow.append(i); continue }
                    last[firstRow[Int(index)]] = i
                    if repeated.isEmpty { repeated = [Bool](repeating: false, count: buf.count) }
                    repeated[i] = true
                }
            }
            if last.isEmpty { return rows }
            var out: [T] = []
            out.reserveCapacity(rows.count)
            for i in rows.indices where !repeated[i] { out.append(rows[last[i] ?? i]) }
            return out
        }

        /// The after-sales rows merged by refund id as `merge` merges rows: told apart by their
        /// ids' bytes in the arena (no `String` a row); only a table with a repeated id is
        /// merged row by row.
        static func merged(_ t: RefundsTable) -> RefundsTable {
            idsAreDistinct(t.refundIds) ? t : RefundsTable(Parts().merge(Array(t)) { $0.refundId })
        }

        /// The products merged by product id, as the after-sales rows are.
        static func merged(_ t: ProductsTable) -> ProductsTable {
            idsAreDistinct(t.productIds) ? t : ProductsTable(Parts().merge(Array(t)) { $0.productId })
        }

        /// `idsAreDistinct` for ids in an arena, hashed where they lie.
        static func idsAreDistinct(_ ids: TextColumn) -> Bool {
            guard ids.count > 1 else { return true }
            var hashes = [UInt64]()
            hashes.reserveCapacity(ids.count)
            for i in 0..<ids.count { hashes.append(UInt64(bitPattern: Int64(ids.withBytes(i) { ByteInterner.hash($0) }))) }
            return !anyEqual(&hashes)
        }

        /// True when no two rows have the same id bytes, told without an interner: the ids'
        /// 64-bit hashes hold no two equal ones (`anyEqual`). Equal hashes (a repeated id, or
        /// two ids colliding) answer false, and the exact merge decides. Issue 18: 200k
        /// after-sales ids took 60 ms through the interner's table (a cache miss or two an id).
        static func idsAreDistinct<T>(_ rows: [T], _ id: (borrowing T) -> String) -> Bool {
            guard rows.count > 1 else { return true }
            var hashes = [UInt64]()
            hashes.reserveCapacity(rows.count)
            rows.withUnsafeBufferPointer { buf in
                for i in buf.indices { hashes.append(UInt64(bitPattern: Int64(id(buf[i]).withBytes { ByteInterner.hash($0) }))) }
            }
            return !anyEqual(&hashes)
        }

        /// Whether two of `hashes` are equal (their order is changed). They are sorted on their
        /// top 33 bits only (three radix passes, not six), so equal ones fall in one run of
        /// equal top bits; a run of more than one (among 200k random hashes, a couple) is
        /// sorted whole and its neighbours compared.
        static func anyEqual(_ hashes: inout [UInt64]) -> Bool {
            Array<UInt64>.radixSort(&hashes, bits: 64, from: 31)
            return hashes.withUnsafeBufferPointer { h in
                var i = 0
                while i < h.count {
                    var j = i + 1
                    while j < h.count && h[j] >> 31 == h[i] >> 31 { j += 1 }
                    if j - i > 1 {
                        let run = h[i..<j].sorted()
                        if (1..<run.count).contains(where: { run[$0] == run[$0 - 1] }) { return true }
                    }
                    i = j
                }
                return false
            }
        }
    }

    /// The header row among `rows` (the first rows of a file or sheet): the first row that
    /// holds every required column of `kind` (or, when the name said nothing, of any table).
    /// Nil as well when a row before it is another platform's or an ERP's header row
    /// (`foreignExport`): such a file is refused, never half-read.
    static func locateHeader(_ rows: [(Int, [String])], kind: TableKind?) -> (index: Int, kind: TableKind, map: HeaderMap)? {
        for (idx, (_, row)) in rows.enumerated() {
            if !mayBeHeader(row) { continue }
            if foreignExport(row) != nil { return nil }
            for k in kind.map({ [$0] }) ?? TableKind.allCases {
                let map = HeaderMap(headers: row, kind: k, namedAs: kind != nil)
                if map.missing.isEmpty { return (idx, k, map) }
            }
        }
        return nil
    }

    /// A row wider than a worksheet (16,384 columns, Excel's last column XFD) is never taken for
    /// a header: no export has one, and matching it against every table's columns would take
    /// seconds (a line of 300,000 commas took 10).
    static func mayBeHeader(_ row: [String]) -> Bool { row.count <= XLSXReader.maxColumns }

    /// A header row of an export that is not the Kuaishou backend's: the reason it is
    /// refused and what to download instead (data-formats.md, orders).
    static func foreignExport(_ row: [String]) -> String? {
        guard mayBeHeader(row) else { return nil }
        let keys = Set(row.map(Schemas.key))
        func has(_ h: String) -> Bool { keys.contains(Schemas.key(h)) }
        if Schemas.douyinMarkers.filter(has).count >= 2 {
            return "this is a Douyin (抖店) order export (headers 主订单编号/子订单编号/订单提交时间), not a Kuaishou one: download the order export from the Kuaishou shop backend (订单管理 › 批量导出)"
        }
        if has("售后单号") && (has("商品单号") || keys.contains { $0.hasSuffix("(元)") }) {
            return "this is a Douyin (抖店) after-sales export (商品单号 beside 售后单号, amounts in （元）), not a Kuaishou one: download the after-sales export from the Kuaishou shop backend (售后管理 › 批量导出)"
        }
        if has("线上订单号") && (has("内部订单号") || has("订单号") || has("付款日期")) {
            return "this is an ERP's order export (聚水潭: 线上订单号, 内部订单号, 付款日期, 店铺): its statuses and dates are the ERP's own, not the platform's; download the order export from the Kuaishou shop backend instead (订单管理 › 批量导出)"
        }
        return nil
    }

    /// Why no header row was found: another platform's export, an empty file, missing
    /// columns (naming the accepted headers), or an unrecognised file.
    static func headerFailure(_ rows: [(Int, [String])], kind: TableKind?, file: String) -> LoadError {
        for (line, row) in rows {
            if let why = foreignExport(row) { return LoadError(file: file, line: line, reason: why) }
        }
        if rows.isEmpty { return LoadError(file: file, line: nil, reason: "the file is empty: no header row") }
        let candidates = rows.filter { mayBeHeader($0.1) }
        if candidates.isEmpty, let (line, row) = rows.first {
            return LoadError(file: file, line: line, reason: "no header row: line \(line) has \(row.count) columns, more than a worksheet's \(XLSXReader.maxColumns); file skipped")
        }
        if let k = kind {
            // The row that holds the most of the table's columns names what is missing.
            let best = candidates.max { HeaderMap.requiredHits(headers: $0.1, kind: k) < HeaderMap.requiredHits(headers: $1.1, kind: k) }!
            let map = HeaderMap(headers: best.1, kind: k)
            let missing = map.missing.map { "\($0.name) (accepted: \($0.accepted.joined(separator: ", ")))" }
            return LoadError(file: file, line: best.0, reason: "missing required column\(map.missing.count > 1 ? "s" : "") \(missing.joined(separator: "; ")); file skipped")
        }
        return LoadError(file: file, line: rows.first?.0, reason: "not recognised: the name starts with none of \(TableKind.allCases.flatMap(\.namePrefixes).joined(separator: ", ")) and no row of the first \(maxHeaderSearchRows) holds every required column of a table")
    }

    /// (header, column) pairs for `inspect`, the backend's split address columns included.
    static func mapping(_ headers: [String], _ map: HeaderMap, _ kind: TableKind) -> [(String, String)] {
        let keys = headers.map(Schemas.key)
        let split = Set(Schemas.splitAddress.map(Schemas.key))
        let hasSplit = keys.contains { split.contains($0) }
        return headers.enumerated().compactMap { i, h in
            if let c = map.header.first(where: { $0.value == h })?.key { return (h, c) }
            if kind == .orders && map["ship_to"] == nil {
                if split.contains(keys[i]) { return (h, "ship_to") }
                if !hasSplit && keys[i] == Schemas.key(Schemas.fullAddress) { return (h, "ship_to") }
            }
            return nil
        }
    }

    /// A typed sink for `kind`; the orders sink takes over the snapshot's orders table while
    /// it loads (so later files override earlier rows in place).
    static func makeSink(_ k: TableKind, _ hs: [String], _ map: HeaderMap, file: String, path: String, snap: inout Snapshot) -> RowSink {
        switch k {
        case .orders:
            var t = snap.orders
            snap.orders = OrdersTable()
            // About 250 bytes an order in a backend export: size the columns once.
            let size = Int(FileReader.fileSize(path) ?? 0)
            if size > 1 << 20 { t.reserve(size / 200) }
            return OrdersSink(file: file, map: map, headers: hs, table: t, deferIds: true)
        default: return tableSink(k, map, file: file)
        }
    }

    /// The sink of a table other than orders (one struct a row, merged by id later).
    static func tableSink(_ k: TableKind, _ map: HeaderMap, file: String) -> RowSink {
        switch k {
        case .orders: preconditionFailure("orders have their own sink")
        case .aftersales: return RefundSink(file: file, map: map, kind: .aftersales)
        case .violations: return ViolationSink(file: file, map: map, kind: .violations)
        case .coupons: return CouponSink(file: file, map: map, kind: .coupons)
        case .products: return ProductSink(file: file, map: map, kind: .products)
        case .reports: return ReportSink(file: file, map: map, kind: .reports)
        case .adjustments: return AdjustmentSink(file: file, map: map, kind: .adjustments)
        case .waybills: return WaybillSink(file: file, map: map, kind: .waybills)
        }
    }

    /// Moves a finished sink's rows, errors and warnings into the snapshot.
    static func collect(_ s: RowSink, into snap: inout Snapshot, parts: inout Parts, load: inout FileLoad) {
        snap.errors.append(contentsOf: s.errors)
        snap.warnings.append(contentsOf: s.warnings)
        switch s {
        case let o as OrdersSink:
            snap.orders = o.table
            o.table = OrdersTable() // one reference only: later files mutate it in place
            load.hasPickupColumn = load.hasPickupColumn || o.pickup
        case let r as RefundSink: RefundSink.join([r], shifts: [0], into: &parts.refunds)
        case let v as ViolationSink: move(&v.out, to: &parts.violations)
        case let c as CouponSink: move(&c.out, to: &parts.coupons)
        case let p as ProductSink: ProductSink.join([p], shifts: [0], into: &parts.products)
        case let r as ReportSink: move(&r.out, to: &parts.reports)
        case let a as AdjustmentSink: move(&a.out, to: &snap.adjustments)
        case let w as WaybillSink: move(&w.out, to: &snap.waybills)
        default: break
        }
    }

    /// Appends `rows` to `all` and empties it: the first file's rows are handed over whole,
    /// not copied row by row, unless `all` was sized for more (`Parts.reserve`).
    static func move<T>(_ rows: inout [T], to all: inout [T]) {
        if all.isEmpty && all.capacity < rows.count { swap(&rows, &all) } else { all.append(contentsOf: rows) }
        rows = []
    }

    static func loadFile(path: String, name: String, snap: inout Snapshot, parts: inout Parts, inspection: UnsafeMutablePointer<Inspection>?, passwords: [String] = [],
                         parallelFrom: Int = parallelThreshold, progress: LoadProgress? = nil) {
        var ins = inspection?.pointee
        defer { if let ins { inspection?.pointee = ins } }
        if name.lowercased().hasSuffix(".xlsx") {
            loadWorkbook(path: path, name: name, snap: &snap, parts: &parts, inspection: &ins, passwords: passwords, progress: progress)
            return
        }
        if ins == nil && (loadOrdersInParallel(path: path, name: name, snap: &snap, from: parallelFrom, progress: progress)
                          || loadTableInParallel(path: path, name: name, snap: &snap, parts: &parts, from: parallelFrom, progress: progress)) { return }
        let lowerName = name.lowercased()
        let separator: UInt8 = lowerName.hasSuffix(".tsv") || lowerName.hasSuffix(".txt") ? 0x09 : 0x2C
        var kind = recognise(name: name)
        var parser = CSVParser(separator: separator, progress: progress)
        var encoding = TextEncoding.utf8
        var decoding = FileReader.Decoding()
        var pending: [(Int, [String])] = []
        var sink: RowSink? = nil
        var fileError: LoadError? = nil
        var headers: [String] = []

        func strings(_ rec: CSVRecord, _ b: UnsafeMutableRawBufferPointer) -> [String] {
            (0..<rec.count).map { String(decoding: UnsafeRawBufferPointer(rebasing: b[rec.starts[$0]..<rec.ends[$0]]), as: UTF8.self) }
        }

        func makeSink(_ k: TableKind, _ hs: [String], _ map: HeaderMap) -> RowSink {
            DataLoader.makeSink(k, hs, map, file: name, path: path, snap: &snap)
        }

        /// Looks for the header row among the first rows seen so far.
        func findHeader(final: Bool) {
            if let (idx, k, map) = locateHeader(pending, kind: kind) {
                let (line, row) = pending[idx]
                kind = k
                headers = row
                ins?.headerLine = line
                ins?.headers = row
                ins?.table = k
                ins?.mapped = mapping(row, map, k)
                sink = makeSink(k, row, map)
                let rest = Array(pending[(idx + 1)...])
                pending.removeAll()
                for (l, cells) in rest { feedStrings(l, cells) }
                return
            }
            let foreign = pending.contains { foreignExport($0.1) != nil }
            guard final || foreign || pending.count >= maxHeaderSearchRows else { return }
            fileError = headerFailure(pending, kind: kind, file: name)
            ins?.headerLine = pending.first?.0
            // `inspect` still shows the rows of a file it could not take for a table.
            if ins != nil, let (_, first) = pending.first {
                ins!.headers = first
                for (l, cells) in pending.dropFirst() { ins!.addRow(cells, line: l) }
            }
            pending.removeAll()
        }

        /// A record met while the header was still being looked for whose quote never closes.
        var unclosed: (line: Int, column: Int, lastLine: Int)?
        func feedStrings(_ line: Int, _ cells: [String]) {
            ins?.addRow(cells, line: line)
            if let u = unclosed, u.line == line { sink!.refuseUnclosedQuote(line: u.line, column: u.column, lastLine: u.lastLine); return }
            sink!.accept(line: line, cells: cells)
        }

        do {
            let size = try FileReader.stream(path, parser: &parser, onDecoding: { decoding = $0; encoding = $0.encoding; ins?.encoding = $0.encoding }) { rec, buf in
                if fileError != nil {
                    if ins != nil { ins!.addRow(strings(rec, buf), line: rec.line) }
                    return
                }
                if let s = sink {
                    if ins != nil { ins!.addRow(strings(rec, buf), line: rec.line) }
                    if decoding.invalidSequences > 0 {
                        var r = rec
                        if s.screen(&r, UnsafeRawBufferPointer(buf)) { s.take(r, UnsafeRawBufferPointer(buf)) }
                        return
                    }
                    s.take(rec, UnsafeRawBufferPointer(buf))
                    return
                }
                if rec.unclosedQuote >= 0 { unclosed = (rec.line, rec.unclosedQuote + 1, rec.lastLine(in: UnsafeRawBufferPointer(buf))) }
                pending.append((rec.line, strings(rec, buf)))
                findHeader(final: false)
            }
            ins?.encoding = encoding
            if sink == nil && fileError == nil { findHeader(final: true) }
            snap.totalBytes += size
            if let e = fileError {
                if kind == nil && e.reason.hasPrefix("not recognised") {
                    // Another export sharing the folder (a bill, a settlement): not ours, not an error.
                    snap.warnings.append(e)
                    return
                }
                snap.errors.append(e)
                snap.skippedFiles.append(name)
                return
            }
            guard let s = sink, let k = kind else { return }
            if decoding.droppedLastLine {
                s.warnings.append(LoadError(file: name, line: parser.line, reason: "the file ends inside a character (it was cut while being written or copied): its last, incomplete line was not read"))
            } else if !decoding.endsWithLineEnd {
                s.warnings.append(LoadError(file: name, line: max(1, parser.line - 1), reason: "the last line has no line end: the file may still be being written; its last row was read as it is"))
            }
            var load = FileLoad(path: name, table: k, rows: s.rows, badRows: s.bad, encoding: encoding, bytes: size)
            load.endsWithLineEnd = decoding.endsWithLineEnd && !decoding.droppedLastLine
            if (encoding == .utf8 || encoding == .utf8BOM) && decoding.invalidSequences == 0 && !decoding.droppedLastLine {
                load.headers = headers; load.nextLine = parser.line; load.tailHash = tailHash(path, size)
            }
            collect(s, into: &snap, parts: &parts, load: &load)
            snap.files.append(load)
        } catch {
            if let o = sink as? OrdersSink { snap.orders = o.table }
            snap.errors.append(LoadError(file: name, reason: "\(error)"))
            snap.skippedFiles.append(name)
        }
    }
}
