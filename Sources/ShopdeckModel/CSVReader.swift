import CScan

/// Field byte offsets of one record, in storage that the parser owns and reuses for every
/// record (no array appends on the hot path): a copy of a record shares it, so read a
/// record's offsets while it is being emitted.
public struct FieldOffsets {
    final class Storage {
        var base: UnsafeMutablePointer<Int>
        var capacity: Int
        init(_ n: Int) { capacity = n; base = .allocate(capacity: n) }
        func grow() {
            let bigger = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
            bigger.update(from: base, count: capacity)
            base.deallocate()
            base = bigger; capacity *= 2
        }
        deinit { base.deallocate() }
    }
    let storage = Storage(64)
    public private(set) var count = 0

    public init() {}

    @inline(__always)
    public subscript(i: Int) -> Int {
        get { precondition(UInt(bitPattern: i) < UInt(bitPattern: count)); return storage.base[i] }
        nonmutating set { precondition(UInt(bitPattern: i) < UInt(bitPattern: count)); storage.base[i] = newValue }
    }

    @inline(__always)
    public mutating func append(_ v: Int) {
        if count == storage.capacity { storage.grow() }
        storage.base[count] = v
        count += 1
    }

    @inline(__always)
    public mutating func removeAll() { count = 0 }
}

/// One CSV record: field byte ranges inside the chunk it was parsed from.
///
/// Ranges point into the chunk buffer, which the parser owns and rewrites in place when a
/// quoted field holds `""` escapes (the unescaped text is never longer than the raw one).
public struct CSVRecord {
    public var starts = FieldOffsets()
    public var ends = FieldOffsets()
    /// 1-based physical line where the record starts (data-formats.md, rules.md §10).
    public var line: Int = 1
    /// Byte offset just past the record (its line end included), in the parsed buffer.
    public var end: Int = 0
    /// The line number of the next record.
    public var endLine: Int = 1
    /// The field whose opening quote is never closed (-1: none). Only the last record of a
    /// file can have one: everything after the quote, to the end of the file, is that field.
    public var unclosedQuote: Int = -1
    public var count: Int { starts.count }

    /// The last physical line the record covers (its line end, if any, not counted).
    public func lastLine(in buf: UnsafeRawBufferPointer) -> Int {
        guard end > 0, end <= buf.count else { return line }
        let last = buf[end - 1]
        return Swift.max(line, last == 0x0A || last == 0x0D ? endLine - 1 : endLine)
    }

    public init() {}
}

/// Eight bytes at a time: the lowest byte of `w` equal to one of the targets, as a bit mask
/// whose lowest set bit is that byte's top bit (bits above it may be spurious). Zero if none.
@inline(__always)
func swarMatch(_ w: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
    let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
    let x = w ^ a, y = w ^ b, z = w ^ c
    return (((x &- lo) & ~x) | ((y &- lo) & ~y) | ((z &- lo) & ~z)) & hi
}

/// An RFC 4180 reader as an explicit state machine over bytes (after rust-csv's csv-core):
/// `"` quoting with `""` escapes, line breaks inside quotes, CRLF / LF / CR line ends, a last
/// line with or without an end, blank lines skipped. A bare `"` inside an unquoted field is a
/// literal character (lenient, as csv-spectrum's location case wants); text after a closing
/// quote is kept as part of the field.
///
/// It is fed chunk by chunk: `parse` emits every complete record of the chunk and returns how
/// many bytes it consumed; the caller carries the rest (an incomplete record) into the next
/// chunk. Feeding the same bytes whole, in chunks or byte by byte gives the same records.
public struct CSVParser {
    public let separator: UInt8
    /// Line number at the next unconsumed byte.
    public private(set) var line: Int = 1
    private var record = CSVRecord()
    /// Where the reader feeding this parser counts the bytes it read and the records parsed
    /// (`FileReader`), if anywhere: the load this parse is part of.
    public var progress: LoadProgress?

    public init(separator: UInt8 = 0x2C, line: Int = 1, progress: LoadProgress? = nil) {
        self.separator = separator; self.line = line; self.progress = progress
    }

