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
            FileManager.default.createFile(atPath: path, contents: nil); return FileHandle(forWritingAtPath: path)
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
