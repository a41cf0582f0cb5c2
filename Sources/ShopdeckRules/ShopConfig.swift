import Foundation
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
    /// Alert destinations (`[[notify]]`, terminal-ui.md Alerts).
    public var notify: [NotifyTarget] = []
    /// `[ui] bell`: ring the terminal bell on alert events.
    public var bell = false
    /// `[ui] lang`: "zh" or "en" (nil: from the locale).
    public var lang: String?

    public init() {}

    public static let fileName = "shopdeck.toml"

    /// The tables a shopdeck.toml may hold, and the keys of `[shop]`.
    public static let knownTables = ["shop", "rules", "notify", "ui"]
    public static let knownNotifyKeys = ["kind", "url", "secret", "events", "min_interval"]
    public static let knownUIKeys = ["bell", "lang"]
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
        if let n = c["notify"] {
            guard let list = n.array else { throw Invalid(description: "\(file): notify must be a list of tables ([[notify]])") }
            for (i, item) in list.enumerated() {
                guard let t = item.table else { throw Invalid(description: "\(file): notify[\(i)] must be a table ([[notify]])") }
                for key in t.keys.sorted() where !knownNotifyKeys.contains(key) {
                    throw Invalid(description: ConfigValidation.unknown("[[notify]] key", key, known: knownNotifyKeys, in: file))
                }
                s.notify.append(try NotifyTarget(t, index: i, file: file))
            }
        }
        if let u = c["ui"] {
            guard let t = u.table else { throw Invalid(description: "\(file): ui must be a table ([ui])") }
            for key in t.keys.sorted() where !knownUIKeys.contains(key) {
                throw Invalid(description: ConfigValidation.unknown("[ui] key", key, known: knownUIKeys, in: file))
            }
            if let b = t["bell"] { guard let v = b.bool else { throw Invalid(description: "\(file): [ui] bell: expected true or false") }; s.bell = v }
            if let l = t["lang"] {
                guard let v = l.string, ["zh", "en"].contains(v) else { throw Invalid(description: "\(file): [ui] lang: expected \"zh\" or \"en\"") }
                s.lang = v
            }
        }
        if let r = c["rules"] {
            guard r.table != nil else { throw Invalid(description: "\(file): rules must be a table ([rules])") }
            s.rules = r
        }
        return s
    }
}

/// One alert destination (`[[notify]]` in shopdeck.toml). The secret is never printed.
public struct NotifyTarget: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case dingtalk, feishu, wecom, webhook }
    public var kind: Kind
    public var url: String
    public var secret: String?
    /// Event kinds to send (empty: all).
    public var events: [String] = []
    /// Seconds to gather events before sending (0: at once).
    public var minInterval: Double = 0

    /// The event kinds a destination may filter on (AlertEvent.Kind's names).
    public static let eventKinds = ["order_at_risk", "order_late", "aftersales_at_risk", "aftersales_breached",
                                    "exemption_margin_zero", "violation_appealable", "appeal_deadline_soon"]

    public init(kind: Kind, url: String, secret: String? = nil) { self.kind = kind; self.url = url; self.secret = secret }

    init(_ t: [String: ConfigValue], index i: Int, file: String) throws {
        func bad(_ why: String) -> ShopConfig.Invalid { ShopConfig.Invalid(description: "\(file): notify[\(i)]: \(why)") }
        guard let k = t["kind"]?.string, let kind = Kind(rawValue: k) else {
            throw bad("kind must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let url = t["url"]?.string, let u = URL(string: url), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host != nil else {
            throw bad("url must be an http:// or https:// address")
        }
        self.kind = kind
        self.url = url
        if let s = t["secret"] { guard let v = s.string else { throw bad("secret must be a string") }; secret = v }
        if let e = t["events"] {
            guard let list = e.array?.compactMap(\.string), list.count == e.array?.count else { throw bad("events must be a list of event names") }
            for name in list where !NotifyTarget.eventKinds.contains(name) {
                throw bad("unknown event '\(name)'" + (ConfigValidation.nearest(name, in: NotifyTarget.eventKinds).map { "; did you mean '\($0)'?" } ?? ""))
            }
            events = list
        }
        if let m = t["min_interval"] {
            guard let v = m.double, v.isFinite, v >= 0, v <= 86_400 else { throw bad("min_interval must be seconds from 0 to 86400") }
            minInterval = v
        }
    }

    /// Where it goes, without anything secret: the kind and host.
    public var label: String { "\(kind.rawValue) (\(URL(string: url)?.host ?? "?"))" }
}
