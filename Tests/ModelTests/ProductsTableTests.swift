import Foundation
import Testing
@testable import ShopdeckModel

/// The products' columns (`ProductsTable`): every field of every row comes back as it went
/// in, through appends, joins of tables whose lists of sources, categories, campaigns and files
/// differ, and moved lines; the loader's two-core read is held to its one pass elsewhere
/// (`ParallelLoadTests`), and the rules' reads of the columns by the rules tests.
@Suite("Product columns")
struct ProductsTableTests {
    static func product(_ n: Int) -> Product {
        Product(productId: "P\(n)", name: n % 4 == 0 ? "顶级 面霜 \(n)😀" : "lotion \(n)", price: Int64(n) * 1_999 + 1,
                commission: Int64(n % 9) * 100, source: ["自建", "好物联盟", "other"][n % 3],
                category: [nil, "个护", "美妆", "食品"][n % 4], officialEvent: n % 5 == 0 ? "双11" : nil,
                trustPurchase: n % 2 == 1, line: n + 2, file: n % 2 == 0 ? "商品.csv" : "products-2.csv")
    }

    static func text(_ rows: some Sequence<Product>) -> [String] { rows.map { "\($0)" } }

    @Test func everyFieldComesBackAsItWentIn() {
        let rows = (0..<50).map(Self.product)
        let t = ProductsTable(rows)
        #expect(t.count == 50)
        #expect(Self.text(t) == Self.text(rows))
        #expect(t.productId(8) == "P8" && t.names.string(8) == "顶级 面霜 8😀" && t.prices[8] == 15_993 && t.commissions[8] == 800)
        #expect(t.source(4) == "好物联盟" && t.source(5) == "other" && t.sourceTexts == ["自建", "好物联盟", "other"])
        #expect(t.category(0) == nil && t.category(2) == "美妆" && t.officialEvent(10) == "双11" && t.officialEvent(11) == nil)
        #expect(t.trustPurchase(1) && !t.trustPurchase(2) && t.trustPurchaseCount == 25 && t.line(49) == 51)
        #expect(ProductsTable().isEmpty && Array(ProductsTable()).isEmpty && ProductsTable().trustPurchaseCount == 0)
    }

    @Test func tablesJoinWithTheirListsRenumbered() {
        // The second table meets the sources, categories, campaigns and files in another order.
        let first = (0..<20).map(Self.product)
        var second = (20..<45).map(Self.product)
        second.reverse()
        var joined = ProductsTable(first)
        joined.append(contentsOf: ProductsTable(second))
        #expect(Self.text(joined) == Self.text(first + second))
        #expect(joined.sourceTexts == ["自建", "好物联盟", "other"])
        // Into an empty table, and an empty one appended: the rows as they were.
        var empty = ProductsTable()
        empty.append(contentsOf: ProductsTable(second))
        empty.append(contentsOf: ProductsTable())
        #expect(Self.text(empty) == Self.text(second))
        // A copy taken before an append keeps its rows (value semantics).
        let before = ProductsTable(first)
        var grown = before
        grown.append(Self.product(99))
        #expect(before.count == 20 && grown.count == 21 && Self.text(before) == Self.text(first))
    }

    @Test func linesMoveByTheChunksShift() {
        var t = ProductsTable((0..<10).map(Self.product))
        let copy = t
        t.shiftLines(by: 1_000)
        #expect((0..<10).map(t.line) == (0..<10).map { $0 + 1_002 })
        #expect((0..<10).map(copy.line) == (0..<10).map { $0 + 2 })
    }

    @Test func aFilesCellsAreReadIntoTheColumnsAsTheyWereTyped() throws {
        // Spaces and absent markers trimmed as `Cell.text` trims them, an Excel-proofed id,
        // a source not accepted (warned, read as the default), commission absent.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("products-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = """
        product_id,product_name,price,commission,source,category,official_event,trust_purchase
        ="0012",  面霜　,59.90,,好物联盟, 个护 ,-,是
        P2,lotion,1.00,0.50,淘宝,,双11,否
        P3,—,2.00,,,,,
        P4,ok,3,1,,美妆,,

        """
        try csv.write(toFile: dir + "/products.csv", atomically: true, encoding: .utf8)
        let s = DataLoader.load(folder: dir)
        let p = s.products
        #expect(p.count == 3)
        #expect(Array(p).map(\.productId) == ["0012", "P2", "P4"])
        #expect(Array(p).map(\.name) == ["面霜", "lotion", "ok"])
        #expect(Array(p).map(\.price) == [5_990, 100, 300] && Array(p).map(\.commission) == [0, 50, 100])
        #expect(Array(p).map(\.source) == ["好物联盟", "自建", "自建"])
        #expect(Array(p).map(\.category) == ["个护", nil, "美妆"] && Array(p).map(\.officialEvent) == [nil, "双11", nil])
        #expect(Array(p).map(\.trustPurchase) == [true, false, false] && Array(p).map(\.line) == [2, 3, 5])
        #expect(Array(p).map(\.file) == ["products.csv", "products.csv", "products.csv"])
        #expect(s.errors.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.reason)" } == ["4:2 product_name: required cell is empty"])
        #expect(s.warnings.map { "\($0.line ?? 0):\($0.column ?? 0)" } == ["3:5"])
    }
}
