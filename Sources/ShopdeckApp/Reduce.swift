import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

extension Update {
    /// The one place the state changes: an action in, the new state and the effects out.
    /// The runner performs the effects and sends their results back as actions.
    public static func reduce(_ s: inout AppState, _ a: Action) -> [Effect] {
        switch a {
        case .key(let k):
            let before = s.status
            let effects = key(&s, k)
            // A message a key wrote itself (no work behind it) stays a moment: a report
            // arriving within 3 s does not write over it.
            if effects.isEmpty && s.status != nil && s.status != before { s.keyStatusAt = s.now }
            return effects

        case .tick(let t):
            // The clock moves (a replay too: messages age, `:asof -1d` counts from now); live,
            // the countdowns move and the figures are asked for every 5 s.
            guard t != s.now else { return [] }
            s.now = t
            if s.fixedAsOf == nil, t - s.lastRulesAt >= 5 { s.lastRulesAt = t; return [.requestReport] }
            return []

        case .folderChanged(let names):
            return names.isEmpty ? [] : [.reloadFiles(names)]

        case .folderState(let writing, let readable):
            s.stillWriting = writing
            s.folderReadable = readable
            if !readable && s.status == nil {
                s.status = s.lang.t("the data folder \(s.folder) is missing or unreadable: showing the last good data",
                                    "数据文件夹 \(s.folder) 不存在或无法读取：显示上一份完整数据")
            }
            return []

        case .loading(let busy, let progress):
            s.loading = busy
            s.loadProgress = busy ? progress : nil
            return []

        case .reportArrived(let r):
            s.history = r.history
            reportChanged(&s, r.report)
            s.dataLoaded = true
            s.journalError = r.journalError
            if let name = r.shopName { s.shopName = name }
            if r.loadedAt > 0 { s.lastReload = r.loadedAt }
            if let status = r.status, s.keyStatusAt.map({ s.now - $0 >= 3 }) ?? true { s.status = status }
            return s.bellEnabled ? bell(&s) : []

        case .appealFiled(let entry, let failure):
            appealFiled(&s, entry, failure: failure)
            return []

        case .themeApplied(let name, let announce):
            s.themeName = name
            if announce { s.status = s.lang.t("theme ", "主题 ") + name; s.keyStatusAt = s.now }
            return []

        case .themeFailed(let name, let error):
            s.themeName = "default"
            s.overlay = .message(s.lang.t("theme \(name) cannot be used: \(error) — the default theme is used",
                                          "主题 \(name) 无法使用：\(error) — 已改用默认主题"))
            return []
        }
    }

    /// `[ui] bell`: one ring for the alert events not rung for before.
    static func bell(_ s: inout AppState) -> [Effect] {
        let events = Alerts.events(s.report, shop: s.shopName ?? s.folder)
        let new = events.filter { !s.rungEvents.contains($0.key) }
        guard !new.isEmpty else { return [] }
        s.rungEvents.formUnion(new.map(\.key))
        return [.bell(new.count == 1 ? new[0].message : "\(new[0].message) (+\(new.count - 1))")]
    }
}
