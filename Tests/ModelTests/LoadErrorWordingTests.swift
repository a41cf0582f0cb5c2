import Foundation
import Testing
@testable import ShopdeckModel

/// A broken column fails the same way on every row: its rows' errors share one reason string
/// (ten million bad rows took 2.1 GB with a string each), and a row failing otherwise between
/// them is still worded right.
@Suite("Load errors: reasons worded once")
struct LoadErrorWordingTests {
    /// Where a string's bytes live (nil for a small string kept inline).
    func storage(_ s: String) -> UnsafeRawPointer? {
        var copy = s
        return copy.withUTF8 { s.utf8.count > 15 ? UnsafeRawPointer($0.baseAddress) : nil }
    }

    @Test func aColumnFailingOnEveryRowSharesOneReason() {
        var csv = "order_id,paid_at,promised_ship_at,status,amount\n"
        for i in 0..<6 { csv += "A\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,,\(i == 3 ? "abc" : "1")\n" }
        csv += "B,2023-03-01 10:00:00,,待发货,1\n"   // another column fails between
        csv += "C,2023-03-01 10:00:00,2023-03-02 10:00:00,,1\n"
        csv += ",2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,1\n"   // another column, the same words
        let s = DataLoader.load(folder: makeFolder(["orders.csv": csv]))
        let status = "status: required cell is empty"
        #expect(s.errors.map(\.reason) == [status, status, status, status, status, status,
                                           "promised_ship_at: required time is empty (0 means the order cannot ship yet)", status,
                                           "order_id: required cell is empty"])
        #expect(s.errors.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(s.errors.map(\.column) == [4, 4, 4, 4, 4, 4, 3, 4, 1])
        // The first six rows' reasons are one string in memory.
        let first = storage(s.errors[0].reason)
        #expect(first != nil && s.errors[1...5].allSatisfy { storage($0.reason) == first })
        #expect(s.warnings.map(\.reason) == [])
    }

    @Test func cellsReadAsAbsentShareTheirReasonToo() {
        var csv = "order_id,paid_at,promised_ship_at,status,promise_hours\n"
        for i in 0..<4 { csv += "A\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,0\n" }
        let s = DataLoader.load(folder: makeFolder(["orders.csv": csv]))
        let why = "promise_hours: cannot read '0' as hours (24, 48h, 24小时, 3天; 1 to 8760 hours); read as absent"
        #expect(s.warnings.map(\.reason) == [why, why, why, why])
        let first = storage(s.warnings[0].reason)
        #expect(first != nil && s.warnings.allSatisfy { storage($0.reason) == first })
    }
}
