import ShopdeckScreen
import ShopdeckModel
import ShopdeckRules

/// keys -> new state + effects. Pure: the loop runs the effects and feeds results back.
public enum Update {
    public static func key(_ s: inout AppState, _ k: Key) -> [Effect] {
        if k == .resize { return [] }
        if k == .interrupt {
            // Ctrl-C asks like `q` while a form holds typed text (issue 13).
            switch s.overlay {
            case .appeal(let f)? where f.hasText: s.overlay = .confirmQuit(f); return []
            case .confirmDiscard(let f)? where f.hasText: s.overlay = .confirmQuit(f); return []
            default: return [.quit]
            }
        }
        if let overlay = s.overlay { return overlayKey(&s, overlay, k) }
        s.status = nil
        switch s.screen {
        case .dashboard: return dashboardKey(&s, k)
        case .table(let p): return tableKey(&s, p, k)
        }
    }

    static func common(_ s: inout AppState, _ k: Key) -> [Effect]? {
        switch k {
        case .char("q"): return [.quit]
        case .char("?"): s.overlay = .help; return []
        case .char(":"): s.overlay = .command(text: "", completions: completions(s, "")); return []
        case .char("r"): s.status = s.lang.t("reloading…", "重载中…"); return [.reload]
        case .char("t"):
            let i = s.themeNames.firstIndex(of: s.themeName) ?? 0
            return [.setTheme(s.themeNames[(i + 1) % max(1, s.themeNames.count)])]
        default: return nil
        }
    }

    static func dashboardKey(_ s: inout AppState, _ k: Key) -> [Effect] {
        if let e = common(&s, k) { return e }
        let n = PaneID.allCases.count
        let i = s.focus.rawValue
        switch k {
        case .tab, .right, .char("l"): s.focus = PaneID(rawValue: (i + 1) % n)!
        case .backTab, .left, .char("h"): s.focus = PaneID(rawValue: (i + n - 1) % n)!
        case .down, .char("j"): s.focus = PaneID(rawValue: min(n - 1, i + 2))!
        case .up, .char("k"): s.focus = PaneID(rawValue: max(0, i - 2))!
        case .enter: s.screen = .table(s.focus)
        case .escape where s.inFleet: return [.back]
        case .char("a"): s.focus = .appeals; s.screen = .table(.appeals)
        default: break
        }
        return []
    }

    static func tableKey(_ s: inout AppState, _ p: PaneID, _ k: Key) -> [Effect] {
        if let e = common(&s, k) { return e }
        var t = s.table(p)
        let model = s.model(p)
        let count = model.order(t).count
        let page = 10
        switch k {
        case .down, .char("j"): t.selected = min(max(0, count - 1), t.selected + 1)
        case .up, .char("k"): t.selected = max(0, t.selected - 1)
        case .char("g"), .home: t.selected = 0
        case .char("G"), .end: t.selected = max(0, count - 1)
        case .pageDown: t.selected = min(max(0, count - 1), t.selected + page)
        case .pageUp: t.selected = max(0, t.selected - page)
        case .char("s"):
            let next = (t.sortColumn ?? -1) + 1
            t.sortColumn = next >= model.columns.count ? nil : next
            let l = s.lang
            s.status = t.sortColumn.map { l.t("sorted by ", "排序：") + TableWords.column(model.columns[$0].title, l) } ?? l.t("file order", "文件顺序")
            follow(&t, model); s.tables[p] = t; return []
        case .char("S"):
            t.descending.toggle(); s.status = t.descending ? s.lang.t("descending", "降序") : s.lang.t("ascending", "升序")
            follow(&t, model); s.tables[p] = t; return []
        case .char("/"): s.overlay = .filter(text: t.filter)
        case .escape, .char("h"), .left:
            if !t.filter.isEmpty && k == .escape { t.filter = ""; follow(&t, model) } else { s.screen = .dashboard }
        case .tab:
            let n = PaneID.allCases.count
            s.focus = PaneID(rawValue: (p.rawValue + 1) % n)!; s.screen = .table(s.focus)
        case .backTab:
            let n = PaneID.allCases.count
            s.focus = PaneID(rawValue: (p.rawValue + n - 1) % n)!; s.screen = .table(s.focus)
        case .char("a"), .enter:
            if p == .appeals {
                s.tables[p] = t
                return startAppeal(&s, model: model)
            }
            if k == .char("a") { s.status = s.lang.t("appeals are filed from the violations table: press Esc, then a (or :violations)", "申诉在违规表中提交：按 Esc，再按 a（或 :违规）") }
        default: break
        }
        pin(&t, model)
        s.tables[p] = t
        return []
    }

