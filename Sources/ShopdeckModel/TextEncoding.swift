#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encoding of one export, detected per file from the whole file (data-formats.md
/// "Text").
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case gb18030 = "gb18030"
    case utf16 = "utf-16"

    /// A first guess from the first bytes alone (a BOM, else valid UTF-8, else GB18030); the
    /// loader decides on the whole file (`TextScan`).
    public static func sniff(_ head: UnsafeRawBufferPointer, isWhole: Bool) -> TextEncoding {
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { return .utf8BOM }
        if head.count >= 2, (head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) { return .utf16 }
        return isValidUTF8(head, allowTruncatedEnd: !isWhole) ? .utf8 : .gb18030
    }

    /// Strict UTF-8 validation; a sequence cut by the end of a sample is allowed when asked.
    public static func isValidUTF8(_ b: UnsafeRawBufferPointer, allowTruncatedEnd: Bool) -> Bool {
        var scan = UTF8Scan()
        scan.feed(b)
        return scan.invalid == 0 && (allowTruncatedEnd || scan.pending == 0)
    }

    /// GB18030 bytes to UTF-8 bytes. Nil only when the converter is missing.
    public static func decodeGB18030(_ bytes: [UInt8]) -> [UInt8]? {
        guard let d = Decoder.gb18030(bytes) else { return nil }
        return d.text
    }

    /// UTF-8 text to GB18030 bytes (the demo and the tests write such files).
    public static func encodeGB18030(_ text: String) -> [UInt8]? {
        Decoder.iconvConvert(Array(text.utf8), from: "UTF-8", to: "GB18030")?.text
    }
}

/// Counts what strict UTF-8 validation finds over a stream of blocks: invalid sequences, valid
/// multi-byte characters, and the bytes of a character still open at the end of the last block.
public struct UTF8Scan {
    public private(set) var invalid = 0
    public private(set) var multibyte = 0
    /// Bytes of an incomplete sequence at the end of what was fed (0 when complete).
    public private(set) var pending = 0
    var need = 0, lead: UInt8 = 0, seen = 0

    public init() {}

    public mutating func feed(_ b: UnsafeRawBufferPointer) {
        let n = b.count
        var i = 0
        while i < n {
            if need == 0 {
                // Eight ASCII bytes at a time.
                while i + 8 <= n, b.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
                if i >= n { break }
                // Three-byte characters (most of Chinese text) four bytes at a time: lead 1110xxxx
                // and two continuation bytes, read as one word; leads E0 and ED (whose second
                // byte is bounded further) take the careful path below.
                var run = 0
                while i + 4 <= n {
                    let w = b.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian
                    guard w & 0x00C0_C0F0 == 0x0080_80E0, w & 0x0F != 0, w & 0x0F != 0x0D else { break }
                    run += 1; i += 3
                }
                if run > 0 { multibyte += run; continue }
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                let len: Int
                if c >= 0xC2 && c <= 0xDF { len = 2 }
                else if c >= 0xE0 && c <= 0xEF { len = 3 }
                else if c >= 0xF0 && c <= 0xF4 { len = 4 }
                else { invalid += 1; i += 1; continue }
                // A whole character inside this block: checked at once (the common case;
                // Chinese text is mostly 3-byte characters).
                if i + len <= n {
                    let c1 = b[i + 1]
                    var ok = c1 & 0xC0 == 0x80
                    if len >= 3 {
                        ok = ok && b[i + 2] & 0xC0 == 0x80
                        if len == 3 { ok = ok && !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0) }
                        else { ok = ok && b[i + 3] & 0xC0 == 0x80 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90) }
                    }
                    if ok { multibyte += 1; i += len; continue }
                }
                // Cut by the block's end, or invalid: byte by byte below, exactly.
                lead = c; seen = 1; need = len - 1
                i += 1
                continue
            }
            let c = b[i]
            var ok = c & 0xC0 == 0x80
            if ok && seen == 1 {
                if lead == 0xE0 && c < 0xA0 { ok = false }
                if lead == 0xED && c >= 0xA0 { ok = false }
                if lead == 0xF0 && c < 0x90 { ok = false }
                if lead == 0xF4 && c >= 0x90 { ok = false }
            }
            if !ok { invalid += 1; need = 0; continue } // re-read c as a new start
            i += 1; seen += 1; need -= 1
            if need == 0 { multibyte += 1 }
        }
        pending = need == 0 ? 0 : seen
    }

    /// Whether the bytes read as UTF-8 with some damage rather than as another encoding: a
    /// GB18030 text is nearly all invalid UTF-8, a damaged UTF-8 text nearly all valid.
    public var looksLikeUTF8: Bool { invalid == 0 || multibyte >= 2 * invalid }
}

