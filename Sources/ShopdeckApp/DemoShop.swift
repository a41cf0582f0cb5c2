import Foundation
import ShopdeckModel

/// Writes a realistic demo shop: about six weeks of orders up to `anchor` (late, at-risk,
/// protected and delay-report-needed ones among them), refunds in every stage, violations to
/// appeal, timed coupons, products with copy findings, customer reports, epidemic
/// adjustments, a live script and `shopdeck.toml`. Same seed and anchor -> same bytes.
public struct DemoShop {
    public var seed: UInt64
    public var anchor: Instant
    public var ordersPerWeek: Int

    public init(seed: UInt64 = 7, anchor: Instant, ordersPerWeek: Int = 3400) {
        self.seed = seed; self.anchor = anchor; self.ordersPerWeek = ordersPerWeek
    }

    /// SplitMix64: small, fast, deterministic everywhere.
    public struct RNG {
        public var state: UInt64
        public init(state: UInt64) { self.state = state }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        public mutating func chance(_ p: Double) -> Bool { unit() < p }
        public mutating func pick<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }
    }

    public static let places = ["浙江省/杭州市/余杭区", "广东省/广州市/白云区", "广东省/深圳市/南山区", "江苏省/苏州市/吴中区",
                         "上海市/上海市/浦东新区", "北京市/北京市/朝阳区", "四川省/成都市/武侯区", "湖北省/武汉市/洪山区",
                         "湖南省/长沙市/岳麓区", "河南省/郑州市/金水区", "陕西省/西安市/雁塔区", "吉林省/长春市/朝阳区",
                         "广西壮族自治区/南宁市/青秀区", "新疆维吾尔自治区/乌鲁木齐市/天山区", "山东省/青岛市/黄岛区"]
    static let home = "浙江省/金华市/义乌市"
    static let secondWarehouse = "广东省/广州市/白云区"
    public static let products: [(String, String, Int64, Int64, String, Bool)] = [
        // id, title, price (fen), commission (fen), source, trust purchase
        ("680000000101", "加绒连帽卫衣 男女同款", 12900, 0, "自建", true),
        ("680000000102", "纯棉短袖T恤 三件装", 5900, 0, "自建", true),
        ("680000000103", "316不锈钢保温杯 大容量", 8900, 0, "自建", false),
        ("680000000104", "全网第一 顶级补水面膜10片", 9900, 0, "自建", false),
        ("680000000105", "大牌平替 哑光口红", 7900, 2500, "好物联盟", false),
        ("680000000106", "官方旗舰店 电动牙刷", 19900, 4000, "好物联盟", true),
        ("680000000107", "祛痘 美白精华 临床验证", 15900, 5000, "好物联盟", false),
        ("680000000108", "零食大礼包 每日坚果", 6900, 800, "好物联盟", true),
        ("680000000109", "洗眼液 天天用 儿童可用", 3900, 0, "自建", false),
        ("680000000110", "空气炸锅 家用 4.5L", 29900, 0, "自建", true),
        ("680000000111", "床上四件套 \"ins风\" 纯棉", 25900, 0, "自建", false),
        ("680000000112", "明前龙井茶叶礼盒, 送礼佳品", 39900, 9000, "好物联盟", true),
    ]

    /// Writes every file into `folder` (created if needed). Returns the file names written.
    @discardableResult
    public func write(to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/scripts", withIntermediateDirectories: true)
        var rng = RNG(state: seed)
        let hour: Int64 = 3600, day: Int64 = 86_400
        let T = anchor
        let thisWeek = CST.weekStart(T)
        let start = thisWeek - 5 * CST.week
        var written: [String] = []

        // Orders.
        var rows: [[String]] = []
        let header = ["订单号", "订单支付时间", "预售/承诺发货时间", "承诺发货时效", "订单状态", "发货时间", "揽收时间", "关闭时间",
                      "发货地", "收货地区", "商品ID", "商品名称", "实付款", "闪电购", "延迟发货报备", "报备后承诺发货时间", "官方活动"]
        let total = ordersPerWeek * 6
        let span = T - start
        for i in 0..<total {
            // Paid times spread over the six weeks, denser in the evening.
            var paid = start + Int64(rng.unit() * Double(span))
            let hourOfDay = Int((paid + CST.offset) % day / hour)
            if hourOfDay < 8 && rng.chance(0.6) { paid += 12 * hour }
            if paid > T { paid = T - Int64(rng.int(60...7200)) }
            let ph = rng.unit() < 0.62 ? 24 : (rng.unit() < 0.75 ? 48 : rng.pick([72, 120, 168]))
            let promised = paid + Int64(ph) * hour
            let flash = rng.chance(0.04)
            let p = rng.pick(DemoShop.products)
            var shipTo = rng.pick(DemoShop.places)
            var shipFrom = rng.chance(0.55) ? DemoShop.home : DemoShop.secondWarehouse
            var shipped: Instant = .absent, picked: Instant = .absent, closed: Instant = .absent
            var status = "待发货"
            var delayReported = false
            var delayed: Instant = .absent
            let u = rng.unit()
            let shipDelay = Int64(Double(ph) * 3600 * (0.15 + 0.7 * rng.unit() * rng.unit()))
            if u < 0.025 {
                // cancelled before shipping
                closed = paid + Int64(rng.int(600...(20 * 3600)))
                status = "已关闭"
            } else if u < 0.04 {
                // shipped late
                shipped = promised + Int64(rng.int(1800...(30 * 3600)))
            } else {
                shipped = paid + shipDelay
            }
            if shipped != .absent {
                if shipped > T { shipped = .absent } else {
                    status = shipped + 3 * day < T ? "交易成功" : "已发货"
                    picked = shipped + Int64(rng.int(1800...(rng.chance(0.03) ? 40 * 3600 : 8 * 3600)))
                    if picked > T || rng.chance(0.02) { picked = .absent }
                }
            }
            if closed != .absent && closed > T { closed = .absent; status = "待发货" }
            // A few orders forgotten in the warehouse.
            if rng.chance(0.002) && promised < T { shipped = .absent; picked = .absent; closed = .absent; status = "待发货" }
            if status == "待发货" && shipped == .absent && closed == .absent && promised < T && rng.chance(0.35) {
                delayReported = true
                delayed = promised + 3 * day
            }
            // A few orders sold without a freight template: no ship-from (seed 001).
            if i % 97 == 0 { shipFrom = "" }
            if i == 5 { shipTo = "上海市/上海市/浦东新区" }
            rows.append([String(format: "23%010d%05d", 11_000_000 + i * 7, i % 100_000), CST.format(paid), CST.format(promised), "\(ph)小时", status,
                         fmt(shipped), fmt(picked), fmt(closed), shipFrom, shipTo, p.0, p.1, money(p.2), flash ? "是" : "否",
                         delayReported ? "是" : "否", fmt(delayed), rng.chance(0.03) ? "双11狂欢节" : ""])
        }
        // Hand-placed cases, relative to the anchor, so every list has something in it.
        func add(_ id: String, paid: Instant, ph: Int, status: String = "待发货", shipped: Instant = .absent, shipFrom: String = DemoShop.home,
                 shipTo: String = "浙江省/杭州市/余杭区", product: Int = 0, delayed: Instant = .absent) {
            let p = DemoShop.products[product]
            rows.append([id, CST.format(paid), CST.format(paid + Int64(ph) * hour), "\(ph)小时", status, fmt(shipped), "", "", shipFrom, shipTo,
                         p.0, p.1, money(p.2), "否", delayed != .absent ? "是" : "否", fmt(delayed), ""])
        }
        add("2300000000000000001", paid: T - 22 * hour, ph: 24, product: 0)                           // at risk, 2 h left
        add("2300000000000000002", paid: T - 17 * hour, ph: 24, product: 1)                           // at risk, 7 h left
        add("2300000000000000003", paid: T - 38 * hour, ph: 48, shipTo: "北京市/北京市/朝阳区", product: 2) // at risk, 10 h left
        add("2300000000000000004", paid: T - 30 * hour, ph: 24, shipFrom: DemoShop.secondWarehouse, product: 3)                           // late by 6 h
        add("2300000000000000005", paid: T - 50 * hour, ph: 48, shipFrom: DemoShop.secondWarehouse, shipTo: "广东省/深圳市/南山区", product: 4) // late by 2 h
        add("2300000000000000006", paid: T - 20 * hour, ph: 24, shipTo: "上海市/上海市/浦东新区", product: 5) // protected (Shanghai window)
        add("2300000000000000007", paid: T - 30 * hour, ph: 24, shipFrom: DemoShop.secondWarehouse, shipTo: "上海市/上海市/闵行区", product: 6)   // protected, past due: not late
        add("2300000000000000008", paid: T - 10 * hour, ph: 24, shipFrom: "", product: 7)              // delay report needed
        add("2300000000000000009", paid: T - 40 * hour, ph: 24, product: 8, delayed: T + 20 * hour)    // approved delay: not late
        // The last two days' orders come as the backend's own .xlsx export (two sheets, its
        // Chinese headers, money as ¥ text, split address columns, a title row above the
        // header, real date cells in one sheet and text times in the other).
        let cut = T - 2 * day
        let recent = rows.prefix(total).filter { row in
            if case .value(let paid) = CST.parse(row[1]) { return paid >= cut }
            return false
        }
        let recentIds = Set(recent.map { $0[0] })
        try writeCSV(folder + "/orders_export.csv", header: header, rows: rows.filter { !recentIds.contains($0[0]) }, bom: true)
        written.append("orders_export.csv")
        try writeBackendWorkbook(folder + "/订单导出_近两日.xlsx", recent)
        written.append("订单导出_近两日.xlsx")

        // Epidemic / assessment adjustments (seeds 001, 004).
        try writeCSV(folder + "/adjustments.csv", header: ["地区", "范围", "开始时间", "结束时间", "发布时间", "来源"], rows: [
            ["上海市", "物流", CST.format(CST.dayStart(T) - 2 * day), CST.format(CST.dayStart(T) + 5 * day - 1), CST.format(CST.dayStart(T) - 2 * day), "中通快递停发公告"],
            ["浙江省/金华市", "物流", CST.format(CST.dayStart(T) - 1 * day), CST.format(CST.dayStart(T) + 3 * day - 1), CST.format(CST.dayStart(T) - 1 * day), "韵达快递停发公告"],
            ["吉林省/长春市", "售后", CST.format(thisWeek - 2 * CST.week), CST.format(thisWeek - CST.week - 1), CST.format(thisWeek - 2 * CST.week), "平台公告"],
        ], bom: false)
        written.append("adjustments.csv")

        // After-sales, written in GB18030 as Excel on a Chinese Windows would.
        var refunds: [[String]] = []
        let rh = ["售后单号", "订单编号", "售后类型", "售后申请时间", "商家处理时间", "商家处理结果", "同意退货时间", "买家退货时间",
                  "退货签收时间", "完结时间", "售后状态", "平台介入", "商责纠纷", "退货地址"]
        for i in 0..<260 {
            let order = rows[rng.int(0...(rows.count - 10))]
            let applied = start + Int64(rng.unit() * Double(T - start - 3600))
            let kind = rng.unit() < 0.55 ? "仅退款" : (rng.unit() < 0.9 ? "退货退款" : "换货")
            let handled = applied + Int64(rng.int(600...(30 * 3600)))
            var r = ["RF" + String(700_000 + i), order[0], kind, CST.format(applied), "", "", "", "", "", "", "处理中", "否", rng.chance(0.05) ? "是" : "否", DemoShop.home]
            if handled <= T { r[4] = CST.format(handled); r[5] = "同意" }
            if kind == "仅退款" {
                let done = handled + Int64(rng.int(60...7200))
                if done <= T && handled <= T { r[9] = CST.format(done); r[10] = "退款成功" }
            } else if kind == "退货退款", handled <= T {
                r[6] = CST.format(handled)
                let back = handled + Int64(rng.int(3600...(6 * 86_400)))
                if back <= T {
                    r[7] = CST.format(back)
                    let recv = back + Int64(rng.int(86_400...(4 * 86_400)))
                    if recv <= T { r[8] = CST.format(recv); r[9] = CST.format(recv + 3600); r[10] = "退款成功" }
                }
            } else if handled <= T, rng.chance(0.5) { r[9] = CST.format(handled + 7200); r[10] = "已完结" }
            if rng.chance(0.03) { r[11] = "是" }
            refunds.append(r)
        }
        // Every open stage, with a breached one.
        refunds.append(["RF800001", rows[10][0], "仅退款", CST.format(T - 20 * hour), "", "", "", "", "", "", "处理中", "否", "否", DemoShop.home])
        refunds.append(["RF800002", rows[11][0], "退货退款", CST.format(T - 50 * hour), "", "", "", "", "", "", "处理中", "否", "是", DemoShop.home])
        refunds.append(["RF800003", rows[12][0], "退货退款", CST.format(T - 4 * day), CST.format(T - 3 * day), "同意", CST.format(T - 3 * day), "", "", "", "处理中", "否", "否", DemoShop.home])
        refunds.append(["RF800004", rows[13][0], "退货退款", CST.format(T - 9 * day), CST.format(T - 8 * day), "同意", CST.format(T - 8 * day), CST.format(T - 6 * day - 20 * hour), "", "", "处理中", "否", "否", DemoShop.home])
        refunds.append(["RF800005", rows[14][0], "换货", CST.format(T - 2 * day), "", "", "", "", "", "", "处理中", "否", "否", DemoShop.home])
        try writeCSV(folder + "/售后_导出.csv", header: rh, rows: refunds, bom: false, gb18030: true)
        written.append("售后_导出.csv")

        // Violations.
        let vh = ["违规编号", "通知时间", "违规类型", "处罚对象", "扣分", "处理措施", "状态", "申诉次数", "申诉截止时间"]
        let vrows: [[String]] = [
            ["WG2023001", CST.format(thisWeek + 2 * hour), "超时未发货", "商家", "2", "警告；扣分", "待处理", "0", CST.format(T + 5 * day)],
            ["WG2023002", CST.format(T - 3 * day), "虚假发货", "商家", "4", "下架违规商品、限制流量", "申诉驳回", "1", CST.format(T + 2 * day)],
            ["WG2023003", CST.format(T - 6 * day), "描述不符", "带货达人", "2", "暂停使用购物车功能", "待处理", "0", CST.format(T + 4 * day)],
            ["WG2023004", CST.format(T - 12 * day), "超时未发货", "商家", "2", "警告", "申诉驳回", "2", CST.format(T + 1 * day)],
            ["WG2023005", CST.format(T - 20 * day), "违规宣传", "商家", "6", "下架全部商品;禁言;冻结货款", "已生效", "0", ""],
            ["WG2023006", CST.format(T - 9 * day), "售后超时", "商家", "1", "学习", "待处理", "0", CST.format(T - 1 * day)],
            ["WG2023007", CST.format(T - 2 * day), "违规宣传", "商家", "3", "违规短视频减少推荐", "申诉中", "1", CST.format(T + 3 * day)],
            ["WG2023008", CST.format(T - 30 * day), "超时未发货", "商家", "2", "警告", "申诉成功", "1", ""],
        ]
        try writeCSV(folder + "/violations.csv", header: vh, rows: vrows, bom: true)
        written.append("violations.csv")

        // Timed coupons.
        let ch = ["活动ID", "活动名称", "券类型", "使用条件金额", "优惠券面额", "发放时间", "发放数量", "直播计划", "活动状态"]
        let evening = CST.dayStart(T) + 20 * hour + (T - CST.dayStart(T) >= 20 * hour ? day : 0)
        let crows: [[String]] = [
            ["DQ1001", "开播福利券", "店铺满减券", "99", "10", CST.format(evening), "500", "晚八点专场", "未开始"],
            ["DQ1002", "开播福利券加码", "店铺满减券", "199", "30", CST.format(evening + 40), "200", "晚八点专场", "未开始"],
            ["DQ1003", "主播专享券", "主播满减券", "59", "30", CST.format(evening + 30 * 60), "300", "晚八点专场", "未开始"],
            ["DQ1004", "主播大额券", "主播满减券", "50", "60", CST.format(evening + 3600), "50", "晚八点专场", "未开始"],
            ["DQ1005", "午间秒杀券", "店铺满减券", "49", "5", CST.format(T - 2 * hour), "100", "午间场", "未开始"],
            ["DQ1006", "明日早场券", "店铺满减券", "129", "15", CST.format(evening + 13 * hour), "300", "早场", "未开始"],
        ]
        try writeCSV(folder + "/定时优惠.csv", header: ch, rows: crows, bom: true)
        written.append("定时优惠.csv")

        // Products.
        let prows = DemoShop.products.map { p in [p.0, p.1, money(p.2), money(p.3), p.4, "个护", "", p.5 ? "是" : "否"] }
        try writeCSV(folder + "/products.csv", header: ["商品ID", "商品名称", "商品金额", "佣金金额", "商品来源", "类目", "官方活动", "信任购"], rows: prows, bom: false)
        written.append("products.csv")

        // Customer-service reports.
        let year = CST.year(T)
        var rrows: [[String]] = []
        for (i, u) in ["U10001", "U10001", "U10001", "U20002", "U30003", "U30003"].enumerated() {
            rrows.append(["JB\(9000 + i)", u, CST.format(T - Int64(60 - i * 9) * day / 2), "成功", "S1"])
        }
        rrows.append(["JB9100", "U40004", CST.format(CST.yearStart(year) - 10 * day), "成功", "S1"])
        rrows.append(["JB9101", "U40004", CST.format(T - 1 * day), "失败", "S1"])
        for (i, s) in ["S1", "S2", "S3", "S4", "S5"].enumerated() {
            rrows.append(["JB92\(i)", "U50005", CST.format(T - Int64(10 - i) * day), "成功", s])
        }
        try writeCSV(folder + "/reports.csv", header: ["举报编号", "用户ID", "举报时间", "举报结果", "店铺ID"], rows: rrows, bom: false)
        written.append("reports.csv")

        try "欢迎来到直播间！今天这款面膜是全网销量第一，国家级品质，效果顶级。\n姐妹们，这是大牌平替，用了就能美白祛斑。\n".write(toFile: folder + "/scripts/live-evening.txt", atomically: true, encoding: .utf8)
        written.append("scripts/live-evening.txt")

        try """
        # shopdeck demo shop
        [shop]
        name = "义乌小橙家居旗舰店（演示）"
        id = "S1"
        default_ship_from = "\(DemoShop.home)"
        professional_anchor = true
        authorised_brands = ["小橙"]
        operator = "运营-小王"
        risk_horizon_hours = 12
        """.write(toFile: folder + "/shopdeck.toml", atomically: true, encoding: .utf8)
        written.append("shopdeck.toml")
        return written
    }

    /// The backend's order export layout (订单管理 › 批量导出), split over two sheets.
    func writeBackendWorkbook(_ path: String, _ rows: [[String]]) throws {
        let header = ["订单号", "订单创建时间", "订单支付时间", "订单状态", "实付款", "售后状态", "预售/承诺发货时间", "商品名称", "商品ID",
                      "渠道", "收货地址-省", "收货地址-市", "收货地址-区", "发货时间", "快递公司", "快递单号", "发货地"]
        func status(_ s: String) -> String { s == "已关闭" ? "交易关闭" : s }
        func t(_ s: String) -> Instant? { if case .value(let v) = CST.parse(s) { return v }; return nil }
        func sheetRows(_ part: ArraySlice<[String]>, dates: Bool) -> [[XLSXWriter.Value]] {
            part.map { r in
                let to = r[9].split(separator: "/").map(String.init) + ["", "", ""]
                func time(_ s: String) -> XLSXWriter.Value {
                    guard let v = t(s) else { return .text("-") }
                    return dates ? .date(v) : .text(s)
                }
                let amount = Int64((Double(r[12]) ?? 0) * 100)
                return [.text(r[0]), time(CST.format((t(r[1]) ?? 0) - 60)), time(r[1]), .text(status(r[4])),
                        .text(amount >= 100_000 ? String(format: "¥%d,%03d.%02d", amount / 100_000, amount / 100 % 1000, amount % 100) : String(format: "¥%d.%02d", amount / 100, amount % 100)),
                        .text("—"), time(r[2]), .text(r[11]), .text(r[10]), .text("自营"), .text(to[0]), .text(to[1]), .text(to[2]),
                        time(r[5]), .text(r[5].isEmpty ? "-" : "中通快递"), .text(r[5].isEmpty ? "-" : "7589\(r[0].suffix(8))"), .text(r[8])]
            }
        }
        let half = rows.count / 2
        let titled = [[XLSXWriter.Value.text("快手小店 订单导出（演示）")], [.text("导出时间 \(CST.format(anchor))")]] + [header.map { .text($0) }] + sheetRows(rows[..<half], dates: true)
        let plain = [header.map { XLSXWriter.Value.text($0) }] + sheetRows(rows[half...], dates: false)
        try XLSXWriter.write([XLSXWriter.Sheet(name: "订单1", rows: titled), XLSXWriter.Sheet(name: "订单2", rows: plain, sharedStrings: false)], to: path)
    }

    func fmt(_ t: Instant) -> String { t == .absent ? "" : CST.format(t) }
    func money(_ fen: Int64) -> String { String(format: "%d.%02d", fen / 100, fen % 100) }

    /// RFC 4180 writer: a field is quoted when it holds a comma, a quote or a line break.
    func writeCSV(_ path: String, header: [String], rows: [[String]], bom: Bool, gb18030: Bool = false) throws {
        var text = ""
        text.reserveCapacity(rows.count * 160)
        for row in [header] + rows {
            text += row.map(DemoShop.quote).joined(separator: ",")
            text += "\r\n"
        }
        var bytes: [UInt8]
        if gb18030 {
            guard let b = TextEncoding.encodeGB18030(text) else { throw CocoaError(.fileWriteInapplicableStringEncoding) }
            bytes = b
        } else {
            bytes = (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    public static func quote(_ s: String) -> String {
        if s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
