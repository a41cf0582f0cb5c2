import Testing
@testable import ShopdeckRules

extension SplitMix64: RandomNumberGenerator {}

/// The copy check's automaton (issue 18) against the plain definition: a pattern is found in a
/// text when its bytes occur there.
@Suite("Multi-pattern matcher")
struct MultiPatternTests {
    func found(_ m: MultiPattern, _ text: String) -> [Int] {
        var flags = [Bool](repeating: false, count: m.count), hits: [Int32] = []
        text.withBytes { m.matches($0, found: &flags, hits: &hits) }
        #expect(Set(hits.map(Int.init)).count == hits.count, "each pattern listed once")
        #expect(flags.indices.filter { flags[$0] } == hits.map(Int.init).sorted())
        return hits.map(Int.init).sorted()
    }

    func naive(_ patterns: [String], _ text: String) -> [Int] {
        let t = Array(text.utf8)
        return patterns.indices.filter { i in
            let p = Array(patterns[i].utf8)
            guard !p.isEmpty, p.count <= t.count else { return false }
            return (0...(t.count - p.count)).contains { Array(t[$0..<($0 + p.count)]) == p }
        }
    }

    @Test func findsWhatAPlainSearchFinds() {
        // A small alphabet (ASCII and two- to four-byte characters) so patterns overlap, nest,
        // share prefixes and suffixes and repeat.
        let alphabet: [String] = ["a", "b", "最", "佳", "%", "𠀀", "é"]
        var rng = SplitMix64(state: 18)   // the fuzzing harness's generator: the same cases on every run
        func word(_ maxLength: Int) -> String {
            String((0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined())
        }
        for _ in 0..<400 {
            let patterns = (0..<Int.random(in: 0...12, using: &rng)).map { _ in word(4) }
            let m = MultiPattern(patterns)
            for _ in 0..<8 {
                let text = word(24)
                #expect(found(m, text) == naive(patterns, text), "patterns \(patterns) in \(text)")
            }
        }
    }

    @Test func theLexiconsShapes() {
        let patterns = ["最", "最佳", "最低价", "全网最低", "平替", "大牌平替", "100%有效", "", "最佳"]
        let m = MultiPattern(patterns)
        #expect(found(m, "全网最低价，大牌平替") == [0, 2, 3, 4, 5])
        #expect(found(m, "最佳选择 100%有效") == [0, 1, 6, 8])
        #expect(found(m, "") == [])
        #expect(found(m, "平") == [])
    }
}
