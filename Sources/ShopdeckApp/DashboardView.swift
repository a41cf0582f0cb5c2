import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// state -> a frame. Pure: rendered and tested without a terminal.
public enum View {
    public static func render(_ s: AppState, width: Int, height: Int, theme: Theme = .standard, glyphs: Glyphs = .unicode) -> CellBuffer {
        var c = Canvas(width: width, height: height, theme: theme, glyphs: glyphs)
        guard width >= s.minimumSize.width, height >= s.minimumSize.height else {
            tooSmall(&c, s)
            return c.buffer
        }
        header(&c, s)
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        switch s.screen {
        case .dashboard: dashboard(&c, s, body)
        case .table(let p): TableScreen.draw(&c, s, p, body)
        }
        statusLine(&c, s)
        if let o = s.overlay { Overlays.draw(&c, s, o) }
        return c.buffer
    }

    static func tooSmall(_ c: inout Canvas, _ s: AppState) {
        let l = s.lang
        let lines = [l.t("shopdeck needs a terminal of at least \(s.minimumSize.width)x\(s.minimumSize.height);", "shopdeck 至少需要 \(s.minimumSize.width)x\(s.minimumSize.height) 的终端；"),
                     l.t("this one is \(c.buffer.width)x\(c.buffer.height). Enlarge the terminal (q quits).", "当前为 \(c.buffer.width)x\(c.buffer.height)。请放大终端（q 退出）。")]
        for (i, l) in lines.enumerated() {
            let y = c.buffer.height / 2 - 1 + i
            let w = DisplayWidth.of(l)
            c.text(l, x: max(0, (c.buffer.width - w) / 2), y: y, role: i == 0 ? .warning : .text)
        }
    }

    static func header(_ c: inout Canvas, _ s: AppState) {
        let w = c.buffer.width
        c.buffer.fill(Rect(x: 0, y: 0, width: w, height: 1), style: c.theme[.status])
        let l = s.lang
        let mode = s.fixedAsOf == nil ? l.t("live", "实时") : l.t("replay", "回放")
        let left = " shopdeck · \(s.shopName ?? l.t("shop", "店铺")) · " + l.t("as of", "截至") + " \(CST.format(s.asOf)) CST (\(mode))"
        c.text(left, x: 0, y: 0, role: .status, maxWidth: w)
        let right = s.readOnly ? l.t("READ-ONLY ", "只读 ") : ""
        if !right.isEmpty { c.text(right, x: w - DisplayWidth.of(right), y: 0, role: .statusKey) }
    }

