import Foundation
import ShopdeckModel
import ShopdeckRules

/// The events an operator is alerted to (terminal-ui.md, Alerts), taken from a report. An
/// event is identified by its kind, the row's id and the deadline it concerns: the same
/// order going late twice (a new deadline after a delay report) is two events.
public struct AlertEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case orderAtRisk = "order_at_risk", orderLate = "order_late"
        case aftersalesAtRisk = "aftersales_at_risk", aftersalesBreached = "aftersales_breached"
        case exemptionMarginZero = "exemption_margin_zero"
        case violationAppealable = "violation_appealable", appealDeadlineSoon = "appeal_deadline_soon"
    }
    public var kind: Kind
    public var shop: String
    public var id: String
    public var deadline: Instant?
    public var hoursLeft: Double?
    public var message: String

    /// What makes it this event and no other (the sent-record's key).
    public var key: String { "\(kind.rawValue)|\(id)|\(deadline.map(CST.format) ?? "")" }
}

public enum Alerts {
    /// Hours before an appeal deadline that raise `appeal_deadline_soon`.
    public static let appealDeadlineHours = 24.0

    /// Every event true of `r` now, for the shop named `shop`.
    public static func events(_ r: Report, shop: String) -> [AlertEvent] {
        var out: [AlertEvent] = []
        func hours(_ h: Double) -> String { h >= 1 ? String(format: "%.1f 小时", h) : String(format: "%.0f 分钟", max(0, h * 60)) }
        for o in r.shipping.atRisk {
            out.append(AlertEvent(kind: .orderAtRisk, shop: shop, id: o.orderId, deadline: o.deadline, hoursLeft: o.hoursLeft,
                                  message: "【\(shop)】订单 \(o.orderId) 将于 \(CST.format(o.deadline)) 超时未发货（还剩 \(hours(o.hoursLeft))）"))
        }
        for o in r.shipping.lateUnshipped {
            out.append(AlertEvent(kind: .orderLate, shop: shop, id: o.orderId, deadline: o.deadline, hoursLeft: o.hoursLeft,
                                  message: "【\(shop)】订单 \(o.orderId) 已超时未发货（承诺发货时间 \(CST.format(o.deadline))）"))
        }
        for s in r.aftersales.open {
            let id = s.refundId + ":" + s.stage
            let stage = ["merchant_handling": "商家处理", "buyer_return": "买家退货", "auto_receipt": "自动收货"][s.stage] ?? s.stage
            if s.breached {
                out.append(AlertEvent(kind: .aftersalesBreached, shop: shop, id: id, deadline: s.deadline, hoursLeft: s.hoursLeft,
                                      message: "【\(shop)】售后 \(s.refundId)（\(stage)）已超时（时限 \(CST.format(s.deadline))）"))
            } else if s.hoursLeft <= r.riskHorizonHours {
                out.append(AlertEvent(kind: .aftersalesAtRisk, shop: shop, id: id, deadline: s.deadline, hoursLeft: s.hoursLeft,
                                      message: "【\(shop)】售后 \(s.refundId)（\(stage)）将于 \(CST.format(s.deadline)) 到期（还剩 \(hours(s.hoursLeft))）"))
            }
        }
        // This week's exemption margin reaching zero, at the current pace (exemption.forecast).
        let e = r.exemption, f = e.forecast
        if e.inForce, f.paidOrders != nil {
            let weekEnd = e.currentWeek + CST.week - 1
            var criteria: [(String, String)] = []
            if let spare = f.lateOrdersToSpare, spare == 0 { criteria.append(("on_time_rate", "及时发货率已无余量：本周再有订单超时即低于门槛")) }
            if let share = f.spotShare, share <= e.thresholds.minSpotShare { criteria.append(("spot_share", "承诺现货订单占比未达门槛")) }
            if let need = f.paidOrdersNeeded, need > 0 { criteria.append(("paid_orders", "按当前节奏本周支付订单数不足（还差 \(need) 单）")) }
            for (c, text) in criteria {
                out.append(AlertEvent(kind: .exemptionMarginZero, shop: shop, id: c + "@" + CST.formatDate(e.currentWeek), deadline: weekEnd,
                                      hoursLeft: Double(weekEnd - r.asOf) / 3600, message: "【\(shop)】高现货豁免：\(text)"))
            }
        }
        for v in r.violations where v.appealable {
            let deadline: Instant? = v.appealDeadline == .absent ? nil : v.appealDeadline
            let left = deadline.map { Double($0 - r.asOf) / 3600 }
            out.append(AlertEvent(kind: .violationAppealable, shop: shop, id: v.violationId, deadline: deadline, hoursLeft: left,
                                  message: "【\(shop)】违规 \(v.violationId)（\(v.rule)）可申诉，剩余申诉次数 \(v.appealsLeft)"
                                    + (deadline.map { "，截止 \(CST.format($0))" } ?? "")))
            if let d = deadline, let h = left, h >= 0, h <= appealDeadlineHours {
                out.append(AlertEvent(kind: .appealDeadlineSoon, shop: shop, id: v.violationId, deadline: d, hoursLeft: h,
                                      message: "【\(shop)】违规 \(v.violationId) 的申诉将于 \(CST.format(d)) 截止（还剩 \(hours(h))）"))
            }
        }
        return out
    }
}
