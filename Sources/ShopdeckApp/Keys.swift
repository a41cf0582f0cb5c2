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

/// Help: every key for a screen, generated from this table (the `?` overlay), in the UI
/// language; a key that does nothing on this screen (or in review mode) is not listed.
public enum Keymap {
    public static func dashboard(_ l: Lang, readOnly: Bool) -> [(String, String)] {
        [
            ("Tab / Shift-Tab", l.t("next / previous pane", "下一个 / 上一个面板")),
            (l.t("arrows, h j k l", "方向键、h j k l"), l.t("move between panes", "在面板间移动")),
            ("Enter", l.t("open the pane's table", "打开面板的明细表")),
            ("a", readOnly ? l.t("open the violations table (review mode: no filing)", "打开违规表（只读：不可申诉）")
                           : l.t("open the violations table to file an appeal", "打开违规表以提交申诉")),
            ("r", l.t("reload the data now", "立即重新加载数据")),
            ("t", l.t("next theme", "切换主题")),
            (":", l.t("command line with Tab completion: pane and table names (English or Chinese), asof now / -1d / mon / a time, theme NAME, reload, warnings, quit",
                      "命令行（Tab 补全）：面板或表名（中英文均可）、asof now / -1d / mon / 时间、theme 主题名、reload、warnings、quit")),
            ("?", l.t("this help", "本帮助")),
            ("q", l.t("quit (asks first while an appeal form holds text)", "退出（申诉表单有未提交文字时先确认）")),
        ]
    }

    public static func table(_ l: Lang, readOnly: Bool, appeals: Bool) -> [(String, String)] {
        var keys: [(String, String)] = [
            ("↑ ↓, j k", l.t("select a row", "选择行")),
            ("g / G", l.t("first / last row", "第一行 / 最后一行")),
            ("PgUp / PgDn", l.t("page up / down", "上一页 / 下一页")),
            ("s / S", l.t("sort by the next column / reverse the order", "按下一列排序 / 反转顺序")),
            ("/", l.t("filter rows (Enter keeps, Esc clears)", "筛选行（Enter 保留，Esc 清除）")),
        ]
        if appeals && !readOnly { keys.append(("a, Enter", l.t("appeal the selected violation", "对所选违规提交申诉"))) }
        keys += [
            ("Esc", l.t("back to the dashboard", "返回总览")),
            ("Tab", l.t("next pane's table", "下一个面板的明细表")),
            ("r t : ? q", l.t("reload, theme, command, help, quit", "重载、主题、命令、帮助、退出")),
        ]
        return keys
    }
}