    static func statusLine(_ c: inout Canvas, _ s: AppState) {
        let w = c.buffer.width, y = c.buffer.height - 1
        c.buffer.fill(Rect(x: 0, y: y, width: w, height: 1), style: c.theme[.status])
        let load = s.report.load
        var hints: String
        let l = s.lang
        switch s.screen {
        case .dashboard: hints = l.t("Tab pane  Enter open  a appeals  r reload  t theme  : cmd  ? help  q quit",
                                     "Tab 切换  Enter 打开  a 申诉  r 重载  t 主题  : 命令  ? 帮助  q 退出")
        case .table(let p): hints = l.t("↑↓ move  s sort  / filter  ", "↑↓ 移动  s 排序  / 筛选  ") + (p == .appeals && !s.readOnly ? l.t("a appeal  ", "a 申诉  ") : "")
            + l.t("Esc back  ? help  q quit", "Esc 返回  ? 帮助  q 退出")
        }
        if w - DisplayWidth.of(hints) < 40 {
            hints = s.screen == .dashboard ? l.t("Enter open  ? help  q quit", "Enter 打开  ? 帮助  q 退出") : l.t("Esc back  ? help  q quit", "Esc 返回  ? 帮助  q 退出")
        }
        var left: String
        var progressSaid = false
        if !s.stillWriting.isEmpty {
            // The most important thing to know while it lasts: the figures are the last good ones.
            left = " " + s.stillWriting.joined(separator: ", ") + l.t((s.stillWriting.count == 1 ? " is" : " are")
                + " still being written: showing the last good version", " 正在写入：显示上一份完整数据")
        } else if let msg = s.status { left = " " + msg }
        else if s.loading {
            left = l.t(" loading…", " 加载中…")
            if let p = s.loadProgress, p.totalFiles > 0 { left += " " + LoadWords.progress(p, l); progressSaid = true }
        } else {
            // By importance, so a narrow terminal cuts the least important end: errors,
            // review mode, replay, the reload time, the rulebook, the folder.
            var parts: [String] = []
            if let je = s.journalError { parts.append(je) }
            if !load.errors.isEmpty {
                parts.append(l.t("\(load.errors.count) load problem\(load.errors.count == 1 ? "" : "s") (:warnings)", "\(load.errors.count) 个加载问题（:warnings）"))
            }
            if let ro = s.readOnlyReason { parts.append(l.t("read-only: ", "只读：") + AppealMessages.fileProblem(ro, l)) }
            if let t = s.fixedAsOf { parts.append(l.t("replay of ", "回放 ") + CST.formatShort(t)) }
            parts.append(l.t("reloaded ", "重载于 ") + "\(CST.formatShort(s.lastReload).suffix(5)) (\(String(format: "%.2f", load.seconds)) s)")
            parts.append(s.report.rulebook)
            parts.append(s.folder)
            left = " " + parts.joined(separator: " · ")
        }
        // A message the operator should read whole (a key's answer, a reload's result, a
        // load's progress) takes the room of the hints: the short hints, then none.
        if s.status != nil || !s.stillWriting.isEmpty || progressSaid {
            let short = s.screen == .dashboard ? l.t("? help  q quit", "? 帮助  q 退出") : l.t("Esc back  ? help", "Esc 返回  ? 帮助")
            if DisplayWidth.of(left) + DisplayWidth.of(hints) + 2 > w { hints = short }
            if DisplayWidth.of(left) + DisplayWidth.of(hints) + 2 > w { hints = "" }
        }
        let hintW = DisplayWidth.of(hints)
        let room = max(0, w - hintW - 2)
        c.text(DisplayWidth.truncate(left, to: room), x: 0, y: y, role: s.status != nil ? .statusKey : .status)
        if !hints.isEmpty && w > hintW + 10 { c.text(hints, x: w - hintW - 1, y: y, role: .status) }
    }

    static func dashboard(_ c: inout Canvas, _ s: AppState, _ body: Rect) {
        let rows = body.rows(3)
        var rects: [Rect] = []
        for r in rows { rects += r.columns(2) }
        for p in PaneID.allCases {
            let r = rects[p.rawValue]
            let inner = c.pane(r, title: p.title(s.lang), focused: s.focus == p, badge: s.dataLoaded ? badge(p, s.report) : nil)
            var lines: [[(String, Theme.Role)]] = Panes.lines(p, s, glyphs: c.glyphs, width: inner.width - 1)
            if lines.count > inner.height { lines = Array(lines.prefix(inner.height)) }
            for (i, l) in lines.enumerated() { c.line(l, x: inner.x + 1, y: inner.y + i, width: inner.width - 1) }
        }
    }

    /// The count of things to act on, in the pane's title.
    static func badge(_ p: PaneID, _ r: Report) -> String? {
        let n: Int
        switch p {
        case .shipping: n = r.shipping.lateUnshipped.count + r.shipping.atRisk.count + r.shipping.delayReportNeeded.count
        case .exemption: return nil
        case .appeals: n = r.violations.filter(\.appealable).count
        case .coupons: n = r.coupons.filter { !$0.warnings.isEmpty }.count
        case .aftersales: n = r.aftersales.open.filter { $0.breached || $0.hoursLeft < 12 }.count
        case .more: n = r.copyFindings.count
        }
        return n > 0 ? "\(n)" : nil
    }
}

/// The lines of each dashboard pane: headline figure, trend, counts to act on.
enum Panes {
    typealias Line = [(String, Theme.Role)]

    /// `width`: the columns a line has; a pane says its key facts within it (at 80x24 a
    /// pane is 37 columns wide) and adds detail when there is room.
    static func lines(_ p: PaneID, _ s: AppState, glyphs: Glyphs, width: Int = 200) -> [Line] {
        let r = s.report
        if !s.dataLoaded { return [[(s.lang.t("loading…", "加载中…"), .dim)]] }
        switch p {
        case .shipping: return shipping(r, glyphs, history: s.history, s.lang)
        case .exemption: return exemption(r, glyphs, s.lang, width: width)
        case .appeals: return appeals(r, journalError: s.journalError, readOnly: s.readOnly, s.lang)
        case .coupons: return coupons(r, glyphs, s.lang, width: width)
        case .aftersales: return aftersales(r, s.lang)
        case .more: return more(r, s.lang)
        }
    }

