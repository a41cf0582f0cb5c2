import Foundation
import ShopdeckModel

/// The rule engine: rulebook + snapshot + as-of time (+ the local appeal journal) -> one
/// `Report`. Pure: the same inputs give the same report.
public enum Engine {
    public static func run(snapshot s: Snapshot, rulebook rb: Rulebook, config: ShopConfig = ShopConfig(),
                           asOf T: Instant, journal: [AppealEntry] = [], scripts: [(name: String, text: String)] = [],
                           work: WorkMeter? = nil) -> Report {
        let started = DispatchTime.now().uptimeNanoseconds
        var clock = Timings.Clock()
        var report = Report(asOf: T, rulebook: rb.at(T).version)
        let logistics = s.adjustments.filter { $0.scope == .logistics && T >= $0.publishedAt }
        let ctx = ShippingRules.Context(asOf: T, rulebook: rb, horizonHours: config.riskHorizonHours ?? rb.riskHorizonHours,
                                        defaultShipFrom: config.defaultShipFrom, adjustments: logistics)
        report.riskHorizonHours = ctx.horizonHours
        var orders = s.orders
        orders.applyWaybills(s.waybills)
        if !s.waybills.isEmpty { clock.mark("rules: waybills applied") }
        report.shipping = ShippingRules.run(orders, ctx, work: work)
        clock.mark("rules: shipping")
        report.exemption = ExemptionRules.run(weeks: report.shipping.weeks, violations: s.violations, asOf: T, rulebook: rb)
        // The sections below read the snapshot and the shipping figures only, and none reads
        // another's result: they run side by side (a big shop: after-sales, coupons and each half
        // of the copy check take a tenth of a second). Each writes only its own box, counts its
        // work in its own meter, and is timed on its own.
        final class Box<T>: @unchecked Sendable { var value: T?; var seconds = 0.0; let work: WorkMeter?
            init(_ counting: Bool) { work = counting ? WorkMeter() : nil } }
        let aftersales = Box<AftersalesReport>(work != nil)
        let people = Box<([ViolationRow], [PointsRow], [ReportRow])>(work != nil)
        let coupons = Box<[CouponRow]>(work != nil)
        // The copy check is the longest section on a big catalogue: its products are checked
        // in two halves, split by id, so the two cores finish together and the sorted halves
        // follow one another.
        let copyHalves = [Box<[CopyFinding]>(work != nil), Box<[CopyFinding]>(work != nil)]
        let pivot = copyPivot(s.products)
        let token = report.exemption.tokenUsedBy
        // Longest first: libdispatch hands the sections out in this order, to whichever core is free.
        DispatchQueue.concurrentPerform(iterations: 5) { section in
            let t0 = DispatchTime.now().uptimeNanoseconds
            func took() -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
            switch section {
            case 0:
                aftersales.value = AftersalesRules.run(s.refunds, orders: s.orders, adjustments: s.adjustments, asOf: T, rulebook: rb, work: aftersales.work)
                aftersales.seconds = took()
            case 1, 2:
                let half = copyHalves[section - 1]
                half.value = copyFindings(s, rb.at(T), brands: config.authorisedBrands, scripts: scripts, work: half.work,
                                          split: CopySplit(pivot: pivot, first: section == 1))
                half.seconds = took()
            case 3:
                coupons.value = CouponRules.run(s.coupons, products: s.products, professionalAnchor: config.professionalAnchor, asOf: T, rulebook: rb, work: coupons.work)
                coupons.seconds = took()
            default:
                let (violations, points) = ViolationRules.run(s.violations, journal: journal, token: token, asOf: T, rulebook: rb, work: people.work)
                people.value = (violations, points, ReportRules.run(s.reports, shopId: config.id, asOf: T, rulebook: rb, work: people.work))
                people.seconds = took()
            }
        }
        report.aftersales = aftersales.value!
        (report.violations, report.points, report.reports) = people.value!
        report.coupons = coupons.value!
        report.copyFindings = copyHalves[0].value.take()!
        report.copyFindings.append(contentsOf: copyHalves[1].value.take()!)
        for box in [aftersales.work, people.work, coupons.work, copyHalves[0].work, copyHalves[1].work] {
            for (section, units) in box?.bySection ?? [:] { work?.add(section, units) }
        }
        Timings.note("rules: after-sales", aftersales.seconds)
        Timings.note("rules: violations, reports", people.seconds)
        Timings.note("rules: coupons", coupons.seconds)
        Timings.note("rules: copy check and sort, first half", copyHalves[0].seconds)
        Timings.note("rules: copy check and sort, second half", copyHalves[1].seconds)
        clock.mark("rules: the sections side by side")
        report.appeals = journal.sorted { $0.filedAt != $1.filedAt ? $0.filedAt < $1.filedAt : ($0.violationId, $0.attempt) < ($1.violationId, $1.attempt) }
        report.couponMinIOS = rb.at(T).minIOS
        report.couponMinAndroid = rb.at(T).minAndroid
        let trusted = s.products.trustPurchaseCount
        report.trustPurchase = TrustPurchase(on: trusted, off: s.products.count - trusted, benefits: rb.trustBenefits)
        report.load = LoadSummary(files: s.files, errors: s.errors, warnings: s.warnings, skippedFiles: s.skippedFiles,
                                  seconds: s.loadSeconds, bytes: s.totalBytes, orderRows: s.orders.count)
        report.engineSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return report
    }

