import ArgumentParser

struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open the dashboard on a data folder (the default command).")
    @OptionGroup var options: DataOptions
    func run() throws { print("dashboard: not yet") }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a realistic demo shop to a fresh folder and open the dashboard on it.")
    func run() throws { print("demo: not yet") }
}
