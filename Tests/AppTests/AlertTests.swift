import Foundation
import TestScratch
import Testing
import ShopdeckModel
import ShopdeckRules
@testable import ShopdeckApp

/// Alert events from a report, their identity, and the destinations' configuration.
@Suite("Alerts")
struct AlertTests {
    @Test func eventsNameTheShopTheRowAndTheDeadline() throws {
        let dir = Scratch.folder("alerts")
        try "order_id,paid_at,promised_ship_at,status\nA1,2023-03-05 13:00:00,2023-03-06 13:00:00,待发货\nL1,2023-03-04 09:00:00,2023-03-05 09:00:00,待发货\n"
            .write(toFile: dir + "/orders.csv", atomically: true, encoding: .utf8)
        try "violation_id,notified_at,rule,status,appeal_deadline\nV1,2023-03-05 10:00:00,超时未发货,待处理,2023-03-06 20:00:00\n"
            .write(toFile: dir + "/violations.csv", atomically: true, encoding: .utf8)
        let r = try Workspace.open(folder: dir).report(asOf: CST.instant(year: 2023, month: 3, day: 6, hour: 10))
        let events = Alerts.events(r, shop: "小店")
        #expect(events.map(\.kind) == [.orderAtRisk, .orderLate, .violationAppealable, .appealDeadlineSoon])
        #expect(events[0].key == "order_at_risk|A1|2023-03-06 13:00:00")
        #expect(events[0].message == "【小店】订单 A1 将于 2023-03-06 13:00:00 超时未发货（还剩 3.0 小时）")
        #expect(events[3].message == "【小店】违规 V1 的申诉将于 2023-03-06 20:00:00 截止（还剩 10.0 小时）")
        // A new deadline (after a delay report) is a new event.
        var moved = events[0]; moved.deadline = CST.instant(year: 2023, month: 3, day: 7, hour: 13)
        #expect(moved.key != events[0].key)
    }

