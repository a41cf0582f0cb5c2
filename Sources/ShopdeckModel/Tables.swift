/// Order status as data-formats.md lists it; 待付款 rows are never loaded.
public enum OrderStatus: UInt8, Sendable, BitwiseCopyable {
    case awaiting = 0, shipped = 1, completed = 2, closed = 3

    /// Text labels and the open platform's numeric codes. `.some(nil)` is 待付款 (skipped).
    public static func parse(_ text: String) -> OrderStatus?? {
        switch text {
        case "待付款", "10": return .some(nil)
        case "待发货", "已付款", "30": return .awaiting
        case "已发货", "40": return .shipped
        case "已签收", "已收货", "交易成功", "50", "70": return .completed
        case "已关闭", "交易关闭", "已取消", "订单失败", "80": return .closed
        default: return nil
        }
    }
}

/// Bit flags of an order row.
public struct OrderFlags: OptionSet, Sendable, BitwiseCopyable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let flashSale = OrderFlags(rawValue: 1)
    public static let delayReported = OrderFlags(rawValue: 2)
    /// The row came from a file that has a pickup (揽收) column (rules.md §1, pickup).
    public static let pickupKnown = OrderFlags(rawValue: 4)
}

/// Regions seen in a table, interned: each distinct cell text is parsed once.
public struct RegionPool: Sendable {
    public private(set) var texts = ByteInterner(capacity: 256)
    public private(set) var regions: [Region] = []

    public init() {}

    @inline(__always)
    public mutating func intern(_ b: UnsafeRawBufferPointer) -> Int32 {
        let (lo, hi) = Cell.trimmed(b)
        if Cell.isAbsentMarker(b, lo, hi) { return -1 }
        let (idx, isNew) = texts.intern(UnsafeRawBufferPointer(rebasing: b[lo..<hi]))
        if isNew { regions.append(Region.parse(texts.string(idx))) }
        return idx
    }

    public mutating func intern(_ s: String) -> Int32 { s.withBytes { intern($0) } }

    public subscript(_ idx: Int32) -> Region? { idx < 0 ? nil : regions[Int(idx)] }
    public func text(_ idx: Int32) -> String? { idx < 0 ? nil : texts.string(idx) }
}

/// The orders table, columnar: row `r` holds the order whose id is `ids.string(r)`. A later
/// row with the same id overwrites the row in place (rules.md §10: newest file, then later row).
///
/// A bulk load appends every row as new (`OrderIds.appendDeferred`) and then calls
/// `finishLoading`, which folds each repeated id into its first row.
public struct OrdersTable: Sendable {
    public var ids = OrderIds()
    public var paid = TimeColumn()
    public var promised = TimeColumn()
    public var delayed = TimeColumn()
    public var shipped = TimeColumn()
    public var pickedUp = TimeColumn()
    public var closed = TimeColumn()
    public var promiseHours = Column<Int16>()
    public var status = Column<OrderStatus>()
    public var flags = Column<OrderFlags>()
    public var shipFrom = Column<Int32>()
    public var shipTo = Column<Int32>()
    public var productId = Column<Int32>()
    public var productName = Column<Int32>()
    public var officialEvent = Column<Int32>()
    public var amount = Column<Int64>()
    public var regions = RegionPool()
    /// Short repeated texts: product names, campaign names (`text`).
    public var texts = ByteInterner(capacity: 1024)
    /// Product ids (`productId` indexes these; `productIdText`).
    public var productIds = ByteInterner(capacity: 1024)

    public init() {}

    @inlinable public var count: Int { paid.count }

    public func id(_ r: Int) -> String { ids.string(Int32(r)) }
    public func text(_ idx: Int32) -> String? { idx < 0 ? nil : texts.string(idx) }
    public func productIdText(_ idx: Int32) -> String? { idx < 0 ? nil : productIds.string(idx) }

    /// The deadline (rules.md §1): the approved delayed promise when present, else the promise.
    @inlinable
    public func deadline(_ r: Int) -> Instant { let d = delayed[r]; return d != .absent ? d : promised[r] }

    /// One order's values as a sink types them (everything but the id).
    public struct Row {
        public var paid: Instant, promised: Instant, delayed: Instant = .absent, shipped: Instant = .absent
        public var pickedUp: Instant = .absent, closed: Instant = .absent
        public var amount: Int64 = 0
        public var shipFrom: Int32 = -1, shipTo: Int32 = -1, productId: Int32 = -1, productName: Int32 = -1, officialEvent: Int32 = -1
        public var promiseHours: Int16, status: OrderStatus, flags: OrderFlags
    }

