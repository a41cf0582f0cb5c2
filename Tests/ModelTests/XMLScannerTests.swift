import Foundation
import Testing
@testable import ShopdeckModel

/// The workbook XML scanner: the same events however the bytes are cut into chunks, entities
/// decoded, and a cell's three attributes found in one pass exactly as one at a time.
@Suite("XML scanner")
struct XMLScannerTests {
    /// Every event as text: kind, name, attributes / text bytes.
    func events(_ xml: [UInt8], chunks: [Int]) -> [String] {
        var x = XMLScanner()
        var out: [String] = []
        var pos = 0, k = 0
        func s(_ b: UnsafeRawBufferPointer) -> String { String(decoding: b, as: UTF8.self) }
        while true {
            let step = chunks.isEmpty ? xml.count : max(1, chunks[k % chunks.count]); k += 1
            let end = min(xml.count, pos + step)
            let final = end == xml.count
            xml[pos..<end].withUnsafeBytes { b in
                x.feed(b, final: final, onTag: { kind, name, attrs in out.append("\(kind) \(s(name)) [\(s(attrs))]") },
                       onText: { t in out.append("text \(s(t))") })
            }
            pos = end
            if final { break }
        }
        return out
    }

    @Test func chunkBoundariesDoNotMatter() {
        let xml = Array("""
            <?xml version="1.0" encoding="UTF-8"?><!-- a > comment --><worksheet xmlns="x"><sheetData>\
            <row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve">a &amp; b &lt;c&gt; &#x4E2D;&#25991;</t></is></c>\
            <c r="C1" s="3" t="n"><v>45000.5</v></c><c r='D1' x:t='a>b"c'/></row><row r="2"/>\
            <row r="3"><c r="A3"><v>7</v></c></row></sheetData></worksheet >
            """.utf8)
        let whole = events(xml, chunks: [])
        #expect(whole.contains("start c [ r=\"C1\" s=\"3\" t=\"n\"]"))
        #expect(whole.contains("empty c [ r='D1' x:t='a>b\"c']"))
        #expect(whole.contains("end worksheet []"))
        for sizes in [[1], [2, 3], [7], [13, 1, 64], [4096]] {
            #expect(events(xml, chunks: sizes) == whole, "chunks \(sizes)")
        }
        let text = Array("a &amp; b &lt;c&gt; &#x4E2D;&#25991; &bogus; &#xD800; &".utf8)
        #expect(text.withUnsafeBytes { XMLScanner.decode($0) } == "a & b <c> 中文 &bogus; &#xD800; &")
    }

    @Test func cellAttributesInOnePassAsOneAtATime() {
        var rng = ColumnarStorageTests.Rand(s: 18)
        let names = ["r", "t", "s", "x:r", "x:t", "a:b:s", "rr", "sr", "ht", "customHeight", "xml:space", ":s", "s:"]
        let values = ["A1", "s", "inlineStr", "3", "", "a'b", "x\"y", "XFD1048576"]
        for _ in 0..<5000 {
            var attrs = ""
            for _ in 0..<rng.next(6) {
                let v = values[rng.next(values.count)]
                let q = v.contains("\"") ? "'" : (v.contains("'") ? "\"" : (rng.next(2) == 0 ? "\"" : "'"))
                attrs += [" ", "  ", "\n", "\t"][rng.next(4)] + names[rng.next(names.count)] + "=" + q + v + q
            }
            if rng.next(10) == 0 { attrs += " broken=" } // an attribute without its quotes
            Array(attrs.utf8).withUnsafeBytes { a in
                let one = XMLScanner.cellAttributes(a)
                func same(_ x: UnsafeRawBufferPointer?, _ y: UnsafeRawBufferPointer?) -> Bool {
                    x.map { Array($0) } == y.map { Array($0) }
                }
                #expect(same(one.r, XMLScanner.attribute(a, "r")) && same(one.t, XMLScanner.attribute(a, "t")) && same(one.s, XMLScanner.attribute(a, "s")),
                        "\(attrs)")
            }
        }
    }
}
