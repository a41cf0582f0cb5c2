import Dispatch
/// A JSON value with ordered object keys, written without Foundation so numbers keep full
/// double precision in their shortest round-trip form and keys keep the contract's order.
/// Not `indirect`: arrays and objects already hold their elements in array storage, so a
/// node needs no box of its own (a box a node was millions of allocations for 200k rows).
public enum JSON: Equatable, Sendable {
    case null, bool(Bool), int(Int), double(Double), string(String)
    case array([JSON]), object([(String, JSON)])
    /// An array whose elements are made as they are written (`each`): a report's long lists
    /// (200k findings) never sit in memory as a tree beside the report they come from.
    case elements(Int, @Sendable (Int) -> JSON)
    /// An array whose elements write their own bytes (`written`): the longest lists (230k
    /// copy findings) skip the per-element tree of `elements`.
    case written(WrittenList)

    /// `items` as an array written element by element.
    public static func each<T: Sendable>(_ items: [T], _ element: @escaping @Sendable (T) -> JSON) -> JSON {
        .elements(items.count) { element(items[$0]) }
    }

    /// `items` as an array whose elements write their bytes themselves through `write`, laid
    /// out exactly as `.object` lays them out (`FieldWriter`).
    static func written<T: Sendable>(_ items: [T], _ write: @escaping @Sendable (T, inout FieldWriter, inout JSONBytes) -> Void) -> JSON {
        .written(WrittenList(count: items.count) { i, out, pretty, indent in
            var fields = FieldWriter(pretty: pretty, indent: indent)
            out.append(0x7B)
            write(items[i], &fields, &out)
            fields.close(&out)
        })
    }

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    public static func opt(_ d: Double?) -> JSON { d.map { .double($0) } ?? .null }
    public static func opt(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }

