import ShopdeckScreen

/// Splits a line into pieces of at most `width` display columns: at spaces, or between two
/// CJK characters, never inside a word, a number, a time or a character; only a token longer
/// than the whole width is split, and then at the width.
func wrap(_ s: String, _ width: Int) -> [String] {
    guard width > 0 else { return [s] }
    if DisplayWidth.of(s) <= width { return [s] }
    // Tokens: runs of non-space non-wide characters, single wide characters, single spaces.
    var tokens: [String] = []
    var cur = ""
    for ch in s {
        if ch == " " || DisplayWidth.of(ch) == 2 {
            if !cur.isEmpty { tokens.append(cur); cur = "" }
            tokens.append(String(ch))
        } else { cur.append(ch) }
    }
    if !cur.isEmpty { tokens.append(cur) }
    var out: [String] = [], line = "", used = 0
    func flush() {
        while line.hasSuffix(" ") { line.removeLast() }
        out.append(line); line = ""; used = 0
    }
    for t in tokens {
        let w = DisplayWidth.of(t)
        if t == " " && used == 0 && !out.isEmpty { continue } // no space at the start of a line
        if used + w <= width { line += t; used += w; continue }
        if used > 0 { flush() }
        if t == " " { continue }
        if w <= width { line = t; used = w; continue }
        // A token longer than the line: split at the width.
        for ch in t {
            let cw = DisplayWidth.of(ch)
            if used + cw > width { flush() }
            line.append(ch); used += cw
        }
    }
    if used > 0 || out.isEmpty { flush() }
    return out
}

/// Column widths sized to their content (terminal-ui.md, Any terminal; issue 14): each column
/// as wide as its widest cell or title. When they do not fit, the free-text columns (product,
/// address, names, warnings) give way first, widest first, so ids, times and figures stay
/// whole; only if that is not enough do the others, never below their title or 6 cells. A cut
/// cell ends in `…`. Space left over goes to the widest free-text column.
enum ColumnLayout {
    /// The model's English column titles whose cells are free text.
    static let flexibleTitles: Set<String> = ["product", "ship to", "name", "what", "detail", "warnings", "appeal", "why", "stage", "list", "type", "rule", "status", "kind"]

    /// The widest cell of each of `n` columns (the first 5,000 rows: a table's model measures
    /// its cells once, when it is built, not every frame).
    static func cellWidths(_ rows: [[String]], columns n: Int) -> [Int] {
        var out = [Int](repeating: 0, count: n)
        for row in rows.prefix(5_000) {
            for i in 0..<min(n, row.count) {
                let w = DisplayWidth.of(row[i])
                if w > out[i] { out[i] = w }
            }
        }
        return out
    }

    static func widths(titles: [String], rows: [[String]], available: Int, flexible: [Bool]? = nil) -> [Int] {
        widths(titles: titles, cellWidths: cellWidths(rows, columns: titles.count), available: available, flexible: flexible)
    }

    static func widths(titles: [String], cellWidths: [Int], available: Int, flexible: [Bool]? = nil) -> [Int] {
        let n = titles.count
        guard n > 0 else { return [] }
        let flex = flexible ?? Array(repeating: true, count: n)
        let natural = titles.indices.map { max(1, DisplayWidth.of(titles[$0]), $0 < cellWidths.count ? cellWidths[$0] : 0) }
        let room = max(n, available - (n - 1))
        let total = natural.reduce(0, +)
        if total <= room {
            var out = natural
            let candidates = natural.indices.filter { flex[$0] }
            if let widest = candidates.max(by: { natural[$0] < natural[$1] }) { out[widest] += room - total }
            return out
        }
        let floors = titles.indices.map { min(natural[$0], max(DisplayWidth.of(titles[$0]), 6)) }
        /// Water-filling over `group`: the largest cap C with the sum within `room`.
        func fill(_ widths: [Int], _ group: [Int]) -> [Int] {
            func sum(_ c: Int) -> Int { widths.indices.reduce(0) { acc, i in acc + (group.contains(i) ? min(widths[i], max(c, floors[i])) : widths[i]) } }
            var lo = 0, hi = widths.max() ?? 0
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if sum(mid) <= room { lo = mid } else { hi = mid - 1 }
            }
            var out = widths.indices.map { group.contains($0) ? min(widths[$0], max(lo, floors[$0])) : widths[$0] }
            var left = room - out.reduce(0, +)
            for i in group.sorted(by: { widths[$0] > widths[$1] }) where left > 0 && out[i] < widths[i] {
                let add = min(left, widths[i] - out[i]); out[i] += add; left -= add
            }
            return out
        }
        var out = fill(natural, natural.indices.filter { flex[$0] })
        if out.reduce(0, +) > room { out = fill(out, Array(natural.indices)) }
        return out
    }
}
