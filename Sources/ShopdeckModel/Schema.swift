/// The tables an operator loads (data-formats.md "Files and tables").
public enum TableKind: String, CaseIterable, Sendable, Codable {
    case orders, aftersales, violations, coupons, products, reports, adjustments, waybills

    /// File-name prefixes that name the table: canonical English, then Chinese.
    public var namePrefixes: [String] {
        switch self {
        case .orders: return ["orders", "订单"]
        case .aftersales: return ["aftersales", "售后"]
        case .violations: return ["violations", "违规"]
        case .coupons: return ["coupons", "优惠券", "定时优惠"]
        case .products: return ["products", "商品"]
        case .reports: return ["reports", "举报"]
        case .adjustments: return ["adjustments", "疫情", "调整"]
        case .waybills: return ["waybills", "运单", "物流"]
        }
    }

    public var schema: [ColumnSpec] { Schemas.columns(self) }
    public var required: [ColumnSpec] { schema.filter(\.required) }
}

/// One column of a table: its canonical name and the headers also accepted for it, in order
/// of preference (when two of them are present, the earlier one wins).
public struct ColumnSpec: Sendable {
    public let name: String
    public let aliases: [String]
    public let required: Bool

    public init(_ name: String, _ aliases: [String], required: Bool = false) {
        self.name = name; self.aliases = aliases; self.required = required
    }

    /// Every accepted header, canonical first.
    public var accepted: [String] { [name] + aliases }
}

/// The alias tables of data-formats.md "Headers".
public enum Schemas {
    public static func columns(_ kind: TableKind) -> [ColumnSpec] {
        switch kind {
        case .orders: return orders
        case .aftersales: return aftersales
        case .violations: return violations
        case .coupons: return coupons
        case .products: return products
        case .reports: return reports
        case .adjustments: return adjustments
        case .waybills: return waybills
        }
    }

    static let orders: [ColumnSpec] = [
        ColumnSpec("order_id", ["订单号", "订单编号", "oid"], required: true),
        ColumnSpec("paid_at", ["订单支付时间", "支付时间", "付款时间", "payTime"], required: true),
        ColumnSpec("promised_ship_at", ["预售/承诺发货时间", "承诺发货时间", "validPromiseShipmentTimeStamp", "promiseTimeStampOfDelivery"], required: true),
        ColumnSpec("promise_hours", ["承诺发货时效", "发货时效"]),
        ColumnSpec("delayed_promise_at", ["报备后承诺发货时间", "sellerDelayPromiseTimeStamp"]),
        ColumnSpec("flash_sale", ["闪电购", "是否闪电购", "itemType"]),
        ColumnSpec("status", ["订单状态"], required: true),
        ColumnSpec("shipped_at", ["发货时间", "sendTime"]),
        ColumnSpec("picked_up_at", ["揽收时间"]),
        ColumnSpec("closed_at", ["关闭时间", "取消时间"]),
        ColumnSpec("ship_from", ["发货地", "发货地址"]),
        ColumnSpec("ship_to", ["收货地区"]),
        ColumnSpec("product_id", ["商品ID", "itemId"]),
        ColumnSpec("product_name", ["商品名称", "itemTitle"]),
        ColumnSpec("amount", ["实付款", "实付金额", "订单金额", "totalFee"]),
        ColumnSpec("official_event", ["官方活动"]),
        ColumnSpec("delay_reported", ["延迟发货报备"]),
    ]
    /// The backend export's split address columns, joined into `ship_to` in this order.
    public static let splitAddress = ["收货地址-省", "收货地址-市", "收货地址-区"]
    /// The full street address, used for `ship_to` only when the split columns are absent.
    public static let fullAddress = "收货地址"

