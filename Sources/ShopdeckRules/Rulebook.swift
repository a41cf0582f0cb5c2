import ShopdeckModel

/// Every rule parameter, window and lexicon the engine uses, read from TOML (the embedded
/// default, then overrides). Nothing here is hard-coded in the rules themselves.
public struct Rulebook: Sendable {
    public struct Window: Sendable, Equatable {
        public var name: String
        public var start: Instant
        public var end: Instant
        public var published: Instant
        public func contains(_ t: Instant) -> Bool { t != .absent && t >= start && t <= end }
    }
    public struct MeasureRevision: Sendable {
        public var effectiveFrom: Instant
        public var names: [String]
        public var corrective: [String]
    }
    public struct CopyNorm: Sendable {
        public var number: Int
        public var title: String
        public var terms: [String]
        public var needsSource: Bool
        public var requires: [String]
        public var unlessAuthorisedBrand: Bool
    }

    public var version: String
    /// When this version took effect (the base version: always).
    public var effectiveFrom: Instant = CST.earliest
    /// The later versions, each complete, by effective date: a rulebook's `[[revisions]]`
    /// (rules.md §0: a fact is judged by the version in force at the fact's own time).
    public var revisions: [Rulebook] = []
    // §1
    public var shippingEffectiveFrom: Instant
    public var riskHorizonHours: Double
    public var pickupHours: Double
    public var spotPromiseHours: Set<Int>
    // §2
    public var exemptionAnnounced: Instant
    public var exemptionEffectiveFrom: Instant
    public var minPaidOrders: Int
    public var minSpotShare: Double
    public var minOnTimeRate: Double
    public var penaltyRule: String
    // §4
    public var refreshWorkingDays: Int
    // §3
    public var aftersalesEffectiveFrom: Instant
    public var limits: [String: Double]
    public var holidays: [Window]
    // §5
    public var appealsEffectiveFrom: Instant
    public var maxAppeals: Int
    public var appealSubjects: [String]
    public var appealSubjectsBefore: [String]
    public var appealReasons: [String]
    public var measures: [MeasureRevision]
    public var measureMeanings: [String: String]
    // §6
    public var banLadderHours: [Int]
    public var banLadderLabels: [String]
    public var platformBanShops: Int
    public var platformBanLabel: String
    // §7
    public var shopCouponType: String
    public var anchorCouponType: String
    public var allianceSource: String
    public var minIOS: String
    public var minAndroid: String
    // §8
    public var copyNorms: [CopyNorm]
    public var sourceMarkers: [String]
    // §9
    public var trustBenefits: [String]

    /// A rulebook problem: which key, what was wrong.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The embedded default, parsed once per process (a fleet opens a hundred shops; each
    /// parsed it again). Immutable values: the embedded text is tested, failing here is a
    /// build defect.
    static let defaultConfig: ConfigValue = try! ConfigValue.parseTOML(defaultRulebookTOML, file: "<default rulebook>")
    static let defaultRulebook: Rulebook = try! Rulebook(config: defaultConfig)

    /// The embedded default.
    public static func standard() -> Rulebook { defaultRulebook }

    /// The default with `overrides` (TOML tables of the same shape) merged over it, in order.
    /// Each override is checked first: an unknown key names the nearest known one, a value of
    /// the wrong kind or out of range is refused (`ConfigValidation`). `files` names each
    /// override's source for the messages.
    public static func with(overrides: [ConfigValue], files: [String] = []) throws -> Rulebook {
        if overrides.isEmpty { return defaultRulebook }
        let base = defaultConfig
        var c = base
        var revisions: [(Instant, ConfigValue, String)] = []
        for (n, o) in overrides.enumerated() {
            let file = n < files.count ? files[n] : "rules"
            var plain = o
            if case .table(var t) = o, let r = t.removeValue(forKey: "revisions") {
                plain = .table(t)
                guard let list = r.array else { throw Invalid(description: "\(file): revisions must be a list of tables ([[revisions]])") }
                for (i, rev) in list.enumerated() {
                    guard case .table(var body) = rev else { throw Invalid(description: "\(file): revisions[\(i)] must be a table") }
                    guard let from = body.removeValue(forKey: "effective_from")?.string else {
                        throw Invalid(description: "\(file): revisions[\(i)] needs effective_from = \"YYYY-MM-DD HH:MM:SS\"")
                    }
                    let version = body["version"]?.string ?? ""
                    try ConfigValidation.checkRulebookOverride(.table(body), against: base, file: "\(file) revisions[\(i)]")
                    revisions.append((try time(from, key: "revisions[\(i)].effective_from"), .table(body), version))
                }
            }
            try ConfigValidation.checkRulebookOverride(plain, against: base, file: file)
            c = c.merged(with: plain)
        }
        var rb = try Rulebook(config: c)
        // Each revision holds the versions before it: cumulative, by date.
        var cumulative = c
        for (from, body, version) in revisions.sorted(by: { $0.0 < $1.0 }) {
            cumulative = cumulative.merged(with: body)
            var v = try Rulebook(config: cumulative)
            v.effectiveFrom = from
            if version.isEmpty { v.version = rb.version + " (from " + CST.formatDate(from) + ")" }
            rb.revisions.append(v)
        }
        return rb
    }

