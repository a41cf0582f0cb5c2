import Foundation

/// A large orders file read on both cores: the data after the header is split at a line
/// end near the middle, both halves are typed at once into their own tables, and the
/// second table is merged into the first (later rows win, as in one pass). The split is
/// speculative: the first half must end exactly on a record end, otherwise (a quoted field
/// spanning the split) the file is read in one pass.
extension DataLoader {
    /// Files at least this large take the two-core path (tests lower it).
    nonisolated(unsafe) public static var parallelThreshold = 32 << 20

    static func loadOrdersInParallel(path: String, name: String, snap: inout Snapshot) -> Bool {
        // Only for the first orders file: the halves start from empty tables, so nothing has
        // to be kept aside (a kept copy would make every column copy on first write).
        guard ProcessInfo.processInfo.activeProcessorCount > 1, snap.orders.count == 0, recognise(name: name) == .orders,
              let size = FileReader.fileSize(path).map(Int.init), size >= parallelThreshold,
              let head = try? FileReader.readHead(path, bytes: 1 << 20) else { return false }
        let encoding = head.withUnsafeBytes { TextEncoding.sniff($0, isWhole: false) }
        guard encoding != .gb18030 else { return false }
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
        // Split at the first line end after the middle.
        let mid = dataStart + (size - dataStart) / 2
        guard let window = try? FileReader.readRange(path, from: mid, count: 1 << 16), let lf = window.firstIndex(of: 0x0A) else { return false }
        let split = mid + lf + 1
        let headers = rows[idx].1
        // The first table is sized for the whole file so the merge appends without regrowing.
        var first = OrdersTable()
        first.reserve((size - dataStart) / 230)
        var second = OrdersTable()
        second.reserve((size - split) / 230)
        /// Each half's sink and outcome; each thread touches only its own.
        final class Half: @unchecked Sendable {
            let sink: OrdersSink; var left = 0; var line = 0; var failed = false
            init(_ s: OrdersSink) { sink = s }
        }
        let halves = [Half(OrdersSink(file: name, map: map, headers: headers, table: first)),
                      Half(OrdersSink(file: name, map: map, headers: headers, table: second))]
        first = OrdersTable(); second = OrdersTable() // the sinks own the only references
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let h = halves[k]
            var p = CSVParser(separator: separator, line: k == 0 ? dataLine : 1)
            do {
                h.left = try FileReader.streamRange(path, from: k == 0 ? dataStart : split, to: k == 0 ? split : size, parser: &p, final: k == 1) { rec, b in
                    h.sink.accept(rec, UnsafeRawBufferPointer(b))
                }
                h.line = p.line
            } catch { h.failed = true }
        }
        let a = halves[0].sink, b = halves[1].sink
        if halves[0].failed || halves[1].failed || halves[0].left != 0 {
            // The split fell inside a quoted field: read the file in one pass.
            return false
        }
        // Move the tables out of the sinks first: a second reference would make the merge copy.
        var table = a.table
        a.table = OrdersTable()
        let tail = b.table
        b.table = OrdersTable()
        table.merge(tail)
        snap.orders = table
        let shift = halves[0].line - 1
        let fix = { (e: LoadError) -> LoadError in var x = e; x.line = x.line.map { $0 + shift }; return x }
        snap.errors += a.errors + b.errors.map(fix)
        snap.warnings += a.warnings + b.warnings.map(fix)
        var load = FileLoad(path: name, table: .orders, rows: a.rows + b.rows, badRows: a.bad + b.bad, encoding: encoding, bytes: size)
        load.hasPickupColumn = a.pickup
        load.headers = headers; load.nextLine = halves[1].line + shift; load.tailHash = tailHash(path, size)
        snap.files.append(load)
        snap.totalBytes += size
        LoadProgress.shared.fileDone()
        return true
    }
}

extension FileReader {
    /// `count` bytes from `from` (fewer at the end of the file).
    public static func readRange(_ path: String, from: Int, count: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: "cannot open") }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(from)) }
        return n > 0 ? Array(out[0..<n]) : []
    }
}

extension OrdersTable {
    /// Appends `other`'s rows after this table's, in order: a row whose id is already here
    /// overwrites it (the later row wins). Region and text references are re-interned.
    public mutating func merge(_ other: OrdersTable) {
        var regionMap = [Int32](repeating: -1, count: other.regions.regions.count)
        for i in 0..<regionMap.count { regionMap[i] = regions.intern(other.regions.texts.string(Int32(i))) }
        var textMap = [Int32](repeating: -1, count: other.texts.count)
        for i in 0..<textMap.count { textMap[i] = texts.intern(other.texts.string(Int32(i))) }
        reserve(other.count)
        other.ids.bytes.withUnsafeBytes { all in
            for r in 0..<other.count {
                let start = r == 0 ? 0 : Int(other.ids.ends[r - 1])
                let (i32, isNew) = ids.intern(UnsafeRawBufferPointer(rebasing: all[start..<Int(other.ids.ends[r])]))
                let i = isNew ? appendRow() : Int(i32)
                paid[i] = other.paid[r]; promised[i] = other.promised[r]; delayed[i] = other.delayed[r]
                shipped[i] = other.shipped[r]; pickedUp[i] = other.pickedUp[r]; closed[i] = other.closed[r]
                promiseHours[i] = other.promiseHours[r]; status[i] = other.status[r]; flags[i] = other.flags[r]
                amount[i] = other.amount[r]
                let sf = other.shipFrom[r], st = other.shipTo[r]
                shipFrom[i] = sf < 0 ? -1 : regionMap[Int(sf)]
                shipTo[i] = st < 0 ? -1 : regionMap[Int(st)]
                let pid = other.productId[r], pn = other.productName[r], ev = other.officialEvent[r]
                productId[i] = pid < 0 ? -1 : textMap[Int(pid)]
                productName[i] = pn < 0 ? -1 : textMap[Int(pn)]
                officialEvent[i] = ev < 0 ? -1 : textMap[Int(ev)]
            }
        }
    }
}
