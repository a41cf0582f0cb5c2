import Foundation
import GRDB
import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// The finished weeks' figures of one shop, kept in `.shopdeck/history.sqlite` beside the
/// appeal journal (terminal-ui.md, History and forecast), so the trend outlives the exports:
/// a backend export rolls old orders off, the stored week stays.
///
/// - Only finished weeks (Sunday 23:59:59 before the moment of computation) of a live
///   computation are stored: a replay's figures are as of a past moment and never overwrite.
/// - A stored week is replaced only by figures holding at least as many paid orders (a reload
///   of an export that lost some of the week's orders never shrinks it), and only when they
///   differ: a report over unchanged exports commits nothing (it keeps the first recording
///   time of those figures).
/// - Nothing is written in review mode or where `.shopdeck` cannot be written; reading creates
///   no file (a rollback journal, read-only opening, as for the appeal journal).
public enum History {
    /// One stored week (the `history` output's keys).
    public struct Week: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
        public static let databaseTableName = "week"
        public var weekStart: String
        public var paidOrders: Int
        public var spotOrders: Int
        public var dueOrders: Int
        public var onTimeOrders: Int
        public var pickupChecked: Int
        public var pickupAnomalies: Int
        public var refundOnlyCount: Int
        public var refundOnlyAvgHours: Double?
        public var returnRefundCount: Int
        public var returnRefundAvgHours: Double?
        public var recordedAt: String

        enum CodingKeys: String, CodingKey {
            case weekStart = "week_start", paidOrders = "paid_orders", spotOrders = "spot_orders", dueOrders = "due_orders"
            case onTimeOrders = "on_time_orders", pickupChecked = "pickup_checked", pickupAnomalies = "pickup_anomalies"
            case refundOnlyCount = "refund_only_count", refundOnlyAvgHours = "refund_only_avg_hours"
            case returnRefundCount = "return_refund_count", returnRefundAvgHours = "return_refund_avg_hours"
            case recordedAt = "recorded_at"
        }

        public var spotShare: Double? { paidOrders == 0 ? nil : Double(spotOrders) / Double(paidOrders) }
        public var onTimeRate: Double? { dueOrders == 0 ? nil : Double(onTimeOrders) / Double(dueOrders) }
        public var pickupAnomalyRate: Double? { pickupChecked == 0 ? nil : Double(pickupAnomalies) / Double(pickupChecked) }

