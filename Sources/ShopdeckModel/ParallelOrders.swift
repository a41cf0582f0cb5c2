import Foundation

/// A large orders file read on every core (`SplitPlan`): each chunk writes its own row range
/// of one table and its own range of one id arena (ids unindexed); the ranges are then packed
/// in file order, and `finishLoading` indexes the ids and folds repeated ones, exactly as for
/// one pass. The file is read in one pass when a split falls inside a quoted field, or when a
/// chunk holds far more rows or id bytes than the head's sizes suggested.
extension DataLoader {
    /// Orders files at least this large take the parallel path (`load`'s `parallelFrom`:
    /// tests pass 1 or `Int.max` to choose a path for one load, nothing else's).
    public static let parallelThreshold = 32 << 20

    static func loadOrdersInParallel(path: String, name: String, snap: inout Snapshot, from threshold: Int,
                                     progress: LoadProgress? = nil) -> Bool {
        var clock = Timings.Clock()
        guard let plan = SplitPlan(path: path, name: name, kind: .orders, threshold: threshold) else { return false }
        // The encoding is decided on the whole file (data-formats.md "Text"). A settled head
        // (`SplitPlan.settled`): only the texts the table keeps are checked, each distinct one
        // once, after typing. A head of plain ASCII settles nothing: every byte of every chunk
        // is scanned.
        let map = plan.map, chunks = plan.chunks, bounds = plan.bounds
        // One table for the whole file; chunk c writes rows ranges[c] of it, sized from the
        // head's bytes per order with an eighth to spare (untouched rows cost no memory).
        let perOrder = estimatedBytesPerOrder(plan.head, from: plan.dataStart)
        var ranges: [Range<Int>] = []
        var capacity = 0
        for c in 0..<chunks {
            let n = (bounds[c + 1] - bounds[c]) / perOrder * 9 / 8 + 1024
            ranges.append(capacity..<(capacity + n)); capacity += n
        }
        var fresh = OrdersTable()
        let writer = fresh.openRows(capacity, delayedColumn: map["delayed_promise_at"] != nil, eventColumn: map["official_event"] != nil)
        // The ids go to one arena the same way: chunk c writes idRanges[c] of it, sized from
        // the head's ids with a quarter to spare.
        let idColumn = map["order_id"] ?? 0
        let sample = plan.rows[(plan.headerIndex + 1)...].map { $0.1.count > idColumn ? $0.1[idColumn].utf8.count : 0 }
        let idBytes = (sample.isEmpty ? 32 : sample.max()! + 8) * 5 / 4
        var idRanges: [Range<Int>] = [], idCapacity = 0
        for r in ranges { idRanges.append(idCapacity..<(idCapacity + r.count * idBytes)); idCapacity += r.count * idBytes }
        let idWriter = fresh.ids.openRows(capacity, bytes: idCapacity)
        let sinks = (0..<chunks).map { c -> OrdersSink in
            let sink = OrdersSink(file: name, map: map, headers: plan.headers, table: OrdersTable(), deferIds: true)
            sink.writer = writer.range(ranges[c].lowerBound, ranges[c].upperBound)
            sink.idWriter = idWriter.range(rows: ranges[c], bytes: idRanges[c])
            return sink
        }
        let parts = sinks.map(SplitPlan.Chunk.init)
        let before = progress?.counts
        plan.read(parts, scan: !plan.settled, progress: progress)
        clock.mark("load: typed \(chunks) chunks")
        if !plan.readCleanly(parts) || sinks.contains(where: \.overflowed) || (plan.settled && !sinks.allSatisfy({ $0.keptTextsAreValidUTF8 })) {
            // A split fell inside a quoted field (or a chunk had far more rows than its bytes
            // suggested, or the text is not all valid UTF-8, which the one pass decides on the
            // whole file): read the file in one pass.
            if let before { progress?.takeBack(since: before) }
            return false
        }
        // Regions and texts: each chunk's references are rewritten into the table's pools (the
        // first chunk's map is the identity, which is skipped).
        let written = sinks.enumerated().map { c, s in ranges[c].lowerBound..<s.writer!.next }
        for (c, s) in sinks.enumerated() {
            let t = s.table
            s.table = OrdersTable()
            let (rm, tm, im) = fresh.maps(from: t)
            fresh.remapReferences(rows: written[c], regions: rm, texts: tm, productIds: im)
        }
        fresh.closeRows(written, idBytes: sinks.enumerated().map { c, s in idRanges[c].lowerBound..<s.idWriter!.byte },
                        overflow: sinks.map { $0.writer!.overflow })
        if snap.orders.count == 0 { snap.orders = fresh } else { snap.orders.appendUnindexed(fresh) }
        fresh = OrdersTable()
        clock.mark("load: chunks packed")
        var load = plan.finish(parts, into: &snap)
        load.hasPickupColumn = sinks[0].pickup
        snap.files.append(load)
        return true
    }

    /// Bytes an order takes in this file, from the records of its first megabyte.
    static func estimatedBytesPerOrder(_ head: [UInt8], from: Int) -> Int {
        guard from < head.count else { return 200 }
        let lines = head[from...].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return lines > 0 ? max(16, (head.count - from) / lines) : 200
    }
}

extension FileReader {
    /// `count` bytes from `from` (fewer at the end of the file).
    public static func readRange(_ path: String, from: Int, count: Int) throws -> [UInt8] {
        let fd = try openRegular(path)
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(from)) }
        return n > 0 ? Array(out[0..<n]) : []
    }
}

