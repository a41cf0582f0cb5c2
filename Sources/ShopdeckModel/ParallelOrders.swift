import Foundation

/// A large orders file read on every core: the data after the header is split at line ends
/// into chunks, typed at once, each chunk writing its own row range of one table and its own
/// range of one id arena (ids unindexed); the ranges are then packed in file order, and
/// `finishLoading` indexes the ids and folds repeated ones, exactly as for one pass. The
/// split is speculative: every chunk but the last must end exactly on a record end, otherwise
/// (a quoted field spanning a split) the file is read in one pass, as it is when a chunk holds
/// far more rows or id bytes than the head's sizes suggested.
extension DataLoader {
    /// Files at least this large take the parallel path (tests lower it).
    nonisolated(unsafe) public static var parallelThreshold = 32 << 20
    /// Chunks per core: more than one evens out the cores' shares.
    static let chunksPerCore = 4

    static func loadOrdersInParallel(path: String, name: String, snap: inout Snapshot) -> Bool {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, recognise(name: name) == .orders,
              let size = FileReader.fileSize(path).map(Int.init), size >= parallelThreshold,
              let head = try? FileReader.readHead(path, bytes: 1 << 20) else { return false }
        let encoding = head.withUnsafeBytes { TextEncoding.sniff($0, isWhole: false) }
        guard encoding == .utf8 || encoding == .utf8BOM else { return false }
        // The encoding is decided on the whole file (data-formats.md "Text"). A head of valid
        // UTF-8 holding real multi-byte text settles it (GB18030 text is invalid UTF-8 at
        // almost every character): then only the texts the table keeps are checked, each
        // distinct one once, after typing. A head of plain ASCII settles nothing: every byte
        // of every chunk is scanned.
        var headScan = UTF8Scan()
        head.withUnsafeBytes { headScan.feed($0) }
        let settled = headScan.invalid == 0 && headScan.multibyte >= 64
        let bom = encoding == .utf8BOM ? 3 : 0
        let separator: UInt8 = name.lowercased().hasSuffix(".tsv") ? 0x09 : 0x2C
        // The header among the first records of the head.
        var copy = Array(head[bom...])
        var rows: [(Int, [String])] = [], ends: [(Int, Int)] = []
        var parser = CSVParser(separator: separator)
        let n = copy.count
        copy.withUnsafeMutableBytes { buf in
            _ = parser.parse(buf, count: n, final: false) { rec, b in
                guard rows.count < maxHeaderSearchRows else { return }
                rows.append((rec.line, (0..<rec.count).map { String(decoding: UnsafeRawBufferPointer(rebasing: b[rec.starts[$0]..<rec.ends[$0]]), as: UTF8.self) }))
                ends.append((rec.end, rec.endLine))
            }
        }
        guard let (idx, kind, map) = locateHeader(rows, kind: .orders), kind == .orders else { return false }
        let dataStart = bom + ends[idx].0, dataLine = ends[idx].1
        // Split points: the first line end after each nominal boundary.
        let k = max(2, min(cores * chunksPerCore, (size - dataStart) / (1 << 20)))
        var cuts = [dataStart]
        for i in 1..<k {
            let nominal = dataStart + (size - dataStart) * i / k
            guard let window = try? FileReader.readRange(path, from: nominal, count: 1 << 16), let lf = window.firstIndex(of: 0x0A) else { return false }
            let cut = nominal + lf + 1
            if cut > cuts.last! && cut < size { cuts.append(cut) }
        }
        cuts.append(size)
        let bounds = cuts
        let chunks = bounds.count - 1
        guard chunks >= 2 else { return false }
        let headers = rows[idx].1
        // One table for the whole file; chunk c writes rows ranges[c] of it, sized from the
        // head's bytes per order with an eighth to spare (untouched rows cost no memory).
        let perOrder = estimatedBytesPerOrder(head, from: dataStart)
        var ranges: [Range<Int>] = []
        var capacity = 0
        for c in 0..<chunks {
            let n = (bounds[c + 1] - bounds[c]) / perOrder * 9 / 8 + 1024
            ranges.append(capacity..<(capacity + n)); capacity += n
        }
        var fresh = OrdersTable()
        let writer = fresh.openRows(capacity, delayedColumn: map["delayed_promise_at"] != nil, eventColumn: map["official_event"] != nil)
        /// Each chunk's sink and outcome; each worker touches only its own.
        final class Chunk: @unchecked Sendable {
            let sink: OrdersSink; var left = 0; var lines = 0; var failed = false; var scan = UTF8Scan()
            init(_ s: OrdersSink) { sink = s }
        }
        // The ids go to one arena the same way: chunk c writes idRanges[c] of it, sized from
        // the head's ids with a quarter to spare.
        let idColumn = map["order_id"] ?? 0
        let sample = rows[(idx + 1)...].map { $0.1.count > idColumn ? $0.1[idColumn].utf8.count : 0 }
        let idBytes = (sample.isEmpty ? 32 : sample.max()! + 8) * 5 / 4
        var idRanges: [Range<Int>] = [], idCapacity = 0
        for r in ranges { idRanges.append(idCapacity..<(idCapacity + r.count * idBytes)); idCapacity += r.count * idBytes }
        let idWriter = fresh.ids.openRows(capacity, bytes: idCapacity)
        let parts = (0..<chunks).map { c -> Chunk in
            let sink = OrdersSink(file: name, map: map, headers: headers, table: OrdersTable(), deferIds: true)
            sink.writer = writer.range(ranges[c].lowerBound, ranges[c].upperBound)
            sink.idWriter = idWriter.range(rows: ranges[c], bytes: idRanges[c])
            return Chunk(sink)
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let h = parts[c]
            var p = CSVParser(separator: separator, line: 1)
            do {
                let emit = { (rec: CSVRecord, b: UnsafeMutableRawBufferPointer) in h.sink.accept(rec, UnsafeRawBufferPointer(b)) }
                if settled {
                    h.left = try FileReader.streamRange(path, from: bounds[c], to: bounds[c + 1], parser: &p, final: c == chunks - 1,
                                                        chunkSize: 1 << 18, scan: nil, emit: emit)
                } else {
                    h.left = try FileReader.streamRange(path, from: bounds[c], to: bounds[c + 1], parser: &p, final: c == chunks - 1,
                                                        chunkSize: 1 << 18, scan: &h.scan, emit: emit)
                }
                h.lines = p.line - 1
            } catch { h.failed = true }
        }
        Timings.mark("load: typed \(chunks) chunks")
        let sinks = parts.map(\.sink)
        if parts.contains(where: { $0.failed }) || parts.dropLast().contains(where: { $0.left != 0 }) || sinks.contains(where: \.overflowed)
            || parts.contains(where: { $0.scan.invalid > 0 || $0.scan.pending > 0 })
            || (settled && !sinks.allSatisfy({ $0.keptTextsAreValidUTF8 })) {
            // A split fell inside a quoted field (or a chunk had far more rows than its bytes
            // suggested, or the text is not all valid UTF-8, which the one pass decides on the
            // whole file): read the file in one pass.
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
        Timings.mark("load: chunks packed")
        var shift = dataLine - 1
        var load = FileLoad(path: name, table: .orders, rows: 0, badRows: 0, encoding: encoding, bytes: size)
        for (c, s) in sinks.enumerated() {
            let by = shift
            let fix = { (e: LoadError) -> LoadError in var x = e; x.line = x.line.map { $0 + by }; return x }
            snap.errors += s.errors.map(fix)
            snap.warnings += s.warnings.map(fix)
            load.rows += s.rows; load.badRows += s.bad
            shift += parts[c].lines
        }
        load.hasPickupColumn = sinks[0].pickup
        if let last = try? FileReader.readRange(path, from: size - 1, count: 1), last != [0x0A] {
            load.endsWithLineEnd = false
            snap.warnings.append(LoadError(file: name, line: shift, reason: "the last line has no line end: the file may still be being written; its last row was read as it is"))
        }
        load.headers = headers; load.nextLine = shift + 1; load.tailHash = tailHash(path, size)
        snap.files.append(load)
        snap.totalBytes += size
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

