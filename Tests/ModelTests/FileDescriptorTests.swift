import Foundation
import Testing
import TestScratch
@testable import ShopdeckModel

/// A file a reader opened is closed once. A broken workbook's package was closed twice (by the
/// initializer that failed, then by its deinitializer, which Swift runs for a class whose
/// fields were all set): the second `close` shut whatever file another thread had just been
/// given the same number for, and that thread's read failed with "Bad file descriptor" (seen in
/// the test suite: an orders file loaded beside a broken-workbook test). In the app the other
/// file could be a shop's export in a fleet load or the appeal journal.
@Suite("File descriptors")
struct FileDescriptorTests {
    @Test func aBrokenWorkbookClosesItsFileOnce() throws {
        let dir = Scratch.folder("fd")
        let broken = dir + "/broken.xlsx"
        // A zip's local header and nothing more: no central directory, so the package fails
        // after it has opened the file.
        try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 60)).write(to: URL(fileURLWithPath: broken))
        let good = dir + "/good.txt"
        let text = Array(repeating: UInt8(ascii: "x"), count: 4096)
        try Data(text).write(to: URL(fileURLWithPath: good))
        final class Failures: @unchecked Sendable { let lock = NSLock(); var reads = 0 }
        let failures = Failures()
        // One thread opens broken packages while the other opens, reads and closes a good
        // file: a stray second close lands on the good file's number now and then.
        DispatchQueue.concurrentPerform(iterations: 2) { side in
            for _ in 0..<3_000 {
                if side == 0 {
                    _ = try? ZipPackage(path: broken)
                } else {
                    let fd = open(good, O_RDONLY | O_CLOEXEC)
                    var buf = [UInt8](repeating: 0, count: 4096)
                    let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
                    if fd < 0 || n != 4096 { failures.lock.lock(); failures.reads += 1; failures.lock.unlock() }
                    if fd >= 0 { close(fd) }
                }
            }
        }
        #expect(failures.reads == 0)
        #expect(throws: ZipPackage.Failure.self) { try ZipPackage(path: broken) }
    }
}
