import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// Overlays: help, command line, filter prompt, appeal form, confirmations, messages.
enum Overlays {
    static func box(_ c: inout Canvas, width: Int, height: Int, title: String) -> Rect {
        let w = min(width, c.buffer.width - 2), h = min(height, c.buffer.height - 2)
        let r = Rect(x: (c.buffer.width - w) / 2, y: (c.buffer.height - h) / 2, width: w, height: h)
        c.buffer.fill(r, style: c.theme[.text])
        return c.pane(r, title: title, focused: true)
    }

    static func draw(_ c: inout Canvas, _ s: AppState, _ o: Overlay) {
        switch o {
        case .warnings(let from):
            let load = s.report.load
            let l = s.lang
            let lines = load.errors.map { l.t("error   ", "错误  ") + LoadWords.describe($0, l) } + load.warnings.map { l.t("warning ", "提醒  ") + LoadWords.describe($0, l) }
            let w = c.buffer.width - 4, h = c.buffer.height - 4
            let title = l.t("load errors and warnings · \(Words.count(load.errors.count, "error", "errors")), \(Words.count(load.warnings.count, "warning", "warnings"))",
                            "加载问题 · 错误 \(load.errors.count) 个，提醒 \(load.warnings.count) 个")
            let inner = box(&c, width: w, height: h, title: title)
            if lines.isEmpty { c.text(l.t("none: every file loaded cleanly", "没有问题：所有文件均已正确加载"), x: inner.x + 1, y: inner.y, role: .good) }
            var y = inner.y
            for (i, line) in lines.enumerated().dropFirst(from) {
                for piece in wrap(line, inner.width - 2) {
                    if y >= inner.y + inner.height - 1 { break }
                    c.text(piece, x: inner.x + 1, y: y, role: i < load.errors.count ? .warning : .text, maxWidth: inner.width - 2)
                    y += 1
                }
            }
            c.text(l.t("↑↓ scroll · any other key closes", "↑↓ 滚动 · 其他键关闭"), x: inner.x + 1, y: inner.y + inner.height - 1, role: .dim, maxWidth: inner.width - 2)
        case .help:
            let l = s.lang
            let keys: [(String, String)]
            switch s.screen {
            case .dashboard: keys = Keymap.dashboard(l, readOnly: s.readOnly)
            case .table(let p): keys = Keymap.table(l, readOnly: s.readOnly, appeals: p == .appeals)
            }
            let w = min(c.buffer.width - 2, 90)
            let keyW = 18
            let textW = w - keyW - 4
            let rows = keys.map { wrap($0.1, textW) }
            let inner = box(&c, width: w, height: rows.reduce(0) { $0 + $1.count } + 4, title: l.t("keys (any key closes)", "按键（任意键关闭）"))
            var y = inner.y
            for (i, (k, _)) in keys.enumerated() {
                c.text(DisplayWidth.pad(k, to: keyW - 1), x: inner.x + 1, y: y, role: .accent)
                for piece in rows[i] { c.text(piece, x: inner.x + keyW + 1, y: y, maxWidth: inner.width - keyW - 2); y += 1 }
            }
            c.text(l.t("no destructive action without a confirmation", "所有不可撤销的操作都会先确认"), x: inner.x + 1, y: y + 1, role: .dim, maxWidth: inner.width - 2)
        case .command(let text, let completions):
            let y = c.buffer.height - 1
            c.buffer.fill(Rect(x: 0, y: y, width: c.buffer.width, height: 1), style: c.theme[.input])
            c.text(":" + text, x: 0, y: y, role: .input)
            if !completions.isEmpty {
                c.buffer.fill(Rect(x: 0, y: y - 1, width: c.buffer.width, height: 1), style: c.theme[.overlay])
                c.text(" " + completions.prefix(8).joined(separator: "  "), x: 0, y: y - 1, role: .overlay)
            }
            c.buffer.cursor = (x: min(c.buffer.width - 1, 1 + DisplayWidth.of(text)), y: y)
        case .filter(let text):
            let y = c.buffer.height - 1
            c.buffer.fill(Rect(x: 0, y: y, width: c.buffer.width, height: 1), style: c.theme[.input])
            c.text("/" + text, x: 0, y: y, role: .input)
            c.text(s.lang.t("  Enter keep · Esc clear", "  Enter 保留 · Esc 清除"), x: 2 + DisplayWidth.of(text), y: y, role: .dim)
            c.buffer.cursor = (x: min(c.buffer.width - 1, 1 + DisplayWidth.of(text)), y: y)
        case .appeal(let f): AppealFormView.draw(&c, s, f)
        case .confirmDiscard:
            let l = s.lang
            let inner = box(&c, width: 56, height: 5, title: l.t("discard the appeal?", "放弃这份申诉？"))
            c.text(l.t("The statement you typed will be lost.", "已输入的申诉说明将丢失。"), x: inner.x + 1, y: inner.y, maxWidth: inner.width - 2)
            c.text(l.t("y discard · any other key: back to the form", "y 放弃 · 其他键：返回表单"), x: inner.x + 1, y: inner.y + 2, role: .warning, maxWidth: inner.width - 2)
        case .confirmQuit:
            let l = s.lang
            let inner = box(&c, width: 60, height: 5, title: l.t("quit? the appeal you typed is not saved", "退出？已输入的申诉尚未保存"))
            c.text(l.t("y quit · any other key: back to the form", "y 退出 · 其他键：返回表单"), x: inner.x + 1, y: inner.y + 1, role: .warning, maxWidth: inner.width - 2)
        case .message(let m):
            let width = min(c.buffer.width - 4, 76, DisplayWidth.of(m) + 6)
            let lines = wrap(m, width - 4)
            let inner = box(&c, width: width, height: lines.count + 4, title: s.lang.t("shopdeck (any key closes)", "shopdeck（任意键关闭）"))
            for (i, l) in lines.enumerated() { c.text(l, x: inner.x + 1, y: inner.y + 1 + i, maxWidth: inner.width - 2) }
        }
    }
}
