import ArgumentParser
import Foundation
import ShopdeckApp
import ShopdeckModel

/// Flags of the interactive screen.
struct ScreenOptions: ParsableArguments {
    @Option(name: .long, help: "Theme name (from themes/) or a theme file path.") var theme: String?
    @Option(name: .long, help: "Screen language: zh or en (default: [ui] lang in shopdeck.toml, else the locale).") var lang: String?

    func validate() throws {
        if let l = lang, Lang(rawValue: l) == nil { throw ValidationError("--lang must be zh or en") }
    }
}

struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dashboard", abstract: "Open the dashboard on a data folder (the default command).")
    @OptionGroup var options: DataOptions
    @OptionGroup var screen: ScreenOptions

    func run() throws {
        if let why = Workspace.folderProblem(options.data) { throw Output.fail("dashboard", why) }
        // A folder of shop folders: the fleet view.
        if let shops = options.fleetShops() {
            let fleet = FleetRunner(folder: options.data, shops: shops, options: options, screen: screen)
            do { try fleet.run() } catch { throw Output.fail("dashboard", "\(error)") }
            if fleet.interrupted { throw ExitCode(130) }
            return
        }
        // Config and rules are checked first (a broken one ends here with its reason); the
        // data loads behind the screen, which answers keys meanwhile.
        var ws = try options.prepared("dashboard")
        ws.useCache = options.writes
        try open(ws, fixedAsOf: try options.fixedInstant(), screen: screen, readOnly: options.readOnly, journal: options.journal)
    }
}

func open(_ ws: Workspace, fixedAsOf: Instant?, screen: ScreenOptions, readOnly: Bool, journal: String?) throws {
    let runner = DashboardRunner(ws: ws, fixedAsOf: fixedAsOf, theme: screen.theme, readOnly: readOnly, journalPath: journal, needsLoad: true)
    runner.state.lang = Lang.resolve(flag: screen.lang, config: ws.config.lang)
    do { try runner.run() } catch {
        throw Output.fail("dashboard", "\(error)")
    }
    if runner.interrupted { throw ExitCode(130) }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Write a realistic demo shop to a fresh folder and open the dashboard on it.")

    @Option(name: .long, help: "Where to write the demo shop (default: a new folder under the temporary directory).")
    var out: String?
    @Flag(name: .customLong("no-dashboard"), help: "Write the folder and exit.")
    var noDashboard = false
    @Option(name: .long, help: "Random seed of the generator.") var seed: UInt64 = 7
    @Option(name: .customLong("as-of"), help: "Anchor the demo data (and the dashboard) at this CST time (default: now).")
    var asOf: String?
    @Option(name: .customLong("orders-per-week"), help: "Orders a week (six weeks are written).") var ordersPerWeek = 3400
    @OptionGroup var screen: ScreenOptions
    @Flag(name: .customLong("read-only"), help: "Review mode: nothing can be changed, the appeal form does not open.") var readOnly = false

    func run() throws {
        var anchor = Workspace.now()
        if let s = asOf {
            guard case .value(let t) = CST.parse(s) else { throw ValidationError("cannot read --as-of '\(s)': use \"YYYY-MM-DD HH:MM:SS\" (CST)") }
            anchor = t
        }
        let folder = out ?? (NSTemporaryDirectory() + "shopdeck-demo-\(getpid())-\(anchor)")
        if let names = FileReader.list(folder), names.contains(where: { DataLoader.isExport(name: $0) }) {
            throw ValidationError("\(folder) already holds exports: give --out a new or empty folder")
        }
        let files = try DemoShop(seed: seed, anchor: anchor, ordersPerWeek: ordersPerWeek).write(to: folder)
        if noDashboard {
            Output.out("demo shop written to \(folder) (\(files.count) files)")
            return
        }
        let ws = try Workspace.prepare(folder: folder)
        try open(ws, fixedAsOf: asOf == nil ? nil : anchor, screen: screen, readOnly: readOnly, journal: nil)
        Output.out("demo shop: \(folder)")
    }
}
