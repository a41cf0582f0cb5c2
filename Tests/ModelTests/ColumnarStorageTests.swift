import Foundation
import Testing
@testable import ShopdeckModel

/// The orders table's storage: ids indexed in bulk, 4-byte time columns, copy on write, and
/// repeated ids folded the way rules.md §10 says (first row's place, later row's values).
@Suite("Columnar storage", .serialized)
struct ColumnarStorageTests {
    /// Deterministic pseudo-random numbers (SplitMix64).
    struct Rand {
        var s: UInt64
        mutating func next(_ n: Int) -> Int {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    @Test func bulkIndexFindsTheSameRepeatsAsInterningOneByOne() {
        var rng = Rand(s: 7)
        // Enough ids for several index partitions; about one in five repeats an earlier one.
        let ids = (0..<90_000).map { i in i > 10 && rng.next(5) == 0 ? "O\(rng.next(i))" : "O\(i)" }
        var one = OrderIds()
        var rowOf: [Int] = []
        for id in ids { rowOf.append(Int(id.withBytes { one.intern($0).index })) }
        var bulk = OrderIds()
        for id in ids { id.withBytes { bulk.appendDeferred($0) } }
        let dups = bulk.buildIndex()
        // Every repeat is reported against the row that first had the id, in row order.
        var firstAt: [String: Int] = [:]
        var expected: [(Int, Int)] = []
        for (i, id) in ids.enumerated() { if let f = firstAt[id] { expected.append((f, i)) } else { firstAt[id] = i } }
        #expect(expected.count > 10_000 && rowOf.count == ids.count)
        #expect(dups.map(\.first) == expected.map(\.0) && dups.map(\.dup) == expected.map(\.1))
        bulk.removeRows(dups.map(\.dup))
        #expect(bulk.count == one.count)
        #expect((0..<one.count).allSatisfy { bulk.string(Int32($0)) == one.string(Int32($0)) })
        #expect(ids.allSatisfy { bulk.find($0) == one.find($0) })
        #expect(bulk.find("absent") == nil)
        // Interning after a bulk build keeps working (live appends).
        #expect(bulk.intern("O-new") == Int32(one.count))
        #expect(bulk.intern("O3") == one.find("O3"))
    }

    /// The batched look-up (slots, ends and bytes asked for ahead) answers each key exactly as
    /// `find` does: present ids (the first row and the last), absent ones, an empty id, ids
    /// that share a hash's home slot, repeats in the batch, and the short batches and
    /// unindexed tails it hands to `find`.
    @Test func lookingUpManyIdsAtOnceAnswersAsOneByOne() {
        var rng = Rand(s: 11)
        var t = OrderIds()
        let stored = (0..<50_000).map { "B\(100_000_000 + $0 * 7)" }
        for id in stored { id.withBytes { t.appendDeferred($0) } }
        #expect(t.buildIndex().isEmpty)
        // A key whose home slot is taken by a stored id it is not.
        let size = t.slots.count
        let home = { (k: String) in k.withBytes { OrderIds.home(UInt64(bitPattern: Int64(ByteInterner.hash($0))), size) } }
        let storedHomes = Set(stored.map(home))
        let sharing = (0..<200_000).lazy.map { "X\($0)" }.first { storedHomes.contains(home($0)) }!
        var keys = [stored[0], stored[49_999], "", "absent", sharing, stored[17], stored[17]]
        for _ in 0..<5_000 { keys.append(rng.next(3) == 0 ? "B\(rng.next(1_000_000))" : stored[rng.next(stored.count)]) }
        let expected = keys.map { t.find($0) }
        #expect(t.findAll(keys) == expected)
        #expect(expected[0] == 0 && expected[1] == 49_999 && expected[2] == nil && expected[3] == nil && expected[4] == nil)
        #expect(expected.compactMap { $0 }.count > 3_000 && expected.filter { $0 == nil }.count > 1_000)
        #expect(t.findAll(Array(keys.prefix(5))) == Array(expected.prefix(5)))
        #expect(t.findAll([]) == [])
        // Rows appended after the build, not yet indexed: found all the same.
        "late".withBytes { t.appendDeferred($0) }
        #expect(t.findAll(keys + ["late"]) == expected + [50_000])
    }

    @Test func repeatedIdsFoldIntoTheFirstRowWithTheLastValues() {
        // Three files (oldest first) and repeats inside files; the reference is a dictionary.
        var rng = Rand(s: 11)
        var files: [(String, String)] = []
        var reference: [(id: String, paid: String)] = []
        var at: [String: Int] = [:]
        for f in 0..<3 {
            var text = "order_id,paid_at,promised_ship_at,status\n"
            for i in 0..<3000 {
                let id = "X\(rng.next(2500))"
                let paid = "2023-0\(1 + f)-\(String(format: "%02d", 1 + i % 28)) 10:00:00"
                text += "\(id),\(paid),2023-06-01 00:00:00,待发货\n"
                if let k = at[id] { reference[k].paid = paid } else { at[id] = reference.count; reference.append((id, paid)) }
            }
            files.append(("orders_\(f).csv", text))
        }
        let dir = makeFolder(Dictionary(uniqueKeysWithValues: files))
        for (k, (name, _)) in files.enumerated() { touch(dir + "/" + name, 1_700_000_000 + k) }
        for parallel in [false, true] {
            let s = DataLoader.load(folder: dir, parallelFrom: parallel ? 1 : Int.max)
            #expect(s.orders.count == reference.count)
            #expect((0..<s.orders.count).map(s.orders.id) == reference.map(\.id))
            #expect((0..<s.orders.count).map { CST.format(s.orders.paid[$0]) } == reference.map(\.paid))
            #expect(s.files.map(\.rows) == [3000, 3000, 3000])
            #expect(reference.indices.allSatisfy { s.orders.ids.find(reference[$0].id) == Int32($0) })
        }
    }

    /// Readable times run 1970 … 2099 (data-formats.md "Times"); the 4-byte column holds
    /// 1931 … 2068, so 2069 … 2099 go to the side store.
    @Test func instantsOutsideTheFourByteRangeAreKeptExactly() {
        let far = "2099-12-31 23:59:59", early = "1970-01-01 00:00:00"
        var text = "order_id,paid_at,promised_ship_at,status,shipped_at\n"
        for i in 0..<2000 {
            let promised = i % 500 == 7 ? far : "2023-03-02 10:00:00"
            let shipped = i % 700 == 3 ? early : ""
            text += "O\(i % 1900),2023-03-01 10:00:00,\(promised),已发货,\(shipped)\n"
        }
        let dir = makeFolder(["orders.csv": text])
        var loads: [Snapshot] = []
        for parallel in [false, true] {
            loads.append(DataLoader.load(folder: dir, parallelFrom: parallel ? 1 : Int.max))
        }
        for s in loads {
            #expect(s.orders.count == 1900)
            // Rows 1900..1999 repeat O0..O99 and replace their values: row 7's far promise
            // gives way to row 1907's ordinary one, row 3's early shipment to row 1903's none.
            #expect(CST.format(s.orders.promised[507]) == far)
            #expect(CST.format(s.orders.promised[7]) == "2023-03-02 10:00:00")
            #expect(CST.format(s.orders.shipped[703]) == early)
            #expect(s.orders.shipped[3] == .absent)
        }
        #expect(loads[0].orders.promised == loads[1].orders.promised)
        #expect(loads[0].orders.shipped == loads[1].orders.shipped)
    }

    @Test func timeColumnRemovesRowsAndKeepsOverflowAligned() {
        var c = TimeColumn()
        let values: [Instant] = [1, .absent, 10_000_000_000, 5, -9_000_000_000, 7]
        for v in values { c.append(v) }
        #expect((0..<c.count).map { c[$0] } == values)
        c.remove(rows: [1, 3])
        #expect((0..<c.count).map { c[$0] } == [1, 10_000_000_000, -9_000_000_000, 7])
        c[0] = 20_000_000_000
        c[1] = 2
        #expect((0..<c.count).map { c[$0] } == [20_000_000_000, 2, -9_000_000_000, 7])
    }

    @Test func columnsCopyOnWrite() {
        var a = Column<Int32>([1, 2, 3])
        let b = a
        a[0] = 9
        a.append(4)
        #expect(a.array == [9, 2, 3, 4] && b.array == [1, 2, 3])
        var t = TimeColumn()
        t.append(100)
        let u = t
        t[0] = 200
        #expect(t[0] == 200 && u[0] == 100)
    }

    @Test func uniformColumnsReadLikeStoredOnesAndStoreOnFirstWrite() {
        var u = Column<Int32>.uniform(-1, count: 5)
        #expect(u.isUniform && u.array == [-1, -1, -1, -1, -1] && u == Column([-1, -1, -1, -1, -1]))
        u.append(contentsOf: .uniform(-1, count: 2))
        #expect(u.isUniform && u.count == 7)
        u.append(contentsOf: Column([3]))
        #expect(!u.isUniform && u.array == [-1, -1, -1, -1, -1, -1, -1, 3])
        var v = Column<Int32>.uniform(4, count: 3)
        let w = v
        v[1] = 9
        v.remove(rows: [0])
        #expect(v.array == [9, 4] && w.array == [4, 4, 4])
        var t = TimeColumn.absent(count: 3)
        t[2] = 1_700_000_000
        #expect((0..<3).map { t[$0] } == [.absent, .absent, 1_700_000_000])
    }

    @Test func aFileWithoutADelayColumnThenOneWithIt() {
        var a = "order_id,paid_at,promised_ship_at,status\n", b = "order_id,paid_at,promised_ship_at,status,delayed_promise_at\n"
        for i in 0..<3000 { a += "A\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n" }
        for i in 0..<3000 where i % 2 == 0 { b += "A\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,2023-03-04 10:00:00\n" }
        let dir = makeFolder(["orders_a.csv": a, "orders_b.csv": b])
        touch(dir + "/orders_a.csv", 1_700_000_000); touch(dir + "/orders_b.csv", 1_700_000_100)
        let s = DataLoader.load(folder: dir, parallelFrom: 1)
        #expect(s.orders.count == 3000)
        #expect(CST.format(s.orders.deadline(0)) == "2023-03-04 10:00:00")
        #expect(CST.format(s.orders.deadline(1)) == "2023-03-02 10:00:00")
        #expect(s.orders.officialEvent[1] == -1)
    }

    @Test func aFewRowsOnABigIndexedTableAreIndexedOneByOne() {
        var ids = OrderIds()
        for i in 0..<2000 { _ = ids.intern("B\(i)") }
        // The tail: new ids, repeats of indexed rows, and a repeat inside the tail.
        let tail = ["N1", "B7", "N2", "N1", "B1999", "N3"]
        for t in tail { t.withBytes { ids.appendDeferred($0) } }
        #expect(ids.tailIsSmall)
        let dups = ids.indexTail()
        #expect(dups.map(\.first) == [7, 2000, 1999] && dups.map(\.dup) == [2001, 2003, 2004])
        ids.removeTailRows(dups.map(\.dup))
        #expect(ids.count == 2003)
        #expect((2000..<2003).map { ids.string(Int32($0)) } == ["N1", "N2", "N3"])
        #expect(ids.find("N3") == 2002 && ids.find("N2") == 2001 && ids.find("B7") == 7 && ids.find("B1999") == 1999)
        #expect(ids.intern("N4") == 2003)

        // The same through a table: the later values land in the earlier rows.
        var t = OrdersTable()
        var base: [OrdersTable.Row] = []
        for i in 0..<2000 {
            _ = t.ids.intern("B\(i)")
            base.append(OrdersTable.Row(paid: Instant(i), promised: 0, promiseHours: 24, status: .awaiting, flags: []))
        }
        t.append(base)
        for (k, id) in ["B5", "N1", "N1"].enumerated() {
            id.withBytes { t.ids.appendDeferred($0) }
            t.append([OrdersTable.Row(paid: Instant(10_000 + k), promised: 0, promiseHours: 24, status: .shipped, flags: [])])
        }
        t.finishLoading()
        #expect(t.count == 2001 && t.paid[5] == 10_000 && t.status[5] == .shipped && t.paid[2000] == 10_002 && t.id(2000) == "N1")
    }

    @Test func packingAndTruncatingNeverTouchACopy() {
        // A table kept by someone else (the snapshot on screen) while a live append folds
        // repeated ids out of the tail must not change.
        var ids = OrderIds()
        for i in 0..<40_000 { _ = ids.intern("K\(i)") }
        for t in ["K1", "NEW", "K2"] { t.withBytes { ids.appendDeferred($0) } }
        let kept = ids
        var live = ids
        let dups = live.indexTail()
        live.removeTailRows(dups.map(\.dup))
        #expect(live.count == 40_001 && live.string(40_000) == "NEW")
        #expect(kept.count == 40_003 && kept.string(40_002) == "K2" && kept.string(39_999) == "K39999")
        var c = Column<Int32>((0..<100_000).map(Int32.init))
        let copy = c
        c.truncate(10)
        c.moveRows(from: 5, to: 0, count: 5)
        #expect(c.array == [5, 6, 7, 8, 9, 5, 6, 7, 8, 9] && copy.count == 100_000 && copy[99_999] == 99_999 && copy[50_000] == 50_000)
        var u = Column<Int32>.uniform(-1, count: 3)
        let v = u
        u.append(-1)
        #expect(u.count == 4 && v.count == 3)
    }
}
