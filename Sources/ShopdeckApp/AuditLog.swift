import Foundation
import ShopdeckModel
import ShopdeckRules

/// The audit trail of `shopdeck serve` (terminal-ui.md, Serving over SSH; issue 17): every
/// connection (user, key fingerprint, address, start, end), every command run and every
/// appeal filed, one JSON object per line in `STATE/audit.jsonl` — in the server's own state
/// folder, never in a data folder. Lines are appended with O_APPEND in one write each, so the
/// server and the sessions' processes can add to it at once without interleaving.
public enum AuditLog {
    public static let fileName = "audit.jsonl"

    /// The environment a session's process gets, so the appeals it files are recorded too.
    public static let pathVariable = "SHOPDECK_AUDIT_LOG"
    public static let userVariable = "SHOPDECK_AUDIT_USER"
    /// The operator's name a served session files under (their own, not the shop config's).
    public static let operatorVariable = "SHOPDECK_OPERATOR"

    public struct Record: Codable, Equatable, Sendable {
        /// connect, disconnect, refused, command, appeal.
        public var event: String
        public var at: String
        public var user: String?
        public var fingerprint: String?
        public var address: String?
        public var session: String?
        public var detail: String?
        public var shop: String?
        public var violationId: String?
        public var attempt: Int?

        enum CodingKeys: String, CodingKey {
            case event, at, user, fingerprint, address, session, detail, shop
            case violationId = "violation_id", attempt
        }

        public init(event: String, at: String = CST.format(Workspace.now()), user: String? = nil, fingerprint: String? = nil, address: String? = nil,
                    session: String? = nil, detail: String? = nil, shop: String? = nil, violationId: String? = nil, attempt: Int? = nil) {
            self.event = event; self.at = at; self.user = user; self.fingerprint = fingerprint; self.address = address
            self.session = session; self.detail = detail; self.shop = shop; self.violationId = violationId; self.attempt = attempt
        }
    }

    /// Appends one record; returns false when the file cannot be written (the caller says so).
    @discardableResult
    public static func append(_ r: Record, to path: String) -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(r) else { return false }
        data.append(0x0A)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == data.count
    }

    /// Every record in the file, oldest first; lines that are not records are skipped and
    /// counted.
    public static func read(_ path: String) throws -> (records: [Record], unreadable: Int) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var out: [Record] = [], bad = 0
        for line in data.split(separator: 0x0A) where !line.isEmpty {
            if let r = try? JSONDecoder().decode(Record.self, from: Data(line)) { out.append(r) } else { bad += 1 }
        }
        return (out, bad)
    }

    /// A filed appeal, when this process runs inside a served session.
    static func appealFiled(_ e: AppealEntry, folder: String) {
        let env = ProcessInfo.processInfo.environment
        guard let path = env[pathVariable], !path.isEmpty else { return }
        append(Record(event: "appeal", user: env[userVariable], shop: (folder as NSString).lastPathComponent,
                      violationId: e.violationId, attempt: e.attempt), to: path)
    }
}