    /// The text, decoded straight from the writer's buffer (no byte array between).
    public func serialized(pretty: Bool = false) -> String {
        written(pretty: pretty).withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The UTF-8 bytes, for writing out without a copy into a `String` (20 MB of findings).
    public func serializedBytes(pretty: Bool = false) -> [UInt8] { written(pretty: pretty).array }

    private func written(pretty: Bool) -> JSONBytes {
        var out = JSONBytes()
        write(&out, pretty: pretty, indent: 0)
        return out
    }

    /// Writes the value in pieces: `drain` is handed the bytes written since the last piece
    /// whenever they pass a megabyte (between array elements), and the rest at the end. A
    /// 100 MB report then never sits whole in memory, nor grows a buffer by copying it.
    public func write(pretty: Bool, drain: (UnsafeRawBufferPointer) -> Void) {
        var out = JSONBytes(capacity: JSON.drainSize + 65_536)
        withoutActuallyEscaping(drain) { d in
            let flush: (inout JSONBytes) -> Void = { bytes in
                bytes.withBytes(d)
                bytes.removeAll()
            }
            write(&out, pretty: pretty, indent: 0, drain: flush)
            flush(&out)
        }
    }

    static let drainSize = 1 << 20

    /// Written as UTF-8 bytes: a report of 200k findings serialises in a fraction of the time
    /// a `String` built scalar by scalar takes.
    func write(_ out: inout JSONBytes, pretty: Bool, indent: Int, drain: ((inout JSONBytes) -> Void)? = nil) {
        @inline(__always) func put(_ s: StaticString) { out.append(s) }
        func newline(_ level: Int) { JSON.newline(level, into: &out) }
        /// An array of `n` elements, each written by `element`; drained between elements.
        func items(_ n: Int, _ element: (Int, inout JSONBytes) -> Void) {
            if n == 0 { put("[]"); return }
            out.append(0x5B)
            JSON.writeItems(0..<n, into: &out, pretty: pretty, indent: indent, drain: drain, element)
            if pretty { newline(indent) }
            out.append(0x5D)
        }
        /// A list of `n` elements, each written by `element` at an indentation. While streaming,
        /// a long one (`parallelElements`) has its second half written on another core, in
        /// pieces of about a megabyte (no buffer doubles and copies), while the first half
        /// streams; then the pieces follow it (the big shop's 230k copy findings: the output's
        /// largest part).
        func list(_ n: Int, _ element: @escaping @Sendable (Int, inout JSONBytes, Int) -> Void) {
            guard drain != nil && n >= JSON.parallelElements else {
                items(n) { i, out in element(i, &out, indent + 1) }
                return
            }
            final class Half: @unchecked Sendable { var pieces: [[UInt8]] = [] }
            let half = n / 2, second = Half()
            let done = DispatchGroup()
            DispatchQueue.global().async(group: done) {
                var b = JSONBytes(capacity: JSON.drainSize + 65_536)
                JSON.writeItems(half..<n, into: &b, pretty: pretty, indent: indent, drain: { piece in
                    second.pieces.append(piece.array)
                    piece.removeAll()
                }) { i, out in element(i, &out, indent + 1) }
                second.pieces.append(b.array)
            }
            out.append(0x5B)
            JSON.writeItems(0..<half, into: &out, pretty: pretty, indent: indent, drain: drain) { i, out in element(i, &out, indent + 1) }
            done.wait()
            for k in second.pieces.indices {
                second.pieces[k].withUnsafeBytes { out.append($0) }
                second.pieces[k] = []
                if let drain, out.count >= JSON.drainSize { drain(&out) }
            }
            if pretty { newline(indent) }
            out.append(0x5D)
        }
        switch self {
        case .null: put("null")
        case .bool(let b): b ? put("true") : put("false")
        case .int(let i): out.append(String(i))
        case .double(let d):
            if d.isNaN || d.isInfinite { put("null") }
            else if d == d.rounded() && abs(d) < 1e15 { out.append(String(Int(d))); put(".0") }
            else { out.append(d.description) }
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let a):
            a.withUnsafeBufferPointer { a in   // elements borrowed, not retained one by one
                items(a.count) { i, out in a[i].write(&out, pretty: pretty, indent: indent + 1, drain: drain) }
            }
        case .elements(let n, let element):
            list(n) { i, out, indent in element(i).write(&out, pretty: pretty, indent: indent) }
        case .written(let w):
            list(w.count) { i, out, indent in w.write(i, &out, pretty, indent) }
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
        // Printable ASCII other than quote and backslash (keys, ids, numbers' text) is passed
        // eight bytes at a time; from the first other word on, one table look-up a byte, and
        // only the lead bytes of C1 controls (0xC2) and of U+2028/U+2029 (0xE2) look further.
        var start = 0
        if let p = b.baseAddress {
            while start + 8 <= b.count, plainASCII(UnsafeRawPointer(p + start).loadUnaligned(as: UInt64.self)) { start += 8 }
        }
        if start == b.count { return false }
        for i in start..<b.count {
            switch escapeClass(b[i]) {
            case 0: continue
            case 1: return true
            case 2: if i + 1 < b.count, b[i + 1] >= 0x80, b[i + 1] < 0xA0 { return true }
            default: if i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 { return true }
            }
        }
        return false
    }

    /// Whether the eight bytes of `w` are all printable ASCII other than `"` and `\`
    /// (0x20–0x7E): no byte has its top bit, none is 0x7F (adding one would set it), none is
    /// below 0x20, none equals 0x22 or 0x5C (a zero byte after an exclusive or). Each test is
    /// exact for "any byte" once no byte is 0x80 or above.
    @inline(__always)
    static func plainASCII(_ w: UInt64) -> Bool {
        let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
        if w & hi != 0 || (w &+ lo) & hi != 0 { return false }
        if (w &- 0x20 &* lo) & ~w & hi != 0 { return false }
        let q = w ^ (0x22 &* lo), s = w ^ (0x5C &* lo)
        return (((q &- lo) & ~q) | ((s &- lo) & ~s)) & hi == 0
    }

    /// Per byte: 0 plain, 1 always escaped (C0, quote, backslash, DEL), 2 lead of U+0080–U+009F,
    /// 3 lead of U+2028/U+2029. Computed, not a table: a `static let` array is a lazy global,
    /// and its once-check on every string was 5% of writing a big shop's report.
    @inline(__always)
    static func escapeClass(_ c: UInt8) -> UInt8 {
        c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F ? 1 : c == 0xC2 ? 2 : c == 0xE2 ? 3 : 0
    }

    /// A line end and the spaces of up to 32 levels of indentation, copied from in one piece
    /// (a literal: no lazy global to check on every line).
    static var newlineAndSpaces: StaticString { "\n                                                                " }

    /// From this many elements a streamed list is written on two cores.
    static let parallelElements = 20_000

    /// Elements `range` of a list at `indent`, each after its separator (a comma before all
    /// but element 0, then in pretty output a new line), `drain`ed between elements.
    static func writeItems(_ range: Range<Int>, into out: inout JSONBytes, pretty: Bool, indent: Int,
                           drain: ((inout JSONBytes) -> Void)?, _ element: (Int, inout JSONBytes) -> Void) {
        for i in range {
            if i > 0 { out.append(0x2C) }
            if pretty { newline(indent + 1, into: &out) }
            element(i, &out)
            if let drain, out.count >= drainSize { drain(&out) }
        }
    }

    static func newline(_ level: Int, into out: inout JSONBytes) {
        newlineAndSpaces.withUTF8Buffer { block in
            var n = level * 2
            let k = min(n, block.count - 1)
            out.append(UnsafeBufferPointer(rebasing: block[0..<(1 + k)]))
            n -= k
            while n > 0 {   // deeper than the block: more spaces from it
                let m = min(n, block.count - 1)
                out.append(UnsafeBufferPointer(rebasing: block[1..<(1 + m)]))
                n -= m
            }
        }
    }

    static func quote(_ s: String, into out: inout JSONBytes) {
        out.append(0x22)
        var copy = s
        let plain = copy.withUTF8 { b -> Bool in
            if needsEscape(b) { return false }
            out.append(b)
            return true
        }
        if !plain {
            for u in s.unicodeScalars {
                switch u {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                default:
                    if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) || u.value == 0x2028 || u.value == 0x2029 {
                        let hex = String(u.value, radix: 16)
                        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    } else {
                        out.append(String(u))
                    }
                }
            }
        }
        out.append(0x22)
    }
}

