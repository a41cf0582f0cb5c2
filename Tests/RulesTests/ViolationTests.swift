import Testing
import ShopdeckModel
@testable import ShopdeckRules

@Suite("Violations and appeals (rules.md §5)")
struct ViolationTests {
    let csv = """
    violation_id,notified_at,rule,subject,points,measures,status,appeals_used,appeal_deadline
    OPEN,2023-03-01 10:00:00,超时未发货,商家,2,"警告；扣分",待处理,0,2023-03-10 10:00:00
    REJ1,2023-03-01 10:01:00,虚假发货,商家,4,下架商品,申诉驳回,1,
    REJ2,2023-03-01 10:02:00,虚假发货,商家,4,下架商品,申诉驳回,2,
    INPROG,2023-03-01 10:03:00,虚假发货,商家,1,,申诉中,1,
    WON,2023-03-01 10:04:00,虚假发货,商家,1,,申诉成功,1,
    FINAL,2023-03-01 10:05:00,虚假发货,商家,1,"禁言、冻结资金",已生效,0,
    LATE,2023-03-01 10:06:00,虚假发货,商家,1,,待处理,0,2023-03-05 10:00:00
    EDGE,2023-03-01 10:07:00,虚假发货,商家,1,,待处理,0,2023-03-06 10:00:00
    TALENT,2022-11-18 10:00:00,描述不符,带货达人,1,,待处理,0,
    """

    func rows(asOf: String = "2023-03-06 10:00:00", journal: [AppealEntry] = []) throws -> [String: ViolationRow] {
        let r = try run(["violations.csv": csv], asOf: asOf, journal: journal)
        return Dictionary(uniqueKeysWithValues: r.violations.map { ($0.violationId, $0) })
    }

    @Test func everyReason() throws {
        let v = try rows()
        #expect(v["OPEN"]!.appealable && v["OPEN"]!.notAppealableReason == nil && v["OPEN"]!.appealsLeft == 2)
        #expect(v["REJ1"]!.appealable && v["REJ1"]!.appealsLeft == 1)
        #expect(v["REJ2"]!.notAppealableReason == "limit_reached" && v["REJ2"]!.appealsLeft == 0)
        #expect(v["INPROG"]!.notAppealableReason == "in_progress")
        #expect(v["WON"]!.notAppealableReason == "resolved")
        #expect(v["FINAL"]!.notAppealableReason == "final" && v["FINAL"]!.appealsLeft == 2)
        #expect(v["LATE"]!.notAppealableReason == "deadline_passed")
        #expect(v["EDGE"]!.appealable) // exactly at the deadline: still appealable
        #expect(v["TALENT"]!.appealable) // 带货达人 allowed from 2022-11-19
        #expect(try rows(asOf: "2022-11-18 23:00:00")["TALENT"]!.notAppealableReason == "subject_not_allowed")
        #expect(v["FINAL"]!.measures == ["禁言", "冻结资金"] && v["FINAL"]!.unknownMeasures == ["冻结资金"])
        #expect(v["OPEN"]!.unknownMeasures.isEmpty)
    }

    @Test func journalCountsAndLocallyFiledIsInProgress() throws {
        let entry = AppealEntry(violationId: "REJ1", attempt: 2, filedAt: t("2023-03-06 09:00:00"), reason: "平台误判", statement: "已按时发货", evidence: [], operatorName: "小王")
        let v = try rows(journal: [entry])
        #expect(v["REJ1"]!.appealsUsed == 2 && v["REJ1"]!.appealsLeft == 0)
        #expect(v["REJ1"]!.notAppealableReason == "in_progress" && v["REJ1"]!.locallyFiled)
        // Once the export counts that appeal, it is the same appeal, not a third one.
        let counted = AppealEntry(violationId: "OPEN", attempt: 1, filedAt: t("2023-03-02 09:00:00"), reason: "其他", statement: "x", evidence: [], operatorName: "a")
        #expect(try rows(journal: [counted])["OPEN"]!.notAppealableReason == "in_progress")
    }

    @Test func pointsPerYearAndRule() throws {
        let r = try run(["violations.csv": csv], asOf: "2023-03-06 10:00:00")
        #expect(r.points.contains(PointsRow(year: 2023, rule: "虚假发货", points: 12)))
        #expect(r.points.contains(PointsRow(year: 2022, rule: "描述不符", points: 1)))
    }
}