    /// Row `r`'s values.
    func row(_ r: Int) -> Row {
        Row(paid: paid[r], promised: promised[r], delayed: delayed[r], shipped: shipped[r], pickedUp: pickedUp[r], closed: closed[r],
            amount: amount[r], shipFrom: shipFrom[r], shipTo: shipTo[r], productId: productId[r], productName: productName[r],
            officialEvent: officialEvent[r], promiseHours: promiseHours[r], status: status[r], flags: flags[r])
    }

    /// Row `i` takes `v`'s values.
    mutating func set(_ i: Int, _ v: Row) {
        paid[i] = v.paid; promised[i] = v.promised; delayed[i] = v.delayed
        shipped[i] = v.shipped; pickedUp[i] = v.pickedUp; closed[i] = v.closed
        promiseHours[i] = v.promiseHours; status[i] = v.status; flags[i] = v.flags
        shipFrom[i] = v.shipFrom; shipTo[i] = v.shipTo; productId[i] = v.productId
        productName[i] = v.productName; officialEvent[i] = v.officialEvent; amount[i] = v.amount
    }

    /// Appends one row (its id is appended separately).
    mutating func append(_ v: Row) {
        paid.append(v.paid); promised.append(v.promised); delayed.append(v.delayed)
        shipped.append(v.shipped); pickedUp.append(v.pickedUp); closed.append(v.closed)
        promiseHours.append(v.promiseHours); status.append(v.status); flags.append(v.flags)
        shipFrom.append(v.shipFrom); shipTo.append(v.shipTo); productId.append(v.productId)
        productName.append(v.productName); officialEvent.append(v.officialEvent); amount.append(v.amount)
    }

    /// Appends `other`'s rows after this table's, in order, ids unindexed (`finishLoading`
    /// folds repeated ids). Region and text references are re-interned.
    public mutating func appendUnindexed(_ other: OrdersTable) {
        let start = count
        let (regionMap, textMap, idMap) = maps(from: other)
        ids.appendDeferred(other.ids)
        paid.append(contentsOf: other.paid); promised.append(contentsOf: other.promised); delayed.append(contentsOf: other.delayed)
        shipped.append(contentsOf: other.shipped); pickedUp.append(contentsOf: other.pickedUp); closed.append(contentsOf: other.closed)
        promiseHours.append(contentsOf: other.promiseHours); status.append(contentsOf: other.status); flags.append(contentsOf: other.flags)
        amount.append(contentsOf: other.amount)
        shipFrom.append(contentsOf: other.shipFrom); shipTo.append(contentsOf: other.shipTo)
        productId.append(contentsOf: other.productId); productName.append(contentsOf: other.productName)
        officialEvent.append(contentsOf: other.officialEvent)
        remapReferences(rows: start..<count, regions: regionMap, texts: textMap, productIds: idMap)
    }

    /// Where `other`'s region and text indexes go in this table (interning them here).
    mutating func maps(from other: OrdersTable) -> (regions: [Int32], texts: [Int32], productIds: [Int32]) {
        let regionMap = (0..<other.regions.regions.count).map { regions.intern(other.regions.texts.string(Int32($0))) }
        let textMap = (0..<other.texts.count).map { texts.intern(other.texts.string(Int32($0))) }
        let idMap = (0..<other.productIds.count).map { productIds.intern(other.productIds.string(Int32($0))) }
        return (regionMap, textMap, idMap)
    }

    /// Rewrites the region and text indexes of `rows` through the maps (identity maps skip).
    mutating func remapReferences(rows: Range<Int>, regions rm: [Int32], texts tm: [Int32], productIds im: [Int32]) {
        func isIdentity(_ m: [Int32]) -> Bool { m.enumerated().allSatisfy { Int32($0.offset) == $0.element } }
        func apply(_ c: inout Column<Int32>, _ m: [Int32]) {
            if rows.isEmpty || isIdentity(m) { return }
            if c.isUniform { if c[0] >= 0 { c = .uniform(m[Int(c[0])], count: c.count) }; return }
            c.makeUnique()
            let b = c.storage.base
            m.withUnsafeBufferPointer { mp in
                for r in rows { let v = b[r]; if v >= 0 { b[r] = mp[Int(v)] } }
            }
        }
        apply(&shipFrom, rm); apply(&shipTo, rm)
        apply(&productId, im); apply(&productName, tm); apply(&officialEvent, tm)
    }