    @Test func anAlertLogLeftByAKilledSenderIsReadAsItsLastCommit() throws {
        let live = Scratch.folder("alertlog")
        let d = live + "-crashed"
        try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: true)
        try AlertLog.record(folder: live, destination: "dest", keys: ["a", "b"], at: CST.instant(year: 2023, month: 3, day: 6, hour: 10))
        try leaveACrashedWriter(of: AlertLog.path(folder: live), at: AlertLog.path(folder: d))
        #expect(sqliteRefusesAReadOnlyReader(AlertLog.path(folder: d)))
        // Never "nothing sent" (every alert again) nor an error that stops the watch.
        #expect(try AlertLog.sent(folder: d, destination: "dest") == ["a", "b"])
        try AlertLog.record(folder: d, destination: "dest", keys: ["c"], at: CST.instant(year: 2023, month: 3, day: 6, hour: 11))
        #expect(try AlertLog.sent(folder: d, destination: "dest") == ["a", "b", "c"])
    }

    /// A robot's answer read as it words it: DingTalk and WeCom say `errcode`, Feishu `code` (or
    /// the older `StatusCode`), with HTTP 200 either way.
    @Test func answersAreReadAsTheRobotsWordThem() {
        func said(_ status: Int, _ body: String) -> String? { Notifier.outcome(status: status, body: Data(body.utf8), label: "群") }
        #expect(said(200, #"{"errcode":0,"errmsg":"ok"}"#) == nil)
        #expect(said(200, #"{"errcode":310000,"errmsg":"sign not match"}"#) == "群: refused (code 310000: sign not match)")
        #expect(said(200, #"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#)
                == "群: refused (code 19021: sign match fail or timestamp is not within one hour from current time)")
        #expect(said(200, #"{"StatusCode":0,"StatusMessage":"success"}"#) == nil)
        #expect(said(200, #"{"errcode":93000}"#) == "群: refused (code 93000)")
        #expect(said(204, "") == nil)
        #expect(said(200, "ok") == nil)
        #expect(said(404, #"{"errcode":0}"#) == "群: HTTP 404")
        #expect(said(500, "") == "群: HTTP 500")
    }

    /// A request that reaches nothing says why in libcurl's words, never with the URL's query
    /// (the token and the signature); a URL that is not HTTP(S) is refused before any request.
    @Test func aFailedPostSaysWhyWithoutTheSecret() throws {
        // A port just released: nothing listens there.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        close(fd)
        try #require(bound)
        let port = UInt16(bigEndian: addr.sin_port)
        let r = Notifier.Request(url: "http://127.0.0.1:\(port)/robot/send?access_token=T0KEN&sign=S1GN", body: Data("{}".utf8))
        #expect(Notifier.post(r, label: "钉钉群", timeout: 5) == "钉钉群: Couldn't connect to server")
        #expect(Notifier.post(Notifier.Request(url: "ftp://127.0.0.1/x?access_token=T0KEN", body: Data()), label: "钉钉群") == "钉钉群: not a URL")
    }

    @Test func destinationsAreValidated() throws {
        let ok = try ShopConfig.parse("[[notify]]\nkind = \"dingtalk\"\nurl = \"https://oapi.dingtalk.com/robot/send?access_token=x\"\nsecret = \"SEC1\"\nevents = [\"order_late\"]\nmin_interval = 60\n", file: "f")
        #expect(ok.notify == [{ var t = NotifyTarget(kind: .dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=x", secret: "SEC1"); t.events = ["order_late"]; t.minInterval = 60; return t }()])
        #expect(ok.notify[0].label == "dingtalk (oapi.dingtalk.com)")
        for bad in ["[[notify]]\nkind = \"slack\"\nurl = \"https://x\"\n", "[[notify]]\nkind = \"wecom\"\nurl = \"ftp://x\"\n",
                    "[[notify]]\nkind = \"wecom\"\nurl = \"https://x\"\nevents = [\"order_lat\"]\n", "[[notify]]\nkind = \"wecom\"\nurl = \"https://x\"\nsecrt = \"s\"\n",
                    "[ui]\nbell = \"yes\"\n"] {
            #expect(throws: (any Error).self) { _ = try ShopConfig.parse(bad, file: "f") }
        }
        do { _ = try ShopConfig.parse("[[notify]]\nkind = \"wecom\"\nurl = \"https://x\"\nevents = [\"order_lat\"]\n", file: "f") } catch {
            #expect("\(error)" == "f: notify[0]: unknown event 'order_lat'; did you mean 'order_late'?")
        }
    }

    @Test func signaturesFollowTheRobotsDocumentation() {
        // DingTalk: URL-encoded Base64 of HMAC-SHA256(secret, "timestamp\nsecret"); Feishu:
        // Base64 of HMAC-SHA256 keyed with "timestamp\nsecret" over nothing. The expected
        // values were computed with Python's hmac module, not with this code.
        #expect(Notifier.dingtalkSign(timestampMs: 1_577_808_000_000, secret: "SECabc") == "d8MiemiW5bT%2FXT2zgWrhyRQdANlJ4zkTa39rkwaldRU%3D")
        #expect(Notifier.feishuSign(timestampS: 1_577_808_000, secret: "s") == "My2610c0f4cq4iMoWPiSMQU68NB2RLGSM3D0+9Tueb8=")
        let t = NotifyTarget(kind: .dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=x", secret: "SECabc")
        let r = Notifier.request([], to: t, nowMs: 1_577_808_000_000)
        #expect(r.url == "https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1577808000000&sign=" + Notifier.dingtalkSign(timestampMs: 1_577_808_000_000, secret: "SECabc"))
        let f = Notifier.request([], to: NotifyTarget(kind: .feishu, url: "https://open.feishu.cn/x", secret: "s"), nowMs: 1_577_808_000_999)
        let body = try! JSONSerialization.jsonObject(with: f.body) as! [String: Any]
        #expect(body["timestamp"] as? String == "1577808000" && body["sign"] as? String == Notifier.feishuSign(timestampS: 1_577_808_000, secret: "s"))
    }
}
