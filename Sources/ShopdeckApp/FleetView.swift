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

/// The fleet screen: a table of shops and a status line that totals the fleet.
public enum FleetView {
    static let columns: [TableView.Column] = [
        .init("shop 店铺", 24), .init("late 超时", 9, right: true), .init("at risk", 8, right: true), .init("next", 9, right: true),
        .init("exemption 豁免", 16), .init("after-sales 售后", 17), .init("appeal", 7, right: true), .init("coupons", 8, right: true),
        .init("errors", 7, right: true),
    ]

    static func row(_ s: Fleet.Shop, _ m: Fleet.Summary) -> ([String], Theme.Role) {
        if let e = s.error { return ([s.name, "—", "—", "—", "cannot be loaded", String(e.prefix(40)), "—", "—", "1"], .breach) }
        let ex = !m.exemptionInForce ? "not in force" : (m.exemptionEligible ? "eligible 可豁免" : "not eligible")
        let next = m.nearestHours.map { $0 >= 1 ? String(format: "%.1fh", $0) : String(format: "%.0fm", max(0, $0 * 60)) } ?? "—"
        let role: Theme.Role = m.late + m.stagesBreached > 0 ? .breach : (m.atRisk + m.stagesAtRisk > 0 ? .warning : .text)
        return ([s.name, "\(m.late)", "\(m.atRisk)", next, ex, "\(m.stagesBreached) late · \(m.stagesAtRisk) soon",
                 "\(m.appealable)", "\(m.couponWarnings)", "\(m.loadErrors)"], role)
    }

    public static func render(_ s: FleetState, width: Int, height: Int, theme: Theme = .standard, glyphs: Glyphs = .unicode) -> CellBuffer {
        var c = Canvas(width: width, height: height, theme: theme, glyphs: glyphs)
        guard width >= 80, height >= 24 else {
            c.text("shopdeck needs at least 80x24 (this is \(width)x\(height)); q quits", x: 0, y: 0, role: .warning, maxWidth: width)
            return c.buffer
        }
        c.buffer.fill(Rect(x: 0, y: 0, width: width, height: 1), style: theme[.header])
        c.text(" shopdeck · fleet 店铺群 · \(s.folder) · \(s.shops.count) shops · as of \(CST.format(s.now)) CST", x: 0, y: 0, role: .header, maxWidth: width)
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        let inner = c.pane(body, title: "Shops by urgency · 按紧急程度 · \(s.shops.isEmpty ? 0 : s.selected + 1)/\(s.shops.count)", focused: true)
        if s.loading && s.shops.isEmpty {
            c.text("loading… 加载中", x: inner.x + 1, y: inner.y, role: .dim)
        } else {
            let rows = zip(s.shops, s.summaries).map(row)
            let visible = max(1, inner.height - 1)
            let scroll = TableView.scroll(selected: s.selected, scroll: s.scroll, visible: visible, count: rows.count)
            let view = TableView(columns: columns, rows: rows.map(\.0), rowRoles: rows.map(\.1), selected: s.selected, scroll: scroll)
            _ = view.draw(into: &c, Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height))
        }
        // Status: the fleet's totals, or a message.
        let y = height - 1
        c.buffer.fill(Rect(x: 0, y: y, width: width, height: 1), style: theme[.status])
        let sums = s.summaries
        let totals = " late \(sums.reduce(0) { $0 + $1.late }) · at risk \(sums.reduce(0) { $0 + $1.atRisk })"
            + " · after-sales late \(sums.reduce(0) { $0 + $1.stagesBreached })"
            + " · not eligible \(sums.filter { $0.exemptionInForce && !$0.exemptionEligible }.count)"
            + " · cannot load \(sums.filter(\.failed).count)" + (s.loading ? " · loading…" : "")
        let hints = "↑↓ move  Enter open  ? help  q quit"
        let left = s.status.map { " " + $0 } ?? totals
        c.text(left, x: 0, y: y, role: .status, maxWidth: max(0, width - DisplayWidth.of(hints) - 2))
        c.text(hints, x: width - DisplayWidth.of(hints) - 1, y: y, role: .status)
        if s.help {
            let lines = ["One row per shop, most urgent first:",
                         "1. a shop that cannot be loaded (its error is shown);",
                         "2. what has already breached: late orders and late after-sales stages, most first;",
                         "3. then the nearest coming deadline (an order at risk or an after-sales stage);",
                         "4. then a failing high spot-goods exemption;",
                         "5. then appealable violations, coupon warnings and load errors.",
                         "",
                         "↑↓ j k move · Enter opens the shop's dashboard (Esc comes back) · r reload · q quit"]
            let w = min(width - 4, 90), h = lines.count + 4
            let box = Rect(x: (width - w) / 2, y: (height - h) / 2, width: w, height: h)
            c.buffer.fill(box, style: theme[.text])
            let inner = c.pane(box, title: "fleet · 店铺群 help (any key closes)", focused: true)
            for (i, l) in lines.enumerated() { c.text(l, x: inner.x + 1, y: inner.y + i, maxWidth: inner.width - 2) }
        }
        return c.buffer
    }
}
