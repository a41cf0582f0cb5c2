import Foundation

/// Folders the tests write into, all under one root this test process owns
/// (`$TMPDIR/shopdeck-tests-<pid>`), removed when the process exits. A run used to leave some
/// four hundred folders behind in the temporary folder; a root left by a process that died
/// (a crash, a kill) is removed by the next test process that starts.
public enum Scratch {
    /// A new, empty folder `<tag>-<UUID>` under this process's root.
    public static func folder(_ tag: String) -> String {
        let dir = root + "/" + tag + "-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// This process's root, created (and its removal at exit arranged) on first use.
    public static var root: String { prepared }

    private static let prefix = "shopdeck-tests-"

    static func root(of pid: pid_t) -> String { NSTemporaryDirectory() + prefix + String(pid) }

    /// Evaluated once (a static `let` is initialised once, under a lock): sweeps roots of dead
    /// test processes, creates this one's and registers its removal.
    private static let prepared: String = {
        sweepDeadRoots()
        let dir = root(of: getpid())
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Scratch.root(of: getpid())) }
        return dir
    }()

    /// Removes `shopdeck-tests-<pid>` folders whose process no longer runs.
    static func sweepDeadRoots() {
        let tmp = NSTemporaryDirectory()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: tmp) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: tmp + name) }
        }
    }
}
