import Foundation
import ShopdeckModel
import ShopdeckRules

/// Everything that touches files, off the key loop (terminal-ui.md, Live data: "the screen
/// never freezes on file I/O"): loading, reloading, watching the folder, reading and writing
/// the journal, and running the rules. The loop submits jobs and drains results each turn;
/// results come back as values (`Outcome`) that the reducer applies, so a key is answered
/// within a frame while a big file loads and a FIFO in the folder stalls nothing.
///
/// The workspace lives on one serial queue and is touched nowhere else; the inbox and the
/// as-of setting are behind a lock.
public final class WorkspaceWorker: @unchecked Sendable {
    public enum Job: Sendable {
        /// The first load of the data.
        case load
        /// `r`: every table again (each keeping its last good version when unreadable).
        case reloadAll
        /// The watcher saw these names settle.
        case reload(Set<String>)
        /// The figures again (the clock moved, the as-of changed).
        case report
        case file(AppealEntry)

        var loads: Bool {
            switch self { case .load, .reloadAll, .reload: return true; case .report, .file: return false }
        }
    }

    /// What a job produced, for the loop to apply.
    /// (`Job.loads`: a job that reads the exports.)
    public enum Outcome: Sendable {
        case report(Report, journalError: String?, status: String?, shopName: String?, loadedAt: Instant, history: [History.Week])
        case appealFiled(AppealEntry, failure: String?)
    }

    private var ws: Workspace
    private let journalPath: String?
    private let queue = DispatchQueue(label: "shopdeck.workspace")
    private let lock = NSLock()
    private var inbox: [Outcome] = []
    private var fixedAsOf: Instant?
    private var queuedReports = 0
    private var busy = 0
    /// What the running load has read (nil when none runs).
    private var running: LoadProgress?

    /// The language of the status messages it posts.
    public var lang: Lang = .en

    /// Finished weeks of live computations are kept in the shop's history (not in review mode).
    public var recordsHistory = false

    public init(workspace: Workspace, journalPath: String?, fixedAsOf: Instant?) {
        ws = workspace
        self.journalPath = journalPath
        self.fixedAsOf = fixedAsOf
    }

    /// The as-of the figures are computed for (nil: now, moving).
    public func setAsOf(_ t: Instant?) { lock.withLock { fixedAsOf = t } }

    /// Whether a load or reload is queued or running (the status line says "loading…"; a
    /// report of the clock's tick or a filing does not count).
    public var isBusy: Bool { lock.withLock { busy > 0 } }

    /// How far the running load or reload has read (nil when none runs).
    public var loadProgress: LoadProgress.Counts? { lock.withLock { running }?.counts }

    public func submit(_ job: Job) {
        let accepted = lock.withLock { () -> Bool in
            if case .report = job {
                // A report already queued will see the newest state: one is enough.
                if queuedReports > 0 { return false }
                queuedReports += 1
            }
            if job.loads { busy += 1 }
            return true
        }
        guard accepted else { return }
        queue.async { [self] in
            if case .report = job { lock.withLock { queuedReports -= 1 } }
            let outcomes = run(job)
            lock.withLock { inbox += outcomes; if job.loads { busy -= 1 } }
        }
    }

    /// The outcomes posted since the last call.
    public func drain() -> [Outcome] {
        lock.withLock { defer { inbox.removeAll() }; return inbox }
    }


    // MARK: on the queue

    private func run(_ job: Job) -> [Outcome] {
        let progress = LoadProgress()
        if job.loads { lock.withLock { running = progress } }
        defer { if job.loads { lock.withLock { running = nil } } }
        switch job {
        case .load:
            let started = Date()
            ws.reloadData(progress: progress)
            let n = ws.snapshot.files.count, secs = String(format: "%.2f", Date().timeIntervalSince(started))
            return [report(status: lang.t("loaded \(Words.count(n, "file", "files")) in \(secs) s", "已加载 \(n) 个文件，用时 \(secs) 秒"), loaded: true)]
        case .reloadAll:
            let started = Date()
            do {
                try ws.reload(progress: progress)
                let n = ws.snapshot.files.count, secs = String(format: "%.2f", Date().timeIntervalSince(started))
                return [report(status: lang.t("reloaded \(Words.count(n, "file", "files")) in \(secs) s", "已重载 \(n) 个文件，用时 \(secs) 秒"), loaded: true)]
            } catch {
                return [report(status: "\(error)", loaded: false)]
            }
        case .reload(let changed):
            let started = Date()
            do {
                let what = try ws.reload(changed: changed, progress: progress)
                let secs = String(format: "%.2f", Date().timeIntervalSince(started))
                return [report(status: what.isEmpty ? lang.t("nothing to reload", "没有需要重载的文件")
                               : lang.t("reloaded " + what.joined(separator: ", ") + " in \(secs) s", "已重载 " + what.joined(separator: "、") + "，用时 \(secs) 秒"), loaded: true)]
            } catch {
                return [report(status: lang.t("reload failed: ", "重载失败：") + "\(error)", loaded: false)]
            }
        case .report:
            return [report(status: nil, loaded: false)]
        case .file(let entry):
            do {
                try Journals.file(entry, folder: ws.folder, journal: journalPath)
                return [.appealFiled(entry, failure: nil), report(status: nil, loaded: false)]
            } catch {
                return [.appealFiled(entry, failure: AppealMessages.words(error, lang))]
            }
        }
    }

    private var lastLoadedAt: Instant = 0
    /// The shop's stored weeks as last read (nil: not read yet).
    private var history: [History.Week]?

    /// The figures as of now (or the fixed as-of), with the journal read fresh.
    private func report(status: String?, loaded: Bool) -> Outcome {
        let fixed = lock.withLock { fixedAsOf }
        let asOf = fixed ?? Workspace.now()
        var journalError: String? = nil
        let journal: [AppealEntry]
        do { journal = try Journals.entries(folder: ws.folder, journal: journalPath) }
        catch { journal = []; journalError = AppealMessages.words(error, lang) }
        if loaded { lastLoadedAt = Workspace.now() }
        var text = status
        if loaded, let text0 = status {
            let errors = ws.snapshot.errors
            text = text0 + (errors.isEmpty ? "" : lang.t(" · \(Words.count(errors.count, "load problem", "load problems")) (:warnings): ", " · \(errors.count) 个加载问题（:warnings）：") + LoadWords.describe(errors.last!, lang))
        }
        let r = ws.report(asOf: asOf, journal: journal)
        if loaded && fixed == nil && recordsHistory { History.record(r, folder: ws.folder) }
        // The stored weeks change only when a load records them: read then, not on every tick.
        if loaded || history == nil { history = (try? History.stored(folder: ws.folder)) ?? [] }
        return .report(r, journalError: journalError, status: text, shopName: ws.config.name, loadedAt: lastLoadedAt, history: history ?? [])
    }
}
