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
