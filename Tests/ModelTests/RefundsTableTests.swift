import Foundation
import Testing
@testable import ShopdeckModel

/// The after-sales rows' columns (`RefundsTable`): every field of every row comes back as it
/// went in, through appends, joins of tables whose lists of decisions, addresses and files
/// differ, and moved lines; the loader's two-core read is held to its one pass elsewhere
/// (`ParallelLoadTests`).
@Suite("After-sales columns")
struct RefundsTableTests {
    static let hangzhou = Region(parts: ["浙江省", "杭州市", "西湖区"])
    static let wuhan = Region(parts: ["湖北省", "武汉市", "洪山区"])

    static func refund(_ n: Int) -> Refund {
        var r = Refund(refundId: "RF\(n)", orderId: "B00000000000000\(1000 + n)", kind: [.refundOnly, .returnRefund, .exchange][n % 3],
                       appliedAt: 1_677_000_000 + Int64(n) * 3600)
        r.handledAt = n % 2 == 0 ? .absent : r.appliedAt + 60
        r.decision = [nil, "同意", "拒绝"][n % 3]
        r.returnAgreedAt = n % 4 == 0 ? r.appliedAt + 120 : .absent
        r.returnShippedAt = n % 5 == 0 ? 4_200_000_000 : .absent     // past 2068: kept in the side table
        r.returnReceivedAt = n % 6 == 0 ? r.appliedAt + 7200 : .absent
        r.completedAt = n % 7 == 0 ? r.appliedAt + 9000 : .absent
        r.status = [.open, .completed, .closed][n % 3]
        r.platformIntervened = n % 2 == 1
        r.merchantDispute = n % 3 == 1
        r.returnAddress = [nil, hangzhou, wuhan][n % 3]
        r.line = n + 2
        r.file = n % 2 == 0 ? "售后.csv" : "aftersales-2.csv"
        return r
    }

    static func text(_ rows: some Sequence<Refund>) -> [String] { rows.map { "\($0)" } }

    @Test func everyFieldComesBackAsItWentIn() {
        let rows = (0..<50).map(Self.refund)
        let t = RefundsTable(rows)
        #expect(t.count == 50)
        #expect(Self.text(t) == Self.text(rows))
        #expect(t.refundIds.string(7) == "RF7" && t.orderIds.string(7) == "B000000000000001007")
        #expect(t.kind(2) == .exchange && t.status(1) == .completed && t.decision(2) == "拒绝" && t.decision(0) == nil)
        #expect(t.returnAddress(1) == Self.hangzhou && t.returnAddress(0) == nil && t.returnShippedAt[5] == 4_200_000_000)
        #expect(t.platformIntervened(1) && !t.platformIntervened(2) && t.merchantDispute(4) && !t.merchantDispute(5))
        #expect(RefundsTable().isEmpty && Array(RefundsTable()).isEmpty)
    }

    @Test func tablesJoinWithTheirListsRenumbered() {
        // The second table meets the decisions, addresses and files in another order.
        let first = (0..<20).map(Self.refund)
        var second = (20..<45).map(Self.refund)
        second.reverse()
        var joined = RefundsTable(first)
        joined.append(contentsOf: RefundsTable(second))
        #expect(Self.text(joined) == Self.text(first + second))
        // Into an empty table, and an empty one appended: the rows as they were.
        var empty = RefundsTable()
        empty.append(contentsOf: RefundsTable(second))
        empty.append(contentsOf: RefundsTable())
        #expect(Self.text(empty) == Self.text(second))
        // A copy taken before an append keeps its rows (value semantics).
        let before = RefundsTable(first)
        var grown = before
        grown.append(Self.refund(99))
        #expect(before.count == 20 && grown.count == 21 && Self.text(before) == Self.text(first))
    }

    @Test func linesMoveByTheChunksShift() {
        var t = RefundsTable((0..<10).map(Self.refund))
        let copy = t
        t.shiftLines(by: 1_000)
        #expect((0..<10).map(t.line) == (0..<10).map { $0 + 1_002 })
        #expect((0..<10).map(copy.line) == (0..<10).map { $0 + 2 })
    }
}
