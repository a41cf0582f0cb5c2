import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// The drill-down table of each pane, built from the report: columns, rows (cell texts),
/// a role per row, a sort key per cell and the detail lines of each row.
public struct TableModel {
    public var title: String
    public var columns: [TableView.Column]
    public var rows: [[String]]
    public var sortKeys: [[SortKey]]
    public var roles: [Theme.Role]
    public var details: [[String]]
    /// An id per row (violation id in the appeals table).
    public var ids: [String]

    public enum SortKey: Comparable, Sendable { case number(Double), text(String) }

    /// Row indexes after filtering and sorting.
    public func order(_ state: TableState) -> [Int] {
        var idx = Array(rows.indices)
        let f = state.filter.lowercased()
        if !f.isEmpty { idx = idx.filter { i in rows[i].contains { $0.lowercased().contains(f) } || details[i].contains { $0.lowercased().contains(f) } } }
        if let c = state.sortColumn, c < columns.count {
            idx.sort { a, b in
                let ka = sortKeys[a][c], kb = sortKeys[b][c]
                if ka == kb { return a < b }
                return state.descending ? ka > kb : ka < kb
            }
        }
        return idx
    }

    static func build(_ pane: PaneID, _ r: Report) -> TableModel {
        switch pane {
        case .shipping: return shipping(r)
        case .exemption: return exemption(r)
        case .appeals: return appeals(r)
        case .coupons: return coupons(r)
        case .aftersales: return aftersales(r)
        case .more: return more(r)
        }
    }

