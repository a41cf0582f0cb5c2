import Foundation
import ShopdeckModel
import ShopdeckRules

/// Everything one run needs: the data folder, its config, the rulebook and the loaded
/// snapshot; `report(asOf:journal:)` runs the engine. The dashboard and `shopdeck report`
/// both go through here, so they give the same figures for the same folder and as-of.
public struct Workspace {
    public var folder: String
    public var config: ShopConfig
    public var rulebook: Rulebook
    public var snapshot: Snapshot
    public var scripts: [(name: String, text: String)]
    public var rulesFile: String?
    /// Passwords given on the command line or in the environment, for encrypted workbooks.
    public var givenPasswords: [String] = []
    /// Every password to try, in order (data-formats.md): given, then shopdeck.toml's.
    /// Never printed, logged or written.
    public var passwords: [String] { givenPasswords + config.exportPasswords }

    /// The environment variable holding a workbook password.
    public static let passwordVariable = "SHOPDECK_XLSX_PASSWORD"

    /// `--password` values, then `SHOPDECK_XLSX_PASSWORD`.
    public static func passwords(flags: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        flags + (environment[passwordVariable].map { [$0] } ?? [])
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ d: String) { description = d }
    }

    /// Why `folder` cannot be a data folder (nil when it can): missing, not a folder, or not
    /// readable.
    public static func folderProblem(_ folder: String) -> String? {
        switch FileReader.entryKind(folder) {
        case .missing: return "the data folder \(folder) does not exist"
        case .regular: return "\(folder) is a file, not a data folder (use inspect for one file)"
        case .other(let what): if what != "a folder" { return "\(folder) is \(what), not a data folder" }
        }
        if FileReader.list(folder) == nil { return "the data folder \(folder) cannot be read (permission denied?)" }
        return nil
    }

    /// Loads config, rulebook and data. Throws only for a broken config or rules file.
    /// `cache`: the first load may use (and refresh) the folder's snapshot cache.
    /// `progress`: where the load counts what it has read (a progress line).
    public static func open(folder: String, rulesFile: String? = nil, passwords given: [String] = [], cache: Bool = false,
                            progress: LoadProgress? = nil) throws -> Workspace {
        var ws = try prepare(folder: folder, rulesFile: rulesFile, passwords: given)
        ws.useCache = cache
        ws.reloadData(progress: progress)
        return ws
    }

    /// The first load may read `.shopdeck/cache` and write it (`SnapshotCache`): never in
    /// review mode, never for a folder whose `.shopdeck` cannot be written (the caller and
    /// `reloadData` both check), and not when `SHOPDECK_NO_CACHE` is set (benchmarks).
    public var useCache = false
    /// Whether the last first load came from the cache.
    public private(set) var loadedFromCache = false

    /// Config and rulebook only, no data yet (the dashboard loads the data off its key loop).
    public static func prepare(folder: String, rulesFile: String? = nil, passwords given: [String] = []) throws -> Workspace {
        let config = try ShopConfig.load(folder: folder)
        let rulebook = try loadRulebook(config: config, rulesFile: rulesFile)
        return Workspace(folder: folder, config: config, rulebook: rulebook, snapshot: Snapshot(),
                         scripts: [], rulesFile: rulesFile, givenPasswords: given)
    }

    /// Loads every export afresh (the first load), counting in `progress`.
    public mutating func reloadData(progress: LoadProgress? = nil) {
        scripts = LiveScripts.load(folder: folder)
        loadedFromCache = false
        let env = ProcessInfo.processInfo.environment
        guard useCache, (env["SHOPDECK_NO_CACHE"] ?? "").isEmpty, History.unwritable(folder: folder) == nil else {
            snapshot = DataLoader.load(folder: folder, passwords: passwords, progress: progress)
            return
        }
        // Stamped before the load: a file that changes meanwhile never matches a stale cache.
        let stamps = SnapshotCache.stamps(folder: folder)
        if let cached = SnapshotCache.load(folder: folder, passwords: passwords, stamps: stamps) {
            snapshot = cached
            loadedFromCache = true
            return
        }
        snapshot = DataLoader.load(folder: folder, passwords: passwords, progress: progress)
        SnapshotCache.store(snapshot, folder: folder, stamps: stamps, passwords: passwords)
    }

    public static func loadRulebook(config: ShopConfig, rulesFile: String?) throws -> Rulebook {
        var overrides: [ConfigValue] = [], files: [String] = []
        if let r = config.rules { overrides.append(r); files.append(config.file.map { $0 + " [rules]" } ?? "shopdeck.toml [rules]") }
        if let f = rulesFile {
            let bytes: [UInt8]
            do { bytes = try FileReader.readAll(f) } catch { throw Failure("\(f): cannot read the rules file (\(error))") }
            let text = try ShopConfig.text(bytes, file: f)
            overrides.append(Rulebook.overrideTable(fromRulesFile: try ConfigValue.parseTOML(text, file: f)))
            files.append(f)
        }
        return try Rulebook.with(overrides: overrides, files: files)
    }

    /// `r`: re-reads every export (not the config). A table whose files cannot be read now
    /// keeps its last good version (as for a change the watcher saw); a missing or unreadable
    /// folder throws and changes nothing. `progress`: where the reading is counted.
    public mutating func reload(progress: LoadProgress? = nil) throws {
        if let why = Workspace.folderProblem(folder) { throw Failure(why) }
        DataLoader.reload(folder: folder, changed: [], snapshot: &snapshot, passwords: passwords, everything: true, progress: progress)
        scripts = LiveScripts.load(folder: folder)
    }

    /// Re-reads what changed: only the tables whose files changed (the last good version of a
    /// table stays when its new file is broken), the scripts, or the config and rulebook.
    /// Returns what was re-read, for the status line. `progress`: where the reading is counted.
    @discardableResult
    public mutating func reload(changed: Set<String>, progress: LoadProgress? = nil) throws -> [String] {
        if let why = Workspace.folderProblem(folder) { throw Failure(why + "; keeping the last good data") }
        var what: [String] = []
        if changed.contains(ShopConfig.fileName) {
            config = try ShopConfig.load(folder: folder)
            rulebook = try Workspace.loadRulebook(config: config, rulesFile: rulesFile)
            what.append("config")
        }
        if changed.contains(where: { $0.hasPrefix("scripts/") }) { scripts = LiveScripts.load(folder: folder); what.append("scripts") }
        let tables = DataLoader.reload(folder: folder, changed: changed, snapshot: &snapshot, passwords: passwords, progress: progress)
        what += tables.map(\.rawValue).sorted()
        return what
    }

    public func report(asOf: Instant, journal: [AppealEntry] = []) -> Report {
        Engine.run(snapshot: snapshot, rulebook: rulebook, config: config, asOf: asOf, journal: journal, scripts: scripts)
    }

    /// Now, as an instant.
    public static func now() -> Instant { Instant(Date().timeIntervalSince1970.rounded(.down)) }
}
