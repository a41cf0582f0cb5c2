import Foundation
import Testing
@testable import ShopdeckModel

@Suite("Two-core load", .serialized)
struct ParallelLoadTests {
    func load(_ dir: String, parallel: Bool) -> Snapshot {
        DataLoader.load(folder: dir, parallelFrom: parallel ? 1 : Int.max)
    }

    /// The files of `dir` the two-core path reads itself (the others it hands to one pass),
    /// so a comparison with one pass is known to compare two different reads.
    func readOnEveryCore(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted().filter { n in
            var snap = Snapshot(), parts = DataLoader.Parts()
            return DataLoader.loadOrdersInParallel(path: dir + "/" + n, name: n, snap: &snap, from: 1)
                || DataLoader.loadTableInParallel(path: dir + "/" + n, name: n, snap: &snap, parts: &parts, from: 1)
        }
    }

    func same(_ a: Snapshot, _ b: Snapshot) {
        #expect(a.orders.count == b.orders.count)
        #expect((0..<a.orders.count).map(a.orders.id) == (0..<b.orders.count).map(b.orders.id))
        #expect(a.orders.paid == b.orders.paid && a.orders.shipped == b.orders.shipped && a.orders.status == b.orders.status)
        #expect((0..<a.orders.count).map { a.orders.regions.text(a.orders.shipTo[$0]) } == (0..<b.orders.count).map { b.orders.regions.text(b.orders.shipTo[$0]) })
        #expect((0..<a.orders.count).map { a.orders.text(a.orders.productName[$0]) } == (0..<b.orders.count).map { b.orders.text(b.orders.productName[$0]) })
        #expect(a.errors == b.errors)
        #expect(a.files == b.files)
    }

    /// A head of Chinese text settles the encoding, so chunks are not scanned byte by byte;
    /// a damaged product name further on is still caught (the kept texts are checked) and the
    /// one pass reports its cell, as for a file read in one pass.
    @Test func aDamagedTextAfterAChineseHeadIsStillReported() {
        var bytes = Array("订单号,订单支付时间,预售/承诺发货时间,订单状态,商品名称\n".utf8)
        for i in 0..<3000 { bytes += Array("O\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,商品名称\(i % 40)\n".utf8) }
        bytes += Array("BAD,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,".utf8) + [0xE5, 0x28, 0x0A]
        let dir = makeFolder([:], bytes: ["orders.csv": bytes])
        let p = load(dir, parallel: true), one = load(dir, parallel: false)
        same(p, one)
        #expect(p.orders.count == 3001)
        #expect(p.warnings.map(\.description) == ["orders.csv:3002:5: product_name (商品名称): holds bytes that are not valid in the file's encoding (the file is damaged or mixes encodings): re-export it, or save it again as UTF-8; read as absent"])
    }

    @Test func sameTableAsOnePass() throws {
        var text = "\u{FEFF}order_id,paid_at,promised_ship_at,status,shipped_at,ship_to,product_name\n"
        for i in 0..<4000 {
            let id = i % 9 == 0 ? "DUP\(i % 90)" : "O\(i)"          // ids repeated across both halves
            let name = i % 13 == 0 ? "\"多行\n名称 \(i), \"\"引号\"\"\"" : "商品\(i % 50)"
            let paid = i % 777 == 5 ? "not a time" : "2023-03-01 \(String(format: "%02d", i % 24)):00:00"
            text += "\(id),\(paid),2023-03-02 10:00:00,\(i % 3 == 0 ? "已发货" : "待发货"),\(i % 3 == 0 ? "2023-03-01 23:00:00" : ""),\(["浙江省/杭州市/余杭区", "北京", "上海市/上海市/浦东新区"][i % 3]),\(name)\n"
        }
        let dir = makeFolder(["orders.csv": text])
        #expect(try readOnEveryCore(dir) == ["orders.csv"])
        let one = load(dir, parallel: false), two = load(dir, parallel: true)
        #expect(one.errors.count == 6)
        same(one, two)
    }

