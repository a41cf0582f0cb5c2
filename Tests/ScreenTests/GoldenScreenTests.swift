import SnapshotTesting
import Testing
@testable import ShopdeckApp
import ShopdeckScreen
import ShopdeckRules
import ShopdeckModel

/// Golden screens (issue 14): every screen at 80x24 and 120x40, in Chinese and English, text
/// and styles, rendered from `HandMade.report()`. A snapshot holds the screen's lines, then
/// one line of style letters per screen line and the legend of the letters, so a change of
/// one character or one style fails. Re-record with SNAPSHOT_TESTING_RECORD=all after a
/// deliberate change, and read the diff.
extension Snapshotting where Value == CellBuffer, Format == String {
    static var screen: Snapshotting<CellBuffer, String> {
        SimplySnapshotting.lines.pullback { b in
            var letters: [Style: Character] = [:]
            let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            var styleLines: [String] = []
            for y in 0..<b.height {
                var line = ""
                for x in 0..<b.width {
                    let cell = b[x, y]
                    if cell.width == 0 { continue }
                    if letters[cell.style] == nil { letters[cell.style] = alphabet[min(letters.count, alphabet.count - 1)] }
                    line.append(String(repeating: letters[cell.style]!, count: Int(cell.width)))
                }
                styleLines.append(line)
            }
            let legend = letters.sorted { $0.value < $1.value }.map { "\($0.value) = \(describe($0.key))" }
            var cursor = "cursor hidden"
            if let c = b.cursor { cursor = "cursor at \(c.x),\(c.y)" }
            return (0..<b.height).map { b.line($0) }.joined(separator: "\n") + "\n--- styles\n" + styleLines.joined(separator: "\n")
                + "\n--- legend\n" + legend.joined(separator: "\n") + "\n" + cursor + "\n"
        }
    }

    static func describe(_ s: Style) -> String {
        func color(_ c: Color) -> String {
            switch c {
            case .default: return "default"
            case .ansi(let i): return "ansi\(i)"
            case .indexed(let i): return "idx\(i)"
            case .rgb(let r, let g, let b): return "rgb(\(r),\(g),\(b))"
            }
        }
        var attrs: [String] = []
        if s.attrs.contains(.bold) { attrs.append("bold") }
        if s.attrs.contains(.reverse) { attrs.append("reverse") }
        if s.attrs.contains(.dim) { attrs.append("dim") }
        if s.attrs.contains(.underline) { attrs.append("underline") }
        return "fg \(color(s.fg)) bg \(color(s.bg))" + (attrs.isEmpty ? "" : " " + attrs.joined(separator: "+"))
    }
}

@Suite("Golden screens")
struct GoldenScreenTests {
    static let sizes = [(80, 24), (120, 40)]

