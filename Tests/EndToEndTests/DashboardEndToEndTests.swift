import Foundation
import Testing

@Suite("End to end: the real binary in tmux", .serialized, Tools.needsTmux)
struct DashboardEndToEndTests {
    @Test func demoDashboardShowsThePanesAFigureHelpAndQuits() throws {
        let data = try Harness.demo()
        let json = try Harness.shopdeck(["report", "--data", data, "--as-of", "2026-11-24 16:00:00", "--format", "json"])
        #expect(json.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let weeks = (report["shipping"] as! [String: Any])["weeks"] as! [[String: Any]]
        let lastWeekRate = weeks[weeks.count - 2]["on_time_rate"] as! Double
        let expected = String(format: "last %.1f%%", lastWeekRate * 100)

        let tmux = try Tmux(command: "\(Harness.binary) --data \(Tmux.quote(data)) --as-of '2026-11-24 16:00:00'")
        let screen = try tmux.waitForDashboard()
        for pane in ["发货 Shipping", "现货·豁免 Spot goods", "违规申诉 Appeals", "定时优惠 Coupons"] { #expect(screen.contains(pane), "\(pane)") }
        #expect(screen.contains(expected), "expected \(expected) on screen:\n\(screen)")
        #expect(screen.contains("as of 2026-11-24 16:00:00 CST"))

        try tmux.send("?")
        try tmux.waitFor("keys (any key closes)")
        try tmux.send("Escape")
        try tmux.waitFor("help closed") { !$0.contains("keys (any key closes)") }
        try tmux.send("Tab", "Enter")
        try tmux.waitFor("Weekly figures")
        try tmux.send("q")
        let after = try tmux.waitFor("EXIT=0")
        #expect(!after.contains("┌─"), "the terminal was left as it was:\n\(after)")
    }

    @Test func resizingRedrawsAndTooSmallSaysSo() throws {
        let data = try Harness.demo(perWeek: 200)
        let tmux = try Tmux(width: 100, height: 30, command: "\(Harness.binary) --data \(Tmux.quote(data)) --as-of '2026-11-24 16:00:00'")
        try tmux.waitForDashboard()
        try tmux.resize(70, 20)
        try tmux.waitFor("at least 80x24")
        try tmux.resize(90, 26)
        try tmux.waitForDashboard()
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }

    @Test func ctrlCRestoresTheTerminal() throws {
        let data = try Harness.demo(perWeek: 200)
        let tmux = try Tmux(command: "\(Harness.binary) --data \(Tmux.quote(data))")
        try tmux.waitForDashboard()
        try tmux.send("C-c")
        let after = try tmux.waitFor("EXIT=")
        #expect(!after.contains("┌─"))
    }
}

@Suite("End to end: commands")
struct CommandEndToEndTests {
    @Test func reportTextAndCheckExitCodes() throws {
        let data = try Harness.demo(perWeek: 300)
        let text = try Harness.shopdeck(["report", "--data", data, "--as-of", "2026-11-24 16:00:00"])
        #expect(text.status == 0 && text.stdout.contains("rows/s") && text.stdout.contains("High spot-goods exemption"))
        let check = try Harness.shopdeck(["check", "--data", data, "--as-of", "2026-11-24 16:00:00"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("late: order 2300000000000000004"))
        let missing = try Harness.shopdeck(["check", "--data", data + "/nope"])
        #expect(missing.status == 2)
        let bad = try Harness.shopdeck(["report", "--data", data, "--as-of", "yesterday"])
        #expect(bad.status != 0 && bad.stderr.contains("--as-of"))
    }

    @Test func checkIsQuietOnAHealthyFolder() throws {
        let d = Harness.tempDir("healthy")
        try "order_id,paid_at,promised_ship_at,status,shipped_at\nA,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货,2023-03-01 12:00:00\n"
            .write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        let r = try Harness.shopdeck(["check", "--data", d, "--as-of", "2023-03-06 10:00:00"])
        #expect(r.status == 0 && r.stdout.isEmpty)
        // A file that cannot be loaded beside a good one is a finding (exit 1), with its reason.
        try "order_id,paid_at,status\nB,2023-03-01 10:00:00,待发货\n".write(toFile: d + "/orders_broken.csv", atomically: true, encoding: .utf8)
        let broken = try Harness.shopdeck(["check", "--data", d, "--as-of", "2023-03-06 10:00:00"])
        #expect(broken.status == 1)
        #expect(broken.stdout.hasPrefix("load error: orders_broken.csv"))
        // Nothing loaded at all (an empty folder, only unrecognised files, a missing folder): exit 2.
        let empty = Harness.tempDir("empty")
        #expect(try Harness.shopdeck(["check", "--data", empty]).status == 2)
        try "a,b\n1,2\n".write(toFile: empty + "/notes.csv", atomically: true, encoding: .utf8)
        #expect(try Harness.shopdeck(["check", "--data", empty]).status == 2)
        #expect(try Harness.shopdeck(["check", "--data", empty + "/nosuch"]).status == 2)
        // Only an export's name on a FIFO and on a link to nothing (beside the unrecognised file):
        // exit 2, and why each was left out is said.
        #expect(mkfifo(empty + "/orders.csv", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: empty + "/aftersales.csv", withDestinationPath: empty + "/gone.csv")
        let leftOut = try Harness.shopdeck(["check", "--data", empty, "--read-only"])
        #expect(leftOut.status == 2)
        #expect(leftOut.stderr.split(separator: "\n").map(String.init) == [
            "load warning: aftersales.csv: skipped: this is a link to nothing readable (No such file or directory), not a regular file; only regular files are read",
            "load warning: orders.csv: skipped: this is a FIFO (named pipe), not a regular file; only regular files are read",
            "load warning: notes.csv:1: not recognised: the name starts with none of orders, 订单, aftersales, 售后, violations, 违规, coupons, 优惠券, 定时优惠, products, 商品, reports, 举报, adjustments, 疫情, 调整, waybills, 运单, 物流 and no row of the first 20 holds every required column of a table",
            "shopdeck check: no export of any table was loaded from \(empty) (an empty folder, or only files that are not exports)",
        ])
    }