    /// The other tables read on both cores give exactly the one pass's rows (repeated ids
    /// folded the same way), errors and warnings at the same lines, and the file described
    /// the same; the older after-sales export's note is said once.
    @Test func otherTablesAsOnePass() throws {
        var products = "product_id,product_name,price,commission,source\n"
        for i in 0..<6000 {
            let id = i % 11 == 0 ? "DUP\(i % 110)" : "P\(i)"
            let name = i % 17 == 0 ? "\"多行\n名称 \(i), \"\"引号\"\"\"" : "商品\(i % 50)"
            let price = i % 701 == 3 ? "free" : "\(i % 500).90"
            let source = i % 997 == 1 ? "代销" : ["自建", "好物联盟"][i % 2]
            products += "\(id),\(name),\(price),\(i % 30),\(source)\n"
        }
        var refunds = "订单编号,售后类型,申请时间,售后状态,退货地址\n" // the older export: no 售后单号
        for i in 0..<6000 {
            let kind = i % 501 == 7 ? "退款" : ["仅退款", "退货退款", "换货"][i % 3]
            refunds += "B\(i % 4000),\(kind),2023-03-0\(1 + i % 9) 10:\(String(format: "%02d", i % 60)):00,处理中,浙江省/杭州市/余杭区\n"
        }
        let dir = makeFolder(["products.csv": products, "aftersales.csv": refunds])
        let plan = try #require(SplitPlan(path: dir + "/products.csv", name: "products.csv", kind: .products, threshold: 1, minChunk: 1 << 12))
        #expect(plan.chunks >= 2)
        #expect(try readOnEveryCore(dir) == ["aftersales.csv", "products.csv"])
        let one = load(dir, parallel: false), two = load(dir, parallel: true)
        #expect(one.products.count > 5000 && one.refunds.count > 5000)
        #expect(one.errors.count == 9 + 12)
        #expect(one.warnings.filter { $0.reason.contains("older after-sales export") }.count == 1)
        // The first row that differs, not two whole tables, when they do.
        func firstDifference<T>(_ a: [T], _ b: [T]) -> String? {
            if a.count != b.count { return "\(a.count) rows against \(b.count)" }
            return zip(a, b).first { "\($0)" != "\($1)" }.map { "\($0)\n  against \($1)" }
        }
        #expect(firstDifference(Array(one.products), Array(two.products)) == nil)
        #expect(firstDifference(Array(one.refunds), Array(two.refunds)) == nil)
        #expect(one.errors == two.errors)
        #expect(one.warnings == two.warnings)
        #expect(one.files == two.files)
    }

    /// Two large files of one table: the first's chunks are joined on both cores into the
    /// empty table, the second's appended after them; rows, lines and the merge by id (the
    /// newer file's row wins, in the first row's place) are the one pass's.
    @Test func twoFilesOfOneTableAsOnePass() throws {
        func products(_ tag: String, _ range: Range<Int>) -> String {
            "product_id,product_name,price\n" + range.map { "P\($0),\(tag)\($0 % 40),\($0 % 300).50\n" }.joined()
        }
        let dir = makeFolder(["products_a.csv": products("旧", 0..<5000), "products_b.csv": products("新", 4000..<9000)])
        touch(dir + "/products_a.csv", 1_700_000_000)
        touch(dir + "/products_b.csv", 1_700_000_100)
        #expect(try readOnEveryCore(dir) == ["products_a.csv", "products_b.csv"])
        let one = load(dir, parallel: false), two = load(dir, parallel: true)
        #expect(one.products.count == 9000 && one.errors.isEmpty)
        #expect(one.products[4500].productId == "P4500" && one.products[4500].name == "新20" && one.products[4500].line == 502)
        #expect(one.products.map { "\($0)" } == two.products.map { "\($0)" })
        #expect(one.files == two.files)
    }

