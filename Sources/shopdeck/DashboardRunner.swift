import Foundation
import ShopdeckApp
import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen
import ShopdeckTerminal

/// The interactive loop, which only runs effects: keys, the clock, the watcher's findings and
/// the worker's results become actions; `Update.reduce` makes the new state and the effects;
/// the state is drawn. The folder is polled once a second; a change is reloaded once settled.
final class DashboardRunner {
    var ws: Workspace
    var state: AppState
    let terminal: Terminal
    /// The terminal was started by someone else (the fleet view) and stays theirs.
    let sharedTerminal: Bool
    /// Left with Esc back to the fleet view (not quit).
    var wentBack = false
    let journalPath: String?
    var themeArg: String?
    var theme = Theme.standard
    var glyphs = Glyphs.unicode
    var colorWanted = true
    /// The dashboard was left with Ctrl-C (exit status 130, as after SIGINT).
    var interrupted = false

    let worker: WorkspaceWorker
    let folder: String

    /// `ws` holds config and rulebook; its data may not be loaded yet (`needsLoad`): the
    /// worker loads it while the screen is already up and answering keys.
    init(ws: Workspace, fixedAsOf: Instant?, theme: String?, readOnly: Bool, journalPath: String?, needsLoad: Bool = false,
         terminal shared: Terminal? = nil) {
        terminal = shared ?? Terminal()
        sharedTerminal = shared != nil
        self.ws = ws
        self.journalPath = journalPath
        self.themeArg = theme
        folder = ws.folder
        let now = Workspace.now()
        worker = WorkspaceWorker(workspace: ws, journalPath: journalPath, fixedAsOf: fixedAsOf)
        state = AppState(report: Report(asOf: fixedAsOf ?? now, rulebook: ws.rulebook.version), folder: ws.folder, now: now, fixedAsOf: fixedAsOf)
        state.shopName = ws.config.name
        // A served session files under its user's own name (`shopdeck serve`).
        if let served = ProcessInfo.processInfo.environment[AuditLog.operatorVariable], !served.isEmpty {
            state.operatorName = served; state.operatorLocked = true
        } else {
            state.operatorName = ws.config.operatorName ?? ProcessInfo.processInfo.environment["USER"] ?? ""
        }
        state.appealReasons = ws.rulebook.appealReasons
        let folder = ws.folder
        // In a served session (`shopdeck serve`) nothing outside the shop folder is reachable,
        // not even by naming it as evidence.
        let served = ProcessInfo.processInfo.environment[AuditLog.pathVariable] != nil
        state.evidenceProblem = { path in
            if served && path.trimmingSpaces().hasPrefix("/") { return "\(path.trimmingSpaces()): paths are relative to the shop folder here" }
            return Evidence.problem(path, folder: folder)
        }
        state.evidenceCompletions = { Evidence.completions($0, folder: folder) }
        state.themeNames = ThemeLoader.available()
        if readOnly { state.readOnlyReason = "--read-only" }
        else if let why = Journals.unwritable(folder: ws.folder, journal: journalPath) { state.readOnlyReason = why }
        worker.recordsHistory = state.readOnlyReason == nil
        state.bellEnabled = ws.config.bell
        state.loading = true
        state.dataLoaded = false
        firstJob = needsLoad ? .load : .report
    }

    /// Submitted when `run` starts, once the language and the rest of the state are set.
    private var firstJob: WorkspaceWorker.Job?

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        colorWanted = env["NO_COLOR"].map { $0.isEmpty } ?? true
        if !sharedTerminal { try terminal.start(color: colorWanted) }
        defer { if !sharedTerminal { terminal.stop() } }
        state.inFleet = sharedTerminal
        if !terminal.utf8 { glyphs = .ascii }
        _ = dispatch(applyTheme(themeArg ?? ThemeLoader.automatic(environment: env), announce: false))

        worker.lang = state.lang
        if let job = firstJob { firstJob = nil; worker.submit(job) }
        let watcher = FolderWatcher(folder: folder)
        while true {
            // The worker's results come back as actions.
            for o in worker.drain() {
                let action: Action
                switch o {
                case let .report(report, journalError, status, shopName, loadedAt, history):
                    action = .reportArrived(ReportArrival(report: report, journalError: journalError, status: status, shopName: shopName,
                                                          loadedAt: loadedAt, history: history))
                case let .appealFiled(entry, failure): action = .appealFiled(entry, failure: failure)
                }
                if !dispatch(action) { return }
            }
            let busy = worker.isBusy, progress = busy ? worker.loadProgress : nil
            if busy != state.loading || progress != state.loadProgress, !dispatch(.loading(busy, progress: progress)) { return }
            let (w, h) = terminal.size
            terminal.draw(View.render(state, width: w, height: h, theme: theme, glyphs: glyphs))
            if let key = terminal.readKey(timeoutMs: 100) {
                // The clock first (a filed appeal is stamped with it), then the key.
                if !dispatch(.tick(Workspace.now())) || !dispatch(.key(key)) { return }
                continue
            }
            // Idle: the folder, the clock. The watcher only looks at names, sizes and times
            // (never opens a FIFO); the reading happens on the worker.
            if let changed = watcher.poll(now: Date()), !dispatch(.folderChanged(changed)) { return }
            let writing = watcher.stillWriting.sorted()
            // (An unreadable folder is said again after a key cleared the message.)
            if writing != state.stillWriting || watcher.folderReadable != state.folderReadable || !watcher.folderReadable,
               !dispatch(.folderState(stillWriting: writing, readable: watcher.folderReadable)) { return }
            if !dispatch(.tick(Workspace.now())) { return }
        }
    }

    /// Runs the reducer on `action` and performs its effects (whose results come back as
    /// actions); false when the dashboard is to close.
    func dispatch(_ action: Action) -> Bool {
        for effect in Update.reduce(&state, action) {
            switch effect {
            case .quit:
                if case .key(let k) = action { interrupted = k == .interrupt }
                return false
            case .back: wentBack = true; return false
            case .reload: worker.submit(.reloadAll)
            case .reloadFiles(let names): worker.submit(.reload(names))
            case .requestReport: worker.submit(.report)
            case .setAsOf(let t): worker.setAsOf(t); worker.submit(.report)
            case .setTheme(let name): if !dispatch(applyTheme(name ?? "default", announce: true)) { return false }
            case .fileAppeal(let entry): worker.submit(.file(entry))
            case .bell(let text): terminal.bell(text)
            }
        }
        return true
    }

    /// Loads a theme (a file read: an effect) and says how it went as an action.
    func applyTheme(_ name: String, announce: Bool) -> Action {
        do {
            var t = try ThemeLoader.load(name, colors: terminal.colors)
            if terminal.colors == 0 { t = t.monochrome }
            theme = t
            return .themeApplied(name, announce: announce)
        } catch {
            theme = terminal.colors == 0 ? Theme.standard.monochrome : .standard
            return .themeFailed(name, error: "\(error)")
        }
    }
}
