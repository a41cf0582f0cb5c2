import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// The drill-down table of each pane, built from the report: columns, rows (cell texts),
/// a role per row, a sort key per cell and the detail lines of each row.
public struct TableModel: Sendable {
    public var title: String
    public var columns: [TableView.Column]
    public var rows: [[String]]
    public var sortKeys: [[SortKey]]
    public var roles: [Theme.Role]
    public var details: [[String]]
    /// An id per row (violation id in the appeals table).
    public var ids: [String]
    /// Each column's widest cell, measured once when the model is built (`ColumnLayout`).
    public var cellWidths: [Int] = []

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

    /// The table of a pane in the UI language (terminal-ui.md, Language): cells and details
    /// in words, never the engine's codes.
    static func build(_ pane: PaneID, _ r: Report, _ l: Lang = .en) -> TableModel {
        var m: TableModel
        switch pane {
        case .shipping: m = shipping(r, l)
        case .exemption: m = exemption(r, l)
        case .appeals: m = appeals(r, l)
        case .coupons: m = coupons(r, l)
        case .aftersales: m = aftersales(r, l)
        case .more: m = more(r, l)
        }
        m.cellWidths = ColumnLayout.cellWidths(m.rows, columns: m.columns.count)
        return m
    }

    static func shipping(_ r: Report, _ l: Lang) -> TableModel {
        var m = TableModel(title: "Orders to act on · 待处理订单", columns: [
            .init("list", 10), .init("order", 20), .init("deadline", 16), .init("left", 9, right: true), .init("product", 24), .init("ship to", 20),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        func add(_ list: String, _ o: OrderRef, _ role: Theme.Role) {
            m.rows.append([list, o.orderId, CST.formatShort(o.deadline), Format.hours(o.hoursLeft), o.productName ?? "", o.shipTo ?? ""])
            m.sortKeys.append([.text(list), .text(o.orderId), .number(Double(o.deadline)), .number(o.hoursLeft), .text(o.productName ?? ""), .text(o.shipTo ?? "")])
            m.roles.append(role)
            m.ids.append(o.orderId)
            m.details.append([l.t("order ", "订单 ") + "\(o.orderId) · \(list)",
                              l.t("deadline ", "截止 ") + "\(CST.format(o.deadline)) (\(Format.hours(o.hoursLeft)))",
                              l.t("product ", "商品 ") + (o.productName ?? "—") + l.t(" · ship to ", " · 收货地 ") + (o.shipTo ?? "—")])
        }
        for o in r.shipping.lateUnshipped { add(l.t("late 超时", "超时未发货"), o, .breach) }
        for o in r.shipping.atRisk { add(l.t("at risk", "即将超时"), o, o.hoursLeft < 2 ? .breach : .warning) }
        for o in r.shipping.delayReportNeeded { add(l.t("报备 needed", "需报备"), o, .warning) }
        for o in r.shipping.protected { add(l.t("protected", "受保护"), o, .dim) }
        return m
    }

    static func exemption(_ r: Report, _ l: Lang) -> TableModel {
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
            m.details.append([l.t("week of ", "周起 ") + CST.formatDate(w.weekStart)
                                + (w.pendingPlatformRefresh ? l.t(" · platform figures may not show the adjustment yet", " · 平台数据可能尚未体现调整") : ""),
                              l.t("pickup anomaly rate ", "揽收异常率 ") + Format.pct(w.pickupAnomalyRate)
                                + l.t(" · excluded by logistics adjustments ", " · 因物流调整剔除 ") + "\(w.excludedOrders)"])
        }
        return m
    }

    static func appeals(_ r: Report, _ l: Lang) -> TableModel {
        var m = TableModel(title: "Violations · 违规记录", columns: [
            .init("violation", 12), .init("rule", 12), .init("status", 10), .init("pts", 4, right: true), .init("left", 4, right: true),
            .init("appeal", 20), .init("notified", 11),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        for v in r.violations.reversed() {
            let appeal = v.appealable ? l.t("可申诉 appealable", "可申诉") : (v.notAppealableReason.map { reasonText($0, l) } ?? "")
            let status = v.locallyFiled ? l.t("申诉中 (local)", "申诉中(本地)") : v.status
            m.rows.append([v.violationId, v.rule, status, "\(v.points)", "\(v.appealsLeft)", appeal, CST.formatShort(v.notifiedAt)])
            m.sortKeys.append([.text(v.violationId), .text(v.rule), .text(status), .number(Double(v.points)), .number(Double(v.appealsLeft)),
                               .text(appeal), .number(Double(v.notifiedAt))])
            m.roles.append(v.appealable ? .warning : (v.exemptionApplicable ? .good : .text))
            m.ids.append(v.violationId)
            var d = ["\(v.violationId) · \(v.rule) · \(v.subject) · " + l.t("notified ", "通知于 ") + CST.format(v.notifiedAt),
                     l.t("measures: ", "处罚措施：") + (v.measures.isEmpty ? "—" : v.measures.map { v.unknownMeasures.contains($0) ? $0 + l.t(" (unrecognised)", "（未识别）") : $0 }.joined(separator: "、")),
                     l.t("appeals used \(v.appealsUsed), left \(v.appealsLeft)", "已申诉 \(v.appealsUsed) 次，剩 \(v.appealsLeft) 次")
                        + (v.appealDeadline != .absent ? l.t(" · deadline ", " · 申诉截止 ") + CST.format(v.appealDeadline) : "")]
            if v.exemptionApplicable { d.append(l.t("high spot-goods exemption applies: this 超时未发货 penalty is waived", "高现货豁免适用：本次超时未发货处罚豁免")) }
            if v.appealable { d.append(l.t("a: file an appeal", "a：提交申诉")) }
            m.details.append(d)
        }
        return m
    }

    /// Products that do not qualify, grouped by why.
    static func notApplicable(_ c: CouponRow, _ l: Lang) -> String {
        var order: [String] = []
        var by: [String: [String]] = [:]
        for (id, why) in c.notApplicable { if by[why] == nil { order.append(why) }; by[why, default: []].append(id) }
        return order.map { "\(Words.phrase($0, l)): \(by[$0]!.joined(separator: ", "))" }.joined(separator: "; ")
    }

    /// Why a violation cannot be appealed, in words (the JSON keeps the code).
    public static func reasonText(_ code: String, _ l: Lang = .en) -> String {
        switch code {
        case "in_progress": return l.t("申诉中 in progress", "申诉中")
        case "resolved": return l.t("申诉成功 resolved", "申诉成功")
        case "final": return l.t("已生效 in force", "已生效")
        case "limit_reached": return l.t("no appeals left", "申诉次数已用完")
        case "deadline_passed": return l.t("appeal deadline passed", "已过申诉期")
        case "subject_not_allowed": return l.t("对象不可申诉 not appealable", "对象不可申诉")
        default: return l.t("not appealable", "不可申诉")
        }
    }

    static func coupons(_ r: Report, _ l: Lang) -> TableModel {
        var m = TableModel(title: "Timed coupons · 定时优惠", columns: [
            .init("activity", 9), .init("name", 14), .init("type", 10), .init("issue", 11), .init("in", 9, right: true),
            .init("goods", 5, right: true), .init("warnings", 30),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        for c in r.coupons {
            let left = c.issueAt - r.asOf
            m.rows.append([c.activityId, c.name ?? "", c.couponType, CST.formatShort(c.issueAt), Format.countdown(left), "\(c.applicableProducts)",
                           Words.couponWarnings(c.warnings, l)])
            m.sortKeys.append([.text(c.activityId), .text(c.name ?? ""), .text(c.couponType), .number(Double(c.issueAt)), .number(Double(left)),
                               .number(Double(c.applicableProducts)), .text(c.warnings.joined())])
            m.roles.append(c.warnings.isEmpty ? .text : .warning)
            m.ids.append(c.activityId)
            let none = l.t("none", "无")
            m.details.append(["\(c.activityId) \(c.name ?? "") · \(c.couponType) · 满\(Format.yuan(c.threshold))减\(Format.yuan(c.faceValue)) · "
                                + l.t("live plan ", "直播计划 ") + (c.livePlan ?? "—") + " · " + l.t("issued ", "发放 ") + CST.format(c.issueAt),
                              l.t("applicable goods: ", "适用商品：") + (c.applicableIds.isEmpty ? none : c.applicableIds.joined(separator: ", ")),
                              l.t("not applicable: ", "不适用：") + (c.notApplicableSummary.map { Words.phrase($0, l) } ?? (c.notApplicable.isEmpty ? none : notApplicable(c, l))),
                              l.t("warnings: ", "提醒：") + (c.warnings.isEmpty ? none : Words.couponWarnings(c.warnings, l))])
        }
        return m
    }

    static func aftersales(_ r: Report, _ l: Lang) -> TableModel {
        var m = TableModel(title: "After-sales stages · 售后时效", columns: [
            .init("refund", 10), .init("stage", 17), .init("kind", 8), .init("deadline", 11), .init("left", 9, right: true),
            .init("limit", 5, right: true), .init("why", 16),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        for s in r.aftersales.open {
            let why = s.limitReason == "normal" ? l.t("standard limit", "常规时限") : l.t("holiday ", "节假日 ") + s.limitReason
            m.rows.append([s.refundId, Words.in(l, Words.stage(s.stage)), s.kind.rawValue, CST.formatShort(s.deadline), Format.hours(s.hoursLeft),
                           "\(Int(s.limitHours))h", why])
            m.sortKeys.append([.text(s.refundId), .text(s.stage), .text(s.kind.rawValue), .number(Double(s.deadline)), .number(s.hoursLeft),
                               .number(s.limitHours), .text(s.limitReason)])
            m.roles.append(s.breached ? .breach : (s.hoursLeft < r.riskHorizonHours ? .warning : .text))
            m.ids.append(s.refundId)
            m.details.append(["\(s.refundId) · " + l.t("order ", "订单 ") + s.orderId + " · \(s.kind.rawValue) · " + Words.in(l, Words.stage(s.stage)),
                              l.t("started ", "开始 ") + CST.format(s.start) + l.t(" · limit \(Int(s.limitHours)) h (\(why))", " · 时限 \(Int(s.limitHours)) 小时（\(why)）"),
                              l.t("deadline ", "截止 ") + CST.format(s.deadline) + " (\(Format.hours(s.hoursLeft)))"])
        }
        for row in r.aftersales.rows {   // the refunds not judged normally
            m.rows.append([row.refundId, row.state, row.kind.rawValue, CST.formatShort(row.appliedAt), "", "", Words.phrase(row.note, l)])
            m.sortKeys.append([.text(row.refundId), .text(row.state), .text(row.kind.rawValue), .number(Double(row.appliedAt)), .number(.infinity), .number(0), .text(row.note)])
            m.roles.append(.dim)
            m.ids.append(row.refundId)
            m.details.append(["\(row.refundId) · " + l.t("order ", "订单 ") + row.orderId + " · \(row.kind.rawValue) · \(row.state)", Words.phrase(row.note, l)])
        }
        return m
    }

    static func more(_ r: Report, _ l: Lang) -> TableModel {
        var m = TableModel(title: "Reports, copy, trust · 举报·文案·信任购", columns: [
            .init("kind", 8), .init("id", 18), .init("what", 30), .init("detail", 20),
        ], rows: [], sortKeys: [], roles: [], details: [], ids: [])
        for u in r.reports {
            let until = u.banUntil.map { CST.formatShort($0) } ?? (u.ban.hasPrefix("permanent") ? l.t("permanent", "永久") : "—")
            let ban = Words.in(l, Words.ban(u.ban)) + (u.ban == "none" || u.banUntil == nil ? "" : l.t(" until ", " 至 ") + until)
            m.rows.append([l.t("report", "举报"), u.userId,
                           l.t("\(u.year): \(Words.count(u.successes, "successful report", "successful reports")), \(Words.count(u.shops, "shop", "shops"))",
                               "\(u.year) 年：成功举报 \(u.successes) 次，\(u.shops) 个店铺"), ban])
            m.sortKeys.append([.text("report"), .text(u.userId), .number(Double(u.successes)), .text(u.ban)])
            m.roles.append(u.ban == "none" ? .dim : .warning)
            m.ids.append(u.userId)
            m.details.append([l.t("user \(u.userId), \(u.year): \(Words.count(u.successes, "successful report", "successful reports")) from \(Words.count(u.shops, "shop", "shops"))",
                                  "用户 \(u.userId)，\(u.year) 年：\(u.shops) 个店铺成功举报 \(u.successes) 次"),
                              l.t("ban ", "封禁 ") + ban + l.t(" · next step ", " · 下一级 ") + (u.nextStep.map { Words.in(l, Words.ban($0)) } ?? "—")])
        }
        for f in r.copyFindings {
            m.rows.append([l.t("copy", "文案"), f.productId, f.productName, l.t("norm \(f.norm): ", "规范 \(f.norm)：") + f.terms.joined(separator: "、")])
            m.sortKeys.append([.text("copy"), .text(f.productId), .text(f.productName), .number(Double(f.norm))])
            m.roles.append(.warning)
            m.ids.append(f.productId)
            m.details.append(["\(f.source) \(f.productId): " + highlight(f.productName, f.terms), l.t("norm ", "规范 ") + "\(f.norm) \(f.normTitle): " + f.terms.map { "「\($0)」" }.joined(separator: " ")])
        }
        let t = r.trustPurchase
        m.rows.append([l.t("trust", "信任购"), "信任购", l.t("on \(t.on) / off \(t.off)", "开 \(t.on) / 关 \(t.off)"), ""])
        m.sortKeys.append([.text("trust"), .text("信任购"), .number(Double(t.on)), .text("")])
        m.roles.append(.text)
        m.ids.append("trust")
        m.details.append([l.t("信任购 trust purchase: \(t.on) goods on, \(t.off) off", "信任购：\(t.on) 个商品已开通，\(t.off) 个未开通"), l.t("the badge brings: ", "开通后：") + t.benefits.joined(separator: "; ")])
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
