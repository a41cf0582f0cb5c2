import Foundation
import ShopdeckModel

/// Writes large order exports for the benchmark, streaming (a 5M-row file never sits in
/// memory): the demo shop's regions and goods, canonical headers, CST times, RFC 4180
/// quoting, about 250 bytes an order like the shared benchmark's generator.
public enum BenchData {
    public static let header = "order_id,paid_at,promise_hours,promised_ship_at,flash_sale,status,shipped_at,picked_up_at,closed_at,ship_from,ship_to,product_id,product_name,amount,delay_reported\n"

    /// Writes `rows` orders paid over the 12 weeks before `asOf` (`first` numbers the ids).
    public static func write(path: String, rows: Int, asOf: Instant, seed: UInt64 = 1, first: Int = 0, append: Bool = false) throws {
        var rng = DemoShop.RNG(state: seed &+ UInt64(first))
        guard let out = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil
        }() else { throw CocoaError(.fileWriteUnknown) }
        defer { try? out.close() }
        if append { out.seekToEndOfFile() } else { out.truncateFile(atOffset: 0); out.write(Data(header.utf8)) }
        let span: Int64 = 12 * CST.week
        let start = asOf - span
        let products = DemoShop.products
        let places = DemoShop.places
        var buf = ""
        buf.reserveCapacity(1 << 22)
        for i in first..<(first + rows) {
            let paid = start + Int64(rng.unit() * Double(span))
            let ph = rng.unit() < 0.55 ? 24 : rng.unit() < 0.66 ? 48 : [72, 120, 168][rng.int(0...2)]
            let promised = paid + Int64(ph) * 3600
            let u = rng.unit()
            var shipped: Instant = .absent, picked: Instant = .absent, closed: Instant = .absent
            var status = "待发货"
            if u < 0.03 { closed = paid + Int64(rng.int(60...20_000)); status = "已关闭" }
            else {
                shipped = u < 0.06 ? promised + Int64(rng.int(1...30_000)) : paid + Int64(Double(ph * 3600) * rng.unit() * 0.8)
                if shipped > asOf { shipped = .absent } else {
                    status = shipped + 3 * CST.day < asOf ? "已签收" : "已发货"
                    picked = shipped + Int64(rng.int(3600...28_800))
                    if picked > asOf || rng.chance(0.05) { picked = .absent }
                }
            }
            if closed != .absent && closed > asOf { closed = .absent; status = "待发货" }
            let p = products[rng.int(0...(products.count - 1))]
            let line = [String(format: "B%018d", i), CST.format(paid), "\(ph)", CST.format(promised), rng.chance(0.05) ? "是" : "否", status,
                        t(shipped), t(picked), t(closed), places[rng.int(0...7)], places[rng.int(0...(places.count - 1))], p.0,
                        DemoShop.quote(p.1), String(format: "%d.%02d", p.2 / 100, p.2 % 100), rng.chance(0.01) ? "是" : "否"].joined(separator: ",")
            buf += line; buf += "\n"
            if buf.utf8.count > (1 << 22) - 400 { out.write(Data(buf.utf8)); buf.removeAll(keepingCapacity: true) }
        }
        out.write(Data(buf.utf8))
    }

    static func t(_ x: Instant) -> String { x == .absent ? "" : CST.format(x) }
}

extension BenchData {
    /// The other tables of a big shop (issue 18): after-sales, products, waybills, violations,
    /// coupons and reports, `n` rows each, streamed like the orders.
    public static func writeTable(_ kind: TableKind, path: String, rows n: Int, asOf: Instant, orders: Int) throws {
        var rng = DemoShop.RNG(state: 7 &+ UInt64(n))
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? out.close() }
        let start = asOf - 12 * CST.week
        func when() -> Instant { start + Int64(rng.unit() * Double(12 * CST.week)) }
        func order() -> String { String(format: "B%018d", rng.int(0...max(0, orders - 1))) }
        var buf = ""
        func emit(_ s: String) { buf += s; buf += "\n"; if buf.utf8.count > 1 << 22 { out.write(Data(buf.utf8)); buf.removeAll(keepingCapacity: true) } }
        let words = ["补水面膜", "洗眼液", "龙井茶叶", "第一", "顶级", "礼盒", "临床验证", "官方", "日常使用", "平替", "保湿", "清洁"]
        switch kind {
        case .aftersales:
            emit("售后单号,订单编号,售后类型,申请时间,商家处理时间,商家处理结果,完结时间,售后状态,退货地址")
            for i in 0..<n {
                let t = when()
                // A fifth not handled yet: open stages for the rules to judge.
                let handled = rng.chance(0.8)
                emit("RF\(i),\(order()),\(["仅退款", "退货退款", "换货"][rng.int(0...2)]),\(CST.format(t)),\(handled ? CST.format(t + 3600) : ""),\(handled ? "同意" : ""),\(handled && rng.chance(0.7) ? CST.format(t + 7200) : ""),\(handled && rng.chance(0.7) ? "已完结" : "处理中"),\(DemoShop.places[rng.int(0...(DemoShop.places.count - 1))])")
            }
        case .products:
            emit("product_id,product_name,price,commission,source")
            for i in 0..<n {
                let name = (0..<3).map { _ in words[rng.int(0...(words.count - 1))] }.joined() + "\(i % 997)"
                emit("P\(i),\(name),\(rng.int(100...50_000) / 100).\(rng.int(0...99)),\(rng.int(0...5_000) / 100),\(rng.chance(0.3) ? "好物联盟" : "自建")")
            }
        case .waybills:
            emit("订单编号,快递单号,揽收时间")
            for i in 0..<n { emit("\(order()),SF\(i),\(rng.chance(0.9) ? CST.format(when()) : "")") }
        case .violations:
            emit("violation_id,notified_at,rule,status,points,appeal_deadline")
            for i in 0..<n { let t = when(); emit("V\(i),\(CST.format(t)),超时未发货,\(["待处理", "申诉中", "已生效"][rng.int(0...2)]),\(rng.int(0...6)),\(CST.format(t + 7 * CST.day))") }
        case .coupons:
            emit("activity_id,coupon_type,threshold,face_value,issue_at,live_plan")
            for i in 0..<n { emit("C\(i),\(rng.chance(0.5) ? "主播满减券" : "店铺满减券"),\(rng.int(1...600)),\(rng.int(1...60)),\(CST.format(asOf + Int64(rng.int(0...604_800)))),plan\(i % 20)") }
        case .reports:
            emit("report_id,user_id,reported_at,result")
            for i in 0..<n { emit("R\(i),U\(rng.int(0...2000)),\(CST.format(when())),\(["成功", "失败", "处理中"][rng.int(0...2)])") }
        default: break
        }
        out.write(Data(buf.utf8))
    }
}