    /// Each screen: a name and how to reach it from the dashboard.
    static let screens: [(String, @Sendable (inout AppState) -> Void)] = [
        ("dashboard", { _ in }),
        ("dashboard-replay", { s in s.fixedAsOf = HandMade.now }),
        ("dashboard-readonly", { s in s.readOnlyReason = "--read-only" }),
        // The first load, a third read: the panes wait, the status line says how far it is.
        ("dashboard-loading", { s in
            s.dataLoaded = false; s.loading = true
            s.loadProgress = LoadProgress.Counts(files: 1, totalFiles: 3, rows: 412_000, bytes: 96 << 20, totalBytes: 240 << 20, seconds: 0.5)
        }),
        ("orders", { s in s.focus = .shipping; s.screen = .table(.shipping) }),
        ("weeks", { s in s.focus = .exemption; s.screen = .table(.exemption) }),
        ("violations", { s in _ = Update.key(&s, .char("a")) }),
        ("coupons", { s in s.focus = .coupons; s.screen = .table(.coupons) }),
        ("aftersales", { s in s.focus = .aftersales; s.screen = .table(.aftersales); _ = Update.key(&s, .down) }),
        ("reports", { s in s.focus = .more; s.screen = .table(.more) }),
        ("violations-sorted-filtered", { s in
            _ = Update.key(&s, .char("a")); _ = Update.key(&s, .char("s")); _ = Update.key(&s, .char("/"))
            for c in "超时" { _ = Update.key(&s, .char(c)) }
            _ = Update.key(&s, .enter)
        }),
        ("help", { s in _ = Update.key(&s, .char("?")) }),
        ("help-table", { s in _ = Update.key(&s, .char("a")); _ = Update.key(&s, .char("?")) }),
        ("command", { s in _ = Update.key(&s, .char(":")); _ = Update.key(&s, .char("t")) }),
        ("warnings", { s in s.overlay = .warnings(from: 0) }),
        ("appeal-form", { s in
            _ = Update.key(&s, .char("a")); _ = Update.key(&s, .down); _ = Update.key(&s, .char("a"))
            _ = Update.key(&s, .tab)
            for c in "该订单已于承诺时间内发货，物流公司揽收延迟导致系统记录异常，附物流公司出具的证明与揽收记录截图，请核实后撤销处罚。" { _ = Update.key(&s, .char(c)) }
        }),
        ("appeal-confirm", { s in
            _ = Update.key(&s, .char("a")); _ = Update.key(&s, .down); _ = Update.key(&s, .char("a"))
            _ = Update.key(&s, .tab)
            for c in "已按时发货，物流揽收延迟。\n附揽收记录截图。" { _ = Update.key(&s, .char(c == "\n" ? "\n" : c)) }
            for _ in 0..<3 { _ = Update.key(&s, .tab) }
            _ = Update.key(&s, .enter)
        }),
        ("appeal-readonly-refused", { s in s.readOnlyReason = "--read-only"; _ = Update.key(&s, .char("a")); _ = Update.key(&s, .down); _ = Update.key(&s, .char("a")) }),
    ]

    @Test(arguments: [Lang.zh, Lang.en])
    func everyScreenAtBothSizes(_ lang: Lang) {
        for (name, reach) in Self.screens {
            for (w, h) in Self.sizes {
                var s = HandMade.state(lang: lang)
                reach(&s)
                assertSnapshot(of: View.render(s, width: w, height: h), as: .screen, named: "\(name)-\(w)x\(h)-\(lang.rawValue)")
            }
        }
    }

    @Test func tooSmallSaysSo() {
        let s = HandMade.state(lang: .zh)
        assertSnapshot(of: View.render(s, width: 60, height: 20), as: .screen, named: "too-small")
    }
}

/// The fleet view (terminal-ui.md, Fleet), from hand-made shops: ranked rows, the totals, help.
@Suite("Golden fleet screens")
struct GoldenFleetScreenTests {
    static func state(_ lang: Lang) -> FleetState {
        var s = FleetState(folder: "/srv/exports")
        s.lang = lang
        s.now = HandMade.now
        s.loading = false
        var late = HandMade.report()
        late.violations = []
        var calm = HandMade.report()
        calm.shipping.lateUnshipped = []; calm.shipping.atRisk = []; calm.aftersales.open = []; calm.coupons = []; calm.load = LoadSummary()
        var failing = calm
        failing.exemption.eligible = false; failing.exemption.failed = ["paid_orders"]
        s.update([
            Fleet.Shop(path: "shopC", name: "安静小店", report: calm),
            Fleet.Shop(path: "shopA", name: "义乌小橙家居旗舰店", report: late),
            Fleet.Shop(path: "shopD", name: "shopD", report: nil, error: "orders_export.csv: cannot be read (permission denied)"),
            Fleet.Shop(path: "shopB", name: "豁免不足的店", report: failing),
        ])
        return s
    }

    @Test(arguments: [Lang.zh, Lang.en])
    func fleetAtBothSizes(_ lang: Lang) {
        for (w, h) in [(80, 24), (120, 40)] {
            var s = Self.state(lang)
            assertSnapshot(of: FleetView.render(s, width: w, height: h), as: .screen, named: "fleet-\(w)x\(h)-\(lang.rawValue)")
            s.help = true
            assertSnapshot(of: FleetView.render(s, width: w, height: h), as: .screen, named: "fleet-help-\(w)x\(h)-\(lang.rawValue)")
        }
        // The first load: one progress line for the fleet.
        var loading = FleetState(folder: "/srv/exports")
        loading.lang = lang; loading.now = HandMade.now; loading.progress = (37, 100)
        assertSnapshot(of: FleetView.render(loading, width: 80, height: 24), as: .screen, named: "fleet-loading-80x24-\(lang.rawValue)")
    }
}
