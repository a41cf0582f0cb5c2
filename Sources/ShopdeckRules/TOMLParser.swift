/// A TOML 1.0 reader written for this project (hand-written on purpose: the wrapped C++
/// library it replaces aborts the whole process on some malformed input, such as a table
/// header of Chinese bare words, and issue 12 requires that no text can do that).
///
/// It reads everything `shopdeck.toml`, `--rules` files and themes use: comments, `[tables]`,
/// `[[arrays of tables]]`, bare, quoted and dotted keys, basic and literal strings (single and
/// multi-line, every escape), integers (decimal, `0x`, `0o`, `0b`, underscores), floats
/// (including `inf` and `nan`, which the validators then refuse), booleans, dates and
/// date-times (as `YYYY-MM-DD HH:MM:SS` strings), arrays and inline tables. Every error is a
/// `ConfigValue.ParseError` with line and column; nesting is bounded so no input can exhaust
/// the stack.
struct TOMLParser {
    private let b: [UInt8]
    private var i = 0
    private let file: String
    /// The deepest array / inline-table nesting accepted.
    static let maxDepth = 64

    init(_ text: String, file: String) {
        b = Array(text.utf8)
        self.file = file
    }

    // MARK: the document

    /// A table under construction: keys in order, and which were defined how.
    private final class Table {
        var values: [String: Node] = [:]
        /// Defined by a `[header]` (may not be defined again) or inline (closed).
        var explicit = false, inline = false, implicitByDotted = false
    }
    private enum Node {
        case value(ConfigValue)
        case table(Table)
        case tables([Table])
    }

    mutating func parse() throws -> ConfigValue {
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        let root = Table()
        var current = root
        while true {
            skipBlank()
            guard i < b.count else { break }
            if b[i] == 0x5B { // [
                let array = i + 1 < b.count && b[i + 1] == 0x5B
                i += array ? 2 : 1
                skipSpaces()
                let path = try key()
                skipSpaces()
                try expect(0x5D, "']' to close the table header")
                if array { try expect(0x5D, "']]' to close the array-of-tables header") }
                current = try open(root, path, array: array)
            } else {
                let path = try key()
                skipSpaces()
                try expect(0x3D, "'=' after the key")
                skipSpaces()
                let v = try value(depth: 0)
                try assign(current, path, v)
            }
            try endOfLine()
        }
        return convert(root)
    }

    private func convert(_ t: Table) -> ConfigValue {
        .table(t.values.mapValues { n in
            switch n {
            case .value(let v): return v
            case .table(let t): return convert(t)
            case .tables(let ts): return .array(ts.map(convert))
            }
        })
    }

    /// Opens `[path]` or `[[path]]` from the root.
    private mutating func open(_ root: Table, _ path: [String], array: Bool) throws -> Table {
        var t = root
        for (n, k) in path.enumerated() {
            let last = n == path.count - 1
            switch t.values[k] {
            case nil:
                if last && array { let nt = Table(); t.values[k] = .tables([nt]); return nt }
                let nt = Table()
                t.values[k] = .table(nt)
                t = nt
            case .table(let nt):
                if nt.inline { throw fail("the table '\(path.joined(separator: "."))' was defined inline and cannot be extended") }
                if last {
                    if array { throw fail("'\(k)' is a table, not an array of tables") }
                    if nt.explicit || nt.implicitByDotted { throw fail("the table '\(path.joined(separator: "."))' is defined twice") }
                }
                t = nt
            case .tables(var ts):
                if last && array { let nt = Table(); ts.append(nt); t.values[k] = .tables(ts); return nt }
                if last { throw fail("'\(k)' is an array of tables, not a table") }
                t = ts[ts.count - 1]
            case .value:
                throw fail("'\(path.prefix(n + 1).joined(separator: "."))' already holds a value, not a table")
            }
        }
        t.explicit = true
        return t
    }