    /// Indexes rows appended unindexed and folds every row whose id an earlier row has into
    /// that row (its values replace the earlier ones; the later row is removed).
    public mutating func finishLoading() {
        guard ids.indexed < ids.count else { return }
        // A few rows on a big indexed table (a live append): index just those.
        let tail = ids.tailIsSmall
        let dups = tail ? ids.indexTail() : ids.buildIndex()
        guard !dups.isEmpty else { return }
        for (first, dup) in dups { copyRow(dup, to: first) }
        let gone = dups.map(\.dup)
        paid.remove(rows: gone); promised.remove(rows: gone); delayed.remove(rows: gone)
        shipped.remove(rows: gone); pickedUp.remove(rows: gone); closed.remove(rows: gone)
        promiseHours.remove(rows: gone); status.remove(rows: gone); flags.remove(rows: gone)
        shipFrom.remove(rows: gone); shipTo.remove(rows: gone); productId.remove(rows: gone)
        productName.remove(rows: gone); officialEvent.remove(rows: gone); amount.remove(rows: gone)
        if tail { ids.removeTailRows(gone) } else { ids.removeRows(gone) }
    }

    /// Row `from`'s values into row `to` (the id stays).
    mutating func copyRow(_ from: Int, to i: Int) { set(i, row(from)) }

    /// Makes room for `n` more rows at once (no doubling as rows arrive).
    public mutating func reserve(_ n: Int) {
        let total = count + n
        paid.reserveCapacity(total); promised.reserveCapacity(total); delayed.reserveCapacity(total)
        shipped.reserveCapacity(total); pickedUp.reserveCapacity(total); closed.reserveCapacity(total)
        amount.reserveCapacity(total); promiseHours.reserveCapacity(total); status.reserveCapacity(total)
        flags.reserveCapacity(total); shipFrom.reserveCapacity(total); shipTo.reserveCapacity(total)
        productId.reserveCapacity(total); productName.reserveCapacity(total); officialEvent.reserveCapacity(total)
        ids.reserve(n, bytes: n * 24)
    }
}

public enum RefundKind: String, Sendable { case refundOnly = "仅退款", returnRefund = "退货退款", exchange = "换货"
    /// A trimmed cell, compared byte for byte (a `String` comparison normalises every
    /// non-ASCII cell: slow at 200k rows). The open-platform's handlingWay codes are accepted.
    public static func parse(_ b: UnsafeRawBufferPointer) -> RefundKind? {
        if Cell.equals(b, "仅退款") || Cell.equals(b, "10") { return .refundOnly }
        if Cell.equals(b, "退货退款") || Cell.equals(b, "1") { return .returnRefund }
        if Cell.equals(b, "换货") || Cell.equals(b, "3") { return .exchange }
        return nil
    }
}

public enum RefundStatus: String, Sendable { case open, completed, closed
    /// A trimmed cell's bytes, nil when the cell is absent (an absent status is open).
    public static func parse(_ b: UnsafeRawBufferPointer?) -> RefundStatus? {
        guard let b else { return .open }
        func any(_ ts: StaticString...) -> Bool { ts.contains { Cell.equals(b, $0) } }
        if any("处理中", "售后处理中") { return .open }
        if any("已完结", "退款成功", "售后成功", "60") { return .completed }
        if any("已关闭", "售后关闭", "售后失败", "退款失败", "70") { return .closed }
        // Other open-platform codes are open: a short whole number, nothing else.
        if b.count <= 4, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return .open }
        return nil
    }
    /// The open-platform codes 20, 21, 22: the platform has stepped in (data-formats.md
    /// "aftersales", platform_intervened).
    public static func meansIntervened(_ b: UnsafeRawBufferPointer?) -> Bool {
        guard let b else { return false }
        return Cell.equals(b, "20") || Cell.equals(b, "21") || Cell.equals(b, "22")
    }
}

