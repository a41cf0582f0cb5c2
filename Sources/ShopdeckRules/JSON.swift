/// A JSON value with ordered object keys, written without Foundation so numbers keep full
/// double precision in their shortest round-trip form and keys keep the contract's order.
/// Not `indirect`: arrays and objects already hold their elements in array storage, so a
/// node needs no box of its own (a box a node was millions of allocations for 200k rows).
public enum JSON: Equatable, Sendable {
    case null, bool(Bool), int(Int), double(Double), string(String)
    case array([JSON]), object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    public static func opt(_ d: Double?) -> JSON { d.map { .double($0) } ?? .null }
    public static func opt(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }

    public func serialized(pretty: Bool = false) -> String {
        String(decoding: serializedBytes(pretty: pretty), as: UTF8.self)
    }

    /// The UTF-8 bytes, for writing out without a copy into a `String` (20 MB of findings).
    public func serializedBytes(pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(&out, pretty: pretty, indent: 0)
        return out
    }

    /// Writes the value in pieces: `drain` is handed the bytes written since the last piece
    /// whenever they pass a megabyte (between array elements), and the rest at the end. A
    /// 100 MB report then never sits whole in memory, nor grows a buffer by copying it.
    public func write(pretty: Bool, drain: (UnsafeRawBufferPointer) -> Void) {
        var out: [UInt8] = []
        out.reserveCapacity(JSON.drainSize + 65_536)
        withoutActuallyEscaping(drain) { d in
            let flush: (inout [UInt8]) -> Void = { bytes in
                bytes.withUnsafeBytes(d)
                bytes.removeAll(keepingCapacity: true)
            }
            write(&out, pretty: pretty, indent: 0, drain: flush)
            flush(&out)
        }
    }

    static let drainSize = 1 << 20

    /// Written as UTF-8 bytes: a report of 200k findings serialises in a fraction of the time
    /// a `String` built scalar by scalar takes.
    func write(_ out: inout [UInt8], pretty: Bool, indent: Int, drain: ((inout [UInt8]) -> Void)? = nil) {
        @inline(__always) func put(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        func newline(_ level: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: level * 2))
        }
        switch self {
        case .null: put("null")
        case .bool(let b): b ? put("true") : put("false")
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            if d.isNaN || d.isInfinite { put("null") }
            else if d == d.rounded() && abs(d) < 1e15 { out.append(contentsOf: String(Int(d)).utf8); put(".0") }
            else { out.append(contentsOf: "\(d)".utf8) }
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let a):
            if a.isEmpty { put("[]"); return }
            out.append(0x5B)
            a.withUnsafeBufferPointer { a in   // elements borrowed, not retained one by one
                for i in a.indices {
                    if i > 0 { out.append(0x2C) }
                    if pretty { newline(indent + 1) }
                    a[i].write(&out, pretty: pretty, indent: indent + 1, drain: drain)
                    if let drain, out.count >= JSON.drainSize { drain(&out) }
                }
            }
            if pretty { newline(indent) }
            out.append(0x5D)
        case .object(let o):
            if o.isEmpty { put("{}"); return }
            out.append(0x7B)
            o.withUnsafeBufferPointer { o in
                for i in o.indices {
                    if i > 0 { out.append(0x2C) }
                    if pretty { newline(indent + 1) }
                    JSON.quote(o[i].0, into: &out)
                    pretty ? put(": ") : put(":")
                    o[i].1.write(&out, pretty: pretty, indent: indent + 1, drain: drain)
                }
            }
            if pretty { newline(indent) }
            out.append(0x7D)
        }
    }

    /// Whether a UTF-8 string needs an escape: a quote, a backslash, a C0 or C1 control, DEL,
    /// or U+2028/U+2029 (escaped so the output is safe in a terminal and in JavaScript).
    static func needsEscape(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for (i, c) in b.enumerated() {
            if c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F { return true }
            if c == 0xC2, i + 1 < b.count, b[i + 1] >= 0x80, b[i + 1] < 0xA0 { return true }
            if c == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 { return true }
        }
        return false
    }

    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var copy = s
        let plain = copy.withUTF8 { b -> Bool in
            if needsEscape(b) { return false }
            out.append(contentsOf: b)
            return true
        }
        if !plain {
            for u in s.unicodeScalars {
                switch u {
                case "\"": out.append(contentsOf: [0x5C, 0x22])
                case "\\": out.append(contentsOf: [0x5C, 0x5C])
                case "\n": out.append(contentsOf: [0x5C, 0x6E])
                case "\r": out.append(contentsOf: [0x5C, 0x72])
                case "\t": out.append(contentsOf: [0x5C, 0x74])
                default:
                    if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) || u.value == 0x2028 || u.value == 0x2029 {
                        let hex = String(u.value, radix: 16)
                        out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                    } else {
                        out.append(contentsOf: String(u).utf8)
                    }
                }
            }
        }
        out.append(0x22)
    }
}
