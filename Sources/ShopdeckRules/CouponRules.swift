import ShopdeckModel

/// rules.md §7: timed coupons, their applicable goods and warnings.
enum CouponRules {
    static func run(_ coupons: [Coupon], products: [Product], professionalAnchor: Bool?, asOf T: Instant, rulebook rb: Rulebook,
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

/// Coupon applicability for a large catalogue (rules.md §7; issue 18): prices sorted once,
/// a shop coupon's count is one binary search, and every anchor coupon's count (alliance goods
/// with price ≥ threshold and commission ≥ face value) comes from one sweep by price with a
/// Fenwick tree over commissions: O((products + coupons) · log products), never a scan per
/// coupon.
struct CouponIndex {
    /// Up to this many products, each coupon lists every applicable and non-applicable product.
    static let smallCatalogue = 1_000

    let ownPrices: [Int64]                 // the shop's own goods, ascending
    let allPrices: [Int64]                 // every product, ascending
    let alliance: [(price: Int64, commission: Int64, index: Int32)]   // by price, descending
    let commissions: [Int64]               // distinct alliance commissions, ascending
    let own: [(price: Int64, index: Int32)]  // by price, ascending
    /// The products the indexes point into (ids are read only for the few examples shown:
    /// sorting numbers, not strings, keeps 200k products quick).
    let products: [Product]

    init(_ products: [Product], _ rb: Rulebook) {
        self.products = products
        // The shop's own goods and the alliance's, each in catalogue order (so a tie in price
        // is broken by position, and the examples are the same on every run).
        var ownPrice: [Int64] = [], ownAt: [Int32] = []
        var alliancePrice: [Int64] = [], allianceCommission: [Int64] = [], allianceAt: [Int32] = []
        ownPrice.reserveCapacity(products.count); ownAt.reserveCapacity(products.count)
        let allianceBytes = Array(rb.allianceSource.utf8)
        products.withUnsafeBufferPointer { products in
            for i in products.indices {   // fields read in place: no product copied
                if products[i].source.utf8.elementsEqual(allianceBytes) {
                    alliancePrice.append(products[i].price); allianceCommission.append(products[i].commission); allianceAt.append(Int32(i))
                } else {
                    ownPrice.append(products[i].price); ownAt.append(Int32(i))
                }
            }
        }
        own = Self.order(ownPrice).map { (ownPrice[Int($0)], ownAt[Int($0)]) }
        alliance = Self.order(alliancePrice).reversed().map { (alliancePrice[Int($0)], allianceCommission[Int($0)], allianceAt[Int($0)]) }
        ownPrices = own.map(\.price)
        let prices = products.withUnsafeBufferPointer { b in b.indices.map { b[$0].price } }
        allPrices = Self.order(prices).map { prices[Int($0)] }
        var distinct: [Int64] = []
        for o in Self.order(allianceCommission) where distinct.last != allianceCommission[Int(o)] { distinct.append(allianceCommission[Int(o)]) }
        commissions = distinct
    }

    /// The positions of `keys` ordered by key, equal keys by position: a stable sort. Keys
    /// within 2^32 of each other (prices and commissions in fen below 42.9 million yuan) are
    /// radix sorted as packed words (`packedOrder`: 200k products' comparison sort of tuples
    /// took most of the coupon section); others are compared.
    static func order(_ keys: [Int64]) -> [Int32] {
        if let packed = keys.packedOrder() { return packed.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) } }
        return keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }.map { Int32($0) }
    }

    /// The first index of `a` (ascending) holding a value ≥ `v`.
    static func lowerBound(_ a: [Int64], _ v: Int64) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let m = (lo + hi) / 2; if a[m] < v { lo = m + 1 } else { hi = m } }
        return lo
    }

    func ownCount(atLeast threshold: Int64) -> Int { ownPrices.count - Self.lowerBound(ownPrices, threshold) }

    /// Each anchor coupon's applicable count, keyed by activity id and issue time.
    func anchorCounts(_ coupons: [Coupon]) -> [String: Int] {
        var tree = [Int](repeating: 0, count: commissions.count + 1)
        func add(_ i: Int) { var i = i + 1; while i < tree.count { tree[i] += 1; i += i & -i } }
        func prefix(_ n: Int) -> Int { var i = n, s = 0; while i > 0 { s += tree[i]; i -= i & -i }; return s }
        var out: [String: Int] = [:]
        var next = 0, inserted = 0
        for c in coupons.sorted(by: { $0.threshold > $1.threshold }) {
            while next < alliance.count && alliance[next].price >= c.threshold {
                add(Self.lowerBound(commissions, alliance[next].commission)); inserted += 1; next += 1
            }
            out[c.activityId + "\u{1}" + CST.format(c.issueAt)] = inserted - prefix(Self.lowerBound(commissions, c.faceValue))
        }
        return out
    }

    /// How many examples a coupon row lists.
    static let exampleCount = 20

    /// Up to 20 applicable products of a shop coupon, cheapest first (the drill-down's
    /// examples); an anchor coupon's come from `anchorExamples`.
    func examples(type: String, threshold: Int64, rb: Rulebook) -> [String] {
        guard type == rb.shopCouponType else { return [] }
        return own[Self.lowerBound(ownPrices, threshold)...].prefix(Self.exampleCount).map { products[Int($0.index)].productId }
    }

    /// Every anchor coupon's examples (alliance goods with price ≥ threshold and commission ≥
    /// face value, cheapest first, up to 20), keyed like `anchorCounts`. The goods enter a
    /// Fenwick tree over their price ranks in order of falling commission while the coupons
    /// are taken by falling face value; a coupon's examples are then the k-th entries from its
    /// threshold's rank: O((goods + coupons · 20) · log goods), never a scan per coupon.
    /// `steps` counts the tree walks (`WorkMeter`).
    func anchorExamples(_ coupons: [Coupon], steps: inout Int) -> [String: [String]] {
        let ascending = Array(alliance.reversed())          // by price, ascending
        let prices = ascending.map(\.price)
        // By falling commission, equal ones by price rank (`~c` falls as `c` rises).
        let byCommission = Self.order(ascending.map { ~$0.commission }).map { Int($0) }
        var tree = [Int](repeating: 0, count: ascending.count + 1)
        var top = 1
        while top * 2 <= ascending.count { top *= 2 }
        func add(_ rank: Int) { var i = rank + 1; while i < tree.count { tree[i] += 1; i += i & -i; steps += 1 } }
        func prefix(_ n: Int) -> Int { var i = n, s = 0; while i > 0 { s += tree[i]; i -= i & -i; steps += 1 }; return s }
        /// The rank holding the k-th (from 1) entry of the tree.
        func kth(_ k: Int) -> Int {
            var pos = 0, left = k, step = top
            while step > 0 {
                if pos + step < tree.count && tree[pos + step] < left { pos += step; left -= tree[pos] }
                step /= 2; steps += 1
            }
            return pos
        }
        var out: [String: [String]] = [:]
        var next = 0, inserted = 0
        for c in coupons.sorted(by: { $0.faceValue > $1.faceValue }) {
            while next < byCommission.count && ascending[byCommission[next]].commission >= c.faceValue {
                add(byCommission[next]); inserted += 1; next += 1
            }
            let below = prefix(Self.lowerBound(prices, c.threshold))
            let n = min(Self.exampleCount, inserted - below)
            out[c.activityId + "\u{1}" + CST.format(c.issueAt)] = n <= 0 ? [] : (1...n).map { products[Int(ascending[kth(below + $0)].index)].productId }
        }
        return out
    }

    /// Why the others do not qualify, as counts by reason.
    func summary(type: String, threshold: Int64, face: Int64, applicable: Int, rb: Rulebook) -> String {
        let below = Self.lowerBound(allPrices, threshold)
        var parts = ["price below threshold: \(below)"]
        if type == rb.anchorCouponType {
            let ownAbove = ownCount(atLeast: threshold)
            parts.append("not a \(rb.allianceSource) product: \(ownAbove)")
            parts.append("commission below face value: \(allPrices.count - below - ownAbove - applicable)")
        } else if type == rb.shopCouponType {
            parts.append("\(rb.allianceSource) product, not the shop's own: \(allPrices.count - below - applicable)")
        }
        return parts.joined(separator: "; ")
    }
}

