import Testing
import ShopdeckModel
@testable import ShopdeckRules

@Suite("Reports, coupons, copy, trust purchase (rules.md §6-9)")
struct OtherRulesTests {
    @Test func banLadderAcrossAYearAndFiveShops() throws {
        let csv = """
        report_id,user_id,reported_at,result,shop_id
        1,U1,2022-12-20 10:00:00,成功,S1
        2,U1,2022-12-28 10:00:00,成功,S1
        3,U1,2023-01-02 10:00:00,成功,S1
        4,U1,2023-01-03 10:00:00,失败,S1
        5,U2,2023-01-01 10:00:00,成功,S1
        6,U2,2023-01-02 10:00:00,成功,S2
        7,U2,2023-01-03 10:00:00,成功,S3
        8,U2,2023-01-04 10:00:00,成功,S4
        9,U2,2023-01-05 10:00:00,成功,S5
        """
        let r = try run(["reports.csv": csv], asOf: "2023-01-03 12:00:00")
        let rows = Dictionary(uniqueKeysWithValues: r.reports.map { ("\($0.userId)/\($0.year)", $0) })
        // 2022: second success -> 7 days from 12-28, still active on 01-03.
        #expect(rows["U1/2022"]!.ban == "7d" && rows["U1/2022"]!.banUntil == t("2023-01-04 10:00:00") && rows["U1/2022"]!.successes == 2)
        // 2023: the count starts again: first success, 72 h.
        #expect(rows["U1/2023"]!.ban == "72h" && rows["U1/2023"]!.nextStep == "7d")
        #expect(rows["U2/2023"]!.ban == "72h" && rows["U2/2023"]!.shops == 3)
        let later = try run(["reports.csv": csv], asOf: "2023-01-06 00:00:00")
        let u2 = later.reports.first { $0.userId == "U2" }!
        #expect(u2.ban == "permanent_platform" && u2.banUntil == nil && u2.shops == 5 && u2.successes == 5)
        // Expired bans read none.
        #expect(try run(["reports.csv": csv], asOf: "2023-03-01 00:00:00").reports.first { $0.userId == "U1" && $0.year == 2023 }!.ban == "none")
    }

    let products = """
    product_id,product_name,price,commission,source,trust_purchase
    P1,卫衣,99.00,0,自建,是
    P2,口红,100,30,好物联盟,否
    P3,面膜,100,29.99,好物联盟,是
    P4,杯子,98.99,0,自建,否
    """

    @Test func couponWarningsAndTheCommissionEdge() throws {
        let coupons = """
        activity_id,coupon_type,threshold,face_value,issue_at,live_plan,status
        SHOP,店铺满减券,99,10,2023-03-06 20:00:30,晚场,未开始
        CLASH,店铺满减券,99,10,2023-03-06 20:00:59,晚场,未开始
        ANCHOR,主播满减券,100,30,2023-03-06 21:00:00,晚场,未开始
        FACE,店铺满减券,50,50,2023-03-06 22:00:00,,未开始
        NONE,主播满减券,500,30,2023-03-06 22:00:00,,未开始
        PASSED,店铺满减券,99,10,2023-03-06 09:00:00,,未开始
        RUNNING,店铺满减券,99,10,2023-03-06 09:00:00,,进行中
        """
        let r = try run(["products.csv": products, "coupons.csv": coupons], asOf: "2023-03-06 10:00:00")
        let c = Dictionary(uniqueKeysWithValues: r.coupons.map { ($0.activityId, $0) })
        #expect(c["SHOP"]!.applicableProducts == 1 && c["SHOP"]!.warnings == ["schedule_clash"])
        #expect(c["CLASH"]!.warnings == ["schedule_clash"])
        #expect(c["ANCHOR"]!.applicableProducts == 1) // P2: commission 30 == face 30; P3 29.99 < 30
        #expect(c["FACE"]!.warnings == ["face_not_below_threshold"])
        #expect(c["NONE"]!.warnings == ["no_applicable_goods"])
        #expect(c["PASSED"]!.warnings == ["issue_time_passed"])
        #expect(c["RUNNING"]!.warnings.isEmpty)
        #expect(r.coupons.map(\.activityId) == ["PASSED", "RUNNING", "CLASH", "SHOP", "ANCHOR", "FACE", "NONE"].sorted {
            c[$0]!.issueAt != c[$1]!.issueAt ? c[$0]!.issueAt < c[$1]!.issueAt : $0 < $1 })
        let notPro = try run(["products.csv": products, "coupons.csv": coupons], asOf: "2023-03-06 10:00:00", config: "[shop]\nprofessional_anchor = false\n")
        #expect(notPro.coupons.allSatisfy { $0.warnings.contains("not_professional_anchor") })
        #expect(r.trustPurchase.on == 2 && r.trustPurchase.off == 2)
    }

    @Test func copyNorms() throws {
        let products = """
        product_id,product_name,price
        A,全网第一 顶级面霜,10
        B,大牌平替口红,10
        C,官方旗舰店 小橙牙刷,10
        D,官方旗舰店 别家牙刷,10
        E,专利美白精华,10
        F,专利号ZL123 美白精华,10
        G,洗眼液 天天用,10
        H,天天用 卸妆水,10
        I,消炎祛痘膏,10
        J,顶级 杯子,10
        K,第一 顶级 杯子,10
        M,杯子 顶级,10
        N,第一 杯子,10
        """
        // J, K, M, N: the same norm with other sets of its terms after A's (the lists are
        // shared by which terms were found, never one set's list for another's).
        let r = try run(["products.csv": products, "scripts/live.txt": "今天这款是临床验证有效的！"], asOf: "2023-03-06 10:00:00",
                        config: "[shop]\nauthorised_brands = [\"小橙\"]\n")
        let f = r.copyFindings.map { "\($0.productId):\($0.norm):\($0.terms.joined(separator: "+"))" }
        #expect(f == ["A:1:第一+顶级", "B:3:大牌平替", "D:14:官方+旗舰店", "E:7:专利", "E:10:美白", "F:10:美白",
                      "G:13:天天用", "I:2:消炎", "I:10:祛痘", "J:1:顶级", "K:1:第一+顶级", "M:1:顶级", "N:1:第一",
                      "scripts/live.txt:6:临床验证"])
    }
}

