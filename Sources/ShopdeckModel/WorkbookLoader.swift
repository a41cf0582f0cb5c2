/// The `.xlsx` path of the loader: every sheet, each with its own header row (searched in its
/// first 20 rows), through the same typed sinks as CSV. Errors name the sheet and the row.
extension DataLoader {
    /// `progress`: the rows are counted there a few thousand at a time (its bytes, the file's
    /// size, when the file is done: a workbook's compressed bytes are not read in order).
    static func loadWorkbook(path: String, name: String, snap: inout Snapshot, parts: inout Parts, inspection ins: inout Inspection?, passwords: [String],
                             progress: LoadProgress? = nil) {
        let book: XLSXReader
        do { book = try XLSXReader(path: path, passwords: passwords) } catch {
            snap.errors.append(LoadError(file: name, reason: "\(error)"))
            snap.skippedFiles.append(name)
            return
        }
        let size = Int(FileReader.fileSize(path) ?? 0)
        snap.totalBytes += size
        var loads: [TableKind: FileLoad] = [:]
        var order: [TableKind] = []
        var sheetErrors: [LoadError] = []
        for sheet in book.sheets {
            let label = "\(name) [\(sheet.name)]"
            var kind = recognise(name: name)
            var pending: [(Int, [String])] = []
            var sink: RowSink? = nil
            var failure: LoadError? = nil
            var headerWidth = 0
            var sheetIns = Inspection(file: label, separator: "xlsx")
            sheetIns.encoding = .utf8
            func feed(_ s: RowSink, _ n: Int, _ cells: [String]) {
                if ins != nil { sheetIns.rows.append(cells); sheetIns.rowLines.append(n) }
                s.accept(line: n, cells: cells)
            }
            do {
                // Before the header: a sheet's full width; after it, the header's; after a
                // failure, nothing (the rows are only skipped).
                let width = { sink != nil ? headerWidth : (failure != nil ? 0 : XLSXReader.maxColumns) }
                var counted = 0
                defer { progress?.add(bytes: 0, rows: counted) }
                try book.records(of: sheet, width: width) { rec, buf in
                    counted += 1
                    if counted == 4096 { progress?.add(bytes: 0, rows: counted); counted = 0 }
                    if failure != nil { return }
                    // After the header, a row's bytes go to the sink as they are (no text made).
                    if let s = sink {
                        guard (0..<rec.count).contains(where: { rec.ends[$0] > rec.starts[$0] }) else { return }
                        if ins != nil { sheetIns.rows.append(XLSXReader.strings(rec, buf)); sheetIns.rowLines.append(rec.line) }
                        s.accept(rec, buf)
                        return
                    }
                    let n = rec.line, cells = XLSXReader.strings(rec, buf)
                    if cells.allSatisfy({ $0.trimmingSpaces().isEmpty }) { return }
                    pending.append((n, cells))
                    if let (idx, k, map) = locateHeader(pending, kind: kind) {
                        kind = k
                        let header = pending[idx].1
                        headerWidth = header.count
                        sheetIns.table = k; sheetIns.headers = header; sheetIns.headerLine = pending[idx].0
                        sheetIns.mapped = mapping(header, map, k)
                        let s = makeSink(k, header, map, file: label, path: path, snap: &snap)
                        sink = s
                        for (l, c) in pending[(idx + 1)...] { feed(s, l, c) }
                        pending.removeAll()
                    } else if pending.count >= maxHeaderSearchRows || foreignExport(cells) != nil {
                        failure = headerFailure(pending, kind: kind, file: label)
                    }
                }
            } catch {
                failure = LoadError(file: label, reason: "\(error)")
            }
            if sink == nil && failure == nil && !pending.isEmpty { failure = headerFailure(pending, kind: kind, file: label) }
            if let f = failure {
                if let o = sink as? OrdersSink { snap.orders = o.table }
                sheetErrors.append(f)
                sheetIns.errors.append(f)
                if sheetIns.headers.isEmpty { sheetIns.headers = pending.first?.1 ?? [] }
            } else if let s = sink, let k = kind {
                var load = loads[k] ?? FileLoad(path: name, table: k, rows: 0, badRows: 0, encoding: .utf8, bytes: size)
                collect(s, into: &snap, parts: &parts, load: &load)
                load.rows += s.rows; load.badRows += s.bad
                if loads[k] == nil { order.append(k) }
                loads[k] = load
                sheetIns.errors = s.errors
                sheetIns.loadedRows = s.rows
            }
            ins?.sheets.append(sheetIns)
        }
        snap.errors.append(contentsOf: sheetErrors)
        if order.isEmpty {
            snap.skippedFiles.append(name)
            if sheetErrors.isEmpty { snap.errors.append(LoadError(file: name, reason: "the workbook holds no rows")) }
        }
        for k in order { snap.files.append(loads[k]!) }
        if var i = ins {
            let first = i.sheets.first { $0.table != nil } ?? i.sheets.first
            i.table = first?.table; i.headers = first?.headers ?? []; i.mapped = first?.mapped ?? []
            i.headerLine = first?.headerLine; i.rows = first?.rows ?? []; i.rowLines = first?.rowLines ?? []
            i.encoding = .utf8; i.separator = "xlsx"
            ins = i
        }
    }
}
