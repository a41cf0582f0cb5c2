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
        let lines = ["shopdeck needs a terminal of at least \(s.minimumSize.width)x\(s.minimumSize.height);",
                     "this one is \(c.buffer.width)x\(c.buffer.height). Enlarge the terminal (q quits)."]
        for (i, l) in lines.enumerated() {
            let y = c.buffer.height / 2 - 1 + i
            let w = DisplayWidth.of(l)
            c.text(l, x: max(0, (c.buffer.width - w) / 2), y: y, role: i == 0 ? .warning : .text)
        }
    }

    static func header(_ c: inout Canvas, _ s: AppState) {
        let w = c.buffer.width
        c.buffer.fill(Rect(x: 0, y: 0, width: w, height: 1), style: c.theme[.status])
        let mode = s.fixedAsOf == nil ? "live" : "replay"
        let left = " shopdeck · \(s.shopName ?? "shop") · as of \(CST.format(s.asOf)) CST (\(mode))"
        c.text(left, x: 0, y: 0, role: .status, maxWidth: w)
        let right = s.readOnly ? "READ-ONLY " : ""
        if !right.isEmpty { c.text(right, x: w - DisplayWidth.of(right), y: 0, role: .statusKey) }
    }

    static func statusLine(_ c: inout Canvas, _ s: AppState) {
        let w = c.buffer.width, y = c.buffer.height - 1
        c.buffer.fill(Rect(x: 0, y: y, width: w, height: 1), style: c.theme[.status])
        let load = s.report.load
        var hints: String
        switch s.screen {
        case .dashboard: hints = "Tab pane  Enter open  a appeals  r reload  t theme  : cmd  ? help  q quit"
        case .table(let p): hints = "↑↓ move  s sort  / filter  " + (p == .appeals && !s.readOnly ? "a appeal  " : "") + "Esc back  ? help  q quit"
        }
        if w - DisplayWidth.of(hints) < 40 { hints = s.screen == .dashboard ? "Enter open  ? help  q quit" : "Esc back  ? help  q quit" }
        var left: String
        if !s.stillWriting.isEmpty {
            // The most important thing to know while it lasts: the figures are the last good ones.
            left = " " + s.stillWriting.joined(separator: ", ") + (s.stillWriting.count == 1 ? " is" : " are")
                + " still being written: showing the last good version"
        } else if let msg = s.status { left = " " + msg }
        else if s.loading {
            left = " loading…"
        } else {
            left = " \(s.folder) · reloaded \(CST.formatShort(s.lastReload).suffix(5)) (\(String(format: "%.2f", load.seconds)) s) · \(s.report.rulebook)"
            if !load.errors.isEmpty { left += " · \(load.errors.count) load warning\(load.errors.count == 1 ? "" : "s")" }
            if let ro = s.readOnlyReason { left += " · read-only: \(ro)" }
            if let je = s.journalError { left = " " + je + " · " + left }
        }
        let hintW = DisplayWidth.of(hints)
        let room = max(0, w - hintW - 2)
        c.text(DisplayWidth.truncate(left, to: room), x: 0, y: y, role: s.status != nil ? .statusKey : .status)
        if w > hintW + 10 { c.text(hints, x: w - hintW - 1, y: y, role: .status) }
    }

    static func dashboard(_ c: inout Canvas, _ s: AppState, _ body: Rect) {
        let rows = body.rows(3)
        var rects: [Rect] = []
        for r in rows { rects += r.columns(2) }
        for p in PaneID.allCases {
            let r = rects[p.rawValue]
            let inner = c.pane(r, title: p.title, focused: s.focus == p, badge: badge(p, s.report))
            var lines: [[(String, Theme.Role)]] = Panes.lines(p, s, glyphs: c.glyphs)
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

    static func lines(_ p: PaneID, _ s: AppState, glyphs: Glyphs) -> [Line] {
        let r = s.report
        if !s.dataLoaded { return [[("loading… 加载中", .dim)]] }
        switch p {
        case .shipping: return shipping(r, glyphs, history: s.history)
        case .exemption: return exemption(r, glyphs)
        case .appeals: return appeals(r, journalError: s.journalError, readOnly: s.readOnly)
        case .coupons: return coupons(r, glyphs)
        case .aftersales: return aftersales(r)
        case .more: return more(r)
        }
    }

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

    static func shipping(_ r: Report, _ g: Glyphs, history: [History.Week] = []) -> [Line] {
        let weeks = r.shipping.weeks
        let this = weeks.last, last = weeks.count >= 2 ? weeks[weeks.count - 2] : nil
        // Scaled to the weeks' own range (a fixed 90-100 % scale drew 97.8-98.5 % as flat bars),
        // labelled with the weeks it shows and the range.
        let series = rateSeries(r, history: history)
        let rates = series?.rates.compactMap { $0 } ?? []
        let spark = Canvas.sparkline(series?.rates ?? [], glyphs: g)
        let range = rates.isEmpty ? "" : " \(Format.pct(rates.min()))–\(Format.pct(rates.max()))"
        let span = series.map { "\($0.rates.count) wk from \(CST.formatDate($0.start).suffix(5)) " } ?? "no weeks "
        var out: [Line] = [
            [("及时发货率 ", .text), ("本周 ", .dim), (Format.pct(this?.onTimeRate), rateRole(this?.onTimeRate, r.exemption.thresholds.minOnTimeRate)),
             ("  上周 ", .dim), (Format.pct(last?.onTimeRate), rateRole(last?.onTimeRate, r.exemption.thresholds.minOnTimeRate))],
            [(span, .dim), (spark, .accent), (range, .dim)],
        ]
        let risk = r.shipping.atRisk
        if let next = risk.first {
            out.append([("at risk \(risk.count)", .warning), (" · next in ", .dim), (Format.hours(next.hoursLeft), next.hoursLeft < 2 ? .breach : .warning),
                        (" " + next.orderId, .dim)])
        } else { out.append([("at risk 0", .good)]) }
        out.append([("late \(r.shipping.lateUnshipped.count)", r.shipping.lateUnshipped.isEmpty ? .good : .breach),
                    (" · protected \(r.shipping.protected.count)", .text)])
        let d = r.shipping.delayReportNeeded.count
        out.append([("delay reports (报备) needed \(d)", d > 0 ? .warning : .dim)])
        // More room: the most urgent orders.
        if !r.shipping.lateUnshipped.isEmpty { out.append([("── late 超时未发货 ──", .dim)]) }
        for o in r.shipping.lateUnshipped.suffix(3).reversed() {
            out.append([("! ", .breach), (o.orderId + " ", .text), ("due " + CST.formatShort(o.deadline), .dim)])
        }
        if !risk.isEmpty { out.append([("── at risk 即将超时 ──", .dim)]) }
        for o in risk.prefix(5) {
            out.append([("· ", .warning), (o.orderId + " ", .text), ("in " + Format.hours(o.hoursLeft), o.hoursLeft < 2 ? .breach : .warning)])
        }
        return out
    }

    static func exemption(_ r: Report, _ g: Glyphs) -> [Line] {
        let e = r.exemption
        let wk = r.shipping.weeks.first { $0.weekStart == e.evaluatedWeek }
        let status: (String, Theme.Role) = !e.inForce ? ("not in force yet", .dim) : (e.eligible ? ("ELIGIBLE this week", .good) : ("not eligible", .warning))
        let ok = g == .ascii ? "ok" : "✓", no = g == .ascii ? "x" : "✗"
        func crit(_ name: String, _ pass: Bool, _ need: String) -> [(String, Theme.Role)] {
            [(name + " ", .dim), (pass ? ok : no, pass ? .good : .breach), (pass ? "" : " " + need, .warning)]
        }
        let m = e.margins
        var out: [Line] = [
            [("承诺现货占比 ", .text), (Format.pct(wk?.spotShare), .accent), (" · paid ", .dim), (Format.int(e.paidOrders), .text)],
            [("豁免 ", .text), status, (" (from wk \(CST.formatDate(e.evaluatedWeek).suffix(5)))", .dim)],
            crit(">" + Format.int(e.thresholds.minPaidOrders), !e.failed.contains("paid_orders"), "+\(m.paidOrdersNeeded)")
                + [(" ", .text)] + crit(">" + Format.pctShort(e.thresholds.minSpotShare), !e.failed.contains("spot_share"), "+\(m.spotOrdersNeeded) spot")
                + [(" ", .text)] + crit(">=" + Format.pctShort(e.thresholds.minOnTimeRate), !e.failed.contains("on_time_rate"), "+\(m.onTimeOrdersNeeded)"),
        ]
        if let t = e.tokenUsedBy { out.append([("token used by ", .dim), (t, .good)]) }
        else {
            // The current week at the pace so far (report-json.md exemption.forecast).
            let f = e.forecast
            if let paid = f.paidOrders {
                var line: Line = [("this week at this pace: ~\(Format.int(paid)) paid", .dim)]
                if let need = f.paidOrdersNeeded, need > 0 { line.append((" (+\(Format.int(need)) needed)", .warning)) }
                if let spare = f.lateOrdersToSpare { line.append((" · \(Format.int(spare)) late to spare", spare > 0 ? .dim : .warning)) }
                out.append(line)
            } else {
                out.append([("this week: no paid order yet", .dim)])
            }
        }
        out.append([("only 超时未发货 is waived; score & compensation apply", .dim)])
        return out
    }

    static func appeals(_ r: Report, journalError: String? = nil, readOnly: Bool = false) -> [Line] {
        let appealable = r.violations.filter(\.appealable)
        let year = CST.year(r.asOf)
        let points = r.points.filter { $0.year == year }.reduce(0) { $0 + $1.points }
        var out: [Line] = [
            [("appealable \(appealable.count)", appealable.isEmpty ? .good : .warning), (" · appeals left \(appealable.reduce(0) { $0 + $1.appealsLeft })", .text)],
            [("points \(year): ", .dim), ("\(points)", points > 0 ? .warning : .good), (" · violations \(r.violations.count)", .dim)],
            [("locally filed appeals \(r.appeals.count)", .text), (" · in progress \(r.violations.filter(\.locallyFiled).count)", .dim)],
        ]
        if let je = journalError { out.insert([("journal unreadable: ", .breach), (je, .breach)], at: 0) }
        if let next = appealable.filter({ $0.appealDeadline != .absent }).min(by: { $0.appealDeadline < $1.appealDeadline }) {
            out.append([("next deadline ", .dim), (next.violationId, .text), (" in " + Format.countdown(next.appealDeadline - r.asOf), .warning)])
        }
        out.append([(readOnly ? "a: open the violations (review mode: no appeal is filed)" : "a: open violations and file an appeal", .dim)])
        for v in appealable.prefix(6) {
            out.append([(v.violationId + " ", .text), (v.rule + " ", .warning), ("\(v.appealsLeft) left", .dim),
                        (v.appealDeadline != .absent ? " · due in " + Format.countdown(v.appealDeadline - r.asOf) : "", .dim)])
        }
        return out
    }

    /// A coupon's time: `20:00` today, `12-07 20:00` on another day.
    static func couponTime(_ t: Instant, _ now: Instant) -> String {
        let short = CST.formatShort(t)
        return CST.formatDate(t) == CST.formatDate(now) ? String(short.suffix(5)) : short
    }

    static func coupons(_ r: Report, _ g: Glyphs) -> [Line] {
        let coming = r.coupons.filter { $0.issueAt >= r.asOf }
        var out: [Line] = []
        // Grouped by live plan, each plan's coupons by time.
        var plans: [String] = []
        for c in coming where !plans.contains(c.livePlan ?? "") { plans.append(c.livePlan ?? "") }
        var shown = 0
        for plan in plans where shown < 3 {
            for c in coming.filter({ ($0.livePlan ?? "") == plan }) where shown < 3 {
                out.append([(couponTime(c.issueAt, r.asOf) + " ", .accent), ((plan.isEmpty ? "—" : plan) + " ", .dim), (c.activityId + " ", .text),
                            ("in " + Format.countdown(c.issueAt - r.asOf), .text), (c.warnings.isEmpty ? "" : " ! " + Words.couponWarnings(c.warnings), .warning)])
                shown += 1
            }
        }
        if coming.isEmpty { out.append([("no coming timed coupons", .dim)]) }
        let warned = r.coupons.filter { !$0.warnings.isEmpty }.count
        out.append([("warnings \(warned) of \(r.coupons.count)", warned > 0 ? .warning : .good)])
        out.append([("shows on iOS >= \(r.couponMinIOS) / Android >= \(r.couponMinAndroid)", .dim)])
        for c in coming.dropFirst(3).prefix(6) {
            out.append([(couponTime(c.issueAt, r.asOf) + " ", .accent), ((c.livePlan ?? "—") + " ", .dim), (c.activityId + " ", .text),
                        ("in " + Format.countdown(c.issueAt - r.asOf), .text), (c.warnings.isEmpty ? "" : " !", .warning)])
        }
        return out
    }

    static func aftersales(_ r: Report) -> [Line] {
        let open = r.aftersales.open
        let breached = open.filter(\.breached).count
        var out: [Line] = [[("open \(open.count)", .text), (" · breached \(breached)", breached > 0 ? .breach : .good),
                            (" · 春节 \(open.filter(\.holidayAdjusted).count)", .dim)]]
        if let next = open.first {
            out.append([("next ", .dim), (next.refundId + " ", .text), (Words.stage(next.stage) + " ", .dim), (Format.hours(next.hoursLeft), next.breached ? .breach : .warning)])
        }
        let upcoming = Array(open.dropFirst().prefix(6))
        let thisWeek = CST.weekStart(r.asOf)
        let w = r.aftersales.weeks.first { $0.weekStart == thisWeek }, l = r.aftersales.weeks.first { $0.weekStart == thisWeek - CST.week }
        func h(_ d: Double?) -> String { d.map { String(format: "%.1fh", $0) } ?? "—" }
        out.append([("仅退款 ", .text), (h(w?.refundOnlyAvgHours), .accent), (" (last " + h(l?.refundOnlyAvgHours) + ")", .dim)])
        out.append([("退货退款 ", .text), (h(w?.returnRefundAvgHours), .accent), (" (last " + h(l?.returnRefundAvgHours) + ")", .dim),
                    (" · excl \(w?.excluded ?? 0)", .dim)])
        out.append([("商责纠纷率 ", .text), (Format.pct(w?.disputeRate), .text)])
        for s in upcoming {
            out.append([("     " + s.refundId + " ", .text), (Words.stage(s.stage) + " ", .dim), (Format.hours(s.hoursLeft), s.breached ? .breach : (s.hoursLeft < r.riskHorizonHours ? .warning : .text)),
                        (s.holidayAdjusted ? " 春节" : "", .accent)])
        }
        return out
    }

    static func more(_ r: Report) -> [Line] {
        let active = r.reports.filter { $0.ban != "none" }.count
        return [
            [("reports: \(r.reports.count) users", .text), (" · active bans \(active)", active > 0 ? .warning : .dim)],
            [("copy findings \(r.copyFindings.count)", r.copyFindings.isEmpty ? .good : .warning),
             (r.copyFindings.isEmpty ? "" : " (norms " + Array(Set(r.copyFindings.map(\.norm))).sorted().map(String.init).joined(separator: ",") + ")", .dim)],
            [("信任购 on \(r.trustPurchase.on) / off \(r.trustPurchase.off)", .text)],
            [("load: " + Words.count(r.load.files.count, "file", "files") + ", " + Words.count(r.load.errors.count, "error", "errors"), r.load.errors.isEmpty ? .dim : .warning)],
        ]
    }
}