    static func width(_ l: Line) -> Int { l.reduce(0) { $0 + DisplayWidth.of($1.0) } }

    static func rateRole(_ d: Double?, _ threshold: Double) -> Theme.Role {
        guard let d else { return .dim }
        return d >= threshold ? .good : .breach
    }

    /// The last eight weeks' on-time rates up to the current week: the exports' own figures,
    /// and the stored history for weeks the exports no longer hold.
    static func rateSeries(_ r: Report, history: [History.Week]) -> (start: Instant, rates: [Double?])? {
        let current = CST.weekStart(r.asOf)
        var byWeek: [Instant: Double] = [:]
        for h in history { if case .value(let t) = h.weekStart.withBytes({ CST.parse($0) }), let rate = h.onTimeRate { byWeek[t] = rate } }
        for w in r.shipping.weeks { if let rate = w.onTimeRate { byWeek[w.weekStart] = rate } }
        let weeks = (0..<8).map { current - Int64(7 - $0) * CST.week }
        let reported = Set(r.shipping.weeks.map(\.weekStart))
        guard let first = weeks.firstIndex(where: { wk in byWeek[wk] != nil || reported.contains(wk) }) else { return nil }
        return (weeks[first], weeks[first...].map { byWeek[$0] })
    }

    static func shipping(_ r: Report, _ g: Glyphs, history: [History.Week] = [], _ l: Lang = .en) -> [Line] {
        let weeks = r.shipping.weeks
        let this = weeks.last, last = weeks.count >= 2 ? weeks[weeks.count - 2] : nil
        // Scaled to the weeks' own range (a fixed 90-100 % scale drew 97.8-98.5 % as flat bars),
        // labelled with the weeks it shows and the range.
        let series = rateSeries(r, history: history)
        let rates = series?.rates.compactMap { $0 } ?? []
        let spark = Canvas.sparkline(series?.rates ?? [], glyphs: g)
        let range = rates.isEmpty ? "" : " \(Format.pct(rates.min()))–\(Format.pct(rates.max()))"
        let span = series.map { l.t("\($0.rates.count) wk from \(CST.formatDate($0.start).suffix(5)) ", "\(CST.formatDate($0.start).suffix(5)) 起 \($0.rates.count) 周 ") } ?? l.t("no weeks ", "暂无周数据 ")
        var out: [Line] = [
            [("及时发货率 ", .text), (l.t("this wk ", "本周 "), .dim), (Format.pct(this?.onTimeRate), rateRole(this?.onTimeRate, r.exemption.thresholds.minOnTimeRate)),
             (l.t("  last ", "  上周 "), .dim), (Format.pct(last?.onTimeRate), rateRole(last?.onTimeRate, r.exemption.thresholds.minOnTimeRate))],
            [(span, .dim), (spark, .accent), (range, .dim)],
        ]
        let risk = r.shipping.atRisk
        let d = r.shipping.delayReportNeeded.count
        out.append([(l.t("late", "超时未发货") + " \(r.shipping.lateUnshipped.count)", r.shipping.lateUnshipped.isEmpty ? .good : .breach),
                    (l.t(" · at risk ", " · 即将超时 ") + "\(risk.count)", risk.isEmpty ? .good : .warning),
                    (l.t(" · 报备 ", " · 报备 ") + "\(d)", d > 0 ? .warning : .dim)])
        // The order that goes late first: its countdown, then its whole id.
        if let next = risk.first {
            out.append([(l.t("next ", "最先超时 "), .dim), (Format.hours(next.hoursLeft), next.hoursLeft < 2 ? .breach : .warning), (" " + next.orderId, .text)])
        } else { out.append([(l.t("no order at risk", "暂无即将超时订单"), .good)]) }
        out.append([(l.t("protected ", "受保护 ") + "\(r.shipping.protected.count)", .dim)])
        // More room: the most urgent orders.
        if !r.shipping.lateUnshipped.isEmpty { out.append([(l.t("── late (超时未发货) ──", "── 超时未发货 ──"), .dim)]) }
        for o in r.shipping.lateUnshipped.suffix(3).reversed() {
            out.append([("! ", .breach), (o.orderId + " ", .text), (l.t("due ", "截止 ") + CST.formatShort(o.deadline), .dim)])
        }
        if !risk.isEmpty { out.append([(l.t("── at risk (即将超时) ──", "── 即将超时 ──"), .dim)]) }
        for o in risk.prefix(5) {
            out.append([("· ", .warning), (o.orderId + " ", .text), (l.t("in ", "剩 ") + Format.hours(o.hoursLeft), o.hoursLeft < 2 ? .breach : .warning)])
        }
        return out
    }

