import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// The appeal form (terminal-ui.md "Appeal form"): the violation, the reasons as a visible
/// list, a statement that wraps (`TextBox`, the same rows the reducer moves the caret by),
/// evidence paths relative to the data folder with the folder's names offered, the operator,
/// and always the next key to press. 76 columns wide at every size (80x24 is the least).
enum AppealFormView {
    static let width = 76, labelWidth = 16

    static func draw(_ c: inout Canvas, _ s: AppState, _ f: AppealForm) {
        let l = s.lang
        let inner = Overlays.box(&c, width: width, height: 20, title: l.t("申诉 Appeal · \(f.violationId) · attempt \(f.attempt)", "申诉 · \(f.violationId) · 第 \(f.attempt) 次"))
        let v = s.report.violations.first { $0.violationId == f.violationId }
        var y = inner.y
        let x = inner.x + 1, w = inner.width - 2
        let lw = labelWidth, fw = w - lw
        if let v {
            c.text(l.t("\(v.rule) · \(v.status) · \(v.points) points · appeals left \(v.appealsLeft)", "\(v.rule) · \(v.status) · 扣 \(v.points) 分 · 剩 \(v.appealsLeft) 次申诉"), x: x, y: y, maxWidth: w); y += 1
            c.text(l.t("measures: ", "处罚措施：") + (v.measures.isEmpty ? "—" : v.measures.joined(separator: "、")), x: x, y: y, role: .dim, maxWidth: w); y += 1
        }
        y += 1
        func label(_ t: String, _ field: AppealForm.Field) {
            c.text(DisplayWidth.pad(t, to: lw - 1), x: x, y: y, role: f.field == field ? .titleFocus : .header)
        }
        label(l.t("理由 reason", "申诉理由"), .reason)
        let reasons = s.appealReasons.isEmpty ? ["其他"] : s.appealReasons
        let reason = reasons[min(f.reasonIndex, reasons.count - 1)]
        // Every reason visible, the chosen one marked: not a hidden spinner.
        var rx = x + lw, ry = y
        for (i, r) in reasons.enumerated() {
            let item = (i == f.reasonIndex ? "● " : "○ ") + r
            if rx + DisplayWidth.of(item) > x + w, rx > x + lw { rx = x + lw; ry += 1 }
            c.text(item, x: rx, y: ry, role: i == f.reasonIndex ? (f.field == .reason ? .selection : .accent) : .dim)
            rx += DisplayWidth.of(item) + 2
        }
        y = ry + 2
        var caretPos: (Int, Int)? = nil
        func textField(_ t: String, _ field: AppealForm.Field, lines: Int, value: String) {
            label(t, field)
            let box = TextBox(value, width: fw)
            let caretRow = f.field == field ? box.row(of: min(f.caret, value.count)) : box.rows.count - 1
            let firstShown = max(0, min(caretRow - lines + 1, box.rows.count - lines))
            for i in 0..<lines {
                let ri = firstShown + i
                c.buffer.fill(Rect(x: x + lw, y: y + i, width: fw, height: 1), style: c.theme[.input])
                if ri < box.rows.count { c.text(box.text(ofRow: ri), x: x + lw, y: y + i, role: .input, maxWidth: fw) }
            }
            if box.rows.count > lines {
                c.text(l.t("\(box.rows.count) lines", "共 \(box.rows.count) 行"), x: x, y: y + 1, role: .dim, maxWidth: lw - 1)
            }
            if f.field == field {
                // The real terminal cursor sits at the caret so an IME box appears there.
                caretPos = (x + lw + min(fw - 1, box.column(of: min(f.caret, value.count))), y + caretRow - firstShown)
            }
            y += lines
            if let e = f.errors[field] { c.text(e, x: x + lw, y: y, role: .error, maxWidth: fw) }
            y += 1
        }
        textField(l.t("说明 statement", "申诉说明"), .statement, lines: 4, value: f.statement)
        textField(l.t("证据 evidence", "证据文件"), .evidence, lines: 2, value: f.evidence)
        if f.errors[.evidence] == nil {
            // Where relative paths start, and what the folder holds for the path being typed.
            let last = f.evidence.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            let names = f.field == .evidence && !last.trimmingSpaces().isEmpty ? s.evidenceCompletions(last.trimmingSpaces()) : []
            let hint = names.isEmpty ? l.t("paths relative to ", "路径相对于 ") + s.folder + l.t(" (one a line)", "（每行一个）")
                                     : l.t("Tab: ", "Tab 补全：") + names.prefix(6).joined(separator: "  ")
            c.text(hint, x: x + lw, y: y - 1, role: .dim, maxWidth: fw)
        }
        textField(l.t("运营 operator", "经办人"), .operatorName, lines: 1, value: f.operatorName)
        let submit = l.t("[ 提交 Submit ]", "[ 提交 ]")
        c.text(submit, x: x + lw, y: y, role: f.field == .submit ? .selection : .accent)
        c.text(f.filing ? l.t("filing…", "提交中…") : nextKey(f, l), x: x + lw + DisplayWidth.of(submit) + 2, y: y, role: .dim, maxWidth: fw - DisplayWidth.of(submit) - 2)
        if let failure = f.failure {
            // Why the last submit did not file; the text above is all still there.
            for (i, piece) in wrap(l.t("not filed: ", "未提交：") + failure, w).prefix(2).enumerated() {
                c.text(piece, x: x, y: y + 1 + i, role: .error, maxWidth: w)
            }
        }
        if f.confirming {
            confirmation(&c, s, f, reason: reason)
        } else if let p = caretPos {
            c.buffer.cursor = (x: p.0, y: p.1)
        }
    }

