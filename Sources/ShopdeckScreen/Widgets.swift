/// Widgets: values drawn into a `CellBuffer` for one frame (after ratatui). State that
/// outlives a frame (selection, scroll) lives in the app's state, not here.
public struct Canvas {
    public var buffer: CellBuffer
    public var theme: Theme
    public var glyphs: Glyphs

    public init(width: Int, height: Int, theme: Theme = .standard, glyphs: Glyphs = .unicode) {
        buffer = CellBuffer(width: width, height: height); self.theme = theme; self.glyphs = glyphs
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: buffer.width, height: buffer.height) }

    /// Text in a role's style, clipped to `maxWidth` (ASCII glyph set: non-ASCII shown as `?`).
    @discardableResult
    public mutating func text(_ s: String, x: Int, y: Int, role: Theme.Role = .text, maxWidth: Int? = nil, style: Style? = nil) -> Int {
        let shown = glyphs == .ascii ? Canvas.asciiOnly(s) : s
        return buffer.put(shown, x: x, y: y, style: style ?? theme[role], maxWidth: maxWidth, ellipsis: glyphs.ellipsis)
    }

    static func asciiOnly(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isASCII { out.append(c) } else { out += String(repeating: "?", count: max(1, DisplayWidth.of(c))) }
        }
        return out
    }

    /// A titled pane: a box with the title in the top border. Returns the inner rect.
    @discardableResult
    public mutating func pane(_ r: Rect, title: String, focused: Bool = false, badge: String? = nil) -> Rect {
        guard r.width >= 2, r.height >= 2 else { return Rect(x: r.x, y: r.y, width: 0, height: 0) }
        let b = theme[focused ? .borderFocus : .border]
        let g = glyphs
        buffer.put(g.tl + String(repeating: g.h, count: r.width - 2) + g.tr, x: r.x, y: r.y, style: b, maxWidth: r.width, ellipsis: nil)
        for yy in (r.y + 1)..<(r.y + r.height - 1) {
            buffer.put(g.v, x: r.x, y: yy, style: b)
            buffer.fill(Rect(x: r.x + 1, y: yy, width: r.width - 2, height: 1), style: theme[.text])
            buffer.put(g.v, x: r.x + r.width - 1, y: yy, style: b)
        }
        buffer.put(g.bl + String(repeating: g.h, count: r.width - 2) + g.br, x: r.x, y: r.y + r.height - 1, style: b, maxWidth: r.width, ellipsis: nil)
        if r.width > 6 {
            let t = " " + title + " "
            let used = text(DisplayWidth.truncate(t, to: r.width - 4), x: r.x + 2, y: r.y, role: focused ? .titleFocus : .title)
            if let badge, r.width - 4 - used > DisplayWidth.of(badge) + 2 {
                text(" " + badge + " ", x: r.x + r.width - 3 - DisplayWidth.of(badge) - 1, y: r.y, role: .accent)
            }
        }
        return r.inner
    }

    /// Segments of differently styled text on one line, clipped to the rect's width.
    /// A line that does not fit ends in the ellipsis, also when a segment ends exactly at the
    /// edge and more text follows.
    public mutating func line(_ segments: [(String, Theme.Role)], x: Int, y: Int, width: Int) {
        var col = x
        for (i, (s, role)) in segments.enumerated() {
            let room = x + width - col
            if room <= 0 {
                if segments[i...].contains(where: { !$0.0.isEmpty }), width > 0 {
                    text(glyphs.ellipsis, x: x + width - 1, y: y, role: segments[i - 1].1)
                }
                break
            }
            col += text(s, x: col, y: y, role: role, maxWidth: room)
        }
    }

    /// A sparkline of `values` (nil = no data, shown as a space), scaled to its own range.
    public static func sparkline(_ values: [Double?], glyphs: Glyphs = .unicode, low: Double? = nil, high: Double? = nil) -> String {
        let present = values.compactMap { $0 }
        guard let mn = low ?? present.min(), let mx = high ?? present.max() else { return String(repeating: " ", count: values.count) }
        let n = glyphs.spark.count
        return values.map { v -> String in
            guard let v else { return " " }
            if mx - mn < 1e-12 { return glyphs.spark[n / 2] }
            let i = Int(((v - mn) / (mx - mn) * Double(n - 1)).rounded())
            return glyphs.spark[max(0, min(n - 1, i))]
        }.joined()
    }
}

/// A table: columns, rows of cell texts, the selected row highlighted, scrolled to keep it
/// in view. Column widths are display widths.
public struct TableView {
    public struct Column: Sendable {
        public var title: String
        public var width: Int
        public var rightAligned: Bool
        public init(_ title: String, _ width: Int, right: Bool = false) { self.title = title; self.width = width; self.rightAligned = right }
    }
    public var columns: [Column]
    public var rows: [[String]]
    /// Role per row (breach, warning, good …) for its text.
    public var rowRoles: [Theme.Role]
    public var selected: Int
    public var scroll: Int
    /// Said when there are no rows (in the UI's language).
    public var emptyText = "(nothing here)"

    public init(columns: [Column], rows: [[String]], rowRoles: [Theme.Role] = [], selected: Int = 0, scroll: Int = 0) {
        self.columns = columns; self.rows = rows; self.rowRoles = rowRoles; self.selected = selected; self.scroll = scroll
    }

    /// The scroll offset that keeps `selected` visible in `visible` rows.
    public static func scroll(selected: Int, scroll: Int, visible: Int, count: Int) -> Int {
        guard visible > 0, count > 0 else { return 0 }
        var s = scroll
        if selected < s { s = selected }
        if selected >= s + visible { s = selected - visible + 1 }
        return max(0, min(s, max(0, count - visible)))
    }

    /// Draws into `r`: a header line, then rows. Returns the scroll offset used.
    @discardableResult
    public func draw(into c: inout Canvas, _ r: Rect) -> Int {
        guard r.width > 0, r.height > 0 else { return 0 }
        var x = r.x
        for col in columns {
            if x >= r.x + r.width { break }
            let w = min(col.width, r.x + r.width - x)
            c.text(DisplayWidth.pad(col.title, to: w, right: col.rightAligned), x: x, y: r.y, role: .header, maxWidth: w)
            x += col.width + 1
        }
        let visible = r.height - 1
        let off = TableView.scroll(selected: selected, scroll: scroll, visible: visible, count: rows.count)
        for i in 0..<max(0, min(visible, rows.count - off)) {
            let idx = off + i
            let y = r.y + 1 + i
            let role = idx < rowRoles.count ? rowRoles[idx] : .text
            // Severity by a marker, not by whole rows of colour: the row's first cell carries
            // its role (late, at risk…); the other cells are plain text (dimmed rows stay dim).
            var marker = c.theme[role]
            var plain = c.theme[role == .dim ? .dim : .text]
            if idx == selected {
                marker.attrs.insert(.reverse); plain.attrs.insert(.reverse)
                c.buffer.fill(Rect(x: r.x, y: y, width: r.width, height: 1), style: plain)
            }
            var x = r.x
            for (ci, col) in columns.enumerated() {
                if x >= r.x + r.width { break }
                let w = min(col.width, r.x + r.width - x)
                let cell = ci < rows[idx].count ? rows[idx][ci] : ""
                c.text(DisplayWidth.pad(cell, to: w, right: col.rightAligned), x: x, y: y, maxWidth: w, style: ci == 0 ? marker : plain)
                x += col.width + 1
            }
        }
        if rows.isEmpty && r.height > 1 { c.text(emptyText, x: r.x, y: r.y + 1, role: .dim, maxWidth: r.width) }
        return off
    }
}
