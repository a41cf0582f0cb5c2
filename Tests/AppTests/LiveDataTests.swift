import Foundation
import TestScratch
import Testing
import ShopdeckModel
import ShopdeckRules
@testable import ShopdeckApp

/// The folder changes under us: writes, appends, truncation, renames, deletions; a broken
/// file keeps the last good table. No fixed sleeps: each step waits on the watcher's event.
@Suite("Live data", .serialized)
struct LiveDataTests {
    func folder() -> String {
        let d = Scratch.folder("live")
        return d
    }
    let header = "order_id,paid_at,promised_ship_at,status\n"
    func rows(_ from: Int, _ n: Int) -> String {
        (from..<(from + n)).map { "O\($0),2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n" }.joined()
    }
    func write(_ path: String, _ text: String) { try! text.write(toFile: path, atomically: false, encoding: .utf8) }
    func append(_ path: String, _ text: String) {
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile(); h.write(Data(text.utf8)); try! h.close()
    }

    @Test(arguments: [true, false])
    func writesAppendsTruncatesRenamesDeletes(_ inotify: Bool) throws {
        let d = folder()
        write(d + "/orders.csv", header + rows(0, 10))
        write(d + "/violations.csv", "violation_id,notified_at,rule,status\nV1,2023-03-01 10:00:00,超时未发货,待处理\n")
        var ws = try Workspace.open(folder: d)
        let w = FolderWatcher(folder: d, settle: 0.1, pollInterval: 0.2, inotify: inotify)
        #expect(w.usesInotify == inotify)
        #expect(ws.snapshot.orders.count == 10)

        append(d + "/orders.csv", rows(10, 5))
        var changed = try #require(w.wait(timeout: 5))
        #expect(changed == ["orders.csv"])
        #expect(try ws.reload(changed: changed) == ["orders"])
        #expect(ws.snapshot.orders.count == 15 && ws.snapshot.violations.count == 1)

        // Broken (the required column gone): the last good table stays, with a warning.
        write(d + "/orders.csv", "order_id,status\nO1,待发货\n")
        changed = try #require(w.wait(timeout: 5))
        try ws.reload(changed: changed)
        #expect(ws.snapshot.orders.count == 15)
        #expect(ws.snapshot.errors.contains { $0.file == "orders.csv" && $0.reason.contains("kept the last good orders table") })
        // Recovering the file recovers the table.
        write(d + "/orders.csv", header + rows(100, 3))
        changed = try #require(w.wait(timeout: 5))
        try ws.reload(changed: changed)
        #expect(ws.snapshot.orders.count == 3 && ws.snapshot.errors.isEmpty)

        // Rename: both names change; the orders are re-read from the new name.
        try FileManager.default.moveItem(atPath: d + "/orders.csv", toPath: d + "/orders_march.csv")
        changed = try #require(w.wait(timeout: 5))
        #expect(changed == ["orders.csv", "orders_march.csv"])
        try ws.reload(changed: changed)
        #expect(ws.snapshot.orders.count == 3 && ws.snapshot.files.map(\.path).contains("orders_march.csv"))

        // Delete: the violations table empties; orders untouched.
        try FileManager.default.removeItem(atPath: d + "/violations.csv")
        changed = try #require(w.wait(timeout: 5))
        #expect(try ws.reload(changed: changed) == ["violations"])
        #expect(ws.snapshot.violations.isEmpty && ws.snapshot.orders.count == 3)
    }

    /// Appended orders are applied without re-reading the table, and give exactly what a
    /// full load gives: an id appended again overrides its earlier row; line numbers hold.
    @Test func appendedOrdersMatchAFullLoad() throws {
        let d = folder()
        write(d + "/orders.csv", header + rows(0, 50))
        var s = DataLoader.load(folder: d)
        append(d + "/orders.csv", "O3,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货\nBAD,yesterday,2023-03-02 10:00:00,待发货\n" + rows(50, 20))
        write(d + "/orders_new.csv", header + rows(70, 5))
        let tables = DataLoader.reload(folder: d, changed: ["orders.csv", "orders_new.csv"], snapshot: &s)
        #expect(tables == [.orders])
        let full = DataLoader.load(folder: d)
        #expect(s.orders.count == full.orders.count && s.orders.count == 75)
        #expect((0..<s.orders.count).map(s.orders.id) == (0..<full.orders.count).map(full.orders.id))
        #expect(s.orders.status == full.orders.status && s.orders.status[3] == .shipped)
        #expect(s.errors == full.errors && s.errors.first?.line == 53)
        #expect(s.files == full.files)
        // A rewrite (not an append) takes the full path and still agrees.
        write(d + "/orders.csv", header + rows(200, 3))
        _ = DataLoader.reload(folder: d, changed: ["orders.csv"], snapshot: &s)
        #expect(s.orders.count == DataLoader.load(folder: d).orders.count)
    }

    @Test func aFileStillBeingWrittenIsReadOnceWhenItSettles() throws {
        let d = folder()
        let w = FolderWatcher(folder: d, settle: 0.4, pollInterval: 0.1)
        let path = d + "/orders.csv"
        write(path, header + rows(0, 2) + "O2,2023-03-01 10:")   // half a row
        #expect(w.poll() == nil)                                // not settled yet
        append(path, "00:00,2023-03-02 10:00:00,待发货\n")
        let changed = try #require(w.wait(timeout: 5))
        #expect(changed == ["orders.csv"])
        let s = DataLoader.load(folder: d)
        #expect(s.orders.count == 3 && s.errors.isEmpty)
    }

    @Test func reportAndDashboardAgree() throws {
        let d = folder()
        try DemoShop(seed: 3, anchor: CST.instant(year: 2026, month: 11, day: 24, hour: 16), ordersPerWeek: 200).write(to: d)
        let T = CST.instant(year: 2026, month: 11, day: 24, hour: 16)
        let ws = try Workspace.open(folder: d)
        let a = ws.report(asOf: T)
        var s = AppState(report: a, folder: d, now: T, fixedAsOf: T)
        s.shopName = ws.config.name
        let screen = View.render(s, width: 120, height: 40).text()
        #expect(screen.contains("late \(a.shipping.lateUnshipped.count)"))
        // The same folder through a fresh load gives the same JSON.
        let b = try Workspace.open(folder: d).report(asOf: T)
        func strip(_ r: Report) -> String {
            guard case .object(let o) = r.json() else { return "" }
            return o.filter { $0.0 != "load" }.map { $0.1.serialized() }.joined()
        }
        #expect(strip(a) == strip(b))
    }
}
