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

    /// What a directory entry is, following a symbolic link.
    public enum EntryKind: Equatable {
        case regular(mtime: Int64)
        case missing
        /// Not a regular file: "a FIFO", "a device", "a folder", "a socket".
        case other(String)
    }

    public static func entryKind(_ path: String) -> EntryKind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        return kind(of: st)
    }

    /// Why `path`, a symbolic link, leads to nothing `stat` can read ("No such file or
    /// directory", "Too many levels of symbolic links"); nil when it is not such a link.
    public static func brokenLink(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) != 0 else { return nil }
        let why = String(cString: strerror(errno))
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return nil }
        return why
    }

    static func kind(of st: stat) -> EntryKind {
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular(mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
        case S_IFIFO: return .other("a FIFO (named pipe)")
        case S_IFCHR, S_IFBLK: return .other("a device")
        case S_IFDIR: return .other("a folder")
        case S_IFSOCK: return .other("a socket")
        default: return .other("not a file")
        }
    }

    /// Opens a regular file for reading and never blocks: the file is opened non-blocking
    /// (a FIFO would otherwise wait for a writer) and refused unless `fstat` says regular.
    public static func openRegular(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot open: \(String(cString: strerror(errno)))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw Failure(description: "cannot read its status: \(String(cString: strerror(errno)))") }
        if case .other(let what) = kind(of: st) {
            close(fd)
            throw Failure(description: "this is \(what), not a regular file; only regular files are read")
        }
        // Reads of a regular file never block anyway; clear the flag for ordinary semantics.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// Whole file contents (small files, tests, GB18030 conversion). Regular files only.
    public static func readAll(_ path: String) throws -> [UInt8] {
        let fd = try openRegular(path)
        defer { close(fd) }
        return try readAll(fd)
    }

    /// How a file's text was decoded: its encoding decided on the whole file, the invalid
    /// sequences found (their cells are unreadable), whether its last line was dropped for
    /// ending inside a character, and whether its last record ends with a line end.
    public struct Decoding: Sendable {
        public var encoding: TextEncoding = .utf8
        public var invalidSequences = 0
        public var droppedLastLine = false
        public var endsWithLineEnd = true
    }

    /// Reads the whole of an open file in blocks, for the encoding decision: strict UTF-8
    /// counts, the offset just past the last line end, and the last byte.
    static func scanUTF8(_ fd: Int32, size: Int) throws -> (scan: UTF8Scan, lastLineEnd: Int, lastByte: UInt8?) {
        var scan = UTF8Scan()
        // A megabyte at most, and no more than the file (a 28 KB export zeroed and faulted in
        // a whole megabyte: a third of its load, issue 18).
        var block = [UInt8](repeating: 0, count: min(1 << 20, max(4096, size + 1)))
        var offset = 0, lastLF = 0
        var last: UInt8? = nil
        while true {
            let n = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if n < 0 { if errno == EINTR { continue }; throw Failure(description: "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            block.withUnsafeBytes { b in
                scan.feed(UnsafeRawBufferPointer(rebasing: b[0..<n]))
                if let lf = b[0..<n].lastIndex(of: 0x0A) { lastLF = offset + lf + 1 }
            }
            last = block[n - 1]
            offset += n
        }
        return (scan, lastLF, last)
    }

    /// Streams `path` through `parser`. The encoding is decided on the whole file (a BOM, else
    /// strict UTF-8 over every byte, else GB18030) and handed to `onDecoding`; a GB18030 or
    /// UTF-16 file is decoded whole to UTF-8 before parsing. A file that ends inside a
    /// character loses only its last line. Returns the file's size in bytes.
    public static func stream(_ path: String, parser: inout CSVParser, chunkSize: Int = FileReader.chunkSize,
                              onDecoding: (Decoding) -> Void,
                              emit: (CSVRecord, UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        let fd = try openRegular(path)
        defer { close(fd) }
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        var decoding = Decoding()
        var head = [UInt8](repeating: 0, count: 4)
        let headCount = head.withUnsafeMutableBytes { max(0, pread(fd, $0.baseAddress, 4, 0)) }
        let bomUTF16 = headCount >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))
        func parseWhole(_ text: inout [UInt8]) throws {
            let count = text.count
            decoding.endsWithLineEnd = text.last.map { $0 == 0x0A } ?? true
            onDecoding(decoding)
            try text.withUnsafeMutableBytes { _ = try parser.parse($0, count: count, final: true, emit: emit) }
        }
        if bomUTF16 {
            let d = Decoder.utf16(try readAll(fd))
            decoding.encoding = .utf16; decoding.invalidSequences = d.invalid; decoding.droppedLastLine = d.droppedLastLine
            var text = d.text
            try parseWhole(&text)
            return size
        }
        let (scan, lastLineEnd, lastByte) = try scanUTF8(fd, size: size)
        if !scan.looksLikeUTF8 {
            guard let decoder = GB18030Decoder() else {
                throw Failure(description: "the text is neither UTF-8 nor GB18030/GBK: save it as UTF-8 CSV")
            }
            decoding.encoding = .gb18030
            try streamGB18030(fd, size: size, decoder: decoder, parser: &parser, chunkSize: chunkSize, decoding: &decoding, onDecoding: onDecoding, emit: emit)
            return size
        }
        let bom = headCount >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF
        decoding.encoding = bom ? .utf8BOM : .utf8
        decoding.invalidSequences = scan.invalid
        // A character cut by the end of the file: read up to the last line end only.
        let limit = scan.pending > 0 ? lastLineEnd : size
        decoding.droppedLastLine = scan.pending > 0
        decoding.endsWithLineEnd = scan.pending > 0 || lastByte == nil || lastByte == 0x0A
        onDecoding(decoding)
        _ = try streamUTF8(fd, size: limit, skip: bom ? 3 : 0, parser: &parser, chunkSize: chunkSize, emit: emit)
        return size
    }

    /// What one block of a GB18030 file gave: the invalid sequences met, whether the range
    /// ended inside a character (its last, incomplete line is dropped), whether it was the
    /// range's last block and, then, whether the text decoded so far ends with a line end.
    struct GB18030Block {
        var invalid: Int
        var truncated: Bool
        var end: Bool
        var endsWithLineEnd: Bool
    }

    /// Parses bytes `from` ..< `to` of a GB18030 file, decoded a block at a time: memory stays
    /// at a few blocks, not the range and its decoded copy. A block is decoded up to its last
    /// line end, which never falls inside a GB18030 character (every byte of a multi-byte one
    /// is 0x30 or above), so no character is cut; the rest waits for the next block.
    /// `onRead` sees each block's raw bytes and how many bytes of the range are still unread;
    /// `onDecoded` hears each block's decoding before its records are emitted (so a record
    /// holding a marker is screened). Returns the decoded bytes the parser left (0 when the
    /// range ended on a record end).
    static func parseGB18030(_ fd: Int32, from: Int, to: Int, decoder: borrowing GB18030Decoder, parser: inout CSVParser,
                             final: Bool, chunkSize: Int,
                             onRead: (UnsafeRawBufferPointer, _ unread: Int) -> Void,
                             onDecoded: (GB18030Block) -> Void,
                             emit: (CSVRecord, UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        var raw: [UInt8] = [], text: [UInt8] = []
        var block = [UInt8](repeating: 0, count: max(4096, chunkSize))
        var offset = from
        var lastConsumed: UInt8? = nil
        while true {
            let want = min(block.count, to - offset)
            let n = want > 0 ? block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset)) } : 0
            if n < 0 { if errno == EINTR { continue }; throw Failure(description: "read failed: \(String(cString: strerror(errno)))") }
            offset += n
            let end = n == 0 || offset >= to
            raw.append(contentsOf: block[0..<n])
            block.withUnsafeBytes { onRead(UnsafeRawBufferPointer(rebasing: $0[0..<n]), to - offset) }
            let cut = end ? raw.count : (raw.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
            if cut == 0 && !end { continue } // a line longer than a block: read on
            let r = raw.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[0..<cut]), into: &text) }
            raw.removeFirst(cut)
            if r.truncated { Decoder.dropLastLine(&text) }
            onDecoded(GB18030Block(invalid: r.invalid, truncated: r.truncated, end: end,
                                   endsWithLineEnd: (text.last ?? lastConsumed).map { $0 == 0x0A } ?? true))
            let count = text.count
            var records = 0
            let used = try text.withUnsafeMutableBytes { try parser.parse($0, count: count, final: end && final) { rec, b in records += 1; try emit(rec, b) } }
            parser.progress?.add(bytes: n, rows: records)
            if used > 0 { lastConsumed = text[used - 1] }
            text.removeFirst(used)
            if end { return text.count }
        }
    }

    /// Streams a whole GB18030 file through `parser` (`parseGB18030`). Gives what decoding the
    /// whole file and parsing it gives: the same records, invalid sequences counted as met
    /// (each block's count is reported before its records), the last incomplete line dropped
    /// when the file ends inside a character.
    static func streamGB18030(_ fd: Int32, size: Int, decoder: borrowing GB18030Decoder, parser: inout CSVParser, chunkSize: Int,
                              decoding: inout Decoding, onDecoding: (Decoding) -> Void,
                              emit: (CSVRecord, UnsafeMutableRawBufferPointer) throws -> Void) throws {
        _ = try parseGB18030(fd, from: 0, to: size, decoder: decoder, parser: &parser, final: true, chunkSize: chunkSize,
                             onRead: { _, _ in },
                             onDecoded: { block in
                                 decoding.invalidSequences += block.invalid
                                 if block.truncated { decoding.droppedLastLine = true }
                                 if block.end { decoding.endsWithLineEnd = block.endsWithLineEnd }
                                 onDecoding(decoding)
                             }, emit: emit)
    }

    /// Streams bytes `from` ..< `to` of a GB18030 file through `parser` (a chunk of a file read
    /// on every core, `SplitPlan`) with `parseGB18030`. Returns the decoded bytes the parser
    /// left (0 when the range ended on a record end) and whether every byte decoded: an invalid
    /// sequence or a character cut by the range's end answers false, and the caller reads the
    /// file in one pass, which reports them where they are.
    ///
    /// The raw bytes are also scanned as strict UTF-8 (the one pass decides the encoding on
    /// every byte: GB18030 when `2 × invalid − multibyte > 0`, `UTF8Scan.looksLikeUTF8`).
    /// Returns a lower bound of this range's `2 × invalid − multibyte`: exact when every byte
    /// was scanned; the scan stops once the bound reaches `enough` counting the bytes not yet
    /// scanned as the most multi-byte characters they could hold (half their count, and one
    /// character still open) — in a GBK text about half-way, as invalid bytes outrun them.
    static func streamRangeGB18030(_ path: String, from: Int, to: Int, parser: inout CSVParser, final: Bool, chunkSize: Int,
                                   enough: Int,
                                   emit: (CSVRecord, UnsafeMutableRawBufferPointer) throws -> Void) throws -> (left: Int, clean: Bool, slackAtLeast: Int) {
        var scan = UTF8Scan(), scanning = true, slack = 0, clean = true
        guard let decoder = GB18030Decoder() else { return (0, false, 0) }
        let fd = try openRegular(path)
        defer { close(fd) }
        let left = try parseGB18030(fd, from: from, to: to, decoder: decoder, parser: &parser, final: final, chunkSize: chunkSize,
                                    onRead: { bytes, unread in
                                        guard scanning else { return }
                                        scan.feed(bytes)
                                        slack = 2 * scan.invalid - scan.multibyte
                                        let bound = slack - (unread / 2 + 2)
                                        if bound >= enough { scanning = false; slack = bound }
                                    },
                                    onDecoded: { block in if block.invalid > 0 || block.truncated { clean = false } },
                                    emit: emit)
        return (left, clean, slack)
    }

    /// Streams the first `size` bytes of an open UTF-8 file through `parser`, from `skip`.
    static func streamUTF8(_ fd: Int32, size: Int, skip: Int, parser: inout CSVParser, chunkSize: Int,
                           emit: (CSVRecord, UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        let cap = max(4096, min(chunkSize, size + 1))
        var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: cap, alignment: 16)
        defer { storage.deallocate() }
        var filled = 0, offset = min(skip, size), eof = false
        var capacity = cap
        while !eof {
            if filled == capacity { // one record larger than the buffer: grow
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<filled]))
                storage.deallocate()
                storage = bigger; capacity *= 2
            }
            let want = min(capacity - filled, size - offset)
            let n = want > 0 ? pread(fd, storage.baseAddress! + filled, want, off_t(offset)) : 0
            if n < 0 { if errno == EINTR { continue }; throw Failure(description: "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { eof = true }
            filled += n; offset += n
            var records = 0
            let used = try parser.parse(UnsafeMutableRawBufferPointer(rebasing: storage[0..<filled]), count: filled, final: eof) { rec, b in records += 1; try emit(rec, b) }
            parser.progress?.add(bytes: n, rows: records)
            let left = filled - used
            if left > 0 && !eof { memmove(storage.baseAddress!, storage.baseAddress! + used, left) }
            filled = eof ? 0 : left
        }
        return offset
    }

    /// The whole of an open file.
    static func readAll(_ fd: Int32) throws -> [UInt8] {
        var out: [UInt8] = []
        var st = stat()
        if fstat(fd, &st) == 0 { out.reserveCapacity(Int(st.st_size)) }
        var buf = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while true {
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if n < 0 { if errno == EINTR { continue }; throw Failure(description: "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n]); offset += n
        }
        return out
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
    /// Every byte read is also fed to `scan` (strict UTF-8 counts) before it is parsed.
    public static func streamRange(_ path: String, from: Int, to: Int, parser: inout CSVParser, final: Bool, chunkSize: Int = FileReader.chunkSize,
                                   scan: UnsafeMutablePointer<UTF8Scan>? = nil,
                                   emit: (CSVRecord, UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        let fd = try openRegular(path)
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
            if n > 0, let scan { scan.pointee.feed(UnsafeRawBufferPointer(start: storage.baseAddress! + filled, count: n)) }
            offset += n; filled += n
            let end = offset >= to || n == 0
            var records = 0
            let used = try parser.parse(UnsafeMutableRawBufferPointer(rebasing: storage[0..<filled]), count: filled, final: end && final) { rec, b in
                records += 1; try emit(rec, b)
            }
            parser.progress?.add(bytes: n, rows: records)
            let left = filled - used
            if end { return left }
            if left > 0 { memmove(storage.baseAddress!, storage.baseAddress! + used, left) }
            filled = left
        }
    }
}
