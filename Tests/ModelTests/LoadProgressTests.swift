import Foundation
import Testing
@testable import ShopdeckModel

/// A load's progress (terminal-ui.md: a load that takes more than a moment shows files, rows
/// and MB/s): each load counts in its own `LoadProgress`, on one core or two, whatever the
/// encoding or format, and a finished load has read all its bytes.
@Suite("Load progress")
struct LoadProgressTests {
    /// Files, of all files, rows, bytes, of all bytes.
    func figures(_ c: LoadProgress.Counts) -> [Int] { [c.files, c.totalFiles, c.rows, c.bytes, c.totalBytes] }

    /// orders.csv (UTF-8 with a byte-order mark, a header and 2,000 orders), violations.csv
    /// (GB18030, a header and 2 rows), products.xlsx (a title row, a header and 2 rows).
    func shop() throws -> (dir: String, bytes: Int) {
        var orders = "\u{FEFF}order_id,paid_at,promised_ship_at,status\n"
        for i in 0..<2_000 { orders += "O\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n" }
        let violations = TextEncoding.encodeGB18030("违规编号,通知时间,违规类型,扣分,处理措施,状态\nV1,2023-03-06 09:00:00,超时未发货,2,警告,待处理\nV2,2023-03-06 10:00:00,超时未发货,2,警告,待处理\n")!
        let dir = makeFolder(["orders.csv": orders], bytes: ["violations.csv": Array(violations)])
        try XLSXWriter.write([XLSXWriter.Sheet(name: "商品", rows: [[.text("商品导出")], ["product_id", "product_name", "price"].map { .text($0) },
                                                                   [.text("P1"), .text("面膜"), .number(9.9)], [.text("P2"), .text("卫衣"), .number(59)]])],
                             to: dir + "/products.xlsx")
        let bytes = try ["orders.csv", "violations.csv", "products.xlsx"].reduce(0) { n, f in
            n + (try FileManager.default.attributesOfItem(atPath: dir + "/" + f)[.size] as! Int)
        }
        return (dir, bytes)
    }

    @Test(arguments: [false, true]) func aFinishedLoadCountsEveryFileRowAndByte(twoCores: Bool) throws {
        let (dir, bytes) = try shop()
        let progress = LoadProgress()
        let s = DataLoader.load(folder: dir, parallelFrom: twoCores ? 1 : Int.max, progress: progress)
        #expect(s.errors.isEmpty, "\(s.errors)")
        #expect(s.orders.count == 2_000 && s.violations.count == 2 && s.products.count == 2)
        let c = progress.counts
        // Records: 2,001 + 3 + 4 (the title row too); every byte of the three files.
        #expect(figures(c) == [3, 3, 2_008, bytes, bytes])
        #expect(c.fraction == 1)
    }

    @Test func aSplitReadGivenUpIsNotCountedTwice() throws {
        // A quoted field spanning the split: the two-core read is given up, the file read again
        // in one pass.
        var orders = "order_id,paid_at,promised_ship_at,status,product_name\n"
        for i in 0..<2_000 { orders += "O\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,\"line one\n\(String(repeating: "x", count: i % 7))\"\n" }
        let dir = makeFolder(["orders.csv": orders])
        var given = Snapshot()
        #expect(!DataLoader.loadOrdersInParallel(path: dir + "/orders.csv", name: "orders.csv", snap: &given, from: 1))
        let progress = LoadProgress()
        let s = DataLoader.load(folder: dir, parallelFrom: 1, progress: progress)
        #expect(s.orders.count == 2_000)
        let c = progress.counts
        #expect(figures(c) == [1, 1, 2_001, orders.utf8.count, orders.utf8.count])
    }

    @Test func loadsSideBySideCountOnlyTheirOwn() throws {
        let one = "order_id,paid_at,promised_ship_at,status\nA,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n"
        let a = makeFolder(["orders.csv": one])
        let (b, bBytes) = try shop()
        let progress = [LoadProgress(), LoadProgress()]
        DispatchQueue.concurrentPerform(iterations: 2) { i in _ = DataLoader.load(folder: i == 0 ? a : b, progress: progress[i]) }
        let ca = progress[0].counts, cb = progress[1].counts
        #expect(figures(ca) == [1, 1, 2, one.utf8.count, one.utf8.count])
        #expect(figures(cb) == [3, 3, 2_008, bBytes, bBytes])
    }

    @Test func beforeALoadNothingIsCounted() {
        let c = LoadProgress().counts
        #expect(figures(c) == [0, 0, 0, 0, 0])
        #expect(c.fraction == 0)
    }
}