    /// Catalogues at least this large are copy-checked in two halves side by side (below it
    /// the second checker's set-up is not worth it).
    static let copySplitAt = 4_096

    /// The product id that splits a large catalogue in two for the copy check: the median of
    /// about a thousand ids taken evenly through it (nil below `copySplitAt`). Ids below it
    /// are one half, the others the second.
    static func copyPivot(_ products: ProductsTable) -> String? {
        guard products.count >= copySplitAt else { return nil }
        let sample = stride(from: 0, to: products.count, by: products.count / 1_024).map { products.productId($0) }.sorted()
        return sample[sample.count / 2]
    }

    /// The copy check (rules.md §8) over the product names and the live scripts whose id
    /// `mine` takes (a script's id is `scripts/` and its name), in that order, sorted by id
    /// and norm (equal ones in check order). Two halves split by id, each sorted, put one
    /// after the other are what one pass over every product and script, sorted, gives.
    static func copyFindings(_ s: Snapshot, _ rb: Rulebook, brands: [String], scripts: [(name: String, text: String)], work: WorkMeter?,
                             split: CopySplit = .all) -> [CopyFinding] {
        var findings: [CopyFinding] = []
        // Built at the first text this half checks: a shop without products (or a half
        // without texts) builds no automaton. A value, not an object: its buffers are checked
        // for exclusive access when compiled, not at every read.
        var built: CopyChecker? = nil
        // Room for a finding a product of the half (a catalogue with more grows once): the
        // list grown by doubling from empty copied its 80-byte findings over and over.
        findings.reserveCapacity((split.pivot == nil ? s.products.count : s.products.count / 2) + 16)
        checkProducts(s.products, rb, brands: brands, split: split, checker: &built, into: &findings)
        for sc in scripts {
            let id = "scripts/" + sc.name
            guard split.takes(id) else { continue }
            if built == nil { built = CopyChecker(rulebook: rb, brands: brands) }
            sc.text.withBytes { built!.check(id: { id }, text: $0, source: "script", into: &findings) }
        }
        work?.add("copy: bytes scanned", built?.bytesScanned ?? 0)
        work?.add("copy: norms judged", built?.normsJudged ?? 0)
        findings.sortInPlace { $0.productId != $1.productId ? $0.productId < $1.productId : $0.norm < $1.norm }
        return findings
    }

    /// The copy check of the product names whose ids `split` takes, scanned where they lie in
    /// the table's arena (an id and a name become `String`s only for a finding). The checker
    /// and the findings are parameters, not variables a closure captures: captured, each
    /// access to them was checked for exclusivity at run time (a sixth of the rule engine's
    /// samples on 200k products).
    private static func checkProducts(_ products: ProductsTable, _ rb: Rulebook, brands: [String], split: CopySplit,
                                      checker: inout CopyChecker?, into findings: inout [CopyFinding]) {
        products.productIds.withArena { ids, idEnds in
            products.names.withArena { names, nameEnds in
                var idStart = 0, nameStart = 0
                for i in 0..<nameEnds.count {
                    let idEnd = Int(idEnds[i]), nameEnd = Int(nameEnds[i])
                    defer { idStart = idEnd; nameStart = nameEnd }
                    let id = UnsafeRawBufferPointer(rebasing: ids[idStart..<idEnd])
                    guard split.takes(id) else { continue }
                    if checker == nil { checker = CopyChecker(rulebook: rb, brands: brands) }
                    checker!.check(id: { String(decoding: id, as: UTF8.self) }, text: UnsafeRawBufferPointer(rebasing: names[nameStart..<nameEnd]),
                                   source: "product", into: &findings)
                }
            }
        }
    }

