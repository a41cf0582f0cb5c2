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

    init(ws: Workspace, fixedAsOf: Instant?, theme: String?, readOnly: Bool, journalPath: String?) {
        self.ws = ws
        self.journalPath = journalPath
        self.themeArg = theme
        let now = Workspace.now()
        let journal = (try? Journals.entries(folder: ws.folder, journal: journalPath)) ?? []
        state = AppState(report: ws.report(asOf: fixedAsOf ?? now, journal: journal), folder: ws.folder, now: now, fixedAsOf: fixedAsOf)
        state.shopName = ws.config.name
        state.operatorName = ws.config.operatorName ?? ProcessInfo.processInfo.environment["USER"] ?? ""
        state.appealReasons = ws.rulebook.appealReasons
        state.fileExists = { FileManager.default.fileExists(atPath: $0) }
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

        var signature = folderSignature()
        var pending: (sig: [String], seen: Date)? = nil
        var lastPoll = Date(), lastRules = Date()
        while true {
            let (w, h) = terminal.size
            terminal.draw(View.render(state, width: w, height: h, theme: theme, glyphs: glyphs))
            if let key = terminal.readKey(timeoutMs: 250) {
                state.now = Workspace.now()
                for effect in Update.key(&state, key) {
                    if case .quit = effect { return }
                    perform(effect)
                }
                continue
            }
            // Idle: clocks, countdowns, the folder.
            let now = Date()
            if now.timeIntervalSince(lastPoll) >= 1 {
                lastPoll = now
                let sig = folderSignature()
                if sig != signature {
                    if let p = pending, p.sig == sig, now.timeIntervalSince(p.seen) >= 0.5 {
                        signature = sig; pending = nil
                        reload(reason: "data changed")
                    } else if pending?.sig != sig { pending = (sig, now) }
                }
            }
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
                rerun()
                state.status = "appeal filed: \(entry.violationId) attempt \(entry.attempt) (申诉中, locally filed)"
            } catch {
                state.overlay = .message("\(error)")
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

    func rerun() {
        let journal = (try? Journals.entries(folder: ws.folder, journal: journalPath)) ?? []
        state.report = ws.report(asOf: state.asOf, journal: journal)
    }

    func reload(reason: String) {
        let started = Date()
        let old = ws.snapshot
        ws.reload()
        // A broken file never blanks the screen: keep the last good table when a file that
        // loaded before now fails entirely.
        if !ws.snapshot.skippedFiles.isEmpty && old.orders.count > 0 && ws.snapshot.orders.count == 0 {
            let errors = ws.snapshot.errors
            ws.snapshot = old
            ws.snapshot.errors = errors
        }
        rerun()
        state.lastReload = Workspace.now()
        state.status = "\(reason): \(ws.snapshot.files.count) files in \(String(format: "%.2f", Date().timeIntervalSince(started))) s"
            + (ws.snapshot.errors.isEmpty ? "" : " · \(ws.snapshot.errors.count) warnings")
    }

    /// Names, sizes and modification times of everything the data folder holds for us.
    func folderSignature() -> [String] {
        var out: [String] = []
        let names = (FileReader.list(ws.folder) ?? []).filter { DataLoader.isExport(name: $0) || $0 == ShopConfig.fileName }.sorted()
        for n in names { out.append("\(n)|\(FileReader.modificationTime(ws.folder + "/" + n) ?? 0)") }
        for n in (FileReader.list(ws.folder + "/scripts") ?? []).sorted() { out.append("scripts/\(n)|\(FileReader.modificationTime(ws.folder + "/scripts/" + n) ?? 0)") }
        return out
    }
}
