import Foundation

/// How far the current load is: files, rows, bytes. Updated per chunk (8 MB) by the
/// loader, read by the screen's progress line; a lock keeps it consistent across threads.
public final class LoadProgress: @unchecked Sendable {
    public static let shared = LoadProgress()
    private let lock = NSLock()
    private var _bytes = 0, _rows = 0, _files = 0, _totalFiles = 0, _totalBytes = 0
    private var started = Date()

    public func begin(files: Int, bytes: Int) {
        lock.lock(); _bytes = 0; _rows = 0; _files = 0; _totalFiles = files; _totalBytes = bytes; started = Date(); lock.unlock()
    }
    func add(bytes: Int, rows: Int) { lock.lock(); _bytes += bytes; _rows += rows; lock.unlock() }
    func fileDone() { lock.lock(); _files += 1; lock.unlock() }

    /// `files 1/3 · 412,000 rows · 96 MB of 240 MB · 180 MB/s`
    public func line() -> String {
        lock.lock(); defer { lock.unlock() }
        let secs = max(0.001, Date().timeIntervalSince(started))
        let mb = Double(_bytes) / 1_048_576
        return String(format: "loading: files %d/%d · %d rows · %.0f MB of %.0f MB · %.0f MB/s",
                      _files, _totalFiles, _rows, mb, Double(_totalBytes) / 1_048_576, mb / secs)
    }
    public var fraction: Double {
        lock.lock(); defer { lock.unlock() }
        return _totalBytes == 0 ? 0 : min(1, Double(_bytes) / Double(_totalBytes))
    }
}
