import Foundation
import Testing
import PropertyBased
@testable import ShopdeckModel

/// The strict UTF-8 scan (`UTF8Scan`) that every loaded byte passes: its fast paths (eight
/// ASCII bytes, a three-byte character as one word) against its careful byte-by-byte path,
/// which a block of one byte always takes, and against Swift's own validation.
@Suite("UTF-8 scan")
struct UTF8ScanTests {
    /// Pieces a text is made of: ASCII, Chinese (the fast path), the leads E0 and ED at their
    /// bounds, two- and four-byte characters, and the invalid: a surrogate, overlongs, a lone
    /// continuation byte, a cut character, bytes never valid.
    static let pieces: [[UInt8]] = [
        Array("order,".utf8), Array("临床验证".utf8), Array("面膜".utf8), [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
        Array("é".utf8), Array("😀".utf8), [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        [0xED, 0xA0, 0x80], [0xE0, 0x80, 0xAF], [0xC0, 0xAF], [0x80], [0xE4, 0xB8], [0xFF], [0xF4, 0x90, 0x80, 0x80],
        [0xF0, 0x80, 0x80, 0x80], [0xE4, 0x41, 0x80],
    ]

    static func scanned(_ bytes: [UInt8], blocks: Int) -> (invalid: Int, multibyte: Int, pending: Int) {
        var scan = UTF8Scan()
        bytes.withUnsafeBytes { b in
            var at = 0
            while at < b.count {
                let end = min(b.count, at + blocks)
                scan.feed(UnsafeRawBufferPointer(rebasing: b[at..<end]))
                at = end
            }
        }
        return (scan.invalid, scan.multibyte, scan.pending)
    }

    @Test func fastPathsCountAsTheCarefulPath() async {
        await propertyCheck(count: 600, input: Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...80), Gen.int(in: 1...70)) { kinds, block in
            let bytes = kinds.flatMap { Self.pieces[$0] }
            let careful = Self.scanned(bytes, blocks: 1)
            let whole = Self.scanned(bytes, blocks: max(1, bytes.count))
            let inBlocks = Self.scanned(bytes, blocks: block)
            #expect(whole == careful)
            #expect(inBlocks == careful)
            // Valid exactly when Swift's own decoder finds it valid (a cut last character
            // is pending, not invalid).
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((careful.invalid == 0 && careful.pending == 0) == valid)
            if valid { #expect(careful.multibyte == String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0.value >= 0x80 }.count) }
        }
    }

    @Test func aLongChineseTextIsOneCharacterAtATime() {
        let text = Array(String(repeating: "补水面膜清洁顶级", count: 100).utf8) + [0xED, 0xA0, 0x80] + Array("临床".utf8)
        // The surrogate ED A0 80: its lead, then its two continuation bytes, each invalid.
        let r = Self.scanned(text, blocks: text.count)
        #expect(r.invalid == 3 && r.multibyte == 802 && r.pending == 0, "\(r)")
        #expect(Self.scanned(text, blocks: 1) == r)
    }
}
