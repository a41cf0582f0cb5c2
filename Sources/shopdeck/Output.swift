import ArgumentParser
import Foundation
import ShopdeckScreen
import ShopdeckRules

/// Every text the command line prints goes through here (report-json.md: text outputs never
/// pass control characters): each line is shown with control characters, C1 controls and
/// bidi overrides as visible placeholders, so nothing from an export can move the cursor,
/// retitle the window or write the clipboard. JSON is escaped by its serializer instead.
enum Output {
    /// `s` with every line made safe; the line breaks themselves are kept.
    static func safe(_ s: String) -> String {
        // Nearly every text is clean: one pass over its bytes says so, and it goes out as it is
        // (splitting 230k lines of findings by Character took a third of `check`'s time).
        var copy = s
        if copy.withUTF8({ !needsSanitizing($0) }) { return s }
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { Sanitize.visible(String($0)) }.joined(separator: "\n")
    }

    /// Whether UTF-8 text holds anything `Sanitize.visible` replaces: a C0 control other than
    /// the line end, DEL, a C1 control (U+0080–U+009F), or a bidi override or isolate
    /// (U+202A–U+202E, U+2066–U+2069).
    static func needsSanitizing(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x20 { if c != 0x0A { return true } }
            else if c == 0x7F { return true }
            else if c == 0xC2, i + 1 < n, b[i + 1] >= 0x80, b[i + 1] <= 0x9F { return true }
            else if c == 0xE2, i + 2 < n {
                if b[i + 1] == 0x80, b[i + 2] >= 0xAA, b[i + 2] <= 0xAE { return true }
                if b[i + 1] == 0x81, b[i + 2] >= 0xA6, b[i + 2] <= 0xA9 { return true }
            }
            i += 1
        }
        return false
    }

    static func out(_ s: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((safe(s) + terminator).utf8))
    }

    /// JSON text (already escaped).
    static func json(_ s: String) {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    /// A JSON value written straight from its bytes (escaped by its writer), then a line end.
    static func json(_ v: JSON) {
        func put(_ b: UnsafeRawBufferPointer) {
            var off = 0
            while off < b.count {
                let n = write(1, b.baseAddress! + off, b.count - off)
                if n < 0 { if errno == EINTR { continue }; return }
                off += n
            }
        }
        v.write(pretty: true, drain: put)
        [UInt8(0x0A)].withUnsafeBytes(put)
    }

    static func err(_ s: String) {
        FileHandle.standardError.write(Data((safe(s) + "\n").utf8))
    }

    /// Prints `message` on standard error as `shopdeck COMMAND: message` and gives the exit
    /// code to throw (2: data could not be loaded, report-json.md).
    static func fail(_ command: String, _ message: String, code: Int32 = 2) -> ExitCode {
        err("shopdeck \(command): \(message)")
        return ExitCode(code)
    }
}
