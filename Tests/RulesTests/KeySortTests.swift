import Testing
import ShopdeckModel
@testable import ShopdeckRules

@Suite("Sorting rows by a whole-number key")
struct KeySortTests {
    struct Row: Equatable { var key: Int64; var name: String; var at: Int }

    /// Against the standard library's stable sort by (key, name), on rows with many equal keys
    /// and equal names (so the position decides), and with every permutation cycle shape.
    @Test func sameOrderAsAStableSortByKeyThenTie() {
        var rng = SystemRandomNumberGenerator()
        for n in [0, 1, 2, 3, 7, 100, 5_000] {
            // Key ranges that pack into one word, and ones that do not (the general path).
            let ranges: [(keys: Int64, base: Int64)] = [(2, 0), (50, -7), (1_000_000, 1_700_000_000), (Int64(UInt32.max) + 2, 0), (Int64.max / 2, Int64.min / 4)]
            for (keys, base) in ranges {
                var rows = (0..<n).map { i in
                    Row(key: base + Int64.random(in: 0..<keys, using: &rng),
                        name: "名\(Int.random(in: 0..<3, using: &rng))-" + String(repeating: "x", count: Int.random(in: 0..<20, using: &rng)),
                        at: i)
                }
                let expected = rows.enumerated().sorted { a, b in
                    if a.element.key != b.element.key { return a.element.key < b.element.key }
                    if a.element.name != b.element.name { return a.element.name < b.element.name }
                    return a.offset < b.offset
                }.map(\.element)
                var byOrder = rows
                rows.sortByKey({ $0.key }) { $0.name < $1.name }
                #expect(rows == expected, "n \(n), keys \(keys)")
                byOrder.sortInPlace { $0.key != $1.key ? $0.key < $1.key : $0.name < $1.name }
                #expect(byOrder == expected, "n \(n), keys \(keys)")
            }
        }
    }

    /// The radix sort against the standard sort, on numbers of every width and on runs of
    /// equal values.
    @Test func radixSortMatchesTheStandardSort() {
        var rng = SystemRandomNumberGenerator()
        for bits in [1, 11, 12, 33, 50, 64] {
            for n in [0, 1, 2, 1000, 70_000] {
                let top: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
                var a = (0..<n).map { _ in UInt64.random(in: 0...top, using: &rng) }
                if n > 10 { for i in stride(from: 0, to: n, by: 7) { a[i] = a[0] } }
                let expected = a.sorted()
                Array<UInt64>.radixSort(&a, bits: bits)
                #expect(a == expected, "bits \(bits), n \(n)")
            }
        }
    }

    /// Sorting from a bit on: words equal in the bits sorted keep their order (a stable sort
    /// by `value >> from`), for every width of the part sorted and of the part left.
    @Test func radixSortFromABitIsStableOnTheBitsBelow() {
        var rng = SystemRandomNumberGenerator()
        for (from, bits) in [(32, 33), (32, 55), (32, 64), (31, 64), (5, 17), (11, 22), (63, 64)] {
            for n in [0, 1, 2, 1000, 70_000] {
                let top: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
                var a = (0..<n).map { _ in UInt64.random(in: 0...top, using: &rng) }
                if n > 10 { for i in stride(from: 0, to: n, by: 7) { a[i] = (a[0] >> UInt64(from)) << UInt64(from) | (a[i] & ((1 << UInt64(from)) - 1)) } }
                let expected = a.enumerated().sorted { x, y in
                    x.element >> UInt64(from) != y.element >> UInt64(from) ? x.element >> UInt64(from) < y.element >> UInt64(from) : x.offset < y.offset
                }.map(\.element)
                Array<UInt64>.radixSort(&a, bits: bits, from: from)
                // The first difference, not two whole arrays, when they differ.
                let first = a.indices.first { a[$0] != expected[$0] }
                #expect(a.count == expected.count && first == nil, "from \(from), bits \(bits), n \(n): first difference at \(String(describing: first))")
            }
        }
    }
}
