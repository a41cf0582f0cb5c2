import Crypto
import _CryptoExtras
import Foundation

/// Opens an Office workbook protected with "agile" encryption ([MS-OFFCRYPTO] 2.3.4.10–15),
/// what the backend's encrypted order export is: the compound file's `EncryptionInfo` names
/// the hash (SHA-512), the salts and the spin count; the password's key decrypts the package
/// key, which decrypts `EncryptedPackage` (AES-CBC, 4096-byte segments) back into the zip.
///
/// A password is only ever compared here: it never reaches an error, a log or a message.
public enum AgileDecryption {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// No given password opens it.
        case wrongPassword
        /// An encryption this reader does not handle (standard/RC4 encryption, other ciphers).
        case unsupported(String)
        /// The container is damaged.
        case broken(String)

        public var description: String {
            switch self {
            case .wrongPassword: return "no password given opens it"
            case .unsupported(let why): return "unsupported encryption: \(why)"
            case .broken(let why): return "the encrypted container is damaged: \(why)"
            }
        }
    }

    /// The most hash rounds accepted (Office writes 100,000): a hostile file cannot hang us.
    static let maxSpinCount = 10_000_000

    /// Whether `bytes` start like a compound file (what an encrypted workbook is).
    public static func isCompoundFile(_ head: [UInt8]) -> Bool { head.starts(with: CompoundFile.signature) }

    /// The decrypted package (zip bytes) of an encrypted workbook, trying `passwords` in order.
    public static func decrypt(_ bytes: [UInt8], passwords: [String]) throws -> [UInt8] {
        let cf: CompoundFile
        do { cf = try CompoundFile(bytes) } catch { throw Failure.broken("\(error)") }
        guard let info = try? cf.stream("EncryptionInfo"), let package = try? cf.stream("EncryptedPackage") else {
            throw Failure.unsupported("a compound file without an encrypted package (an old .xls workbook?)")
        }
        let params = try Parameters(info)
        for p in passwords {
            if let key = try params.packageKey(password: p) { return try params.decryptPackage(package, key: key) }
        }
        throw Failure.wrongPassword
    }

    enum Hash {
        case sha1, sha256, sha384, sha512
        init(_ name: String) throws {
            switch name.uppercased() {
            case "SHA1", "SHA-1": self = .sha1
            case "SHA256", "SHA-256": self = .sha256
            case "SHA384", "SHA-384": self = .sha384
            case "SHA512", "SHA-512": self = .sha512
            default: throw Failure.unsupported("hash \(name)")
            }
        }
        func callAsFunction(_ parts: [UInt8]...) -> [UInt8] {
            switch self {
            case .sha1: var h = Insecure.SHA1(); for p in parts { h.update(data: p) }; return Array(h.finalize())
            case .sha256: var h = SHA256(); for p in parts { h.update(data: p) }; return Array(h.finalize())
            case .sha384: var h = SHA384(); for p in parts { h.update(data: p) }; return Array(h.finalize())
            case .sha512: var h = SHA512(); for p in parts { h.update(data: p) }; return Array(h.finalize())
            }
        }
    }

    struct Parameters {
        // keyData: the package's own parameters.
        var dataSalt: [UInt8] = [], dataHash: Hash = .sha512, dataKeyBits = 256, dataBlockSize = 16
        // The password key encryptor.
        var salt: [UInt8] = [], hash: Hash = .sha512, keyBits = 256, blockSize = 16, spinCount = 100_000
        var verifierInput: [UInt8] = [], verifierValue: [UInt8] = [], encryptedKey: [UInt8] = []

        init(_ info: [UInt8]) throws {
            guard info.count > 8 else { throw Failure.broken("EncryptionInfo is too short") }
            let major = CompoundFile.u16(info, 0), minor = CompoundFile.u16(info, 2)
            guard major == 4 && minor == 4 else {
                throw Failure.unsupported("encryption version \(major).\(minor) (only Office's agile encryption, 4.4, is read)")
            }
            let xml = String(decoding: info[8...], as: UTF8.self)
            guard let keyData = Self.attributes(of: "keyData", in: xml),
                  let enc = Self.attributes(of: "encryptedKey", in: xml) else { throw Failure.broken("EncryptionInfo lacks keyData or encryptedKey") }
            for a in [keyData, enc] {
                guard (a["cipherAlgorithm"] ?? "AES") == "AES", (a["cipherChaining"] ?? "ChainingModeCBC") == "ChainingModeCBC" else {
                    throw Failure.unsupported("cipher \(a["cipherAlgorithm"] ?? "?") \(a["cipherChaining"] ?? "")")
                }
            }
            func b64(_ a: [String: String], _ k: String) throws -> [UInt8] {
                guard let s = a[k], let d = Data(base64Encoded: s) else { throw Failure.broken("EncryptionInfo: \(k) is missing or not base64") }
                return Array(d)
            }
            func int(_ a: [String: String], _ k: String, _ range: ClosedRange<Int>) throws -> Int {
                guard let s = a[k], let v = Int(s), range.contains(v) else { throw Failure.broken("EncryptionInfo: \(k) is missing or out of range") }
                return v
            }
            dataSalt = try b64(keyData, "saltValue")
            dataHash = try Hash(keyData["hashAlgorithm"] ?? "")
            dataKeyBits = try int(keyData, "keyBits", 128...256)
            dataBlockSize = try int(keyData, "blockSize", 16...16)
            salt = try b64(enc, "saltValue")
            hash = try Hash(enc["hashAlgorithm"] ?? "")
            keyBits = try int(enc, "keyBits", 128...256)
            blockSize = try int(enc, "blockSize", 16...16)
            spinCount = try int(enc, "spinCount", 0...AgileDecryption.maxSpinCount)
            verifierInput = try b64(enc, "encryptedVerifierHashInput")
            verifierValue = try b64(enc, "encryptedVerifierHashValue")
            encryptedKey = try b64(enc, "encryptedKeyValue")
            guard [128, 192, 256].contains(keyBits), [128, 192, 256].contains(dataKeyBits) else { throw Failure.unsupported("AES key of \(keyBits) bits") }
        }

        /// `name="value"` pairs of the first element whose local name is `element`.
        static func attributes(of element: String, in xml: String) -> [String: String]? {
            let u = Array(xml.utf8)
            let target = Array(element.utf8)
            var i = 0
            while i < u.count {
                guard u[i] == 0x3C else { i += 1; continue } // <
                var j = i + 1
                let nameStart = j
                while j < u.count, u[j] != 0x20, u[j] != 0x3E, u[j] != 0x2F, u[j] != 0x0A, u[j] != 0x0D, u[j] != 0x09 { j += 1 }
                var name = Array(u[nameStart..<j])
                if let colon = name.lastIndex(of: 0x3A) { name = Array(name[(colon + 1)...]) }
                guard name == target else { i = j; continue }
                var out: [String: String] = [:]
                while j < u.count, u[j] != 0x3E {
                    while j < u.count, u[j] == 0x20 || u[j] == 0x0A || u[j] == 0x0D || u[j] == 0x09 { j += 1 }
                    let ks = j
                    while j < u.count, u[j] != 0x3D, u[j] != 0x3E, u[j] != 0x20 { j += 1 }
                    let key = String(decoding: u[ks..<j], as: UTF8.self)
                    guard j < u.count, u[j] == 0x3D else { if j < u.count, u[j] != 0x3E { j += 1 }; continue }
                    j += 1
                    guard j < u.count, u[j] == 0x22 || u[j] == 0x27 else { continue }
                    let quote = u[j]
                    j += 1
                    let vs = j
                    while j < u.count, u[j] != quote { j += 1 }
                    out[key] = String(decoding: u[vs..<min(j, u.count)], as: UTF8.self)
                    j += 1
                }
                return out
            }
            return nil
        }

        static let blockVerifierInput: [UInt8] = [0xFE, 0xA7, 0xD2, 0x76, 0x3B, 0x4B, 0x9E, 0x79]
        static let blockVerifierValue: [UInt8] = [0xD7, 0xAA, 0x0F, 0x6D, 0x30, 0x61, 0x34, 0x4E]
        static let blockKeyValue: [UInt8] = [0x14, 0x6E, 0x0B, 0xE7, 0xAB, 0xAC, 0xD0, 0xD6]

        static func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 24) & 0xFF)] }

        /// `bytes` cut or padded with 0x36 to `count` ([MS-OFFCRYPTO] 2.3.4.12).
        static func fit(_ bytes: [UInt8], _ count: Int, pad: UInt8 = 0x36) -> [UInt8] {
            bytes.count >= count ? Array(bytes.prefix(count)) : bytes + [UInt8](repeating: pad, count: count - bytes.count)
        }

        static func aesCBC(_ data: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
            guard data.count % 16 == 0 else { throw Failure.broken("encrypted data is not a whole number of blocks") }
            do {
                return Array(try AES._CBC.decrypt(data, using: SymmetricKey(data: key), iv: try AES._CBC.IV(ivBytes: iv), noPadding: true))
            } catch { throw Failure.broken("AES: \(error)") }
        }

        /// The package key when `password` is right (the verifier hashes agree), else nil.
        func packageKey(password: String) throws -> [UInt8]? {
            var pw: [UInt8] = []
            for u in password.utf16 { pw.append(UInt8(u & 0xFF)); pw.append(UInt8(u >> 8)) }
            var h = hash(salt, pw)
            for i in 0..<spinCount { h = hash(Self.le32(i), h) }
            func key(_ block: [UInt8]) -> [UInt8] { Self.fit(hash(h, block), keyBits / 8) }
            let iv = Self.fit(salt, blockSize)
            let input = try Self.aesCBC(verifierInput, key: key(Self.blockVerifierInput), iv: iv)
            let expected = hash(Array(input.prefix(salt.count)))
            let value = try Self.aesCBC(verifierValue, key: key(Self.blockVerifierValue), iv: iv)
            guard Array(value.prefix(expected.count)) == expected else { return nil }
            return Array(try Self.aesCBC(encryptedKey, key: key(Self.blockKeyValue), iv: iv).prefix(dataKeyBits / 8))
        }

        /// The zip inside `EncryptedPackage`: an 8-byte size, then 4096-byte segments, each with
        /// the IV hash(keyData salt + segment number).
        func decryptPackage(_ package: [UInt8], key: [UInt8]) throws -> [UInt8] {
            guard package.count >= 8 else { throw Failure.broken("EncryptedPackage is too short") }
            let size = Int(min(CompoundFile.u64(package, 0), UInt64(package.count)))
            var out: [UInt8] = []
            out.reserveCapacity(package.count)
            var offset = 8, segment = 0
            while offset < package.count && out.count < size {
                let end = min(package.count, offset + 4096)
                var chunk = Array(package[offset..<end])
                if chunk.count % 16 != 0 { chunk += [UInt8](repeating: 0, count: 16 - chunk.count % 16) }
                let iv = Self.fit(dataHash(dataSalt, Self.le32(segment)), dataBlockSize)
                out += try Self.aesCBC(chunk, key: key, iv: iv)
                offset = end; segment += 1
            }
            return Array(out.prefix(size))
        }
    }
}
