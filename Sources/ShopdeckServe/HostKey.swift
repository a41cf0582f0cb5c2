import Crypto
import Foundation
import NIOSSH

/// The server's host key (issue 17): ed25519, generated on first start and kept, file mode
/// 0600, so clients can pin it. The file holds one line, `ed25519 BASE64` of the 32-byte
/// private key; `FILE.pub` beside it holds the public key in OpenSSH's form (for
/// known_hosts). A key file others can read is refused, as sshd refuses one.
public enum HostKey {
    public struct Problem: Error, CustomStringConvertible { public let description: String }

    public static func loadOrCreate(_ path: String) throws -> (key: NIOSSHPrivateKey, publicLine: String) {
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFREG else { throw Problem(description: "\(path): the host key is not a regular file") }
            guard st.st_mode & 0o077 == 0 else {
                throw Problem(description: "\(path): the host key can be read by others (mode \(String(st.st_mode & 0o777, radix: 8))): chmod 600 \(path)")
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw Problem(description: "\(path): the host key cannot be read") }
            let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
            guard parts.count >= 2, parts[0] == "ed25519", let raw = Data(base64Encoded: String(parts[1])),
                  let k = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
                throw Problem(description: "\(path): not a shopdeck host key; move it away and a new one is made")
            }
            let key = NIOSSHPrivateKey(ed25519Key: k)
            return (key, String(openSSHPublicKey: key.publicKey))
        }
        let k = Curve25519.Signing.PrivateKey()
        let line = "ed25519 " + k.rawRepresentation.base64EncodedString() + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Problem(description: "\(path): cannot create the host key (\(String(cString: strerror(errno))))") }
        let ok = Array(line.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == line.utf8.count
        fsync(fd); close(fd)
        guard ok else { unlink(path); throw Problem(description: "\(path): cannot write the host key") }
        let key = NIOSSHPrivateKey(ed25519Key: k)
        let pub = String(openSSHPublicKey: key.publicKey)
        try? (pub + " shopdeck-serve\n").write(toFile: path + ".pub", atomically: true, encoding: .utf8)
        return (key, pub)
    }
}
