import Foundation
import Testing

/// Appeals through the real binary: racing processes, a journal created by two processes at
/// once, a writer killed mid-write, the form driven by keystrokes in tmux, read-only mode.
@Suite("End to end: appeals", .serialized)
struct AppealEndToEndTests {
    /// A folder with `n` appealable violations notified 2023-03-01.
    func folder(violations n: Int) throws -> String {
        let d = Harness.tempDir("appeals")
        var csv = "violation_id,notified_at,rule,status,points,measures,appeal_deadline\n"
        for i in 0..<n { csv += "V\(i),2023-03-01 10:00:00,超时未发货,待处理,2,警告,2099-01-01 00:00:00\n" }
        try csv.write(toFile: d + "/violations.csv", atomically: true, encoding: .utf8)
        return d
    }

    func file(_ d: String, _ v: String, by who: String) -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Harness.binary)
        p.arguments = ["appeals", "file", "--data", d, "--violation", v, "--reason", "物流原因", "--statement", "已按时发货 \(who)", "--operator", who]
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        return p
    }

    func appeals(_ d: String) throws -> [[String: Any]] {
        let r = try Harness.shopdeck(["appeals", "list", "--data", d, "--format", "json"])
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
    }

    @Test func twoOperatorsRacingForTheSameAttemptEndWithExactlyOne() throws {
        for _ in 0..<4 {
            let d = try folder(violations: 1)
            _ = try Harness.shopdeck(["appeals", "list", "--data", d]) // no journal yet: nothing
            let a = file(d, "V0", by: "A"), b = file(d, "V0", by: "B")
            try a.run(); try b.run()
            a.waitUntilExit(); b.waitUntilExit()
            #expect([a.terminationStatus, b.terminationStatus].sorted() == [0, 1])
            let list = try appeals(d)
            #expect(list.count == 1 && list[0]["attempt"] as? Int == 1)
        }
    }

    @Test func twoProcessesCreatingTheJournalAtOnceBothWork() throws {
        for _ in 0..<6 {
            let d = try folder(violations: 2)
            let a = file(d, "V0", by: "A"), b = file(d, "V1", by: "B")
            try a.run(); try b.run()
            a.waitUntilExit(); b.waitUntilExit()
            #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
            #expect(try appeals(d).count == 2)
        }
    }

    @Test func aWriterKilledMidWriteLeavesAConsistentJournal() throws {
        let d = try folder(violations: 400)
        let script = "for i in $(seq 0 399); do \(Harness.binary) appeals file --data \(d) --violation V$i --reason 物流原因 --statement 说明$i --operator K >/dev/null 2>&1; done"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        try p.run()
        Thread.sleep(forTimeInterval: 1.5)
        // Kill the loop and whatever writer it is running right now.
        _ = try Harness.run(["pkill", "-9", "-P", "\(p.processIdentifier)"])
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let list = try appeals(d)
        #expect(!list.isEmpty && list.count < 400)
        for e in list { #expect((e["statement"] as? String)?.hasPrefix("说明") == true && e["attempt"] as? Int == 1) }
        // Still writable, and sound.
        let ok = try Harness.shopdeck(["appeals", "file", "--data", d, "--violation", "V399", "--reason", "其他", "--statement", "后续", "--operator", "Z"])
        #expect(ok.status == 0)
        let check = try Harness.run(["sqlite3", d + "/.shopdeck/appeals.sqlite", "PRAGMA integrity_check; PRAGMA journal_mode;"])
        // A rollback journal: read-only readers then need no file of their own.
        #expect(check.stdout == "ok\ndelete\n")
    }

    @Test(Tools.needsTmux) func fileAnAppealByKeystrokesAndFindItEverywhere() throws {
        // Live: appeals are filed against the real clock, so the demo is anchored at now.
        let data = try Harness.demo(perWeek: 200, anchor: Harness.nowCST())
        let tmux = try Tmux(width: 120, height: 40, command: "\(Harness.binary) --data \(Tmux.quote(data))")
        try tmux.waitForDashboard()
        try tmux.fillAppeal("WG2023003", rightPresses: 3, statement: "货已按时发出，快递揽收记录为证") // reason 3 steps on: 平台误判
        #expect(try tmux.screen().contains("reason 平台误判"))
        try tmux.send("y")
        try tmux.waitFor("appeal filed: WG2023003")
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")

        let list = try appeals(data)
        #expect(list.count == 1)
        #expect(list.first?["statement"] as? String == "货已按时发出，快递揽收记录为证")
        #expect(list.first?["reason"] as? String == "平台误判")
        let text = try Harness.shopdeck(["appeals", "list", "--data", data]).stdout
        #expect(text.contains("WG2023003") && text.contains("货已按时发出"))
        let r = try Harness.shopdeck(["report", "--data", data, "--format", "json"])
        let j = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((j["appeals"] as! [[String: Any]]).first?["violation_id"] as? String == "WG2023003")
        let v = (j["violations"] as! [[String: Any]]).first { $0["violation_id"] as? String == "WG2023003" }!
        #expect(v["not_appealable_reason"] as? String == "in_progress" && v["appeals_used"] as? Int == 1)
    }

    /// `a` on WG2023003 says `message` instead of opening the form; then quits.
    func expectTheFormRefused(_ tmux: Tmux, saying message: String) throws {
        try tmux.waitForDashboard()
        try tmux.pressAppeal(on: "WG2023003")
        let s = try tmux.waitFor(message)
        #expect(!s.contains("申诉 Appeal ·"))
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }

    @Test(Tools.needsTmux) func aReplayedPastMomentCannotFile() throws {
        let data = try Harness.demo(perWeek: 200)
        let tmux = try Tmux(width: 120, height: 40, command: "\(Harness.binary) --data \(Tmux.quote(data)) --as-of '2026-11-24 16:00:00'")
        try expectTheFormRefused(tmux, saying: "appeals are filed only live")
        #expect(!FileManager.default.fileExists(atPath: data + "/.shopdeck/appeals.sqlite"))
        let cli = try Harness.shopdeck(["appeals", "file", "--data", data, "--violation", "WG2023003", "--reason", "其他", "--statement", "x", "--as-of", "2026-11-24 16:00:00"])
        #expect(cli.status == 1 && cli.stderr.contains("against the real clock"))
    }

    @Test(Tools.needsTmux) func anUnwritableJournalKeepsTheTypedText() throws {
        let data = try Harness.demo(perWeek: 200, anchor: Harness.nowCST())
        // A journal path whose folder is a file: every write fails, whoever runs the test.
        try "x".write(toFile: data + "/blocker", atomically: true, encoding: .utf8)
        let journal = data + "/blocker/appeals.sqlite"
        let tmux = try Tmux(width: 120, height: 40, command: "\(Harness.binary) --data \(Tmux.quote(data)) --journal \(Tmux.quote(journal))")
        try tmux.waitForDashboard()
        try tmux.fillAppeal("WG2023003", statement: "这段说明不能丢")
        try tmux.send("y")
        let s = try tmux.waitFor("not filed:")
        #expect(s.contains("这段说明不能丢"))
        #expect(!s.contains("NSCocoaErrorDomain"))
        // Ctrl-C in the form with text asks instead of quitting.
        try tmux.send("C-c")
        try tmux.waitFor("quit? the appeal you typed is not saved")
        try tmux.send("n")
        try tmux.waitFor("这段说明不能丢")
        try tmux.send("Escape")
        try tmux.send("y")
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }

    @Test(Tools.needsTmux) func readOnlyModeRefuses() throws {
        let data = try Harness.demo(perWeek: 200)
        let tmux = try Tmux(command: "\(Harness.binary) --data \(Tmux.quote(data)) --read-only --as-of '2026-11-24 16:00:00'")
        try tmux.waitFor("READ-ONLY")
        try expectTheFormRefused(tmux, saying: "read-only:")
        let cli = try Harness.shopdeck(["appeals", "file", "--data", data, "--violation", "WG2023003", "--reason", "其他", "--statement", "x", "--read-only"])
        #expect(cli.status == 1 && cli.stderr.contains("read-only"))
        #expect(!FileManager.default.fileExists(atPath: data + "/.shopdeck/appeals.sqlite"))
    }
}
