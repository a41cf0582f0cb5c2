import ShopdeckModel

/// One value holding every figure of one run of the rules: the JSON report, the text report,
/// `shopdeck check` and the dashboard all read it (report-json.md).
public struct Report: Sendable {
    public var asOf: Instant
    public var rulebook: String
    public var shipping = ShippingReport()
    public var exemption = ExemptionReport()
    public var aftersales = AftersalesReport()
    public var violations: [ViolationRow] = []
    public var appeals: [AppealEntry] = []
    public var reports: [ReportRow] = []
    public var coupons: [CouponRow] = []
    public var copyFindings: [CopyFinding] = []
    /// The app versions timed coupons need (rulebook coupons.min_ios / min_android).
    public var couponMinIOS = ""
    public var couponMinAndroid = ""
    public var trustPurchase = TrustPurchase()
    public var load = LoadSummary()
    /// Points per natural year and per rule (rules.md §5).
    public var points: [PointsRow] = []
    public var engineSeconds: Double = 0
    /// The at-risk horizon in force (shop config or rulebook), for `check` and the panes.
    public var riskHorizonHours: Double = 12

    public init(asOf: Instant, rulebook: String) { self.asOf = asOf; self.rulebook = rulebook }
}

public struct ShippingWeek: Sendable, Equatable {
    public var weekStart: Instant
    public var paidOrders = 0, spotOrders = 0
    public var dueOrders = 0, onTimeOrders = 0, excludedOrders = 0
    public var pickupChecked = 0, pickupAnomalies = 0
    public var pendingPlatformRefresh = false
    public var spotShare: Double? { paidOrders == 0 ? nil : Double(spotOrders) / Double(paidOrders) }
    public var onTimeRate: Double? { dueOrders == 0 ? nil : Double(onTimeOrders) / Double(dueOrders) }
    public var pickupAnomalyRate: Double? { pickupChecked == 0 ? nil : Double(pickupAnomalies) / Double(pickupChecked) }
    public init(weekStart: Instant) { self.weekStart = weekStart }
}

public struct OrderRef: Sendable, Equatable {
    public var orderId: String
    public var deadline: Instant
    public var hoursLeft: Double
    public var productName: String?
    public var shipTo: String?
}

public struct ShippingReport: Sendable {
    public var weeks: [ShippingWeek] = []
    public var atRisk: [OrderRef] = []
    public var lateUnshipped: [OrderRef] = []
    public var protected: [OrderRef] = []
    public var delayReportNeeded: [OrderRef] = []
    /// The week holding as-of, so far (for the dashboard's "this week").
    public var currentWeek: ShippingWeek? { weeks.last }
    public init() {}
}

public struct ExemptionReport: Sendable {
    public var currentWeek: Instant = 0
    public var evaluatedWeek: Instant = 0
    public var inForce = false
    public var eligible = false
    public var paidOrders = 0
    public var spotShare: Double?
    public var onTimeRate: Double?
    public var failed: [String] = []
    public var tokenUsedBy: String?
    /// What would have been needed in the evaluated week (0 where the criterion holds).
    public var margins = Margins()
    /// The current week so far, against the same thresholds (for next week's status).
    public var projection = Margins()
    public var projectionPaid = 0
    public var projectionSpotShare: Double?
    public var projectionOnTimeRate: Double?
    /// The criteria the evaluated week was judged by (the rulebook version in force on its
    /// Monday): what the screens print, never a literal.
    public var thresholds = Thresholds()
    /// The current week at the current pace to Sunday 23:59:59 (report-json.md
    /// `exemption.forecast`).
    public var forecast = Forecast()
    public init() {}

    /// (interpretation) The pace is the current week's counts so far over the part of the week
    /// elapsed at T: paid and due orders are projected by that factor; the shares and rates are
    /// those so far. Every field is nil until the week has a paid order.
    public struct Forecast: Sendable, Equatable {
        public var paidOrders: Int?
        public var spotShare: Double?
        public var onTimeRate: Double?
        public var eligible: Bool?
        /// How many more of the projected due orders may ship late with the rate still at
        /// least the threshold (0 when already below).
        public var lateOrdersToSpare: Int?
        /// More paid orders needed beyond the projection to pass the paid-orders criterion.
        public var paidOrdersNeeded: Int?
    }

    public struct Thresholds: Sendable, Equatable {
        public var minPaidOrders = 0
        public var minSpotShare = 0.0
        public var minOnTimeRate = 0.0
    }

    public struct Margins: Sendable, Equatable {
        /// More paid orders needed to pass the paid-orders criterion.
        public var paidOrdersNeeded = 0
        /// Percentage points of spot share missing (0 when met).
        public var spotSharePointsNeeded = 0.0
        /// More spot-goods orders needed (each also a paid order) to pass the share criterion.
        public var spotOrdersNeeded = 0
        /// More on-time shipments (of the due orders) needed to reach the on-time rate.
        public var onTimeOrdersNeeded = 0
        public init() {}
    }
}

public struct AftersalesStage: Sendable, Equatable {
    public var refundId: String
    public var orderId: String
    public var kind: RefundKind
    public var stage: String
    public var start: Instant
    public var deadline: Instant
    public var hoursLeft: Double
    public var breached: Bool
    public var holidayAdjusted: Bool
    public var limitHours: Double
    /// Why this limit: "normal", or the holiday window's name.
    public var limitReason: String
}

