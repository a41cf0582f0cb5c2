import CScan
import Foundation

/// The order ids of a table, one a row: bytes in one arena and an index from id to row.
///
/// Two ways in. `intern` looks an id up and adds it when new (live appends, small loads on
/// top of an indexed table). `appendDeferred` only stores the id: a bulk load appends every
/// row that way (no random access into a big hash table per row, and chunks of one file can
/// be typed on several cores), then `buildIndex` indexes all rows at once and reports the
/// rows that repeat an earlier id (rules.md §10: the later row wins, in the earlier row's
/// place). The build hashes the ids in arena order and inserts them a partition at a time
/// through small buffers, so each partition's slots stay in cache, on two cores.
///
/// The index is open addressing with linear probing over 1.5 slots a row; a slot holds the
/// low 32 bits of the id's hash (a tag that spares most byte comparisons) and the row + 1
/// (0 = empty). A slot's home scales the hash's top 32 bits to the table's size, so a
/// partition by the top bits is a contiguous slot range.
public struct OrderIds: Sendable {
    public internal(set) var bytes = Column<UInt8>()
    /// Row r's id is `bytes[ends[r-1]..<ends[r]]` (from 0 for row 0).
    public internal(set) var ends = Column<UInt32>()
    var slots: [UInt64] = []
    /// Rows `0..<indexed` are in the index.
    public internal(set) var indexed = 0

    public init() {}

    public var count: Int { ends.count }

    @inline(__always)
    func bounds(_ r: Int) -> (Int, Int) { (r == 0 ? 0 : Int(ends[r - 1]), Int(ends[r])) }

    public func string(_ r: Int32) -> String {
        let (s, e) = bounds(Int(r))
        return bytes.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
    }

    public mutating func reserve(_ n: Int, bytes b: Int) {
        ends.reserveCapacity(count + n)
        bytes.reserveCapacity(bytes.count + b)
    }

    @inline(__always)
    static func tag(_ h: UInt64) -> UInt64 { h << 32 }

    /// The home slot of hash `h` among `size` slots (monotonic in the top bits).
    @inline(__always)
    static func home(_ h: UInt64, _ size: Int) -> Int { Int(truncatingIfNeeded: ((h >> 32) &* UInt64(size)) >> 32) }

    /// Slots for `n` rows: half as many again, at least 16, even (so the two halves of a
    /// build split the slots exactly: a first-half hash's home is below `size / 2`).
    static func slotCount(_ n: Int) -> Int { Swift.max(16, (n + n / 2 + 2) & ~1) }

    // MARK: one at a time

    /// The row of `b`, adding it as a new last row when it is not there. Rows appended with
    /// `appendDeferred` must have been indexed first (`buildIndex`).
    @inline(__always)
    public mutating func intern(_ b: UnsafeRawBufferPointer) -> (index: Int32, isNew: Bool) {
        precondition(indexed == count, "OrderIds.intern with rows not yet indexed")
        // A bulk build leaves the index two thirds full; appends may take it to three quarters
        // before it grows (so a live append to a big shop does not rebuild the index).
        if (count + 1) * 4 >= slots.count * 3 { rehash(minimum: count + 1) }
        let h = UInt64(bitPattern: Int64(ByteInterner.hash(b)))
        let (i, found) = probe(b, h)
        if let found { return (found, false) }
        let row = count
        bytes.append(bytes: b)
        ends.append(UInt32(bytes.count))
        slots[i] = OrderIds.tag(h) | UInt64(row + 1)
        indexed = count
        return (Int32(row), true)
    }

    /// The slot holding `b` (hash `h`) and its row, or the empty slot where it would go.
    @inline(__always)
    private func probe(_ b: UnsafeRawBufferPointer, _ h: UInt64) -> (slot: Int, row: Int32?) {
        let size = slots.count
        var i = OrderIds.home(h, size)
        let t = OrderIds.tag(h)
        while true {
            let s = slots[i]
            if s == 0 { return (i, nil) }
            if s & 0xFFFF_FFFF_0000_0000 == t, equals(Int(s & 0xFFFF_FFFF) - 1, b) { return (i, Int32(s & 0xFFFF_FFFF) - 1) }
            i = i + 1 == size ? 0 : i + 1
        }
    }

    public mutating func intern(_ s: String) -> Int32 { s.withBytes { intern($0).index } }

    /// The row of `b`, if present (rows not yet indexed are searched one by one).
    public func find(_ b: UnsafeRawBufferPointer) -> Int32? {
        if !slots.isEmpty, let row = probe(b, UInt64(bitPattern: Int64(ByteInterner.hash(b)))).row { return row }
        for r in indexed..<count where equals(r, b) { return Int32(r) }
        return nil
    }

