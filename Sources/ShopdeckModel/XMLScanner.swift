/// A minimal streaming XML scanner for the parts of an xlsx package: it reports start tags
/// (name and raw attribute bytes), end tags and text, chunk by chunk, keeping an unfinished
/// tag for the next chunk. No DTDs, no namespaces resolution (prefixes are kept), which is
/// all spreadsheet XML needs; entities are decoded in text and attribute values.
import Foundation

struct XMLScanner {
    private var carry: [UInt8] = []

    enum Event { case start, end, empty }

    /// Feeds bytes; `onTag(kind, name, attributes)` and `onText(bytes)` are called in order.
    /// The buffers they get are valid only during the call (they point into the scanner's
    /// own bytes: no slice is made, nothing retained per tag).
    mutating func feed(_ data: UnsafeRawBufferPointer, final: Bool,
                       onTag: (Event, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void,
                       onText: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if !data.isEmpty { carry.append(contentsOf: data) }
        let consumed = try carry.withUnsafeBytes { buf -> Int in
            guard let base = buf.baseAddress else { return 0 }
            let n = buf.count
            var i = 0
            var consumed = 0
            func slice(_ a: Int, _ b: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + a, count: b - a) }
            while i < n {
                if base.load(fromByteOffset: i, as: UInt8.self) != 0x3C { // text up to the next '<'
                    let j = memchr(base + i, 0x3C, n - i).map { base.distance(to: UnsafeRawPointer($0)) } ?? n
                    if j == n && !final { break }
                    try onText(slice(i, j))
                    i = j; consumed = i
                    continue
                }
                // A tag: find its '>' outside quotes, eight bytes at a time to the next '>' or
                // quote, a quoted value skipped to its closing quote.
                var j = i + 1
                while j < n {
                    while j + 8 <= n {
                        let m = swarMatch(base.loadUnaligned(fromByteOffset: j, as: UInt64.self), XMLScanner.gts, XMLScanner.quotes, XMLScanner.apostrophes)
                        if m != 0 { j += m.trailingZeroBitCount >> 3; break }
                        j += 8
                    }
                    guard j < n else { break }
                    let c = buf[j]
                    if c == 0x3E { break }
                    if c == 0x22 || c == 0x27 {
                        guard let close = memchr(base + j + 1, Int32(c), n - j - 1) else { j = n; break }
                        j = base.distance(to: UnsafeRawPointer(close)) + 1
                        continue
                    }
                    j += 1
                }
                if j >= n { break } // unfinished tag: keep for the next chunk
                let innerStart = i + 1, innerEnd = j
                i = j + 1; consumed = i
                guard innerStart < innerEnd else { continue }
                let first = buf[innerStart]
                if first == 0x3F || first == 0x21 { continue } // <?xml …?>, <!-- … -->, <!DOCTYPE …>
                if first == 0x2F { // </name>
                    var e = innerEnd
                    while e > innerStart + 1 && XMLScanner.isSpace(buf[e - 1]) { e -= 1 }
                    try onTag(.end, slice(innerStart + 1, e), slice(e, e))
                    continue
                }
                var bodyEnd = innerEnd
                var kind = Event.start
                if buf[bodyEnd - 1] == 0x2F { bodyEnd -= 1; kind = .empty }
                var k = innerStart
                while k < bodyEnd && !XMLScanner.isSpace(buf[k]) { k += 1 }
                try onTag(kind, slice(innerStart, k), slice(k, bodyEnd))
            }
            return consumed
        }
        if consumed == carry.count { carry.removeAll(keepingCapacity: true) } else { carry.removeFirst(consumed) }
    }

    static let gts: UInt64 = 0x3E * 0x0101_0101_0101_0101
    static let quotes: UInt64 = 0x22 * 0x0101_0101_0101_0101
    static let apostrophes: UInt64 = 0x27 * 0x0101_0101_0101_0101

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    /// Whether `b` holds exactly the bytes of `name` (tag and attribute names are a few bytes:
    /// compared in place, no call).
    @inline(__always)
    static func equal(_ b: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard b.count == n else { return false }
        let p = name.utf8Start
        for k in 0..<n where b[k] != p[k] { return false }
        return true
    }

