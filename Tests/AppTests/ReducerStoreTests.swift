import Testing
@testable import ShopdeckApp
@testable import ShopdeckModel
@testable import ShopdeckRules
import ShopdeckScreen

/// A test store in the way of TCA's TestStore: each action is sent to the reducer, the whole
/// state after it must equal the state before with exactly the expected changes, and the
/// effects must be exactly the expected ones.
struct TestStore {
    var state: AppState

    mutating func send(_ action: Action, effects: [Effect] = [], sourceLocation: SourceLocation = #_sourceLocation,
                       _ change: (inout AppState) -> Void = { _ in }) {
        var expected = state
        change(&expected)
        let got = Update.reduce(&state, action)
        #expect(got == effects, sourceLocation: sourceLocation)
        #expect(state == expected, "fields that differ: \(Self.differences(state, expected))", sourceLocation: sourceLocation)
    }

    /// The names of the fields whose values differ (for a readable failure).
    static func differences(_ a: AppState, _ b: AppState) -> [String] {
        let ma = Mirror(reflecting: a).children, mb = Array(Mirror(reflecting: b).children)
        return zip(ma, mb).compactMap { x, y in
            guard let label = x.label, !["evidenceProblem", "evidenceCompletions", "tableModels", "report"].contains(label) else { return nil }
            return String(describing: x.value) == String(describing: y.value) ? nil : "\(label): \(x.value) ≠ \(y.value)"
        }
    }
}

@Suite("Reducer, action by action")
struct ReducerStoreTests {
    static func t(_ s: String) -> Instant { guard case .value(let v) = CST.parse(s) else { fatalError() }; return v }
    static let now = t("2026-12-07 10:00:00")

    static func report(at: Instant = now, atRisk: [String] = ["2300000000000000001", "2300000000000000002"]) -> Report {
        var r = Report(asOf: at, rulebook: "kuaishou-2023.02")
        r.shipping.atRisk = atRisk.enumerated().map { i, id in
            OrderRef(orderId: id, deadline: at + Int64(i + 1) * 3600, hoursLeft: Double(i + 1), productName: "杯子", shipTo: "浙江省/杭州市/西湖区")
        }
        func v(_ id: String, appealable: Bool) -> ViolationRow {
            ViolationRow(violationId: id, rule: "超时未发货", status: "待处理", subject: "商家", notifiedAt: at - CST.day, points: 2, measures: ["扣分"],
                         unknownMeasures: [], appealsUsed: 0, appealsLeft: appealable ? 2 : 0, appealable: appealable,
                         notAppealableReason: appealable ? nil : "limit_reached", exemptionApplicable: false, appealDeadline: at + 3 * CST.day, locallyFiled: false)
        }
        r.violations = [v("WG1", appealable: false), v("WG2", appealable: true)]
        return r
    }

    static func store(live: Bool = true) -> TestStore {
        var s = AppState(report: report(), folder: "/srv/shop", now: now, fixedAsOf: live ? nil : now)
        s.appealReasons = ["已按时发货", "其他"]
        s.operatorName = "运营-小王"
        s.themeNames = ["default", "light"]
        s.lastRulesAt = now
        return TestStore(state: s)
    }

    @Test func dashboardKeys() {
        var st = Self.store()
        st.send(.key(.tab)) { $0.focus = .exemption }
        st.send(.key(.backTab)) { $0.focus = .shipping }
        st.send(.key(.down)) { $0.focus = .appeals }
        st.send(.key(.enter)) { $0.screen = .table(.appeals) }
        st.send(.key(.escape)) { $0.screen = .dashboard; $0.tables[.appeals] = TableState() ; $0.tables[.appeals]!.selectedId = "WG2" }
        st.send(.key(.char("?"))) { $0.overlay = .help }
        st.send(.key(.char("x"))) { $0.overlay = nil }
        st.send(.key(.char("r")), effects: [.reload]) { $0.status = "reloading…" }
        st.send(.key(.char("t")), effects: [.setTheme("light")]) { $0.status = nil }
        st.send(.themeApplied("light", announce: true)) { $0.themeName = "light"; $0.status = "theme light"; $0.keyStatusAt = Self.now }
        st.send(.key(.char("q")), effects: [.quit]) { $0.status = nil }
    }

