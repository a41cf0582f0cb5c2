import Foundation
import Testing

/// `report` and `check` on a folder of shop folders, through the real binary.
@Suite("End to end: a fleet of shops")
struct FleetEndToEndTests {
    func fleet(broken: Bool) throws -> String {
        let root = Harness.tempDir("fleet")
        let head = "order_id,paid_at,promised_ship_at,status,shipped_at\n"
        for (name, row) in [("a-late", "L1,2023-03-04 09:00:00,2023-03-05 09:00:00,待发货,\n"), ("b-quiet", "Q1,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货,2023-03-01 12:00:00\n")] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            try (head + row).write(toFile: root + "/" + name + "/orders.csv", atomically: true, encoding: .utf8)
        }
        if broken {
            try FileManager.default.createDirectory(atPath: root + "/c-broken", withIntermediateDirectories: true)
            try "[店铺]\n".write(toFile: root + "/c-broken/shopdeck.toml", atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func checkExitsWithTheWorstShopAndNamesEachFinding() throws {
        let ok = try fleet(broken: false)
        let r = try Harness.shopdeck(["check", "--data", ok, "--as-of", "2023-03-06 10:00:00"])
        #expect(r.status == 1)
        #expect(r.stdout == "a-late: late: order L1 was due 2023-03-05 09:00:00 and is not shipped\n")
        let bad = try fleet(broken: true)
        let b = try Harness.shopdeck(["check", "--data", bad, "--as-of", "2023-03-06 10:00:00"])
        #expect(b.status == 2)
        #expect(b.stderr.hasPrefix("c-broken: cannot be loaded: "))
    }

    @Test func reportJSONListsEveryShop() throws {
        let root = try fleet(broken: true)
        let r = try Harness.shopdeck(["report", "--data", root, "--as-of", "2023-03-06 10:00:00", "--format", "json"])
        #expect(r.status == 0)
        let j = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let shops = j["shops"] as! [[String: Any]]
        #expect(shops.map { $0["path"] as! String } == ["a-late", "b-quiet", "c-broken"])
        #expect(shops.map { $0["name"] as! String } == ["a-late", "b-quiet", "c-broken"])
        #expect(shops[2]["report"] is NSNull && (shops[2]["error"] as? String)?.isEmpty == false)
        let late = (shops[0]["report"] as! [String: Any])["shipping"] as! [String: Any]
        #expect(late["late_unshipped"] as! [String] == ["L1"])
        let text = try Harness.shopdeck(["report", "--data", root, "--as-of", "2023-03-06 10:00:00"]).stdout
        let rows = text.split(separator: "\n").map(String.init)
        #expect(rows.count == 4 && rows[1].hasPrefix("c-broken ") && rows[2].hasPrefix("a-late ") && rows[3].hasPrefix("b-quiet "))
    }
}

/// `shopdeck history` through the real binary: the weeks survive the exports.
@Suite("End to end: history")
struct HistoryEndToEndTests {
    @Test func historySurvivesTheExportsAndReviewWritesNothing() throws {
        let data = try Harness.demo(perWeek: 100, anchor: Harness.nowCST())
        let ro = try Harness.shopdeck(["history", "--data", data, "--format", "json", "--read-only"])
        #expect(ro.status == 0)
        #expect(!FileManager.default.fileExists(atPath: data + "/.shopdeck/history.sqlite"))
        let first = try Harness.shopdeck(["history", "--data", data, "--format", "json"])
        #expect(first.status == 0)
        let weeks = (try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as! [String: Any])["weeks"] as! [[String: Any]]
        #expect(weeks.count >= 5)
        #expect(FileManager.default.fileExists(atPath: data + "/.shopdeck/history.sqlite"))
        // The order exports go: the stored weeks stay, figure for figure.
        for f in try FileManager.default.contentsOfDirectory(atPath: data) where f.hasPrefix("orders") || f.hasPrefix("订单") {
            try FileManager.default.removeItem(atPath: data + "/" + f)
        }
        let after = try Harness.shopdeck(["history", "--data", data, "--format", "json"])
        #expect(after.stdout == first.stdout)
        let csv = try Harness.shopdeck(["history", "--data", data, "--format", "csv"]).stdout
        #expect(csv.hasPrefix("week_start,paid_orders,spot_share,due_orders,on_time_rate,pickup_anomaly_rate,refund_only_avg_hours,return_refund_avg_hours\n"))
        #expect(csv.split(separator: "\n").count == weeks.count + 1)
    }
}

/// The fleet view in tmux: ranked rows, Enter into a shop and Esc back with the selection kept,
/// a changed file updating its shop's row.
@Suite("End to end: the fleet view", .serialized, Tools.needsTmux)
struct FleetViewEndToEndTests {
    @Test func rankedRowsEnterEscAndLiveRows() throws {
        let root = Harness.tempDir("fleetview")
        let head = "order_id,paid_at,promised_ship_at,status,shipped_at\n"
        for (name, row) in [("a-quiet", "Q1,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货,2023-03-01 12:00:00\n"),
                            ("b-late", "L1,2023-03-04 09:00:00,2023-03-05 09:00:00,待发货,\n"),
                            ("c-soon", "S1,2023-03-05 13:00:00,2023-03-06 13:00:00,待发货,\n")] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            try (head + row).write(toFile: root + "/" + name + "/orders.csv", atomically: true, encoding: .utf8)
        }
        let tmux = try Tmux(width: 120, height: 30, command: "\(Harness.binary) --data \(Tmux.quote(root)) --as-of '2023-03-06 10:00:00'")
        func order(_ s: String) -> [String] {
            s.split(separator: "\n").compactMap { l -> String? in
                let t = l.dropFirst(2)
                return ["a-quiet", "b-late", "c-soon"].first { t.hasPrefix($0) }
            }
        }
        let s = try tmux.waitFor("three ranked rows") { order($0).count == 3 }
        #expect(order(s) == ["b-late", "c-soon", "a-quiet"])
        #expect(s.contains("late 1 · at risk 1"))
        try tmux.send("j", "Enter")
        try tmux.waitFor("the shop's dashboard") { $0.contains("shopdeck · c-soon") && $0.contains("发货 Shipping") && !$0.contains("loading…") }
        try tmux.send("Escape")
        let back = try tmux.waitFor("back in the fleet, row 2") { $0.contains("按紧急程度 · 2/3") }
        #expect(order(back) == ["b-late", "c-soon", "a-quiet"])
        // a-quiet gets a late order: its row updates and it ranks first (two late orders).
        try (head + "Q1,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货,2023-03-01 12:00:00\nQ2,2023-03-03 09:00:00,2023-03-04 09:00:00,待发货,\nQ3,2023-03-03 09:00:00,2023-03-04 09:00:00,待发货,\n")
            .write(toFile: root + "/a-quiet/orders.csv", atomically: true, encoding: .utf8)
        let updated = try tmux.waitFor("a-quiet first") { order($0).first == "a-quiet" }
        #expect(updated.contains("late 3 · at risk 1"))
        // The selection stayed on c-soon, now the third row.
        #expect(updated.contains("按紧急程度 · 3/3"))
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }
}

/// A journal that cannot be read is an error on every command, never an empty list (issue 13).
@Suite("End to end: a broken journal")
struct BrokenJournalEndToEndTests {
    @Test func garbageAndNewerJournalsStopReportAndCheck() throws {
        let d = Harness.tempDir("badjournal")
        try "violation_id,notified_at,rule,status,appeal_deadline\nV1,2023-03-01 10:00:00,超时未发货,待处理,2099-01-01 00:00:00\n"
            .write(toFile: d + "/violations.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: d + "/.shopdeck", withIntermediateDirectories: true)
        try Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: d + "/.shopdeck/appeals.sqlite"))
        let asOf = ["--as-of", "2023-03-06 10:00:00"]
        for cmd in [["report", "--format", "json"] + asOf, ["check"] + asOf, ["history"] + asOf, ["appeals", "list"]] {
            let r = try Harness.shopdeck(cmd + ["--data", d])
            #expect(r.status == 2, "\(cmd): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("the journal cannot be read"), "\(cmd): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(cmd) printed figures without the appeals")
        }
    }
}