/// Issue 18: a large catalogue takes the range-query path for coupons and the one-pass matcher
/// for copy; both give what the plain definitions give.
@Suite("Rules at catalogue scale")
struct CatalogueScaleTests {
    /// `wide`: one price of 99,999,999.99 yuan, so prices span more than 2^32 fen and the
    /// index sorts by comparison instead of packed words.
    @Test(arguments: [false, true])
    func couponCountsByRangeQueriesEqualTheDefinition(wide: Bool) throws {
        var products = "product_id,product_name,price,commission,source\n"
        var rows: [(price: Int64, commission: Int64, alliance: Bool)] = []
        var seed: UInt64 = 42
        func next(_ n: UInt64) -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return (seed >> 33) % n }
        for i in 0..<3000 {
            let price = wide && i == 1_500 ? 9_999_999_999 : Int64(next(50_000)) + 100
            let commission = Int64(next(5_000)), alliance = next(3) == 0
            rows.append((price, commission, alliance))
            products += "P\(i),商品\(i % 97) 顶级 第一,\(Double(price) / 100),\(Double(commission) / 100),\(alliance ? "好物联盟" : "自建")\n"
        }
        var coupons = "activity_id,coupon_type,threshold,face_value,issue_at\n"
        var expected: [String: Int] = [:]
        var examples: [String: [String]] = [:], summaries: [String: String] = [:]
        for k in 0..<60 {
            let threshold = Int64(next(60_000)), face = Int64(next(6_000)) + 1
            let anchor = k % 2 == 0
            coupons += "C\(k),\(anchor ? "主播满减券" : "店铺满减券"),\(Double(threshold) / 100),\(Double(face) / 100),2023-03-07 20:00:00\n"
            let applicable = rows.indices.filter { i in
                let r = rows[i]
                return r.price >= threshold && (anchor ? (r.alliance && r.commission >= face) : !r.alliance)
            }
            expected["C\(k)"] = applicable.count
            let below = rows.filter { $0.price < threshold }.count
            let ownAbove = rows.filter { $0.price >= threshold && !$0.alliance }.count
            summaries["C\(k)"] = anchor
                ? "price below threshold: \(below); not a 好物联盟 product: \(ownAbove); commission below face value: \(rows.count - below - ownAbove - applicable.count)"
                : "price below threshold: \(below); 好物联盟 product, not the shop's own: \(rows.count - below - applicable.count)"
            // The examples: the 20 cheapest, ties in file order.
            examples["C\(k)"] = applicable.sorted { rows[$0].price != rows[$1].price ? rows[$0].price < rows[$1].price : $0 < $1 }.prefix(20).map { "P\($0)" }
        }
        let r = try run(["products.csv": products, "coupons.csv": coupons], asOf: "2023-03-06 10:00:00")
        #expect(r.coupons.count == 60)
        for c in r.coupons {
            #expect(c.applicableProducts == expected[c.activityId], "\(c.activityId)")
            #expect(c.applicableIds == examples[c.activityId], "\(c.activityId)")
            #expect(c.notApplicableSummary == summaries[c.activityId], "\(c.activityId)")
        }
        #expect(r.coupons.contains { $0.applicableIds.count == 20 } && r.coupons.contains { (1..<20).contains($0.applicableIds.count) })
        // The copy check: every product name holds 顶级 and 第一 (norm 1).
        #expect(r.copyFindings.count == 3000 && r.copyFindings.allSatisfy { $0.norm == 1 && $0.terms == ["第一", "顶级"] })
    }
}

