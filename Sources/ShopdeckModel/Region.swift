/// A normalised region path: province › city › district (data-formats.md "Regions").
///
/// Provinces take their short name (浙江, 广西, 内蒙古 …), cities drop a final 市, and a part
/// that repeats the one before it is dropped (`上海市/上海市/浦东新区` is 上海 › 浦东新区).
/// An area matches an address when the area's parts are a prefix of the address's parts.
public struct Region: Hashable, Sendable, CustomStringConvertible {
    public let parts: [String]

    public init(parts: [String]) { self.parts = parts }

    public var description: String { parts.joined(separator: "/") }
    public var isEmpty: Bool { parts.isEmpty }

    /// True when `self` (an area) is a prefix of `address`.
    public func matches(_ address: Region) -> Bool {
        guard !parts.isEmpty, parts.count <= address.parts.count else { return false }
        for i in parts.indices where parts[i] != address.parts[i] { return false }
        return true
    }

    /// Provinces, autonomous regions and municipalities: (short name, full spellings).
    static let provinces: [(String, [String])] = [
        ("北京", ["北京市"]), ("天津", ["天津市"]), ("上海", ["上海市"]), ("重庆", ["重庆市"]),
        ("河北", ["河北省"]), ("山西", ["山西省"]), ("辽宁", ["辽宁省"]), ("吉林", ["吉林省"]),
        ("黑龙江", ["黑龙江省"]), ("江苏", ["江苏省"]), ("浙江", ["浙江省"]), ("安徽", ["安徽省"]),
        ("福建", ["福建省"]), ("江西", ["江西省"]), ("山东", ["山东省"]), ("河南", ["河南省"]),
        ("湖北", ["湖北省"]), ("湖南", ["湖南省"]), ("广东", ["广东省"]), ("海南", ["海南省"]),
        ("四川", ["四川省"]), ("贵州", ["贵州省"]), ("云南", ["云南省"]), ("陕西", ["陕西省"]),
        ("甘肃", ["甘肃省"]), ("青海", ["青海省"]), ("台湾", ["台湾省"]),
        ("内蒙古", ["内蒙古自治区"]), ("广西", ["广西壮族自治区", "广西自治区"]),
        ("西藏", ["西藏自治区"]), ("宁夏", ["宁夏回族自治区", "宁夏自治区"]),
        ("新疆", ["新疆维吾尔自治区", "新疆自治区"]),
        ("香港", ["香港特别行政区"]), ("澳门", ["澳门特别行政区"]),
    ]

    /// Every spelling of a province, longest first, for prefix matching of unseparated text.
    static let provinceSpellings: [(String, String)] = {
        var all: [(String, String)] = []
        for (short, fulls) in provinces {
            all.append((short, short))
            for f in fulls { all.append((f, short)) }
        }
        return all.sorted { $0.0.count > $1.0.count }
    }()

    static func shortProvince(_ part: String) -> String? {
        for (spelling, short) in provinceSpellings where part == spelling { return short }
        // Ethnic suffixes and 省/市/自治区 dropped generically.
        for suffix in ["壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市"] where part.hasSuffix(suffix) {
            let base = String(part.dropLast(suffix.count))
            if provinces.contains(where: { $0.0 == base }) { return base }
        }
        return nil
    }

    static func normaliseCity(_ part: String) -> String {
        if part.count > 1 && part.hasSuffix("市") { return String(part.dropLast()) }
        return part
    }

    /// Parses a region cell: parts separated by `/`, `-`, spaces, or nothing at all; at most
    /// three parts are kept (a street address after the district is ignored).
    public static func parse(_ text: String) -> Region {
        let seps: Set<Character> = ["/", "-", " ", "\u{3000}", "／", ">", "›", "|", ",", "，"]
        var raw = text.split(whereSeparator: { seps.contains($0) }).map(String.init)
        if raw.count == 1 { raw = splitUnseparated(raw[0]) }
        var parts: [String] = []
        for (i, p) in raw.prefix(3).enumerated() {
            let part: String
            switch i {
            case 0: part = shortProvince(p) ?? p
            case 1: part = shortProvince(p) ?? normaliseCity(p)
            default: part = p
            }
            if part.isEmpty || parts.last == part { continue }
            parts.append(part)
        }
        return Region(parts: parts)
    }

