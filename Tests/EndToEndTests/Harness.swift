#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestScratch

/// Runs the real `shopdeck` binary, alone or inside tmux, the way a user would.
enum Harness {
    /// The binary built next to this test bundle, or the one `SHOPDECK_BINARY` names (to run
    /// these suites against a release build, such as the statically linked one the README
    /// builds for servers).
    /// Whether the suites run against a binary named by `SHOPDECK_BINARY` (a release build:
    /// a test that must catch a load in progress gives it ten times the rows).
    static var external: Bool { !(ProcessInfo.processInfo.environment["SHOPDECK_BINARY"] ?? "").isEmpty }

    static var binary: String {
        if let chosen = ProcessInfo.processInfo.environment["SHOPDECK_BINARY"], !chosen.isEmpty { return chosen }
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("shopdeck").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        // `swift test` from the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/shopdeck").path
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// `detached`: output goes to /dev/null (a daemon such as the tmux server would otherwise
    /// hold our pipes open forever).
    @discardableResult
    static func run(_ args: [String], env: [String: String] = [:], cwd: String? = nil, detached: Bool = false) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: args[0].hasPrefix("/") ? args[0] : "/usr/bin/env")
        p.arguments = args[0].hasPrefix("/") ? Array(args.dropFirst()) : args
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        if detached { return Result(status: spawnAndWait(args), stdout: "", stderr: "") }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: r, as: UTF8.self))
    }

    /// posix_spawn + waitpid with standard streams on /dev/null: Foundation's Process waits
    /// for a descriptor the child inherits, which a daemon (the tmux server) keeps open.
    static func spawnAndWait(_ args: [String]) -> Int32 {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, Int32(fd), "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        // A clean signal state: the test runner may block or ignore signals (SIGWINCH, SIGINT)
        // that the program under test relies on.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        guard posix_spawnp(&pid, args[0], &actions, &attr, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    static func shopdeck(_ args: [String], env: [String: String] = [:]) throws -> Result { try run([binary] + args, env: env) }

    static func tempDir(_ tag: String) -> String {
        let d = Scratch.folder("e2e-\(tag)")
        return d
    }

    /// Now as a CST wall-clock string: a demo anchored here runs live (appeals are filed only
    /// live, against the real clock).
    static func nowCST() -> String {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "Asia/Shanghai"); f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: Date())
    }

    /// Writes the demo shop, anchored at a fixed time, into a new folder.
    static func demo(perWeek: Int = 500, anchor: String = "2026-11-24 16:00:00") throws -> String {
        let d = tempDir("demo") + "/shop"
        let r = try shopdeck(["demo", "--out", d, "--no-dashboard", "--as-of", anchor, "--orders-per-week", "\(perWeek)"])
        precondition(r.status == 0, r.stderr)
        return d
    }
}

/// One tmux server per test (its own socket), a session running a command.
final class Tmux {
    let socket = "shopdeck-e2e-" + UUID().uuidString.prefix(8)
    let session = "t"

    init(width: Int = 120, height: Int = 40, command: String, env: [String: String] = ["TERM": "xterm-256color", "LANG": "C.UTF-8"]) throws {
        let envs = env.map { "\($0.key)=\(Tmux.quote($0.value))" }.sorted().joined(separator: " ")
        // The trap keeps the shell alive when C-c reaches the whole foreground group.
        let shell = "trap 'true' INT; env \(envs) \(command); echo EXIT=$?; sleep 60"
        let r = try Harness.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", shell], detached: true)
        guard r.status == 0 else { throw Failure(description: "tmux failed: \(r.stderr)") }
    }

    deinit { _ = try? Harness.run(["tmux", "-L", socket, "kill-server"], detached: true) }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    func send(_ keys: String...) throws { try Harness.run(["tmux", "-L", socket, "send-keys", "-t", session] + keys) }
    /// Types text literally (CJK included).
    func type(_ text: String) throws { try Harness.run(["tmux", "-L", socket, "send-keys", "-t", session, "-l", text]) }

    func screen() throws -> String { try Harness.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", session]).stdout }

    func resize(_ w: Int, _ h: Int) throws { try Harness.run(["tmux", "-L", socket, "resize-window", "-t", session, "-x", "\(w)", "-y", "\(h)"]) }

    /// Polls the screen until `predicate` holds (no fixed sleeps), or fails after `timeout`.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 15, _ predicate: (String) -> Bool) throws -> String {
        let end = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < end {
            last = try screen()
            if predicate(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(description: "timed out waiting for \(what); screen:\n\(last)")
    }

    @discardableResult func waitFor(_ text: String, timeout: Double = 15) throws -> String { try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) } }

    /// From the dashboard: opens the violations table, filters to `id`, opens its appeal form,
    /// picks the reason `rightPresses` steps along, types `statement`, and stops at the
    /// confirmation ("write this appeal?").
    func fillAppeal(_ id: String, rightPresses: Int = 0, statement: String) throws {
        try pressAppeal(on: id)
        try waitFor("申诉 Appeal · \(id)")
        for _ in 0..<rightPresses { try send("Right") }
        try send("Tab")
        try type(statement)
        try waitFor(String(statement.prefix(4)))
        try send("Tab", "Tab", "Tab", "Enter")   // evidence, operator, submit
        try waitFor("write this appeal?")
    }

    /// From the dashboard: opens the violations table, filters to `id` and presses `a` on it.
    func pressAppeal(on id: String) throws {
        try send("a")
        try waitFor("Violations · 违规记录")
        try send("/"); try type(id); try send("Enter")
        try waitFor("filter \"\(id)\"")
        try send("a")
    }

    /// Waits for a complete dashboard frame: every pane title and the status line's hints.
    @discardableResult
    func waitForDashboard(timeout: Double = 15) throws -> String {
        try waitFor("a complete dashboard", timeout: timeout) { s in
            ["发货 Shipping", "现货·豁免 Spot goods", "违规申诉 Appeals", "定时优惠 Coupons", "售后 After-sales", "举报·文案·信任购", "q quit"].allSatisfy(s.contains)
                && !s.contains("loading…")
        }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }
}