    /// `a` on a violation: the form, or why it cannot be appealed.
    static func startAppeal(_ s: inout AppState, model: TableModel) -> [Effect] {
        let t = s.table(.appeals)
        let order = model.order(t)
        guard s.dataLoaded else { s.status = s.lang.t("still loading: the violations are not read yet", "仍在加载：违规记录尚未读入"); return [] }
        guard t.selected < order.count else { s.status = s.lang.t("no violation selected", "未选中违规"); return [] }
        let id = model.ids[order[t.selected]]
        guard let v = s.report.violations.first(where: { $0.violationId == id }) else { return [] }
        if let why = s.readOnlyReason {
            s.status = s.lang.t("read-only: \(why); the appeal form does not open", "只读：\(AppealMessages.fileProblem(why, .zh))；不能打开申诉表单")
            return []
        }
        if let why = s.journalError { s.status = s.lang.t("\(why); appeals cannot be filed until it can be read", "\(why)；申诉记录可读之前不能提交申诉"); return [] }
        guard v.appealable else {
            s.status = s.lang.t("\(v.violationId) cannot be appealed: ", "\(v.violationId) 不可申诉：") + TableModel.reasonText(v.notAppealableReason ?? "", s.lang)
            return []
        }
        if let t = s.fixedAsOf {
            s.status = s.lang.t("replay: appeals are filed only live (:asof now) · as of \(CST.format(t))", "回放中：只有实时模式才能申诉（:asof now）· 截至 \(CST.format(t))")
            return []
        }
        s.overlay = .appeal(AppealForm(violationId: v.violationId, attempt: v.appealsUsed + 1, operatorName: s.operatorName))
        return []
    }

    static func overlayKey(_ s: inout AppState, _ o: Overlay, _ k: Key) -> [Effect] {
        switch o {
        case .warnings(let from):
            let total = s.report.load.errors.count + s.report.load.warnings.count
            switch k {
            case .down, .char("j"): s.overlay = .warnings(from: min(max(0, total - 1), from + 1))
            case .up, .char("k"): s.overlay = .warnings(from: max(0, from - 1))
            case .pageDown: s.overlay = .warnings(from: min(max(0, total - 1), from + 10))
            case .pageUp: s.overlay = .warnings(from: max(0, from - 10))
            default: s.overlay = nil
            }
            return []
        case .help, .message:
            if k == .char("q") && o == .help { s.overlay = nil; return [] }
            s.overlay = nil
            return []
        case .confirmQuit(let form):
            if k == .char("y") || k == .char("Y") { return [.quit] }
            s.overlay = .appeal(form)
            return []
        case .filter(var text):
            let p: PaneID
            if case .table(let tp) = s.screen { p = tp } else { s.overlay = nil; return [] }
            var t = s.table(p)
            switch k {
            case .enter: s.overlay = nil
            case .escape: t.filter = ""; s.overlay = nil
            case .backspace: if !text.isEmpty { text.removeLast() }; s.overlay = .filter(text: text)
            case .char(let c): text.append(c); s.overlay = .filter(text: text)
            default: break
            }
            if case .filter(let now) = s.overlay ?? .help { t.filter = now }
            follow(&t, s.model(p))
            s.tables[p] = t
            return []
        case .command(var text, _):
            switch k {
            case .escape: s.overlay = nil; return []
            case .enter: s.overlay = nil; return command(&s, text.trimmingSpaces())
            case .backspace: if !text.isEmpty { text.removeLast() }
            case .tab:
                let c = completions(s, text)
                if c.count == 1 { text = c[0] } else if let common = commonPrefix(c), common.count > text.count { text = common }
            case .char(let c): text.append(c)
            default: break
            }
            s.overlay = .command(text: text, completions: completions(s, text))
            return []
        case .confirmDiscard(let form):
            if k == .char("y") || k == .char("Y") { s.overlay = nil; s.status = s.lang.t("appeal discarded", "已放弃申诉") } else { s.overlay = .appeal(form) }
            return []
        case .appeal(var form):
            let e = formKey(&s, &form, k)
            if case .appeal = s.overlay ?? .help { s.overlay = .appeal(form) }
            return e
        }
    }