    /// GB18030 exports (the backend's Excel-friendly download) are read on both cores too: the
    /// same rows, errors, lines and file description as the one pass, for orders and another
    /// table, with 4-byte characters and quoted line breaks. A file the one pass would read
    /// differently is read in one pass: an invalid sequence in a chunk, a character cut by the
    /// end of the file, and files with a GB18030 head whose whole reads as damaged UTF-8 (the
    /// one pass decides the encoding on every byte).
    @Test func gb18030FilesAsOnePass() throws {
        // Long names: both files pass the megabyte the plan reads as its head, so the damage
        // below lies in the chunks (few rows: the suite runs unoptimised).
        let pad = String(repeating: "长", count: 160)
        var orders = "订单号,支付时间,承诺发货时间,订单状态,收货地址,商品名称\n"
        for i in 0..<3_000 {
            let id = i % 9 == 0 ? "DUP\(i % 90)" : "O\(i)"
            let name = i % 13 == 0 ? "\"多行\n名称 𠀀\(i), \"\"引号\"\"\"" : "加绒卫衣€\(i % 50)\(pad)"
            let paid = i % 777 == 5 ? "不是时间" : "2023-03-01 \(String(format: "%02d", i % 24)):00:00"
            orders += "\(id),\(paid),2023-03-02 10:00:00,\(i % 3 == 0 ? "已发货" : "待发货"),\(["浙江省/杭州市/余杭区", "北京", "上海市/上海市/浦东新区"][i % 3]),\(name)\n"
        }
        var products = "商品ID,商品名称,价格\n"
        for i in 0..<3_000 { products += "P\(i % 2_600),商品 顶级\(i)😀\(pad)\(pad.prefix(40)),\(i % 701 == 3 ? "免费" : "\(i % 300).50")\n" }
        let gbOrders = try #require(TextEncoding.encodeGB18030(orders)), gbProducts = try #require(TextEncoding.encodeGB18030(products))
        let fewProducts = Array("product_id,product_name,price\nP1,x,1\n".utf8)
        func folder(_ o: [UInt8], _ p: [UInt8]) -> String {
            let dir = makeFolder([:])
            #expect(FileManager.default.createFile(atPath: dir + "/orders.csv", contents: Data(o)))
            #expect(FileManager.default.createFile(atPath: dir + "/products.csv", contents: Data(p)))
            return dir
        }
        /// Both loads of `dir`, checked equal; whether the orders file is split as `splits` says.
        func expectSame(_ dir: String, splits: Bool?) -> (one: Snapshot, two: Snapshot) {
            let one = load(dir, parallel: false), two = load(dir, parallel: true)
            same(one, two)
            #expect(one.products.map { "\($0)" } == two.products.map { "\($0)" })
            #expect(one.warnings == two.warnings)
            let plan = SplitPlan(path: dir + "/orders.csv", name: "orders.csv", kind: .orders, threshold: 1, minChunk: 1 << 12)
            if let splits { #expect((plan != nil) == splits) }
            if let plan { #expect(plan.encoding == .gb18030 && plan.chunks >= 2) }
            return (one, two)
        }
        let (one, _) = expectSame(folder(gbOrders, gbProducts), splits: true)
        #expect(one.files.map(\.encoding) == [.gb18030, .gb18030] && one.orders.count > 2_500 && one.products.count == 2_597)
        #expect(one.errors.count == 4 + 5 && one.files.allSatisfy { $0.headers.isEmpty })
        #expect(one.products.first { $0.productId == "P7" }?.name == "商品 顶级2607😀" + pad + pad.prefix(40))
        // An invalid sequence late in each file, a character cut by the end.
        var bad = gbOrders, badP = gbProducts
        bad.insert(contentsOf: [0x81, 0x20], at: bad[(bad.count - 20_000)...].firstIndex(of: 0x2C)!)
        badP.append(contentsOf: TextEncoding.encodeGB18030("P9999,末尾")! + [0xB6])
        #expect(expectSame(folder(bad, badP), splits: true).two.errors.count > one.errors.count)
        // A file whose head is GB18030 (its header) but whose whole reads as UTF-8: ASCII rows,
        // then names in UTF-8 that also decode as GB18030 without a bad sequence (订单: E8 AE |
        // A2 E5 | 8D 95). The one pass decides on every byte and takes it for UTF-8 with a
        // damaged header; both cores must not read it as GB18030.
        var mixed = try #require(TextEncoding.encodeGB18030("订单号,支付时间,承诺发货时间,订单状态,商品名称\n"))
        for i in 0..<4_000 { mixed += Array("M\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,30,\(i < 2_000 ? "plain-name" : "订单订单")\n".utf8) }
        let mixedDir = folder(mixed, fewProducts)
        #expect(SplitPlan(path: mixedDir + "/orders.csv", name: "orders.csv", kind: .orders, threshold: 1, minChunk: 1 << 12)?.encoding == .gb18030)
        #expect(expectSame(mixedDir, splits: true).two.skippedFiles == ["orders.csv"])
        // A first chunk of GB18030 rows (more than the 256 KB block a chunk is read in) then
        // such UTF-8 rows, and a second chunk of ASCII: the first chunk's scan may not stop on
        // the invalid bytes it met first (the rows after them outweigh them, and the one pass
        // takes the file for UTF-8). The second chunk's rows are about as long as the head's,
        // so nothing else sends it to one pass.
        var late = try #require(TextEncoding.encodeGB18030("订单号,支付时间,承诺发货时间,订单状态,商品名称\n"))
        let ascii = String(repeating: "x", count: 300)
        for i in 0..<740 { late += try #require(TextEncoding.encodeGB18030("G\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,30,加绒卫衣\(ascii)\n")) }
        let gbEnd = late.count
        for i in 0..<1_000 { late += Array("U\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,30,\(String(repeating: "订单", count: 12))\n".utf8) }
        let utf8End = late.count
        for i in 0..<2_000 { late += Array("A\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,30,plain-name-\(ascii.prefix(170))\n".utf8) }
        let lateDir = folder(late, fewProducts)
        let latePlan = try #require(SplitPlan(path: lateDir + "/orders.csv", name: "orders.csv", kind: .orders, threshold: 1))
        #expect(latePlan.chunks == 2 && latePlan.bounds[1] > utf8End && gbEnd - latePlan.dataStart > 1 << 18 && latePlan.encoding == .gb18030)
        #expect(expectSame(lateDir, splits: true).two.skippedFiles == ["orders.csv"])
    }

    @Test func tabSeparatedFilesToo() throws {
        var text = "order_id\tpaid_at\tpromised_ship_at\tstatus\tproduct_name\n"
        for i in 0..<3000 { text += "T\(i)\t2023-03-01 10:00:00\t2023-03-02 10:00:00\t待发货\t商品, 名称 \(i % 7)\n" }
        let dir = makeFolder(["orders.tsv": text])
        #expect(try readOnEveryCore(dir) == ["orders.tsv"])
        let one = load(dir, parallel: false), two = load(dir, parallel: true)
        #expect(one.orders.count == 3000 && one.errors.isEmpty)
        same(one, two)
    }

    @Test func aSplitInsideAQuotedFieldFallsBackToOnePass() throws {
        // One huge quoted field spanning the middle of the file.
        let big = String(repeating: "很长的备注\n", count: 3000)
        let text = "order_id,paid_at,promised_ship_at,status,product_name\nA,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,\"\(big)\"\nB,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,x\n"
        let dir = makeFolder(["orders.csv": text])
        #expect(try readOnEveryCore(dir) == [])
        same(load(dir, parallel: false), load(dir, parallel: true))
        #expect(load(dir, parallel: true).orders.count == 2)
    }

    /// A stray quote near the end of a large file swallows the rest of it into one cell: in
    /// one pass and on both cores alike, the record is a bad row whose error names the lines
    /// lost, and the rows before it load.
    @Test func aQuoteNeverClosedIsOneBadRowNamingTheLinesLost() {
        for (name, header, row) in [
            ("orders.csv", "order_id,paid_at,promised_ship_at,status", { (i: Int) in "O\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货" }),
            ("products.csv", "product_id,product_name,price", { (i: Int) in "P\(i),商品\(i % 50),59.90" }),
        ] {
            var rows = (0..<40_000).map(row)
            rows[30_000] = rows[30_000].replacingOccurrences(of: ",2023-03-02", with: ",\"2023-03-02").replacingOccurrences(of: ",59.90", with: ",\"59.90")
            let dir = makeFolder([name: header + "\n" + rows.joined(separator: "\n") + "\n"])
            let one = load(dir, parallel: false), both = load(dir, parallel: true)
            same(one, both)
            for s in [one, both] {
                #expect(s.files.map(\.rows) == [30_000] && s.files.map(\.badRows) == [1])
                #expect(s.errors == [LoadError(file: name, line: 30_002, column: 3,
                                               reason: "a quote opens this cell and is never closed: its 10000 lines from here to the end of the file were read as one cell and not loaded; close the quote (or remove it) and save the file again, or export it again")])
            }
            #expect(one.orders.count + one.products.count == 30_000)
        }
    }

