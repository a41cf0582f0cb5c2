import Foundation
/// Typed reading of one cell's bytes (data-formats.md "Text"). Every function takes the
/// cell's raw bytes after CSV decoding and trims surrounding spaces itself.
public enum Cell {
    /// Blank, `-`, `--`, `—` (U+2014, also doubled) and `/` mean absent.
    @inline(__always)
    public static func isAbsentMarker(_ b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int) -> Bool {
        let n = hi - lo
        if n == 0 { return true }
        if n == 1 { return b[lo] == 0x2D || b[lo] == 0x2F }
        if n == 2 { return b[lo] == 0x2D && b[lo + 1] == 0x2D }
        if n == 3 || n == 6 { // — or ——
            var i = lo
            while i < hi { if !(b[i] == 0xE2 && b[i + 1] == 0x80 && b[i + 2] == 0x94) { return false }; i += 3 }
            return true
        }
        return false
    }

    /// Whether a cell's bytes are exactly `text`.
    @inline(__always)
    public static func equals(_ b: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        b.count == text.utf8CodeUnitCount && (b.count == 0 || memcmp(b.baseAddress!, text.utf8Start, b.count) == 0)
    }

    /// Bounds after trimming spaces, tabs, CR and the full-width space U+3000.
    @inline(__always)
    public static func trimmed(_ b: UnsafeRawBufferPointer) -> (Int, Int) {
        var lo = 0, hi = b.count
        while lo < hi {
            let c = b[lo]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { lo += 1; continue }
            if c == 0xE3, lo + 2 < hi, b[lo + 1] == 0x80, b[lo + 2] == 0x80 { lo += 3; continue }
            break
        }
        while hi > lo {
            let c = b[hi - 1]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { hi -= 1; continue }
            if c == 0x80, hi - 3 >= lo, b[hi - 3] == 0xE3, b[hi - 2] == 0x80 { hi -= 3; continue }
            break
        }
        return (lo, hi)
    }