    /// Parses complete records from `buf[0..<count]`.
    /// - Parameter final: no more bytes will follow, so a record ending at the buffer's end is complete.
    /// - Returns: bytes consumed; `buf[consumed..<count]` is an unfinished record to carry over.
    public mutating func parse(_ buf: UnsafeMutableRawBufferPointer, count: Int, final: Bool,
                               emit: (CSVRecord, UnsafeMutableRawBufferPointer) throws -> Void) rethrows -> Int {
        let sep = separator
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = UInt64(quote) &* ones, lfs = UInt64(lf) &* ones, crs = UInt64(cr) &* ones
        var p = 0
        guard let base = buf.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        // The delimiters (separator, line feed, carriage return) of the 64 bytes from
        // `blockAt`, one bit each (`cscan_delimiters64`): an unquoted field's end is found by
        // a bit count, not byte by byte, and one block serves the four fields or so it holds.
        // Only bits at or after `p` are read, and nothing rewrites bytes at or after `p` (a
        // record's compaction and the sinks touch its own bytes only), so the block stays true.
        var blockAt = 0, blockEnd = 0
        var blockBits: UInt64 = 0
        recordLoop: while p < count {
            let recordStart = p
            let lineAtStart = line
            // Blank lines are skipped (they still count as lines).
            let c0 = base[p]
            if c0 == lf { line += 1; p += 1; continue }
            if c0 == cr {
                if p + 1 < count {
                    p += base[p + 1] == lf ? 2 : 1
                    line += 1
                    continue
                } else if final { line += 1; p += 1; continue } else { break recordLoop }
            }
            record.starts.removeAll()
            record.ends.removeAll()
            record.line = lineAtStart
            record.unclosedQuote = -1
            var needsCompaction = false
            /// Unescapes `""` and drops the closing quote of flagged fields, in place.
            func compact() {
                for i in 0..<record.ends.count where record.ends[i] < 0 {
                    let end = -record.ends[i]
                    var r = record.starts[i], w = r, inQuotes = true
                    while r < end {
                        let c = base[r]
                        if inQuotes && c == quote {
                            if r + 1 < end && base[r + 1] == quote { base[w] = quote; w += 1; r += 2; continue }
                            inQuotes = false; r += 1; continue
                        }
                        base[w] = c; w += 1; r += 1
                    }
                    record.ends[i] = w
                }
            }
            fieldLoop: while true {
                // At the start of a field.
                if p < count && base[p] == quote {
                    // Scan only: nothing is rewritten until the record is known complete,
                    // so an unfinished record can be carried into the next chunk untouched.
                    p += 1
                    let start = p
                    var escapes = false
                    var closed = false
                    while p < count {
                        // Skip runs with no quote or line end, eight bytes at a time.
                        while p + 8 <= count {
                            let m = swarMatch(UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self), quotes, lfs, crs)
                            if m != 0 { p += m.trailingZeroBitCount >> 3; break }
                            p += 8
                        }
                        if p >= count { break }
                        let c = base[p]
                        if c == quote {
                            if p + 1 < count && base[p + 1] == quote { escapes = true; p += 2; continue }
                            if p + 1 >= count && !final { break } // closing quote or half an escape: cannot tell yet
                            p += 1; closed = true; break
                        }
                        if c == lf { line += 1 } else if c == cr && !(p + 1 < count && base[p + 1] == lf) { line += 1 }
                        p += 1
                    }
                    if !closed && !final { p = recordStart; line = lineAtStart; break recordLoop }
                    if !closed { record.unclosedQuote = record.starts.count }
                    let contentEnd = closed ? p - 1 : p
                    // Text after the closing quote up to the separator stays in the field.
                    var trailing = false
                    while p < count {
                        let c = base[p]
                        if c == sep || c == lf || c == cr { break }
                        p += 1; trailing = true
                    }
                    record.starts.append(start)
                    if escapes || trailing {
                        record.ends.append(-p) // negative: compact when the record is complete
                        needsCompaction = true
                    } else {
                        record.ends.append(contentEnd)
                    }
                } else {
                    let start = p
                    // To the separator or line end by the block's bits; the last 63 bytes of
                    // the buffer byte by byte (below), as is the check that p is one.
                    while true {
                        if p >= blockEnd {
                            if p + 64 > count { break }
                            blockAt = p; blockEnd = p + 64
                            blockBits = cscan_delimiters64(base + p, sep)
                        }
                        let bits = blockBits &>> UInt64(p - blockAt)
                        if bits != 0 { p += bits.trailingZeroBitCount; break }
                        p = blockEnd
                    }
                    while p < count {
                        let c = base[p]
                        if c == sep || c == lf || c == cr { break }
                        p += 1
                    }
                    record.starts.append(start)
                    record.ends.append(p)
                }
                // After a field: separator, line end, or end of buffer.
                if p >= count {
                    if !final { p = recordStart; line = lineAtStart; break recordLoop }
                    if needsCompaction { compact() }
                    record.end = p; record.endLine = line
                    try emit(record, buf)
                    break recordLoop
                }
                let c = base[p]
                if c == sep { p += 1; continue fieldLoop }
                if c == lf {
                    p += 1; line += 1
                    if needsCompaction { compact() }
                    record.end = p; record.endLine = line
                    try emit(record, buf)
                    continue recordLoop
                }
                // CR
                if p + 1 >= count && !final { p = recordStart; line = lineAtStart; break recordLoop }
                p += (p + 1 < count && base[p + 1] == lf) ? 2 : 1
                line += 1
                if needsCompaction { compact() }
                record.end = p; record.endLine = line
                try emit(record, buf)
                continue recordLoop
            }
        }
        return p
    }
}

/// Convenience: every record of a whole byte array, as strings (tests, `inspect`, small files).
public func csvRecords(_ bytes: [UInt8], separator: UInt8 = 0x2C) -> [(line: Int, fields: [String])] {
    var copy = bytes
    var out: [(Int, [String])] = []
    var parser = CSVParser(separator: separator)
    let n = copy.count
    copy.withUnsafeMutableBytes { buf in
        _ = parser.parse(buf, count: n, final: true) { rec, b in
            var fields: [String] = []
            for i in 0..<rec.count {
                fields.append(String(decoding: UnsafeRawBufferPointer(rebasing: b[rec.starts[i]..<rec.ends[i]]), as: UTF8.self))
            }
            out.append((rec.line, fields))
        }
    }
    return out
}