    /// `浙江省杭州市余杭区路名…` -> [浙江省, 杭州市, 余杭区]: the province from the known list,
    /// then a city ending in 市/州/盟/地区, then a district ending in 区/县/市/旗.
    static func splitUnseparated(_ s: String) -> [String] {
        var rest = Substring(s)
        var out: [String] = []
        var matched: String? = nil
        for (spelling, short) in provinceSpellings where rest.hasPrefix(spelling) {
            out.append(short); rest = rest.dropFirst(spelling.count); matched = short; break
        }
        guard let province = matched else { return [s] }
        // A municipality may repeat itself: 上海市上海市浦东新区 or go straight to the district.
        if let r = takeUnit(&rest, ends: ["市", "自治州", "地区", "盟", "州"], maxLength: 8) {
            let city = normaliseCity(r)
            if city != province { out.append(r) }
        }
        if let d = takeUnit(&rest, ends: ["区", "县", "市", "旗"], maxLength: 8) { out.append(d) }
        return out
    }

    /// Takes a unit ending in the first marker (in priority order) found within `maxLength`
    /// characters, at least two characters long.
    static func takeUnit(_ rest: inout Substring, ends: [String], maxLength: Int) -> String? {
        let window = String(rest.prefix(maxLength + 2))
        for e in ends {
            guard let r = window.range(of: e) else { continue }
            let length = window.distance(from: window.startIndex, to: r.upperBound)
            if length < 2 || length - e.count + 1 > maxLength { continue }
            let unit = String(window[window.startIndex..<r.upperBound])
            rest = rest.dropFirst(unit.count)
            return unit
        }
        return nil
    }
}

/// Interns byte strings: equal bytes get one index, handed out in first-seen order. Used for
/// region and name cells that repeat a lot (order ids have `OrderIds`). Open addressing; no
/// per-row `String`.
///
/// Layout for the hit path (the common case: a repeated region or product name): a slot holds
/// a 32-bit tag of the hash and the arena offset of its entry, and an entry is its index and
/// length followed by its bytes, so a hit reads one slot and one run of the arena.
public struct ByteInterner: Sendable {
    /// Entries: [index: UInt32][length: UInt32][bytes].
    private var arena: [UInt8] = []
    /// Arena offset of each entry, by index.
    private var offsets: [UInt32] = []
    /// 0 = empty; else tag << 32 | (arena offset + 1).
    private var slots: [UInt64]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    public var count: Int { offsets.count }

