import ArgumentParser
import Foundation
import ShopdeckApp
import ShopdeckModel

struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open the dashboard on a data folder (the default command).")
    @OptionGroup var options: DataOptions
    func run() throws { print("dashboard: not yet") }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a realistic demo shop to a fresh folder and open the dashboard on it.")

    @Option(name: .long, help: "Where to write the demo shop (default: a new folder under the temporary directory).")
    var out: String?
    @Flag(name: .customLong("no-dashboard"), help: "Write the folder and exit.")
    var noDashboard = false
    @Option(name: .long, help: "Random seed of the generator.") var seed: UInt64 = 7
    @Option(name: .customLong("as-of"), help: "Anchor the demo data (and the dashboard) at this CST time (default: now).")
    var asOf: String?
    @Option(name: .customLong("orders-per-week"), help: "Orders a week (six weeks are written).") var ordersPerWeek = 3400

    func run() throws {
        var anchor = Workspace.now()
        if let s = asOf {
            guard case .value(let t) = CST.parse(s) else { throw ValidationError("cannot read --as-of '\(s)': use \"YYYY-MM-DD HH:MM:SS\" (CST)") }
            anchor = t
        }
        let folder = out ?? (NSTemporaryDirectory() + "shopdeck-demo-\(getpid())")
        if let names = FileReader.list(folder), names.contains(where: { DataLoader.isExport(name: $0) }) , out != nil {
            throw ValidationError("\(folder) already holds exports: give --out a new or empty folder")
        }
        let files = try DemoShop(seed: seed, anchor: anchor, ordersPerWeek: ordersPerWeek).write(to: folder)
        print("demo shop written to \(folder) (\(files.count) files)")
        if noDashboard { return }
        print("dashboard: not yet")
    }
}
