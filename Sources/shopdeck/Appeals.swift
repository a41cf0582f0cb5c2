import ArgumentParser
import Foundation
import ShopdeckApp
import ShopdeckModel
import ShopdeckRules

struct Appeals: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appeals",
        abstract: "File, list and export appeals kept in the local journal.",
        subcommands: [FileAppeal.self, ListAppeals.self, ExportAppeals.self])
}

struct FileAppeal: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "file", abstract: "File an appeal against a violation (the same as the appeal form).")
    @OptionGroup var options: DataOptions
    @Option(name: .long, help: "The violation id.") var violation: String
    @Option(name: .long, help: "Reason category: 已按时发货, 不可抗力（疫情等）, 物流原因, 平台误判, 高现货豁免, 其他.") var reason: String
    @Option(name: .long, help: "The statement (required).") var statement: String
    @Option(name: .long, help: "An evidence file (repeatable); relative paths are inside the data folder.") var evidence: [String] = []
    @Option(name: .long, help: "Who files it (default: shopdeck.toml's operator, else $USER).") var `operator`: String?
    func run() throws {
        if options.readOnly { throw fail("read-only mode: nothing is written") }
        let ws = try options.workspace("appeals file")
        let journal = try options.journalEntries("appeals file")
        // Appealability is checked against the real clock: a replay never files (issue 13).
        if options.asOf != nil { throw fail("appeals are filed as of now, against the real clock; --as-of is for replays (report, check, the dashboard)") }
        let now = Workspace.now()
        let report = ws.report(asOf: now, journal: journal)
        guard let v = report.violations.first(where: { $0.violationId == violation }) else {
            throw fail("no violation \(violation) in \(options.data) (known: \(report.violations.prefix(10).map(\.violationId).joined(separator: ", ")))")
        }
        guard v.appealable else { throw fail("violation \(violation) cannot be appealed: \(v.notAppealableReason ?? "?")") }
        guard ws.rulebook.appealReasons.contains(reason) else {
            throw fail("unknown reason '\(reason)'; accepted: \(ws.rulebook.appealReasons.joined(separator: ", "))")
        }
        let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw fail("a statement is required") }
        let problems = evidence.compactMap { Evidence.problem($0, folder: options.data) }
        guard problems.isEmpty else { throw fail("evidence refused: \(problems.joined(separator: "; "))") }
        // A served session's user files under their own name, whatever is asked.
        let served = ProcessInfo.processInfo.environment[AuditLog.operatorVariable].flatMap { $0.isEmpty ? nil : $0 }
        let who = (served ?? `operator` ?? ws.config.operatorName ?? ProcessInfo.processInfo.environment["USER"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !who.isEmpty else { throw fail("who files it? give --operator") }
        let entry = AppealEntry(violationId: violation, attempt: v.appealsUsed + 1, filedAt: now, reason: reason,
                                statement: text, evidence: evidence, operatorName: who)
        do { try Journals.file(entry, folder: options.data, journal: options.journal) }
        catch { throw fail(AppealMessages.words(error)) }
        Output.out("filed: violation \(violation), attempt \(entry.attempt), \(CST.format(now)) by \(who)")
    }

    func fail(_ m: String) -> Error { Output.fail("appeals file", m, code: 1) }
}

struct ListAppeals: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the appeals in the journal.")
    @Option(name: .long, help: "The data folder (default: the current folder).") var data = "."
    @Option(name: .long, help: "The journal (default: DATA/.shopdeck/appeals.sqlite).") var journal: String?
    @Option(name: .long, help: "text (default) or json.") var format: OutputFormat = .text
    @Flag(name: .customLong("read-only"), help: "Review mode: nothing is written (listing never writes anyway).") var readOnly = false

    func run() throws {
        let entries: [AppealEntry]
        do { entries = try Journals.entries(folder: data, journal: journal) }
        catch { throw Output.fail("appeals list", "the appeal journal \(Journals.path(folder: data, journal: journal)) cannot be read: \(error)") }
        switch format {
        case .json:
            var r = Report(asOf: 0, rulebook: "")
            r.appeals = entries
            if case .object(let o) = r.json(), let a = o.first(where: { $0.0 == "appeals" })?.1 { Output.json(a.serialized(pretty: true)) }
        case .text:
            if entries.isEmpty { Output.out("no appeals in \(Journals.path(folder: data, journal: journal))") }
            for e in entries {
                Output.line("\(CST.format(e.filedAt))  \(e.violationId)  attempt \(e.attempt)  \(e.reason)  \(e.operatorName)")
                Output.out("    " + e.statement.replacingOccurrences(of: "\n", with: "\n    "))
                if !e.evidence.isEmpty { Output.line("    evidence: " + e.evidence.joined(separator: ", ")) }
            }
        }
    }
}

struct ExportAppeals: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write the appeals as a CSV for the backend upload (UTF-8 with BOM, Chinese headers).")
    @Option(name: .long, help: "The data folder (default: the current folder).") var data = "."
    @Option(name: .long, help: "The journal (default: DATA/.shopdeck/appeals.sqlite).") var journal: String?
    @Option(name: .long, help: "The CSV file to write.") var out: String

    func run() throws {
        let entries: [AppealEntry]
        do { entries = try Journals.entries(folder: data, journal: journal) }
        catch { throw Output.fail("appeals export", "the appeal journal \(Journals.path(folder: data, journal: journal)) cannot be read: \(error)") }
        try Data(AppealExport.csv(entries)).write(to: URL(fileURLWithPath: out))
        Output.out("wrote \(entries.count) appeal\(entries.count == 1 ? "" : "s") to \(out)")
    }
}
