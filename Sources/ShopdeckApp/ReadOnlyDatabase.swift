import Foundation
import GRDB
import ShopdeckModel

/// One of shopdeck's SQLite files (the appeal journal, history, the alert log) opened to read
/// only: nothing is created or changed beside it, whatever state it was left in.
///
/// Read in place when SQLite allows it. Two states it refuses to a read-only connection are
/// read from a private consistent copy instead (`JournalSnapshot`): a database still in WAL
/// mode (reading needs a `-shm` file), and a hot rollback journal left by a writer killed
/// mid-transaction (`SQLITE_READONLY_ROLLBACK` until some writer rolls it back). The copy is
/// removed when this value goes.
final class ReadOnlyDatabase {
    /// The connection; a holder of it must hold this value too (`AppealJournal` does).
    let queue: DatabaseQueue
    private let copy: JournalSnapshot?

    /// Opens `path` (which must exist). Throws GRDB's error for a file SQLite cannot read,
    /// `JournalSnapshot.Failure` when a copy was needed and could not be taken.
    init(path: String, configuration: Configuration = Configuration()) throws {
        var config = configuration
        config.readonly = true
        // Byte 18 of the header is 2 in WAL mode.
        let wal = (try? FileReader.readHead(path, bytes: 20)).map { $0.count == 20 && $0[18] == 2 } ?? false
        if !wal {
            do {
                let q = try DatabaseQueue(path: path, configuration: config)
                // Opening may be lazy: a first read meets a hot journal, if any.
                try q.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
                queue = q; copy = nil
                return
            } catch let e as DatabaseError where e.extendedResultCode == .SQLITE_READONLY_ROLLBACK {
                // Read the last commit from a copy rolled back there; the next writer rolls the
                // journal back in place.
            }
        }
        let snapshot = try JournalSnapshot.take(of: path)
        config.readonly = false // the copy is ours
        do { queue = try DatabaseQueue(path: snapshot.path, configuration: config) }
        catch { snapshot.remove(); throw error }
        copy = snapshot
    }

    deinit { copy?.remove() }

    /// Reads through the queue. A method of this value keeps it, and so its private copy,
    /// alive until the read ends; a temporary's `.queue.read` may let it go (and remove the
    /// copy) as soon as `queue` is fetched.
    func read<T>(_ body: (Database) throws -> T) throws -> T { try queue.read(body) }
}
