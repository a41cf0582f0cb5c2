/// Distinct texts numbered in first-seen order: a column's repeated values (a product's source,
/// category, campaign; a file's name). A cell's number is found from its bytes, so a row makes
/// no `String`; each distinct text is made once.
struct TextList: Sendable {
    private(set) var texts: [String] = []
    private var index = ByteInterner(capacity: 8)

    init() {}

    /// A list of `texts` in their order (a reader of stored columns); nil when one repeats.
    init?(texts: [String]) {
        for (i, t) in texts.enumerated() {
            if number(t) != Int32(i) { return nil }
        }
    }

    mutating func number(_ b: UnsafeRawBufferPointer) -> Int32 {
        let (i, isNew) = index.intern(b)
        if isNew { texts.append(String(decoding: b, as: UTF8.self)) }
        return i
    }

    mutating func number(_ s: String) -> Int32 { s.withBytes { number($0) } }

    /// For each of `other`'s texts, its number in this list (added when new).
    mutating func numbers(of other: TextList) -> [Int32] { other.texts.map { number($0) } }

    subscript(i: Int32) -> String { texts[Int(i)] }
}