    static func formKey(_ s: inout AppState, _ f: inout AppealForm, _ k: Key) -> [Effect] {
        if f.filing { return [] } // waiting for the journal's answer
        if f.confirming {
            switch k {
            case .char("y"), .char("Y"), .enter:
                if let t = s.fixedAsOf {
                    f.confirming = false
                    f.failure = s.lang.t("replay as of \(CST.format(t)): nothing is filed in a replay; your text is kept", "回放（截至 \(CST.format(t))）：回放中不提交；已保留您的文字")
                    return []
                }
                let entry = AppealEntry(violationId: f.violationId, attempt: f.attempt, filedAt: s.now,
                                        reason: s.appealReasons.isEmpty ? "其他" : s.appealReasons[f.reasonIndex],
                                        statement: f.statement.trimmingSpaces(), evidence: f.evidencePaths, operatorName: f.operatorName.trimmingSpaces())
                f.confirming = false
                f.filing = true
                f.failure = nil
                return [.fileAppeal(entry)]
            default: f.confirming = false; return []
            }
        }
        let fields = AppealForm.Field.allCases
        func go(_ d: Int) {
            f.field = fields[(f.field.rawValue + d + fields.count) % fields.count]
            f.caret = text(f).count
        }
        switch k {
        case .escape:
            if f.hasText { s.overlay = .confirmDiscard(f) } else { s.overlay = nil; s.status = s.lang.t("appeal cancelled", "已取消申诉") }
            return []
        case .tab:
            // In the evidence field, Tab completes the path being typed when the folder has
            // names that start with it; otherwise (and in other fields) it moves on.
            if f.field == .evidence, let done = completeEvidence(f, s) { f.evidence = done; f.caret = done.count; return [] }
            go(1); return []
        case .backTab: go(-1); return []
        default: break
        }
        // `q` on a field that takes no text quits, asking first when text would be lost.
        if k == .char("q") && (f.field == .reason || f.field == .submit) {
            if f.hasText { s.overlay = .confirmQuit(f); return [] }
            return [.quit]
        }
        switch f.field {
        case .reason:
            let n = max(1, s.appealReasons.count)
            switch k {
            case .right, .down, .char("l"), .char("j"), .char(" "): f.reasonIndex = (f.reasonIndex + 1) % n
            case .left, .up, .char("h"), .char("k"): f.reasonIndex = (f.reasonIndex + n - 1) % n
            case .enter: go(1)
            default: break
            }
        case .submit:
            if k == .enter || k == .char(" ") {
                // Focus stays on Submit after an error (issue 14): the messages sit next to
                // their fields; Shift-Tab goes back to them.
                f.errors = validate(f, s)
                if f.errors.isEmpty { f.confirming = true }
            }
        case .operatorName where s.operatorLocked:
            if k == .enter { go(1) }
        case .statement, .evidence, .operatorName:
            var t = Array(text(f))
            f.caret = min(f.caret, t.count)
            switch k {
            case .char(let c): t.insert(c, at: f.caret); f.caret += 1
            case .enter:
                if f.field == .statement || f.field == .evidence { t.insert("\n", at: f.caret); f.caret += 1 } else { go(1); return [] }
            case .backspace: if f.caret > 0 { t.remove(at: f.caret - 1); f.caret -= 1 }
            case .delete: if f.caret < t.count { t.remove(at: f.caret) }
            case .left: f.caret = max(0, f.caret - 1)
            case .right: f.caret = min(t.count, f.caret + 1)
            case .up, .down, .home, .end:
                // By the rows as drawn (the statement wraps at the field's width).
                let box = TextBox(String(t), width: AppealForm.fieldWidth)
                switch k {
                case .up: f.caret = box.move(f.caret, rows: -1)
                case .down: f.caret = box.move(f.caret, rows: 1)
                case .home: f.caret = box.home(f.caret)
                default: f.caret = box.end(f.caret)
                }
                return []
            default: break
            }
            setText(&f, String(t))
            f.errors[f.field] = nil
        }
        return []
    }