public struct AftersalesWeek: Sendable, Equatable {
    public var weekStart: Instant
    public var refundOnlyCount = 0, returnRefundCount = 0
    public var refundOnlyHours = 0.0, returnRefundHours = 0.0
    public var excluded = 0, excludedHoliday = 0, excludedEpidemic = 0
    public var disputes = 0, refundsApplied = 0
    public var pendingPlatformRefresh = false
    public var refundOnlyAvgHours: Double? { refundOnlyCount == 0 ? nil : refundOnlyHours / Double(refundOnlyCount) }
    public var returnRefundAvgHours: Double? { returnRefundCount == 0 ? nil : returnRefundHours / Double(returnRefundCount) }
    public var disputeRate: Double? { refundsApplied == 0 ? nil : Double(disputes) / Double(refundsApplied) }
}

/// One after-sales row as the drill-down lists it, with why its figures came out as they did.
public struct AftersalesRow: Sendable, Equatable {
    public var refundId: String
    public var orderId: String
    public var kind: RefundKind
    public var appliedAt: Instant
    public var state: String
    /// "normal", a holiday window's name, "epidemic: AREA", "intervened", "exchange: no deadline".
    public var note: String
}

public struct AftersalesReport: Sendable {
    public var open: [AftersalesStage] = []
    public var weeks: [AftersalesWeek] = []
    /// The refunds judged otherwise than normally (note other than "normal"), by application
    /// time and refund id.
    public var rows: [AftersalesRow] = []
    public init() {}
}

public struct ViolationRow: Sendable, Equatable {
    public var violationId: String
    public var rule: String
    public var status: String
    public var subject: String
    public var notifiedAt: Instant
    public var points: Int
    public var measures: [String]
    public var unknownMeasures: [String]
    public var appealsUsed: Int
    public var appealsLeft: Int
    public var appealable: Bool
    public var notAppealableReason: String?
    public var exemptionApplicable: Bool
    public var appealDeadline: Instant
    public var locallyFiled: Bool
}

public struct PointsRow: Sendable, Equatable {
    public var year: Int
    public var rule: String
    public var points: Int
}

/// One appeal as the local journal holds it (rules.md §5, "Filing an appeal").
public struct AppealEntry: Sendable, Equatable, Codable {
    public var violationId: String
    public var attempt: Int
    public var filedAt: Instant
    public var reason: String
    public var statement: String
    public var evidence: [String]
    public var operatorName: String

    public init(violationId: String, attempt: Int, filedAt: Instant, reason: String, statement: String, evidence: [String], operatorName: String) {
        self.violationId = violationId; self.attempt = attempt; self.filedAt = filedAt; self.reason = reason
        self.statement = statement; self.evidence = evidence; self.operatorName = operatorName
    }
}

public struct ReportRow: Sendable, Equatable {
    public var userId: String
    public var year: Int
    public var successes: Int
    public var ban: String
    public var banUntil: Instant?
    public var shops: Int
    /// The ban the next successful report would bring (nil at the top of the ladder).
    public var nextStep: String?
}

public struct CouponRow: Sendable, Equatable {
    public var activityId: String
    public var name: String?
    public var couponType: String
    public var issueAt: Instant
    public var livePlan: String?
    public var status: String?
    public var threshold: Int64
    public var faceValue: Int64
    public var applicableProducts: Int
    public var applicableIds: [String]
    public var warnings: [String]
    /// Products that do not qualify, with why (drill-down). For a large catalogue only
    /// `notApplicableSummary` (counts by reason) is given and `applicableIds` holds examples.
    public var notApplicable: [(productId: String, why: String)] = []
    public var notApplicableSummary: String? = nil

    public static func == (a: CouponRow, b: CouponRow) -> Bool {
        a.activityId == b.activityId && a.issueAt == b.issueAt && a.applicableIds == b.applicableIds && a.warnings == b.warnings
    }
}

public struct CopyFinding: Sendable, Equatable {
    public var productId: String
    public var productName: String
    public var terms: [String]
    public var norm: Int
    public var normTitle: String
    /// "product" or "script".
    public var source: String
}

public struct TrustPurchase: Sendable, Equatable {
    public var on = 0
    public var off = 0
    public var benefits: [String] = []
    public init(on: Int = 0, off: Int = 0, benefits: [String] = []) { self.on = on; self.off = off; self.benefits = benefits }
}

public struct LoadSummary: Sendable {
    public var files: [FileLoad] = []
    public var errors: [LoadError] = []
    public var warnings: [LoadError] = []
    public var skippedFiles: [String] = []
    public var seconds: Double = 0
    public var bytes: Int = 0
    public var orderRows: Int = 0
    public init() {}
    public init(files: [FileLoad], errors: [LoadError], warnings: [LoadError], skippedFiles: [String], seconds: Double, bytes: Int, orderRows: Int) {
        self.files = files; self.errors = errors; self.warnings = warnings; self.skippedFiles = skippedFiles
        self.seconds = seconds; self.bytes = bytes; self.orderRows = orderRows
    }
}
