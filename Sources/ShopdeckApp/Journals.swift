import Foundation
import ShopdeckModel
import ShopdeckRules

/// Where the appeal journal lives and how to read and write it.
public enum Journals {
    public static func defaultPath(folder: String) -> String { folder + "/.shopdeck/appeals.sqlite" }

    public static func entries(folder: String, journal: String?) throws -> [AppealEntry] { [] }

    public static func file(_ e: AppealEntry, folder: String, journal: String?) throws {
        throw Workspace.Failure("the journal is not available yet")
    }

    /// Why the journal cannot be written (nil when it can).
    public static func unwritable(folder: String, journal: String?) -> String? { nil }
}
