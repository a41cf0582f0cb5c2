import Testing
import ShopdeckModel
@testable import ShopdeckRules

@Suite("After-sales (rules.md §3, §4)")
struct AftersalesTests {
    let orders = """
    order_id,paid_at,promised_ship_at,status,shipped_at,ship_to,official_event
    SHIPPED,2022-01-01 10:00:00,2022-01-02 10:00:00,已发货,2022-01-02 09:00:00,吉林省/长春市/朝阳区,
    UNSHIPPED,2022-01-01 10:00:00,2022-01-20 10:00:00,待发货,,北京,
    OFFICIAL,2022-01-01 10:00:00,2022-01-02 10:00:00,已发货,2022-01-02 09:00:00,北京,春节不打烊
    """
    let header = "refund_id,order_id,kind,applied_at,handled_at,return_agreed_at,return_shipped_at,return_received_at,completed_at,status,platform_intervened,merchant_dispute,return_address"

    func stages(_ rows: [String], asOf: String) throws -> [AftersalesStage] {
        try run(["orders.csv": orders, "aftersales.csv": ([header] + rows).joined(separator: "\n")], asOf: asOf).aftersales.open
    }

    @Test func preAndPostShipmentRefundOnlyHandling() throws {
        let s = try stages(["PRE,UNSHIPPED,仅退款,2022-01-10 10:00:00,,,,,,处理中,,,",
                            "POST,SHIPPED,仅退款,2022-01-10 10:00:00,,,,,,处理中,,,",
                            "RR,SHIPPED,退货退款,2022-01-10 10:00:00,,,,,,处理中,,,",
                            "EX,SHIPPED,换货,2022-01-10 10:00:00,,,,,,处理中,,,"], asOf: "2022-01-11 12:00:00")
        #expect(s.map(\.refundId) == ["PRE", "POST", "RR"])
        #expect(s[0].deadline == t("2022-01-11 10:00:00") && s[0].breached && s[0].hoursLeft == -2)
        #expect(s[1].deadline == t("2022-01-12 10:00:00") && !s[1].breached)
        #expect(s.allSatisfy { !$0.holidayAdjusted })
    }

    /// One second before, at, and after each end of the 2022 Spring Festival window.
    @Test(arguments: [("2022-01-24 23:59:59", false), ("2022-01-25 00:00:00", true), ("2022-02-08 23:59:59", true), ("2022-02-09 00:00:00", false)])
    func springFestivalWindowEdges(_ applied: String, _ holiday: Bool) throws {
        let T = CST.format(t(applied) + 3600)
        let s = try stages(["PRE,UNSHIPPED,仅退款,\(applied),,,,,,处理中,,,",
                            "POST,SHIPPED,退货退款,\(applied),,,,,,处理中,,,",
                            "BUY,SHIPPED,退货退款,2022-01-01 00:00:00,2022-01-01 01:00:00,\(applied),,,,处理中,,,",
                            "AUTO,SHIPPED,退货退款,2022-01-01 00:00:00,2022-01-01 01:00:00,2022-01-01 02:00:00,\(applied),,,处理中,,,"], asOf: T)
        let by = Dictionary(uniqueKeysWithValues: s.map { ($0.refundId + "/" + $0.stage, $0) })
        let start = t(applied)
        #expect(by["PRE/merchant_handling"]!.deadline == start + (holiday ? 48 : 24) * 3600)
        #expect(by["POST/merchant_handling"]!.deadline == start + (holiday ? 120 : 48) * 3600)
        #expect(by["BUY/buyer_return"]!.deadline == start + (holiday ? 15 : 10) * 86_400)
        #expect(by["AUTO/auto_receipt"]!.deadline == start + (holiday ? 15 : 7) * 86_400)
        #expect(s.allSatisfy { $0.holidayAdjusted == holiday || $0.stage == "merchant_handling" && ($0.refundId == "BUY" || $0.refundId == "AUTO") })
    }