/// Issue 18: a big catalogue is copy-checked in two halves (split by id) side by side; the
/// findings are exactly those of one pass over every product then the scripts, stably sorted.
@Suite("The copy check in two halves")
struct CopyHalvesTests {
    /// A product's half is told from its id's bytes where they lie: the same answer as the
    /// `String` comparison, for ids equal to the pivot, prefixes of it and longer ones, ids
    /// differing after eight bytes, non-ASCII ids and pivots, and the empty id.
    @Test func anIdsHalfFromItsBytesIsItsHalfAsAString() {
        let ids = ["", "P", "P1", "P10", "P100", "P2", "P19", "p1", "Q", "680000000101", "680000000102", "6800000001", "68000000010",
                   "商品1", "商品10", "P1é", "Pé", "P\u{7F}", "0", "~", "scripts/a.txt", "e\u{301}", "é"]
        for pivot in ["P1", "P10", "680000000101", "商品1", "é", "", "Z"] {
            for first in [true, false] {
                let split = Engine.CopySplit(pivot: pivot, first: first)
                for id in ids {
                    #expect(id.withBytes { split.takes($0) } == split.takes(id), "\(id) against \(pivot)")
                    #expect(split.takes(id) == ((id < pivot) == first))
                }
            }
        }
        for id in ids { #expect(id.withBytes { Engine.CopySplit.all.takes($0) } && Engine.CopySplit.all.takes(id)) }
    }

    @Test func splitCheckEqualsOnePass() throws {
        let words = ["第一", "顶级", "治疗", "平替", "临床验证", "专利", "国家级", "最好", "纯棉", "清爽", "第一名", "万人好评"]
        var seed: UInt64 = 7
        func next(_ n: UInt64) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % n) }
        for count in [Engine.copySplitAt - 1, Engine.copySplitAt, 9_001] {
            var csv = "product_id,product_name,price\n"
            for i in 0..<count {
                // Ids out of file order, some repeated across the halves' boundary in sort
                // order, some non-ASCII; names of 0 to 3 lexicon words.
                let id = next(4) == 0 ? "商品\(next(500))-\(i)" : "P\(next(100_000))-\(i)"
                let name = (0..<next(4)).map { _ in words[next(UInt64(words.count))] }.joined(separator: " ") + " \(i)"
                csv += "\(id),\(name),1.00\n"
            }
            // A product whose id is a script's: its finding comes before the script's.
            csv += "scripts/a.txt,第一 顶级,1.00\n"
            let snap = DataLoader.load(folder: makeFolder(["products.csv": csv]))
            #expect(snap.products.count == count + 1 && snap.errors.isEmpty)
            let scripts = [(name: "a.txt", text: "第一 顶级 治疗"), (name: "b.txt", text: "平替")]
            let rb = try Rulebook.with(overrides: [])
            let report = Engine.run(snapshot: snap, rulebook: rb, asOf: t("2026-12-01 00:00:00"), scripts: scripts)
            let onePass = Engine.copyFindings(snap, rb.at(t("2026-12-01 00:00:00")), brands: [], scripts: scripts, work: nil)
            #expect(onePass.count > count / 2 && Set(onePass.map(\.norm)).count >= 4)
            #expect(report.copyFindings == onePass, "\(count) products")
            #expect(report.copyFindings.filter { $0.productId == "scripts/a.txt" }.map(\.source) == ["product", "script", "script"])
            if let pivot = Engine.copyPivot(snap.products) {
                #expect(onePass.contains { $0.productId < pivot } && onePass.contains { $0.productId >= pivot })
            } else {
                #expect(count < Engine.copySplitAt)
            }
        }
    }
}
