import ShopdeckModel

/// rules.md §3 (after-sales service times, seed 002) and the after-sales half of §4.
enum AftersalesRules {
    /// The stages with a time limit, by their rulebook key (rules.md §3).
    enum Stage: Int, CaseIterable {
        case handlingPreShipment, handlingPostShipment, buyerReturn, autoReceipt
        var key: String { ["handling_pre_shipment", "handling_post_shipment", "buyer_return", "auto_receipt"][rawValue] }
    }

    /// Each refund is judged by the rulebook version in force at its application (rules.md §0).
    static func run(_ refunds: [Refund], orders: OrdersTable, adjustments: [Adjustment], asOf T: Instant, rulebook all: Rulebook,
                    work: WorkMeter? = nil) -> AftersalesReport {
        var visited = 0, stages = 0, refreshChecks = 0, epidemicChecks = 0
        defer {
            work?.add("after-sales: refunds visited", visited)
            work?.add("after-sales: stages judged", stages)
            work?.add("after-sales: week refresh checks", refreshChecks)
            work?.add("after-sales: epidemic window checks", epidemicChecks)
        }
        var out = AftersalesReport()
        out.rows.reserveCapacity(refunds.count)
        let counted = adjustments.filter { $0.scope == .aftersales && T >= $0.publishedAt }
        var weeks: [Instant: AftersalesWeek] = [:]
        func week(_ t: Instant) -> Instant { CST.weekStart(t) }

        let rbT = all.at(T)
        // Per rulebook version, read once (not a rulebook copied per refund): the holiday
        // windows and each stage's limit, normal and in a holiday (`limits[v][stage * 2 + 1]`).
        let versions = all.versions
        let holidays = versions.map(\.holidays)
        let limits = versions.map { v in Stage.allCases.flatMap { [v.limitHours($0.key, holiday: false), v.limitHours($0.key, holiday: true)] } }
        func holiday(_ v: Int, _ t: Instant) -> Rulebook.Window? { holidays[v].first { $0.contains(t) } }
        for r in refunds where r.appliedAt <= T {
            visited += 1
            let version = all.versionIndex(at: r.appliedAt)
            // The order is looked up only when a rule needs it (a holiday's official-campaign
            // test, an epidemic window's ship-to area, a refund-only's shipping time): a lookup
            // in a big shop's id index is a cache miss, and most refunds need none.
            var looked = false, row: Int? = nil
            func orderRow() -> Int? {
                if !looked { looked = true; row = orders.ids.find(r.orderId).map(Int.init) }
                return row
            }
            let completed = (r.completedAt != .absent && r.completedAt <= T) || (r.completedAt == .absent && r.status == .completed)
            let closed = r.status == .closed
            // Weekly: applications and disputes by week of applied_at (never excluded).
            let wa = week(r.appliedAt)
            weeks[wa, default: AftersalesWeek(weekStart: wa)].refundsApplied += 1
            if r.merchantDispute { weeks[wa, default: AftersalesWeek(weekStart: wa)].disputes += 1 }

            var note = "normal"
            if r.kind == .exchange {
                note = "exchange: no deadline"
            }
            // Completion figures by week of completed_at.
            if completed, r.completedAt != .absent, r.kind != .exchange {
                let wc = week(r.completedAt)
                if r.platformIntervened {
                    note = "intervened: not averaged"
                } else {
                    let holiday = holiday(version, r.appliedAt)
                    let official = holiday != nil && (orderRow().map { orders.officialEvent[$0] >= 0 } ?? false)
                    var epidemic: Adjustment? = nil
                    if r.kind == .returnRefund && !counted.isEmpty {
                        epidemicChecks += counted.count
                        let shipTo = orderRow().flatMap { orders.regions[orders.shipTo[$0]] }
                        epidemic = counted.first { a in
                            a.contains(r.appliedAt) && ((shipTo.map { a.area.matches($0) } ?? false) || (r.returnAddress.map { a.area.matches($0) } ?? false))
                        }
                    }
                    if let h = holiday, !official {
                        weeks[wc, default: AftersalesWeek(weekStart: wc)].excluded += 1
                        weeks[wc, default: AftersalesWeek(weekStart: wc)].excludedHoliday += 1
                        note = "excluded: applied in \(h.name)"
                    } else if let a = epidemic {
                        weeks[wc, default: AftersalesWeek(weekStart: wc)].excluded += 1
                        weeks[wc, default: AftersalesWeek(weekStart: wc)].excludedEpidemic += 1
                        note = "excluded: epidemic window \(a.areaText) \(CST.formatDate(a.start))–\(CST.formatDate(a.end))"
                    } else {
                        let hours = Double(r.completedAt - r.appliedAt) / 3600
                        if r.kind == .refundOnly {
                            weeks[wc, default: AftersalesWeek(weekStart: wc)].refundOnlyCount += 1
                            weeks[wc, default: AftersalesWeek(weekStart: wc)].refundOnlyHours += hours
                        } else {
                            weeks[wc, default: AftersalesWeek(weekStart: wc)].returnRefundCount += 1
                            weeks[wc, default: AftersalesWeek(weekStart: wc)].returnRefundHours += hours
                        }
                        if holiday != nil { note = "official campaign: assessed as usual" }
                    }
                }
            }
            let state = completed ? "completed" : closed ? "closed" : "open"
            out.rows.append(AftersalesRow(refundId: r.refundId, orderId: r.orderId, kind: r.kind, appliedAt: r.appliedAt, state: state, note: note))
            if completed || closed || r.kind == .exchange { continue }

            // Open stages.
            func present(_ t: Instant) -> Bool { t != .absent && t <= T }
            func stage(_ name: String, limit: Stage, start: Instant) {
                stages += 1
                let window = holiday(version, start)
                let hours = limits[version][limit.rawValue * 2 + (window != nil ? 1 : 0)]
                let deadline = start + Int64(hours * 3600)
                out.open.append(AftersalesStage(refundId: r.refundId, orderId: r.orderId, kind: r.kind, stage: name, start: start,
                                                deadline: deadline, hoursLeft: Double(deadline - T) / 3600, breached: T > deadline,
                                                holidayAdjusted: window != nil, limitHours: hours, limitReason: window?.name ?? "normal"))
            }
            if !present(r.handledAt) {
                var preShipment = false
                if r.kind == .refundOnly {
                    let shippedAt = orderRow().map { orders.shipped[$0] } ?? .absent
                    preShipment = shippedAt == .absent || shippedAt > r.appliedAt
                }
                stage("merchant_handling", limit: preShipment ? .handlingPreShipment : .handlingPostShipment, start: r.appliedAt)
            }
            if present(r.returnAgreedAt) && !present(r.returnShippedAt) {
                stage("buyer_return", limit: .buyerReturn, start: r.returnAgreedAt)
            }
            if present(r.returnShippedAt) && !present(r.returnReceivedAt) && !present(r.completedAt) {
                stage("auto_receipt", limit: .autoReceipt, start: r.returnShippedAt)
            }
        }
        out.open.sortByKey({ $0.deadline }) { $0.refundId != $1.refundId ? $0.refundId < $1.refundId : $0.stage < $1.stage }
        out.rows.sortByKey({ $0.appliedAt }) { $0.refundId < $1.refundId }
        for a in counted where T < ShippingRules.addWorkingDays(a.publishedAt, rbT.refreshWorkingDays) {
            refreshChecks += weeks.count
            for (k, _) in weeks where k + CST.week > a.start && k <= a.end { weeks[k]!.pendingPlatformRefresh = true }
        }
        out.weeks = weeks.values.sorted { $0.weekStart < $1.weekStart }
        return out
    }
}
