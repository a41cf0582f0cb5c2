import Testing
import ShopdeckModel
@testable import ShopdeckRules

@Suite("High spot-goods exemption (rules.md §2)")
struct ExemptionTests {
    /// Week 2023-02-27 (Mon) .. 03-05: `paid` orders paid Monday 10:00, the first `spot` with a
    /// 24 h promise, the rest 72 h; `late` of them shipped late, the rest on time. All due in the week.
    func week(paid: Int, spot: Int, late: Int) -> String {
        var o = Orders()
        for i in 0..<paid {
            let hours = i < spot ? 24 : 72
            let deadline = t("2023-02-27 10:00:00") + Int64(hours) * 3600
            let ship = i < late ? deadline + 60 : deadline - 60
            o.add(String(format: "P%05d", i), paid: "2023-02-27 10:00:00", hours: hours, status: "已发货", shipped: CST.format(ship))
        }
        return o.text
    }

    let violations = """
    violation_id,notified_at,rule,status,points
    V2,2023-03-06 09:00:00,超时未发货,待处理,2
    V1,2023-03-06 09:00:00, 超时未发货 ,待处理,2
    V0,2023-03-05 23:59:59,超时未发货,待处理,2
    V3,2023-03-06 08:00:00,虚假发货,待处理,2
    """

    @Test func eligibleAtTheExactEdges() throws {
        // 3001 paid (> 3000), 2101 spot (2101/3001 > 0.70), 90 late (2911/3001 = 0.97001 >= 0.97)
        let r = try run(["orders.csv": week(paid: 3001, spot: 2101, late: 90), "violations.csv": violations], asOf: "2023-03-06 10:00:00")
        let e = r.exemption
        #expect(CST.formatDate(e.currentWeek) == "2023-03-06" && CST.formatDate(e.evaluatedWeek) == "2023-02-27")
        #expect(e.inForce && e.eligible && e.failed.isEmpty)
        #expect(e.paidOrders == 3001)
        // The earliest 超时未发货 of the current week takes the token; ties to the lower id; V0 is last week.
        #expect(e.tokenUsedBy == "V1")
        #expect(r.violations.filter(\.exemptionApplicable).map(\.violationId) == ["V1"])
    }

    /// report-json.md `exemption.forecast`: the current week at the pace so far.
    @Test func forecastAtTheCurrentPace() throws {
        var o = Orders()
        // Week of 2023-03-06; T = Wednesday 12:00 (60 h of 168: factor 2.8). 100 paid, all
        // spot; 50 of them due by T, 1 of those late.
        for i in 0..<100 {
            let due = i < 50
            let paid = due ? "2023-03-06 00:00:00" : "2023-03-08 11:00:00"
            let deadline = t(paid) + 24 * 3600
            o.add(String(format: "F%03d", i), paid: paid, hours: 24, status: due ? "已发货" : "待发货",
                  shipped: due ? CST.format(i == 0 ? deadline + 60 : deadline - 60) : "")
        }
        let r = try run(["orders.csv": o.text], asOf: "2023-03-08 12:00:00")
        let f = r.exemption.forecast
        #expect(f.paidOrders == 280)
        #expect(f.spotShare == 1.0 && f.onTimeRate == 0.98)
        #expect(f.paidOrdersNeeded == 2721)
        // 140 projected due, 137.2 on time; 0.97 × 140 = 135.8: one more may ship late.
        #expect(f.lateOrdersToSpare == 1)
        #expect(f.eligible == false)
        let json = r.json().serialized()
        #expect(json.contains("\"forecast\":{\"paid_orders\":280,\"spot_share\":1.0,\"on_time_rate\":0.98,\"eligible\":false,\"late_orders_to_spare\":1,\"paid_orders_needed\":2721}"))
        // No paid order yet this week: no pace, every field null.
        let quiet = try run(["orders.csv": o.text], asOf: "2023-03-13 00:00:01")
        #expect(quiet.exemption.forecast == ExemptionReport.Forecast())
        #expect(quiet.json().serialized().contains("\"forecast\":{\"paid_orders\":null,\"spot_share\":null,\"on_time_rate\":null,\"eligible\":null,\"late_orders_to_spare\":null,\"paid_orders_needed\":null}"))
    }

    @Test func paidOrdersMustBeStrictlyMore() throws {
        let e = try run(["orders.csv": week(paid: 3000, spot: 2900, late: 0)], asOf: "2023-03-06 10:00:00").exemption
        #expect(e.failed == ["paid_orders"] && !e.eligible)
        #expect(e.margins.paidOrdersNeeded == 1)
    }

    @Test func shareOfExactlySeventyPercentFails() throws {
        // 2100/3000 == 0.70 is not > 0.70. Use 3010 paid and 2107 spot: exactly 0.70.
        let e = try run(["orders.csv": week(paid: 3010, spot: 2107, late: 0)], asOf: "2023-03-06 10:00:00").exemption
        #expect(e.spotShare == 0.7)
        #expect(e.failed == ["spot_share"])
        #expect(e.margins.spotOrdersNeeded == 1)
    }

    @Test func onTimeRateOfExactly97PercentPasses() throws {
        // 3100 paid, 2200 spot, 93 late: 3007/3100 == 0.97 exactly.
        let e = try run(["orders.csv": week(paid: 3100, spot: 2200, late: 93)], asOf: "2023-03-06 10:00:00").exemption
        #expect(e.onTimeRate == 0.97)
        #expect(e.eligible)
        let f = try run(["orders.csv": week(paid: 3100, spot: 2200, late: 94)], asOf: "2023-03-06 10:00:00").exemption
        #expect(f.failed == ["on_time_rate"])
        #expect(f.margins.onTimeOrdersNeeded == 1)
    }

    @Test func notInForceBeforeTheEffectiveWeek() throws {
        // The same figures one week earlier: current week 2023-02-13 is before 2023-02-20.
        var o = Orders()
        o.add("A", paid: "2023-02-01 10:00:00", hours: 24) // not in the evaluated week 2023-02-06
        let e = try run(["orders.csv": o.text], asOf: "2023-02-15 10:00:00").exemption
        #expect(!e.inForce && !e.eligible)
        #expect(e.failed == ["paid_orders", "spot_share", "on_time_rate"])
        #expect(e.tokenUsedBy == nil)
    }

    @Test func thresholdsAreRulebookData() throws {
        let r = try run(["orders.csv": week(paid: 20, spot: 20, late: 0)], asOf: "2023-03-06 10:00:00",
                        rules: "[exemption]\nmin_paid_orders = 10\n")
        #expect(r.exemption.eligible)
    }
}
