import Foundation

/// The after-sales rows (data-formats.md "aftersales"), a column a field (issue 18): ids in
/// byte arenas, times in four bytes, kinds and states in one; the decision, the return address
/// and the file are numbers into small lists of their distinct values. A 200k-row export was
/// 400k `String`s and 200k structs of 190 bytes to copy, join and merge; its columns join by
/// copying buffers, and the rules read them in place.
///
/// Read as a collection it gives `Refund` values, made on demand (the snapshot cache, tests, a
/// rare merge of repeated ids); hot paths read the columns.
public struct RefundsTable: Sendable, RandomAccessCollection {
    public internal(set) var refundIds = TextColumn()
    public internal(set) var orderIds = TextColumn()
    public internal(set) var appliedAt = TimeColumn(), handledAt = TimeColumn(), returnAgreedAt = TimeColumn()
    public internal(set) var returnShippedAt = TimeColumn(), returnReceivedAt = TimeColumn(), completedAt = TimeColumn()
    @usableFromInline var kinds = Column<UInt8>(), statuses = Column<UInt8>()
    /// Bit 0: the platform intervened; bit 1: the merchant disputed.
    @usableFromInline var flags = Column<UInt8>()
    /// Numbers into `decisions`, `addresses` and `files`; -1: none.
    var decisionAt = Column<Int32>(), addressAt = Column<Int32>(), fileAt = Column<Int32>()
    var lines = Column<Int>()
    var decisions = TextList(), files = TextList()
    private(set) var addresses: [Region] = []
    private var addressIndex: [Region: Int32] = [:]

    /// The return addresses' list, each region at its number (a reader of stored columns):
    /// false when one repeats.
    mutating func setAddresses(_ list: [Region]) -> Bool {
        addresses = []; addressIndex = [:]
        for (i, a) in list.enumerated() {
            if addressNumber(a) != Int32(i) { return false }
        }
        return true
    }

    public init() {}

    public init<S: Sequence>(_ rows: S) where S.Element == Refund {
        for r in rows { append(r) }
    }

    // MARK: a collection of refunds

    public var startIndex: Int { 0 }
    public var endIndex: Int { kinds.count }

    public subscript(i: Int) -> Refund {
        var r = Refund(refundId: refundIds.string(i), orderId: orderIds.string(i), kind: kind(i), appliedAt: appliedAt[i])
        r.handledAt = handledAt[i]; r.decision = decision(i)
        r.returnAgreedAt = returnAgreedAt[i]; r.returnShippedAt = returnShippedAt[i]
        r.returnReceivedAt = returnReceivedAt[i]; r.completedAt = completedAt[i]
        r.status = status(i); r.platformIntervened = platformIntervened(i); r.merchantDispute = merchantDispute(i)
        r.returnAddress = returnAddress(i); r.line = lines[i]
        r.file = fileAt[i] < 0 ? "" : files[fileAt[i]]
        return r
    }

    // MARK: fields of row i

    // Kinds and states are a byte each, told by a switch both ways: a static list is a lazy
    // global, checked and retained at every read (200k rows written and read).
    @inline(__always) static func code(_ k: RefundKind) -> UInt8 {
        switch k { case .refundOnly: 0; case .returnRefund: 1; case .exchange: 2 }
    }
    @inline(__always) static func code(_ s: RefundStatus) -> UInt8 {
        switch s { case .open: 0; case .completed: 1; case .closed: 2 }
    }
    // Inlinable: the after-sales rules, in another module, read these for every row.
    @inlinable public func kind(_ i: Int) -> RefundKind {
        switch kinds[i] { case 0: .refundOnly; case 1: .returnRefund; default: .exchange }
    }
    @inlinable public func status(_ i: Int) -> RefundStatus {
        switch statuses[i] { case 0: .open; case 1: .completed; default: .closed }
    }
    @inlinable public func platformIntervened(_ i: Int) -> Bool { flags[i] & 1 != 0 }
    @inlinable public func merchantDispute(_ i: Int) -> Bool { flags[i] & 2 != 0 }
    public func decision(_ i: Int) -> String? { decisionAt[i] < 0 ? nil : decisions[decisionAt[i]] }
    public func returnAddress(_ i: Int) -> Region? { addressAt[i] < 0 ? nil : addresses[Int(addressAt[i])] }
    public func line(_ i: Int) -> Int { lines[i] }

    // MARK: building

