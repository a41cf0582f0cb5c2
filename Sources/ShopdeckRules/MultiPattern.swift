/// Aho–Corasick over UTF-8 bytes: every pattern found in a text in one pass, whatever the
/// number of patterns (issue 18: the copy check scaled with products × lexicon). Hand-written
/// because it is small and the rule engine needs it byte-level, allocation-free per text: the
/// automaton is a dense table (256 transitions a state), built once per run.
///
/// On valid UTF-8 a byte match is a character match: UTF-8 is self-synchronising, so a pattern's
/// bytes can only be found where its characters are.
struct MultiPattern {
    /// state * 256 + byte -> state, its sign bit set when that state ends a pattern.
    private var next: [Int32] = []
    /// State s's patterns (those ending there, with its suffixes') are
    /// `outFlat[outStart[s]..<outStart[s + 1]]`: one flat array, so the scan does no
    /// reference counting per byte (an array of arrays cost a retain and a release a byte).
    private var outStart: [Int32] = []
    private var outFlat: [Int32] = []
    let count: Int

    init(_ patterns: [String]) {
        count = patterns.count
        // The trie is built straight into the dense table (-1: no edge yet), and the
        // breadth-first pass below completes every state's row: no dictionary a state (a
        // dictionary lookup per state and byte made building the lexicon's automaton cost
        // milliseconds on every report, twice with the copy check's two halves).
        var table = [Int32](repeating: -1, count: 256)
        var out: [[Int32]] = [[]]
        for (i, p) in patterns.enumerated() {
            var s = 0
            for b in p.utf8 {
                let t = table[s &* 256 &+ Int(b)]
                if t >= 0 { s = Int(t); continue }
                let added = out.count
                table.append(contentsOf: repeatElement(-1, count: 256))
                out.append([])
                table[s &* 256 &+ Int(b)] = Int32(added)
                s = added
            }
            if s != 0 { out[s].append(Int32(i)) }   // an empty pattern is never found
        }
        var fail = [Int32](repeating: 0, count: out.count)
        // Breadth first: each state's transitions complete (missing ones follow the failure
        // link, whose row is complete already: it is nearer the root).
        var queue: [Int32] = []
        for b in 0..<256 {
            if table[b] >= 0 { queue.append(table[b]) } else { table[b] = 0 }
        }
        var head = 0
        while head < queue.count {
            let s = Int(queue[head]); head += 1
            let f = Int(fail[s])
            out[s] += out[f]
            for b in 0..<256 {
                let t = table[s &* 256 &+ b]
                if t >= 0 {
                    fail[Int(t)] = table[f &* 256 &+ b]
                    queue.append(t)
                } else {
                    table[s &* 256 &+ b] = table[f &* 256 &+ b]
                }
            }
        }
        // A transition into a state with patterns has its sign bit set: the scan reads the
        // pattern lists only there (most bytes of a text end none).
        for k in table.indices where !out[Int(table[k])].isEmpty { table[k] |= Int32.min }
        next = table
        var start: [Int32] = [0]
        for o in out { outFlat += o; start.append(Int32(outFlat.count)) }
        outStart = start
    }

    /// The patterns found in `text`: `found[p]` set for each, and each listed once in `hits`
    /// (so the caller clears only those). `found` holds a flag per pattern, all false on entry.
    func matches(_ text: UnsafeRawBufferPointer, found: inout [Bool], hits: inout [Int32]) {
        var s = 0
        next.withUnsafeBufferPointer { t in
            outStart.withUnsafeBufferPointer { starts in
                outFlat.withUnsafeBufferPointer { flat in
                    found.withUnsafeMutableBufferPointer { f in
                        for b in text {
                            let e = t[s &* 256 &+ Int(b)]
                            s = Int(e & Int32.max)
                            if e >= 0 { continue }
                            var i = Int(starts[s])
                            let end = Int(starts[s + 1])
                            while i < end {
                                let p = Int(flat[i])
                                if !f[p] { f[p] = true; hits.append(Int32(p)) }
                                i += 1
                            }
                        }
                    }
                }
            }
        }
    }
}
