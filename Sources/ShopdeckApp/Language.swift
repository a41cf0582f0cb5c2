import Foundation

/// The UI language (terminal-ui.md, Language): `--lang zh|en`, else `[ui] lang`, else the
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG` starting with `zh`), else English. Machine outputs
/// never change with it.
public enum Lang: String, Sendable, CaseIterable {
    case en, zh

    public static func resolve(flag: String?, config: String?, environment env: [String: String] = ProcessInfo.processInfo.environment) -> Lang {
        if let f = flag.flatMap(Lang.init(rawValue:)) { return f }
        if let c = config.flatMap(Lang.init(rawValue:)) { return c }
        for k in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[k], !v.isEmpty { return v.lowercased().hasPrefix("zh") ? .zh : .en }
        }
        return .en
    }

    /// The English or the Chinese text. English keeps the platform's Chinese term beside the
    /// translation where an operator searches the backend for it.
    @inline(__always) public func t(_ en: String, _ zh: String) -> String { self == .zh ? zh : en }
}

extension PaneID {
    public func title(_ l: Lang) -> String {
        switch (self, l) {
        case (.shipping, .zh): return "发货"
        case (.exemption, .zh): return "现货·豁免"
        case (.appeals, .zh): return "违规申诉"
        case (.coupons, .zh): return "定时优惠"
        case (.aftersales, .zh): return "售后"
        case (.more, .zh): return "举报·文案·信任购"
        default: return title
        }
    }
}

/// The tables' titles and column names in Chinese (their English is in `TableModels`).
public enum TableWords {
    static let columns: [String: String] = [
        "activity": "活动", "appeal": "申诉", "deadline": "截止", "detail": "详情", "due": "应发", "excl": "剔除", "goods": "商品",
        "id": "编号", "in": "剩余", "issue": "发放", "kind": "类型", "left": "剩余", "limit": "时限", "list": "列表", "name": "名称",
        "notified": "通知时间", "on time": "按时", "order": "订单", "paid": "支付", "pickup": "揽收", "product": "商品", "pts": "扣分",
        "rate": "比率", "refund": "售后单", "rule": "违规类型", "share": "占比", "ship to": "收货地", "spot": "现货", "stage": "阶段",
        "status": "状态", "type": "券类型", "violation": "违规编号", "warnings": "提醒", "week": "周", "what": "内容", "why": "原因",
    ]

    public static func column(_ en: String, _ l: Lang) -> String { l == .zh ? (columns[en] ?? en) : en }

    /// "Violations · 违规记录" -> "违规记录" in Chinese.
    public static func title(_ bilingual: String, _ l: Lang) -> String {
        guard l == .zh, let r = bilingual.range(of: " · ") else { return bilingual }
        return String(bilingual[r.upperBound...])
    }
}
