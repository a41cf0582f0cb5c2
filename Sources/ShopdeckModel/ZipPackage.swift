import Foundation
import ZIPFoundation

/// The entries of a zip package (an `.xlsx`) read from its central directory by hand, and each
/// entry's bytes inflated within its own compressed size. Why not ZIPFoundation's `Archive`
/// for reading: on Linux its inflate loop asks for more input until the deflate stream ends,
/// so an entry whose stream never ends (a damaged or cut workbook) spins at the end of the file
/// for ever (found by the fuzzing harness). Here every offset and size is checked against the
/// package's bytes, the input ends where the entry's compressed size says, and an entry that
/// inflates past its declared size is refused. ZIPFoundation's public `Data.decompress` (its
/// zlib binding) still does the inflating.
final class ZipPackage {
    struct Entry {
        let method: UInt16
        let flags: UInt16
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        static func broken(_ why: String) -> Failure { Failure(description: why) }
    }

    /// Where the bytes are: an open regular file, or bytes in memory (a decrypted package).
    private let file: Int32?
    private let bytes: [UInt8]
    let size: Int
    private(set) var entries: [String: Entry]

    /// Opens a regular file; it stays open (for the sheets, read later) until the package goes.
    convenience init(path: String) throws {
        let fd = try FileReader.openRegular(path)
        var st = stat()
        guard fstat(fd, &st) == 0 else { _ = Foundation.close(fd); throw Failure.broken("cannot read the file's size") }
        try self.init(file: fd, bytes: [], size: Int(st.st_size))
    }

    convenience init(bytes: [UInt8]) throws { try self.init(file: nil, bytes: bytes, size: bytes.count) }

    private init(file: Int32?, bytes: [UInt8], size: Int) throws {
        self.file = file; self.bytes = bytes; self.size = size
        entries = [:]
        // Every field is set: if this throws, Swift runs `deinit`, which closes the file. It
        // must not be closed here too: a second close shuts the file another thread was just
        // given the same number for.
        entries = try readDirectory()
    }

    deinit { if let file { _ = Foundation.close(file) } }

