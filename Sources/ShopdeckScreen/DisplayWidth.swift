/// Terminal display width, computed in Swift (not libc `wcwidth`, which depends on the
/// locale): East Asian Wide and Fullwidth characters take two columns, combining marks and
/// zero-width characters none, everything else one.
public enum DisplayWidth {
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
        0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// Columns one scalar takes (0, 1 or 2). Control characters count 1: they are shown as
    /// visible placeholders (see `Sanitize`).
    @inline(__always)
    public static func of(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x300 { return 1 }
        if isZeroWidth(v) { return 0 }
        if v < 0x1100 { return 1 }
        var lo = 0, hi = wide.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < wide[mid].lowerBound { hi = mid - 1 } else if v > wide[mid].upperBound { lo = mid + 1 } else { return 2 }
        }
        return 1
    }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        (0x300...0x36F).contains(v) || (0x483...0x489).contains(v) || (0x591...0x5BD).contains(v)
            || (0x610...0x61A).contains(v) || (0x64B...0x65F).contains(v) || (0x200B...0x200F).contains(v)
            || (0x20D0...0x20FF).contains(v) || (0xFE00...0xFE0F).contains(v) || (0xFE20...0xFE2F).contains(v)
            || v == 0x2060 || v == 0xFEFF || (0xE0100...0xE01EF).contains(v) || (0x1AB0...0x1AFF).contains(v)
            || (0x1DC0...0x1DFF).contains(v) || (0x3099...0x309A).contains(v)
    }

    /// Columns a grapheme takes: its first scalar's width (combining marks ride on it).
    public static func of(_ c: Character) -> Int {
        var w = 0
        for (i, u) in c.unicodeScalars.enumerated() {
            if i == 0 { w = of(u) } else if u.value == 0xFE0F && w == 1 { w = 2 } // emoji presentation
        }
        return w
    }

    /// Columns a string takes.
    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    /// The longest prefix of `s` that fits in `width` columns, never cutting a character;
    /// with `ellipsis`, a cut string ends in `…`.
    public static func truncate(_ s: String, to width: Int, ellipsis: Bool = true) -> String {
        if width <= 0 { return "" }
        if of(s) <= width { return s }
        let room = ellipsis ? width - 1 : width
        var out = "", used = 0
        for c in s {
            let w = of(c)
            if used + w > room { break }
            out.append(c); used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// `s` padded with spaces (or truncated) to exactly `width` columns.
    public static func pad(_ s: String, to width: Int, right: Bool = false) -> String {
        let t = truncate(s, to: width)
        let gap = String(repeating: " ", count: max(0, width - of(t)))
        return right ? gap + t : t + gap
    }
}

/// Text from exports never reaches the terminal raw: control characters and the bidi
/// controls that can reorder a line are replaced by visible placeholders, so a crafted cell
/// cannot move the cursor, change colours, retitle the window or clear the screen.
public enum Sanitize {
    @inline(__always)
    public static func scalar(_ u: Unicode.Scalar) -> Unicode.Scalar {
        let v = u.value
        if v < 0x20 { return Unicode.Scalar(0x2400 + v)! }          // ␀…␟ (␛ for ESC)
        if v == 0x7F { return "\u{2421}" }                           // ␡
        if (0x80...0x9F).contains(v) { return "\u{FFFD}" }           // C1 controls, CSI among them
        if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return "\u{FFFD}" }
        return u
    }

    /// Whether `scalar` replaces `u` (a C0 or C1 control, DEL, a bidi override or isolate).
    public static func replaces(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// Lines of a text output, each made visible whole (a line break inside a line came from
    /// the data: a quoted cell, a file name) and joined by line ends, with a final one.
    public static func lines(_ lines: [String]) -> String {
        lines.map(visible).joined(separator: "\n") + "\n"
    }

    public static func visible(_ s: String) -> String {
        if !s.unicodeScalars.contains(where: replaces) { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(scalar(u)) }
        return String(out)
    }
}
