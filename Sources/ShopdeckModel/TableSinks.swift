import Foundation

/// The small tables: one typed struct a row, merged later by id. Each sink resolves its
/// columns once, when the file's header is known.
class TableSink<Row: FileRow>: RowSink {
    var out: [Row] = []

    override final func shiftLines(by: Int) {
        guard by != 0 else { return }
        for i in out.indices { out[i].line += by }
    }

    override final func reserve(_ rows: Int) { out.reserveCapacity(rows) }
}

/// After-sales rows straight into their columns (`RefundsTable`): no `String` a cell.
final class RefundSink: RowSink {
    var table = RefundsTable()
    var addresses = RegionPool()
    /// For each of `addresses`' regions, its number in `table` (a region hashed once a file,
    /// not once a row).
    private var addressNumbers: [Int32] = []
    /// By position in `RowSink.refundDecision`: that decision's number in `table` (-1: not yet).
    private var decisionNumbers = [Int32](repeating: -1, count: RowSink.refundDecision.values.count)
    private var fileNumber: Int32 = -1
    var warnedSynthetic = false
    let cRefundId, cOrderId, cKind, cApplied, cHandled, cDecision, cAgreed, cShipped, cReceived, cCompleted, cStatus, cIntervened, cDispute, cAddress: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cRefundId = c("refund_id"); cOrderId = c("order_id"); cKind = c("kind"); cApplied = c("applied_at")
        cHandled = c("handled_at"); cDecision = c("decision"); cAgreed = c("return_agreed_at"); cShipped = c("return_shipped_at")
        cReceived = c("return_received_at"); cCompleted = c("completed_at"); cStatus = c("status")
        cIntervened = c("platform_intervened"); cDispute = c("merchant_dispute"); cAddress = c("return_address")
        super.init(file: file, map: map, kind: kind)
    }

    override func shiftLines(by: Int) { table.shiftLines(by: by) }
    override func reserve(_ rows: Int) { table.reserve(rows) }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        if map.syntheticRefundIds && !warnedSynthetic {
            warnedSynthetic = true
            warnings.append(LoadError(file: file, reason: "an older after-sales export without 售后单号: each row's id is ORDER_ID@APPLIED_AT (order id and application time)"))
        }
        guard let givenId = map.syntheticRefundIds ? UnsafeRawBufferPointer(start: nil, count: 0) : requiredIdBytes(rec, buf, cRefundId),
              let order = requiredIdBytes(rec, buf, cOrderId) else { return }
        guard let kindText = present(rec, buf, cKind.index) else { fail(rec, cKind, "required cell is empty"); return }
        guard let kind = RefundKind.parse(kindText) else {
            fail(rec, cKind, "unknown after-sales kind \(show(kindText)); accepted: 仅退款, 退货退款, 换货 (handlingWay 10, 1, 3)"); return
        }
        guard let applied = requiredTime(rec, buf, cApplied) else { return }
        // Cells in column order as before (a warning's order is the one pass's).
        let handled = optionalTime(rec, buf, cHandled)
        var decision: Int32 = -1
        if let k = optionalChoiceIndex(rec, buf, cDecision, RowSink.refundDecision, what: "merchant decision") {
            if decisionNumbers[k] < 0 { decisionNumbers[k] = table.decisions.number(RowSink.refundDecision.values[k]) }
            decision = decisionNumbers[k]
        }
        let agreed = optionalTime(rec, buf, cAgreed), shipped = optionalTime(rec, buf, cShipped)
        let received = optionalTime(rec, buf, cReceived), completed = optionalTime(rec, buf, cCompleted)
        let statusText = present(rec, buf, cStatus.index)
        guard let st = RefundStatus.parse(statusText) else {
            fail(rec, cStatus, "unknown after-sales status \(statusText.map(show) ?? "''"); accepted: 处理中/售后处理中, 已完结/退款成功/售后成功, 已关闭/售后关闭/售后失败/退款失败, or open-platform codes"); return
        }
        let intervened = optionalBool(rec, buf, cIntervened) || RefundStatus.meansIntervened(statusText)
        let dispute = optionalBool(rec, buf, cDispute)
        // Return addresses repeat: each distinct text is parsed once (interned by its bytes).
        var address: Int32 = -1
        if let col = cAddress.index {
            let idx = Int(addresses.intern(cell(rec, buf, col)))
            if idx >= 0 {
                while addressNumbers.count <= idx { addressNumbers.append(table.addressNumber(addresses.regions[addressNumbers.count])) }
                address = addressNumbers[idx]
            }
        }
        if fileNumber < 0 { fileNumber = table.files.number(file) }
        func add(_ id: UnsafeRawBufferPointer) {
            table.append(refundId: id, orderId: order, kind: kind, appliedAt: applied, handledAt: handled, decisionNumber: decision,
                         returnAgreedAt: agreed, returnShippedAt: shipped, returnReceivedAt: received, completedAt: completed,
                         status: st, platformIntervened: intervened, merchantDispute: dispute, addressNumber: address,
                         line: rec.line, fileNumber: fileNumber)
        }
        if map.syntheticRefundIds {
            (String(decoding: order, as: UTF8.self) + "@" + CST.format(applied)).withBytes(add)
        } else {
            add(givenId)
        }
        rows += 1
    }
}

