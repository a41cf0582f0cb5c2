import ShopdeckModel

/// rules.md §3 (after-sales service times, seed 002) and the after-sales half of §4.
enum AftersalesRules {
    /// The stages with a time limit, by their rulebook key (rules.md §3).
    enum Stage: Int, CaseIterable {
        case handlingPreShipment, handlingPostShipment, buyerReturn, autoReceipt
        var key: String { ["handling_pre_shipment", "handling_post_shipment", "buyer_return", "auto_receipt"][rawValue] }
    }

    /// Each refund is judged by the rulebook version in force at its application (rules.md §0).
    static func run(_ refunds: RefundsTable, orders: OrdersTable, adjustments: [Adjustment], asOf T: Instant, rulebook all: Rulebook,
                    work: WorkMeter? = nil) -> AftersalesReport {
        var visited = 0, stages = 0, refreshChecks = 0, epidemicChecks = 0
        defer {
            work?.add("after-sales: refunds visited", visited)
            work?.add("after-sales: stages judged", stages)
            work?.add("after-sales: week refresh checks", refreshChecks)
            work?.add("after-sales: epidemic window checks", epidemicChecks)
        }
        var out = AftersalesReport()
        let counted = adjustments.filter { $0.scope == .aftersales && T >= $0.publishedAt }
        // The weeks in order of first sight, found by their start. A week's number is one
        // division, and the last 64 weeks seen are remembered by number (a year and more of
        // refunds in any order without hashing; the dictionary only for a week not among them).
        var weeks: [AftersalesWeek] = []
        var weekAt: [Instant: Int] = [:]
        var seenNumber = [Int64](repeating: .min, count: 64), seenAt = [Int](repeating: 0, count: 64)
        func week(_ t: Instant) -> Int {
            let n = CST.weekNumber(t), slot = Int(n & 63)
            if seenNumber[slot] == n { return seenAt[slot] }
            let k = CST.weekStart(number: n)
            let at: Int
            if let known = weekAt[k] { at = known } else {
                at = weeks.count
                weekAt[k] = at
                weeks.append(AftersalesWeek(weekStart: k))
            }
            seenNumber[slot] = n; seenAt[slot] = at
            return at
        }

        let rbT = all.at(T)
        // Per rulebook version, read once (not a rulebook copied per refund): the holiday
        // windows and each stage's limit, normal and in a holiday (`limits[v][stage * 2 + 1]`).
        let versions = all.versions
        let holidays = versions.map(\.holidays)
        let limits = versions.map { v in Stage.allCases.flatMap { [v.limitHours($0.key, holiday: false), v.limitHours($0.key, holiday: true)] } }
        func holiday(_ v: Int, _ t: Instant) -> Rulebook.Window? { holidays[v].first { $0.contains(t) } }
        // The refunds' columns are read in place: no `Refund` made, a text only for a row
        // listed (issue 18).
        for i in 0..<refunds.count where refunds.appliedAt[i] <= T {
            visited += 1
            let version = all.versionIndex(at: refunds.appliedAt[i])
            // The order is looked up only when a rule needs it (a holiday's official-campaign
            // test, an epidemic window's ship-to area, a refund-only's shipping time): a lookup
            // in a big shop's id index is a cache miss, and most refunds need none.
            var looked = false, row: Int? = nil
            func orderRow() -> Int? {
                if !looked { looked = true; row = refunds.orderIds.withBytes(i) { orders.ids.find($0) }.map(Int.init) }
                return row
            }
            let completed = (refunds.completedAt[i] != .absent && refunds.completedAt[i] <= T) || (refunds.completedAt[i] == .absent && refunds.status(i) == .completed)
            let closed = refunds.status(i) == .closed
            // Weekly: applications and disputes by week of applied_at (never excluded).
            let wa = week(refunds.appliedAt[i])
            weeks[wa].refundsApplied += 1
            if refunds.merchantDispute(i) { weeks[wa].disputes += 1 }

            /// Why the refund is judged otherwise than normally; nil: normally.
            var note: String? = nil
            if refunds.kind(i) == .exchange {
                note = "exchange: no deadline"
            }
            // Completion figures by week of completed_at.
            if completed, refunds.completedAt[i] != .absent, refunds.kind(i) != .exchange {
                if refunds.platformIntervened(i) {
                    note = "intervened: not averaged"
                } else {
                    let holiday = holiday(version, refunds.appliedAt[i])
                    let official = holiday != nil && (orderRow().map { orders.officialEvent[$0] >= 0 } ?? false)
                    var epidemic: Adjustment? = nil
                    if refunds.kind(i) == .returnRefund && !counted.isEmpty {
                        epidemicChecks += counted.count
                        let shipTo = orderRow().flatMap { orders.regions[orders.shipTo[$0]] }
                        epidemic = counted.first { a in
                            a.contains(refunds.appliedAt[i]) && ((shipTo.map { a.area.matches($0) } ?? false) || (refunds.returnAddress(i).map { a.area.matches($0) } ?? false))
                        }
                    }
                    // The completion week is listed only when a figure is counted in it (an
                    // intervened refund adds none).
                    let wc = week(refunds.completedAt[i])
                    if let h = holiday, !official {
                        weeks[wc].excluded += 1
                        weeks[wc].excludedHoliday += 1
                        note = "excluded: applied in \(h.name)"
                    } else if let a = epidemic {
                        weeks[wc].excluded += 1
                        weeks[wc].excludedEpidemic += 1
                        note = "excluded: epidemic window \(a.areaText) \(CST.formatDate(a.start))–\(CST.formatDate(a.end))"
                    } else {
                        let hours = Double(refunds.completedAt[i] - refunds.appliedAt[i]) / 3600
                        if refunds.kind(i) == .refundOnly {
                            weeks[wc].refundOnlyCount += 1
                            weeks[wc].refundOnlyHours += hours
                        } else {
                            weeks[wc].returnRefundCount += 1
                            weeks[wc].returnRefundHours += hours
                        }
                        if holiday != nil { note = "official campaign: assessed as usual" }
                    }
                }
            }
            // Only a refund judged otherwise than normally is listed (the after-sales table
            // shows those; a big shop's 200k normal rows cost a copy and a sort each).
            if let note {
                let state = completed ? "completed" : closed ? "closed" : "open"
                out.rows.append(AftersalesRow(refundId: refunds.refundIds.string(i), orderId: refunds.orderIds.string(i), kind: refunds.kind(i), appliedAt: refunds.appliedAt[i], state: state, note: note))
            }
            if completed || closed || refunds.kind(i) == .exchange { continue }

            // Open stages.
            func present(_ t: Instant) -> Bool { t != .absent && t <= T }
            func stage(_ name: String, limit: Stage, start: Instant) {
                stages += 1
                let window = holiday(version, start)
                let hours = limits[version][limit.rawValue * 2 + (window != nil ? 1 : 0)]
                let deadline = start + Int64(hours * 3600)
                out.open.append(AftersalesStage(refundId: refunds.refundIds.string(i), orderId: refunds.orderIds.string(i), kind: refunds.kind(i), stage: name, start: start,
                                                deadline: deadline, hoursLeft: Double(deadline - T) / 3600, breached: T > deadline,
                                                holidayAdjusted: window != nil, limitHours: hours, limitReason: window?.name ?? "normal"))
            }
            if !present(refunds.handledAt[i]) {
                var preShipment = false
                if refunds.kind(i) == .refundOnly {
                    let shippedAt = orderRow().map { orders.shipped[$0] } ?? .absent
                    preShipment = shippedAt == .absent || shippedAt > refunds.appliedAt[i]
                }
                stage("merchant_handling", limit: preShipment ? .handlingPreShipment : .handlingPostShipment, start: refunds.appliedAt[i])
            }
            if present(refunds.returnAgreedAt[i]) && !present(refunds.returnShippedAt[i]) {
                stage("buyer_return", limit: .buyerReturn, start: refunds.returnAgreedAt[i])
            }
            if present(refunds.returnShippedAt[i]) && !present(refunds.returnReceivedAt[i]) && !present(refunds.completedAt[i]) {
                stage("auto_receipt", limit: .autoReceipt, start: refunds.returnShippedAt[i])
            }
        }
        out.open.sortByKey({ $0.deadline }) { $0.refundId != $1.refundId ? $0.refundId < $1.refundId : $0.stage < $1.stage }
        out.rows.sortByKey({ $0.appliedAt }) { $0.refundId < $1.refundId }
        for a in counted where T < ShippingRules.addWorkingDays(a.publishedAt, rbT.refreshWorkingDays) {
            refreshChecks += weeks.count
            for k in weeks.indices where weeks[k].weekStart + CST.week > a.start && weeks[k].weekStart <= a.end { weeks[k].pendingPlatformRefresh = true }
        }
        out.weeks = weeks.sorted { $0.weekStart < $1.weekStart }
        return out
    }
}
