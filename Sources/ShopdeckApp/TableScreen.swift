import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// A pane's drill-down: the sortable, filterable table, and the selected row's detail below.
enum TableScreen {
    static func draw(_ c: inout Canvas, _ s: AppState, _ p: PaneID, _ body: Rect) {
        let model = TableModel.build(p, s.report)
        let state = s.table(p)
        let order = model.order(state)
        let detailHeight = 7
        let tableRect = Rect(x: body.x, y: body.y, width: body.width, height: body.height - detailHeight)
        let l = s.lang
        var title = TableWords.title(model.title, l) + " · \(order.count)/\(model.rows.count)"
        if let col = state.sortColumn, col < model.columns.count {
            title += l.t(" · sort ", " · 排序 ") + TableWords.column(model.columns[col].title, l) + (state.descending ? " ↓" : " ↑")
        }
        if !state.filter.isEmpty { title += l.t(" · filter \"", " · 筛选 \"") + state.filter + "\"" }
        if !order.isEmpty {
            let row = min(state.selected, order.count - 1) + 1
            title += " · " + l.t("row \(row)/\(order.count)", "第 \(row)/\(order.count) 行")
        }
        let inner = c.pane(tableRect, title: title, focused: true)
        if !s.dataLoaded {
            c.text("loading… 加载中", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
            return
        }
        let selected = min(state.selected, max(0, order.count - 1))
        // The sorted column carries its direction in the header.
        let columns = model.columns.enumerated().map { i, col in
            TableView.Column(TableWords.column(col.title, l) + (state.sortColumn == i ? (state.descending ? "↓" : "↑") : ""), col.width, right: col.rightAligned)
        }
        let view = TableView(columns: columns, rows: order.map { model.rows[$0] }, rowRoles: order.map { model.roles[$0] },
                             selected: selected, scroll: state.scroll)
        view.draw(into: &c, Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height))
        let detailRect = Rect(x: body.x, y: body.y + body.height - detailHeight, width: body.width, height: detailHeight)
        let d = c.pane(detailRect, title: l.t("detail", "详情"))
        if selected < order.count {
            let lines = model.details[order[selected]].flatMap { wrap($0, d.width - 2) }
            for (i, line) in lines.prefix(d.height).enumerated() { c.text(line, x: d.x + 1, y: d.y + i, maxWidth: d.width - 1) }
        }
    }
}

/// Splits a line into pieces of at most `width` display columns (never inside a character).
func wrap(_ s: String, _ width: Int) -> [String] {
    guard width > 0 else { return [s] }
    var out: [String] = [], cur = "", used = 0
    for ch in s {
        let w = DisplayWidth.of(ch)
        if used + w > width { out.append(cur); cur = ""; used = 0 }
        cur.append(ch); used += w
    }
    out.append(cur)
    return out
}

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
            let lines = load.errors.map { "error   " + $0.description } + load.warnings.map { "warning " + $0.description }
            let w = c.buffer.width - 4, h = c.buffer.height - 4
            let inner = box(&c, width: w, height: h, title: "load errors and warnings · 加载问题 · \(load.errors.count) errors, \(load.warnings.count) warnings (↑↓ scroll, any other key closes)")
            if lines.isEmpty { c.text("none: every file loaded cleanly", x: inner.x + 1, y: inner.y, role: .good) }
            var y = inner.y
            for (i, l) in lines.enumerated().dropFirst(from) {
                for piece in wrap(l, inner.width - 2) {
                    if y >= inner.y + inner.height { break }
                    c.text(piece, x: inner.x + 1, y: y, role: i < load.errors.count ? .warning : .text, maxWidth: inner.width - 2)
                    y += 1
                }
            }
        case .help:
            let keys: [(String, String)]
            switch s.screen { case .dashboard: keys = Keymap.dashboard; case .table: keys = Keymap.table }
            let inner = box(&c, width: 70, height: keys.count + 4, title: "keys · 按键 (any key closes)")
            for (i, (k, what)) in keys.enumerated() {
                c.text(DisplayWidth.pad(k, to: 18), x: inner.x + 1, y: inner.y + i, role: .accent)
                c.text(what, x: inner.x + 20, y: inner.y + i, maxWidth: inner.width - 21)
            }
            c.text("no destructive action without a confirmation", x: inner.x + 1, y: inner.y + keys.count + 1, role: .dim, maxWidth: inner.width - 2)
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
            c.text("  Enter keep · Esc clear", x: 2 + DisplayWidth.of(text), y: y, role: .dim)
            c.buffer.cursor = (x: min(c.buffer.width - 1, 1 + DisplayWidth.of(text)), y: y)
        case .appeal(let f): AppealFormView.draw(&c, s, f)
        case .confirmDiscard:
            let inner = box(&c, width: 50, height: 5, title: "discard the appeal?")
            c.text("The statement you typed will be lost.", x: inner.x + 1, y: inner.y)
            c.text("y discard · any other key: back to the form", x: inner.x + 1, y: inner.y + 2, role: .warning)
        case .confirmQuit:
            let inner = box(&c, width: 56, height: 5, title: "quit? the appeal you typed is not saved")
            c.text("y quit · any other key: back to the form", x: inner.x + 1, y: inner.y + 1, role: .warning)
        case .message(let m):
            let width = min(76, DisplayWidth.of(m) + 6)
            let lines = wrap(m, width - 4)
            let inner = box(&c, width: width, height: lines.count + 4, title: "shopdeck (any key closes)")
            for (i, l) in lines.enumerated() { c.text(l, x: inner.x + 1, y: inner.y + 1 + i, maxWidth: inner.width - 2) }
        }
    }
}