final class ViolationSink: TableSink<Violation> {
    let cId, cNotified, cRule, cStatus, cSubject, cPoints, cMeasures, cUsed, cDeadline: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cId = c("violation_id"); cNotified = c("notified_at"); cRule = c("rule"); cStatus = c("status"); cSubject = c("subject")
        cPoints = c("points"); cMeasures = c("measures"); cUsed = c("appeals_used"); cDeadline = c("appeal_deadline")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let id = requiredText(rec, buf, cId, id: true),
              let notified = requiredTime(rec, buf, cNotified),
              let rule = requiredText(rec, buf, cRule),
              let status = requiredChoice(rec, buf, cStatus, RowSink.violationStatus, what: "violation status") else { return }
        var v = Violation(violationId: id, notifiedAt: notified, rule: rule, status: status)
        if let s = optionalChoice(rec, buf, cSubject, RowSink.violationSubject, what: "penalised party") { v.subject = s }
        if let c = cPoints.index {
            switch Cell.integer(cell(rec, buf, c)) {
            case .value(let p): v.points = p
            case .absent: break
            case .invalid: fail(rec, cPoints, "cannot read \(show(cell(rec, buf, c))) as whole points from 0 to 1,000,000,000"); return
            }
        }
        if let m = optionalText(rec, buf, cMeasures) {
            v.measures = m.split(whereSeparator: { ";；、,，".contains($0) })
                .map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        }
        v.appealsUsed = optionalInt(rec, buf, cUsed) ?? 0
        v.appealDeadline = optionalTime(rec, buf, cDeadline)
        v.line = rec.line; v.file = file
        out.append(v); rows += 1
    }
}

final class CouponSink: TableSink<Coupon> {
    let cId, cType, cThreshold, cFace, cIssue, cName, cQuantity, cLivePlan, cStatus: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cId = c("activity_id"); cType = c("coupon_type"); cThreshold = c("threshold"); cFace = c("face_value"); cIssue = c("issue_at")
        cName = c("name"); cQuantity = c("quantity"); cLivePlan = c("live_plan"); cStatus = c("status")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let id = requiredText(rec, buf, cId, id: true),
              let type = requiredChoice(rec, buf, cType, RowSink.couponType, what: "coupon type"),
              let threshold = requiredMoney(rec, buf, cThreshold),
              let face = requiredMoney(rec, buf, cFace),
              let issue = requiredTime(rec, buf, cIssue) else { return }
        var c = Coupon(activityId: id, couponType: type, threshold: threshold, faceValue: face, issueAt: issue)
        c.name = optionalText(rec, buf, cName)
        c.quantity = optionalInt(rec, buf, cQuantity)
        c.livePlan = optionalText(rec, buf, cLivePlan)
        c.status = optionalChoice(rec, buf, cStatus, RowSink.couponStatus, what: "activity status")
        c.line = rec.line; c.file = file
        out.append(c); rows += 1
    }
}

/// Products straight into their columns (`ProductsTable`): no `String` a cell.
final class ProductSink: RowSink {
    var table = ProductsTable()
    private var fileNumber: Int32 = -1
    /// By position in `RowSink.productSource`: that source's number in `table` (-1: not yet).
    private var sourceNumbers = [Int32](repeating: -1, count: RowSink.productSource.values.count)
    let cId, cName, cPrice, cCommission, cSource, cCategory, cEvent, cTrust: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cId = c("product_id"); cName = c("product_name"); cPrice = c("price"); cCommission = c("commission")
        cSource = c("source"); cCategory = c("category"); cEvent = c("official_event"); cTrust = c("trust_purchase")
        super.init(file: file, map: map, kind: kind)
    }

    override func shiftLines(by: Int) { table.shiftLines(by: by) }
    override func reserve(_ rows: Int) { table.reserve(rows) }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let id = requiredIdBytes(rec, buf, cId),
              let name = requiredTextBytes(rec, buf, cName),
              let price = requiredMoney(rec, buf, cPrice) else { return }
        // Cells in column order as before (a warning's order is the one pass's).
        let commission = optionalMoney(rec, buf, cCommission) ?? 0
        // An absent or unknown source is the shop's own (data-formats.md "products").
        let source = optionalChoiceIndex(rec, buf, cSource, RowSink.productSource, what: "product source") ?? RowSink.ownProductSource
        if sourceNumbers[source] < 0 { sourceNumbers[source] = table.sources.number(RowSink.productSource.values[source]) }
        if fileNumber < 0 { fileNumber = table.files.number(file) }
        table.append(productId: id, name: name, price: price, commission: commission, sourceNumber: sourceNumbers[source],
                     category: present(rec, buf, cCategory.index), officialEvent: present(rec, buf, cEvent.index),
                     trustPurchase: optionalBool(rec, buf, cTrust), line: rec.line, fileNumber: fileNumber)
        rows += 1
    }
}

