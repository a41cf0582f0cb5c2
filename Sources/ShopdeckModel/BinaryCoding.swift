import Foundation

/// Appends values little-endian, strings as a length and their UTF-8 bytes: into `data`, or
/// (with a file descriptor) through a 1 MiB buffer to the file, checksummed as it goes.
struct BinaryWriter {
    var data = Data()
    private var fd: Int32 = -1
    private var buffer: UnsafeMutableRawBufferPointer? = nil
    private var used = 0
    private var sum = SnapshotCache.Checksum()
    private(set) var length: UInt64 = 0
    private(set) var failed = false
    static let blockSize = 1 << 20

    init() {}
    init(fd: Int32) {
        self.fd = fd
        buffer = .allocate(byteCount: BinaryWriter.blockSize, alignment: 16)
    }

    private mutating func flushFull() {
        guard let buf = buffer else { return }
        sum.blocks(UnsafeRawBufferPointer(buf))
        if !writeAll(UnsafeRawBufferPointer(buf)) { failed = true }
        used = 0
    }

    private func writeAll(_ b: UnsafeRawBufferPointer) -> Bool {
        var off = 0
        while off < b.count {
            let n = write(fd, b.baseAddress! + off, b.count - off)
            if n < 0 { if errno == EINTR { continue }; return false }
            off += n
        }
        return true
    }

    /// The body's length and checksum, once everything is written (streaming mode).
    mutating func finish() -> (UInt64, [UInt8]) {
        guard let buf = buffer else { return (UInt64(data.count), data.withUnsafeBytes { SnapshotCache.checksum($0) }) }
        let tail = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buf)[0..<used])
        let digest = sum.finish(tail)
        if !writeAll(tail) { failed = true }
        buf.deallocate(); buffer = nil
        return (length, digest)
    }

    mutating func raw(_ b: UnsafeRawBufferPointer) {
        guard b.count > 0 else { return }
        guard let buf = buffer else { data.append(b.baseAddress!.assumingMemoryBound(to: UInt8.self), count: b.count); return }
        length += UInt64(b.count)
        var off = 0
        while off < b.count {
            let n = min(b.count - off, BinaryWriter.blockSize - used)
            (buf.baseAddress! + used).copyMemory(from: b.baseAddress! + off, byteCount: n)
            used += n; off += n
            if used == BinaryWriter.blockSize { flushFull() }
        }
    }
    mutating func bytes(_ b: [UInt8]) { b.withUnsafeBytes { raw($0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { raw($0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { raw($0) } }
    mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { raw($0) } }
    mutating func int(_ v: Int) { i64(Int64(v)) }
    mutating func count(_ v: Int) { int(v) }
    mutating func bool(_ v: Bool) { var x: UInt8 = v ? 1 : 0; withUnsafeBytes(of: &x) { raw($0) } }
    mutating func string(_ s: String) { var s = s; s.withUTF8 { int($0.count); raw(UnsafeRawBufferPointer($0)) } }
    mutating func optString(_ s: String?) { bool(s != nil); if let s { string(s) } }
    mutating func optInt(_ v: Int?) { bool(v != nil); if let v { int(v) } }
    mutating func strings(_ a: [String]) { count(a.count); for s in a { string(s) } }
    mutating func optRegion(_ r: Region?) { bool(r != nil); if let r { strings(r.parts) } }
}

/// Reads what `BinaryWriter` wrote; every read is bounds-checked and throws `Invalid`.
struct BinaryReader {
    struct Invalid: Error { var line: Int = #line
        init(line: Int = #line) { self.line = line } }
    let buf: UnsafeRawBufferPointer
    var pos = 0
    init(_ b: UnsafeRawBufferPointer) { buf = b }
    var atEnd: Bool { pos == buf.count }

    mutating func bytes(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= buf.count - pos else { throw Invalid() }
        defer { pos += n }
        return UnsafeRawBufferPointer(rebasing: buf[pos..<(pos + n)])
    }
    mutating func u32() throws -> UInt32 { UInt32(littleEndian: try bytes(4).loadUnaligned(as: UInt32.self)) }
    mutating func u64() throws -> UInt64 { UInt64(littleEndian: try bytes(8).loadUnaligned(as: UInt64.self)) }
    mutating func i64() throws -> Int64 { Int64(littleEndian: try bytes(8).loadUnaligned(as: Int64.self)) }
    mutating func int() throws -> Int { Int(try i64()) }
    /// A count of items that follow: each takes at least a byte, so no more than what is left.
    mutating func count() throws -> Int {
        let n = try int()
        guard n >= 0, n <= buf.count - pos else { throw Invalid() }
        return n
    }
    mutating func bool() throws -> Bool {
        let v = try bytes(1)[0]
        guard v <= 1 else { throw Invalid() }
        return v == 1
    }
    mutating func string() throws -> String {
        let n = try count()
        return String(decoding: try bytes(n), as: UTF8.self)
    }
    mutating func optString() throws -> String? { try bool() ? try string() : nil }
    mutating func optInt() throws -> Int? { try bool() ? try int() : nil }
    mutating func strings() throws -> [String] { var out: [String] = []; for _ in 0..<(try count()) { out.append(try string()) }; return out }
    mutating func optRegion() throws -> Region? { try bool() ? Region(parts: try strings()) : nil }
}
