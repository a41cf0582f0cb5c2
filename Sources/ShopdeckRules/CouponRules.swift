import ShopdeckModel

/// rules.md §7: timed coupons, their applicable goods and warnings.
enum CouponRules {
    static func run(_ coupons: [Coupon], products: [Product], professionalAnchor: Bool?, asOf T: Instant, rulebook rb: Rulebook) -> [CouponRow] {
        var minuteCount: [String: Int] = [:]
        for c in coupons {
            if let plan = c.livePlan, !plan.isEmpty { minuteCount["\(plan)\u{1}\(floorMinute(c.issueAt))", default: 0] += 1 }
        }
        var rows: [CouponRow] = []
        for c in coupons {
            let type = c.couponType.trimmingSpaces()
            let applicable = products.filter { p in
                guard p.price >= c.threshold else { return false }
                if type == rb.anchorCouponType { return p.source == rb.allianceSource && p.commission >= c.faceValue }
                if type == rb.shopCouponType { return p.source != rb.allianceSource }
                return false
            }.map(\.productId).sorted()
            var w: [String] = []
            if c.faceValue >= c.threshold { w.append("face_not_below_threshold") }
            if applicable.isEmpty { w.append("no_applicable_goods") }
            if c.issueAt < T && (c.status?.trimmingSpaces() ?? "未开始") == "未开始" { w.append("issue_time_passed") }
            if let plan = c.livePlan, !plan.isEmpty, minuteCount["\(plan)\u{1}\(floorMinute(c.issueAt))", default: 0] > 1 { w.append("schedule_clash") }
            if professionalAnchor == false { w.append("not_professional_anchor") }
            var row = CouponRow(activityId: c.activityId, name: c.name, couponType: type, issueAt: c.issueAt, livePlan: c.livePlan,
                                status: c.status, threshold: c.threshold, faceValue: c.faceValue,
                                applicableProducts: applicable.count, applicableIds: applicable, warnings: w)
            row.notApplicable = products.compactMap { p in whyNot(p, row, rb).map { (p.productId, $0) } }
            rows.append(row)
        }
        return rows.sorted { $0.issueAt != $1.issueAt ? $0.issueAt < $1.issueAt : $0.activityId < $1.activityId }
    }

    static func floorMinute(_ t: Instant) -> Int64 { (t - (((t % 60) + 60) % 60)) / 60 }

    /// Why a product does not qualify for a coupon (drill-down).
    static func whyNot(_ p: Product, _ c: CouponRow, _ rb: Rulebook) -> String? {
        if p.price < c.threshold { return "price below threshold" }
        if c.couponType == rb.anchorCouponType {
            if p.source != rb.allianceSource { return "not a \(rb.allianceSource) product" }
            if p.commission < c.faceValue { return "commission below face value" }
        } else if c.couponType == rb.shopCouponType, p.source == rb.allianceSource {
            return "\(rb.allianceSource) product, not the shop's own"
        } else if c.couponType != rb.shopCouponType && c.couponType != rb.anchorCouponType {
            return "unknown coupon type"
        }
        return nil
    }
}

/// rules.md §8: promotion copy against the norms' lexicon.
enum CopyRules {
    static func check(id: String, name: String, text: String, source: String, brands: [String], rulebook rb: Rulebook) -> [CopyFinding] {
        var out: [CopyFinding] = []
        for norm in rb.copyNorms {
            if !norm.requires.isEmpty && !norm.requires.contains(where: { text.contains($0) }) { continue }
            if norm.needsSource && rb.sourceMarkers.contains(where: { text.contains($0) }) { continue }
            if norm.unlessAuthorisedBrand && brands.contains(where: { !$0.isEmpty && text.contains($0) }) { continue }
            var found = norm.terms.filter { text.contains($0) }
            // A term inside a longer matched term of the same norm is not reported twice.
            found = found.filter { t in !found.contains { $0 != t && $0.contains(t) } }
            var unique: [String] = []
            for t in found where !unique.contains(t) { unique.append(t) }
            if !unique.isEmpty {
                out.append(CopyFinding(productId: id, productName: name, terms: unique, norm: norm.number, normTitle: norm.title, source: source))
            }
        }
        return out
    }
}