    @Test func stagesCloseOnTheirEndingEventAsOfT() throws {
        let rows = ["A,SHIPPED,退货退款,2022-03-01 10:00:00,2022-03-01 12:00:00,2022-03-01 12:00:00,2022-03-03 10:00:00,,,处理中,,,",
                    "DONE,SHIPPED,仅退款,2022-03-01 10:00:00,,,,,2022-03-01 11:00:00,退款成功,,,",
                    "CLOSED,SHIPPED,仅退款,2022-03-01 10:00:00,,,,,,已关闭,,,"]
        // Before the return ships: buyer stage open; after: auto-receipt open; completion in the future counts as open.
        #expect(try stages(rows, asOf: "2022-03-02 10:00:00").map { $0.refundId + "/" + $0.stage } == ["A/buyer_return"])
        #expect(try stages(rows, asOf: "2022-03-04 10:00:00").map { $0.refundId + "/" + $0.stage } == ["A/auto_receipt"])
        #expect(try stages(rows, asOf: "2022-03-01 10:30:00").map { $0.refundId + "/" + $0.stage } == ["A/merchant_handling", "DONE/merchant_handling"])
    }

    @Test func weeklyFiguresWithExclusions() throws {
        let adj = "area,scope,start,end,published_at\n吉林省/长春市,售后,2022-03-01 00:00:00,2022-03-10 23:59:59,2022-02-28 00:00:00\n"
        let rows = [
            // week of completed_at 2022-02-07: holiday exclusion except the official-campaign order
            "H1,SHIPPED,仅退款,2022-02-07 10:00:00,,,,,2022-02-07 20:00:00,退款成功,,,",
            "H2,OFFICIAL,仅退款,2022-02-07 10:00:00,,,,,2022-02-07 14:00:00,退款成功,,,",
            // week 2022-03-07: epidemic exclusion by ship_to (order in 长春) and by return_address
            "E1,SHIPPED,退货退款,2022-03-07 10:00:00,,,,,2022-03-08 10:00:00,退款成功,,是,",
            "E2,UNSHIPPED,退货退款,2022-03-07 10:00:00,,,,,2022-03-09 10:00:00,退款成功,,,吉林省长春市朝阳区",
            "N1,UNSHIPPED,退货退款,2022-03-07 10:00:00,,,,,2022-03-07 22:00:00,退款成功,,,",
            "R1,SHIPPED,仅退款,2022-03-07 10:00:00,,,,,2022-03-07 16:00:00,退款成功,,,",        // refund-only: no epidemic exclusion
            "I1,SHIPPED,仅退款,2022-03-07 10:00:00,,,,,2022-03-07 11:00:00,退款成功,是,是,",     // intervened: neither
            "X1,SHIPPED,换货,2022-03-07 10:00:00,,,,,2022-03-07 11:00:00,已完结,,,",
        ]
        let r = try run(["orders.csv": orders, "aftersales.csv": ([header] + rows).joined(separator: "\n"), "adjustments.csv": adj],
                        asOf: "2022-03-20 00:00:00")
        let w1 = r.aftersales.weeks.first { CST.formatDate($0.weekStart) == "2022-02-07" }!
        #expect(w1.refundOnlyCount == 1 && w1.refundOnlyAvgHours == 4 && w1.excluded == 1)
        let w2 = r.aftersales.weeks.first { CST.formatDate($0.weekStart) == "2022-03-07" }!
        #expect(w2.returnRefundCount == 1 && w2.returnRefundAvgHours == 12)
        #expect(w2.refundOnlyCount == 1 && w2.refundOnlyAvgHours == 6)
        #expect(w2.excluded == 2)
        #expect(w2.refundsApplied == 6 && w2.disputes == 2 && w2.disputeRate == 2.0 / 6.0)
    }

