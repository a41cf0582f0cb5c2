import ShopdeckModel

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
    let products: ProductsTable

    init(_ products: ProductsTable, _ rb: Rulebook) {
        self.products = products
        // The shop's own goods and the alliance's, each in catalogue order (so a tie in price
        // is broken by position, and the examples are the same on every run). The columns are
        // read in place; a source is told by its number in the table's list.
        var ownPrice: [Int64] = [], ownAt: [Int32] = []
        var alliancePrice: [Int64] = [], allianceCommission: [Int64] = [], allianceAt: [Int32] = []
        ownPrice.reserveCapacity(products.count); ownAt.reserveCapacity(products.count)
        let allianceNumber = products.sourceTexts.firstIndex { $0.utf8.elementsEqual(rb.allianceSource.utf8) }.map(Int32.init) ?? -1
        for i in products.indices {
            if products.sourceNumber(i) == allianceNumber {
                alliancePrice.append(products.prices[i]); allianceCommission.append(products.commissions[i]); allianceAt.append(Int32(i))
            } else {
                ownPrice.append(products.prices[i]); ownAt.append(Int32(i))
            }
        }
        own = Self.order(ownPrice).map { (ownPrice[Int($0)], ownAt[Int($0)]) }
        alliance = Self.order(alliancePrice).reversed().map { (alliancePrice[Int($0)], allianceCommission[Int($0)], allianceAt[Int($0)]) }
        ownPrices = own.map(\.price)
        let prices = products.prices.withUnsafeBufferPointer { Array($0) }
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
        return own[Self.lowerBound(ownPrices, threshold)...].prefix(Self.exampleCount).map { products.productId(Int($0.index)) }
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
            out[c.activityId + "\u{1}" + CST.format(c.issueAt)] = n <= 0 ? [] : (1...n).map { products.productId(Int(ascending[kth(below + $0)].index)) }
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
