/// Aho–Corasick over UTF-8 bytes: every pattern found in a text in one pass, whatever the
/// number of patterns (issue 18: the copy check scaled with products × lexicon). Hand-written
/// because it is small and the rule engine needs it byte-level, allocation-free per text: the
/// automaton is a dense table (256 transitions a state), built once per run.
///
/// On valid UTF-8 a byte match is a character match: UTF-8 is self-synchronising, so a pattern's
/// bytes can only be found where its characters are.
struct MultiPattern {
    private var next: [Int32] = []          // state * 256 + byte -> state
    /// State s's patterns (those ending there, with its suffixes') are
    /// `outFlat[outStart[s]..<outStart[s + 1]]`: one flat array, so the scan does no
    /// reference counting per byte (an array of arrays cost a retain and a release a byte).
    private var outStart: [Int32] = []
    private var outFlat: [Int32] = []
    let count: Int

    init(_ patterns: [String]) {
        count = patterns.count
        var trie: [[UInt8: Int32]] = [[:]]
        var out: [[Int32]] = [[]]
        for (i, p) in patterns.enumerated() {
            let bytes = Array(p.utf8)
            guard !bytes.isEmpty else { continue }
            var s: Int32 = 0
            for b in bytes {
                if let t = trie[Int(s)][b] { s = t } else {
                    trie.append([:]); out.append([])
                    let t = Int32(trie.count - 1)
                    trie[Int(s)][b] = t
                    s = t
                }
            }
            out[Int(s)].append(Int32(i))
        }
        let n = trie.count
        var table = [Int32](repeating: 0, count: n * 256)
        var fail = [Int32](repeating: 0, count: n)
        // Breadth first: each state's transitions complete (missing ones follow the failure link).
        var queue: [Int32] = []
        for b in 0..<256 {
            if let t = trie[0][UInt8(b)] { table[b] = t; queue.append(t) }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            out[Int(s)] += out[Int(fail[Int(s)])]
            for b in 0..<256 {
                if let t = trie[Int(s)][UInt8(b)] {
                    fail[Int(t)] = table[Int(fail[Int(s)]) * 256 + b]
                    table[Int(s) * 256 + b] = t
                    queue.append(t)
                } else {
                    table[Int(s) * 256 + b] = table[Int(fail[Int(s)]) * 256 + b]
                }
            }
        }
        next = table
        var start: [Int32] = [0]
        for o in out { outFlat += o; start.append(Int32(outFlat.count)) }
        outStart = start
    }

    /// The patterns found in `text`: `found[p]` set for each, and each listed once in `hits`
    /// (so the caller clears only those). `found` holds a flag per pattern, all false on entry.
    func matches(_ text: String, found: inout [Bool], hits: inout [Int32]) {
        var s = 0
        next.withUnsafeBufferPointer { t in
            outStart.withUnsafeBufferPointer { starts in
                outFlat.withUnsafeBufferPointer { flat in
                    found.withUnsafeMutableBufferPointer { f in
                        var text = text
                        text.withUTF8 { bytes in
                            for b in bytes {
                                s = Int(t[s &* 256 &+ Int(b)])
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
}