/// rules.md §8: promotion copy against the norms' lexicon. Every term, required word, source
/// marker and authorised brand is found in one pass over a text (`MultiPattern`); the norms
/// then read flags by pattern number, never a string comparison.
struct CopyChecker {
    /// A norm with its words as pattern numbers, resolved once.
    private struct Compiled {
        var number: Int
        var title: String
        var needsSource: Bool
        var unlessAuthorisedBrand: Bool
        var terms: [(text: String, pattern: Int)]
        var requires: [Int]
        /// For each term (by position in `terms`): the positions of the norm's other terms
        /// that contain it, so a term inside a longer matched one is dropped without comparing
        /// strings per text.
        var containedIn: [[Int]]
    }
    private let norms: [Compiled]
    private let sources: [Int]
    private let brands: [Int]
    private let automaton: MultiPattern
    /// Reused for every text: a flag per pattern (cleared after each text through `hits`).
    private var found: [Bool]
    private var hits: [Int32] = []
    /// A norm's reported terms by which of its terms were found (positions under 64).
    private struct TermsKey: Hashable { let norm: Int; let mask: UInt64 }
    private var termLists: [TermsKey: [String]] = [:]
    /// Reused for every norm: the positions of the terms it reports for the current text.
    private var picked: [Int] = []
    /// Work done (`WorkMeter`): bytes the automaton read, norms looked at.
    private(set) var bytesScanned = 0, normsJudged = 0

