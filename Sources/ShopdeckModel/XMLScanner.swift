/// A minimal streaming XML scanner for the parts of an xlsx package: it reports start tags
/// (name and raw attribute bytes), end tags and text, chunk by chunk, keeping an unfinished
/// tag for the next chunk. No DTDs, no namespaces resolution (prefixes are kept), which is
/// all spreadsheet XML needs; entities are decoded in text and attribute values.
struct XMLScanner {
    private var carry: [UInt8] = []

    enum Event { case start, end, empty }

    /// Feeds bytes; `onTag(kind, name, attributes)` and `onText(bytes)` are called in order.
    mutating func feed(_ data: UnsafeRawBufferPointer, final: Bool,
                       onTag: (Event, ArraySlice<UInt8>, ArraySlice<UInt8>) throws -> Void,
                       onText: (ArraySlice<UInt8>) throws -> Void) rethrows {
        carry.append(contentsOf: data)
        let buf = carry[...]
        var i = 0
        let n = buf.endIndex
        var consumed = 0
        while i < n {
            if buf[i] != 0x3C { // text up to the next '<'
                var j = i
                while j < n && buf[j] != 0x3C { j += 1 }
                if j == n && !final { break }
                try onText(buf[i..<j])
                i = j; consumed = i
                continue
            }
            // A tag: find its '>' (outside quotes).
            var j = i + 1
            var quote: UInt8 = 0
            while j < n {
                let c = buf[j]
                if quote != 0 { if c == quote { quote = 0 } }
                else if c == 0x22 || c == 0x27 { quote = c }
                else if c == 0x3E { break }
                j += 1
            }
            if j >= n { break } // unfinished tag: keep for the next chunk
            let inner = buf[(i + 1)..<j]
            i = j + 1; consumed = i
            guard let first = inner.first else { continue }
            if first == 0x3F || first == 0x21 { continue } // <?xml …?>, <!-- … -->, <!DOCTYPE …>
            if first == 0x2F { // </name>
                try onTag(.end, trimName(inner.dropFirst()), [])
                continue
            }
            var body = inner
            var kind = Event.start
            if body.last == 0x2F { body = body.dropLast(); kind = .empty }
            var k = body.startIndex
            while k < body.endIndex && !isSpace(body[k]) { k += 1 }
            try onTag(kind, body[body.startIndex..<k], body[k...])
        }
        carry.removeFirst(consumed)
    }

    private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
    private func trimName(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var e = s.endIndex
        while e > s.startIndex && isSpace(s[e - 1]) { e -= 1 }
        return s[s.startIndex..<e]
    }

    /// The value of attribute `name` (e.g. "r", "t", "s") in raw attribute bytes.
    static func attribute(_ attrs: ArraySlice<UInt8>, _ name: [UInt8]) -> ArraySlice<UInt8>? {
        var i = attrs.startIndex
        let end = attrs.endIndex
        while i < end {
            while i < end && (attrs[i] == 0x20 || attrs[i] == 0x0A || attrs[i] == 0x0D || attrs[i] == 0x09) { i += 1 }
            let nameStart = i
            while i < end && attrs[i] != 0x3D && attrs[i] != 0x20 { i += 1 }
            let key = attrs[nameStart..<i]
            while i < end && attrs[i] != 0x22 && attrs[i] != 0x27 { i += 1 }
            guard i < end else { return nil }
            let q = attrs[i]; i += 1
            let vStart = i
            while i < end && attrs[i] != q { i += 1 }
            let value = attrs[vStart..<min(i, end)]
            i += 1
            if key.elementsEqual(name) { return value }
            // also match a prefixed name such as r:id
            if let colon = key.firstIndex(of: 0x3A), key[(colon + 1)...].elementsEqual(name) { return value }
        }
        return nil
    }

    /// Text with the five XML entities and numeric references decoded.
    static func decode(_ s: ArraySlice<UInt8>) -> String {
        guard s.contains(0x26) else { return String(decoding: s, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == 0x26, let semi = s[i...].prefix(12).firstIndex(of: 0x3B) {
                let ent = String(decoding: s[(i + 1)..<semi], as: UTF8.self)
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
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                    i = semi + 1
                    continue
                }
            }
            out.append(c); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
