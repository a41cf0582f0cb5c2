import ShopdeckScreen
import ShopdeckModel
import ShopdeckRules

/// Per-table view state that outlives a frame.
public struct TableState: Equatable, Sendable {
    public var selected = 0
    /// The id of the selected row (order, refund, violation…): after a reload, a sort or a
    /// filter the selection follows the row, not the position (terminal-ui.md, Live data).
    public var selectedId: String? = nil
    public var scroll = 0
    public var sortColumn: Int? = nil
    public var descending = false
    public var filter = ""
    public init() {}
}

/// The appeal form (terminal-ui.md "Appeal form").
public struct AppealForm: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable { case reason, statement, evidence, operatorName, submit }
    /// The text fields' width in display columns: the form is 76 columns wide at every
    /// terminal size (80x24 is the least), its labels take 16 (`AppealFormView`).
    public static let fieldWidth = 56
    public var violationId: String
    public var attempt: Int
    public var reasonIndex = 0
    public var statement = ""
    public var evidence = ""
    public var operatorName: String
    public var field: Field = .reason
    public var caret = 0
    public var errors: [Field: String] = [:]
    public var confirming = false
    /// Sent to the journal; the form waits for the outcome (and keeps its text on failure).
    public var filing = false
    /// Why the last attempt to file failed (the form stays open with the text).
    public var failure: String? = nil

    public init(violationId: String, attempt: Int, operatorName: String) {
        self.violationId = violationId; self.attempt = attempt; self.operatorName = operatorName
    }

    /// True when something was typed that would be lost.
    public var hasText: Bool { !statement.isEmpty || !evidence.isEmpty }

    public var evidencePaths: [String] {
        evidence.split(whereSeparator: { $0 == "\n" || $0 == ";" || $0 == "；" || $0 == "," }).map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

/// Overlays drawn over the current screen.
public enum Overlay: Equatable, Sendable {
    case help
    case command(text: String, completions: [String])
    case filter(text: String)
    case appeal(AppealForm)
    case confirmDiscard(AppealForm)
    /// Quit while an appeal form holds text: the form comes back on "no".
    case confirmQuit(AppealForm)
    case message(String)
    /// Every load error and warning with file:line:column (`:warnings`), scrolled to `from`.
    case warnings(from: Int)
}

public enum Screen: Equatable, Sendable {
    case dashboard
    case table(PaneID)
}

/// What the runner must do after an action: the reducer stays pure. Each effect's result
/// comes back as an `Action` (a report, a filed appeal, a loaded theme).
public enum Effect: Equatable, Sendable {
    case quit
    /// Every table again (`r`).
    case reload
    /// The watcher saw these names settle: only they are read again.
    case reloadFiles(Set<String>)
    /// The figures again (the clock moved).
    case requestReport
    /// Tell the worker the as-of the figures are for (nil: now).
    case setAsOf(Instant?)
    /// Load a theme (by name or file) and answer `themeApplied` or `themeFailed`.
    case setTheme(String?)
    case fileAppeal(AppealEntry)
    /// Ring the terminal bell (and an OSC 9 notification) with this text.
    case bell(String)
    /// Back to the fleet view (a shop opened from it).
    case back
}

/// Everything that changes the state, as values: keys, the clock, the watcher's findings,
/// and the results of effects (TCA / Elm style). `Update.reduce` is the only place the state
/// changes.
public enum Action: Sendable {
    case key(Key)
    /// The clock (CST seconds) at an idle turn of the loop.
    case tick(Instant)
    /// Exports that settled and must be read again.
    case folderChanged(Set<String>)
    /// The watcher's view of the folder: files still being written, whether it is readable.
    case folderState(stillWriting: [String], readable: Bool)
    /// A load or reload is queued or running (false: none is), with how far the running
    /// one has read.
    case loading(Bool, progress: LoadProgress.Counts?)
    case reportArrived(ReportArrival)
    case appealFiled(AppealEntry, failure: String?)
    case themeApplied(String, announce: Bool)
    case themeFailed(String, error: String)
}

/// New figures from the worker.
public struct ReportArrival: Sendable {
    public var report: Report
    public var journalError: String?
    public var status: String?
    public var shopName: String?
    /// When the exports were last read (0: this report did not read them).
    public var loadedAt: Instant
    public var history: [History.Week]
    public init(report: Report, journalError: String? = nil, status: String? = nil, shopName: String? = nil, loadedAt: Instant = 0, history: [History.Week] = []) {
        self.report = report; self.journalError = journalError; self.status = status; self.shopName = shopName; self.loadedAt = loadedAt; self.history = history
    }
}

public struct AppState: Sendable, Equatable {
    /// The figures on screen. Compared by `reportRevision` (a report is a value the engine
    /// made; each arrival gets the next number).
    public var report: Report
    public var reportRevision = 0
    /// Each pane's table, built once per report (and language), never per key or frame.
    public var tableModels: [PaneID: TableModel] = [:]
    public var tableModelsLang: Lang? = nil
    public var folder: String
    public var shopName: String?
    /// nil: live (as of now, moving); otherwise fixed.
    public var fixedAsOf: Instant?
    public var now: Instant
    public var focus: PaneID = .shipping
    public var screen: Screen = .dashboard
    public var tables: [PaneID: TableState] = [:]
    public var overlay: Overlay? = nil
    public var readOnlyReason: String? = nil
    public var lastReload: Instant
    public var status: String? = nil
    public var themeName = "default"
    public var themeNames: [String] = ["default"]
    public var operatorName = ""
    /// The operator's name is fixed (a served session's user): the form does not edit it.
    public var operatorLocked = false
    public var appealReasons: [String] = []
    /// Why a path cannot be evidence (nil when it can): file-system checks injected by the
    /// runner so the reducer stays pure (`Evidence.problem`).
    public var evidenceProblem: @Sendable (String) -> String? = { _ in nil }
    /// Names in the data folder starting with a typed path (`Evidence.completions`), injected
    /// like `evidenceProblem`.
    public var evidenceCompletions: @Sendable (String) -> [String] = { _ in [] }
    /// The journal could not be read: its error. Appeals are then not offered (the
    /// violations would be judged without the appeals already filed).
    public var journalError: String? = nil
    /// Data is being loaded or reloaded off the key loop.
    public var loading = false
    /// How far the running load has read (the status line says it; terminal-ui.md: a load
    /// that takes more than a moment shows progress).
    public var loadProgress: LoadProgress.Counts? = nil
    /// The first figures have arrived. Until then the panes say "loading…": an empty report
    /// is never shown as if it were the shop's figures.
    public var dataLoaded = true
    /// The shop's stored finished weeks (`History`): the sparkline reads them where the
    /// exports no longer reach.
    public var history: [History.Week] = []
    /// The UI language.
    public var lang: Lang = .en
    /// Opened from the fleet view: Esc on the dashboard returns there.
    public var inFleet = false
    /// Exports still being written (not settled): their last good version is shown.
    public var stillWriting: [String] = []
    public var minimumSize = (width: 80, height: 24)
    /// `[ui] bell`: ring once for each alert event (terminal-ui.md, Alerts).
    public var bellEnabled = false
    public var rungEvents: Set<String> = []
    /// When a key last wrote its own message: a report arriving within 3 s keeps it.
    public var keyStatusAt: Instant? = nil
    /// When the figures were last asked for on the clock (every 5 s while live).
    public var lastRulesAt: Instant = 0
    /// The data folder can be read (the watcher says).
    public var folderReadable = true

    public init(report: Report, folder: String, now: Instant, fixedAsOf: Instant? = nil) {
        self.report = report; self.folder = folder; self.now = now; self.fixedAsOf = fixedAsOf; lastReload = now
    }

    public var asOf: Instant { fixedAsOf ?? now }
    public var readOnly: Bool { readOnlyReason != nil }

    public func table(_ p: PaneID) -> TableState { tables[p] ?? TableState() }

    /// The pane's table: the one built when the report arrived, or built now for a state
    /// made directly (tests, the first frame).
    public func model(_ p: PaneID) -> TableModel {
        if tableModelsLang == lang, let m = tableModels[p] { return m }
        return TableModel.build(p, report, lang)
    }

    /// Every field that is state, not an injected client (`evidenceProblem`,
    /// `evidenceCompletions`) or a cache derived from the report (`tableModels`).
    public static func == (a: AppState, b: AppState) -> Bool {
        a.reportRevision == b.reportRevision && a.folder == b.folder && a.shopName == b.shopName && a.fixedAsOf == b.fixedAsOf
            && a.now == b.now && a.focus == b.focus && a.screen == b.screen && a.tables == b.tables && a.overlay == b.overlay
            && a.readOnlyReason == b.readOnlyReason && a.lastReload == b.lastReload && a.status == b.status && a.themeName == b.themeName
            && a.themeNames == b.themeNames && a.operatorName == b.operatorName && a.operatorLocked == b.operatorLocked
            && a.appealReasons == b.appealReasons && a.journalError == b.journalError && a.loading == b.loading && a.loadProgress == b.loadProgress
            && a.dataLoaded == b.dataLoaded && a.history == b.history && a.lang == b.lang && a.inFleet == b.inFleet
            && a.stillWriting == b.stillWriting && a.minimumSize == b.minimumSize && a.bellEnabled == b.bellEnabled
            && a.rungEvents == b.rungEvents && a.keyStatusAt == b.keyStatusAt && a.lastRulesAt == b.lastRulesAt
            && a.folderReadable == b.folderReadable
    }
}
