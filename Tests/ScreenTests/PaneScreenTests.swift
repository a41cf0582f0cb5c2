import Foundation
import Testing
import ShopdeckModel
import ShopdeckRules
@testable import ShopdeckApp
@testable import ShopdeckScreen

/// Each pane on the dashboard and its drill-down, rendered from the demo shop.
@Suite("Pane screens")
struct PaneScreenTests {
    func state() -> AppState { DashboardScreenTests().state() }

    func open(_ p: PaneID, select id: String? = nil) -> (AppState, String) {
        var s = state()
        s.focus = p
        _ = Update.key(&s, .enter)
        if let id {
            let model = TableModel.build(p, s.report)
            let order = model.order(s.table(p))
            if let i = order.firstIndex(where: { model.ids[$0] == id }) { for _ in 0..<i { _ = Update.key(&s, .down) } }
        }
        return (s, View.render(s, width: 120, height: 40).text())
    }

    @Test func afterSalesPaneAndTable() {
        let s = state()
        let r = s.report
        let dash = View.render(s, width: 120, height: 40).text()
        #expect(dash.contains("open \(r.aftersales.open.count) · breached \(r.aftersales.open.filter(\.breached).count)"))
        let (_, table) = open(.aftersales, select: "RF800002")
        #expect(table.contains("After-sales stages"))
        #expect(table.contains("RF800002") && table.contains("商家处理 handling") && !table.contains("merchant_handling"))
        #expect(table.contains("limit 48 h (standard limit)"))
        let model = TableModel.build(.aftersales, s.report)
        #expect(model.rows.contains { $0[6] == "exchange: no deadline" })
    }

    @Test func couponTableExplainsApplicableGoods() {
        let (_, t) = open(.coupons, select: "DQ1004")
        #expect(t.contains("Timed coupons"))
        #expect(t.contains("面额不低于门槛") && !t.contains("face_not_below_threshold"))
        #expect(t.contains("not applicable: ") && t.contains("commission below face value"))
        let dash = View.render(state(), width: 120, height: 40).text()
        #expect(dash.contains("晚八点专场 DQ1001"))
        #expect(dash.contains("iOS ≥ 9.7.10"))
    }

    @Test func reportsCopyAndTrustTable() {
        let (_, t) = open(.more, select: "680000000104")
        #expect(t.contains("Reports, copy, trust"))
        #expect(t.contains("U50005") && t.contains("全平台永久") && !t.contains("permanent_platform"))
        #expect(t.contains("全网【第一】 【顶级】补水面膜10片"))
        #expect(t.contains("信任购"))
    }

    @Test func shippingAndExemptionTables() {
        let (_, ship) = open(.shipping, select: "2300000000000000004")
        #expect(ship.contains("Orders to act on"))
        #expect(ship.contains("2300000000000000004"))
        #expect(ship.contains("late"))
        let (_, ex) = open(.exemption)
        #expect(ex.contains("Weekly figures"))
        #expect(ex.contains("2026-11-16"))
        let dash = View.render(state(), width: 120, height: 40).text()
        #expect(dash.contains("waives only the 超时未发货 penalty; score and"))
    }

    @Test func appealsPane() {
        let s = state()
        let dash = View.render(s, width: 120, height: 40).text()
        let points = s.report.points.filter { $0.year == 2026 }.reduce(0) { $0 + $1.points }
        #expect(dash.contains("points 2026: \(points)"))
        let (_, t) = open(.appeals, select: "WG2023005")
        #expect(t.contains("冻结货款 (unrecognised)"))
    }
}

extension PaneScreenTests {
    /// Issue 14: no internal code (a snake_case word) on the dashboard or any table, at 80x24
    /// and 120x40, with every row selected in turn for the detail pane.
    @Test func noInternalCodeOnAnyScreen() throws {
        let code = try Regex("[a-z]+_[a-z_]+")
        var s = state()
        for (w, h) in [(80, 24), (120, 40)] {
            let dash = View.render(s, width: w, height: h).text()
            #expect(dash.firstMatch(of: code) == nil, "dashboard \(w)x\(h): \(String(dash.firstMatch(of: code).map { dash[$0.range] } ?? ""))")
            for p in PaneID.allCases {
                s.screen = .table(p)
                let model = TableModel.build(p, s.report)
                for row in 0..<max(1, model.rows.count) {
                    var t = s.table(p); t.selected = row; s.tables[p] = t
                    let screen = View.render(s, width: w, height: h).text()
                    if let m = screen.firstMatch(of: code) {
                        Issue.record("\(p) row \(row) \(w)x\(h): \(screen[m.range])")
                        break
                    }
                }
                s.screen = .dashboard
            }
        }
    }
}

extension PaneScreenTests {
    /// Row N/M and the sort mark in the header; the Chinese table's title and columns.
    @Test func tableHeaderSaysRowAndSort() {
        var s = state()
        _ = Update.key(&s, .char("a"))
        _ = Update.key(&s, .down)
        _ = Update.key(&s, .char("s"))
        let model = TableModel.build(.appeals, s.report)
        // The selection followed its row through the sort.
        let row = s.table(.appeals).selected + 1
        #expect(model.ids[model.order(s.table(.appeals))[row - 1]] == s.table(.appeals).selectedId)
        let en = View.render(s, width: 120, height: 40).text()
        #expect(en.contains("Violations · 违规记录 · \(model.rows.count)/\(model.rows.count) · sort violation ↑ · row \(row)/\(model.rows.count)"))
        #expect(en.contains("violation↑"))
        s.lang = .zh
        s.status = nil
        let zh = View.render(s, width: 120, height: 40).text()
        #expect(zh.contains("违规记录 · \(model.rows.count)/\(model.rows.count) · 排序 违规编号 ↑ · 第 \(row)/\(model.rows.count) 行"))
        #expect(zh.contains("违规编号↑") && zh.contains("违规类型") && !zh.contains("violation"))
    }
}
