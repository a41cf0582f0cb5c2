import Foundation
import ShopdeckModel

/// Number and time formatting for the screen.
public enum Format {
    public static func pct(_ d: Double?, digits: Int = 1) -> String {
        guard let d else { return "—" }
        return String(format: "%.\(digits)f%%", d * 100)
    }

    /// A threshold as a percentage without needless decimals: 0.70 -> "70%", 0.975 -> "97.5%".
    public static func pctShort(_ d: Double) -> String {
        let v = (d * 1000).rounded() / 10
        return v == v.rounded() ? "\(Int(v))%" : String(format: "%.1f%%", v)
    }

    public static func int(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.reversed().enumerated() { if i > 0 && i % 3 == 0 { out.append(",") }; out.append(c) }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    /// A countdown: `2d 3h`, `3h 05m`, `12m`, `-1h 20m` (overdue).
    public static func countdown(_ seconds: Int64) -> String {
        let neg = seconds < 0
        var s = abs(seconds)
        let d = s / 86_400; s %= 86_400
        let h = s / 3600; s %= 3600
        let m = s / 60
        let body: String
        if d > 0 { body = "\(d)d \(h)h" } else if h > 0 { body = String(format: "%dh %02dm", h, m) } else { body = "\(m)m" }
        return (neg ? "-" : "") + body
    }

    public static func hours(_ h: Double) -> String { countdown(Int64((h * 3600).rounded())) }

    public static func yuan(_ fen: Int64) -> String { String(format: "¥%d.%02d", fen / 100, abs(fen % 100)) }
}
