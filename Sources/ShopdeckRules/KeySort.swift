import ShopdeckModel

extension Array {
    /// Sorts by a whole-number key (a time, a deadline), then by `tie` where keys are equal,
    /// then by position: the same order as a stable `sort` by (key, tie).
    ///
    /// A report's rows are large structs (several strings each): sorting them in place moves
    /// every row at every merge step. Here 16-byte (key, position) pairs are sorted, and the
    /// rows are put in that order by swapping along the permutation's cycles: each row moves
    /// about once, nothing is copied or retained (200k after-sales rows: issue 18).
    mutating func sortByKey(_ key: (borrowing Element) -> Int64, tie: (borrowing Element, borrowing Element) -> Bool) {
        guard count > 1 else { return }
        var pairs = [(key: Int64, at: Int32)]()
        pairs.reserveCapacity(count)
        withUnsafeBufferPointer { rows in
            for i in rows.indices { pairs.append((key(rows[i]), Int32(i))) }
            pairs.sort { a, b in
                if a.key != b.key { return a.key < b.key }
                if tie(rows[Int(a.at)], rows[Int(b.at)]) { return true }
                if tie(rows[Int(b.at)], rows[Int(a.at)]) { return false }
                return a.at < b.at
            }
        }
        // Row `pairs[j].at` belongs at `j`: follow each cycle of that permutation once.
        var placed = [Bool](repeating: false, count: count)
        withUnsafeMutableBufferPointer { rows in
            for start in rows.indices where !placed[start] {
                var j = start
                while true {
                    placed[j] = true
                    let from = Int(pairs[j].at)
                    if from == start { break }
                    rows.swapAt(j, from)
                    j = from
                }
            }
        }
    }
}
