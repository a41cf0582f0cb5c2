import CShim
import Foundation

/// A served session's process: the ordinary `shopdeck` binary, on a pseudo-terminal (a shell,
/// or a command with `ssh -t`) or on pipes (a command). Its own process, so a session is the
/// same code path as a local run and one session cannot disturb another.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// Where the session's input goes (the pty master, or the stdin pipe).
    private(set) var input: Int32
    /// Where its output comes from (the pty master, or the stdout pipe).
    let output: Int32
    /// Its error output (pipes only).
    let errors: Int32?
    let onPty: Bool
    private let lock = NSLock()

    struct Failure: Error, CustomStringConvertible { let description: String }

    private init(pid: pid_t, input: Int32, output: Int32, errors: Int32?, onPty: Bool) {
        self.pid = pid; self.input = input; self.output = output; self.errors = errors; self.onPty = onPty
    }

    static func onPty(_ binary: String, _ args: [String], env: [String: String], rows: Int, cols: Int) throws -> ChildProcess {
        var master: Int32 = -1
        let pid = withCStrings([binary] + args) { argv in
            withCStrings(env.map { "\($0.key)=\($0.value)" }.sorted()) { envp in
                shim_spawn_on_pty(binary, argv, envp, Int32(min(10_000, max(1, rows))), Int32(min(10_000, max(1, cols))), &master)
            }
        }
        guard pid > 0 else { throw Failure(description: "cannot start the dashboard: \(String(cString: strerror(errno)))") }
        return ChildProcess(pid: pid, input: master, output: master, errors: nil, onPty: true)
    }

    static func withPipes(_ binary: String, _ args: [String], env: [String: String]) throws -> ChildProcess {
        var inP: [Int32] = [-1, -1], outP: [Int32] = [-1, -1], errP: [Int32] = [-1, -1]
        guard shim_pipe_cloexec(&inP) == 0, shim_pipe_cloexec(&outP) == 0, shim_pipe_cloexec(&errP) == 0 else {
            throw Failure(description: "cannot make pipes: \(String(cString: strerror(errno)))")
        }
        var fa = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fa)
        defer { posix_spawn_file_actions_destroy(&fa) }
        posix_spawn_file_actions_adddup2(&fa, inP[0], 0)
        posix_spawn_file_actions_adddup2(&fa, outP[1], 1)
        posix_spawn_file_actions_adddup2(&fa, errP[1], 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t(); sigemptyset(&none)
        var defaults = sigset_t(); sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | shim_posix_spawn_setsid())
        var pid: pid_t = 0
        let rc = withCStrings([binary] + args) { argv in
            withCStrings(env.map { "\($0.key)=\($0.value)" }.sorted()) { envp in
                posix_spawn(&pid, binary, &fa, &attr, argv, envp)
            }
        }
        close(inP[0]); close(outP[1]); close(errP[1])
        guard rc == 0 else {
            close(inP[1]); close(outP[0]); close(errP[0])
            throw Failure(description: "cannot start shopdeck: \(String(cString: strerror(rc)))")
        }
        return ChildProcess(pid: pid, input: inP[1], output: outP[0], errors: errP[0], onPty: false)
    }

    /// Writes all of `bytes` to the process's input (false once it is gone).
    func write(_ bytes: [UInt8]) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard input >= 0 else { return false }
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.write(input, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return false }
            off += n
        }
        return true
    }

    /// End of input (the client closed its side): the pipe closes; a pty gets ^D.
    func closeInput() {
        lock.lock(); defer { lock.unlock() }
        if onPty { _ = [UInt8(4)].withUnsafeBytes { Glibc.write(input, $0.baseAddress, 1) }; return }
        if input >= 0 { close(input); input = -1 }
    }

    func resize(rows: Int, cols: Int) {
        guard onPty else { return }
        // A client's absurd size is bounded (a pty's size is 16 bits).
        _ = shim_set_winsize(output, Int32(min(10_000, max(1, rows))), Int32(min(10_000, max(1, cols))))
    }

    /// The connection went away: the process is told (SIGHUP, as a terminal hang-up).
    func hangUp() { kill(pid, SIGHUP) }

    /// Waits for the process; its exit status as a shell reports it (128 + signal).
    func wait() -> Int {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status & 0x7f == 0 { return Int((status >> 8) & 0xff) }
        return 128 + Int(status & 0x7f)
    }

    func closeOutputs() {
        close(output)
        if let e = errors { close(e) }
        lock.lock(); if !onPty && input >= 0 { close(input) }; input = -1; lock.unlock()
    }
}

/// `strings` as a NULL-terminated C array for the duration of `body`.
func withCStrings<T>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
    var ptrs: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    ptrs.append(nil)
    defer { for p in ptrs { free(p) } }
    return ptrs.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
