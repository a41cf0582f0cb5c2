#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GB18030 (and GBK, its two-byte part) to UTF-8, as iconv converts it but at memory speed:
/// what Excel on a Chinese Windows writes when an operator re-saves an export.
///
/// With iconv over the whole text, a 1M-order GB18030 file (201 MB) loaded in 3.6 s; with this
/// decoder in 3.1 s (both before the file was streamed, `FileReader.streamGB18030`). The
/// text is mostly ASCII (ids, times, amounts), passed eight bytes at a time; a two-byte
/// character (lead 0x81–0xFE, trail 0x40–0xFE but 0x7F: every Chinese character of GBK) is
/// looked up in a table built once from iconv itself, so the two always agree. Everything else
/// (the four-byte sequences of GB18030's extension, invalid bytes, a character cut by the end)
/// is handed to iconv one character at a time, with the whole-file decoder's rules: an invalid
/// byte becomes `Decoder.invalidMarker` and is skipped, a cut character ends the text.
struct GB18030Decoder: ~Copyable {
    /// Per two-byte sequence, `(lead - 0x81) * 191 + (trail - 0x40)`: its UTF-8 bytes packed
    /// low byte first, the count in the top byte; 0 when iconv decides (it refused the pair).
    let pairs: [UInt32]
    private let cd: iconv_t

    /// Nil when iconv has no GB18030 converter.
    init?() {
        guard let pairs = GB18030Decoder.table, let opened = iconv_open("UTF-8", "GB18030"), opened != iconv_t(bitPattern: -1) else { return nil }
        self.pairs = pairs
        cd = opened
    }

    /// The two-byte table, built once (a constant, made on first use; nil without iconv).
    static let table: [UInt32]? = {
        guard let opened = iconv_open("UTF-8", "GB18030"), opened != iconv_t(bitPattern: -1) else { return nil }
        let cd: iconv_t = opened
        defer { iconv_close(cd) }
        var table = [UInt32](repeating: 0, count: 126 * 191)
        var input: [UInt8] = [0, 0]
        var output = [UInt8](repeating: 0, count: 8)
        for lead in 0x81...0xFE {
            for trail in 0x40...0xFE where trail != 0x7F {
                input[0] = UInt8(lead); input[1] = UInt8(trail)
                let (r, used, made) = GB18030Decoder.convert(cd, &input, 2, &output)
                guard r >= 0, used == 2, (1...3).contains(made) else { continue }
                var packed = UInt32(made) << 24
                for k in 0..<made { packed |= UInt32(output[k]) << (8 * k) }
                table[(lead - 0x81) * 191 + (trail - 0x40)] = packed
            }
        }
        return table
    }()

    deinit { iconv_close(cd) }

    /// One iconv call over the first `count` bytes of `input` into `output`: its result (-1
    /// invalid, -2 output full, -3 incomplete), the bytes used and made.
    private static func convert(_ cd: iconv_t, _ input: inout [UInt8], _ count: Int, _ output: inout [UInt8]) -> (Int, Int, Int) {
        input.withUnsafeMutableBytes { ib in
            output.withUnsafeMutableBytes { ob in
                var ip: UnsafeMutablePointer<CChar>? = ib.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) }
                var il = count
                var op: UnsafeMutablePointer<CChar>? = ob.baseAddress!.assumingMemoryBound(to: CChar.self)
                var ol = ob.count
                let r = iconv(cd, &ip, &il, &op, &ol)
                let err = r == -1 ? errno : 0
                _ = iconv(cd, nil, nil, nil, nil) // back to the initial state
                return (r == -1 ? (err == E2BIG ? -2 : (err == EINVAL ? -3 : -1)) : r, count - il, ob.count - ol)
            }
        }
    }

    /// Decodes `input` and appends the UTF-8 to `out`. Returns the invalid sequences met and
    /// whether the text ends inside a character (the bytes of that character are not decoded).
    ///
    /// Written through a pointer into a new array sized at once (the bytes already in `out`
    /// copied first: a block's unparsed tail, a few bytes): every sequence iconv or the table
    /// decodes makes at most four UTF-8 bytes from at least one input byte, so `4 × count`
    /// bytes always suffice (a two-byte character's three bytes are stored whole, its count
    /// then kept). An append per byte, with its capacity check, was a third of the decoder's
    /// time; room made by appending zeros was slow in unoptimised builds (an element at a
    /// time).
    func decode(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) -> (invalid: Int, truncated: Bool) {
        let n = input.count
        guard let base = input.baseAddress, n > 0 else { return (0, false) }
        let start = out.count, before = out
        let pairs = self.pairs, cd = self.cd
        var invalid = 0, truncated = false
        out = [UInt8](unsafeUninitializedCapacity: start + 4 * n) { dst, written in
            let o = dst.baseAddress!
            before.withUnsafeBufferPointer { if let b = $0.baseAddress { o.initialize(from: b, count: start) } }
            var w = start
            var i = 0
            var window = [UInt8](repeating: 0, count: 4), piece = [UInt8](repeating: 0, count: 16)
            pairs.withUnsafeBufferPointer { table in
                while i < n {
                    // A run of ASCII, eight bytes at a time, copied whole.
                    var j = i
                    while j + 8 <= n && base.loadUnaligned(fromByteOffset: j, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { j += 8 }
                    while j < n && input[j] < 0x80 { j += 1 }
                    if j > i { (o + w).initialize(from: base.advanced(by: i).assumingMemoryBound(to: UInt8.self), count: j - i); w += j - i; i = j; continue }
                    let lead = input[i]
                    if lead >= 0x81 && lead <= 0xFE && i + 1 < n {
                        let trail = input[i + 1]
                        if trail >= 0x40 && trail <= 0xFE {
                            let packed = table[Int(lead - 0x81) * 191 + Int(trail - 0x40)]
                            if packed != 0 {
                                // Up to three bytes, low byte first; the count in the top byte.
                                o[w] = UInt8(truncatingIfNeeded: packed)
                                o[w + 1] = UInt8(truncatingIfNeeded: packed >> 8)
                                o[w + 2] = UInt8(truncatingIfNeeded: packed >> 16)
                                w += Int(packed >> 24)
                                i += 2
                                continue
                            }
                        }
                    }
                    // iconv decides the one sequence that starts here: four bytes after a lead and a
                    // digit (GB18030's extension), two after another lead (so a bad trail is seen as
                    // bad, not as an unfinished character), else one.
                    let want = lead >= 0x81 && lead <= 0xFE ? (i + 1 < n && input[i + 1] >= 0x30 && input[i + 1] <= 0x39 ? 4 : 2) : 1
                    let take = min(want, n - i)
                    for k in 0..<take { window[k] = input[i + k] }
                    let (r, used, made) = GB18030Decoder.convert(cd, &window, take, &piece)
                    if r >= 0 && used == take && made > 0 {
                        for k in 0..<made { o[w + k] = piece[k] }
                        w += made
                        i += take
                    } else if r == -3 && take < want {
                        truncated = true // the file ends inside a character
                        break
                    } else {
                        invalid += 1 // one invalid byte, skipped
                        o[w] = Decoder.invalidMarker
                        w += 1
                        i += 1
                    }
                }
            }
            written = w
        }
        return (invalid, truncated)
    }
}
