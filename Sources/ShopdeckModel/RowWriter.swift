import Foundation

/// Raw write access to a range of rows of a table's columns, so that several cores can type
/// disjoint row ranges of one table at once (ParallelOrders.swift). It holds pointers into the
/// columns' storage: valid while the table is neither resized nor copied.
struct RowWriter {
    let paid, promised, shipped, pickedUp, closed: UnsafeMutablePointer<Int32>
    /// Nil when the file has no such column (the table's column is uniform).
    let delayed: UnsafeMutablePointer<Int32>?
    let officialEvent: UnsafeMutablePointer<Int32>?
    let promiseHours: UnsafeMutablePointer<Int16>
    let status: UnsafeMutablePointer<OrderStatus>
    let flags: UnsafeMutablePointer<OrderFlags>
    let shipFrom, shipTo, productId, productName: UnsafeMutablePointer<Int32>
    let amount: UnsafeMutablePointer<Int64>
    /// The next row to write and the end of the range.
    var next: Int
    let end: Int
    /// Instants outside `TimeColumn`'s range: (row, time column 0-5, value).
    var overflow: [(row: Int, column: Int, value: Instant)] = []

    /// Writes `v` as the next row; false when the range is full.
    @inline(__always)
    mutating func write(_ v: OrdersTable.Row) -> Bool {
        guard next < end else { return false }
        let r = next
        @inline(__always) func time(_ p: UnsafeMutablePointer<Int32>, _ t: Instant, _ column: Int) {
            let c = TimeColumn.code(t)
            p[r] = c
            if c == TimeColumn.overflowCode { overflow.append((r, column, t)) }
        }
        time(paid, v.paid, 0); time(promised, v.promised, 1)
        if let delayed { time(delayed, v.delayed, 2) }
        time(shipped, v.shipped, 3); time(pickedUp, v.pickedUp, 4); time(closed, v.closed, 5)
        promiseHours[r] = v.promiseHours; status[r] = v.status; flags[r] = v.flags
        shipFrom[r] = v.shipFrom; shipTo[r] = v.shipTo; productId[r] = v.productId
        productName[r] = v.productName; amount[r] = v.amount
        officialEvent?[r] = v.officialEvent
        next += 1
        return true
    }

    /// The same columns, for rows `from..<to`.
    func range(_ from: Int, _ to: Int) -> RowWriter {
        RowWriter(paid: paid, promised: promised, shipped: shipped, pickedUp: pickedUp, closed: closed,
                  delayed: delayed, officialEvent: officialEvent, promiseHours: promiseHours, status: status, flags: flags,
                  shipFrom: shipFrom, shipTo: shipTo, productId: productId, productName: productName,
                  amount: amount, next: from, end: to)
    }
}

extension OrdersTable {
    /// Appends rows through a writer: one uniqueness check a column, not one a cell.
    mutating func append(_ rows: [Row]) {
        let start = count
        var w = openRows(start + rows.count).range(start, start + rows.count)
        for r in rows { _ = w.write(r) }
        applyOverflow(w.overflow, shift: 0)
    }

    mutating func applyOverflow(_ list: [(row: Int, column: Int, value: Instant)], shift: Int) {
        for o in list {
            let r = o.row - shift
            switch o.column {
            case 0: paid.overflow[r] = o.value
            case 1: promised.overflow[r] = o.value
            case 2: delayed.overflow[r] = o.value
            case 3: shipped.overflow[r] = o.value
            case 4: pickedUp.overflow[r] = o.value
            default: closed.overflow[r] = o.value
            }
        }
    }

    /// Makes every column `n` rows long, rows not yet set, and returns a writer for them all.
    /// The loader writes the rows it keeps, then `closeRows` packs them. Without a delayed
    /// promise or campaign column in the file, those columns are uniform (absent, stored once).
    mutating func openRows(_ n: Int, delayedColumn: Bool = true, eventColumn: Bool = true) -> RowWriter {
        var d: UnsafeMutablePointer<Int32>? = nil, e: UnsafeMutablePointer<Int32>? = nil
        if delayedColumn { d = delayed.codes.unsafeRows(n) } else { delayed = .absent(count: n) }
        if eventColumn { e = officialEvent.unsafeRows(n) } else { officialEvent = .uniform(-1, count: n) }
        return RowWriter(paid: paid.codes.unsafeRows(n), promised: promised.codes.unsafeRows(n),
                         shipped: shipped.codes.unsafeRows(n), pickedUp: pickedUp.codes.unsafeRows(n), closed: closed.codes.unsafeRows(n),
                         delayed: d, officialEvent: e,
                         promiseHours: promiseHours.unsafeRows(n), status: status.unsafeRows(n), flags: flags.unsafeRows(n),
                         shipFrom: shipFrom.unsafeRows(n), shipTo: shipTo.unsafeRows(n), productId: productId.unsafeRows(n),
                         productName: productName.unsafeRows(n), amount: amount.unsafeRows(n),
                         next: 0, end: n)
    }

