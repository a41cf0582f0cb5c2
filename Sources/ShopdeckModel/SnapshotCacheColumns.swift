import Foundation

/// The after-sales and product tables in the snapshot cache as their columns, raw bytes as the
/// orders' are (issue 18: read as 200k `Refund`s and 200k `Product`s, each text a `String` made
/// and dropped, they took most of a big shop's reopen). Checked on reading as the orders are:
/// every column as long as its table, every number within its list, every text's end rising
/// within its arena; anything else makes the cache ignored.
extension SnapshotCache {
    static func writeText(_ t: TextColumn, _ b: inout BinaryWriter) {
        writeColumn(t.bytes, &b); writeColumn(t.ends, &b)
    }

    static func readText(_ r: inout BinaryReader) throws -> TextColumn {
        let bytes = try readColumn(&r, UInt8.self), ends = try readColumn(&r, UInt32.self)
        var last: UInt32 = 0, rising = true
        ends.withUnsafeBufferPointer { for e in $0 { if e < last { rising = false; break }; last = e } }
        guard rising, Int(last) <= bytes.count else { throw BinaryReader.Invalid() }
        return TextColumn(bytes: bytes, ends: ends)
    }

    /// Whether every number of `c` lies in `lowest ..< limit`.
    static func numbers(_ c: Column<Int32>, from lowest: Int32 = -1, below limit: Int) -> Bool {
        c.withUnsafeBufferPointer { $0.allSatisfy { $0 >= lowest && Int($0) < limit } }
    }

    static func bytes(_ c: Column<UInt8>, below limit: UInt8) -> Bool { c.withUnsafeBufferPointer { $0.allSatisfy { $0 < limit } } }

    static func writeRefunds(_ t: RefundsTable, _ b: inout BinaryWriter) {
        b.count(t.count)
        writeText(t.refundIds, &b); writeText(t.orderIds, &b)
        for c in [t.appliedAt, t.handledAt, t.returnAgreedAt, t.returnShippedAt, t.returnReceivedAt, t.completedAt] { writeTimes(c, &b) }
        writeColumn(t.kinds, &b); writeColumn(t.statuses, &b); writeColumn(t.flags, &b)
        writeColumn(t.decisionAt, &b); writeColumn(t.addressAt, &b); writeColumn(t.fileAt, &b); writeColumn(t.lines, &b)
        b.strings(t.decisions.texts)
        b.count(t.addresses.count)
        for a in t.addresses { b.strings(a.parts) }
        b.strings(t.files.texts)
    }

    static func readRefunds(_ r: inout BinaryReader) throws -> RefundsTable {
        let n = try r.count()
        var t = RefundsTable()
        t.refundIds = try readText(&r); t.orderIds = try readText(&r)
        t.appliedAt = try readTimes(&r); t.handledAt = try readTimes(&r); t.returnAgreedAt = try readTimes(&r)
        t.returnShippedAt = try readTimes(&r); t.returnReceivedAt = try readTimes(&r); t.completedAt = try readTimes(&r)
        t.kinds = try readColumn(&r, UInt8.self); t.statuses = try readColumn(&r, UInt8.self); t.flags = try readColumn(&r, UInt8.self)
        t.decisionAt = try readColumn(&r, Int32.self); t.addressAt = try readColumn(&r, Int32.self)
        t.fileAt = try readColumn(&r, Int32.self); t.lines = try readColumn(&r, Int.self)
        guard let decisions = TextList(texts: try r.strings()) else { throw BinaryReader.Invalid() }
        var addresses: [Region] = []
        for _ in 0..<(try r.count()) { addresses.append(Region(parts: try r.strings())) }
        guard let files = TextList(texts: try r.strings()), t.setAddresses(addresses) else { throw BinaryReader.Invalid() }
        t.decisions = decisions; t.files = files
        for c in [t.refundIds.count, t.orderIds.count, t.appliedAt.count, t.handledAt.count, t.returnAgreedAt.count, t.returnShippedAt.count,
                  t.returnReceivedAt.count, t.completedAt.count, t.kinds.count, t.statuses.count, t.flags.count, t.decisionAt.count,
                  t.addressAt.count, t.fileAt.count, t.lines.count] where c != n { throw BinaryReader.Invalid() }
        guard bytes(t.kinds, below: 3), bytes(t.statuses, below: 3), bytes(t.flags, below: 4),
              numbers(t.decisionAt, below: decisions.texts.count), numbers(t.addressAt, below: addresses.count),
              numbers(t.fileAt, below: files.texts.count) else { throw BinaryReader.Invalid() }
        return t
    }

    static func writeProducts(_ t: ProductsTable, _ b: inout BinaryWriter) {
        b.count(t.count)
        writeText(t.productIds, &b); writeText(t.names, &b)
        writeColumn(t.prices, &b); writeColumn(t.commissions, &b)
        for c in [t.sourceAt, t.categoryAt, t.eventAt, t.fileAt] { writeColumn(c, &b) }
        writeColumn(t.trusted, &b); writeColumn(t.lines, &b)
        for list in [t.sources, t.categories, t.events, t.files] { b.strings(list.texts) }
    }

    static func readProducts(_ r: inout BinaryReader) throws -> ProductsTable {
        let n = try r.count()
        var t = ProductsTable()
        t.productIds = try readText(&r); t.names = try readText(&r)
        t.prices = try readColumn(&r, Int64.self); t.commissions = try readColumn(&r, Int64.self)
        t.sourceAt = try readColumn(&r, Int32.self); t.categoryAt = try readColumn(&r, Int32.self)
        t.eventAt = try readColumn(&r, Int32.self); t.fileAt = try readColumn(&r, Int32.self)
        t.trusted = try readColumn(&r, UInt8.self); t.lines = try readColumn(&r, Int.self)
        guard let sources = TextList(texts: try r.strings()), let categories = TextList(texts: try r.strings()),
              let events = TextList(texts: try r.strings()), let files = TextList(texts: try r.strings()) else { throw BinaryReader.Invalid() }
        t.sources = sources; t.categories = categories; t.events = events; t.files = files
        for c in [t.productIds.count, t.names.count, t.prices.count, t.commissions.count, t.sourceAt.count, t.categoryAt.count,
                  t.eventAt.count, t.fileAt.count, t.trusted.count, t.lines.count] where c != n { throw BinaryReader.Invalid() }
        // Every product has a source (its number is never -1); the others may be absent.
        guard numbers(t.sourceAt, from: 0, below: sources.texts.count), numbers(t.categoryAt, below: categories.texts.count),
              numbers(t.eventAt, below: events.texts.count), numbers(t.fileAt, below: files.texts.count), bytes(t.trusted, below: 2) else {
            throw BinaryReader.Invalid()
        }
        return t
    }
}