    /// `count` bytes at `offset`, which must lie inside the package.
    func read(_ offset: Int, _ count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else { throw Failure.broken("a zip record points outside the file") }
        if file == nil { return Array(bytes[offset..<(offset + count)]) }
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(file!, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure.broken("the file ended or could not be read inside a zip record") }
            done += n
        }
        return out
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }

    /// The end-of-central-directory record (searched in the last 64 KiB + 22 bytes), then every
    /// central directory entry.
    private func readDirectory() throws -> [String: Entry] {
        guard size >= 22 else { throw Failure.broken("too short to be a zip package") }
        let tailCount = min(size, 65_535 + 22)
        let tail = try read(size - tailCount, tailCount)
        var at = tail.count - 22
        while at >= 0 && !(tail[at] == 0x50 && tail[at + 1] == 0x4B && tail[at + 2] == 0x05 && tail[at + 3] == 0x06) { at -= 1 }
        guard at >= 0 else { throw Failure.broken("no zip end record (the file is cut or is not a zip package)") }
        let count = Self.u16(tail, at + 10), dirSize = Self.u32(tail, at + 12), dirOffset = Self.u32(tail, at + 16)
        guard count != 0xFFFF, dirSize != 0xFFFF_FFFF, dirOffset != 0xFFFF_FFFF else { throw Failure.broken("a ZIP64 package (over 4 GB or 65,535 entries) is not read") }
        let dir = try read(dirOffset, dirSize)
        var out: [String: Entry] = [:]
        var i = 0
        for _ in 0..<count {
            guard i + 46 <= dir.count, Self.u32(dir, i) == 0x0201_4B50 else { throw Failure.broken("the zip directory is damaged") }
            let nameLength = Self.u16(dir, i + 28), extra = Self.u16(dir, i + 30), comment = Self.u16(dir, i + 32)
            guard i + 46 + nameLength + extra + comment <= dir.count else { throw Failure.broken("the zip directory is damaged") }
            var name = String(decoding: dir[(i + 46)..<(i + 46 + nameLength)], as: UTF8.self).replacingOccurrences(of: "\\", with: "/")
            if name.hasPrefix("/") { name.removeFirst() }
            let e = Entry(method: UInt16(Self.u16(dir, i + 10)), flags: UInt16(Self.u16(dir, i + 8)),
                          compressedSize: Self.u32(dir, i + 20), uncompressedSize: Self.u32(dir, i + 24), localHeaderOffset: Self.u32(dir, i + 42))
            if out[name] == nil { out[name] = e }
            i += 46 + nameLength + extra + comment
        }
        return out
    }

    /// A deflated entry may inflate to at most this many times its compressed size once it is
    /// larger than `bombFloor`. Deflate reaches about 1,000:1 on one repeated pattern (a zip
    /// bomb: a 1.2 MB workbook whose string table inflates to 510 MB took 30 s and 560 MB to
    /// read); a real sheet or string table stays well under 100:1, since its cell references and
    /// values vary from row to row. The spec is silent: refusing with the reason beats a load
    /// that holds the dashboard for minutes.
    static let maxRatio = 250
    static let bombFloor = 16 << 20

    /// Hands `name`'s bytes to `body` in pieces (nothing when there is no such entry).
    func extract(_ name: String, chunk: Int = 1 << 18, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let e = entries[name] else { return }
        guard e.flags & 1 == 0 else { throw Failure.broken("\(name) is encrypted inside the zip") }
        guard e.compressedSize != 0xFFFF_FFFF, e.uncompressedSize != 0xFFFF_FFFF else { throw Failure.broken("\(name) is a ZIP64 entry (over 4 GB), not read") }
        if e.method == 8, e.uncompressedSize > Self.bombFloor, e.uncompressedSize / max(1, e.compressedSize) > Self.maxRatio {
            throw Failure.broken("\(name) would inflate \(e.uncompressedSize / max(1, e.compressedSize))-fold, from \(e.compressedSize) bytes to \(e.uncompressedSize >> 20) MB: far more than any real sheet (a zip bomb, or a damaged workbook); not read — export the table again, or as CSV")
        }
        let local = try read(e.localHeaderOffset, 30)
        guard Self.u32(local, 0) == 0x0403_4B50 else { throw Failure.broken("\(name): its zip header is damaged") }
        let start = e.localHeaderOffset + 30 + Self.u16(local, 26) + Self.u16(local, 28)
        guard start <= size, e.compressedSize <= size - start else { throw Failure.broken("\(name) reaches past the end of the file (the workbook is cut)") }
        switch e.method {
        case 0:
            var done = 0
            while done < e.compressedSize {
                let n = min(chunk, e.compressedSize - done)
                let piece = try read(start + done, n)
                try piece.withUnsafeBytes(body)
                done += n
            }
        case 8:
            var position = 0, produced = 0
            var fromBody: Error? = nil
            do {
                _ = try Data.decompress(size: Int64(e.compressedSize), bufferSize: chunk, skipCRC32: true, provider: { _, want in
                    // The input ends with the entry: a stream that has not ended by then is cut.
                    guard position < e.compressedSize else { throw Failure.broken("\(name): its compressed data ends before the deflate stream does (the workbook is damaged or cut)") }
                    let n = min(want, e.compressedSize - position)
                    var piece = try read(start + position, n)
                    position += n
                    // ZIPFoundation tells zlib that every piece holds `want` bytes: a shorter
                    // last piece is padded with zeros, so a damaged stream can never read past
                    // the piece's memory (a valid stream ends before the padding; zeros are
                    // not a valid continuation, and the next request ends the entry).
                    if n < want { piece += [UInt8](repeating: 0, count: want - n) }
                    return Data(piece)
                }, consumer: { data in
                    produced += data.count
                    guard produced <= e.uncompressedSize else { throw Failure.broken("\(name) inflates to more than its declared \(e.uncompressedSize) bytes (the workbook is damaged)") }
                    do { try data.withUnsafeBytes(body) } catch { fromBody = error; throw error }
                })
            } catch {
                // The reader's own errors pass through; the inflater's say the entry is damaged.
                if let fromBody { throw fromBody }
                if error is Failure { throw error }
                throw Failure.broken("\(name): its compressed data is damaged (\(error))")
            }
        default:
            throw Failure.broken("\(name) uses zip compression method \(e.method), which is not read (only stored and deflated entries)")
        }
    }
}
