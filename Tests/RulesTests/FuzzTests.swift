import Foundation
import Testing
import ZIPFoundation
import ShopdeckModel
@testable import ShopdeckRules

/// The fuzzing harness (issue 12): mutated exports of every kind — CSV of every table, xlsx
/// workbooks (their sheet XML and their zip bytes), shopdeck.toml and rules files — go through
/// the loader and the engine in-process. A case passes when nothing traps or hangs and the
/// report serialises to valid JSON with no raw control bytes.
///
/// `swift test` runs `FuzzHarness.defaultCases` cases from a fixed seed. A longer run:
/// `SHOPDECK_FUZZ_CASES=200000 SHOPDECK_FUZZ_SEED=7 swift test --filter Fuzz`. Each case is
/// written to `$TMPDIR/shopdeck-fuzz-SEED/case` before it runs, so the folder of a case that
/// crashes the process is left behind (a run that passes removes the folder); every such crash
/// becomes a test in `HostileInputTests`.
@Suite("Fuzzing harness")
struct FuzzTests {
    @Test func mutatedExportsNeverCrashTheLoaderOrTheEngine() throws {
        let env = ProcessInfo.processInfo.environment
        let cases = env["SHOPDECK_FUZZ_CASES"].flatMap(Int.init) ?? FuzzHarness.defaultCases
        let seed = env["SHOPDECK_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_202
        var h = try FuzzHarness(seed: seed)
        var kinds: [String: Int] = [:]
        for n in 0..<cases {
            let kind = try h.runCase(n)
            kinds[kind, default: 0] += 1
        }
        try? FileManager.default.removeItem(atPath: h.root)
        // Every kind of input was exercised.
        #expect(Set(kinds.keys) == Set(FuzzHarness.kinds))
    }

    @Test func mutatorsChangeTheirInput() {
        var m = Mutator(seed: 1)
        let seed = Array(FuzzHarness.seedCSV["orders.csv"]!.utf8)
        for op in Mutator.Op.allCases {
            var changed = 0
            for _ in 0..<20 where m.apply(op, to: seed) != seed { changed += 1 }
            #expect(changed > 0, "mutator \(op) never changed its input")
        }
    }
}

/// SplitMix64: small, fast, reproducible.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
}

