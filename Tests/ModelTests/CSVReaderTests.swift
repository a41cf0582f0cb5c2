import Foundation
import Testing
import PropertyBased
@testable import ShopdeckModel

@Suite("CSV reader")
struct CSVReaderTests {
    /// Every csv-spectrum case parses to its expected records (keyed by the header row).
    @Test(arguments: ["comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json", "location_coordinates",
                      "newlines", "newlines_crlf", "quotes_and_newlines", "simple", "simple_crlf", "utf8"])
    func spectrum(_ name: String) throws {
        var csv = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/csv-spectrum/csvs/\(name).csv")))
        // The shared copies of the *_crlf cases lost their CR bytes while the expected records
        // keep "\r\n" inside quotes: restore the CRLF line ends the cases are named for.
        if name.hasSuffix("_crlf") && !csv.contains(0x0D) {
            csv = csv.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        }
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/csv-spectrum/json/\(name).json"))) as! [[String: String]]
        let records = csvRecords(csv)
        let header = records[0].fields
        let rows = records.dropFirst().map { rec in Dictionary(uniqueKeysWithValues: zip(header, rec.fields)) }
        #expect(rows == expected, "\(name)")
        // The same file through `inspect` gives the same cell texts.
        let dir = makeFolder([:], bytes: ["\(name).csv": csv])
        let ins = DataLoader.inspect(path: "\(dir)/\(name).csv")
        #expect(ins.rows.count + (ins.headers.isEmpty ? 0 : 1) == records.count)
    }

    @Test func lineNumbersCountPhysicalLines() {
        let text = "a,b\n1,\"x\ny\"\n\n2,z\r\n3,w"
        let recs = csvRecords(Array(text.utf8))
        #expect(recs.map(\.line) == [1, 2, 5, 6])
        #expect(recs[1].fields == ["1", "x\ny"])
        #expect(recs[3].fields == ["3", "w"])
    }

    /// Each record's field with a never-closed quote (-1: none) and the last line it covers.
    func unclosed(_ text: String, chunk: Int? = nil) -> [(line: Int, field: Int, last: Int)] {
        var out: [(Int, Int, Int)] = []
        var parser = CSVParser()
        let bytes = Array(text.utf8)
        var carry: [UInt8] = [], pos = 0
        repeat {
            let end = min(bytes.count, pos + (chunk ?? bytes.count))
            carry += bytes[pos..<end]; pos = end
            let n = carry.count, final = pos == bytes.count
            let used = carry.withUnsafeMutableBytes { b in
                parser.parse(b, count: n, final: final) { rec, rb in out.append((rec.line, rec.unclosedQuote, rec.lastLine(in: UnsafeRawBufferPointer(rb)))) }
            }
            carry.removeFirst(used)
        } while pos < bytes.count
        return out
    }

    @Test func aQuoteNeverClosedIsFlaggedWithTheLinesItSwallowed() {
        let text = "a,b\n1,ok\n2,\"never closed\n3,x\n4,y\n"
        for chunk in [nil, 1, 3, 7] {
            let recs = unclosed(text, chunk: chunk)
            #expect(recs.map(\.line) == [1, 2, 3], "chunk \(String(describing: chunk))")
            #expect(recs.map(\.field) == [-1, -1, 1])
            #expect(recs.last!.last == 5) // lines 3–5: the final line end is not a line of its own
        }
        // Without a final line end, on the record's own line, and closed quotes flag nothing.
        #expect(unclosed("a\n\"x\ny").map(\.last) == [1, 3])
        #expect(unclosed("a,b\n1,\"x").map(\.field) == [-1, 1])
        #expect(unclosed("a,b\n1,\"x\"").map(\.field) == [-1, -1])
        #expect(unclosed("a,\"b\"\"\"\r\n1,\"x\r\ny\"\r\n").map(\.field) == [-1, -1])
    }

    @Test func bareQuoteInsideUnquotedFieldIsLiteral() {
        #expect(csvRecords(Array("a,37.8\"N,b".utf8))[0].fields == ["a", "37.8\"N", "b"])
    }

    @Test func tabSeparated() {
        #expect(csvRecords(Array("a\tb\n1\t\"x\ty\"".utf8), separator: 0x09)[1].fields == ["1", "x\ty"])
    }

