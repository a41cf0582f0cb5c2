import Foundation
import Testing

/// `shopdeck serve` (issue 17) driven by OpenSSH's own client: keys made for the test, a
/// users file with an operator, a reviewer and a limited operator, the server on a free port.
final class ServedShop {
    let dir = Harness.tempDir("serve")
    let data: String
    var port = 0
    var process = Process()
    var state: String { dir + "/state" }
    var usersFile: String { dir + "/users.toml" }

    let extra: [String]

    init(data: String, extra: [String] = [], users: (ServedShop) -> String) throws {
        self.data = data; self.extra = extra
        for key in ["op", "rev", "stranger"] {
            let r = try Harness.run(["ssh-keygen", "-q", "-t", key == "rev" ? "ecdsa" : "ed25519", "-N", "", "-f", "\(dir)/\(key)", "-C", key])
            guard r.status == 0 else { throw Tmux.Failure(description: r.stderr) }
        }
        try users(self).write(toFile: usersFile, atomically: true, encoding: .utf8)
        try start()
    }

    func key(_ name: String) throws -> String {
        try String(contentsOfFile: "\(dir)/\(name).pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One [[user]] of the users file, with the test key named `key`.
    func user(_ name: String, key: String, role: String, shops: [String]? = nil) -> String {
        let line = (try? self.key(key)) ?? ""
        return "[[user]]\nname = \"\(name)\"\nkey = \"\(line)\"\nrole = \"\(role)\"\n"
            + (shops.map { "shops = [" + $0.map { "\"\($0)\"" }.joined(separator: ", ") + "]\n" } ?? "") + "\n"
    }

    private var output = Pipe()

    func start() throws {
        output = Pipe()
        let p = Process()
        process = p
        p.executableURL = URL(fileURLWithPath: Harness.binary)
        p.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0", "--users", usersFile, "--state", state] + extra
        p.standardOutput = output
        precondition(FileManager.default.createFile(atPath: dir + "/serve.log", contents: nil), "cannot create \(dir)/serve.log")
        p.standardError = FileHandle(forWritingAtPath: dir + "/serve.log")
        try p.run()
        // The first line says the port chosen.
        var line = Data()
        let end = Date().addingTimeInterval(15)
        while Date() < end {
            let b = output.fileHandleForReading.readData(ofLength: 1)
            if b.isEmpty || b == Data([0x0A]) { break }
            line.append(b)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let r = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let p0 = Int(text[r].split(separator: ":").last!) else { throw Tmux.Failure(description: "serve did not start: \(text)") }
        port = p0
    }

    func stop() { if process.isRunning { process.terminate(); process.waitUntilExit() } }
    deinit { stop() }

    func ssh(_ key: String, tty: Bool = false, extra: [String] = []) -> [String] {
        ["ssh"] + (tty ? ["-tt"] : ["-T"]) + ["-i", "\(dir)/\(key)", "-p", "\(port)", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=\(dir)/known_hosts", "-o", "LogLevel=ERROR"] + extra + ["shop@127.0.0.1"]
    }

    func run(_ key: String, _ remote: String, extra: [String] = []) throws -> Harness.Result {
        try Harness.run(ssh(key, extra: extra) + [remote])
    }

    /// Every file of the data folder with its size and modification time.
    func tree() -> [String] {
        var out: [String] = []
        let e = FileManager.default.enumerator(atPath: data)
        while let f = e?.nextObject() as? String {
            let a = try? FileManager.default.attributesOfItem(atPath: data + "/" + f)
            out.append("\(f) \(a?[.size] ?? 0) \((a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
        }
        return out.sorted()
    }
}

@Suite("End to end: shopdeck serve", .serialized, Tools.needsSSHClient)
struct ServeEndToEndTests {
    static let asOf = "2026-11-24 16:00:00"

    static func users(_ s: ServedShop) -> String {
        s.user("运营-小王", key: "op", role: "operator") + s.user("品牌方-李", key: "rev", role: "reviewer")
    }

    @Test func commandsRunWithTheUsersRightsAndEverythingIsAudited() throws {
        // Anchored now: appeals are filed against the real clock.
        let data = try Harness.demo(perWeek: 200, anchor: Harness.nowCST())
        let served = try ServedShop(data: data, users: Self.users)
        // The host key is kept, private, and the same after a restart.
        let hostKey = try String(contentsOfFile: served.state + "/host_key", encoding: .utf8)
        var st = stat(); stat(served.state + "/host_key", &st)
        #expect(st.st_mode & 0o777 == 0o600)

        // A reviewer: the same report as locally, byte for byte; nothing written anywhere.
        let before = served.tree()
        let remote = try served.run("rev", "report --format json --as-of '\(Self.asOf)'")
        let local = try Harness.shopdeck(["report", "--format", "json", "--as-of", Self.asOf, "--data", data, "--read-only"])
        #expect(remote.status == 0 && remote.stdout == local.stdout && !remote.stdout.isEmpty)
        let check = try served.run("rev", "check --as-of '\(Self.asOf)'")
        let localCheck = try Harness.shopdeck(["check", "--as-of", Self.asOf, "--data", data, "--read-only"])
        #expect(check.status == localCheck.status && check.stdout == localCheck.stdout)
        let refused = try served.run("rev", "appeals file --violation WG2023003 --reason 其他 --statement x")
        #expect(refused.status == 2 && refused.stderr == "shopdeck serve: a reviewer files no appeal (review mode)\r\n")
        #expect(served.tree() == before, "a reviewer's session changed the data folder")

        // Anything else is refused with the reason.
        let outside = try served.run("op", "report --data /etc")
        #expect(outside.status == 2 && outside.stderr == "shopdeck serve: --data is set by the server\r\n")
        let shell = try served.run("op", "report; rm -rf /")
        #expect(shell.status == 2 && shell.stderr == "shopdeck serve: ';': no shell here; one command with its flags\r\n")
        let other = try served.run("op", "bench")
        #expect(other.status == 2 && other.stderr.hasPrefix("shopdeck serve: 'bench' is not served"))

        // An unknown key, a password, port forwarding and subsystems are refused.
        #expect(try served.run("stranger", "check").status == 255)
        #expect(try Harness.run(served.ssh("op", extra: ["-o", "PreferredAuthentications=password,keyboard-interactive"]) + ["check"]).status == 255)
        #expect(try Harness.run(served.ssh("op", extra: ["-W", "127.0.0.1:22"])).status != 0)
        #expect(try Harness.run(served.ssh("op", extra: ["-s"]) + ["sftp"]).status != 0)

        // An operator files under their own name, whatever --operator says.
        let filed = try served.run("op", "appeals file --violation WG2023003 --reason 其他 --statement '已发货 物流有记录' --operator 冒名")
        #expect(filed.status == 0, "\(filed.stderr)")
        let list = try Harness.shopdeck(["appeals", "list", "--data", data, "--format", "json"])
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.map { $0["operator"] as? String } == ["运营-小王"])

        // The audit: connections with the key's fingerprint (as ssh-keygen prints it),
        // refusals, commands, the appeal.
        let fp = try Harness.run(["ssh-keygen", "-lf", served.dir + "/op.pub"]).stdout.split(separator: " ")[1]
        let audit = try Harness.shopdeck(["audit", "--state", served.state, "--format", "json"])
        #expect(audit.status == 0)
        let doc = try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any]
        let records = doc?["records"] as? [[String: Any]] ?? []
        #expect(records.contains { $0["event"] as? String == "connect" && $0["user"] as? String == "运营-小王" && $0["fingerprint"] as? String == String(fp) })
        #expect(records.contains { $0["event"] as? String == "refused" && ($0["detail"] as? String) == "key not in the users file" })
        #expect(records.contains { $0["event"] as? String == "appeal" && $0["violation_id"] as? String == "WG2023003" && $0["user"] as? String == "运营-小王" })
        #expect(records.filter { $0["event"] as? String == "connect" }.count == records.filter { $0["event"] as? String == "disconnect" }.count)
        // Never in the data folder.
        #expect(!FileManager.default.fileExists(atPath: data + "/audit.jsonl"))

        served.stop()
        try served.start()
        #expect(try String(contentsOfFile: served.state + "/host_key", encoding: .utf8) == hostKey)
        #expect(try served.run("rev", "check --as-of '\(Self.asOf)'").status == localCheck.status)
    }

    @Test func aShellIsTheDashboardAndARemovedKeyEndsIt() throws {
        let data = try Harness.demo(perWeek: 200)
        let served = try ServedShop(data: data, users: Self.users)
        let tmux = try Tmux(width: 100, height: 30, command: served.ssh("rev", tty: true).map(Tmux.quote).joined(separator: " "))
        let before = served.tree()
        let s = try tmux.waitForDashboard()
        #expect(s.contains("READ-ONLY"))
        // The appeal form does not open for a reviewer; the status line says why.
        try tmux.send("a")
        try tmux.waitFor("Violations · 违规记录")
        try tmux.send("a")
        try tmux.waitFor("read-only: --read-only; the appeal form does not open")
        try tmux.send("Escape")
        try tmux.resize(120, 40)
        // The window change reaches the dashboard: at 120 columns the status line has room
        // for every key hint.
        try tmux.waitFor("Tab pane  Enter open  a appeals")
        #expect(served.tree() == before, "a reviewer's dashboard changed the data folder")
        // The reviewer's key is removed: the session ends within about a second.
        let withoutReviewer = try String(contentsOfFile: served.usersFile, encoding: .utf8).components(separatedBy: "[[user]]\nname = \"品牌方-李\"")[0]
        try withoutReviewer.write(toFile: served.usersFile, atomically: true, encoding: .utf8)
        do { try tmux.waitFor("EXIT=", timeout: 10) } catch {
            Issue.record("the session did not end: \((try? String(contentsOfFile: served.dir + "/serve.log", encoding: .utf8)) ?? "")")
        }
        #expect(try served.run("rev", "check").status == 255)
        let audit = try Harness.shopdeck(["audit", "--state", served.state])
        #expect(audit.stdout.contains("revoked     品牌方-李"))
    }

    @Test func aUserSeesOnlyTheirShopsOfAFleet() throws {
        let fleet = Harness.tempDir("serve-fleet")
        for shop in ["shopA", "shopB", "shopC"] {
            let d = try Harness.demo(perWeek: 100)
            try FileManager.default.moveItem(atPath: d, toPath: fleet + "/" + shop)
        }
        let served = try ServedShop(data: fleet) { s in
            s.user("A", key: "op", role: "operator", shops: ["shopA"]) + s.user("BC", key: "rev", role: "reviewer", shops: ["shopB", "shopC"])
        }
        // A fleet stays a fleet, limited to the user's shops; each shop's report is the one it
        // gives alone.
        let one = try served.run("op", "report --format json --as-of '\(Self.asOf)'")
        let localA = try Harness.shopdeck(["report", "--format", "json", "--as-of", Self.asOf, "--data", fleet + "/shopA", "--read-only"])
        let oneDoc = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any]
        let shopsOfOne = oneDoc?["shops"] as? [[String: Any]] ?? []
        #expect(one.status == 0 && shopsOfOne.compactMap { $0["path"] as? String } == ["shopA"])
        let alone = try JSONSerialization.jsonObject(with: Data(localA.stdout.utf8)) as? NSDictionary
        #expect((shopsOfOne.first?["report"] as? NSDictionary) == alone)
        // Its own dashboard lists that shop only.
        let tmux = try Tmux(width: 120, height: 40, command: served.ssh("op", tty: true).map(Tmux.quote).joined(separator: " "))
        let screen = try tmux.waitFor("the fleet view") { $0.contains("Shops by urgency · 按紧急程度 · 1/1") }
        #expect(screen.contains(" · 1 shops · "))
        let two = try served.run("rev", "report --format json --as-of '\(Self.asOf)'")
        let doc = try JSONSerialization.jsonObject(with: Data(two.stdout.utf8)) as? [String: Any]
        #expect((doc?["shops"] as? [[String: Any]])?.compactMap { $0["path"] as? String }.sorted() == ["shopB", "shopC"])
        let notMine = try served.run("op", "appeals list --shop shopB")
        #expect(notMine.status == 2 && notMine.stderr == "shopdeck serve: the shop shopB is not one of yours (yours: shopA)\r\n")
    }

    @Test func twoOperatorsFilingAtOnceEndWithOneAppealAndLimitsHold() throws {
        let data = try Harness.demo(perWeek: 200, anchor: Harness.nowCST())
        let served = try ServedShop(data: data, extra: ["--idle-timeout", "2", "--max-sessions-per-user", "1"]) { s in
            s.user("运营-小王", key: "op", role: "operator") + s.user("运营-小张", key: "stranger", role: "operator")
                + s.user("品牌方-李", key: "rev", role: "reviewer")
        }
        // Both file attempt 1 of the same violation at the same moment: one entry.
        let runs = ["op", "stranger"].enumerated().map { i, key -> Process in
            let p = Process()
            let args = served.ssh(key) + ["appeals file --violation WG2023003 --reason 其他 --statement '第\(i)位'"]
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
            return p
        }
        for p in runs { try p.run() }
        for p in runs { p.waitUntilExit() }
        let results = runs.map(\.terminationStatus)
        let list = try Harness.shopdeck(["appeals", "list", "--data", data, "--format", "json"])
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.count == 1 && entries.first?["attempt"] as? Int == 1)
        #expect(results.sorted().first == 0 && results.sorted().last != 0, "\(results)")

        // One session per person at a time (the flag), and an idle connection is closed.
        let tmux = try Tmux(width: 100, height: 30, command: served.ssh("rev", tty: true).map(Tmux.quote).joined(separator: " "))
        try tmux.waitForDashboard()
        let second = try served.run("rev", "check")
        #expect(second.status == 2 && second.stderr == "shopdeck serve: you have 1 sessions open already (the most one person may have); close one first\r\n")
        try tmux.waitFor("EXIT=", timeout: 10)   // idle for 2 s: closed
        let audit = try Harness.shopdeck(["audit", "--state", served.state, "--format", "json"])
        let records = (try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])?["records"] as? [[String: Any]] ?? []
        #expect(records.contains { $0["event"] as? String == "idle" && $0["user"] as? String == "品牌方-李" })
        // The slot is free again.
        #expect(try served.run("rev", "check").status != 2)
    }
}
