import ArgumentParser
import Foundation
import ShopdeckApp
import ShopdeckModel
import ShopdeckServe

/// `shopdeck serve` (terminal-ui.md, Serving over SSH; issue 17): an SSH server of its own,
/// public keys only, each session the user's own dashboard or command with their rights.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dashboard over SSH with no sshd to configure: public keys only, per-key roles (operator, reviewer) and shops, an audit log.")
    @Option(name: .long, help: "A shop folder, or a fleet folder of shop folders.") var data: String
    @Option(name: .long, help: "HOST:PORT to listen on (port 0: any free port, printed at start).") var listen: String = "127.0.0.1:2222"
    @Option(name: .long, help: "The users file (TOML: [[user]] name, key, role, shops).") var users: String
    @Option(name: .customLong("host-key"), help: "The host key file, made on first start (default: STATE/host_key).") var hostKey: String?
    @Option(name: .long, help: "The server's state folder: host key, audit log (default: the users file's folder). Never inside the data folder.") var state: String?
    @Option(name: .customLong("idle-timeout"), help: "Seconds without input before a connection is closed.") var idleTimeout: Int = 1800
    @Option(name: .customLong("max-sessions"), help: "Sessions open at once, everyone together.") var maxSessions: Int = 64
    @Option(name: .customLong("max-sessions-per-user"), help: "Sessions one person may have open at once.") var maxSessionsPerUser: Int = 8

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        guard let (host, port) = Serve.parseListen(listen) else { throw Output.fail("serve", "--listen '\(listen)': use HOST:PORT, for example 127.0.0.1:2222 or [::1]:2222") }
        guard let dataDir = Serve.realPath(data) else { throw Output.fail("serve", "the data folder \(data) does not exist") }
        if let why = Workspace.folderProblem(dataDir) { throw Output.fail("serve", why) }
        guard FileManager.default.fileExists(atPath: users) else { throw Output.fail("serve", "the users file \(users) does not exist") }
        let stateDir = state ?? ((users as NSString).deletingLastPathComponent.isEmpty ? "." : (users as NSString).deletingLastPathComponent)
        do { try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
        catch { throw Output.fail("serve", "cannot make the state folder \(stateDir): \(error.localizedDescription)") }
        guard let stateReal = Serve.realPath(stateDir) else { throw Output.fail("serve", "the state folder \(stateDir) cannot be resolved") }
        // The audit and the host key never land in a data folder (a reviewer's session must
        // change nothing there).
        if stateReal == dataDir || stateReal.hasPrefix(dataDir + "/") {
            throw Output.fail("serve", "the state folder \(stateDir) is inside the data folder: give --state a folder outside \(data)")
        }
        guard let binary = Serve.realPath("/proc/self/exe") ?? Serve.realPath(CommandLine.arguments[0]) else { throw Output.fail("serve", "cannot find its own binary") }
        guard idleTimeout >= 1, maxSessions >= 1, maxSessionsPerUser >= 1 else { throw Output.fail("serve", "--idle-timeout, --max-sessions and --max-sessions-per-user must be at least 1") }
        var limits = ServeServer.Limits()
        limits.idleSeconds = Int64(idleTimeout); limits.maxSessions = maxSessions; limits.maxSessionsPerUser = maxSessionsPerUser
        let server: ServeServer
        do {
            server = try ServeServer(.init(data: dataDir, host: host, port: port, usersPath: users, hostKeyPath: hostKey ?? stateReal + "/host_key",
                                           stateDir: stateReal, binary: binary, fleetShops: Fleet.shops(in: dataDir), limits: limits))
        } catch { throw Output.fail("serve", "\(error)") }
        let bound: Int
        do { bound = try server.start() } catch { throw Output.fail("serve", "cannot listen on \(listen): \(error)") }
        Output.out("shopdeck serve: listening on \(host):\(bound) · data \(dataDir) · \(server.userCount) user(s) · audit \(stateReal)/\(AuditLog.fileName)")
        Output.out("host key: \(server.hostKeyLine)")
        Output.out("host key fingerprint: \(server.hostKeyFingerprint)")
        let stop = DispatchSource.makeSignalSource(signal: SIGTERM)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT)
        signal(SIGTERM, SIG_IGN); signal(SIGINT, SIG_IGN)
        stop.setEventHandler { server.stop() }; interrupt.setEventHandler { server.stop() }
        stop.resume(); interrupt.resume()
        try server.wait()
    }

    static func parseListen(_ s: String) -> (String, Int)? {
        guard let colon = s.lastIndex(of: ":") else { return nil }
        var host = String(s[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(s[s.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        return (host, port)
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}

/// `shopdeck audit --state DIR`: who connected (user, key fingerprint, address, start, end),
/// what they ran, what was refused and every appeal filed through the server.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "List the connections, commands, refusals and appeals recorded by shopdeck serve.")
    @Option(name: .long, help: "The server's state folder (holding audit.jsonl).") var state: String
    @Option(name: .long, help: "text or json.") var format: String = "text"

    func run() throws {
        guard format == "text" || format == "json" else { throw Output.fail("audit", "--format must be text or json") }
        let path = state + "/" + AuditLog.fileName
        guard FileManager.default.fileExists(atPath: path) else { throw Output.fail("audit", "no audit log in \(state) (\(AuditLog.fileName)): has shopdeck serve run with --state \(state)?") }
        let (records, bad) = try { do { return try AuditLog.read(path) } catch { throw Output.fail("audit", "\(path): \(error.localizedDescription)") } }()
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            struct Doc: Encodable { let records: [AuditLog.Record]; let unreadable_lines: Int }
            Output.json(String(decoding: try encoder.encode(Doc(records: records, unreadable_lines: bad)), as: UTF8.self))
            return
        }
        // Connections with their end, then everything else in time order.
        var ends: [String: String] = [:]
        for r in records where r.event == "disconnect" { if let s = r.session { ends[s] = r.at } }
        for r in records {
            switch r.event {
            case "connect":
                Output.line("\(r.at)  connect     \(r.user ?? "?") (\(r.detail ?? "")) \(r.fingerprint ?? "") from \(r.address ?? "?") · ended \(r.session.flatMap { ends[$0] } ?? "still open")")
            case "disconnect": continue
            case "appeal":
                Output.line("\(r.at)  appeal      \(r.user ?? "?") filed \(r.violationId ?? "?") attempt \(r.attempt ?? 0) in \(r.shop ?? "?")")
            default:
                Output.line("\(r.at)  \(r.event.padding(toLength: 11, withPad: " ", startingAt: 0)) \(r.user ?? "-") \(r.fingerprint ?? "") \(r.address ?? "") \(r.detail ?? "")")
            }
        }
        if bad > 0 { Output.err("shopdeck audit: \(bad) line(s) of \(path) are not audit records and were skipped") }
    }
}