    /// report-json.md: text outputs never pass control characters. A cell holding a window
    /// title (OSC 0), a clipboard write (OSC 52), a screen clear, a C1 CSI, a bidi override and
    /// a tab reaches every text output as placeholders: `inspect`, `report --format text`,
    /// `check` and `appeals list`, on standard output and standard error.
    @Test func textOutputsNeverPassControlCharacters() throws {
        let d = Harness.tempDir("hostile-text")
        // A line break inside a quoted cell (and a carriage return) would forge a line of its own.
        let hostile = "\u{1B}]0;pwned\u{07}名\u{1B}]52;c;aGk=\u{07}\u{1B}[2J\u{9B}31m\u{202E}gpj.exe\t尾\n伪造行\r"
        try """
        订单号,订单支付时间,预售/承诺发货时间,订单状态,商品名称,发货时间
        A1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,"\(hostile)",
        A2,2023-03-01 10:00:00,2023-03-02 10:00:00,"\(hostile)",x,

        """.write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        try "product_id,product_name,price\nP1,\"全网第一\(hostile)\",10\n".write(toFile: d + "/products.csv", atomically: true, encoding: .utf8)
        let runs = [
            try Harness.shopdeck(["inspect", d + "/orders.csv"]),
            try Harness.shopdeck(["report", "--data", d, "--format", "text", "--as-of", "2023-03-06 10:00:00", "--read-only"]),
            try Harness.shopdeck(["check", "--data", d, "--as-of", "2023-03-06 10:00:00", "--read-only"]),
            try Harness.shopdeck(["appeals", "list", "--data", d, "--read-only"]),
        ]
        for r in runs {
            for text in [r.stdout, r.stderr] {
                let bad = text.unicodeScalars.filter { u in
                    (u.value < 0x20 && u.value != 0x0A) || (0x7F...0x9F).contains(u.value) || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
                }
                #expect(bad.isEmpty, "control characters passed: \(bad.map { String($0.value, radix: 16) })")
                #expect(!text.split(separator: "\n").contains { $0.hasPrefix("伪造行") }, "a line break from the data was written")
            }
        }
        // The data is still shown, as placeholders: ␛ for ESC, ␇ for BEL, ␉ for the tab, ␊ ␍.
        #expect(runs[0].stdout.contains("␛]0;pwned␇名␛]52;c;aGk=␇␛[2J�31m�gpj.exe␉尾␊伪造行␍"))
        #expect(runs[2].stdout.contains("␛]0;pwned␇"))   // the unknown status, quoted in check's finding
    }

    @Test func inspectJSON() throws {
        let d = Harness.tempDir("inspect")
        try "订单号,订单支付时间,预售/承诺发货时间,订单状态,备注\n1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货,\"a \"\"b\"\"\nc\"\n2,bad,2023-03-02 10:00:00,待发货,\n"
            .write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        let r = try Harness.shopdeck(["inspect", d + "/orders.csv", "--format", "json"])
        let j = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(j["table"] as? String == "orders" && j["encoding"] as? String == "utf-8")
        #expect((j["mapped"] as! [String: String])["订单号"] == "order_id")
        let rows = j["rows"] as! [[String: String]]
        #expect(rows.count == 2 && rows[0]["备注"] == "a \"b\"\nc")
        let errors = j["errors"] as! [[String: Any]]
        #expect(errors.count == 1 && errors[0]["line"] as? Int == 4)
    }
}

@Suite("End to end: live data", .serialized, Tools.needsTmux)
struct LiveEndToEndTests {
    @Test func aChangedExportUpdatesTheScreenInPlace() throws {
        let data = try Harness.demo(perWeek: 200)
        let tmux = try Tmux(command: "\(Harness.binary) --data \(Tmux.quote(data)) --as-of '2026-11-24 16:00:00'")
        try tmux.waitForDashboard()
        try tmux.send("a")
        try tmux.waitFor("Violations · 违规记录 · 8/8")
        let h = FileHandle(forWritingAtPath: data + "/violations.csv")!
        h.seekToEndOfFile()
        h.write(Data("WG2023999,2026-11-24 15:00:00,虚假发货,商家,3,警告,待处理,0,2026-12-01 00:00:00\r\n".utf8))
        try h.close()
        let after = try tmux.waitFor("Violations · 违规记录 · 9/9")
        #expect(after.contains("WG2023999"))
        #expect(after.contains("reloaded violations"))
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }
}
