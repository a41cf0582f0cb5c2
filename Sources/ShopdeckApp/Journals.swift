import Foundation
import ShopdeckModel
import ShopdeckRules
#if canImport(Glibc)
import Glibc
#endif

/// Where the appeal journal lives (data-formats.md: `.shopdeck/appeals.sqlite` in the data
/// folder unless `--journal` says otherwise) and how to read and write it. Reloading exports
/// never touches it.
public enum Journals {
    public static func defaultPath(folder: String) -> String { folder + "/.shopdeck/appeals.sqlite" }

    public static func path(folder: String, journal: String?) -> String { journal ?? defaultPath(folder: folder) }

    /// The entries (none when no journal exists yet).
    public static func entries(folder: String, journal: String?) throws -> [AppealEntry] {
        let p = path(folder: folder, journal: journal)
        guard FileManager.default.fileExists(atPath: p) else { return [] }
        return try AppealJournal(path: p, readOnly: true).entries()
    }

    public static func file(_ e: AppealEntry, folder: String, journal: String?) throws {
        if let why = unwritable(folder: folder, journal: journal) { throw AppealJournal.Failure.readOnly(why) }
        try AppealJournal(path: path(folder: folder, journal: journal)).file(e)
    }

    /// Why the journal cannot be written (nil when it can): review mode.
    public static func unwritable(folder: String, journal: String?) -> String? {
        let p = path(folder: folder, journal: journal)
        if FileManager.default.fileExists(atPath: p) {
            return access(p, W_OK) == 0 ? nil : "the journal \(p) is not writable"
        }
        // Find the nearest existing folder on the way to the journal.
        var dir = (p as NSString).deletingLastPathComponent
        while !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) { dir = (dir as NSString).deletingLastPathComponent }
        if dir.isEmpty { dir = "." }
        return access(dir, W_OK) == 0 ? nil : "the folder \(dir) is not writable"
    }
}
