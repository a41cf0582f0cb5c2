import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// A pane's drill-down: the sortable, filterable table, and the selected row's detail below.
enum TableScreen {
    static func draw(_ c: inout Canvas, _ s: AppState, _ p: PaneID, _ body: Rect) {
        let model = s.model(p)
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
            c.text(l.t("loading…", "加载中…"), x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
            return
        }
        let selected = min(state.selected, max(0, order.count - 1))
        // The sorted column carries its direction in the header.
        var columns = model.columns.enumerated().map { i, col in
            TableView.Column(TableWords.column(col.title, l) + (state.sortColumn == i ? (state.descending ? "↓" : "↑") : ""), col.width, right: col.rightAligned)
        }
        let widths = ColumnLayout.widths(titles: columns.map(\.title), cellWidths: model.cellWidths, available: inner.width - 1,
                                         flexible: model.columns.map { ColumnLayout.flexibleTitles.contains($0.title) })
        for i in columns.indices { columns[i].width = widths[i] }
        var view = TableView(columns: columns, rows: order.map { model.rows[$0] }, rowRoles: order.map { model.roles[$0] },
                             selected: selected, scroll: state.scroll)
        view.emptyText = state.filter.isEmpty ? l.t("(nothing here)", "（暂无记录）") : l.t("(no row matches the filter; Esc clears it)", "（没有符合筛选的行；Esc 清除筛选）")
        view.draw(into: &c, Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height))
        let detailRect = Rect(x: body.x, y: body.y + body.height - detailHeight, width: body.width, height: detailHeight)
        let d = c.pane(detailRect, title: l.t("detail", "详情"))
        if selected < order.count {
            let lines = model.details[order[selected]].flatMap { wrap($0, d.width - 2) }
            for (i, line) in lines.prefix(d.height).enumerated() { c.text(line, x: d.x + 1, y: d.y + i, maxWidth: d.width - 1) }
        }
    }
}