    /// The rows the after-sales table lists: every refund judged otherwise than normally, by
    /// application time then id, with its note; a normally judged one is not listed.
    @Test func rowsListTheRefundsNotJudgedNormally() throws {
        let rows = [
            "X1,SHIPPED,换货,2022-03-07 10:00:00,,,,,,处理中,,,",
            "H2,OFFICIAL,仅退款,2022-02-07 10:00:00,,,,,2022-02-07 14:00:00,退款成功,,,",
            "N1,UNSHIPPED,退货退款,2022-03-07 10:00:00,,,,,2022-03-07 22:00:00,退款成功,,,",
            "H1,SHIPPED,仅退款,2022-02-07 10:00:00,,,,,2022-02-07 20:00:00,退款成功,,,",
            "I1,SHIPPED,仅退款,2022-03-07 10:00:00,,,,,2022-03-07 11:00:00,退款成功,是,,",
            "OPEN,SHIPPED,仅退款,2022-03-08 10:00:00,,,,,,处理中,,,",
            "C1,SHIPPED,仅退款,2022-03-08 10:00:00,,,,,,已关闭,,,",
        ]
        let r = try run(["orders.csv": orders, "aftersales.csv": ([header] + rows).joined(separator: "\n")], asOf: "2022-03-20 00:00:00")
        #expect(r.aftersales.rows == [
            AftersalesRow(refundId: "H1", orderId: "SHIPPED", kind: .refundOnly, appliedAt: t("2022-02-07 10:00:00"), state: "completed",
                          note: "excluded: applied in 春节 2022"),
            AftersalesRow(refundId: "H2", orderId: "OFFICIAL", kind: .refundOnly, appliedAt: t("2022-02-07 10:00:00"), state: "completed",
                          note: "official campaign: assessed as usual"),
            AftersalesRow(refundId: "I1", orderId: "SHIPPED", kind: .refundOnly, appliedAt: t("2022-03-07 10:00:00"), state: "completed",
                          note: "intervened: not averaged"),
            AftersalesRow(refundId: "X1", orderId: "SHIPPED", kind: .exchange, appliedAt: t("2022-03-07 10:00:00"), state: "open",
                          note: "exchange: no deadline"),
        ])
    }

    /// Weeks met out of order (a refund in a week seen before, but not just before; a
    /// completion in a week no application falls in) each gather their own refunds, come out
    /// in week order, and a recently published after-sales adjustment marks the weeks its
    /// window touches as awaiting the platform's refresh (rules.md §4).
    @Test func weeksMetOutOfOrder() throws {
        let rows = [
            "A,SHIPPED,仅退款,2022-03-14 10:00:00,,,,,2022-03-22 10:00:00,退款成功,,,",
            "B,SHIPPED,仅退款,2022-02-28 10:00:00,,,,,2022-02-28 12:00:00,退款成功,,是,",
            "C,SHIPPED,仅退款,2022-03-15 10:00:00,,,,,2022-03-15 13:00:00,退款成功,,,",
            "D,SHIPPED,仅退款,2022-02-28 11:00:00,,,,,,处理中,,,",
            "E,SHIPPED,仅退款,2022-02-21 10:00:00,,,,,,处理中,,,",   // a week before the window
            // Intervened, completed in a week nothing else falls in: not averaged, so that
            // week gets no row (only a week with a figure is listed).
            "I,SHIPPED,仅退款,2022-02-21 11:00:00,,,,,2022-03-08 10:00:00,退款成功,是,,",
        ]
        let adj = "area,scope,start,end,published_at\n北京,售后,2022-03-01 00:00:00,2022-03-02 23:59:59,2022-03-24 00:00:00\n"
        let r = try run(["orders.csv": orders, "aftersales.csv": ([header] + rows).joined(separator: "\n"), "adjustments.csv": adj],
                        asOf: "2022-03-25 00:00:00")
        let weeks = r.aftersales.weeks.map { w in
            "\(CST.formatDate(w.weekStart)) applied \(w.refundsApplied) disputes \(w.disputes) refund-only \(w.refundOnlyCount)/\(w.refundOnlyAvgHours ?? -1) pending \(w.pendingPlatformRefresh)"
        }
        #expect(weeks == ["2022-02-21 applied 2 disputes 0 refund-only 0/-1.0 pending false",
                          "2022-02-28 applied 2 disputes 1 refund-only 1/2.0 pending true",
                          "2022-03-14 applied 2 disputes 0 refund-only 1/3.0 pending false",
                          "2022-03-21 applied 0 disputes 0 refund-only 1/192.0 pending false"])
        #expect(r.aftersales.rows.map(\.refundId) == ["I"])   // the only one not judged normally
    }
}
