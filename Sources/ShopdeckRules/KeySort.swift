import ShopdeckModel

extension Array {
    /// Sorts by a whole-number key (a time, a deadline), then by `tie` where keys are equal,
    /// then by position: the same order as a stable `sort` by (key, tie).
    ///
    /// A report's rows are large structs (several strings each): sorting them in place moves
    /// every row at every merge step, and `sorted` copies and retains every one. Here the
    /// (key, position) pairs are sorted, and the rows are put in that order by swapping along
    /// the permutation's cycles: each row moves about once, none is copied or retained
    /// (200k after-sales rows: issue 18).
    mutating func sortByKey(_ key: (borrowing Element) -> Int64, tie: (borrowing Element, borrowing Element) -> Bool) {
        guard count > 1 else { return }
        var keys = [Int64]()
        keys.reserveCapacity(count)
        withUnsafeBufferPointer { rows in for i in rows.indices { keys.append(key(rows[i])) } }
        var order: [Int32]
        if let packed = keys.packedOrder() {
            // Keys within 2^32 of each other (times between 1970 and 2099 always are): sorted
            // as packed words, then each run of equal keys put in `tie` order (most runs are
            // one row long).
            order = packed.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
            withUnsafeBufferPointer { rows in
                var i = 0
                while i < packed.count {
                    var j = i + 1
                    while j < packed.count && packed[j] >> 32 == packed[i] >> 32 { j += 1 }
                    if j - i > 1 {
                        order[i..<j].sort { a, b in
                            if tie(rows[Int(a)], rows[Int(b)]) { return true }
                            if tie(rows[Int(b)], rows[Int(a)]) { return false }
                            return a < b
                        }
                    }
                    i = j
                }
            }
        } else {
            var pairs = keys.enumerated().map { (key: $0.element, at: Int32($0.offset)) }
            withUnsafeBufferPointer { rows in
                pairs.sort { a, b in
                    if a.key != b.key { return a.key < b.key }
                    if tie(rows[Int(a.at)], rows[Int(b.at)]) { return true }
                    if tie(rows[Int(b.at)], rows[Int(a.at)]) { return false }
                    return a.at < b.at
                }
            }
            order = pairs.map(\.at)
        }
        place(order)
    }

    /// Sorts by `before` (a strict order), equal rows keeping their positions, as
    /// `sortByKey` does: positions are sorted, and the rows moved once (230k copy findings).
    mutating func sortInPlace(by before: (borrowing Element, borrowing Element) -> Bool) {
        guard count > 1 else { return }
        var order = (0..<Int32(count)).map { $0 }
        withUnsafeBufferPointer { rows in
            order.sort { a, b in
                if before(rows[Int(a)], rows[Int(b)]) { return true }
                if before(rows[Int(b)], rows[Int(a)]) { return false }
                return a < b
            }
        }
        place(order)
    }

    /// Puts row `order[j]` at `j`, following each cycle of the permutation once (a swap moves
    /// a row without copying or retaining it).
    private mutating func place(_ order: [Int32]) {
        var placed = [Bool](repeating: false, count: count)
        withUnsafeMutableBufferPointer { rows in
            for start in rows.indices where !placed[start] {
                var j = start
                while true {
                    placed[j] = true
                    let from = Int(order[j])
                    if from == start { break }
                    rows.swapAt(j, from)
                    j = from
                }
            }
        }
    }
}

extension Array where Element == Int64 {
    /// The positions ordered by (key, position), as words `(key − least key) << 32 | position`
    /// radix sorted on the key's bits (the positions are already in order and the sort is
    /// stable); nil when the keys span 2^32 or more, or there are 2^31 positions or more (the
    /// caller then compares). Report rows by time (`sortByKey`), goods by price (`CouponIndex`).
    func packedOrder() -> [UInt64]? {
        guard let low = self.min(), let high = self.max() else { return [] }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow && span <= Int64(UInt32.max) && count <= Int(Int32.max) else { return nil }
        var packed = [UInt64]()
        packed.reserveCapacity(count)
        for (i, k) in enumerated() { packed.append(UInt64(k - low) << 32 | UInt64(i)) }
        Array<UInt64>.radixSort(&packed, bits: 32 + (64 - UInt64(span).leadingZeroBitCount), from: 32)
        return packed
    }
}