    static func exemption(_ r: Report, _ g: Glyphs, _ l: Lang = .en, width: Int = 200) -> [Line] {
        let e = r.exemption
        let wk = r.shipping.weeks.first { $0.weekStart == e.evaluatedWeek }
        let status: (String, Theme.Role) = !e.inForce ? (l.t("not in force yet", "尚未生效"), .dim) : (e.eligible ? (l.t("ELIGIBLE this week", "本周享豁免"), .good) : (l.t("not eligible", "不满足豁免"), .warning))
        let ok = g == .ascii ? "ok" : "✓", no = g == .ascii ? "x" : "✗"
        /// Each criterion with its headroom (rules.md §2, "Show the margins"): how far above the
        /// threshold when it passes, what is missing when it fails.
        func crit(_ name: String, _ pass: Bool, _ headroom: String, _ need: String) -> [(String, Theme.Role)] {
            [(name, .dim), (pass ? ok : no, pass ? .good : .breach), (pass ? headroom : need, pass ? .good : .warning), (" ", .text)]
        }
        let m = e.margins
        let t = e.thresholds
        let paidHead = "+" + Format.int(max(0, e.paidOrders - t.minPaidOrders))
        let shareHead = e.spotShare.map { "+" + String(format: "%.1f%%", max(0, $0 - t.minSpotShare) * 100) } ?? ""
        let rateHead = e.onTimeRate.map { "+" + String(format: "%.1f%%", max(0, $0 - t.minOnTimeRate) * 100) } ?? ""
        var out: [Line] = [
            [("承诺现货占比 ", .text), (Format.pct(wk?.spotShare), .accent), (l.t(" · paid ", " · 支付 "), .dim), (Format.int(e.paidOrders), .text)],
            [("豁免 ", .text), status, (l.t(" (wk ", "（依据 ") + "\(CST.formatDate(e.evaluatedWeek).suffix(5))" + l.t(")", " 周）"), .dim)],
            crit(">" + Format.int(t.minPaidOrders), !e.failed.contains("paid_orders"), paidHead, l.t("need +", "差 ") + Format.int(m.paidOrdersNeeded))
                + crit(">" + Format.pctShort(t.minSpotShare), !e.failed.contains("spot_share"), shareHead, l.t("need +", "差 ") + Format.int(m.spotOrdersNeeded))
                + crit("≥" + Format.pctShort(t.minOnTimeRate), !e.failed.contains("on_time_rate"), rateHead, l.t("need +", "差 ") + Format.int(m.onTimeOrdersNeeded)),
        ]
        if let t = e.tokenUsedBy { out.append([(l.t("token used by ", "豁免已用于 "), .dim), (t, .good)]) }
        else {
            // The current week at the pace so far (report-json.md exemption.forecast).
            let f = e.forecast
            if let paid = f.paidOrders {
                var line: Line = [(l.t("this week's pace: ~\(Format.int(paid)) paid", "本周节奏：约 \(Format.int(paid)) 单"), .dim)]
                if let need = f.paidOrdersNeeded, need > 0 { line.append((l.t(" (+\(Format.int(need)) needed)", "（还差 \(Format.int(need)) 单）"), .warning)) }
                if let spare = f.lateOrdersToSpare { line.append((l.t(" · \(Format.int(spare)) late to spare", " · 还可超时 \(Format.int(spare)) 单"), spare > 0 ? .dim : .warning)) }
                out.append(line)
            } else {
                out.append([(l.t("this week: no paid order yet", "本周尚无支付订单"), .dim)])
            }
        }
        // rules.md §2: the note that only the 超时未发货 penalty is waived, next to the status.
        let note = l.t("waives only the 超时未发货 penalty; score and compensation still apply", "仅豁免超时未发货处罚；体验分与赔付照常")
        let short = l.t("超时未发货 only: score, payouts apply", "仅豁免超时未发货；体验分与赔付照常")
        if width >= 45 { out.insert(contentsOf: wrap(note, width).map { [($0, Theme.Role.dim)] }, at: 2) }
        else { out.insert([(short, .dim)], at: 2) }
        return out
    }

