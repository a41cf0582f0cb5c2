import ShopdeckRules

/// Where the appeal journal lives and how to read it (issue 3 gives it a SQLite home).
public enum Journals {
    public static func defaultPath(folder: String) -> String { folder + "/.shopdeck/appeals.sqlite" }

    public static func entries(folder: String, journal: String?) throws -> [AppealEntry] { [] }
}
