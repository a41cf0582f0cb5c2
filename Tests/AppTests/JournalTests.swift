import Foundation
import Testing
import ShopdeckModel
import ShopdeckRules
@testable import ShopdeckApp

@Suite("Appeal journal")
struct JournalTests {
    func tempJournal() -> String { NSTemporaryDirectory() + "shopdeck-journal-" + UUID().uuidString + "/.shopdeck/appeals.sqlite" }
    func entry(_ v: String, _ attempt: Int, by who: String = "小王", statement: String = "已按时发货，附物流截图") -> AppealEntry {
        AppealEntry(violationId: v, attempt: attempt, filedAt: CST.instant(year: 2023, month: 3, day: 6, hour: 10), reason: "物流原因",
                    statement: statement, evidence: ["evidence/物流.png"], operatorName: who)
    }

    @Test func writesReadsAndRefusesATakenAttempt() throws {
        let path = tempJournal()
        let j = try AppealJournal(path: path)
        try j.file(entry("V1", 1))
        try j.file(entry("V2", 1))
        #expect(try j.entries() == [entry("V1", 1), entry("V2", 1)])
        #expect(throws: AppealJournal.Failure.attemptTaken(violation: "V1", attempt: 1, by: "小王", at: "2023-03-06 10:00:00")) {
            try j.file(entry("V1", 1, by: "小李"))
        }
        #expect(try j.entries().count == 2)
        // The schema itself refuses an empty statement (trust SQLite more than yourself).
        #expect(throws: AppealJournal.Failure.self) { try j.file(entry("V3", 1, statement: "   ")) }
        #expect(try j.integrity() == "ok")
        // A second connection sees the same entries.
        #expect(try AppealJournal(path: path).entries().count == 2)
    }

    @Test func readOnlyOpenRefusesWrites() throws {
        let path = tempJournal()
        try AppealJournal(path: path).file(entry("V1", 1))
        let ro = try AppealJournal(path: path, readOnly: true)
        #expect(try ro.entries().count == 1)
        #expect(throws: (any Error).self) { try ro.file(entry("V2", 1)) }
        #expect(throws: AppealJournal.Failure.self) { try AppealJournal(path: path + ".missing", readOnly: true) }
    }

    @Test func exportIsSafeForSpreadsheets() {
        var e = entry("V1", 1, statement: "=cmd|' /C calc'!A0")
        e.evidence = ["-x.png", "a.png"]
        let text = String(decoding: AppealExport.csv([e, entry("V2", 2, statement: "@SUM(1)"), entry("V3", 1, statement: "+1"), entry("V4", 1, statement: "\tx")]), as: UTF8.self)
        #expect(text.hasPrefix("\u{FEFF}违规编号,申诉次数,申诉时间,申诉理由,申诉说明,证据材料,提交人\r\n"))
        let rows = csvRecords(Array(text.dropFirst().utf8)).map(\.fields)
        #expect(rows[1][4] == "'=cmd|' /C calc'!A0")
        #expect(rows[1][5] == "'-x.png；a.png")
        #expect(rows[2][4] == "'@SUM(1)" && rows[3][4] == "'+1" && rows[4][4] == "'\tx")
        for r in rows.dropFirst() { for cell in r { #expect(!["=", "+", "-", "@", "\t"].contains(cell.first.map(String.init) ?? "")) } }
    }
}
