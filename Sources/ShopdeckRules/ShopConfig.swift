import ShopdeckModel

/// `shopdeck.toml` in the data folder (data-formats.md "Files and tables").
public struct ShopConfig: Sendable {
    public var name: String?
    public var id: String?
    public var defaultShipFrom: Region?
    public var defaultShipFromText: String?
    /// nil when the file does not say (then no professional-anchor warning).
    public var professionalAnchor: Bool?
    public var authorisedBrands: [String] = []
    public var operatorName: String?
    public var riskHorizonHours: Double?
    /// Passwords to try on encrypted workbooks (data-formats.md "Files and tables"). Never
    /// printed, logged or written anywhere.
    public var exportPasswords: [String] = []
    /// The `[rules]` table, merged over the rulebook.
    public var rules: ConfigValue?
    /// The file this was read from (nil for the defaults).
    public var file: String?

    public init() {}

    public static let fileName = "shopdeck.toml"

    /// The tables a shopdeck.toml may hold, and the keys of `[shop]`.
    public static let knownTables = ["shop", "rules"]
    public static let knownShopKeys = ["name", "id", "default_ship_from", "professional_anchor", "authorised_brands",
                                       "operator", "risk_horizon_hours", "export_passwords"]

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `folder/shopdeck.toml`; a missing file gives the defaults. A file that cannot be
    /// read (not a regular file, no permission) is an error, never silently the defaults.
    public static func load(folder: String) throws -> ShopConfig {
        let path = folder + "/" + fileName
        if case .missing = FileReader.entryKind(path) { return ShopConfig() }
        let bytes: [UInt8]
        do { bytes = try FileReader.readAll(path) } catch { throw Invalid(description: "\(path): \(error)") }
        return try parse(try text(bytes, file: path), file: path)
    }

    /// A configuration file's text: UTF-8 (a BOM is dropped); anything else is an error.
    public static func text(_ bytes: [UInt8], file: String) throws -> String {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let s = String(validating: body, as: UTF8.self) else {
            throw Invalid(description: "\(file): the file is not UTF-8 text; save it as UTF-8")
        }
        return s
    }

    public static func parse(_ text: String, file: String) throws -> ShopConfig {
        let c = try ConfigValue.parseTOML(text, file: file)
        var s = ShopConfig()
        s.file = file
        for key in (c.table ?? [:]).keys.sorted() where !knownTables.contains(key) {
            throw Invalid(description: ConfigValidation.unknown("table or key", key, known: knownTables, in: file))
        }
        func bad(_ key: String, _ expected: String) -> Invalid { Invalid(description: "\(file): [shop] \(key): expected \(expected)") }
        if let shopValue = c["shop"] {
            guard let shop = shopValue.table else { throw Invalid(description: "\(file): shop must be a table ([shop])") }
            for key in shop.keys.sorted() where !knownShopKeys.contains(key) {
                throw Invalid(description: ConfigValidation.unknown("[shop] key", key, known: knownShopKeys, in: file))
            }
            func string(_ k: String) throws -> String? {
                guard let v = shop[k] else { return nil }
                guard let t = v.string else { throw bad(k, "a string in quotes") }
                return t
            }
            func strings(_ k: String) throws -> [String] {
                guard let v = shop[k] else { return [] }
                guard let a = v.array, let out = Optional(a.compactMap(\.string)), out.count == a.count else { throw bad(k, "a list of strings") }
                return out
            }
            s.name = try string("name")
            if let v = shop["id"] {
                guard let id = v.string ?? v.int.map({ String($0) }) else { throw bad("id", "a string or a whole number") }
                s.id = id
            }
            if let r = try string("default_ship_from") {
                guard !r.trimmingSpaces().isEmpty else { throw bad("default_ship_from", "a region such as \"浙江省/金华市/义乌市\"") }
                s.defaultShipFromText = r; s.defaultShipFrom = Region.parse(r)
            }
            if let v = shop["professional_anchor"] {
                guard let b = v.bool else { throw bad("professional_anchor", "true or false") }
                s.professionalAnchor = b
            }
            s.authorisedBrands = try strings("authorised_brands")
            s.operatorName = try string("operator")
            if let v = shop["risk_horizon_hours"] {
                guard let h = v.double, h.isFinite, h > 0, h <= 8760 else { throw bad("risk_horizon_hours", "hours greater than 0 and at most 8760") }
                s.riskHorizonHours = h
            }
            s.exportPasswords = try strings("export_passwords")
        }
        if let r = c["rules"] {
            guard r.table != nil else { throw Invalid(description: "\(file): rules must be a table ([rules])") }
            s.rules = r
        }
        return s
    }
}
