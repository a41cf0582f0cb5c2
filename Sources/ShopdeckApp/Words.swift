/// What the screens say for the engine's codes (issue 14: no internal code on any screen).
/// The report JSON keeps the codes (report-json.md); the screens show the platform's Chinese
/// term an operator searches the backend for, with a short English gloss.
public enum Words {
    public static func stage(_ code: String) -> String {
        switch code {
        case "merchant_handling": return "商家处理 handling"
        case "buyer_return": return "买家退货 return"
        case "auto_receipt": return "自动收货 receipt"
        default: return code
        }
    }

    public static func couponWarning(_ code: String) -> String {
        switch code {
        case "face_not_below_threshold": return "面额不低于门槛 face ≥ threshold"
        case "no_applicable_goods": return "无适用商品 no applicable goods"
        case "issue_time_passed": return "发放时间已过 issue time passed"
        case "schedule_clash": return "同场同分钟冲突 schedule clash"
        case "not_professional_anchor": return "非专业主播 not a pro anchor"
        default: return code
        }
    }

    public static func couponWarnings(_ codes: [String], _ l: Lang = .en) -> String { codes.map { Words.in(l, couponWarning($0)) }.joined(separator: "、") }

    /// The engine's explanatory phrases (after-sales notes, coupon applicability) in the UI
    /// language; the JSON keeps the engine's English.
    public static func phrase(_ s: String, _ l: Lang) -> String {
        guard l == .zh else { return s == "normal" ? "standard" : s }
        var out = s
        let fixed: [(String, String)] = [
            ("normal", "常规"), ("exchange: no deadline", "换货：无时限"), ("intervened: not averaged", "平台介入：不计入均值"),
            ("official campaign: assessed as usual", "官方活动：照常考核"), ("excluded: applied in ", "剔除：申请于 "),
            ("excluded: epidemic window ", "剔除：疫情调整 "), ("price below threshold", "价格低于门槛"),
            ("commission below face value", "佣金低于面额"), ("unknown coupon type", "未知券类型"),
            ("product, not the shop's own", "商品，非本店自有"),
        ]
        if out == "normal" { return "常规" }
        for (en, zh) in fixed { out = out.replacingOccurrences(of: en, with: zh) }
        if let r = out.range(of: #"not a (\S+) product"#, options: .regularExpression) {
            let name = out[r].dropFirst(6).dropLast(8)
            out.replaceSubrange(r, with: "非\(name)商品")
        }
        return out
    }

    public static func ban(_ code: String) -> String {
        switch code {
        case "none": return "无 none"
        case "72h": return "封禁72小时 72 h"
        case "7d": return "封禁7天 7 days"
        case "30d": return "封禁30天 30 days"
        case "permanent_shop": return "本店永久 shop, permanent"
        case "permanent_platform": return "全平台永久 platform, permanent"
        default: return code
        }
    }

    /// A bilingual word ("商家处理 handling") in one language: the Chinese term alone in the
    /// Chinese UI, both (the term an operator searches the backend for, then the gloss) in English.
    public static func `in`(_ l: Lang, _ bilingual: String) -> String {
        guard l == .zh, let space = bilingual.firstIndex(of: " ") else { return bilingual }
        return String(bilingual[..<space])
    }

    /// A bilingual word in one language, shortest: the Chinese term in the Chinese UI, the
    /// English gloss alone in the English one (where a narrow pane has no room for both).
    public static func short(_ l: Lang, _ bilingual: String) -> String {
        guard let space = bilingual.firstIndex(of: " ") else { return bilingual }
        return l == .zh ? String(bilingual[..<space]) : String(bilingual[bilingual.index(after: space)...])
    }

    /// "1 error", "2 errors".
    public static func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
}