/// Whole-file decoders to UTF-8. An invalid sequence becomes the byte 0xFF (never valid
/// UTF-8), so the cell holding it is found unreadable later and reported, never read as
/// U+FFFD; a character cut by the end of the file drops the last, incomplete line.
public enum Decoder {
    public struct Result {
        public var text: [UInt8]
        public var invalid: Int
        /// The file ended inside a character: the bytes after the last line end were dropped.
        public var droppedLastLine: Bool
    }

    /// The marker an invalid sequence becomes.
    public static let invalidMarker: UInt8 = 0xFF

    public static func gb18030(_ bytes: [UInt8]) -> Result? {
        guard let decoder = GB18030Decoder() else { return nil }
        var out: [UInt8] = []
        let (invalid, truncated) = bytes.withUnsafeBytes { decoder.decode($0, into: &out) }
        if truncated { dropLastLine(&out) }
        return Result(text: out, invalid: invalid, droppedLastLine: truncated)
    }

    static func iconvConvert(_ bytes: [UInt8], from: String, to: String) -> Result? {
        let cd = iconv_open(to, from)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 2 + 16)
        var invalid = 0, truncated = false
        var block = [UInt8](repeating: 0, count: 1 << 16)
        var input = bytes
        input.withUnsafeMutableBytes { ib in
            var ip: UnsafeMutablePointer<CChar>? = ib.baseAddress?.assumingMemoryBound(to: CChar.self)
            var il = ib.count
            while il > 0 {
                let (r, err, produced): (Int, Int32, Int) = block.withUnsafeMutableBytes { ob in
                    var op: UnsafeMutablePointer<CChar>? = ob.baseAddress!.assumingMemoryBound(to: CChar.self)
                    var ol = ob.count
                    let r = iconv(cd, &ip, &il, &op, &ol)
                    return (r, r == -1 ? errno : 0, ob.count - ol)
                }
                out.append(contentsOf: block[0..<produced])
                if r != -1 { break }
                switch err {
                case E2BIG: continue
                case EINVAL: truncated = true; il = 0 // incomplete at the end
                default: // EILSEQ: one invalid byte
                    invalid += 1
                    out.append(invalidMarker)
                    ip = ip! + 1; il -= 1
                }
            }
        }
        if truncated { dropLastLine(&out) }
        return Result(text: out, invalid: invalid, droppedLastLine: truncated)
    }

    /// UTF-16 with a BOM (Excel's "Unicode text") to UTF-8; an unpaired surrogate is invalid.
    public static func utf16(_ bytes: [UInt8]) -> Result {
        let big = bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var invalid = 0
        var i = bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || big) ? 2 : 0
        let n = bytes.count
        func unit(_ k: Int) -> UInt32 { big ? UInt32(bytes[k]) << 8 | UInt32(bytes[k + 1]) : UInt32(bytes[k + 1]) << 8 | UInt32(bytes[k]) }
        func put(_ v: UInt32) {
            switch v {
            case 0..<0x80: out.append(UInt8(v))
            case 0x80..<0x800: out.append(UInt8(0xC0 | v >> 6)); out.append(UInt8(0x80 | v & 0x3F))
            case 0x800..<0x10000:
                out.append(UInt8(0xE0 | v >> 12)); out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
            default:
                out.append(UInt8(0xF0 | v >> 18)); out.append(UInt8(0x80 | v >> 12 & 0x3F))
                out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
            }
        }
        var truncated = false
        while i < n {
            guard i + 1 < n else { truncated = true; break }
            let u = unit(i)
            if u >= 0xD800 && u < 0xDC00 {
                guard i + 3 < n else { truncated = true; break }
                let l = unit(i + 2)
                if l >= 0xDC00 && l < 0xE000 {
                    put(0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00)); i += 4; continue
                }
                invalid += 1; out.append(invalidMarker); i += 2; continue
            }
            if u >= 0xDC00 && u < 0xE000 { invalid += 1; out.append(invalidMarker); i += 2; continue }
            put(u); i += 2
        }
        if truncated { dropLastLine(&out) }
        return Result(text: out, invalid: invalid, droppedLastLine: truncated)
    }

    /// Cuts `text` after its last line end (all of it when it has none).
    static func dropLastLine(_ text: inout [UInt8]) {
        if let lf = text.lastIndex(of: 0x0A) { text.removeSubrange((lf + 1)...) } else { text.removeAll() }
    }
}
