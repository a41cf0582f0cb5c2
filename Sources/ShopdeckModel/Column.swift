#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column of plain values with value semantics (copy on write), like an `Array`, that a
/// loader can also fill through a raw pointer: several cores writing disjoint row ranges of
/// one table at once, with no copy afterwards and no per-cell uniqueness check.
///
/// A column can also be *uniform*: every row holds one value, stored once (a file without
/// that column). Reads index through `mask` (all ones, or zero for a uniform column), so they
/// do not branch; the first write stores the rows for real.
public struct Column<Element: BitwiseCopyable & Equatable>: Equatable, @unchecked Sendable {
    @usableFromInline final class Storage: @unchecked Sendable {
        @usableFromInline var base: UnsafeMutablePointer<Element>
        @usableFromInline var count = 0
        @usableFromInline var capacity: Int
        /// `Int.max` (every index reads itself) or 0 (a uniform column: index 0 for all).
        @usableFromInline var mask = Int.max
        init(capacity: Int) {
            self.capacity = Swift.max(capacity, 1)
            base = .allocate(capacity: self.capacity)
        }
        @usableFromInline func copy(capacity c: Int) -> Storage {
            let s = Storage(capacity: Swift.max(c, count))
            if mask == 0 { s.base.initialize(repeating: base[0], count: count) } else { s.base.update(from: base, count: count) }
            s.count = count
            return s
        }
        deinit { base.deallocate() }
    }

    @usableFromInline var storage: Storage

    public init() { storage = Storage(capacity: 0) }
    public init(_ values: [Element]) {
        storage = Storage(capacity: values.count)
        values.withUnsafeBufferPointer { storage.base.update(from: $0.baseAddress!, count: $0.count) }
        storage.count = values.count
    }

