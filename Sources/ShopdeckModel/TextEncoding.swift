import Foundation
#if canImport(CoreFoundation)
import CoreFoundation
#endif

/// The text encoding of one export, detected per file (data-formats.md "Text").
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case gb18030 = "gb18030"

    /// Detects the encoding from the first bytes of a file: a UTF-8 BOM, else valid UTF-8,
    /// else GB18030 (a superset of GBK, what Excel on a Chinese Windows writes).
    public static func sniff(_ head: UnsafeRawBufferPointer, isWhole: Bool) -> TextEncoding {
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { return .utf8BOM }
        return isValidUTF8(head, allowTruncatedEnd: !isWhole) ? .utf8 : .gb18030
    }

    /// Strict UTF-8 validation; a sequence cut by the end of a sample is allowed when asked.
    public static func isValidUTF8(_ b: UnsafeRawBufferPointer, allowTruncatedEnd: Bool) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let len: Int
            if c & 0xE0 == 0xC0 { len = 2; if c < 0xC2 { return false } }
            else if c & 0xF0 == 0xE0 { len = 3 }
            else if c & 0xF8 == 0xF0 { len = 4; if c > 0xF4 { return false } }
            else { return false }
            if i + len > n { return allowTruncatedEnd }
            for k in 1..<len where b[i + k] & 0xC0 != 0x80 { return false }
            if len == 3 {
                let c1 = b[i + 1]
                if c == 0xE0 && c1 < 0xA0 { return false }
                if c == 0xED && c1 >= 0xA0 { return false }
            } else if len == 4 {
                let c1 = b[i + 1]
                if c == 0xF0 && c1 < 0x90 { return false }
                if c == 0xF4 && c1 >= 0x90 { return false }
            }
            i += len
        }
        return true
    }

    /// GB18030 bytes to UTF-8 bytes, through CoreFoundation's converter.
    public static func decodeGB18030(_ bytes: [UInt8]) -> [UInt8]? {
        let raw = CFStringConvertEncodingToNSStringEncoding(CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue))
        guard let s = String(data: Data(bytes), encoding: String.Encoding(rawValue: raw)) else { return nil }
        return Array(s.utf8)
    }

    /// UTF-8 text to GB18030 bytes (the demo and the tests write such files).
    public static func encodeGB18030(_ text: String) -> [UInt8]? {
        let raw = CFStringConvertEncodingToNSStringEncoding(CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue))
        return text.data(using: String.Encoding(rawValue: raw)).map { Array($0) }
    }
}
