import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// The fleet screen's state (terminal-ui.md, Fleet): one row per shop, ranked by urgency.
public struct FleetState: Sendable {
    public var folder: String
    /// Ranked, most urgent first, with their summaries (computed when the rows change, not
    /// on every frame).
    public var shops: [Fleet.Shop] = []
    public var summaries: [Fleet.Summary] = []
    public var selected = 0
    /// The selected shop's path: the selection follows it through re-ranking.
    public var selectedPath: String? = nil
    public var scroll = 0
    public var status: String? = nil
    public var loading = true
    public var help = false
    public var now: Instant = 0
    public var lang: Lang = .en
    /// Shops loaded of all while a load runs (the fleet's one progress line).
    public var progress: (done: Int, total: Int)? = nil

    public init(folder: String) { self.folder = folder }

    /// New figures: ranked again, the selection kept on the same shop.
    public mutating func update(_ shops: [Fleet.Shop]) {
        let ranked = Fleet.rankedWithSummaries(shops)
        self.shops = ranked.map(\.0)
        summaries = ranked.map(\.1)
        if let p = selectedPath, let i = self.shops.firstIndex(where: { $0.path == p }) { selected = i }
        selected = max(0, min(selected, self.shops.count - 1))
        selectedPath = self.shops.indices.contains(selected) ? self.shops[selected].path : nil
    }

    public mutating func move(_ d: Int) {
        guard !shops.isEmpty else { return }
        selected = max(0, min(shops.count - 1, selected + d))
        selectedPath = shops[selected].path
    }
}

/// The fleet screen: a table of shops and a status line that totals the fleet, in the UI
/// language.
public enum FleetView {
    static func columns(_ l: Lang) -> [TableView.Column] {
        [
            .init(l.t("shop 店铺", "店铺"), 24), .init(l.t("late 超时", "超时"), 9, right: true), .init(l.t("at risk", "即将超时"), 8, right: true),
            .init(l.t("next", "最近"), 9, right: true), .init(l.t("exemption 豁免", "豁免"), 16), .init(l.t("after-sales 售后", "售后"), 17),
            .init(l.t("appeal", "可申诉"), 7, right: true), .init(l.t("coupons", "优惠券"), 8, right: true), .init(l.t("errors", "问题"), 7, right: true),
        ]
    }

    static func row(_ s: Fleet.Shop, _ m: Fleet.Summary, _ l: Lang) -> ([String], Theme.Role) {
        if let e = s.error { return ([s.name, "—", "—", "—", l.t("cannot be loaded", "无法加载"), e, "—", "—", "1"], .breach) }
        let ex = !m.exemptionInForce ? l.t("not in force", "尚未生效") : (m.exemptionEligible ? l.t("eligible 可豁免", "可豁免") : l.t("not eligible", "不满足豁免"))
        let next = m.nearestHours.map { $0 >= 1 ? String(format: "%.1fh", $0) : String(format: "%.0fm", max(0, $0 * 60)) } ?? "—"
        let role: Theme.Role = m.late + m.stagesBreached > 0 ? .breach : (m.atRisk + m.stagesAtRisk > 0 ? .warning : .text)
        return ([s.name, "\(m.late)", "\(m.atRisk)", next, ex, l.t("\(m.stagesBreached) late · \(m.stagesAtRisk) soon", "超时 \(m.stagesBreached) · 临近 \(m.stagesAtRisk)"),
                 "\(m.appealable)", "\(m.couponWarnings)", "\(m.loadErrors)"], role)
    }

