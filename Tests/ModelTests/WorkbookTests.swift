import Foundation
import Testing
import ZIPFoundation
@testable import ShopdeckModel

@Suite("xlsx workbooks")
struct WorkbookTests {
    typealias V = XLSXWriter.Value
    let header: [V] = ["订单号", "订单支付时间", "订单状态", "实付款", "预售/承诺发货时间", "收货地址-省", "收货地址-市", "收货地址-区", "发货时间"].map { .text($0) }

    func t(_ s: String) -> Instant { if case .value(let v) = CST.parse(s) { return v }; fatalError(s) }

    func workbook(_ sheets: [XLSXWriter.Sheet], name: String = "订单导出.xlsx") throws -> (String, String) {
        let dir = makeFolder([:])
        try XLSXWriter.write(sheets, to: dir + "/" + name)
        return (dir, dir + "/" + name)
    }

    @Test func everySheetSharedAndInlineStringsDatesAndTitleRows() throws {
        let s1 = XLSXWriter.Sheet(name: "订单1", rows: [[.text("快手小店订单导出")], [.empty], header,
            [.text("A1"), .date(t("2023-03-01 10:00:00")), .text("待发货"), .text("¥1,299.90"), .date(t("2023-03-02 10:00:00")), .text("吉林省"), .text("长春市"), .text("朝阳区"), .text("-")],
            [.number(3245001.0), .text("2023-03-01 11:00:00"), .text("交易关闭"), .number(59.9), .text("2023-03-02 11:00:00"), .text("上海市"), .text("上海市"), .text("浦东新区"), .text("—")]])
        let s2 = XLSXWriter.Sheet(name: "订单2", rows: [header,
            [.text("B1"), .date(t("2023-03-01 12:34:56")), .text("已发货"), .text("¥10"), .date(t("2023-03-02 12:34:56")), .text("北京"), .empty, .empty, .date(t("2023-03-01 20:00:00"))]],
            sharedStrings: false)
        let (dir, _) = try workbook([s1, s2])
        let s = DataLoader.load(folder: dir)
        #expect(s.errors.isEmpty, "\(s.errors)")
        #expect(s.files.count == 1 && s.files[0].rows == 3 && s.files[0].table == .orders)
        let a = Int(s.orders.ids.find("A1")!)
        #expect(s.orders.paid[a] == t("2023-03-01 10:00:00"))
        #expect(s.orders.amount[a] == 129_990)
        #expect(s.orders.regions[s.orders.shipTo[a]]?.parts == ["吉林", "长春", "朝阳区"])
        #expect(s.orders.shipped[a] == .absent)
        let n = Int(s.orders.ids.find("3245001")!)   // a number cell "3245001" keeps no ".0"
        #expect(s.orders.status[n] == .closed)
        let b = Int(s.orders.ids.find("B1")!)
        #expect(s.orders.shipped[b] == t("2023-03-01 20:00:00"))
        #expect(s.orders.paid[b] == t("2023-03-01 12:34:56"))
    }

    @Test func aSheetMissingAColumnIsNamedAndTheOthersLoad() throws {
        let bad = XLSXWriter.Sheet(name: "坏表", rows: [[.text("订单号"), .text("订单状态")], [.text("X"), .text("待发货")]])
        let good = XLSXWriter.Sheet(name: "好表", rows: [header, [.text("G1"), .text("2023-03-01 10:00:00"), .text("待发货"), .text("1"), .text("2023-03-02 10:00:00")]])
        let (dir, path) = try workbook([bad, good])
        let s = DataLoader.load(folder: dir)
        #expect(s.orders.count == 1)
        #expect(s.errors.count == 1)
        #expect(s.errors[0].file == "订单导出.xlsx [坏表]" && s.errors[0].reason.contains("paid_at") && s.errors[0].reason.contains("订单支付时间"))
        let ins = DataLoader.inspect(path: path)
        #expect(ins.sheets.count == 2 && ins.sheets[1].table == .orders && ins.sheets[0].errors.count == 1)
        #expect(ins.sheets[1].mapped.contains { $0.0 == "收货地址-省" && $0.1 == "ship_to" })
    }

    @Test func badRowsNameSheetAndRow() throws {
        let sheet = XLSXWriter.Sheet(name: "S", rows: [header, [.text("A"), .text("明天"), .text("待发货"), .text("1"), .text("2023-03-02 10:00:00")]])
        let (dir, _) = try workbook([sheet])
        let s = DataLoader.load(folder: dir)
        #expect(s.errors.first?.file == "订单导出.xlsx [S]" && s.errors.first?.line == 2)
    }