    @Test func aQuoteNeverClosedWhileTheHeaderIsLookedForToo() {
        let dir = makeFolder(["orders.csv": "订单导出\norder_id,paid_at,promised_ship_at,status\n1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n2,\"2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n3,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货"])
        let s = load(dir, parallel: false)
        #expect(s.orders.count == 1 && s.files.map(\.badRows) == [1])
        #expect(s.errors == [LoadError(file: "orders.csv", line: 4, column: 2,
                                       reason: "a quote opens this cell and is never closed: its 2 lines from here to the end of the file were read as one cell and not loaded; close the quote (or remove it) and save the file again, or export it again")])
    }

    @Test func rowsMuchShorterThanTheHeadsFallBackToOnePass() {
        // The first megabyte holds long rows; the rest are short, so later chunks hold far
        // more rows than their bytes suggest: the load must still give the one-pass table.
        let long = String(repeating: "很长的商品名称", count: 60)
        var text = "order_id,paid_at,promised_ship_at,status,product_name\n"
        for i in 0..<900 { text += "L\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,\(long)\n" }
        for i in 0..<30_000 { text += "S\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,已发货,x\n" }
        let dir = makeFolder(["orders.csv": text])
        let one = load(dir, parallel: false), two = load(dir, parallel: true)
        #expect(one.orders.count == 30_900)
        same(one, two)
    }
}
