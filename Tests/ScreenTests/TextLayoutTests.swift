import Testing
@testable import ShopdeckApp
import ShopdeckScreen

@Suite("Text layout: wrapping, column widths, the statement box")
struct TextLayoutTests {
    @Test func wrapBreaksAtSpacesOrBetweenCJKNeverInsideAValue() {
        #expect(wrap("deadline 2026-12-07 08:00:00 (-2h 46m)", 20) == ["deadline 2026-12-07", "08:00:00 (-2h 46m)"])
        #expect(wrap("该订单已于承诺时间内发货", 10) == ["该订单已于", "承诺时间内", "发货"])
        #expect(wrap("订单 23001104855906937 已超时", 12) == ["订单", "230011048559", "06937 已超时"])
        #expect(wrap("short", 20) == ["short"])
        #expect(wrap("", 5) == [""])
    }

    @Test func columnsFitTheirContentAndFreeTextGivesWayFirst() {
        let titles = ["order", "deadline", "product"]
        let rows = [["23001104855906937", "11-03 23:53", "零食大礼包 每日坚果 混合装 30 袋"]]
        // Room for everything: the free-text column takes what is left.
        #expect(ColumnLayout.widths(titles: titles, rows: rows, available: 80, flexible: [false, false, true]) == [17, 11, 50])
        // Too narrow: the product gives way, the id and the time stay whole.
        #expect(ColumnLayout.widths(titles: titles, rows: rows, available: 40, flexible: [false, false, true]) == [17, 11, 10])
        // Far too narrow: everything gives way down to its title or 6 cells.
        #expect(ColumnLayout.widths(titles: titles, rows: rows, available: 20, flexible: [false, false, true]) == [6, 8, 7])
    }

    @Test func theStatementBoxMovesByTheRowsAsDrawn() {
        let box = TextBox("一二三四五六七八\nab", width: 6)
        #expect(box.rows == [0..<3, 3..<6, 6..<8, 9..<11])
        #expect(box.text(ofRow: 1) == "四五六")
        #expect(box.row(of: 4) == 1 && box.column(of: 4) == 2)
        #expect(box.move(4, rows: 1) == 7)       // 七, the same column one row down
        #expect(box.move(7, rows: 1) == 11)      // column 2 of "ab" is its end
        #expect(box.move(1, rows: -1) == 0)      // the first row up: the start
        #expect(box.home(5) == 3 && box.end(5) == 6)
    }
}
