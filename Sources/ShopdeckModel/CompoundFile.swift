/// A reader for the OLE compound file ([MS-CFB]) that holds an encrypted Office workbook: the
/// streams `EncryptionInfo` and `EncryptedPackage`. Hand-written because it is small (one
/// header, FAT and mini-FAT chains, a directory) and every offset and chain here comes from
/// the file: each one is bounds-checked, and every chain walk is bounded by the number of
/// sectors, so a damaged or hostile file is an error, never a trap or an endless loop.
struct CompoundFile {
    struct Broken: Error, CustomStringConvertible {
        let description: String
    }

    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let freeSector: UInt32 = 0xFFFF_FFFF

    let bytes: [UInt8]
    let sectorSize: Int
    let miniSectorSize: Int
    let miniCutoff: Int
    var fat: [UInt32] = []
    var miniFat: [UInt32] = []
    /// (name, type, start sector, size) of every directory entry.
    var entries: [(name: String, type: UInt8, start: UInt32, size: Int)] = []
    var miniStream: [UInt8] = []

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        guard bytes.count >= 512, Array(bytes[0..<8]) == Self.signature else { throw Broken(description: "not a compound file") }
        let shift = Int(Self.u16(bytes, 30)), miniShift = Int(Self.u16(bytes, 32))
        guard shift == 9 || shift == 12, miniShift == 6 else { throw Broken(description: "unsupported sector sizes") }
        sectorSize = 1 << shift
        miniSectorSize = 1 << miniShift
        miniCutoff = Int(Self.u32(bytes, 56))
        let sectorCount = max(0, (bytes.count - sectorSize) / sectorSize)
        // The FAT's own sectors: 109 in the header, then the DIFAT chain.
        var fatSectors: [UInt32] = []
        for k in 0..<109 {
            let s = Self.u32(bytes, 76 + 4 * k)
            if s < UInt32(sectorCount) { fatSectors.append(s) }
        }
        var difat = Self.u32(bytes, 68)
        var guardCount = 0
        while difat < UInt32(sectorCount) && guardCount <= sectorCount {
            let off = Int(difat + 1) * sectorSize
            let per = sectorSize / 4 - 1
            for k in 0..<per {
                let s = Self.u32(bytes, off + 4 * k)
                if s < UInt32(sectorCount) { fatSectors.append(s) }
            }
            difat = Self.u32(bytes, off + 4 * per)
            guardCount += 1
        }
        for s in fatSectors {
            let off = Int(s + 1) * sectorSize
            for k in 0..<(sectorSize / 4) { fat.append(Self.u32(bytes, off + 4 * k)) }
        }
        // The directory.
        let dir = try chain(start: Self.u32(bytes, 48))
        var k = 0
        while k + 128 <= dir.count {
            let nameLength = min(64, Int(Self.u16(dir, k + 64)))
            var units: [UInt16] = []
            var j = 0
            while j + 1 < nameLength { units.append(Self.u16(dir, k + j)); j += 2 }
            if units.last == 0 { units.removeLast() }
            let name = String(decoding: units, as: UTF16.self)
            let type = dir[k + 66]
            let start = Self.u32(dir, k + 116)
            let size = Int(min(Self.u64(dir, k + 120), UInt64(bytes.count) * 2))
            entries.append((name, type, start, size))
            k += 128
        }
        // The mini stream (the root entry's) and the mini FAT.
        if let root = entries.first(where: { $0.type == 5 }) {
            miniStream = Array(try chain(start: root.start).prefix(root.size))
            let mf = try chain(start: Self.u32(bytes, 60))
            var i = 0
            while i + 4 <= mf.count { miniFat.append(Self.u32(mf, i)); i += 4 }
        }
    }

    /// The bytes of the sector chain from `start` (bounded by the sector count).
    func chain(start: UInt32) throws -> [UInt8] {
        try Self.follow(start, table: fat, sectorSize: sectorSize, in: bytes, at: { ($0 + 1) * self.sectorSize }, what: "sector", shortLast: true)
    }

    func miniChain(start: UInt32) throws -> [UInt8] {
        try Self.follow(start, table: miniFat, sectorSize: miniSectorSize, in: miniStream, at: { $0 * self.miniSectorSize }, what: "mini sector", shortLast: false)
    }

    /// Follows a chain through `table`, reading each sector of `source` at `at(sector)`; at
    /// most `table.count` steps, every offset checked. `shortLast`: the file's last sector may
    /// be cut short (a regular sector), never a mini sector.
    static func follow(_ start: UInt32, table: [UInt32], sectorSize: Int, in source: [UInt8], at: (Int) -> Int,
                       what: String, shortLast: Bool) throws -> [UInt8] {
        var out: [UInt8] = []
        var s = start
        var steps = 0
        while s != endOfChain && s != freeSector {
            guard Int(s) < table.count, steps <= table.count else { throw Broken(description: "a \(what) chain leaves the file") }
            let off = at(Int(s))
            guard off >= 0, off + sectorSize <= source.count else {
                if shortLast, off >= 0, off < source.count { out.append(contentsOf: source[off...]); break }
                throw Broken(description: "a \(what) lies past the end of its stream")
            }
            out.append(contentsOf: source[off..<(off + sectorSize)])
            s = table[Int(s)]
            steps += 1
        }
        return out
    }

    /// The stream named `name` (case-insensitive), or nil.
    func stream(_ name: String) throws -> [UInt8]? {
        guard let e = entries.first(where: { $0.type == 2 && $0.name.lowercased() == name.lowercased() }) else { return nil }
        let data = e.size < miniCutoff ? try miniChain(start: e.start) : try chain(start: e.start)
        guard data.count >= e.size else { throw Broken(description: "the stream \(name) is shorter than its size") }
        return Array(data.prefix(e.size))
    }

    static func u16(_ b: [UInt8], _ o: Int) -> UInt16 {
        guard o >= 0, o + 2 <= b.count else { return 0xFFFF }
        return UInt16(b[o]) | UInt16(b[o + 1]) << 8
    }
    static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
        guard o >= 0, o + 4 <= b.count else { return freeSector }
        return UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }
    static func u64(_ b: [UInt8], _ o: Int) -> UInt64 {
        guard o >= 0, o + 8 <= b.count else { return 0 }
        return UInt64(u32(b, o)) | UInt64(u32(b, o + 4)) << 32
    }
}