    /// Appends one row: its ids as bytes (a loader's cells), its decision, return address and
    /// file as their numbers in this table's lists (-1: none), the rest as values.
    mutating func append(refundId: UnsafeRawBufferPointer, orderId: UnsafeRawBufferPointer, kind: RefundKind, appliedAt a: Instant,
                         handledAt h: Instant, decisionNumber: Int32, returnAgreedAt ag: Instant, returnShippedAt sh: Instant,
                         returnReceivedAt re: Instant, completedAt co: Instant, status: RefundStatus, platformIntervened: Bool,
                         merchantDispute: Bool, addressNumber: Int32, line: Int, fileNumber: Int32) {
        refundIds.append(refundId); orderIds.append(orderId)
        kinds.append(Self.code(kind))
        appliedAt.append(a); handledAt.append(h); returnAgreedAt.append(ag); returnShippedAt.append(sh)
        returnReceivedAt.append(re); completedAt.append(co)
        statuses.append(Self.code(status))
        flags.append((platformIntervened ? 1 : 0) | (merchantDispute ? 2 : 0))
        decisionAt.append(decisionNumber)
        addressAt.append(addressNumber)
        fileAt.append(fileNumber)
        lines.append(line)
    }

    public mutating func append(_ r: Refund) {
        r.refundId.withBytes { id in
            r.orderId.withBytes { order in
                append(refundId: id, orderId: order, kind: r.kind, appliedAt: r.appliedAt, handledAt: r.handledAt,
                       decisionNumber: r.decision.map { decisions.number($0) } ?? -1,
                       returnAgreedAt: r.returnAgreedAt, returnShippedAt: r.returnShippedAt, returnReceivedAt: r.returnReceivedAt,
                       completedAt: r.completedAt, status: r.status, platformIntervened: r.platformIntervened,
                       merchantDispute: r.merchantDispute, addressNumber: r.returnAddress.map { addressNumber($0) } ?? -1,
                       line: r.line, fileNumber: files.number(r.file))
            }
        }
    }

    /// The rows of `other` after these: the columns copied whole, the numbers into the small
    /// lists renumbered into this table's.
    public mutating func append(contentsOf other: RefundsTable) {
        guard !other.isEmpty else { return }
        if isEmpty { self = other; return }
        refundIds.append(contentsOf: other.refundIds); orderIds.append(contentsOf: other.orderIds)
        appliedAt.append(contentsOf: other.appliedAt); handledAt.append(contentsOf: other.handledAt)
        returnAgreedAt.append(contentsOf: other.returnAgreedAt); returnShippedAt.append(contentsOf: other.returnShippedAt)
        returnReceivedAt.append(contentsOf: other.returnReceivedAt); completedAt.append(contentsOf: other.completedAt)
        kinds.append(contentsOf: other.kinds); statuses.append(contentsOf: other.statuses); flags.append(contentsOf: other.flags)
        lines.append(contentsOf: other.lines)
        decisionAt.append(renumbering: other.decisionAt, decisions.numbers(of: other.decisions))
        var places: [Int32] = []
        for a in other.addresses { places.append(addressNumber(a)) }
        addressAt.append(renumbering: other.addressAt, places)
        fileAt.append(renumbering: other.fileAt, files.numbers(of: other.files))
    }

    /// Moves every row's line by `by` (a chunk of a file read on another core counts from 1).
    mutating func shiftLines(by: Int) { lines.add(by) }

    /// Makes room for about `rows` more rows at once.
    mutating func reserve(_ rows: Int) {
        refundIds.reserve(rows: rows, bytes: rows * 20); orderIds.reserve(rows: rows, bytes: rows * 20)
        for k in [\RefundsTable.appliedAt, \.handledAt, \.returnAgreedAt, \.returnShippedAt, \.returnReceivedAt, \.completedAt] {
            self[keyPath: k].reserveCapacity(count + rows)
        }
        kinds.reserveCapacity(count + rows); statuses.reserveCapacity(count + rows); flags.reserveCapacity(count + rows)
        decisionAt.reserveCapacity(count + rows); addressAt.reserveCapacity(count + rows); fileAt.reserveCapacity(count + rows)
        lines.reserveCapacity(count + rows)
    }

    /// The number of return address `r` in this table's list (added when new).
    mutating func addressNumber(_ r: Region) -> Int32 {
        if let i = addressIndex[r] { return i }
        addresses.append(r)
        addressIndex[r] = Int32(addresses.count - 1)
        return Int32(addresses.count - 1)
    }
}