    public func find(_ s: String) -> Int32? { s.withBytes { find($0) } }

    /// How far ahead `findAll` asks for a key's slot; its row's end and id bytes are asked for
    /// at two thirds and one third of that distance.
    static let lookAhead = 12

    /// The rows of `keys` (nil where absent), each as `find` gives it. One look-up in a big
    /// table is three cache misses in a row (the slot, the row's end, its id bytes: 0.8 µs a
    /// waybill against a million orders, issue 18); here each key's are asked for a few keys
    /// ahead (`cscan_prefetch`), so they overlap and the probe finds them in cache.
    public func findAll(_ keys: [String]) -> [Int32?] {
        guard !slots.isEmpty, indexed == count, keys.count > OrderIds.lookAhead else { return keys.map { find($0) } }
        let hashes = keys.map { k in k.withBytes { UInt64(bitPattern: Int64(ByteInterner.hash($0))) } }
        let size = slots.count, ahead = OrderIds.lookAhead
        /// The row the home slot of key `k` holds when its tag is `k`'s (the likely answer).
        func candidate(_ sl: UnsafeBufferPointer<UInt64>, _ k: Int) -> Int? {
            let s = sl[OrderIds.home(hashes[k], size)]
            return s != 0 && s & 0xFFFF_FFFF_0000_0000 == OrderIds.tag(hashes[k]) ? Int(s & 0xFFFF_FFFF) - 1 : nil
        }
        return slots.withUnsafeBufferPointer { sl in
            ends.withUnsafeBufferPointer { en in
                bytes.withUnsafeBufferPointer { by in
                    keys.indices.map { i in
                        if i + ahead < keys.count { cscan_prefetch(sl.baseAddress! + OrderIds.home(hashes[i + ahead], size)) }
                        if i + 2 * ahead / 3 < keys.count, let r = candidate(sl, i + 2 * ahead / 3) {
                            cscan_prefetch(en.baseAddress! + Swift.max(r - 1, 0))
                        }
                        if i + ahead / 3 < keys.count, let r = candidate(sl, i + ahead / 3) {
                            cscan_prefetch(by.baseAddress! + (r == 0 ? 0 : Int(en[r - 1])))
                        }
                        return keys[i].withBytes { probe($0, hashes[i]).row }
                    }
                }
            }
        }
    }

    /// The hash of row `r`'s id.
    @inline(__always)
    func rowHash(_ r: Int) -> UInt64 {
        let (s, e) = bounds(r)
        return bytes.withUnsafeBytes { UInt64(bitPattern: Int64(ByteInterner.hash(UnsafeRawBufferPointer(rebasing: $0[s..<e])))) }
    }

    @inline(__always)
    func equals(_ r: Int, _ b: UnsafeRawBufferPointer) -> Bool {
        let (s, e) = bounds(r)
        guard e - s == b.count else { return false }
        return bytes.withUnsafeBytes { memcmpEqual($0.baseAddress! + s, b.baseAddress, b.count) }
    }

    // MARK: in bulk

    /// Stores the id of a new last row without indexing it.
    @inline(__always)
    public mutating func appendDeferred(_ b: UnsafeRawBufferPointer) {
        bytes.append(bytes: b)
        ends.append(UInt32(bytes.count))
    }

    /// Stores the ids of new last rows without indexing them: `arena[ends[k-1]..<ends[k]]`
    /// is row k's id (`ends` relative to the arena's start).
    public mutating func appendDeferred(arena: [UInt8], ends rel: [UInt32]) {
        let base = UInt32(bytes.count)
        arena.withUnsafeBytes { bytes.append(bytes: $0) }
        ends.append(contentsOf: rel.lazy.map { $0 + base })
    }

    /// Appends another table's ids after these, unindexed.
    public mutating func appendDeferred(_ other: OrderIds) {
        if other.count == 0 { return }
        let base = UInt32(bytes.count)
        other.bytes.withUnsafeBytes { bytes.append(bytes: $0) }
        other.ends.withUnsafeBufferPointer { ends.append(contentsOf: $0.lazy.map { $0 + base }) }
    }