/// One after-sales row (data-formats.md "aftersales").
public struct Refund: Sendable {
    public var refundId: String
    public var orderId: String
    public var kind: RefundKind
    public var appliedAt: Instant
    public var handledAt: Instant = .absent
    public var decision: String?
    public var returnAgreedAt: Instant = .absent
    public var returnShippedAt: Instant = .absent
    public var returnReceivedAt: Instant = .absent
    public var completedAt: Instant = .absent
    public var status: RefundStatus = .open
    public var platformIntervened = false
    public var merchantDispute = false
    public var returnAddress: Region?
    public var line: Int = 0
    public var file: String = ""
}

/// One violation row (data-formats.md "violations").
public struct Violation: Sendable {
    public var violationId: String
    public var notifiedAt: Instant
    public var rule: String
    public var subject: String = "商家"
    public var points: Int = 0
    public var measures: [String] = []
    public var status: String
    public var appealsUsed: Int = 0
    public var appealDeadline: Instant = .absent
    public var line: Int = 0
    public var file: String = ""
}

/// One timed-coupon activity (data-formats.md "coupons").
public struct Coupon: Sendable {
    public var activityId: String
    public var name: String?
    public var couponType: String
    public var threshold: Int64
    public var faceValue: Int64
    public var issueAt: Instant
    public var quantity: Int?
    public var livePlan: String?
    public var status: String?
    public var line: Int = 0
    public var file: String = ""
}

/// One product (data-formats.md "products").
public struct Product: Sendable {
    public var productId: String
    public var name: String
    public var price: Int64
    public var commission: Int64 = 0
    public var source: String = "自建"
    public var category: String?
    public var officialEvent: String?
    public var trustPurchase = false
    public var line: Int = 0
    public var file: String = ""
}

/// One customer-service report (data-formats.md "reports").
public struct CustomerReport: Sendable {
    public var reportId: String
    public var userId: String
    public var reportedAt: Instant
    public var result: String
    public var shopId: String?
    public var line: Int = 0
    public var file: String = ""
}

public enum AdjustmentScope: String, Sendable { case logistics, aftersales
    public static func parse(_ s: String) -> AdjustmentScope? {
        switch s.lowercased() {
        case "物流", "logistics": return .logistics
        case "售后", "aftersales", "after-sales", "after_sales": return .aftersales
        default: return nil
        }
    }
}

/// One epidemic / assessment adjustment (data-formats.md "adjustments", rules.md §4).
public struct Adjustment: Sendable {
    public var area: Region
    public var areaText: String
    public var scope: AdjustmentScope
    public var start: Instant
    public var end: Instant
    public var publishedAt: Instant
    public var source: String?
    public var line: Int = 0
    public var file: String = ""

    public func contains(_ t: Instant) -> Bool { t != .absent && t >= start && t <= end }
}

/// One waybill row (data-formats.md "waybills"): the courier's pickup scan of an order.
public struct Waybill: Sendable {
    public var orderId: String
    public var waybillNo: String?
    /// `.absent`: no pickup scan yet.
    public var pickedUpAt: Instant
    public var line: Int = 0
    public var file: String = ""
}

extension OrdersTable {
    /// Applies waybill pickups (data-formats.md "waybills"): an order whose own file had no
    /// pickup column takes the earliest pickup of its waybill rows and counts as having one
    /// (rules.md §1, pickup). Rows whose order is not loaded are ignored.
    public mutating func applyWaybills(_ waybills: [Waybill]) {
        guard !waybills.isEmpty else { return }
        var earliest: [Int32: Instant] = [:]
        let rows = ids.findAll(waybills.map(\.orderId))
        for (w, row) in zip(waybills, rows) {
            guard let r = row, !flags[Int(r)].contains(.pickupKnown) || earliest[r] != nil else { continue }
            let t = w.pickedUpAt
            if let e = earliest[r] { if t != .absent && (e == .absent || t < e) { earliest[r] = t } } else { earliest[r] = t }
        }
        for (r, t) in earliest {
            let i = Int(r)
            var f = flags[i]; f.insert(.pickupKnown); flags[i] = f
            pickedUp[i] = t
        }
    }
}

/// A row of a table other than orders, which keeps the line it came from (for messages).
public protocol FileRow: Sendable {
    var line: Int { get set }
}

extension Refund: FileRow {}
extension Violation: FileRow {}
extension Coupon: FileRow {}
extension Product: FileRow {}
extension CustomerReport: FileRow {}
extension Adjustment: FileRow {}
extension Waybill: FileRow {}
