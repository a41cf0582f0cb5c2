/// A colour by role in a theme, resolved by the backend to what the terminal can show.
public enum Color: Equatable, Hashable, Sendable {
    case `default`
    /// One of the 16 ANSI colours (0-7 normal, 8-15 bright): follows the user's palette.
    case ansi(UInt8)
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let reverse = Attributes(rawValue: 2)
    public static let dim = Attributes(rawValue: 4)
    public static let underline = Attributes(rawValue: 8)
}

public struct Style: Equatable, Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var attrs: Attributes
    public init(fg: Color = .default, bg: Color = .default, attrs: Attributes = []) { self.fg = fg; self.bg = bg; self.attrs = attrs }
    public static let plain = Style()
}

/// One screen cell: a grapheme and its style. A wide grapheme's second cell is a
/// continuation (`width == 0`, empty text).
public struct ScreenCell: Equatable, Sendable {
    public var text: String
    public var width: UInt8
    public var style: Style
    public static let blank = ScreenCell(text: " ", width: 1, style: .plain)
}

/// A frame of cells, drawn by widgets and copied to the terminal by a backend. Knows CJK
/// display width: a Chinese character takes two cells and is never cut in half.
public struct CellBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [ScreenCell]
    /// Where the terminal cursor should sit (a form's caret, so an IME box appears there).
    public var cursor: (x: Int, y: Int)?

    public static func == (a: CellBuffer, b: CellBuffer) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells
    }

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> ScreenCell {
        get { cells[y * width + x] }
    }

    /// Writes `text` from (x, y), at most `maxWidth` columns (default: to the right edge).
    /// Returns the columns used. Control characters are shown as placeholders. Text that does
    /// not fit ends in `ellipsis` (`…` by default; nil cuts silently, for borders and fills), so
    /// a cut value is never mistaken for a whole one (terminal-ui.md, Any terminal).
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil, ellipsis: String? = "…") -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        func cut() -> Int {
            guard let e = ellipsis, limit > x, limit > 0 else { return col - x }
            // Room for one cell: step back over the last character if the row is full.
            var at = col
            if at >= limit { at = limit - 1 }
            if at < 0 { return col - x }
            if cells[y * width + at].width == 0, at > x { at -= 1 } // the right half of a wide character
            let end = col
            place(e, 1, at, y, style)
            // Anything between the ellipsis and the old end is cleared (a wide character's half).
            for c in (at + 1)..<max(at + 1, min(end, limit)) { place(" ", 1, c, y, style) }
            return max(end, at + 1) - x
        }
        for ch in text {
            if ch.unicodeScalars.contains(where: { Sanitize.scalar($0) != $0 }) {
                // Control characters become placeholders, one cell each (CR LF is one
                // grapheme but two placeholders).
                for u in ch.unicodeScalars {
                    let v = Sanitize.scalar(u)
                    let w = DisplayWidth.of(v)
                    if w == 0 { continue }
                    if col + w > limit { return cut() }
                    if col >= 0 { place(String(v), w, col, y, style) }
                    col += w
                }
                continue
            }
            let w = ch.unicodeScalars.count == 1 ? DisplayWidth.of(ch.unicodeScalars.first!) : DisplayWidth.of(ch)
            if w == 0 { continue } // a lone zero-width scalar has nothing to show
            if col + w > limit { return cut() }
            if col >= 0 { place(String(ch), w, col, y, style) }
            col += w
        }
        return col - x
    }

    private mutating func place(_ g: String, _ w: Int, _ col: Int, _ y: Int, _ style: Style) {
        clearWide(x: col, y: y)
        if w == 2 { clearWide(x: col + 1, y: y) }
        cells[y * width + col] = ScreenCell(text: g, width: UInt8(w), style: style)
        if w == 2 { cells[y * width + col + 1] = ScreenCell(text: "", width: 0, style: style) }
    }

    /// Before overwriting (x, y): a wide character partly covered is replaced by blanks.
    mutating func clearWide(x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        let i = y * width + x
        if cells[i].width == 0, x > 0 { cells[i - 1] = ScreenCell(text: " ", width: 1, style: cells[i - 1].style) }
        if cells[i].width == 2, x + 1 < width { cells[i + 1] = ScreenCell(text: " ", width: 1, style: cells[i].style) }
    }

    /// Fills a rectangle with blanks of `style`.
    public mutating func fill(_ r: Rect, style: Style = .plain, char: String = " ") {
        let c = r.clipped(to: Rect(x: 0, y: 0, width: width, height: height))
        guard c.width > 0, c.height > 0 else { return }
        for yy in c.y..<(c.y + c.height) {
            clearWide(x: c.x, y: yy); clearWide(x: c.x + c.width - 1, y: yy)
            for xx in c.x..<(c.x + c.width) { cells[yy * width + xx] = ScreenCell(text: char, width: 1, style: style) }
        }
    }

    /// Changes the style of cells in a rectangle, keeping their text.
    public mutating func restyle(_ r: Rect, _ change: (inout Style) -> Void) {
        let c = r.clipped(to: Rect(x: 0, y: 0, width: width, height: height))
        guard c.width > 0, c.height > 0 else { return }
        for yy in c.y..<(c.y + c.height) { for xx in c.x..<(c.x + c.width) { change(&cells[yy * width + xx].style) } }
    }

    /// The frame as text, one line per row (continuation cells skipped): what a user sees.
    public func text() -> String { (0..<height).map(line).joined(separator: "\n") }

    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<width where cells[y * width + x].width != 0 { s += cells[y * width + x].text }
        return s
    }

    /// Lines with trailing spaces removed (handy in tests).
    public func trimmedLines() -> [String] {
        (0..<height).map { y in
            var l = line(y)
            while l.hasSuffix(" ") { l.removeLast() }
            return l
        }
    }
}

public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }

    public func clipped(to o: Rect) -> Rect {
        let x0 = max(x, o.x), y0 = max(y, o.y)
        let x1 = min(x + width, o.x + o.width), y1 = min(y + height, o.y + o.height)
        return Rect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// The inside of a box drawn on this rect.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: max(0, width - 2), height: max(0, height - 2)) }

    /// Splits into `n` columns (the last takes the remainder).
    public func columns(_ n: Int) -> [Rect] {
        guard n > 0 else { return [] }
        let w = width / n
        return (0..<n).map { i in Rect(x: x + i * w, y: y, width: i == n - 1 ? width - w * (n - 1) : w, height: height) }
    }

    public func rows(_ n: Int) -> [Rect] {
        guard n > 0 else { return [] }
        let h = height / n
        return (0..<n).map { i in Rect(x: x, y: y + i * h, width: width, height: i == n - 1 ? height - h * (n - 1) : h) }
    }
}
