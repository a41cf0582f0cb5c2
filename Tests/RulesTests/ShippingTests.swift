import Testing
import ShopdeckModel
@testable import ShopdeckRules

@Suite("Shipping rules (rules.md §1, §4)")
struct ShippingTests {
    @Test func weekBoundariesAreExactToTheSecond() throws {
        var o = Orders()
        o.add("A", paid: "2023-03-05 23:59:59", hours: 24, status: "已发货", shipped: "2023-03-06 10:00:00") // Sunday: week 02-27
        o.add("B", paid: "2023-03-06 00:00:00", hours: 24, status: "已发货", shipped: "2023-03-06 10:00:00") // Monday: week 03-06
        o.add("C", paid: "2023-03-04 23:59:59", hours: 24, status: "已发货", shipped: "2023-03-05 23:59:59") // deadline Sun 23:59:59, on time exactly
        let r = try run(["orders.csv": o.text], asOf: "2023-03-08 12:00:00")
        #expect(r.shipping.weeks.map { CST.formatDate($0.weekStart) } == ["2023-02-27", "2023-03-06"])
        #expect(r.weekJSON("2023-02-27") == #"{"week_start":"2023-02-27","paid_orders":2,"spot_orders":2,"spot_share":1.0,"due_orders":1,"on_time_orders":1,"on_time_rate":1.0,"excluded_orders":0,"pickup_checked":0,"pickup_anomalies":0,"pickup_anomaly_rate":null,"pending_platform_refresh":false}"#)
        #expect(r.weekJSON("2023-03-06") == #"{"week_start":"2023-03-06","paid_orders":1,"spot_orders":1,"spot_share":1.0,"due_orders":2,"on_time_orders":2,"on_time_rate":1.0,"excluded_orders":0,"pickup_checked":0,"pickup_anomalies":0,"pickup_anomaly_rate":null,"pending_platform_refresh":false}"#)
    }

    @Test func spotGoodsAndFlashSales() throws {
        var o = Orders()
        o.add("A", paid: "2023-03-06 10:00:00", hours: 24)
        o.add("B", paid: "2023-03-06 10:00:00", hours: 48)
        o.add("C", paid: "2023-03-06 10:00:00", hours: 24, flash: true)
        o.add("D", paid: "2023-03-06 10:00:00", hours: 72)
        let r = try run(["orders.csv": o.text], asOf: "2023-03-06 12:00:00")
        #expect(r.week("2023-03-06")?.paidOrders == 4)
        #expect(r.week("2023-03-06")?.spotOrders == 2)
        #expect(r.week("2023-03-06")?.spotShare == 0.5)
    }

    @Test func delayedDeadlineClosedOrdersAndLateLists() throws {
        var o = Orders()
        // Shipped after the promise but before the approved delay: on time, due in the delay's week.
        o.add("D1", paid: "2023-03-01 10:00:00", hours: 24, status: "已发货", shipped: "2023-03-03 10:00:00", delayed: "2023-03-06 10:00:00")
        // Closed before the deadline: not due.
        o.add("C1", paid: "2023-03-01 10:00:00", hours: 24, status: "已关闭", closed: "2023-03-01 12:00:00")
        // Status closed with no closed_at and no shipped_at: closed before due.
        o.add("C2", paid: "2023-03-01 10:00:00", hours: 24, status: "已关闭")
        // Closed after the deadline: due, not on time, not listed late.
        o.add("C3", paid: "2023-03-01 10:00:00", hours: 24, status: "已关闭", closed: "2023-03-03 10:00:00")
        // Unshipped past the deadline: late.
        o.add("L1", paid: "2023-03-01 10:00:00", hours: 24)
        let r = try run(["orders.csv": o.text], asOf: "2023-03-07 00:00:00")
        let w = r.week("2023-02-27")!
        #expect(w.dueOrders == 2)      // C3, L1
        #expect(w.onTimeOrders == 0)
        let w2 = r.week("2023-03-06")!
        #expect(w2.dueOrders == 1 && w2.onTimeOrders == 1) // D1
        #expect(r.shipping.lateUnshipped.map(\.orderId) == ["L1"])
    }

