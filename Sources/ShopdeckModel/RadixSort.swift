extension Array where Element == UInt64 {
    /// Sorts whole numbers below 2^`bits` by their 11-bit digits, lowest first (a stable
    /// counting pass a digit; a digit every number shares is skipped): a few passes over 200k
    /// words where a comparison sort takes eighteen merge rounds.
    ///
    /// With `from`, only bits `from ..< bits` are sorted on, stably: words equal there keep
    /// their order. Words packed as (key << 32 | position) in position order are sorted by
    /// (key, position) from bit 32, without passes over the positions.
    public static func radixSort(_ a: inout [UInt64], bits: Int, from: Int = 0) {
        let digit = 11, buckets = 1 << digit
        var other = [UInt64](repeating: 0, count: a.count)
        var counts = [Int](repeating: 0, count: buckets)
        var shift = from
        while shift < bits {
            for i in counts.indices { counts[i] = 0 }
            let mask = UInt64(buckets - 1)
            a.withUnsafeBufferPointer { src in for v in src { counts[Int((v >> UInt64(shift)) & mask)] += 1 } }
            if counts.contains(a.count) { shift += digit; continue }   // one digit for all: already in order
            var sum = 0
            for i in counts.indices { let c = counts[i]; counts[i] = sum; sum += c }
            a.withUnsafeBufferPointer { src in other.withUnsafeMutableBufferPointer { dst in
                for v in src {
                    let d = Int((v >> UInt64(shift)) & mask)
                    dst[counts[d]] = v
                    counts[d] += 1
                }
            } }
            swap(&a, &other)
            shift += digit
        }
    }
}
