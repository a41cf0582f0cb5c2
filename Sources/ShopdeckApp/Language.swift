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