    /// Each attribute's name and value in raw attribute bytes, in order, until `body` says
    /// stop (true) or an attribute has no quoted value.
    @inline(__always)
    static func eachAttribute(_ attrs: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool) {
        var i = 0
        let end = attrs.count
        while i < end {
            while i < end && isSpace(attrs[i]) { i += 1 }
            let nameStart = i
            while i < end && attrs[i] != 0x3D && attrs[i] != 0x20 { i += 1 }
            let key = UnsafeRawBufferPointer(rebasing: attrs[nameStart..<i])
            while i < end && attrs[i] != 0x22 && attrs[i] != 0x27 { i += 1 }
            guard i < end else { return }
            let q = attrs[i]; i += 1
            let vStart = i
            while i < end && attrs[i] != q { i += 1 }
            let value = UnsafeRawBufferPointer(rebasing: attrs[vStart..<min(i, end)])
            i += 1
            if body(key, value) { return }
        }
    }

    /// A name without its prefix (`r:id` -> `id`: the part after the first colon), nil when
    /// it has none.
    @inline(__always)
    static func local(_ key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        key.firstIndex(of: 0x3A).map { UnsafeRawBufferPointer(rebasing: key[($0 + 1)...]) }
    }

    /// The value of attribute `name` (e.g. "r", "t", "s"; a prefixed `x:name` too) in raw
    /// attribute bytes: the first that matches.
    static func attribute(_ attrs: UnsafeRawBufferPointer, _ name: StaticString) -> UnsafeRawBufferPointer? {
        var found: UnsafeRawBufferPointer? = nil
        eachAttribute(attrs) { key, value in
            guard equal(key, name) || local(key).map({ equal($0, name) }) == true else { return false }
            found = value
            return true
        }
        return found
    }

    /// The values of the one-letter attributes `r`, `t` and `s` (a cell's reference, type and
    /// style), found in one pass, each as `attribute` finds it.
    static func cellAttributes(_ attrs: UnsafeRawBufferPointer) -> (r: UnsafeRawBufferPointer?, t: UnsafeRawBufferPointer?, s: UnsafeRawBufferPointer?) {
        var r: UnsafeRawBufferPointer? = nil, t: UnsafeRawBufferPointer? = nil, s: UnsafeRawBufferPointer? = nil
        eachAttribute(attrs) { key, value in
            // The name itself when one letter long, else its part after the first colon.
            guard let name = key.count == 1 ? key : local(key), name.count == 1 else { return false }
            switch name[0] {
            case 0x72: if r == nil { r = value }
            case 0x74: if t == nil { t = value }
            case 0x73: if s == nil { s = value }
            default: break
            }
            return false
        }
        return (r, t, s)
    }

    /// Text with the five XML entities and numeric references decoded.
    static func decode(_ s: UnsafeRawBufferPointer) -> String {
        guard s.contains(0x26) else { return String(decoding: s, as: UTF8.self) }
        var out: [UInt8] = []
        decode(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` to `out` with the five XML entities and numeric references decoded.
    static func decode(_ s: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        guard let amp = s.firstIndex(of: 0x26) else { out.append(contentsOf: s); return }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[..<amp]))
        var i = amp
        while i < s.count {
            let c = s[i]
            if c == 0x26, let semi = s[i..<min(s.count, i + 12)].firstIndex(of: 0x3B) {
                let ent = String(decoding: UnsafeRawBufferPointer(rebasing: s[(i + 1)..<semi]), as: UTF8.self)
                var scalar: UInt32? = nil
                switch ent {
                case "amp": scalar = 0x26
                case "lt": scalar = 0x3C
                case "gt": scalar = 0x3E
                case "quot": scalar = 0x22
                case "apos": scalar = 0x27
                default:
                    if ent.hasPrefix("#x") || ent.hasPrefix("#X") { scalar = UInt32(ent.dropFirst(2), radix: 16) }
                    else if ent.hasPrefix("#") { scalar = UInt32(ent.dropFirst()) }
                }
                if let v = scalar, let u = Unicode.Scalar(v) {
                    UTF8.encode(u) { out.append($0) }
                    i = semi + 1
                    continue
                }
            }
            out.append(c); i += 1
        }
    }
}
