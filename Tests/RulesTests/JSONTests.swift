import Foundation
import Testing
@testable import ShopdeckRules

@Suite("JSON writer")
struct JSONTests {
    @Test func numbersStringsAndNestingAreWrittenExactly() {
        let ints = [0, 7, -7, 10, -10, 1_234_567_890_123, Int.max, Int.min]
        #expect(JSON.array(ints.map { .int($0) }).serialized() == "[0,7,-7,10,-10,1234567890123,9223372036854775807,-9223372036854775808]")
        let v = JSON.object([("a", .array([])), ("b", .object([])), ("c", .array([.null, .bool(true), .double(1.5), .double(2), .string("引号\"\n")])),
                             ("d", .object([("e", .int(-3))]))])
        #expect(v.serialized() == #"{"a":[],"b":{},"c":[null,true,1.5,2.0,"引号\"\n"],"d":{"e":-3}}"#)
        #expect(v.serialized(pretty: true) == """
        {
          "a": [],
          "b": {},
          "c": [
            null,
            true,
            1.5,
            2.0,
            "引号\\"\\n"
          ],
          "d": {
            "e": -3
          }
        }
        """)
        // Every integer's digits agree with Swift's own.
        for i in stride(from: -100_000, through: 100_000, by: 997) { #expect(JSON.int(i).serialized() == String(i)) }
    }

    /// Written in pieces (a drain a megabyte, between array elements), the bytes are exactly
    /// the whole serialisation, pretty or not.
    @Test func writtenInPiecesItIsTheSameBytes() {
        let rows = (0..<100_000).map { i in JSON.object([("id", .string("R\(i)")), ("n", .int(i)), ("tags", .array([.string("一"), .null]))]) }
        let v = JSON.object([("rows", .array(rows)), ("after", .bool(true))])
        for pretty in [false, true] {
            var pieces: [Int] = []
            var all: [UInt8] = []
            v.write(pretty: pretty) { b in pieces.append(b.count); all += b }
            #expect(all == v.serializedBytes(pretty: pretty))
            #expect(pieces.count > 2, "\(pieces)")
            #expect(pieces.dropLast().allSatisfy { $0 >= 1 << 20 && $0 < (1 << 20) + 4096 })
        }
    }
    /// Every character the writer escapes, beside its neighbours that it must not escape.
    @Test func controlsQuotesAndLineSeparatorsAreEscapedAndNothingElse() {
        let text = "a\u{0}\u{1F}\"\\\u{7F}\u{80}\u{85}\u{9F}\u{A0}é\u{2027}\u{2028}\u{2029}\u{202A}€\t\r\n字"
        #expect(JSON.string(text).serialized() == #""a\u0000\u001f\"\\\u007f\u0080\u0085\u009f\#u{A0}é\#u{2027}\u2028\u2029\#u{202A}€\t\r\n字""#)
        for plain in ["", "abc", "中文 ¥59.90", "\u{A0}", "\u{2027}", "\u{202F}", "é"] {
            #expect(JSON.string(plain).serialized() == "\"" + plain + "\"")
        }
    }

    /// Elements made as they are written serialise exactly as the same array held whole, and
    /// indentation deeper than the writer's block of spaces is still exact.
    @Test func elementsMadeOnTheFlyAndDeepIndentation() {
        let items = (0..<50).map { "R\($0)" }
        let whole = JSON.object([("a", .array(items.map { .object([("id", .string($0))]) }))])
        let lazy = JSON.object([("a", .each(items) { .object([("id", .string($0))]) })])
        for pretty in [false, true] { #expect(lazy.serializedBytes(pretty: pretty) == whole.serializedBytes(pretty: pretty)) }
        #expect(JSON.each([Int]()) { .int($0) }.serialized(pretty: true) == "[]")
        // A list long enough to be written on two cores while streaming: the same bytes, odd
        // and even lengths, nested in an object.
        for n in [JSON.parallelElements, JSON.parallelElements + 1, 3 * JSON.parallelElements + 7] {
            let ids = (0..<n).map { "订单\($0)" }
            let streamed = JSON.object([("x", .int(1)), ("list", .each(ids) { .object([("id", .string($0)), ("n", .array([.int($0.count)]))]) }), ("y", .null)])
            let held = JSON.object([("x", .int(1)), ("list", .array(ids.map { .object([("id", .string($0)), ("n", .array([.int($0.count)]))]) })), ("y", .null)])
            for pretty in [false, true] {
                var all: [UInt8] = []
                streamed.write(pretty: pretty) { all += $0 }
                #expect(all == held.serializedBytes(pretty: pretty), "n \(n), pretty \(pretty)")
            }
        }
        var deep = JSON.int(1)
        for _ in 0..<40 { deep = .array([deep]) }
        let lines = deep.serialized(pretty: true).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 81)
        #expect(lines[40] == Substring(String(repeating: " ", count: 80) + "1"))
        #expect(lines[41] == Substring(String(repeating: " ", count: 78) + "]"))
    }

    /// Elements that write their own fields (`JSON.written`, the copy findings) give the bytes
    /// the same objects give as a tree: pretty and compact, held and streamed on two cores,
    /// at several depths, with empty and long lists of terms and texts that need escapes.
    @Test func fieldsWrittenDirectlyAreTheTreesBytes() {
        struct Row: Sendable { var id: String; var terms: [String]; var n: Int; var line: Int?; var source: String }
        let texts = ["", "P1", "订单\n\"引号\"", "\u{0}\u{7F}\u{85}\u{2028}", "😀 ¥59.90", String(repeating: "长", count: 70)]
        for n in [0, 1, 2, 7, JSON.parallelElements + 3] {
            let rows = (0..<n).map { i in
                Row(id: texts[i % texts.count] + "\(i)", terms: (0..<(i % 4)).map { texts[($0 + i) % texts.count] }, n: i * 7 - 30,
                    line: i % 3 == 0 ? nil : i, source: i % 2 == 0 ? "product" : "script")
            }
            let direct: JSON = .written(rows) { r, fields, out in
                fields.string("product_id", r.id, &out); fields.strings("terms", r.terms, &out)
                fields.int("norm", r.n, &out); fields.int("line", r.line, &out); fields.string("source", r.source, &out)
            }
            let tree: JSON = .array(rows.map { r in .object([
                ("product_id", .string(r.id)), ("terms", .array(r.terms.map(JSON.string))), ("norm", .int(r.n)),
                ("line", r.line.map(JSON.int) ?? .null), ("source", .string(r.source)),
            ]) })
            for (a, b) in [(direct, tree), (JSON.object([("x", .object([("list", direct), ("y", .null)]))]), JSON.object([("x", .object([("list", tree), ("y", .null)]))]))] {
                for pretty in [false, true] {
                    // Compared whole, reported by the first byte that differs (not two
                    // megabytes printed).
                    func firstDifference(_ x: [UInt8], _ y: [UInt8]) -> Int? { x == y ? nil : x.indices.first { $0 >= y.count || x[$0] != y[$0] } ?? x.count }
                    let expected = b.serializedBytes(pretty: pretty)
                    #expect(firstDifference(a.serializedBytes(pretty: pretty), expected) == nil, "n \(n), pretty \(pretty)")
                    var streamed: [UInt8] = []
                    a.write(pretty: pretty) { streamed += $0 }
                    #expect(firstDifference(streamed, expected) == nil, "streamed, n \(n), pretty \(pretty)")
                }
            }
        }
        // An element without fields is `{}`, as an empty object is.
        #expect(JSON.written([1, 2]) { _, _, _ in }.serialized(pretty: true) == JSON.array([.object([]), .object([])]).serialized(pretty: true))
    }

    /// The eight-bytes-at-a-time test passes a word exactly when every byte is printable
    /// ASCII other than a quote and a backslash: every byte value at every position of an
    /// otherwise plain word.
    @Test func plainWordsAreExactlyThePrintableASCIIOnes() {
        let plain = Array("abcdefgh".utf8)
        for position in 0..<8 {
            for value in 0...255 {
                var bytes = plain
                bytes[position] = UInt8(value)
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                let expected = (0x20...0x7E).contains(value) && value != 0x22 && value != 0x5C
                #expect(JSON.plainASCII(word) == expected, "byte \(value) at \(position)")
            }
        }
    }

    /// Escaping agrees with a scalar-by-scalar reference on mixed texts of every length up to
    /// 40 bytes: a character to escape anywhere, after or inside a run of plain words.
    @Test func escapingAgreesWithAReferenceOnMixedTexts() {
        func reference(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    let v = u.value
                    if v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) || v == 0x2028 || v == 0x2029 {
                        let hex = String(v, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }
        let pieces = ["a", "Z", " ", "~", "0", "\"", "\\", "\n", "\t", "\u{1}", "\u{7F}", "\u{85}", "\u{A0}", "é", "字", "\u{2028}", "\u{2027}", "€"]
        var seed: UInt64 = 18
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        for _ in 0..<4000 {
            var s = ""
            let target = next(41)
            while s.utf8.count < target {
                // Mostly plain letters, so whole plain words come before the odd character.
                s += next(4) == 0 ? pieces[next(pieces.count)] : "x"
            }
            #expect(JSON.string(s).serialized() == reference(s), "\(s.debugDescription)")
        }
    }

    /// The writer's byte buffer: appends of every size, across its growth, keep every byte.
    @Test func theByteBufferKeepsEveryByteAcrossGrowth() {
        var buffer = JSONBytes(capacity: 64)
        var expected: [UInt8] = []
        for n in 0..<300 {
            let piece = (0..<(n % 97)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) }
            piece.withUnsafeBytes { buffer.append($0) }
            buffer.append(UInt8(n & 0xFF))
            expected += piece + [UInt8(n & 0xFF)]
        }
        #expect(buffer.count == expected.count)
        #expect(buffer.array == expected)
        buffer.removeAll()
        buffer.append("键")
        #expect(buffer.array == Array("键".utf8))
    }
}