    @Test func closedExactlyAtTheDeadlineIsDue() throws {
        var o = Orders()
        o.add("X", paid: "2023-03-01 10:00:00", hours: 24, status: "已关闭", closed: "2023-03-02 10:00:00")
        o.add("Y", paid: "2023-03-01 10:00:00", hours: 24, status: "已关闭", closed: "2023-03-02 09:59:59")
        let r = try run(["orders.csv": o.text], asOf: "2023-03-03 00:00:00")
        #expect(r.week("2023-02-27")?.dueOrders == 1)
    }

    @Test func atRiskHorizonEdges() throws {
        var o = Orders()
        o.add("EXACT_T", paid: "2023-03-05 10:00:00", hours: 24)        // deadline == T: late, not at risk
        o.add("JUST_AFTER", paid: "2023-03-05 10:00:01", hours: 24)     // 1 s left
        o.add("AT_HORIZON", paid: "2023-03-05 22:00:00", hours: 24)     // T + 12 h exactly: at risk
        o.add("PAST_HORIZON", paid: "2023-03-05 22:00:01", hours: 24)   // T + 12 h + 1 s: not yet
        o.add("SHIPPED", paid: "2023-03-05 12:00:00", hours: 24, status: "已发货", shipped: "2023-03-06 09:00:00")
        let r = try run(["orders.csv": o.text], asOf: "2023-03-06 10:00:00")
        #expect(r.shipping.atRisk.map(\.orderId) == ["JUST_AFTER", "AT_HORIZON"])
        #expect(r.shipping.atRisk.first?.hoursLeft == 1.0 / 3600)
        #expect(r.shipping.lateUnshipped.map(\.orderId) == ["EXACT_T"])
    }

    @Test func asOfReplayIgnoresTheFuture() throws {
        var o = Orders()
        o.add("A", paid: "2023-03-01 10:00:00", hours: 24, status: "已签收", shipped: "2023-03-02 09:00:00")
        o.add("B", paid: "2023-03-02 11:00:00", hours: 24, status: "已发货", shipped: "2023-03-02 12:00:00")
        let early = try run(["orders.csv": o.text], asOf: "2023-03-02 08:00:00")
        #expect(early.week("2023-02-27")?.paidOrders == 1)  // B not paid yet
        #expect(early.week("2023-02-27")?.dueOrders == 0)
        #expect(early.shipping.atRisk.map(\.orderId) == ["A"]) // shipped 09:00 is after T: unshipped as of T
        let later = try run(["orders.csv": o.text], asOf: "2023-03-02 10:00:00")
        #expect(later.week("2023-02-27")?.onTimeOrders == 1)
    }

    @Test func pickupAnomalies() throws {
        let text = """
        order_id,paid_at,promise_hours,promised_ship_at,status,shipped_at,picked_up_at
        OK,2023-03-06 00:00:00,24,2023-03-07 00:00:00,已发货,2023-03-06 10:00:00,2023-03-06 20:00:00
        SLOW,2023-03-06 00:00:00,24,2023-03-07 00:00:00,已发货,2023-03-06 10:00:00,2023-03-07 10:00:01
        NONE,2023-03-06 00:00:00,24,2023-03-07 00:00:00,已发货,2023-03-06 10:00:00,
        WAIT,2023-03-06 00:00:00,24,2023-03-07 00:00:00,已发货,2023-03-06 23:00:00,
        """
        let r = try run(["orders.csv": text], asOf: "2023-03-07 12:00:00")
        let w = r.week("2023-03-06")!
        // OK checked fine; SLOW picked up late; NONE past 24 h with no pickup; WAIT still within 24 h: not checked.
        #expect(w.pickupChecked == 3)
        #expect(w.pickupAnomalies == 2)
        // A file without a pickup column checks nothing.
        var o = Orders()
        o.add("X", paid: "2023-03-06 00:00:00", hours: 24, status: "已发货", shipped: "2023-03-06 10:00:00")
        #expect(try run(["orders.csv": o.text], asOf: "2023-03-09 00:00:00").week("2023-03-06")?.pickupChecked == 0)
    }