    @Test func aTableKeepsItsRowThroughSortsFiltersAndNewFigures() {
        var st = Self.store()
        st.send(.key(.enter)) { $0.screen = .table(.shipping) }
        st.send(.key(.down)) { $0.tables[.shipping] = TableState(); $0.tables[.shipping]!.selected = 1; $0.tables[.shipping]!.selectedId = "2300000000000000002" }
        st.send(.key(.char("S"))) { $0.tables[.shipping]!.descending = true; $0.status = "descending"; $0.keyStatusAt = Self.now }
        // New figures with a new first row: the selection stays on the same order.
        let fresh = Self.report(atRisk: ["2300000000000000009", "2300000000000000001", "2300000000000000002"])
        st.send(.reportArrived(ReportArrival(report: fresh, status: "reloaded 1 file in 0.10 s", loadedAt: Self.now))) {
            $0.report = fresh; $0.reportRevision = 1; $0.dataLoaded = true; $0.lastReload = Self.now
            $0.tables[.shipping]!.selected = 2
            // The key's own message stays (it is less than 3 s old).
        }
        #expect(st.state.model(.shipping).ids == ["2300000000000000009", "2300000000000000001", "2300000000000000002"])
        st.send(.key(.char("/"))) { $0.overlay = .filter(text: ""); $0.status = nil }
        st.send(.key(.char("9"))) { $0.overlay = .filter(text: "9"); $0.tables[.shipping]!.filter = "9"; $0.tables[.shipping]!.selected = 0; $0.tables[.shipping]!.selectedId = "2300000000000000009" }
        st.send(.key(.enter)) { $0.overlay = nil }
        st.send(.key(.escape)) { $0.tables[.shipping]!.filter = ""; $0.tables[.shipping]!.selected = 0 }
    }

    @Test func theClockAndTheWatcher() {
        var st = Self.store()
        st.send(.tick(Self.now + 1)) { $0.now = Self.now + 1 }
        st.send(.tick(Self.now + 5), effects: [.requestReport]) { $0.now = Self.now + 5; $0.lastRulesAt = Self.now + 5 }
        st.send(.tick(Self.now + 5))
        st.send(.folderChanged(["orders_export.csv"]), effects: [.reloadFiles(["orders_export.csv"])])
        st.send(.folderChanged([]))
        st.send(.folderState(stillWriting: ["orders_export.csv"], readable: true)) { $0.stillWriting = ["orders_export.csv"] }
        st.send(.folderState(stillWriting: [], readable: false)) {
            $0.stillWriting = []; $0.folderReadable = false
            $0.status = "the data folder /srv/shop is missing or unreadable: showing the last good data"
        }
        let counts = LoadProgress.Counts(files: 1, totalFiles: 3, rows: 412_000, bytes: 96 << 20, totalBytes: 240 << 20, seconds: 0.5)
        st.send(.loading(true, progress: nil)) { $0.loading = true }
        st.send(.loading(true, progress: counts)) { $0.loadProgress = counts }
        // Done: the figures of a finished load are not kept.
        st.send(.loading(false, progress: counts)) { $0.loading = false; $0.loadProgress = nil }
        // A replay's clock moves (messages age) but asks for no new figures.
        var replay = Self.store(live: false)
        replay.send(.tick(Self.now + 60)) { $0.now = Self.now + 60 }
    }

    @Test func replayAndLiveByCommand() {
        var st = Self.store()
        st.send(.key(.char(":"))) { $0.overlay = .command(text: "", completions: Update.completions($0, "")) }
        for c in "asof -1d" {
            st.send(.key(.char(c))) { s in
                guard case .command(let text, _) = s.overlay else { return }
                s.overlay = .command(text: text + String(c), completions: Update.completions(s, text + String(c)))
            }
        }
        st.send(.key(.enter), effects: [.setAsOf(Self.now - CST.day)]) {
            $0.overlay = nil; $0.fixedAsOf = Self.now - CST.day; $0.status = "as of 2026-12-06 10:00:00 (replay)"; $0.keyStatusAt = Self.now
        }
    }

