import Foundation
import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// An agency's folder of shop folders (terminal-ui.md, Fleet): DIR holds no exports itself,
/// each sub-folder is one shop with its own exports, shopdeck.toml, rulebook and journal.
public enum Fleet {
    /// One shop of a fleet: its report, or why it could not be loaded (a shop that fails is a
    /// row with its error, never a missing row).
    public struct Shop: Sendable {
        public var path: String
        public var name: String
        public var report: Report?
        public var error: String?
        /// The shop's own journal could not be read (its report then lacks the appeals).
        public var journalError: String?
    }

    /// The shop folders of `folder` when it is a fleet (no export of its own, at least one
    /// sub-folder holding exports or a shopdeck.toml), by name; nil otherwise.
    public static func shops(in folder: String) -> [String]? {
        guard let names = FileReader.list(folder) else { return nil }
        if !DataLoader.exportEntries(in: folder).files.isEmpty { return nil }
        var out: [String] = []
        for n in names.sorted() where !n.hasPrefix(".") {
            let p = folder + "/" + n
            guard case .other("a folder") = FileReader.entryKind(p) else { continue }
            let sub = FileReader.list(p) ?? []
            if sub.contains(ShopConfig.fileName) || sub.contains(where: { DataLoader.isExport(name: $0) }) { out.append(n) }
        }
        return out.isEmpty ? nil : out
    }

    /// Every shop's report as of `asOf` (nil: now), loaded concurrently on all cores. A shop's
    /// report is exactly what `report --data SHOP` gives.
    public static func load(folder: String, shops: [String], asOf: Instant?, rulesFile: String?, passwords: [String],
                            recordHistory: Bool = false, cache: Bool = false,
                            progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) -> [Shop] {
        final class Slot: @unchecked Sendable { var shop: Shop? }
        /// Shops finished so far, for the one progress line of the fleet.
        final class Counter: @unchecked Sendable { let lock = NSLock(); var done = 0 }
        let slots = shops.map { _ in Slot() }
        let counter = Counter()
        DispatchQueue.concurrentPerform(iterations: shops.count) { i in
            defer {
                if let progress { let n = counter.lock.withLock { counter.done += 1; return counter.done }; progress(n, shops.count) }
            }
            let path = folder + "/" + shops[i]
            var shop = Shop(path: shops[i], name: shops[i])
            do {
                let ws = try Workspace.open(folder: path, rulesFile: rulesFile, passwords: passwords, cache: cache)
                if let n = ws.config.name, !n.trimmingSpaces().isEmpty { shop.name = n }
                var journal: [AppealEntry] = []
                do { journal = try Journals.entries(folder: path, journal: nil) }
                catch { shop.journalError = AppealMessages.words(error) }
                let report = ws.report(asOf: asOf ?? Workspace.now(), journal: journal)
                if recordHistory { History.record(report, folder: path) }
                shop.report = report
            } catch {
                shop.error = "\(error)"
            }
            slots[i].shop = shop
        }
        return slots.map { $0.shop! }
    }

    /// What a shop needs, for ranking and the fleet table.
    public struct Summary: Sendable, Equatable {
        public var late = 0
        public var atRisk = 0
        /// The nearest coming deadline of an at-risk order or after-sales stage (nil: none).
        public var nearest: Instant?
        public var nearestHours: Double?
        public var stagesBreached = 0
        public var stagesAtRisk = 0
        public var exemptionEligible = false
        public var exemptionInForce = false
        public var appealable = 0
        public var couponWarnings = 0
        public var loadErrors = 0
        public var failed = false
    }