    /// Indexes every row from scratch and returns the rows whose id an earlier row already
    /// has, as (earlier row, later row) in ascending order of the later row. Those later rows
    /// stay out of the index; the caller merges and removes them (`removeRows`).
    public mutating func buildIndex() -> [(first: Int, dup: Int)] {
        let n = count
        let size = OrderIds.slotCount(n)
        slots = [UInt64](repeating: 0, count: size)
        indexed = n
        // Partitions of about 32K slots (256 KB), by the hash's top bits; two halves.
        var pbits: UInt64 = 1
        while (size >> pbits) > 32_768 { pbits += 1 }
        let partitionBits = pbits
        let halves = n >= 65_536 && ProcessInfo.processInfo.activeProcessorCount > 1 ? 2 : 1
        let found = (0..<halves).map { _ in IndexHalf() }
        var result: [(first: Int, dup: Int)] = []
        slots.withUnsafeMutableBufferPointer { sb in
            bytes.withUnsafeBytes { all in ends.withUnsafeBufferPointer { ep in
                let b = IndexBuilder(slots: sb, arena: all, ends: ep)
                DispatchQueue.concurrentPerform(iterations: halves) { k in
                    var d: [(first: Int, dup: Int)] = [], sp: [(Int, UInt64)] = []
                    b.insertHalf(k, of: halves, rows: n, partitionBits: partitionBits, dups: &d, spills: &sp)
                    found[k].dups = d; found[k].spills = sp
                }
                var dups = found.flatMap(\.dups)
                var unused: [(Int, UInt64)] = []
                for (r, h) in found.flatMap(\.spills) { b.insert(r, h, limit: Int.max, dups: &dups, spills: &unused) }
                result = dups
            } }
        }
        return result.sorted { $0.dup < $1.dup }
    }

    /// Whether the rows not yet indexed are few next to the indexed ones (a live append):
    /// then `indexTail` adds them one by one instead of rebuilding.
    public var tailIsSmall: Bool { indexed > 0 && !slots.isEmpty && (count - indexed) * 8 < indexed }

    /// Indexes rows `indexed..<count` one at a time, in order, and returns those whose id an
    /// earlier row has (not put in the index), as `buildIndex` does.
    public mutating func indexTail() -> [(first: Int, dup: Int)] {
        if count * 4 >= slots.count * 3 { rehash(minimum: count) }
        var dups: [(first: Int, dup: Int)] = []
        for r in indexed..<count {
            let h = rowHash(r)
            let (s0, e0) = bounds(r)
            let (slot, found) = bytes.withUnsafeBytes { probe(UnsafeRawBufferPointer(rebasing: $0[s0..<e0]), h) }
            if let found { dups.append((Int(found), r)) } else { slots[slot] = OrderIds.tag(h) | UInt64(r + 1) }
        }
        indexed = count
        return dups
    }

    /// Removes rows that `indexTail` reported (ascending, distinct, all in the tail it
    /// indexed): the later tail rows move down and their slots are renumbered.
    public mutating func removeTailRows(_ gone: [Int]) {
        guard let first = gone.first else { return }
        let size = slots.count
        var k = 0, w = first
        var newEnds: [UInt32] = [], newBytes: [UInt8] = []
        var cursor = first == 0 ? 0 : Int(ends[first - 1])
        for r in first..<count {
            if k < gone.count && gone[k] == r { k += 1; continue }
            let (s0, e0) = bounds(r)
            // Renumber r's slot to w.
            var i = OrderIds.home(rowHash(r), size)
            while Int(slots[i] & 0xFFFF_FFFF) != r + 1 { i = i + 1 == size ? 0 : i + 1 }
            slots[i] = (slots[i] & 0xFFFF_FFFF_0000_0000) | UInt64(w + 1)
            bytes.withUnsafeBytes { newBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[s0..<e0])) }
            cursor += e0 - s0
            newEnds.append(UInt32(cursor))
            w += 1
        }
        bytes.truncate(first == 0 ? 0 : Int(ends[first - 1]))
        newBytes.withUnsafeBytes { bytes.append(bytes: $0) }
        ends.truncate(first)
        ends.append(contentsOf: newEnds)
        indexed = count
    }

    /// Removes the given rows (ascending, distinct) and rebuilds the index.
    public mutating func removeRows(_ rows: [Int]) {
        guard !rows.isEmpty else { return }
        var newBytes = Column<UInt8>()
        newBytes.reserveCapacity(bytes.count)
        var newEnds = Column<UInt32>()
        newEnds.reserveCapacity(count - rows.count)
        var k = 0
        bytes.withUnsafeBytes { all in
            for r in 0..<count {
                if k < rows.count && rows[k] == r { k += 1; continue }
                let (s, e) = bounds(r)
                newBytes.append(bytes: UnsafeRawBufferPointer(rebasing: all[s..<e]))
                newEnds.append(UInt32(newBytes.count))
            }
        }
        bytes = newBytes; ends = newEnds
        indexed = 0
        _ = buildIndex()
    }

    /// Grows the index to at least twice its size (at most a third full afterwards).
    private mutating func rehash(minimum: Int) {
        let size = Swift.max(OrderIds.slotCount(minimum) * 2, slots.count * 2) & ~1
        slots = [UInt64](repeating: 0, count: size)
        for r in 0..<indexed {
            let h = rowHash(r)
            var i = OrderIds.home(h, size)
            while slots[i] != 0 { i = i + 1 == size ? 0 : i + 1 }
            slots[i] = OrderIds.tag(h) | UInt64(r + 1)
        }
    }
}

