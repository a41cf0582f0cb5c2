import Foundation
import TestScratch
import Testing
import GRDB
import ShopdeckModel
import ShopdeckRules
@testable import ShopdeckApp

@Suite("Appeal journal")
struct JournalTests {
    func tempJournal() -> String { Scratch.folder("journal") + "/.shopdeck/appeals.sqlite" }
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

    /// Every file under `dir` with its size and modification time (to nanoseconds).
    func snapshot(_ dir: String) -> [String: String] {
        var out: [String: String] = [:]
        let e = FileManager.default.enumerator(atPath: dir)
        while let f = e?.nextObject() as? String {
            var st = stat()
            lstat(dir + "/" + f, &st)
            out[f] = "\(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        }
        var st = stat()
        stat(dir, &st)
        out["."] = "\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        return out
    }

    @Test func readingChangesNoFile() throws {
        let path = tempJournal()
        let folder = ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        try AppealJournal(path: path).file(entry("V1", 1))
        let before = snapshot(folder)
        #expect(try Journals.entries(folder: folder, journal: nil).count == 1)
        #expect(try AppealJournal(path: path, readOnly: true).entries().count == 1)
        #expect(snapshot(folder) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal") && !FileManager.default.fileExists(atPath: path + "-shm"))
    }

    @Test func aJournalLeftInWALModeIsReadWithoutCreatingFiles() throws {
        let path = tempJournal()
        let folder = ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        try AppealJournal(path: path).file(entry("V1", 1))
        // What an earlier version left: the same journal in WAL mode, no -shm beside it.
        let r = try runSQLite(path, "PRAGMA journal_mode=WAL;")
        #expect(r == "wal")
        try? FileManager.default.removeItem(atPath: path + "-shm"); try? FileManager.default.removeItem(atPath: path + "-wal")
        let before = snapshot(folder)
        #expect(try Journals.entries(folder: folder, journal: nil) == [entry("V1", 1)])
        #expect(snapshot(folder) == before)
        // Its next writer switches it back to a rollback journal.
        try AppealJournal(path: path).file(entry("V2", 1))
        #expect(try runSQLite(path, "PRAGMA journal_mode;") == "delete")
    }

    @Test func aWriterKilledMidTransactionIsReadAsItsLastCommitWithoutWriting() throws {
        let path = tempJournal()
        let folder = ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let committed = [entry("V1", 1), entry("V2", 1)]
        let live = tempJournal()
        let j = try AppealJournal(path: live)
        for e in committed { try j.file(e) }
        try leaveACrashedWriter(of: live, at: path)
        // The state SQLite refuses a read-only reader.
        #expect(sqliteRefusesAReadOnlyReader(path))
        let before = snapshot(folder)
        #expect(try Journals.entries(folder: folder, journal: nil) == committed)
        #expect(try AppealJournal(path: path, readOnly: true).entries() == committed)
        #expect(snapshot(folder) == before) // the hot journal is still there, untouched
        // The next writer rolls it back in place and files on the committed state.
        try Journals.file(entry("V3", 1), folder: folder, journal: nil)
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        #expect(try Journals.entries(folder: folder, journal: nil) == committed + [entry("V3", 1)])
        #expect(try AppealJournal(path: path).integrity() == "ok")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "sqlite3 is not installed (apt-get install sqlite3)"))
    func theCopyWaitsForAWriterWritingPages() throws {
        let path = tempJournal()
        try AppealJournal(path: path).file(entry("V1", 1))
        // Another process spills a transaction's pages into the database (EXCLUSIVE) and
        // holds it for a while: no consistent copy can be taken meanwhile.
        let flag = path + ".held"
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        writer.arguments = [path]
        let script = Pipe()
        writer.standardInput = script
        try writer.run()
        script.fileHandleForWriting.write(Data("""
            PRAGMA cache_size = 1;
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) INSERT INTO appeal (violation_id, attempt, filed_at, filed_epoch, reason, statement, evidence, operator) SELECT 'P' || i, 1, 'x', 0, 'r', hex(zeroblob(450)), '[]', 'K' FROM n;
            .shell touch \(flag); sleep 2
            COMMIT;

            """.utf8))
        try script.fileHandleForWriting.close()
        while !FileManager.default.fileExists(atPath: flag) { usleep(10_000) } // the pages are written, the lock held
        #expect(throws: JournalSnapshot.Failure.self) { try JournalSnapshot.take(of: path, timeout: 0.3) }
        writer.waitUntilExit()
        let copy = try JournalSnapshot.take(of: path, timeout: 1)
        defer { copy.remove() }
        #expect(try runSQLite(copy.path, "SELECT count(*) FROM appeal;") == "401")
    }

    func runSQLite(_ path: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", path, sql]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "sqlite3 is not installed (apt-get install sqlite3)"))
    func brokenJournalsAreErrorsNeverEmpty() throws {
        // Garbage bytes.
        let garbage = tempJournal()
        try FileManager.default.createDirectory(atPath: (garbage as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: AppealJournal.Failure.self) { try AppealJournal(path: garbage, readOnly: true).entries() }
        #expect(throws: AppealJournal.Failure.self) { try AppealJournal(path: garbage).file(entry("V1", 1)) }
        // A renamed table.
        let renamed = tempJournal()
        try AppealJournal(path: renamed).file(entry("V1", 1))
        _ = try runSQLite(renamed, "ALTER TABLE appeal RENAME TO appeal_old;")
        do { _ = try AppealJournal(path: renamed, readOnly: true).entries(); Issue.record("read as empty") } catch {
            #expect("\(error)" == "the journal cannot be read: its appeal table is missing (was it changed by another program?)")
        }
        // A newer schema: never read, never written.
        let newer = tempJournal()
        try AppealJournal(path: newer).file(entry("V1", 1))
        _ = try runSQLite(newer, "PRAGMA user_version = 7;")
        do { _ = try AppealJournal(path: newer, readOnly: true).entries(); Issue.record("a newer journal was read") } catch {
            #expect("\(error)" == "the journal was written by a newer version of shopdeck (schema version 7; this shopdeck knows 1): update shopdeck to read it; nothing was read or written")
        }
        #expect(throws: AppealJournal.Failure.self) { try AppealJournal(path: newer).file(entry("V2", 1)) }
        #expect(try runSQLite(newer, "SELECT count(*) FROM appeal;") == "1")
    }

    /// A journal that does not exist yet has no entries; a journal path that is a link to
    /// nothing is said, never read as an empty journal.
    @Test func aJournalLinkToNothingIsUnreadableAMissingOneEmpty() throws {
        let folder = Scratch.folder("journal-link")
        #expect(try Journals.entries(folder: folder, journal: folder + "/none.sqlite") == [])
        try FileManager.default.createSymbolicLink(atPath: folder + "/gone.sqlite", withDestinationPath: folder + "/nowhere.sqlite")
        #expect(throws: AppealJournal.Failure.unreadable(folder + "/gone.sqlite is a link to nothing")) {
            try Journals.entries(folder: folder, journal: folder + "/gone.sqlite")
        }
    }

    @Test func aSymlinkedJournalFolderIsRefusedUnlessGiven() throws {
        let folder = Scratch.folder("link")
        let elsewhere = folder + "-elsewhere"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/.shopdeck", withDestinationPath: elsewhere)
        #expect(throws: AppealJournal.Failure.self) { try Journals.entries(folder: folder, journal: nil) }
        #expect(throws: AppealJournal.Failure.self) { try Journals.file(entry("V1", 1), folder: folder, journal: nil) }
        #expect(Journals.unwritable(folder: folder, journal: nil)?.contains("symbolic link") == true)
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/appeals.sqlite"))
        // Given explicitly, the path is the operator's choice.
        try Journals.file(entry("V1", 1), folder: folder, journal: folder + "/.shopdeck/appeals.sqlite")
        #expect(try Journals.entries(folder: folder, journal: folder + "/.shopdeck/appeals.sqlite").count == 1)
    }

    @Test func evidenceStaysInsideTheFolderAndIsARegularFile() throws {
        let folder = Scratch.folder("evidence")
        try FileManager.default.createDirectory(atPath: folder + "/evidence", withIntermediateDirectories: true)
        try "png".write(toFile: folder + "/evidence/揽收.png", atomically: true, encoding: .utf8)
        mkfifo(folder + "/evidence/fifo", 0o644)
        try FileManager.default.createSymbolicLink(atPath: folder + "/evidence/out", withDestinationPath: "/etc/hostname")
        #expect(Evidence.problem("evidence/揽收.png", folder: folder) == nil)
        #expect(Evidence.problem("../../../../etc/passwd", folder: folder) == "../../../../etc/passwd: leaves the data folder \(folder) (relative paths must stay inside it)")
        #expect(Evidence.problem("evidence/out", folder: folder) == "evidence/out: leaves the data folder \(folder) (relative paths must stay inside it)")
        #expect(Evidence.problem("evidence/fifo", folder: folder) == "evidence/fifo: this is a FIFO (named pipe), not a regular file")
        #expect(Evidence.problem("/dev/zero", folder: folder) == "/dev/zero: this is a device, not a regular file")
        #expect(Evidence.problem("evidence", folder: folder) == "evidence: this is a folder, not a regular file")
        #expect(Evidence.problem("evidence/nope.png", folder: folder) == "evidence/nope.png: not found in \(folder)")
        #expect(Evidence.problem(folder + "/evidence/揽收.png", folder: "/") == nil)
    }
}
