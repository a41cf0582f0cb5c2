import Foundation
import NIOCore
import NIOPosix
import NIOSSH
import ShopdeckApp
import ShopdeckModel

/// One SSH connection: who it is (after public-key authentication), from where, and its
/// channel, so a key removed from the users file can close it.
final class Connection: @unchecked Sendable {
    let id: String
    let address: String
    let channel: Channel
    private let lock = NSLock()
    private var _user: ServeUsers.User?
    private var _fingerprint: String?
    private var _key: NIOSSHPublicKey?

    init(id: String, address: String, channel: Channel) { self.id = id; self.address = address; self.channel = channel }

    var user: ServeUsers.User? { lock.withLock { _user } }
    var fingerprint: String? { lock.withLock { _fingerprint } }
    var key: NIOSSHPublicKey? { lock.withLock { _key } }
    func authenticated(_ u: ServeUsers.User, _ fp: String, _ k: NIOSSHPublicKey) { lock.withLock { _user = u; _fingerprint = fp; _key = k } }
}

/// What every connection shares: the users (re-read when the file changes), the served
/// folder, the audit log, the live connections and processes.
final class ServerContext: @unchecked Sendable {
    let served: SessionPlan.Served
    let usersPath: String
    let stateDir: String
    let auditPath: String
    let binary: String
    private let lock = NSLock()
    private var _users: ServeUsers
    private var usersStamp: [Int]
    private var connections: [String: Connection] = [:]
    private var children: [pid_t: ChildProcess] = [:]
    private var counter = 0

    let limits: ServeServer.Limits

    init(served: SessionPlan.Served, users: ServeUsers, usersPath: String, stateDir: String, binary: String, limits: ServeServer.Limits) {
        self.served = served; _users = users; self.usersPath = usersPath; self.stateDir = stateDir
        auditPath = stateDir + "/" + AuditLog.fileName; self.binary = binary; self.limits = limits
        usersStamp = ServerContext.stamp(usersPath)
    }

    private var sessionsByUser: [String: Int] = [:]

    /// Takes a session slot for `user`, or says why there is none (terminal-ui.md gives no
    /// number: the limits are `serve`'s flags).
    func openSession(_ user: String) -> String? {
        lock.withLock {
            let total = sessionsByUser.values.reduce(0, +)
            if total >= limits.maxSessions { return "the server has its maximum of \(limits.maxSessions) sessions open; try again later" }
            if sessionsByUser[user, default: 0] >= limits.maxSessionsPerUser {
                return "you have \(limits.maxSessionsPerUser) sessions open already (the most one person may have); close one first"
            }
            sessionsByUser[user, default: 0] += 1
            return nil
        }
    }

    func closeSession(_ user: String) { lock.withLock { sessionsByUser[user, default: 1] -= 1; if sessionsByUser[user] == 0 { sessionsByUser[user] = nil } } }

    var users: ServeUsers { lock.withLock { _users } }

    func nextId() -> String { lock.withLock { counter += 1; return String(format: "%@-%04d", CST.format(Workspace.now()).replacingOccurrences(of: " ", with: "T"), counter) } }

    func audit(_ r: AuditLog.Record) {
        if !AuditLog.append(r, to: auditPath) { FileHandle.standardError.write(Data("shopdeck serve: cannot write the audit log \(auditPath)\n".utf8)) }
    }

    func add(_ c: Connection) { lock.withLock { connections[c.id] = c } }
    func remove(_ c: Connection) { lock.withLock { connections[c.id] = nil } }
    func track(_ p: ChildProcess) { lock.withLock { children[p.pid] = p } }
    func untrack(_ p: ChildProcess) { lock.withLock { children[p.pid] = nil } }

    static func stamp(_ path: String) -> [Int] {
        var st = stat()
        guard stat(path, &st) == 0 else { return [] }
        return [Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_ino)]
    }

    /// Re-reads the users file when it changed (a broken one keeps the last good users and
    /// says why); a connection whose key no longer names the same user, role and shops is
    /// closed at once.
    func reloadUsersIfChanged() {
        let now = ServerContext.stamp(usersPath)
        guard lock.withLock({ now != usersStamp }) else { return }
        let fresh: ServeUsers
        do { fresh = try ServeUsers.load(usersPath) }
        catch {
            lock.withLock { usersStamp = now }
            FileHandle.standardError.write(Data("shopdeck serve: the users file changed but cannot be used, the previous users stay: \(error)\n".utf8))
            return
        }
        let open: [Connection] = lock.withLock { _users = fresh; usersStamp = now; return Array(connections.values) }
        FileHandle.standardError.write(Data("shopdeck serve: users re-read: \(fresh.users.count) user(s)\n".utf8))
        for c in open {
            guard let key = c.key, let before = c.user else { continue }
            let after = fresh.user(for: key)?.0
            if after == nil || after!.name != before.name || after!.role != before.role || after!.shops != before.shops {
                audit(AuditLog.Record(event: "revoked", user: before.name, fingerprint: c.fingerprint, address: c.address, session: c.id,
                                      detail: after == nil ? "key removed from the users file" : "role or shops changed"))
                c.channel.close(promise: nil)
            }
        }
    }
}

/// Public keys only: a key in the users file is let in as its user; anything else (password,
/// keyboard-interactive, an unknown key) is refused and the refusal recorded.
final class KeyAuthentication: NIOSSHServerUserAuthenticationDelegate, @unchecked Sendable {
    let connection: Connection
    let server: ServerContext
    init(connection: Connection, server: ServerContext) { self.connection = connection; self.server = server }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { .publicKey }

