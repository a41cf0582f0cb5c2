import Foundation
import ShopdeckModel

/// The rule engine: rulebook + snapshot + as-of time (+ the local appeal journal) -> one
/// `Report`. Pure: the same inputs give the same report.
public enum Engine {
    public static func run(snapshot s: Snapshot, rulebook rb: Rulebook, config: ShopConfig = ShopConfig(),
                           asOf T: Instant, journal: [AppealEntry] = [], scripts: [(name: String, text: String)] = [],
                           work: WorkMeter? = nil) -> Report {
        let started = DispatchTime.now().uptimeNanoseconds
        var report = Report(asOf: T, rulebook: rb.at(T).version)
        let logistics = s.adjustments.filter { $0.scope == .logistics && T >= $0.publishedAt }
        let ctx = ShippingRules.Context(asOf: T, rulebook: rb, horizonHours: config.riskHorizonHours ?? rb.riskHorizonHours,
                                        defaultShipFrom: config.defaultShipFrom, adjustments: logistics)
        report.riskHorizonHours = ctx.horizonHours
        var orders = s.orders
        orders.applyWaybills(s.waybills)
        report.shipping = ShippingRules.run(orders, ctx, work: work)
        Timings.mark("rules: shipping")
        report.exemption = ExemptionRules.run(weeks: report.shipping.weeks, violations: s.violations, asOf: T, rulebook: rb)
        report.aftersales = AftersalesRules.run(s.refunds, orders: s.orders, adjustments: s.adjustments, asOf: T, rulebook: rb, work: work)
        Timings.mark("rules: after-sales")
        (report.violations, report.points) = ViolationRules.run(s.violations, journal: journal, token: report.exemption.tokenUsedBy, asOf: T, rulebook: rb, work: work)
        report.appeals = journal.sorted { $0.filedAt != $1.filedAt ? $0.filedAt < $1.filedAt : ($0.violationId, $0.attempt) < ($1.violationId, $1.attempt) }
        report.reports = ReportRules.run(s.reports, shopId: config.id, asOf: T, rulebook: rb, work: work)
        report.couponMinIOS = rb.at(T).minIOS
        report.couponMinAndroid = rb.at(T).minAndroid
        Timings.mark("rules: violations, reports")
        report.coupons = CouponRules.run(s.coupons, products: s.products, professionalAnchor: config.professionalAnchor, asOf: T, rulebook: rb, work: work)
        Timings.mark("rules: coupons")
        var findings: [CopyFinding] = []
        let copy = CopyChecker(rulebook: rb.at(T), brands: config.authorisedBrands)
        s.products.withUnsafeBufferPointer { products in
            for i in products.indices {   // fields read in place: no product copied
                copy.check(id: products[i].productId, name: products[i].name, text: products[i].name, source: "product", into: &findings)
            }
        }
        for sc in scripts {
            copy.check(id: "scripts/" + sc.name, name: sc.text, text: sc.text, source: "script", into: &findings)
        }
        work?.add("copy: bytes scanned", copy.bytesScanned)
        work?.add("copy: norms judged", copy.normsJudged)
        Timings.mark("rules: copy check")
        findings.sortInPlace { $0.productId != $1.productId ? $0.productId < $1.productId : $0.norm < $1.norm }
        report.copyFindings = findings
        Timings.mark("rules: copy findings sorted")
        let trusted = s.products.reduce(0) { $0 + ($1.trustPurchase ? 1 : 0) }
        report.trustPurchase = TrustPurchase(on: trusted, off: s.products.count - trusted, benefits: rb.trustBenefits)
        report.load = LoadSummary(files: s.files, errors: s.errors, warnings: s.warnings, skippedFiles: s.skippedFiles,
                                  seconds: s.loadSeconds, bytes: s.totalBytes, orderRows: s.orders.count)
        report.engineSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return report
    }

    /// Why a product does not qualify for a coupon (for the drill-down); nil when it does.
    public static func couponWhyNot(_ p: Product, _ c: CouponRow, _ rb: Rulebook) -> String? { CouponRules.whyNot(p, c, rb) }
}

/// The findings `shopdeck check` prints, one line each (report-json.md, last paragraph).
public enum Findings {
    public static func lines(_ r: Report) -> [String] {
        var out: [String] = []
        for o in r.shipping.lateUnshipped { out.append("late: order \(o.orderId) was due \(CST.format(o.deadline)) and is not shipped") }
        for o in r.shipping.atRisk { out.append("at risk: order \(o.orderId) is due \(CST.format(o.deadline)) (\(hours(o.hoursLeft)) left)") }
        for o in r.shipping.delayReportNeeded { out.append("delay report needed: order \(o.orderId) (no ship-from, promise in an adjustment window)") }
        let horizon = r.riskHorizonHours
        for s in r.aftersales.open where s.breached || s.hoursLeft <= horizon {
            out.append("after-sales \(s.breached ? "breached" : "at risk"): \(s.refundId) \(s.stage) due \(CST.format(s.deadline))")
        }
        for v in r.violations where v.appealable {
            out.append("appealable: violation \(v.violationId) \(v.rule) (\(v.appealsLeft) appeal\(v.appealsLeft == 1 ? "" : "s") left)")
        }
        for c in r.coupons where !c.warnings.isEmpty { out.append("coupon \(c.activityId): \(c.warnings.joined(separator: ", "))") }
        for f in r.copyFindings { out.append("copy: \(f.productId) norm \(f.norm) (\(f.normTitle)): \(f.terms.joined(separator: "、"))") }
        return out
    }

    /// The findings and, after them, every file that could not be loaded and every bad row
    /// skipped: what `check` prints for one shop.
    public static func linesWithLoad(_ r: Report) -> [String] {
        lines(r) + r.load.errors.map { (r.load.skippedFiles.contains($0.file) ? "load error: " : "bad row skipped: ") + $0.description }
    }

    static func hours(_ h: Double) -> String {
        h >= 1 ? String(format: "%.1f h", h) : String(format: "%.0f min", h * 60)
    }
}
