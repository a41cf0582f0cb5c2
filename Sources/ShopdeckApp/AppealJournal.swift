import Foundation
import GRDB
import ShopdeckModel
import ShopdeckRules
#if canImport(Glibc)
import Glibc
#endif

/// The local appeal journal: SQLite through GRDB, with migrations. An entry is written in one
/// transaction or not at all; UNIQUE (violation_id, attempt) makes two operators filing the
/// same attempt at once end with exactly one entry.
///
/// The journal uses SQLite's rollback journal (`journal_mode=DELETE`), not WAL: a reader
/// opened read-only then creates no file at all (WAL needs a `-shm` file even to read), so
/// review mode, `report` and `check` never touch the data folder. A journal left in WAL mode
/// by an earlier version is switched back by its next writer, and a hot rollback journal left by
/// a writer killed mid-transaction is rolled back by the next writer; until then a read-only
/// reader reads a private copy (`ReadOnlyDatabase`).
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
        /// Written by a newer shopdeck: never read as ours, never written.
        case newer(String)
        /// Not a journal shopdeck can read (garbage, another program's database, a missing table).
        case unreadable(String)
        public var description: String {
            switch self {
            case let .attemptTaken(v, a, by, at): return "attempt \(a) of violation \(v) is already filed (by \(by) at \(at)); nothing was written"
            case .readOnly(let why): return "the journal is read-only: \(why)"
            case .invalid(let why): return why
            case .newer(let why): return "the journal was written by a newer version of shopdeck (\(why)): update shopdeck to read it; nothing was read or written"
            case .unreadable(let why): return "the journal cannot be read: \(why)"
            }
        }
    }

    /// The schema versions this build knows (`PRAGMA user_version` and GRDB's migration names).
    static let schemaVersion = 1
    static let knownMigrations: Set<String> = ["v1: appeal"]

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
    /// A read-only reader's database (in place, or a private copy: `ReadOnlyDatabase`).
    private var readOnlyStore: ReadOnlyDatabase?

    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.readonly = readOnly
        if readOnly {
            guard case .regular = FileReader.entryKind(path) else {
                if case .missing = FileReader.entryKind(path) { throw Failure.readOnly("\(path) does not exist") }
                throw Failure.unreadable("\(path) is not a regular file")
            }
            guard access(path, R_OK) == 0 else { throw Failure.unreadable("\(path): permission denied") }
            // A journal in WAL mode or beside a hot rollback journal is read from a private copy.
            do { let store = try ReadOnlyDatabase(path: path, configuration: config); readOnlyStore = store; db = store.queue }
            catch { throw Failure.unreadable("\(error)") }
            return
        }
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir.isEmpty ? "." : dir, withIntermediateDirectories: true)
        let lockFD = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard lockFD >= 0 else { throw Failure.readOnly("cannot create \(path).lock: \(String(cString: strerror(errno)))") }
        defer { flock(lockFD, LOCK_UN); close(lockFD) }
        while flock(lockFD, LOCK_EX) != 0 && errno == EINTR {}
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue(path: path, configuration: config) }
        catch { throw Failure.unreadable("\(error)") }
        do {
            try queue.writeWithoutTransaction { db in
                try AppealJournal.checkSchema(db)
                // Rollback journal: readers never need a file of their own (see above).
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            }
            try AppealJournal.migrator.migrate(queue)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = \(AppealJournal.schemaVersion)") }
        } catch let f as Failure { throw f }
        catch let e as DatabaseError where e.resultCode == .SQLITE_READONLY { throw Failure.readOnly("\(path) is not writable") }
        catch { throw Failure.unreadable("\(error)") }
        db = queue
    }

    /// Refuses a journal this build must not read or write: a newer schema (a higher
    /// `user_version`, or migrations it does not know), or a database that is not a journal.
    static func checkSchema(_ db: Database) throws {
        let version: Int
        do { version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
        catch { throw Failure.unreadable("\(error)") }
        if version > schemaVersion { throw Failure.newer("schema version \(version); this shopdeck knows \(schemaVersion)") }
        if try db.tableExists("grdb_migrations") {
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            let unknown = applied.filter { !knownMigrations.contains($0) }
            if !unknown.isEmpty { throw Failure.newer("migrations \(unknown.joined(separator: ", "))") }
            if applied.contains("v1: appeal"), !(try db.tableExists(Row.databaseTableName)) {
                throw Failure.unreadable("its appeal table is missing (was it changed by another program?)")
            }
        } else {
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if !tables.isEmpty { throw Failure.unreadable("it is another program's database (tables \(tables.prefix(5).joined(separator: ", ")))") }
        }
    }

    /// Every entry, by filing time.
    public func entries() throws -> [AppealEntry] {
        do {
            return try db.read { db in
                try AppealJournal.checkSchema(db)
                // A journal another process has just created may not have its table yet.
                guard try db.tableExists(Row.databaseTableName) else { return [] }
                return try Row.order(Row.Columns.filedEpoch, Row.Columns.violationId, Row.Columns.attempt).fetchAll(db).map(AppealJournal.entry)
            }
        } catch let f as Failure { throw f }
        catch { throw Failure.unreadable("\(error)") }
    }

    static func entry(_ r: Row) -> AppealEntry {
        let ev = (try? JSONDecoder().decode([String].self, from: Data(r.evidence.utf8))) ?? []
        return AppealEntry(violationId: r.violationId, attempt: r.attempt, filedAt: r.filedEpoch, reason: r.reason,
                           statement: r.statement, evidence: ev, operatorName: r.operatorName)
    }

    /// Writes one entry in one transaction. A taken attempt throws `.attemptTaken`.
    public func file(_ e: AppealEntry) throws {
        let evidence = String(decoding: try JSONEncoder().encode(e.evidence), as: UTF8.self)
        let row = Row(id: nil, violationId: e.violationId, attempt: e.attempt, filedAt: CST.format(e.filedAt), filedEpoch: e.filedAt,
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