    static let aftersales: [ColumnSpec] = [
        ColumnSpec("refund_id", ["售后单号", "退款单号", "refundId"], required: true),
        ColumnSpec("order_id", ["订单编号", "订单号", "oid"], required: true),
        ColumnSpec("kind", ["售后类型", "handlingWay"], required: true),
        ColumnSpec("applied_at", ["售后申请时间", "申请时间", "最近申请时间", "submitTime"], required: true),
        ColumnSpec("handled_at", ["商家处理时间"]),
        ColumnSpec("decision", ["商家处理结果"]),
        ColumnSpec("return_agreed_at", ["同意退货时间"]),
        ColumnSpec("return_shipped_at", ["买家退货时间", "退货物流填写时间"]),
        ColumnSpec("return_received_at", ["退货签收时间"]),
        ColumnSpec("completed_at", ["完结时间", "endTime"]),
        ColumnSpec("status", ["售后状态"]),
        ColumnSpec("platform_intervened", ["平台介入"]),
        ColumnSpec("merchant_dispute", ["商责纠纷"]),
        ColumnSpec("return_address", ["退货地址", "address"]),
    ]
    static let violations: [ColumnSpec] = [
        ColumnSpec("violation_id", ["违规编号", "违规单号"], required: true),
        ColumnSpec("notified_at", ["通知时间", "违规时间"], required: true),
        ColumnSpec("rule", ["违规类型", "违规原因"], required: true),
        ColumnSpec("subject", ["处罚对象"]),
        ColumnSpec("points", ["扣分"]),
        ColumnSpec("measures", ["处理措施"]),
        ColumnSpec("status", ["状态"], required: true),
        ColumnSpec("appeals_used", ["申诉次数"]),
        ColumnSpec("appeal_deadline", ["申诉截止时间"]),
    ]
    static let coupons: [ColumnSpec] = [
        ColumnSpec("activity_id", ["活动ID"], required: true),
        ColumnSpec("name", ["活动名称"]),
        ColumnSpec("coupon_type", ["券类型"], required: true),
        ColumnSpec("threshold", ["使用条件金额", "门槛"], required: true),
        ColumnSpec("face_value", ["优惠券面额", "面额"], required: true),
        ColumnSpec("issue_at", ["发放时间"], required: true),
        ColumnSpec("quantity", ["发放数量"]),
        ColumnSpec("live_plan", ["直播计划"]),
        ColumnSpec("status", ["活动状态"]),
    ]
    static let products: [ColumnSpec] = [
        ColumnSpec("product_id", ["商品ID", "itemId"], required: true),
        ColumnSpec("product_name", ["商品名称", "itemTitle"], required: true),
        ColumnSpec("price", ["商品金额", "价格"], required: true),
        ColumnSpec("commission", ["佣金金额", "佣金"]),
        ColumnSpec("source", ["商品来源"]),
        ColumnSpec("category", ["类目"]),
        ColumnSpec("official_event", ["官方活动"]),
        ColumnSpec("trust_purchase", ["信任购"]),
    ]
    static let reports: [ColumnSpec] = [
        ColumnSpec("report_id", ["举报编号"], required: true),
        ColumnSpec("user_id", ["用户ID", "被举报用户"], required: true),
        ColumnSpec("reported_at", ["举报时间"], required: true),
        ColumnSpec("result", ["举报结果"], required: true),
        ColumnSpec("shop_id", ["店铺ID"]),
    ]
    static let adjustments: [ColumnSpec] = [
        ColumnSpec("area", ["地区"], required: true),
        ColumnSpec("scope", ["范围"], required: true),
        ColumnSpec("start", ["开始时间"], required: true),
        ColumnSpec("end", ["结束时间"], required: true),
        ColumnSpec("published_at", ["发布时间"]),
        ColumnSpec("source", ["来源"]),
    ]

    /// The backend's waybill export puts the pickup scan in this column.
    public static let waybillScanColumn = "发货/揽收/末条中转/派件/待取件/签收时间"
    /// 发货时间 is the pickup scan only in a file named as waybills (data-formats.md).
    public static let waybillShippedAlias = "发货时间"
    static let waybills: [ColumnSpec] = [
        ColumnSpec("order_id", ["订单编号", "订单号"], required: true),
        ColumnSpec("waybill_no", ["物流单号", "快递单号", "运单号"]),
        ColumnSpec("picked_up_at", ["揽收时间", waybillScanColumn, waybillShippedAlias], required: true),
    ]

    /// Headers that mark another platform's export (a Douyin 抖店 order file).
    public static let douyinMarkers = ["主订单编号", "子订单编号", "订单提交时间", "订单应付金额", "是否安心购"]

    /// Header comparison key: trimmed, ASCII lower-cased, full-width brackets folded.
    public static func key(_ header: String) -> String {
        // One pass over the scalars: full-width parentheses to ASCII, ASCII letters to lower
        // case (Foundation's substring search per header made a 300,000-column line take 10 s).
        var out = String.UnicodeScalarView()
        for u in header.trimmingSpaces().unicodeScalars {
            switch u.value {
            case 0xFF08: out.append("(")
            case 0xFF09: out.append(")")
            case 65...90: out.append(Unicode.Scalar(u.value + 32)!)
            default: out.append(u)
            }
        }
        return String(out)
    }
}

/// How one file's header row maps onto a table's columns.
public struct HeaderMap: Sendable {
    /// Canonical column name -> field index in the record.
    public var index: [String: Int] = [:]
    /// Canonical column -> the header text it was found under.
    public var header: [String: String] = [:]
    /// Required columns not found.
    public var missing: [ColumnSpec] = []

    /// `namedAs`: the file's name says it is this table (only then is 发货时间 a waybill's
    /// pickup scan).
    public init(headers: [String], kind: TableKind, namedAs: Bool = true) {
        let keys = headers.map(Schemas.key)
        for spec in kind.schema {
            for name in spec.accepted {
                if kind == .waybills && !namedAs && name == Schemas.waybillShippedAlias { continue }
                if let i = keys.firstIndex(of: Schemas.key(name)) {
                    index[spec.name] = i
                    header[spec.name] = headers[i]
                    break
                }
            }
            if index[spec.name] == nil && spec.required { missing.append(spec) }
        }
        // The older after-sales export has no refund id at all (data-formats.md, aftersales):
        // its rows get ORDER_ID@APPLIED_AT.
        if kind == .aftersales, missing.count == 1, missing[0].name == "refund_id" {
            missing = []
            syntheticRefundIds = true
        }
    }

    /// An after-sales file without a refund id column: ids are made from order and time.
    public private(set) var syntheticRefundIds = false

    public subscript(_ column: String) -> Int? { index[column] }

    /// How many of the table's required columns the headers hold.
    public static func requiredHits(headers: [String], kind: TableKind, namedAs: Bool = true) -> Int {
        let keys = Set(headers.map(Schemas.key))
        return kind.required.filter { spec in
            spec.accepted.contains { name in
                !(kind == .waybills && !namedAs && name == Schemas.waybillShippedAlias) && keys.contains(Schemas.key(name))
            }
        }.count
    }
}

extension String {
    /// Without surrounding spaces, tabs, line ends, full-width spaces and a BOM.
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{3000}" || f == "\r" || f == "\n" || f == "\u{FEFF}" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{3000}" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
