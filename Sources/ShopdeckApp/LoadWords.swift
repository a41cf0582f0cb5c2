import Foundation
import ShopdeckModel

/// Load errors and warnings as the screens show them (terminal-ui.md, Language): the file's
/// own column header instead of the engine's column code (`promised_ship_at (承诺发货时间)`
/// shows as `承诺发货时间`), and in the Chinese UI the reason in Chinese. The JSON and `check`
/// keep the engine's wording.
public enum LoadWords {
    /// A load's progress: `files 1/3 · 412,000 rows · 96/240 MB · 180 MB/s` (short enough to
    /// fit an 80-column status line beside the key hints).
    public static func progress(_ c: LoadProgress.Counts, _ l: Lang) -> String {
        let mb = { (b: Int) in String(format: "%.0f", Double(b) / 1_048_576) }
        let rate = String(format: "%.0f", c.megabytesPerSecond)
        return l.t("files \(c.files)/\(c.totalFiles) · \(Format.int(c.rows)) rows · \(mb(c.bytes))/\(mb(c.totalBytes)) MB · \(rate) MB/s",
                   "文件 \(c.files)/\(c.totalFiles) · \(Format.int(c.rows)) 行 · \(mb(c.bytes))/\(mb(c.totalBytes)) MB · \(rate) MB/s")
    }

    public static func describe(_ e: LoadError, _ l: Lang) -> String {
        var loc = e.file
        if let line = e.line { loc += ":\(line)" }
        if let col = e.column { loc += ":\(col)" }
        return loc + ": " + reason(e.reason, l)
    }

