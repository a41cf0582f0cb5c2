import Foundation
import Testing
import ShopdeckModel
@testable import ShopdeckRules

/// One regression test per crash, hang and silent-wrong-figure class of issue 12: each input
/// once trapped, hung, ate memory or was read wrong without a word.
@Suite("Hostile and real-shaped inputs (issue 12)")
struct HostileInputTests {
    static let asOf = "2023-03-06 10:00:00"
    static let ordersHeader = "order_id,paid_at,promised_ship_at,status,amount\n"

    func load(_ files: [String: String], bytes: [String: [UInt8]] = [:]) -> Snapshot {
        let dir = makeFolder(files)
        for (n, b) in bytes { try! Data(b).write(to: URL(fileURLWithPath: dir + "/" + n)) }
        return DataLoader.load(folder: dir)
    }

    @Test func hugeMoneyIsAWarningNotATrap() throws {
        let s = load(["orders.csv": Self.ordersHeader + "O1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,100000000000000000\n"])
        #expect(s.orders.count == 1)
        #expect(s.warnings.map(\.description) == ["orders.csv:2:5: amount: cannot read '100000000000000000' as money (0 to below 10^12 yuan); read as absent"])
    }

    @Test func moneyEdges() {
        func m(_ s: String) -> MoneyParse { Array(s.utf8).withUnsafeBytes { Cell.money($0) } }
        #expect(m("999999999999.99") == .value(99_999_999_999_999))
        #expect(m("1000000000000") == .invalid)
        #expect(m("-5") == .invalid)
        #expect(m("1e309") == .invalid)
        #expect(m("NaN") == .invalid)
        #expect(m("inf") == .invalid)
        #expect(m("¥1,299.90") == .value(129_990))
        #expect(m("59.9元") == .value(5990))
    }

