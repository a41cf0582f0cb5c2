import Foundation
import NIOCore
import NIOSSH
import ShopdeckApp

/// One session channel of a connection: a pty request and a shell start the user's
/// dashboard on a pseudo-terminal; an exec request runs one served command; window changes
/// follow; subsystems (sftp among them) are refused. The process's output goes back on the
/// channel, its exit status closes it.
final class SessionHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    private let connection: Connection
    private let server: ServerContext
    private var pty: (term: String, cols: Int, rows: Int)?
    private var env: [String: String] = [:]
    private var child: ChildProcess?
    private var started = false

    init(connection: Connection, server: ServerContext) {
        self.connection = connection; self.server = server
    }

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenFailure { _ in }
    }

    func channelInactive(context: ChannelHandlerContext) {
        child?.hangUp()
        context.fireChannelInactive()
    }

    private func reply(_ context: ChannelHandlerContext, _ want: Bool, _ ok: Bool) {
        guard want else { return }
        context.triggerUserOutboundEvent(ok ? ChannelSuccessEvent() as Any : ChannelFailureEvent() as Any, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let e as SSHChannelRequestEvent.PseudoTerminalRequest:
            pty = (e.term, e.terminalCharacterWidth, e.terminalRowHeight)
            reply(context, e.wantReply, !started)
        case let e as SSHChannelRequestEvent.EnvironmentRequest:
            // Only the language is taken from the client (LANG, LC_ALL, LC_MESSAGES).
            let taken = ["LANG", "LC_ALL", "LC_MESSAGES"].contains(e.name)
            if taken { env[e.name] = e.value }
            reply(context, e.wantReply, taken)
        case let e as SSHChannelRequestEvent.ShellRequest:
            reply(context, e.wantReply, !started)
            if !started { start(context, command: nil) }
        case let e as SSHChannelRequestEvent.ExecRequest:
            reply(context, e.wantReply, !started)
            if !started { start(context, command: e.command) }
        case let e as SSHChannelRequestEvent.WindowChangeRequest:
            child?.resize(rows: e.terminalRowHeight, cols: e.terminalCharacterWidth)
        case let e as SSHChannelRequestEvent.SubsystemRequest:
            reply(context, e.wantReply, false)
        case let e as SSHChannelRequestEvent.SignalRequest:
            _ = e
        case ChannelEvent.inputClosed:
            child?.closeInput()
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let d = unwrapInboundIn(data)
        guard case .channel = d.type, case .byteBuffer(var buf) = d.data, let child else { return }
        if let bytes = buf.readBytes(length: buf.readableBytes) { _ = child.write(bytes) }
    }

    /// The user's language from the client's locale (`LANG=zh_CN.UTF-8` gives Chinese).
    private var lang: String? {
        for k in ["LC_ALL", "LC_MESSAGES", "LANG"] { if let v = env[k], !v.isEmpty { return v.lowercased().hasPrefix("zh") ? "zh" : "en" } }
        return nil
    }

    private func start(_ context: ChannelHandlerContext, command: String?) {
        started = true
        let channel = context.channel
        guard let user = connection.user else { channel.close(promise: nil); return }
        let plan: SessionPlan
        do {
            plan = try command.map { try SessionPlan.exec($0, user, server.served) } ?? SessionPlan.shell(user, server.served, lang: lang)
        } catch {
            server.audit(AuditLog.Record(event: "refused", user: user.name, fingerprint: connection.fingerprint, address: connection.address,
                                         session: connection.id, detail: "\(command ?? "shell"): \(error)"))
            finish(channel, message: "shopdeck serve: \(error)\r\n", status: 2)
            return
        }
        if let full = server.openSession(user.name) {
            server.audit(AuditLog.Record(event: "refused", user: user.name, fingerprint: connection.fingerprint, address: connection.address,
                                         session: connection.id, detail: full))
            finish(channel, message: "shopdeck serve: \(full)\r\n", status: 2)
            return
        }
        server.audit(AuditLog.Record(event: "command", user: user.name, fingerprint: connection.fingerprint, address: connection.address,
                                     session: connection.id, detail: command ?? "dashboard"))
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": server.stateDir,
            "TERM": pty?.term.isEmpty == false ? pty!.term : "dumb",
            AuditLog.pathVariable: server.auditPath, AuditLog.userVariable: user.name,
        ]
        if user.role == .operatorRole { environment[AuditLog.operatorVariable] = user.name }
        do {
            if let p = pty {
                child = try ChildProcess.onPty(server.binary, plan.arguments, env: environment, rows: p.rows > 0 ? p.rows : 24, cols: p.cols > 0 ? p.cols : 80)
            } else {
                child = try ChildProcess.withPipes(server.binary, plan.arguments, env: environment)
            }
        } catch {
            server.closeSession(user.name)
            finish(channel, message: "shopdeck serve: \(error)\r\n", status: 2)
            return
        }
        let running = child!
        server.track(running)
        // Output back to the client, off the event loop; the exit status closes the channel.
        let ctx = self.server
        Thread.detachNewThread {
            let group = DispatchGroup()
            group.enter()
            Thread.detachNewThread { pump(running.output, to: channel, as: .channel); group.leave() }
            if let e = running.errors {
                group.enter()
                Thread.detachNewThread { pump(e, to: channel, as: .stdErr); group.leave() }
            }
            group.wait()
            let status = running.wait()
            running.closeOutputs()
            ctx.untrack(running)
            ctx.closeSession(user.name)
            channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: status)).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    private func finish(_ channel: Channel, message: String, status: Int) {
        var buf = channel.allocator.buffer(capacity: message.utf8.count)
        buf.writeString(message)
        channel.writeAndFlush(SSHChannelData(type: .stdErr, data: .byteBuffer(buf))).whenComplete { _ in
            channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: status)).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }
}

/// Copies what a process writes on `fd` to the channel until the end (EOF, or EIO once a
/// pty's last holder exits).
private func pump(_ fd: Int32, to channel: Channel, as type: SSHChannelData.DataType) {
    var bytes = [UInt8](repeating: 0, count: 32_768)
    while true {
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        var buf = channel.allocator.buffer(capacity: n)
        buf.writeBytes(bytes[0..<n])
        // Waits for each write so a slow client slows the process instead of filling memory.
        _ = try? channel.writeAndFlush(SSHChannelData(type: type, data: .byteBuffer(buf))).wait()
    }
}
