/// A plain value tree read from TOML, so the rest of the engine never touches TOMLKit and
/// overrides merge simply (a `--rules` file or `shopdeck.toml [rules]` over the default).
public indirect enum ConfigValue: Equatable, Sendable {
    case string(String), int(Int), double(Double), bool(Bool)
    case array([ConfigValue]), table([String: ConfigValue])

    /// An error in a TOML file: where and what.
    public struct ParseError: Error, CustomStringConvertible {
        public let file: String
        public let line: Int
        public let column: Int
        public let reason: String
        public var description: String { "\(file):\(line):\(column): \(reason)" }
    }

    /// Parses TOML text into a table (`TOMLParser`). Never traps: every malformed text is a
    /// `ParseError` with its line and column.
    public static func parseTOML(_ text: String, file: String) throws -> ConfigValue {
        var p = TOMLParser(text, file: file)
        return try p.parse()
    }


    /// `other`'s keys replace or extend `self`'s, tables merged recursively.
    public func merged(with other: ConfigValue) -> ConfigValue {
        guard case .table(var mine) = self, case .table(let theirs) = other else { return other }
        for (k, v) in theirs { mine[k] = mine[k].map { $0.merged(with: v) } ?? v }
        return .table(mine)
    }

    public subscript(_ key: String) -> ConfigValue? {
        if case .table(let t) = self { return t[key] }
        return nil
    }

    /// `a.b.c` path lookup.
    public func at(_ path: String) -> ConfigValue? {
        var cur: ConfigValue? = self
        for part in path.split(separator: ".") { cur = cur?[String(part)] }
        return cur
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var int: Int? {
        switch self { case .int(let i): return i; case .double(let d) where d == d.rounded() && abs(d) < 9e15: return Int(d); default: return nil }
    }
    public var double: Double? {
        switch self { case .int(let i): return Double(i); case .double(let d): return d; default: return nil }
    }
    public var array: [ConfigValue]? { if case .array(let a) = self { return a }; return nil }
    public var table: [String: ConfigValue]? { if case .table(let t) = self { return t }; return nil }
}

