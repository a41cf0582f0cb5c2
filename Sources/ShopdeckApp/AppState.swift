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

/// What the loop must do after a key: the reducer stays pure.
public enum Effect: Equatable, Sendable {
    case quit
    case reload
    case setAsOf(Instant?)
    case setTheme(String?)
    case fileAppeal(AppealEntry)
    /// Back to the fleet view (a shop opened from it).
    case back
}

public struct AppState: Sendable {
    public var report: Report
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

    public init(report: Report, folder: String, now: Instant, fixedAsOf: Instant? = nil) {
        self.report = report; self.folder = folder; self.now = now; self.fixedAsOf = fixedAsOf; lastReload = now
    }

    public var asOf: Instant { fixedAsOf ?? now }
    public var readOnly: Bool { readOnlyReason != nil }

    public func table(_ p: PaneID) -> TableState { tables[p] ?? TableState() }
}
