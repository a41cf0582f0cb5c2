import Foundation
import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// `shopdeck report --format text`: a readable summary of the same report.
public enum TextReport {
    public static func render(_ r: Report, folder: String) -> String {
        var o: [String] = []
        func pct(_ d: Double?) -> String { d.map { String(format: "%.2f%%", $0 * 100) } ?? "—" }
        o.append("shopdeck report — \(folder)")
        o.append("as of \(CST.format(r.asOf)) CST · rulebook \(r.rulebook)")
        let l = r.load
        let rows = l.files.reduce(0) { $0 + $1.rows }
        let mb = Double(l.bytes) / 1_048_576
        o.append(String(format: "loaded %@, %@, %.1f MB in %.3f s (%.0f rows/s, %.1f MB/s); rules %.3f s",
                        Words.count(l.files.count, "file", "files"), Words.count(rows, "row", "rows"), mb, l.seconds, l.seconds > 0 ? Double(rows) / l.seconds : 0,
                        l.seconds > 0 ? mb / l.seconds : 0, r.engineSeconds))
        o.append("")
        o.append("Shipping (及时发货率 / 承诺现货订单占比)")
        o.append("  week        paid    spot   share     due  on-time     rate  excl  pickup-anom")
        for w in r.shipping.weeks.suffix(8) {
            o.append(String(format: "  %@ %7d %7d %7@ %7d %8d %8@ %5d %6d/%d%@", CST.formatDate(w.weekStart), w.paidOrders, w.spotOrders,
                            pct(w.spotShare), w.dueOrders, w.onTimeOrders, pct(w.onTimeRate), w.excludedOrders,
                            w.pickupAnomalies, w.pickupChecked, w.pendingPlatformRefresh ? "  (platform refresh pending)" : ""))
        }
        o.append("  at risk: \(r.shipping.atRisk.count) · late unshipped: \(r.shipping.lateUnshipped.count) · protected: \(r.shipping.protected.count) · delay reports needed: \(r.shipping.delayReportNeeded.count)")
        for a in r.shipping.atRisk.prefix(5) { o.append(String(format: "    at risk %@ due %@ (%.1f h)", a.orderId, CST.format(a.deadline), a.hoursLeft)) }
        for a in r.shipping.lateUnshipped.prefix(5) { o.append("    late    \(a.orderId) was due \(CST.format(a.deadline))") }
        let e = r.exemption
        o.append("")
        o.append("High spot-goods exemption, week of \(CST.formatDate(e.currentWeek)) (from week \(CST.formatDate(e.evaluatedWeek)))")
        o.append("  \(e.inForce ? (e.eligible ? "ELIGIBLE" : "not eligible") : "not in force yet") · paid \(e.paidOrders) · share \(pct(e.spotShare)) · on-time \(pct(e.onTimeRate))"
                 + (e.failed.isEmpty ? "" : " · failed: \(e.failed.joined(separator: ", "))"))
        if let t = e.tokenUsedBy { o.append("  token used by violation \(t)") }
        o.append("  only the 超时未发货 penalty is waived; experience score and delay compensation still apply")
        o.append("")
        o.append("After-sales: \(r.aftersales.open.count) open stages, \(r.aftersales.open.filter(\.breached).count) breached")
        for s in r.aftersales.open.prefix(5) {
            o.append(String(format: "  %@ %@ due %@ (%.1f h)%@", s.refundId, s.stage, CST.format(s.deadline), s.hoursLeft, s.holidayAdjusted ? " [春节]" : ""))
        }
        o.append("")
        let appealable = r.violations.filter(\.appealable)
        o.append("Violations: \(r.violations.count), appealable \(appealable.count); local appeals \(r.appeals.count)")
        for v in appealable.prefix(5) { o.append("  \(v.violationId) \(v.rule) — \(v.appealsLeft) appeals left") }
        o.append("Coupons: \(r.coupons.count), with warnings \(r.coupons.filter { !$0.warnings.isEmpty }.count)")
        o.append("Reports: \(r.reports.count) users · copy findings: \(r.copyFindings.count) · trust purchase on \(r.trustPurchase.on) / off \(r.trustPurchase.off)")
        if !l.errors.isEmpty {
            o.append("")
            o.append("Load errors (\(l.errors.count)):")
            for err in l.errors.prefix(20) { o.append("  " + err.description) }
            if l.errors.count > 20 { o.append("  … and \(l.errors.count - 20) more (--format json lists them all)") }
        }
        // Files left out (a FIFO, a link to nothing…) and notes on how a file was read.
        if !l.warnings.isEmpty {
            o.append("")
            o.append("Load warnings (\(l.warnings.count)):")
            for w in l.warnings.prefix(20) { o.append("  " + w.description) }
            if l.warnings.count > 20 { o.append("  … and \(l.warnings.count - 20) more (--format json lists them all)") }
        }
        return Sanitize.lines(o)
    }
}