    /// The version in force at `t` (rules.md §0).
    public func at(_ t: Instant) -> Rulebook { revisions.last { $0.effectiveFrom <= t } ?? self }

    /// Every version, the base first.
    public var versions: [Rulebook] { [self] + revisions }

    /// The index in `versions` of the version in force at `t`.
    public func versionIndex(at t: Instant) -> Int { revisions.lastIndex { $0.effectiveFrom <= t }.map { $0 + 1 } ?? 0 }

    /// The override a `--rules` file holds: the rulebook's own shape, or the `[rules]` table of
    /// a shopdeck.toml (`[rules]` with `exemption.min_paid_orders = 3000` under it).
    public static func overrideTable(fromRulesFile c: ConfigValue) -> ConfigValue {
        if let t = c.table, t.count == 1, let inner = t["rules"], inner.table != nil { return inner }
        return c
    }

    /// Range checks the rulebook's values (issue 12): hours, counts and days not negative,
    /// shares and rates in 0 … 1, every number finite.
    func validate() throws {
        func check(_ ok: Bool, _ key: String, _ expected: String) throws {
            if !ok { throw Invalid(description: "rulebook key \(key): expected \(expected)") }
        }
        func hours(_ h: Double, _ key: String) throws { try check(h.isFinite && h >= 0 && h <= 87_600, key, "hours from 0 to 87600 (ten years)") }
        try hours(riskHorizonHours, "shipping.risk_horizon_hours")
        try hours(pickupHours, "shipping.pickup_hours")
        for (k, v) in limits { try hours(v, "aftersales.\(k)") }
        try check((0...1_000_000_000).contains(minPaidOrders), "exemption.min_paid_orders", "a whole number of orders from 0 to 1,000,000,000")
        try check(minSpotShare.isFinite && minSpotShare >= 0 && minSpotShare < 1, "exemption.min_spot_share", "a share from 0 to below 1 (0.70 = 70 %; the share must be strictly more)")
        try check(minOnTimeRate.isFinite && (0...1).contains(minOnTimeRate), "exemption.min_on_time_rate", "a rate from 0 to 1 (0.97 = 97 %)")
        try check((0...60).contains(refreshWorkingDays), "adjustments.platform_refresh_working_days", "working days from 0 to 60")
        try check((0...100).contains(maxAppeals), "appeals.max_appeals", "a number of appeals from 0 to 100")
        try check(banLadderHours.allSatisfy { $0 == -1 || (0...876_000).contains($0) }, "reports.ladder_hours", "hours of 0 or more, or -1 for permanent")
        try check((1...1_000_000).contains(platformBanShops), "reports.platform_ban_shops", "a number of shops from 1 to 1,000,000")
        for n in copyNorms { try check((0...1_000_000).contains(n.number), "copy.norms", "norm numbers from 0 to 1,000,000") }
        try check(spotPromiseHours.allSatisfy { (1...8760).contains($0) }, "shipping.spot_promise_hours", "promise hours from 1 to 8760")
        for h in holidays { try check(h.start <= h.end, "holidays", "a window whose start is not after its end (\(h.name))") }
    }