    @inlinable public var count: Int { storage.count }
    public var isEmpty: Bool { storage.count == 0 }
    public var array: [Element] {
        isUniform ? Array(repeating: storage.base[0], count: count) : Array(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    @inlinable
    public subscript(i: Int) -> Element {
        @inline(__always) get {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: storage.count), "Column index out of range")
            return storage.base[i & storage.mask]
        }
        set {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: storage.count), "Column index out of range")
            if storage.mask == 0 && storage.base[0] == newValue { return }
            makeUnique()
            storage.base[i] = newValue
        }
    }

    /// `n` rows of `value`, stored once.
    public static func uniform(_ value: Element, count n: Int) -> Column {
        let c = Column()
        c.storage.base[0] = value
        c.storage.count = n
        c.storage.mask = 0
        return c
    }

    /// Whether every row holds one value stored once.
    public var isUniform: Bool { storage.mask == 0 }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) || storage.mask == 0 {
            storage = storage.copy(capacity: Swift.max(storage.capacity, storage.count))
        }
    }

    public mutating func reserveCapacity(_ n: Int) {
        if n > storage.capacity || storage.mask == 0 || !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy(capacity: Swift.max(n, storage.capacity))
        }
    }

    @inline(__always)
    public mutating func append(_ v: Element) {
        if isUniform && v == storage.base[0] {
            if isKnownUniquelyReferenced(&storage) { storage.count += 1 } else { self = .uniform(v, count: count + 1) }
            return
        }
        makeUnique()
        if storage.count == storage.capacity { storage = storage.copy(capacity: storage.capacity * 2 + 16) }
        storage.base[storage.count] = v
        storage.count += 1
    }

    public mutating func append(contentsOf other: Column) {
        let n = other.count
        if n == 0 { return }
        if other.isUniform && (count == 0 || isUniform && self[0] == other[0]) {
            self = .uniform(other[0], count: count + n)
            return
        }
        reserveCapacity(count + n)
        if other.isUniform { (storage.base + storage.count).initialize(repeating: other[0], count: n) }
        else { (storage.base + storage.count).update(from: other.storage.base, count: n) }
        storage.count += n
    }

    public mutating func append<S: Sequence>(contentsOf values: S) where S.Element == Element {
        reserveCapacity(Swift.max(count + values.underestimatedCount, storage.capacity))
        for v in values { append(v) }
    }

    /// The rows as a buffer (a uniform column stores its rows first).
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        if isUniform { return try array.withUnsafeBufferPointer(body) }
        return try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
    }

    public mutating func removeLast(_ n: Int) {
        precondition(n <= count)
        if isUniform { self = .uniform(storage.base[0], count: count - n); return }
        makeUnique()
        storage.count -= n
    }

    /// Removes the given rows (ascending, distinct), keeping the others in order.
    public mutating func remove(rows gone: [Int]) {
        guard !gone.isEmpty else { return }
        if isUniform { self = .uniform(storage.base[0], count: count - gone.count); return }
        makeUnique()
        let b = storage.base
        var w = gone[0], k = 0
        for r in gone[0]..<storage.count {
            if k < gone.count && gone[k] == r { k += 1; continue }
            b[w] = b[r]; w += 1
        }
        storage.count = w
    }

    public static func == (a: Column, b: Column) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    // MARK: for loaders

    /// Makes the column hold `n` rows whose values are not set yet, and returns where they
    /// start. The caller writes every row it keeps before anything reads them, and calls
    /// `truncate` or `moveRows` to drop the rest; the pointer stays valid until the column is
    /// next resized.
    mutating func unsafeRows(_ n: Int) -> UnsafeMutablePointer<Element> {
        if n > storage.capacity { reserveCapacity(Swift.max(n, storage.capacity * 2)) } else { makeUnique() }
        storage.count = n
        return storage.base
    }

    /// Moves rows `from..<from+n` to start at `to` (`to <= from`); the memory the rows leave
    /// behind goes back to the system (it is written again only if the column grows).
    mutating func moveRows(from: Int, to: Int, count n: Int) {
        precondition(to <= from && from + n <= storage.count)
        if isUniform { return }
        makeUnique()
        if to != from && n > 0 { (storage.base + to).update(from: storage.base + from, count: n) }
        release(Swift.max(to + n, from), from + n)
    }

    /// Returns the whole pages inside rows `lo..<hi` to the system (their values are lost;
    /// the storage must be this column's alone).
    mutating func release(_ lo: Int, _ hi: Int) {
        let stride = MemoryLayout<Element>.stride
        let page = 4096
        let start = (Int(bitPattern: UnsafeRawPointer(storage.base + lo)) + page - 1) / page * page
        let end = Int(bitPattern: UnsafeRawPointer(storage.base)) + hi * stride
        let length = (end - start) / page * page
        if length >= 16 * page, let p = UnsafeMutableRawPointer(bitPattern: start) { _ = madvise(p, length, Int32(MADV_DONTNEED)) }
    }

    /// Keeps the first `n` rows (the memory of the others goes back to the system).
    mutating func truncate(_ n: Int) {
        precondition(n <= storage.count)
        if isUniform { self = .uniform(storage.base[0], count: n); return }
        makeUnique() // never shrink (or give back pages of) storage another copy still reads
        release(n, storage.count)
        storage.count = n
    }
}

extension Column {
    /// `n` elements copied from raw bytes (the snapshot cache: no per-element work).
    static func fromRaw(_ b: UnsafeRawBufferPointer, count n: Int) -> Column {
        var c = Column()
        c.storage = Storage(capacity: n)
        if n > 0 { UnsafeMutableRawPointer(c.storage.base).copyMemory(from: b.baseAddress!, byteCount: n * MemoryLayout<Element>.stride) }
        c.storage.count = n
        return c
    }
}

extension Column where Element == UInt8 {
    public mutating func append(bytes b: UnsafeRawBufferPointer) {
        guard b.count > 0 else { return }
        reserveCapacity(count + b.count > storage.capacity ? Swift.max(count + b.count, storage.capacity * 2) : storage.capacity)
        UnsafeMutableRawPointer(storage.base + storage.count).copyMemory(from: b.baseAddress!, byteCount: b.count)
        storage.count += b.count
    }
}

