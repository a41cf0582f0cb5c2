/// Checks of configuration text against what is known (issue 12, "the rulebook is validated
/// data"): a key nobody reads is an error naming the nearest known key, so an operator never
/// believes a threshold changed that did not.
public enum ConfigValidation {
    /// The known key nearest to `key` (edit distance at most a third of its length + 1, and
    /// less than either length).
    public static func nearest(_ key: String, in known: [String]) -> String? {
        let k = Array(key.lowercased())
        var best: (String, Int)? = nil
        for candidate in known {
            let c = Array(candidate.lowercased())
            let d = distance(k, c)
            // Near: a few edits for a long key, and never a rewrite of a short one ("店铺" is not "ui").
            if d <= k.count / 3 + 1, d < min(k.count, c.count), best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
        }
        return best?.0
    }

    /// Levenshtein distance, two rows.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// "unknown key 'x'; did you mean 'y'?" or the list of known keys when none is near.
    public static func unknown(_ what: String, _ key: String, known: [String], in file: String) -> String {
        if let n = nearest(key, in: known) { return "\(file): unknown \(what) '\(key)'; did you mean '\(n)'?" }
        return "\(file): unknown \(what) '\(key)'; known: \(known.sorted().joined(separator: ", "))"
    }

    /// Every dotted key path of a table tree, descending into tables but not into lists.
    static func paths(_ v: ConfigValue, prefix: String = "") -> [(String, ConfigValue)] {
        guard case .table(let t) = v else { return [(prefix, v)] }
        var out: [(String, ConfigValue)] = []
        for (k, x) in t.sorted(by: { $0.key < $1.key }) {
            let p = prefix.isEmpty ? k : prefix + "." + k
            if case .table = x { out += paths(x, prefix: p) } else { out.append((p, x)) }
        }
        return out
    }

    /// Checks an override against the default rulebook: every key must exist there with a
    /// value of the same kind; list-of-table entries may only use the keys the default's
    /// entries use. Numbers must be finite and not negative (rulebook ranges in `Rulebook`).
    public static func checkRulebookOverride(_ o: ConfigValue, against base: ConfigValue, file: String) throws {
        let known = paths(base)
        let knownKeys = known.map(\.0)
        let byKey = Dictionary(known, uniquingKeysWith: { a, _ in a })
        for (key, value) in paths(o) {
            // Meanings of measures are free text keyed by the measure's name: any name may be added.
            if key.hasPrefix("measure_meanings."), value.string != nil { continue }
            guard let model = byKey[key] else {
                throw Rulebook.Invalid(description: unknown("rulebook key", key, known: knownKeys, in: file))
            }
            try sameKind(value, model, key: key, file: file)
        }
    }

    private static func sameKind(_ v: ConfigValue, _ model: ConfigValue, key: String, file: String) throws {
        func bad(_ expected: String) -> Rulebook.Invalid {
            Rulebook.Invalid(description: "\(file): rulebook key \(key): expected \(expected)")
        }
        switch model {
        case .string: guard v.string != nil else { throw bad("a string (in quotes)") }
        case .bool: guard v.bool != nil else { throw bad("true or false") }
        case .int, .double:
            guard let d = v.double else { throw bad("a number") }
            guard d.isFinite else { throw bad("a finite number, not \(d)") }
        case .array(let items):
            guard let list = v.array else { throw bad("a list") }
            if let first = items.first, case .table = first {
                let allowed = Set(items.flatMap { $0.table.map { Array($0.keys) } ?? [] })
                for (n, entry) in list.enumerated() {
                    guard let t = entry.table else { throw bad("a list of tables") }
                    for k in t.keys where !allowed.contains(k) {
                        throw Rulebook.Invalid(description: unknown("rulebook key", "\(key)[\(n)].\(k)", known: allowed.sorted().map { "\(key)[\(n)].\($0)" }, in: file))
                    }
                    for (k, x) in t {
                        if let m = items.compactMap({ $0[k] }).first { try sameKind(x, m, key: "\(key)[\(n)].\(k)", file: file) }
                    }
                }
            } else if let first = items.first {
                for x in list { try sameKind(x, first, key: key + "[]", file: file) }
            }
        case .table: break
        }
    }
}
