#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in large chunks with plain `read(2)` calls into one reusable buffer, and
/// hands the CSV parser complete records only (an unfinished record is carried over).
public enum FileReader {
    public static let chunkSize = 8 << 20

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Whole file contents (small files, tests, GB18030 conversion).
    public static func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var out: [UInt8] = []
        var st = stat()
        if fstat(fd, &st) == 0 { out.reserveCapacity(Int(st.st_size)) }
        var buf = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw Failure(description: "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    /// Streams `path` through `parser`. The encoding is detected from the first bytes
    /// (`TextEncoding.sniff`) and handed to `onEncoding`; a GB18030 file is read whole and
    /// converted to UTF-8 before parsing. Returns the file's size in bytes.
    public static func stream(_ path: String, parser: inout CSVParser, chunkSize: Int = FileReader.chunkSize,
                              onEncoding: (TextEncoding) -> Void,
                              emit: (CSVRecord, UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        let cap = max(4096, min(chunkSize, size + 1))
        var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: cap, alignment: 16)
        defer { storage.deallocate() }
        var filled = 0, total = 0, firstChunk = true, eof = false
        var capacity = cap
        while !eof {
            if filled == capacity { // one record larger than the buffer: grow
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<filled]))
                storage.deallocate()
                storage = bigger; capacity *= 2
            }
            let n = read(fd, storage.baseAddress! + filled, capacity - filled)
            if n < 0 { if errno == EINTR { continue }; throw Failure(description: "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { eof = true }
            filled += n; total += n
            var start = 0
            if firstChunk {
                if filled < min(65536, capacity) && !eof { continue }
                firstChunk = false
                let encoding = TextEncoding.sniff(UnsafeRawBufferPointer(rebasing: storage[0..<filled]), isWhole: eof)
                onEncoding(encoding)
                if encoding == .gb18030 {
                    var all = Array(UnsafeRawBufferPointer(rebasing: storage[0..<filled]))
                    var tmp = [UInt8](repeating: 0, count: 1 << 20)
                    while !eof {
                        let m = tmp.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                        if m < 0 { if errno == EINTR { continue }; break }
                        if m == 0 { break }
                        all.append(contentsOf: tmp[0..<m]); total += m
                    }
                    guard var utf8 = TextEncoding.decodeGB18030(all) else {
                        throw Failure(description: "the text is neither UTF-8 nor GB18030/GBK: save it as UTF-8 CSV")
                    }
                    let count = utf8.count
                    try utf8.withUnsafeMutableBytes { _ = try parser.parse($0, count: count, final: true, emit: emit) }
                    return total
                }
                // Skip a UTF-8 BOM.
                if filled >= 3, storage[0] == 0xEF, storage[1] == 0xBB, storage[2] == 0xBF { start = 3 }
            }
            let region = UnsafeMutableRawBufferPointer(rebasing: storage[start..<filled])
            var records = 0
            let used = try parser.parse(region, count: filled - start, final: eof) { rec, b in records += 1; try emit(rec, b) }
            LoadProgress.shared.add(bytes: n, rows: records)
            let left = filled - start - used
            if left > 0 && !eof {
                memmove(storage.baseAddress!, storage.baseAddress! + start + used, left)
            }
            filled = eof ? 0 : left
        }
        return total
    }

    /// Modification time in nanoseconds, or nil when the file is gone.
    public static func modificationTime(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    public static func fileSize(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Names of the entries of a folder (no `.` or `..`), unsorted.
    public static func list(_ dir: String) -> [String]? {
        guard let d = opendir(dir) else { return nil }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            out.append(name)
        }
        return out
    }
}

extension FileReader {
    /// Streams the byte range `[from, to)` of a file through `parser` with `pread`, in chunks.
    /// Returns the bytes left unconsumed at the end (0 when the range ends on a record end).
    public static func streamRange(_ path: String, from: Int, to: Int, parser: inout CSVParser, final: Bool, chunkSize: Int = FileReader.chunkSize,
                                   emit: (CSVRecord, UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var capacity = max(4096, min(chunkSize, to - from + 1))
        var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { storage.deallocate() }
        var offset = from, filled = 0
        while true {
            if filled == capacity {
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<filled]))
                storage.deallocate(); storage = bigger; capacity *= 2
            }
            let want = min(capacity - filled, to - offset)
            let n = want > 0 ? pread(fd, storage.baseAddress! + filled, want, off_t(offset)) : 0
            if n < 0 { if errno == EINTR { continue }; throw Failure(description: "read failed: \(String(cString: strerror(errno)))") }
            offset += n; filled += n
            let end = offset >= to || n == 0
            var records = 0
            let used = try parser.parse(UnsafeMutableRawBufferPointer(rebasing: storage[0..<filled]), count: filled, final: end && final) { rec, b in
                records += 1; try emit(rec, b)
            }
            LoadProgress.shared.add(bytes: n, rows: records)
            let left = filled - used
            if end { return left }
            if left > 0 { memmove(storage.baseAddress!, storage.baseAddress! + used, left) }
            filled = left
        }
    }
}
