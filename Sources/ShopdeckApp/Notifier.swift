import CCurl
import Crypto
import Foundation
import GRDB
import ShopdeckModel
import ShopdeckRules

/// Sends alert batches to DingTalk, Feishu, WeCom robots and plain webhooks (terminal-ui.md,
/// Alerts), one message per destination per batch, each destination on its own so a slow or
/// failing one never delays the others. Secrets sign requests and never appear in a log or an
/// error (`NotifyTarget.label` names a destination).
public enum Notifier {
    /// One HTTP request.
    public struct Request: Equatable {
        public var url: String
        public var body: Data
    }

    /// The DingTalk signature: Base64(HMAC-SHA256(key: secret, "timestamp\nsecret")),
    /// URL-encoded (the custom robot's 加签).
    public static func dingtalkSign(timestampMs: Int64, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestampMs)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let b64 = Data(mac).base64EncodedString()
        return b64.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? b64
    }

    /// The Feishu signature: Base64(HMAC-SHA256 keyed with "timestamp\nsecret" over an empty
    /// message) (the custom bot's 签名校验).
    public static func feishuSign(timestampS: Int64, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data("\(timestampS)\n\(secret)".utf8)))
        return Data(mac).base64EncodedString()
    }

    static func json(_ o: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    /// The request carrying `events` to `target`, signed at `nowMs` (epoch milliseconds).
    public static func request(_ events: [AlertEvent], to target: NotifyTarget, nowMs: Int64) -> Request {
        let text = events.map(\.message).joined(separator: "\n")
        switch target.kind {
        case .dingtalk:
            var url = target.url
            if let secret = target.secret {
                url += (url.contains("?") ? "&" : "?") + "timestamp=\(nowMs)&sign=\(dingtalkSign(timestampMs: nowMs, secret: secret))"
            }
            return Request(url: url, body: json(["msgtype": "text", "text": ["content": text]]))
        case .feishu:
            var body: [String: Any] = ["msg_type": "text", "content": ["text": text]]
            if let secret = target.secret {
                let ts = nowMs / 1000
                body["timestamp"] = "\(ts)"
                body["sign"] = feishuSign(timestampS: ts, secret: secret)
            }
            return Request(url: target.url, body: json(body))
        case .wecom:
            return Request(url: target.url, body: json(["msgtype": "text", "text": ["content": text]]))
        case .webhook:
            let list: [[String: Any]] = events.map { e in
                var o: [String: Any] = ["kind": e.kind.rawValue, "shop": e.shop, "id": e.id, "message": e.message]
                o["deadline"] = e.deadline.map(CST.format) ?? NSNull()
                o["hours_left"] = e.hoursLeft ?? NSNull()
                return o
            }
            return Request(url: target.url, body: json(["events": list, "count": list.count]))
        }
    }

    /// POSTs `r`; nil on a 2xx answer, else why not (never the URL's query or the secret).
    /// Through the system's libcurl, opened at the first request (`ccurl_post`): Foundation's
    /// `URLSession` links libcurl and thirty libraries into every process, 16 ms at each start
    /// of a `report` or a `check` that never posts (issue 18).
    public static func post(_ r: Request, label: String, timeout: TimeInterval = 10) -> String? {
        guard let url = URL(string: r.url), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            return "\(label): not a URL"
        }
        var status = 0, answerLength = 0
        var answer = [CChar](repeating: 0, count: 16_384)
        var why = [CChar](repeating: 0, count: 512)
        let sent = r.body.withUnsafeBytes { body in
            ccurl_post(r.url, body.baseAddress, body.count, Int(timeout * 1000), &status, &answer, answer.count, &answerLength, &why, why.count)
        }
        guard sent == 0 else { return "\(label): \(String(decoding: why.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))" }
        return outcome(status: status, body: Data(answer.prefix(answerLength).map { UInt8(bitPattern: $0) }), label: label)
    }

    /// What an answer means: nil when delivered (a 2xx status whose body, if it is a JSON
    /// object, carries no error code), else why not. DingTalk and WeCom answer 200 with
    /// `errcode`/`errmsg` in the body, Feishu with `code`/`msg` (or the older `StatusCode`).
    public static func outcome(status: Int, body: Data, label: String) -> String? {
        guard (200..<300).contains(status) else { return "\(label): HTTP \(status)" }
        guard let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let code = (o["errcode"] ?? o["code"] ?? o["StatusCode"]) as? Int, code != 0 else { return nil }
        return "\(label): refused (code \(code)\((o["errmsg"] ?? o["msg"]).map { ": \($0)" } ?? ""))"
    }

    /// Sends each destination's batch, every destination at once; a failing one is retried
    /// with back-off (`delays`) and never holds the others up. Returns each destination's
    /// outcome (nil: delivered), in the order of `batches`.
    public static func deliver(_ batches: [(NotifyTarget, [AlertEvent])], nowMs: Int64, delays: [TimeInterval] = [0.5, 2, 5],
                               log: @escaping @Sendable (String) -> Void) -> [String?] {
        final class Slot: @unchecked Sendable { var outcome: String? }
        let slots = batches.map { _ in Slot() }
        DispatchQueue.concurrentPerform(iterations: batches.count) { i in
            let (target, events) = batches[i]
            let req = request(events, to: target, nowMs: nowMs)
            var outcome = post(req, label: target.label)
            for d in delays where outcome != nil {
                log("alert to \(target.label) failed (\(outcome!)); retrying in \(d) s")
                Thread.sleep(forTimeInterval: d)
                outcome = post(request(events, to: target, nowMs: nowMs + Int64(d * 1000)), label: target.label)
            }
            slots[i].outcome = outcome
            log(outcome == nil ? "sent \(events.count) alert\(events.count == 1 ? "" : "s") to \(target.label)" : "not sent to \(target.label): \(outcome!)")
        }
        return slots.map(\.outcome)
    }
}

