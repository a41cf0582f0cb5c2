/// A problem found while loading: which file, where, what was wrong.
public struct LoadError: Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.file = file; self.line = line; self.column = column; self.reason = reason
    }

    /// `orders.csv:12:3: reason` (compiler style).
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + reason
    }
}

/// What one file contributed (report-json.md `load.files[]`).
public struct FileLoad: Sendable, Equatable {
    public var path: String
    public var table: TableKind
    public var rows: Int
    public var badRows: Int
    public var encoding: TextEncoding
    public var bytes: Int
    public var hasPickupColumn = false
    /// The last record ended with a line end (otherwise the file may still be being written).
    public var endsWithLineEnd = true
    /// For an appended-to CSV: its header row, the line after its last record, and a hash of
    /// the bytes before `bytes` (to tell an append from a rewrite).
    public var headers: [String] = []
    public var nextLine = 0
    public var tailHash = 0
}

/// Everything loaded from a data folder at one moment: the model snapshot the rules run on.
public struct Snapshot: Sendable {
    public var orders = OrdersTable()
    public var refunds = RefundsTable()
    public var violations: [Violation] = []
    public var coupons: [Coupon] = []
    public var products = ProductsTable()
    public var reports: [CustomerReport] = []
    public var adjustments: [Adjustment] = []
    /// Waybill rows, in file order (several per order are allowed: the earliest pickup wins).
    public var waybills: [Waybill] = []
    public var files: [FileLoad] = []
    public var errors: [LoadError] = []
    /// Unreadable optional cells: kept as absent, reported here.
    public var warnings: [LoadError] = []
    /// Files that could not be loaded at all (missing column, unreadable, unrecognised).
    public var skippedFiles: [String] = []
    public var loadSeconds: Double = 0
    public var totalBytes: Int = 0

    public init() {}
}