    static func shipping(_ r: Report) -> TableModel {
        var m = TableModel(title: "Orders to act on · 待处理订单", columns: [
            .init("list", 10), .init("order", 20), .init("deadline", 16), .init("left", 9, right: true), .init("product", 24), .init("ship to", 20),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        func add(_ list: String, _ o: OrderRef, _ role: Theme.Role) {
            m.rows.append([list, o.orderId, CST.formatShort(o.deadline), Format.hours(o.hoursLeft), o.productName ?? "", o.shipTo ?? ""])
            m.sortKeys.append([.text(list), .text(o.orderId), .number(Double(o.deadline)), .number(o.hoursLeft), .text(o.productName ?? ""), .text(o.shipTo ?? "")])
            m.roles.append(role)
            m.ids.append(o.orderId)
            m.details.append(["order \(o.orderId) · \(list)", "deadline \(CST.format(o.deadline)) (\(Format.hours(o.hoursLeft)))",
                              "product \(o.productName ?? "—") · ship to \(o.shipTo ?? "—")"])
        }
        for o in r.shipping.lateUnshipped { add("late", o, .breach) }
        for o in r.shipping.atRisk { add("at risk", o, o.hoursLeft < 2 ? .breach : .warning) }
        for o in r.shipping.delayReportNeeded { add("报备 needed", o, .warning) }
        for o in r.shipping.protected { add("protected", o, .dim) }
        return m
    }

    static func exemption(_ r: Report) -> TableModel {
        var m = TableModel(title: "Weekly figures · 每周指标", columns: [
            .init("week", 10), .init("paid", 7, right: true), .init("spot", 7, right: true), .init("share", 7, right: true),
            .init("due", 7, right: true), .init("on time", 7, right: true), .init("rate", 7, right: true), .init("excl", 5, right: true),
            .init("pickup", 11, right: true),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        for w in r.shipping.weeks.reversed() {
            m.rows.append([CST.formatDate(w.weekStart), Format.int(w.paidOrders), Format.int(w.spotOrders), Format.pct(w.spotShare),
                           Format.int(w.dueOrders), Format.int(w.onTimeOrders), Format.pct(w.onTimeRate), "\(w.excludedOrders)",
                           "\(w.pickupAnomalies)/\(w.pickupChecked)"])
            m.sortKeys.append([.number(Double(w.weekStart)), .number(Double(w.paidOrders)), .number(Double(w.spotOrders)), .number(w.spotShare ?? -1),
                               .number(Double(w.dueOrders)), .number(Double(w.onTimeOrders)), .number(w.onTimeRate ?? -1), .number(Double(w.excludedOrders)),
                               .number(w.pickupAnomalyRate ?? -1)])
            m.roles.append((w.onTimeRate ?? 1) < r.exemption.thresholds.minOnTimeRate ? .warning : .text)
            m.ids.append(CST.formatDate(w.weekStart))
            m.details.append(["week of \(CST.formatDate(w.weekStart))" + (w.pendingPlatformRefresh ? " · platform figures may not show the adjustment yet" : ""),
                              "pickup anomaly rate \(Format.pct(w.pickupAnomalyRate)) · excluded by logistics adjustments \(w.excludedOrders)"])
        }
        return m
    }

    static func appeals(_ r: Report) -> TableModel {
        var m = TableModel(title: "Violations · 违规记录", columns: [
            .init("violation", 12), .init("rule", 12), .init("status", 10), .init("pts", 4, right: true), .init("left", 4, right: true),
            .init("appeal", 20), .init("notified", 11),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        for v in r.violations.reversed() {
            let appeal = v.appealable ? "可申诉 appealable" : (v.notAppealableReason.map(reasonText) ?? "")
            let status = v.locallyFiled ? "申诉中(本地)" : v.status
            m.rows.append([v.violationId, v.rule, status, "\(v.points)", "\(v.appealsLeft)", appeal, CST.formatShort(v.notifiedAt)])
            m.sortKeys.append([.text(v.violationId), .text(v.rule), .text(status), .number(Double(v.points)), .number(Double(v.appealsLeft)),
                               .text(appeal), .number(Double(v.notifiedAt))])
            m.roles.append(v.appealable ? .warning : (v.exemptionApplicable ? .good : .text))
            m.ids.append(v.violationId)
            var d = ["\(v.violationId) · \(v.rule) · \(v.subject) · notified \(CST.format(v.notifiedAt))",
                     "measures: " + (v.measures.isEmpty ? "—" : v.measures.map { v.unknownMeasures.contains($0) ? "\($0)(unrecognised)" : $0 }.joined(separator: "、")),
                     "appeals used \(v.appealsUsed), left \(v.appealsLeft)" + (v.appealDeadline != .absent ? " · deadline \(CST.format(v.appealDeadline))" : "")]
            if v.exemptionApplicable { d.append("high spot-goods exemption applies: this 超时未发货 penalty is waived") }
            m.details.append(d)
        }
        return m
    }

    /// Products that do not qualify, grouped by why.
    static func notApplicable(_ c: CouponRow) -> String {
        var order: [String] = []
        var by: [String: [String]] = [:]
        for (id, why) in c.notApplicable { if by[why] == nil { order.append(why) }; by[why, default: []].append(id) }
        return order.map { "\($0): \(by[$0]!.joined(separator: ", "))" }.joined(separator: "; ")
    }

    public static func reasonText(_ code: String) -> String {
        switch code {
        case "in_progress": return "申诉中 in progress"
        case "resolved": return "申诉成功 resolved"
        case "final": return "已生效 in force"
        case "limit_reached": return "次数用完 limit"
        case "deadline_passed": return "已过期 deadline"
        case "subject_not_allowed": return "对象不可申诉"
        default: return code
        }
    }

    static func coupons(_ r: Report) -> TableModel {
        var m = TableModel(title: "Timed coupons · 定时优惠", columns: [
            .init("activity", 9), .init("name", 14), .init("type", 10), .init("issue", 11), .init("in", 9, right: true),
            .init("goods", 5, right: true), .init("warnings", 30),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        for c in r.coupons {
            let left = c.issueAt - r.asOf
            m.rows.append([c.activityId, c.name ?? "", c.couponType, CST.formatShort(c.issueAt), Format.countdown(left), "\(c.applicableProducts)",
                           Words.couponWarnings(c.warnings)])
            m.sortKeys.append([.text(c.activityId), .text(c.name ?? ""), .text(c.couponType), .number(Double(c.issueAt)), .number(Double(left)),
                               .number(Double(c.applicableProducts)), .text(c.warnings.joined())])
            m.roles.append(c.warnings.isEmpty ? .text : .warning)
            m.ids.append(c.activityId)
            m.details.append(["\(c.activityId) \(c.name ?? "") · \(c.couponType) · 满\(Format.yuan(c.threshold))减\(Format.yuan(c.faceValue)) · plan \(c.livePlan ?? "—")",
                              "applicable goods: " + (c.applicableIds.isEmpty ? "none" : c.applicableIds.joined(separator: ", ")),
                              "not applicable: " + (c.notApplicableSummary ?? (c.notApplicable.isEmpty ? "none" : notApplicable(c))),
                              "warnings: " + (c.warnings.isEmpty ? "none" : Words.couponWarnings(c.warnings))])
        }
        return m
    }

    static func aftersales(_ r: Report) -> TableModel {
        var m = TableModel(title: "After-sales stages · 售后时效", columns: [
            .init("refund", 10), .init("stage", 17), .init("kind", 8), .init("deadline", 11), .init("left", 9, right: true),
            .init("limit", 5, right: true), .init("why", 16),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        for s in r.aftersales.open {
            m.rows.append([s.refundId, Words.stage(s.stage), s.kind.rawValue, CST.formatShort(s.deadline), Format.hours(s.hoursLeft),
                           "\(Int(s.limitHours))h", s.limitReason == "normal" ? "normal" : "春节 " + s.limitReason])
            m.sortKeys.append([.text(s.refundId), .text(s.stage), .text(s.kind.rawValue), .number(Double(s.deadline)), .number(s.hoursLeft),
                               .number(s.limitHours), .text(s.limitReason)])
            m.roles.append(s.breached ? .breach : (s.hoursLeft < r.riskHorizonHours ? .warning : .text))
            m.ids.append(s.refundId)
            m.details.append(["\(s.refundId) · order \(s.orderId) · \(s.kind.rawValue) · \(Words.stage(s.stage))",
                              "started \(CST.format(s.start)) · limit \(Int(s.limitHours)) h (\(s.limitReason)) · deadline \(CST.format(s.deadline))"])
        }
        for row in r.aftersales.rows where row.note != "normal" {
            m.rows.append([row.refundId, row.state, row.kind.rawValue, CST.formatShort(row.appliedAt), "", "", row.note])
            m.sortKeys.append([.text(row.refundId), .text(row.state), .text(row.kind.rawValue), .number(Double(row.appliedAt)), .number(.infinity), .number(0), .text(row.note)])
            m.roles.append(.dim)
            m.ids.append(row.refundId)
            m.details.append(["\(row.refundId) · order \(row.orderId) · \(row.kind.rawValue) · \(row.state)", row.note])
        }
        return m
    }

    static func more(_ r: Report) -> TableModel {
        var m = TableModel(title: "Reports, copy, trust · 举报·文案·信任购", columns: [
            .init("kind", 8), .init("id", 18), .init("what", 30), .init("detail", 20),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        for u in r.reports {
            let until = u.banUntil.map { CST.formatShort($0) } ?? (u.ban.hasPrefix("permanent") ? "permanent" : "—")
            m.rows.append(["report", u.userId, "\(u.year): " + Words.count(u.successes, "success", "successes") + ", " + Words.count(u.shops, "shop", "shops"),
                           Words.ban(u.ban) + (u.ban == "none" ? "" : " until \(until)")])
            m.sortKeys.append([.text("report"), .text(u.userId), .number(Double(u.successes)), .text(u.ban)])
            m.roles.append(u.ban == "none" ? .dim : .warning)
            m.ids.append(u.userId)
            m.details.append(["user \(u.userId), \(u.year): \(u.successes) successful reports from \(u.shops) shop(s)",
                              "ban " + Words.ban(u.ban) + (u.ban == "none" ? "" : " until \(until)") + " · next step " + (u.nextStep.map(Words.ban) ?? "—")])
        }
        for f in r.copyFindings {
            m.rows.append(["copy", f.productId, f.productName, "norm \(f.norm): " + f.terms.joined(separator: "、")])
            m.sortKeys.append([.text("copy"), .text(f.productId), .text(f.productName), .number(Double(f.norm))])
            m.roles.append(.warning)
            m.ids.append(f.productId)
            m.details.append(["\(f.source) \(f.productId): " + highlight(f.productName, f.terms), "norm \(f.norm) \(f.normTitle): " + f.terms.map { "「\($0)」" }.joined(separator: " ")])
        }
        let t = r.trustPurchase
        m.rows.append(["trust", "信任购", "on \(t.on) / off \(t.off)", ""])
        m.sortKeys.append([.text("trust"), .text("信任购"), .number(Double(t.on)), .text("")])
        m.roles.append(.text)
        m.ids.append("trust")
        m.details.append(["信任购 trust purchase: \(t.on) goods on, \(t.off) off", "the badge brings: " + t.benefits.joined(separator: "; ")])
        return m
    }

    /// The text around the found terms, each marked 【…】 (a live script can be long: the
    /// context of the first term is kept).
    public static func highlight(_ text: String, _ terms: [String]) -> String {
        var out = text.replacingOccurrences(of: "\n", with: " ")
        for t in terms.sorted(by: { $0.count > $1.count }) { out = out.replacingOccurrences(of: t, with: "【" + t + "】") }
        if out.count > 60, let r = out.range(of: "【") {
            let start = out.index(r.lowerBound, offsetBy: -min(12, out.distance(from: out.startIndex, to: r.lowerBound)))
            out = (start == out.startIndex ? "" : "…") + String(out[start...])
        }
        return out
    }
}
