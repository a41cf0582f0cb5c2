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
    let terminal = Terminal()
    let journalPath: String?
    var themeArg: String?
    var theme = Theme.standard
    var glyphs = Glyphs.unicode
    var colorWanted = true
    /// The dashboard was left with Ctrl-C (exit status 130, as after SIGINT).
    var interrupted = false

    init(ws: Workspace, fixedAsOf: Instant?, theme: String?, readOnly: Bool, journalPath: String?) {
        self.ws = ws
        self.journalPath = journalPath
        self.themeArg = theme
        let now = Workspace.now()
        var journalError: String? = nil
        let journal: [AppealEntry]
        do { journal = try Journals.entries(folder: ws.folder, journal: journalPath) }
        catch { journal = []; journalError = AppealMessages.words(error) }
        state = AppState(report: ws.report(asOf: fixedAsOf ?? now, journal: journal), folder: ws.folder, now: now, fixedAsOf: fixedAsOf)
        state.journalError = journalError
        state.shopName = ws.config.name
        state.operatorName = ws.config.operatorName ?? ProcessInfo.processInfo.environment["USER"] ?? ""
        state.appealReasons = ws.rulebook.appealReasons
        let folder = ws.folder
        state.evidenceProblem = { Evidence.problem($0, folder: folder) }
        state.themeNames = ThemeLoader.available()
        if readOnly { state.readOnlyReason = "--read-only" }
        else if let why = Journals.unwritable(folder: ws.folder, journal: journalPath) { state.readOnlyReason = why }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        colorWanted = env["NO_COLOR"].map { $0.isEmpty } ?? true
        try terminal.start(color: colorWanted)
        defer { terminal.stop() }
        if !terminal.utf8 { glyphs = .ascii }
        applyTheme(themeArg ?? "default", announce: false)

        let watcher = FolderWatcher(folder: ws.folder)
        var lastRules = Date()
        while true {
            let (w, h) = terminal.size
            terminal.draw(View.render(state, width: w, height: h, theme: theme, glyphs: glyphs))
            if let key = terminal.readKey(timeoutMs: 100) {
                state.now = Workspace.now()
                for effect in Update.key(&state, key) {
                    if case .quit = effect { interrupted = key == .interrupt; return }
                    perform(effect)
                }
                continue
            }
            // Idle: the folder, clocks, countdowns.
            let now = Date()
            if let changed = watcher.poll(now: now) { reload(changed: changed) }
            if state.fixedAsOf == nil {
                let t = Workspace.now()
                if t != state.now {
                    state.now = t
                    if now.timeIntervalSince(lastRules) >= 5 { lastRules = now; rerun() }
                }
            }
        }
    }

    func perform(_ e: Effect) {
        switch e {
        case .quit: break
        case .reload: reload(reason: "reloaded")
        case .setAsOf(let t):
            state.fixedAsOf = t
            rerun()
            state.status = t.map { "as of \(CST.format($0)) (replay)" } ?? "live: as of now"
        case .setTheme(let name): applyTheme(name ?? "default", announce: true)
        case .fileAppeal(let entry):
            do {
                try Journals.file(entry, folder: ws.folder, journal: journalPath)
                Update.appealFiled(&state, entry, failure: nil)
                rerun()
            } catch {
                Update.appealFiled(&state, entry, failure: AppealMessages.words(error))
            }
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

    /// The figures again; a journal that cannot be read is said on the status line and in
    /// the appeals pane, never taken as empty.
    func rerun() {
        let journal: [AppealEntry]
        do { journal = try Journals.entries(folder: ws.folder, journal: journalPath); state.journalError = nil }
        catch { journal = []; state.journalError = AppealMessages.words(error) }
        state.report = ws.report(asOf: state.asOf, journal: journal)
    }

    /// `r`: everything again.
    func reload(reason: String) {
        let started = Date()
        ws.reload()
        finishReload("\(reason): \(ws.snapshot.files.count) files", started)
    }

    /// The watcher saw `changed` settle: only those tables are re-read; selection and scroll
    /// stay (they live in the state, untouched).
    func reload(changed: Set<String>) {
        let started = Date()
        do {
            let what = try ws.reload(changed: changed)
            state.shopName = ws.config.name
            finishReload("reloaded " + (what.isEmpty ? "nothing" : what.joined(separator: ", ")), started)
        } catch {
            state.status = "reload: \(error) — keeping the last good data"
        }
    }

    func finishReload(_ what: String, _ started: Date) {
        rerun()
        state.lastReload = Workspace.now()
        let errors = ws.snapshot.errors
        state.status = "\(what) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s"
            + (errors.isEmpty ? "" : " · \(errors.count) warning\(errors.count == 1 ? "" : "s"): \(errors.last!.description)")
    }

}
