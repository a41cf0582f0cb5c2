import Foundation
import Testing
@testable import ShopdeckModel

/// The table-driven GB18030 decoder gives exactly what iconv gives over the whole text: the
/// same UTF-8, the same invalid sequences (each one byte, marked), the same cut at the end.
@Suite("GB18030 decoder")
struct GB18030DecoderTests {
    /// The reference: iconv over the whole input, as the loader decoded before.
    func reference(_ bytes: [UInt8]) -> Decoder.Result { Decoder.iconvConvert(bytes, from: "GB18030", to: "UTF-8")! }

    @Test func everyTwoByteCharacterAndTheExtensionAsIconv() throws {
        // Every two-byte sequence, each followed by a line end, and a run of four-byte ones.
        var bytes: [UInt8] = []
        for lead in 0x81...0xFE { for trail in 0x40...0xFE where trail != 0x7F { bytes += [UInt8(lead), UInt8(trail), 0x2C] } }
        bytes += Array(TextEncoding.encodeGB18030("𠀀😀€ÿ中文 ABC\u{E5E5}\u{10FFFF}")!)
        let got = try #require(Decoder.gb18030(bytes))
        let want = reference(bytes)
        #expect(got.text == want.text && got.invalid == want.invalid && got.droppedLastLine == want.droppedLastLine)
        #expect(String(decoding: try #require(Decoder.gb18030(TextEncoding.encodeGB18030("订单号,商品名称\n1,加绒卫衣 𠀀\n")!)).text, as: UTF8.self)
                == "订单号,商品名称\n1,加绒卫衣 𠀀\n")
    }

    @Test func damagedAndCutTextsAsIconv() {
        let text = Array(TextEncoding.encodeGB18030("订单号,支付时间,商品名称,状态\n3245001,2023-03-01 10:00:00,加绒连帽卫衣 男女同款𠀀,待发货\n")!)
        var rng = ColumnarStorageTests.Rand(s: 1218)
        let odd: [UInt8] = [0x80, 0xFF, 0x81, 0xFE, 0x7F, 0x30, 0x39, 0x0A, 0x40, 0x84, 0x31, 0xA5]
        for round in 0..<4000 {
            var b = Array(text.prefix(rng.next(text.count + 1)))
            for _ in 0..<rng.next(4) where !b.isEmpty { b[rng.next(b.count)] = odd[rng.next(odd.count)] }
            if round % 3 == 0 { b += [odd[rng.next(odd.count)]] }
            let got = Decoder.gb18030(b)!, want = reference(b)
            #expect(got.text == want.text && got.invalid == want.invalid && got.droppedLastLine == want.droppedLastLine, "\(b.suffix(12))")
        }
    }

    /// A file's records and decoding as the loader streams it, blocks of `chunk` bytes.
    func streamed(_ bytes: [UInt8], chunk: Int) throws -> ([String], FileReader.Decoding) {
        let path = makeFolder([:], bytes: ["t.csv": bytes]) + "/t.csv"
        var parser = CSVParser()
        var out: [String] = []
        var decoding = FileReader.Decoding()
        _ = try FileReader.stream(path, parser: &parser, chunkSize: chunk, onDecoding: { decoding = $0 }) { rec, b in
            out.append("\(rec.line):" + (0..<rec.count).map { String(decoding: UnsafeRawBufferPointer(rebasing: b[rec.starts[$0]..<rec.ends[$0]]), as: UTF8.self) }.joined(separator: "|"))
        }
        return (out, decoding)
    }

    /// Decoded a block at a time, a GB18030 file gives the records and the decoding that
    /// decoding it whole and parsing it gives: invalid bytes, quoted cells over several lines,
    /// CRLF, a long line, a character cut by the end, a last line without its end.
    @Test func streamedBlockByBlockAsDecodedWhole() throws {
        var text = "订单号,商品名称,状态\r\n"
        for i in 0..<3000 {
            text += i % 97 == 0 ? "\(i),\"多行\n备注 \(i)\",待发货\r\n" : "\(i),加绒连帽卫衣𠀀 \(i),已发货\r\n"
        }
        text += "长," + String(repeating: "很长的商品名称", count: 3000) + ",待发货\n"
        let clean = TextEncoding.encodeGB18030(text)!
        var damaged = clean
        for k in stride(from: 500, to: damaged.count - 10, by: 7919) { damaged[k] = 0xFF }
        let cut = Array(clean + TextEncoding.encodeGB18030("末,尾")! + [0xB6])          // ends inside a character
        let open = Array(clean + TextEncoding.encodeGB18030("末,尾,待发货")!)            // no final line end
        for bytes in [clean, damaged, cut, open] {
            // The reference: the whole file decoded by iconv, then parsed.
            let whole = reference(bytes)
            var parser = CSVParser()
            var want: [String] = []
            var t = whole.text
            let count = t.count
            t.withUnsafeMutableBytes { buf in
                _ = parser.parse(buf, count: count, final: true) { rec, b in
                    want.append("\(rec.line):" + (0..<rec.count).map { String(decoding: UnsafeRawBufferPointer(rebasing: b[rec.starts[$0]..<rec.ends[$0]]), as: UTF8.self) }.joined(separator: "|"))
                }
            }
            for chunk in [4096, 5000, 1 << 20] {
                let (got, d) = try streamed(bytes, chunk: chunk)
                #expect(got == want, "chunk \(chunk)")
                #expect(d.encoding == .gb18030 && d.invalidSequences == whole.invalid && d.droppedLastLine == whole.droppedLastLine)
                #expect(d.endsWithLineEnd == (whole.text.last.map { $0 == 0x0A } ?? true))
            }
        }
    }
}