/// Inserts rows into an index under construction (raw pointers: the two halves of a build
/// write disjoint slot ranges at once).
struct IndexBuilder: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<UInt64>
    let arena: UnsafeRawBufferPointer
    let ends: UnsafeBufferPointer<UInt32>

    @inline(__always)
    func same(_ a: Int, _ b: Int) -> Bool {
        let sa = a == 0 ? 0 : Int(ends[a - 1]), la = Int(ends[a]) - sa
        let sb = b == 0 ? 0 : Int(ends[b - 1]), lb = Int(ends[b]) - sb
        return la == lb && memcmpEqual(arena.baseAddress! + sa, arena.baseAddress! + sb, la)
    }

    /// Puts row `r` in the first free slot from its home, or reports it as repeating the row
    /// already there with its id. A probe that would reach slot `limit` (the end of the
    /// caller's half) leaves the row in `spills`; `Int.max` probes around the whole table.
    @inline(__always)
    func insert(_ r: Int, _ h: UInt64, limit: Int, dups: inout [(first: Int, dup: Int)], spills: inout [(Int, UInt64)]) {
        let size = slots.count
        var i = OrderIds.home(h, size)
        let t = OrderIds.tag(h)
        while true {
            let s = slots[i]
            if s == 0 { slots[i] = t | UInt64(r + 1); return }
            if s & 0xFFFF_FFFF_0000_0000 == t, same(Int(s & 0xFFFF_FFFF) - 1, r) {
                dups.append((Int(s & 0xFFFF_FFFF) - 1, r)); return
            }
            if i + 1 == limit { spills.append((r, h)); return }
            i = i + 1 == size ? 0 : i + 1
        }
    }
}

/// What one half of an index build found (each worker writes only its own).
final class IndexHalf: @unchecked Sendable {
    var dups: [(first: Int, dup: Int)] = []
    var spills: [(Int, UInt64)] = []
}

extension IndexBuilder {
    /// Inserts the rows whose hash falls in half `k` of `halves` (by the top bit), in row
    /// order per partition: rows are hashed in arena order and held in one small buffer per
    /// partition, which is written out when full (a burst of inserts into one cache-sized
    /// slot range). Probes that would leave the half go to `spills`.
    func insertHalf(_ k: Int, of halves: Int, rows n: Int, partitionBits pbits: UInt64,
                    dups: inout [(first: Int, dup: Int)], spills: inout [(Int, UInt64)]) {
        let parts = 1 << pbits, per = parts / halves
        let first = k * per
        let limit = k == halves - 1 ? slots.count : slots.count * (k + 1) / halves
        let cap = 2048
        var bufHash = [UInt64](repeating: 0, count: per * cap)
        var bufRow = [UInt32](repeating: 0, count: per * cap)
        var fill = [Int](repeating: 0, count: per)
        let pshift = 64 - pbits
        bufHash.withUnsafeMutableBufferPointer { bh in bufRow.withUnsafeMutableBufferPointer { br in
            func drain(_ p: Int) {
                let base = p * cap
                for j in 0..<fill[p] { insert(Int(br[base + j]), bh[base + j], limit: limit, dups: &dups, spills: &spills) }
                fill[p] = 0
            }
            var start = 0
            for r in 0..<n {
                let end = Int(ends[r])
                let h = UInt64(bitPattern: Int64(ByteInterner.hash(UnsafeRawBufferPointer(rebasing: arena[start..<end]))))
                start = end
                let p = Int(h >> pshift) - first
                if p < 0 || p >= per { continue }
                let at = p * cap + fill[p]
                bh[at] = h; br[at] = UInt32(r); fill[p] += 1
                if fill[p] == cap { drain(p) }
            }
            for p in 0..<per { drain(p) }
        } }
    }
}