final class ReportSink: TableSink<CustomerReport> {
    let cId, cUser, cAt, cResult, cShop: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cId = c("report_id"); cUser = c("user_id"); cAt = c("reported_at"); cResult = c("result"); cShop = c("shop_id")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let id = requiredText(rec, buf, cId, id: true),
              let user = requiredText(rec, buf, cUser, id: true),
              let at = requiredTime(rec, buf, cAt),
              let result = requiredChoice(rec, buf, cResult, RowSink.reportResult, what: "report result") else { return }
        var r = CustomerReport(reportId: id, userId: user, reportedAt: at, result: result)
        r.shopId = optionalId(rec, buf, cShop)
        r.line = rec.line; r.file = file
        out.append(r); rows += 1
    }
}

final class AdjustmentSink: TableSink<Adjustment> {
    let cArea, cScope, cStart, cEnd, cPublished, cSource: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        func c(_ n: String) -> Col { Col(map, n) }
        cArea = c("area"); cScope = c("scope"); cStart = c("start"); cEnd = c("end"); cPublished = c("published_at"); cSource = c("source")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let areaText = requiredText(rec, buf, cArea),
              let scopeText = requiredText(rec, buf, cScope) else { return }
        guard let scope = AdjustmentScope.parse(scopeText) else {
            fail(rec, cScope, "unknown scope '\(scopeText)'; accepted: 物流 (logistics), 售后 (after-sales)"); return
        }
        guard let start = requiredTime(rec, buf, cStart), let end = requiredTime(rec, buf, cEnd) else { return }
        let published = optionalTime(rec, buf, cPublished)
        var a = Adjustment(area: Region.parse(areaText), areaText: areaText, scope: scope, start: start, end: end,
                           publishedAt: published == .absent ? start : published)
        a.source = optionalText(rec, buf, cSource)
        a.line = rec.line; a.file = file
        out.append(a); rows += 1
    }
}

/// Waybills: the courier's pickup scans (data-formats.md "waybills").
final class WaybillSink: TableSink<Waybill> {
    let cOrder, cPicked, cWaybill: Col

    override init(file: String, map: HeaderMap, kind: TableKind) {
        cOrder = Col(map, "order_id"); cPicked = Col(map, "picked_up_at"); cWaybill = Col(map, "waybill_no")
        super.init(file: file, map: map, kind: kind)
    }

    override func accept(_ rec: CSVRecord, _ buf: UnsafeRawBufferPointer) {
        guard let order = requiredText(rec, buf, cOrder, id: true) else { return }
        let b = cell(rec, buf, cPicked.index)
        let picked: Instant
        switch CST.parse(b) {
        case .value(let t): picked = t
        case .absent: picked = .absent // no pickup scan yet
        case .invalid: fail(rec, cPicked, "cannot read \(show(b)) as a time; accepted: \(RowSink.timeFormats)"); return
        }
        out.append(Waybill(orderId: order, waybillNo: optionalId(rec, buf, cWaybill), pickedUpAt: picked, line: rec.line, file: file))
        rows += 1
    }
}

/// The accepted values of the columns that list them (`Enumerations`), ready for byte
/// comparison.
extension RowSink {
    static let violationStatus = Choices(Enumerations.violationStatus)
    static let violationSubject = Choices(Enumerations.violationSubject)
    static let couponType = Choices(Enumerations.couponType)
    static let couponStatus = Choices(Enumerations.couponStatus)
    static let productSource = Choices(Enumerations.productSource)
    /// The position of 自建 (the shop's own goods) in `productSource`.
    static let ownProductSource = Enumerations.productSource.firstIndex(of: "自建")!
    static let reportResult = Choices(Enumerations.reportResult)
    static let refundDecision = Choices(Enumerations.refundDecision)
}
