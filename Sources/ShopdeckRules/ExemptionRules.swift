import ShopdeckModel

/// rules.md §2: the high spot-goods exemption, evaluated for the week holding T from the
/// natural week before it, and the violation that uses its one token.
enum ExemptionRules {
    /// The evaluated week is judged by the rulebook version in force on its Monday, the current
    /// week's projection by the current week's (rules.md §0).
    static func run(weeks: [ShippingWeek], violations: [Violation], asOf T: Instant, rulebook all: Rulebook) -> ExemptionReport {
        var e = ExemptionReport()
        e.currentWeek = CST.weekStart(T)
        e.evaluatedWeek = e.currentWeek - CST.week
        let rb = all.at(e.currentWeek), evaluated = all.at(e.evaluatedWeek)
        e.inForce = e.currentWeek >= rb.exemptionEffectiveFrom
        let p = weeks.first { $0.weekStart == e.evaluatedWeek } ?? ShippingWeek(weekStart: e.evaluatedWeek)
        let c = weeks.first { $0.weekStart == e.currentWeek } ?? ShippingWeek(weekStart: e.currentWeek)
        e.paidOrders = p.paidOrders
        e.spotShare = p.spotShare
        e.onTimeRate = p.onTimeRate
        e.failed = failed(p, evaluated)
        e.eligible = e.inForce && e.failed.isEmpty
        e.margins = margins(p, evaluated)
        e.thresholds = .init(minPaidOrders: evaluated.minPaidOrders, minSpotShare: evaluated.minSpotShare, minOnTimeRate: evaluated.minOnTimeRate)
        e.projection = margins(c, rb)
        e.projectionPaid = c.paidOrders
        e.projectionSpotShare = c.spotShare
        e.projectionOnTimeRate = c.onTimeRate
        e.forecast = forecast(c, asOf: T, rb)
        if e.eligible {
            // Candidates: notified in the current week at or before T, rule exactly 超时未发货.
            let token = violations
                .filter { $0.notifiedAt >= e.currentWeek && $0.notifiedAt <= T && $0.rule.trimmingSpaces() == rb.penaltyRule }
                .min { $0.notifiedAt != $1.notifiedAt ? $0.notifiedAt < $1.notifiedAt : $0.violationId < $1.violationId }
            e.tokenUsedBy = token?.violationId
        }
        return e
    }

    /// The current week projected to its end at the pace so far (see `Forecast`).
    static func forecast(_ c: ShippingWeek, asOf T: Instant, _ rb: Rulebook) -> ExemptionReport.Forecast {
        var f = ExemptionReport.Forecast()
        let elapsed = Double(T - c.weekStart + 1)
        guard c.paidOrders > 0, elapsed > 0 else { return f }
        let factor = max(1, Double(CST.week) / elapsed)
        let paid = Int((Double(c.paidOrders) * factor).rounded())
        f.paidOrders = paid
        f.spotShare = c.spotShare
        f.onTimeRate = c.onTimeRate
        f.paidOrdersNeeded = max(0, rb.minPaidOrders + 1 - paid)
        if c.dueOrders > 0 {
            let due = Double(c.dueOrders) * factor, onTime = Double(c.onTimeOrders) * factor
            // Largest k with (onTime - k) / due >= threshold.
            f.lateOrdersToSpare = max(0, Int((onTime - rb.minOnTimeRate * due + 1e-9).rounded(.down)))
        }
        f.eligible = paid > rb.minPaidOrders && (c.spotShare ?? -1) > rb.minSpotShare && (c.onTimeRate ?? 1) >= rb.minOnTimeRate
        return f
    }

    /// The criteria that fail: paid orders strictly more, share strictly more, rate at least.
    static func failed(_ w: ShippingWeek, _ rb: Rulebook) -> [String] {
        var f: [String] = []
        if !(w.paidOrders > rb.minPaidOrders) { f.append("paid_orders") }
        if !((w.spotShare ?? -1) > rb.minSpotShare) { f.append("spot_share") }
        if !((w.onTimeRate ?? -1) >= rb.minOnTimeRate) { f.append("on_time_rate") }
        return f
    }

    static func margins(_ w: ShippingWeek, _ rb: Rulebook) -> ExemptionReport.Margins {
        var m = ExemptionReport.Margins()
        m.paidOrdersNeeded = max(0, rb.minPaidOrders + 1 - w.paidOrders)
        let share = w.spotShare ?? 0
        if !(share > rb.minSpotShare) {
            m.spotSharePointsNeeded = (rb.minSpotShare - share) * 100
            // smallest k with (spot + k) / (paid + k) > threshold
            var k = max(0, Int(((rb.minSpotShare * Double(w.paidOrders) - Double(w.spotOrders)) / (1 - rb.minSpotShare)).rounded(.down)) - 1)
            while !(Double(w.spotOrders + k) / Double(w.paidOrders + k) > rb.minSpotShare) { k += 1 }
            m.spotOrdersNeeded = k
        }
        if w.dueOrders > 0 && !((w.onTimeRate ?? 0) >= rb.minOnTimeRate) {
            var k = max(0, Int((rb.minOnTimeRate * Double(w.dueOrders)).rounded(.down)) - w.onTimeOrders - 1)
            while k < w.dueOrders - w.onTimeOrders && !(Double(w.onTimeOrders + k) / Double(w.dueOrders) >= rb.minOnTimeRate) { k += 1 }
            m.onTimeOrdersNeeded = k
        }
        return m
    }
}