    /// Trimmed text, or nil when absent.
    public static func text(_ b: UnsafeRawBufferPointer) -> String? {
        let (lo, hi) = trimmed(b)
        if isAbsentMarker(b, lo, hi) { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
    }

    /// An id cell as exporters Excel-proof it: a leading `'` or tab, an `="…"` wrapper, and a
    /// spreadsheet's trailing `.0` on an all-digit id are stripped. Nil when absent.
    public static func id(_ b: UnsafeRawBufferPointer) -> String? {
        guard let (lo, hi) = idBounds(b) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
    }

    /// The bounds of an id cell's text after the Excel-proofing is stripped (see `id`), nil
    /// when absent. The orders hot path interns these bytes without making a `String`.
    @inline(__always)
    public static func idBounds(_ b: UnsafeRawBufferPointer) -> (Int, Int)? {
        var (lo, hi) = trimmed(b)
        if hi - lo >= 3, b[lo] == 0x3D, b[lo + 1] == 0x22, b[hi - 1] == 0x22 { lo += 2; hi -= 1 }
        while lo < hi, b[lo] == 0x27 || b[lo] == 0x09 || b[lo] == 0x20 { lo += 1 }
        if isAbsentMarker(b, lo, hi) { return nil }
        // 3245…123.0 -> 3245…123 (a spreadsheet's number)
        if hi - lo > 2 {
            var dot = hi - 1
            while dot > lo, b[dot] == 0x30 { dot -= 1 }
            if dot < hi - 1, b[dot] == 0x2E, dot > lo {
                var digits = true
                for i in lo..<dot where b[i] < 0x30 || b[i] > 0x39 { digits = false; break }
                if digits { hi = dot }
            }
        }
        return (lo, hi)
    }

    /// 是/否, Y/N, yes/no, true/false, 1/0 in any case; empty is false. Nil when unrecognised.
    public static func bool(_ b: UnsafeRawBufferPointer) -> Bool? {
        let (lo, hi) = trimmed(b)
        if isAbsentMarker(b, lo, hi) { return false }
        let n = hi - lo
        if n == 3 {
            if b[lo] == 0xE6, b[lo + 1] == 0x98, b[lo + 2] == 0xAF { return true }  // 是
            if b[lo] == 0xE5, b[lo + 1] == 0x90, b[lo + 2] == 0xA6 { return false } // 否
        }
        var s: [UInt8] = []
        for i in lo..<hi { let c = b[i]; s.append(c >= 0x41 && c <= 0x5A ? c + 32 : c) }
        switch s {
        case Array("y".utf8), Array("yes".utf8), Array("true".utf8), Array("1".utf8): return true
        case Array("n".utf8), Array("no".utf8), Array("false".utf8), Array("0".utf8): return false
        default: return nil
        }
    }

    /// Money in fen (integer cents). Yuan text (`59.90`, `¥59.90`, `￥1,299.90`), or fen when
    /// `fen` is set (open-platform fields). Range `0 <= x < 10^12` yuan (data-formats.md
    /// "Text"): a negative, non-finite or larger amount is `.invalid`, never a wrapped value.
    public static func money(_ b: UnsafeRawBufferPointer, fen: Bool = false) -> MoneyParse {
        var (lo, hi) = trimmed(b)
        if isAbsentMarker(b, lo, hi) { return .absent }
        // strip ¥ (C2 A5) / ￥ (EF BF A5)
        if hi - lo >= 2, b[lo] == 0xC2, b[lo + 1] == 0xA5 { lo += 2 }
        else if hi - lo >= 3, b[lo] == 0xEF, b[lo + 1] == 0xBF, b[lo + 2] == 0xA5 { lo += 3 }
        while lo < hi, b[lo] == 0x20 { lo += 1 }
        // 元 after the number
        if hi - lo >= 3, b[hi - 3] == 0xE5, b[hi - 2] == 0x85, b[hi - 1] == 0x83 { hi -= 3 }
        let wholeLimit: Int64 = fen ? maxMoneyFen : maxMoneyFen / 100
        var whole: Int64 = 0, frac: Int64 = 0, fracDigits = 0, seenDot = false, digits = 0
        for i in lo..<hi {
            let c = b[i]
            if c == 0x2C && !seenDot { continue }
            if c == 0x2E { if seenDot { return .invalid }; seenDot = true; continue }
            guard c >= 0x30 && c <= 0x39 else { return .invalid }
            digits += 1
            if seenDot {
                if fracDigits < 2 { frac = frac * 10 + Int64(c - 48); fracDigits += 1 }
            } else {
                whole = whole * 10 + Int64(c - 48)
                if whole >= wholeLimit { return .invalid }
            }
        }
        if digits == 0 { return .invalid }
        if fen { return .value(whole) }
        if fracDigits == 1 { frac *= 10 }
        return .value(whole * 100 + frac)
    }

    /// 10^12 yuan in fen: the first amount that is out of range.
    public static let maxMoneyFen: Int64 = 100_000_000_000_000
    /// The largest whole number a count cell may hold (points, appeals used, quantity).
    public static let maxInteger = 1_000_000_000
    /// Promise hours must lie in 1 … 8760 (one year).
    public static let promiseHoursRange = 1...8760

    /// A whole number in `0 … 10^9` (`3`, `3.0`). Nil when absent; a negative, fractional,
    /// non-finite or larger value is `.invalid`.
    public static func integer(_ b: UnsafeRawBufferPointer) -> IntParse {
        let (lo, hi) = trimmed(b)
        if isAbsentMarker(b, lo, hi) { return .absent }
        var v = 0, i = lo
        var any = false
        while i < hi, b[i] >= 0x30, b[i] <= 0x39 {
            v = v * 10 + Int(b[i] - 48); i += 1; any = true
            if v > maxInteger { return .invalid }
        }
        if i < hi, b[i] == 0x2E { i += 1; while i < hi, b[i] == 0x30 { i += 1 } }
        guard any, i == hi else { return .invalid }
        return .value(v)
    }

    /// Promise hours: `24`, `48h`, `24小时`, `3天`, `2d`, in 1 … 8760. Nil when absent.
    public static func hours(_ b: UnsafeRawBufferPointer) -> IntParse {
        let (lo, hi) = trimmed(b)
        if isAbsentMarker(b, lo, hi) { return .absent }
        var v = 0, i = lo, any = false
        while i < hi, b[i] >= 0x30, b[i] <= 0x39 {
            v = v * 10 + Int(b[i] - 48); i += 1; any = true
            if v > promiseHoursRange.upperBound { return .invalid }
        }
        guard any else { return .invalid }
        while i < hi, b[i] == 0x20 { i += 1 }
        let rest = Array(UnsafeRawBufferPointer(rebasing: b[i..<hi]))
        let h: Int
        switch rest {
        case [], Array("h".utf8), Array("H".utf8), Array("小时".utf8), Array("hours".utf8), Array("hour".utf8): h = v
        case Array("天".utf8), Array("d".utf8), Array("D".utf8), Array("days".utf8), Array("day".utf8): h = v * 24
        default: return .invalid
        }
        return promiseHoursRange.contains(h) ? .value(h) : .invalid
    }

    /// An id in scientific notation (`2.50306E+15`, `3E+18`): what Excel writes back for a
    /// long number in a General cell. Its digits are lost, so it can never be used as an id
    /// (data-formats.md "Text"). Checked on the bounds `idBounds` returned.
    @inline(__always)
    public static func isScientific(_ b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int) -> Bool {
        guard hi - lo >= 4, b[lo] >= 0x30, b[lo] <= 0x39 else { return false }
        let second = b[lo + 1]
        guard second == 0x2E || second == 0x45 || second == 0x65 || (second >= 0x30 && second <= 0x39) else { return false }
        var i = lo
        while i < hi, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        if i < hi, b[i] == 0x2E { i += 1; while i < hi, b[i] >= 0x30, b[i] <= 0x39 { i += 1 } }
        guard i < hi, b[i] == 0x45 || b[i] == 0x65 else { return false }
        i += 1
        guard i < hi, b[i] == 0x2B || b[i] == 0x2D else { return false }
        i += 1
        let expStart = i
        while i < hi, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        return i == hi && i > expStart
    }

    /// Why a scientific-notation id cannot be used, with the fix.
    public static let scientificIdReason = "is in scientific notation: a spreadsheet has rounded this long number and its digits are lost, so the row cannot be matched to its order; re-export the file from the backend, or format the column as text (Excel: select the column › Format Cells › Text) before saving"
}

public enum MoneyParse: Equatable { case absent, value(Int64), invalid }
public enum IntParse: Equatable { case absent, value(Int), invalid }

public extension String {
    /// Runs `body` over the string's UTF-8 bytes.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var s = self
        return try s.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