/// A list whose elements write their own bytes (`JSON.written`).
public struct WrittenList: Sendable {
    let count: Int
    /// Element i at an indentation level, in pretty or compact layout.
    let write: @Sendable (Int, inout JSONBytes, Bool, Int) -> Void
}

/// Writes one object's fields straight to bytes, laid out exactly as `JSON.object` lays out
/// the same fields (keys are the contract's, plain ASCII: written without an escape check).
struct FieldWriter {
    let pretty: Bool
    /// The object's own indentation level.
    let indent: Int
    private var fields = 0

    init(pretty: Bool, indent: Int) { self.pretty = pretty; self.indent = indent }

    /// The separator, the key and its colon of the next field.
    mutating func key(_ k: StaticString, _ out: inout JSONBytes) {
        if fields > 0 { out.append(0x2C) }
        fields += 1
        if pretty { JSON.newline(indent + 1, into: &out) }
        out.append(0x22); out.append(k); out.append(0x22)
        pretty ? out.append(": ") : out.append(":")
    }

    mutating func string(_ k: StaticString, _ v: String, _ out: inout JSONBytes) { key(k, &out); JSON.quote(v, into: &out) }
    mutating func int(_ k: StaticString, _ v: Int, _ out: inout JSONBytes) { key(k, &out); out.append(String(v)) }
    /// A number, or `null` when there is none (as `.null` writes it).
    mutating func int(_ k: StaticString, _ v: Int?, _ out: inout JSONBytes) {
        key(k, &out)
        out.append(v.map { String($0) } ?? "null")
    }

    /// A list of strings, laid out as `.array` of `.string`s.
    mutating func strings(_ k: StaticString, _ v: [String], _ out: inout JSONBytes) {
        key(k, &out)
        if v.isEmpty { out.append("[]"); return }
        out.append(0x5B)
        for i in v.indices {
            if i > 0 { out.append(0x2C) }
            if pretty { JSON.newline(indent + 2, into: &out) }
            JSON.quote(v[i], into: &out)
        }
        if pretty { JSON.newline(indent + 1, into: &out) }
        out.append(0x5D)
    }

    /// The closing brace (an object without fields is `{}`, as `.object([])` writes it).
    func close(_ out: inout JSONBytes) {
        if fields > 0 && pretty { JSON.newline(indent, into: &out) }
        out.append(0x7D)
    }
}