/// What was sent, per shop, in `.shopdeck/alerts.sqlite`: a destination never gets the same
/// event twice, across reloads, restarts and `--once` runs. A destination is recorded by a
/// hash of its kind and URL (never the URL or the secret itself).
public enum AlertLog {
    public static func path(folder: String) -> String { folder + "/.shopdeck/alerts.sqlite" }

    public static func destination(_ t: NotifyTarget) -> String {
        SHA256.hash(data: Data((t.kind.rawValue + " " + t.url).utf8)).map { String(format: "%02x", $0) }.joined().prefix(24).description
    }

    /// The log to write (created when missing).
    static func open(folder: String) throws -> DatabaseQueue {
        let p = path(folder: folder)
        var config = Configuration()
        config.busyMode = .timeout(10)
        if let why = History.unwritable(folder: folder) { throw AppealJournal.Failure.readOnly(why) }
        try FileManager.default.createDirectory(atPath: folder + "/.shopdeck", withIntermediateDirectories: true)
        let q = try DatabaseQueue(path: p, configuration: config)
        try q.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
        try q.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS sent (destination TEXT NOT NULL, key TEXT NOT NULL, sent_at TEXT NOT NULL, PRIMARY KEY (destination, key))")
        }
        return q
    }

    /// The keys already sent to `destination` from `folder`'s shop.
    public static func sent(folder: String, destination: String) throws -> Set<String> {
        let p = path(folder: folder)
        guard case .regular = FileReader.entryKind(p) else { return [] }
        var config = Configuration()
        config.busyMode = .timeout(10)
        // A log beside a hot journal (a sender killed mid-write) is read as its last commit.
        return try ReadOnlyDatabase(path: p, configuration: config).read { db in
            guard try db.tableExists("sent") else { return [] }
            return Set(try String.fetchAll(db, sql: "SELECT key FROM sent WHERE destination = ?", arguments: [destination]))
        }
    }

    public static func record(folder: String, destination: String, keys: [String], at: Instant) throws {
        let q = try open(folder: folder)
        try q.write { db in
            for k in keys {
                try db.execute(sql: "INSERT OR IGNORE INTO sent (destination, key, sent_at) VALUES (?, ?, ?)", arguments: [destination, k, CST.format(at)])
            }
        }
    }
}