    /// The next key for the field in focus, always on screen.
    static func nextKey(_ f: AppealForm, _ l: Lang) -> String {
        switch f.field {
        case .reason: return l.t("↑↓ choose · Tab next · Esc cancel", "↑↓ 选择 · Tab 下一项 · Esc 取消")
        case .statement: return l.t("type · Enter new line · Tab next", "输入 · Enter 换行 · Tab 下一项")
        case .evidence: return l.t("optional · Tab completes / next", "可不填 · Tab 补全/下一项")
        case .operatorName: return l.t("Tab next · Esc cancel", "Tab 下一项 · Esc 取消")
        case .submit: return l.t("Enter review · Shift-Tab back", "Enter 确认 · Shift-Tab 返回")
        }
    }

    /// Everything that will be written, the statement whole (wrapped, never cut).
    static func confirmation(_ c: inout Canvas, _ s: AppState, _ f: AppealForm, reason: String) {
        let l = s.lang
        let w = min(c.buffer.width - 2, 78)
        let tw = w - 4
        var lines: [(String, Theme.Role)] = [
            (l.t("violation \(f.violationId), attempt \(f.attempt), reason \(reason)", "违规 \(f.violationId)，第 \(f.attempt) 次，理由 \(reason)"), .text),
            (l.t("statement:", "申诉说明："), .header),
        ]
        for para in f.statement.trimmingSpaces().split(separator: "\n", omittingEmptySubsequences: false) {
            for piece in wrap(String(para), tw - 2) { lines.append(("  " + piece, .text)) }
        }
        lines.append((l.t("evidence: ", "证据：") + (f.evidencePaths.isEmpty ? "—" : f.evidencePaths.joined(separator: ", ")), .text))
        lines.append((l.t("operator: ", "经办人：") + f.operatorName.trimmingSpaces(), .text))
        let maxBody = c.buffer.height - 6
        if lines.count > maxBody {
            // A statement taller than the terminal: the rows that fit, and how many follow.
            let hidden = lines.count - maxBody + 1
            lines = Array(lines.prefix(maxBody - 1)) + [(l.t("… \(hidden) more lines (enlarge the terminal to see them all)", "… 另有 \(hidden) 行（放大终端可全部查看）"), .warning)]
        }
        lines.append(("", .text))
        lines.append((l.t("y / Enter: write to the journal · any other key: back to the form", "y / Enter：写入申诉记录 · 其他键：返回表单"), .warning))
        let inner = Overlays.box(&c, width: w, height: lines.count + 2, title: l.t("write this appeal? 确认提交", "确认提交这份申诉？"))
        for (i, (text, role)) in lines.enumerated() where i < inner.height {
            c.text(text, x: inner.x + 1, y: inner.y + i, role: role, maxWidth: inner.width - 2)
        }
    }
}
