import Crypto
import Foundation
import Testing

/// `shopdeck watch --once` against a local HTTP server (issue 16): one message per destination
/// per batch, DingTalk and Feishu signatures that verify, the webhook's JSON fields, nothing
/// sent twice, a failing destination retried while the others receive.
@Suite("End to end: alerts", .serialized)
struct AlertsEndToEndTests {
    @Test func watchOnceSendsEachEventOnceToEveryDestination() throws {
        let server = try RecordingHTTPServer()
        let base = "http://127.0.0.1:\(server.port)"
        let data = Harness.tempDir("alerts")
        let now = Date()
        func cst(_ d: Date) -> String {
            let f = DateFormatter(); f.timeZone = TimeZone(identifier: "Asia/Shanghai"); f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = "yyyy-MM-dd HH:mm:ss"; return f.string(from: d)
        }
        // An order due in 3 h (at risk), a refund whose handling time ran out an hour ago.
        try "order_id,paid_at,promised_ship_at,status\nA1,\(cst(now - 21 * 3600)),\(cst(now + 3 * 3600)),待发货\n"
            .write(toFile: data + "/orders.csv", atomically: true, encoding: .utf8)
        try "refund_id,order_id,kind,applied_at,status\nR1,A0,仅退款,\(cst(now - 25 * 3600)),处理中\n"
            .write(toFile: data + "/aftersales.csv", atomically: true, encoding: .utf8)
        try """
        [shop]
        name = "测试小店"

        [[notify]]
        kind = "dingtalk"
        url = "\(base)/robot/send?access_token=T0KEN"
        secret = "SECdingtalk"

        [[notify]]
        kind = "feishu"
        url = "\(base)/open-apis/bot/v2/hook/abc"
        secret = "feishu-secret"

        [[notify]]
        kind = "wecom"
        url = "\(base)/cgi-bin/webhook/send?key=k"

        [[notify]]
        kind = "webhook"
        url = "\(base)/hook"
        events = ["order_at_risk", "aftersales_breached"]

        [[notify]]
        kind = "webhook"
        url = "\(base)/fail/hook"
        """.write(toFile: data + "/shopdeck.toml", atomically: true, encoding: .utf8)

        let first = try Harness.shopdeck(["watch", "--data", data, "--once"])
        #expect(first.status == 1, "the failing destination makes --once exit 1: \(first.stderr)")
        #expect(!first.stderr.contains("SECdingtalk") && !first.stderr.contains("feishu-secret") && !first.stderr.contains("T0KEN"))
        let reqs = server.requests
        func only(_ prefix: String) -> [RecordingHTTPServer.Request] { reqs.filter { $0.path.hasPrefix(prefix) } }
        #expect(only("/robot/send").count == 1 && only("/open-apis").count == 1 && only("/cgi-bin").count == 1 && only("/hook").count == 1)
        #expect(only("/fail").count == 4, "one try and three retries")

        // DingTalk: timestamp and sign in the query; the sign verifies with the secret.
        let ding = try #require(only("/robot/send").first)
        let q = Dictionary(uniqueKeysWithValues: URLComponents(string: base + ding.path)!.queryItems!.map { ($0.name, $0.value ?? "") })
        let ts = try #require(q["timestamp"])
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(ts)\nSECdingtalk".utf8), using: SymmetricKey(data: Data("SECdingtalk".utf8)))
        #expect(q["sign"] == Data(mac).base64EncodedString())
        let dingBody = try JSONSerialization.jsonObject(with: ding.body) as! [String: Any]
        let text = (dingBody["text"] as! [String: Any])["content"] as! String
        #expect(dingBody["msgtype"] as? String == "text")
        #expect(text.contains("【测试小店】订单 A1") && text.contains("【测试小店】售后 R1"))

        // Feishu: timestamp and sign in the body; HMAC keyed with "timestamp\nsecret" over nothing.
        let fs = try JSONSerialization.jsonObject(with: try #require(only("/open-apis").first).body) as! [String: Any]
        let fts = try #require(fs["timestamp"] as? String)
        let fmac = HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data("\(fts)\nfeishu-secret".utf8)))
        #expect(fs["sign"] as? String == Data(fmac).base64EncodedString())
        #expect(fs["msg_type"] as? String == "text")

        // The webhook: the event fields, filtered to its two kinds.
        let hook = try JSONSerialization.jsonObject(with: try #require(only("/hook").first).body) as! [String: Any]
        let events = hook["events"] as! [[String: Any]]
        #expect(Set(events.map { $0["kind"] as! String }) == ["order_at_risk", "aftersales_breached"])
        let order = try #require(events.first { $0["kind"] as? String == "order_at_risk" })
        #expect(order["shop"] as? String == "测试小店" && order["id"] as? String == "A1")
        #expect((order["hours_left"] as? Double).map { $0 > 2.9 && $0 <= 3 } == true)
        #expect(order["deadline"] as? String == cst(now + 3 * 3600))

        // A second run sends nothing new to those that received; the failing one is tried again.
        let second = try Harness.shopdeck(["watch", "--data", data, "--once"])
        #expect(second.status == 1)
        let again = server.requests
        #expect(again.filter { !$0.path.hasPrefix("/fail") }.count == reqs.filter { !$0.path.hasPrefix("/fail") }.count)
        #expect(again.filter { $0.path.hasPrefix("/fail") }.count == 8)
        // Review mode sends nothing and writes nothing.
        let ro = try Harness.shopdeck(["watch", "--data", data, "--once", "--read-only"])
        #expect(ro.status == 0 && server.requests.count == again.count)
    }
}
