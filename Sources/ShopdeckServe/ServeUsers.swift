import Crypto
import Foundation
import NIOSSH
import ShopdeckRules

/// The users file of `shopdeck serve` (terminal-ui.md, Serving over SSH; issue 17), TOML:
///
///     [[user]]
///     name = "运营-小王"
///     key = "ssh-ed25519 AAAA… wang@laptop"      # or keys = ["…", "…"]
///     role = "operator"                          # or "reviewer"
///     shops = ["shopA", "shopB"]                 # optional; absent or "all": every shop
///
/// Keys are ed25519 or ECDSA (nistp256/384/521) in OpenSSH's one-line form. A key may belong
/// to one user only. Every mistake is refused with the user's number and name and the fix.
public struct ServeUsers: Sendable {
    public enum Role: String, Sendable { case operatorRole = "operator", reviewer }

    public struct User: Sendable {
        public var name: String
        public var role: Role
        /// Shop folder names; nil: every shop.
        public var shops: [String]?
        public var keys: [NIOSSHPublicKey]
        public var fingerprints: [String]
    }

    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    public var users: [User]

    /// The user a key belongs to, with the key's fingerprint.
    public func user(for key: NIOSSHPublicKey) -> (User, String)? {
        for u in users { if let i = u.keys.firstIndex(of: key) { return (u, u.fingerprints[i]) } }
        return nil
    }

    public static func load(_ path: String) throws -> ServeUsers {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "\(path): cannot be read (does it exist? is it readable?)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw Problem(description: "\(path): not UTF-8 text") }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> ServeUsers {
        let root: ConfigValue
        do { root = try ConfigValue.parseTOML(text, file: file) } catch { throw Problem(description: "\(error)") }
        guard let table = root.table else { throw Problem(description: "\(file): not a TOML table") }
        for key in table.keys where key != "user" {
            throw Problem(description: "\(file): unknown key '\(key)': the file holds [[user]] tables only")
        }
        guard let list = table["user"]?.array, !list.isEmpty else {
            throw Problem(description: "\(file): no [[user]]: add one with name, key and role")
        }
        var users: [User] = []
        var owner: [NIOSSHPublicKey: String] = [:]
        for (i, v) in list.enumerated() {
            let at = "\(file): [[user]] \(i + 1)"
            guard let t = v.table else { throw Problem(description: "\(at): not a table") }
            guard let name = t["name"]?.string?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
                throw Problem(description: "\(at): name is missing: name = \"运营-小王\"")
            }
            guard name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw Problem(description: "\(at) (\(name)): the name holds control characters")
            }
            let who = "\(at) (\(name))"
            for k in t.keys.sorted() where !["name", "key", "keys", "role", "shops"].contains(k) {
                throw Problem(description: "\(who): unknown key '\(k)' (name, key or keys, role, shops)")
            }
            guard let roleText = t["role"]?.string else { throw Problem(description: "\(who): role is missing: role = \"operator\" or \"reviewer\"") }
            guard let role = Role(rawValue: roleText) else { throw Problem(description: "\(who): role '\(roleText)' is neither \"operator\" nor \"reviewer\"") }
            var shops: [String]? = nil
            if let s = t["shops"] {
                if s.string == "all" || s.string == "*" || s.array?.compactMap(\.string) == ["*"] { shops = nil }
                else if let a = s.array {
                    shops = try a.map { e -> String in
                        guard let n = e.string, !n.isEmpty, !n.contains("/"), n != ".", n != ".." else {
                            throw Problem(description: "\(who): shops holds something that is not a shop folder name")
                        }
                        return n
                    }
                } else { throw Problem(description: "\(who): shops must be a list of shop folder names or \"all\"") }
            }
            var keyTexts: [String] = []
            // `key` (or `keys`): one key line, or a list of them.
            for field in ["key", "keys"] {
                guard let k = t[field] else { continue }
                if let s = k.string { keyTexts.append(s) }
                else if let a = k.array, a.allSatisfy({ $0.string != nil }) { keyTexts += a.compactMap(\.string) }
                else { throw Problem(description: "\(who): \(field) must be a key line or a list of key lines") }
            }
            guard !keyTexts.isEmpty else { throw Problem(description: "\(who): no key: key = \"ssh-ed25519 AAAA…\" (the line of ~/.ssh/id_ed25519.pub)") }
            var keys: [NIOSSHPublicKey] = [], prints: [String] = []
            for text in keyTexts {
                let parts = text.split(separator: " ", omittingEmptySubsequences: true)
                guard parts.count >= 2 else { throw Problem(description: "\(who): '\(text.prefix(40))' is not a public key line (type, then the key)") }
                let type = String(parts[0])
                guard ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"].contains(type) else {
                    throw Problem(description: "\(who): \(type) keys are not accepted: use ed25519 or ECDSA (ssh-keygen -t ed25519)")
                }
                let key: NIOSSHPublicKey
                do { key = try NIOSSHPublicKey(openSSHPublicKey: parts[0] + " " + parts[1]) }
                catch { throw Problem(description: "\(who): the \(type) key cannot be read: copy the whole line of the .pub file") }
                if let other = owner[key] { throw Problem(description: "\(who): this key already belongs to \(other); a key names one person") }
                owner[key] = name
                keys.append(key)
                prints.append(fingerprint(String(parts[1])))
            }
            users.append(User(name: name, role: role, shops: shops, keys: keys, fingerprints: prints))
        }
        return ServeUsers(users: users)
    }

    /// OpenSSH's fingerprint of a key: "SHA256:" and the unpadded Base64 of the SHA-256 of
    /// the key blob (what `ssh-keygen -lf` prints).
    public static func fingerprint(_ base64Blob: String) -> String {
        guard let blob = Data(base64Encoded: base64Blob) else { return "SHA256:?" }
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    public static func fingerprint(_ key: NIOSSHPublicKey) -> String {
        let line = String(openSSHPublicKey: key)
        let parts = line.split(separator: " ")
        return parts.count >= 2 ? fingerprint(String(parts[1])) : "SHA256:?"
    }
}