/// The appeal form (terminal-ui.md "Appeal form").
enum AppealFormView {
    static func draw(_ c: inout Canvas, _ s: AppState, _ f: AppealForm) {
        let inner = Overlays.box(&c, width: 76, height: 20, title: "申诉 Appeal · \(f.violationId) · attempt \(f.attempt)")
        let v = s.report.violations.first { $0.violationId == f.violationId }
        var y = inner.y
        let x = inner.x + 1, w = inner.width - 2
        /// Where the fields start: after the widest label ("说明 statement").
        let lw = 16
        if let v {
            c.text("\(v.rule) · \(v.status) · \(v.points) points · appeals left \(v.appealsLeft)", x: x, y: y, maxWidth: w); y += 1
            c.text("measures: " + (v.measures.isEmpty ? "—" : v.measures.joined(separator: "、")), x: x, y: y, role: .dim, maxWidth: w); y += 1
        }
        y += 1
        func label(_ t: String, _ field: AppealForm.Field) {
            c.text(DisplayWidth.pad(t, to: lw - 1), x: x, y: y, role: f.field == field ? .titleFocus : .header)
        }
        label("理由 reason", .reason)
        let reasons = s.appealReasons.isEmpty ? ["其他"] : s.appealReasons
        let reason = reasons[min(f.reasonIndex, reasons.count - 1)]
        // Every reason visible, the chosen one marked (←/→ or ↑/↓ choose): not a hidden spinner.
        var rx = x + lw, ry = y
        for (i, r) in reasons.enumerated() {
            let item = (i == f.reasonIndex ? "● " : "○ ") + r
            if rx + DisplayWidth.of(item) > x + w, rx > x + lw { rx = x + lw; ry += 1 }
            c.text(item, x: rx, y: ry, role: i == f.reasonIndex ? (f.field == .reason ? .selection : .accent) : .dim)
            rx += DisplayWidth.of(item) + 2
        }
        y = ry + 2
        var caretPos: (Int, Int)? = nil
        func textField(_ t: String, _ field: AppealForm.Field, lines: Int) {
            label(t, field)
            let value: String
            switch field { case .statement: value = f.statement; case .evidence: value = f.evidence; default: value = f.operatorName }
            let rows = value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let firstShown = max(0, rows.count - lines)
            for i in 0..<lines {
                let ri = firstShown + i
                c.buffer.fill(Rect(x: x + lw, y: y + i, width: w - lw, height: 1), style: c.theme[.input])
                if ri < rows.count { c.text(rows[ri], x: x + lw, y: y + i, role: .input, maxWidth: w - lw) }
            }
            if f.field == field {
                // The caret: the real terminal cursor sits here so an IME box appears at it.
                let before = String(value.prefix(f.caret))
                let brows = before.split(separator: "\n", omittingEmptySubsequences: false)
                let row = max(0, brows.count - 1 - firstShown)
                caretPos = (x + lw + DisplayWidth.of(String(brows.last ?? "")), y + min(row, lines - 1))
            }
            y += lines
            if let e = f.errors[field] { c.text("  " + e, x: x + lw, y: y, role: .error, maxWidth: w - lw) }
            y += 1
        }
        textField("说明 statement", .statement, lines: 4)
        textField("证据 evidence", .evidence, lines: 2)
        if f.errors[.evidence] == nil {
            c.text(s.lang.t("paths relative to ", "路径相对于 ") + s.folder + s.lang.t(" (one a line)", "（每行一个）"), x: x + lw, y: y - 1, role: .dim, maxWidth: w - lw)
        }
        textField("运营 operator", .operatorName, lines: 1)
        let submit = "[ 提交 Submit ]"
        c.text(submit, x: x + lw, y: y, role: f.field == .submit ? .selection : .accent)
        c.text(f.filing ? "filing…" : "Tab next · Esc cancel", x: x + lw + DisplayWidth.of(submit) + 2, y: y, role: .dim)
        if let failure = f.failure {
            // Why the last submit did not file; the text above is all still there.
            c.text("not filed: " + failure, x: x, y: y + 1, role: .error, maxWidth: w)
        }
        if f.confirming {
            let inner2 = Overlays.box(&c, width: 70, height: 9, title: "write this appeal? 确认提交")
            let lines = ["violation \(f.violationId), attempt \(f.attempt), reason \(reason)",
                         "statement: " + f.statement.replacingOccurrences(of: "\n", with: " / "),
                         "evidence: " + (f.evidencePaths.isEmpty ? "—" : f.evidencePaths.joined(separator: ", ")),
                         "operator: \(f.operatorName)", "", "y / Enter: write to the journal · any other key: back"]
            for (i, l) in lines.enumerated() { c.text(l, x: inner2.x + 1, y: inner2.y + i, role: i == 5 ? .warning : .text, maxWidth: inner2.width - 2) }
        } else if let p = caretPos {
            c.buffer.cursor = (x: p.0, y: p.1)
        }
    }
}
