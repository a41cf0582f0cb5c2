import Foundation
import Testing
import ShopdeckModel
@testable import ShopdeckRules

@Suite("xlsx and CSV give the same report")
struct WorkbookParityTests {
    @Test func sameRowsSameReport() throws {
        var o = Orders()
        for i in 0..<200 {
            let paid = t("2023-02-27 00:00:00") + Int64(i) * 2917
            let late = i % 17 == 0
            o.add("W\(i)", paid: CST.format(paid), hours: i % 5 == 0 ? 72 : 24, flash: i % 11 == 0, status: i % 7 == 0 ? "待发货" : "已发货",
                  shipped: i % 7 == 0 ? "" : CST.format(paid + (late ? 90_000 : 3600)))
        }
        let csvDir = makeFolder(["orders.csv": o.text])
        let rows = csvRecords(Array(o.text.utf8)).map { $0.fields.map { XLSXWriter.Value.text($0) } }
        let xlsxDir = makeFolder([:])
        try XLSXWriter.write([XLSXWriter.Sheet(name: "A", rows: Array(rows.prefix(120))),
                              XLSXWriter.Sheet(name: "B", rows: [rows[0]] + Array(rows.dropFirst(120)), sharedStrings: false)],
                             to: xlsxDir + "/orders.xlsx")
        let T = t("2023-03-08 12:00:00")
        func shipping(_ dir: String) -> String {
            let r = Engine.run(snapshot: DataLoader.load(folder: dir), rulebook: .standard(), asOf: T)
            guard case .object(let top) = r.json() else { return "" }
            return top.filter { ["shipping", "exemption"].contains($0.0) }.map { $0.1.serialized() }.joined()
        }
        let a = shipping(csvDir), b = shipping(xlsxDir)
        #expect(a == b)
        #expect(a.contains("\"paid_orders\":"))
    }
}
