import Foundation

/// Texts one a row, in one byte arena: row r's bytes are `bytes[ends[r-1]..<ends[r]]` (from 0
/// for row 0). No allocation a row, and a table of them joins by copying two buffers.
public struct TextColumn: Sendable, Equatable {
    var bytes = Column<UInt8>()
    var ends = Column<UInt32>()

    init(bytes: Column<UInt8>, ends: Column<UInt32>) { self.bytes = bytes; self.ends = ends }

    public init() {}

    public var count: Int { ends.count }

    @inline(__always)
    func bounds(_ r: Int) -> (Int, Int) { (r == 0 ? 0 : Int(ends[r - 1]), Int(ends[r])) }

    /// Row `r`'s bytes, lent to `body`.
    @inline(__always)
    public func withBytes<R>(_ r: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let (s, e) = bounds(r)
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[s..<e])) }
    }

    /// Every row's bytes at once, lent to `body`: the arena and each row's end (row r is
    /// `arena[ends[r - 1]..<ends[r]]`, from 0 for row 0), for a pass over all rows with no
    /// closure a row.
    public func withArena<R>(_ body: (UnsafeRawBufferPointer, UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { b in try ends.withUnsafeBufferPointer { e in try body(b, e) } }
    }

    /// Row `r`'s text (the bytes were checked as UTF-8 when read).
    public func string(_ r: Int) -> String { withBytes(r) { String(decoding: $0, as: UTF8.self) } }

    public mutating func append(_ b: UnsafeRawBufferPointer) {
        bytes.append(bytes: b)
        ends.append(UInt32(bytes.count))
    }

    public mutating func append(contentsOf other: TextColumn) {
        let shift = UInt32(bytes.count), n = count
        other.bytes.withUnsafeBytes { bytes.append(bytes: $0) }
        let to = ends.unsafeRows(n + other.count) + n
        other.ends.withUnsafeBufferPointer { for (k, e) in $0.enumerated() { to[k] = e + shift } }
    }

    mutating func reserve(rows: Int, bytes b: Int) {
        ends.reserveCapacity(count + rows)
        bytes.reserveCapacity(bytes.count + b)
    }
}