    @Test func pointsOutOfRangeMakeABadRowAndSumsCannotOverflow() throws {
        let head = "violation_id,notified_at,rule,status,points\n"
        var text = head + "V1,2023-03-01 10:00:00,超时未发货,待处理,-9223372036854775808\n"
        text += "V2,2023-03-01 10:00:00,超时未发货,待处理,9223372036854775807\n"
        for i in 3...6 { text += "V\(i),2023-03-01 10:00:00,超时未发货,待处理,1000000000\n" }
        let r = try run(["violations.csv": text], asOf: Self.asOf)
        #expect(r.violations.map(\.violationId) == ["V3", "V4", "V5", "V6"])
        #expect(r.load.errors.map(\.line) == [2, 3])
        #expect(r.load.errors.map(\.description) == [
            "violations.csv:2:5: points: cannot read '-9223372036854775808' as whole points from 0 to 1,000,000,000",
            "violations.csv:3:5: points: cannot read '9223372036854775807' as whole points from 0 to 1,000,000,000",
        ])
        #expect(r.points.map(\.points) == [4_000_000_000])
    }

    @Test func absurdPromiseHoursFallBackToTheTimes() throws {
        let s = load(["orders.csv": "order_id,paid_at,promised_ship_at,status,promise_hours\nO1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,99999999999999999999天\n"])
        #expect(s.orders.count == 1)
        #expect(s.orders.promiseHours[0] == 24)
        #expect(s.warnings.count == 1 && s.warnings[0].column == 5)
    }

    @Test func timesOutside1970To2099AreUnreadableSoNoAbsurdWeeks() throws {
        let text = Self.ordersHeader + "O1,0001-01-01 00:00:00,2023-03-02 10:00:00,待发货,\nO2,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,\n"
        let r = try run(["orders.csv": text], asOf: Self.asOf)
        #expect(r.shipping.weeks.map { CST.formatDate($0.weekStart) } == ["2023-02-27", "2023-03-06"])
        #expect(r.load.errors.count == 1 && r.load.errors[0].line == 2 && r.load.errors[0].column == 2)
        func p(_ s: String) -> TimeParse { Array(s.utf8).withUnsafeBytes { CST.parse($0) } }
        #expect(p("1969-12-31 23:59:59") == .invalid)
        #expect(p("2100-01-01 00:00:00") == .invalid)
        #expect(p("2099-12-31 23:59:59") == .value(t("2099-12-31 23:59:59")))
        #expect(p("99999999999999999999") == .invalid)
    }

    @Test func excelResavedTimesAreRead() {
        func p(_ s: String) -> TimeParse { Array(s.utf8).withUnsafeBytes { CST.parse($0) } }
        #expect(p("2025/3/6 15:43") == .value(t("2025-03-06 15:43:00")))
        #expect(p("2025/3/6 9:05:07") == .value(t("2025-03-06 09:05:07")))
        #expect(p("2025-3-6 9:05") == .value(t("2025-03-06 09:05:00")))
        #expect(p("2025/3/6") == .value(t("2025-03-06 00:00:00")))
        #expect(p("2025/3/32 9:05") == .invalid)
        #expect(p("2025/13/6 9:05") == .invalid)
        #expect(p("2025/3/6 24:00") == .invalid)
    }

    @Test func scientificIdsAreRefusedPerRowNeverFolded() throws {
        var text = Self.ordersHeader
        for i in 0..<27 { text += "\(i % 9 == 0 ? "2.50306E+15" : "25030600000000\(i)"),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,\n" }
        let s = load(["orders.csv": text])
        #expect(s.orders.count == 24)
        #expect(s.errors.count == 3)
        #expect(s.errors.allSatisfy { $0.column == 1 && $0.reason.contains("scientific notation") && $0.reason.contains("Format Cells › Text") })
    }

    @Test func strictEnumerationsMakeBadRows() throws {
        let v = load(["violations.csv": "violation_id,notified_at,rule,status\nV1,2023-03-01 10:00:00,超时未发货,处理中\nV2,2023-03-01 10:00:00,超时未发货,待处理\n"])
        #expect(v.violations.map(\.violationId) == ["V2"])
        #expect(v.errors.map(\.description) == ["violations.csv:2:4: status: unknown violation status '处理中'; accepted: 待处理, 申诉中, 申诉成功, 申诉驳回, 已生效, 已处罚"])
        let c = load(["coupons.csv": "activity_id,coupon_type,threshold,face_value,issue_at\nC1,满减券,100,10,2023-03-05 10:00:00\n"])
        #expect(c.coupons.isEmpty && c.errors.count == 1 && c.errors[0].column == 2)
        let r = load(["reports.csv": "report_id,user_id,reported_at,result\nR1,U1,2023-03-01 10:00:00,成功了\n"])
        #expect(r.reports.isEmpty && r.errors.count == 1 && r.errors[0].column == 4)
        let a = load(["aftersales.csv": "refund_id,order_id,kind,applied_at\nA1,O1,退款,2023-03-01 10:00:00\n"])
        #expect(a.refunds.isEmpty && a.errors.count == 1 && a.errors[0].column == 3)
    }

    @Test func neverPaidClosedOrdersAreIgnoredNotBad() throws {
        let s = load(["orders.csv": "order_id,paid_at,promised_ship_at,status\nO1,,,交易关闭\nO2,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n"])
        #expect(s.orders.count == 1 && s.errors.isEmpty)
    }

    @Test func olderAftersalesExportWithoutRefundIds() throws {
        let s = load(["售后导出.csv": "订单编号,售后状态,售后类型,申请时间,退款金额\nO1,售后成功,仅退款,2023-03-01 10:00:00,9.90\n"])
        #expect(s.refunds.map(\.refundId) == ["O1@2023-03-01 10:00:00"])
        #expect(s.refunds.first?.status == .completed)
        #expect(s.warnings.count == 1 && s.warnings[0].reason.contains("ORDER_ID@APPLIED_AT"))
    }

    @Test func waybillsGiveThePickupOfTheirOrders() throws {
        var o = Orders()
        o.add("P1", paid: "2023-02-27 10:00:00", status: "已发货", shipped: "2023-02-27 12:00:00")
        o.add("P2", paid: "2023-02-27 10:00:00", status: "已发货", shipped: "2023-02-27 12:00:00")
        o.add("P3", paid: "2023-02-27 10:00:00", status: "已发货", shipped: "2023-02-27 12:00:00")
        let waybills = "订单编号,快递单号,发货/揽收/末条中转/派件/待取件/签收时间\nP1,SF1,2023-02-27 15:00:00\nP2,SF2,\nP1,SF3,2023-02-27 13:00:00\nX9,SF4,2023-02-27 13:00:00\n"
        let r = try run(["orders.csv": o.text, "店铺A-快手-运单表.csv": waybills], asOf: Self.asOf)
        let w = try #require(r.week("2023-02-27"))
        // P1 picked up within 24 h, P2 never (anomaly), P3 has no waybill: unchecked.
        #expect(w.pickupChecked == 2 && w.pickupAnomalies == 1)
        #expect(r.load.files.map(\.table) == [.orders, .waybills])
    }

    @Test func utf16TextSavesAreRead() throws {
        let text = "order_id\tpaid_at\tpromised_ship_at\tstatus\r\nO1\t2023-03-01 10:00:00\t2023-03-02 10:00:00\t待发货\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for u in text.utf16 { bytes.append(UInt8(u & 0xFF)); bytes.append(UInt8(u >> 8)) }
        let s = load([:], bytes: ["orders_unicode.txt": bytes])
        #expect(s.orders.count == 1)
        #expect(s.files.map(\.encoding) == [.utf16])
    }

    @Test func aUnicodeTextSaveWhoseNameSaysNothingIsReadByItsHeaders() throws {
        let text = "订单号\t订单支付时间\t预售/承诺发货时间\t订单状态\r\nU1\t2023-03-01 10:00:00\t2023-03-02 10:00:00\t待发货\r\n"
        var be: [UInt8] = [0xFE, 0xFF]
        for u in text.utf16 { be.append(UInt8(u >> 8)); be.append(UInt8(u & 0xFF)) }
        let s = load(["notes.txt": "not an export\n"], bytes: ["export 2023.txt": be])
        #expect(s.orders.count == 1)
        #expect(s.files.map(\.path) == ["export 2023.txt"] && s.files.map(\.encoding) == [.utf16])
    }

    @Test func gb18030AfterALongASCIIStartIsStillGB18030() throws {
        var text = Self.ordersHeader
        for i in 0..<40_000 { text += "A\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,1\n" } // ~2.2 MB of ASCII
        text += "Z1,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货,1\n"
        let bytes = try #require(TextEncoding.encodeGB18030(text))
        let s = load([:], bytes: ["orders.csv": bytes])
        #expect(s.files.map(\.encoding) == [.gb18030])
        #expect(s.orders.count == 40_001 && s.errors.isEmpty)
    }

    @Test func invalidBytesMakeAnUnreadableCellNeverU_FFFD() throws {
        var bytes = Array((Self.ordersHeader + "O1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,1\n").utf8)
        bytes += Array("O2,2023-03-01 10:00:00,2023-03-02 10:00:00,".utf8) + [0xE5, 0x28] + Array(",1\n".utf8)
        let s = load([:], bytes: ["orders.csv": bytes])
        #expect(s.orders.count == 1)
        #expect(s.errors.count == 1 && s.errors[0].line == 3 && s.errors[0].column == 4)
    }

    @Test func foreignExportsAreRefusedByName() {
        let douyin = load(["售后.csv": "售后单号,商品单号,订单号,售后类型,申请时间,退款金额（元）\n1,2,3,仅退款,2023-03-01 10:00:00,9.9\n"])
        #expect(douyin.refunds.isEmpty && douyin.errors.count == 1 && douyin.errors[0].reason.contains("Douyin (抖店) after-sales export"))
        let erp = load(["订单.csv": "线上订单号,内部订单号,付款日期,店铺,状态\n1,2,2023-03-01 10:00:00,A,已发货\n"])
        #expect(erp.orders.count == 0 && erp.errors.count == 1 && erp.errors[0].reason.contains("聚水潭"))
    }

    @Test func specialFilesAreSkippedWithoutBlocking() throws {
        let dir = makeFolder(["orders.csv": Self.ordersHeader + "O1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,1\n"])
        #expect(mkfifo(dir + "/orders_fifo.csv", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/orders_zero.csv", withDestinationPath: "/dev/zero")
        try "x".write(toFile: dir + "/orders_new.csv.part", atomically: false, encoding: .utf8)
        let s = DataLoader.load(folder: dir)
        #expect(s.orders.count == 1)
        #expect(s.warnings.map(\.file) == ["orders_fifo.csv", "orders_zero.csv"])
        #expect(s.files.map(\.path) == ["orders.csv"])
    }

    @Test func tomlThatOnceAbortedIsAnError() {
        for text in ["[店铺]\nname = \"x\"\n", "[shop\n", "a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]", "a = \"\\uD800\"", "a = 1\na = 2", "=", "[a]\n[a]", "x = 99999999999999999999"] {
            #expect(throws: (any Error).self) { _ = try ShopConfig.parse(text, file: "shopdeck.toml") }
        }
    }

    @Test func configValuesAreChecked() throws {
        #expect(throws: (any Error).self) { _ = try ShopConfig.parse("[shop]\nrisk_horizon_hours = inf\n", file: "f") }
        #expect(throws: (any Error).self) { _ = try ShopConfig.parse("[shop]\nrisk_horizon_hours = -1\n", file: "f") }
        #expect(throws: (any Error).self) { _ = try ShopConfig.parse("[shop]\nnmae = \"x\"\n", file: "f") }
        do { _ = try ShopConfig.parse("[店铺]\n", file: "f"); Issue.record("accepted") } catch {}
        do { _ = try ShopConfig.parse("[\"店铺\"]\n", file: "f"); Issue.record("accepted") } catch {
            #expect("\(error)" == "f: unknown table or key '店铺'; known: notify, rules, shop, ui")
        }
        let c = try ShopConfig.parse("[shop]\nname = \"小店\"\nrisk_horizon_hours = 6\nexport_passwords = [\"123456\"]\n[rules]\nexemption.min_paid_orders = 10\n", file: "f")
        #expect(c.name == "小店" && c.riskHorizonHours == 6 && c.exportPasswords == ["123456"])
        let rb = try Rulebook.with(overrides: [c.rules!])
        #expect(rb.minPaidOrders == 10)
    }

    @Test func rulebookKeysAreValidated() throws {
        do {
            _ = try Rulebook.with(overrides: [try ConfigValue.parseTOML("[exemption]\nmin_paid_order = 5\n", file: "r.toml")], files: ["r.toml"])
            Issue.record("a misspelt key was accepted")
        } catch {
            #expect("\(error)" == "r.toml: unknown rulebook key 'exemption.min_paid_order'; did you mean 'exemption.min_paid_orders'?")
        }
        for bad in ["exemption.min_on_time_rate = 1.5", "exemption.min_paid_orders = -1", "shipping.risk_horizon_hours = inf",
                    "shipping.pickup_hours = nan", "exemption.min_paid_orders = \"many\"", "appeals.max_appeals = 1e10",
                    // Found by the fuzzing harness (seed 7): a whole-number key given 1e300 trapped.
                    "appeals.max_appeals = 1e300", "exemption.min_paid_orders = -1e19",
                    // Found by the fuzzing harness (seed 8): the paid-orders margin overflowed.
                    "exemption.min_paid_orders = 9223372036854775807", "reports.platform_ban_shops = 9223372036854775807"] {
            #expect(throws: (any Error).self) { _ = try Rulebook.with(overrides: [try ConfigValue.parseTOML(bad, file: "r")]) }
        }
        // The [rules] form of shopdeck.toml is accepted in a --rules file.
        let wrapped = try ConfigValue.parseTOML("[rules]\nexemption.min_paid_orders = 7\n", file: "r")
        #expect(try Rulebook.with(overrides: [Rulebook.overrideTable(fromRulesFile: wrapped)]).minPaidOrders == 7)
    }

    @Test func tomlReaderReadsWhatTheFilesUse() throws {
        let c = try ConfigValue.parseTOML("""
        # comment
        title = "a \\"q\\" \\u4E2D" # trailing
        lit = 'C:\\path'
        multi = \"\"\"
        one
        two\"\"\"
        n = 1_000
        h = 0xff
        f = -1.5e3
        b = true
        d = 2023-03-01T10:00:00+08:00
        list = [1, 2,
          3, ] # trailing comma
        inline = { x = 1, y.z = "w" }
        [a.b]
        c = 1
        [[arr]]
        k = 1
        [[arr]]
        k = 2
        "中文" = "ok"
        """, file: "t")
        #expect(c["title"] == .string("a \"q\" 中"))
        #expect(c["lit"] == .string("C:\\path"))
        #expect(c["multi"] == .string("one\ntwo"))
        #expect(c["n"] == .int(1000) && c["h"] == .int(255) && c["f"] == .double(-1500) && c["b"] == .bool(true))
        #expect(c["d"] == .string("2023-03-01 10:00:00"))
        #expect(c["list"] == .array([.int(1), .int(2), .int(3)]))
        #expect(c.at("inline.y.z") == .string("w"))
        #expect(c.at("a.b.c") == .int(1))
        #expect(c["arr"] == .array([.table(["k": .int(1), "中文": .string("ok")].filter { $0.key == "k" }), .table(["k": .int(2), "中文": .string("ok")])]))
        do { _ = try ConfigValue.parseTOML("a = 1\nb = \n", file: "t.toml"); Issue.record("accepted") } catch {
            #expect("\(error)" == "t.toml:2:5: a value was expected (a string needs quotes)")
        }
    }
}