    /// Packs the written row ranges (`ranges[k] = start..<end`, ascending) and the ids they
    /// wrote (`idBytes[k]` of the arena) to the front, in order, applies the writers'
    /// out-of-range instants, and drops the unwritten rows. The columns are independent: each
    /// (and the ids) is taken out of the table and packed by one worker, on every core.
    mutating func closeRows(_ ranges: [Range<Int>], idBytes: [Range<Int>], overflow: [[(row: Int, column: Int, value: Instant)]]) {
        var cursor = 0
        var moves: [(from: Int, to: Int, n: Int)] = []
        for r in ranges { moves.append((r.lowerBound, cursor, r.count)); cursor += r.count }
        let plan = moves, total = cursor
        func take<T>(_ c: inout Column<T>) -> ColumnBox<T> { let b = ColumnBox(c); c = Column(); return b }
        func job<T>(_ b: ColumnBox<T>) -> PackJob {
            PackJob {
                for m in plan { b.column.moveRows(from: m.from, to: m.to, count: m.n) }
                b.column.truncate(total)
            }
        }
        let t0 = take(&paid.codes), t1 = take(&promised.codes), t2 = take(&delayed.codes)
        let t3 = take(&shipped.codes), t4 = take(&pickedUp.codes), t5 = take(&closed.codes)
        let h = take(&promiseHours), st = take(&status), fl = take(&flags), am = take(&amount)
        let r0 = take(&shipFrom), r1 = take(&shipTo), r2 = take(&productId), r3 = take(&productName), r4 = take(&officialEvent)
        let idBox = IdsBox(ids)
        ids = OrderIds()
        let work = [PackJob { idBox.ids.closeRows(ranges, bytes: idBytes) },
                    job(t0), job(t1), job(t2), job(t3), job(t4), job(t5), job(h), job(st), job(fl), job(am),
                    job(r0), job(r1), job(r2), job(r3), job(r4)]
        DispatchQueue.concurrentPerform(iterations: work.count) { work[$0].run() }
        ids = idBox.ids
        paid.codes = t0.column; promised.codes = t1.column; delayed.codes = t2.column
        shipped.codes = t3.column; pickedUp.codes = t4.column; closed.codes = t5.column
        promiseHours = h.column; status = st.column; flags = fl.column; amount = am.column
        shipFrom = r0.column; shipTo = r1.column; productId = r2.column; productName = r3.column; officialEvent = r4.column
        for (k, list) in overflow.enumerated() { applyOverflow(list, shift: moves[k].from - moves[k].to) }
    }
}

/// A column taken out of its table for one worker (ParallelOrders.swift packing).
final class ColumnBox<T: BitwiseCopyable & Equatable>: @unchecked Sendable {
    var column: Column<T>
    init(_ c: Column<T>) { column = c }
}

/// A table's ids taken out for one worker.
final class IdsBox: @unchecked Sendable {
    var ids: OrderIds
    init(_ i: OrderIds) { ids = i }
}

/// One piece of work for a worker; each touches only what it was given.
final class PackJob: @unchecked Sendable {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// Raw write access to a range of rows' ids and a range of the id arena, for the same
/// parallel loads: a chunk stores its ids in place, unindexed (`OrderIds.buildIndex` follows).
struct IdWriter {
    let bytes: UnsafeMutablePointer<UInt8>
    let ends: UnsafeMutablePointer<UInt32>
    var row: Int
    let rowEnd: Int
    var byte: Int
    let byteEnd: Int

    /// Stores `b` as the next row's id; false when either range is full.
    @inline(__always)
    mutating func write(_ b: UnsafeRawBufferPointer) -> Bool {
        guard row < rowEnd, byte + b.count <= byteEnd else { return false }
        if b.count > 0 { UnsafeMutableRawPointer(bytes + byte).copyMemory(from: b.baseAddress!, byteCount: b.count) }
        byte += b.count
        ends[row] = UInt32(byte)
        row += 1
        return true
    }

    func range(rows: Range<Int>, bytes range: Range<Int>) -> IdWriter {
        IdWriter(bytes: bytes, ends: ends, row: rows.lowerBound, rowEnd: rows.upperBound, byte: range.lowerBound, byteEnd: range.upperBound)
    }
}

extension OrderIds {
    /// Makes room for `n` ids in `b` bytes, not yet set (the table must have no ids), and
    /// returns a writer for them all; `closeRows` packs what the chunks wrote.
    mutating func openRows(_ n: Int, bytes b: Int) -> IdWriter {
        precondition(count == 0)
        let e = ends.unsafeRows(n), a = bytes.unsafeRows(b)
        return IdWriter(bytes: a, ends: e, row: 0, rowEnd: n, byte: 0, byteEnd: b)
    }

    /// Packs the written ranges (ascending) to the front, in order, and drops the rest; the
    /// ids stay unindexed.
    mutating func closeRows(_ rows: [Range<Int>], bytes written: [Range<Int>]) {
        var rowCursor = 0, byteCursor = 0
        for (r, b) in zip(rows, written) {
            bytes.moveRows(from: b.lowerBound, to: byteCursor, count: b.count)
            ends.moveRows(from: r.lowerBound, to: rowCursor, count: r.count)
            let shift = UInt32(b.lowerBound - byteCursor)
            if shift > 0 {
                ends.makeUnique()
                let e = ends.storage.base
                for i in rowCursor..<(rowCursor + r.count) { e[i] -= shift }
            }
            rowCursor += r.count; byteCursor += b.count
        }
        ends.truncate(rowCursor)
        bytes.truncate(byteCursor)
    }
}
