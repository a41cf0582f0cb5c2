import ShopdeckModel

/// rules.md §7: timed coupons, their applicable goods and warnings.
enum CouponRules {
    static func run(_ coupons: [Coupon], products: ProductsTable, professionalAnchor: Bool?, asOf T: Instant, rulebook rb: Rulebook,
                    work: WorkMeter? = nil) -> [CouponRow] {
        var minuteCount: [String: Int] = [:]
        for c in coupons {
            if let plan = c.livePlan, !plan.isEmpty { minuteCount["\(plan)\u{1}\(floorMinute(c.issueAt))", default: 0] += 1 }
        }
        // A large catalogue: counts by range queries, not a scan per coupon (issue 18).
        let index = products.count > CouponIndex.smallCatalogue && !coupons.isEmpty ? CouponIndex(products, rb) : nil
        let anchorCoupons = coupons.filter { $0.couponType.trimmingSpaces() == rb.anchorCouponType }
        let anchorCounts = index?.anchorCounts(anchorCoupons) ?? [:]
        var treeSteps = 0
        let anchorExamples = index?.anchorExamples(anchorCoupons, steps: &treeSteps) ?? [:]
        var scanned = 0
        defer {
            work?.add("coupons: coupons judged", coupons.count)
            work?.add("coupons: index tree steps", treeSteps)
            work?.add("coupons: products scanned", scanned + (index?.products.count ?? 0))
        }
        var rows: [CouponRow] = []
        for c in coupons {
            let type = c.couponType.trimmingSpaces()
            if let index {
                let count = type == rb.anchorCouponType ? anchorCounts[c.activityId + "\u{1}" + CST.format(c.issueAt)] ?? 0
                    : type == rb.shopCouponType ? index.ownCount(atLeast: c.threshold) : 0
                var row = CouponRow(activityId: c.activityId, name: c.name, couponType: type, issueAt: c.issueAt, livePlan: c.livePlan,
                                    status: c.status, threshold: c.threshold, faceValue: c.faceValue, applicableProducts: count,
                                    applicableIds: type == rb.anchorCouponType ? anchorExamples[c.activityId + "\u{1}" + CST.format(c.issueAt)] ?? []
                                        : index.examples(type: type, threshold: c.threshold, rb: rb),
                                    warnings: warnings(c, type: type, applicable: count, asOf: T, minuteCount: minuteCount, professionalAnchor: professionalAnchor))
                row.notApplicableSummary = index.summary(type: type, threshold: c.threshold, face: c.faceValue, applicable: count, rb: rb)
                rows.append(row)
                continue
            }
            scanned += 2 * products.count // the applicable goods, then why the others are not
            let applicable = products.filter { p in
                guard p.price >= c.threshold else { return false }
                if type == rb.anchorCouponType { return p.source == rb.allianceSource && p.commission >= c.faceValue }
                if type == rb.shopCouponType { return p.source != rb.allianceSource }
                return false
            }.map(\.productId).sorted()
            let w = warnings(c, type: type, applicable: applicable.count, asOf: T, minuteCount: minuteCount, professionalAnchor: professionalAnchor)
            var row = CouponRow(activityId: c.activityId, name: c.name, couponType: type, issueAt: c.issueAt, livePlan: c.livePlan,
                                status: c.status, threshold: c.threshold, faceValue: c.faceValue,
                                applicableProducts: applicable.count, applicableIds: applicable, warnings: w)
            row.notApplicable = products.compactMap { p in whyNot(p, row, rb).map { (p.productId, $0) } }
            rows.append(row)
        }
        return rows.sorted { $0.issueAt != $1.issueAt ? $0.issueAt < $1.issueAt : $0.activityId < $1.activityId }
    }

    static func warnings(_ c: Coupon, type: String, applicable: Int, asOf T: Instant, minuteCount: [String: Int], professionalAnchor: Bool?) -> [String] {
        var w: [String] = []
        if c.faceValue >= c.threshold { w.append("face_not_below_threshold") }
        if applicable == 0 { w.append("no_applicable_goods") }
        if c.issueAt < T && (c.status?.trimmingSpaces() ?? "未开始") == "未开始" { w.append("issue_time_passed") }
        if let plan = c.livePlan, !plan.isEmpty, minuteCount["\(plan)\u{1}\(floorMinute(c.issueAt))", default: 0] > 1 { w.append("schedule_clash") }
        if professionalAnchor == false { w.append("not_professional_anchor") }
        return w
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
