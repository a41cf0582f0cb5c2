import Testing
@testable import ShopdeckScreen

@Suite("Cell buffer and widgets")
struct CellBufferTests {
    @Test func cjkTakesTwoColumnsAndIsNeverCut() {
        var b = CellBuffer(width: 10, height: 2)
        #expect(b.put("及时发货率", x: 0, y: 0) == 10)
        #expect(b.line(0) == "及时发货率")
        // Nine columns: the fifth character does not fit, is not cut in half, and the cut is
        // marked with an ellipsis in the freed cell.
        var c = CellBuffer(width: 9, height: 1)
        #expect(c.put("及时发货率", x: 0, y: 0) == 9)
        #expect(c.line(0) == "及时发货…")
        // Eight columns: the fourth character gives its place to the ellipsis.
        var e = CellBuffer(width: 8, height: 1)
        #expect(e.put("及时发货率", x: 0, y: 0) == 8)
        #expect(e.line(0) == "及时发… ")
        // Without an ellipsis (borders) the cut is silent.
        var d = CellBuffer(width: 9, height: 1)
        #expect(d.put("及时发货率", x: 0, y: 0, ellipsis: nil) == 8)
        #expect(d.line(0) == "及时发货 ")
        // Overwriting half of a wide character blanks the other half.
        b.put("x", x: 1, y: 0)
        #expect(b.line(0) == " x时发货率")
        #expect(DisplayWidth.of("订单 ok") == 7)
        #expect(DisplayWidth.truncate("浙江省杭州市", to: 7) == "浙江省…")
        #expect(DisplayWidth.pad("杯子", to: 6) == "杯子  ")
    }

    @Test func controlCharactersAndEscapesNeverReachTheTerminal() {
        var b = CellBuffer(width: 40, height: 1)
        let evil = "卫衣\u{1B}[2J\u{1B}]0;pwned\u{07}\r\n\u{9B}31m\u{202E}x"
        b.put(evil, x: 0, y: 0)
        let line = b.line(0)
        for u in line.unicodeScalars {
            #expect(u.value >= 0x20 && !(0x7F...0x9F).contains(u.value) && !(0x202A...0x202E).contains(u.value), "raw \(u.value)")
        }
        #expect(line.hasPrefix("卫衣␛[2J␛]0;pwned␇␍␊"))
        #expect(Sanitize.visible("a\u{1B}b") == "a␛b")
    }

    @Test func paneTitleAndTableRender() {
        var c = Canvas(width: 30, height: 6)
        let inner = c.pane(Rect(x: 0, y: 0, width: 30, height: 6), title: "发货 Shipping", focused: true, badge: "3")
        #expect(inner == Rect(x: 1, y: 1, width: 28, height: 4))
        let t = TableView(columns: [.init("订单", 6), .init("left", 5, right: true)], rows: [["A1", "2h"], ["订单号很长的", "-1h"], ["C", "3h"]], selected: 1)
        t.draw(into: &c, inner)
        #expect(c.buffer.trimmedLines() == [
            "┌─ 发货 Shipping ──────── 3 ─┐",
            "│订单    left                │",
            "│A1        2h                │",
            "│订单…    -1h                │",
            "│C         3h                │",
            "└────────────────────────────┘",
        ])
        #expect(c.buffer[1, 3].style.attrs.contains(.reverse))
    }

    @Test func everyWidgetSurvivesTinyAreas() {
        for (w, h) in [(0, 0), (1, 1), (2, 2), (3, 1)] {
            var c = Canvas(width: w, height: h)
            c.pane(c.bounds, title: "标题", focused: true, badge: "9")
            TableView(columns: [.init("a", 3)], rows: [["订单"]]).draw(into: &c, c.bounds)
            c.text("及时发货率", x: 0, y: 0)
            c.buffer.fill(Rect(x: -1, y: -1, width: 5, height: 5))
        }
    }

    @Test func sparklineScales() {
        #expect(Canvas.sparkline([0, 0.5, 1, nil]) == "▁▅█ ")
        #expect(Canvas.sparkline([1, 1]) == "▅▅")
        #expect(Canvas.sparkline([0, 1], glyphs: .ascii) == "_#")
    }

    @Test func monochromeKeepsEmphasis() {
        let m = Theme.standard.monochrome
        for role in Theme.Role.allCases { #expect(m[role].fg == .default && m[role].bg == .default) }
        #expect(m[.breach].attrs.contains(.bold) && m[.selection].attrs.contains(.reverse))
    }
}
