#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes a JSON writer appends to: storage it owns, grown by doubling, appended to with a
/// bounds check and a `memcpy`. A report's JSON is millions of small pieces (a big shop's 230k
/// copy findings are two million keys, strings and punctuation); appending each to an `Array`
/// went through a uniqueness check and a generic element copy, a quarter of the writer's time
/// (issue 18). Not copyable: one writer owns it; the storage never leaves but through
/// `withBytes` and `array`.
struct JSONBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 4096) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        if count == capacity { grow(1) }
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func append(_ p: UnsafeRawBufferPointer) {
        guard let from = p.baseAddress, p.count > 0 else { return }
        if capacity - count < p.count { grow(p.count) }
        memcpy(base + count, from, p.count)
        count += p.count
    }

    @inline(__always)
    mutating func append(_ p: UnsafeBufferPointer<UInt8>) { append(UnsafeRawBufferPointer(p)) }

    @inline(__always)
    mutating func append(_ s: StaticString) { s.withUTF8Buffer { append($0) } }

    /// A string's UTF-8 bytes as they are (no escaping: `JSON.quote` escapes).
    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes written.
    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Forgets the bytes written, keeping the storage.
    mutating func removeAll() { count = 0 }

    private mutating func grow(_ more: Int) {
        let size = Swift.max(capacity * 2, count + more)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = size
    }
}
