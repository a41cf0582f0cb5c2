import Testing
@testable import ShopdeckModel

@Suite("Cells, times, regions")
struct CellTests {
    @Test func times() {
        let t = CST.instant(year: 2023, month: 3, day: 6, hour: 10)
        #expect(CST.parse("2023-03-06 10:00:00") == .value(t))
        #expect(CST.parse("2023/03/06 10:00:00") == .value(t))
        #expect(CST.parse("2023-03-06 10:00") == .value(t))
        #expect(CST.parse(" 2023-03-06T10:00:00+08:00 ") == .value(t))
        #expect(CST.parse("2023-03-06T02:00:00Z") == .value(t))
        #expect(CST.parse("2023-03-06T03:00:00+01:00") == .value(t))
        #expect(CST.parse("\(t)") == .value(t))            // epoch seconds
        #expect(CST.parse("\(t * 1000 + 999)") == .value(t)) // epoch ms
        for absent in ["", "-", "--", "—", "0", "/"] { #expect(CST.parse(absent) == .absent, "\(absent)") }
        for bad in ["2023-13-01 00:00:00", "2023-02-29 00:00:00", "2023-03-06 24:00:00", "yesterday", "12345"] {
            #expect(CST.parse(bad) == .invalid, "\(bad)")
        }
        #expect(CST.format(t) == "2023-03-06 10:00:00")
        #expect(CST.parse("2024-02-29 23:59:59") == .value(CST.instant(year: 2024, month: 3, day: 1) - 1))
    }

    @Test func weeksAreMondayToSundayCST() {
        let monday = CST.instant(year: 2023, month: 3, day: 6)
        #expect(CST.weekStart(monday) == monday)
        #expect(CST.weekStart(monday - 1) == monday - CST.week) // Sunday 23:59:59
        #expect(CST.weekStart(monday + CST.week - 1) == monday)
        #expect(CST.formatDate(CST.weekStart(CST.instant(year: 2023, month: 1, day: 1, hour: 12))) == "2022-12-26")
        #expect(CST.weekday(monday) == 0)
        // Week numbers: consecutive across a Sunday midnight CST, the same for every second of
        // a week, and their starts Mondays; before 1970 too (week 0 began 1969-12-29).
        #expect(CST.weekNumber(monday) == CST.weekNumber(monday - 1) + 1)
        #expect(CST.weekNumber(monday + CST.week - 1) == CST.weekNumber(monday))
        #expect(CST.formatDate(CST.weekStart(number: 0)) == "1969-12-29" && CST.weekNumber(CST.weekStart(number: 0) - 1) == -1)
        var t = CST.instant(year: 1931, month: 1, day: 1) + 12_345
        while t < CST.instant(year: 2100, month: 1, day: 1) {
            let n = CST.weekNumber(t), start = CST.weekStart(number: n)
            #expect(start <= t && t < start + CST.week && CST.weekday(start) == 0 && (start + CST.offset) % CST.day == 0, "\(t)")
            t += 86_399 * 3 + 7   // a step that visits every hour and weekday over the years
        }
    }

    @Test func ids() {
        func id(_ s: String) -> String? { s.withBytes { Cell.id($0) } }
        #expect(id("'3245001") == "3245001")
        #expect(id("\t3245001") == "3245001")
        #expect(id("=\"3245001\"") == "3245001")
        #expect(id("3245001.0") == "3245001")
        #expect(id(" 3245001 ") == "3245001")
        #expect(id("A1.0") == "A1.0")
        #expect(id("-") == nil)
    }

    @Test func moneyBoolsHours() {
        func m(_ s: String, fen: Bool = false) -> MoneyParse { s.withBytes { Cell.money($0, fen: fen) } }
        #expect(m("59.90") == .value(5990))
        #expect(m("¥59.9") == .value(5990))
        #expect(m("￥1,299.90") == .value(129_990))
        #expect(m("12990", fen: true) == .value(12990))
        #expect(m("—") == .absent)
        #expect(m("abc") == .invalid)
        func b(_ s: String) -> Bool? { s.withBytes { Cell.bool($0) } }
        for t in ["是", "Y", "yes", "TRUE", "1"] { #expect(b(t) == true) }
        for f in ["否", "n", "No", "false", "0", ""] { #expect(b(f) == false) }
        #expect(b("maybe") == nil)
        func h(_ s: String) -> IntParse { s.withBytes { Cell.hours($0) } }
        #expect(h("24") == .value(24)); #expect(h("48h") == .value(48)); #expect(h("24小时") == .value(24)); #expect(h("3天") == .value(72))
    }

    @Test func regions() {
        #expect(Region.parse("浙江省/杭州市/余杭区").parts == ["浙江", "杭州", "余杭区"])
        #expect(Region.parse("浙江 杭州 余杭区").parts == ["浙江", "杭州", "余杭区"])
        #expect(Region.parse("浙江省杭州市余杭区文一西路969号").parts == ["浙江", "杭州", "余杭区"])
        #expect(Region.parse("上海市/上海市/浦东新区").parts == ["上海", "浦东新区"])
        #expect(Region.parse("广西壮族自治区-南宁市-青秀区").parts == ["广西", "南宁", "青秀区"])
        #expect(Region.parse("内蒙古自治区/呼和浩特市").parts == ["内蒙古", "呼和浩特"])
        #expect(Region.parse("吉林省/长春市").matches(Region.parse("吉林省/长春市/朝阳区")))
        #expect(Region.parse("上海").matches(Region.parse("上海市/上海市/浦东新区")))
        #expect(!Region.parse("吉林省/长春市").matches(Region.parse("吉林省/吉林市/船营区")))
        #expect(!Region.parse("北京市/北京市/朝阳区").matches(Region.parse("吉林省/长春市/朝阳区")))
    }
}
