import ShopdeckModel

/// rules.md §8: promotion copy against the norms' lexicon. Every term, required word, source
/// marker and authorised brand is found in one pass over a text (`MultiPattern`); the norms
/// then read flags by pattern number, never a string comparison.
struct CopyChecker {
    /// A norm with its words as pattern numbers, resolved once.
    private struct Compiled {
        var number: Int
        var title: String
        var needsSource: Bool
        var unlessAuthorisedBrand: Bool
        var terms: [(text: String, pattern: Int)]
        var requires: [Int]
        /// For each term (by position in `terms`): the positions of the norm's other terms
        /// that contain it, so a term inside a longer matched one is dropped without comparing
        /// strings per text.
        var containedIn: [[Int]]
    }
    private let norms: [Compiled]
    /// For each pattern, the norms (bit k: `norms[k]`) it is a term of: a text's hits name
    /// the only norms worth judging. Nil with more than 64 norms (then every norm is judged).
    private let termOf: [UInt64]?
    private let sources: [Int]
    private let brands: [Int]
    private let automaton: MultiPattern
    /// Reused for every text: a flag per pattern (cleared after each text through `hits`).
    private var found: [Bool]
    private var hits: [Int32] = []
    /// A norm's reported terms by which of its terms were found (positions under 64): per
    /// norm, its first few sets looked through in a list (a catalogue repeats a handful; no
    /// hashing), the rest in a dictionary.
    private struct TermsKey: Hashable { let norm: Int; let mask: UInt64 }
    private var termLists: [TermsKey: [String]] = [:]
    private var recentLists: [[(mask: UInt64, terms: [String])]]
    private static let recentPerNorm = 16
    /// Reused for every norm: the positions of the terms it reports for the current text.
    private var picked: [Int] = []
    /// Work done (`WorkMeter`): bytes the automaton read, norms looked at.
    private(set) var bytesScanned = 0, normsJudged = 0

    init(rulebook rb: Rulebook, brands: [String]) {
        var patterns: [String] = []
        var idx: [String: Int] = [:]
        func add(_ p: String) -> Int? {
            guard !p.isEmpty else { return nil }
            if let i = idx[p] { return i }
            idx[p] = patterns.count; patterns.append(p); return patterns.count - 1
        }
        norms = rb.copyNorms.map { n in
            let terms = n.terms.compactMap { t in add(t).map { (t, $0) } }
            let containedIn = terms.map { t in terms.indices.filter { terms[$0].0 != t.0 && terms[$0].0.contains(t.0) } }
            return Compiled(number: n.number, title: n.title, needsSource: n.needsSource, unlessAuthorisedBrand: n.unlessAuthorisedBrand,
                            terms: terms, requires: n.requires.compactMap(add), containedIn: containedIn)
        }
        sources = rb.sourceMarkers.compactMap(add)
        self.brands = brands.compactMap(add)
        automaton = MultiPattern(patterns)
        recentLists = Array(repeating: [], count: norms.count)
        if norms.count <= 64 {
            var of = [UInt64](repeating: 0, count: patterns.count)
            for (k, n) in norms.enumerated() { for t in n.terms { of[t.pattern] |= 1 << UInt64(k) } }
            termOf = of
        } else {
            termOf = nil
        }
        found = [Bool](repeating: false, count: patterns.count)
    }

    /// Appends the findings of `text` (UTF-8, a product's name or a script where it lies) to
    /// `out`, under `id` and the text itself (each made a `String` only when something is
    /// found: most names of a real catalogue have no finding).
    mutating func check(id: () -> String, text: UnsafeRawBufferPointer, source: String, into out: inout [CopyFinding]) {
        automaton.matches(text, found: &found, hits: &hits)
        bytesScanned += text.count
        defer {
            for p in hits { found[Int(p)] = false }
            hits.removeAll(keepingCapacity: true)
        }
        guard !hits.isEmpty else { return }
        var name: String? = nil, idText: String? = nil
        // The norms are read in place (a `for c in norms` copies and retains each one's arrays
        // per text: 200k products), in their order, those with a term found only.
        var candidates: UInt64 = 0
        if let termOf { for p in hits { candidates |= termOf[Int(p)] } }
        normsJudged += termOf == nil ? norms.count : candidates.nonzeroBitCount
        for k in norms.indices {
            if termOf != nil {
                if candidates >> UInt64(k) & 1 == 0 { continue }
            } else if !norms[k].terms.contains(where: { found[$0.pattern] }) {
                continue   // most norms find none of their terms in a text
            }
            if !norms[k].requires.isEmpty && !norms[k].requires.contains(where: { found[$0] }) { continue }
            if norms[k].needsSource && sources.contains(where: { found[$0] }) { continue }
            if norms[k].unlessAuthorisedBrand && brands.contains(where: { found[$0] }) { continue }
            // A term inside a longer matched term of the same norm is not reported twice.
            picked.removeAll(keepingCapacity: true)
            for i in norms[k].terms.indices where found[norms[k].terms[i].pattern]
                && !norms[k].containedIn[i].contains(where: { found[norms[k].terms[$0].pattern] }) {
                picked.append(i)
            }
            guard !picked.isEmpty else { continue }
            // The same terms of a norm recur across a catalogue: their list is made once per
            // set of positions and shared (an array a finding was 230k allocations for 200k
            // products). Sets with a position past 63 are listed afresh.
            let mask = picked.last! < 64 ? picked.reduce(UInt64(0)) { $0 | 1 << UInt64($1) } : nil
            let terms: [String]
            if let mask, let known = recentLists[k].first(where: { $0.mask == mask })?.terms ?? termLists[TermsKey(norm: k, mask: mask)] {
                terms = known
            } else {
                var list: [String] = []
                for i in picked where !list.contains(norms[k].terms[i].text) { list.append(norms[k].terms[i].text) }
                if let mask {
                    if recentLists[k].count < Self.recentPerNorm { recentLists[k].append((mask, list)) } else { termLists[TermsKey(norm: k, mask: mask)] = list }
                }
                terms = list
            }
            if name == nil { name = String(decoding: text, as: UTF8.self); idText = id() }
            out.append(CopyFinding(productId: idText!, productName: name!, terms: terms, norm: norms[k].number, normTitle: norms[k].title, source: source))
        }
    }
}