    static func appeals(_ r: Report, journalError: String? = nil, readOnly: Bool = false, _ l: Lang = .en) -> [Line] {
        let appealable = r.violations.filter(\.appealable)
        let year = CST.year(r.asOf)
        let points = r.points.filter { $0.year == year }.reduce(0) { $0 + $1.points }
        var out: [Line] = [
            [(l.t("appealable ", "可申诉 ") + "\(appealable.count)", appealable.isEmpty ? .good : .warning), (l.t(" · appeals left ", " · 剩余申诉次数 ") + "\(appealable.reduce(0) { $0 + $1.appealsLeft })", .text)],
            [(l.t("points \(year): ", "\(year) 年扣分："), .dim), ("\(points)", points > 0 ? .warning : .good), (l.t(" · violations ", " · 违规 ") + "\(r.violations.count)", .dim)],
            [(l.t("filed here ", "本地已提交申诉 ") + "\(r.appeals.count)", .text), (l.t(" · in appeal ", " · 申诉中 ") + "\(r.violations.filter(\.locallyFiled).count)", .dim)],
        ]
        if let je = journalError { out.insert([(l.t("journal unreadable: ", "申诉记录无法读取："), .breach), (je, .breach)], at: 0) }
        if let next = appealable.filter({ $0.appealDeadline != .absent }).min(by: { $0.appealDeadline < $1.appealDeadline }) {
            out.append([(l.t("next deadline ", "最近截止 "), .dim), (next.violationId, .text), (l.t(" in ", " 剩 ") + Format.countdown(next.appealDeadline - r.asOf), .warning)])
        }
        out.append([(readOnly ? l.t("a: violations (review mode: no filing)", "a：查看违规（只读：不可申诉）") : l.t("a: violations, to file an appeal", "a：打开违规并申诉"), .dim)])
        for v in appealable.prefix(6) {
            out.append([(v.violationId + " ", .text), (v.rule + " ", .warning), (l.t("\(v.appealsLeft) left", "剩 \(v.appealsLeft) 次"), .dim),
                        (v.appealDeadline != .absent ? l.t(" · due in ", " · 截止剩 ") + Format.countdown(v.appealDeadline - r.asOf) : "", .dim)])
        }
        return out
    }

    /// A coupon's time: `20:00` today, `12-07 20:00` on another day.
    static func couponTime(_ t: Instant, _ now: Instant) -> String {
        let short = CST.formatShort(t)
        return CST.formatDate(t) == CST.formatDate(now) ? String(short.suffix(5)) : short
    }

    static func coupons(_ r: Report, _ g: Glyphs, _ l: Lang = .en, width: Int = 200) -> [Line] {
        let coming = r.coupons.filter { $0.issueAt >= r.asOf }
        var out: [Line] = []
        // Grouped by live plan, each plan's coupons by time.
        var plans: [String] = []
        for c in coming where !plans.contains(c.livePlan ?? "") { plans.append(c.livePlan ?? "") }
        var shown = 0
        for plan in plans where shown < 3 {
            for c in coming.filter({ ($0.livePlan ?? "") == plan }) where shown < 3 {
                var line: Line = [(couponTime(c.issueAt, r.asOf) + " ", .accent), ((plan.isEmpty ? "—" : plan) + " ", .dim), (c.activityId + " ", .text),
                                  (l.t("in ", "剩 ") + Format.countdown(c.issueAt - r.asOf), .text),
                                  (c.warnings.isEmpty ? "" : " ! " + c.warnings.map { Words.short(l, Words.couponWarning($0)) }.joined(separator: l.t(", ", "、")), .warning)]
                // Narrow: the live plan gives way to the warning.
                if Panes.width(line) > width { line.remove(at: 1) }
                out.append(line)
                shown += 1
            }
        }
        if coming.isEmpty { out.append([(l.t("no coming timed coupons", "暂无待发放的定时优惠"), .dim)]) }
        let warned = r.coupons.filter { !$0.warnings.isEmpty }.count
        out.append([(l.t("warnings \(warned) of \(r.coupons.count)", "提醒 \(warned) / \(r.coupons.count)"), warned > 0 ? .warning : .good)])
        out.append([(l.t("shows on iOS ≥ ", "需 iOS ≥ ") + r.couponMinIOS + l.t(" · Android ≥ ", " / 安卓 ≥ ") + r.couponMinAndroid, .dim)])
        for c in coming.dropFirst(3).prefix(6) {
            out.append([(couponTime(c.issueAt, r.asOf) + " ", .accent), ((c.livePlan ?? "—") + " ", .dim), (c.activityId + " ", .text),
                        (l.t("in ", "剩 ") + Format.countdown(c.issueAt - r.asOf), .text), (c.warnings.isEmpty ? "" : " !", .warning)])
        }
        return out
    }

