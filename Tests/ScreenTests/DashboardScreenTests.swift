import Foundation
import TestScratch
import Testing
import ShopdeckModel
import ShopdeckRules
@testable import ShopdeckApp
@testable import ShopdeckScreen

/// Whole screens rendered from a fixed demo shop, compared as text.
@Suite("Rendered screens")
struct DashboardScreenTests {
    static let anchor = CST.instant(year: 2026, month: 11, day: 24, hour: 16)
    static let setup: (report: Report, name: String?, reasons: [String]) = {
        let dir = Scratch.folder("screen")
        try! DemoShop(seed: 7, anchor: anchor, ordersPerWeek: 400).write(to: dir)
        let ws = try! Workspace.open(folder: dir)
        return (ws.report(asOf: anchor), ws.config.name, ws.rulebook.appealReasons)
    }()

    func state() -> AppState {
        var s = AppState(report: Self.setup.report, folder: "/data/shop", now: Self.anchor, fixedAsOf: Self.anchor)
        s.shopName = Self.setup.name
        s.appealReasons = Self.setup.reasons
        s.operatorName = "运营-小王"
        s.lastReload = Self.anchor
        return s
    }

    /// Live at the anchor: the appeal form files only live.
    func liveState() -> AppState {
        var s = state()
        s.fixedAsOf = nil
        return s
    }

    /// `a` (violations table), down to the first appealable violation, `a` (its form).
    func openFormOnFirstAppealable(_ s: inout AppState) {
        _ = Update.key(&s, .char("a"))
        let model = TableModel.build(.appeals, s.report)
        let order = model.order(s.table(.appeals))
        let report = s.report
        let first = order.firstIndex { idx in report.violations.first { $0.violationId == model.ids[idx] }!.appealable }!
        for _ in 0..<first { _ = Update.key(&s, .down) }
        _ = Update.key(&s, .char("a"))
    }

    func render(_ s: AppState, _ w: Int = 80, _ h: Int = 24) -> [String] { View.render(s, width: w, height: h).trimmedLines() }

