import ArgumentParser
import Foundation
import ShopdeckApp
import ShopdeckModel
import ShopdeckRules

@main
struct Shopdeck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shopdeck",
        abstract: "A terminal dashboard for Kuaishou shop (快手小店) operators: shipping deadlines, the spot-goods exemption, after-sales limits, violations and appeals, timed coupons.",
        subcommands: [Dashboard.self, Demo.self, ReportCommand.self, Inspect.self, Check.self, HistoryCommand.self, Watch.self, Appeals.self, Serve.self, Audit.self, Bench.self],
        defaultSubcommand: Dashboard.self
    )
}

/// Options every command that reads a data folder shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data folder holding the exports (default: the current folder).")
    var data: String = "."

    @Option(name: .customLong("as-of"), help: "Compute as of this CST time, \"YYYY-MM-DD HH:MM:SS\" (default: now).")
    var asOf: String?

    @Option(name: .long, help: "A TOML rulebook file overriding the embedded default.")
    var rules: String?

    @Option(name: .long, help: "The appeal journal (default: DATA/.shopdeck/appeals.sqlite).")
    var journal: String?

    @Flag(name: .customLong("read-only"), help: "Review mode: nothing is written (no journal, no file at all); the journal is still read.")
    var readOnly = false

    @Option(name: .long, help: ArgumentHelp("A password for encrypted workbooks (repeatable; also SHOPDECK_XLSX_PASSWORD and shopdeck.toml's export_passwords).", valueName: "PASSWORD"))
    var password: [String] = []

    /// Set by `shopdeck serve` for a user limited to some shops of a fleet folder: the others
    /// are not listed, loaded or reachable.
    @Option(name: .customLong("only-shops"), help: ArgumentHelp("Only these shop folders of a fleet (comma-separated).", visibility: .hidden))
    var onlyShops: String?

    /// The shop folders of a fleet folder (`Fleet.shops`), limited by `--only-shops`; nil when
    /// the folder is a single shop.
    func fleetShops() -> [String]? {
        guard let all = Fleet.shops(in: data) else { return nil }
        guard let only = onlyShops else { return all }
        let allowed = Set(only.split(separator: ",").map { String($0) })
        return all.filter { allowed.contains($0) }
    }

    /// The fixed as-of instant, or nil for live (no `--as-of`, or `--as-of now`).
    func fixedInstant() throws -> Instant? {
        guard let s = asOf, s.trimmingCharacters(in: .whitespaces).lowercased() != "now" else { return nil }
        return try instant()
    }

    func instant() throws -> Instant {
        guard let s = asOf, s.trimmingCharacters(in: .whitespaces).lowercased() != "now" else { return Workspace.now() }
        guard case .value(let t) = CST.parse(s) else {
            throw ValidationError("cannot read --as-of '\(s)': use \"YYYY-MM-DD HH:MM:SS\" (China Standard Time) or now")
        }
        return t
    }

    /// The folder's workspace; a missing folder or a broken config or rules file ends the
    /// command with exit 2 and the reason (report-json.md).
    func workspace(_ command: String, progress: Bool = false) throws -> Workspace {
        if let why = Workspace.folderProblem(data) { throw Output.fail(command, why) }
        let passwords = Workspace.passwords(flags: password)
        do { return try progress ? openShowingProgress(data, rules, passwords, cache: writes) : Workspace.open(folder: data, rulesFile: rules, passwords: passwords, cache: writes) }
        catch { throw Output.fail(command, "\(error)") }
    }

    /// Config and rulebook checked, no data loaded yet (the dashboard loads off its key loop).
    func prepared(_ command: String) throws -> Workspace {
        if let why = Workspace.folderProblem(data) { throw Output.fail(command, why) }
        do { return try Workspace.prepare(folder: data, rulesFile: rules, passwords: Workspace.passwords(flags: password)) }
        catch { throw Output.fail(command, "\(error)") }
    }

    /// Whether this run keeps its finished weeks in the history: a live computation outside
    /// review mode (terminal-ui.md, History).
    func recordsHistory() throws -> Bool { try fixedInstant() == nil && writes }

    /// Whether this run may write anything (history, the snapshot cache): not in review mode,
    /// and not when the journal cannot be written (report-json.md: then nothing at all is).
    var writes: Bool { !readOnly && Journals.unwritable(folder: data, journal: journal) == nil }

    /// The journal's entries; one that cannot be read ends the command with exit 2.
    func journalEntries(_ command: String) throws -> [AppealEntry] {
        do { return try Journals.entries(folder: data, journal: journal) }
        catch { throw Output.fail(command, "the appeal journal \(Journals.path(folder: data, journal: journal)) cannot be read: \(error)") }
    }
}

