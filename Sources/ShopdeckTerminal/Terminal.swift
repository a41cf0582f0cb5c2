import CShim
#if canImport(Glibc)
import Glibc
#endif

import ShopdeckScreen

/// The ncurses backend: copies a `CellBuffer` to the terminal and reads keys. ncurses diffs
/// each frame against the last, so only changed cells go over the wire (werase, never clear).
public final class Terminal {
    public private(set) var colors = 0
    public private(set) var utf8 = true
    private var codes: [Int: Key] = [:]

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public init() {}

    /// Starts curses. `color: false` (NO_COLOR) gives no colour at all.
    public func start(color: Bool) throws {
        guard shim_start(color ? 1 : 0) == 0 else {
            throw Unavailable(description: "no usable terminal on standard input/output (is this a TTY? TERM=\(envTERM()))")
        }
        if shim_has_cursor_addressing() == 0 {
            shim_stop()
            throw Unavailable(description: "the terminal (TERM=\(envTERM())) cannot address the cursor; use `shopdeck report` instead")
        }
        shim_install_signal_handlers()
        colors = Int(shim_colors())
        utf8 = shim_locale_utf8() != 0
        let names: [(String, Key)] = [("up", .up), ("down", .down), ("left", .left), ("right", .right), ("home", .home), ("end", .end),
                                      ("ppage", .pageUp), ("npage", .pageDown), ("backspace", .backspace), ("dc", .delete),
                                      ("enter", .enter), ("btab", .backTab), ("resize", .resize)]
        for (n, k) in names { let c = Int(shim_key_code(n)); if c >= 0 { codes[c] = k } }
        let f0 = Int(shim_key_code("f0"))
        for i in 1...12 { codes[f0 + i] = .function(i) }
    }

    func envTERM() -> String { String(cString: getenv("TERM") ?? strdup("")) }

    public func stop() { shim_stop() }

    /// The terminal bell and an OSC 9 notification (control characters are dropped from it).
    public func bell(_ text: String) { shim_bell(text) }

    public var size: (width: Int, height: Int) { (Int(shim_cols()), Int(shim_rows())) }

    /// Next key within `timeoutMs` (nil on timeout).
    public func readKey(timeoutMs: Int) -> Key? {
        var ch: UInt32 = 0
        var isKey: Int32 = 0
        guard shim_read_key(Int32(timeoutMs), &ch, &isKey) == 1 else { return nil }
        if isKey != 0 { return codes[Int(ch)] }
        switch ch {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 127, 8: return .backspace
        case 3: return .interrupt
        default:
            guard ch >= 32, let u = Unicode.Scalar(ch) else { return nil }
            return .char(Character(u))
        }
    }

    /// Copies a frame to the terminal.
    public func draw(_ b: CellBuffer) {
        shim_begin_frame()
        var cps = [UInt32](repeating: 0, count: 5)
        for y in 0..<b.height {
            for x in 0..<b.width {
                let cell = b[x, y]
                if cell.width == 0 { continue }
                var n: Int32 = 0
                for u in cell.text.unicodeScalars.prefix(5) { cps[Int(n)] = u.value; n += 1 }
                if !utf8 {
                    // A non-UTF-8 locale: ASCII only, a wide glyph as ? per column.
                    if cps[0] >= 128 { cps[0] = 63; n = 1
                        if cell.width == 2 { shim_put(Int32(y), Int32(x + 1), &cps, 1, 0, 0) }
                    }
                }
                let style = ColorMap.degraded(cell.style, colors: colors)
                var attrs: Int32 = 0
                if style.attrs.contains(.bold) { attrs |= 1 }
                if style.attrs.contains(.reverse) { attrs |= 2 }
                if style.attrs.contains(.dim) { attrs |= 4 }
                if style.attrs.contains(.underline) { attrs |= 8 }
                let pair = colors > 0 ? shim_pair(ColorMap.number(style.fg, colors: colors), ColorMap.number(style.bg, colors: colors)) : 0
                shim_put(Int32(y), Int32(x), &cps, n, attrs, pair)
            }
        }
        if let c = b.cursor { shim_end_frame(Int32(c.y), Int32(c.x), 1) } else { shim_end_frame(0, 0, 0) }
    }
}

/// Maps theme colours to what the terminal has: 256, 16 or 8 colours, nearest match.
public enum ColorMap {
    /// A style for a terminal of 8 colours (TERM=xterm, TERM=linux), by contrast rather than by
    /// index (issue 14): a bright colour becomes its base colour in bold, and grey (bright
    /// black, which would be black on black) the terminal's own colour, dimmed. A foreground
    /// equal to its background (black on black) becomes the default colour.
    public static func degraded(_ s: Style, colors: Int) -> Style {
        guard colors > 0 && colors < 16 else { return s }
        var out = s
        if case .ansi(let i) = s.fg, i >= 8 {
            if i == 8 { out.fg = .default; out.attrs.insert(.dim) } else { out.fg = .ansi(i - 8); out.attrs.insert(.bold) }
        }
        if case .ansi(let i) = s.bg, i >= 8 { out.bg = i == 8 ? .ansi(7) : .ansi(i - 8) }
        if number(out.fg, colors: colors) == number(out.bg, colors: colors), out.fg != .default { out.fg = .default }
        return out
    }

    public static func number(_ c: Color, colors: Int) -> Int32 {
        switch c {
        case .default: return -1
        case .ansi(let i): return Int32(colors >= 16 ? Int(i) : Int(i) % 8)
        case .indexed(let i):
            if colors >= 256 { return Int32(i) }
            let (r, g, b) = rgb(ofIndex: Int(i))
            return Int32(nearestANSI(r, g, b, colors: colors))
        case .rgb(let r, let g, let b):
            if colors >= 256 { return Int32(nearest256(Int(r), Int(g), Int(b))) }
            return Int32(nearestANSI(Int(r), Int(g), Int(b), colors: colors))
        }
    }

    static let ansiRGB: [(Int, Int, Int)] = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
                                             (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]

    public static func rgb(ofIndex i: Int) -> (Int, Int, Int) {
        if i < 16 { return ansiRGB[i] }
        if i < 232 {
            let v = i - 16, steps = [0, 95, 135, 175, 215, 255]
            return (steps[v / 36], steps[(v / 6) % 6], steps[v % 6])
        }
        let g = 8 + (i - 232) * 10
        return (g, g, g)
    }

    public static func nearest256(_ r: Int, _ g: Int, _ b: Int) -> Int {
        var best = 0, dist = Int.max
        for i in 16..<256 {
            let (cr, cg, cb) = rgb(ofIndex: i)
            let d = (cr - r) * (cr - r) + (cg - g) * (cg - g) + (cb - b) * (cb - b)
            if d < dist { dist = d; best = i }
        }
        return best
    }

    public static func nearestANSI(_ r: Int, _ g: Int, _ b: Int, colors: Int) -> Int {
        let n = colors >= 16 ? 16 : 8
        var best = 0, dist = Int.max
        for i in 0..<n {
            let (cr, cg, cb) = ansiRGB[i]
            let d = (cr - r) * (cr - r) + (cg - g) * (cg - g) + (cb - b) * (cb - b)
            if d < dist { dist = d; best = i }
        }
        return best
    }
}
