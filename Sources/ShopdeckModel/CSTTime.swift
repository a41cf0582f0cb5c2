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
    public static func weekStart(_ t: Instant) -> Instant {
        let local = t + offset
        let dayNo = floorDiv(local, day)
        // 1970-01-01 was a Thursday: (dayNo + 3) mod 7 is 0 on Mondays.
        let sinceMonday = floorMod(dayNo + 3, 7)
        return (dayNo - sinceMonday) * day - offset
    }

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
    public static func format(_ t: Instant) -> String {
        let local = t + offset
        let d = floorDiv(local, day)
        let s = Int(local - d * day)
        let c = civil(days: d)
        return "\(pad4(c.year))-\(pad2(c.month))-\(pad2(c.day)) \(pad2(s / 3600)):\(pad2(s / 60 % 60)):\(pad2(s % 60))"
    }

    /// `YYYY-MM-DD` of the CST day holding `t`: how a week is named (by its Monday).
    public static func formatDate(_ t: Instant) -> String {
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
    /// Parses a time cell from UTF-8 bytes (already trimmed of Excel-proofing by the caller,
    /// or not: surrounding spaces are skipped here).
    ///
    /// Accepted (data-formats.md "Times"): `YYYY-MM-DD HH:MM:SS`, `YYYY/MM/DD HH:MM:SS`,
    /// `YYYY-MM-DD HH:MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` with an optional `+08:00`/`Z`
    /// offset, epoch milliseconds (13 digits) or seconds (10 digits). Empty, `-`, `--`, `—`,
    /// `/` and `0` are absent.
    @inline(__always)
    public static func parse(_ b: UnsafeRawBufferPointer) -> TimeParse {
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 || b[hi - 1] == 0x0D { hi -= 1 }
        let n = hi - lo
        if n == 0 { return .absent }
        if n == 19, let t = canonical(b, lo) { return .value(t) }
        if Cell.isAbsentMarker(b, lo, hi) { return .absent }
        @inline(__always) func dig(_ i: Int) -> Int {
            let c = Int(b[lo + i]) - 48
            return (c >= 0 && c <= 9) ? c : -1_000_000
        }
        // All digits: epoch seconds / milliseconds, or 0.
        var allDigits = true
        for i in 0..<n where b[lo + i] < 0x30 || b[lo + i] > 0x39 { allDigits = false; break }
        if allDigits {
            var v: Int64 = 0
            for i in 0..<n { v = v &* 10 &+ Int64(b[lo + i] - 0x30) }
            if v == 0 { return .absent }
            if n == 13 { return .value(v / 1000) }
            if n == 10 { return .value(v) }
            return .invalid
        }
        guard n >= 10 else { return .invalid }
        let sep = b[lo + 4]
        guard (sep == 0x2D || sep == 0x2F), b[lo + 7] == sep else { return .invalid }
        let year = dig(0) * 1000 + dig(1) * 100 + dig(2) * 10 + dig(3)
        let month = dig(5) * 10 + dig(6)
        let dayV = dig(8) * 10 + dig(9)
        guard year > 0, (1...12).contains(month), dayV >= 1, dayV <= daysIn(month: month, year: year) else { return .invalid }
        var hour = 0, minute = 0, second = 0
        var i = 10
        if n > 10 {
            let t = b[lo + 10]
            guard t == 0x20 || t == 0x54 else { return .invalid } // ' ' or 'T'
            guard n >= 16, b[lo + 13] == 0x3A else { return .invalid }
            hour = dig(11) * 10 + dig(12)
            minute = dig(14) * 10 + dig(15)
            i = 16
            if n >= 19, b[lo + 16] == 0x3A {
                second = dig(17) * 10 + dig(18)
                i = 19
                // fractional seconds are dropped
                if i < n, b[lo + i] == 0x2E {
                    i += 1
                    while i < n, b[lo + i] >= 0x30, b[lo + i] <= 0x39 { i += 1 }
                }
            }
            guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return .invalid }
        }
        var result = instant(year: year, month: month, day: dayV, hour: hour, minute: minute, second: second)
        if i < n {
            // An explicit offset: Z or ±HH:MM / ±HHMM.
            let c = b[lo + i]
            if c == 0x5A && i + 1 == n { // Z = UTC
                result += offset
            } else if (c == 0x2B || c == 0x2D) {
                var j = i + 1
                guard j + 2 <= n else { return .invalid }
                let oh = dig(j) * 10 + dig(j + 1); j += 2
                if j < n, b[lo + j] == 0x3A { j += 1 }
                var om = 0
                if j + 2 <= n { om = dig(j) * 10 + dig(j + 1); j += 2 }
                guard j == n, (0...14).contains(oh), (0...59).contains(om) else { return .invalid }
                let off = Int64(oh * 3600 + om * 60) * (c == 0x2B ? 1 : -1)
                result += offset - off
            } else {
                return .invalid
            }
        }
        return .value(result)
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
