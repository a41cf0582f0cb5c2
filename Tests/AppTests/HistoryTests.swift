import Foundation
import TestScratch
import Testing
import ShopdeckModel
import ShopdeckRules
@testable import ShopdeckApp

/// The finished weeks kept beside the journal (terminal-ui.md, History and forecast).
@Suite("History")
struct HistoryTests {
    static let header = "order_id,paid_at,promised_ship_at,status,shipped_at\n"

    /// `n` orders paid Monday 2023-02-27, shipped on time, and one this week.
    func orders(_ n: Int) -> String {
        var t = Self.header
        for i in 0..<n { t += "H\(i),2023-02-27 10:00:00,2023-02-28 10:00:00,已发货,2023-02-27 12:00:00\n" }
        return t + "N1,2023-03-06 08:00:00,2023-03-07 08:00:00,待发货,\n"
    }

    func folder(_ text: String) throws -> String {
        let d = Scratch.folder("history")
        try text.write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        return d
    }

    let asOf = CST.instant(year: 2023, month: 3, day: 6, hour: 10)

    @Test func aStoredWeekOutlivesTheExportAndNeverShrinks() throws {
        let d = try folder(orders(10))
        let full = try Workspace.open(folder: d).report(asOf: asOf)
        #expect(History.record(full, folder: d) == nil)
        let stored = try History.stored(folder: d)
        #expect(stored.map(\.weekStart) == ["2023-02-27"])
        #expect(stored.first?.paidOrders == 10 && stored.first?.onTimeRate == 1.0 && stored.first?.spotShare == 1.0)
        // The export rolls the old week off: the stored week stays as it was.
        try orders(0).write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        let rolled = try Workspace.open(folder: d).report(asOf: asOf)
        #expect(History.record(rolled, folder: d) == nil)
        #expect(try History.stored(folder: d) == stored)
        // A reload holding fewer of the week's orders never rewrites it; more does.
        try orders(4).write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        History.record(try Workspace.open(folder: d).report(asOf: asOf), folder: d)
        #expect(try History.stored(folder: d).first?.paidOrders == 10)
        try orders(12).write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        History.record(try Workspace.open(folder: d).report(asOf: asOf), folder: d)
        #expect(try History.stored(folder: d).first?.paidOrders == 12)
        // The current week is never stored: it is not finished.
        #expect(try History.stored(folder: d).map(\.weekStart) == ["2023-02-27"])
    }

    @Test func aReportOverUnchangedExportsCommitsNothing() throws {
        let d = try folder(orders(10))
        let ws = try Workspace.open(folder: d)
        #expect(History.record(ws.report(asOf: asOf), folder: d) == nil)
        func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: History.path(folder: d))) }
        let first = try bytes()
        // An hour later over the same exports: the same figures, so not a byte changes (not
        // the week's recording time, not SQLite's change counter): nothing was committed.
        #expect(History.record(ws.report(asOf: asOf + 3600), folder: d) == nil)
        #expect(try bytes() == first)
        // New figures for the week are written.
        try orders(12).write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        #expect(History.record(try Workspace.open(folder: d).report(asOf: asOf + 3600), folder: d) == nil)
        #expect(try bytes() != first)
        #expect(try History.stored(folder: d).map(\.paidOrders) == [12])
    }

    @Test func aHistoryLeftByAKilledWriterIsReadAsItsLastCommitWithoutWriting() throws {
        let live = try folder(orders(10))
        History.record(try Workspace.open(folder: live).report(asOf: asOf), folder: live)
        let stored = try History.stored(folder: live)
        #expect(stored.map(\.paidOrders) == [10])
        let d = try folder(orders(10))
        try leaveACrashedWriter(of: History.path(folder: live), at: History.path(folder: d))
        #expect(sqliteRefusesAReadOnlyReader(History.path(folder: d)))
        let journal = try Data(contentsOf: URL(fileURLWithPath: History.path(folder: d) + "-journal"))
        #expect(try History.stored(folder: d) == stored)
        // Untouched: the hot journal is still there for the next writer to roll back.
        #expect(try Data(contentsOf: URL(fileURLWithPath: History.path(folder: d) + "-journal")) == journal)
        #expect(History.record(try Workspace.open(folder: d).report(asOf: asOf), folder: d) == nil)
        #expect(!FileManager.default.fileExists(atPath: History.path(folder: d) + "-journal"))
        #expect(try History.stored(folder: d) == stored)
    }

    @Test func jsonHasTheContractKeys() throws {
        let d = try folder(orders(3))
        History.record(try Workspace.open(folder: d).report(asOf: asOf), folder: d)
        let j = History.json(try History.stored(folder: d)).serialized()
        #expect(j == #"{"weeks":[{"week_start":"2023-02-27","paid_orders":3,"spot_share":1.0,"due_orders":3,"on_time_rate":1.0,"pickup_anomaly_rate":null,"refund_only_avg_hours":null,"return_refund_avg_hours":null,"spot_orders":3,"on_time_orders":3,"pickup_checked":0,"pickup_anomalies":0,"refund_only_count":0,"return_refund_count":0}]}"#)
    }

    @Test func aSymlinkedShopdeckFolderIsNotWritten() throws {
        let d = try folder(orders(3))
        let elsewhere = d + "-elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: d + "/.shopdeck", withDestinationPath: elsewhere)
        #expect(History.record(try Workspace.open(folder: d).report(asOf: asOf), folder: d) == "\(d)/.shopdeck is a symbolic link")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    }
}
