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

    /// Why the default journal may not be used: its folder `.shopdeck` or the file itself is a
    /// symbolic link (a journal could otherwise be written anywhere the link points). A path
    /// given with `--journal` is the operator's own choice and is followed.
    public static func linkProblem(folder: String, journal: String?) -> String? {
        guard journal == nil else { return nil }
        for p in [folder + "/.shopdeck", defaultPath(folder: folder)] {
            var st = stat()
            if lstat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK {
                return "\(p) is a symbolic link; shopdeck does not follow it (give the journal with --journal PATH to use it)"
            }
        }
        return nil
    }

    /// The entries (none when no journal exists yet). Always read-only: reading creates or
    /// changes no file. A journal that cannot be read throws: never an empty list.
    public static func entries(folder: String, journal: String?) throws -> [AppealEntry] {
        if let why = linkProblem(folder: folder, journal: journal) { throw AppealJournal.Failure.unreadable(why) }
        let p = path(folder: folder, journal: journal)
        if case .missing = FileReader.entryKind(p) {
            if FileReader.brokenLink(p) != nil { throw AppealJournal.Failure.unreadable("\(p) is a link to nothing") }
            return []
        }
        return try AppealJournal(path: p, readOnly: true).entries()
    }

    public static func file(_ e: AppealEntry, folder: String, journal: String?) throws {
        if let why = linkProblem(folder: folder, journal: journal) { throw AppealJournal.Failure.readOnly(why) }
        if let why = unwritable(folder: folder, journal: journal) { throw AppealJournal.Failure.readOnly(why) }
        try AppealJournal(path: path(folder: folder, journal: journal)).file(e)
        AuditLog.appealFiled(e, folder: folder)
    }

    /// Why the journal cannot be written (nil when it can): review mode.
    public static func unwritable(folder: String, journal: String?) -> String? {
        if let why = linkProblem(folder: folder, journal: journal) { return why }
        let p = path(folder: folder, journal: journal)
        if FileManager.default.fileExists(atPath: p) {
            return access(p, W_OK) == 0 && access((p as NSString).deletingLastPathComponent.isEmpty ? "." : (p as NSString).deletingLastPathComponent, W_OK) == 0
                ? nil : "the journal \(p) is not writable"
        }
        // Find the nearest existing folder on the way to the journal.
        var dir = (p as NSString).deletingLastPathComponent
        while !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) { dir = (dir as NSString).deletingLastPathComponent }
        if dir.isEmpty { dir = "." }
        return access(dir, W_OK) == 0 ? nil : "the folder \(dir) is not writable"
    }
}
