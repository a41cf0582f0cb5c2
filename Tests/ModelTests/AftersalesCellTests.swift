import Foundation
import Testing
@testable import ShopdeckModel

/// After-sales kinds and statuses are read as bytes (issue 18): every accepted spelling, the
/// open-platform codes, trimming, absent markers and the exact messages for unknown values.
@Suite("After-sales kinds and statuses")
struct AftersalesCellTests {
    @Test func everySpellingCodeAndMessage() {
        let dir = makeFolder(["aftersales.csv": """
        refund_id,order_id,kind,applied_at,status
        R1,O1,仅退款,2023-03-01 10:00:00,处理中
        R2,O1, 退货退款 ,2023-03-01 10:00:00,售后处理中
        R3,O1,换货,2023-03-01 10:00:00,已完结
        R4,O1,10,2023-03-01 10:00:00,退款成功
        R5,O1,1,2023-03-01 10:00:00,售后成功
        R6,O1,3,2023-03-01 10:00:00,60
        R7,O1,仅退款,2023-03-01 10:00:00,已关闭
        R8,O1,仅退款,2023-03-01 10:00:00,售后关闭
        R9,O1,仅退款,2023-03-01 10:00:00,售后失败
        R10,O1,仅退款,2023-03-01 10:00:00,退款失败
        R11,O1,仅退款,2023-03-01 10:00:00,70
        R12,O1,仅退款,2023-03-01 10:00:00,20
        R13,O1,仅退款,2023-03-01 10:00:00,21
        R14,O1,仅退款,2023-03-01 10:00:00,22
        R15,O1,仅退款,2023-03-01 10:00:00,23
        R16,O1,仅退款,2023-03-01 10:00:00,—
        R17,O1,仅退款,2023-03-01 10:00:00,
        R18,O1,仅退款,2023-03-01 10:00:00,9999
        R19,O1,仅退款,2023-03-01 10:00:00,12345
        R20,O1,退款,2023-03-01 10:00:00,处理中
        R21,O1,-,2023-03-01 10:00:00,处理中
        R22,O1,仅退款 ,2023-03-01 10:00:00,　已完结　
        R23,O1,仅退款,2023-03-01 10:00:00,处理中了
        """])
        let s = DataLoader.load(folder: dir)
        let got = Dictionary(uniqueKeysWithValues: s.refunds.map { ($0.refundId, "\($0.kind.rawValue) \($0.status) \($0.platformIntervened)") })
        #expect(got == [
            "R1": "仅退款 open false", "R2": "退货退款 open false", "R3": "换货 completed false",
            "R4": "仅退款 completed false", "R5": "退货退款 completed false", "R6": "换货 completed false",
            "R7": "仅退款 closed false", "R8": "仅退款 closed false", "R9": "仅退款 closed false",
            "R10": "仅退款 closed false", "R11": "仅退款 closed false",
            "R12": "仅退款 open true", "R13": "仅退款 open true", "R14": "仅退款 open true", "R15": "仅退款 open false",
            "R16": "仅退款 open false", "R17": "仅退款 open false", "R18": "仅退款 open false", "R22": "仅退款 completed false",
        ])
        #expect(s.errors.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.reason)" } == [
            "20:5 status: unknown after-sales status '12345'; accepted: 处理中/售后处理中, 已完结/退款成功/售后成功, 已关闭/售后关闭/售后失败/退款失败, or open-platform codes",
            "21:3 kind: unknown after-sales kind '退款'; accepted: 仅退款, 退货退款, 换货 (handlingWay 10, 1, 3)",
            "22:3 kind: required cell is empty",
            "24:5 status: unknown after-sales status '处理中了'; accepted: 处理中/售后处理中, 已完结/退款成功/售后成功, 已关闭/售后关闭/售后失败/退款失败, or open-platform codes",
        ])
    }
}
