import Foundation

extension DataLoader {
    /// A hash of the last 4 KB before `end` (0 for an empty range).
    static func tailHash(_ path: String, _ end: Int) -> Int {
        let from = max(0, end - 4096)
        guard end > 0, let b = try? FileReader.readRange(path, from: from, count: end - from), b.count == end - from else { return 0 }
        return b.withUnsafeBytes { ByteInterner.hash($0) } ^ end
    }

    /// Applies appended orders without re-reading the table: a grown CSV is parsed from where
    /// the last load stopped, a new CSV is loaded on top. Only when that is exactly what a
    /// full reload would give: the changed files are the newest orders files, a grown file
    /// still holds the same bytes before the old end and ended with a line break. Returns
    /// false (nothing changed) otherwise.
    static func appendOrders(folder: String, changed: Set<String>, snapshot snap: inout Snapshot) -> Bool {
        let files = exportFiles(in: folder)
        let orderFiles = files.filter { recognise(name: $0.name) == .orders }
        guard !changed.isEmpty, changed.allSatisfy({ n in recognise(name: n) == .orders && orderFiles.contains { $0.name == n } }),
              changed.allSatisfy({ !$0.lowercased().hasSuffix(".xlsx") }),
              snap.files.filter({ $0.table == .orders }).allSatisfy({ f in orderFiles.contains { $0.name == f.path } }) else { return false }
        // The changed files must come last in merge order.
        let unchanged = orderFiles.filter { !changed.contains($0.name) }
        let changedFiles = orderFiles.filter { changed.contains($0.name) }
        if let lastUnchanged = unchanged.last, let firstChanged = changedFiles.first,
           (lastUnchanged.mtime, lastUnchanged.name) > (firstChanged.mtime, firstChanged.name) { return false }
        // Every grown file must be a pure append, ending with a line end, and its new bytes
        // readable now: they are read before anything changes, so a read that fails leaves
        // the snapshot as it was and the caller reloads in full (never skipping bytes).
        var plans: [(name: String, previous: FileLoad?)] = []
        var appended: [String: [UInt8]] = [:]
        for f in changedFiles {
            let path = folder + "/" + f.name
            if let prev = snap.files.first(where: { $0.path == f.name }) {
                guard !prev.headers.isEmpty, let size = FileReader.fileSize(path).map(Int.init), size >= prev.bytes,
                      tailHash(path, prev.bytes) == prev.tailHash,
                      prev.bytes == 0 || (try? FileReader.readRange(path, from: prev.bytes - 1, count: 1)) == [0x0A],
                      let bytes = try? FileReader.readRange(path, from: prev.bytes, count: size - prev.bytes), bytes.count == size - prev.bytes,
                      bytes.isEmpty || bytes.last == 0x0A,
                      bytes.withUnsafeBytes({ TextEncoding.isValidUTF8($0, allowTruncatedEnd: false) }) else { return false }
                appended[f.name] = bytes
                plans.append((f.name, prev))
            } else {
                plans.append((f.name, nil))
            }
        }
        var clock = Timings.Clock()
        var parts = Parts()
        for (name, prev) in plans {
            let path = folder + "/" + name
            guard let prev else {
                loadFile(path: path, name: name, snap: &snap, parts: &parts, inspection: nil)
                continue
            }
            let bytes = appended[name] ?? []
            let size = prev.bytes + bytes.count
            let map = HeaderMap(headers: prev.headers, kind: .orders)
            var table = snap.orders
            snap.orders = OrdersTable()
            let sink = OrdersSink(file: name, map: map, headers: prev.headers, table: table, deferIds: false)
            table = OrdersTable()
            var parser = CSVParser(separator: name.lowercased().hasSuffix(".tsv") ? 0x09 : 0x2C, line: prev.nextLine)
            var buffer = bytes
            let count = buffer.count
            buffer.withUnsafeMutableBytes { b in
                _ = parser.parse(b, count: count, final: true) { rec, rb in sink.take(rec, UnsafeRawBufferPointer(rb)) }
            }
            clock.mark("append: typed")
            snap.orders = sink.table
            sink.table = OrdersTable()
            snap.errors += sink.errors
            snap.warnings += sink.warnings
            if let i = snap.files.firstIndex(where: { $0.path == name }) {
                snap.files[i].rows += sink.rows
                snap.files[i].badRows += sink.bad
                snap.files[i].bytes = size
                snap.files[i].nextLine = parser.line
                snap.files[i].tailHash = tailHash(path, size)
            }
        }
        snap.orders.finishLoading()
        snap.files.sort { $0.path < $1.path }
        clock.mark("append: done")
        return true
    }
}
