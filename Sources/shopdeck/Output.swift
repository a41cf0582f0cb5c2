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
        // Nearly every text is clean and goes out as it is (splitting 230k lines of findings
        // by Character took a third of `check`'s time).
        if !s.unicodeScalars.contains(where: { $0 != "\n" && Sanitize.replaces($0) }) { return s }
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { Sanitize.visible(String($0)) }.joined(separator: "\n")
    }

    /// One line of output whose line breaks, if any, came from the data: shown, not written.
    static func line(_ s: String) { out(oneLine(s)) }

    /// `s` as one line: every control character, line breaks included, shown as a placeholder.
    static func oneLine(_ s: String) -> String { Sanitize.visible(s) }

    static func out(_ s: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((safe(s) + terminator).utf8))
    }

    /// Ends the process now, its output written (every write here is a system call, never
    /// buffered): no table, report or text is taken apart first, the system takes the memory
    /// back at once. For a command whose work is done and whose exit status is 0.
    static func endProcess() -> Never {
        exit(0)
    }

    /// JSON text (already escaped).
    static func json(_ s: String) {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    /// A JSON value written straight from its bytes (escaped by its writer), then a line end.
    static func json(_ v: JSON) {
        v.write(pretty: true, drain: put)
        [UInt8(0x0A)].withUnsafeBytes(put)
    }

    /// Bytes to standard output, whole (a short write continues, an interrupted one retries).
    static func put(_ b: UnsafeRawBufferPointer) {
        var off = 0
        while off < b.count {
            let n = write(1, b.baseAddress! + off, b.count - off)
            if n < 0 { if errno == EINTR { continue }; return }
            off += n
        }
    }

    /// Lines made safe as `out` makes them, written a megabyte at a time (`check` on a big
    /// shop prints 240k lines: a write each was a system call each). `flush` before exiting.
    struct Lines {
        private var buffer: [UInt8] = []
        private(set) var count = 0

        /// One line: a line break inside it came from the data and is shown, not written.
        mutating func line(_ s: String) {
            buffer.append(contentsOf: Sanitize.visible(s).utf8)
            buffer.append(0x0A)
            count += 1
            if buffer.count >= 1 << 20 { flush() }
        }

        mutating func flush() {
            buffer.withUnsafeBytes(Output.put)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// One message on standard error, as one line (a line break in it came from the data:
    /// a folder's or a shop's name, a file's).
    static func err(_ s: String) {
        FileHandle.standardError.write(Data((oneLine(s) + "\n").utf8))
    }

    /// Prints `message` on standard error as `shopdeck COMMAND: message` and gives the exit
    /// code to throw (2: data could not be loaded, report-json.md).
    static func fail(_ command: String, _ message: String, code: Int32 = 2) -> ExitCode {
        err("shopdeck \(command): \(message)")
        return ExitCode(code)
    }
}