    public static func reason(_ text: String, _ l: Lang) -> String {
        var head = "", why = text
        // "code (表头): why" or "code: why" where code is the engine's column name.
        if let m = text.wholeMatch(of: /([a-z][a-z0-9_]*)(?: \(([^)]*)\))?: (.*)/),
           let shown = m.output.2.map(String.init) ?? ColumnWords.name(String(m.output.1)) {
            head = shown
            why = String(m.output.3)
        }
        // "order_id (accepted: order_id, 订单号, …)" in a missing-columns message: the header.
        why = why.replacing(/([a-z][a-z0-9_]*) \(accepted: [^)]*\)/) { m in ColumnWords.name(String(m.output.1)) ?? String(m.output.1) }
        let said = l == .zh ? zh(why) : why
        return head.isEmpty ? said : head + (l == .zh ? "：" : ": ") + said
    }

    /// The engine's reasons in Chinese, pattern by pattern; a reason not listed stays as it is.
    static func zh(_ why: String) -> String {
        var w = why
        var suffix = ""
        if w.hasSuffix("; read as absent") { w.removeLast("; read as absent".count); suffix = "；按缺失处理" }
        for (re, make) in rules {
            if let m = try? re.wholeMatch(in: w) { return make(m.output) + suffix }
        }
        return w + suffix
    }

    /// What a skipped entry is, in Chinese (`FileReader.EntryKind`'s words; the system's
    /// reason for a link to nothing stays as the system says it).
    static func entry(_ en: String) -> String {
        switch en {
        case "a FIFO (named pipe)": return "命名管道（FIFO）"
        case "a device": return "设备文件"
        case "a folder": return "文件夹"
        case "a socket": return "套接字"
        default:
            if let m = en.wholeMatch(of: /a link to nothing readable \((.*)\)/) { return "指向不存在目标的链接（\(m.output.1)）" }
            return en
        }
    }

    /// The patterns, compiled once (the warnings screen says every error again each frame).
    /// An immutable `let`; `Regex` is not marked `Sendable` but matching never mutates it.
    nonisolated(unsafe) static let rules: [(Regex<AnyRegexOutput>, @Sendable (AnyRegexOutput) -> String)] = [
            (try! Regex(#"^cannot read (.+) as money.*$"#), { "无法把 \($0[1].substring ?? "") 读作金额（如 59.90、¥59.90、￥1,299.90；0 至 10^12 元以下）" }),
            (try! Regex(#"^cannot read (.+) as hours.*$"#), { "无法把 \($0[1].substring ?? "") 读作小时数（如 24、48h、24小时、3天；1 至 8760 小时）" }),
            (try! Regex(#"^cannot read (.+) as a time.*$"#), { "无法把 \($0[1].substring ?? "") 读作时间（如 2025-03-06 15:43:00、2025/3/6 15:43、13 位毫秒时间戳；1970 至 2099 年）" }),
            (try! Regex(#"^cannot read (.+) as a whole number.*$"#), { "无法把 \($0[1].substring ?? "") 读作 0 至 1,000,000,000 的整数" }),
            (try! Regex(#"^cannot read (.+) as whole points.*$"#), { "无法把 \($0[1].substring ?? "") 读作扣分（0 至 1,000,000,000 的整数）" }),
            (try! Regex(#"^cannot read (.+) as yes/no.*$"#), { "无法把 \($0[1].substring ?? "") 读作是/否（是/否、Y/N、1/0）" }),
            (try! Regex(#"^the id (.+) is in scientific notation.*$"#), { "编号 \($0[1].substring ?? "") 是科学计数法：表格软件已把长数字四舍五入，位数丢失，无法对应到订单；请从后台重新导出，或保存前把该列设为文本（Excel：选中该列 › 设置单元格格式 › 文本）" }),
            (try! Regex(#"^unknown order status (.+); accepted: .*$"#), { "未知的订单状态 \($0[1].substring ?? "")；可接受：待付款、待发货/已付款、已发货、已签收/已收货/交易成功、已关闭/交易关闭/已取消/订单失败" }),
            (try! Regex(#"^unknown after-sales status (.+); accepted: .*$"#), { "未知的售后状态 \($0[1].substring ?? "")；可接受：处理中、已完结/退款成功/售后成功、已关闭/售后关闭/售后失败/退款失败" }),
            (try! Regex(#"^unknown after-sales kind (.+); accepted: .*$"#), { "未知的售后类型 \($0[1].substring ?? "")；可接受：仅退款、退货退款、换货" }),
            (try! Regex(#"^unknown (violation status|coupon type|report result|activity status|merchant decision|penalised party|product source|sector|mini sector|scope) (.+?)(?:; accepted: (.*))?$"#), {
                "未知的\(kind(String($0[1].substring ?? ""))) \($0[2].substring ?? "")" + ($0[3].substring.map { "；可接受：" + $0 } ?? "") }),
            (try! Regex(#"^required amount is empty$"#), { _ in "必填金额为空" }),
            (try! Regex(#"^required time is empty \(0 means the order cannot ship yet\)$"#), { _ in "必填时间为空（0 表示订单尚不能发货）" }),
            (try! Regex(#"^required time is empty$"#), { _ in "必填时间为空" }),
            (try! Regex(#"^required cell is empty$"#), { _ in "必填单元格为空" }),
            (try! Regex(#"^holds bytes that are not valid in the file's encoding.*$"#), { _ in "含有不符合文件编码的字节（文件已损坏或混用了编码）：请重新导出，或另存为 UTF-8" }),
            (try! Regex(#"^data folder not found or not a folder$"#), { _ in "数据文件夹不存在或不是文件夹" }),
            (try! Regex(#"^missing required columns? (.+); file skipped$"#), { "缺少必需的列 \(($0[1].substring.map(String.init) ?? "").replacingOccurrences(of: "; ", with: "、"))；已跳过该文件" }),
            (try! Regex(#"^not recognised: the name starts with none of (.*)$"#), { "无法识别：文件名不以以下任何一个开头：\($0[1].substring ?? "")" }),
            (try! Regex(#"^skipped: this is (.+), not a regular file; only regular files are read$"#), { (m: AnyRegexOutput) -> String in
                let what: String = m[1].substring.map(String.init) ?? ""
                return "已跳过：这是" + LoadWords.entry(what) + "，不是普通文件；只读取普通文件"
            }),
            (try! Regex(#"^the file ends inside a character.*$"#), { _ in "文件在一个字符中间结束（写入或复制时被截断）：最后一行不完整，未读取" }),
            (try! Regex(#"^the file is empty: no header row$"#), { _ in "文件为空：没有表头行" }),
            (try! Regex(#"^the last line has no line end.*$"#), { _ in "最后一行没有换行符：文件可能仍在写入；最后一行按原样读取" }),
            (try! Regex(#"^the workbook holds no rows$"#), { _ in "工作簿没有数据行" }),
            (try! Regex(#"^an older after-sales export without 售后单号.*$"#), { _ in "旧版售后导出（没有售后单号）：每行的编号为 订单号@申请时间" }),
            (try! Regex(#"^this is a Douyin \(抖店\) order export.*$"#), { _ in "这是抖店的订单导出，不是快手的：请从快手小店后台下载订单导出（订单管理 › 批量导出）" }),
            (try! Regex(#"^this is a Douyin \(抖店\) after-sales export.*$"#), { _ in "这是抖店的售后导出，不是快手的：请从快手小店后台下载售后导出（售后管理 › 批量导出）" }),
            (try! Regex(#"^this is an ERP's order export.*$"#), { _ in "这是 ERP（聚水潭）的订单导出，其状态和时间是 ERP 自己的：请从快手小店后台下载订单导出（订单管理 › 批量导出）" }),
    ]

    static func kind(_ en: String) -> String {
        ["violation status": "违规状态", "coupon type": "券类型", "report result": "举报结果", "activity status": "活动状态",
         "merchant decision": "商家处理结果", "penalised party": "处罚对象", "product source": "商品来源", "sector": "类目",
         "mini sector": "细分类目", "scope": "范围"][en] ?? en
    }
}

/// The engine's column codes as an operator knows them: the export's usual (first Chinese)
/// header from the schema.
enum ColumnWords {
    static let headers: [String: String] = {
        var out: [String: String] = [:]
        for kind in TableKind.allCases {
            for spec in Schemas.columns(kind) where out[spec.name] == nil {
                if let cjk = spec.aliases.first(where: { $0.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } }) { out[spec.name] = cjk }
            }
        }
        return out
    }()

    /// The header for a column code; nil when `code` is not one (then the text is not a
    /// column's message).
    static func name(_ code: String) -> String? { headers[code] }
}
