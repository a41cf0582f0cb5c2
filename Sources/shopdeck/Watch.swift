import ArgumentParser
import Foundation
import ShopdeckApp
import ShopdeckModel
import ShopdeckRules

/// `shopdeck watch`: alerts without a screen (terminal-ui.md, Alerts). Each round computes
/// every shop's events, sends what each destination has not had yet (one message per
/// destination per round), and records what was delivered in the shop's `.shopdeck`.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Send alerts to DingTalk, Feishu, WeCom or webhooks ([[notify]] in shopdeck.toml) as events happen; --once for cron.")
    @OptionGroup var options: DataOptions
    @Flag(name: .long, help: "Compute, send what is new, and exit (exit 1 when a destination could not be reached).") var once = false
    @Option(name: .long, help: "Seconds between rounds when nothing changes (default 30).") var interval: Double = 30

    /// The retry delays of a failing destination, in seconds.
    static let retryDelays: [TimeInterval] = [0.5, 1, 2]

    func run() throws {
        if let why = Workspace.folderProblem(options.data) { throw Output.fail("watch", why) }
        let shops = Fleet.shops(in: options.data)
        var fleetTargets: [NotifyTarget] = []
        if shops != nil {
            do { fleetTargets = try ShopConfig.load(folder: options.data).notify } catch { throw Output.fail("watch", "\(error)") }
        }
        let folders = shops.map { $0.map { options.data + "/" + $0 } } ?? [options.data]
        let watchers = once ? [] : folders.map { FolderWatcher(folder: $0) }
        var lastSent: [String: Date] = [:]
        var lastRound = Date.distantPast
        while true {
            let worst = try round(folders, fleetTargets: fleetTargets, lastSent: &lastSent)
            if once { if worst != 0 { throw ExitCode(worst) }; return }
            lastRound = Date()
            // Until a folder changes or the interval passes (deadlines move with the clock).
            while Date().timeIntervalSince(lastRound) < interval {
                Thread.sleep(forTimeInterval: 0.5)
                if watchers.contains(where: { $0.poll() != nil }) { break }
            }
        }
    }

    /// One round over every shop; the exit status it would give (0 fine, 1 a destination
    /// failed, 2 a shop could not be loaded).
    func round(_ folders: [String], fleetTargets: [NotifyTarget], lastSent: inout [String: Date]) throws -> Int32 {
        var worst: Int32 = 0
        let asOf = try options.fixedInstant() ?? Workspace.now()
        // Per destination: its events, and for each the shop folder that records it.
        var pending: [String: (target: NotifyTarget, items: [(folder: String, event: AlertEvent)])] = [:]
        var order: [String] = []
        for folder in folders {
            let ws: Workspace
            do { ws = try Workspace.open(folder: folder, rulesFile: options.rules, passwords: Workspace.passwords(flags: options.password)) }
            catch { Output.err("shopdeck watch: \(folder): \(error)"); worst = 2; continue }
            var journal: [AppealEntry] = []
            do { journal = try Journals.entries(folder: folder, journal: folders.count == 1 ? options.journal : nil) }
            catch { Output.err("shopdeck watch: \(folder): the appeal journal cannot be read: \(AppealMessages.words(error))"); worst = 2 }
            let report = ws.report(asOf: asOf, journal: journal)
            let name = ws.config.name.flatMap { $0.trimmingSpaces().isEmpty ? nil : $0 } ?? (folder as NSString).lastPathComponent
            let events = Alerts.events(report, shop: name)
            let targets = ws.config.notify + fleetTargets
            if targets.isEmpty {
                for e in events { Output.line(e.message) }
                continue
            }
            for t in targets {
                let dest = AlertLog.destination(t)
                let sent: Set<String>
                do { sent = try AlertLog.sent(folder: folder, destination: dest) }
                catch { Output.err("shopdeck watch: \(folder): the alert record cannot be read: \(error)"); worst = 2; continue }
                let new = events.filter { (t.events.isEmpty || t.events.contains($0.kind.rawValue)) && !sent.contains($0.key) }
                guard !new.isEmpty else { continue }
                if pending[dest] == nil { pending[dest] = (t, []); order.append(dest) }
                pending[dest]!.items += new.map { (folder, $0) }
            }
        }
        if options.readOnly {
            // Review mode: nothing is sent (nothing could be recorded); say what would be.
            for d in order { for i in pending[d]!.items { Output.line("would send to \(pending[d]!.target.label): \(i.event.message)") } }
            return worst
        }
        // Batching: a destination with min_interval waits that long after its last message.
        let now = Date()
        let ready = order.filter { d in
            let t = pending[d]!.target
            return t.minInterval <= 0 || now.timeIntervalSince(lastSent[d] ?? .distantPast) >= t.minInterval
        }
        guard !ready.isEmpty else { return worst }
        let outcomes = Notifier.deliver(ready.map { (pending[$0]!.target, pending[$0]!.items.map(\.event)) },
                                        nowMs: Int64(Date().timeIntervalSince1970 * 1000), delays: Self.retryDelays) { Output.err("shopdeck watch: " + $0) }
        for (d, outcome) in zip(ready, outcomes) {
            guard outcome == nil else { worst = max(worst, 1); continue }
            lastSent[d] = Date()
            let byFolder = Dictionary(grouping: pending[d]!.items, by: \.folder)
            for (folder, items) in byFolder {
                do { try AlertLog.record(folder: folder, destination: d, keys: items.map(\.event.key), at: Workspace.now()) }
                catch { Output.err("shopdeck watch: \(folder): sent, but could not record it (it may be sent again): \(error)"); worst = max(worst, 1) }
            }
        }
        return worst
    }
}