    public init(config c: ConfigValue) throws {
        func str(_ k: String) throws -> String {
            guard let s = c.at(k)?.string else { throw Invalid(description: "rulebook key \(k): expected a string") }
            return s
        }
        func num(_ k: String) throws -> Double {
            guard let d = c.at(k)?.double else { throw Invalid(description: "rulebook key \(k): expected a number") }
            return d
        }
        func int(_ k: String) throws -> Int {
            guard let d = c.at(k)?.int else { throw Invalid(description: "rulebook key \(k): expected a whole number") }
            return d
        }
        func time(_ k: String) throws -> Instant { try Rulebook.time(try str(k), key: k) }
        func strings(_ v: ConfigValue?, _ k: String) throws -> [String] {
            guard let a = v?.array else { throw Invalid(description: "rulebook key \(k): expected a list of strings") }
            return try a.map { guard let s = $0.string else { throw Invalid(description: "rulebook key \(k): expected strings") }; return s }
        }
        version = try str("version")
        shippingEffectiveFrom = try time("shipping.effective_from")
        riskHorizonHours = try num("shipping.risk_horizon_hours")
        pickupHours = try num("shipping.pickup_hours")
        spotPromiseHours = Set((c.at("shipping.spot_promise_hours")?.array ?? []).compactMap(\.int))
        exemptionAnnounced = try time("exemption.announced")
        exemptionEffectiveFrom = try time("exemption.effective_from")
        minPaidOrders = try int("exemption.min_paid_orders")
        minSpotShare = try num("exemption.min_spot_share")
        minOnTimeRate = try num("exemption.min_on_time_rate")
        penaltyRule = try str("exemption.penalty_rule")
        refreshWorkingDays = try int("adjustments.platform_refresh_working_days")
        aftersalesEffectiveFrom = try time("aftersales.effective_from")
        var l: [String: Double] = [:]
        for (k, v) in c.at("aftersales")?.table ?? [:] { if let d = v.double { l[k] = d } }
        limits = l
        holidays = try (c["holidays"]?.array ?? []).enumerated().map { i, h in
            let k = "holidays[\(i)]"
            guard let s = h["start"]?.string, let e = h["end"]?.string else { throw Invalid(description: "rulebook \(k): needs start and end") }
            let start = try Rulebook.time(s, key: k + ".start")
            return Window(name: h["name"]?.string ?? k, start: start, end: try Rulebook.time(e, key: k + ".end"),
                          published: try h["published"]?.string.map { try Rulebook.time($0, key: k + ".published") } ?? start)
        }
        appealsEffectiveFrom = try time("appeals.effective_from")
        maxAppeals = try int("appeals.max_appeals")
        appealSubjects = try strings(c.at("appeals.subjects"), "appeals.subjects")
        appealSubjectsBefore = try strings(c.at("appeals.subjects_before"), "appeals.subjects_before")
        appealReasons = try strings(c.at("appeals.reasons"), "appeals.reasons")
        measures = try (c["measures"]?.array ?? []).enumerated().map { i, m in
            let k = "measures[\(i)]"
            return MeasureRevision(effectiveFrom: try Rulebook.time(m["effective_from"]?.string ?? "", key: k + ".effective_from"),
                                   names: try strings(m["names"], k + ".names"),
                                   corrective: (try? strings(m["corrective"], k)) ?? [])
        }.sorted { $0.effectiveFrom < $1.effectiveFrom }
        measureMeanings = (c["measure_meanings"]?.table ?? [:]).compactMapValues(\.string)
        banLadderHours = (c.at("reports.ladder_hours")?.array ?? []).compactMap(\.int)
        banLadderLabels = try strings(c.at("reports.ladder_labels"), "reports.ladder_labels")
        guard !banLadderHours.isEmpty, banLadderHours.count == banLadderLabels.count else {
            throw Invalid(description: "rulebook reports.ladder_hours and reports.ladder_labels must be non-empty lists of the same length")
        }
        platformBanShops = try int("reports.platform_ban_shops")
        platformBanLabel = try str("reports.platform_ban_label")
        shopCouponType = try str("coupons.shop_coupon")
        anchorCouponType = try str("coupons.anchor_coupon")
        allianceSource = try str("coupons.alliance_source")
        minIOS = try str("coupons.min_ios")
        minAndroid = try str("coupons.min_android")
        copyNorms = try (c.at("copy.norms")?.array ?? []).enumerated().map { i, n in
            let k = "copy.norms[\(i)]"
            guard let number = n["number"]?.int else { throw Invalid(description: "rulebook \(k).number: expected a whole number") }
            return CopyNorm(number: number, title: n["title"]?.string ?? "", terms: try strings(n["terms"], k + ".terms"),
                            needsSource: n["needs_source"]?.bool ?? false,
                            requires: (try? strings(n["requires"], k)) ?? [],
                            unlessAuthorisedBrand: n["unless_authorised_brand"]?.bool ?? false)
        }
        sourceMarkers = (try? strings(c.at("copy.source_markers"), "copy.source_markers")) ?? []
        trustBenefits = (try? strings(c.at("trust_purchase.benefits"), "trust_purchase.benefits")) ?? []
        try validate()
    }

    static func time(_ s: String, key: String) throws -> Instant {
        guard case .value(let t) = CST.parse(s) else {
            throw Invalid(description: "rulebook key \(key): cannot read '\(s)' as a time (YYYY-MM-DD HH:MM:SS, CST)")
        }
        return t
    }

    /// Limit in hours for an after-sales stage, normal or in the holiday window.
    public func limitHours(_ stage: String, holiday: Bool) -> Double {
        limits[holiday ? stage + "_holiday" : stage] ?? 0
    }

    /// The holiday window holding `t`, if any.
    public func holiday(at t: Instant) -> Window? { holidays.first { $0.contains(t) } }

    /// Every measure known as of `t` (revisions in force at that time).
    public func knownMeasures(at t: Instant) -> Set<String> {
        Set(measures.filter { $0.effectiveFrom <= t }.flatMap(\.names))
    }
    public var allMeasures: Set<String> { Set(measures.flatMap(\.names)) }
}
