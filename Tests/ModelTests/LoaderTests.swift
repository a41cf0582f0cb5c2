import Foundation
import Testing
@testable import ShopdeckModel

@Suite("Loader")
struct LoaderTests {
    let header = "order_id,paid_at,promised_ship_at,status"

    @Test func missingRequiredColumnNamesFileColumnAndAliasesAndOthersStillLoad() {
        let dir = makeFolder([
            "orders_a.csv": "order_id,paid_at,status\n1,2023-03-01 10:00:00,待发货\n",
            "orders_b.csv": "\(header)\n2,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n",
        ])
        let s = DataLoader.load(folder: dir)
        #expect(s.orders.count == 1)
        #expect(s.files.map(\.path) == ["orders_b.csv"])
        #expect(s.skippedFiles == ["orders_a.csv"])
        let e = s.errors.first!
        #expect(e.file == "orders_a.csv")
        #expect(e.reason.contains("promised_ship_at"))
        #expect(e.reason.contains("预售/承诺发货时间") && e.reason.contains("validPromiseShipmentTimeStamp"))
    }

    @Test func badRowIsSkippedWithFileLineReasonAndTheRestLoads() {
        let dir = makeFolder(["orders.csv": """
        \(header)
        1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货
        2,"2023-03-01
        10:00:00",2023-03-02 10:00:00,待发货
        3,2023-03-01 10:00:00,not a time,待发货
        ,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货
        5,2023-03-01 10:00:00,2023-03-02 10:00:00,神秘状态
        6,2023-03-01 10:00:00,2023-03-02 10:00:00,待付款
        7,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货
        """])
        let s = DataLoader.load(folder: dir)
        #expect(s.orders.count == 2)
        #expect(s.files[0].rows == 2 && s.files[0].badRows == 4)
        #expect(s.errors.map(\.line) == [3, 5, 6, 7])
        #expect(s.errors[0].reason.contains("paid_at"))
        #expect(s.errors[1].reason.contains("promised_ship_at") && s.errors[1].column == 3)
        #expect(s.errors[2].reason.contains("order_id"))
        #expect(s.errors[3].reason.contains("神秘状态"))
    }

    @Test func newestFileWinsPerIdAndLaterRowWinsInsideAFile() {
        let dir = makeFolder([
            "orders_old.csv": "\(header)\nA,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\nB,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n",
            "orders_new.csv": "\(header)\nA,2023-03-01 10:00:00,2023-03-02 10:00:00,已关闭\nA,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货\n",
        ])
        touch(dir + "/orders_old.csv", 1_700_000_100)
        touch(dir + "/orders_new.csv", 1_700_000_000) // the "new" name is older: the old file wins
        var s = DataLoader.load(folder: dir)
        var a = Int(s.orders.ids.find("A")!)
        #expect(s.orders.status[a] == .awaiting)
        #expect(s.orders.count == 2)
        touch(dir + "/orders_new.csv", 1_700_000_200)
        s = DataLoader.load(folder: dir)
        a = Int(s.orders.ids.find("A")!)
        #expect(s.orders.status[a] == .shipped) // later row of the newest file
        #expect(s.files.first { $0.path == "orders_new.csv" }!.rows == 2)
    }

    @Test func smallTablesFoldRepeatedIdsIntoTheFirstRowsPlaceWithTheLastRowsValues() {
        let dir = makeFolder([
            "products.csv": "product_id,product_name,price\nA,first,1\nB,b,2\nA,second,3\nC,c,4\nA,third,5\nB,b2,6\n",
        ])
        let s = DataLoader.load(folder: dir)
        #expect(s.products.map(\.productId) == ["A", "B", "C"])
        #expect(s.products.map(\.name) == ["third", "b2", "c"])
        #expect(s.products.map(\.price) == [500, 600, 400])
        let unique = DataLoader.load(folder: makeFolder(["products.csv": "product_id,product_name,price\nA,a,1\nB,b,2\n"]))
        #expect(unique.products.map(\.productId) == ["A", "B"])
    }

