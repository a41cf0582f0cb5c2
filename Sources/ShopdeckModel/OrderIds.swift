/// The order ids of a table, one a row: bytes in one arena and an index from id to row.
///
/// Two ways in. `intern` looks an id up and adds it when new (live appends, small loads on
/// top of an indexed table). `appendDeferred` only stores the id and its hash: a bulk load
/// appends every row that way (no random access into a big hash table per row, and chunks
/// of one file can be typed on several cores), then `buildIndex` indexes all rows at once,
/// partition by partition so each partition's slots stay in cache, and reports the rows that
/// repeat an earlier id (rules.md §10: the later row wins, in the earlier row's place).
///
/// The index is open addressing with linear probing; a slot holds the low 32 bits of the
/// id's hash (a tag that spares most byte comparisons) and the row + 1 (0 = empty). A slot's
/// home is the hash's top bits, so a partition by the top bits is a contiguous slot range.
public struct OrderIds: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var ends: [UInt32] = []
    /// Hashes of rows not yet indexed (`indexed..<count`).
    private var pending: [UInt64] = []
    private var slots: [UInt64] = []
    private var shift: UInt64 = 64
    /// Rows `0..<indexed` are in the index.
    public private(set) var indexed = 0

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
        pending.reserveCapacity(count - indexed + n)
    }

    /// The bytes of all ids.
    public var byteCount: Int { bytes.count }

    @inline(__always)
    static func tag(_ h: UInt64) -> UInt64 { h << 32 }

    // MARK: one at a time

    /// The row of `b`, adding it as a new last row when it is not there. Rows appended with
    /// `appendDeferred` must have been indexed first (`buildIndex`).
    @inline(__always)
    public mutating func intern(_ b: UnsafeRawBufferPointer) -> (index: Int32, isNew: Bool) {
        precondition(indexed == count, "OrderIds.intern with rows not yet indexed")
        if (count + 1) * 3 >= slots.count * 2 { rehash(minimum: count + 1) }
        let h = UInt64(bitPattern: Int64(ByteInterner.hash(b)))
        let mask = slots.count - 1
        var i = Int(h >> shift)
        let t = OrderIds.tag(h)
        while true {
            let s = slots[i]
            if s == 0 { break }
            if s & 0xFFFF_FFFF_0000_0000 == t, equals(Int(s & 0xFFFF_FFFF) - 1, b) { return (Int32(s & 0xFFFF_FFFF) - 1, false) }
            i = (i + 1) & mask
        }
        let row = count
        bytes.append(contentsOf: b)
        ends.append(UInt32(bytes.count))
        slots[i] = t | UInt64(row + 1)
        indexed = count
        return (Int32(row), true)
    }

    public mutating func intern(_ s: String) -> Int32 { s.withBytes { intern($0).index } }

    /// The row of `b`, if present (rows not yet indexed are searched one by one).
    public func find(_ b: UnsafeRawBufferPointer) -> Int32? {
        if !slots.isEmpty {
            let h = UInt64(bitPattern: Int64(ByteInterner.hash(b)))
            let mask = slots.count - 1
            var i = Int(h >> shift)
            let t = OrderIds.tag(h)
            while true {
                let s = slots[i]
                if s == 0 { break }
                if s & 0xFFFF_FFFF_0000_0000 == t, equals(Int(s & 0xFFFF_FFFF) - 1, b) { return Int32(s & 0xFFFF_FFFF) - 1 }
                i = (i + 1) & mask
            }
        }
        for r in indexed..<count where equals(r, b) { return Int32(r) }
        return nil
    }

    public func find(_ s: String) -> Int32? { s.withBytes { find($0) } }

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
        pending.append(UInt64(bitPattern: Int64(ByteInterner.hash(b))))
        bytes.append(contentsOf: b)
        ends.append(UInt32(bytes.count))
    }

    /// Stores the ids of new last rows without indexing them: `arena[ends[k-1]..<ends[k]]`
    /// is row k's id (`ends` relative to the arena's start).
    public mutating func appendDeferred(arena: [UInt8], ends rel: [UInt32]) {
        let base = UInt32(bytes.count)
        arena.withUnsafeBytes { all in
            var s = 0
            for e in rel {
                pending.append(UInt64(bitPattern: Int64(ByteInterner.hash(UnsafeRawBufferPointer(rebasing: all[s..<Int(e)])))))
                s = Int(e)
            }
        }
        bytes.append(contentsOf: arena)
        ends.append(contentsOf: rel.lazy.map { $0 + base })
    }

    /// Appends another table's ids after these, unindexed (their hashes are kept).
    public mutating func appendDeferred(_ other: OrderIds) {
        if other.count == 0 { return }
        let base = UInt32(bytes.count)
        if other.indexed > 0 {
            for r in 0..<other.indexed { pending.append(other.hash(r)) }
        }
        pending.append(contentsOf: other.pending)
        bytes.append(contentsOf: other.bytes)
        ends.append(contentsOf: other.ends.lazy.map { $0 + base })
    }

    func hash(_ r: Int) -> UInt64 {
        let (s, e) = bounds(r)
        return bytes.withUnsafeBytes { UInt64(bitPattern: Int64(ByteInterner.hash(UnsafeRawBufferPointer(rebasing: $0[s..<e])))) }
    }

    /// Indexes every row from scratch and returns the rows whose id an earlier row already
    /// has, as (earlier row, later row) in ascending order of the later row. Those later rows
    /// stay out of the index; the caller merges and removes them (`removeRows`).
    public mutating func buildIndex() -> [(first: Int, dup: Int)] {
        let n = count
        // Rows before the pending ones have no stored hash (indexed earlier, or left by
        // `removeRows`): compute theirs.
        let known = n - pending.count
        var hashes: [UInt64]
        if known == 0 {
            hashes = pending
        } else {
            hashes = [UInt64](repeating: 0, count: n)
            hashes.withUnsafeMutableBufferPointer { hb in
                bytes.withUnsafeBytes { all in
                    for r in 0..<known {
                        let (s, e) = bounds(r)
                        hb[r] = UInt64(bitPattern: Int64(ByteInterner.hash(UnsafeRawBufferPointer(rebasing: all[s..<e]))))
                    }
                }
                for (k, h) in pending.enumerated() { hb[known + k] = h }
            }
        }
        pending = []
        var size = 16, bits: UInt64 = 4
        while size * 2 < n * 3 { size <<= 1; bits += 1 }
        shift = 64 - bits
        slots = [UInt64](repeating: 0, count: size)
        indexed = n
        // Partitions of about 32K slots (256 KB), by the hash's top bits.
        var pbits: UInt64 = 0
        while (size >> pbits) > 32_768 { pbits += 1 }
        var dups: [(first: Int, dup: Int)] = []
        slots.withUnsafeMutableBufferPointer { sb in
            hashes.withUnsafeBufferPointer { hb in
                bytes.withUnsafeBytes { all in ends.withUnsafeBufferPointer { ep in
                    @inline(__always) func same(_ a: Int, _ b: Int) -> Bool {
                        let sa = a == 0 ? 0 : Int(ep[a - 1]), la = Int(ep[a]) - sa
                        let sb2 = b == 0 ? 0 : Int(ep[b - 1]), lb = Int(ep[b]) - sb2
                        return la == lb && memcmpEqual(all.baseAddress! + sa, all.baseAddress! + sb2, la)
                    }
                    let mask = size - 1
                    let sh = shift
                    @inline(__always) func insert(_ r: Int, _ h: UInt64) {
                        var i = Int(h >> sh)
                        let t = OrderIds.tag(h)
                        while true {
                            let s = sb[i]
                            if s == 0 { sb[i] = t | UInt64(r + 1); return }
                            if s & 0xFFFF_FFFF_0000_0000 == t, same(Int(s & 0xFFFF_FFFF) - 1, r) {
                                dups.append((Int(s & 0xFFFF_FFFF) - 1, r)); return
                            }
                            i = (i + 1) & mask
                        }
                    }
                    if pbits == 0 {
                        for r in 0..<n { insert(r, hb[r]) }
                        return
                    }
                    // Counting sort of (hash, row) by partition, stable (rows keep file order),
                    // so the inserts read sequentially and write one partition's slots at a time.
                    let parts = 1 << pbits
                    var starts = [Int](repeating: 0, count: parts + 1)
                    let pshift = 64 - pbits
                    for r in 0..<n { starts[Int(hb[r] >> pshift) + 1] += 1 }
                    for p in 0..<parts { starts[p + 1] += starts[p] }
                    var sortedHashes = [UInt64](repeating: 0, count: n)
                    var sortedRows = [UInt32](repeating: 0, count: n)
                    sortedHashes.withUnsafeMutableBufferPointer { sh2 in
                        sortedRows.withUnsafeMutableBufferPointer { sr in
                            var next = starts
                            for r in 0..<n {
                                let h = hb[r], p = Int(h >> pshift)
                                sh2[next[p]] = h; sr[next[p]] = UInt32(r); next[p] += 1
                            }
                            for k in 0..<n { insert(Int(sr[k]), sh2[k]) }
                        }
                    }
                } }
            }
        }
        dups.sort { $0.dup < $1.dup }
        return dups
    }

    /// Removes the given rows (ascending, distinct) and rebuilds the index.
    public mutating func removeRows(_ rows: [Int]) {
        guard !rows.isEmpty else { return }
        var newBytes: [UInt8] = []
        newBytes.reserveCapacity(bytes.count)
        var newEnds: [UInt32] = []
        newEnds.reserveCapacity(count - rows.count)
        var k = 0
        bytes.withUnsafeBytes { all in
            for r in 0..<count {
                if k < rows.count && rows[k] == r { k += 1; continue }
                let (s, e) = bounds(r)
                newBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: all[s..<e]))
                newEnds.append(UInt32(newBytes.count))
            }
        }
        bytes = newBytes; ends = newEnds
        pending = []; indexed = 0
        _ = buildIndex()
    }

    /// Grows the index to hold at least `minimum` rows at two thirds full.
    private mutating func rehash(minimum: Int) {
        var size = Swift.max(16, slots.count)
        while size * 2 < minimum * 3 { size <<= 1 }
        size <<= 1
        var bits: UInt64 = 0
        while (1 << bits) < size { bits += 1 }
        shift = 64 - bits
        slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        bytes.withUnsafeBytes { all in
            for r in 0..<indexed {
                let (s, e) = bounds(r)
                let h = UInt64(bitPattern: Int64(ByteInterner.hash(UnsafeRawBufferPointer(rebasing: all[s..<e]))))
                var i = Int(h >> shift)
                while slots[i] != 0 { i = (i + 1) & mask }
                slots[i] = OrderIds.tag(h) | UInt64(r + 1)
            }
        }
    }
}