    public static func render(_ s: FleetState, width: Int, height: Int, theme: Theme = .standard, glyphs: Glyphs = .unicode) -> CellBuffer {
        var c = Canvas(width: width, height: height, theme: theme, glyphs: glyphs)
        let l = s.lang
        guard width >= 80, height >= 24 else {
            c.text(l.t("shopdeck needs at least 80x24 (this is \(width)x\(height)); enlarge the terminal (q quits)",
                       "shopdeck 至少需要 80x24 的终端（当前 \(width)x\(height)）；请放大终端（q 退出）"), x: 0, y: 0, role: .warning, maxWidth: width)
            return c.buffer
        }
        c.buffer.fill(Rect(x: 0, y: 0, width: width, height: 1), style: theme[.header])
        c.text(l.t(" shopdeck · fleet 店铺群 · \(s.folder) · \(s.shops.count) shops · as of \(CST.format(s.now)) CST",
                   " shopdeck · 店铺群 · \(s.folder) · \(s.shops.count) 个店铺 · 截至 \(CST.format(s.now)) CST"), x: 0, y: 0, role: .header, maxWidth: width)
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        let inner = c.pane(body, title: l.t("Shops by urgency · 按紧急程度", "按紧急程度排列的店铺") + " · \(s.shops.isEmpty ? 0 : s.selected + 1)/\(s.shops.count)", focused: true)
        if s.loading && s.shops.isEmpty {
            let p = s.progress.map { l.t(" \($0.done)/\($0.total) shops", " \($0.done)/\($0.total) 个店铺") } ?? ""
            c.text(l.t("loading…", "加载中…") + p, x: inner.x + 1, y: inner.y, role: .dim)
        } else {
            let rows = zip(s.shops, s.summaries).map { row($0, $1, l) }
            let visible = max(1, inner.height - 1)
            let scroll = TableView.scroll(selected: s.selected, scroll: s.scroll, visible: visible, count: rows.count)
            let titles = columns(l)
            var cols = titles
            let widths = ColumnLayout.widths(titles: titles.map(\.title), rows: rows.map(\.0), available: inner.width - 1,
                                             flexible: [false, false, false, false, true, true, false, false, false])
            for i in cols.indices { cols[i].width = widths[i] }
            var view = TableView(columns: cols, rows: rows.map(\.0), rowRoles: rows.map(\.1), selected: s.selected, scroll: scroll)
            view.emptyText = l.t("(no shop folder here)", "（这里没有店铺文件夹）")
            _ = view.draw(into: &c, Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height))
        }
        // Status: the fleet's totals, or a message.
        let y = height - 1
        c.buffer.fill(Rect(x: 0, y: y, width: width, height: 1), style: theme[.status])
        let sums = s.summaries
        let late = sums.reduce(0) { $0 + $1.late }, risk = sums.reduce(0) { $0 + $1.atRisk }, stages = sums.reduce(0) { $0 + $1.stagesBreached }
        let notEligible = sums.filter { $0.exemptionInForce && !$0.exemptionEligible }.count, failed = sums.filter(\.failed).count
        // While a load runs its progress comes first (a narrow terminal cuts the totals' end).
        let loadingNow = s.loading || s.progress != nil
            ? (s.progress.map { l.t(" loading \($0.done)/\($0.total) shops… ·", " 加载中 \($0.done)/\($0.total) 个店铺… ·") } ?? l.t(" loading… ·", " 加载中… ·")) : ""
        let totals = loadingNow + l.t(" late \(late) · at risk \(risk) · after-sales late \(stages) · not eligible \(notEligible) · cannot load \(failed)",
                                      " 超时 \(late) · 即将超时 \(risk) · 售后超时 \(stages) · 不满足豁免 \(notEligible) · 无法加载 \(failed)")
        let hints = l.t("↑↓ move  Enter open  ? help  q quit", "↑↓ 移动  Enter 打开  ? 帮助  q 退出")
        let left = s.status.map { " " + $0 } ?? totals
        c.text(left, x: 0, y: y, role: .status, maxWidth: max(0, width - DisplayWidth.of(hints) - 2))
        c.text(hints, x: width - DisplayWidth.of(hints) - 1, y: y, role: .status)
        if s.help {
            let lines = l == .zh ? ["每个店铺一行，最紧急的在前：",
                                    "1. 无法加载的店铺（显示原因）；",
                                    "2. 已经超时的：超时未发货订单和超时的售后环节，多者在前；",
                                    "3. 然后是最近的截止时间（即将超时的订单或售后环节）；",
                                    "4. 然后是不满足的高现货豁免；",
                                    "5. 然后是可申诉的违规、优惠券提醒和加载问题。",
                                    "",
                                    "↑↓ j k 移动 · Enter 打开店铺的总览（Esc 返回）· r 重新加载 · q 退出"]
                : ["One row per shop, most urgent first:",
                   "1. a shop that cannot be loaded (its error is shown);",
                   "2. what has already breached: late orders and late after-sales stages, most first;",
                   "3. then the nearest coming deadline (an order at risk or an after-sales stage);",
                   "4. then a failing high spot-goods exemption;",
                   "5. then appealable violations, coupon warnings and load errors.",
                   "",
                   "↑↓ j k move · Enter opens the shop's dashboard (Esc comes back) · r reload · q quit"]
            let w = min(width - 4, 90)
            let wrapped = lines.flatMap { $0.isEmpty ? [""] : wrap($0, w - 4) }
            let h = wrapped.count + 4
            let box = Rect(x: (width - w) / 2, y: (height - h) / 2, width: w, height: h)
            c.buffer.fill(box, style: theme[.text])
            let inner = c.pane(box, title: l.t("fleet · 店铺群 help (any key closes)", "店铺群帮助（任意键关闭）"), focused: true)
            for (i, line) in wrapped.enumerated() { c.text(line, x: inner.x + 1, y: inner.y + i, maxWidth: inner.width - 2) }
        }
        return c.buffer
    }
}
