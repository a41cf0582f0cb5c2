/// An instant in time as whole seconds since the Unix epoch (UTC).
///
/// Every timestamp in the exports is China Standard Time, UTC+8 with no daylight saving
/// (rules.md §0), so converting a wall-clock reading is a fixed -8 h shift. `absent` marks a
/// missing time in the columnar tables (cheaper than `Optional<Int64>` in an array).
public typealias Instant = Int64

public extension Instant {
    /// Marks "no time" in a column.
    static let absent: Int64 = .min
}

/// Calendar arithmetic and parsing for China Standard Time, without Foundation's
/// `DateFormatter` (46 µs a string on Linux; this is ~30 ns).
public enum CST {
    public static let offset: Int64 = 8 * 3600
    public static let day: Int64 = 86_400
    public static let week: Int64 = 7 * 86_400

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    @inline(__always)
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number (inverse of `days`).
    public static func civil(days z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// The instant of a CST wall-clock reading.
    @inline(__always)
    public static func instant(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Instant {
        days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offset
    }

    /// Monday 00:00:00 CST of the natural week holding `t` (rules.md §0).
    @inline(__always)
    public static func weekStart(_ t: Instant) -> Instant { weekStart(number: weekNumber(t)) }

    /// The natural week holding `t`, numbered from the week of 1970-01-01 (week 0 began on
    /// Monday 1969-12-29): one division, for tables keyed by week.
    @inline(__always)
    public static func weekNumber(_ t: Instant) -> Int64 {
        // 1970-01-01 was a Thursday: three days on, every week starts on a multiple of 7 days.
        floorDiv(t + offset + 3 * day, week)
    }

    /// Monday 00:00:00 CST of week `number` (`weekNumber`).
    @inline(__always)
    public static func weekStart(number: Int64) -> Instant { number * week - 3 * day - offset }

    /// 00:00:00 CST of the day holding `t`.
    public static func dayStart(_ t: Instant) -> Instant {
        floorDiv(t + offset, day) * day - offset
    }

    /// 0 = Monday … 6 = Sunday, in CST.
    public static func weekday(_ t: Instant) -> Int {
        Int(floorMod(floorDiv(t + offset, day) + 3, 7))
    }

    /// The CST calendar year of `t`.
    public static func year(_ t: Instant) -> Int {
        civil(days: floorDiv(t + offset, day)).year
    }

    /// 1 Jan 00:00:00 CST of `year`.
    public static func yearStart(_ year: Int) -> Instant { instant(year: year, month: 1, day: 1) }

    @inline(__always) static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
    @inline(__always) static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    /// `YYYY-MM-DD HH:MM:SS` in CST (report-json.md conventions).
    /// An instant no export can hold (far outside 1970 … 2099, `.absent` included) is "-".
    public static func format(_ t: Instant) -> String {
        guard t > -(1 << 50), t < 1 << 50 else { return "-" }
        let local = t + offset
        let d = floorDiv(local, day)
        let s = Int(local - d * day)
        let c = civil(days: d)
        return "\(pad4(c.year))-\(pad2(c.month))-\(pad2(c.day)) \(pad2(s / 3600)):\(pad2(s / 60 % 60)):\(pad2(s % 60))"
    }

    /// `YYYY-MM-DD` of the CST day holding `t`: how a week is named (by its Monday).
    public static func formatDate(_ t: Instant) -> String {
        guard t > -(1 << 50), t < 1 << 50 else { return "-" }
        let c = civil(days: floorDiv(t + offset, day))
        return "\(pad4(c.year))-\(pad2(c.month))-\(pad2(c.day))"
    }

    /// `MM-DD HH:MM`, for compact screens.
    public static func formatShort(_ t: Instant) -> String {
        let local = t + offset
        let d = floorDiv(local, day)
        let s = Int(local - d * day)
        let c = civil(days: d)
        return "\(pad2(c.month))-\(pad2(c.day)) \(pad2(s / 3600)):\(pad2(s / 60 % 60))"
    }

    static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    static func pad4(_ v: Int) -> String {
        let s = String(v)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }

    /// Parses a time as data-formats.md accepts it, from a String.
    public static func parse(_ text: String) -> TimeParse {
        var t = text
        return t.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }
}

/// The outcome of reading a time cell.
public enum TimeParse: Equatable, Sendable {
    case absent
    case value(Instant)
    case invalid
}

extension CST {
    /// The earliest and latest readable instants: 1970-01-01 00:00:00 … 2099-12-31 23:59:59 CST
    /// (data-formats.md "Times"). Anything outside is unreadable, so no report spans absurd weeks.
    public static let earliest: Instant = instant(year: 1970, month: 1, day: 1)
    public static let latest: Instant = instant(year: 2099, month: 12, day: 31, hour: 23, minute: 59, second: 59)

    @inline(__always)
    static func inRange(_ t: Instant) -> TimeParse { t >= earliest && t <= latest ? .value(t) : .invalid }

    /// Parses a time cell from UTF-8 bytes (surrounding spaces are skipped here).
    ///
    /// Accepted (data-formats.md "Times"): `YYYY-MM-DD HH:MM:SS`, `YYYY/MM/DD HH:MM:SS`,
    /// `YYYY-MM-DD HH:MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` with an optional `+08:00`/`Z`
    /// offset, epoch milliseconds (13 digits) or seconds (10 digits), and what Excel writes back
    /// when it re-saves a CSV: month, day and hour without zero padding, seconds optional
    /// (`2025/3/6 15:43`, `2025-3-6 9:05:07`). Empty, `-`, `--`, `—`, `/` and `0` are absent.
    /// A time outside 1970 … 2099 is `.invalid`.
    @inline(__always)
    public static func parse(_ b: UnsafeRawBufferPointer) -> TimeParse {
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 || b[hi - 1] == 0x0D { hi -= 1 }
        let n = hi - lo
        if n == 0 { return .absent }
        if n == 19, let t = canonical(b, lo) { return inRange(t) }
        if Cell.isAbsentMarker(b, lo, hi) { return .absent }
        // All digits: epoch seconds / milliseconds, or 0.
        var allDigits = true
        for i in lo..<hi where b[i] < 0x30 || b[i] > 0x39 { allDigits = false; break }
        if allDigits {
            if n > 13 { return .invalid }
            var v: Int64 = 0
            for i in lo..<hi { v = v * 10 + Int64(b[i] - 0x30) }
            if v == 0 { return .absent }
            if n == 13 { return inRange(v / 1000) }
            if n == 10 { return inRange(v) }
            return .invalid
        }
        return general(b, lo, hi)
    }

    /// The calendar forms: `Y{4}` sep `M{1,2}` sep `D{1,2}`, then optionally (space or `T`)
    /// `H{1,2}:MM[:SS[.fff]]` and an offset (`Z`, `±HH:MM`, `±HHMM`).
    static func general(_ b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int) -> TimeParse {
        var i = lo
        /// Reads 1…`most` digits at `i`; nil when there are none or too many.
        func number(_ least: Int, _ most: Int) -> Int? {
            var v = 0, k = 0
            while i < hi, k < most + 1, b[i] >= 0x30, b[i] <= 0x39 { v = v * 10 + Int(b[i] - 0x30); i += 1; k += 1 }
            return k >= least && k <= most ? v : nil
        }
        guard let year = number(4, 4), i < hi else { return .invalid }
        let sep = b[i]
        guard sep == 0x2D || sep == 0x2F else { return .invalid }
        i += 1
        guard let month = number(1, 2), i < hi, b[i] == sep else { return .invalid }
        i += 1
        guard let dayV = number(1, 2) else { return .invalid }
        guard (1...12).contains(month), dayV >= 1, dayV <= daysIn(month: month, year: year) else { return .invalid }
        var hour = 0, minute = 0, second = 0
        if i < hi {
            let t = b[i]
            guard t == 0x20 || t == 0x54 else { return .invalid } // ' ' or 'T'
            i += 1
            while i < hi, b[i] == 0x20 { i += 1 }
            guard let h = number(1, 2), i < hi, b[i] == 0x3A else { return .invalid }
            i += 1
            guard let m = number(2, 2) else { return .invalid }
            hour = h; minute = m
            if i < hi, b[i] == 0x3A {
                i += 1
                guard let s = number(2, 2) else { return .invalid }
                second = s
                if i < hi, b[i] == 0x2E { // fractional seconds are dropped
                    i += 1
                    while i < hi, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                }
            }
            guard hour <= 23, minute <= 59, second <= 59 else { return .invalid }
        }
        var result = instant(year: year, month: month, day: dayV, hour: hour, minute: minute, second: second)
        if i < hi {
            // An explicit offset: Z or ±HH:MM / ±HHMM.
            let c = b[i]
            if c == 0x5A && i + 1 == hi { // Z = UTC
                result += offset
            } else if c == 0x2B || c == 0x2D {
                i += 1
                guard let oh = number(2, 2) else { return .invalid }
                if i < hi, b[i] == 0x3A { i += 1 }
                var om = 0
                if i < hi { guard let m = number(2, 2) else { return .invalid }; om = m }
                guard i == hi, oh <= 14, om <= 59 else { return .invalid }
                let off = Int64(oh * 3600 + om * 60) * (c == 0x2B ? 1 : -1)
                result += offset - off
            } else {
                return .invalid
            }
        }
        return inRange(result)
    }

    /// The exports' own spelling, `YYYY-MM-DD HH:MM:SS` at `lo`, read straight; nil for
    /// anything else (the general reader then decides, with the same result for this form).
    @inline(__always)
    static func canonical(_ b: UnsafeRawBufferPointer, _ lo: Int) -> Instant? {
        guard b[lo + 4] == 0x2D, b[lo + 7] == 0x2D, b[lo + 10] == 0x20, b[lo + 13] == 0x3A, b[lo + 16] == 0x3A else { return nil }
        // A byte below '0' wraps past 9 too.
        @inline(__always) func d(_ i: Int) -> Int { Int(b[lo + i] &- 0x30) }
        let y0 = d(0), y1 = d(1), y2 = d(2), y3 = d(3), m0 = d(5), m1 = d(6), d0 = d(8), d1 = d(9)
        let h0 = d(11), h1 = d(12), n0 = d(14), n1 = d(15), s0 = d(17), s1 = d(18)
        guard y0 <= 9, y1 <= 9, y2 <= 9, y3 <= 9, m0 <= 9, m1 <= 9, d0 <= 9, d1 <= 9,
              h0 <= 9, h1 <= 9, n0 <= 9, n1 <= 9, s0 <= 9, s1 <= 9 else { return nil }
        let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3, month = m0 * 10 + m1, day = d0 * 10 + d1
        let hour = h0 * 10 + h1, minute = n0 * 10 + n1, second = s0 * 10 + s1
        guard year > 0, month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
