import Foundation
import TestScratch
import Testing
@testable import ShopdeckApp
import ShopdeckModel
import ShopdeckRules

/// Issue 18: nothing in the rule engine is quadratic. A shop of every table is generated at one
/// size and at ten times that size, and the engine's work is counted inside its loops
/// (`WorkMeter`: rows and refunds visited, stages judged, bytes the copy check scans, steps of
/// the coupon index, products scanned): every kind of work grows about tenfold, by counting,
/// never by timing.
@Suite("Rule engine work")
struct RuleWorkTests {
    let asOf: Instant = { if case .value(let t) = CST.parse("2026-11-30 12:00:00") { return t }; return 0 }()

    /// The work of one run on a generated shop of `scale` times the base sizes.
    func work(scale: Int) throws -> WorkMeter {
        let dir = Scratch.folder("work")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let orders = 3_000 * scale
        try BenchData.write(path: dir + "/orders.csv", rows: orders, asOf: asOf)
        // Products above the small-catalogue size at both scales, so the same code path runs.
        let tables: [(TableKind, Int)] = [(.aftersales, 600), (.products, 1_500), (.waybills, 300), (.violations, 100), (.coupons, 40), (.reports, 300)]
        for (kind, n) in tables {
            try BenchData.writeTable(kind, path: "\(dir)/\(kind.rawValue).csv", rows: n * scale, asOf: asOf, orders: orders)
        }
        let snap = DataLoader.load(folder: dir)
        #expect(snap.errors.isEmpty)
        let meter = WorkMeter()
        let report = Engine.run(snapshot: snap, rulebook: try Rulebook.with(overrides: []), asOf: asOf, work: meter)
        #expect(!report.copyFindings.isEmpty && !report.coupons.isEmpty && !report.aftersales.open.isEmpty)
        return meter
    }

    @Test func everyKindOfWorkGrowsAboutTenfoldWithTenTimesTheRows() throws {
        let small = try work(scale: 1), big = try work(scale: 10)
        // Every section the engine has must have counted something at the small size.
        let sections = ["shipping: rows visited", "after-sales: refunds visited", "after-sales: stages judged", "violations: rows visited",
                        "reports: rows visited", "coupons: coupons judged", "coupons: index tree steps", "coupons: products scanned",
                        "copy: bytes scanned", "copy: norms judged"]
        for s in sections { #expect((small.bySection[s] ?? 0) > 0, "\(s) counted nothing") }
        for (section, units) in big.bySection {
            let base = small.bySection[section] ?? 0
            if base == 0 { #expect(units == 0, "\(section): none at one size, \(units) at ten times"); continue }
            let ratio = Double(units) / Double(base)
            // Linear work grows 10x; a binary search or tree walk adds its logarithm (about
            // 1.3x more from 1.5k to 15k goods); quadratic work would grow about 100x.
            #expect(ratio > 7 && ratio < 15, "\(section): \(base) -> \(units) (\(String(format: "%.1f", ratio))x)")
        }
        let ratio = Double(big.total) / Double(small.total)
        #expect(ratio > 8 && ratio < 13, "all work: \(small.total) -> \(big.total)")
    }
}