    /// A regression of the fuzzing harness: a sheet whose deflate stream never ends inside its
    /// entry spun for ever at the end of the file. It must finish (on a worker, waited for
    /// with a deadline so a regression fails instead of hanging) and say the workbook is broken.
    @Test func aDeflateStreamThatNeverEndsIsABrokenWorkbookNotAHang() throws {
        let dir = makeFolder([:])
        try FileManager.default.copyItem(atPath: fixtures + "/hostile/deflate_never_ends.xlsx", toPath: dir + "/orders.xlsx")
        final class Outcome: @unchecked Sendable { var snap: Snapshot? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread { outcome.snap = DataLoader.load(folder: dir); done.signal() }
        #expect(done.wait(timeout: .now() + 20) == .success, "loading the workbook did not finish")
        let snap = try #require(outcome.snap)
        #expect(snap.orders.count == 0)
        #expect(snap.errors.map(\.description) == ["orders.xlsx [订单]: the workbook cannot be read: xl/worksheets/sheet1.xml inflates to more than its declared 937 bytes (the workbook is damaged)"])
    }

    /// Stored and deflated entries read whole; a cut package refused with the reason, never a
    /// trap or a hang.
    @Test func zipPackagesAreCheckedAgainstTheirBytes() throws {
        let dir = makeFolder([:])
        let path = dir + "/two.zip"
        let text = String(repeating: "订单号,状态\n", count: 5000)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, method) in [("a.txt", CompressionMethod.none), ("b.txt", CompressionMethod.deflate)] {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: method) { pos, n in
                data.subdata(in: Int(pos)..<(Int(pos) + n))
            }
        }
        let bytes = try FileReader.readAll(path)
        let zip = try ZipPackage(bytes: bytes)
        for name in ["a.txt", "b.txt"] {
            var out: [UInt8] = []
            try zip.extract(name, chunk: 4096) { out += $0 }
            #expect(String(decoding: out, as: UTF8.self) == text, "\(name)")
        }
        // Cut anywhere: refused with a reason, or (cut inside trailing bytes) still whole.
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 60)) {
            guard let z = try? ZipPackage(bytes: Array(bytes[0..<cut])) else { continue }
            for name in z.entries.keys { _ = try? z.extract(name) { _ in } }
        }
        #expect(throws: ZipPackage.Failure.self) { try ZipPackage(bytes: Array(bytes[0..<(bytes.count / 2)])) }
        // An entry whose declared size points past the end of the file.
        var lying = bytes
        let dirStart = lying.indices.first { i in i + 4 <= lying.count && lying[i..<(i + 4)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) }!
        lying[dirStart + 20] = 0xFF; lying[dirStart + 21] = 0xFF; lying[dirStart + 22] = 0xFF; lying[dirStart + 23] = 0x7F
        let z = try ZipPackage(bytes: lying)
        #expect(throws: ZipPackage.Failure.self) { try z.extract("a.txt") { _ in } }
    }

    /// A zip bomb: a string table of one repeated pattern that deflates a few hundred-fold
    /// is refused before anything is inflated (it took 30 s and 560 MB for 510 MB); an entry
    /// as large but only as compressible as real sheets is read.
    @Test func aZipBombIsRefusedBeforeItIsInflated() throws {
        let dir = makeFolder([:])
        let path = dir + "/bomb.zip"
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let bomb = Data(String(repeating: "<si><t>x</t></si>", count: 1_200_000).utf8) // 20 MB
        // Digits from a xorshift generator: about as compressible as a sheet's values.
        let varied = Data([UInt8](unsafeUninitializedCapacity: 17 << 20) { b, n in
            var x: UInt64 = 0x9E37_79B9_7F4A_7C15
            for i in 0..<b.count { x ^= x << 13; x ^= x >> 7; x ^= x << 17; b[i] = 0x30 &+ UInt8(truncatingIfNeeded: x % 10) }
            n = b.count
        })
        for (name, data) in [("xl/sharedStrings.xml", bomb), ("varied.xml", varied)] {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, n in
                data.subdata(in: Int(pos)..<(Int(pos) + n))
            }
        }
        let zip = try ZipPackage(bytes: try FileReader.readAll(path))
        let e = try #require(zip.entries["xl/sharedStrings.xml"])
        #expect(e.uncompressedSize / e.compressedSize > ZipPackage.maxRatio)
        var inflated = 0
        do {
            try zip.extract("xl/sharedStrings.xml") { inflated += $0.count }
            Issue.record("the bomb was read")
        } catch {
            #expect("\(error)" == "xl/sharedStrings.xml would inflate \(e.uncompressedSize / e.compressedSize)-fold, from \(e.compressedSize) bytes to 19 MB: far more than any real sheet (a zip bomb, or a damaged workbook); not read — export the table again, or as CSV")
        }
        #expect(inflated == 0)
        var read = 0
        try zip.extract("varied.xml") { read += $0.count }
        #expect(read == varied.count)
    }

    /// The fixture: three orders, password 482913 (Fixtures/encrypted/SOURCE.md).
    static let encrypted = fixtures + "/encrypted/orders_482913.xlsx"

    func copyEncrypted(as name: String) throws -> String {
        let dir = makeFolder([:])
        try FileManager.default.copyItem(atPath: Self.encrypted, toPath: dir + "/" + name)
        return dir
    }

    @Test func encryptedWorkbookOpensWithTheFileStemPassword() throws {
        let dir = try copyEncrypted(as: "订单导出_482913.xlsx")
        let s = DataLoader.load(folder: dir)
        #expect(s.errors.isEmpty)
        #expect(s.orders.count == 3)
        #expect(s.files.map(\.path) == ["订单导出_482913.xlsx"])
    }

    @Test func encryptedWorkbookOpensWithAGivenPasswordAndNeverShowsOne() throws {
        let dir = try copyEncrypted(as: "orders_secret.xlsx")
        let refused = DataLoader.load(folder: dir, passwords: ["wrong1", "000000"])
        #expect(refused.orders.count == 0 && refused.skippedFiles == ["orders_secret.xlsx"])
        let why = try #require(refused.errors.first).reason
        #expect(why == XLSXReader.Failure.encrypted.description)
        #expect(!why.contains("wrong1") && !why.contains("000000") && !why.contains("482913"))
        #expect(DataLoader.load(folder: dir, passwords: ["wrong1", "482913"]).orders.count == 3)
    }

    @Test func damagedEncryptedWorkbooksAreErrorsNotTraps() throws {
        let good = Array(try Data(contentsOf: URL(fileURLWithPath: Self.encrypted)))
        var rng = SystemRandomNumberGenerator()
        for n in 0..<200 {
            var b = good
            switch n % 3 {
            case 0: for _ in 0..<4 { b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng) }
            case 1: b = Array(b.prefix(Int.random(in: 0..<b.count, using: &rng)))
            default: for k in stride(from: 0, to: 512, by: 4) where Bool.random(using: &rng) { b[k] = 0xFF }
            }
            // A stem shorter than 6 characters and no password: the container and its
            // EncryptionInfo are read, no key is derived (100,000 hash rounds each).
            let dir = makeFolder([:], bytes: ["o.xlsx": b])
            let s = DataLoader.load(folder: dir)
            #expect(s.orders.count == 0)
        }
    }

    @Test func oldCompoundFilesAreNotMistakenForEncryptedWorkbooks() throws {
        let dir = makeFolder([:], bytes: ["订单导出_123456.xlsx": [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array("EncryptedPackage".utf8) + [UInt8](repeating: 0, count: 512)])
        let s = DataLoader.load(folder: dir)
        #expect(s.skippedFiles == ["订单导出_123456.xlsx"])
        #expect(s.errors.map(\.reason) == ["the workbook cannot be read: the encrypted container is damaged: unsupported sector sizes"])
    }

    @Test func douyinWorkbookIsNamed() throws {
        let sheet = XLSXWriter.Sheet(name: "Sheet1", rows: [["主订单编号", "子订单编号", "订单提交时间", "订单应付金额"].map { .text($0) }])
        let (dir, _) = try workbook([sheet], name: "export.xlsx")
        #expect(DataLoader.load(folder: dir).errors.first?.reason.contains("Douyin") == true)
    }

    /// The same rows as CSV and as xlsx load the same table.
    @Test func parityWithCSV() throws {
        var csv = "订单号,订单支付时间,订单状态,实付款,预售/承诺发货时间,发货时间,收货地区\n"
        var rows: [[V]] = [["订单号", "订单支付时间", "订单状态", "实付款", "预售/承诺发货时间", "发货时间", "收货地区"].map { .text($0) }]
        let statuses = ["待发货", "已发货", "交易成功", "交易关闭"]
        for i in 0..<300 {
            let paid = t("2023-02-20 00:00:00") + Int64(i) * 4001
            let shipped = i % 3 == 0 ? "" : CST.format(paid + 3600 * Int64(i % 30))
            csv += "O\(i),\(CST.format(paid)),\(statuses[i % 4]),\(i).5,\(CST.format(paid + 86400)),\(shipped),浙江省/杭州市/余杭区\n"
            rows.append([.text("O\(i)"), .date(paid), .text(statuses[i % 4]), .number(Double(i) + 0.5), .text(CST.format(paid + 86400)),
                         shipped.isEmpty ? .empty : .date(t(shipped)), .text("浙江省/杭州市/余杭区")])
        }
        let a = makeFolder(["orders.csv": csv])
        let (b, _) = try workbook([XLSXWriter.Sheet(name: "S", rows: rows)], name: "orders.xlsx")
        let x = DataLoader.load(folder: a), y = DataLoader.load(folder: b)
        #expect(x.orders.count == 300 && y.orders.count == 300)
        #expect(x.orders.paid == y.orders.paid && x.orders.shipped == y.orders.shipped && x.orders.status == y.orders.status && x.orders.amount == y.orders.amount)
    }
}