/// Byte-level and row-level mutations of an export.
struct Mutator {
    enum Op: CaseIterable { case bitFlips, splice, truncate, duplicateRows, deleteRows, extremeCell, randomBytes, shuffleLines }
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(state: seed) }

    /// Values that once trapped, hung or were misread somewhere, and their neighbours.
    static let hostile: [String] = [
        "100000000000000000", "-9223372036854775808", "9223372036854775807", "99999999999999999999天", "1e309", "-1e309",
        "NaN", "nan", "inf", "-inf", "-5", "0", "-0", "0001-01-01 00:00:00", "9999-12-31 23:59:59", "1969-12-31 23:59:59",
        "2100-01-01 00:00:00", "2.50306E+15", "3E+18", "\u{1B}]0;title\u{07}", "\u{1B}]52;c;aGk=\u{07}", "\u{1B}[2J", "\u{202E}abc",
        "\"", "\"\"", "", "=\"123\"", "'123", "\t123", "2025/3/6 15:43", "2025/3/6 9:05:07", "2025-13-40 25:61", "１２３",
        String(repeating: "长", count: 5000), "0x1F", "1,2,3", "\r", "\n", "处理中", "满减券", "成功了", "退款", "交易关闭",
        "99999999999999999999999999999999999999", "1.7976931348623157e308", "4.9e-324", "12.345.6", "¥", "￥-1", "8761", "0h",
    ]

    mutating func apply(_ op: Op, to b: [UInt8]) -> [UInt8] {
        var b = b
        switch op {
        case .bitFlips:
            guard !b.isEmpty else { return [0xFF] }
            for _ in 0...rng.below(8) { b[rng.below(b.count)] ^= UInt8(1 << rng.below(8)) }
        case .splice:
            let donor = Array(rng.pick(Array(FuzzHarness.seedCSV.values)).utf8)
            let from = rng.below(donor.count), len = rng.below(min(200, donor.count - from) + 1)
            let at = rng.below(b.count + 1)
            b.insert(contentsOf: donor[from..<(from + len)], at: at)
        case .truncate:
            b = Array(b.prefix(rng.below(b.count + 1)))
        case .duplicateRows, .deleteRows, .shuffleLines:
            var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            guard lines.count > 1 else { return b + [0x0A, 0x22] }
            let i = 1 + rng.below(lines.count - 1)
            if op == .duplicateRows { for _ in 0...rng.below(3) { lines.insert(lines[i], at: rng.below(lines.count + 1)) } }
            else if op == .deleteRows { lines.remove(at: i) }
            else { lines.swapAt(i, rng.below(lines.count)) }
            b = Array(lines.joined(separator: [0x0A]))
        case .extremeCell:
            // Replace one cell between separators with a hostile value.
            let seps = b.indices.filter { b[$0] == 0x2C || b[$0] == 0x0A || b[$0] == 0x09 || b[$0] == 0x3E || b[$0] == 0x3D }
            guard seps.count >= 2 else { return b + Array(rng.pick(Mutator.hostile).utf8) }
            let k = rng.below(seps.count - 1)
            var end = seps[k + 1]
            if b[seps[k]] == 0x3E, let close = b[(seps[k] + 1)...].firstIndex(of: 0x3C) { end = close } // inside <v>…</v>
            b.replaceSubrange((seps[k] + 1)..<end, with: Array(rng.pick(Mutator.hostile).utf8))
        case .randomBytes:
            let at = rng.below(b.count + 1)
            b.insert(contentsOf: (0...rng.below(16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        }
        return b
    }

    mutating func mutate(_ b: [UInt8]) -> [UInt8] {
        var out = b
        for _ in 0...rng.below(3) { out = apply(rng.pick(Op.allCases), to: out) }
        return out
    }
}

struct FuzzHarness {
    static let defaultCases = 1_500
    static let kinds = ["csv", "xlsx-xml", "xlsx-zip", "xlsx-encrypted", "toml", "rules", "mixed"]
    /// The encrypted workbook fixture (ModelTests/Fixtures/encrypted).
    static let encryptedFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelTests/Fixtures/encrypted/orders_482913.xlsx").path

    /// Small valid exports of every table: what the mutations start from.
    static let seedCSV: [String: String] = [
        "orders.csv": """
        order_id,paid_at,promise_hours,promised_ship_at,flash_sale,status,shipped_at,picked_up_at,closed_at,delayed_promise_at,ship_from,ship_to,product_id,product_name,amount,delay_reported
        O1,2023-02-27 10:00:00,24,2023-02-28 10:00:00,否,已发货,2023-02-27 20:00:00,2023-02-28 08:00:00,,,广东省/广州市/白云区,北京市/北京市/朝阳区,P1,洗眼液 第一,59.90,否
        O2,2023-03-01 10:00:00,48h,2023-03-03 10:00:00,是,待发货,,,,2023-03-04 10:00:00,浙江 杭州 余杭区,上海市/上海市/浦东新区,P2,面霜,"1,299.90",是
        O3,2023-03-02 10:00:00,3天,2023-03-05 10:00:00,否,交易关闭,,,2023-03-02 12:00:00,,,吉林省/长春市/朝阳区,P1,洗眼液,9.9,否
        O4,1677808800000,24,1677895200,0,30,,,,,,,,,,
        """,
        "aftersales.csv": """
        refund_id,order_id,kind,applied_at,handled_at,decision,return_agreed_at,return_shipped_at,return_received_at,completed_at,status,platform_intervened,merchant_dispute,return_address
        R1,O1,仅退款,2023-03-01 10:00:00,2023-03-01 12:00:00,同意,,,,2023-03-01 13:00:00,已完结,否,否,
        R2,O2,退货退款,2023-03-02 10:00:00,,,2023-03-02 11:00:00,2023-03-03 11:00:00,,,处理中,是,否,浙江省/杭州市
        R3,O3,3,2023-03-03 10:00:00,,,,,,,21,,,
        """,
        "violations.csv": """
        violation_id,notified_at,rule,subject,points,measures,status,appeals_used,appeal_deadline
        V1,2023-03-01 10:00:00,超时未发货,商家,2,"警告;扣分",待处理,0,2023-03-08 10:00:00
        V2,2023-03-02 10:00:00,虚假发货,带货达人,12,下架商品、禁言,申诉驳回,2,
        """,
        "coupons.csv": """
        activity_id,name,coupon_type,threshold,face_value,issue_at,quantity,live_plan,status
        C1,满100减10,店铺满减券,100,10,2023-03-06 20:00:00,100,晚场,未开始
        C2,主播券,主播满减券,50,50,2023-03-06 20:00:00,10,晚场,未开始
        """,
        "products.csv": """
        product_id,product_name,price,commission,source,category,official_event,trust_purchase
        P1,洗眼液 日常使用 第一,59.90,5,自建,个护,,是
        P2,美白面霜 临床验证,129,30,好物联盟,美妆,春节活动,否
        """,
        "reports.csv": """
        report_id,user_id,reported_at,result,shop_id
        RP1,U1,2023-01-05 10:00:00,成功,S1
        RP2,U1,2023-02-05 10:00:00,成功,S2
        RP3,U2,2023-02-05 10:00:00,处理中,
        """,
        "adjustments.csv": """
        area,scope,start,end,published_at,source
        吉林省/长春市,物流,2023-02-27 00:00:00,2023-03-05 23:59:59,2023-02-26 10:00:00,顺丰
        上海,售后,2023-03-01 00:00:00,2023-03-10 00:00:00,,
        """,
        "waybills.csv": """
        order_id,waybill_no,picked_up_at
        O1,SF1,2023-02-28 08:00:00
        O2,SF2,
        """,
    ]

    static let seedTOML = """
    [shop]
    name = "小店"
    id = "S1"
    default_ship_from = "浙江省/金华市/义乌市"
    professional_anchor = false
    authorised_brands = ["小橙"]
    risk_horizon_hours = 12
    export_passwords = ["123456"]

    [rules]
    exemption.min_paid_orders = 2
    shipping.pickup_hours = 24
    """

    static let seedRules = """
    [exemption]
    min_paid_orders = 1
    min_spot_share = 0.5
    [[holidays]]
    name = "x"
    start = "2023-02-01 00:00:00"
    end = "2023-03-01 00:00:00"
    """

    /// A workbook sheet: title row, header, rows with shared strings, dates and numbers.
    static let seedSheet = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>订单导出</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>订单号</t></is></c><c r="B2" t="inlineStr"><is><t>订单支付时间</t></is></c><c r="C2" t="inlineStr"><is><t>预售/承诺发货时间</t></is></c><c r="D2" t="inlineStr"><is><t>订单状态</t></is></c><c r="E2" t="inlineStr"><is><t>实付款</t></is></c></row><row r="3"><c r="A3"><v>3245001234567890</v></c><c r="B3" s="1"><v>44986.5</v></c><c r="C3" s="1"><v>44987.5</v></c><c r="D3" t="inlineStr"><is><t>待发货</t></is></c><c r="E3"><v>59.9</v></c></row><row r="4"><c r="A4" t="inlineStr"><is><t>O2</t></is></c><c r="B4" s="1"><v>44986.25</v></c><c r="C4" s="1"><v>44987.25</v></c><c r="D4" t="inlineStr"><is><t>已发货</t></is></c></row></sheetData></worksheet>
    """

    var m: Mutator
    let root: String
    let asOf = t("2023-03-06 10:00:00")
    let xlsxTemplate: [UInt8]

    init(seed: UInt64) throws {
        m = Mutator(seed: seed)
        root = NSTemporaryDirectory() + "shopdeck-fuzz-\(seed)"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let tpl = root + "/template.xlsx"
        try XLSXWriter.write([XLSXWriter.Sheet(name: "订单", rows: [[.text("x")]])], to: tpl)
        xlsxTemplate = Array(try Data(contentsOf: URL(fileURLWithPath: tpl)))
    }

    /// A workbook whose first sheet is `xml` (the template's other parts kept).
    func workbook(sheetXML xml: [UInt8], at path: String) throws {
        try Data(xlsxTemplate).write(to: URL(fileURLWithPath: path))
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .update)
        if let old = archive["xl/worksheets/sheet1.xml"] { try archive.remove(old) }
        let data = Data(xml)
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, size in
            data.subdata(in: Int(pos)..<Int(pos) + size)
        }
    }

    /// Runs case `n`; returns its kind.
    mutating func runCase(_ n: Int) throws -> String {
        let dir = root + "/case"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func write(_ name: String, _ b: [UInt8]) throws { try Data(b).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        let kind = Self.kinds[n % Self.kinds.count]
        var rulesText: String? = nil
        switch kind {
        case "csv":
            let (name, text) = m.rng.pick(Self.seedCSV.sorted { $0.key < $1.key })
            let useTab = m.rng.below(5) == 0
            let body = useTab ? Array(text.utf8).map { $0 == 0x2C ? 0x09 : $0 } : Array(text.utf8)
            try write(useTab ? name.replacingOccurrences(of: ".csv", with: ".tsv") : name, m.mutate(body))
        case "xlsx-xml":
            try workbook(sheetXML: m.mutate(Array(Self.seedSheet.utf8)), at: dir + "/订单导出.xlsx")
        case "xlsx-zip":
            try workbook(sheetXML: Array(Self.seedSheet.utf8), at: dir + "/orders.xlsx")
            let zipped = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/orders.xlsx")))
            try write("orders.xlsx", m.apply(m.rng.pick([.bitFlips, .truncate, .randomBytes, .bitFlips]), to: zipped))
        case "xlsx-encrypted":
            // Named so that no password is tried: the compound file and EncryptionInfo are
            // parsed, no key is derived.
            let b = Array(try Data(contentsOf: URL(fileURLWithPath: Self.encryptedFixture)))
            try write("o.xlsx", m.apply(m.rng.pick([.bitFlips, .truncate, .randomBytes, .extremeCell]), to: b))
        case "toml":
            try write("orders.csv", Array(Self.seedCSV["orders.csv"]!.utf8))
            try write("shopdeck.toml", m.mutate(Array(Self.seedTOML.utf8)))
        case "rules":
            try write("violations.csv", Array(Self.seedCSV["violations.csv"]!.utf8))
            rulesText = String(decoding: m.mutate(Array(Self.seedRules.utf8)), as: UTF8.self)
        default: // mixed: several tables at once, some mutated, one of them GB18030 or UTF-16
            for (name, text) in Self.seedCSV where m.rng.below(2) == 0 {
                var b = Array(text.utf8)
                switch m.rng.below(4) {
                case 0: b = TextEncoding.encodeGB18030(text) ?? b
                case 1: b = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
                default: break
                }
                try write(name, m.rng.below(2) == 0 ? m.mutate(b) : b)
            }
        }
        check(dir: dir, rulesText: rulesText)
        return kind
    }

    func check(dir: String, rulesText: String?) {
        let config = (try? ShopConfig.load(folder: dir)) ?? ShopConfig()
        var overrides: [ConfigValue] = []
        if let r = config.rules { overrides.append(r) }
        if let rulesText, let c = try? ConfigValue.parseTOML(rulesText, file: "rules.toml") { overrides.append(Rulebook.overrideTable(fromRulesFile: c)) }
        let rulebook = (try? Rulebook.with(overrides: overrides)) ?? .standard()
        let snap = DataLoader.load(folder: dir)
        let report = Engine.run(snapshot: snap, rulebook: rulebook, config: config, asOf: asOf)
        let text = report.json().serialized(pretty: true)
        let bytes = Array(text.utf8)
        #expect(!bytes.contains { $0 < 0x20 && $0 != 0x0A }, "raw control byte in the JSON of \(dir)")
        #expect((try? JSONSerialization.jsonObject(with: Data(bytes))) != nil, "invalid JSON for \(dir)")
        _ = Findings.lines(report)
        _ = DataLoader.inspect(path: dir + "/" + ((try? FileManager.default.contentsOfDirectory(atPath: dir).sorted().first) ?? "x"))
    }
}