        /// The same figures, whenever they were recorded.
        func sameFigures(as other: Week) -> Bool {
            var mine = self
            mine.recordedAt = other.recordedAt
            return mine == other
        }
    }

    public static func path(folder: String) -> String { folder + "/.shopdeck/history.sqlite" }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: week") { db in
            try db.create(table: "week") { t in
                t.primaryKey("week_start", .text)
                for c in ["paid_orders", "spot_orders", "due_orders", "on_time_orders", "pickup_checked", "pickup_anomalies",
                          "refund_only_count", "return_refund_count"] {
                    t.column(c, .integer).notNull().check { $0 >= 0 }
                }
                t.column("refund_only_avg_hours", .double)
                t.column("return_refund_avg_hours", .double)
                t.column("recorded_at", .text).notNull()
            }
        }
        return m
    }

    /// The finished weeks of `report` (computed live as of `report.asOf`).
    public static func finishedWeeks(_ report: Report) -> [Week] {
        let current = CST.weekStart(report.asOf)
        let after = Dictionary(report.aftersales.weeks.map { ($0.weekStart, $0) }, uniquingKeysWith: { a, _ in a })
        let recorded = CST.format(report.asOf)
        return report.shipping.weeks.filter { $0.weekStart < current }.map { w in
            let a = after[w.weekStart]
            return Week(weekStart: CST.formatDate(w.weekStart), paidOrders: w.paidOrders, spotOrders: w.spotOrders,
                        dueOrders: w.dueOrders, onTimeOrders: w.onTimeOrders, pickupChecked: w.pickupChecked,
                        pickupAnomalies: w.pickupAnomalies, refundOnlyCount: a?.refundOnlyCount ?? 0,
                        refundOnlyAvgHours: a?.refundOnlyAvgHours, returnRefundCount: a?.returnRefundCount ?? 0,
                        returnRefundAvgHours: a?.returnRefundAvgHours, recordedAt: recorded)
        }
    }

    /// Why history is not written for `folder` (nil when it may be).
    public static func unwritable(folder: String) -> String? {
        let dir = folder + "/.shopdeck"
        var st = stat()
        if lstat(dir, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFLNK { return "\(dir) is a symbolic link" }
            return access(dir, W_OK) == 0 ? nil : "\(dir) is not writable"
        }
        return access(folder, W_OK) == 0 ? nil : "\(folder) is not writable"
    }

    /// Stores the finished weeks of a live computation. Never shrinks a stored week. Errors
    /// are returned, not thrown: history is a convenience, a figure never waits on it.
    @discardableResult
    public static func record(_ report: Report, folder: String) -> String? {
        let weeks = finishedWeeks(report)
        guard !weeks.isEmpty else { return nil }
        if let why = unwritable(folder: folder) { return why }
        do {
            try FileManager.default.createDirectory(atPath: folder + "/.shopdeck", withIntermediateDirectories: true)
            var config = Configuration()
            config.busyMode = .timeout(10)
            let q = try DatabaseQueue(path: path(folder: folder), configuration: config)
            try q.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
            try migrator.migrate(q)
            try q.write { db in
                // The stored weeks read in one query (a query a week took 30 ms for four years of
                // weeks); a week whose figures are stored already is not written again, so a
                // report over unchanged exports commits nothing (no sync to disk).
                let stored = Dictionary(try Week.fetchAll(db).map { ($0.weekStart, $0) }, uniquingKeysWith: { a, _ in a })
                for w in weeks {
                    if let old = stored[w.weekStart], old.paidOrders > w.paidOrders || old.sameFigures(as: w) { continue }
                    try w.save(db)
                }
            }
            return nil
        } catch {
            return "history not written: \(error)"
        }
    }

    /// The stored weeks, ascending (none when nothing is stored). Reading writes nothing.
    public static func stored(folder: String) throws -> [Week] {
        let p = path(folder: folder)
        guard case .regular = FileReader.entryKind(p) else { return [] }
        var config = Configuration()
        config.busyMode = .timeout(10) // a writer storing weeks holds the file for milliseconds
        // A history left beside a hot journal (a writer killed mid-write) is read as its last commit.
        return try ReadOnlyDatabase(path: p, configuration: config).read { db in
            guard try db.tableExists("week") else { return [] }
            return try Week.order(Column("week_start")).fetchAll(db)
        }
    }

    /// Stored weeks with the current computation's finished weeks over them (the one with more
    /// paid orders wins, as when storing), ascending.
    public static func merged(stored: [Week], current: [Week]) -> [Week] {
        var by = Dictionary(stored.map { ($0.weekStart, $0) }, uniquingKeysWith: { a, _ in a })
        for w in current where (by[w.weekStart]?.paidOrders ?? -1) <= w.paidOrders { by[w.weekStart] = w }
        return by.values.sorted { $0.weekStart < $1.weekStart }
    }

    /// `{"weeks": [...]}` (issue 15, `shopdeck history`).
    public static func json(_ weeks: [Week]) -> JSON {
        .object([("weeks", .array(weeks.map { w in .object([
            ("week_start", .string(w.weekStart)), ("paid_orders", .int(w.paidOrders)), ("spot_share", .opt(w.spotShare)),
            ("due_orders", .int(w.dueOrders)), ("on_time_rate", .opt(w.onTimeRate)), ("pickup_anomaly_rate", .opt(w.pickupAnomalyRate)),
            ("refund_only_avg_hours", .opt(w.refundOnlyAvgHours)), ("return_refund_avg_hours", .opt(w.returnRefundAvgHours)),
            ("spot_orders", .int(w.spotOrders)), ("on_time_orders", .int(w.onTimeOrders)), ("pickup_checked", .int(w.pickupChecked)),
            ("pickup_anomalies", .int(w.pickupAnomalies)), ("refund_only_count", .int(w.refundOnlyCount)),
            ("return_refund_count", .int(w.returnRefundCount)),
        ]) }))])
    }

    public static func csv(_ weeks: [Week]) -> String {
        func d(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        var lines = ["week_start,paid_orders,spot_share,due_orders,on_time_rate,pickup_anomaly_rate,refund_only_avg_hours,return_refund_avg_hours"]
        for w in weeks {
            lines.append([w.weekStart, "\(w.paidOrders)", d(w.spotShare), "\(w.dueOrders)", d(w.onTimeRate), d(w.pickupAnomalyRate),
                          d(w.refundOnlyAvgHours), d(w.returnRefundAvgHours)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func text(_ weeks: [Week]) -> String {
        func p(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func h(_ x: Double?) -> String { x.map { String(format: "%.1fh", $0) } ?? "—" }
        var lines = ["week        paid    spot    due     on time pickup  refund  return"]
        for w in weeks {
            lines.append([w.weekStart, "\(w.paidOrders)", p(w.spotShare), "\(w.dueOrders)", p(w.onTimeRate), p(w.pickupAnomalyRate),
                          h(w.refundOnlyAvgHours), h(w.returnRefundAvgHours)].map { $0.padding(toLength: max(8, $0.count + 1), withPad: " ", startingAt: 0) }.joined())
        }
        return Sanitize.lines(lines)
    }
}
