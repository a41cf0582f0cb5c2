import CScan
import Foundation
import Testing
import PropertyBased
@testable import ShopdeckModel

/// The parser against a plain byte-by-byte reading of the same rules (CSVParser's doc
/// comment), on generated text whose fields cross the parser's 64-byte delimiter blocks.
@Suite("CSV parser against a reference")
struct CSVParserOracleTests {
    /// The rules read one byte at a time: blank lines skipped; a field opening with `"` runs to
    /// the next lone `"` (`""` is one quote; line ends inside), text after it up to the
    /// separator is kept; an unclosed quote runs to the end; other fields run to the separator
    /// or a line end (CR, LF or CRLF); a last line needs no line end.
    static func reference(_ b: [UInt8], separator sep: UInt8) -> [[[UInt8]]] {
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        func ends(_ c: UInt8) -> Bool { c == sep || c == lf || c == cr }
        var records: [[[UInt8]]] = []
        var i = 0
        let n = b.count
        while i < n {
            if b[i] == lf { i += 1; continue }
            if b[i] == cr { i += i + 1 < n && b[i + 1] == lf ? 2 : 1; continue }
            var fields: [[UInt8]] = []
            while true {
                var field: [UInt8] = []
                if i < n && b[i] == quote {
                    i += 1
                    while i < n {
                        if b[i] == quote {
                            if i + 1 < n && b[i + 1] == quote { field.append(quote); i += 2; continue }
                            i += 1; break
                        }
                        field.append(b[i]); i += 1
                    }
                    while i < n && !ends(b[i]) { field.append(b[i]); i += 1 }
                } else {
                    while i < n && !ends(b[i]) { field.append(b[i]); i += 1 }
                }
                fields.append(field)
                if i >= n { records.append(fields); return records }
                if b[i] == sep { i += 1; continue }
                i += b[i] == cr && i + 1 < n && b[i + 1] == lf ? 2 : 1
                records.append(fields)
                break
            }
        }
        return records
    }

    /// The parser's records as bytes, the buffer read whole.
    static func parsed(_ bytes: [UInt8], separator: UInt8) -> [[[UInt8]]] {
        var copy = bytes, out: [[[UInt8]]] = []
        var parser = CSVParser(separator: separator)
        let n = copy.count
        copy.withUnsafeMutableBytes { buf in
            _ = parser.parse(buf, count: n, final: true) { rec, b in
                out.append((0..<rec.count).map { Array(UnsafeRawBufferPointer(rebasing: b[rec.starts[$0]..<rec.ends[$0]])) })
            }
        }
        return out
    }

    /// Text from pieces: runs of 0…150 field bytes (ASCII, CJK, bytes above 0x7F), separators
    /// of both kinds, quotes, CR, LF, CRLF.
    static let pieces: [[UInt8]] = [Array("a".utf8), Array("订".utf8), [0xFF], Array(",".utf8), Array("\t".utf8),
                                    Array("\"".utf8), Array("\"\"".utf8), Array("\n".utf8), Array("\r".utf8), Array("\r\n".utf8)]
    static func text(_ spec: [(Int, Int)]) -> [UInt8] {
        spec.flatMap { kind, run in kind < 3 ? Array(repeating: pieces[kind], count: run).flatMap { $0 } : pieces[kind] }
    }

    @Test func generatedTextGivesTheReferencesRecords() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...60), Gen.int(in: 0...150).array(of: 60...60)) { kinds, runs in
            let bytes = Self.text(Array(zip(kinds, runs)))
            for sep: UInt8 in [0x2C, 0x09] {
                let want = Self.reference(bytes, separator: sep), got = Self.parsed(bytes, separator: sep)
                if got != want {
                    let i = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
                    Issue.record("separator \(sep), \(bytes.count) bytes: record \(i) differs: \(i < got.count ? "\(got[i])" : "none") vs \(i < want.count ? "\(want[i])" : "none")")
                }
            }
        }
    }

    @Test func longRowsOfShortAndLongFields() {
        // Every field length 0…130 beside every other, so field ends fall at every place of a
        // block and fields span one, two and three blocks.
        var text = ""
        for a in 0...130 { text += (0...130).map { b in String(repeating: "x", count: (a + b) % 131) }.joined(separator: ",") + (a % 3 == 0 ? "\r\n" : "\n") }
        let bytes = Array(text.utf8)
        let got = Self.parsed(bytes, separator: 0x2C), want = Self.reference(bytes, separator: 0x2C)
        #expect(want.count == 131)
        let first = (0..<min(got.count, want.count)).first { got[$0] != want[$0] }
        #expect(got.count == want.count && first == nil, "\(got.count) records for \(want.count); first different: \(first.map(String.init) ?? "none")")
    }

    @Test func theBitmapMatchesThePlainLoop() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x2C, 0x09, 0x0A, 0x0D, 0x22, 0x00, 0x7F, 0x80, 0xAC, 0x8A, 0x8D, 0xFF, 0x61]
        for _ in 0..<4_000 {
            let block = (0..<64).map { _ in alphabet.randomElement(using: &rng)! }
            for sep: UInt8 in [0x2C, 0x09, 0x00, 0x80, 0xFF] {
                let fast = block.withUnsafeBufferPointer { cscan_delimiters64($0.baseAddress, sep) }
                let plain = block.withUnsafeBufferPointer { cscan_delimiters64_portable($0.baseAddress, sep) }
                var want: UInt64 = 0
                for (i, c) in block.enumerated() where c == sep || c == 0x0A || c == 0x0D { want |= 1 << UInt64(i) }
                #expect(fast == want && plain == want, "block \(block), separator \(sep)")
            }
        }
    }
}
