import Foundation
import Testing
import ShopdeckModel
@testable import ShopdeckRules

/// rules.md §0: "a fact is judged by the rule version in force at the fact's own time (a
/// refund by its application time, a week by its Monday)". A rulebook's `[[revisions]]` add
/// versions; a replay of the week before and the week after a change uses each its own.
@Suite("Rule versions by the date of each fact (rules.md §0)")
struct RuleVersionTests {
    static let rules = """
    exemption.min_paid_orders = 10
    [[revisions]]
    effective_from = "2023-03-06 00:00:00"
    version = "kuaishou-2023.03"
    exemption.min_on_time_rate = 0.99
    aftersales.handling_pre_shipment = 36
    shipping.spot_promise_hours = [24]
    """

    /// 50 orders paid on `monday`, one of them shipped late: an on-time rate of 98 %.
    func week(_ o: inout Orders, _ monday: String, hours: Int = 24, tag: String) {
        for i in 0..<50 {
            let paid = t(monday + " 10:00:00") + Int64(i) * 60
            o.add("\(tag)\(i)", paid: CST.format(paid), hours: hours, status: "已发货",
                  shipped: CST.format(paid + (i == 0 ? 30 * 3600 : 3600)))
        }
    }

    @Test func aWeekIsJudgedByTheVersionInForceOnItsMonday() throws {
        var o = Orders()
        week(&o, "2023-02-27", tag: "A")
        week(&o, "2023-03-06", tag: "B")
        let before = try run(["orders.csv": o.text], asOf: "2023-03-06 10:00:00", rules: Self.rules)
        #expect(before.exemption.onTimeRate == 0.98)
        #expect(before.exemption.failed == [])
        #expect(before.exemption.thresholds.minOnTimeRate == 0.97)
        #expect(before.rulebook == "kuaishou-2023.03")
        let after = try run(["orders.csv": o.text], asOf: "2023-03-13 10:00:00", rules: Self.rules)
        #expect(after.exemption.onTimeRate == 0.98)
        #expect(after.exemption.failed == ["on_time_rate"])
        #expect(after.exemption.thresholds.minOnTimeRate == 0.99)
        #expect(after.exemption.margins.onTimeOrdersNeeded == 1)
    }

    @Test func spotGoodsOfAWeekFollowItsVersion() throws {
        var o = Orders()
        week(&o, "2023-02-27", hours: 48, tag: "A")
        week(&o, "2023-03-06", hours: 48, tag: "B")
        let r = try run(["orders.csv": o.text], asOf: "2023-03-13 10:00:00", rules: Self.rules)
        // 48 h promises were spot goods before the revision, not after it.
        #expect(r.week("2023-02-27")?.spotOrders == 50)
        #expect(r.week("2023-03-06")?.spotOrders == 0)
    }

    @Test func aRefundIsJudgedByTheVersionInForceWhenItWasApplied() throws {
        let refunds = """
        refund_id,order_id,kind,applied_at,status
        R1,X1,仅退款,2023-03-05 12:00:00,处理中
        R2,X2,仅退款,2023-03-06 12:00:00,处理中
        """
        let r = try run(["aftersales.csv": refunds], asOf: "2023-03-06 13:00:00", rules: Self.rules)
        #expect(r.aftersales.open.map(\.refundId) == ["R1", "R2"])
        #expect(r.aftersales.open.map(\.limitHours) == [24, 36])
        #expect(r.aftersales.open.map { CST.format($0.deadline) } == ["2023-03-06 12:00:00", "2023-03-08 00:00:00"])
    }

    @Test func revisionsAreValidatedLikeAnyOverride() {
        #expect(throws: (any Error).self) {
            _ = try Rulebook.with(overrides: [try ConfigValue.parseTOML("[[revisions]]\neffective_from = \"2023-03-06 00:00:00\"\nexemption.min_on_time_rat = 0.99\n", file: "r")])
        }
        #expect(throws: (any Error).self) {
            _ = try Rulebook.with(overrides: [try ConfigValue.parseTOML("[[revisions]]\nexemption.min_on_time_rate = 0.99\n", file: "r")])
        }
        #expect(throws: (any Error).self) {
            _ = try Rulebook.with(overrides: [try ConfigValue.parseTOML("[[revisions]]\neffective_from = \"2023-03-06 00:00:00\"\nexemption.min_on_time_rate = 2\n", file: "r")])
        }
    }
}
