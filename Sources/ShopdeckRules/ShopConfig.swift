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
    /// The `[rules]` table, merged over the rulebook.
    public var rules: ConfigValue?

    public init() {}

    public static let fileName = "shopdeck.toml"

    /// Reads `folder/shopdeck.toml`; a missing file gives the defaults.
    public static func load(folder: String) throws -> ShopConfig {
        let path = folder + "/" + fileName
        guard let bytes = try? FileReader.readAll(path) else { return ShopConfig() }
        return try parse(String(decoding: bytes, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> ShopConfig {
        let c = try ConfigValue.parseTOML(text, file: file)
        var s = ShopConfig()
        if let shop = c["shop"] {
            s.name = shop["name"]?.string
            s.id = shop["id"]?.string ?? shop["id"]?.int.map { String($0) }
            if let r = shop["default_ship_from"]?.string { s.defaultShipFromText = r; s.defaultShipFrom = Region.parse(r) }
            s.professionalAnchor = shop["professional_anchor"]?.bool
            s.authorisedBrands = (shop["authorised_brands"]?.array ?? []).compactMap(\.string)
            s.operatorName = shop["operator"]?.string
            s.riskHorizonHours = shop["risk_horizon_hours"]?.double
        }
        s.rules = c["rules"]
        return s
    }
}