    @Test func dashboardAt80x24ShowsEveryPane() {
        let lines = render(state())
        #expect(lines.count == 24)
        #expect(lines[0].hasPrefix(" shopdeck · 义乌小橙家居旗舰店（演示） · as of 2026-11-24 16:00:00 CST (replay)"))
        let text = lines.joined(separator: "\n")
        for title in ["发货 Shipping", "现货·豁免 Spot goods", "违规申诉 Appeals", "定时优惠 Coupons", "售后 After-sales", "举报·文案·信任购"] {
            #expect(text.contains(title), "\(title)")
        }
        #expect(text.contains("及时发货率"))
        #expect(text.contains("承诺现货占比"))
        #expect(lines[23].contains("q quit"))
        // Every row is exactly 80 columns wide: CJK lines up.
        for l in View.render(state(), width: 80, height: 24).text().split(separator: "\n") { #expect(DisplayWidth.of(String(l)) == 80) }
    }

    @Test func figuresComeFromTheReport() {
        let s = state()
        let text = render(s).joined(separator: "\n")
        let w = s.report.shipping.weeks
        #expect(text.contains("this wk \(Format.pct(w.last?.onTimeRate))"))
        #expect(text.contains("late \(s.report.shipping.lateUnshipped.count)"))
        #expect(text.contains("appealable \(s.report.violations.filter(\.appealable).count)"))
    }

    @Test func tooSmallSaysSo() {
        let lines = render(state(), 60, 20)
        #expect(lines.joined().contains("at least 80x24"))
        #expect(lines.joined().contains("this one is 60x20"))
    }

    @Test func keysMoveFocusOpenTablesAndHelp() {
        var s = state()
        _ = Update.key(&s, .tab)
        #expect(s.focus == .exemption)
        _ = Update.key(&s, .backTab)
        _ = Update.key(&s, .enter)
        #expect(s.screen == .table(.shipping))
        let text = render(s).joined(separator: "\n")
        #expect(text.contains("Orders to act on"))
        #expect(text.contains("late"))
        _ = Update.key(&s, .char("?"))
        #expect(render(s).joined(separator: "\n").contains("sort by the next column"))
        _ = Update.key(&s, .escape)
        _ = Update.key(&s, .escape)
        #expect(s.screen == .dashboard)
        #expect(Update.key(&s, .char("q")) == [.quit])
    }

    @Test func filterAndSortTheViolations() {
        var s = state()
        _ = Update.key(&s, .char("a"))
        #expect(s.screen == .table(.appeals))
        for c in "超时" { _ = Update.key(&s, .char(c)) } // not a filter yet: keys, not text
        _ = Update.key(&s, .char("/"))
        for c in "超时未发货" { _ = Update.key(&s, .char(c)) }
        _ = Update.key(&s, .enter)
        let model = TableModel.build(.appeals, s.report)
        let order = model.order(s.table(.appeals))
        #expect(order.allSatisfy { model.rows[$0][1] == "超时未发货" } && !order.isEmpty)
        _ = Update.key(&s, .char("s"))
        #expect(s.table(.appeals).sortColumn == 0)
    }

    @Test func appealFormValidatesAndFiles() {
        var s = liveState()
        openFormOnFirstAppealable(&s)
        guard case .appeal(let f0)? = s.overlay else { Issue.record("form did not open"); return }
        #expect(f0.operatorName == "运营-小王")
        // Submit with no statement: the field says why.
        for _ in 0..<4 { _ = Update.key(&s, .tab) }
        _ = Update.key(&s, .enter)
        guard case .appeal(let f1)? = s.overlay else { Issue.record("form closed"); return }
        // Focus stays on Submit; the message sits under the statement.
        #expect(f1.field == .submit && f1.errors == [.statement: "a statement is required (申诉说明)"])
        #expect(render(s).contains { $0.contains("a statement is required (申诉说明)") })
        for _ in 0..<3 { _ = Update.key(&s, .backTab) }
        for c in "已按时发货，物流揽收延迟" { _ = Update.key(&s, .char(c)) }
        for _ in 0..<3 { _ = Update.key(&s, .tab) }
        _ = Update.key(&s, .enter)
        guard case .appeal(let f2)? = s.overlay, f2.confirming else { Issue.record("no confirmation"); return }
        #expect(render(s, 100, 30).joined(separator: "\n").contains("write this appeal?"))
        let effects = Update.key(&s, .char("y"))
        guard case .fileAppeal(let e)? = effects.first else { Issue.record("no appeal written"); return }
        #expect(e.statement == "已按时发货，物流揽收延迟" && e.attempt == f0.attempt && e.reason == s.appealReasons[0])
    }

    /// Fills the open form's statement and confirms it; returns the effects of `y`.
    func submit(_ s: inout AppState, _ statement: String) -> [Effect] {
        _ = Update.key(&s, .tab)
        for c in statement { _ = Update.key(&s, .char(c)) }
        for _ in 0..<3 { _ = Update.key(&s, .tab) }
        _ = Update.key(&s, .enter)
        return Update.key(&s, .char("y"))
    }

    @Test func aFailedFilingKeepsTheFormAndEveryCharacter() {
        var s = liveState()
        openFormOnFirstAppealable(&s)
        let effects = submit(&s, "说明：货已按时发出")
        guard case .fileAppeal(let e)? = effects.first, case .appeal(let waiting)? = s.overlay else { Issue.record("not sent"); return }
        #expect(waiting.filing)
        #expect(Update.key(&s, .char("x")).isEmpty)             // keys wait while filing
        Update.appealFiled(&s, e, failure: "attempt 1 of violation \(e.violationId) is already filed (by 小李 at 2026-11-24 15:59:00); nothing was written")
        guard case .appeal(let f)? = s.overlay else { Issue.record("the form closed"); return }
        #expect(f.statement == "说明：货已按时发出" && !f.filing)
        #expect(f.failure == "attempt 1 of violation \(e.violationId) is already filed (by 小李 at 2026-11-24 15:59:00); nothing was written — your text is kept; fix the cause and submit again, or copy it")
        #expect(render(s, 120, 40).joined(separator: "\n").contains("not filed: attempt 1"))
        // Filing again succeeds and closes the form.
        let again = Update.key(&s, .enter)
        #expect(again.isEmpty)                                   // Enter on submit asks to confirm
        guard case .fileAppeal(let e2)? = Update.key(&s, .char("y")).first else { Issue.record("not sent again"); return }
        Update.appealFiled(&s, e2, failure: nil)
        #expect(s.overlay == nil && s.status == "appeal filed: \(e2.violationId) attempt \(e2.attempt) (申诉中, locally filed)")
    }

    @Test func ctrlCAsksWhileTheFormHoldsText() {
        var s = liveState()
        openFormOnFirstAppealable(&s)
        _ = Update.key(&s, .tab)
        _ = Update.key(&s, .char("字"))
        #expect(Update.key(&s, .interrupt).isEmpty)
        guard case .confirmQuit(let f)? = s.overlay else { Issue.record("did not ask"); return }
        #expect(f.statement == "字")
        #expect(Update.key(&s, .interrupt) == [.quit])           // a second Ctrl-C quits
        var empty = liveState()
        openFormOnFirstAppealable(&empty)
        #expect(Update.key(&empty, .interrupt) == [.quit])       // nothing typed: quits at once
    }

    @Test func aReplayOrAnUnreadableJournalNeverFiles() {
        var replay = state()
        openFormOnFirstAppealable(&replay)
        #expect(replay.overlay == nil)
        #expect(replay.status == "replay: appeals are filed only live (:asof now) · as of 2026-11-24 16:00:00")
        var broken = liveState()
        broken.journalError = "the journal cannot be read: file is not a database"
        openFormOnFirstAppealable(&broken)
        #expect(broken.overlay == nil)
        #expect(broken.status == "the journal cannot be read: file is not a database; appeals cannot be filed until it can be read")
        broken.screen = .dashboard; broken.status = nil
        let screen = render(broken, 120, 40)
        #expect(screen.joined(separator: "\n").contains("journal unreadable: the journal cannot be read"))
        #expect(screen.last?.hasPrefix(" the journal cannot be read: file is not a d… Tab pane") == true)
    }

    @Test func quitAsksOnlyWhenTheFormHoldsText() {
        var s = liveState()
        openFormOnFirstAppealable(&s)
        #expect(Update.key(&s, .char("q")) == [.quit])                 // empty form: quits
        _ = Update.key(&s, .tab)
        _ = Update.key(&s, .char("q"))                                 // typed into the statement
        guard case .appeal(let f)? = s.overlay else { Issue.record("form closed"); return }
        #expect(f.statement == "q")
        _ = Update.key(&s, .backTab)
        #expect(Update.key(&s, .char("q")).isEmpty)                    // asks first
        #expect(View.render(s, width: 100, height: 30).text().contains("quit? the appeal you typed is not saved"))
        _ = Update.key(&s, .char("n"))
        guard case .appeal(let back)? = s.overlay else { Issue.record("the form did not come back"); return }
        #expect(back.statement == "q")
        _ = Update.key(&s, .char("q"))
        #expect(Update.key(&s, .char("y")) == [.quit])
    }

    @Test func notAppealableSaysWhyAndReadOnlyRefuses() {
        var s = state()
        _ = Update.key(&s, .char("a"))
        let model = TableModel.build(.appeals, s.report)
        let order = model.order(s.table(.appeals))
        let final = order.firstIndex { model.ids[$0] == "WG2023005" }!
        for _ in 0..<final { _ = Update.key(&s, .down) }
        _ = Update.key(&s, .char("a"))
        #expect(s.overlay == nil)
        #expect(s.status?.contains("cannot be appealed") == true)
        var r = state()
        r.readOnlyReason = "--read-only"
        _ = Update.key(&r, .char("a"))
        _ = Update.key(&r, .char("a"))
        #expect(r.overlay == nil && r.status?.contains("read-only") == true)
        #expect(render(r).joined().contains("READ-ONLY"))
    }

    @Test func asciiGlyphsForANonUTF8Terminal() {
        let b = View.render(state(), width: 80, height: 24, theme: .standard, glyphs: .ascii)
        for u in b.text().unicodeScalars { #expect(u.isASCII) }
        #expect(b.line(1).hasPrefix("+-"))
    }

    @Test func commandLineJumpsAndSetsAsOf() {
        var s = state()
        _ = Update.key(&s, .char(":"))
        for c in "coup" { _ = Update.key(&s, .char(c)) }
        _ = Update.key(&s, .tab)
        _ = Update.key(&s, .enter)
        #expect(s.screen == .table(.coupons))
        _ = Update.key(&s, .char(":"))
        for c in "asof 2026-11-20 10:00:00" { _ = Update.key(&s, .char(c)) }
        #expect(Update.key(&s, .enter) == [.setAsOf(CST.instant(year: 2026, month: 11, day: 20, hour: 10))])
    }
}

extension DashboardScreenTests {
    /// `:warnings` lists every load error and warning with file:line:column, whole.
    @Test func warningsScreenListsEveryLoadProblem() {
        var s = state()
        var r = s.report
        r.load.errors = [LoadError(file: "orders.csv", line: 12, column: 3, reason: "paid_at: cannot read 'x' as a time")]
        r.load.warnings = [LoadError(file: "售后.csv", line: 4, column: 9, reason: "decision: unknown merchant decision '待定'; read as absent")]
        s.report = r
        _ = Update.key(&s, .char(":"))
        for c in "warnings" { _ = Update.key(&s, .char(c)) }
        _ = Update.key(&s, .enter)
        #expect(s.overlay == .warnings(from: 0))
        let screen = render(s, 120, 40).joined(separator: "\n")
        // The engine's column code gives way to the export's header (支付时间 for paid_at).
        #expect(screen.contains("error   orders.csv:12:3: 订单支付时间: cannot read 'x' as a time"))
        #expect(screen.contains("warning 售后.csv:4:9: 商家处理结果: unknown merchant decision '待定'; read as absent"))
        s.lang = .zh
        let zh = render(s, 120, 40)
        let first = zh.firstIndex { $0.contains("错误  orders.csv:12:3:") } ?? 0
        #expect(zh[first] == "│ │ 错误  orders.csv:12:3: 订单支付时间：无法把 'x' 读作时间（如 2025-03-06 15:43:00、2025/3/6 15:43、13 位毫秒时间  │ │")
        #expect(zh[first + 1] == "│ │ 戳；1970 至 2099 年）                                                                                            │ │")
        #expect(zh[first + 2] == "│ │ 提醒  售后.csv:4:9: 商家处理结果：未知的商家处理结果 '待定'；按缺失处理                                          │ │")
        _ = Update.key(&s, .escape)
        #expect(s.overlay == nil)
    }
}

extension DashboardScreenTests {
    /// The sparkline reads the stored history where the exports no longer reach.
    @Test func sparklineFillsFromHistory() {
        var r = Report(asOf: CST.instant(year: 2023, month: 3, day: 8, hour: 10), rulebook: "test")
        var w = ShippingWeek(weekStart: CST.instant(year: 2023, month: 3, day: 6))
        w.dueOrders = 10; w.onTimeOrders = 9
        r.shipping.weeks = [w]
        func week(_ d: String, _ due: Int, _ onTime: Int) -> History.Week {
            History.Week(weekStart: d, paidOrders: due, spotOrders: due, dueOrders: due, onTimeOrders: onTime, pickupChecked: 0,
                         pickupAnomalies: 0, refundOnlyCount: 0, refundOnlyAvgHours: nil, returnRefundCount: 0, returnRefundAvgHours: nil,
                         recordedAt: "2023-03-06 00:00:00")
        }
        let history = [week("2023-02-13", 100, 100), week("2023-02-20", 100, 95), week("2023-02-27", 100, 98)]
        let series = Panes.rateSeries(r, history: history)
        #expect(series?.rates == [1.0, 0.95, 0.98, 0.9])
        #expect(series.map { CST.formatDate($0.start) } == "2023-02-13")
        let lines = Panes.shipping(r, .unicode, history: history).map { $0.map(\.0).joined() }
        #expect(lines[1] == "4 wk from 02-13 █▄▇▁ 90.0%–100.0%")
        #expect(Panes.shipping(r, .unicode).map { $0.map(\.0).joined() }[1] == "1 wk from 03-06 ▅ 90.0%–90.0%")
    }
}

extension DashboardScreenTests {
    /// terminal-ui.md, Language: --lang, then [ui] lang, then the locale, else English.
    @Test func languageIsChosenInOrder() {
        #expect(Lang.resolve(flag: "zh", config: "en", environment: ["LANG": "en_US.UTF-8"]) == .zh)
        #expect(Lang.resolve(flag: nil, config: "zh", environment: ["LANG": "C"]) == .zh)
        #expect(Lang.resolve(flag: nil, config: nil, environment: ["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Lang.resolve(flag: nil, config: nil, environment: ["LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Lang.resolve(flag: nil, config: nil, environment: [:]) == .en)
    }

    /// The Chinese dashboard: the panes' words in Chinese, no English phrase of the English UI.
    @Test func chineseDashboardSpeaksChinese() {
        var s = state()
        s.lang = .zh
        let screen = render(s, 120, 40).joined(separator: "\n")
        for zh in ["截至", "回放", "即将超时", "超时未发货", "可申诉", "处理中", "举报：", "Tab 切换"] { #expect(screen.contains(zh), "\(zh)") }
        for en in ["at risk", "late ", "appealable", "as of", "next in", "protected", "warnings ", "reports:", "handling", "clash"] {
            #expect(!screen.contains(en), "English in the Chinese UI: \(en)")
        }
    }
}
