import Foundation

/// A large export of another table (after-sales, products, waybills…) read on every core
/// (`SplitPlan`): each chunk has its own sink, and their rows are joined in file order, so the
/// later-row-wins merge by id (`Parts.merge`) sees exactly what one pass gives it. Every byte
/// is checked as strict UTF-8 while it is read; a file with an invalid or cut character, or a
/// split inside a quoted field, is read in one pass, which reports it cell by cell.
extension DataLoader {
    /// Files of the other tables at least this large take the parallel path: their rows cost
    /// more to type than an order's bytes, so they gain at a smaller size.
    static var tableParallelThreshold: Int { parallelThreshold / 8 }

    static func loadTableInParallel(path: String, name: String, snap: inout Snapshot, parts: inout Parts) -> Bool {
        guard let kind = recognise(name: name), kind != .orders,
              let plan = SplitPlan(path: path, name: name, kind: kind, threshold: tableParallelThreshold) else { return false }
        let chunks = (0..<plan.chunks).map { c -> SplitPlan.Chunk in
            let s = tableSink(kind, plan.map, file: name)
            s.reserve(plan.estimatedRows(c))
            // The older after-sales export's note is said once, by the first chunk.
            if c > 0, let r = s as? RefundSink { r.warnedSynthetic = true }
            return SplitPlan.Chunk(s)
        }
        plan.read(chunks, scan: true)
        guard plan.readCleanly(chunks) else { return false }
        Timings.mark("load: \(name) read")
        var load = plan.finish(chunks, into: &snap)
        let shifts = plan.lineShifts(chunks)
        // The chunks' rows are joined into one array sized for all of them (appended chunk by
        // chunk it would double, and hold up to twice the rows' memory).
        parts.reserve(kind, chunks.reduce(0) { $0 + $1.sink.rows }, snap: &snap)
        for (c, chunk) in chunks.enumerated() {
            // Errors and warnings were moved with their lines fixed: the rows are collected, at
            // their lines in the file.
            chunk.sink.errors = []; chunk.sink.warnings = []
            chunk.sink.shiftLines(by: shifts[c])
            collect(chunk.sink, into: &snap, parts: &parts, load: &load)
        }
        snap.files.append(load)
        Timings.mark("load: \(name) joined")
        return true
    }
}