    /// The evidence text with its last path completed as far as the folder's names agree;
    /// nil when nothing can be added.
    static func completeEvidence(_ f: AppealForm, _ s: AppState) -> String? {
        let lines = f.evidence.split(separator: "\n", omittingEmptySubsequences: false)
        guard let last = lines.last.map(String.init), !last.trimmingSpaces().isEmpty, f.caret == f.evidence.count else { return nil }
        let names = s.evidenceCompletions(last.trimmingSpaces())
        guard let common = names.count == 1 ? names[0] : commonPrefix(names), common.count > last.trimmingSpaces().count else { return nil }
        return (lines.dropLast().map(String.init) + [common]).joined(separator: "\n")
    }

    static func text(_ f: AppealForm) -> String {
        switch f.field {
        case .statement: return f.statement
        case .evidence: return f.evidence
        case .operatorName: return f.operatorName
        default: return ""
        }
    }

    static func setText(_ f: inout AppealForm, _ t: String) {
        switch f.field {
        case .statement: f.statement = t
        case .evidence: f.evidence = t
        case .operatorName: f.operatorName = t
        default: break
        }
    }

    public static func validate(_ f: AppealForm, _ s: AppState) -> [AppealForm.Field: String] {
        var e: [AppealForm.Field: String] = [:]
        if f.statement.trimmingSpaces().isEmpty { e[.statement] = s.lang.t("a statement is required (申诉说明)", "申诉说明必填") }
        let problems = f.evidencePaths.compactMap(s.evidenceProblem)
        if !problems.isEmpty { e[.evidence] = problems.joined(separator: "; ") }
        if f.operatorName.trimmingSpaces().isEmpty { e[.operatorName] = s.lang.t("the operator's name is required", "经办人必填") }
        return e
    }

    /// Remembers the id of the row at the selected position.
    static func pin(_ t: inout TableState, _ model: TableModel) {
        let order = model.order(t)
        t.selectedId = t.selected < order.count ? model.ids[order[t.selected]] : nil
    }

    /// Puts the selection back on the row it was on (by id) after the rows changed: a reload,
    /// a sort, a filter. When that row is gone the position stays (clamped) and is pinned.
    static func follow(_ t: inout TableState, _ model: TableModel) {
        let order = model.order(t)
        if let id = t.selectedId, let pos = order.firstIndex(where: { model.ids[$0] == id }) {
            t.selected = pos
        } else {
            t.selected = max(0, min(t.selected, order.count - 1))
            pin(&t, model)
        }
    }

    /// New figures (a reload, the clock, a filed appeal): every table's selection follows its
    /// row by identity.
    public static func reportChanged(_ s: inout AppState, _ report: Report) {
        s.report = report
        s.reportRevision += 1
        // The tables are built here, once per report, for the key handling and the frames.
        s.tableModels = Dictionary(uniqueKeysWithValues: PaneID.allCases.map { ($0, TableModel.build($0, report, s.lang)) })
        s.tableModelsLang = s.lang
        for (p, var t) in s.tables {
            follow(&t, s.tableModels[p]!)
            s.tables[p] = t
        }
    }

    /// The journal's answer to a `fileAppeal` effect. Filed: the form closes. Not filed (an
    /// unwritable journal, a lost race, a refusal): the form stays open with every typed
    /// character and says what happened.
    public static func appealFiled(_ s: inout AppState, _ entry: AppealEntry, failure: String?) {
        guard case .appeal(var f)? = s.overlay, f.violationId == entry.violationId else {
            if let failure { s.overlay = .message(s.lang.t("appeal \(entry.violationId) was not filed: \(failure)", "申诉 \(entry.violationId) 未提交：\(failure)")) }
            return
        }
        f.filing = false
        if let failure {
            f.failure = failure + s.lang.t(" — your text is kept; fix the cause and submit again, or copy it", " — 已保留您的文字；排除原因后再次提交，或先复制")
            f.field = .submit
            s.overlay = .appeal(f)
        } else {
            s.overlay = nil
            s.status = s.lang.t("appeal filed: \(entry.violationId) attempt \(entry.attempt) (申诉中, locally filed)", "已提交申诉：\(entry.violationId) 第 \(entry.attempt) 次（申诉中，本地记录）")
        }
    }

