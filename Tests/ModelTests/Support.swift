import Foundation
import TestScratch
import ShopdeckModel

/// A fresh temporary folder holding `files` (name -> UTF-8 text, or raw bytes).
func makeFolder(_ files: [String: String], bytes: [String: [UInt8]] = [:]) -> String {
    let dir = Scratch.folder("test")
    for (name, text) in files { try! text.write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
    for (name, b) in bytes { try! Data(b).write(to: URL(fileURLWithPath: dir + "/" + name)) }
    return dir
}

/// Sets a file's modification time (seconds since the epoch).
func touch(_ path: String, _ seconds: Int) {
    try! FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(seconds))], ofItemAtPath: path)
}

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// Parses bytes fed in pieces of the given sizes (cycled) through one parser.
func parseInChunks(_ bytes: [UInt8], sizes: [Int]) -> [[String]] {
    var parser = CSVParser()
    var out: [[String]] = []
    var carry: [UInt8] = []
    var pos = 0, k = 0
    while true {
        let step = max(1, sizes.isEmpty ? bytes.count : sizes[k % sizes.count]); k += 1
        let end = min(bytes.count, pos + step)
        carry += bytes[pos..<end]
        pos = end
        let final = pos >= bytes.count
        let n = carry.count
        let used = carry.withUnsafeMutableBytes { buf in
            parser.parse(buf, count: n, final: final) { rec, b in
                out.append((0..<rec.count).map { String(decoding: UnsafeRawBufferPointer(rebasing: b[rec.starts[$0]..<rec.ends[$0]]), as: UTF8.self) })
            }
        }
        carry.removeFirst(used)
        if final { break }
    }
    return out
}