    /// Which half of the copy check an id falls in: ids below the pivot (`String` order) are
    /// the first half, the others the second; without a pivot the first half takes every id.
    struct CopySplit {
        let pivot: String?
        let first: Bool
        private let pivotBytes: [UInt8]
        private let pivotIsASCII: Bool

        init(pivot: String?, first: Bool) {
            self.pivot = pivot; self.first = first
            pivotBytes = Array((pivot ?? "").utf8)
            pivotIsASCII = pivotBytes.allSatisfy { $0 < 0x80 }
        }

        static let all = CopySplit(pivot: nil, first: true)

        func takes(_ id: String) -> Bool {
            guard let pivot else { return first }
            return (id < pivot) == first
        }

        /// `takes` for an id's bytes where they lie: compared as bytes when the id and the
        /// pivot are ASCII (whose byte order is `String` order), else as `String`s.
        func takes(_ id: UnsafeRawBufferPointer) -> Bool {
            guard let pivot else { return first }
            guard pivotIsASCII, id.allSatisfy({ $0 < 0x80 }) else { return (String(decoding: id, as: UTF8.self) < pivot) == first }
            let below = pivotBytes.withUnsafeBytes { p -> Bool in
                let n = min(id.count, p.count)
                let c = n == 0 ? 0 : memcmp(id.baseAddress!, p.baseAddress!, n)
                return c < 0 || (c == 0 && id.count < p.count)
            }
            return below == first
        }
    }

    /// Why a product does not qualify for a coupon (for the drill-down); nil when it does.
    public static func couponWhyNot(_ p: Product, _ c: CouponRow, _ rb: Rulebook) -> String? { CouponRules.whyNot(p, c, rb) }
}

/// The findings `shopdeck check` prints, one line each (report-json.md, last paragraph).
public enum Findings {
    public static func lines(_ r: Report) -> [String] {
        var out: [String] = []
        each(r) { out.append($0) }
        return out
    }

    /// The findings one line at a time, in `lines`' order (`check` writes them as they come:
    /// a big shop has 240k).
    public static func each(_ r: Report, _ line: (String) -> Void) {
        for o in r.shipping.lateUnshipped { line("late: order \(o.orderId) was due \(CST.format(o.deadline)) and is not shipped") }
        for o in r.shipping.atRisk { line("at risk: order \(o.orderId) is due \(CST.format(o.deadline)) (\(hours(o.hoursLeft)) left)") }
        for o in r.shipping.delayReportNeeded { line("delay report needed: order \(o.orderId) (no ship-from, promise in an adjustment window)") }
        let horizon = r.riskHorizonHours
        for s in r.aftersales.open where s.breached || s.hoursLeft <= horizon {
            line("after-sales \(s.breached ? "breached" : "at risk"): \(s.refundId) \(s.stage) due \(CST.format(s.deadline))")
        }
        for v in r.violations where v.appealable {
            line("appealable: violation \(v.violationId) \(v.rule) (\(v.appealsLeft) appeal\(v.appealsLeft == 1 ? "" : "s") left)")
        }
        for c in r.coupons where !c.warnings.isEmpty { line("coupon \(c.activityId): \(c.warnings.joined(separator: ", "))") }
        for f in r.copyFindings { line("copy: \(f.productId) norm \(f.norm) (\(f.normTitle)): \(f.terms.joined(separator: "、"))") }
    }

    /// The findings and, after them, every file that could not be loaded and every bad row
    /// skipped: what `check` prints for one shop.
    public static func linesWithLoad(_ r: Report) -> [String] {
        var out: [String] = []
        eachWithLoad(r) { out.append($0) }
        return out
    }

    /// `linesWithLoad` one line at a time.
    public static func eachWithLoad(_ r: Report, _ line: (String) -> Void) {
        each(r, line)
        for e in r.load.errors { line((r.load.skippedFiles.contains(e.file) ? "load error: " : "bad row skipped: ") + e.description) }
    }

    static func hours(_ h: Double) -> String {
        h >= 1 ? String(format: "%.1f h", h) : String(format: "%.0f min", h * 60)
    }
}
