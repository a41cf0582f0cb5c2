import ShopdeckScreen

/// The dashboard's panes, in Tab order.
public enum PaneID: Int, CaseIterable, Sendable {
    case shipping, exemption, appeals, coupons, aftersales, more

    public var title: String {
        switch self {
        case .shipping: return "发货 Shipping"
        case .exemption: return "现货·豁免 Spot goods"
        case .appeals: return "违规申诉 Appeals"
        case .coupons: return "定时优惠 Coupons"
        case .aftersales: return "售后 After-sales"
        case .more: return "举报·文案·信任购"
        }
    }

    /// The name `:` jumps to.
    public var command: String {
        switch self {
        case .shipping: return "shipping"
        case .exemption: return "exemption"
        case .appeals: return "appeals"
        case .coupons: return "coupons"
        case .aftersales: return "aftersales"
        case .more: return "reports"
        }
    }

    /// Other names a `:` command accepts for the pane (English and Chinese, as operators say it).
    public var aliases: [String] {
        switch self {
        case .shipping: return ["orders", "发货", "订单"]
        case .exemption: return ["spot", "现货", "豁免"]
        case .appeals: return ["violations", "违规", "申诉"]
        case .coupons: return ["优惠券", "定时优惠"]
        case .aftersales: return ["refunds", "售后"]
        case .more: return ["copy", "举报", "文案"]
        }
    }
}

/// Help: every key for a screen, generated from this table (the `?` overlay).
public enum Keymap {
    public static let dashboard: [(String, String)] = [
        ("Tab / Shift-Tab", "next / previous pane"),
        ("arrows, h j k l", "move between panes"),
        ("Enter", "open the pane's table"),
        ("a", "appeals: open the violations table"),
        ("r", "reload the data now"),
        ("t", "next theme"),
        (":", "command line (pane names, asof, theme, reload, quit)"),
        ("?", "this help"),
        ("q", "quit"),
    ]
    public static let table: [(String, String)] = [
        ("↑ ↓, j k", "select a row"),
        ("g / G", "first / last row"),
        ("PgUp / PgDn", "page up / down"),
        ("s / S", "sort by the next column / reverse the order"),
        ("/", "filter rows (Enter keeps, Esc clears)"),
        ("a", "appeal the selected violation (appeals table)"),
        ("Esc", "back to the dashboard"),
        ("Tab", "next pane's table"),
        ("r, t, :, ?, q", "reload, theme, command, help, quit"),
    ]
    public static let form: [(String, String)] = [
        ("Tab / Shift-Tab", "next / previous field"),
        ("← →", "reason: choose; text: move the caret"),
        ("Enter", "statement: new line; on 提交 Submit: review and confirm"),
        ("Backspace", "delete before the caret"),
        ("Esc", "cancel (asks when text was typed)"),
        ("q (reason, submit)", "quit, asking first when text would be lost"),
    ]
}
