import Foundation
import TestScratch
import Testing
@testable import ShopdeckApp
@testable import ShopdeckModel
import ShopdeckRules

/// Instant reopen (issue 15): the snapshot cache gives exactly the figures a fresh load gives,
/// matches only the files it was made from, and is never trusted when damaged.
@Suite("Snapshot cache")
struct SnapshotCacheTests {
    static let T = CST.instant(year: 2026, month: 11, day: 24, hour: 16)

    func demo() throws -> String {
        let d = Scratch.folder("cache")
        try DemoShop(seed: 5, anchor: Self.T, ordersPerWeek: 300).write(to: d)
        return d
    }

    /// The whole report JSON but the load timing.
    func figures(_ ws: Workspace) -> String {
        guard case .object(let o) = ws.report(asOf: Self.T).json() else { return "" }
        var out = o.filter { $0.0 != "load" }.map { $0.0 + "=" + $0.1.serialized() }
        if case .object(let load)? = o.first(where: { $0.0 == "load" })?.1 { out += load.filter { $0.0 != "seconds" }.map { $0.0 + "=" + $0.1.serialized() } }
        return out.joined(separator: "\n")
    }

    @Test func aReopenFromTheCacheGivesTheSameFigures() throws {
        let d = try demo()
        let cold = try Workspace.open(folder: d, cache: true)
        #expect(!cold.loadedFromCache && FileManager.default.fileExists(atPath: SnapshotCache.path(folder: d)))
        let warm = try Workspace.open(folder: d, cache: true)
        #expect(warm.loadedFromCache)
        let plain = try Workspace.open(folder: d)
        // Apart, so that a failure shows the lines that differ.
        let fromPlain = figures(plain).split(separator: "\n")
        #expect(figures(warm).split(separator: "\n") == fromPlain)
        #expect(figures(cold).split(separator: "\n") == fromPlain)
        // The tables themselves, cell for cell.
        let a = warm.snapshot.orders, b = plain.snapshot.orders
        #expect(a.count == b.count && (0..<a.count).allSatisfy { a.id($0) == b.id($0) && a.deadline($0) == b.deadline($0) && a.shipped[$0] == b.shipped[$0]
            && a.pickedUp[$0] == b.pickedUp[$0] && a.status[$0] == b.status[$0] && a.flags[$0] == b.flags[$0] && a.amount[$0] == b.amount[$0]
            && a.productName[$0] == b.productName[$0] && a.shipTo[$0] == b.shipTo[$0] })
        #expect(warm.snapshot.files == plain.snapshot.files)
        #expect(warm.snapshot.orders.ids.find("2300000000000000004") == plain.snapshot.orders.ids.find("2300000000000000004"))
    }

    /// Folders of many shapes give the same figures (errors and warnings included) from the
    /// cache as from their exports: several seeds and sizes, repeated ids, bad rows, unreadable
    /// optional cells, times past 2068 (kept exactly in a side table), an export in GB18030, a
    /// UTF-16 text save, tables missing.
    @Test(arguments: [1, 2, 3])
    func foldersOfManyShapesReopenToTheSameFigures(_ seed: Int) throws {
        let d = Scratch.folder("cache-shapes")
        try DemoShop(seed: UInt64(seed), anchor: Self.T, ordersPerWeek: 40 + seed * 60).write(to: d)
        let header = "订单号,订单支付时间,预售/承诺发货时间,承诺发货时效,订单状态,发货时间,揽收时间,关闭时间,发货地,收货地区,商品ID,商品名称,实付款,闪电购,延迟发货报备,报备后承诺发货时间,官方活动"
        let rows = [
            "23001100000000000,2026-11-20 10:00:00,2026-11-21 10:00:00,24小时,待发货,,,,,浙江省/杭州市/西湖区,680000000101,重复的订单 后一行为准,19.90,否,否,,",
            "2399000000000000001,2026-11-20 10:00:00,2090-01-01 10:00:00,24小时,待发货,,,,,浙江省/杭州市/西湖区,680000000101,远期承诺,19.90,否,否,,",
            "2399000000000000002,2026-11-20 10:00:00,2026-11-21 10:00:00,24小时,待发货,,,,,浙江省/杭州市/西湖区,680000000101,坏金额,abc,否,否,,",
            "2.5E+15,2026-11-20 10:00:00,2026-11-21 10:00:00,24小时,待发货,,,,,浙江省/杭州市/西湖区,680000000101,科学计数法,19.90,否,否,,",
            "2399000000000000003,2026-11-20 10:00:00,2026-11-21 10:00:00,24小时,处理中,,,,,浙江省/杭州市/西湖区,680000000101,未知状态,19.90,否,否,,",
            "2399000000000000004,2026-11-20 10:00:00,2026-11-21 10:00:00,24小时,已发货,2026-11-20 12:00:00,下周,,,新疆维吾尔自治区/乌鲁木齐市/天山区,680000000102,揽收时间读不出,29.90,否,否,,",
        ]
        try (header + "\n" + rows.joined(separator: "\n") + "\n").write(toFile: d + "/orders_extra.csv", atomically: true, encoding: .utf8)
        if seed == 2 {
            // A GB18030 export beside a UTF-16 "Unicode text" save.
            let gb = TextEncoding.encodeGB18030(header + "\n" + "2399000000000000010,2026-11-22 10:00:00,2026-11-23 10:00:00,24小时,待发货,,,,,广东省/深圳市/南山区,680000000103,国标编码,9.90,否,否,,\n")!
            try Data(gb).write(to: URL(fileURLWithPath: d + "/orders_gb.csv"))
            try (header.replacingOccurrences(of: ",", with: "\t") + "\n"
                 + "2399000000000000011\t2026-11-22 10:00:00\t2026-11-23 10:00:00\t24小时\t待发货\t\t\t\t\t广东省/深圳市/南山区\t680000000103\tUTF-16\t9.90\t否\t否\t\t\n")
                .data(using: .utf16LittleEndian).map { Data([0xFF, 0xFE]) + $0 }!.write(to: URL(fileURLWithPath: d + "/orders_unicode.txt"))
        }
        if seed == 3 {
            for name in try FileManager.default.contentsOfDirectory(atPath: d) where name.hasPrefix("violations") || name.contains("优惠") {
                try FileManager.default.removeItem(atPath: d + "/" + name)
            }
        }
        let plain = try Workspace.open(folder: d)
        #expect(!plain.snapshot.errors.isEmpty && !plain.snapshot.warnings.isEmpty)
        #expect(plain.snapshot.orders.ids.find("2399000000000000001").map { plain.snapshot.orders.promised[Int($0)] } == CST.instant(year: 2090, month: 1, day: 1, hour: 10))
        if seed == 2 { #expect(plain.snapshot.orders.ids.find("2399000000000000010") != nil && plain.snapshot.orders.ids.find("2399000000000000011") != nil) }
        if seed == 3 { #expect(plain.snapshot.violations.isEmpty && plain.snapshot.coupons.isEmpty) }
        _ = try Workspace.open(folder: d, cache: true)
        let warm = try Workspace.open(folder: d, cache: true)
        #expect(warm.loadedFromCache)
        #expect(figures(warm) == figures(plain))
        #expect(warm.snapshot.errors == plain.snapshot.errors && warm.snapshot.warnings == plain.snapshot.warnings)
        #expect(warm.snapshot.files == plain.snapshot.files && warm.snapshot.skippedFiles == plain.snapshot.skippedFiles)
        let a = warm.snapshot.orders, b = plain.snapshot.orders
        #expect(a.count == b.count && (0..<a.count).allSatisfy { a.id($0) == b.id($0) && a.promised[$0] == b.promised[$0] && a.deadline($0) == b.deadline($0)
            && a.pickedUp[$0] == b.pickedUp[$0] && a.amount[$0] == b.amount[$0] && a.text(a.productName[$0]) == b.text(b.productName[$0])
            && a.regions[a.shipTo[$0]] == b.regions[b.shipTo[$0]] && a.productIdText(a.productId[$0]) == b.productIdText(b.productId[$0]) })
    }

    @Test func aShopWithoutOrdersReopensFromTheCacheToo() throws {
        let d = try demo()
        for name in try FileManager.default.contentsOfDirectory(atPath: d) where name.hasPrefix("orders") || name.hasPrefix("订单") {
            try FileManager.default.removeItem(atPath: d + "/" + name)
        }
        let cold = try Workspace.open(folder: d, cache: true)
        #expect(!cold.loadedFromCache && cold.snapshot.orders.count == 0 && !cold.snapshot.products.isEmpty)
        let warm = try Workspace.open(folder: d, cache: true)
        #expect(warm.loadedFromCache)
        #expect(figures(warm) == figures(try Workspace.open(folder: d)))
    }

    @Test func aChangedFileIsReadAgainAndTheCacheReplaced() throws {
        let d = try demo()
        _ = try Workspace.open(folder: d, cache: true)
        let orders = try FileManager.default.contentsOfDirectory(atPath: d).first { $0.hasPrefix("orders") && $0.hasSuffix(".csv") }!
        let path = d + "/" + orders
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += "2399999999999999999,待发货,2026-11-24 10:00:00,2026-11-24 12:00:00,,,,,杯子,浙江省/杭州市/西湖区\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let after = try Workspace.open(folder: d, cache: true)
        #expect(!after.loadedFromCache)
        #expect(figures(after) == figures(try Workspace.open(folder: d)))
        #expect(try Workspace.open(folder: d, cache: true).loadedFromCache)
        // A new file, a removed file: not the same folder any more.
        try "x".write(toFile: d + "/violations_extra.csv", atomically: true, encoding: .utf8)
        #expect(!(try Workspace.open(folder: d, cache: true)).loadedFromCache)
        try FileManager.default.removeItem(atPath: d + "/violations_extra.csv")
        #expect(!(try Workspace.open(folder: d, cache: true)).loadedFromCache)
    }

    @Test func aDamagedOrForeignCacheIsNeverTrusted() throws {
        let d = try demo()
        let plain = figures(try Workspace.open(folder: d))
        _ = try Workspace.open(folder: d, cache: true)
        let good = try Data(contentsOf: URL(fileURLWithPath: SnapshotCache.path(folder: d)))
        var cases: [(String, Data)] = [("truncated", good.prefix(good.count / 2)), ("empty", Data()), ("foreign", Data("SQLite format 3\u{0}".utf8))]
        var flipped = good; flipped[good.count - 100] ^= 0xFF; cases.append(("a flipped byte", flipped))
        var version = good; version[18] = 99; cases.append(("another version", version))
        for (what, bytes) in cases {
            try bytes.write(to: URL(fileURLWithPath: SnapshotCache.path(folder: d)))
            let ws = try Workspace.open(folder: d, cache: true)
            #expect(!ws.loadedFromCache, "\(what)")
            #expect(figures(ws) == plain, "\(what)")
            // Rebuilt: the next open uses it.
            #expect(try Workspace.open(folder: d, cache: true).loadedFromCache, "\(what)")
        }
        // Random bytes with a valid header and checksum still decode to nothing bad: the
        // decoder's own checks (counts, ranges, enumerations) refuse them.
        for seed in 0..<50 {
            var g = SystemRandomNumberGenerator()
            var body = BinaryWriter()
            body.bytes(SnapshotCache.keyDigest([]))
            let stamps = SnapshotCache.stamps(folder: d)
            body.count(stamps.count)
            for s in stamps { body.string(s.name); body.i64(s.size); body.i64(s.mtimeSec); body.i64(s.mtimeNsec); body.u64(s.inode) }
            body.bytes((0..<(seed * 37 + 1)).map { _ in UInt8.random(in: 0...255, using: &g) })
            #expect(throws: (any Error).self) { try SnapshotCache.decode(SnapshotCache.sealed(body.data), expecting: stamps, passwords: []) }
        }
    }

    /// The after-sales and product tables are stored as their columns: they come back equal,
    /// row for row, and a stored column that breaks the tables' rules (an unknown kind, a
    /// source number out of its list, a column of another length, ends past the arena) makes
    /// the cache refused even under a valid checksum.
    @Test func columnarTablesComeBackAndBrokenColumnsAreRefused() throws {
        let d = try demo()
        let plain = try Workspace.open(folder: d).snapshot
        #expect(plain.refunds.count > 0 && plain.products.count > 0)
        let stamps = SnapshotCache.stamps(folder: d)
        func sealed(_ s: Snapshot) -> Data {
            var body = BinaryWriter()
            body.bytes(SnapshotCache.keyDigest([]))
            body.count(stamps.count)
            for st in stamps { body.string(st.name); body.i64(st.size); body.i64(st.mtimeSec); body.i64(st.mtimeNsec); body.u64(st.inode) }
            SnapshotCache.writeSnapshot(s, &body)
            return SnapshotCache.sealed(body.data)
        }
        let back = try SnapshotCache.decode(sealed(plain), expecting: stamps, passwords: [])
        #expect(Array(back.refunds).map { "\($0)" } == Array(plain.refunds).map { "\($0)" })
        #expect(Array(back.products).map { "\($0)" } == Array(plain.products).map { "\($0)" })
        var broken: [(String, Snapshot)] = []
        var s = plain; s.refunds.kinds = Column(Array(repeating: 7, count: plain.refunds.count)); broken.append(("an unknown kind", s))
        s = plain; s.refunds.fileAt = Column(Array(repeating: 5, count: plain.refunds.count)); broken.append(("a file number past the list", s))
        s = plain; s.refunds.lines = Column(Array(repeating: 2, count: plain.refunds.count + 1)); broken.append(("a longer column", s))
        s = plain; s.products.sourceAt = Column(Array(repeating: -1, count: plain.products.count)); broken.append(("a product without a source", s))
        s = plain; s.products.names = TextColumn(bytes: Column([0x41]), ends: Column(Array(repeating: 9, count: plain.products.count)))
        broken.append(("names ending past their bytes", s))
        for (what, snap) in broken {
            #expect(throws: (any Error).self, "\(what)") { try SnapshotCache.decode(sealed(snap), expecting: stamps, passwords: []) }
        }
    }

    @Test func reviewModeAndUnwritableFoldersWriteNoCache() throws {
        let d = try demo()
        _ = try Workspace.open(folder: d)   // review mode: cache off
        #expect(!FileManager.default.fileExists(atPath: d + "/.shopdeck/cache"))
        if getuid() != 0 {
            chmod(d, 0o555); defer { chmod(d, 0o755) }
            let ws = try Workspace.open(folder: d, cache: true)
            #expect(!ws.loadedFromCache && !FileManager.default.fileExists(atPath: d + "/.shopdeck"))
        }
    }
}
