@testable import ShopdeckApp
@testable import ShopdeckModel
@testable import ShopdeckRules
import ShopdeckScreen

/// A report made by hand (never loaded from files): every pane and table has rows, and a
/// snapshot of a screen changes only when the screen does.
enum HandMade {
    static func t(_ s: String) -> Instant {
        guard case .value(let v) = CST.parse(s) else { fatalError("bad time \(s)") }
        return v
    }

    /// Monday 2026-12-07 10:00 CST.
    static let now = t("2026-12-07 10:00:00")

    static func report() -> Report {
        var r = Report(asOf: now, rulebook: "kuaishou-2023.02")
        func week(_ d: String, paid: Int, spot: Int, due: Int, onTime: Int) -> ShippingWeek {
            var w = ShippingWeek(weekStart: t(d + " 00:00:00"))
            w.paidOrders = paid; w.spotOrders = spot; w.dueOrders = due; w.onTimeOrders = onTime
            w.pickupChecked = due; w.pickupAnomalies = due / 40
            return w
        }
        r.shipping.weeks = [week("2026-11-16", paid: 3912, spot: 3401, due: 3850, onTime: 3790),
                            week("2026-11-23", paid: 4025, spot: 3513, due: 3911, onTime: 3850),
                            week("2026-11-30", paid: 3991, spot: 3508, due: 3534, onTime: 3456),
                            week("2026-12-07", paid: 222, spot: 204, due: 80, onTime: 77)]
        func order(_ id: String, _ deadline: String, _ product: String, _ to: String) -> OrderRef {
            let d = t(deadline)
            return OrderRef(orderId: id, deadline: d, hoursLeft: Double(d - now) / 3600, productName: product, shipTo: to)
        }
        r.shipping.lateUnshipped = [order("2300000000000000004", "2026-12-07 04:00:00", "加绒连帽卫衣 男女同款 秋冬加厚", "广东省/深圳市/南山区"),
                                    order("23001112679818114", "2026-12-07 08:29:00", "零食大礼包 每日坚果", "新疆维吾尔自治区/乌鲁木齐市/天山区")]
        r.shipping.atRisk = [order("23001104166405952", "2026-12-07 10:41:00", "空气炸锅 家用 4.5L", "浙江省/杭州市/西湖区"),
                             order("2300000000000000001", "2026-12-07 13:00:00", "纯棉短袖T恤 三件装", "上海市/上海市/浦东新区"),
                             order("23001107060910087", "2026-12-07 20:38:00", "明前龙井茶叶礼盒", "山东省/青岛市/市南区")]
        r.shipping.delayReportNeeded = [order("2300000000000000008", "2026-12-08 12:00:00", "洗眼液 天天用", "湖北省/武汉市/洪山区")]
        r.shipping.protected = [order("23001100000000001", "2026-12-06 12:00:00", "大牌平替 哑光口红", "吉林省/长春市/朝阳区")]

        var e = ExemptionReport()
        e.currentWeek = t("2026-12-07 00:00:00"); e.evaluatedWeek = t("2026-11-30 00:00:00")
        e.inForce = true; e.eligible = true; e.paidOrders = 3991; e.spotShare = 3508.0 / 3991; e.onTimeRate = 3456.0 / 3534
        e.tokenUsedBy = nil
        e.thresholds = .init(minPaidOrders: 3000, minSpotShare: 0.7, minOnTimeRate: 0.97)
        e.forecast = .init(paidOrders: 3911, spotShare: 204.0 / 222, onTimeRate: 77.0 / 80, eligible: false, lateOrdersToSpare: 0, paidOrdersNeeded: 0)
        r.exemption = e

        func stage(_ id: String, _ stage: String, _ kind: RefundKind, _ deadline: String, limit: Double, holiday: Bool = false) -> AftersalesStage {
            let d = t(deadline)
            return AftersalesStage(refundId: id, orderId: "2300110000000" + id.suffix(4), kind: kind, stage: stage, start: d - Int64(limit * 3600), deadline: d,
                                   hoursLeft: Double(d - now) / 3600, breached: d < now, holidayAdjusted: holiday, limitHours: limit, limitReason: holiday ? "春节" : "normal")
        }
        r.aftersales.open = [stage("RF800002", "merchant_handling", .returnRefund, "2026-12-07 08:00:00", limit: 48),
                             stage("RF800004", "auto_receipt", .returnRefund, "2026-12-07 14:00:00", limit: 168),
                             stage("RF800001", "merchant_handling", .refundOnly, "2026-12-08 14:00:00", limit: 48),
                             stage("RF700031", "buyer_return", .returnRefund, "2026-12-09 20:00:00", limit: 168, holiday: true)]
        var aw = AftersalesWeek(weekStart: t("2026-12-07 00:00:00"))
        aw.refundOnlyCount = 4; aw.refundOnlyHours = 8; aw.returnRefundCount = 2; aw.returnRefundHours = 281.6; aw.refundsApplied = 40; aw.disputes = 1
        var lw = AftersalesWeek(weekStart: t("2026-11-30 00:00:00"))
        lw.refundOnlyCount = 10; lw.refundOnlyHours = 176; lw.returnRefundCount = 5; lw.returnRefundHours = 704
        r.aftersales.weeks = [lw, aw]
        r.aftersales.rows = [AftersalesRow(refundId: "RF600010", orderId: "23001100000000010", kind: .exchange, appliedAt: t("2026-12-05 09:00:00"),
                                           state: "换货中", note: "exchange: no deadline")]

        func violation(_ id: String, _ rule: String, _ status: String, pts: Int, used: Int, left: Int, appealable: Bool, why: String?,
                       notified: String, deadline: String?, exempt: Bool = false) -> ViolationRow {
            ViolationRow(violationId: id, rule: rule, status: status, subject: "商家", notifiedAt: t(notified), points: pts, measures: ["警告", "扣分"],
                         unknownMeasures: [], appealsUsed: used, appealsLeft: left, appealable: appealable, notAppealableReason: why,
                         exemptionApplicable: exempt, appealDeadline: deadline.map(t) ?? .absent, locallyFiled: false)
        }
        r.violations = [violation("WG2023008", "超时未发货", "申诉成功", pts: 2, used: 1, left: 1, appealable: false, why: "resolved", notified: "2026-11-07 10:00:00", deadline: nil),
                        violation("WG2023004", "超时未发货", "申诉驳回", pts: 2, used: 2, left: 0, appealable: false, why: "limit_reached", notified: "2026-11-25 10:00:00", deadline: nil),
                        violation("WG2023003", "描述不符", "待处理", pts: 2, used: 0, left: 2, appealable: true, why: nil, notified: "2026-12-01 10:00:00", deadline: "2026-12-11 10:00:00"),
                        violation("WG2023001", "超时未发货", "待处理", pts: 2, used: 0, left: 2, appealable: true, why: nil, notified: "2026-12-07 02:00:00",
                                  deadline: "2026-12-12 10:00:00", exempt: true)]
        r.points = [PointsRow(year: 2026, rule: "超时未发货", points: 6), PointsRow(year: 2026, rule: "描述不符", points: 2)]
        r.exemption.tokenUsedBy = nil

        var c1 = CouponRow(activityId: "DQ1001", name: "开播福利券", couponType: "店铺满减券", issueAt: t("2026-12-07 20:00:00"), livePlan: "晚八点专场", status: "待发放",
                           threshold: 9900, faceValue: 1000, applicableProducts: 4, applicableIds: ["680000000101", "680000000102", "680000000103", "680000000104"],
                           warnings: ["schedule_clash"])
        c1.notApplicableSummary = "price below threshold: 2; 好物联盟 product, not the shop's own: 5"
        let c2 = CouponRow(activityId: "DQ1002", name: "开播福利券加码", couponType: "店铺满减券", issueAt: t("2026-12-07 20:00:00"), livePlan: "晚八点专场", status: "待发放",
                           threshold: 19900, faceValue: 2000, applicableProducts: 2, applicableIds: ["680000000101", "680000000102"], warnings: ["schedule_clash"])
        let c3 = CouponRow(activityId: "DQ1006", name: "明日早场券", couponType: "主播满减券", issueAt: t("2026-12-08 09:00:00"), livePlan: "早场", status: "待发放",
                           threshold: 4900, faceValue: 500, applicableProducts: 3, applicableIds: ["680000000105", "680000000106", "680000000107"], warnings: [])
        r.coupons = [c1, c2, c3]
        r.couponMinIOS = "9.7.10"; r.couponMinAndroid = "9.6.50"
        r.reports = [ReportRow(userId: "U10001", year: 2026, successes: 3, ban: "30d", banUntil: t("2026-12-16 10:00:00"), shops: 1, nextStep: "permanent_shop"),
                     ReportRow(userId: "U50005", year: 2026, successes: 5, ban: "permanent_platform", banUntil: nil, shops: 5, nextStep: nil)]
        r.copyFindings = [CopyFinding(productId: "680000000104", productName: "全网第一 顶级补水面膜10片", terms: ["第一", "顶级"], norm: 1, normTitle: "绝对化用语", source: "product"),
                          CopyFinding(productId: "680000000109", productName: "洗眼液 天天用 儿童可用", terms: ["天天用", "儿童可用"], norm: 13, normTitle: "洗眼液宣传", source: "product")]
        r.trustPurchase = TrustPurchase(on: 6, off: 6, benefits: ["退货运费险", "极速退款"])
        // The engine's own wording (RowSinks), shown by the screens in words.
        r.load = LoadSummary(files: [], errors: [
            LoadError(file: "orders_export.csv", line: 1207, column: 9, reason: "promised_ship_at (承诺发货时间): cannot read 'abc' as a time; accepted: \(RowSink.timeFormats)"),
            LoadError(file: "orders_export.csv", line: 1533, column: 1, reason: "order_id (订单号): the id '2.5E+15' \(Cell.scientificIdReason)"),
        ], warnings: [LoadError(file: "violations.csv", line: 4, column: 7, reason: "appeal_deadline: cannot read '下周' as a time; read as absent")],
           skippedFiles: [], seconds: 0.64, bytes: 2_400_000, orderRows: 20_000)
        r.riskHorizonHours = 12
        return r
    }

    static func state(lang: Lang, live: Bool = true) -> AppState {
        var s = AppState(report: report(), folder: "/srv/exports/shopA", now: now, fixedAsOf: live ? nil : now)
        s.shopName = "义乌小橙家居旗舰店"
        s.appealReasons = ["已按时发货", "不可抗力（疫情等）", "物流原因", "平台误判", "其他"]
        s.operatorName = "运营-小王"
        s.lastReload = now
        s.lang = lang
        s.themeNames = ["default", "high-contrast", "light", "monochrome"]
        return s
    }
}