/// Instants in four bytes a row: seconds from `epoch` (2000-01-01 00:00:00 CST) as `Int32`,
/// which covers 1931 to 2068; an instant outside that (a typo such as year 2300 still
/// parses) is kept exactly in a side table. Reads and writes are `Instant`s, as for an array.
public struct TimeColumn: Equatable, @unchecked Sendable {
    public static let epoch: Instant = 946_656_000
    @usableFromInline static let absentCode = Int32.min
    @usableFromInline static let overflowCode = Int32.min + 1

    /// The raw codes (loaders write them in bulk).
    @usableFromInline var codes = Column<Int32>()
    @usableFromInline var overflow: [Int: Instant] = [:]

    public init() {}

    /// `n` absent instants, stored once (a file without the column).
    public static func absent(count n: Int) -> TimeColumn {
        var c = TimeColumn()
        c.codes = .uniform(absentCode, count: n)
        return c
    }

    @inlinable public var count: Int { codes.count }

    /// The code of an instant; `overflowCode` when it needs the side table.
    @inlinable
    static func code(_ t: Instant) -> Int32 {
        if t == .absent { return absentCode }
        let d = t &- epoch
        return d > Int64(overflowCode) && d <= Int64(Int32.max) ? Int32(truncatingIfNeeded: d) : overflowCode
    }

    @inlinable
    public subscript(r: Int) -> Instant {
        @inline(__always) get {
            let c = codes[r]
            if c > TimeColumn.overflowCode { return TimeColumn.epoch &+ Int64(c) }
            return c == TimeColumn.absentCode ? .absent : overflow[r]!
        }
        set {
            let c = TimeColumn.code(newValue)
            codes[r] = c
            if c == TimeColumn.overflowCode { overflow[r] = newValue } else if !overflow.isEmpty { overflow[r] = nil }
        }
    }

    public mutating func append(_ t: Instant) {
        let c = TimeColumn.code(t)
        if c == TimeColumn.overflowCode { overflow[count] = t }
        codes.append(c)
    }

    public mutating func append(contentsOf other: TimeColumn) {
        let shift = count
        for (r, t) in other.overflow { overflow[r + shift] = t }
        codes.append(contentsOf: other.codes)
    }

    public mutating func reserveCapacity(_ n: Int) { codes.reserveCapacity(n) }

    public mutating func remove(rows gone: [Int]) {
        guard !gone.isEmpty else { return }
        if !overflow.isEmpty {
            var moved: [Int: Instant] = [:]
            for (r, t) in overflow {
                // Rows before r that are removed shift it down; a removed row's value goes.
                var lo = 0, hi = gone.count
                while lo < hi { let m = (lo + hi) / 2; if gone[m] < r { lo = m + 1 } else { hi = m } }
                if lo < gone.count && gone[lo] == r { continue }
                moved[r - lo] = t
            }
            overflow = moved
        }
        codes.remove(rows: gone)
    }

    public static func == (a: TimeColumn, b: TimeColumn) -> Bool {
        guard a.count == b.count else { return false }
        for r in 0..<a.count where a[r] != b[r] { return false }
        return true
    }
}

extension Column where Element == Int32 {
    /// Appends `other`'s numbers into a small list, each through `map` (its number in this
    /// column's list); -1 (none) stays -1. The same list in the same order is copied whole.
    mutating func append(renumbering other: Column<Int32>, _ map: [Int32]) {
        if map.indices.allSatisfy({ map[$0] == Int32($0) }) { append(contentsOf: other); return }
        let n = count
        let to = unsafeRows(n + other.count) + n
        other.withUnsafeBufferPointer { for (k, v) in $0.enumerated() { to[k] = v < 0 ? -1 : map[Int(v)] } }
    }
}

extension Column where Element == Int {
    /// Adds `by` to every row (a chunk's lines moved to the file's).
    mutating func add(_ by: Int) {
        guard by != 0, count > 0 else { return }
        let p = unsafeRows(count)
        for i in 0..<count { p[i] += by }
    }
}
