import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private, consistent copy of a SQLite database for a reader that must not write beside it.
///
/// Two states of the appeal journal cannot be read in place by a read-only connection:
/// - a journal left in WAL mode by an earlier version (reading needs a `-shm` file beside it);
/// - a **hot rollback journal**: a writer was killed mid-transaction, so `appeals.sqlite` may
///   hold half its pages and `appeals.sqlite-journal` the pages to restore. SQLite refuses a
///   read-only reader then (`SQLITE_READONLY_ROLLBACK`) until some writer rolls it back.
///
/// The copy takes the database, its rollback journal and its WAL; opened read-write in the
/// private folder, SQLite rolls the copy back there, and the reader sees the last committed
/// entries while the data folder stays untouched.
///
/// The files are copied under SQLite's own SHARED lock on the database (a POSIX read lock on
/// the bytes SQLite's unix VFS uses, `os_unix.c`: PENDING at 2^30, SHARED the 510 bytes after
/// RESERVED): a writer cannot take its EXCLUSIVE lock meanwhile, so it can neither roll the
/// hot journal back nor write pages between the copy of the database and that of its journal.
/// A writer that already holds RESERVED has written nothing to the database yet (it needs
/// EXCLUSIVE for that), so the pages its journal holds equal those copied: rolling it back in
/// the copy changes nothing.
struct JournalSnapshot {
    /// The private folder (removed by `remove()`), and the copy's path in it.
    let folder: String
    let path: String

    static let pendingByte: Int = 0x4000_0000
    static let sharedFirst: Int = pendingByte + 2
    static let sharedSize: Int = 510

    enum Failure: Error, CustomStringConvertible {
        case busy(String, seconds: Double)
        case io(String)
        var description: String {
            switch self {
            case let .busy(p, seconds): return "\(p) stayed locked by a writer for \(Int(seconds.rounded())) s; try again"
            case .io(let why): return why
            }
        }
    }

    /// Copies `source` (and `source-journal`, `source-wal` when present) into a new private
    /// folder, waiting up to `timeout` seconds for a writer's lock to clear.
    static func take(of source: String, timeout: Double = 10) throws -> JournalSnapshot {
        let fd = open(source, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.io("\(source): \(String(cString: strerror(errno)))") }
        // Closing any descriptor of the file drops this process's POSIX locks on it: no SQLite
        // connection of ours is open on `source` while this one is.
        defer { close(fd) }
        try lockShared(fd, path: source, timeout: timeout)
        defer { _ = setLock(fd, type: F_UNLCK, start: sharedFirst, length: sharedSize) }

        let folder = NSTemporaryDirectory() + "shopdeck-journal-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let copy = folder + "/" + (source as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: source, toPath: copy)
            for suffix in ["-journal", "-wal"] where FileManager.default.fileExists(atPath: source + suffix) {
                try FileManager.default.copyItem(atPath: source + suffix, toPath: copy + suffix)
            }
            return JournalSnapshot(folder: folder, path: copy)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw Failure.io("cannot copy \(source) to read it: \(error.localizedDescription)")
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// SQLite's way to a SHARED lock: a read lock on PENDING (refused while a writer waits for
    /// or holds EXCLUSIVE), then on the SHARED range, then PENDING released.
    private static func lockShared(_ fd: Int32, path: String, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if setLock(fd, type: F_RDLCK, start: pendingByte, length: 1) {
                let shared = setLock(fd, type: F_RDLCK, start: sharedFirst, length: sharedSize)
                _ = setLock(fd, type: F_UNLCK, start: pendingByte, length: 1)
                if shared { return }
            }
            guard errno == EAGAIN || errno == EACCES || errno == EINTR else {
                throw Failure.io("cannot lock \(path) to read it: \(String(cString: strerror(errno)))")
            }
            if Date() >= deadline { throw Failure.busy(path, seconds: timeout) }
            usleep(5_000)
        }
    }

    /// One non-blocking `fcntl(F_SETLK)`; false when refused (errno says why).
    private static func setLock(_ fd: Int32, type: Int32, start: Int, length: Int) -> Bool {
        var l = flock()
        l.l_type = Int16(type)
        l.l_whence = Int16(SEEK_SET)
        l.l_start = off_t(start)
        l.l_len = off_t(length)
        return fcntl(fd, F_SETLK, &l) == 0
    }
}
