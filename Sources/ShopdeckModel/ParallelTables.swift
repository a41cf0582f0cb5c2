import Foundation

/// A large export of another table (after-sales, products, waybills…) read on every core
/// (`SplitPlan`): each chunk has its own sink, and their rows are joined in file order, so the
/// later-row-wins merge by id (`Parts.merge`) sees exactly what one pass gives it. Every byte
/// is checked as strict UTF-8 while it is read; a file with an invalid or cut character, or a
/// split inside a quoted field, is read in one pass, which reports it cell by cell.
extension DataLoader {
    /// Files of the other tables take the parallel path from an eighth of the orders' size
    /// (`threshold`): their rows cost more to type than an order's bytes, so they gain at a
    /// smaller size.
    static func loadTableInParallel(path: String, name: String, snap: inout Snapshot, parts: inout Parts, from threshold: Int,
                                    progress: LoadProgress? = nil) -> Bool {
        var clock = Timings.Clock()
        guard let kind = recognise(name: name), kind != .orders,
              let plan = SplitPlan(path: path, name: name, kind: kind, threshold: threshold / 8) else { return false }
        let chunks = (0..<plan.chunks).map { c -> SplitPlan.Chunk in
            let s = tableSink(kind, plan.map, file: name)
            // The first chunk's after-sales or product columns take every chunk's rows (the
            // others are appended to them in place, not all copied to fresh columns).
            s.reserve((kind == .aftersales || kind == .products) && c == 0 ? (0..<plan.chunks).reduce(0) { $0 + plan.estimatedRows($1) } : plan.estimatedRows(c))
            // The older after-sales export's note is said once, by the first chunk.
            if c > 0, let r = s as? RefundSink { r.warnedSynthetic = true }
            return SplitPlan.Chunk(s)
        }
        let before = progress?.counts
        plan.read(chunks, scan: true, progress: progress)
        guard plan.readCleanly(chunks) else {
            if let before { progress?.takeBack(since: before) } // read again in one pass
            return false
        }
        clock.mark("load: \(name) read")
        let load = plan.finish(chunks, into: &snap)
        // Errors and warnings were moved with their lines fixed: the rows are joined, at their
        // lines in the file.
        let shifts = plan.lineShifts(chunks)
        let sinks = chunks.map(\.sink)
        switch kind {
        case .aftersales: RefundSink.join(sinks, shifts: shifts, into: &parts.refunds)
        case .violations: TableSink.join(sinks.map { $0 as! ViolationSink }, shifts: shifts, into: &parts.violations)
        case .coupons: TableSink.join(sinks.map { $0 as! CouponSink }, shifts: shifts, into: &parts.coupons)
        case .products: ProductSink.join(sinks, shifts: shifts, into: &parts.products)
        case .reports: TableSink.join(sinks.map { $0 as! ReportSink }, shifts: shifts, into: &parts.reports)
        case .adjustments: TableSink.join(sinks.map { $0 as! AdjustmentSink }, shifts: shifts, into: &snap.adjustments)
        case .waybills: TableSink.join(sinks.map { $0 as! WaybillSink }, shifts: shifts, into: &snap.waybills)
        case .orders: return false // never split here (loadOrdersInParallel)
        }
        snap.files.append(load)
        clock.mark("load: \(name) joined")
        return true
    }
}

/// A table kept in columns (`RefundsTable`, `ProductsTable`): tables join by copying buffers.
protocol ColumnarRows {
    init()
    mutating func append(contentsOf other: Self)
}

extension RefundsTable: ColumnarRows {}
extension ProductsTable: ColumnarRows {}

/// A sink that types its rows straight into a columnar table.
protocol ColumnarSink: RowSink {
    associatedtype Table: ColumnarRows
    var table: Table { get set }
}

extension RefundSink: ColumnarSink {}
extension ProductSink: ColumnarSink {}

extension ColumnarSink {
    /// Appends the tables of `sinks` (the chunks of one file, in order, or one file's sink) to
    /// `all`, each moved to its lines first and then emptied: buffers copied, no row by row.
    static func join(_ sinks: [RowSink], shifts: [Int], into all: inout Table) {
        for (c, s) in sinks.enumerated() {
            let sink = s as! Self
            sink.shiftLines(by: shifts[c])
            all.append(contentsOf: sink.table)
            sink.table = Table()
        }
    }
}

extension TableSink {
    /// Appends the rows of `sinks` (the chunks of one file, in order) to `all`, each chunk's
    /// lines moved by its shift. Into an empty `all` (a table's first file) every chunk is
    /// shifted, copied into its place and freed on a core of its own: one after another this
    /// took 40–60 ms for 200k rows (a copy and a retain per string, then a release each).
    static func join(_ sinks: [TableSink<Row>], shifts: [Int], into all: inout [Row]) {
        let counts = sinks.map(\.out.count)
        let total = counts.reduce(0, +)
        guard all.isEmpty, total > 0 else {
            all.reserveCapacity(all.count + total)
            for (c, s) in sinks.enumerated() { s.shiftLines(by: shifts[c]); all.append(contentsOf: s.out); s.out = [] }
            return
        }
        var starts = [0]
        for n in counts { starts.append(starts.last! + n) }
        all = [Row](unsafeUninitializedCapacity: total) { buf, initialized in
            let job = Join(sinks: sinks, shifts: shifts, starts: starts, base: buf.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: sinks.count) { job.run($0) }
            initialized = total
        }
    }
}

/// One join's shared state: every core reads it, and each writes only its own chunk's sink and
/// its own run of the destination (`starts[c]` ..< `starts[c + 1]`).
private final class Join<Row: FileRow>: @unchecked Sendable {
    let sinks: [TableSink<Row>], shifts: [Int], starts: [Int]
    let base: UnsafeMutablePointer<Row>

    init(sinks: [TableSink<Row>], shifts: [Int], starts: [Int], base: UnsafeMutablePointer<Row>) {
        self.sinks = sinks; self.shifts = shifts; self.starts = starts; self.base = base
    }

    func run(_ c: Int) {
        let s = sinks[c]
        s.shiftLines(by: shifts[c])
        s.out.withUnsafeBufferPointer { src in
            if let from = src.baseAddress { (base + starts[c]).initialize(from: from, count: src.count) }
        }
        s.out = []
    }
}
