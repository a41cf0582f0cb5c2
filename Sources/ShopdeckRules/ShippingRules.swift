import Foundation
import ShopdeckModel

/// rules.md §1 (shipping) and the logistics half of §4 (epidemic adjustments).
enum ShippingRules {
    struct Context {
        let asOf: Instant
        let rulebook: Rulebook
        let horizonHours: Double
        let defaultShipFrom: Region?
        /// Logistics adjustments that count as of T (T >= published_at).
        let adjustments: [Adjustment]
    }

    /// Whether the order's promise falls in a counted logistics window whose area matches its
    /// ship-to or ship-from (rules.md §4). `regionMatch[a][region]` is precomputed per pool.
    @inline(__always)
    static func isExempt(_ t: OrdersTable, _ r: Int, _ adj: [Adjustment], _ regionMatch: [[Bool]]) -> Bool {
        if adj.isEmpty { return false }
        let p = t.promised[r]
        for (i, a) in adj.enumerated() where p >= a.start && p <= a.end {
            let to = t.shipTo[r], from = t.shipFrom[r]
            if (to >= 0 && regionMatch[i][Int(to)]) || (from >= 0 && regionMatch[i][Int(from)]) { return true }
        }
        return false
    }

    /// Adds `n` working days (Monday to Friday) to `t`, keeping the time of day (seed 004 §2.2).
    static func addWorkingDays(_ t: Instant, _ n: Int) -> Instant {
        var x = t, left = n
        while left > 0 {
            x += CST.day
            if CST.weekday(x) < 5 { left -= 1 }
        }
        return x
    }

    static func run(_ t: OrdersTable, _ c: Context, work: WorkMeter? = nil) -> ShippingReport {
        var out = ShippingReport()
        let T = c.asOf
        let n = t.count
        let adj = c.adjustments
        let regionMatch: [[Bool]] = adj.map { a in t.regions.regions.map { a.area.matches($0) } }
        // Per rulebook version (rules.md §0, a week is judged by the version in force on its
        // Monday): the spot-goods promise hours and the pickup limit.
        let versions = c.rulebook.versions
        let spotTables: [[Bool]] = versions.map { v in
            var spot = [Bool](repeating: false, count: 1024)
            for h in v.spotPromiseHours where h >= 0 && h < 1024 { spot[h] = true }
            return spot
        }
        let pickupLimits = versions.map { Int64($0.pickupHours * 3600) }
        let horizon = T + Int64(c.horizonHours * 3600)

        // Pass 1: the earliest week holding a paid_at or a deadline (orders existing as of T).
        var first = Instant.max
        for r in 0..<n where t.paid[r] <= T {
            first = min(first, t.paid[r], t.deadline(r))
        }
        work?.add("shipping: rows visited", n)
        let lastWeek = CST.weekStart(T)
        guard first != .max else { return out }
        let firstWeek = CST.weekStart(first)
        let nWeeks = Int((lastWeek - firstWeek) / CST.week) + 1

        // Pass 2, on both cores for a big table: each share of the rows counts on its own,
        // then the counts are summed and the lists joined (they are sorted below).
        let shares = n >= 200_000 && ProcessInfo.processInfo.activeProcessorCount > 1 ? 2 : 1
        /// One box a share: each worker writes only its own.
        final class Box: @unchecked Sendable { var part: Partial; init(_ p: Partial) { part = p } }
        let boxes = (0..<shares).map { _ in Box(Partial(weeks: 0)) }
        let home = c.defaultShipFrom
        let weekVersion = (0..<nWeeks).map { c.rulebook.versionIndex(at: firstWeek + Int64($0) * CST.week) }
        DispatchQueue.concurrentPerform(iterations: shares) { k in
            var p = Partial(weeks: nWeeks)
            let rows = (n * k / shares)..<(n * (k + 1) / shares)
            p.count(t, rows: rows, asOf: T, firstWeek: firstWeek, spot: spotTables, pickupSecs: pickupLimits, weekVersion: weekVersion, horizon: horizon,
                    adjustments: adj, regionMatch: regionMatch, home: home)
            boxes[k].part = p
        }
        var total = boxes[0].part
        for b in boxes.dropFirst() { total.add(b.part) }
        work?.add("shipping: rows visited", boxes.reduce(0) { $0 + $1.part.visited })
        work?.add("shipping: adjustment checks", boxes.reduce(0) { $0 + $1.part.adjustmentChecks })
        out.protected = total.protected; out.lateUnshipped = total.lateUnshipped
        out.atRisk = total.atRisk; out.delayReportNeeded = total.delayReportNeeded
        let byDeadline: (OrderRef, OrderRef) -> Bool = { $0.deadline != $1.deadline ? $0.deadline < $1.deadline : $0.orderId < $1.orderId }
        out.atRisk.sort(by: byDeadline)
        out.lateUnshipped.sort(by: byDeadline)
        out.protected.sort(by: byDeadline)
        out.delayReportNeeded.sort(by: byDeadline)

        // Weeks whose platform figures may not show an adjustment yet (seed 004 §2.2).
        var pending = [Bool](repeating: false, count: nWeeks)
        for a in adj where T < addWorkingDays(a.publishedAt, c.rulebook.refreshWorkingDays) {
            markWeeks(&pending, firstWeek: firstWeek, from: a.start, to: a.end)
        }
        out.weeks = (0..<nWeeks).map { i in
            var w = ShippingWeek(weekStart: firstWeek + Int64(i) * CST.week)
            w.paidOrders = total.paid[i]; w.spotOrders = total.spots[i]; w.dueOrders = total.due[i]; w.onTimeOrders = total.onTime[i]
            w.excludedOrders = total.excluded[i]; w.pickupChecked = total.checked[i]; w.pickupAnomalies = total.anomalies[i]
            w.pendingPlatformRefresh = pending[i]
            return w
        }
        return out
    }

