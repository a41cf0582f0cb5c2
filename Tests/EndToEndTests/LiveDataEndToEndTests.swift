import Foundation
import Testing

/// Live data through the real binary in tmux (issue 13, terminal-ui.md Live data): a file
/// written in chunks never shows a partial figure, a FIFO never stalls a key, a reload keeps
/// the highlighted order.
@Suite("End to end: live data that can be trusted", .serialized, Tools.needsTmux)
struct LiveDataEndToEndTests {
    static let asOf = "2026-11-24 16:00:00"

    /// The evaluated week's paid orders as the exemption pane prints them ("· paid 1,234").
    func paid(_ screen: String) -> String? {
        guard let r = screen.range(of: "· paid ") else { return nil }
        return String(screen[r.upperBound...].prefix { $0.isNumber || $0 == "," })
    }

    @Test func anExportWrittenInChunksNeverShowsAPartialFigure() throws {
        let data = try Harness.demo(perWeek: 300)
        let path = data + "/orders_export.csv"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        // The new version: the same orders and 5 more paid in the evaluated week (11-17).
        var extra = ""
        for i in 0..<5 { extra += "2311170000000000\(i),2026-11-18 10:0\(i):00,2026-11-19 10:00:00,24小时,已发货,2026-11-18 12:00:00,,,,上海市/上海市/浦东新区,680000000104,面膜,99.00,否,否,,\r\n" }
        let full = Array(original) + Array(extra.utf8)

        let tmux = try Tmux(width: 120, height: 40, command: "\(Harness.binary) --data \(Tmux.quote(data)) --as-of '\(Self.asOf)'")
        let first = try tmux.waitForDashboard()
        let before = try #require(paid(first))
        let expectedAfter = String(Int(before.replacingOccurrences(of: ",", with: ""))! + 5)

        // Ten chunks, 0.5 s apart, each ending inside a row (never on a line end).
        var cuts: [Int] = []
        for k in 1..<10 {
            var c = full.count * k / 10
            while full[c - 1] == 0x0A { c += 1 }
            cuts.append(c)
        }
        cuts.append(full.count)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        var written = 0
        var seenWriting = false
        for c in cuts {
            try handle.write(contentsOf: full[written..<c])
            written = c
            let end = Date().addingTimeInterval(0.5)
            while Date() < end {
                let s = try tmux.screen()
                if let p = paid(s) { #expect(p == before || p == expectedAfter, "a partial figure: paid \(p)\n\(s)") }
                if written < full.count, let p = paid(s) { #expect(p == before, "changed before the file was complete: \(p)") }
                if s.contains("orders_export.csv is still being written") { seenWriting = true }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        try handle.close()
        #expect(seenWriting, "the status line never said the file was being written")
        let after = try tmux.waitFor("the new figures") { self.paid($0) == expectedAfter }
        #expect(after.contains("reloaded orders"))
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }

    /// terminal-ui.md: a load that takes more than a moment shows progress (files, rows, MB/s)
    /// instead of a blank screen: the status line counts as the file is read.
    @Test func aBigLoadShowsHowFarItIs() throws {
        let d = Harness.tempDir("big-load")
        #expect(FileManager.default.createFile(atPath: d + "/orders.csv", contents: nil))
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: d + "/orders.csv"))
        out.write(Data("order_id,paid_at,promised_ship_at,status,product_name\n".utf8))
        var block = ""
        // A release build reads 150k rows before the first frame shows its progress.
        for i in 0..<(Harness.external ? 1_500_000 : 150_000) {
            block += "O\(i),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,加绒连帽卫衣 男女同款 秋冬新款 宽松百搭 \(i % 97)\n"
            if i % 10_000 == 9_999 { out.write(Data(block.utf8)); block = "" }
        }
        out.closeFile()
        let tmux = try Tmux(width: 120, height: 40, command: "\(Harness.binary) --data \(Tmux.quote(d)) --as-of '2023-03-06 10:00:00' --read-only")
        let seen = try tmux.waitFor("the load's progress") {
            $0.range(of: #"loading… files 0/1 · [0-9,]+ rows · \d+/\d+ MB · \d+ MB/s"#, options: .regularExpression) != nil
        }
        #expect(seen.contains("? help  q quit"))
        try tmux.waitForDashboard(timeout: 60)
        try tmux.send("q")
        try tmux.waitFor("EXIT=0", timeout: 5)
    }

    @Test func aFIFOInTheFolderNeverStallsAKey() throws {
        let data = try Harness.demo(perWeek: 200)
        let tmux = try Tmux(width: 120, height: 40, command: "\(Harness.binary) --data \(Tmux.quote(data)) --as-of '\(Self.asOf)'")
        try tmux.waitForDashboard()
        #expect(mkfifo(data + "/orders_fifo.csv", 0o644) == 0)
        #expect(mkfifo(data + "/订单_pipe.csv", 0o644) == 0)
        Thread.sleep(forTimeInterval: 1.5) // past the settle time: the watcher has seen them
        // Within a second on a quiet machine; the bound here allows for the test suite's own
        // load on two cores (the point: nothing ever waits on the FIFO).
        let sent = Date()
        try tmux.send("?")
        try tmux.waitFor("keys (any key closes)", timeout: 3.0)
        #expect(Date().timeIntervalSince(sent) < 3.0)
        try tmux.send("Escape")
        try tmux.send("r")
        try tmux.waitFor("the reload's message") { $0.range(of: #"reloaded \d+ files in \d+\.\d\d s"#, options: .regularExpression) != nil }
        try tmux.send("q")
        try tmux.waitFor("EXIT=0", timeout: 2)
    }

    @Test func aReloadKeepsTheHighlightedOrder() throws {
        let data = try Harness.demo(perWeek: 200)
        let tmux = try Tmux(width: 120, height: 40, command: "\(Harness.binary) --data \(Tmux.quote(data)) --as-of '\(Self.asOf)'")
        try tmux.waitForDashboard()
        try tmux.send("a")
        try tmux.waitFor("Violations · 违规记录 · 8/8")
        try tmux.send("j", "j", "j")
        // The detail pane's first line names the highlighted violation.
        func highlighted(_ screen: String) -> String {
            let lines = screen.components(separatedBy: "\n")
            let detail = lines.drop { !$0.contains("─ detail ─") }.dropFirst().first ?? ""
            return String(detail.dropFirst(2).prefix { $0 != " " })
        }
        let before = try tmux.waitFor("the 4th row highlighted") { highlighted($0) == "WG2023003" }
        #expect(before.contains("Violations · 违规记录 · 8/8"))
        // A new violation notified after all others lands above the highlighted row.
        let csv = try String(contentsOfFile: data + "/violations.csv", encoding: .utf8)
        try (csv + "WG2099001,2026-11-24 10:00:00,虚假发货,商家,3,警告,待处理,0,2026-12-01 00:00:00\r\n")
            .write(toFile: data + "/violations.csv", atomically: true, encoding: .utf8)
        let after = try tmux.waitFor("Violations · 违规记录 · 9/9")
        #expect(highlighted(after) == "WG2023003", "the highlight moved:\n\(after)")
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }

    @Test func readOnlyLeavesTheDataFolderByteIdentical() throws {
        let data = try Harness.demo(perWeek: 200, anchor: Harness.nowCST())
        // A journal with an entry, as an operator left it.
        let filed = try Harness.shopdeck(["appeals", "file", "--data", data, "--violation", "WG2023003", "--reason", "其他", "--statement", "已发货", "--operator", "A"])
        #expect(filed.status == 0, "\(filed.stderr)")
        func tree() -> [String: String] {
            var out: [String: String] = [:]
            let e = FileManager.default.enumerator(atPath: data)
            while let f = e?.nextObject() as? String {
                var st = stat(); lstat(data + "/" + f, &st)
                out[f] = "\(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
            }
            for d in [data, data + "/.shopdeck"] { var st = stat(); stat(d, &st); out[d] = "\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)" }
            return out
        }
        let before = tree()
        let tmux = try Tmux(width: 120, height: 40, command: "\(Harness.binary) --data \(Tmux.quote(data)) --read-only")
        try tmux.waitForDashboard()
        try tmux.send("a")
        try tmux.waitFor("Violations · 违规记录")
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
        for cmd in [["report", "--format", "json", "--read-only"], ["check", "--read-only"], ["appeals", "list", "--read-only"],
                    ["history", "--read-only"], ["report", "--read-only"]] {
            _ = try Harness.shopdeck(cmd + ["--data", data])
        }
        #expect(tree() == before)
    }
}

/// Review by another account (issue 13): a user who cannot write the journal sees the same
/// appeals as its writer, and nothing is created. Needs root to switch to `nobody`.
@Suite("End to end: a reviewer's account", .serialized, Tools.needsTmux,
       .enabled(if: getuid() == 0 || Tools.underCI, "needs root to run as another user"))
struct ReviewerAccountEndToEndTests {
    static let asNobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--reset-env"]

    @Test func aJournalItCannotWriteStillShowsTheAppeals() throws {
        let data = try Harness.demo(perWeek: 200, anchor: Harness.nowCST())
        let filed = try Harness.shopdeck(["appeals", "file", "--data", data, "--violation", "WG2023003", "--reason", "其他", "--statement", "已发货", "--operator", "A"])
        #expect(filed.status == 0, "\(filed.stderr)")
        // The test's own folders readable by nobody (never the system's: /tmp keeps its mode);
        // the journal stays root's. The binary is copied where nobody can run it (a checkout
        // may sit in a folder only root can enter).
        chmod(data, 0o755); chmod((data as NSString).deletingLastPathComponent, 0o755)
        func tree() -> [String] {
            var out: [String] = []
            let e = FileManager.default.enumerator(atPath: data + "/.shopdeck")
            while let f = e?.nextObject() as? String {
                let a = try? FileManager.default.attributesOfItem(atPath: data + "/.shopdeck/" + f)
                out.append("\(f) \(a?[.size] ?? 0) \((a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
            }
            return out.sorted()
        }
        let before = tree()
        #expect(before.map { $0.split(separator: " ")[0] } == ["appeals.sqlite", "appeals.sqlite.lock", "cache", "cache/snapshot.bin"])
        let binDir = Harness.tempDir("nobody-bin")
        let binary = binDir + "/shopdeck"
        // Copied by a child `cp`, not in this process: a file this process held open for
        // writing would be inherited by any child another test forks meanwhile, and exec of
        // the copy would then fail with ETXTBSY ("Text file busy").
        let copied = try Harness.run(["cp", Harness.binary, binary])
        #expect(copied.status == 0, "\(copied.stderr)")
        chmod(binDir, 0o755); chmod(binary, 0o755)
        let json = try Harness.run(Self.asNobody + [binary, "report", "--data", data, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let j = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect((j["appeals"] as! [[String: Any]]).map { $0["violation_id"] as? String } == ["WG2023003"])
        let v = (j["violations"] as! [[String: Any]]).first { $0["violation_id"] as? String == "WG2023003" }!
        #expect(v["not_appealable_reason"] as? String == "in_progress")
        let list = try Harness.run(Self.asNobody + [binary, "appeals", "list", "--data", data])
        #expect(list.status == 0 && list.stdout.contains("WG2023003"))
        // The dashboard as nobody: review mode, the appeal counted.
        let tmux = try Tmux(width: 120, height: 40, command: (Self.asNobody + ["env", "TERM=xterm-256color", "LANG=C.UTF-8", binary, "--data", data]).map(Tmux.quote).joined(separator: " "))
        let s = try tmux.waitForDashboard()
        #expect(s.contains("filed here 1 · in appeal 1"))
        #expect(s.contains("READ-ONLY") || s.contains("read-only"))
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
        // Nothing created or changed by the reviewer's account (the journal and the snapshot
        // cache are what the operator's filing left).
        #expect(tree() == before)
    }
}
