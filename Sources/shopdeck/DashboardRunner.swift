import Foundation
import ShopdeckApp
import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen
import ShopdeckTerminal

/// The interactive loop: state -> view -> buffer -> terminal; keys -> actions -> effects.
/// The folder is polled once a second; a change is reloaded once it has settled.
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
    /// `[ui] bell`: the alert events already rung for (each rings once).
    var bellEnabled = false
    var rungEvents: Set<String> = []
    /// When a key last put a message on the status line: a worker's report arriving just
    /// after does not write over it (the operator's own action is what they look for).
    var keyStatusAt = Date.distantPast

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
        bellEnabled = ws.config.bell
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
        applyTheme(themeArg ?? ThemeLoader.automatic(environment: env), announce: false)

        worker.lang = state.lang
        if let job = firstJob { firstJob = nil; worker.submit(job) }
        let watcher = FolderWatcher(folder: folder)
        var lastRules = Date()
        while true {
            applyOutcomes()
            state.loading = worker.isBusy
            let (w, h) = terminal.size
            terminal.draw(View.render(state, width: w, height: h, theme: theme, glyphs: glyphs))
            if let key = terminal.readKey(timeoutMs: 100) {
                state.now = Workspace.now()
                let before = state.status
                let effects = Update.key(&state, key)
                // A message a key wrote itself (no work behind it) stays a moment.
                if effects.isEmpty && state.status != nil && state.status != before { keyStatusAt = Date() }
                for effect in effects {
                    if case .quit = effect { interrupted = key == .interrupt; return }
                    if case .back = effect { wentBack = true; return }
                    perform(effect)
                }
                continue
            }
            // Idle: the folder, clocks, countdowns. The watcher only looks at names, sizes and
            // times (never opens a FIFO); the reading happens on the worker.
            let now = Date()
            if let changed = watcher.poll(now: now) { worker.submit(.reload(changed)) }
            let writing = watcher.stillWriting.sorted()
            if writing != state.stillWriting { state.stillWriting = writing }
            if !watcher.folderReadable && state.status == nil { state.status = state.lang.t("the data folder \(folder) is missing or unreadable: showing the last good data", "数据文件夹 \(folder) 不存在或无法读取：显示上一份完整数据") }
            if state.fixedAsOf == nil {
                let t = Workspace.now()
                if t != state.now {
                    state.now = t
                    if now.timeIntervalSince(lastRules) >= 5 { lastRules = now; worker.submit(.report) }
                }
            }
        }
    }

    /// Applies what the worker finished: new figures (the selection follows its rows), a
    /// filed or refused appeal.
    func applyOutcomes() {
        for o in worker.drain() {
            switch o {
            case let .report(report, journalError, status, shopName, loadedAt, history):
                state.history = history
                Update.reportChanged(&state, report)
                state.dataLoaded = true
                if bellEnabled { ringForNewEvents(report) }
                state.journalError = journalError
                if let shopName { state.shopName = shopName }
                if loadedAt > 0 { state.lastReload = loadedAt }
                if let status, Date().timeIntervalSince(keyStatusAt) > 3 { state.status = status }
            case let .appealFiled(entry, failure):
                Update.appealFiled(&state, entry, failure: failure)
            }
        }
    }

    /// Rings once for alert events not rung for before (terminal-ui.md, Alerts: `[ui] bell`).
    func ringForNewEvents(_ report: Report) {
        let events = Alerts.events(report, shop: state.shopName ?? folder)
        let new = events.filter { !rungEvents.contains($0.key) }
        guard !new.isEmpty else { return }
        rungEvents.formUnion(new.map(\.key))
        terminal.bell(new.count == 1 ? new[0].message : "\(new[0].message) (+\(new.count - 1))")
    }

    func perform(_ e: Effect) {
        switch e {
        case .quit, .back: break
        case .reload: worker.submit(.reloadAll)
        case .setAsOf(let t):
            state.fixedAsOf = t
            worker.setAsOf(t)
            worker.submit(.report)
            state.status = t.map { "as of \(CST.format($0)) (replay)" } ?? "live: as of now"
        case .setTheme(let name): applyTheme(name ?? "default", announce: true); keyStatusAt = Date()
        case .fileAppeal(let entry): worker.submit(.file(entry))
        }
    }

    func applyTheme(_ name: String, announce: Bool) {
        do {
            var t = try ThemeLoader.load(name, colors: terminal.colors)
            if terminal.colors == 0 { t = t.monochrome }
            theme = t
            state.themeName = name
            if announce { state.status = "theme \(name)" }
        } catch {
            theme = terminal.colors == 0 ? Theme.standard.monochrome : .standard
            state.themeName = "default"
            state.overlay = .message("theme error: \(error) — using the default theme")
        }
    }

}