    static func aftersales(_ r: Report, _ l: Lang = .en) -> [Line] {
        let lang0 = l
        let open = r.aftersales.open
        let breached = open.filter(\.breached).count
        var out: [Line] = [[(l.t("open ", "处理中 ") + "\(open.count)", .text), (l.t(" · breached ", " · 已超时 ") + "\(breached)", breached > 0 ? .breach : .good),
                            (l.t(" · 春节 holiday ", " · 春节 ") + "\(open.filter(\.holidayAdjusted).count)", .dim)]]
        if let next = open.first {
            out.append([(l.t("next ", "最近 "), .dim), (Format.hours(next.hoursLeft) + " ", next.breached ? .breach : .warning), (next.refundId + " ", .text), (Words.in(lang0, Words.stage(next.stage)), .dim)])
        }
        let upcoming = Array(open.dropFirst().prefix(6))
        let thisWeek = CST.weekStart(r.asOf)
        let lang = l
        let w = r.aftersales.weeks.first { $0.weekStart == thisWeek }, l = r.aftersales.weeks.first { $0.weekStart == thisWeek - CST.week }
        func h(_ d: Double?) -> String { d.map { String(format: "%.1fh", $0) } ?? "—" }
        out.append([("仅退款 ", .text), (h(w?.refundOnlyAvgHours), .accent), (lang.t(" (last ", "（上周 ") + h(l?.refundOnlyAvgHours) + lang.t(")", "）"), .dim)])
        out.append([("退货退款 ", .text), (h(w?.returnRefundAvgHours), .accent), (lang.t(" (last ", "（上周 ") + h(l?.returnRefundAvgHours) + lang.t(")", "）"), .dim),
                    (lang.t(" · excl ", " · 剔除 ") + "\(w?.excluded ?? 0)", .dim)])
        out.append([("商责纠纷率 ", .text), (Format.pct(w?.disputeRate), .text)])
        for s in upcoming {
            out.append([("· ", .dim), (Format.hours(s.hoursLeft) + " ", s.breached ? .breach : (s.hoursLeft < r.riskHorizonHours ? .warning : .text)), (s.refundId + " ", .text),
                        (Words.in(lang, Words.stage(s.stage)), .dim), (s.holidayAdjusted ? " 春节" : "", .accent)])
        }
        return out
    }

    static func more(_ r: Report, _ l: Lang = .en) -> [Line] {
        let active = r.reports.filter { $0.ban != "none" }.count
        let norms = Array(Set(r.copyFindings.map(\.norm))).sorted().map(String.init).joined(separator: ",")
        return [
            [(l.t("reports: \(r.reports.count) users", "举报：\(r.reports.count) 个用户"), .text), (l.t(" · active bans ", " · 封禁中 ") + "\(active)", active > 0 ? .warning : .dim)],
            [(l.t("copy findings ", "文案问题 ") + "\(r.copyFindings.count)", r.copyFindings.isEmpty ? .good : .warning),
             (r.copyFindings.isEmpty ? "" : l.t(" (norms ", "（规范 ") + norms + l.t(")", "）"), .dim)],
            [(l.t("信任购 on \(r.trustPurchase.on) / off \(r.trustPurchase.off)", "信任购 开 \(r.trustPurchase.on) / 关 \(r.trustPurchase.off)"), .text)],
            [(l.t("load: " + Words.count(r.load.files.count, "file", "files") + ", " + Words.count(r.load.errors.count, "error", "errors"),
                  "加载：\(r.load.files.count) 个文件，\(r.load.errors.count) 个问题"), r.load.errors.isEmpty ? .dim : .warning)],
        ]
    }
}