    private mutating func assign(_ table: Table, _ path: [String], _ v: ConfigValue) throws {
        var t = table
        for k in path.dropLast() {
            switch t.values[k] {
            case nil:
                let nt = Table(); nt.implicitByDotted = true
                t.values[k] = .table(nt); t = nt
            case .table(let nt):
                if nt.inline { throw fail("the table '\(k)' was defined inline and cannot be extended") }
                t = nt
            default:
                throw fail("'\(k)' already holds a value, not a table")
            }
        }
        let k = path[path.count - 1]
        guard t.values[k] == nil else { throw fail("the key '\(path.joined(separator: "."))' is defined twice") }
        t.values[k] = .value(v)
    }

    // MARK: keys

    private mutating func key() throws -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard i < b.count else { throw fail("a key was expected") }
            let c = b[i]
            if c == 0x22 { parts.append(try basicString()) }
            else if c == 0x27 { parts.append(try literalString()) }
            else {
                let start = i
                while i < b.count, Self.isBare(b[i]) { i += 1 }
                guard i > start else {
                    throw fail("a key must be letters, digits, '-' or '_' (A-Z a-z 0-9), or be quoted (\"店铺\")")
                }
                parts.append(String(decoding: b[start..<i], as: UTF8.self))
            }
            skipSpaces()
            if i < b.count, b[i] == 0x2E { i += 1; continue }
            return parts
        }
    }

    private static func isBare(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
    }

    // MARK: values

    private mutating func value(depth: Int) throws -> ConfigValue {
        guard depth < Self.maxDepth else { throw fail("arrays or inline tables nested more than \(Self.maxDepth) deep") }
        guard i < b.count else { throw fail("a value was expected") }
        switch b[i] {
        case 0x22: return .string(try basicString())
        case 0x27: return .string(try literalString())
        case 0x5B: return try array(depth: depth)
        case 0x7B: return try inlineTable(depth: depth)
        case 0x74 where word("true"): i += 4; return .bool(true)
        case 0x66 where word("false"): i += 5; return .bool(false)
        default: return try scalar()
        }
    }

    private func word(_ w: String) -> Bool {
        let u = Array(w.utf8)
        guard i + u.count <= b.count, Array(b[i..<(i + u.count)]) == u else { return false }
        return i + u.count == b.count || !Self.isBare(b[i + u.count])
    }

    private mutating func array(depth: Int) throws -> ConfigValue {
        i += 1
        var out: [ConfigValue] = []
        while true {
            skipBlankInside()
            guard i < b.count else { throw fail("']' was expected to close the array") }
            if b[i] == 0x5D { i += 1; return .array(out) }
            out.append(try value(depth: depth + 1))
            skipBlankInside()
            guard i < b.count else { throw fail("']' was expected to close the array") }
            if b[i] == 0x2C { i += 1; continue }
            if b[i] == 0x5D { i += 1; return .array(out) }
            throw fail("',' or ']' was expected in the array")
        }
    }

    private mutating func inlineTable(depth: Int) throws -> ConfigValue {
        i += 1
        let t = Table()
        skipSpaces()
        if i < b.count, b[i] == 0x7D { i += 1; return .table([:]) }
        while true {
            let path = try key()
            skipSpaces()
            try expect(0x3D, "'=' after the key")
            skipSpaces()
            try assign(t, path, try value(depth: depth + 1))
            skipSpaces()
            guard i < b.count else { throw fail("'}' was expected to close the inline table") }
            if b[i] == 0x2C { i += 1; continue }
            if b[i] == 0x7D { i += 1; t.inline = true; return convert(t) }
            throw fail("',' or '}' was expected in the inline table")
        }
    }

    /// Numbers, dates, `inf`, `nan`: the bare token up to a delimiter.
    private mutating func scalar() throws -> ConfigValue {
        let start = i
        while i < b.count {
            let c = b[i]
            if c == 0x2C || c == 0x5D || c == 0x7D || c == 0x23 || c == 0x0A || c == 0x0D { break }
            // A space is part of a date-time (`1979-05-27 07:32:00`) only between date and time.
            if c == 0x20 || c == 0x09 {
                if c == 0x20, i - start == 10, i + 1 < b.count, b[i + 1] >= 0x30, b[i + 1] <= 0x39, b[start + 4] == 0x2D { i += 1; continue }
                break
            }
            i += 1
        }
        let tok = String(decoding: b[start..<i], as: UTF8.self)
        guard !tok.isEmpty else { i = start; throw fail("a value was expected (a string needs quotes)") }
        if let v = Self.number(tok) { return v }
        if let d = Self.dateTime(tok) { return .string(d) }
        i = start
        throw fail("cannot read '\(tok.prefix(40))' as a value (a string needs quotes)")
    }

    static func number(_ tok: String) -> ConfigValue? {
        var t = Substring(tok)
        var sign = ""
        if t.first == "+" || t.first == "-" { sign = String(t.first!); t = t.dropFirst() }
        if t == "inf" { return .double(sign == "-" ? -.infinity : .infinity) }
        if t == "nan" { return .double(.nan) }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where t.hasPrefix(prefix) {
            guard sign.isEmpty, let digits = underscored(t.dropFirst(2)), let v = Int(digits, radix: radix) else { return nil }
            return .int(v)
        }
        guard let plain = underscored(t), !plain.isEmpty else { return nil }
        let isInt = plain.allSatisfy { $0.isASCII && $0.isNumber }
        if isInt {
            if plain.count > 1 && plain.first == "0" { return nil } // no leading zeros
            guard let v = Int(sign + plain) else { return nil }   // past Int64: refused
            return .int(v)
        }
        // A float: digits, optional fraction, optional exponent.
        let allowed = plain.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-") }
        guard allowed, plain.first?.isNumber == true, !plain.hasSuffix("."), !plain.contains(".e"), !plain.contains(".E"),
              let d = Double(sign + plain) else { return nil }
        return .double(d)
    }

    /// Digits with single underscores between them, the underscores removed.
    private static func underscored(_ s: Substring) -> String? {
        if s.hasPrefix("_") || s.hasSuffix("_") || s.contains("__") { return nil }
        return s.replacingOccurrences(of: "_", with: "")
    }

    /// `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|±HH:MM]`, `HH:MM:SS`: as a
    /// `YYYY-MM-DD HH:MM:SS` string (the offset dropped: rulebook times are CST wall clock).
    static func dateTime(_ tok: String) -> String? {
        let u = Array(tok.utf8)
        func digits(_ r: Range<Int>) -> Bool { r.upperBound <= u.count && r.allSatisfy { u[$0] >= 0x30 && u[$0] <= 0x39 } }
        guard u.count >= 10, digits(0..<4), u[4] == 0x2D, digits(5..<7), u[7] == 0x2D, digits(8..<10) else { return nil }
        let date = String(decoding: u[0..<10], as: UTF8.self)
        if u.count == 10 { return date + " 00:00:00" }
        guard u.count >= 19, u[10] == 0x54 || u[10] == 0x74 || u[10] == 0x20, digits(11..<13), u[13] == 0x3A, digits(14..<16),
              u[16] == 0x3A, digits(17..<19) else { return nil }
        return date + " " + String(decoding: u[11..<19], as: UTF8.self)
    }

    // MARK: strings

    private mutating func basicString() throws -> String {
        if b.count - i >= 3, b[i + 1] == 0x22, b[i + 2] == 0x22 { return try multiline(quote: 0x22) }
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < b.count, b[i] != 0x0A else { throw fail("the string is not closed on its line (a closing \" is missing)") }
            let c = b[i]
            if c == 0x22 { i += 1; return String(decoding: out, as: UTF8.self) }
            if c == 0x5C { try escape(into: &out); continue }
            if (c < 0x20 && c != 0x09) || c == 0x7F { throw fail("a control character inside a string must be escaped") }
            out.append(c); i += 1
        }
    }

    private mutating func literalString() throws -> String {
        if b.count - i >= 3, b[i + 1] == 0x27, b[i + 2] == 0x27 { return try multiline(quote: 0x27) }
        i += 1
        let start = i
        while i < b.count, b[i] != 0x27 {
            if b[i] == 0x0A { throw fail("the string is not closed on its line (a closing ' is missing)") }
            i += 1
        }
        guard i < b.count else { throw fail("the string is not closed (a closing ' is missing)") }
        defer { i += 1 }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    private mutating func multiline(quote: UInt8) throws -> String {
        i += 3
        if i < b.count, b[i] == 0x0A { i += 1 } else if i + 1 < b.count, b[i] == 0x0D, b[i + 1] == 0x0A { i += 2 }
        var out: [UInt8] = []
        while true {
            guard i < b.count else { throw fail("the multi-line string is not closed") }
            let c = b[i]
            if c == quote, i + 2 < b.count, b[i + 1] == quote, b[i + 2] == quote {
                // Up to two quotes may sit right before the closing three.
                var n = 3
                while n < 5, i + n < b.count, b[i + n] == quote { n += 1 }
                out.append(contentsOf: Array(repeating: quote, count: n - 3))
                i += n
                return String(decoding: out, as: UTF8.self)
            }
            if c == 0x5C && quote == 0x22 {
                // A line-ending backslash trims the line break and the following blanks.
                var j = i + 1
                while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                if j < b.count, b[j] == 0x0A || b[j] == 0x0D {
                    i = j
                    while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
                    continue
                }
                try escape(into: &out)
                continue
            }
            out.append(c); i += 1
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws {
        i += 1
        guard i < b.count else { throw fail("the string ends inside an escape") }
        let c = b[i]
        i += 1
        switch c {
        case 0x62: out.append(0x08)
        case 0x74: out.append(0x09)
        case 0x6E: out.append(0x0A)
        case 0x66: out.append(0x0C)
        case 0x72: out.append(0x0D)
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x75, 0x55:
            let n = c == 0x75 ? 4 : 8
            guard i + n <= b.count, let v = UInt32(String(decoding: b[i..<(i + n)], as: UTF8.self), radix: 16),
                  let scalar = Unicode.Scalar(v) else { throw fail("\\u and \\U need 4 or 8 hex digits of a Unicode scalar") }
            i += n
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            i -= 1
            throw fail("unknown escape '\\\(String(decoding: [c], as: UTF8.self))' (use \\\\ for a backslash)")
        }
    }

    // MARK: blanks

    private mutating func skipSpaces() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 } }

    private mutating func skipComment() {
        if i < b.count, b[i] == 0x23 { while i < b.count, b[i] != 0x0A { i += 1 } }
    }

    /// Blank lines and comments between statements.
    private mutating func skipBlank() {
        while i < b.count {
            skipSpaces(); skipComment()
            if i < b.count, b[i] == 0x0A || b[i] == 0x0D { i += 1; continue }
            return
        }
    }

    /// Inside an array: spaces, newlines and comments.
    private mutating func skipBlankInside() {
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
            if c == 0x23 { skipComment(); continue }
            return
        }
    }

    /// After a statement: only spaces and a comment up to the line end.
    private mutating func endOfLine() throws {
        skipSpaces(); skipComment()
        if i < b.count, b[i] == 0x0D { i += 1 }
        guard i >= b.count || b[i] == 0x0A else { throw fail("the line goes on after the value (one key = value per line)") }
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws {
        guard i < b.count, b[i] == c else { throw fail("\(what) was expected") }
        i += 1
    }

    /// An error at the current position (1-based line and column, in characters).
    private func fail(_ reason: String) -> ConfigValue.ParseError {
        var line = 1, lineStart = 0
        let end = min(i, b.count)
        for k in 0..<end where b[k] == 0x0A { line += 1; lineStart = k + 1 }
        let column = String(decoding: b[lineStart..<end], as: UTF8.self).count + 1
        return ConfigValue.ParseError(file: file, line: line, column: column, reason: reason)
    }
}