    @Test func anAppealFromKeyToJournalAndBack() {
        var st = Self.store()
        st.send(.key(.char("a"))) { $0.focus = .appeals; $0.screen = .table(.appeals) }
        // The table lists the newest first: WG2 is row 0 and appealable.
        st.send(.key(.char("a"))) { $0.tables[.appeals] = TableState(); $0.overlay = .appeal(AppealForm(violationId: "WG2", attempt: 1, operatorName: "运营-小王")) }
        var form = AppealForm(violationId: "WG2", attempt: 1, operatorName: "运营-小王")
        // Submit at once: the message sits by the statement and the focus stays on Submit.
        for _ in 0..<4 {
            st.send(.key(.tab)) { form.field = AppealForm.Field(rawValue: form.field.rawValue + 1)!; form.caret = 0; if form.field == .operatorName { form.caret = 5 }; $0.overlay = .appeal(form) }
        }
        st.send(.key(.enter)) { form.errors = [.statement: "a statement is required (申诉说明)"]; $0.overlay = .appeal(form) }
        for _ in 0..<3 {
            st.send(.key(.backTab)) { form.field = AppealForm.Field(rawValue: form.field.rawValue - 1)!; form.caret = form.field == .operatorName ? 5 : 0; $0.overlay = .appeal(form) }
        }
        for c in "已发货" {
            st.send(.key(.char(c))) { form.statement.append(c); form.caret += 1; form.errors[.statement] = nil; $0.overlay = .appeal(form) }
        }
        for _ in 0..<3 {
            st.send(.key(.tab)) { form.field = AppealForm.Field(rawValue: form.field.rawValue + 1)!; form.caret = form.field == .operatorName ? 5 : 0; $0.overlay = .appeal(form) }
        }
        st.send(.key(.enter)) { form.confirming = true; $0.overlay = .appeal(form) }
        let entry = AppealEntry(violationId: "WG2", attempt: 1, filedAt: Self.now, reason: "已按时发货", statement: "已发货", evidence: [], operatorName: "运营-小王")
        st.send(.key(.char("y")), effects: [.fileAppeal(entry)]) { form.confirming = false; form.filing = true; $0.overlay = .appeal(form) }
        // The journal refuses: the form stays with every character and says why.
        st.send(.appealFiled(entry, failure: "the journal is not writable")) {
            form.filing = false; form.field = .submit
            form.failure = "the journal is not writable — your text is kept; fix the cause and submit again, or copy it"
            $0.overlay = .appeal(form)
        }
        st.send(.key(.enter)) { form.confirming = true; form.errors = [:]; $0.overlay = .appeal(form) }
        st.send(.key(.enter), effects: [.fileAppeal(entry)]) { form.confirming = false; form.filing = true; form.failure = nil; $0.overlay = .appeal(form) }
        st.send(.appealFiled(entry, failure: nil)) { $0.overlay = nil; $0.status = "appeal filed: WG2 attempt 1 (申诉中, locally filed)" }
    }

    @Test func reviewModeAndNotAppealableSayWhy() {
        var st = Self.store()
        st.state.readOnlyReason = "--read-only"
        st.send(.key(.char("a"))) { $0.focus = .appeals; $0.screen = .table(.appeals) }
        st.send(.key(.char("a"))) { $0.tables[.appeals] = TableState(); $0.status = "read-only: --read-only; the appeal form does not open"; $0.keyStatusAt = Self.now }
        st.state.readOnlyReason = nil
        st.send(.key(.down)) { $0.status = nil; $0.tables[.appeals]!.selected = 1; $0.tables[.appeals]!.selectedId = "WG1" }
        st.send(.key(.char("a"))) { $0.status = "WG1 cannot be appealed: no appeals left"; $0.keyStatusAt = Self.now }
        // In another table `a` explains itself.
        st.send(.key(.tab)) { $0.status = nil; $0.focus = .coupons; $0.screen = .table(.coupons) }
        st.send(.key(.char("a"))) {
            $0.status = "appeals are filed from the violations table: press Esc, then a (or :violations)"; $0.keyStatusAt = Self.now
            $0.tables[.coupons] = TableState()
        }
    }

    @Test func theBellRingsOncePerEvent() {
        var st = Self.store()
        st.state.bellEnabled = true
        st.state.shopName = "A店"
        let r = Self.report()
        let events = Alerts.events(r, shop: "A店")
        st.send(.reportArrived(ReportArrival(report: r)), effects: [.bell("\(events[0].message) (+\(events.count - 1))")]) {
            $0.report = r; $0.reportRevision = 1; $0.dataLoaded = true; $0.rungEvents = Set(events.map(\.key))
        }
        st.send(.reportArrived(ReportArrival(report: r))) { $0.report = r; $0.reportRevision = 2 }
        st.send(.themeFailed("x.toml", error: "line 1: bad")) { $0.themeName = "default"; $0.overlay = .message("theme x.toml cannot be used: line 1: bad — the default theme is used") }
    }
}

@Suite("Journal messages in words, in both languages")
struct AppealMessageWordsTests {
    @Test func failuresAreSaidInTheUILanguage() {
        let taken = AppealJournal.Failure.attemptTaken(violation: "WG2", attempt: 1, by: "运营-小张", at: "2026-12-07 10:00:00")
        #expect(AppealMessages.words(taken, .en) == "attempt 1 of violation WG2 is already filed (by 运营-小张 at 2026-12-07 10:00:00); nothing was written")
        #expect(AppealMessages.words(taken, .zh) == "违规 WG2 的第 1 次申诉已由 运营-小张 于 2026-12-07 10:00:00 提交；本次未写入任何内容")
        #expect(AppealMessages.words(AppealJournal.Failure.readOnly("/srv/shop/.shopdeck/appeals.sqlite is not writable"), .zh)
                == "申诉记录只读：/srv/shop/.shopdeck/appeals.sqlite 不可写")
        #expect(AppealMessages.fileProblem("the folder /srv/shop is not writable", .zh) == "文件夹 /srv/shop 不可写")
        #expect(AppealMessages.fileProblem("the folder /srv/shop is not writable", .en) == "the folder /srv/shop is not writable")
    }
}
