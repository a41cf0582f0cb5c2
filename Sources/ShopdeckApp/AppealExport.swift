import Foundation
import ShopdeckModel
import ShopdeckRules

/// The appeals as a CSV ready for the backend upload: Chinese headers, UTF-8 with BOM so
/// Excel opens it, and every cell safe to open in a spreadsheet.
public enum AppealExport {
    public static let headers = ["违规编号", "申诉次数", "申诉时间", "申诉理由", "申诉说明", "证据材料", "提交人"]

    public static func csv(_ entries: [AppealEntry]) -> [UInt8] {
        var lines = [headers.map(field).joined(separator: ",")]
        for e in entries {
            lines.append([e.violationId, "\(e.attempt)", CST.format(e.filedAt), e.reason, e.statement,
                          e.evidence.joined(separator: "；"), e.operatorName].map(field).joined(separator: ","))
        }
        return [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// A cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
    /// tab or a carriage return) gets a leading `'` (CSV injection, OWASP); then RFC 4180 quoting.
    public static func field(_ s: String) -> String {
        var v = s
        if let f = v.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"].contains(Character(f)) { v = "'" + v }
        if v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