    /// Eight bytes at a time, multiply-xorshift mixing (ids and names are 10-60 bytes).
    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        var i = 0
        let n = b.count
        guard let base = b.baseAddress else { return Int(truncatingIfNeeded: h) }
        while i + 8 <= n {
            h = (h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        if i < n && n >= 8 {
            // The last n - i bytes, by one load of the last eight (they overlap bytes mixed above).
            tail = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64((8 - (n - i)) * 8)
        } else {
            var shift: UInt64 = 0
            while i < n { tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift; shift += 8; i += 1 }
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    /// The slot holding `b`, or the empty slot where it would go.
    @inline(__always)
    private func probe(_ b: UnsafeRawBufferPointer, _ h: UInt64) -> (slot: Int, index: Int32?) {
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        return arena.withUnsafeBytes { ab in
            while true {
                let s = slots[i]
                if s == 0 { return (i, nil) }
                if s & 0xFFFF_FFFF_0000_0000 == tag {
                    let off = Int(s & 0xFFFF_FFFF) - 1
                    if Int(ab.loadUnaligned(fromByteOffset: off + 4, as: UInt32.self)) == b.count,
                       memcmpEqual(ab.baseAddress! + off + 8, b.baseAddress, b.count) {
                        return (i, Int32(bitPattern: ab.loadUnaligned(fromByteOffset: off, as: UInt32.self)))
                    }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Index of `b`, adding it when new. `isNew` tells which.
    @inline(__always)
    public mutating func intern(_ b: UnsafeRawBufferPointer) -> (index: Int32, isNew: Bool) {
        let h = UInt64(bitPattern: Int64(ByteInterner.hash(b)))
        let first = probe(b, h)
        if let found = first.index { return (found, false) }
        var slot = first.slot
        if (count + 1) * 2 > slots.count { grow(); slot = probe(b, h).slot }
        let idx = Int32(count)
        let off = arena.count
        withUnsafeBytes(of: UInt32(idx).littleEndian) { arena.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(b.count).littleEndian) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: b)
        offsets.append(UInt32(off))
        slots[slot] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(off + 1)
        return (idx, true)
    }

    public mutating func intern(_ s: String) -> Int32 { s.withBytes { intern($0).index } }

    /// Index of `b` if interned.
    public func find(_ b: UnsafeRawBufferPointer) -> Int32? {
        probe(b, UInt64(bitPattern: Int64(ByteInterner.hash(b)))).index
    }

    public func find(_ s: String) -> Int32? { s.withBytes { find($0) } }

    /// Whether entry `idx` is exactly `b` (one look at the arena, no hashing).
    @inline(__always)
    public func matches(_ idx: Int32, _ b: UnsafeRawBufferPointer) -> Bool {
        let o = Int(offsets[Int(idx)])
        return arena.withUnsafeBytes { ab in
            Int(ab.loadUnaligned(fromByteOffset: o + 4, as: UInt32.self)) == b.count && memcmpEqual(ab.baseAddress! + o + 8, b.baseAddress, b.count)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        arena.withUnsafeBytes { ab in
            for off in offsets {
                let o = Int(off)
                let len = Int(ab.loadUnaligned(fromByteOffset: o + 4, as: UInt32.self))
                let h = UInt64(bitPattern: Int64(ByteInterner.hash(UnsafeRawBufferPointer(rebasing: ab[(o + 8)..<(o + 8 + len)]))))
                var i = Int(truncatingIfNeeded: h) & mask
                while slots[i] != 0 { i = (i + 1) & mask }
                slots[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(o + 1)
            }
        }
    }

    /// Whether every distinct text is valid UTF-8 (each checked once, however often it occurs).
    public var allValidUTF8: Bool {
        arena.withUnsafeBytes { ab in
            offsets.allSatisfy { off in
                let o = Int(off)
                let len = Int(ab.loadUnaligned(fromByteOffset: o + 4, as: UInt32.self))
                return TextEncoding.isValidUTF8(UnsafeRawBufferPointer(rebasing: ab[(o + 8)..<(o + 8 + len)]), allowTruncatedEnd: false)
            }
        }
    }

    /// The bytes of entry `idx`, exactly as interned (the cache stores them byte for byte).
    func withBytes<R>(_ idx: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let o = Int(offsets[Int(idx)])
        return arena.withUnsafeBytes { ab in
            let len = Int(ab.loadUnaligned(fromByteOffset: o + 4, as: UInt32.self))
            return body(UnsafeRawBufferPointer(rebasing: ab[(o + 8)..<(o + 8 + len)]))
        }
    }

    public func string(_ idx: Int32) -> String {
        let o = Int(offsets[Int(idx)])
        return arena.withUnsafeBytes { ab in
            let len = Int(ab.loadUnaligned(fromByteOffset: o + 4, as: UInt32.self))
            return String(decoding: UnsafeRawBufferPointer(rebasing: ab[(o + 8)..<(o + 8 + len)]), as: UTF8.self)
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer?, _ n: Int) -> Bool {
    guard n > 0, let b else { return true }
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
