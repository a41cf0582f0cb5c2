import ShopdeckScreen

/// A multi-line text field's layout: the text wrapped at a width in display columns (a line
/// break where the text has one, and wherever a line would overflow), and the caret (an index
/// in characters) as a row and a column. The reducer moves the caret with it (↑ ↓ Home End) and
/// the view draws with it, so both agree on where each character is.
public struct TextBox: Equatable, Sendable {
    /// Each visual row: the range of character indexes it shows (a row ended by a line break
    /// does not include the break).
    public var rows: [Range<Int>]
    public let chars: [Character]
    public let width: Int

    public init(_ text: String, width: Int) {
        chars = Array(text)
        self.width = max(2, width)
        var rows: [Range<Int>] = []
        var start = 0, used = 0, i = 0
        while i < chars.count {
            let ch = chars[i]
            if ch == "\n" { rows.append(start..<i); start = i + 1; used = 0; i += 1; continue }
            let w = max(1, DisplayWidth.of(ch))
            if used + w > self.width { rows.append(start..<i); start = i; used = 0; continue }
            used += w; i += 1
        }
        rows.append(start..<chars.count)
        self.rows = rows
    }

    /// The row holding the caret (at a wrap point, the start of the next row).
    public func row(of caret: Int) -> Int {
        for (r, range) in rows.enumerated().reversed() where caret >= range.lowerBound { return r }
        return 0
    }

    /// The caret's column in display cells within its row.
    public func column(of caret: Int) -> Int {
        let r = rows[row(of: caret)]
        return chars[r.lowerBound..<min(caret, r.upperBound)].reduce(0) { $0 + DisplayWidth.of($1) }
    }

    /// The caret one row up (-1) or down (+1), at the same display column or the row's end.
    public func move(_ caret: Int, rows delta: Int) -> Int {
        let r = row(of: caret)
        let target = r + delta
        guard target >= 0, target < rows.count else { return delta < 0 ? 0 : chars.count }
        let col = column(of: caret)
        var used = 0
        for i in rows[target] {
            let w = DisplayWidth.of(chars[i])
            if used + w > col { return i }
            used += w
        }
        return rows[target].upperBound
    }

    public func home(_ caret: Int) -> Int { rows[row(of: caret)].lowerBound }
    public func end(_ caret: Int) -> Int { rows[row(of: caret)].upperBound }

    public func text(ofRow r: Int) -> String { String(chars[rows[r]]) }
}