/// Opens a workspace; when loading takes more than a moment and stderr is a terminal, a
/// progress line (files, rows, MB, MB/s) is shown instead of a blank screen.
func openShowingProgress(_ folder: String, _ rules: String?, _ passwords: [String], cache: Bool) throws -> Workspace {
    final class Box: @unchecked Sendable { var result: Result<Workspace, Error>? }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    let progress = LoadProgress()
    Thread.detachNewThread {
        box.result = Result { try Workspace.open(folder: folder, rulesFile: rules, passwords: passwords, cache: cache, progress: progress) }
        done.signal()
    }
    if done.wait(timeout: .now() + 0.3) == .timedOut {
        let tty = isatty(2) != 0
        while done.wait(timeout: .now() + 0.1) == .timedOut {
            if tty {
                let p = progress.counts, filled = Int(p.fraction * 20)
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
                FileHandle.standardError.write(Data("\r[\(bar)] loading: \(LoadWords.progress(p, .en))\u{1B}[K".utf8))
            }
        }
        if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
    return try box.result!.get()
}

/// A fleet's shops loaded on all cores; when that takes more than a moment and stderr is a
/// terminal, one progress line for the whole fleet (shops done of all).
func loadFleetShowingProgress(folder: String, shops: [String], asOf: Instant?, rulesFile: String?, passwords: [String],
                              recordHistory: Bool, cache: Bool) -> [Fleet.Shop] {
    final class Box: @unchecked Sendable { let lock = NSLock(); var result: [Fleet.Shop]?; var done = 0 }
    let box = Box()
    let finished = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        let r = Fleet.load(folder: folder, shops: shops, asOf: asOf, rulesFile: rulesFile, passwords: passwords, recordHistory: recordHistory,
                           cache: cache, progress: { n, _ in box.lock.withLock { box.done = n } })
        box.lock.withLock { box.result = r }
        finished.signal()
    }
    if finished.wait(timeout: .now() + 0.3) == .timedOut {
        let tty = isatty(2) != 0
        while finished.wait(timeout: .now() + 0.1) == .timedOut {
            guard tty else { continue }
            let n = box.lock.withLock { box.done }
            let filled = shops.isEmpty ? 20 : n * 20 / shops.count
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] loading shops \(n)/\(shops.count)\u{1B}[K".utf8))
        }
        if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
    return box.lock.withLock { box.result ?? [] }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print every figure of the dashboard as text or JSON.")
    @OptionGroup var options: DataOptions
    @Option(name: .long, help: "text (default) or json.") var format: OutputFormat = .text

    func run() throws {
        var clock = Timings.Clock()
        clock.mark("start")
        if let shops = options.fleetShops() {
            // A folder of shop folders: each shop's report exactly as alone.
            let fixed = try options.fixedInstant()
            let fleet = loadFleetShowingProgress(folder: options.data, shops: shops, asOf: fixed, rulesFile: options.rules,
                                   passwords: Workspace.passwords(flags: options.password), recordHistory: try options.recordsHistory(),
                                   cache: options.writes)
            switch format {
            case .json: Output.json(Fleet.json(fleet))
            case .text: Output.out(Fleet.text(fleet), terminator: "")
            }
            return
        }
        let ws = try options.workspace("report")
        clock.mark("load")
        let journal = try options.journalEntries("report")
        clock.mark("journal")
        let report = ws.report(asOf: try options.instant(), journal: journal)
        clock.mark("rules")
        // A live computation keeps its finished weeks (never in review mode or a replay).
        if try options.recordsHistory() { History.record(report, folder: options.data) }
        clock.mark("history")
        // The loaded tables and the report stay alive until the output is written (freed
        // early, their texts were freed on this core while the other wrote half the JSON),
        // and the process then ends without taking them apart piece by piece: the system
        // takes the memory back whole (issue 18).
        withExtendedLifetime(ws) {
            withExtendedLifetime(report) {
                switch format {
                case .json: Output.json(report.json())
                case .text: Output.out(TextReport.render(report, folder: options.data), terminator: "")
                }
                clock.mark("output")
                Output.endProcess()
            }
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Exit 0 when nothing needs attention, 1 when something does, 2 when data could not be loaded; one line per finding.")
    @OptionGroup var options: DataOptions

    /// Exit 2 when the folder is missing or unreadable, a config or rules file is broken, no
    /// file of any table loaded, or the journal cannot be read; else 1 when any finding (late,
    /// at-risk, breached, appealable, coupon warnings, copy, skipped files and bad rows), else 0.
    func run() throws {
        if let shops = options.fleetShops() { try fleet(shops); return }
        let ws = try options.workspace("check")
        let journal = try options.journalEntries("check")
        let report = ws.report(asOf: try options.instant(), journal: journal)
        if try options.recordsHistory() { History.record(report, folder: options.data) }
        if report.load.files.isEmpty {
            for e in report.load.errors { Output.err("load error: " + Output.oneLine(e.description)) }
            // Why nothing was read, when files were left out (a FIFO, a link to nothing…).
            for w in report.load.warnings { Output.err("load warning: " + Output.oneLine(w.description)) }
            throw Output.fail("check", "no export of any table was loaded from \(options.data) (an empty folder, or only files that are not exports)")
        }
        var out = Output.Lines()
        Findings.eachWithLoad(report) { out.line($0) }
        out.flush()
        if out.count > 0 { throw ExitCode(1) }
    }
}

extension Check {
    /// A fleet: every shop checked, each finding prefixed with the shop's name; the exit
    /// status is the worst shop's.
    func fleet(_ shops: [String]) throws {
        let fixed = try options.fixedInstant()
        let fleet = loadFleetShowingProgress(folder: options.data, shops: shops, asOf: fixed, rulesFile: options.rules,
                               passwords: Workspace.passwords(flags: options.password), recordHistory: try options.recordsHistory(),
                                   cache: options.writes)
        var worst: Int32 = 0
        for s in Fleet.ranked(fleet) {
            guard let r = s.report else {
                Output.err("\(s.name): cannot be loaded: \(s.error ?? "?")"); worst = 2; continue
            }
            if let j = s.journalError { Output.err("\(s.name): the appeal journal cannot be read: \(j)"); worst = 2 }
            if r.load.files.isEmpty { Output.err("\(s.name): no export of any table was loaded"); worst = 2; continue }
            var out = Output.Lines()
            Findings.eachWithLoad(r) { out.line("\(s.name): \($0)") }
            out.flush()
            if out.count > 0 { worst = max(worst, 1) }
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}

enum HistoryFormat: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

/// `shopdeck history`: the finished weeks kept in the shop's history, with this moment's
/// finished weeks over them (terminal-ui.md, History and forecast).
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "The finished weeks' figures, kept after the exports drop them.")
    @OptionGroup var options: DataOptions
    @Option(name: .long, help: "text (default), json or csv.") var format: HistoryFormat = .text

    func run() throws {
        let ws = try options.workspace("history")
        let journal = try options.journalEntries("history")
        let report = ws.report(asOf: try options.instant(), journal: journal)
        if try options.recordsHistory() { History.record(report, folder: options.data) }
        let stored: [History.Week]
        do { stored = try History.stored(folder: options.data) }
        catch { throw Output.fail("history", "the history \(History.path(folder: options.data)) cannot be read: \(error)") }
        // A replay shows what is stored and, over it, what the exports say as of that moment.
        let weeks = History.merged(stored: stored, current: History.finishedWeeks(report))
        switch format {
        case .json: Output.json(History.json(weeks))
        case .csv: Output.out(History.csv(weeks), terminator: "")
        case .text: Output.out(History.text(weeks), terminator: "")
        }
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show how one export file is read: table, encoding, header mapping, rows and errors.")
    @Argument(help: "The file to inspect.") var file: String
    @Option(name: .long, help: ArgumentHelp("A password for an encrypted workbook (repeatable; also SHOPDECK_XLSX_PASSWORD and the folder's shopdeck.toml).", valueName: "PASSWORD"))
    var password: [String] = []
    @Option(name: .long, help: "text (default) or json.") var format: OutputFormat = .text

    /// Exit 2 when the file cannot be read or is not a table (report-json.md).
    func run() throws {
        switch FileReader.entryKind(file) {
        case .missing: throw Output.fail("inspect", "\(file): no such file")
        case .other(let what): throw Output.fail("inspect", "\(file): this is \(what), not a regular file; only regular files are read")
        case .regular: break
        }
        let folder = (file as NSString).deletingLastPathComponent
        let passwords = Workspace.passwords(flags: password) + ((try? ShopConfig.load(folder: folder.isEmpty ? "." : folder))?.exportPasswords ?? [])
        let ins: Inspection
        switch format {
        case .json:
            ins = InspectView.streamJSON(path: file, passwords: passwords) { FileHandle.standardOutput.write(Data($0.utf8)) }
            Output.json("")
        case .text:
            ins = InspectView.inspectForText(path: file, passwords: passwords)
            Output.out(InspectView.text(ins), terminator: "")
        }
        let isTable = ins.table != nil || ins.sheets.contains { $0.table != nil }
        if !isTable { throw ExitCode(2) }
    }
}
