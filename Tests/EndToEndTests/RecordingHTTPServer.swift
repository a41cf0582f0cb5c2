import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests: it records every request (path with query,
/// body) and answers 200 `{"errcode":0}`, or 500 for paths starting with `/fail`.
final class RecordingHTTPServer: @unchecked Sendable {
    struct Request { var path: String; var body: Data }
    private let lock = NSLock()
    private var recorded: [Request] = []
    private let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw Tmux.Failure(description: "cannot listen on 127.0.0.1") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }
                Thread.detachNewThread { self.serve(c) }
            }
        }
    }

    deinit { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    var requests: [Request] { lock.withLock { recorded } }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var buf = [UInt8](), chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int? = nil, length = 0
        while true {
            let n = read(c, &chunk, chunk.count)
            if n <= 0 { return }
            buf += chunk[0..<n]
            if headerEnd == nil, let r = buf.firstRange(of: [13, 10, 13, 10]) {
                headerEnd = r.upperBound
                let head = String(decoding: buf[0..<r.lowerBound], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let h = headerEnd, buf.count >= h + length {
                let first = String(decoding: buf[0..<h], as: UTF8.self).split(separator: " ")
                let path = first.count > 1 ? String(first[1]) : "/"
                lock.withLock { recorded.append(Request(path: path, body: Data(buf[h..<(h + length)]))) }
                let fail = path.hasPrefix("/fail")
                let body = "{\"errcode\":0}"
                let reply = "HTTP/1.1 \(fail ? "500 Internal Server Error" : "200 OK")\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                _ = reply.withCString { write(c, $0, strlen($0)) }
                return
            }
        }
    }
}