    /// Equal hashes are found wherever they are: in a run of equal top bits with others
    /// between them, far apart, or many at once; hashes differing only in their low bits are
    /// not taken for equal.
    @Test func anyEqualFindsEqualHashesOnly() {
        let a: UInt64 = 0xDEAD_BEEF_8000_0001, b = a ^ 0x7FFF_FFFF   // same top 33 bits
        var h = [a, b, a]
        #expect(DataLoader.Parts.anyEqual(&h))
        h = [a, b, a ^ 1, b ^ 2]
        #expect(!DataLoader.Parts.anyEqual(&h))
        var rng = SystemRandomNumberGenerator()
        var many = (0..<100_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) }
        var distinct = many
        #expect(!DataLoader.Parts.anyEqual(&distinct) || Set(many).count < many.count)
        many[99_999] = many[3]
        #expect(DataLoader.Parts.anyEqual(&many))
        var same = [UInt64](repeating: a, count: 50_000) + [b]
        #expect(DataLoader.Parts.anyEqual(&same))
        var empty: [UInt64] = [], one = [a]
        #expect(!DataLoader.Parts.anyEqual(&empty) && !DataLoader.Parts.anyEqual(&one))
    }

    /// The merge's shortcut (ids' hashes, radix-sorted) never says "distinct" when two ids
    /// have the same bytes — ids that differ in one byte, in length only, by a trailing space
    /// or a NUL, non-ASCII ones, a repeat anywhere (first and last row, adjacent rows) — and
    /// says it for real ids that are distinct. (Two distinct ids may share a hash: short ones
    /// of NULs and spaces do; the shortcut then answers "maybe", and the exact merge decides.)
    @Test func idsAreDistinctNeverWhenTwoIdsAreEqual() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab商品 \u{0}9").map(String.init)
        var repeatsSeen = 0
        for n in [0, 1, 2, 3, 17, 1_000, 40_000] {
            for _ in 0..<(n > 1_000 ? 3 : 40) {
                var ids = (0..<n).map { i in (0..<Int.random(in: 0...(n > 100 ? 24 : 3), using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined() + (n > 100 ? "\(i)" : "") }
                if n > 1, Bool.random(using: &rng) { ids[Int.random(in: 1..<n, using: &rng)] = ids[Bool.random(using: &rng) ? 0 : Int.random(in: 0..<n, using: &rng)] }
                let distinct = Set(ids.map { Array($0.utf8) }).count == ids.count
                if !distinct { repeatsSeen += 1 }
                if DataLoader.Parts.idsAreDistinct(ids, { $0 }) { #expect(distinct, "\(ids.prefix(5))") }
            }
        }
        #expect(repeatsSeen > 20)
        #expect(!DataLoader.Parts.idsAreDistinct(["P1", "P2", "P1"]) { $0 })
        // Real ids: product ids, after-sales ids, 19-digit order ids, ids of the older export.
        #expect(DataLoader.Parts.idsAreDistinct((0..<50_000).map { "P\($0)" }) { $0 })
        #expect(DataLoader.Parts.idsAreDistinct((0..<50_000).map { "RF\($0)" }) { $0 })
        #expect(DataLoader.Parts.idsAreDistinct((0..<50_000).map { String(3_245_000_000_000_000_000 + $0 * 7_919) }) { $0 })
        #expect(DataLoader.Parts.idsAreDistinct((0..<20_000).map { "B\($0)@2023-03-01 10:00:\(String(format: "%02d", $0 % 60))" }) { $0 })
    }

    /// A row wider than a worksheet (16,384 columns) is never taken for a header (a line of
    /// 300,000 commas was matched against every table's columns for 10 s).
    @Test func aRowWiderThanAWorksheetIsNotAHeader() {
        let wide = (0..<300_000).map { "c\($0)" }.joined(separator: ",")
        let s = DataLoader.load(folder: makeFolder(["orders.csv": wide + "\n1,2\n", "orders_only_wide.csv": wide + "\n"]))
        #expect(s.orders.count == 0)
        let reasons = Dictionary(uniqueKeysWithValues: s.errors.map { ($0.file, "\($0.line ?? 0): \($0.reason)") })
        #expect(reasons["orders_only_wide.csv"] == "1: no header row: line 1 has 300000 columns, more than a worksheet's 16384; file skipped")
        #expect(reasons["orders.csv"]?.hasPrefix("2: missing required columns order_id") == true)
    }

    @Test func gb18030AndBOMAreDetected() {
        let text = "订单编号,支付时间,承诺发货时间,订单状态\n1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n"
        let dir = makeFolder([:], bytes: [
            "orders_gbk.csv": TextEncoding.encodeGB18030(text)!,
            "orders_bom.csv": [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "1,", with: "2,").utf8),
        ])
        let s = DataLoader.load(folder: dir)
        #expect(s.errors.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: s.files.map { ($0.path, $0.encoding) }) == ["orders_gbk.csv": .gb18030, "orders_bom.csv": .utf8BOM])
        #expect(s.orders.count == 2)
    }

    @Test func titleRowsAboveTheHeaderAndRecognitionByHeaders() {
        let dir = makeFolder(["export_20230306.csv": "快手小店订单导出\n导出时间 2023-03-06\n\(header)\n1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n"])
        let s = DataLoader.load(folder: dir)
        #expect(s.files.first?.table == .orders)
        #expect(s.orders.count == 1)
    }

    @Test func anUnrelatedExportIsAWarningNotAnError() {
        let dir = makeFolder(["账单_202303.csv": "账务流水号,入账时间,发生额（元）\n1,2023-03-01 10:00:00,5\n"])
        let s = DataLoader.load(folder: dir)
        #expect(s.errors.isEmpty && s.skippedFiles.isEmpty)
        #expect(s.warnings.first?.reason.hasPrefix("not recognised") == true)
    }

    @Test func orderIdsAreCleanedLikeEveryOtherId() {
        let dir = makeFolder(["orders.csv": "order_id,paid_at,promised_ship_at,status\n3245001.000,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n=\"88\",2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n"])
        let s = DataLoader.load(folder: dir)
        #expect((0..<s.orders.count).map(s.orders.id) == ["3245001", "88"])
        #expect("3245001.000".withBytes { Cell.id($0) } == "3245001")
    }

    @Test func douyinExportIsNamed() {
        let dir = makeFolder(["订单导出.csv": "主订单编号,子订单编号,订单提交时间,订单应付金额\n1,2,2023-03-01 10:00:00,10\n"])
        let s = DataLoader.load(folder: dir)
        #expect(s.errors.first?.reason.contains("Douyin") == true)
    }

    @Test func openPlatformFields() {
        let dir = makeFolder(["orders.csv": "oid,payTime,promiseTimeStampOfDelivery,validPromiseShipmentTimeStamp,status,itemType,totalFee,sendTime\n"
                              + "9,1677636000000,1677722400000,1677808800000,40,2,12990,0\n"])
        let s = DataLoader.load(folder: dir)
        #expect(s.orders.count == 1)
        #expect(s.orders.promised[0] == 1_677_808_800) // validPromiseShipmentTimeStamp wins
        #expect(s.orders.flags[0].contains(.flashSale))
        #expect(s.orders.amount[0] == 12990)
        #expect(s.orders.shipped[0] == .absent)       // 0 = absent
        #expect(s.orders.status[0] == .shipped)
        #expect(s.orders.promiseHours[0] == 48)       // derived, rounded up
    }

    @Test func splitAddressColumnsAreJoined() {
        let dir = makeFolder(["orders.csv": "订单号,订单支付时间,预售/承诺发货时间,订单状态,收货地址-省,收货地址-市,收货地址-区,收货地址\n"
                              + "1,2023-03-01 10:00:00,2023-03-02 10:00:00,交易关闭,吉林省,长春市,朝阳区,某某路1号\n"])
        let s = DataLoader.load(folder: dir)
        #expect(s.orders.regions[s.orders.shipTo[0]]?.parts == ["吉林", "长春", "朝阳区"])
        #expect(s.orders.status[0] == .closed)
    }

    @Test func otherTablesLoad() {
        let dir = makeFolder([
            "violations.csv": "违规编号,通知时间,违规类型,扣分,处理措施,状态\nV1,2023-03-06 09:00:00,超时未发货,2,\"警告；扣分、禁言, 冻结\",待处理\n",
            "adjustments.csv": "地区,范围,开始时间,结束时间\n上海,物流,2023-03-01 00:00:00,2023-03-05 23:59:59\n",
            "coupons.csv": "活动ID,券类型,门槛,面额,发放时间\nC1,店铺满减券,¥99,10,2023-03-06 20:00:00\n",
        ])
        let s = DataLoader.load(folder: dir)
        #expect(s.errors.isEmpty)
        #expect(s.violations.first?.measures == ["警告", "扣分", "禁言", "冻结"])
        #expect(s.adjustments.first?.publishedAt == s.adjustments.first?.start)
        #expect(s.coupons.first?.threshold == 9900)
    }
}
