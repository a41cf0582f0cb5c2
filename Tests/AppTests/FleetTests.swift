import Foundation
import TestScratch
import Testing
import ShopdeckModel
import ShopdeckRules
@testable import ShopdeckApp

/// An agency's folder of shops (terminal-ui.md, Fleet; report-json.md fleet JSON).
@Suite("Fleet")
struct FleetTests {
    static let asOf = CST.instant(year: 2023, month: 3, day: 6, hour: 10)
    static let header = "order_id,paid_at,promised_ship_at,status,shipped_at\n"

    /// A fleet: `late` has a late order, `soon` an order due in 3 h, `quiet` nothing to do,
    /// `broken` a shopdeck.toml that cannot be read; plus a hidden folder and a stray file.
    func fleet() throws -> String {
        let root = Scratch.folder("fleet")
        func shop(_ name: String, _ files: [String: String]) throws {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            for (f, t) in files { try t.write(toFile: root + "/" + name + "/" + f, atomically: true, encoding: .utf8) }
        }
        try shop("quiet", ["orders.csv": Self.header + "Q1,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货,2023-03-01 12:00:00\n",
                           "shopdeck.toml": "[shop]\nname = \"安静小店\"\n"])
        try shop("soon", ["orders.csv": Self.header + "S1,2023-03-05 13:00:00,2023-03-06 13:00:00,待发货,\n"])
        try shop("late", ["orders.csv": Self.header + "L1,2023-03-04 09:00:00,2023-03-05 09:00:00,待发货,\n"])
        try shop("broken", ["shopdeck.toml": "[店铺]\n"])
        try FileManager.default.createDirectory(atPath: root + "/.shopdeck", withIntermediateDirectories: true)
        try "notes".write(toFile: root + "/README.txt", atomically: true, encoding: .utf8)
        return root
    }

    @Test func aFolderOfShopsIsAFleetAndAShopIsNot() throws {
        let root = try fleet()
        #expect(Fleet.shops(in: root) == ["broken", "late", "quiet", "soon"])
        #expect(Fleet.shops(in: root + "/late") == nil)
    }

    @Test func rankedByWhatBreachesFirstAndBrokenShopsStay() throws {
        let root = try fleet()
        let shops = Fleet.load(folder: root, shops: Fleet.shops(in: root)!, asOf: Self.asOf, rulesFile: nil, passwords: [])
        #expect(Fleet.ranked(shops).map(\.path) == ["broken", "late", "soon", "quiet"])
        let broken = shops.first { $0.path == "broken" }!
        #expect(broken.report == nil && broken.error?.hasPrefix(root + "/broken/shopdeck.toml:1:2:") == true)
        #expect(shops.first { $0.path == "quiet" }!.name == "安静小店")
        let soon = Fleet.summary(shops.first { $0.path == "soon" }!)
        #expect(soon.atRisk == 1 && soon.nearestHours == 3 && soon.late == 0)
    }

    @Test func eachShopsReportIsTheReportItWouldHaveAlone() throws {
        let root = try fleet()
        let shops = Fleet.load(folder: root, shops: Fleet.shops(in: root)!, asOf: Self.asOf, rulesFile: nil, passwords: [])
        guard case .object(let top) = Fleet.json(shops), case .array(let list)? = top.first?.1 else { Issue.record("no shops"); return }
        #expect(list.count == 4)
        for case .object(let o) in list {
            guard case .string(let path)? = o.first(where: { $0.0 == "path" })?.1, let report = o.first(where: { $0.0 == "report" })?.1 else { continue }
            if path == "broken" { #expect(report == .null); continue }
            let alone = try Workspace.open(folder: root + "/" + path).report(asOf: Self.asOf)
            // Timings aside (they are measured), the same report.
            func strip(_ j: JSON) -> String { j.serialized().replacingOccurrences(of: #""seconds":[0-9.e-]+,?"#, with: "", options: .regularExpression) }
            #expect(strip(report) == strip(alone.json()), "shop \(path)")
        }
    }
}
