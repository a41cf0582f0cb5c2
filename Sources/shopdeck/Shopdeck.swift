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
        subcommands: [Dashboard.self, Demo.self, ReportCommand.self, Inspect.self, Check.self, Appeals.self, Bench.self],
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

    func instant() throws -> Instant {
        guard let s = asOf else { return Workspace.now() }
        guard case .value(let t) = CST.parse(s) else {
            throw ValidationError("cannot read --as-of '\(s)': use \"YYYY-MM-DD HH:MM:SS\" (China Standard Time)")
        }
        return t
    }

    func workspace(progress: Bool = false) throws -> Workspace {
        do { return try progress ? openShowingProgress(data, rules) : Workspace.open(folder: data, rulesFile: rules) }
        catch { throw ValidationError("\(error)") }
    }
}

/// Opens a workspace; when loading takes more than a moment and stderr is a terminal, a
/// progress line (files, rows, MB, MB/s) is shown instead of a blank screen.
func openShowingProgress(_ folder: String, _ rules: String?) throws -> Workspace {
    final class Box: @unchecked Sendable { var result: Result<Workspace, Error>? }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        box.result = Result { try Workspace.open(folder: folder, rulesFile: rules) }
        done.signal()
    }
    if done.wait(timeout: .now() + 0.3) == .timedOut {
        let tty = isatty(2) != 0
        while done.wait(timeout: .now() + 0.1) == .timedOut {
            if tty {
                let p = LoadProgress.shared
                let bar = String(repeating: "#", count: Int(p.fraction * 20)) + String(repeating: ".", count: 20 - Int(p.fraction * 20))
                FileHandle.standardError.write(Data("\r[\(bar)] \(p.line())\u{1B}[K".utf8))
            }
        }
        if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
    return try box.result!.get()
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print every figure of the dashboard as text or JSON.")
    @OptionGroup var options: DataOptions
    @Option(name: .long, help: "text (default) or json.") var format: OutputFormat = .text

    func run() throws {
        Timings.mark("start")
        let ws = try options.workspace()
        let journal = try Journals.entries(folder: options.data, journal: options.journal)
        Timings.mark("journal")
        let report = ws.report(asOf: try options.instant(), journal: journal)
        Timings.mark("rules")
        switch format {
        case .json: print(report.json().serialized(pretty: true))
        case .text: print(TextReport.render(report, folder: options.data), terminator: "")
        }
        Timings.mark("output")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when nothing needs attention, 1 when something does, 2 when data could not be loaded; one line per finding.")
    @OptionGroup var options: DataOptions

    func run() throws {
        let ws: Workspace
        do { ws = try Workspace.open(folder: options.data, rulesFile: options.rules) } catch {
            FileHandle.standardError.write(Data("shopdeck check: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let report = ws.report(asOf: try options.instant(), journal: (try? Journals.entries(folder: options.data, journal: options.journal)) ?? [])
        if !report.load.skippedFiles.isEmpty {
            for e in report.load.errors where report.load.skippedFiles.contains(e.file) { print("load error: \(e.description)") }
            throw ExitCode(2)
        }
        let lines = Findings.lines(report)
        for l in lines { print(l) }
        if !lines.isEmpty { throw ExitCode(1) }
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show how one export file is read: table, encoding, header mapping, rows and errors.")
    @Argument(help: "The file to inspect.") var file: String
    @Option(name: .long, help: "text (default) or json.") var format: OutputFormat = .text

    func run() throws {
        let ins = DataLoader.inspect(path: file)
        switch format {
        case .json: print(InspectView.json(ins).serialized(pretty: true))
        case .text: print(InspectView.text(ins), terminator: "")
        }
    }
}
