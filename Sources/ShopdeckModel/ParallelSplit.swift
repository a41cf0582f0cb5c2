import Foundation

/// A large UTF-8 or GB18030 export cut at line ends into chunks that are read on every core at once
/// (the orders path and the other tables share it). The split is speculative: every chunk but
/// the last must end exactly on a record end, otherwise (a quoted field spanning a split) the
/// caller reads the file in one pass.
struct SplitPlan {
    let path: String
    let name: String
    let size: Int
    let encoding: TextEncoding
    /// A head of valid UTF-8 holding real multi-byte text: the encoding is settled without
    /// scanning every byte (GB18030 text is invalid UTF-8 at almost every character).
    let settled: Bool
    let separator: UInt8
    let head: [UInt8]
    /// The first records of the file (line, cells), the header among them.
    let rows: [(Int, [String])]
    let headerIndex: Int
    let kind: TableKind
    let map: HeaderMap
    /// The first data byte and its line.
    let dataStart: Int
    let dataLine: Int
    /// Chunk c is bytes bounds[c] ..< bounds[c + 1].
    let bounds: [Int]
    /// The strict UTF-8 scan of the bytes before the data (the header and the lines above it).
    let headerScan: UTF8Scan

    var headers: [String] { rows[headerIndex].1 }
    var chunks: Int { bounds.count - 1 }

    /// About how many records chunk `c` holds, from the line ends in the head's data (a few
    /// percent over, so a chunk's rows are stored without the array doubling as they come);
    /// 0 when the head holds no data line.
    /// Never more than a row per 24 bytes: a head of short lines before long ones (a hostile
    /// file) must not reserve many times the file's size.
    func estimatedRows(_ c: Int) -> Int {
        guard bytesPerLine > 0 else { return 0 }
        let bytes = bounds[c + 1] - bounds[c]
        return min(Int(Double(bytes) / bytesPerLine * 1.03), bytes / 24) + 64
    }

    /// The head's data bytes per line end (0 when the head holds no data line).
    let bytesPerLine: Double

    static func bytesPerLine(_ head: [UInt8], from start: Int) -> Double {
        guard start < head.count else { return 0 }
        let lines = head.withUnsafeBufferPointer { b in
            var n = 0
            for i in start..<b.count where b[i] == 0x0A { n += 1 }
            return n
        }
        return lines > 0 ? Double(head.count - start) / Double(lines) : 0
    }

    /// Chunks per core: more than one evens out the cores' shares.
    static let chunksPerCore = 4

