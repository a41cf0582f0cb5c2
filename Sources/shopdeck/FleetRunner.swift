import Foundation
import ShopdeckApp
import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen
import ShopdeckTerminal

/// The fleet view's loop (terminal-ui.md, Fleet): shops load off the key loop, every shop is
/// watched and its row updated when its folder changes, Enter opens a shop's dashboard in the
/// same terminal and Esc there comes back with the selection kept.
final class FleetRunner {
    let folder: String
    let shops: [String]
    let options: DataOptions
    let screen: ScreenOptions
    let terminal = Terminal()
    var state: FleetState
    var interrupted = false
    /// Loaded rows waiting for the loop (filled on the worker queue).
    final class Inbox: @unchecked Sendable {
        private let lock = NSLock()
        private var batches: [[Fleet.Shop]] = []
        /// Shops loaded of the current load (for the one progress line).
        private var progress: (Int, Int)?
        func post(_ b: [Fleet.Shop]) { lock.withLock { batches.append(b); progress = nil } }
        func report(_ done: Int, _ total: Int) { lock.withLock { progress = (done, total) } }
        var loading: (Int, Int)? { lock.withLock { progress } }
        func drain() -> [[Fleet.Shop]] { lock.withLock { defer { batches.removeAll() }; return batches } }
    }
    private let inbox = Inbox()
    private let queue = DispatchQueue(label: "shopdeck.fleet")
    private var latest: [String: Fleet.Shop] = [:]

    init(folder: String, shops: [String], options: DataOptions, screen: ScreenOptions) {
        self.folder = folder; self.shops = shops; self.options = options; self.screen = screen
        state = FleetState(folder: folder)
        state.lang = Lang.resolve(flag: screen.lang, config: (try? ShopConfig.load(folder: folder))?.lang)
    }

    /// Loads `names` (all when nil) on the worker queue; the rows come back through the inbox.
    func load(_ names: [String]? = nil) {
        let fixed = try? options.fixedInstant()
        let rules = options.rules, passwords = Workspace.passwords(flags: options.password), folder = self.folder
        let which = names ?? shops
        let record = (try? options.recordsHistory()) ?? false
        let cache = options.writes
        let inbox = self.inbox
        queue.async {
            inbox.post(Fleet.load(folder: folder, shops: which, asOf: fixed ?? nil, rulesFile: rules, passwords: passwords, recordHistory: record,
                                  cache: cache, progress: { n, total in inbox.report(n, total) }))
        }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        try terminal.start(color: env["NO_COLOR"].map { $0.isEmpty } ?? true)
        defer { terminal.stop() }
        var theme = (try? ThemeLoader.load(screen.theme ?? "default", colors: terminal.colors)) ?? .standard
        if terminal.colors == 0 { theme = theme.monochrome }
        let glyphs: Glyphs = terminal.utf8 ? .unicode : .ascii
        load()
        let watchers = shops.map { FolderWatcher(folder: folder + "/" + $0) }
        var lastAll = Date()
        while true {
            for batch in inbox.drain() {
                for s in batch { latest[s.path] = s }
                state.update(Array(latest.values))
                state.loading = latest.count < shops.count
            }
            state.now = (try? options.fixedInstant()) ?? nil ?? Workspace.now()
            state.progress = inbox.loading
            let (w, h) = terminal.size
            terminal.draw(FleetView.render(state, width: w, height: h, theme: theme, glyphs: glyphs))
            if let key = terminal.readKey(timeoutMs: 100) {
                if state.help { state.help = false; continue }
                state.status = nil
                switch key {
                case .char("q"): return
                case .interrupt: interrupted = true; return
                case .char("?"): state.help = true
                case .down, .char("j"): state.move(1)
                case .up, .char("k"): state.move(-1)
                case .pageDown: state.move(10)
                case .pageUp: state.move(-10)
                case .char("g"), .home: state.move(-state.shops.count)
                case .char("G"), .end: state.move(state.shops.count)
                case .char("r"): state.status = state.lang.t("reloading every shop…", "正在重新加载所有店铺…"); load()
                case .enter:
                    guard state.shops.indices.contains(state.selected) else { break }
                    let shop = state.shops[state.selected]
                    if let e = shop.error { state.status = state.lang.t("\(shop.name) cannot be loaded: \(e)", "\(shop.name) 无法加载：\(e)"); break }
                    if try openShop(shop.path) { return }
                    load([shop.path])   // appeals may have been filed: its row again
                default: break
                }
                continue
            }
            // Idle: a changed shop folder reloads its row; every minute, all rows (deadlines move).
            for (i, wch) in watchers.enumerated() where wch.poll() != nil { load([shops[i]]) }
            if Date().timeIntervalSince(lastAll) >= 60 { lastAll = Date(); load() }
        }
    }

    /// Runs a shop's dashboard in this terminal. True when the user quit from it.
    func openShop(_ path: String) throws -> Bool {
        let shopFolder = folder + "/" + path
        var ws: Workspace
        do { ws = try Workspace.prepare(folder: shopFolder, rulesFile: options.rules, passwords: Workspace.passwords(flags: options.password)); ws.useCache = options.writes }
        catch { state.status = "\(path): \(error)"; return false }
        // A shop without [shop] name is named by its folder, as in the fleet's rows.
        if (ws.config.name ?? "").trimmingSpaces().isEmpty { ws.config.name = path }
        let runner = DashboardRunner(ws: ws, fixedAsOf: try options.fixedInstant(), theme: screen.theme, readOnly: options.readOnly,
                                     journalPath: nil, needsLoad: true, terminal: terminal)
        runner.state.lang = Lang.resolve(flag: screen.lang, config: ws.config.lang)
        try runner.run()
        if runner.interrupted { interrupted = true; return true }
        return !runner.wentBack
    }
}
