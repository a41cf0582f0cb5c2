import Foundation
import Testing

/// A real OpenSSH server on a loopback port, with host and client keys made for the test.
final class SSHServer {
    let dir = Harness.tempDir("sshd")
    let port = Int.random(in: 20_000...40_000)

    init() throws {
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        for key in ["host", "client"] {
            let r = try Harness.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "\(dir)/\(key)"])
            guard r.status == 0 else { throw Tmux.Failure(description: r.stderr) }
        }
        try FileManager.default.copyItem(atPath: "\(dir)/client.pub", toPath: "\(dir)/authorized_keys")
        let user = ProcessInfo.processInfo.environment["USER"] ?? "root"
        try """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(dir)/host
        AuthorizedKeysFile \(dir)/authorized_keys
        PidFile \(dir)/sshd.pid
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin prohibit-password
        AllowUsers \(user)
        PrintMotd no
        PrintLastLog no
        """.write(toFile: "\(dir)/sshd_config", atomically: true, encoding: .utf8)
        // sshd detaches itself (no -D) and writes its pid file.
        guard Harness.spawnAndWait(["/usr/sbin/sshd", "-f", "\(dir)/sshd_config"]) == 0 else { throw Tmux.Failure(description: "sshd did not start") }
        // Ready when a login works.
        let end = Date().addingTimeInterval(10)
        while Date() < end {
            if Harness.spawnAndWait(ssh(tty: false) + ["-n", "true"]) == 0 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Tmux.Failure(description: "sshd on port \(port) did not accept a login")
    }

    deinit {
        if let pid = try? String(contentsOfFile: "\(dir)/sshd.pid", encoding: .utf8), let n = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(n, SIGTERM)
        }
    }

    func ssh(tty: Bool) -> [String] {
        ["ssh"] + (tty ? ["-tt"] : ["-T"]) + ["-i", "\(dir)/client", "-p", "\(port)", "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "127.0.0.1"]
    }

    /// A shell command line that runs `remote` on the server in a real pty.
    func command(_ remote: String) -> String { ssh(tty: true).map(Tmux.quote).joined(separator: " ") + " " + Tmux.quote(remote) }
}

@Suite("End to end: over SSH", .serialized, Tools.needsSSH)
struct SSHEndToEndTests {
    @Test func dashboardOverSSHAndTwoSessionsFilingAtOnce() throws {
        let server = try SSHServer()
        let data = try Harness.demo(perWeek: 200, anchor: Harness.nowCST())
        let remote = "env LANG=C.UTF-8 \(Harness.binary) --data \(Tmux.quote(data))"
        let a = try Tmux(width: 120, height: 40, command: server.command(remote))
        let b = try Tmux(width: 100, height: 30, command: server.command(remote))
        let screen = try a.waitForDashboard()
        #expect(screen.contains("现货·豁免 Spot goods") && screen.contains("及时发货率"))
        try b.waitForDashboard()
        // Navigate over SSH: the violations table in both sessions.
        for (t, id) in [(a, "WG2023003"), (b, "WG2023002")] { try t.fillAppeal(id, statement: "经SSH提交：已按时发货 \(id)") }
        // Both confirm at the same moment.
        try a.send("y"); try b.send("y")
        try a.waitFor("appeal filed: WG2023003")
        try b.waitFor("appeal filed: WG2023002")
        try a.send("q"); try b.send("q")
        try a.waitFor("EXIT=0"); try b.waitFor("EXIT=0")
        let list = try Harness.shopdeck(["appeals", "list", "--data", data]).stdout
        #expect(list.contains("WG2023003") && list.contains("WG2023002"))
        #expect(list.components(separatedBy: "经SSH提交").count == 3)
    }
}
