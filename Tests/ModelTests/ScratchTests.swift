import Foundation
import Testing
@testable import TestScratch

/// The tests' scratch folders: under one root a test process owns, a dead process's root swept.
@Suite("Test scratch folders")
struct ScratchTests {
    /// The pid of a process that has exited (spawned and waited for).
    func deadPID() -> pid_t {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, nil) == 0)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return pid
    }

    @Test func foldersAreNewAndUnderThisProcesssRoot() throws {
        let a = Scratch.folder("x"), b = Scratch.folder("x")
        #expect(a != b)
        #expect((a as NSString).deletingLastPathComponent == Scratch.root(of: getpid()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: a) == [])
    }

    @Test func aDeadProcesssRootIsSweptALiveOnesKept() throws {
        let dead = Scratch.root(of: deadPID()), live = Scratch.root(of: getppid())
        let liveExisted = FileManager.default.fileExists(atPath: live)
        for d in [dead, live] { try FileManager.default.createDirectory(atPath: d + "/left", withIntermediateDirectories: true) }
        defer { if !liveExisted { try? FileManager.default.removeItem(atPath: live) } }
        Scratch.sweepDeadRoots()
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live + "/left"))
        #expect(FileManager.default.fileExists(atPath: Scratch.root))
    }
}