    static func completions(_ s: AppState, _ text: String) -> [String] {
        var all = PaneID.allCases.map(\.command) + PaneID.allCases.flatMap(\.aliases) + ["dashboard", "asof now", "asof -1d", "asof mon", "asof ", "reload", "warnings", "help", "quit"]
        all += s.themeNames.map { "theme " + $0 }
        let t = text.lowercased()
        return all.filter { $0.hasPrefix(t) && $0 != t }
    }

    /// `:asof` arguments: a CST time, or relative to now: `-1d`, `-3h`, `-30m`, `mon` (this
    /// week's Monday 00:00 CST). `now` is handled before.
    static func asOfArgument(_ arg: String, now: Instant) -> Instant? {
        if case .value(let t) = CST.parse(arg) { return t }
        let a = arg.lowercased()
        if a == "mon" || a == "monday" || a == "周一" { return CST.weekStart(now) }
        if a.hasPrefix("-"), let unit = a.last, let n = Int64(a.dropFirst().dropLast()), n >= 0, n <= 100_000 {
            switch unit {
            case "d": return now - n * CST.day
            case "h": return now - n * 3600
            case "m": return now - n * 60
            default: return nil
            }
        }
        return nil
    }

    static func commonPrefix(_ c: [String]) -> String? {
        guard var p = c.first else { return nil }
        for x in c.dropFirst() { while !x.hasPrefix(p) { p.removeLast() } }
        return p
    }

    /// Runs a `:` command: every action has a name.
    static func command(_ s: inout AppState, _ text: String) -> [Effect] {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let head = parts.first?.lowercased() else { return [] }
        if let p = PaneID.allCases.first(where: { $0.command == head || $0.aliases.contains(head) }) { s.focus = p; s.screen = .table(p); return [] }
        switch head {
        case "dashboard", "home": s.screen = .dashboard
        case "reload": return [.reload]
        case "help": s.overlay = .help
        case "warnings", "errors", "警告": s.overlay = .warnings(from: 0)
        case "quit", "q": return [.quit]
        case "theme":
            if parts.count > 1 {
                let name = parts[1].trimmingSpaces()
                // A theme file path is the user's own; a bare name must be one of the themes.
                if name.contains("/") || name.hasSuffix(".toml") || s.themeNames.contains(name) { return [.setTheme(name)] }
                s.status = s.lang.t("unknown theme '\(name)'; themes: ", "没有主题“\(name)”；可用主题：") + s.themeNames.joined(separator: ", ")
                return []
            }
            s.status = s.lang.t("themes: ", "主题：") + s.themeNames.joined(separator: ", ")
        case "asof":
            let arg = parts.count > 1 ? parts[1].trimmingSpaces() : "now"
            if arg == "now" || arg == "live" {
                s.fixedAsOf = nil
                s.status = s.lang.t("live: as of now", "实时：截至现在")
                s.keyStatusAt = s.now
                return [.setAsOf(nil)]
            }
            guard let t = asOfArgument(arg, now: s.now) else { s.status = s.lang.t("cannot read '\(arg)': use YYYY-MM-DD HH:MM:SS (CST), now, -1d, -3h or mon", "无法识别“\(arg)”：请用 YYYY-MM-DD HH:MM:SS（北京时间）、now、-1d、-3h 或 mon"); return [] }
            s.fixedAsOf = t
            s.status = s.lang.t("as of \(CST.format(t)) (replay)", "截至 \(CST.format(t))（回放）")
            s.keyStatusAt = s.now
            return [.setAsOf(t)]
        default: s.status = s.lang.t("unknown command '\(head)': try ", "没有命令“\(head)”：可用 ") + (PaneID.allCases.map(\.command) + ["asof", "theme", "reload", "warnings", "quit"]).joined(separator: ", ")
        }
        return []
    }
}