    private var failures = 0

    func requestReceived(request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>) {
        // Attempts per connection are limited: past the limit the connection is closed.
        func fail() {
            failures += 1
            responsePromise.succeed(.failure)
            if failures >= server.limits.maxAuthAttempts {
                server.audit(AuditLog.Record(event: "refused", address: connection.address, detail: "\(failures) failed authentication attempts: connection closed"))
                connection.channel.close(promise: nil)
            }
        }
        guard case .publicKey(let pk) = request.request else { fail(); return }
        server.reloadUsersIfChanged()
        guard let (user, fp) = server.users.user(for: pk.publicKey) else {
            server.audit(AuditLog.Record(event: "refused", fingerprint: ServeUsers.fingerprint(pk.publicKey), address: connection.address,
                                         detail: "key not in the users file"))
            fail()
            return
        }
        connection.authenticated(user, fp, pk.publicKey)
        server.add(connection)
        server.audit(AuditLog.Record(event: "connect", user: user.name, fingerprint: fp, address: connection.address, session: connection.id,
                                     detail: user.role.rawValue))
        responsePromise.succeed(.success)
    }
}

/// `shopdeck serve`: binds, serves until stopped.
public final class ServeServer: @unchecked Sendable {
    /// Bounds on what one person, and everyone together, can hold open.
    public struct Limits: Sendable {
        /// A connection whose client sends nothing for this long is closed.
        public var idleSeconds: Int64 = 1800
        public var maxSessions = 64
        public var maxSessionsPerUser = 8
        /// Failed authentication attempts before the connection is closed.
        public var maxAuthAttempts = 6
        public init() {}
    }

    public struct Options: Sendable {
        public var data: String, host: String, port: Int, usersPath: String, hostKeyPath: String, stateDir: String, binary: String
        public var fleetShops: [String]?
        public var limits: Limits
        public init(data: String, host: String, port: Int, usersPath: String, hostKeyPath: String, stateDir: String, binary: String, fleetShops: [String]?,
                    limits: Limits = Limits()) {
            self.data = data; self.host = host; self.port = port; self.usersPath = usersPath; self.hostKeyPath = hostKeyPath
            self.stateDir = stateDir; self.binary = binary; self.fleetShops = fleetShops; self.limits = limits
        }
    }

    let options: Options
    let context: ServerContext
    let hostKey: NIOSSHPrivateKey
    public let hostKeyLine: String
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var channel: Channel?

    public init(_ o: Options) throws {
        options = o
        let users = try ServeUsers.load(o.usersPath)
        (hostKey, hostKeyLine) = try HostKey.loadOrCreate(o.hostKeyPath)
        context = ServerContext(served: .init(data: o.data, fleetShops: o.fleetShops), users: users, usersPath: o.usersPath,
                                stateDir: o.stateDir, binary: o.binary, limits: o.limits)
    }

    /// Binds and returns the port listened on (the one given, or the one chosen for 0).
    public func start() throws -> Int {
        let ctx = context, key = hostKey
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let address = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
                let connection = Connection(id: ctx.nextId(), address: address, channel: channel)
                channel.closeFuture.whenComplete { _ in
                    if let u = connection.user {
                        ctx.audit(AuditLog.Record(event: "disconnect", user: u.name, fingerprint: connection.fingerprint, address: address, session: connection.id))
                    }
                    ctx.remove(connection)
                }
                let idle = ctx.limits.idleSeconds
                return channel.eventLoop.makeCompletedFuture {
                    // Idle: nothing from the client for the limit closes the connection.
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: .seconds(idle)))
                    try channel.pipeline.syncOperations.addHandler(CloseWhenIdle(connection: connection, server: ctx))
                    try channel.pipeline.syncOperations.addHandler(NIOSSHHandler(
                        role: .server(.init(hostKeys: [key], userAuthDelegate: KeyAuthentication(connection: connection, server: ctx))),
                        allocator: channel.allocator,
                        inboundChildChannelInitializer: { child, type in
                            // Sessions only: no port forwarding, no other channel type.
                            guard case .session = type, connection.user != nil else {
                                return child.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                            }
                            return child.eventLoop.makeCompletedFuture {
                                try child.pipeline.syncOperations.addHandler(SessionHandler(connection: connection, server: ctx))
                            }
                        }))
                    try channel.pipeline.syncOperations.addHandler(CloseOnError())
                }
            }
        let ch = try bootstrap.bind(host: options.host, port: options.port).wait()
        channel = ch
        // The users file is watched: changes apply within a second, to open sessions too.
        group.next().scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in ctx.reloadUsersIfChanged() }
        return ch.localAddress?.port ?? options.port
    }

    public func wait() throws { try channel?.closeFuture.wait() }

    public var userCount: Int { context.users.users.count }
    public var hostKeyFingerprint: String { ServeUsers.fingerprint(hostKey.publicKey) }

    public func stop() {
        channel?.close(promise: nil)
    }
}

/// A connection that errs (a broken client, a bad packet) is closed, never the server.
final class CloseOnError: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any
    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}

/// Closes a connection whose client has been silent for the idle limit, and records why.
final class CloseWhenIdle: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let connection: Connection
    let server: ServerContext
    init(connection: Connection, server: ServerContext) { self.connection = connection; self.server = server }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? IdleStateHandler.IdleStateEvent, e == .read {
            server.audit(AuditLog.Record(event: "idle", user: connection.user?.name, fingerprint: connection.fingerprint, address: connection.address,
                                         session: connection.id, detail: "nothing received for \(server.limits.idleSeconds) s: connection closed"))
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