    static func markWeeks(_ flags: inout [Bool], firstWeek: Instant, from: Instant, to: Instant) {
        guard !flags.isEmpty else { return }
        let a = Int((CST.weekStart(from) - firstWeek) / CST.week)
        let b = Int((CST.weekStart(to) - firstWeek) / CST.week)
        if b < 0 || a >= flags.count { return }
        for i in max(0, a)...min(flags.count - 1, b) { flags[i] = true }
    }

    @inline(__always)
    static func ref(_ t: OrdersTable, _ r: Int, _ deadline: Instant, _ T: Instant) -> OrderRef {
        OrderRef(orderId: t.id(r), deadline: deadline, hoursLeft: Double(deadline - T) / 3600,
                 productName: t.text(t.productName[r]), shipTo: t.regions.text(t.shipTo[r]))
    }
}

/// One share of the shipping pass (rules.md §1): weekly counts and live lists for some rows.
struct Partial {
    var paid: [Int], spots: [Int], due: [Int], onTime: [Int], excluded: [Int], checked: [Int], anomalies: [Int]
    var protected: [OrderRef] = [], lateUnshipped: [OrderRef] = [], atRisk: [OrderRef] = [], delayReportNeeded: [OrderRef] = []
    /// Work done (`WorkMeter`): rows looked at, and rows checked against the adjustments.
    var visited = 0, adjustmentChecks = 0

    init(weeks: Int) {
        paid = [Int](repeating: 0, count: weeks)
        spots = paid; due = paid; onTime = paid; excluded = paid; checked = paid; anomalies = paid
    }

    mutating func add(_ o: Partial) {
        for i in paid.indices {
            paid[i] += o.paid[i]; spots[i] += o.spots[i]; due[i] += o.due[i]; onTime[i] += o.onTime[i]
            excluded[i] += o.excluded[i]; checked[i] += o.checked[i]; anomalies[i] += o.anomalies[i]
        }
        protected += o.protected; lateUnshipped += o.lateUnshipped; atRisk += o.atRisk; delayReportNeeded += o.delayReportNeeded
    }

    /// `spot` and `pickupSecs` hold one entry per rulebook version; `weekVersion` names the
    /// version of each week (paid week for spot goods, due week for pickup).
    mutating func count(_ t: OrdersTable, rows: Range<Int>, asOf T: Instant, firstWeek: Instant, spot: [[Bool]], pickupSecs pickupLimits: [Int64],
                        weekVersion: [Int], horizon: Instant, adjustments adj: [Adjustment], regionMatch: [[Bool]], home: Region?) {
        for r in rows {
            visited &+= 1
            let paidAt = t.paid[r]
            if paidAt > T { continue } // does not exist yet
            let wp = Int((CST.weekStart(paidAt) - firstWeek) / CST.week)
            paid[wp] += 1
            let h = Int(t.promiseHours[r])
            let flags = t.flags[r]
            if h >= 0 && h < 1024 && spot[weekVersion[wp]][h] && !flags.contains(.flashSale) { spots[wp] += 1 }

            let deadline = t.deadline(r)
            let shippedAt = t.shipped[r]
            let shipped = shippedAt != .absent && shippedAt <= T
            let closedAt = t.closed[r]
            // Closed as of T (rules.md §10).
            let closed = (closedAt != .absent && closedAt <= T) || (closedAt == .absent && t.status[r] == .closed)
            let closedBeforeDue = !shipped && ((closedAt != .absent && closedAt <= T && closedAt < deadline)
                                               || (t.status[r] == .closed && closedAt == .absent))
            if !adj.isEmpty { adjustmentChecks &+= adj.count }
            let exempt = ShippingRules.isExempt(t, r, adj, regionMatch)
            if exempt {
                protected.append(ShippingRules.ref(t, r, deadline, T))
            }
            if deadline <= T {
                if !closedBeforeDue {
                    let wd = Int((CST.weekStart(deadline) - firstWeek) / CST.week)
                    if exempt {
                        excluded[wd] += 1
                    } else {
                        due[wd] += 1
                        if shipped {
                            if shippedAt <= deadline { onTime[wd] += 1 }
                            if flags.contains(.pickupKnown) {
                                let pickupSecs = pickupLimits[weekVersion[wd]]
                                let pick = t.pickedUp[r]
                                let picked = pick != .absent && pick <= T
                                if picked || T > shippedAt + pickupSecs {
                                    checked[wd] += 1
                                    if !picked || pick > shippedAt + pickupSecs { anomalies[wd] += 1 }
                                }
                            }
                        }
                    }
                }
                if !shipped && !closed && !exempt { lateUnshipped.append(ShippingRules.ref(t, r, deadline, T)) }
            } else if !shipped && !closed && deadline <= horizon {
                atRisk.append(ShippingRules.ref(t, r, deadline, T))
            }
            // Delay report needed (seed 001): no ship-from, unshipped, open, promise in a counted
            // logistics window whose area matches the shop's default ship-from.
            if let home, !shipped, !closed, t.shipFrom[r] < 0,
               !flags.contains(.delayReported), t.delayed[r] == .absent {
                let p = t.promised[r]
                if adj.contains(where: { $0.contains(p) && $0.area.matches(home) }) {
                    delayReportNeeded.append(ShippingRules.ref(t, r, deadline, T))
                }
            }
        }
    }
}