    @Test func logisticsAdjustmentsProtectAndExclude() throws {
        var o = Orders()
        o.add("TO", paid: "2023-03-06 10:00:00", hours: 24, to: "上海市/上海市/浦东新区")
        o.add("FROM", paid: "2023-03-06 10:00:00", hours: 24, from: "吉林省/长春市/朝阳区")
        o.add("OTHER", paid: "2023-03-06 10:00:00", hours: 24, to: "吉林省/吉林市/船营区")
        o.add("OUTSIDE", paid: "2023-03-08 10:00:00", hours: 24, to: "上海市/上海市/浦东新区") // promise after the window
        let adj = """
        area,scope,start,end,published_at
        上海,物流,2023-03-06 00:00:00,2023-03-07 23:59:59,2023-03-03 10:00:00
        吉林省/长春市,物流,2023-03-06 00:00:00,2023-03-07 23:59:59,2023-03-03 10:00:00
        """
        let r = try run(["orders.csv": o.text, "adjustments.csv": adj], asOf: "2023-03-10 12:00:00")
        #expect(r.shipping.protected.map(\.orderId) == ["FROM", "TO"])
        #expect(r.shipping.lateUnshipped.map(\.orderId) == ["OTHER", "OUTSIDE"])
        let w = r.week("2023-03-06")!
        #expect(w.dueOrders == 2 && w.excludedOrders == 2)
        // Not yet published as of T: not counted.
        let before = try run(["orders.csv": o.text, "adjustments.csv": adj], asOf: "2023-03-03 09:59:59")
        #expect(before.shipping.protected.isEmpty)
    }

    @Test func pendingPlatformRefreshCountsWorkingDays() throws {
        var o = Orders()
        o.add("A", paid: "2023-03-06 10:00:00", hours: 24)
        // Published Friday 10:00: three working days later is Wednesday 10:00.
        let adj = "area,scope,start,end,published_at\n上海,物流,2023-03-06 00:00:00,2023-03-07 23:59:59,2023-03-10 10:00:00\n"
        let pending = try run(["orders.csv": o.text, "adjustments.csv": adj], asOf: "2023-03-15 09:59:59")
        #expect(pending.week("2023-03-06")?.pendingPlatformRefresh == true)
        #expect(pending.week("2023-03-13")?.pendingPlatformRefresh == false)
        let done = try run(["orders.csv": o.text, "adjustments.csv": adj], asOf: "2023-03-15 10:00:00")
        #expect(done.week("2023-03-06")?.pendingPlatformRefresh == false)
    }

    @Test func delayReportNeeded() throws {
        var o = Orders()
        o.add("NEED", paid: "2023-03-06 10:00:00", hours: 48, from: "")
        o.add("REPORTED", paid: "2023-03-06 10:00:00", hours: 48, from: "", reported: true)
        o.add("APPROVED", paid: "2023-03-06 10:00:00", hours: 48, delayed: "2023-03-12 10:00:00", from: "")
        o.add("HAS_FROM", paid: "2023-03-06 10:00:00", hours: 48)
        o.add("SHIPPED", paid: "2023-03-06 10:00:00", hours: 48, status: "已发货", shipped: "2023-03-06 12:00:00", from: "")
        let adj = "area,scope,start,end,published_at\n浙江省/金华市,物流,2023-03-06 00:00:00,2023-03-10 23:59:59,2023-03-05 10:00:00\n"
        let config = "[shop]\ndefault_ship_from = \"浙江省/金华市/义乌市\"\n"
        let r = try run(["orders.csv": o.text, "adjustments.csv": adj], asOf: "2023-03-07 10:00:00", config: config)
        #expect(r.shipping.delayReportNeeded.map(\.orderId) == ["NEED"])
        // Without a configured ship-from nothing can be matched.
        #expect(try run(["orders.csv": o.text, "adjustments.csv": adj], asOf: "2023-03-07 10:00:00").shipping.delayReportNeeded.isEmpty)
    }

    @Test func riskHorizonComesFromShopConfig() throws {
        var o = Orders()
        o.add("A", paid: "2023-03-06 10:00:00", hours: 24)
        let r = try run(["orders.csv": o.text], asOf: "2023-03-06 12:00:00", config: "[shop]\nrisk_horizon_hours = 24\n")
        #expect(r.shipping.atRisk.map(\.orderId) == ["A"])
    }
}
