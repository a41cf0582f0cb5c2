import Foundation

/// How far one load is: files, rows, bytes. Made by whoever shows the progress and handed to
/// `DataLoader.load`; updated per block read (on every core of a split file), read by the
/// progress line; a lock keeps it consistent across threads.
public final class LoadProgress: @unchecked Sendable {
    /// The figures at one moment.
    public struct Counts: Equatable, Sendable {
        /// Files read of all the load reads.
        public var files = 0, totalFiles = 0
        /// Records parsed (header and title lines included).
        public var rows = 0
        /// Bytes read of all the load's files.
        public var bytes = 0, totalBytes = 0
        /// Seconds since the load began.
        public var seconds = 0.0

        public init(files: Int = 0, totalFiles: Int = 0, rows: Int = 0, bytes: Int = 0, totalBytes: Int = 0, seconds: Double = 0) {
            self.files = files; self.totalFiles = totalFiles; self.rows = rows
            self.bytes = bytes; self.totalBytes = totalBytes; self.seconds = seconds
        }

        /// The share of the bytes read, 0...1.
        public var fraction: Double { totalBytes == 0 ? 0 : min(1, Double(bytes) / Double(totalBytes)) }
        /// MB (2^20 bytes) read a second.
        public var megabytesPerSecond: Double { Double(bytes) / 1_048_576 / max(0.001, seconds) }
    }

    private let lock = NSLock()
    private var now = Counts()
    private var started = DispatchTime.now().uptimeNanoseconds

    public init() {}

    /// Starts counting a load of `files` files holding `bytes` bytes.
    public func begin(files: Int, bytes: Int) {
        lock.withLock { now = Counts(totalFiles: files, totalBytes: bytes); started = DispatchTime.now().uptimeNanoseconds }
    }
    func add(bytes: Int, rows: Int) { lock.withLock { now.bytes += bytes; now.rows += rows } }
    /// A file is read: `bytes` in all so far (the readers count blocks as they go; a workbook,
    /// a byte-order mark or a file read twice is made exact here).
    func fileDone(bytes: Int) { lock.withLock { now.files += 1; now.bytes = bytes } }
    /// Takes back the bytes and rows counted since `earlier` (a split read given up, the file
    /// then read again in one pass).
    func takeBack(since earlier: Counts) { lock.withLock { now.bytes = earlier.bytes; now.rows = earlier.rows } }

    /// The figures now.
    public var counts: Counts {
        lock.withLock {
            var c = now
            c.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            return c
        }
    }
}
