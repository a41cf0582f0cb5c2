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
}
