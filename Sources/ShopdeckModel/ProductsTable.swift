import Foundation

/// The products (data-formats.md "products"), a column a field (issue 18): ids and names in
/// byte arenas (`TextColumn`), prices and commissions in fen, the source, category, official
/// campaign and file as numbers into small lists of their distinct texts. 200k products were
/// 200k structs with four `String`s each (3.7 times their file's bytes in memory) to copy, join
/// and merge; their columns join by copying buffers, and the copy check scans the names where
/// they lie.
///
/// Read as a collection it gives `Product` values, made on demand (the snapshot cache, the
/// coupon drill-down, tests, a merge of repeated ids); hot paths read the columns.
public struct ProductsTable: Sendable, RandomAccessCollection {
    public internal(set) var productIds = TextColumn()
    public internal(set) var names = TextColumn()
    /// Fen (data-formats.md "Money").
    public internal(set) var prices = Column<Int64>(), commissions = Column<Int64>()
    /// Numbers into `sources`, `categories`, `events` and `files`; -1: none.
    var sourceAt = Column<Int32>(), categoryAt = Column<Int32>(), eventAt = Column<Int32>(), fileAt = Column<Int32>()
    var trusted = Column<UInt8>()
    var lines = Column<Int>()
    var sources = TextList(), categories = TextList(), events = TextList(), files = TextList()

    public init() {}

    public init<S: Sequence>(_ rows: S) where S.Element == Product {
        for p in rows { append(p) }
    }

    // MARK: a collection of products

    public var startIndex: Int { 0 }
    public var endIndex: Int { prices.count }

    public subscript(i: Int) -> Product {
        Product(productId: productIds.string(i), name: names.string(i), price: prices[i], commission: commissions[i],
                source: sources[sourceAt[i]], category: category(i), officialEvent: officialEvent(i),
                trustPurchase: trustPurchase(i), line: lines[i], file: fileAt[i] < 0 ? "" : files[fileAt[i]])
    }

    // MARK: fields of row i

    public func productId(_ i: Int) -> String { productIds.string(i) }
    public func source(_ i: Int) -> String { sources[sourceAt[i]] }
    /// The number of row i's source among `sourceTexts` (equal numbers, equal sources).
    @inline(__always) public func sourceNumber(_ i: Int) -> Int32 { sourceAt[i] }
    public var sourceTexts: [String] { sources.texts }
    public func category(_ i: Int) -> String? { categoryAt[i] < 0 ? nil : categories[categoryAt[i]] }
    public func officialEvent(_ i: Int) -> String? { eventAt[i] < 0 ? nil : events[eventAt[i]] }
    @inline(__always) public func trustPurchase(_ i: Int) -> Bool { trusted[i] != 0 }
    public func line(_ i: Int) -> Int { lines[i] }

    /// How many products are on trust purchase (放心购).
    public var trustPurchaseCount: Int { trusted.withUnsafeBufferPointer { $0.reduce(0) { $0 + Int($1) } } }

    // MARK: building

    /// Appends one row: its id, name, category and campaign as bytes (a loader's cells), its
    /// source and file as their numbers in `sources` and `files`.
    mutating func append(productId: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, price: Int64, commission: Int64, sourceNumber: Int32,
                         category: UnsafeRawBufferPointer?, officialEvent: UnsafeRawBufferPointer?, trustPurchase: Bool,
                         line: Int, fileNumber: Int32) {
        productIds.append(productId); names.append(name)
        prices.append(price); commissions.append(commission)
        sourceAt.append(sourceNumber)
        categoryAt.append(category.map { categories.number($0) } ?? -1)
        eventAt.append(officialEvent.map { events.number($0) } ?? -1)
        trusted.append(trustPurchase ? 1 : 0)
        lines.append(line)
        fileAt.append(fileNumber)
    }

    public mutating func append(_ p: Product) {
        let file = files.number(p.file)
        p.productId.withBytes { id in
            p.name.withBytes { name in
                func withOptional<R>(_ s: String?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
                    guard let s else { return body(nil) }
                    return s.withBytes { body($0) }
                }
                withOptional(p.category) { category in
                    withOptional(p.officialEvent) { event in
                        append(productId: id, name: name, price: p.price, commission: p.commission, sourceNumber: sources.number(p.source), category: category,
                               officialEvent: event, trustPurchase: p.trustPurchase, line: p.line, fileNumber: file)
                    }
                }
            }
        }
    }

    /// The rows of `other` after these: the columns copied whole, the numbers into the small
    /// lists renumbered into this table's.
    public mutating func append(contentsOf other: ProductsTable) {
        guard !other.isEmpty else { return }
        if isEmpty { self = other; return }
        productIds.append(contentsOf: other.productIds); names.append(contentsOf: other.names)
        prices.append(contentsOf: other.prices); commissions.append(contentsOf: other.commissions)
        trusted.append(contentsOf: other.trusted); lines.append(contentsOf: other.lines)
        sourceAt.append(renumbering: other.sourceAt, sources.numbers(of: other.sources))
        categoryAt.append(renumbering: other.categoryAt, categories.numbers(of: other.categories))
        eventAt.append(renumbering: other.eventAt, events.numbers(of: other.events))
        fileAt.append(renumbering: other.fileAt, files.numbers(of: other.files))
    }

    /// Moves every row's line by `by` (a chunk of a file read on another core counts from 1).
    mutating func shiftLines(by: Int) { lines.add(by) }

    /// Makes room for about `rows` more rows at once.
    mutating func reserve(_ rows: Int) {
        productIds.reserve(rows: rows, bytes: rows * 16); names.reserve(rows: rows, bytes: rows * 40)
        prices.reserveCapacity(count + rows); commissions.reserveCapacity(count + rows)
        sourceAt.reserveCapacity(count + rows); categoryAt.reserveCapacity(count + rows); eventAt.reserveCapacity(count + rows)
        fileAt.reserveCapacity(count + rows); trusted.reserveCapacity(count + rows); lines.reserveCapacity(count + rows)
    }
}