    @Test func chunkBoundariesDoNotMatter() {
        let text = "id,name,note\r\n1,\"He said \"\"hi\"\"\",\"a\r\nb\"\r\n2,plain,\r\n\r\n3,\"x,y\",z"
        let bytes = Array(text.utf8)
        let whole = parseInChunks(bytes, sizes: [])
        #expect(whole.count == 4)
        for size in 1...bytes.count { #expect(parseInChunks(bytes, sizes: [size]) == whole, "chunk size \(size)") }
    }

    /// Random splits of a valid file give the same records as reading it whole.
    @Test func randomSplitsGiveSameRecords() async {
        let text = "订单号,商品名称,备注\n1001,\"卫衣, 加绒\",\"第一行\n第二行\"\n1002,\"\"\"爆款\"\"T恤\",\r\n1003,杯子,\"\"\n"
        let bytes = Array(text.utf8)
        let whole = parseInChunks(bytes, sizes: [])
        await propertyCheck(count: 200, input: Gen.int(in: 1...40).array(of: 1...8)) { sizes in
            #expect(parseInChunks(bytes, sizes: sizes) == whole)
        }
    }

    /// Random bytes never crash the reader and always give the same rows for the same bytes.
    @Test func randomBytesNeverCrashAndAreDeterministic() async {
        let alphabet: [UInt8] = Array("ab,\"\r\n\t 订".utf8) + [0xFF, 0x00, 0xE8]
        await propertyCheck(count: 300, input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...200), Gen.int(in: 1...17)) { idx, chunk in
            let bytes = idx.map { alphabet[$0] }
            let a = parseInChunks(bytes, sizes: [])
            let b = parseInChunks(bytes, sizes: [chunk])
            #expect(a == b)
        }
    }

    /// Truncating a valid file anywhere loads without crashing, and the loader reports
    /// only what it can read.
    @Test func truncatedFilesLoad() throws {
        let full = "order_id,paid_at,promised_ship_at,status\n1,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n2,\"2023-03-01 11:00:00\",2023-03-02 11:00:00,已发货\n"
        let bytes = Array(full.utf8)
        for cut in 0...bytes.count {
            let dir = makeFolder([:], bytes: ["orders.csv": Array(bytes[0..<cut])])
            let s1 = DataLoader.load(folder: dir)
            let s2 = DataLoader.load(folder: dir)
            #expect(s1.orders.count == s2.orders.count)
            #expect(s1.orders.count <= 2)
        }
    }
}

@Suite("Fast reader parity")
struct FastReaderParityTests {
    /// The streaming reader (chunked reads, records carried across chunks) gives the same
    /// rows as the whole-buffer reference path, on csv-spectrum and on generated data.
    func streamed(_ path: String, chunk: Int) throws -> [[String]] {
        var parser = CSVParser()
        var out: [[String]] = []
        _ = try FileReader.stream(path, parser: &parser, chunkSize: chunk, onDecoding: { _ in }) { rec, b in
            out.append((0..<rec.count).map { String(decoding: UnsafeRawBufferPointer(rebasing: b[rec.starts[$0]..<rec.ends[$0]]), as: UTF8.self) })
        }
        return out
    }

    @Test func spectrumAndGeneratedData() throws {
        var names = (try FileManager.default.contentsOfDirectory(atPath: "\(fixtures)/csv-spectrum/csvs")).map { "\(fixtures)/csv-spectrum/csvs/\($0)" }
        // Generated: quotes, commas, line breaks and CJK, about 1 MB.
        var text = "id,name,note\n"
        for i in 0..<12_000 {
            text += "\(i),\"商品 \(i), \"\"爆款\"\"\",\(i % 7 == 0 ? "\"第一行\r\n第二行\"" : "普通")\n"
        }
        let gen = makeFolder(["gen.csv": text]) + "/gen.csv"
        names.append(gen)
        for path in names {
            let bytes = try FileReader.readAll(path)
            let reference = csvRecords(bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes).map(\.fields)
            for chunk in [4096, 65_536, 1 << 23] { #expect(try streamed(path, chunk: chunk) == reference, "\(path) chunk \(chunk)") }
        }
    }
}
