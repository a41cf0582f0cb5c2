import Foundation
import GRDB

/// What a writer killed mid-transaction leaves of the SQLite database at `live`, made at `dest`:
/// the database with some of an uncommitted transaction's pages already written (its page
/// cache spilled) and the hot rollback journal beside it, no process holding a lock. Made by
/// copying both files while such a transaction is open, then rolling the original back, so
/// `dest` holds exactly the crashed state and `live` its last commit.
func leaveACrashedWriter(of live: String, at dest: String) throws {
    let queue = try DatabaseQueue(path: live)
    try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA cache_size = 1")
        try db.execute(sql: "BEGIN IMMEDIATE")
        try db.execute(sql: "CREATE TABLE half_written (x TEXT)")
        for i in 0..<400 {
            try db.execute(sql: "INSERT INTO half_written VALUES (?)", arguments: [String(repeating: "半\(i)", count: 200)])
        }
        try FileManager.default.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: live, toPath: dest)
        try FileManager.default.copyItem(atPath: live + "-journal", toPath: dest + "-journal")
        try db.execute(sql: "ROLLBACK")
    }
}

/// Whether SQLite refuses a read-only connection to `path` because of a hot journal (the
/// state `leaveACrashedWriter` makes).
func sqliteRefusesAReadOnlyReader(_ path: String) -> Bool {
    var config = Configuration()
    config.readonly = true
    do {
        _ = try DatabaseQueue(path: path, configuration: config).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        return false
    } catch let e as DatabaseError {
        return e.extendedResultCode == .SQLITE_READONLY_ROLLBACK
    } catch { return false }
}