    init(rulebook rb: Rulebook, brands: [String]) {
        var patterns: [String] = []
        var idx: [String: Int] = [:]
        func add(_ p: String) -> Int? {
            guard !p.isEmpty else { return nil }
            if let i = idx[p] { return i }
            idx[p] = patterns.count; patterns.append(p); return patterns.count - 1
        }
        norms = rb.copyNorms.map { n in
            let terms = n.terms.compactMap { t in add(t).map { (t, $0) } }
            let containedIn = terms.map { t in terms.indices.filter { terms[$0].0 != t.0 && terms[$0].0.contains(t.0) } }
            return Compiled(number: n.number, title: n.title, needsSource: n.needsSource, unlessAuthorisedBrand: n.unlessAuthorisedBrand,
                            terms: terms, requires: n.requires.compactMap(add), containedIn: containedIn)
        }
        sources = rb.sourceMarkers.compactMap(add)
        self.brands = brands.compactMap(add)
        automaton = MultiPattern(patterns)
        found = [Bool](repeating: false, count: patterns.count)
    }

    /// Appends `text`'s findings to `out`.
    mutating func check(id: String, name: String, text: String, source: String, into out: inout [CopyFinding]) {
        automaton.matches(text, found: &found, hits: &hits)
        bytesScanned += text.utf8.count
        defer {
            for p in hits { found[Int(p)] = false }
            hits.removeAll(keepingCapacity: true)
        }
        guard !hits.isEmpty else { return }
        normsJudged += norms.count
        // The norms are read in place (a `for c in norms` copies and retains each one's arrays
        // per text: 200k products).
        for k in norms.indices {
            // Most norms find none of their terms in a text: said without building anything.
            if !norms[k].terms.contains(where: { found[$0.pattern] }) { continue }
            if !norms[k].requires.isEmpty && !norms[k].requires.contains(where: { found[$0] }) { continue }
            if norms[k].needsSource && sources.contains(where: { found[$0] }) { continue }
            if norms[k].unlessAuthorisedBrand && brands.contains(where: { found[$0] }) { continue }
            // A term inside a longer matched term of the same norm is not reported twice.
            picked.removeAll(keepingCapacity: true)
            for i in norms[k].terms.indices where found[norms[k].terms[i].pattern]
                && !norms[k].containedIn[i].contains(where: { found[norms[k].terms[$0].pattern] }) {
                picked.append(i)
            }
            guard !picked.isEmpty else { continue }
            // The same terms of a norm recur across a catalogue: their list is made once per
            // set of positions and shared (an array a finding was 230k allocations for 200k
            // products). Sets with a position past 63 are listed afresh.
            let mask = picked.last! < 64 ? picked.reduce(UInt64(0)) { $0 | 1 << UInt64($1) } : nil
            let terms: [String]
            if let mask, let known = termLists[TermsKey(norm: k, mask: mask)] { terms = known } else {
                var list: [String] = []
                for i in picked where !list.contains(norms[k].terms[i].text) { list.append(norms[k].terms[i].text) }
                if let mask { termLists[TermsKey(norm: k, mask: mask)] = list }
                terms = list
            }
            out.append(CopyFinding(productId: id, productName: name, terms: terms, norm: norms[k].number, normTitle: norms[k].title, source: source))
        }
    }
}
