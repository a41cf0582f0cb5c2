import ShopdeckModel

/// The report as report-json.md fixes it. Keys of the contract keep their names and order;
/// extra keys come after them.
public extension Report {
    func json() -> JSON {
        let t = { @Sendable (x: Instant) -> JSON in .string(CST.format(x)) }
        let d = { @Sendable (x: Instant) -> JSON in .string(CST.formatDate(x)) }
        let ids = { (l: [OrderRef]) -> JSON in .each(l) { .string($0.orderId) } }
        let shippingJSON: JSON = .object([
            ("weeks", .array(shipping.weeks.map { w in .object([
                ("week_start", d(w.weekStart)),
                ("paid_orders", .int(w.paidOrders)), ("spot_orders", .int(w.spotOrders)), ("spot_share", .opt(w.spotShare)),
                ("due_orders", .int(w.dueOrders)), ("on_time_orders", .int(w.onTimeOrders)), ("on_time_rate", .opt(w.onTimeRate)),
                ("excluded_orders", .int(w.excludedOrders)),
                ("pickup_checked", .int(w.pickupChecked)), ("pickup_anomalies", .int(w.pickupAnomalies)),
                ("pickup_anomaly_rate", .opt(w.pickupAnomalyRate)),
                ("pending_platform_refresh", .bool(w.pendingPlatformRefresh)),
            ]) })),
            ("at_risk", .array(shipping.atRisk.map { .object([("order_id", .string($0.orderId)), ("deadline", t($0.deadline)), ("hours_left", .double($0.hoursLeft))]) })),
            ("late_unshipped", ids(shipping.lateUnshipped)),
            ("protected", ids(shipping.protected)),
            ("delay_report_needed", ids(shipping.delayReportNeeded)),
        ])
        let e = exemption
        let margins = { (m: ExemptionReport.Margins) -> JSON in .object([
            ("paid_orders_needed", .int(m.paidOrdersNeeded)), ("spot_share_points_needed", .double(m.spotSharePointsNeeded)),
            ("spot_orders_needed", .int(m.spotOrdersNeeded)), ("on_time_orders_needed", .int(m.onTimeOrdersNeeded)),
        ]) }
        let exemptionJSON: JSON = .object([
            ("current_week", d(e.currentWeek)), ("evaluated_week", d(e.evaluatedWeek)),
            ("in_force", .bool(e.inForce)), ("eligible", .bool(e.eligible)),
            ("paid_orders", .int(e.paidOrders)), ("spot_share", .opt(e.spotShare)), ("on_time_rate", .opt(e.onTimeRate)),
            ("failed", .array(e.failed.map(JSON.string))),
            ("token_used_by", .opt(e.tokenUsedBy)),
            ("margins", margins(e.margins)),
            ("current_week_so_far", .object([
                ("paid_orders", .int(e.projectionPaid)), ("spot_share", .opt(e.projectionSpotShare)),
                ("on_time_rate", .opt(e.projectionOnTimeRate)), ("margins", margins(e.projection)),
            ])),
            ("forecast", .object([
                ("paid_orders", e.forecast.paidOrders.map(JSON.int) ?? .null), ("spot_share", .opt(e.forecast.spotShare)),
                ("on_time_rate", .opt(e.forecast.onTimeRate)), ("eligible", e.forecast.eligible.map(JSON.bool) ?? .null),
                ("late_orders_to_spare", e.forecast.lateOrdersToSpare.map(JSON.int) ?? .null),
                ("paid_orders_needed", e.forecast.paidOrdersNeeded.map(JSON.int) ?? .null),
            ])),
            ("thresholds", .object([
                ("min_paid_orders", .int(e.thresholds.minPaidOrders)), ("min_spot_share", .double(e.thresholds.minSpotShare)),
                ("min_on_time_rate", .double(e.thresholds.minOnTimeRate)),
            ])),
            ("note", .string("only the 超时未发货 penalty is waived; the shopping-experience score and compensation for delayed orders still apply")),
        ])
        let aftersalesJSON: JSON = .object([
            ("open", .each(aftersales.open) { s in .object([
                ("refund_id", .string(s.refundId)), ("stage", .string(s.stage)), ("deadline", t(s.deadline)),
                ("hours_left", .double(s.hoursLeft)), ("breached", .bool(s.breached)), ("holiday_adjusted", .bool(s.holidayAdjusted)),
                ("order_id", .string(s.orderId)), ("kind", .string(s.kind.rawValue)), ("limit_hours", .double(s.limitHours)),
            ]) }),
            ("weeks", .array(aftersales.weeks.map { w in .object([
                ("week_start", d(w.weekStart)),
                ("refund_only_count", .int(w.refundOnlyCount)), ("refund_only_avg_hours", .opt(w.refundOnlyAvgHours)),
                ("return_refund_count", .int(w.returnRefundCount)), ("return_refund_avg_hours", .opt(w.returnRefundAvgHours)),
                ("excluded", .int(w.excluded)), ("disputes", .int(w.disputes)), ("refunds_applied", .int(w.refundsApplied)),
                ("dispute_rate", .opt(w.disputeRate)),
                ("excluded_holiday", .int(w.excludedHoliday)), ("excluded_epidemic", .int(w.excludedEpidemic)),
                ("pending_platform_refresh", .bool(w.pendingPlatformRefresh)),
            ]) })),
        ])
        let violationsJSON: JSON = .each(violations) { v in .object([
            ("violation_id", .string(v.violationId)), ("rule", .string(v.rule)), ("status", .string(v.status)),
            ("points", .int(v.points)), ("measures", .array(v.measures.map(JSON.string))),
            ("unknown_measures", .array(v.unknownMeasures.map(JSON.string))),
            ("appeals_used", .int(v.appealsUsed)), ("appeals_left", .int(v.appealsLeft)), ("appealable", .bool(v.appealable)),
            ("not_appealable_reason", .opt(v.notAppealableReason)), ("exemption_applicable", .bool(v.exemptionApplicable)),
            ("notified_at", t(v.notifiedAt)), ("subject", .string(v.subject)), ("locally_filed", .bool(v.locallyFiled)),
        ]) }
        let appealsJSON: JSON = .array(appeals.map { a in .object([
            ("violation_id", .string(a.violationId)), ("attempt", .int(a.attempt)), ("filed_at", t(a.filedAt)),
            ("reason", .string(a.reason)), ("statement", .string(a.statement)), ("evidence", .array(a.evidence.map(JSON.string))),
            ("operator", .string(a.operatorName)),
        ]) })
        let reportsJSON: JSON = .each(reports) { r in .object([
            ("user_id", .string(r.userId)), ("year", .int(r.year)), ("successes", .int(r.successes)), ("ban", .string(r.ban)),
            ("ban_until", r.banUntil.map(t) ?? .null), ("shops", .int(r.shops)), ("next_step", .opt(r.nextStep)),
        ]) }
        let couponsJSON: JSON = .array(coupons.map { c in .object([
            ("activity_id", .string(c.activityId)), ("issue_at", t(c.issueAt)), ("applicable_products", .int(c.applicableProducts)),
            ("warnings", .array(c.warnings.map(JSON.string))),
            ("coupon_type", .string(c.couponType)), ("live_plan", .opt(c.livePlan)),
        ]) })
        // The longest list of a big shop (230k findings): written field by field, no tree.
        let copyJSON: JSON = .written(copyFindings) { f, fields, out in
            fields.string("product_id", f.productId, &out); fields.strings("terms", f.terms, &out)
            fields.int("norm", f.norm, &out); fields.string("source", f.source, &out)
        }
        // A broken export has an error a row (millions, for a hostile file): written field by
        // field, no tree.
        let loadError: @Sendable (LoadError, inout FieldWriter, inout JSONBytes) -> Void = { e, fields, out in
            fields.string("file", e.file, &out); fields.int("line", e.line, &out)
            fields.string("reason", e.reason, &out); fields.int("column", e.column, &out)
        }
        let loadJSON: JSON = .object([
            ("files", .array(load.files.map { f in .object([
                ("path", .string(f.path)), ("table", .string(f.table.rawValue)), ("rows", .int(f.rows)),
                ("bad_rows", .int(f.badRows)), ("encoding", .string(f.encoding.rawValue)),
            ]) })),
            ("errors", .written(load.errors, loadError)),
            ("warnings", .written(load.warnings, loadError)),
        ])
        return .object([
            ("as_of", t(asOf)),
            ("rulebook", .string(rulebook)),
            ("shipping", shippingJSON),
            ("exemption", exemptionJSON),
            ("aftersales", aftersalesJSON),
            ("violations", violationsJSON),
            ("appeals", appealsJSON),
            ("reports", reportsJSON),
            ("coupons", couponsJSON),
            ("copy_findings", copyJSON),
            ("trust_purchase", .object([("on", .int(trustPurchase.on)), ("off", .int(trustPurchase.off))])),
            ("points", .array(points.map { .object([("year", .int($0.year)), ("rule", .string($0.rule)), ("points", .int($0.points))]) })),
            ("load", loadJSON),
        ])
    }
}