    public static func summary(_ s: Shop) -> Summary {
        var m = Summary()
        guard let r = s.report else { m.failed = true; m.loadErrors = 1; return m }
        m.late = r.shipping.lateUnshipped.count
        m.atRisk = r.shipping.atRisk.count
        m.stagesBreached = r.aftersales.open.filter(\.breached).count
        m.stagesAtRisk = r.aftersales.open.filter { !$0.breached && $0.hoursLeft <= r.riskHorizonHours }.count
        let coming = r.shipping.atRisk.map(\.deadline) + r.aftersales.open.filter { !$0.breached }.map(\.deadline)
        m.nearest = coming.min()
        m.nearestHours = m.nearest.map { Double($0 - r.asOf) / 3600 }
        m.exemptionEligible = r.exemption.eligible
        m.exemptionInForce = r.exemption.inForce
        m.appealable = r.violations.filter(\.appealable).count
        m.couponWarnings = r.coupons.filter { !$0.warnings.isEmpty }.count
        m.loadErrors = r.load.errors.count + (s.journalError == nil ? 0 : 1)
        return m
    }

    /// Urgency, most urgent first (explained in the fleet help): a shop that could not be
    /// loaded; then what has already breached (late orders, breached after-sales stages),
    /// most first; then the nearest coming deadline; then a failing exemption; then
    /// appealable violations, coupon warnings and load errors; ties by name.
    public static func ranked(_ shops: [Shop]) -> [Shop] { rankedWithSummaries(shops).map(\.0) }

    /// The same ranking with each shop's summary (computed once).
    public static func rankedWithSummaries(_ shops: [Shop]) -> [(Shop, Summary)] {
        let keyed = shops.map { ($0, summary($0)) }
        return keyed.sorted { a, b in
            let (x, y) = (a.1, b.1)
            if x.failed != y.failed { return x.failed }
            let bx = x.late + x.stagesBreached, by = y.late + y.stagesBreached
            if (bx > 0) != (by > 0) { return bx > 0 }
            if bx != by { return bx > by }
            switch (x.nearest, y.nearest) {
            case let (p?, q?) where p != q: return p < q
            case (_?, nil): return true
            case (nil, _?): return false
            default: break
            }
            let fx = x.exemptionInForce && !x.exemptionEligible, fy = y.exemptionInForce && !y.exemptionEligible
            if fx != fy { return fx }
            let ox = x.appealable + x.couponWarnings + x.loadErrors, oy = y.appealable + y.couponWarnings + y.loadErrors
            if ox != oy { return ox > oy }
            return a.0.name != b.0.name ? a.0.name < b.0.name : a.0.path < b.0.path
        }
    }

    /// `{"shops": [{"path", "name", "report"}]}` (report-json.md), shops by path; a shop that
    /// could not be loaded has `"report": null` and its `"error"`.
    public static func json(_ shops: [Shop]) -> JSON {
        .object([("shops", .array(shops.sorted { $0.path < $1.path }.map { s in
            var o: [(String, JSON)] = [("path", .string(s.path)), ("name", .string(s.name)), ("report", s.report?.json() ?? .null)]
            if let e = s.error { o.append(("error", .string(e))) }
            if let j = s.journalError { o.append(("journal_error", .string(j))) }
            return .object(o)
        }))])
    }

    /// The fleet as a text table, most urgent first.
    public static func text(_ shops: [Shop]) -> String {
        var lines = ["shop                          late  at risk  next      exemption     after-sales   appeal  coupons  errors"]
        for s in ranked(shops) {
            let m = summary(s)
            func cell(_ t: String, _ w: Int) -> String { pad(t, w) }
            if let e = s.error {
                lines.append(cell(s.name, 30) + "cannot be loaded: " + e)
                continue
            }
            let next = m.nearestHours.map { String(format: "%.1fh", $0) } ?? "—"
            let ex = !m.exemptionInForce ? "not in force" : (m.exemptionEligible ? "eligible" : "not eligible")
            lines.append(cell(s.name, 30) + cell("\(m.late)", 6) + cell("\(m.atRisk)", 9) + cell(next, 10) + cell(ex, 14)
                         + cell("\(m.stagesBreached) late, \(m.stagesAtRisk) soon", 14) + cell("\(m.appealable)", 8) + cell("\(m.couponWarnings)", 9) + "\(m.loadErrors)")
        }
        return Sanitize.lines(lines)
    }

    /// `s` padded with spaces to `width` display columns (CJK counts two), at least one space.
    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(1, width - DisplayWidth.of(s)))
    }
}