    /// The plan for `path`, or nil when it is read in one pass: one core, smaller than
    /// `threshold`, neither UTF-8 nor a head of valid GB18030, no header of `kind` in its
    /// head, or too small to cut.
    init?(path: String, name: String, kind expected: TableKind, threshold: Int, minChunk: Int = 1 << 20) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, DataLoader.recognise(name: name) == expected,
              let size = FileReader.fileSize(path).map(Int.init), size >= threshold,
              let head = try? FileReader.readHead(path, bytes: 1 << 20) else { return nil }
        let encoding = head.withUnsafeBytes { TextEncoding.sniff($0, isWhole: false) }
        guard encoding == .utf8 || encoding == .utf8BOM || encoding == .gb18030 else { return nil }
        var headScan = UTF8Scan()
        head.withUnsafeBytes { headScan.feed($0) }
        let bom = encoding == .utf8BOM ? 3 : 0
        let lower = name.lowercased()
        let separator: UInt8 = lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") ? 0x09 : 0x2C
        // The header among the first records of the head; a GB18030 head is decoded first, up
        // to its last line end (a head that is not all valid GB18030 is read in one pass).
        var copy: [UInt8]
        if encoding == .gb18030 {
            guard let lastLF = head.lastIndex(of: 0x0A), let decoder = GB18030Decoder() else { return nil }
            copy = []
            let r = head.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[0...lastLF]), into: &copy) }
            guard r.invalid == 0 && !r.truncated else { return nil }
        } else {
            copy = Array(head[bom...])
        }
        var rows: [(Int, [String])] = [], ends: [(Int, Int)] = []
        var parser = CSVParser(separator: separator)
        let n = copy.count
        copy.withUnsafeMutableBytes { buf in
            _ = parser.parse(buf, count: n, final: false) { rec, b in
                guard rows.count < DataLoader.maxHeaderSearchRows else { return }
                rows.append((rec.line, (0..<rec.count).map { String(decoding: UnsafeRawBufferPointer(rebasing: b[rec.starts[$0]..<rec.ends[$0]]), as: UTF8.self) }))
                ends.append((rec.end, rec.endLine))
            }
        }
        guard let (idx, kind, map) = DataLoader.locateHeader(rows, kind: expected), kind == expected else { return nil }
        var dataStart = bom + ends[idx].0
        if encoding == .gb18030 {
            // Decoding keeps every line end (no GB18030 character holds a 0x0A): the data
            // starts after as many line ends of the file as the decoded header record ends with.
            guard ends[idx].0 > 0, copy[ends[idx].0 - 1] == 0x0A else { return nil }
            let lineEnds = copy[..<ends[idx].0].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            var seen = 0
            guard let after = head.firstIndex(where: { b in if b == 0x0A { seen += 1 }; return seen == lineEnds }) else { return nil }
            dataStart = after + 1
        }
        // Split points: the first line end after each nominal boundary.
        let k = max(2, min(cores * SplitPlan.chunksPerCore, (size - dataStart) / minChunk))
        var cuts = [dataStart]
        for i in 1..<k {
            let nominal = dataStart + (size - dataStart) * i / k
            guard let window = try? FileReader.readRange(path, from: nominal, count: 1 << 16), let lf = window.firstIndex(of: 0x0A) else { return nil }
            let cut = nominal + lf + 1
            if cut > cuts.last! && cut < size { cuts.append(cut) }
        }
        cuts.append(size)
        guard cuts.count >= 3 else { return nil }
        self.path = path; self.name = name; self.size = size; self.encoding = encoding
        // Decoded GB18030 is valid UTF-8 by construction (a chunk meeting a bad sequence is
        // read again in one pass): nothing to scan.
        self.settled = encoding == .gb18030 || headScan.invalid == 0 && headScan.multibyte >= 64
        self.separator = separator; self.head = head; self.rows = rows; self.headerIndex = idx
        self.kind = kind; self.map = map; self.dataStart = dataStart; self.dataLine = ends[idx].1; self.bounds = cuts
        var headerScan = UTF8Scan()
        head.withUnsafeBytes { headerScan.feed(UnsafeRawBufferPointer(rebasing: $0[0..<dataStart])) }
        self.headerScan = headerScan
        self.bytesPerLine = SplitPlan.bytesPerLine(head, from: dataStart)
    }

    /// One chunk's sink and outcome; each worker touches only its own.
    final class Chunk: @unchecked Sendable {
        let sink: RowSink
        var left = 0
        var lines = 0
        var failed = false
        var scan = UTF8Scan()
        /// A GB18030 chunk met an invalid sequence or a cut character.
        var undecodable = false
        /// A GB18030 chunk: a lower bound of its bytes' 2 × invalid − multibyte read as UTF-8.
        var slackAtLeast = 0
        init(_ s: RowSink) { sink = s }
    }

    /// Reads every chunk into its sink, on every core, counting in `progress`. With `scan`,
    /// every byte is checked as strict UTF-8 too (`Chunk.scan`).
    func read(_ parts: [Chunk], scan: Bool, progress: LoadProgress?) {
        let bounds = self.bounds, path = self.path, separator = self.separator, chunks = self.chunks, gb = encoding == .gb18030
        // A GB18030 chunk stops scanning as UTF-8 once its share of the decision is certain
        // whatever the header holds (`readCleanly`).
        let enough = headerScan.multibyte + 1
        // The head was parsed apart (`init`): its bytes and records up to the header count here.
        progress?.add(bytes: dataStart, rows: headerIndex + 1)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let h = parts[c]
            var p = CSVParser(separator: separator, line: 1, progress: progress)
            do {
                let emit = { (rec: CSVRecord, b: UnsafeMutableRawBufferPointer) in h.sink.take(rec, UnsafeRawBufferPointer(b)) }
                if gb {
                    let (left, clean, slack) = try FileReader.streamRangeGB18030(path, from: bounds[c], to: bounds[c + 1], parser: &p, final: c == chunks - 1,
                                                                                 chunkSize: 1 << 18, enough: enough, emit: emit)
                    h.left = left; h.undecodable = !clean; h.slackAtLeast = slack; h.lines = p.line - 1
                    return
                }
                h.left = try withUnsafeMutablePointer(to: &h.scan) { s in
                    try FileReader.streamRange(path, from: bounds[c], to: bounds[c + 1], parser: &p, final: c == chunks - 1,
                                               chunkSize: 1 << 18, scan: scan ? s : nil, emit: emit)
                }
                h.lines = p.line - 1
            } catch { h.failed = true }
        }
    }

    /// Whether the chunks were read as one pass would read them: no read failed, every split
    /// fell on a record end, and no byte was invalid or cut UTF-8 (or GB18030).
    func readCleanly(_ parts: [Chunk]) -> Bool {
        if parts.contains(where: { $0.failed || $0.undecodable }) || parts.dropLast().contains(where: { $0.left != 0 }) { return false }
        if encoding == .gb18030 {
            // The one pass decides on every byte of the file: GB18030 only when the whole does
            // not look like damaged UTF-8 (`UTF8Scan.looksLikeUTF8`: 2 × invalid − multibyte
            // above 0). Any other answer: one pass.
            // Each chunk gives a lower bound of its 2 × invalid − multibyte (exact when it
            // scanned every byte): a sum above 0 is certain; else the one pass decides.
            let slack = 2 * headerScan.invalid - headerScan.multibyte + parts.reduce(0) { $0 + $1.slackAtLeast }
            return slack > 0
        }
        return !parts.contains { $0.scan.invalid > 0 || $0.scan.pending > 0 }
    }

    /// Moves the chunks' errors and warnings into `snap` with their lines in the whole file,
    /// and describes the file as a one-pass load would.
    /// What to add to a line of chunk c (counted from 1 in the chunk) for its line in the
    /// file; the last element is the file's last line.
    func lineShifts(_ parts: [Chunk]) -> [Int] {
        var shifts = [dataLine - 1]
        for part in parts { shifts.append(shifts.last! + part.lines) }
        return shifts
    }

    func finish(_ parts: [Chunk], into snap: inout Snapshot) -> FileLoad {
        let shifts = lineShifts(parts)
        var load = FileLoad(path: name, table: kind, rows: 0, badRows: 0, encoding: encoding, bytes: size)
        for (c, part) in parts.enumerated() {
            let by = shifts[c]
            let fix = { (e: LoadError) -> LoadError in var x = e; x.line = x.line.map { $0 + by }; return x }
            snap.errors += part.sink.errors.map(fix)
            snap.warnings += part.sink.warnings.map(fix)
            load.rows += part.sink.rows; load.badRows += part.sink.bad
        }
        let shift = shifts.last!
        if let last = try? FileReader.readRange(path, from: size - 1, count: 1), last != [0x0A] {
            load.endsWithLineEnd = false
            snap.warnings.append(LoadError(file: name, line: shift, reason: "the last line has no line end: the file may still be being written; its last row was read as it is"))
        }
        // Live appends are read as UTF-8 (`Append`): a GB18030 file is read again whole when it
        // changes, as after a one-pass read.
        if encoding != .gb18030 { load.headers = headers; load.nextLine = shift + 1; load.tailHash = DataLoader.tailHash(path, size) }
        snap.totalBytes += size
        return load
    }
}
