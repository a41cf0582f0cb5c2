import Foundation
import GRDB
import ShopdeckModel
import ShopdeckRules
#if canImport(Glibc)
import Glibc
#endif

/// The local appeal journal: SQLite through GRDB, in WAL mode, with migrations. An entry is
/// written in one transaction or not at all; UNIQUE (violation_id, attempt) makes two
/// operators filing the same attempt at once end with exactly one entry.
public final class AppealJournal {
    public let path: String
    let db: any DatabaseWriter & DatabaseReader

    /// One row of the `appeal` table (GRDB record with its columns).
    struct Row: Codable, FetchableRecord, PersistableRecord {
        static let databaseTableName = "appeal"
        var id: Int64?
        var violationId: String
        var attempt: Int
        var filedAt: String
        var filedEpoch: Int64
        var reason: String
        var statement: String
        var evidence: String
        var operatorName: String

        enum Columns {
            static let violationId = Column(CodingKeys.violationId)
            static let attempt = Column(CodingKeys.attempt)
            static let filedEpoch = Column(CodingKeys.filedEpoch)
        }
        enum CodingKeys: String, CodingKey {
            case id, attempt, reason, statement, evidence
            case violationId = "violation_id", filedAt = "filed_at", filedEpoch = "filed_epoch", operatorName = "operator"
        }
        mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case attemptTaken(violation: String, attempt: Int, by: String, at: String)
        case readOnly(String)
        case invalid(String)
        public var description: String {
            switch self {
            case let .attemptTaken(v, a, by, at): return "attempt \(a) of violation \(v) is already filed (by \(by) at \(at)); nothing was written"
            case .readOnly(let why): return "the journal is read-only: \(why)"
            case .invalid(let why): return why
            }
        }
    }

    /// Migrations are never edited once shipped: add a new one instead.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: appeal") { db in
            try db.create(table: "appeal") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("violation_id", .text).notNull().check { length($0) > 0 }
                t.column("attempt", .integer).notNull().check { $0 >= 1 }
                t.column("filed_at", .text).notNull()
                t.column("filed_epoch", .integer).notNull()
                t.column("reason", .text).notNull()
                t.column("statement", .text).notNull().check(sql: "length(trim(statement)) > 0")
                t.column("evidence", .text).notNull().defaults(to: "[]")
                t.column("operator", .text).notNull()
                t.uniqueKey(["violation_id", "attempt"])
            }
        }
        return m
    }

    /// Opens (creating when needed) the journal at `path`. The WAL switch and the migration
    /// run under an exclusive `flock` on `path.lock`: SQLite's busy timeout covers neither,
    /// so two processes creating the same journal at once would otherwise race.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.readonly = readOnly
        if readOnly {
            guard FileManager.default.fileExists(atPath: path) else { throw Failure.readOnly("\(path) does not exist") }
            // Wait while another process is still creating or migrating the journal.
            let lockFD = open(path + ".lock", O_RDONLY)
            if lockFD >= 0 { while flock(lockFD, LOCK_SH) != 0 && errno == EINTR {} }
            defer { if lockFD >= 0 { flock(lockFD, LOCK_UN); close(lockFD) } }
            db = try DatabaseQueue(path: path, configuration: config)
            return
        }
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir.isEmpty ? "." : dir, withIntermediateDirectories: true)
        let lockFD = open(path + ".lock", O_RDWR | O_CREAT, 0o644)
        guard lockFD >= 0 else { throw Failure.readOnly("cannot create \(path).lock: \(String(cString: strerror(errno)))") }
        defer { flock(lockFD, LOCK_UN); close(lockFD) }
        while flock(lockFD, LOCK_EX) != 0 && errno == EINTR {}
        let pool = try DatabasePool(path: path, configuration: config)
        try AppealJournal.migrator.migrate(pool)
        db = pool
    }

    /// Every entry, by filing time.
    public func entries() throws -> [AppealEntry] {
        try db.read { db in
            // A journal another process has just created may not have its table yet.
            guard try db.tableExists(Row.databaseTableName) else { return [] }
            return try Row.order(Row.Columns.filedEpoch, Row.Columns.violationId, Row.Columns.attempt).fetchAll(db).map(AppealJournal.entry)
        }
    }

    static func entry(_ r: Row) -> AppealEntry {
        let ev = (try? JSONDecoder().decode([String].self, from: Data(r.evidence.utf8))) ?? []
        return AppealEntry(violationId: r.violationId, attempt: r.attempt, filedAt: r.filedEpoch, reason: r.reason,
                           statement: r.statement, evidence: ev, operatorName: r.operatorName)
    }

    /// Writes one entry in one transaction. A taken attempt throws `.attemptTaken`.
    public func file(_ e: AppealEntry) throws {
        let evidence = String(decoding: try JSONEncoder().encode(e.evidence), as: UTF8.self)
        var row = Row(id: nil, violationId: e.violationId, attempt: e.attempt, filedAt: CST.format(e.filedAt), filedEpoch: e.filedAt,
                      reason: e.reason, statement: e.statement, evidence: evidence, operatorName: e.operatorName)
        do {
            try db.write { db in try row.insert(db) }
        } catch let err as DatabaseError where err.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            let other = try? db.read { db in
                try Row.filter(Row.Columns.violationId == e.violationId && Row.Columns.attempt == e.attempt).fetchOne(db)
            }
            throw Failure.attemptTaken(violation: e.violationId, attempt: e.attempt, by: other?.operatorName ?? "another operator", at: other?.filedAt ?? "?")
        } catch let err as DatabaseError where err.resultCode == .SQLITE_READONLY {
            throw Failure.readOnly("\(path) is not writable")
        } catch let err as DatabaseError where err.resultCode == .SQLITE_CONSTRAINT {
            throw Failure.invalid("the journal refused the entry: \(err.message ?? "constraint failed")")
        }
    }

    /// `PRAGMA integrity_check` result ("ok" when sound).
    public func integrity() throws -> String {
        try db.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "?" }
    }
}
